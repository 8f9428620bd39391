// The `spectest` module of the official test suite (the reference interpreter's
// host module, test/core/README: print functions, globals, a table and a memory).
#include "runtime/host_func.h"
#include "runtime/instantiate.h"

namespace bantam::runtime {

void defineSpectest(Store& store, Linker& linker) {
  auto func = [&](const char* name, auto&& f) {
    linker.define("spectest", name, Extern::of(createTypedHostFunc(store, std::string("spectest.") + name, f)));
  };
  // The reference interpreter prints the arguments; the suite never checks the output, and a
  // runner with quiet output is easier to read, so these do nothing.
  func("print", [] {});
  func("print_i32", [](int32_t) {});
  func("print_i64", [](int64_t) {});
  func("print_f32", [](float) {});
  func("print_f64", [](double) {});
  func("print_i32_f32", [](int32_t, float) {});
  func("print_f64_f64", [](double, double) {});

  auto global = [&](const char* name, Value v) {
    linker.define("spectest", name, Extern::of(store.createGlobal({v.type, false}, v.raw)));
  };
  global("global_i32", Value::i32(666));
  global("global_i64", Value::i64(666));
  global("global_f32", Value::f32(666.6f));
  global("global_f64", Value::f64(666.6));

  // These cannot fail: both are far below any store limit a test would configure.
  if (auto table = store.createTable(wasm::TableType{wasm::ValType::FuncRef, {10, 20}}))
    linker.define("spectest", "table", Extern::of(*table));
  if (auto memory = store.createMemory(wasm::MemoryType{{1, 2}}))
    linker.define("spectest", "memory", Extern::of(*memory));
}

}  // namespace bantam::runtime
