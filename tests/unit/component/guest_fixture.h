// Shared set-up for tests that run the C test components of tests/guests/component (built by
// the build with clang-19 + jco): reading the binaries, the `bantam:test/host` interface
// implemented by the test host, and one instance of the `guest` world.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "component/component.h"
#include "component/wit/resolve.h"
#include "interp/interpreter.h"
#include "runtime/engine.h"
#include "runtime/store.h"

namespace bantam::component::testing {

inline std::optional<std::vector<uint8_t>> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return std::vector<uint8_t>(s.begin(), s.end());
}

// A component built by tests/guests/component/CMakeLists.txt, or nullopt (the test skips:
// the build had no npm/node/clang-19).
inline std::optional<std::vector<uint8_t>> guestBytes(const std::string& name) {
  return readFile(std::string(BANTAM_BINARY_DIR) + "/tests/guests/component/" + name + ".wasm");
}

#define BANTAM_GUEST_OR_SKIP(var, name)                                                        \
  auto var##_opt = ::bantam::component::testing::guestBytes(name);                             \
  if (!var##_opt) GTEST_SKIP() << "component guest " << (name) << ".wasm was not built (needs npm, node, clang-19)"; \
  std::vector<uint8_t>& var = *var##_opt

// The declarations of tests/guests/component/wit (bantam:test).
inline const wit::Resolve& testWit() {
  static const wit::Resolve r = [] {
    auto files = wit::loadWitFiles(std::string(BANTAM_SOURCE_DIR) + "/tests/guests/component/wit");
    EXPECT_TRUE(files) << files.error().message;
    auto resolved = wit::resolveWit(std::move(*files));
    EXPECT_TRUE(resolved) << resolved.error().message;
    return std::move(*resolved);
  }();
  return r;
}

// The test host: `bantam:test/host@0.1.0` with a table of blobs and a log.
struct TestHost {
  std::vector<std::string> log;
  std::map<uint32_t, std::string> blobs;
  uint32_t nextBlob = 1;
  std::vector<uint32_t> droppedBlobs;
  std::vector<uint32_t> consumed;
  bool instanceDtor = false;                  // define blob with the instance-aware destructor
  std::vector<ComponentInstance*> droppedIn;  // instanceDtor: who dropped each blob
  const ResourceType* blob = nullptr;

  Result<void> define(ComponentLinker& linker) {
    static const InterfaceSet set = testWit().interfaceSet();
    BANTAM_TRY(linker.addInterfaces(set));
    const char* h = "bantam:test/host@0.1.0";
    if (instanceDtor) {
      blob = BANTAM_TRY(linker.defineResource(h, "blob", [this](ComponentInstance& inst, uint32_t rep) {
        droppedIn.push_back(&inst);
        droppedBlobs.push_back(rep);
        blobs.erase(rep);
      }));
    } else {
      blob = BANTAM_TRY(linker.defineResource(h, "blob", [this](uint32_t rep) {
        droppedBlobs.push_back(rep);
        blobs.erase(rep);
      }));
    }
    BANTAM_TRY(linker.defineFunc(h, "log", [this](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
      log.emplace_back(a[0].str());
      return Value();
    }));
    BANTAM_TRY(linker.defineFunc(h, "get-greeting", [](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
      return Value::string("Hello, " + std::string(a[0].str()) + "!");
    }));
    BANTAM_TRY(linker.defineFunc(h, "add-all", [](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
      uint64_t sum = 0;
      for (size_t i = 0; i < a[0].listSize(); ++i) sum += a[0].listItem(i).asU32();
      return Value::u64(sum);
    }));
    auto newBlob = [this](std::string data) {
      uint32_t rep = nextBlob++;
      blobs[rep] = std::move(data);
      return Value::own(blob, rep);
    };
    BANTAM_TRY(linker.defineFunc(h, "[constructor]blob", [newBlob](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
      auto b = a[0].bytes();
      return newBlob(std::string(b.begin(), b.end()));
    }));
    BANTAM_TRY(linker.defineFunc(h, "make-blob", [newBlob](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
      return newBlob(std::string(a[0].str()));
    }));
    BANTAM_TRY(linker.defineFunc(h, "consume-blob", [this](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
      consumed.push_back(a[0].rep());  // own<blob>: the host now owns it
      return Value();
    }));
    BANTAM_TRY(linker.defineFunc(h, "[method]blob.size", [this](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
      return Value::u32(static_cast<uint32_t>(blobs.at(a[0].rep()).size()));
    }));
    BANTAM_TRY(linker.defineFunc(h, "[method]blob.read", [this](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
      return Value::bytes(blobs.at(a[0].rep()));
    }));
    return {};
  }
};

// One instance of a component of the `guest` world, with the test host.
struct GuestInstance {
  runtime::Engine engine{interp::createInterpreter()};
  runtime::Store store{engine};
  TestHost host;
  ComponentLinker linker;
  std::shared_ptr<const CompiledComponent> compiled;
  std::unique_ptr<ComponentInstance> inst;

  Result<void> load(std::span<const uint8_t> bytes, const std::string& name = "values.wasm") {
    compiled = BANTAM_TRY(compileComponent(engine, bytes, name));
    BANTAM_TRY(host.define(linker));
    inst = BANTAM_TRY(linker.instantiate(store, compiled));
    return {};
  }
  ComponentFunc fn(std::string_view name) {
    auto f = inst->func("bantam:test/values@0.1.0", name);
    EXPECT_TRUE(f) << "no export " << name;
    return f ? *f : ComponentFunc{};
  }
  runtime::TrapOr<Value> call(std::string_view name, std::vector<Value> args) {
    return inst->call(fn(name), std::span<const Value>(args));
  }
};

}  // namespace bantam::component::testing
