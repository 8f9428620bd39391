// Bantam's string-encoding test component (../wit/strings.wit): built with ENC_UTF8,
// ENC_UTF16 or ENC_COMPACT to match `jco embed --string-encoding`, so the host's transcoding
// to and from each Canonical ABI string encoding is exercised (CanonicalABI.md "Strings").
#include <stddef.h>
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define IFACE "bantam:strings/text@0.1.0"

void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  while (n--) *d++ = *s++;
  return dst;
}

extern unsigned char __heap_base;
static uintptr_t heap_top;

EXPORT("cabi_realloc") void* cabi_realloc(void* old, size_t old_size, size_t align, size_t new_size) {
  if (!heap_top) heap_top = (uintptr_t)&__heap_base;
  if (align == 0) align = 1;
  uintptr_t p = (heap_top + align - 1) & ~(uintptr_t)(align - 1);
  uintptr_t end = p + new_size;
  size_t have = __builtin_wasm_memory_size(0) * 65536;
  if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t)-1) __builtin_trap();
  heap_top = end;
  if (old && old_size) memcpy((void*)p, old, old_size < new_size ? old_size : new_size);
  return (void*)p;
}

static _Alignas(8) uint8_t ret_area[16];

// The bytes of a string of `len` (tagged for compact-utf16: bit 31 set means UTF-16).
static size_t string_bytes(uint32_t len) {
#if defined(ENC_UTF16)
  return (size_t)len * 2;
#elif defined(ENC_COMPACT)
  return (len & 0x80000000u) ? (size_t)(len & 0x7fffffffu) * 2 : len;
#else
  return len;
#endif
}

static uint8_t* return_string(const void* ptr, uint32_t len) {
  size_t n = string_bytes(len);
  void* copy = cabi_realloc(0, 0, 2, n);
  memcpy(copy, ptr, n);
  uint32_t p = (uint32_t)(uintptr_t)copy;
  memcpy(ret_area, &p, 4);
  memcpy(ret_area + 4, &len, 4);
  return ret_area;
}

EXPORT(IFACE "#echo") uint8_t* echo(const void* ptr, uint32_t len) { return return_string(ptr, len); }

IMPORT("bantam:strings/host@0.1.0", "upper") void host_upper(const void* ptr, uint32_t len, uint8_t* ret);

EXPORT(IFACE "#via-host") uint8_t* via_host(const void* ptr, uint32_t len) {
  host_upper(ptr, len, ret_area);
  return ret_area;
}

EXPORT(IFACE "#units") uint8_t* units(const void* ptr, uint32_t len) {
  (void)ptr;
  uint32_t n = len & 0x7fffffffu, tagged = 0;
#if defined(ENC_COMPACT)
  tagged = len >> 31;
#endif
  memcpy(ret_area, &n, 4);
  memcpy(ret_area + 4, &tagged, 4);
  return ret_area;
}
