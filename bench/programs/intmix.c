/* intmix: a mixed integer workload in the spirit of CoreMark (written from scratch for Bantam).
 *
 * Each iteration runs four kernels on data from a 64-bit LCG and folds their results into a
 * CRC-32: (1) a linked list of 512 nodes threaded through an array, merge-sorted by key and then
 * walked (pointer chasing, unpredictable branches); (2) a 24x24 int32 matrix multiply plus a
 * column/row scan (loads, multiplies, adds); (3) a table-free state machine that recognises
 * numbers in a generated text buffer (byte loads, switch dispatch); (4) an arithmetic mix of
 * unsigned/signed division and remainder by variable divisors, rotates, popcounts and shifts.
 *
 * Usage: intmix [iterations]   (default 30000). Prints a checksum that does not depend on the
 * platform: all arithmetic is on fixed-width unsigned types, or signed types without overflow.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t lcgState = 0x853c49e6748fea9bULL;

static uint32_t next32(void) {
  /* Knuth's MMIX LCG; the high half has the better statistical quality. */
  lcgState = lcgState * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(lcgState >> 32);
}

static uint32_t crcTable[256];

static void crcInit(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crcTable[i] = c;
  }
}

static uint32_t crcWord(uint32_t crc, uint32_t w) {
  for (int i = 0; i < 4; i++) crc = crcTable[(crc ^ (w >> (8 * i))) & 0xff] ^ (crc >> 8);
  return crc;
}

/* ---- (1) linked list: merge sort by key, then a filtered walk ---- */

enum { kListNodes = 512 };

typedef struct Node {
  struct Node* next;
  uint32_t key;
  uint32_t payload;
} Node;

static Node nodes[kListNodes];

static Node* listMerge(Node* a, Node* b) {
  Node head;
  Node* tail = &head;
  while (a && b) {
    if (a->key <= b->key) {
      tail->next = a;
      a = a->next;
    } else {
      tail->next = b;
      b = b->next;
    }
    tail = tail->next;
  }
  tail->next = a ? a : b;
  return head.next;
}

/* Bottom-up merge sort of a singly linked list: no recursion, O(n log n) pointer chasing. */
static Node* listSort(Node* list) {
  Node* bins[32] = {0};
  while (list) {
    Node* one = list;
    list = list->next;
    one->next = NULL;
    int i = 0;
    for (; i < 32 && bins[i]; i++) {
      one = listMerge(bins[i], one);
      bins[i] = NULL;
    }
    if (i == 32) i = 31;
    bins[i] = one;
  }
  Node* out = NULL;
  for (int i = 0; i < 32; i++)
    if (bins[i]) out = listMerge(bins[i], out);
  return out;
}

