/* The compute kernels both benchmark guests run: small, classic workloads that together give
   a realistic instruction mix (ALU, multiply/divide, loads/stores, branches, calls). */
#ifndef KERNELS_H
#define KERNELS_H

#include <stdint.h>

/* Builds the tables the kernels share; call once before kernels_round. */
void kernels_init(void);

/* One round of every kernel, seeded by `seed`; returns a digest of all their results. */
uint32_t kernels_round(uint32_t seed);

#endif
