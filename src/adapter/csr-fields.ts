// The CSRs a firmware or kernel developer looks at when stopped, each decoded into its fields with
// the names the privileged spec gives them (MIE, MPP = M, cause = illegal instruction...), for
// the debugger's CSRs scope.

import * as C from '../emu/cpu/csr.js';
import { EXCEPTION_NAMES, INTERRUPT_NAMES } from '../replay/describe-event.js';

export interface CsrField {
  name: string;
  value: string;
}

/** The CSRs the scope lists, in this order. */
export const SHOWN_CSRS: readonly { name: string; csr: number }[] = [
  ['mstatus', C.CSR_MSTATUS], ['misa', C.CSR_MISA], ['mie', C.CSR_MIE], ['mip', C.CSR_MIP], ['mtvec', C.CSR_MTVEC],
  ['mepc', C.CSR_MEPC], ['mcause', C.CSR_MCAUSE], ['mtval', C.CSR_MTVAL], ['mscratch', C.CSR_MSCRATCH],
  ['medeleg', C.CSR_MEDELEG], ['mideleg', C.CSR_MIDELEG], ['sstatus', C.CSR_SSTATUS], ['sie', C.CSR_SIE], ['sip', C.CSR_SIP],
  ['stvec', C.CSR_STVEC], ['sepc', C.CSR_SEPC], ['scause', C.CSR_SCAUSE], ['stval', C.CSR_STVAL], ['satp', C.CSR_SATP],
].map(([name, csr]) => ({ name: name as string, csr: csr as number }));

const PRIV_NAMES = ['U', 'S', '(reserved)', 'M'];

/** The fields of a CSR's value, or none for a CSR that is just a number (mepc, mscratch...). */
export function csrFields(csr: number, value: number): CsrField[] {
  const bit = (mask: number): string => ((value & mask) !== 0 ? '1' : '0');
  switch (csr) {
    case C.CSR_MSTATUS:
    case C.CSR_SSTATUS: {
      const fields: CsrField[] = [
        { name: 'SIE', value: bit(C.MSTATUS_SIE) }, { name: 'SPIE', value: bit(C.MSTATUS_SPIE) },
        { name: 'SPP', value: (value & C.MSTATUS_SPP) !== 0 ? 'S' : 'U' },
        { name: 'SUM', value: bit(C.MSTATUS_SUM) }, { name: 'MXR', value: bit(C.MSTATUS_MXR) },
      ];
      if (csr === C.CSR_MSTATUS) {
        fields.unshift({ name: 'MIE', value: bit(C.MSTATUS_MIE) }, { name: 'MPIE', value: bit(C.MSTATUS_MPIE) },
          { name: 'MPP', value: PRIV_NAMES[(value & C.MSTATUS_MPP) >>> C.MSTATUS_MPP_SHIFT] });
        fields.push({ name: 'MPRV', value: bit(C.MSTATUS_MPRV) }, { name: 'TVM', value: bit(C.MSTATUS_TVM) },
          { name: 'TW', value: bit(C.MSTATUS_TW) }, { name: 'TSR', value: bit(C.MSTATUS_TSR) });
      }
      return fields;
    }
    case C.CSR_MCAUSE:
    case C.CSR_SCAUSE: {
      const interrupt = (value & 0x8000_0000) !== 0;
      const code = value & 0x7fff_ffff;
      const name = (interrupt ? INTERRUPT_NAMES : EXCEPTION_NAMES).get(code) ?? 'unknown';
      return [{ name: 'Interrupt', value: interrupt ? '1' : '0' }, { name: 'Code', value: `${code} (${name}${interrupt ? ' interrupt' : ''})` }];
    }
    case C.CSR_MIE: case C.CSR_MIP: case C.CSR_SIE: case C.CSR_SIP: {
      const names: [string, number][] = [['SSI', C.MIP_SSIP], ['MSI', C.MIP_MSIP], ['STI', C.MIP_STIP], ['MTI', C.MIP_MTIP], ['SEI', C.MIP_SEIP], ['MEI', C.MIP_MEIP]];
      const prefix = csr === C.CSR_MIE || csr === C.CSR_SIE ? 'E' : 'P';
      return names.map(([n, mask]) => ({ name: `${n}${prefix}`, value: bit(mask) }));
    }
    case C.CSR_MTVEC: case C.CSR_STVEC:
      return [{ name: 'BASE', value: hex(value & ~3) }, { name: 'MODE', value: (value & 3) === 1 ? 'Vectored' : (value & 3) === 0 ? 'Direct' : 'Reserved' }];
    case C.CSR_SATP:
      return [
        { name: 'MODE', value: (value & C.SATP32_MODE) !== 0 ? 'Sv32' : 'Bare' },
        { name: 'ASID', value: String((value >>> 22) & 0x1ff) },
        { name: 'PPN', value: hex(value & 0x3fffff) },
      ];
    default:
      return [];
  }
}

export function privilegeName(priv: number): string {
  return PRIV_NAMES[priv] ?? String(priv);
}

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}