static uint32_t listKernel(void) {
  /* Link the nodes in a shuffled order so that walking the list jumps around the array. */
  static uint16_t order[kListNodes];
  for (int i = 0; i < kListNodes; i++) order[i] = (uint16_t)i;
  for (int i = kListNodes - 1; i > 0; i--) {
    int j = (int)(next32() % (uint32_t)(i + 1));
    uint16_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (int i = 0; i < kListNodes; i++) {
    Node* n = &nodes[order[i]];
    n->key = next32() & 0xffff;
    n->payload = next32();
    n->next = i + 1 < kListNodes ? &nodes[order[i + 1]] : NULL;
  }
  Node* sorted = listSort(&nodes[order[0]]);
  uint32_t acc = 0, prev = 0, count = 0;
  for (Node* n = sorted; n; n = n->next) {
    if (n->key < prev) return 0xdeadbeef; /* not sorted: the checksum shows it */
    prev = n->key;
    if (n->payload & 1) acc += n->key ^ n->payload;
    else acc ^= (n->payload >> 3) + count;
    count++;
  }
  return acc ^ count;
}

/* ---- (2) matrix: C = A * B, then row maxima and column sums ---- */

enum { kMat = 24 };

static int32_t matA[kMat][kMat], matB[kMat][kMat], matC[kMat][kMat];

static uint32_t matrixKernel(void) {
  for (int i = 0; i < kMat; i++)
    for (int j = 0; j < kMat; j++) {
      matA[i][j] = (int32_t)(next32() % 2001) - 1000;
      matB[i][j] = (int32_t)(next32() % 2001) - 1000;
    }
  /* |a*b| <= 1e6 and 24 terms: sums stay far below 2^31, so signed arithmetic cannot overflow. */
  for (int i = 0; i < kMat; i++)
    for (int j = 0; j < kMat; j++) {
      int32_t s = 0;
      for (int k = 0; k < kMat; k++) s += matA[i][k] * matB[k][j];
      matC[i][j] = s;
    }
  uint32_t acc = 0;
  for (int i = 0; i < kMat; i++) {
    int32_t best = matC[i][0];
    for (int j = 1; j < kMat; j++)
      if (matC[i][j] > best) best = matC[i][j];
    acc = acc * 31u + (uint32_t)best;
  }
  for (int j = 0; j < kMat; j++) {
    int32_t sum = 0;
    for (int i = 0; i < kMat; i++) sum += matC[i][j] >> 4;
    acc ^= (uint32_t)sum << (j & 15);
  }
  return acc;
}

/* ---- (3) state machine: recognise decimal numbers like -12.5e+3 in generated text ---- */

enum { kTextBytes = 1536 };

typedef enum { sStart, sSign, sInt, sDot, sFrac, sExp, sExpSign, sExpInt, sInvalid, sCount } State;

static char text[kTextBytes];

static uint32_t stateKernel(void) {
  static const char alphabet[] = "0123456789012345678901234567890123456789+-..eE,, , x";
  for (int i = 0; i < kTextBytes; i++) text[i] = alphabet[next32() % (sizeof alphabet - 1)];
  uint32_t transitions[sCount] = {0};
  uint32_t finals[sCount] = {0};
  State s = sStart;
  for (int i = 0; i < kTextBytes; i++) {
    char c = text[i];
    if (c == ',' || c == ' ') {
      finals[s]++;
      s = sStart;
      continue;
    }
    State before = s;
    int digit = c >= '0' && c <= '9';
    switch (s) {
      case sStart: s = digit ? sInt : (c == '+' || c == '-') ? sSign : c == '.' ? sDot : sInvalid; break;
      case sSign: s = digit ? sInt : c == '.' ? sDot : sInvalid; break;
      case sInt: s = digit ? sInt : c == '.' ? sFrac : (c == 'e' || c == 'E') ? sExp : sInvalid; break;
      case sDot: s = digit ? sFrac : sInvalid; break;
      case sFrac: s = digit ? sFrac : (c == 'e' || c == 'E') ? sExp : sInvalid; break;
      case sExp: s = digit ? sExpInt : (c == '+' || c == '-') ? sExpSign : sInvalid; break;
      case sExpSign: s = digit ? sExpInt : sInvalid; break;
      case sExpInt: s = digit ? sExpInt : sInvalid; break;
      default: break;
    }
    if (s != before) transitions[s]++;
  }
  finals[s]++;
  uint32_t acc = 0;
  for (int i = 0; i < sCount; i++) acc = acc * 0x01000193u ^ (transitions[i] + (finals[i] << 16));
  return acc;
}

/* ---- (4) arithmetic: division, remainder, rotates, popcount, signed shifts ---- */

static uint32_t rotl32(uint32_t x, unsigned r) { return (x << (r & 31)) | (x >> ((32 - r) & 31)); }

static uint32_t popcount32(uint32_t x) {
  uint32_t n = 0;
  while (x) {
    x &= x - 1; /* Kernighan: the loop count depends on the data, so does the branch */
    n++;
  }
  return n;
}

static uint32_t arithKernel(void) {
  uint32_t acc = 0x9e3779b9u;
  for (int i = 0; i < 512; i++) {
    uint32_t a = next32(), b = next32() | 1u;
    uint64_t wide = ((uint64_t)a << 32) | next32();
    int32_t sa = (int32_t)(a >> 1) - 0x20000000, sb = (int32_t)(b % 977u) - 488;
    if (sb == 0) sb = 7;
    acc += a / b + a % (b >> (i & 15) | 1u);
    acc ^= (uint32_t)(wide / (b | 0x10000u));
    acc += (uint32_t)(sa / sb) ^ (uint32_t)(sa % sb);
    acc = rotl32(acc, a & 31) + popcount32(a ^ acc);
    acc ^= (uint32_t)(sa >> (b & 15));
    if ((acc & 3) == 0) acc = acc * 2654435761u;
    else if ((acc & 3) == 1) acc -= a >> 7;
    else acc ^= b << 5;
  }
  return acc;
}

int main(int argc, char** argv) {
  long iterations = argc > 1 ? strtol(argv[1], NULL, 10) : 30000;
  if (iterations <= 0) {
    fprintf(stderr, "usage: intmix [iterations > 0]\n");
    return 2;
  }
  crcInit();
  uint32_t crc = 0xffffffffu;
  uint32_t parts[4] = {0};
  for (long it = 0; it < iterations; it++) {
    uint32_t l = listKernel(), m = matrixKernel(), s = stateKernel(), a = arithKernel();
    parts[0] ^= l;
    parts[1] ^= m;
    parts[2] ^= s;
    parts[3] ^= a;
    crc = crcWord(crcWord(crcWord(crcWord(crc, l), m), s), a);
  }
  printf("intmix iterations=%ld\n", iterations);
  printf("parts %08x %08x %08x %08x\n", (unsigned)parts[0], (unsigned)parts[1], (unsigned)parts[2],
         (unsigned)parts[3]);
  printf("checksum %08x\n", (unsigned)(crc ^ 0xffffffffu));
  return 0;
}
