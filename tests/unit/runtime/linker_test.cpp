// The linker (resolution by module and name) and the spectest host module.
#include <gtest/gtest.h>

#include "fake_engine.h"
#include "runtime/host_func.h"
#include "test_modules.h"

namespace bantam::runtime {
namespace {

using namespace test;
using wasm::ValType;

TEST(Linker, MissingDefinitionIsAnUnknownImportNamingIt) {
  FakeRuntime rt;
  Linker linker;
  auto r = linker.instantiate(rt.store, rt.compile(kStartHost));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(r.error().message, "unknown import");
  EXPECT_EQ(r.error().context, "env.h (func)");
}

TEST(Linker, DefinitionsResolveImports) {
  FakeRuntime rt;
  Linker linker;
  int calls = 0;
  linker.define("env", "h", Extern::of(createTypedHostFunc(rt.store, "env.h", [&] { ++calls; })));
  ASSERT_TRUE(linker.instantiate(rt.store, rt.compile(kStartHost)).has_value());
  EXPECT_EQ(calls, 1);
}

TEST(Linker, DefinitionOfTheWrongTypeIsIncompatible) {
  FakeRuntime rt;
  Linker linker;
  linker.define("env", "h", Extern::of(createTypedHostFunc(rt.store, "env.h", [](int32_t) {})));
  auto r = linker.instantiate(rt.store, rt.compile(kStartHost));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "incompatible import type");
}

TEST(Linker, LaterDefinitionReplacesEarlier) {
  FakeRuntime rt;
  Linker linker;
  GlobalInst* a = rt.store.createGlobal({ValType::I32, false}, {});
  GlobalInst* b = rt.store.createGlobal({ValType::I32, false}, {});
  linker.define("m", "g", Extern::of(a));
  linker.define("m", "g", Extern::of(b));
  EXPECT_EQ(linker.lookup("m", "g")->global, b);
  EXPECT_FALSE(linker.lookup("m", "h").has_value());
}

TEST(Linker, DefineInstanceRegistersEveryExport) {
  FakeRuntime rt;
  ModuleInst* inst = *instantiate(rt.store, rt.compile(kExports), {});
  Linker linker;
  linker.defineInstance("lib", *inst);
  EXPECT_EQ(linker.lookup("lib", "a")->func, inst->exportedFunc("a"));
  EXPECT_EQ(linker.lookup("lib", "m")->memory, inst->exportedMemory("m"));
  EXPECT_EQ(linker.lookup("lib", "g")->kind, wasm::ExternKind::Global);
  EXPECT_EQ(linker.lookup("lib", "t")->kind, wasm::ExternKind::Table);
}

TEST(Spectest, ProvidesTheSuitesHostModule) {
  FakeRuntime rt;
  Linker linker;
  defineSpectest(rt.store, linker);
  auto r = linker.instantiate(rt.store, rt.compile(kSpectestImports));
  ASSERT_TRUE(r.has_value()) << r.error().toString();
}

TEST(Spectest, GlobalValues) {
  FakeRuntime rt;
  Linker linker;
  defineSpectest(rt.store, linker);
  EXPECT_EQ(linker.lookup("spectest", "global_i32")->global->value.i32, 666u);
  EXPECT_EQ(linker.lookup("spectest", "global_i64")->global->value.i64, 666u);
  EXPECT_EQ(std::bit_cast<float>(linker.lookup("spectest", "global_f32")->global->value.f32), 666.6f);
  EXPECT_EQ(std::bit_cast<double>(linker.lookup("spectest", "global_f64")->global->value.f64), 666.6);
  EXPECT_FALSE(linker.lookup("spectest", "global_i32")->global->type.isMutable);
}

TEST(Spectest, TableAndMemoryLimits) {
  FakeRuntime rt;
  Linker linker;
  defineSpectest(rt.store, linker);
  TableInst* t = linker.lookup("spectest", "table")->table;
  EXPECT_EQ(t->size(), 10u);
  EXPECT_EQ(t->type.limits.max, 20u);
  EXPECT_EQ(t->type.elemType, ValType::FuncRef);
  MemoryInst* m = linker.lookup("spectest", "memory")->memory;
  EXPECT_EQ(m->pages(), 1u);
  EXPECT_EQ(m->type.limits.max, 2u);
}

TEST(Spectest, PrintFunctionsTakeTheirDocumentedParameters) {
  FakeRuntime rt;
  Linker linker;
  defineSpectest(rt.store, linker);
  EXPECT_EQ(*linker.lookup("spectest", "print_i32_f32")->func->type,
            (wasm::FuncType{{ValType::I32, ValType::F32}, {}}));
  EXPECT_EQ(*linker.lookup("spectest", "print")->func->type, wasm::FuncType{});
}

}  // namespace
}  // namespace bantam::runtime
