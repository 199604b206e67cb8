// Test helper: builds fixture programs with the installed RISC-V GNU toolchain
// (Debian's gcc-riscv64-unknown-elf, binutils-riscv64-unknown-elf and picolibc) into a temporary
// directory, and reads objdump's and readelf's view of them for tests to compare against.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the fixture sources of the unit tests are. */
export const FIXTURES = join(__dirname, '..', 'unit', 'fixtures');
export const GCC = 'riscv64-unknown-elf-gcc';
export const OBJDUMP = 'riscv64-unknown-elf-objdump';
export const READELF = 'riscv64-unknown-elf-readelf';
export const OBJCOPY = 'riscv64-unknown-elf-objcopy';

/** The flags every RV32 fixture is built with (the guest ISA rvreplay emulates). */
export const RV32_FLAGS = ['-march=rv32imac_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-ffreestanding'];

export function run(tool: string, args: readonly string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A temporary directory for one test file's builds, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `rvreplay-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The multilib directory of gcc's own libraries for an -march/-mabi pair. gcc picks it only for
 * the plain ISA string (rv32imac), not with the Z extensions spelled out, so ask with that.
 */
export function multilibDir(march: string, mabi: string): string {
  return run(GCC, [`-march=${march}`, `-mabi=${mabi}`, '-print-multi-directory']).trim();
}

export function libgcc(march: string, mabi: string): string {
  return run(GCC, [`-march=${march}`, `-mabi=${mabi}`, '-print-libgcc-file-name']).trim();
}

export interface ObjdumpLine {
  address: number;
  /** Bytes of the instruction, from objdump's hex column. */
  length: number;
  /** Mnemonic and operands (tab-separated), `<symbol>` suffixes and `# comments` removed. */
  text: string;
}

/**
 * objdump -d (or -D) listing. Comments objdump adds after an operand list (`# 80000010 <x>`,
 * resolved from the preceding auipc or lui) are dropped: they are not part of the instruction.
 */
export function objdump(path: string, extra: readonly string[] = []): ObjdumpLine[] {
  const out = run(OBJDUMP, ['-d', '-z', ...extra, path]);
  const lines: ObjdumpLine[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$/.exec(line);
    if (m === null) continue;
    const [, address, bytes, text] = m as unknown as [string, string, string, string];
    lines.push({
      address: parseInt(address, 16),
      length: bytes.replace(/ /g, '').length / 2,
      text: text.replace(/ #.*$/, '').replace(/ <[^>]*>/g, ''),
    });
  }
  return lines;
}
