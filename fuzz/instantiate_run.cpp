// Fuzz target: decode, validate, instantiate (imports satisfied by stubs) and call every
// exported function with zero arguments under a fuel limit, so that no input can hang.
// Traps are fine; crashes, hangs and sanitizer reports are bugs.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "interp/interpreter.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"

using namespace bantam;

namespace {

// A stub for each import: functions return zeros, tables/memories/globals get the import's
// own type (its minimum size).
std::vector<runtime::Extern> stubImports(runtime::Store& store, const wasm::Module& m, bool& ok) {
  std::vector<runtime::Extern> out;
  for (const auto& imp : m.imports) {
    switch (imp.kind) {
      case wasm::ExternKind::Func: {
        const auto& type = m.types[imp.funcType.value];
        size_t results = type.results.size();
        out.push_back(runtime::Extern::of(store.createHostFunc(
            type, [results](runtime::Caller&, std::span<runtime::RawVal> cells) -> runtime::TrapOr<void> {
              for (size_t i = 0; i < results; ++i) cells[i] = runtime::RawVal();
              return {};
            })));
        break;
      }
      case wasm::ExternKind::Table: {
        auto t = store.createTable(imp.table);
        if (!t) { ok = false; return out; }
        out.push_back(runtime::Extern::of(*t));
        break;
      }
      case wasm::ExternKind::Memory: {
        auto mem = store.createMemory(imp.memory);
        if (!mem) { ok = false; return out; }
        out.push_back(runtime::Extern::of(*mem));
        break;
      }
      case wasm::ExternKind::Global:
        out.push_back(runtime::Extern::of(store.createGlobal(imp.global, runtime::RawVal())));
        break;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static runtime::Engine engine(interp::createInterpreter());
  auto compiled = runtime::compileModule(engine, std::span<const uint8_t>(data, size));
  if (!compiled) return 0;
  runtime::StoreLimits limits;
  limits.maxMemoryBytes = 64u << 20;
  limits.maxTableElements = 100000;
  limits.maxCallDepth = 1000;
  runtime::Store store(engine, limits);
  store.setFuel(100000);
  bool ok = true;
  auto imports = stubImports(store, (*compiled)->module, ok);
  if (!ok) return 0;
  auto inst = runtime::instantiate(store, *compiled, imports);
  if (!inst) return 0;
  for (const auto& exp : (*compiled)->module.exports) {
    if (exp.kind != wasm::ExternKind::Func) continue;
    runtime::FuncInst* f = (*inst)->funcs[exp.index];
    std::vector<runtime::RawVal> cells(std::max(f->type->params.size(), f->type->results.size()));
    store.setFuel(100000);
    (void)store.call(*f, cells);
  }
  return 0;
}
