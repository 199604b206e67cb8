/* RV32C: every compressed instruction of RV32IC (c.flw and friends aside: no F), written with
 * explicit c. mnemonics and interleaved with 32-bit instructions so that those sit at
 * addresses that are 2 mod 4; links of c.jal/c.jalr are pc + 2; c.ebreak traps with mepc at
 * itself; reserved encodings raise illegal instruction with the 16 bits in mtval; a 32-bit
 * instruction straddles a 4 KiB page boundary. Built with C enabled (see the Makefile). */
#include "test.h"

/* Forces the 32-bit encoding of an instruction the assembler could compress. */
.macro W insn:vararg
  .option push
  .option norvc
  \insn
  .option pop
.endm

/* Expects an illegal-instruction trap for a 16-bit encoding, mtval = its zero-extended bits. */
.macro ILLEGAL16 bits
  TRAP_EXPECT .Lresume\@
  .half \bits
.Lresume\@:
  TRAP_CHECK CAUSE_ILLEGAL_INSTRUCTION
  TRAP_CHECK_FIELD TRAP_TVAL, \bits
.endm

TEST_BEGIN "isa-rvc"

  GROUP "c.li c.lui c.addi c.mv c.add"
  c.nop
  c.li a0, 31
  W addi a1, a0, 1          /* 32-bit at 2 mod 4 */
  CHECK a1, 32
  c.li a0, -32
  CHECK a0, 0xffffffe0
  c.lui a2, 0x1f
  CHECK a2, 0x1f000
  c.lui a2, 0xfffe0
  CHECK a2, 0xfffe0000
  c.addi a2, -1
  CHECK a2, 0xfffdffff
  c.li a3, 10
  c.addi a3, 31
  CHECK a3, 41
  c.mv a4, a3
  c.add a4, a3
  CHECK a4, 82
  c.mv t0, a4
  c.add t0, t0
  CHECK t0, 164

  GROUP "c.slli c.srli c.srai c.andi"
  c.li s0, -16
  c.srli s0, 28
  CHECK s0, 0xf
  c.li s1, -16
  c.srai s1, 2
  CHECK s1, 0xfffffffc
  c.li a5, 3
  c.slli a5, 31
  CHECK a5, 0x80000000
  c.li a0, -1
  c.andi a0, 0x15
  CHECK a0, 0x15
  c.li a0, -1
  c.andi a0, -4
  CHECK a0, 0xfffffffc

  GROUP "c.sub c.xor c.or c.and"
  c.li a0, 5
  c.li a1, 7
  c.sub a0, a1
  CHECK a0, 0xfffffffe
  W li a2, 0x0ff0
  W li a3, 0x00ff
  c.mv a4, a2
  c.xor a4, a3
  CHECK a4, 0x0f0f
  c.mv a4, a2
  c.or a4, a3
  CHECK a4, 0x0fff
  c.mv a4, a2
  c.and a4, a3
  CHECK a4, 0x00f0

  GROUP "c.lw c.sw c.lwsp c.swsp"
  la a1, words
  c.lw a0, 4(a1)
  CHECK a0, 0x22222222
  c.lw a0, 124(a1)
  CHECK a0, 0x33333333
  W li a2, 0x44444444
  c.sw a2, 8(a1)
  W lw a3, 8(a1)
  CHECK a3, 0x44444444
  addi sp, sp, -256
  W li a2, 0x55555555
  c.swsp a2, 252(sp)
  c.lwsp a4, 252(sp)
  CHECK a4, 0x55555555
  c.swsp a2, 0(sp)
  W lw a5, 0(sp)
  CHECK a5, 0x55555555
  addi sp, sp, 256

  GROUP "c.addi4spn c.addi16sp"
  mv s1, sp
  c.addi4spn a0, sp, 1020
  sub a0, a0, s1
  CHECK a0, 1020
  c.addi4spn a0, sp, 4
  sub a0, a0, s1
  CHECK a0, 4
  c.addi16sp sp, -512
  sub a0, s1, sp
  CHECK a0, 512
  c.addi16sp sp, 496
  c.addi16sp sp, 16
  CHECK_REG sp, s1

  GROUP "c.j c.jal c.jr c.jalr"
  c.li a0, 0
  c.j 1f
  c.li a0, 1
1:
  CHECK a0, 0
  c.jal 2f
3:
  CHECK_NEVER
2:
  CHECK_ADDR ra, 3b
  la a1, 4f
  c.jr a1
  CHECK_NEVER
4:
  la a2, 5f
  c.jalr a2
6:
  CHECK_NEVER
5:
  CHECK_ADDR ra, 6b
  /* c.jalr with rs1 = ra: the target is read before ra is overwritten. */
  la ra, 7f
  c.jalr ra
8:
  CHECK_NEVER
7:
  CHECK_ADDR ra, 8b
  /* A backward c.j in a loop. */
  c.li a0, 3
  c.li a3, 0
9:
  c.addi a3, 2
  c.addi a0, -1
  c.bnez a0, 9b
  CHECK a3, 6

  GROUP "c.beqz c.bnez"
  c.li a0, 0
  c.li a1, 0
  c.beqz a0, 1f
  c.li a1, 1
1:
  CHECK a1, 0
  c.li a0, 4
  c.beqz a0, 2f
  c.li a1, 2
2:
  CHECK a1, 2
  c.bnez a0, 3f
  c.li a1, 3
3:
  CHECK a1, 2
  c.li a0, 0
  c.bnez a0, 4f
  c.li a1, 4
4:
  CHECK a1, 4

  GROUP "c.ebreak"
  TRAP_EXPECT 2f
1:
  c.ebreak
  CHECK_NEVER
2:
  TRAP_CHECK CAUSE_BREAKPOINT
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 1b

  GROUP "reserved encodings"
  ILLEGAL16 0x0000          /* all zeros */
  ILLEGAL16 0x6101          /* c.addi16sp with nzimm = 0 */
  ILLEGAL16 0x6501          /* c.lui with nzimm = 0 */
  ILLEGAL16 0x8002          /* c.jr x0 */
  ILLEGAL16 0x4002          /* c.lwsp x0 */
  ILLEGAL16 0x1502          /* c.slli with shamt[5] = 1 on RV32 */

  GROUP "32-bit instruction across a page"
  W j cross_page
  .balign 4096
  .skip 4090
cross_page:
  c.li a0, 5
  c.addi a0, 1
  W addi a0, a0, 100        /* bytes 4094..4097 of the page pair */
  c.addi a0, 1
  CHECK a0, 107

TEST_END

  .data
  .align 2
words:
  .word 0x11111111, 0x22222222, 0
  .fill 28, 4, 0
  .word 0x33333333
