// Imports `bantam:lib/api@0.2.3` (../wit-versions) from a host that implements 0.2.5: the
// linker serves a compatible older import with the newer implementation.
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define API "bantam:lib/api@0.2.3"

IMPORT(API, "make") int32_t make(int32_t v);
IMPORT(API, "[method]thing.get") int32_t thing_get(int32_t self);
IMPORT(API, "[resource-drop]thing") void thing_drop(int32_t handle);

EXPORT("run") int32_t run(void) {
  int32_t thing = make(41);
  int32_t v = thing_get(thing);
  thing_drop(thing);
  return v + 1;
}
