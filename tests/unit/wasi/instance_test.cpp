// WASI through the whole engine: WAT modules importing wasi_snapshot_preview1, compiled and
// run by the interpreter.
#include <gtest/gtest.h>

#include <thread>

#include "interp/interpreter.h"
#include "runtime/instantiate.h"
#include "wasi/wasi_linker.h"
#include "wasm/text/wat.h"
#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

class WasiInstance : public ::testing::Test {
 protected:
  WasiInstance() : engine(interp::createInterpreter()), store(engine) {
    testing::EnvOptions o;
    o.args = {"prog.wat", "a", "b"};
    env = std::make_unique<testing::WasiEnv>(o);
    defineWasi(store, linker, *env->ctx);
  }
  Result<runtime::ModuleInst*> instantiate(std::string_view wat) {
    auto bytes = BANTAM_TRY(wasm::text::parseWat(wat));
    auto module = BANTAM_TRY(runtime::compileModule(engine, bytes, "test.wat"));
    return linker.instantiate(store, module);
  }
  runtime::TrapOr<void> run(runtime::ModuleInst* inst) {
    runtime::FuncInst* start = inst->exportedFunc("_start");
    EXPECT_NE(start, nullptr);
    std::vector<runtime::RawVal> none;
    return store.call(*start, none);
  }

  runtime::Engine engine;
  runtime::Store store;
  runtime::Linker linker;
  std::unique_ptr<testing::WasiEnv> env;
};

constexpr std::string_view kHello = R"(
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from wat\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 15))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $args_sizes_get (i32.const 100) (i32.const 104)))
    (call $proc_exit (i32.load (i32.const 100)))
    (unreachable)))
)";

TEST_F(WasiInstance, CommandWritesAndExitsWithAStatus) {
  auto inst = instantiate(kHello);
  ASSERT_TRUE(inst.has_value()) << inst.error().toString();
  auto r = run(*inst);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, runtime::TrapKind::Exit);
  EXPECT_EQ(r.error().exitCode, 3);  // argc
  EXPECT_EQ(env->out->contents(), "hello from wat\n");
}

TEST_F(WasiInstance, WrongImportTypeIsUnlinkable) {
  auto inst = instantiate(R"((module
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))))");
  ASSERT_FALSE(inst.has_value());
  EXPECT_EQ(inst.error().kind, ErrorKind::Unlinkable);
}

TEST_F(WasiInstance, ModuleWithoutMemoryTrapsOnPointerCalls) {
  auto inst = instantiate(R"((module
    (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_close" (func $c (param i32) (result i32)))
    (func (export "_start") (drop (call $c (i32.const 99))) (drop (call $w (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0))))))");
  ASSERT_TRUE(inst.has_value()) << inst.error().toString();
  auto r = run(*inst);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, runtime::TrapKind::HostError);
  EXPECT_NE(r.error().message.find("memory"), std::string::npos);
}

TEST_F(WasiInstance, SleepingGuestIsInterruptedByTheEpoch) {
  // poll_oneoff for an hour of real time; the epoch ticks after 50 ms.
  WasiConfig c;
  c.clocks = std::make_shared<HostClocks>();
  auto ctx = *WasiCtx::create(std::move(c));
  runtime::Linker l;
  defineWasi(store, l, *ctx);
  auto bytes = wasm::text::parseWat(R"((module
    (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "_start")
      (i32.store8 (i32.const 8) (i32.const 0))           ;; eventtype clock
      (i32.store (i32.const 16) (i32.const 1))           ;; monotonic
      (i64.store (i32.const 24) (i64.const 3600000000000))
      (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128))))))");
  ASSERT_TRUE(bytes.has_value());
  auto module = runtime::compileModule(engine, *bytes, "sleep.wat");
  ASSERT_TRUE(module.has_value());
  auto inst = l.instantiate(store, *module);
  ASSERT_TRUE(inst.has_value());
  store.setEpochDeadline(1);
  std::thread ticker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    engine.incrementEpoch();
  });
  auto start = std::chrono::steady_clock::now();
  auto r = run(*inst);
  ticker.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, runtime::TrapKind::Interrupted);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace bantam::wasi
