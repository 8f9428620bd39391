// Shared set-up of the compiled engine's unit tests: a compiled engine whose disk cache lives in
// a fresh temporary directory, and modules from WAT text through Bantam's own parser.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "compiled/compiled_engine.h"
#include "runtime/engine.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "wasm/text/wat.h"

namespace bantam::compiled::testing {

// A directory removed with everything in it when the object dies.
struct TempDir {
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "bantam-compiled-test-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string path;
};

inline std::vector<uint8_t> wat(std::string_view text) {
  auto bytes = wasm::text::parseWat(text);
  EXPECT_TRUE(bytes.has_value()) << bytes.error().toString();
  return bytes ? *bytes : std::vector<uint8_t>{};
}

inline std::unique_ptr<runtime::Engine> compiledEngine(const std::string& cacheDir, bool cache = true) {
  CompilerOptions o;
  o.cacheDir = cacheDir;
  o.cache = cache;
  o.progress = false;
  o.threads = 1;
  return std::make_unique<runtime::Engine>(createCompiledEngine(o));
}

// One instance of a module in its own store.
struct Instance {
  Instance(runtime::Engine& engine, std::string_view text) : store(engine) {
    auto m = runtime::compileModule(engine, wat(text), "test");
    EXPECT_TRUE(m.has_value()) << (m ? "" : m.error().toString());
    if (!m) return;
    auto i = linker.instantiate(store, *m);
    EXPECT_TRUE(i.has_value()) << (i ? "" : i.error().toString());
    if (i) inst = *i;
  }
  runtime::FuncInst& func(std::string_view name) { return *inst->exportedFunc(name); }
  runtime::TrapOr<std::vector<runtime::Value>> call(std::string_view name, std::vector<runtime::Value> args = {}) {
    return store.call(func(name), args);
  }
  runtime::Store store;
  runtime::Linker linker;
  runtime::ModuleInst* inst = nullptr;
};

}  // namespace bantam::compiled::testing
