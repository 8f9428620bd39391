/* hashtable: an open-addressing table (linear probing) of 2^20 16-byte slots: inserts,
 * lookups (half misses) and updates at random, mostly outside the caches. */
#include "kernel.h"

enum { kLog2 = 20, kSlots = 1 << kLog2 };
typedef struct {
  uint64_t key;  /* 0 = empty */
  uint64_t value;
} SlotT;
static SlotT table[kSlots];

static inline uint32_t hash(uint64_t k) { return (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> (64 - kLog2)); }

static void put(uint64_t k, uint64_t v) {
  for (uint32_t i = hash(k);; i = (i + 1) & (kSlots - 1)) {
    if (table[i].key == k || table[i].key == 0) {
      table[i].key = k;
      table[i].value = v;
      return;
    }
  }
}

static int get(uint64_t k, uint64_t* v) {
  for (uint32_t i = hash(k);; i = (i + 1) & (kSlots - 1)) {
    if (table[i].key == k) {
      *v = table[i].value;
      return 1;
    }
    if (table[i].key == 0) return 0;
  }
}

KERNEL_EXPORT uint64_t run(uint32_t rounds) {
  uint64_t acc = 0;
  for (uint32_t r = 0; r < rounds; ++r) {
    for (uint32_t i = 0; i < kSlots; ++i) table[i].key = 0;
    uint64_t s = 0x1234567ull + r;
    uint32_t n = kSlots / 10 * 7;
    for (uint32_t i = 0; i < n; ++i) put((kernel_next(&s) | 1) & ~(1ull << 63), i);
    uint64_t s2 = 0x1234567ull + r;
    for (uint32_t i = 0; i < n; ++i) {
      uint64_t k = (kernel_next(&s2) | 1) & ~(1ull << 63), v = 0;
      if (get(k, &v)) acc += v;
      if (get(k | (1ull << 63), &v)) acc += 1000000;  /* never present */
      if ((i & 7) == 0) put(k, v + 1);
    }
  }
  return acc;
}
