// Constant operands read from tokens, with the suite's error messages.
#include "wasm/text/numbers.h"

#include <cstring>

#include "wasm/text/literals.h"

namespace bantam::wasm::text {

namespace {

bool isIntToken(const Token& t) { return t.kind == TokenKind::Nat || t.kind == TokenKind::Int; }
bool isNumToken(const Token& t) { return isIntToken(t) || t.kind == TokenKind::Float; }

Result<uint64_t> readInt(TokenStream& ts, unsigned bits) {
  const Token& t = ts.peek();
  if (!isIntToken(t)) return ts.unexpected(t, "an integer");
  uint64_t v = 0;
  if (parseInteger(ts.text(t), bits, v) != LitStatus::Ok)
    return ts.errorAt(t, "constant out of range");
  ts.next();
  return v;
}

template <class Bits>
Result<Bits> readFloat(TokenStream& ts, bool nanPatterns, NanPattern& nan) {
  const Token& t = ts.peek();
  nan = NanPattern::None;
  constexpr bool k32 = sizeof(Bits) == 4;
  if (nanPatterns && t.kind == TokenKind::Keyword) {
    std::string_view s = ts.text(t);
    if (s == "nan:canonical" || s == "nan:arithmetic") {
      ts.next();
      nan = s == "nan:canonical" ? NanPattern::Canonical : NanPattern::Arithmetic;
      return static_cast<Bits>(k32 ? 0x7fc00000u : 0x7ff8000000000000ull);
    }
  }
  if (!isNumToken(t)) return ts.unexpected(t, "a number");
  Bits bits = 0;
  LitStatus st;
  if constexpr (k32) st = parseF32(ts.text(t), bits);
  else st = parseF64(ts.text(t), bits);
  if (st != LitStatus::Ok) return ts.errorAt(t, "constant out of range");
  ts.next();
  return bits;
}

struct ShapeInfo {
  std::string_view name;
  WastValue::Shape shape;
  unsigned lanes;
};
constexpr ShapeInfo kShapes[] = {
    {"i8x16", WastValue::Shape::I8x16, 16}, {"i16x8", WastValue::Shape::I16x8, 8},
    {"i32x4", WastValue::Shape::I32x4, 4},  {"i64x2", WastValue::Shape::I64x2, 2},
    {"f32x4", WastValue::Shape::F32x4, 4},  {"f64x2", WastValue::Shape::F64x2, 2},
};

}  // namespace

Result<uint32_t> readI32(TokenStream& ts) {
  return static_cast<uint32_t>(BANTAM_TRY(readInt(ts, 32)));
}
Result<uint64_t> readI64(TokenStream& ts) { return readInt(ts, 64); }

Result<uint32_t> readF32(TokenStream& ts) {
  NanPattern nan;
  return readFloat<uint32_t>(ts, false, nan);
}
Result<uint64_t> readF64(TokenStream& ts) {
  NanPattern nan;
  return readFloat<uint64_t>(ts, false, nan);
}
Result<uint32_t> readF32Pattern(TokenStream& ts, bool nanPatterns, NanPattern& nan) {
  return readFloat<uint32_t>(ts, nanPatterns, nan);
}
Result<uint64_t> readF64Pattern(TokenStream& ts, bool nanPatterns, NanPattern& nan) {
  return readFloat<uint64_t>(ts, nanPatterns, nan);
}

Result<uint32_t> readU32(TokenStream& ts) {
  const Token& t = ts.peek();
  if (t.kind != TokenKind::Nat) return ts.unexpected(t, "a natural number");
  uint64_t v = 0;
  if (parseUnsigned(ts.text(t), 32, v) != LitStatus::Ok)
    return ts.errorAt(t, "i32 constant out of range");
  ts.next();
  return static_cast<uint32_t>(v);
}

Result<V128Literal> readV128(TokenStream& ts, bool nanPatterns) {
  V128Literal lit;
  const Token& shapeTok = ts.peek();
  const ShapeInfo* info = nullptr;
  if (shapeTok.kind == TokenKind::Keyword) {
    for (const ShapeInfo& s : kShapes)
      if (ts.text(shapeTok) == s.name) info = &s;
  }
  if (!info) return ts.unexpected(shapeTok, "a vector shape (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2)");
  ts.next();
  lit.shape = info->shape;
  const unsigned laneBytes = 16 / info->lanes;
  const bool isFloat = info->shape == WastValue::Shape::F32x4 || info->shape == WastValue::Shape::F64x2;
  auto isLane = [&](const Token& t) {
    return isNumToken(t) || (nanPatterns && isFloat && t.kind == TokenKind::Keyword &&
                             (ts.text(t) == "nan:canonical" || ts.text(t) == "nan:arithmetic"));
  };
  // The lane count is checked before the lane values (the suite expects "wrong number of lane
  // literals" for two out-of-range lanes of an i32x4).
  size_t count = 0;
  while (isLane(ts.peek(count))) ++count;
  if (count != info->lanes) {
    const Token& t = ts.peek(count < info->lanes ? count : info->lanes);
    if (t.kind == TokenKind::Reserved ||
        (t.kind == TokenKind::Keyword && !isKnownKeyword(ts.text(t))))
      return ts.unexpected(t);
    return ts.errorAt(t, "wrong number of lane literals");
  }
  for (unsigned i = 0; i < info->lanes; ++i) {
    uint64_t v = 0;
    if (isFloat) {
      NanPattern nan = NanPattern::None;
      if (laneBytes == 4) v = BANTAM_TRY(readF32Pattern(ts, nanPatterns, nan));
      else v = BANTAM_TRY(readF64Pattern(ts, nanPatterns, nan));
      lit.laneNan[i] = nan;
    } else {
      v = BANTAM_TRY(readInt(ts, laneBytes * 8));
    }
    std::memcpy(lit.bytes.data() + i * laneBytes, &v, laneBytes);  // little-endian host
  }
  return lit;
}

}  // namespace bantam::wasm::text
