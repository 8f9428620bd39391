// The f32/f64 instructions: sign operations as bit operations, min/max ordering and NaN
// results, rounding (half to even, signs of zero, NaN quieting) checked against libm, and the
// NaN classes of hardware arithmetic.
#include <gtest/gtest.h>

#include <cmath>

#include "interp/semantics/semantics.h"
#include "spec_case.h"
#include "test_values.h"

namespace {

namespace sem = bantam::sem;
using namespace bantam::sem::testing;

float f32Bits(uint32_t b) { return std::bit_cast<float>(b); }
double f64Bits(uint64_t b) { return std::bit_cast<double>(b); }
uint32_t bitsOf(float x) { return std::bit_cast<uint32_t>(x); }
uint64_t bitsOf(double x) { return std::bit_cast<uint64_t>(x); }

// Equal bits, or both NaN (payloads are the host's choice where the spec allows it).
template <class F>
bool sameOrBothNaN(F got, F want) {
  return bitsOf(got) == bitsOf(want) || (got != got && want != want);
}

TEST(SemFloat, SignOperationsPreserveNaNPayloadsExactly) {
  const uint32_t kSignalling = 0x7fa0'0001u;
  EXPECT_EQ(bitsOf(sem::F32Abs(f32Bits(0xffa0'0001u))), kSignalling);
  EXPECT_EQ(bitsOf(sem::F32Neg(f32Bits(kSignalling))), 0xffa0'0001u);
  EXPECT_EQ(bitsOf(sem::F32Copysign(f32Bits(kSignalling), -1.0f)), 0xffa0'0001u);
  EXPECT_EQ(bitsOf(sem::F64Abs(f64Bits(0xfff4'0000'0000'0001u))), 0x7ff4'0000'0000'0001u);
  EXPECT_EQ(bitsOf(sem::F64Neg(f64Bits(0x7ff4'0000'0000'0001u))), 0xfff4'0000'0000'0001u);
  EXPECT_EQ(bitsOf(sem::F64Copysign(2.0, f64Bits(0xfff8'0000'0000'0000u))), bitsOf(-2.0));
  EXPECT_EQ(bitsOf(sem::F32Neg(0.0f)), 0x8000'0000u);
}

TEST(SemFloat, MinMaxOrderNegativeZeroBelowPositiveZero) {
  EXPECT_EQ(bitsOf(sem::F32Min(0.0f, -0.0f)), 0x8000'0000u);
  EXPECT_EQ(bitsOf(sem::F32Min(-0.0f, 0.0f)), 0x8000'0000u);
  EXPECT_EQ(bitsOf(sem::F32Max(-0.0f, 0.0f)), 0u);
  EXPECT_EQ(bitsOf(sem::F32Max(0.0f, -0.0f)), 0u);
  EXPECT_EQ(bitsOf(sem::F64Min(0.0, -0.0)), 0x8000'0000'0000'0000u);
  EXPECT_EQ(bitsOf(sem::F64Max(-0.0, 0.0)), 0u);
  EXPECT_EQ(sem::F64Min(-INFINITY, 3.0), -INFINITY);
  EXPECT_EQ(sem::F32Max(-1.0f, 3.0f), 3.0f);
}

TEST(SemFloat, MinMaxOfANaNOperandIsACanonicalNaN) {
  EXPECT_TRUE(isCanonicalNaN(sem::F32Min(f32Bits(0x7fa0'0001u), 1.0f)));
  EXPECT_TRUE(isCanonicalNaN(sem::F32Max(1.0f, f32Bits(0xffc0'0000u))));
  EXPECT_TRUE(isCanonicalNaN(sem::F64Min(0.0, f64Bits(0x7ff0'0000'0000'0001u))));
  EXPECT_TRUE(isCanonicalNaN(sem::F64Max(f64Bits(0x7ff8'0000'0000'0000u), INFINITY)));
}

TEST(SemFloat, NearestRoundsHalfwayCasesToEven) {
  EXPECT_EQ(sem::F32Nearest(0.5f), 0.0f);
  EXPECT_EQ(sem::F32Nearest(1.5f), 2.0f);
  EXPECT_EQ(sem::F32Nearest(2.5f), 2.0f);
  EXPECT_EQ(sem::F32Nearest(-3.5f), -4.0f);
  EXPECT_EQ(sem::F32Nearest(8388607.5f), 8388608.0f);  // 2^23 - 0.5
  EXPECT_EQ(sem::F64Nearest(4503599627370495.5), 4503599627370496.0);  // 2^52 - 0.5
  EXPECT_EQ(sem::F64Nearest(-2.5), -2.0);
}

TEST(SemFloat, RoundingKeepsTheSignOfAZeroResult) {
  EXPECT_EQ(bitsOf(sem::F32Nearest(-0.5f)), 0x8000'0000u);
  EXPECT_EQ(bitsOf(sem::F32Ceil(-0.5f)), 0x8000'0000u);
  EXPECT_EQ(bitsOf(sem::F32Trunc(-0.75f)), 0x8000'0000u);
  EXPECT_EQ(bitsOf(sem::F32Floor(0.75f)), 0u);
  EXPECT_EQ(bitsOf(sem::F64Ceil(-0.25)), 0x8000'0000'0000'0000u);
  EXPECT_EQ(bitsOf(sem::F64Floor(-0.0)), 0x8000'0000'0000'0000u);
  EXPECT_EQ(sem::F64Floor(-0.25), -1.0);
}

TEST(SemFloat, RoundingASignallingNaNGivesAnArithmeticNaN) {
  for (float r : {sem::F32Ceil(f32Bits(0x7fa0'0001u)), sem::F32Floor(f32Bits(0x7fa0'0001u)),
                  sem::F32Trunc(f32Bits(0x7fa0'0001u)), sem::F32Nearest(f32Bits(0x7fa0'0001u))})
    EXPECT_TRUE(isArithmeticNaN(r));
  EXPECT_TRUE(isCanonicalNaN(sem::F32Ceil(f32Bits(0x7fc0'0000u))));
  EXPECT_TRUE(isArithmeticNaN(sem::F64Nearest(f64Bits(0x7ff0'0000'0000'0001u))));
  EXPECT_TRUE(isCanonicalNaN(sem::F64Trunc(f64Bits(0xfff8'0000'0000'0000u))));
}

TEST(SemFloat, RoundingMatchesLibmOnManyInputs) {
  Values values;
  for (int i = 0; i < 200000; ++i) {
    float x = values.f32();
    ASSERT_TRUE(sameOrBothNaN(sem::F32Ceil(x), std::ceil(x))) << std::hexfloat << x;
    ASSERT_TRUE(sameOrBothNaN(sem::F32Floor(x), std::floor(x))) << std::hexfloat << x;
    ASSERT_TRUE(sameOrBothNaN(sem::F32Trunc(x), std::trunc(x))) << std::hexfloat << x;
    ASSERT_TRUE(sameOrBothNaN(sem::F32Nearest(x), std::nearbyint(x))) << std::hexfloat << x;
    double y = values.f64();
    ASSERT_TRUE(sameOrBothNaN(sem::F64Ceil(y), std::ceil(y))) << std::hexfloat << y;
    ASSERT_TRUE(sameOrBothNaN(sem::F64Floor(y), std::floor(y))) << std::hexfloat << y;
    ASSERT_TRUE(sameOrBothNaN(sem::F64Trunc(y), std::trunc(y))) << std::hexfloat << y;
    ASSERT_TRUE(sameOrBothNaN(sem::F64Nearest(y), std::nearbyint(y))) << std::hexfloat << y;
  }
}

TEST(SemFloat, ArithmeticNaNsFollowTheCanonicalRule) {
  // No NaN input: a canonical NaN (x86 makes it negative; either sign is canonical).
  EXPECT_TRUE(isCanonicalNaN(sem::F32Mul(0.0f, INFINITY)));
  EXPECT_TRUE(isCanonicalNaN(sem::F64Sub(INFINITY, INFINITY)));
  EXPECT_TRUE(isCanonicalNaN(sem::F32Sqrt(-1.0f)));
  // Canonical inputs give canonical results; any other NaN input an arithmetic one.
  EXPECT_TRUE(isCanonicalNaN(sem::F32Add(f32Bits(0x7fc0'0000u), 1.0f)));
  EXPECT_TRUE(isArithmeticNaN(sem::F32Add(f32Bits(0x7fa0'0001u), 1.0f)));
  EXPECT_TRUE(isArithmeticNaN(sem::F64Div(1.0, f64Bits(0x7ff0'0000'0000'0001u))));
}

TEST(SemFloat, SqrtOfNegativeZeroIsNegativeZero) {
  EXPECT_EQ(bitsOf(sem::F32Sqrt(-0.0f)), 0x8000'0000u);
  EXPECT_EQ(bitsOf(sem::F64Sqrt(-0.0)), 0x8000'0000'0000'0000u);
  EXPECT_EQ(sem::F64Sqrt(2.0), std::sqrt(2.0));
}

TEST(SemFloat, ComparisonsWithNaNAreFalseExceptNe) {
  float nan = f32Bits(0x7fc0'0000u);
  EXPECT_EQ(sem::F32Eq(nan, nan), 0u);
  EXPECT_EQ(sem::F32Ne(nan, nan), 1u);
  EXPECT_EQ(sem::F32Lt(nan, 1.0f), 0u);
  EXPECT_EQ(sem::F32Ge(nan, 1.0f), 0u);
  EXPECT_EQ(sem::F64Le(1.0, f64Bits(0x7ff8'0000'0000'0000u)), 0u);
  EXPECT_EQ(sem::F64Eq(0.0, -0.0), 1u);
}

}  // namespace
