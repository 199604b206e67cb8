// CSR numbers, register fields and trap causes, spelled as in the RISC-V privileged
// specification (v1.12). Shared by the CPU, the interrupt controllers, the disassembler and the
// debugger.

export const PRV_U = 0;
export const PRV_S = 1;
export const PRV_M = 3;

// Unprivileged counters
export const CSR_CYCLE = 0xc00;
export const CSR_TIME = 0xc01;
export const CSR_INSTRET = 0xc02;
export const CSR_HPMCOUNTER3 = 0xc03;
export const CSR_HPMCOUNTER31 = 0xc1f;
export const CSR_CYCLEH = 0xc80;
export const CSR_TIMEH = 0xc81;
export const CSR_INSTRETH = 0xc82;
export const CSR_HPMCOUNTER3H = 0xc83;
export const CSR_HPMCOUNTER31H = 0xc9f;

// Supervisor
export const CSR_SSTATUS = 0x100;
export const CSR_SIE = 0x104;
export const CSR_STVEC = 0x105;
export const CSR_SCOUNTEREN = 0x106;
export const CSR_SENVCFG = 0x10a;
export const CSR_SSCRATCH = 0x140;
export const CSR_SEPC = 0x141;
export const CSR_SCAUSE = 0x142;
export const CSR_STVAL = 0x143;
export const CSR_SIP = 0x144;
export const CSR_SATP = 0x180;

// Machine
export const CSR_MVENDORID = 0xf11;
export const CSR_MARCHID = 0xf12;
export const CSR_MIMPID = 0xf13;
export const CSR_MHARTID = 0xf14;
export const CSR_MCONFIGPTR = 0xf15;
export const CSR_MSTATUS = 0x300;
export const CSR_MISA = 0x301;
export const CSR_MEDELEG = 0x302;
export const CSR_MIDELEG = 0x303;
export const CSR_MIE = 0x304;
export const CSR_MTVEC = 0x305;
export const CSR_MCOUNTEREN = 0x306;
export const CSR_MENVCFG = 0x30a;
export const CSR_MSTATUSH = 0x310;
export const CSR_MENVCFGH = 0x31a;
export const CSR_MCOUNTINHIBIT = 0x320;
export const CSR_MHPMEVENT3 = 0x323;
export const CSR_MHPMEVENT31 = 0x33f;
export const CSR_MSCRATCH = 0x340;
export const CSR_MEPC = 0x341;
export const CSR_MCAUSE = 0x342;
export const CSR_MTVAL = 0x343;
export const CSR_MIP = 0x344;
export const CSR_PMPCFG0 = 0x3a0;
export const CSR_PMPCFG3 = 0x3a3;
export const CSR_PMPADDR0 = 0x3b0;
export const CSR_PMPADDR15 = 0x3bf;
export const CSR_MCYCLE = 0xb00;
export const CSR_MINSTRET = 0xb02;
export const CSR_MHPMCOUNTER3 = 0xb03;
export const CSR_MHPMCOUNTER31 = 0xb1f;
export const CSR_MCYCLEH = 0xb80;
export const CSR_MINSTRETH = 0xb82;
export const CSR_MHPMCOUNTER3H = 0xb83;
export const CSR_MHPMCOUNTER31H = 0xb9f;

// Debug/trace triggers (Sdtrig): present, with no triggers implemented
export const CSR_TSELECT = 0x7a0;
export const CSR_TDATA1 = 0x7a1;
export const CSR_TDATA2 = 0x7a2;
export const CSR_TDATA3 = 0x7a3;

// mstatus / sstatus fields (RV32 layout; SD is bit 31)
export const MSTATUS_SIE = 1 << 1;
export const MSTATUS_MIE = 1 << 3;
export const MSTATUS_SPIE = 1 << 5;
export const MSTATUS_UBE = 1 << 6;
export const MSTATUS_MPIE = 1 << 7;
export const MSTATUS_SPP = 1 << 8;
export const MSTATUS_VS = 3 << 9;
export const MSTATUS_MPP = 3 << 11;
export const MSTATUS_MPP_SHIFT = 11;
export const MSTATUS_FS = 3 << 13;
export const MSTATUS_XS = 3 << 15;
export const MSTATUS_MPRV = 1 << 17;
export const MSTATUS_SUM = 1 << 18;
export const MSTATUS_MXR = 1 << 19;
export const MSTATUS_TVM = 1 << 20;
export const MSTATUS_TW = 1 << 21;
export const MSTATUS_TSR = 1 << 22;
export const MSTATUS_SD = 1 << 31;

// Interrupt numbers and mip/mie bits
export const IRQ_S_SOFT = 1;
export const IRQ_M_SOFT = 3;
export const IRQ_S_TIMER = 5;
export const IRQ_M_TIMER = 7;
export const IRQ_S_EXT = 9;
export const IRQ_M_EXT = 11;
export const MIP_SSIP = 1 << IRQ_S_SOFT;
export const MIP_MSIP = 1 << IRQ_M_SOFT;
export const MIP_STIP = 1 << IRQ_S_TIMER;
export const MIP_MTIP = 1 << IRQ_M_TIMER;
export const MIP_SEIP = 1 << IRQ_S_EXT;
export const MIP_MEIP = 1 << IRQ_M_EXT;

