// The objects behind the public handles (include/bantam) and the conversions between public
// and runtime types. Only src/api includes this.
#pragma once

#include <cstring>
#include <memory>
#include <unordered_map>

#include "bantam/bantam.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"

namespace bantam::detail {

struct EngineImpl {
  explicit EngineImpl(const Config& c);
  Config config;
  runtime::Engine engine;
};

struct ModuleImpl {
  std::shared_ptr<EngineImpl> engine;  // keeps the registry of the module's signature ids alive
  std::shared_ptr<const runtime::CompiledModule> compiled;
};

struct StoreImpl {
  StoreImpl(std::shared_ptr<EngineImpl> e, const StoreLimits& l);
  std::shared_ptr<EngineImpl> engine;  // declared first: the store below refers to it
  StoreLimits limits;
  runtime::Store store;
  void* data = nullptr;
  // Host functions of linkers, allocated once per store (keyed by the linker's definition).
  std::unordered_map<const void*, runtime::FuncInst*> hostFuncs;
};

// Public ValRaw and runtime RawVal are the same 16-byte cell, so spans of one are passed as
// spans of the other without copying (the build uses -fno-strict-aliasing).
static_assert(sizeof(ValRaw) == sizeof(runtime::RawVal) && alignof(ValRaw) == alignof(runtime::RawVal));
inline std::span<runtime::RawVal> toRuntime(std::span<ValRaw> cells) {
  return {reinterpret_cast<runtime::RawVal*>(cells.data()), cells.size()};
}
inline std::span<ValRaw> toPublic(std::span<runtime::RawVal> cells) {
  return {reinterpret_cast<ValRaw*>(cells.data()), cells.size()};
}
inline runtime::RawVal toRuntime(const ValRaw& v) {
  runtime::RawVal r;
  std::memcpy(&r, &v, sizeof r);
  return r;
}
inline ValRaw toPublic(const runtime::RawVal& v) {
  ValRaw r;
  std::memcpy(&r, &v, sizeof r);
  return r;
}

// Public and internal value types share the binary encoding.
inline ValType toPublic(wasm::ValType t) { return static_cast<ValType>(t); }
inline wasm::ValType toRuntime(ValType t) { return static_cast<wasm::ValType>(t); }
FuncType toPublic(const wasm::FuncType& t);
wasm::FuncType toRuntime(const FuncType& t);
Limits toPublic(const wasm::Limits& l);

Trap toPublic(const runtime::Trap& t);
runtime::Trap toRuntime(const Trap& t);

// Builds and opens the public handles.
struct Access {
  static EngineImpl& engine(const Engine& e) { return *e.impl_; }
  static std::shared_ptr<EngineImpl> engineShared(const Engine& e) { return e.impl_; }
  static void setEngine(Engine& e, std::shared_ptr<EngineImpl> impl) { e.impl_ = std::move(impl); }

  static const ModuleImpl& module(const Module& m) { return *m.impl_; }
  static Module makeModule(std::shared_ptr<const ModuleImpl> impl) {
    Module m;
    m.impl_ = std::move(impl);
    return m;
  }

  static StoreImpl& store(const Store& s) { return *s.impl_; }
  static void setStore(Store& s, std::unique_ptr<StoreImpl> impl) { s.impl_ = std::move(impl); }
  static LinkerImpl& linker(const Linker& l) { return *l.impl_; }

  static Func func(StoreImpl* s, runtime::FuncInst* f) { Func x; x.store_ = s; x.func_ = f; return x; }
  static Memory memory(StoreImpl* s, runtime::MemoryInst* m) { Memory x; x.store_ = s; x.memory_ = m; return x; }
  static Global global(StoreImpl* s, runtime::GlobalInst* g) { Global x; x.store_ = s; x.global_ = g; return x; }
  static Table table(StoreImpl* s, runtime::TableInst* t) { Table x; x.store_ = s; x.table_ = t; return x; }
  static Instance instance(StoreImpl* s, runtime::ModuleInst* i) { Instance x; x.store_ = s; x.instance_ = i; return x; }
  static Caller caller(StoreImpl* s, runtime::ModuleInst* i) { Caller x; x.store_ = s; x.instance_ = i; return x; }

  static StoreImpl* storeOf(const Func& f) { return f.store_; }
  static StoreImpl* storeOf(const Memory& m) { return m.store_; }
  static StoreImpl* storeOf(const Global& g) { return g.store_; }
  static StoreImpl* storeOf(const Table& t) { return t.store_; }
  static StoreImpl* storeOf(const Instance& i) { return i.store_; }
  static StoreImpl* storeOf(const Val& v) { return v.store_; }
  static runtime::FuncInst* inst(const Func& f) { return f.func_; }
  static runtime::MemoryInst* inst(const Memory& m) { return m.memory_; }
  static runtime::GlobalInst* inst(const Global& g) { return g.global_; }
  static runtime::TableInst* inst(const Table& t) { return t.table_; }
  static runtime::ModuleInst* inst(const Instance& i) { return i.instance_; }

  static Val val(ValType t, const ValRaw& raw, StoreImpl* s) { return Val::fromRaw(t, raw, s); }
};

// Handles to and from runtime externs.
Extern toPublic(StoreImpl* s, const runtime::Extern& e);
runtime::Extern toRuntime(const Extern& e);
StoreImpl* storeOf(const Extern& e);
ExternType externType(const wasm::Module& m, wasm::ExternKind kind, uint32_t index);

}  // namespace bantam::detail
