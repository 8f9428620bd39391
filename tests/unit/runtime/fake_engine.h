// A scripted ExecutionEngine for testing the runtime without an interpreter: each wasm call
// is recorded and answered by a test-provided function.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "runtime/engine.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "wasm/text/wat.h"

namespace bantam::runtime::test {

class FakeEngine final : public ExecutionEngine {
 public:
  using Behaviour = std::function<TrapOr<void>(Store&, FuncInst&, std::span<RawVal>)>;

  std::string_view name() const override { return "fake"; }

  Result<std::unique_ptr<EngineCode>> compile(const wasm::Module& module, std::span<const uint32_t>) override {
    ++compiles;
    return std::make_unique<Code>();
  }

  TrapOr<void> invoke(Store& store, FuncInst& func, std::span<RawVal> argsResults) override {
    invoked.push_back(func.funcIndex);
    return behaviour ? behaviour(store, func, argsResults) : TrapOr<void>{};
  }

  Behaviour behaviour;
  std::vector<uint32_t> invoked;  // funcIndex of each wasm call
  int compiles = 0;

 private:
  struct Code final : EngineCode {
    // A recognisable fake pointer per function: definedIndex + 1.
    const void* functionCode(uint32_t definedIndex) const override {
      return reinterpret_cast<const void*>(uintptr_t{definedIndex} + 1);
    }
  };
};

inline std::vector<uint8_t> binary(std::string_view wat) {
  auto bytes = wasm::text::parseWat(wat);
  if (!bytes) throw std::runtime_error(bytes.error().toString());
  return std::move(*bytes);
}

// An engine over a FakeEngine and one store, the setting of most runtime tests.
struct FakeRuntime {
  explicit FakeRuntime(StoreLimits limits = {})
      : fake(new FakeEngine), engine(std::unique_ptr<ExecutionEngine>(fake)), store(engine, limits) {}

  // Assembles and compiles a test module; a broken test module fails the test loudly.
  std::shared_ptr<CompiledModule> compile(std::string_view wat, std::string name = "test") {
    auto m = compileModule(engine, binary(wat), std::move(name));
    if (!m) throw std::runtime_error(m.error().toString());
    return *m;
  }

  FakeEngine* fake;  // owned by engine
  Engine engine;
  Store store;
};

}  // namespace bantam::runtime::test
