/* recursion: call-heavy code. Doubly recursive Fibonacci plus Takeuchi's tak function, the
 * classic measures of call/return cost: almost no work per call, so the time is dominated by
 * frame set-up, argument passing and returns (and in an interpreter, by its call path).
 *
 * Usage: recursion [n]   (default 42): computes fib(n) and tak(n/2+6, n/3+2, n/6) a few times.
 * noinline keeps the compiler from flattening the recursion into a loop nest; it may still
 * turn one of fib's two calls into a loop, as it would in any real program.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) static int32_t tak(int32_t x, int32_t y, int32_t z) {
  return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z;
}

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 42;
  if (n < 1 || n > 45) {
    fprintf(stderr, "usage: recursion [n in 1..45]\n");
    return 2;
  }
  uint32_t f = fib((uint32_t)n);
  /* tak's arguments come from argv so that nothing can be folded at compile time. */
  int32_t x = (int32_t)(n / 2 + 6), y = (int32_t)(n / 3 + 2), z = (int32_t)(n / 6);
  uint32_t t = 0;
  for (int i = 0; i < 4; i++) t = t * 31u + (uint32_t)tak(x + i, y, z);
  printf("recursion n=%ld\n", n);
  printf("fib(%ld) = %u\n", n, (unsigned)f);
  printf("tak(%d..%d, %d, %d) -> %u\n", (int)x, (int)x + 3, (int)y, (int)z, (unsigned)t);
  printf("checksum %08x\n", (unsigned)(f * 2654435761u ^ t));
  return 0;
}
