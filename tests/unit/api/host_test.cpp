// Host functions and linking through the public API.
#include <gtest/gtest.h>

#include <stdexcept>

#include "bantam/bantam.h"

namespace {

using namespace bantam;

Module compile(const Engine& engine, std::string_view wat) {
  auto m = Module::fromText(engine, wat);
  if (!m) throw std::runtime_error(m.error().toString());
  return *m;
}

TEST(ApiHost, TypedHostFunctionIsCalledWithItsArguments) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  int64_t seen = 0;
  linker.func("env", "add", [&](Caller&, int32_t a, int64_t b) -> int64_t {
    seen = b;
    return a + b;
  });
  Module m = compile(engine, R"((module
    (import "env" "add" (func $add (param i32 i64) (result i64)))
    (func (export "run") (result i64) (call $add (i32.const 2) (i64.const 40)))))");
  auto inst = linker.instantiate(store, m);
  ASSERT_TRUE(inst.has_value()) << inst.error().toString();
  EXPECT_EQ(*inst->call<int64_t>("run"), 42);
  EXPECT_EQ(seen, 40);
}

TEST(ApiHost, HostFunctionReadsTheCallersMemory) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  std::string logged;
  linker.func("env", "log", [&](Caller& caller, int32_t ptr, int32_t len) {
    auto memory = caller.memory();
    ASSERT_TRUE(memory.has_value());
    logged = *memory->readString(static_cast<uint32_t>(ptr), static_cast<uint32_t>(len));
  });
  Module m = compile(engine, R"((module
    (import "env" "log" (func $log (param i32 i32)))
    (memory (export "memory") 1)
    (data (i32.const 8) "hello, host")
    (func (export "run") (call $log (i32.const 8) (i32.const 11)))))");
  auto inst = linker.instantiate(store, m);
  ASSERT_TRUE(inst.has_value()) << inst.error().toString();
  ASSERT_TRUE(inst->call("run").has_value());
  EXPECT_EQ(logged, "hello, host");
}

TEST(ApiHost, HostFunctionTrapsByReturningATrap) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  linker.func("env", "check", [](int32_t x) -> CallResult<int32_t> {
    if (x < 0) return std::unexpected(Trap::host("negative input"));
    return x * 2;
  });
  Module m = compile(engine, R"((module
    (import "env" "check" (func $check (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (call $check (local.get 0)))))");
  auto inst = *linker.instantiate(store, m);
  EXPECT_EQ(*inst.call<int32_t>("run", 4), 8);
  auto r = inst.call<int32_t>("run", -1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::HostError);
  EXPECT_EQ(r.error().message, "negative input");
}

TEST(ApiHost, ExceptionInAHostFunctionBecomesAHostErrorTrap) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  linker.func("env", "boom", [] { throw std::runtime_error("the host gave up"); });
  Module m = compile(engine, R"((module
    (import "env" "boom" (func $boom))
    (func (export "run") (call $boom))))");
  auto inst = *linker.instantiate(store, m);
  auto r = inst.call("run");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::HostError);
  EXPECT_EQ(r.error().message, "the host gave up");
}

TEST(ApiHost, ExitTrapCarriesTheStatus) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  linker.func("env", "exit", [](int32_t code) -> CallResult<void> { return std::unexpected(Trap::exit(code)); });
  Module m = compile(engine, R"((module
    (import "env" "exit" (func $exit (param i32)))
    (func (export "run") (call $exit (i32.const 3)) (unreachable))))");
  auto r = linker.instantiate(store, m)->call("run");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, TrapCode::Exit);
  EXPECT_EQ(r.error().exitCode, 3);
}

TEST(ApiHost, HostFunctionCanCallBackIntoWasm) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  linker.func("env", "twice", [](Caller& caller, int32_t x) -> CallResult<int32_t> {
    auto e = caller.getExport("inc");
    if (!e) return std::unexpected(Trap::host("no inc"));
    const Func& inc = std::get<Func>(*e);
    auto once = inc.call<int32_t>(x);
    if (!once) return once;
    return inc.call<int32_t>(*once);
  });
  Module m = compile(engine, R"((module
    (import "env" "twice" (func $twice (param i32) (result i32)))
    (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "run") (param i32) (result i32) (call $twice (local.get 0)))))");
  auto inst = *linker.instantiate(store, m);
  EXPECT_EQ(*inst.call<int32_t>("run", 40), 42);
}

