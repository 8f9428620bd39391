/* matmul (extra, not in the headline mean): dense double-precision matrix multiply,
 * C = A * B with N x N matrices in the cache-friendly i-k-j loop order.
 *
 * Exercises f64 multiply-add chains and sequential loads/stores (natively the compiler
 * vectorises the inner loop with SSE2; wasm32 without -msimd128 stays scalar, which is part of
 * what this shows). The matrices are 600 x 600 (8.6 MB in all: in L3, not in L2).
 * Usage: matmul [reps]   (default 36): accumulates C += A * B that many times. The result is
 * deterministic: every C[i][j] is accumulated in the same order on both targets, no FMA.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma STDC FP_CONTRACT OFF

int main(int argc, char** argv) {
  const long n = 600;
  long reps = argc > 1 ? strtol(argv[1], NULL, 10) : 36;
  if (reps <= 0) {
    fprintf(stderr, "usage: matmul [reps > 0]\n");
    return 2;
  }
  size_t cells = (size_t)n * (size_t)n;
  double* a = malloc(cells * sizeof(double));
  double* b = malloc(cells * sizeof(double));
  double* c = calloc(cells, sizeof(double));
  if (!a || !b || !c) {
    fprintf(stderr, "matmul: out of memory\n");
    return 1;
  }
  uint32_t x = 2463534242u; /* xorshift32: values in [-1, 1) with 1/1024 steps, exact */
  for (size_t i = 0; i < cells; i++) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    a[i] = (double)((int32_t)(x % 2048u) - 1024) / 1024.0;
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    b[i] = (double)((int32_t)(x % 2048u) - 1024) / 1024.0;
  }
  for (long r = 0; r < reps; r++)
    for (long i = 0; i < n; i++)
      for (long k = 0; k < n; k++) {
        double aik = a[i * n + k];
        const double* bk = b + k * n;
        double* ci = c + i * n;
        for (long j = 0; j < n; j++) ci[j] += aik * bk[j];
      }
  double trace = 0;
  uint64_t bits = 0;
  for (long i = 0; i < n; i++) trace += c[i * n + i];
  for (size_t i = 0; i < cells; i++) {
    uint64_t u;
    memcpy(&u, &c[i], sizeof u);
    bits = (bits ^ u) * 0x100000001b3ULL;
    bits ^= bits >> 29; /* the low mantissa bits are zero here: fold the high bits down */
  }
  printf("matmul n=%ld reps=%ld\n", n, reps);
  printf("trace %.6f\n", trace);
  printf("checksum %016llx\n", (unsigned long long)bits);
  free(a);
  free(b);
  free(c);
  return 0;
}
