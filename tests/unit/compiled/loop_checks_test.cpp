// CompilerOptions::loopChecks: with it (the default) a passed deadline stops a guest at the next
// loop header; without it (`bantam run` without --timeout or --fuel) loops run unchecked and the
// next function entry stops it. Both kinds of code are cached under different keys.
#include <gtest/gtest.h>

#ifdef BANTAM_HAVE_COMPILED
#include <span>

#include "compiled_env.h"

namespace bantam::compiled {
namespace {

using runtime::TrapKind;
using runtime::Value;

// $run calls the host's "arm" (which sets a deadline that has already passed, as a timer would
// while the guest runs), then counts $n iterations in a loop whose trip count no analysis can
// bound (it depends on memory), recording each in the global $done, then calls $f.
constexpr const char* kLoopThenCall = R"((module (import "host" "arm" (func $arm)) (memory 1)
  (global $done (mut i32) (i32.const 0))
  (func $f)
  (func (export "run") (param $n i32)
    (i32.store (i32.const 0) (local.get $n))
    (call $arm)
    (loop $l
      (global.set $done (i32.add (global.get $done) (i32.const 1)))
      (br_if $l (i32.lt_u (global.get $done) (i32.load (i32.const 0)))))
    (call $f))))";

struct Guest {
  Guest(runtime::Engine& engine, bool arm) : store(engine) {
    auto m = runtime::compileModule(engine, testing::wat(kLoopThenCall), "test");
    EXPECT_TRUE(m.has_value()) << (m ? "" : m.error().toString());
    runtime::FuncInst* host = store.createHostFunc(
        wasm::FuncType{}, [arm](runtime::Caller& caller, std::span<runtime::RawVal>) -> runtime::TrapOr<void> {
          if (arm) caller.store().setEpochDeadline(0);
          return {};
        });
    linker.define("host", "arm", runtime::Extern::of(host));
    if (!m) return;
    auto i = linker.instantiate(store, *m);
    EXPECT_TRUE(i.has_value()) << (i ? "" : i.error().toString());
    if (i) inst = *i;
  }
  runtime::TrapOr<std::vector<Value>> run(uint32_t n) {
    std::vector<Value> args = {Value::i32(n)};
    return store.call(*inst->exportedFunc("run"), std::span<const Value>(args));
  }
  uint32_t done() const { return inst->globals[0]->value.i32; }
  runtime::Store store;
  runtime::Linker linker;
  runtime::ModuleInst* inst = nullptr;
};

std::unique_ptr<runtime::Engine> engineWith(const std::string& cacheDir, bool loopChecks) {
  CompilerOptions o;
  o.cacheDir = cacheDir;
  o.progress = false;
  o.threads = 1;
  o.loopChecks = loopChecks;
  return std::make_unique<runtime::Engine>(createCompiledEngine(o));
}

TEST(CompiledLoopChecks, APassedDeadlineStopsTheLoopAtItsHeader) {
  testing::TempDir cache;
  auto engine = engineWith(cache.path, true);
  Guest g(*engine, true);
  auto r = g.run(100000);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::Interrupted);
  EXPECT_EQ(g.done(), 0u);
}

TEST(CompiledLoopChecks, WithoutThemTheLoopRunsToItsEndAndTheNextEntryStopsIt) {
  testing::TempDir cache;
  auto engine = engineWith(cache.path, false);
  Guest g(*engine, true);
  auto r = g.run(100000);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, TrapKind::Interrupted);
  EXPECT_EQ(g.done(), 100000u);
}

TEST(CompiledLoopChecks, WithoutThemCodeRunsAsWithThemWhenNothingInterrupts) {
  testing::TempDir cache;
  auto engine = engineWith(cache.path, false);
  Guest g(*engine, false);
  auto r = g.run(5000);
  ASSERT_TRUE(r.has_value()) << r.error().toString();
  EXPECT_EQ(g.done(), 5000u);
}

TEST(CompiledLoopChecks, BothKindsOfCodeShareOneCacheUnderDifferentKeys) {
  testing::TempDir cache;
  for (bool checks : {true, false, true}) {  // neither reuses the other's cached code
    auto engine = engineWith(cache.path, checks);
    Guest g(*engine, true);
    ASSERT_FALSE(g.run(1000).has_value());
    EXPECT_EQ(g.done(), checks ? 0u : 1000u) << (checks ? "with loop checks" : "without");
  }
}

}  // namespace
}  // namespace bantam::compiled
#endif
