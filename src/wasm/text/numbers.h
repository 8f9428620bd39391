// Reading constant operands from tokens: the immediates of t.const and v128.const in modules,
// and the argument and result values of WAST scripts (which add NaN patterns).
#pragma once

#include <array>
#include <cstdint>

#include "common/error.h"
#include "wasm/text/token_stream.h"
#include "wasm/text/wast.h"

namespace bantam::wasm::text {

Result<uint32_t> readI32(TokenStream& ts);
Result<uint64_t> readI64(TokenStream& ts);
Result<uint32_t> readF32(TokenStream& ts);
Result<uint64_t> readF64(TokenStream& ts);
// A u32 in a position that takes a plain natural number (limits, indices).
Result<uint32_t> readU32(TokenStream& ts);

// The float value, or with `nanPatterns` also "nan:canonical" / "nan:arithmetic" (then `bits`
// is the canonical NaN and `nan` says which pattern).
Result<uint32_t> readF32Pattern(TokenStream& ts, bool nanPatterns, NanPattern& nan);
Result<uint64_t> readF64Pattern(TokenStream& ts, bool nanPatterns, NanPattern& nan);

struct V128Literal {
  std::array<uint8_t, 16> bytes{};
  WastValue::Shape shape = WastValue::Shape::I32x4;
  std::array<NanPattern, 4> laneNan{};
};

// "shape lane*" after v128.const: exactly as many lane literals as the shape has.
Result<V128Literal> readV128(TokenStream& ts, bool nanPatterns);

}  // namespace bantam::wasm::text
