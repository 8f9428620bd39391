/* Shared definitions of the interpreter micro-benchmark kernels: freestanding C (no libc),
 * built for wasm32 (exporting `run`) and natively (where `run` is renamed per kernel). */
#ifndef BANTAM_KERNEL_H
#define BANTAM_KERNEL_H

#include <stdint.h>

#define KERNEL_EXPORT __attribute__((visibility("default")))

/* A small deterministic generator (xorshift64*), so that no kernel needs libc. */
static inline uint64_t kernel_next(uint64_t* s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545F4914F6CDD1Dull;
}

#endif
