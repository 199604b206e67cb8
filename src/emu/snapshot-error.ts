// Why a snapshot was refused: one line a user can act on, plus a kind the caller can branch on
// (the CLI maps it to an exit status; tests check that the right check fired).

export type SnapshotErrorKind =
  | 'not-snapshot' // the bytes do not start with the snapshot magic
  | 'version' // another format version
  | 'truncated' // the bytes end before the snapshot does
  | 'corrupt' // a checksum or a structural field is wrong
  | 'config' // made on a machine with another RAM size, icount shift, ISA or board
  | 'layout' // made by a build whose state arena is laid out differently
  | 'guest' // made with another guest attachment (HTIF present or not)
  | 'disk'; // made over another disk base image

export class SnapshotError extends Error {
  constructor(
    readonly kind: SnapshotErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotError';
  }
}
