// The library side of the composition test (../wit/compose.wit, world `lib`).
#include "cabi.h"

#define IFACE "bantam:compose/text@0.1.0"

static uint32_t calls;

EXPORT(IFACE "#shout") uint8_t* shout(const char* s, uint32_t len) {
  ++calls;
  char* out = cabi_realloc(0, 0, 1, len);
  for (uint32_t i = 0; i < len; ++i) out[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
  return return_pair(out, len);
}
EXPORT("cabi_post_" IFACE "#shout") void shout_post(uint8_t* r) { (void)r; heap_reset(); }

EXPORT(IFACE "#echo") uint8_t* echo(const char* s, uint32_t len) { return return_pair(s, len); }
EXPORT("cabi_post_" IFACE "#echo") void echo_post(uint8_t* r) { (void)r; heap_reset(); }

EXPORT(IFACE "#calls") uint32_t get_calls(void) { return calls; }