// Exception causes
export const CAUSE_MISALIGNED_FETCH = 0;
export const CAUSE_FETCH_ACCESS = 1;
export const CAUSE_ILLEGAL_INSTRUCTION = 2;
export const CAUSE_BREAKPOINT = 3;
export const CAUSE_MISALIGNED_LOAD = 4;
export const CAUSE_LOAD_ACCESS = 5;
export const CAUSE_MISALIGNED_STORE = 6;
export const CAUSE_STORE_ACCESS = 7;
export const CAUSE_USER_ECALL = 8;
export const CAUSE_SUPERVISOR_ECALL = 9;
export const CAUSE_MACHINE_ECALL = 11;
export const CAUSE_FETCH_PAGE_FAULT = 12;
export const CAUSE_LOAD_PAGE_FAULT = 13;
export const CAUSE_STORE_PAGE_FAULT = 15;

// satp (Sv32)
export const SATP32_MODE = 1 << 31;
export const SATP32_ASID = 0x1ff << 22;
export const SATP32_PPN = 0x3fffff;

// Page table entry bits
export const PTE_V = 1 << 0;
export const PTE_R = 1 << 1;
export const PTE_W = 1 << 2;
export const PTE_X = 1 << 3;
export const PTE_U = 1 << 4;
export const PTE_G = 1 << 5;
export const PTE_A = 1 << 6;
export const PTE_D = 1 << 7;

/** CSR names for the disassembler and the debugger. */
export const CSR_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [CSR_CYCLE, 'cycle'], [CSR_TIME, 'time'], [CSR_INSTRET, 'instret'],
  [CSR_CYCLEH, 'cycleh'], [CSR_TIMEH, 'timeh'], [CSR_INSTRETH, 'instreth'],
  [CSR_SSTATUS, 'sstatus'], [CSR_SIE, 'sie'], [CSR_STVEC, 'stvec'], [CSR_SCOUNTEREN, 'scounteren'],
  [CSR_SENVCFG, 'senvcfg'], [CSR_SSCRATCH, 'sscratch'], [CSR_SEPC, 'sepc'], [CSR_SCAUSE, 'scause'],
  [CSR_STVAL, 'stval'], [CSR_SIP, 'sip'], [CSR_SATP, 'satp'],
  [CSR_MVENDORID, 'mvendorid'], [CSR_MARCHID, 'marchid'], [CSR_MIMPID, 'mimpid'], [CSR_MHARTID, 'mhartid'],
  [CSR_MCONFIGPTR, 'mconfigptr'], [CSR_MSTATUS, 'mstatus'], [CSR_MISA, 'misa'], [CSR_MEDELEG, 'medeleg'],
  [CSR_MIDELEG, 'mideleg'], [CSR_MIE, 'mie'], [CSR_MTVEC, 'mtvec'], [CSR_MCOUNTEREN, 'mcounteren'],
  [CSR_MENVCFG, 'menvcfg'], [CSR_MSTATUSH, 'mstatush'], [CSR_MENVCFGH, 'menvcfgh'],
  [CSR_MCOUNTINHIBIT, 'mcountinhibit'], [CSR_MSCRATCH, 'mscratch'], [CSR_MEPC, 'mepc'],
  [CSR_MCAUSE, 'mcause'], [CSR_MTVAL, 'mtval'], [CSR_MIP, 'mip'],
  [CSR_MCYCLE, 'mcycle'], [CSR_MINSTRET, 'minstret'], [CSR_MCYCLEH, 'mcycleh'], [CSR_MINSTRETH, 'minstreth'],
  [CSR_TSELECT, 'tselect'], [CSR_TDATA1, 'tdata1'], [CSR_TDATA2, 'tdata2'], [CSR_TDATA3, 'tdata3'],
  ...Array.from({ length: 4 }, (_, i) => [CSR_PMPCFG0 + i, `pmpcfg${i}`] as [number, string]),
  ...Array.from({ length: 16 }, (_, i) => [CSR_PMPADDR0 + i, `pmpaddr${i}`] as [number, string]),
  ...Array.from({ length: 29 }, (_, i) => [CSR_HPMCOUNTER3 + i, `hpmcounter${i + 3}`] as [number, string]),
  ...Array.from({ length: 29 }, (_, i) => [CSR_HPMCOUNTER3H + i, `hpmcounter${i + 3}h`] as [number, string]),
  ...Array.from({ length: 29 }, (_, i) => [CSR_MHPMCOUNTER3 + i, `mhpmcounter${i + 3}`] as [number, string]),
  ...Array.from({ length: 29 }, (_, i) => [CSR_MHPMCOUNTER3H + i, `mhpmcounter${i + 3}h`] as [number, string]),
  ...Array.from({ length: 29 }, (_, i) => [CSR_MHPMEVENT3 + i, `mhpmevent${i + 3}`] as [number, string]),
]);
