// The minimal C runtime of the freestanding component guests: memcpy and a bump allocator
// exported as cabi_realloc (the Canonical ABI only needs fresh memory from it).
#pragma once
#include <stddef.h>
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))

void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  while (n--) *d++ = *s++;
  return dst;
}

extern unsigned char __heap_base;
static uintptr_t heap_top;
static uintptr_t heap_mark;  // reset point: post-return frees a call's allocations

EXPORT("cabi_realloc") void* cabi_realloc(void* old, size_t old_size, size_t align, size_t new_size) {
  if (!heap_top) heap_top = heap_mark = (uintptr_t)&__heap_base;
  if (align == 0) align = 1;
  uintptr_t p = (heap_top + align - 1) & ~(uintptr_t)(align - 1);
  uintptr_t end = p + new_size;
  size_t have = __builtin_wasm_memory_size(0) * 65536;
  if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t)-1) __builtin_trap();
  heap_top = end;
  if (old && old_size) memcpy((void*)p, old, old_size < new_size ? old_size : new_size);
  return (void*)p;
}

// Everything allocated since the last reset is garbage once a call's post-return ran.
static void heap_reset(void) {
  if (heap_mark) heap_top = heap_mark;
}

static _Alignas(8) uint8_t ret_area[16];

static uint8_t* return_pair(const void* ptr, uint32_t len) {
  uint32_t p = (uint32_t)(uintptr_t)ptr;
  memcpy(ret_area, &p, 4);
  memcpy(ret_area + 4, &len, 4);
  return ret_area;
}
