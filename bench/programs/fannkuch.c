/* fannkuch: fannkuch-redux, the "pancake flipping" benchmark. For every permutation of 1..n
 * (generated in the Benchmarks Game's order, a counting scheme close to Heap's algorithm) it
 * repeatedly reverses the first k+1 elements, where k is the first element, until 1 comes
 * first; it reports the maximum number of flips and a checksum over all permutations.
 *
 * Exercises small byte arrays, short data-dependent loops and unpredictable branches.
 * This is an independent implementation of the published algorithm, single-threaded.
 * Usage: fannkuch [n]   (default 11, 3 <= n <= 12).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kMaxN = 12 };

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 11;
  if (n < 3 || n > kMaxN) {
    fprintf(stderr, "usage: fannkuch [n in 3..%d]\n", kMaxN);
    return 2;
  }
  uint8_t perm[kMaxN], flipped[kMaxN];
  int count[kMaxN];
  for (int i = 0; i < n; i++) perm[i] = (uint8_t)i;
  for (int i = 0; i < n; i++) count[i] = i + 1;

  int maxFlips = 0;
  int64_t checksum = 0;
  int64_t permIndex = 0;
  for (;;) {
    /* Count the flips of this permutation (skip it when 0 is already first: zero flips). */
    if (perm[0] != 0) {
      memcpy(flipped, perm, (size_t)n);
      int flips = 0;
      for (uint8_t first = flipped[0]; first != 0; first = flipped[0]) {
        for (int lo = 0, hi = first; lo < hi; lo++, hi--) {
          uint8_t t = flipped[lo];
          flipped[lo] = flipped[hi];
          flipped[hi] = t;
        }
        flips++;
      }
      if (flips > maxFlips) maxFlips = flips;
      checksum += (permIndex & 1) ? -flips : flips;
    }
    /* Next permutation: rotate the first r+1 elements left while count[r] runs out. */
    permIndex++;
    int r = 1;
    for (;; r++) {
      if (r == n) {
        printf("fannkuch n=%ld\n", n);
        printf("%lld\nPfannkuchen(%ld) = %d\n", (long long)checksum, n, maxFlips);
        printf("checksum %08x\n", (unsigned)((uint32_t)checksum * 2654435761u ^ (uint32_t)maxFlips));
        return 0;
      }
      uint8_t first = perm[0];
      for (int i = 0; i < r; i++) perm[i] = perm[i + 1];
      perm[r] = first;
      if (--count[r] > 0) break;
      count[r] = r + 1;
    }
  }
}
