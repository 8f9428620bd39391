// Bantam's C test component: the `guest` world of ../wit/test.wit with hand-written
// Canonical ABI glue (no bindings generator, no libc). Built freestanding to a core module,
// then `jco embed` + `jco new` make it a component (tests/guests/component/CMakeLists.txt).
//
// Export and import names follow wit-component's core naming: `<interface>#<function>` for
// exports, `cabi_post_<export>` for post-return, `[export]<interface>` for the resource
// built-ins of exported resources, `<interface>#[dtor]<resource>` for destructors.
#include <stddef.h>
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define IFACE "bantam:test/values@0.1.0"
#define HOST "bantam:test/host@0.1.0"

// ---- the C runtime this module needs ----

void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void* memset(void* dst, int c, size_t n) {
  unsigned char* d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

// A bump allocator: the component model only needs cabi_realloc to hand out fresh memory.
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

static void* alloc(size_t align, size_t size) { return cabi_realloc(0, 0, align, size); }

// Results that do not fit one core value are returned through this area (a pointer to it).
static _Alignas(8) uint8_t ret_area[64];

static uint32_t post_returns;
#define POST_RETURN(fn, cname) \
  EXPORT("cabi_post_" IFACE "#" fn) void cname(int32_t ret) { (void)ret; post_returns++; }

// ---- host imports ----

IMPORT(HOST, "log") void host_log(const char* ptr, size_t len);
IMPORT(HOST, "get-greeting") void host_get_greeting(const char* ptr, size_t len, uint8_t* ret);
IMPORT(HOST, "add-all") int64_t host_add_all(const uint32_t* ptr, size_t len);
IMPORT(HOST, "make-blob") int32_t host_make_blob(const char* ptr, size_t len);
IMPORT(HOST, "[constructor]blob") int32_t host_blob_new(const uint8_t* ptr, size_t len);
IMPORT(HOST, "[method]blob.size") int32_t host_blob_size(int32_t self);
IMPORT(HOST, "[method]blob.read") void host_blob_read(int32_t self, uint8_t* ret);
IMPORT(HOST, "[resource-drop]blob") void host_blob_drop(int32_t handle);
IMPORT(HOST, "consume-blob") void host_consume_blob(int32_t handle);

// ---- echo functions: every value type ----

EXPORT(IFACE "#echo-bool") int32_t echo_bool(int32_t v) { return v; }
EXPORT(IFACE "#echo-s8") int32_t echo_s8(int32_t v) { return (int8_t)v; }
EXPORT(IFACE "#echo-u8") int32_t echo_u8(int32_t v) { return (uint8_t)v; }
EXPORT(IFACE "#echo-s16") int32_t echo_s16(int32_t v) { return (int16_t)v; }
EXPORT(IFACE "#echo-u16") int32_t echo_u16(int32_t v) { return (uint16_t)v; }
EXPORT(IFACE "#echo-s32") int32_t echo_s32(int32_t v) { return v; }
EXPORT(IFACE "#echo-u32") int32_t echo_u32(int32_t v) { return v; }
EXPORT(IFACE "#echo-s64") int64_t echo_s64(int64_t v) { return v; }
EXPORT(IFACE "#echo-u64") int64_t echo_u64(int64_t v) { return v; }
EXPORT(IFACE "#echo-f32") float echo_f32(float v) { return v; }
EXPORT(IFACE "#echo-f64") double echo_f64(double v) { return v; }
EXPORT(IFACE "#echo-char") int32_t echo_char(int32_t v) { return v; }

static uint8_t* return_list(const void* ptr, size_t len, size_t elem_size, size_t align) {
  void* copy = alloc(align, len * elem_size);
  memcpy(copy, ptr, len * elem_size);
  uint32_t* out = (uint32_t*)ret_area;
  out[0] = (uint32_t)(uintptr_t)copy;
  out[1] = (uint32_t)len;
  return ret_area;
}

EXPORT(IFACE "#echo-string") uint8_t* echo_string(const char* ptr, size_t len) { return return_list(ptr, len, 1, 1); }
POST_RETURN("echo-string", post_echo_string)
EXPORT(IFACE "#echo-bytes") uint8_t* echo_bytes(const uint8_t* ptr, size_t len) { return return_list(ptr, len, 1, 1); }
POST_RETURN("echo-bytes", post_echo_bytes)
// list<string>: (ptr, len) pairs; the strings themselves are shared with the argument.
EXPORT(IFACE "#echo-strings") uint8_t* echo_strings(const uint32_t* ptr, size_t len) { return return_list(ptr, len, 8, 4); }
POST_RETURN("echo-strings", post_echo_strings)

EXPORT(IFACE "#echo-point") uint8_t* echo_point(int32_t x, int32_t y) {
  int32_t* out = (int32_t*)ret_area;
  out[0] = x;
  out[1] = y;
  return ret_area;
}

// variant shape { circle(f64), rect(point), empty }: flat (i32 case, i64 payload, i32);
// in memory: u8 case at 0, payload at 8 (circle: f64; rect: x at 8, y at 12).
EXPORT(IFACE "#echo-shape") uint8_t* echo_shape(int32_t which, int64_t a, int32_t b) {
  memset(ret_area, 0, 16);
  ret_area[0] = (uint8_t)which;
  if (which == 0) {
    memcpy(ret_area + 8, &a, 8);  // the f64's bits
  } else if (which == 1) {
    int32_t x = (int32_t)a;
    memcpy(ret_area + 8, &x, 4);
    memcpy(ret_area + 12, &b, 4);
  }
  return ret_area;
}

EXPORT(IFACE "#echo-color") int32_t echo_color(int32_t v) { return v; }
EXPORT(IFACE "#echo-perms") int32_t echo_perms(int32_t v) { return v; }

// option<u32>: u8 case at 0, u32 at 4.
EXPORT(IFACE "#echo-option") uint8_t* echo_option(int32_t is_some, int32_t v) {
  ret_area[0] = (uint8_t)is_some;
  memcpy(ret_area + 4, &v, 4);
  return ret_area;
}

// result<string, u32>: flat (i32 case, i32, i32); memory: u8 case at 0, payload at 4.
EXPORT(IFACE "#echo-result") uint8_t* echo_result(int32_t is_err, int32_t a, int32_t b) {
  ret_area[0] = (uint8_t)is_err;
  if (is_err) {
    memcpy(ret_area + 4, &a, 4);
    return ret_area;
  }
  char* copy = alloc(1, (size_t)b);
  memcpy(copy, (const void*)(uintptr_t)a, (size_t)b);
  uint32_t p = (uint32_t)(uintptr_t)copy;
  memcpy(ret_area + 4, &p, 4);
  memcpy(ret_area + 8, &b, 4);
  return ret_area;
}
POST_RETURN("echo-result", post_echo_result)

// tuple<u8, string, f64>: u8 at 0, string at 4, f64 at 16.
EXPORT(IFACE "#echo-tuple") uint8_t* echo_tuple(int32_t a, const char* ptr, size_t len, double c) {
  ret_area[0] = (uint8_t)a;
  char* copy = alloc(1, len);
  memcpy(copy, ptr, len);
  uint32_t p = (uint32_t)(uintptr_t)copy, l = (uint32_t)len;
  memcpy(ret_area + 4, &p, 4);
  memcpy(ret_area + 8, &l, 4);
  memcpy(ret_area + 16, &c, 8);
  return ret_area;
}
POST_RETURN("echo-tuple", post_echo_tuple)

// 17 flat parameters are more than MAX_FLAT_PARAMS: they arrive as a tuple in memory.
EXPORT(IFACE "#sum-seventeen") int64_t sum_seventeen(const uint32_t* args) {
  int64_t sum = 0;
  for (int i = 0; i < 17; ++i) sum += args[i];
  return sum;
}

EXPORT(IFACE "#post-return-count") int32_t post_return_count(void) { return (int32_t)post_returns; }

// ---- calls into the host ----

EXPORT(IFACE "#greet") uint8_t* greet(const char* ptr, size_t len) {
  static const char msg[] = "greet called";
  host_log(msg, sizeof msg - 1);
  host_get_greeting(ptr, len, ret_area);  // the host writes (ptr, len) of a new string here
  return ret_area;
}

EXPORT(IFACE "#sum") int64_t sum(const uint32_t* ptr, size_t len) { return host_add_all(ptr, len); }

EXPORT(IFACE "#blob-roundtrip") uint8_t* blob_roundtrip(const char* ptr, size_t len) {
  int32_t blob = host_make_blob(ptr, len);
  host_blob_read(blob, ret_area);  // an own handle may be lent as a borrow
  host_blob_drop(blob);
  return ret_area;
}

// A borrowed handle of an imported resource is a handle in our table that must be dropped
// before returning (CanonicalABI.md lower_borrow / Task.return_).
EXPORT(IFACE "#blob-size") int32_t blob_size(int32_t borrowed) {
  int32_t size = host_blob_size(borrowed);
  host_blob_drop(borrowed);
  return size;
}

EXPORT(IFACE "#take-blob") int32_t take_blob(int32_t owned) {
  int32_t size = host_blob_size(owned);
  host_blob_drop(owned);
  return size;
}

EXPORT(IFACE "#leak-borrow") int32_t leak_borrow(int32_t borrowed) { return host_blob_size(borrowed); }

EXPORT(IFACE "#use-after-drop") int32_t use_after_drop(int32_t owned) {
  host_blob_drop(owned);
  return host_blob_size(owned);
}

EXPORT(IFACE "#move-then-use") int32_t move_then_use(const char* ptr, size_t len) {
  int32_t blob = host_make_blob(ptr, len);
  host_consume_blob(blob);  // ownership moves to the host: the handle is gone
  return host_blob_size(blob);
}

// ---- an exported resource ----

IMPORT("[export]" IFACE, "[resource-new]counter") int32_t counter_new(int32_t rep);

struct counter {
  uint32_t value;
};
static uint32_t counters_dropped;

EXPORT(IFACE "#[constructor]counter") int32_t counter_constructor(uint32_t start) {
  struct counter* c = alloc(4, sizeof *c);
  c->value = start;
  return counter_new((int32_t)(uintptr_t)c);
}

// Methods of our own resource receive the representation itself (lower_borrow's shortcut).
EXPORT(IFACE "#[method]counter.increment") uint32_t counter_increment(struct counter* self) { return ++self->value; }
EXPORT(IFACE "#[method]counter.get") uint32_t counter_get(struct counter* self) { return self->value; }
EXPORT(IFACE "#[dtor]counter") void counter_dtor(struct counter* self) {
  (void)self;
  counters_dropped++;
}
EXPORT(IFACE "#counters-dropped") int32_t get_counters_dropped(void) { return (int32_t)counters_dropped; }
