/* lz (extra, not in the headline mean): an LZ77 compressor and decompressor round trip.
 *
 * The compressor finds matches through a hash of the next 4 bytes and a chain of earlier
 * positions (as zlib and LZ4-HC do), greedy, 64 KiB window; tokens are byte-aligned: a literal
 * run or a (length, distance) pair. The input is generated pseudo-text: words from a small
 * vocabulary with a skewed distribution, numbers, and repeats of recent phrases; it compresses
 * about 2.2:1. Exercises byte loads and compares, hashing, short unpredictable loops, memcpy.
 * Usage: lz [megabytes]   (default 48): compresses and decompresses 4 MiB blocks until that
 * many MiB have gone through, verifying every round trip.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  kBlock = 4 << 20,
  kWindow = 1 << 16,
  kHashBits = 16,
  kMinMatch = 4,
  kMaxMatch = 255 + kMinMatch,
  kMaxChain = 32,
};

static uint32_t rng = 0x12345678u;
static uint32_t nextRandom(void) {
  rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
  return rng;
}

static void generateText(uint8_t* out, size_t n) {
  static const char* const kWords[] = {
      "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with",
      "be", "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which",
      "memory", "table", "function", "module", "instance", "value", "stack", "engine",
      "interpreter", "benchmark", "compile", "validate", "branch", "import", "export",
  };
  const size_t words = sizeof kWords / sizeof kWords[0];
  size_t i = 0;
  while (i < n) {
    uint32_t r = nextRandom();
    if ((r & 31) == 0 && i > 4096) { /* repeat a recent phrase, as real text does */
      size_t len = 16 + (r >> 3) % 64, from = i - 1 - (r >> 9) % 4000;
      for (size_t k = 0; k < len && i < n; k++) out[i++] = out[from + k];
      continue;
    }
    char tmp[24];
    const char* w;
    size_t len;
    if ((r & 15) == 0) { /* a number now and then: the incompressible part */
      len = (size_t)snprintf(tmp, sizeof tmp, "%u", (unsigned)(nextRandom() % 100000));
      w = tmp;
    } else {
      /* min of two draws skews towards the frequent short words at the front */
      uint32_t a = (r >> 4) % words, b = (r >> 12) % words;
      w = kWords[a < b ? a : b];
      len = strlen(w);
    }
    for (size_t k = 0; k < len && i < n; k++) out[i++] = (uint8_t)w[k];
    if (i < n) out[i++] = (r >> 24) % 11 == 0 ? (uint8_t)'\n' : (r >> 24) % 7 == 0 ? (uint8_t)',' : (uint8_t)' ';
  }
}

static uint32_t hash4(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return (v * 2654435761u) >> (32 - kHashBits);
}

static int32_t head[1 << kHashBits];
static int32_t chain[kBlock];

/* Token format: a tag byte 0x00..0x7f is followed by (tag + 1) literal bytes; tag 0x80 is a
 * match, followed by length - kMinMatch (1 byte) and distance - 1 (2 bytes, little-endian). */
