/* The bundled example firmware: a tiny serial console that prints a banner and runs a scripted
 * session of its own commands (arithmetic, primes, a wait on the CLINT timer interrupt), then
 * exits through the test finisher. `rvreplay run examples/hello/hello.elf` runs it; it needs
 * no input and prints the same bytes on every run and on QEMU. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

#define CONSOLE_LINE_LEN 24
#define MAX_ARGS 6
#define TICK_PERIOD (CLINT_TICKS_PER_SECOND / 100) /* 10 ms of virtual time */

struct console {
  char line[CONSOLE_LINE_LEN];
  unsigned ticks_per_wait;
  unsigned commands_run;
};

static struct console con = {.ticks_per_wait = 3};
static volatile unsigned ticks;

/* What a user might type; the console reads it as if it came over the serial line. */
static const char *const script[] = {
    "help", "fib 20", "primes 30", "ticks", "sum 1000 2000 3000 40000", "ticks", "stats", "bye",
};

static void on_tick(void)
{
  ticks = ticks + 1;
}

static void read_line(const char *typed)
{
  size_t len = 0;
  while (typed[len] != '\0' && len < sizeof con.line) {
    con.line[len] = typed[len];
    len++;
  }
  con.line[len] = '\0';
  printf("> %s\n", con.line);
}

static int split(char *line, char *argv[])
{
  int argc = 0;
  for (char *word = strtok(line, " "); word && argc < MAX_ARGS; word = strtok(NULL, " "))
    argv[argc++] = word;
  return argc;
}

static void cmd_help(void)
{
  printf("commands: help, fib <n>, primes <n>, sum <numbers...>, ticks, stats, bye\n");
}

static void cmd_fib(int argc, char *argv[])
{
  unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 10;
  uint32_t a = 0, b = 1;
  for (unsigned i = 0; i < n; i++) {
    uint32_t next = a + b;
    a = b;
    b = next;
  }
  printf("fib(%u) = %lu\n", n, (unsigned long)a);
}

static void cmd_primes(int argc, char *argv[])
{
  unsigned limit = argc > 1 ? (unsigned)atoi(argv[1]) : 20;
  if (limit > 200)
    limit = 200;
  char composite[201] = {0};
  unsigned found = 0;
  for (unsigned i = 2; i <= limit; i++) {
    if (composite[i])
      continue;
    printf("%s%u", found++ ? " " : "", i);
    for (unsigned j = i * i; j <= limit; j += i)
      composite[j] = 1;
  }
  printf("\n%u primes up to %u\n", found, limit);
}

static void cmd_sum(int argc, char *argv[])
{
  long total = 0;
  for (int i = 1; i < argc; i++)
    total += atol(argv[i]);
  printf("sum = %ld\n", total);
}

static void cmd_ticks(void)
{
  unsigned start = ticks;
  while (ticks - start < con.ticks_per_wait)
    __asm__ volatile("wfi");
  unsigned waited = ticks - start;
  printf("waited %u timer ticks (%u ms)\n", waited, waited * 10);
}

static void cmd_stats(void)
{
  printf("%u commands run, %u timer ticks so far\n", con.commands_run, ticks);
}

/* Runs one command line; returns 0 when the session should end. */
static int run_command(void)
{
  char *argv[MAX_ARGS];
  int argc = split(con.line, argv);
  if (argc == 0)
    return 1;
  con.commands_run++;
  if (strcmp(argv[0], "help") == 0)
    cmd_help();
  else if (strcmp(argv[0], "fib") == 0)
    cmd_fib(argc, argv);
  else if (strcmp(argv[0], "primes") == 0)
    cmd_primes(argc, argv);
  else if (strcmp(argv[0], "sum") == 0)
    cmd_sum(argc, argv);
  else if (strcmp(argv[0], "ticks") == 0)
    cmd_ticks();
  else if (strcmp(argv[0], "stats") == 0)
    cmd_stats();
  else if (strcmp(argv[0], "bye") == 0)
    return 0;
  else
    printf("unknown command: %s\n", argv[0]);
  return 1;
}

int main(void)
{
  printf("rvreplay hello: a tiny console on RISC-V (QEMU virt, RV32IMAC)\n");
  printf("running a scripted session; the timer ticks every 10 ms\n");
  timer_start(TICK_PERIOD, on_tick);
  for (size_t i = 0; i < sizeof script / sizeof script[0]; i++) {
    read_line(script[i]);
    if (!run_command())
      break;
  }
  timer_stop();
  printf("bye\n");
  return 0;
}
