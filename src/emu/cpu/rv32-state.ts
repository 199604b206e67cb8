// Where the RV32 hart keeps its architectural state in the state arena: the integer registers,
// and one word per CSR or internal field below. Counters beyond 32 bits sit in a Float64 region.

/** Indices into the hart's Int32 state region. */
export const S_PC = 0;
export const S_PRIV = 1;
/** mip bits driven by devices (MEIP, MTIP, MSIP, and the PLIC's SEIP). */
export const S_MIP_HW = 2;
/** mip bits written by software (SSIP, STIP, SEIP). */
export const S_MIP_SW = 3;
export const S_MSTATUS = 4;
export const S_MEDELEG = 5;
export const S_MIDELEG = 6;
export const S_MIE = 7;
export const S_MTVEC = 8;
export const S_MSCRATCH = 9;
export const S_MEPC = 10;
export const S_MCAUSE = 11;
export const S_MTVAL = 12;
export const S_STVEC = 13;
export const S_SSCRATCH = 14;
export const S_SEPC = 15;
export const S_SCAUSE = 16;
export const S_STVAL = 17;
export const S_SATP = 18;
export const S_MCOUNTEREN = 19;
export const S_SCOUNTEREN = 20;
export const S_MCOUNTINHIBIT = 21;
export const S_MENVCFG = 22;
export const S_SENVCFG = 23;
/** 1 while the hart waits in WFI. */
export const S_WAITING = 24;
/** LR reservation: valid flag, physical address and the value LR read (SC compares it, as QEMU does). */
export const S_RES_VALID = 25;
export const S_RES_ADDR = 26;
export const S_RES_VALUE = 27;
/** mcycle/minstret offsets from icount (64-bit, lo/hi); when inhibited, the frozen value. */
export const S_MCYCLE_LO = 28;
export const S_MCYCLE_HI = 29;
export const S_MINSTRET_LO = 30;
export const S_MINSTRET_HI = 31;
export const S_PMPCFG = 32; // 4 words
export const S_PMPADDR = 36; // 16 words
export const S_WORDS = 52;

/** Indices into the hart's Float64 region. */
export const C_ICOUNT = 0;
export const C_WORDS = 1;
