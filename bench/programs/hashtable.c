/* hashtable: a memory-bound open-addressing hash table (linear probing, backward-shift
 * deletion, no tombstones) mapping 64-bit keys to 32-bit values.
 *
 * By default the table has 2^22 slots of 16 bytes (64 MiB), far larger than L2 and larger than
 * most L3s, so almost every probe is a cache miss: this measures loads/stores to linear memory
 * at random addresses, 64-bit multiplies in the hash and the branches of the probe loop.
 * It inserts ~2.9 million keys (70% load), looks up every key plus as many absent ones, deletes
 * half, looks up again, re-inserts the deleted half with new values, then erases everything.
 * Usage: hashtable [log2-slots]   (default 22, i.e. 4 Mi slots; each step doubles the work).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned logSlots;
static uint32_t slotMask;
#define EMPTY 0 /* key 0 marks an empty slot; keys are generated non-zero */

typedef struct {
  uint64_t key;
  uint32_t value;
  uint32_t pad; /* 16-byte slots, as a real table with a 64-bit key and payload would have */
} Slot;

typedef struct {
  Slot* slots;
  uint32_t size;
  uint64_t probes; /* total slots inspected: a determinism check on the probing itself */
} Table;

/* A strong 64-bit mixer (the finaliser of SplitMix64): keys in sequence spread evenly. */
static uint64_t mix(uint64_t k) {
  k ^= k >> 30;
  k *= 0xbf58476d1ce4e5b9ULL;
  k ^= k >> 27;
  k *= 0x94d049bb133111ebULL;
  k ^= k >> 31;
  return k;
}

static uint32_t home(uint64_t key) { return (uint32_t)(mix(key) >> (64 - logSlots)); }

/* Returns 1 if the key was new, 0 if it was present (its value is then replaced). */
static int tableInsert(Table* t, uint64_t key, uint32_t value) {
  for (uint32_t i = home(key);; i = (i + 1) & slotMask) {
    t->probes++;
    Slot* s = &t->slots[i];
    if (s->key == key) {
      s->value = value;
      return 0;
    }
    if (s->key == EMPTY) {
      s->key = key;
      s->value = value;
      t->size++;
      return 1;
    }
  }
}

static Slot* tableFind(Table* t, uint64_t key) {
  for (uint32_t i = home(key);; i = (i + 1) & slotMask) {
    t->probes++;
    Slot* s = &t->slots[i];
    if (s->key == key) return s;
    if (s->key == EMPTY) return NULL;
  }
}

/* Backward-shift deletion: pull later members of the probe run into the hole so that lookups
 * never need tombstones. An entry at j may move to hole h only if its home is not in (h, j]. */
static int tableErase(Table* t, uint64_t key) {
  uint32_t h = home(key);
  for (;; h = (h + 1) & slotMask) {
    t->probes++;
    if (t->slots[h].key == key) break;
    if (t->slots[h].key == EMPTY) return 0;
  }
  for (uint32_t j = (h + 1) & slotMask;; j = (j + 1) & slotMask) {
    t->probes++;
    Slot* s = &t->slots[j];
    if (s->key == EMPTY) break;
    uint32_t want = home(s->key);
    int between = h <= j ? (h < want && want <= j) : (h < want || want <= j);
    if (!between) {
      t->slots[h] = *s;
      h = j;
    }
  }
  t->slots[h].key = EMPTY;
  t->slots[h].value = 0;
  t->size--;
  return 1;
}

/* Keys: an odd-stride walk over 64-bit space from a per-round seed; never 0, never repeated
 * within a round. Absent keys use a different stride so they are disjoint from present ones. */
static uint64_t presentKey(uint64_t seed, uint32_t i) { return (seed + i * 0x9e3779b97f4a7c15ULL) | 1; }
static uint64_t absentKey(uint64_t seed, uint32_t i) { return (seed + i * 0xc2b2ae3d27d4eb4fULL) & ~1ULL; }

int main(int argc, char** argv) {
  long log2 = argc > 1 ? strtol(argv[1], NULL, 10) : 22;
  if (log2 < 10 || log2 > 26) {
    fprintf(stderr, "usage: hashtable [log2-slots in 10..26]\n");
    return 2;
  }
  logSlots = (unsigned)log2;
  const uint32_t slots = (uint32_t)1 << logSlots;
  slotMask = slots - 1;
  Table t = {calloc(slots, sizeof(Slot)), 0, 0};
  if (!t.slots) {
    fprintf(stderr, "hashtable: out of memory\n");
    return 1;
  }
  const uint32_t n = slots / 10 * 7; /* 70% load factor */
  uint64_t acc = 0;
  uint32_t errors = 0;
  uint64_t seed = mix(log2) << 1;
  for (uint32_t i = 0; i < n; i++)
    if (!tableInsert(&t, presentKey(seed, i), i)) errors++;
  for (uint32_t i = 0; i < n; i++) {
    Slot* s = tableFind(&t, presentKey(seed, i));
    if (!s || s->value != i) errors++;
    else acc += s->value ^ (uint32_t)(s - t.slots);
    if (tableFind(&t, absentKey(seed, i) | 2)) errors++;
  }
  for (uint32_t i = 0; i < n; i += 2)
    if (!tableErase(&t, presentKey(seed, i))) errors++;
  for (uint32_t i = 0; i < n; i++) {
    Slot* s = tableFind(&t, presentKey(seed, i));
    if ((s != NULL) != (i & 1)) errors++;
    if (s) acc = acc * 31 + (uint32_t)(s - t.slots);
  }
  for (uint32_t i = 0; i < n; i += 2)
    if (!tableInsert(&t, presentKey(seed, i), i * 3)) errors++;
  acc ^= t.size;
  /* Erase every key, in insertion order (exercises long backward shifts too). */
  for (uint32_t i = 0; i < n; i++)
    if (!tableErase(&t, presentKey(seed, i))) errors++;
  if (t.size != 0) errors++;
  printf("hashtable slots=%u keys=%u\n", (unsigned)slots, (unsigned)n);
  printf("probes %llu errors %u\n", (unsigned long long)t.probes, (unsigned)errors);
  printf("checksum %016llx\n", (unsigned long long)(acc ^ t.probes * 0x100000001b3ULL ^ errors));
  free(t.slots);
  return errors ? 1 : 0;
}