static size_t compress(const uint8_t* in, size_t n, uint8_t* out) {
  for (size_t i = 0; i < (1u << kHashBits); i++) head[i] = -1;
  size_t o = 0, litStart = 0, i = 0;
#define FLUSH_LITERALS(end)                                  \
  while (litStart < (end)) {                                  \
    size_t run = (end) - litStart > 128 ? 128 : (end) - litStart; \
    out[o++] = (uint8_t)(run - 1);                            \
    memcpy(out + o, in + litStart, run);                      \
    o += run, litStart += run;                                \
  }
  while (i + kMinMatch <= n) {
    uint32_t h = hash4(in + i);
    size_t bestLen = 0, bestDist = 0;
    int32_t cand = head[h];
    size_t limit = n - i < kMaxMatch ? n - i : kMaxMatch;
    for (int steps = 0; cand >= 0 && i - (size_t)cand <= kWindow && steps < kMaxChain; steps++) {
      const uint8_t* p = in + cand;
      if (p[bestLen] == in[i + bestLen]) { /* can it beat the best? check the end first */
        size_t len = 0;
        while (len < limit && p[len] == in[i + len]) len++;
        if (len > bestLen) {
          bestLen = len, bestDist = i - (size_t)cand;
          if (len == limit) break;
        }
      }
      cand = chain[cand];
    }
    chain[i] = head[h];
    head[h] = (int32_t)i;
    if (bestLen >= kMinMatch) {
      FLUSH_LITERALS(i);
      out[o++] = 0x80;
      out[o++] = (uint8_t)(bestLen - kMinMatch);
      out[o++] = (uint8_t)((bestDist - 1) & 0xff);
      out[o++] = (uint8_t)((bestDist - 1) >> 8);
      /* Insert the skipped positions too, so later matches can refer into this one. */
      for (size_t k = 1; k < bestLen && i + k + kMinMatch <= n; k++) {
        uint32_t hk = hash4(in + i + k);
        chain[i + k] = head[hk];
        head[hk] = (int32_t)(i + k);
      }
      i += bestLen;
      litStart = i;
    } else {
      i++;
    }
  }
  FLUSH_LITERALS(n);
#undef FLUSH_LITERALS
  return o;
}

static size_t decompress(const uint8_t* in, size_t n, uint8_t* out, size_t cap) {
  size_t i = 0, o = 0;
  while (i < n) {
    uint8_t tag = in[i++];
    if (tag < 0x80) {
      size_t run = (size_t)tag + 1;
      if (i + run > n || o + run > cap) return (size_t)-1;
      memcpy(out + o, in + i, run);
      i += run, o += run;
    } else {
      if (i + 3 > n) return (size_t)-1;
      size_t len = (size_t)in[i] + kMinMatch, dist = ((size_t)in[i + 1] | (size_t)in[i + 2] << 8) + 1;
      i += 3;
      if (dist > o || o + len > cap) return (size_t)-1;
      for (size_t k = 0; k < len; k++, o++) out[o] = out[o - dist]; /* may overlap: byte by byte */
    }
  }
  return o;
}

int main(int argc, char** argv) {
  long megabytes = argc > 1 ? strtol(argv[1], NULL, 10) : 48;
  if (megabytes <= 0) {
    fprintf(stderr, "usage: lz [megabytes > 0]\n");
    return 2;
  }
  uint8_t* text = malloc(kBlock);
  uint8_t* packed = malloc(kBlock + kBlock / 64 + 16); /* literal runs cost 1/128 extra */
  uint8_t* unpacked = malloc(kBlock);
  if (!text || !packed || !unpacked) {
    fprintf(stderr, "lz: out of memory\n");
    return 1;
  }
  uint64_t totalIn = 0, totalOut = 0, hash = 0xcbf29ce484222325ULL;
  for (long done = 0; done < megabytes; done += kBlock >> 20) {
    generateText(text, kBlock);
    size_t packedSize = compress(text, kBlock, packed);
    size_t size = decompress(packed, packedSize, unpacked, kBlock);
    if (size != kBlock || memcmp(text, unpacked, kBlock) != 0) {
      fprintf(stderr, "lz: round trip failed\n");
      return 1;
    }
    totalIn += kBlock, totalOut += packedSize;
    for (size_t k = 0; k < packedSize; k += 61) hash = (hash ^ packed[k]) * 0x100000001b3ULL;
  }
  printf("lz megabytes=%ld\n", megabytes);
  printf("in %llu out %llu (%.3f)\n", (unsigned long long)totalIn, (unsigned long long)totalOut,
         (double)totalOut / (double)totalIn);
  printf("checksum %016llx\n", (unsigned long long)(hash ^ totalOut));
  free(text);
  free(packed);
  free(unpacked);
  return 0;
}
