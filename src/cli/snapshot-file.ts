// Where a named snapshot of a recording lives: beside its log, as <log>.<name>.snap.

export function snapshotPath(rrfile: string, name: string): string {
  return `${rrfile}.${name}.snap`;
}
