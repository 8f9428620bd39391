// WAST value conversion and matching.
#include "cli/wast_values.h"

#include <bit>
#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace bantam::cli {

using wasm::ValType;
using wasm::text::NanPattern;
using wasm::text::WastValue;

void* ExternRefs::get(uint64_t n) {
  auto it = byValue_.find(n);
  if (it != byValue_.end()) return it->second;
  storage_.push_back(n);
  byValue_[n] = &storage_.back();
  return &storage_.back();
}

bool ExternRefs::isOf(void* p, uint64_t n) const {
  auto it = byValue_.find(n);
  return it != byValue_.end() && it->second == p;
}

ValType wastValType(const WastValue& v) {
  switch (v.type) {
    case WastValue::Type::I32: return ValType::I32;
    case WastValue::Type::I64: return ValType::I64;
    case WastValue::Type::F32: return ValType::F32;
    case WastValue::Type::F64: return ValType::F64;
    case WastValue::Type::V128: return ValType::V128;
    case WastValue::Type::FuncRef: return ValType::FuncRef;
    case WastValue::Type::ExternRef: return ValType::ExternRef;
  }
  return ValType::I32;
}

runtime::RawVal toRaw(const WastValue& v, ExternRefs& externs) {
  runtime::RawVal r;
  switch (v.type) {
    case WastValue::Type::I32: r.i32 = static_cast<uint32_t>(v.bits); break;
    case WastValue::Type::I64: r.i64 = v.bits; break;
    case WastValue::Type::F32: r.f32 = static_cast<uint32_t>(v.bits); break;
    case WastValue::Type::F64: r.f64 = v.bits; break;
    case WastValue::Type::V128: std::memcpy(r.v128.bytes.data(), v.v128.data(), 16); break;
    case WastValue::Type::FuncRef: r.ref = nullptr; break;  // only ref.null func can be written
    case WastValue::Type::ExternRef: r.ref = v.isNull ? nullptr : externs.get(v.bits); break;
  }
  return r;
}

