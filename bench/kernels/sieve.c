/* sieve: the sieve of Eratosthenes over a 4 MB byte array, repeated: strided byte stores, a
 * sequential scan, tight loops with compare-and-branch back-edges. */
#include "kernel.h"

enum { kSize = 4 * 1024 * 1024 };
static uint8_t composite[kSize];

KERNEL_EXPORT uint64_t run(uint32_t reps) {
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    uint32_t limit = kSize - r * 17;
    for (uint32_t i = 0; i < limit; ++i) composite[i] = 0;
    for (uint32_t i = 2; i * i < limit; ++i)
      if (!composite[i])
        for (uint32_t j = i * i; j < limit; j += i) composite[j] = 1;
    uint32_t count = 0;
    for (uint32_t i = 2; i < limit; ++i) count += !composite[i];
    sum = sum * 31 + count;
  }
  return sum;
}
