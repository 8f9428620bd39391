// Numeric literals of the text format (§6.3.1): which tokens are numbers, and their values
// with the range rules and round-to-nearest-even of the spec.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>

#include "wasm/text/literals.h"

namespace bantam::wasm::text {
namespace {

uint64_t intValue(std::string_view s, unsigned bits) {
  uint64_t v = 0;
  EXPECT_EQ(parseInteger(s, bits, v), LitStatus::Ok) << s;
  return v;
}

uint32_t f32Bits(std::string_view s) {
  uint32_t v = 0;
  EXPECT_EQ(parseF32(s, v), LitStatus::Ok) << s;
  return v;
}

uint64_t f64Bits(std::string_view s) {
  uint64_t v = 0;
  EXPECT_EQ(parseF64(s, v), LitStatus::Ok) << s;
  return v;
}

TEST(Literals, UnsignedSignedAndFloatTokensAreClassified) {
  EXPECT_EQ(classifyNumber("42"), NumberKind::Nat);
  EXPECT_EQ(classifyNumber("0xFF_ff"), NumberKind::Nat);
  EXPECT_EQ(classifyNumber("+1"), NumberKind::Int);
  EXPECT_EQ(classifyNumber("-0x10"), NumberKind::Int);
  EXPECT_EQ(classifyNumber("1.5"), NumberKind::Float);
  EXPECT_EQ(classifyNumber("1."), NumberKind::Float);
  EXPECT_EQ(classifyNumber("1e10"), NumberKind::Float);
  EXPECT_EQ(classifyNumber("1.E-5"), NumberKind::Float);
  EXPECT_EQ(classifyNumber("0x1p-2"), NumberKind::Float);
  EXPECT_EQ(classifyNumber("0x1.8P+3"), NumberKind::Float);
  EXPECT_EQ(classifyNumber("-inf"), NumberKind::Float);
  EXPECT_EQ(classifyNumber("nan"), NumberKind::Float);
  EXPECT_EQ(classifyNumber("-nan:0x7f_ffff"), NumberKind::Float);
}

TEST(Literals, MalformedNumbersAreNotNumbers) {
  for (std::string_view s : {"0x", "1x", "0xg", ".0", "0e", "0e+", "0x.", "0x0p", "0x0pA",
                             "_100", "+_100", "99_", "1__000", "1_.0", "1._0", "1e_1", "0x_1",
                             "nan:1", "nan:0x", "infinity", "i32"})
    EXPECT_EQ(classifyNumber(s), NumberKind::None) << s;
}

TEST(Literals, I32AcceptsSignedAndUnsignedRanges) {
  EXPECT_EQ(intValue("4294967295", 32), 0xffffffffu);
  EXPECT_EQ(intValue("-2147483648", 32), 0x80000000u);
  EXPECT_EQ(intValue("-1", 32), 0xffffffffu);
  EXPECT_EQ(intValue("+42", 32), 42u);
  EXPECT_EQ(intValue("0x1_0000", 32), 0x10000u);
  uint64_t v;
  EXPECT_EQ(parseInteger("4294967296", 32, v), LitStatus::OutOfRange);
  EXPECT_EQ(parseInteger("-2147483649", 32, v), LitStatus::OutOfRange);
  EXPECT_EQ(parseInteger("0x1_0000_0000", 32, v), LitStatus::OutOfRange);
}

TEST(Literals, I64AcceptsTheFull64BitRanges) {
  EXPECT_EQ(intValue("18446744073709551615", 64), UINT64_MAX);
  EXPECT_EQ(intValue("-9223372036854775808", 64), uint64_t{1} << 63);
  uint64_t v;
  EXPECT_EQ(parseInteger("18446744073709551616", 64, v), LitStatus::OutOfRange);
  EXPECT_EQ(parseInteger("-0x8000000000000001", 64, v), LitStatus::OutOfRange);
}

TEST(Literals, LaneIntegersUseTheirWidth) {
  EXPECT_EQ(intValue("255", 8), 0xffu);
  EXPECT_EQ(intValue("-128", 8), 0x80u);
  uint64_t v;
  EXPECT_EQ(parseInteger("256", 8, v), LitStatus::OutOfRange);
  EXPECT_EQ(parseInteger("-129", 8, v), LitStatus::OutOfRange);
  EXPECT_EQ(intValue("-32768", 16), 0x8000u);
}

TEST(Literals, DecimalFloatsRoundToNearestEven) {
  EXPECT_EQ(f32Bits("1.5"), 0x3fc00000u);
  EXPECT_EQ(f32Bits("-0"), 0x80000000u);
  EXPECT_EQ(f32Bits("1_000.000_1"), std::bit_cast<uint32_t>(1000.0001f));
  // 1 + 2^-24 is halfway between 1 and the next float: ties to even gives 1.
  EXPECT_EQ(f32Bits("1.000000059604644775390625"), 0x3f800000u);
  // Just above the halfway point rounds up (no double rounding through f64).
  EXPECT_EQ(f32Bits("1.000000059604644775390625000000000000001"), 0x3f800001u);
  EXPECT_EQ(f64Bits("0.1"), std::bit_cast<uint64_t>(0.1));
  EXPECT_EQ(f32Bits("1e-45"), 0x00000001u);  // the smallest subnormal
  EXPECT_EQ(f32Bits("1e-50"), 0x00000000u);  // underflow is zero, not an error
}

TEST(Literals, HexFloatsAreExactOrRoundedToNearestEven) {
  EXPECT_EQ(f32Bits("0x1p-149"), 0x00000001u);
  EXPECT_EQ(f32Bits("0x1.fffffep127"), 0x7f7fffffu);
  EXPECT_EQ(f32Bits("0x1.fffffefffffffffffp127"), 0x7f7fffffu);
  EXPECT_EQ(f64Bits("0x1.fffffffffffffp-1023"), 0x0010000000000000u);  // tie, rounds to even
  EXPECT_EQ(f64Bits("-0x1p+0"), 0xbff0000000000000u);
}

TEST(Literals, FloatsThatRoundToInfinityAreOutOfRange) {
  uint32_t b32;
  uint64_t b64;
  EXPECT_EQ(parseF32("0x1.ffffffp127", b32), LitStatus::OutOfRange);
  EXPECT_EQ(parseF32("1e39", b32), LitStatus::OutOfRange);
  EXPECT_EQ(parseF32("340282356779733661637539395458142568448", b32), LitStatus::OutOfRange);
  EXPECT_EQ(parseF64("1e309", b64), LitStatus::OutOfRange);
  EXPECT_EQ(parseF64("0x1p1024", b64), LitStatus::OutOfRange);
}

TEST(Literals, InfinityAndNanWithPayloads) {
  EXPECT_EQ(f32Bits("inf"), 0x7f800000u);
  EXPECT_EQ(f32Bits("-inf"), 0xff800000u);
  EXPECT_EQ(f32Bits("nan"), 0x7fc00000u);
  EXPECT_EQ(f32Bits("-nan"), 0xffc00000u);
  EXPECT_EQ(f32Bits("nan:0x200000"), 0x7fa00000u);
  EXPECT_EQ(f32Bits("-nan:0x7fffff"), 0xffffffffu);
  EXPECT_EQ(f64Bits("nan:0x1"), 0x7ff0000000000001u);
  EXPECT_EQ(f64Bits("nan"), 0x7ff8000000000000u);
}

TEST(Literals, NanPayloadMustBeNonZeroAndFitTheSignificand) {
  uint32_t b32;
  uint64_t b64;
  EXPECT_EQ(parseF32("nan:0x0", b32), LitStatus::OutOfRange);
  EXPECT_EQ(parseF32("nan:0x800000", b32), LitStatus::OutOfRange);
  EXPECT_EQ(parseF64("nan:0x10000000000000", b64), LitStatus::OutOfRange);
}

}  // namespace
}  // namespace bantam::wasm::text