TEST(ApiHost, StoreDataReachesHostFunctions) {
  Engine engine;
  Store store(engine);
  int counter = 0;
  store.setData(&counter);
  Linker linker(engine);
  linker.func("env", "tick", [](Caller& caller) { ++*static_cast<int*>(caller.data()); });
  Module m = compile(engine, R"((module (import "env" "tick" (func $t)) (func (export "run") (call $t) (call $t))))");
  ASSERT_TRUE(linker.instantiate(store, m)->call("run").has_value());
  EXPECT_EQ(counter, 2);
}

TEST(ApiHost, MissingImportIsUnknownImportNamingIt) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  Module m = compile(engine, R"((module (import "env" "missing" (func))))");
  auto r = linker.instantiate(store, m);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(r.error().message, "unknown import");
  EXPECT_EQ(r.error().context, "env.missing (func)");
}

TEST(ApiHost, HostFunctionOfAnotherTypeIsIncompatible) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  linker.func("env", "f", [](int64_t) {});
  Module m = compile(engine, R"((module (import "env" "f" (func (param i32)))))");
  auto r = linker.instantiate(store, m);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "incompatible import type");
}

TEST(ApiHost, InstancesLinkToEachOther) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  Module lib = compile(engine, R"((module
    (memory (export "memory") 1)
    (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))))");
  auto libInst = linker.instantiate(store, lib);
  ASSERT_TRUE(libInst.has_value());
  linker.defineInstance("lib", *libInst);
  Module app = compile(engine, R"((module
    (import "lib" "square" (func $sq (param i32) (result i32)))
    (import "lib" "memory" (memory 1))
    (func (export "run") (result i32) (i32.store (i32.const 0) (call $sq (i32.const 9))) (i32.load (i32.const 0)))))");
  auto appInst = linker.instantiate(store, app);
  ASSERT_TRUE(appInst.has_value()) << appInst.error().toString();
  EXPECT_EQ(*appInst->call<int32_t>("run"), 81);
  uint8_t b[4];
  ASSERT_TRUE(libInst->memory()->read(0, b).has_value());  // the memory is shared
  EXPECT_EQ(b[0], 81);
}

TEST(ApiHost, DefinitionsFromAnotherStoreAreRejected) {
  Engine engine;
  Store a(engine), b(engine);
  Linker linker(engine);
  Module lib = compile(engine, R"((module (memory (export "memory") 1)))");
  linker.defineInstance("lib", *linker.instantiate(a, lib));
  Module app = compile(engine, R"((module (import "lib" "memory" (memory 1))))");
  EXPECT_TRUE(linker.instantiate(a, app).has_value());
  auto r = linker.instantiate(b, app);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
}

TEST(ApiHost, HostFunctionsAreSharedAcrossStores) {
  Engine engine;
  Linker linker(engine);
  int calls = 0;
  linker.func("env", "f", [&] { ++calls; });
  Module m = compile(engine, R"((module (import "env" "f" (func $f)) (start $f)))");
  for (int i = 0; i < 3; ++i) {
    Store store(engine);
    ASSERT_TRUE(linker.instantiate(store, m).has_value());
  }
  EXPECT_EQ(calls, 3);
}

TEST(ApiHost, TrapInStartFunctionIsUninstantiable) {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  Module m = compile(engine, R"((module (func $s unreachable) (start $s)))");
  auto r = linker.instantiate(store, m);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Uninstantiable);
  EXPECT_EQ(r.error().message, "unreachable");
}

TEST(ApiHost, ModuleFromAnotherEngineIsRejected) {
  Engine e1, e2;
  Store store(e1);
  Linker linker(e1);
  Module m = compile(e2, "(module)");
  auto r = linker.instantiate(store, m);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
}

}  // namespace
