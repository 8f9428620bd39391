// Instantiation (§4.5.4): import matching, allocation, constant expressions, segment
// initialisation in order with 2.0 failure semantics, and the start function.
#include <gtest/gtest.h>

#include <cstring>

#include "fake_engine.h"
#include "runtime/host_func.h"
#include "test_modules.h"

namespace bantam::runtime {
namespace {

using namespace test;
using wasm::ValType;

TEST(Compile, MalformedBinaryIsMalformedAndNamed) {
  FakeRuntime rt;
  const uint8_t bytes[] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
  auto m = compileModule(rt.engine, bytes, "plugin.wasm");
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(m.error().source, "plugin.wasm");
  EXPECT_EQ(rt.fake->compiles, 0);
}

TEST(Compile, InvalidModuleIsInvalid) {
  FakeRuntime rt;
  auto m = compileModule(rt.engine, binary(kInvalid), "bad.wasm");
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().kind, ErrorKind::Invalid);
  EXPECT_EQ(m.error().source, "bad.wasm");
}

TEST(Compile, InternsSignaturesAndPreparesCode) {
  FakeRuntime rt;
  auto m = rt.compile(kStart, "start");
  EXPECT_EQ(rt.fake->compiles, 1);
  ASSERT_EQ(m->sigIds.size(), m->module.types.size());
  EXPECT_EQ(m->sigIds[0], rt.engine.types().intern({}));
  EXPECT_EQ(m->name, "start");
}

// Externs that satisfy kImportEverything.
struct Imports {
  explicit Imports(Store& store) {
    f = createTypedHostFunc(store, "env.f", [](int32_t x) { return x; });
    t = *store.createTable({ValType::FuncRef, {2, 10}});
    m = *store.createMemory({{1, 4}});
    g = store.createGlobal({ValType::I32, false}, Value::i32(1).raw);
    mg = store.createGlobal({ValType::I64, true}, Value::i64(2).raw);
  }
  std::vector<Extern> all() const {
    return {Extern::of(f), Extern::of(t), Extern::of(m), Extern::of(g), Extern::of(mg)};
  }
  FuncInst* f;
  TableInst* t;
  MemoryInst* m;
  GlobalInst* g;
  GlobalInst* mg;
};

Error instantiateError(FakeRuntime& rt, std::string_view wat, std::span<const Extern> imports) {
  auto r = instantiate(rt.store, rt.compile(wat), imports);
  EXPECT_FALSE(r.has_value());
  return r ? Error{} : r.error();
}

TEST(Instantiate, MatchingImportsLink) {
  FakeRuntime rt;
  Imports imp(rt.store);
  auto r = instantiate(rt.store, rt.compile(kImportEverything), imp.all());
  ASSERT_TRUE(r.has_value()) << r.error().toString();
  ModuleInst* inst = *r;
  EXPECT_EQ(inst->funcs[0], imp.f);
  EXPECT_EQ(inst->tables[0], imp.t);
  EXPECT_EQ(inst->memories[0], imp.m);
  EXPECT_EQ(inst->globals[1], imp.mg);
  EXPECT_EQ(inst->store, &rt.store);
}

TEST(Instantiate, WrongNumberOfImportsIsUnlinkable) {
  FakeRuntime rt;
  Imports imp(rt.store);
  auto all = imp.all();
  all.pop_back();
  EXPECT_EQ(instantiateError(rt, kImportEverything, all).kind, ErrorKind::Unlinkable);
}

TEST(Instantiate, ImportOfTheWrongKindIsIncompatible) {
  FakeRuntime rt;
  Imports imp(rt.store);
  auto all = imp.all();
  all[0] = Extern::of(imp.g);
  Error e = instantiateError(rt, kImportEverything, all);
  EXPECT_EQ(e.kind, ErrorKind::Unlinkable);
  EXPECT_EQ(e.message, "incompatible import type");
  EXPECT_NE(e.context.find("env.f (func)"), std::string::npos) << e.context;
}

TEST(Instantiate, FunctionImportsNeedTheExactSignature) {
  FakeRuntime rt;
  Imports imp(rt.store);
  auto all = imp.all();
  all[0] = Extern::of(createTypedHostFunc(rt.store, "g", [](int32_t x) -> int64_t { return x; }));
  EXPECT_EQ(instantiateError(rt, kImportEverything, all).message, "incompatible import type");
}

TEST(Instantiate, LargerTableWithinTheMaximumMatches) {
  FakeRuntime rt;
  Imports imp(rt.store);
  imp.t = *rt.store.createTable({ValType::FuncRef, {5, 8}});
  EXPECT_TRUE(instantiate(rt.store, rt.compile(kImportEverything), imp.all()).has_value());
}

TEST(Instantiate, TableWithoutMaximumDoesNotMatchAnImportWithOne) {
  FakeRuntime rt;
  Imports imp(rt.store);
  imp.t = *rt.store.createTable({ValType::FuncRef, {2, std::nullopt}});
  EXPECT_EQ(instantiateError(rt, kImportEverything, imp.all()).message, "incompatible import type");
}

TEST(Instantiate, TableElementTypeMustMatch) {
  FakeRuntime rt;
  Imports imp(rt.store);
  imp.t = *rt.store.createTable({ValType::ExternRef, {2, 10}});
  EXPECT_EQ(instantiateError(rt, kImportEverything, imp.all()).message, "incompatible import type");
}

TEST(Instantiate, MemoryLimitsUseTheCurrentSize) {
  FakeRuntime rt;
  Imports imp(rt.store);
  imp.m = *rt.store.createMemory({{0, 4}});  // too small at first...
  EXPECT_EQ(instantiateError(rt, kImportEverything, imp.all()).message, "incompatible import type");
  imp.m->grow(1);  // ...but matches once grown to the import's minimum
  EXPECT_TRUE(instantiate(rt.store, rt.compile(kImportEverything), imp.all()).has_value());
}

TEST(Instantiate, MemoryWithALargerMaximumIsIncompatible) {
  FakeRuntime rt;
  Imports imp(rt.store);
  imp.m = *rt.store.createMemory({{1, 5}});
  EXPECT_EQ(instantiateError(rt, kImportEverything, imp.all()).message, "incompatible import type");
}

TEST(Instantiate, GlobalMutabilityMustMatch) {
  FakeRuntime rt;
  Imports imp(rt.store);
  imp.mg = rt.store.createGlobal({ValType::I64, false}, {});
  EXPECT_EQ(instantiateError(rt, kImportEverything, imp.all()).message, "incompatible import type");
}

TEST(Instantiate, GlobalValueTypeMustMatch) {
  FakeRuntime rt;
  Imports imp(rt.store);
  imp.g = rt.store.createGlobal({ValType::I64, false}, {});
  EXPECT_EQ(instantiateError(rt, kImportEverything, imp.all()).message, "incompatible import type");
}

TEST(Instantiate, FunctionsGetEngineCodeAndCanonicalSignatures) {
  FakeRuntime rt;
  auto m = rt.compile(kStart);
  ModuleInst* inst = *instantiate(rt.store, m, {});
  ASSERT_EQ(inst->funcs.size(), 2u);
  EXPECT_EQ(inst->funcs[1]->code, reinterpret_cast<const void*>(2));
  EXPECT_EQ(inst->funcs[1]->funcIndex, 1u);
  EXPECT_EQ(inst->funcs[1]->instance, inst);
  EXPECT_EQ(inst->funcs[1]->sigId, m->sigIds[0]);
  EXPECT_EQ(inst->sigIds, m->sigIds.data());
}

TEST(Instantiate, GlobalsAreInitialisedFromConstantExpressions) {
  FakeRuntime rt;
  GlobalInst* base = rt.store.createGlobal({ValType::I32, false}, Value::i32(42).raw);
  Extern imports[] = {Extern::of(base)};
  ModuleInst* inst = *instantiate(rt.store, rt.compile(kGlobals), imports);
  EXPECT_EQ(inst->findExport("copy")->global->value.i32, 42u);
  EXPECT_EQ(std::bit_cast<double>(inst->findExport("f64")->global->value.f64), 1.5);
  EXPECT_EQ(inst->findExport("fref")->global->value.ref, inst->exportedFunc("f"));
  GlobalInst* mut = inst->findExport("mut")->global;
  EXPECT_EQ(static_cast<int64_t>(mut->value.i64), -7);
  EXPECT_TRUE(mut->type.isMutable);
}

TEST(Instantiate, ExportsAreFoundByNameAndKind) {
  FakeRuntime rt;
  ModuleInst* inst = *instantiate(rt.store, rt.compile(kExports), {});
  EXPECT_NE(inst->exportedFunc("a"), nullptr);
  EXPECT_NE(inst->exportedMemory("m"), nullptr);
  EXPECT_EQ(inst->exportedMemory("a"), nullptr);  // wrong kind
  EXPECT_EQ(inst->findExport("t")->kind, wasm::ExternKind::Table);
  EXPECT_EQ(inst->findExport("g")->global->value.i32, 3u);
  EXPECT_FALSE(inst->findExport("missing").has_value());
}

TEST(Instantiate, ActiveSegmentsAreAppliedThenDropped) {
  FakeRuntime rt;
  ModuleInst* inst = *instantiate(rt.store, rt.compile(kSegmentModes), {});
  TableInst* t = inst->findExport("tab")->table;
  FuncInst* f = inst->funcs[0];
  FuncInst* g = inst->funcs[1];
  EXPECT_EQ(t->elems, (std::vector<void*>{nullptr, f, g, nullptr}));
  MemoryInst* mem = inst->exportedMemory("mem");
  EXPECT_EQ(std::memcmp(mem->base + 16, "ab", 2), 0);
  ASSERT_EQ(inst->elems.size(), 3u);
  EXPECT_TRUE(inst->elems[0].refs.empty());                            // active: dropped
  EXPECT_EQ(inst->elems[1].refs, (std::vector<void*>{g, nullptr}));  // passive: kept
  EXPECT_TRUE(inst->elems[2].refs.empty());                            // declarative: dropped
  ASSERT_EQ(inst->datas.size(), 2u);
  EXPECT_TRUE(inst->datas[0].bytes.empty());
  EXPECT_EQ(std::string(inst->datas[1].bytes.begin(), inst->datas[1].bytes.end()), "passive");
}

TEST(Instantiate, ElementSegmentOutOfBoundsTrapsAndKeepsEarlierWrites) {
  // linking.wast: a partially out-of-bounds segment writes nothing, the earlier one stays.
  FakeRuntime rt;
  TableInst* tab = *rt.store.createTable({ValType::FuncRef, {10, std::nullopt}});
  Extern imports[] = {Extern::of(tab)};
  Error e = instantiateError(rt, kElemPartlyOutOfBounds, imports);
  EXPECT_EQ(e.kind, ErrorKind::Uninstantiable);
  EXPECT_EQ(e.message, "out of bounds table access");
  EXPECT_NE(tab->elems[7], nullptr);
  for (uint32_t i = 8; i < 10; ++i) EXPECT_EQ(tab->elems[i], nullptr);
}

TEST(Instantiate, DataSegmentOutOfBoundsTrapsAndKeepsEarlierWrites) {
  FakeRuntime rt;
  MemoryInst* mem = *rt.store.createMemory({{1, std::nullopt}});
  Extern imports[] = {Extern::of(mem)};
  Error e = instantiateError(rt, kDataPartlyOutOfBounds, imports);
  EXPECT_EQ(e.kind, ErrorKind::Uninstantiable);
  EXPECT_EQ(e.message, "out of bounds memory access");
  EXPECT_EQ(std::memcmp(mem->base, "hello", 5), 0);
  EXPECT_EQ(mem->base[65534], 0);
  EXPECT_EQ(mem->base[65535], 0);
}

TEST(Instantiate, ElementTrapHappensBeforeAnyDataSegment) {
  FakeRuntime rt;
  TableInst* tab = *rt.store.createTable({ValType::FuncRef, {1, std::nullopt}});
  MemoryInst* mem = *rt.store.createMemory({{1, std::nullopt}});
  Extern imports[] = {Extern::of(tab), Extern::of(mem)};
  EXPECT_EQ(instantiateError(rt, kElemTrapSkipsData, imports).message, "out of bounds table access");
  EXPECT_EQ(mem->base[0], 0);
}

TEST(Instantiate, EmptySegmentPastTheEndOfTheTableTraps) {
  FakeRuntime rt;
  EXPECT_EQ(instantiateError(rt, kEmptySegmentPastEnd, {}).message, "out of bounds table access");
}

TEST(Instantiate, StartFunctionRunsLast) {
  FakeRuntime rt;
  ASSERT_TRUE(instantiate(rt.store, rt.compile(kStart), {}).has_value());
  EXPECT_EQ(rt.fake->invoked, std::vector<uint32_t>{0});
}

TEST(Instantiate, TrapInStartFunctionIsUninstantiable) {
  FakeRuntime rt;
  rt.fake->behaviour = [](Store&, FuncInst&, std::span<RawVal>) -> TrapOr<void> {
    return std::unexpected(Trap(TrapKind::Unreachable));
  };
  Error e = instantiateError(rt, kStart, {});
  EXPECT_EQ(e.kind, ErrorKind::Uninstantiable);
  EXPECT_EQ(e.message, "unreachable");
}

TEST(Instantiate, StartFunctionMayBeAnImportedHostFunction) {
  FakeRuntime rt;
  int calls = 0;
  Extern imports[] = {Extern::of(createTypedHostFunc(rt.store, "env.h", [&] { ++calls; }))};
  ASSERT_TRUE(instantiate(rt.store, rt.compile(kStartHost), imports).has_value());
  EXPECT_EQ(calls, 1);
}

TEST(Instantiate, MemoryAboveTheStoreLimitFails) {
  StoreLimits limits;
  limits.maxMemoryBytes = wasm::kPageSize;
  FakeRuntime rt(limits);
  EXPECT_EQ(instantiateError(rt, kTwoPages, {}).kind, ErrorKind::Limit);
}

}  // namespace
}  // namespace bantam::runtime