namespace {

bool f32Matches(uint32_t got, uint32_t want, NanPattern nan) {
  switch (nan) {
    case NanPattern::Canonical: return (got & 0x7fffffffu) == 0x7fc00000u;
    case NanPattern::Arithmetic: return (got & 0x7fc00000u) == 0x7fc00000u;
    case NanPattern::None: return got == want;
  }
  return false;
}

bool f64Matches(uint64_t got, uint64_t want, NanPattern nan) {
  switch (nan) {
    case NanPattern::Canonical: return (got & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
    case NanPattern::Arithmetic: return (got & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
    case NanPattern::None: return got == want;
  }
  return false;
}

std::string fmtF32(uint32_t bits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g (0x%08" PRIx32 ")", static_cast<double>(std::bit_cast<float>(bits)), bits);
  return buf;
}

std::string fmtF64(uint64_t bits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g (0x%016" PRIx64 ")", std::bit_cast<double>(bits), bits);
  return buf;
}

const char* nanName(NanPattern p) {
  return p == NanPattern::Canonical ? "nan:canonical" : "nan:arithmetic";
}

template <class T>
T lane(const uint8_t* bytes, unsigned i) {
  T v;
  std::memcpy(&v, bytes + i * sizeof(T), sizeof(T));
  return v;
}

std::string describeV128(const uint8_t* b, WastValue::Shape shape, const std::array<NanPattern, 4>* nans) {
  std::string s = "v128:";
  char buf[48];
  switch (shape) {
    case WastValue::Shape::I8x16:
      s += "i8x16";
      for (unsigned i = 0; i < 16; ++i) { std::snprintf(buf, sizeof buf, " %u", lane<uint8_t>(b, i)); s += buf; }
      break;
    case WastValue::Shape::I16x8:
      s += "i16x8";
      for (unsigned i = 0; i < 8; ++i) { std::snprintf(buf, sizeof buf, " %u", lane<uint16_t>(b, i)); s += buf; }
      break;
    case WastValue::Shape::I32x4:
      s += "i32x4";
      for (unsigned i = 0; i < 4; ++i) { std::snprintf(buf, sizeof buf, " 0x%08" PRIx32, lane<uint32_t>(b, i)); s += buf; }
      break;
    case WastValue::Shape::I64x2:
      s += "i64x2";
      for (unsigned i = 0; i < 2; ++i) { std::snprintf(buf, sizeof buf, " 0x%016" PRIx64, lane<uint64_t>(b, i)); s += buf; }
      break;
    case WastValue::Shape::F32x4:
      s += "f32x4";
      for (unsigned i = 0; i < 4; ++i) {
        s += ' ';
        s += (nans && (*nans)[i] != NanPattern::None) ? nanName((*nans)[i]) : fmtF32(lane<uint32_t>(b, i));
      }
      break;
    case WastValue::Shape::F64x2:
      s += "f64x2";
      for (unsigned i = 0; i < 2; ++i) {
        s += ' ';
        s += (nans && (*nans)[i] != NanPattern::None) ? nanName((*nans)[i]) : fmtF64(lane<uint64_t>(b, i));
      }
      break;
  }
  return s;
}

}  // namespace

bool matches(const WastValue& expected, ValType type, const runtime::RawVal& got, const ExternRefs& externs) {
  if (wastValType(expected) != type) return false;
  switch (expected.type) {
    case WastValue::Type::I32: return got.i32 == static_cast<uint32_t>(expected.bits);
    case WastValue::Type::I64: return got.i64 == expected.bits;
    case WastValue::Type::F32: return f32Matches(got.f32, static_cast<uint32_t>(expected.bits), expected.nan);
    case WastValue::Type::F64: return f64Matches(got.f64, expected.bits, expected.nan);
    case WastValue::Type::V128: {
      const uint8_t* g = got.v128.bytes.data();
      const uint8_t* w = expected.v128.data();
      if (expected.shape == WastValue::Shape::F32x4) {
        for (unsigned i = 0; i < 4; ++i)
          if (!f32Matches(lane<uint32_t>(g, i), lane<uint32_t>(w, i), expected.laneNan[i])) return false;
        return true;
      }
      if (expected.shape == WastValue::Shape::F64x2) {
        for (unsigned i = 0; i < 2; ++i)
          if (!f64Matches(lane<uint64_t>(g, i), lane<uint64_t>(w, i), expected.laneNan[i])) return false;
        return true;
      }
      return std::memcmp(g, w, 16) == 0;
    }
    case WastValue::Type::FuncRef:
      if (expected.isNull) return got.ref == nullptr;
      return got.ref != nullptr;  // (ref.func): any non-null function
    case WastValue::Type::ExternRef:
      if (expected.isNull) return got.ref == nullptr;
      if (expected.anyNonNull) return got.ref != nullptr;
      return externs.isOf(got.ref, expected.bits);
  }
  return false;
}

std::string describe(const WastValue& v) {
  char buf[64];
  switch (v.type) {
    case WastValue::Type::I32:
      std::snprintf(buf, sizeof buf, "i32:%" PRId32 " (0x%08" PRIx32 ")", static_cast<int32_t>(v.bits), static_cast<uint32_t>(v.bits));
      return buf;
    case WastValue::Type::I64:
      std::snprintf(buf, sizeof buf, "i64:%" PRId64 " (0x%016" PRIx64 ")", static_cast<int64_t>(v.bits), v.bits);
      return buf;
    case WastValue::Type::F32:
      return v.nan != NanPattern::None ? std::string("f32:") + nanName(v.nan) : "f32:" + fmtF32(static_cast<uint32_t>(v.bits));
    case WastValue::Type::F64:
      return v.nan != NanPattern::None ? std::string("f64:") + nanName(v.nan) : "f64:" + fmtF64(v.bits);
    case WastValue::Type::V128:
      return describeV128(v.v128.data(), v.shape, &v.laneNan);
    case WastValue::Type::FuncRef:
      return v.isNull ? "funcref:null" : "funcref:non-null";
    case WastValue::Type::ExternRef:
      if (v.isNull) return "externref:null";
      if (v.anyNonNull) return "externref:non-null";
      return "externref:" + std::to_string(v.bits);
  }
  return "?";
}

std::string describe(ValType type, const runtime::RawVal& v, const WastValue* like) {
  WastValue w;
  switch (type) {
    case ValType::I32: w.type = WastValue::Type::I32; w.bits = v.i32; return describe(w);
    case ValType::I64: w.type = WastValue::Type::I64; w.bits = v.i64; return describe(w);
    case ValType::F32: w.type = WastValue::Type::F32; w.bits = v.f32; return describe(w);
    case ValType::F64: w.type = WastValue::Type::F64; w.bits = v.f64; return describe(w);
    case ValType::V128:
      return describeV128(v.v128.bytes.data(),
                          like && like->type == WastValue::Type::V128 ? like->shape : WastValue::Shape::I32x4, nullptr);
    case ValType::FuncRef: return v.ref ? "funcref:non-null" : "funcref:null";
    case ValType::ExternRef:
      if (!v.ref) return "externref:null";
      return "externref:" + std::to_string(*static_cast<const uint64_t*>(v.ref));
  }
  return "?";
}

}  // namespace bantam::cli
