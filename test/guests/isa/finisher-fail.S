/* The deliberate failure on the virt board: checks 1 and 2 pass, check 3 expects a wrong value
 * on purpose, so the guest prints "FAIL 3" and the test finisher ends QEMU with status 3. The
 * oracle test declares that code. */
#include "test.h"

TEST_BEGIN "isa-finisher-fail"

  GROUP "two right, one wrong"
  li a1, 20
  addi a2, a1, 1
  CHECK a2, 21
  add a2, a2, a2
  CHECK a2, 42
  addi a2, a2, 1
  CHECK a2, 42              /* wrong on purpose: it is 43 */

TEST_END
