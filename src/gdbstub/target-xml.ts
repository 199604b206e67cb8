// The target description gdb reads with qXfer:features:read:target.xml: architecture riscv:rv32
// (so gdb needs no `set architecture`), the features gdb's riscv-tdep looks for by name
// (org.gnu.gdb.riscv.cpu with x0–x31 and pc named as in gdb's 32bit-cpu.xml; .csr with every CSR
// the hart has, so `p $mstatus` and `info registers csr` work; .virtual with the privilege level,
// which gdb prints as `prv:3 [Machine]`), and the remote register numbers of gdb-registers.ts.
// One self-contained document, no xi:include.

import { GDB_CSRS, PRIV_REGNUM, REG_PC, X_REGISTER_NAMES } from './gdb-registers.js';

const POINTER_TYPES: Record<string, string> = { ra: 'code_ptr', sp: 'data_ptr', gp: 'data_ptr', tp: 'data_ptr', fp: 'data_ptr' };

function buildTargetXml(): string {
  const lines = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
    '<target version="1.0">',
    '  <architecture>riscv:rv32</architecture>',
    '  <feature name="org.gnu.gdb.riscv.cpu">',
    ...X_REGISTER_NAMES.map((name, i) =>
      `    <reg name="${name}" bitsize="32" type="${POINTER_TYPES[name] ?? 'int'}" regnum="${i}"/>`),
    `    <reg name="pc" bitsize="32" type="code_ptr" regnum="${REG_PC}"/>`,
    '  </feature>',
    '  <feature name="org.gnu.gdb.riscv.virtual">',
    `    <reg name="priv" bitsize="32" regnum="${PRIV_REGNUM}"/>`,
    '  </feature>',
    '  <feature name="org.gnu.gdb.riscv.csr">',
    ...GDB_CSRS.map((c) => `    <reg name="${c.name}" bitsize="32" regnum="${c.regnum}"/>`),
    '  </feature>',
    '</target>',
  ];
  return lines.join('\n') + '\n';
}

export const TARGET_XML = buildTargetXml();

/** The documents qXfer:features:read serves, by annex. */
export const FEATURE_DOCUMENTS: ReadonlyMap<string, string> = new Map([['target.xml', TARGET_XML]]);
