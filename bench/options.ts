// Command-line options of `npm run bench` (`node dist/bench.js [options]`).

export interface BenchOptions {
  reps: number;
  /** Case filters from --only; empty means every case. */
  only: string[];
  cliPath: string | undefined;
  qemuPath: string | undefined;
  timeoutMs: number;
  list: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]
  --reps N        repetitions per measurement, median reported (default 2)
  --only NAME     run only cases whose name or a part of it is NAME (repeatable, or a,b)
  --cli PATH      the rvreplay CLI to measure (default dist/cli.js)
  --qemu PATH     qemu-system-riscv32 to compare with (default: $QEMU, then PATH)
  --timeout SEC   kill a single run after SEC seconds (default 600)
  --list          list the cases and exit
  --help          this text`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { reps: 2, only: [], cliPath: undefined, qemuPath: undefined, timeoutMs: 600_000, list: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--reps': options.reps = positiveInt(arg, value()); break;
      case '--only': options.only.push(...value().split(',').filter((s) => s !== '')); break;
      case '--cli': options.cliPath = value(); break;
      case '--qemu': options.qemuPath = value(); break;
      case '--timeout': options.timeoutMs = positiveInt(arg, value()) * 1000; break;
      case '--list': options.list = true; break;
      case '--help': case '-h': options.help = true; break;
      default: throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} wants a positive integer, not ${text}`);
  return n;
}

/** `--only run` selects run/compute and run/irq; `--only compute` selects run/compute. */
export function caseSelected(name: string, only: readonly string[]): boolean {
  if (only.length === 0) return true;
  const parts = name.split('/');
  return only.some((o) => o === name || parts.includes(o));
}
