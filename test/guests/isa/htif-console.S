/* The shared test runtime over HTIF instead of the UART and finisher (common/io-htif.S): every
 * line below goes out through the HTIF console (device 1, command 1), one request per byte,
 * each waiting for fromhost. Runs on QEMU's spike board. */
#include "test.h"

TEST_BEGIN "isa-htif-console"

  GROUP "console lines"
  PUTS "the quick brown fox jumps over the lazy dog\n"
  li a1, 0x0123abcd
  PUTHEX a1
  PUTS "\n"

  GROUP "checks still count"
  li a1, 6
  li a2, 7
  mul a3, a1, a2
  CHECK a3, 42

TEST_END
