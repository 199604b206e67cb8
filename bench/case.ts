// The shape every benchmark case shares. A case measures one thing (a guest run against QEMU;
// record and replay; later seek latency), returns a row for the table of its kind, and says
// what went wrong instead of throwing, so one broken case does not hide the others' figures.

/** What a case may use: the options and the programs to run. */
export interface BenchContext {
  /** Repetitions per measurement; cases report the median. */
  reps: number;
  /** Absolute path of the bundled CLI (dist/cli.js). */
  cliPath: string;
  /** Absolute path of qemu-system-riscv32, or undefined when it is not installed. */
  qemuPath: string | undefined;
  /** Longest a single run may take before it is killed and reported. */
  timeoutMs: number;
  /** Progress for the person waiting: one line on stderr. */
  log(line: string): void;
}

/** One cell of a result row, headed by `header` in the table. */
export interface Cell {
  header: string;
  value: string;
  /** Numbers align right; text aligns left. */
  align?: 'left' | 'right';
}

export interface CaseResult {
  /** Rows with the same table title print together, under one header. */
  table: string;
  cells: Cell[];
  /** Checks that failed (different output, bad exit status, missing tool). Empty when all held. */
  problems: string[];
  /** Things worth knowing that are not failures (e.g. QEMU not found). */
  notes: string[];
}

export interface BenchCase {
  /** Slash-separated, e.g. `run/compute`; `--only` matches the whole name or any one part. */
  name: string;
  /** One row, or one row in each of several tables (rr/<guest>: times, and log sizes). */
  run(ctx: BenchContext): Promise<CaseResult | readonly CaseResult[]>;
}
