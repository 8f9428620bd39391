// The application side of the composition test (../wit/compose.wit, world `app`): its import
// of `text` is served by another component instance.
#include "cabi.h"

IMPORT("bantam:compose/text@0.1.0", "shout") void lib_shout(const char* s, uint32_t len, uint8_t* ret);

EXPORT("run") uint8_t* run(const char* s, uint32_t len) {
  uint8_t got[8];
  lib_shout(s, len, got);  // the result string was allocated in OUR memory by our cabi_realloc
  uint32_t p, n;
  memcpy(&p, got, 4);
  memcpy(&n, got + 4, 4);
  char* out = cabi_realloc(0, 0, 1, n + 1);
  memcpy(out, (const void*)(uintptr_t)p, n);
  out[n] = '!';
  return return_pair(out, n + 1);
}
EXPORT("cabi_post_run") void run_post(uint8_t* r) { (void)r; heap_reset(); }

IMPORT("bantam:compose/text@0.1.0", "echo") void lib_echo(const char* s, uint32_t len, uint8_t* ret);

// The library's result was written into our memory by our cabi_realloc: return it as it is.
EXPORT("relay") uint8_t* relay(const char* s, uint32_t len) {
  lib_echo(s, len, ret_area);
  return ret_area;
}
EXPORT("cabi_post_relay") void relay_post(uint8_t* r) { (void)r; heap_reset(); }

EXPORT("echo") uint8_t* echo(const char* s, uint32_t len) { return return_pair(s, len); }
EXPORT("cabi_post_echo") void echo_post(uint8_t* r) { (void)r; heap_reset(); }
