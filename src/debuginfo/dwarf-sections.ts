// The debug sections of an ELF file as byte views. The ELF reader knows where sections are; this
// cuts their bytes out of the file. Compressed sections (SHF_COMPRESSED) are not supported: the
// toolchains we target do not compress by default.

import { SHT_NOBITS, type Elf } from '../emu/elf.js';
import { DwarfError } from './byte-reader.js';

const SHF_COMPRESSED = 0x800;

export interface DwarfSections {
  readonly info?: Uint8Array;
  readonly abbrev?: Uint8Array;
  readonly line?: Uint8Array;
  readonly lineStr?: Uint8Array;
  readonly str?: Uint8Array;
  readonly strOffsets?: Uint8Array;
  readonly addr?: Uint8Array;
  readonly rnglists?: Uint8Array;
  readonly ranges?: Uint8Array;
  readonly loclists?: Uint8Array;
  readonly loc?: Uint8Array;
  readonly frame?: Uint8Array;
  readonly ehFrame?: Uint8Array;
  /** Where .eh_frame is loaded: its pointers may be pc-relative to it. */
  readonly ehFrameAddr: number;
  /** Address size of the file (4 for ELF32). */
  readonly addressSize: number;
}

export function dwarfSections(elf: Elf, file: Uint8Array): DwarfSections {
  const get = (name: string): Uint8Array | undefined => {
    const s = elf.section(name);
    if (s === undefined || s.type === SHT_NOBITS) return undefined;
    if ((s.flags & SHF_COMPRESSED) !== 0) throw new DwarfError(`section ${name} is compressed, which rvreplay does not read; link without --compress-debug-sections`);
    if (s.offset + s.size > file.length) throw new DwarfError(`section ${name} lies outside the file`);
    return file.subarray(s.offset, s.offset + s.size);
  };
  return {
    info: get('.debug_info'),
    abbrev: get('.debug_abbrev'),
    line: get('.debug_line'),
    lineStr: get('.debug_line_str'),
    str: get('.debug_str'),
    strOffsets: get('.debug_str_offsets'),
    addr: get('.debug_addr'),
    rnglists: get('.debug_rnglists'),
    ranges: get('.debug_ranges'),
    loclists: get('.debug_loclists'),
    loc: get('.debug_loc'),
    frame: get('.debug_frame'),
    ehFrame: get('.eh_frame'),
    ehFrameAddr: elf.section('.eh_frame')?.addr ?? 0,
    addressSize: elf.class === 32 ? 4 : 8,
  };
}
