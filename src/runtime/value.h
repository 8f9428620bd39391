// Runtime values. RawVal is the untyped 16-byte cell used at the boundary between the runtime,
// host functions and the engines (like Wasmtime's ValRaw); Value adds the type for the
// embedding API and tools.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "wasm/types.h"

namespace bantam::runtime {

struct V128 {
  alignas(16) std::array<uint8_t, 16> bytes{};
  bool operator==(const V128&) const = default;
};

// References: a funcref is a FuncInst*, an externref an opaque non-null host pointer; the
// null reference of either type is nullptr.
union RawVal {
  uint32_t i32;
  uint64_t i64;
  uint32_t f32;  // bit pattern: NaN payloads must survive, so floats travel as bits
  uint64_t f64;
  V128 v128;
  void* ref;
  RawVal() : v128{} {}
};
static_assert(sizeof(RawVal) == 16);

struct Value {
  wasm::ValType type = wasm::ValType::I32;
  RawVal raw;

  static Value i32(uint32_t v) { Value x; x.type = wasm::ValType::I32; x.raw.i64 = 0; x.raw.i32 = v; return x; }
  static Value i64(uint64_t v) { Value x; x.type = wasm::ValType::I64; x.raw.i64 = v; return x; }
  static Value f32(float v) { Value x; x.type = wasm::ValType::F32; x.raw.i64 = 0; x.raw.f32 = std::bit_cast<uint32_t>(v); return x; }
  static Value f64(double v) { Value x; x.type = wasm::ValType::F64; x.raw.f64 = std::bit_cast<uint64_t>(v); return x; }
  static Value f32Bits(uint32_t b) { Value x; x.type = wasm::ValType::F32; x.raw.i64 = 0; x.raw.f32 = b; return x; }
  static Value f64Bits(uint64_t b) { Value x; x.type = wasm::ValType::F64; x.raw.f64 = b; return x; }
  static Value v128(V128 v) { Value x; x.type = wasm::ValType::V128; x.raw.v128 = v; return x; }
  static Value ref(wasm::ValType t, void* p) { Value x; x.type = t; x.raw.ref = p; return x; }

  int32_t asI32() const { return static_cast<int32_t>(raw.i32); }
  int64_t asI64() const { return static_cast<int64_t>(raw.i64); }
  float asF32() const { return std::bit_cast<float>(raw.f32); }
  double asF64() const { return std::bit_cast<double>(raw.f64); }

  std::string toString() const;  // "i32:42", "f64:0x1.8p+1", "funcref:null", ...
};

}  // namespace bantam::runtime
