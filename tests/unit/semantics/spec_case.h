// Test support for the semantics tests: a table row taken from an assert_return/assert_trap
// of the official suite, the NaN classes that `nan:canonical` and `nan:arithmetic` accept, and
// a runner that evaluates each row through sem::evaluate (and so through sem::Apply).
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "interp/semantics/evaluate.h"

namespace bantam::sem::testing {

// §4.3.3: a canonical NaN has only the quiet bit of the payload set (either sign); an
// arithmetic NaN has the quiet bit set and any other payload.
inline bool isCanonicalNaN32(uint32_t b) { return (b & 0x7fff'ffffu) == 0x7fc0'0000u; }
inline bool isArithmeticNaN32(uint32_t b) { return (b & 0x7fc0'0000u) == 0x7fc0'0000u; }
inline bool isCanonicalNaN64(uint64_t b) { return (b & 0x7fff'ffff'ffff'ffffu) == 0x7ff8'0000'0000'0000u; }
inline bool isArithmeticNaN64(uint64_t b) { return (b & 0x7ff8'0000'0000'0000u) == 0x7ff8'0000'0000'0000u; }
inline bool isCanonicalNaN(float x) { return isCanonicalNaN32(std::bit_cast<uint32_t>(x)); }
inline bool isArithmeticNaN(float x) { return isArithmeticNaN32(std::bit_cast<uint32_t>(x)); }
inline bool isCanonicalNaN(double x) { return isCanonicalNaN64(std::bit_cast<uint64_t>(x)); }
inline bool isArithmeticNaN(double x) { return isArithmeticNaN64(std::bit_cast<uint64_t>(x)); }

// 16 bytes as two little-endian halves; scalars live in the low bytes.
struct Cell {
  uint64_t lo = 0, hi = 0;
};

struct SpecCase {
  const char* source;  // "file.wast:line" of the assertion
  const char* op;      // the instruction's mnemonic
  uint32_t lane;       // Lane immediate
  uint8_t shuffle[16];
  int argc;
  Cell args[3];
  Cell expected;
  // "" for an exact comparison; else one char per float lane of the result: '.' exact,
  // 'c' nan:canonical, 'a' nan:arithmetic.
  const char* nan;
  const char* trap;  // assert_trap's message, or nullptr
};

inline std::optional<wasm::Op> opNamed(std::string_view text) {
  for (size_t i = 0; i < wasm::kOpCount; ++i)
    if (wasm::kOpInfo[i].text == text) return static_cast<wasm::Op>(i);
  return std::nullopt;
}

inline const char* trapText(runtime::TrapKind kind) {
  switch (kind) {
#define BANTAM_TRAP(name, message) \
  case runtime::TrapKind::name: return message;
#include "runtime/traps.def"
#undef BANTAM_TRAP
  }
  return "?";
}

inline runtime::RawVal rawOf(Cell c) {
  runtime::RawVal r;
  std::memcpy(&r, &c, 16);
  return r;
}
inline Cell cellOf(const runtime::RawVal& r) {
  Cell c;
  std::memcpy(&c, &r, 16);
  return c;
}
inline std::string hex(Cell c) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%016llx:%016llx", static_cast<unsigned long long>(c.hi),
                static_cast<unsigned long long>(c.lo));
  return buf;
}

// Empty when the outcome satisfies the assertion, else what went wrong.
inline std::string checkCase(const SpecCase& c) {
  auto op = opNamed(c.op);
  if (!op) return "unknown instruction";
  std::array<runtime::RawVal, 3> args;
  for (int i = 0; i < c.argc; ++i) args[i] = rawOf(c.args[i]);
  auto out = evaluate(*op, std::span(args.data(), c.argc), c.lane, c.shuffle);
  if (!out) return "no semantics";
  if (c.trap) {
    if (out->ok) return "expected trap \"" + std::string(c.trap) + "\", got " + hex(cellOf(out->value));
    if (std::string_view(trapText(out->trap)) != c.trap) return std::string("wrong trap: ") + trapText(out->trap);
    return {};
  }
  if (!out->ok) return std::string("unexpected trap: ") + trapText(out->trap);
  Cell got = cellOf(out->value);
  std::string_view nan = c.nan;
  if (nan.empty()) {
    if (got.lo != c.expected.lo || got.hi != c.expected.hi) return "got " + hex(got) + ", want " + hex(c.expected);
    return {};
  }
  size_t width = wasm::opInfo(*op).results == "v" ? 16 / nan.size() : wasm::opInfo(*op).results == "f" ? 4 : 8;
  uint8_t gotBytes[16], wantBytes[16];
  std::memcpy(gotBytes, &got, 16);
  std::memcpy(wantBytes, &c.expected, 16);
  for (size_t lane = 0; lane < nan.size(); ++lane) {
    uint64_t g = 0, w = 0;
    std::memcpy(&g, gotBytes + lane * width, width);
    std::memcpy(&w, wantBytes + lane * width, width);
    bool ok = nan[lane] == '.' ? g == w
              : width == 4     ? (nan[lane] == 'c' ? isCanonicalNaN32(uint32_t(g)) : isArithmeticNaN32(uint32_t(g)))
                               : (nan[lane] == 'c' ? isCanonicalNaN64(g) : isArithmeticNaN64(g));
    if (!ok) return "lane " + std::to_string(lane) + " wrong (want " + nan[lane] + "): got " + hex(got);
  }
  return {};
}

inline void runSpecCases(std::span<const SpecCase> cases) {
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    std::string why = checkCase(c);
    EXPECT_TRUE(why.empty()) << c.source << " " << c.op << ": " << why;
  }
}

}  // namespace bantam::sem::testing
