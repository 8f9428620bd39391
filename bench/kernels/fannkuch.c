/* fannkuch: fannkuch-redux, permutations of 1..n and prefix reversals on small arrays. */
#include "kernel.h"

KERNEL_EXPORT uint64_t run(uint32_t n) {
  int perm[16], perm1[16], count[16];
  int maxFlips = 0, checksum = 0, permCount = 0;
  if (n > 16) n = 16;
  for (int i = 0; i < (int)n; ++i) perm1[i] = i;
  int r = (int)n;
  for (;;) {
    while (r != 1) {
      count[r - 1] = r;
      --r;
    }
    for (int i = 0; i < (int)n; ++i) perm[i] = perm1[i];
    int flips = 0;
    for (int k = perm[0]; k != 0; k = perm[0]) {
      for (int i = 0, j = k; i < j; ++i, --j) {
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      ++flips;
    }
    if (flips > maxFlips) maxFlips = flips;
    checksum += (permCount & 1) ? -flips : flips;
    for (;;) {
      if (r == (int)n) return ((uint64_t)(uint32_t)checksum << 32) | (uint32_t)maxFlips;
      int first = perm1[0];
      for (int i = 0; i < r; ++i) perm1[i] = perm1[i + 1];
      perm1[r] = first;
      if (--count[r] > 0) break;
      ++r;
    }
    ++permCount;
  }
}
