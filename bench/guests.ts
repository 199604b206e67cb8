// The benchmark guests (built from bench/guests by its Makefile; the ELFs are committed).
// Each has a `.expected` file beside it: its UART output under QEMU, so a run can be checked
// even where QEMU is not installed.
import { join } from 'node:path';
import { GUESTS_DIR } from './paths.js';

export interface BenchGuest {
  name: string;
  elf: string;
  expected: string;
  /** One line for --list. */
  summary: string;
}

function guest(name: string, summary: string): BenchGuest {
  return { name, elf: join(GUESTS_DIR, `${name}.elf`), expected: join(GUESTS_DIR, `${name}.expected`), summary };
}

export const GUESTS: readonly BenchGuest[] = [
  guest('compute', 'CRC, sieve, quicksort, matrix multiply, div/rem, list walk; ~508 M instructions, no interrupts'),
  guest('irq', 'the same kernels under a CLINT timer interrupt every 10,000 instructions; ~52 M instructions, ~5,000 interrupts'),
  guest('serial', '30,000 lines of 7 bytes on the UART between bursts of PRNG steps; ~9 M instructions'),
  guest('paging', 'S-mode under Sv32: 4 MiB walked in random page order through two address spaces, and the kernels; ~189 M instructions'),
  guest('paging-long', 'paging, five times as many rounds; ~928 M instructions'),
];

/** A guest measured at two lengths, the same code: what a run costs apart from its instructions. */
export interface LengthPair {
  short: BenchGuest;
  long: BenchGuest;
}

function byName(name: string): BenchGuest {
  const g = GUESTS.find((candidate) => candidate.name === name);
  if (g === undefined) throw new Error(`no bench guest ${name}`);
  return g;
}

export const LENGTH_PAIRS: readonly LengthPair[] = [{ short: byName('paging'), long: byName('paging-long') }];
