/* sieve (extra, not in the headline mean): the sieve of Eratosthenes over a byte array.
 *
 * Exercises strided byte stores over a buffer larger than L2 and a sequential scan.
 * Usage: sieve [millions]   (default 320): sieves [0, 20 million) repeatedly until that many
 * million numbers have been sieved, counting primes and summing them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kLimit = 20000000 };

int main(int argc, char** argv) {
  long millions = argc > 1 ? strtol(argv[1], NULL, 10) : 320;
  if (millions <= 0) {
    fprintf(stderr, "usage: sieve [millions > 0]\n");
    return 2;
  }
  uint8_t* composite = malloc(kLimit);
  if (!composite) {
    fprintf(stderr, "sieve: out of memory\n");
    return 1;
  }
  uint64_t count = 0, sum = 0;
  long passes = 0;
  for (long done = 0; done < millions; done += kLimit / 1000000, passes++) {
    /* Each pass sieves a slightly different limit so that no two passes are identical. */
    uint32_t limit = kLimit - (uint32_t)(passes % 97) * 1009;
    memset(composite, 0, limit);
    for (uint32_t i = 2; (uint64_t)i * i < limit; i++)
      if (!composite[i])
        for (uint32_t j = i * i; j < limit; j += i) composite[j] = 1;
    for (uint32_t i = 2; i < limit; i++)
      if (!composite[i]) {
        count++;
        sum += i;
      }
  }
  printf("sieve millions=%ld passes=%ld\n", millions, passes);
  printf("primes %llu sum %llu\n", (unsigned long long)count, (unsigned long long)sum);
  printf("checksum %016llx\n", (unsigned long long)(sum * 0x100000001b3ULL ^ count));
  free(composite);
  return 0;
}
