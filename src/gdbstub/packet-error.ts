// Why a packet could not be carried out, as the E number of its error reply and a message. The
// numbers: E01 a malformed packet or argument, E02 the engine refused (a write inside recorded
// history, an unknown snapshot), E03 an internal error, E14 memory that cannot be read
// (gdbserver's EFAULT). gdb mostly ignores the number; the session decides whether the message
// can go as `E.text` instead.

export const E_BAD_PACKET = 0x01;
export const E_REFUSED = 0x02;
export const E_INTERNAL = 0x03;
export const E_MEMORY = 0x14;

export class PacketError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
