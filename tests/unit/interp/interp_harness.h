// Test harness for the interpreter: WAT text → decode → validate → interpreter → instance,
// with typed calls into exports.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "interp/interpreter.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "wasm/text/wat.h"

namespace bantam::interp::test {

using runtime::Value;

struct Harness {
  explicit Harness(runtime::StoreLimits limits = {})
      : engine(createInterpreter()), store(engine, limits) {
    runtime::defineSpectest(store, linker);
  }

  // Instantiates `wat`; registers it under `registerAs` (for imports by later modules).
  runtime::ModuleInst* load(std::string_view wat, const std::string& registerAs = {}) {
    auto bytes = wasm::text::parseWat(wat);
    if (!bytes) {
      ADD_FAILURE() << "parse: " << bytes.error().toString();
      return nullptr;
    }
    auto compiled = runtime::compileModule(engine, *bytes, registerAs.empty() ? "test" : registerAs);
    if (!compiled) {
      ADD_FAILURE() << "compile: " << compiled.error().toString();
      return nullptr;
    }
    auto inst = linker.instantiate(store, *compiled);
    if (!inst) {
      ADD_FAILURE() << "instantiate: " << inst.error().toString();
      return nullptr;
    }
    instance = *inst;
    if (!registerAs.empty()) linker.defineInstance(registerAs, *instance);
    return instance;
  }

  runtime::TrapOr<std::vector<Value>> call(std::string_view name, std::vector<Value> args = {}) {
    runtime::FuncInst* f = instance ? instance->exportedFunc(name) : nullptr;
    if (!f) return std::unexpected(runtime::Trap(runtime::TrapKind::HostError, "no export " + std::string(name)));
    return store.call(*f, std::span<const Value>(args));
  }

  // The single result of a call that must not trap, as raw 64 bits (i32 zero-extended).
  uint64_t value(std::string_view name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    if (!r) {
      ADD_FAILURE() << name << " trapped: " << r.error().toString();
      return 0;
    }
    if (r->size() != 1) {
      ADD_FAILURE() << name << " returned " << r->size() << " values";
      return 0;
    }
    const Value& v = (*r)[0];
    if (v.type == wasm::ValType::I32 || v.type == wasm::ValType::F32) return v.raw.i32;
    return v.raw.i64;
  }

  // The trap of a call that must trap.
  runtime::Trap trap(std::string_view name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    if (r) {
      ADD_FAILURE() << name << " did not trap";
      return runtime::Trap();
    }
    return r.error();
  }

  runtime::Engine engine;
  runtime::Store store;
  runtime::Linker linker;
  runtime::ModuleInst* instance = nullptr;
};

inline Value i32(int32_t v) { return Value::i32(static_cast<uint32_t>(v)); }
inline Value i64(int64_t v) { return Value::i64(static_cast<uint64_t>(v)); }
inline Value f32(float v) { return Value::f32(v); }
inline Value f64(double v) { return Value::f64(v); }

}  // namespace bantam::interp::test
