/* sha256: SHA-256 (FIPS 180-4, written from the standard) over a large generated buffer.
 *
 * Exercises 32-bit rotates, shifts, xor/and/not and adds on a 64-entry message schedule: the
 * integer ALU at full tilt with few branches, plus a sequential read of the buffer.
 * Usage: sha256 [megabytes]   (default 320): hashes a 16 MiB pseudo-random buffer repeatedly,
 * feeding each digest back into the buffer, until that many MiB have been hashed.
 * The implementation checks itself against the FIPS 180-4 examples before it starts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint32_t h[8];
  uint8_t block[64];
  uint64_t length; /* bytes hashed so far */
  size_t used;     /* bytes waiting in block */
} Sha256;

static const uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

/* §6.2.2: one 512-bit block. */
static void compress(uint32_t h[8], const uint8_t* p) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++)
    w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 |
           (uint32_t)p[4 * t + 3];
  for (int t = 16; t < 64; t++) {
    uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int t = 0; t < 64; t++) {
    uint32_t bigS1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    uint32_t ch = (e & f) ^ (~e & g);
    uint32_t t1 = k + bigS1 + ch + kRound[t] + w[t];
    uint32_t bigS0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    uint32_t t2 = bigS0 + maj;
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

static void shaInit(Sha256* s) {
  static const uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, kInitial, sizeof kInitial);
  s->length = 0;
  s->used = 0;
}

static void shaUpdate(Sha256* s, const uint8_t* data, size_t n) {
  s->length += n;
  if (s->used) {
    size_t take = 64 - s->used < n ? 64 - s->used : n;
    memcpy(s->block + s->used, data, take);
    s->used += take, data += take, n -= take;
    if (s->used < 64) return;
    compress(s->h, s->block);
    s->used = 0;
  }
  for (; n >= 64; data += 64, n -= 64) compress(s->h, data);
  memcpy(s->block, data, n);
  s->used = n;
}

/* §5.1.1: append 1, zeros, and the length in bits as a 64-bit big-endian number. */
static void shaFinal(Sha256* s, uint8_t out[32]) {
  uint64_t bits = s->length * 8;
  uint8_t pad[72] = {0x80};
  size_t padLen = (s->used < 56 ? 56 : 120) - s->used;
  for (int i = 0; i < 8; i++) pad[padLen + i] = (uint8_t)(bits >> (56 - 8 * i));
  shaUpdate(s, pad, padLen + 8);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++) out[4 * i + j] = (uint8_t)(s->h[i] >> (24 - 8 * j));
}

static void toHex(const uint8_t d[32], char out[65]) {
  for (int i = 0; i < 32; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

static int selfTest(void) {
  static const struct {
    const char* msg;
    const char* digest;
  } kCases[] = {
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  for (size_t i = 0; i < sizeof kCases / sizeof kCases[0]; i++) {
    Sha256 s;
    uint8_t d[32];
    char hex[65];
    shaInit(&s);
    shaUpdate(&s, (const uint8_t*)kCases[i].msg, strlen(kCases[i].msg));
    shaFinal(&s, d);
    toHex(d, hex);
    if (strcmp(hex, kCases[i].digest) != 0) {
      fprintf(stderr, "sha256: self-test %zu failed: %s\n", i, hex);
      return 0;
    }
  }
  return 1;
}

enum { kBufferBytes = 16 << 20 };

int main(int argc, char** argv) {
  long megabytes = argc > 1 ? strtol(argv[1], NULL, 10) : 320;
  if (megabytes <= 0) {
    fprintf(stderr, "usage: sha256 [megabytes > 0]\n");
    return 2;
  }
  if (!selfTest()) return 1;
  uint8_t* buffer = malloc(kBufferBytes);
  if (!buffer) {
    fprintf(stderr, "sha256: out of memory\n");
    return 1;
  }
  uint64_t x = 0x243f6a8885a308d3ULL; /* xorshift64 */
  for (size_t i = 0; i < kBufferBytes; i += 8) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    memcpy(buffer + i, &x, 8); /* little-endian on both targets */
  }
  uint8_t digest[32] = {0};
  long remaining = megabytes;
  long passes = 0;
  while (remaining > 0) {
    size_t bytes = remaining >= 16 ? (size_t)kBufferBytes : (size_t)remaining << 20;
    memcpy(buffer + (size_t)(passes % 1024) * 32, digest, 32); /* chain the passes */
    Sha256 s;
    shaInit(&s);
    /* Uneven chunks exercise the partial-block path of shaUpdate too. */
    for (size_t off = 0; off < bytes;) {
      size_t chunk = 1000 + (off & 0xfff);
      if (chunk > bytes - off) chunk = bytes - off;
      shaUpdate(&s, buffer + off, chunk);
      off += chunk;
    }
    shaFinal(&s, digest);
    remaining -= (long)(bytes >> 20);
    passes++;
  }
  char hex[65];
  toHex(digest, hex);
  printf("sha256 megabytes=%ld passes=%ld\n", megabytes, passes);
  printf("digest %s\n", hex);
  printf("checksum %.8s\n", hex);
  free(buffer);
  return 0;
}
