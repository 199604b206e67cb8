/* The smallest C guest: picolibc's printf through the UART, then exit(0) via the finisher. */
#include <stdio.h>

int main(void)
{
  printf("Hello, world!\n");
  printf("%d + %d = %d, in hex %#x\n", 19, 23, 19 + 23, 19 + 23);
  return 0;
}
