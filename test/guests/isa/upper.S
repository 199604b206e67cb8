/* lui and auipc: upper immediates, sign wrap of the 20-bit field, and auipc's pc-relative
 * result in both directions. */
#include "test.h"

TEST_BEGIN "isa-upper"

  GROUP "lui"
  lui a1, 0x12345
  CHECK a1, 0x12345000
  lui a1, 0xfffff
  CHECK a1, 0xfffff000
  lui a1, 0x80000
  CHECK a1, 0x80000000
  lui a1, 0
  CHECK a1, 0
  lui a1, 0x7ffff
  addi a1, a1, 0x7ff
  CHECK a1, 0x7ffff7ff

  GROUP "auipc"
1:
  auipc a1, 0
  CHECK_ADDR a1, 1b
2:
  auipc a1, 1
  la a2, 2b
  sub a1, a1, a2
  CHECK a1, 0x1000
3:
  auipc a1, 0xfffff
  la a2, 3b
  sub a1, a2, a1
  CHECK a1, 0x1000
4:
  auipc a1, 0x80000
  la a2, 4b
  sub a1, a1, a2
  CHECK a1, 0x80000000

TEST_END
