// Hostile guests: every function called many times with random pointers, lengths, flags and
// descriptors (biased towards the interesting edges) must answer with an errno or a defined
// trap, never crash, hang or allocate without bound. Run it under BANTAM_SANITIZE.
#include <gtest/gtest.h>

#include <random>

#include "runtime/instantiate.h"
#include "wasi/wasi_linker.h"
#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

class NoEngine final : public runtime::ExecutionEngine {
 public:
  std::string_view name() const override { return "none"; }
  Result<std::unique_ptr<runtime::EngineCode>> compile(const wasm::Module&, std::span<const uint32_t>) override {
    return fail(ErrorKind::Unsupported, "no engine");
  }
  runtime::TrapOr<void> invoke(runtime::Store&, runtime::FuncInst&, std::span<runtime::RawVal>) override {
    return std::unexpected(runtime::Trap(runtime::TrapKind::Unreachable));
  }
};

uint64_t hostileValue(std::mt19937_64& rng, uint32_t memSize) {
  switch (rng() % 8) {
    case 0: return rng() % 8;                      // small: descriptors, flags, enums
    case 1: return rng() % 64;
    case 2: return rng() % memSize;                // a pointer inside memory
    case 3: return memSize - rng() % 64;           // just at the end
    case 4: return 0xffffffffu - rng() % 16;       // wrapping around
    case 5: return rng() % 4096;                   // a plausible length
    case 6: return rng();                          // anything (i64)
    default: return static_cast<uint32_t>(rng());
  }
}

TEST(WasiHostile, RandomArgumentsToEveryFunctionNeverCrash) {
  runtime::Engine engine(std::make_unique<NoEngine>());
  runtime::Store store(engine);
  runtime::Linker linker;
  testing::WasiEnv env(testing::EnvOptions{.stdinData = std::string(10000, 'x'), .args = {"a", "bb", "ccc"},
                                           .env = {"K=V"}});
  defineWasi(store, linker, *env.ctx);
  runtime::ModuleInst* inst = store.createInstance();
  runtime::MemoryInst* memory = *store.createMemory(wasm::MemoryType{wasm::Limits{1, std::nullopt}});
  inst->exports.emplace("memory", runtime::Extern::of(memory));
  const uint32_t memSize = static_cast<uint32_t>(memory->sizeBytes);
  // Plant some files, iovecs and NUL-free ASCII so that some calls get far.
  ASSERT_TRUE(env.memfs->writeFile("f", "file contents").has_value());
  ASSERT_TRUE(env.memfs->createDirectories("d/e").has_value());
  std::mt19937_64 rng(20240601);
  for (uint32_t i = 0; i < memSize; ++i) memory->base[i] = static_cast<uint8_t>('a' + rng() % 26);
  for (uint32_t i = 0; i < 512; ++i) {  // iovec-looking pairs at the start
    uint32_t buf = static_cast<uint32_t>(rng() % memSize), len = static_cast<uint32_t>(rng() % 256);
    std::memcpy(memory->base + 8 * i, &buf, 4);
    std::memcpy(memory->base + 8 * i + 4, &len, 4);
  }

  size_t calls = 0, traps = 0;
  for (std::string_view name : preview1FunctionNames()) {
    runtime::FuncInst* f = linker.lookup("wasi_snapshot_preview1", std::string(name))->func;
    const wasm::FuncType& type = *f->type;
    for (int round = 0; round < 3000; ++round) {
      std::vector<runtime::RawVal> cells(std::max<size_t>(type.params.size(), type.results.size()) + 1);
      for (size_t p = 0; p < type.params.size(); ++p) {
        uint64_t v = hostileValue(rng, memSize);
        if (type.params[p] == wasm::ValType::I32) {
          cells[p].i64 = 0;
          cells[p].i32 = static_cast<uint32_t>(v);
        } else {
          cells[p].i64 = v;
        }
      }
      runtime::Caller caller(store, inst);
      auto r = f->host(caller, std::span<runtime::RawVal>(cells.data(), cells.size() - 1));
      ++calls;
      if (!r) {
        // The only traps: proc_exit's, and nothing else (memory is there, nothing interrupts).
        EXPECT_EQ(r.error().kind, runtime::TrapKind::Exit) << name << ": " << r.error().message;
        ++traps;
      } else if (!type.results.empty()) {
        EXPECT_LE(cells[0].i32, static_cast<uint32_t>(Errno::Notcapable)) << name;
      }
      EXPECT_LE(env.memfs->usedBytes(), uint64_t{1} << 30);
    }
  }
  EXPECT_EQ(calls, 46u * 3000);
  EXPECT_EQ(traps, 3000u);  // every proc_exit
}

}  // namespace
}  // namespace bantam::wasi
