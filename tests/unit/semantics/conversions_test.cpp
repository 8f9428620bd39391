// The scalar conversions: trapping truncation exactly at its boundaries, saturating
// truncation, correctly rounded int→float conversion (no double rounding), demote/promote of
// NaNs, and differential checks against x87 long double references.
#include <gtest/gtest.h>

#include <cmath>

#include "interp/semantics/semantics.h"
#include "spec_case.h"
#include "test_values.h"

namespace {

namespace sem = bantam::sem;
using namespace bantam::sem::testing;
using bantam::runtime::TrapKind;

float f32Bits(uint32_t b) { return std::bit_cast<float>(b); }
double f64Bits(uint64_t b) { return std::bit_cast<double>(b); }
uint32_t bitsOf(float x) { return std::bit_cast<uint32_t>(x); }
uint64_t bitsOf(double x) { return std::bit_cast<uint64_t>(x); }

template <class T>
void expectValue(sem::Checked<T> r, T want) {
  ASSERT_TRUE(r.ok) << "trapped";
  EXPECT_EQ(r.value, want);
}
template <class T>
void expectTrap(sem::Checked<T> r, TrapKind kind) {
  EXPECT_FALSE(r.ok) << "gave " << r.value;
  EXPECT_EQ(r.trap, kind);
}

TEST(SemConversions, TruncationAcceptsExactlyTheRepresentableRange) {
  expectValue(sem::I32TruncF32S(-0x1p31f), 0x8000'0000u);
  expectTrap(sem::I32TruncF32S(0x1p31f), TrapKind::IntegerOverflow);
  expectValue(sem::I32TruncF32S(0x1.fffffep30f), 0x7fff'ff80u);
  expectTrap(sem::I32TruncF32S(-0x1.000002p31f), TrapKind::IntegerOverflow);
  expectValue(sem::I32TruncF64S(-2147483648.9), 0x8000'0000u);
  expectTrap(sem::I32TruncF64S(-2147483649.0), TrapKind::IntegerOverflow);
  expectValue(sem::I32TruncF64S(2147483647.9), 0x7fff'ffffu);
  expectTrap(sem::I32TruncF64S(2147483648.0), TrapKind::IntegerOverflow);
  expectValue(sem::I32TruncF64U(4294967295.9), 0xffff'ffffu);
  expectTrap(sem::I32TruncF64U(4294967296.0), TrapKind::IntegerOverflow);
  expectValue(sem::I32TruncF32U(0x1.fffffep31f), 0xffff'ff00u);
  expectTrap(sem::I32TruncF32U(0x1p32f), TrapKind::IntegerOverflow);
  expectValue(sem::I64TruncF64S(-0x1p63), 0x8000'0000'0000'0000u);
  expectTrap(sem::I64TruncF64S(0x1p63), TrapKind::IntegerOverflow);
  expectValue(sem::I64TruncF32S(-0x1p63f), 0x8000'0000'0000'0000u);
  expectTrap(sem::I64TruncF32S(0x1p63f), TrapKind::IntegerOverflow);
  expectValue(sem::I64TruncF32U(0x1.fffffep63f), 0xffff'ff00'0000'0000u);
  expectTrap(sem::I64TruncF32U(0x1p64f), TrapKind::IntegerOverflow);
  expectValue(sem::I64TruncF64U(0x1.fffffffffffffp63), 0xffff'ffff'ffff'f800u);
  expectTrap(sem::I64TruncF64U(0x1p64), TrapKind::IntegerOverflow);
}

TEST(SemConversions, UnsignedTruncationOfValuesAboveMinusOneIsZero) {
  expectValue(sem::I32TruncF32U(-0x1.fffffep-1f), 0u);
  expectValue(sem::I32TruncF64U(-0.9999999999), 0u);
  expectValue(sem::I64TruncF32U(-0.5f), uint64_t(0));
  expectValue(sem::I64TruncF64U(-0.0), uint64_t(0));
  expectTrap(sem::I32TruncF32U(-1.0f), TrapKind::IntegerOverflow);
  expectTrap(sem::I64TruncF64U(-1.0), TrapKind::IntegerOverflow);
}

TEST(SemConversions, TruncationOfNaNIsAnInvalidConversion) {
  expectTrap(sem::I32TruncF32S(f32Bits(0x7fc0'0000u)), TrapKind::InvalidConversionToInteger);
  expectTrap(sem::I32TruncF64U(f64Bits(0xfff8'0000'0000'0001u)), TrapKind::InvalidConversionToInteger);
  expectTrap(sem::I64TruncF32U(f32Bits(0x7fa0'0000u)), TrapKind::InvalidConversionToInteger);
  expectTrap(sem::I64TruncF64S(f64Bits(0x7ff4'0000'0000'0000u)), TrapKind::InvalidConversionToInteger);
  expectTrap(sem::I32TruncF32S(INFINITY), TrapKind::IntegerOverflow);
}

TEST(SemConversions, SaturatingTruncationClampsAndMapsNaNToZero) {
  EXPECT_EQ(sem::I32TruncSatF32S(f32Bits(0x7fc0'0000u)), 0u);
  EXPECT_EQ(sem::I32TruncSatF32S(INFINITY), 0x7fff'ffffu);
  EXPECT_EQ(sem::I32TruncSatF32S(-INFINITY), 0x8000'0000u);
  EXPECT_EQ(sem::I32TruncSatF64U(-1.0), 0u);
  EXPECT_EQ(sem::I32TruncSatF64U(4294967296.0), 0xffff'ffffu);
  EXPECT_EQ(sem::I32TruncSatF64S(-2147483648.9), 0x8000'0000u);
  EXPECT_EQ(sem::I64TruncSatF32S(0x1p63f), 0x7fff'ffff'ffff'ffffu);
  EXPECT_EQ(sem::I64TruncSatF64S(-0x1p70), 0x8000'0000'0000'0000u);
  EXPECT_EQ(sem::I64TruncSatF32U(0x1p64f), ~uint64_t(0));
  EXPECT_EQ(sem::I64TruncSatF64U(f64Bits(0xfff8'0000'0000'0000u)), 0u);
  EXPECT_EQ(sem::I64TruncSatF64U(-0.75), 0u);
}

// A conversion through double first rounds to 53 bits, then to 24: the second rounding can
// see an exact tie the first one created. These inputs expose it (conversions.wast has them).
TEST(SemConversions, IntToFloatRoundsOnceAndCorrectly) {
  EXPECT_EQ(bitsOf(sem::F32ConvertI64U(0x8000'0080'0000'0001u)), 0x5f00'0001u);  // 0x1.000002p63
  EXPECT_EQ(bitsOf(sem::F32ConvertI64S(0x0020'0000'2000'0001u)), 0x5a00'0001u);  // 0x1.000002p53
  EXPECT_EQ(bitsOf(sem::F32ConvertI64S(uint64_t(-0x0020'0000'2000'0001))), 0xda00'0001u);
  EXPECT_EQ(bitsOf(sem::F64ConvertI64U(0x8000'0000'0000'0401u)), 0x43e0'0000'0000'0001u);
  EXPECT_EQ(bitsOf(sem::F32ConvertI64U(~uint64_t(0))), 0x5f80'0000u);  // 2^64
  EXPECT_EQ(bitsOf(sem::F32ConvertI32U(0xffff'ff7fu)), 0x4f7f'ffffu);  // rounds down
  EXPECT_EQ(bitsOf(sem::F32ConvertI32U(0xffff'ff80u)), 0x4f80'0000u);  // tie to even: up
  EXPECT_EQ(sem::F64ConvertI32U(0xffff'ffffu), 4294967295.0);
  EXPECT_EQ(sem::F64ConvertI32S(0x8000'0000u), -2147483648.0);
}

// x87 long double holds every 64-bit integer exactly, so converting it to float or double is
// the single correctly rounded conversion the spec asks for.
TEST(SemConversions, IntToFloatMatchesExactReferenceOnRandomIntegers) {
  Values values;
  for (int i = 0; i < 100000; ++i) {
    uint64_t u = values.integer<uint64_t>();
    long double exactU = static_cast<long double>(u);
    long double exactS = static_cast<long double>(static_cast<int64_t>(u));
    ASSERT_EQ(bitsOf(sem::F32ConvertI64U(u)), bitsOf(static_cast<float>(exactU))) << std::hex << u;
    ASSERT_EQ(bitsOf(sem::F32ConvertI64S(u)), bitsOf(static_cast<float>(exactS))) << std::hex << u;
    ASSERT_EQ(bitsOf(sem::F64ConvertI64U(u)), bitsOf(static_cast<double>(exactU))) << std::hex << u;
    ASSERT_EQ(bitsOf(sem::F64ConvertI64S(u)), bitsOf(static_cast<double>(exactS))) << std::hex << u;
    uint32_t w = values.integer<uint32_t>();
    ASSERT_EQ(bitsOf(sem::F32ConvertI32U(w)), bitsOf(static_cast<float>(static_cast<long double>(w))));
    ASSERT_EQ(bitsOf(sem::F32ConvertI32S(w)),
              bitsOf(static_cast<float>(static_cast<long double>(static_cast<int32_t>(w)))));
  }
}

// Reference truncation: NaN is invalid; otherwise trunc(x), exact in long double, must lie in
// [lo, hi].
template <class T, class F>
void expectTruncLike(sem::Checked<T> got, F x, long double lo, long double hi) {
  if (x != x) return expectTrap(got, TrapKind::InvalidConversionToInteger);
  long double t = std::trunc(static_cast<long double>(x));
  if (t < lo || t > hi) return expectTrap(got, TrapKind::IntegerOverflow);
  ASSERT_TRUE(got.ok) << std::hexfloat << x;
  if (lo < 0) EXPECT_EQ(static_cast<long double>(static_cast<std::make_signed_t<T>>(got.value)), t);
  else EXPECT_EQ(static_cast<long double>(got.value), t);
}

TEST(SemConversions, TruncationMatchesExactReferenceOnRandomFloats) {
  Values values;
  const long double i32Min = -0x1p31L, i32Max = 0x1p31L - 1, u32Max = 0x1p32L - 1;
  const long double i64Min = -0x1p63L, i64Max = 0x1p63L - 1, u64Max = 0x1p64L - 1;
  for (int i = 0; i < 100000; ++i) {
    float x = values.f32();
    double y = values.f64();
    expectTruncLike(sem::I32TruncF32S(x), x, i32Min, i32Max);
    expectTruncLike(sem::I32TruncF32U(x), x, 0, u32Max);
    expectTruncLike(sem::I64TruncF32S(x), x, i64Min, i64Max);
    expectTruncLike(sem::I64TruncF32U(x), x, 0, u64Max);
    expectTruncLike(sem::I32TruncF64S(y), y, i32Min, i32Max);
    expectTruncLike(sem::I32TruncF64U(y), y, 0, u32Max);
    expectTruncLike(sem::I64TruncF64S(y), y, i64Min, i64Max);
    expectTruncLike(sem::I64TruncF64U(y), y, 0, u64Max);
    if (::testing::Test::HasFailure()) FAIL() << std::hexfloat << x << " " << y;
  }
}

TEST(SemConversions, SaturatingTruncationAgreesWithTrappingTruncationInRange) {
  Values values;
  for (int i = 0; i < 100000; ++i) {
    float x = values.f32();
    double y = values.f64();
    auto check = [](auto checked, auto sat, auto satOutOfRange) {
      if (checked.ok) ASSERT_EQ(sat, checked.value);
      else ASSERT_EQ(sat, satOutOfRange);
    };
    using L32 = std::numeric_limits<int32_t>;
    using L64 = std::numeric_limits<int64_t>;
    check(sem::I32TruncF32S(x), sem::I32TruncSatF32S(x), x != x ? 0u : x < 0 ? uint32_t(L32::min()) : uint32_t(L32::max()));
    check(sem::I32TruncF32U(x), sem::I32TruncSatF32U(x), x != x || x < 0 ? 0u : ~0u);
    check(sem::I64TruncF32S(x), sem::I64TruncSatF32S(x), x != x ? 0u : x < 0 ? uint64_t(L64::min()) : uint64_t(L64::max()));
    check(sem::I64TruncF32U(x), sem::I64TruncSatF32U(x), x != x || x < 0 ? uint64_t(0) : ~uint64_t(0));
    check(sem::I32TruncF64S(y), sem::I32TruncSatF64S(y), y != y ? 0u : y < 0 ? uint32_t(L32::min()) : uint32_t(L32::max()));
    check(sem::I32TruncF64U(y), sem::I32TruncSatF64U(y), y != y || y < 0 ? 0u : ~0u);
    check(sem::I64TruncF64S(y), sem::I64TruncSatF64S(y), y != y ? 0u : y < 0 ? uint64_t(L64::min()) : uint64_t(L64::max()));
    check(sem::I64TruncF64U(y), sem::I64TruncSatF64U(y), y != y || y < 0 ? uint64_t(0) : ~uint64_t(0));
  }
}

TEST(SemConversions, DemoteAndPromoteKeepNaNClasses) {
  EXPECT_TRUE(isCanonicalNaN(sem::F32DemoteF64(f64Bits(0x7ff8'0000'0000'0000u))));
  EXPECT_TRUE(isCanonicalNaN(sem::F32DemoteF64(f64Bits(0xfff8'0000'0000'0000u))));
  EXPECT_TRUE(isArithmeticNaN(sem::F32DemoteF64(f64Bits(0x7ff4'0000'0000'0000u))));
  EXPECT_TRUE(isArithmeticNaN(sem::F32DemoteF64(f64Bits(0x7ff0'0000'0000'0001u))));
  EXPECT_TRUE(isCanonicalNaN(sem::F64PromoteF32(f32Bits(0x7fc0'0000u))));
  EXPECT_TRUE(isArithmeticNaN(sem::F64PromoteF32(f32Bits(0x7fa0'0000u))));
}

TEST(SemConversions, DemoteRoundsToNearestEvenAndOverflowsToInfinity) {
  EXPECT_EQ(sem::F32DemoteF64(0x1.000001p0), 1.0f);                  // tie: down to even
  EXPECT_EQ(sem::F32DemoteF64(0x1.000003p0), 0x1.000004p0f);         // tie: up to even
  EXPECT_EQ(sem::F32DemoteF64(0x1.0000010000001p0), 0x1.000002p0f);  // above the tie
  EXPECT_EQ(sem::F32DemoteF64(0x1.fffffffp127), INFINITY);
  EXPECT_EQ(sem::F32DemoteF64(-0x1p-150), -0.0f);
  EXPECT_EQ(bitsOf(sem::F32DemoteF64(0x1.8p-149)), 2u);  // subnormal tie: to even
  EXPECT_EQ(sem::F64PromoteF32(0x1.fffffep127f), 0x1.fffffep127);
}

TEST(SemConversions, ReinterpretationKeepsEveryBit) {
  EXPECT_EQ(sem::I32ReinterpretF32(sem::F32ReinterpretI32(0x7fa0'0001u)), 0x7fa0'0001u);
  EXPECT_EQ(sem::I64ReinterpretF64(sem::F64ReinterpretI64(0xfff4'0000'0000'0001u)), 0xfff4'0000'0000'0001u);
  EXPECT_EQ(sem::I32ReinterpretF32(-0.0f), 0x8000'0000u);
}

}  // namespace
