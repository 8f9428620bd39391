// The float-lane v128 instructions lane by lane against the scalar instructions and libm (two
// independent implementations), with pmin/pmax checked against their spec definition bit for
// bit, and the lane conversions against the scalar conversions.
#include <gtest/gtest.h>

#include <cmath>

#include "interp/semantics/semantics.h"
#include "spec_case.h"
#include "test_values.h"

namespace {

namespace sem = bantam::sem;
using bantam::runtime::V128;
using namespace bantam::sem::testing;

constexpr int kRounds = 20000;

template <class F>
auto bitsOf(F x) {
  if constexpr (sizeof(F) == 4) return std::bit_cast<uint32_t>(x);
  else return std::bit_cast<uint64_t>(x);
}
template <class F>
bool sameOrBothNaN(F got, F want) {
  return bitsOf(got) == bitsOf(want) || (got != got && want != want);
}

// vop(a, b) lane i must be sop(a[i], b[i]): the same bits, or NaN when it is NaN.
template <class F>
void expectLanewise(V128 (*vop)(V128, V128), F (*sop)(F, F), const char* name) {
  Values values(std::hash<std::string_view>{}(name));
  for (int round = 0; round < kRounds; ++round) {
    V128 a = values.v128<F>(), b = values.v128<F>();
    auto got = lanesOf<F>(vop(a, b));
    auto la = lanesOf<F>(a), lb = lanesOf<F>(b);
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_TRUE(sameOrBothNaN(got[i], sop(la[i], lb[i])))
          << name << " lane " << i << std::hexfloat << ": " << la[i] << ", " << lb[i] << " gave " << got[i];
  }
}
template <class F>
void expectLanewise(V128 (*vop)(V128), F (*sop)(F), const char* name) {
  Values values(std::hash<std::string_view>{}(name));
  for (int round = 0; round < kRounds; ++round) {
    V128 a = values.v128<F>();
    auto got = lanesOf<F>(vop(a));
    auto la = lanesOf<F>(a);
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_TRUE(sameOrBothNaN(got[i], sop(la[i]))) << name << " lane " << i << std::hexfloat << ": " << la[i]
                                                     << " gave " << got[i];
  }
}

TEST(SemSimdFloat, ArithmeticMatchesScalarInstructions) {
  expectLanewise<float>(sem::F32x4Add, sem::F32Add, "f32x4.add");
  expectLanewise<float>(sem::F32x4Sub, sem::F32Sub, "f32x4.sub");
  expectLanewise<float>(sem::F32x4Mul, sem::F32Mul, "f32x4.mul");
  expectLanewise<float>(sem::F32x4Div, sem::F32Div, "f32x4.div");
  expectLanewise<float>(sem::F32x4Sqrt, sem::F32Sqrt, "f32x4.sqrt");
  expectLanewise<double>(sem::F64x2Add, sem::F64Add, "f64x2.add");
  expectLanewise<double>(sem::F64x2Mul, sem::F64Mul, "f64x2.mul");
  expectLanewise<double>(sem::F64x2Div, sem::F64Div, "f64x2.div");
  expectLanewise<double>(sem::F64x2Sqrt, sem::F64Sqrt, "f64x2.sqrt");
}

TEST(SemSimdFloat, SignOperationsAndMinMaxMatchScalarInstructionsBitForBit) {
  // The scalar results are exact (bit operations, canonical NaN), so NaN lanes must match too.
  Values values;
  for (int round = 0; round < kRounds; ++round) {
    V128 a = values.v128<float>(), b = values.v128<float>();
    auto fa = lanesOf<float>(a), fb = lanesOf<float>(b);
    for (int i = 0; i < 4; ++i) {
      ASSERT_EQ(bitsOf(lanesOf<float>(sem::F32x4Abs(a))[i]), bitsOf(sem::F32Abs(fa[i])));
      ASSERT_EQ(bitsOf(lanesOf<float>(sem::F32x4Neg(a))[i]), bitsOf(sem::F32Neg(fa[i])));
      ASSERT_EQ(bitsOf(lanesOf<float>(sem::F32x4Min(a, b))[i]), bitsOf(sem::F32Min(fa[i], fb[i])));
      ASSERT_EQ(bitsOf(lanesOf<float>(sem::F32x4Max(a, b))[i]), bitsOf(sem::F32Max(fa[i], fb[i])));
    }
    V128 c = values.v128<double>(), d = values.v128<double>();
    auto dc = lanesOf<double>(c), dd = lanesOf<double>(d);
    for (int i = 0; i < 2; ++i) {
      ASSERT_EQ(bitsOf(lanesOf<double>(sem::F64x2Abs(c))[i]), bitsOf(sem::F64Abs(dc[i])));
      ASSERT_EQ(bitsOf(lanesOf<double>(sem::F64x2Neg(c))[i]), bitsOf(sem::F64Neg(dc[i])));
      ASSERT_EQ(bitsOf(lanesOf<double>(sem::F64x2Min(c, d))[i]), bitsOf(sem::F64Min(dc[i], dd[i])));
      ASSERT_EQ(bitsOf(lanesOf<double>(sem::F64x2Max(c, d))[i]), bitsOf(sem::F64Max(dc[i], dd[i])));
    }
  }
}

TEST(SemSimdFloat, PminPmaxAreTheSpecSelectsBitForBit) {
  Values values;
  for (int round = 0; round < kRounds; ++round) {
    V128 a = values.v128<float>(), b = values.v128<float>();
    auto fa = lanesOf<float>(a), fb = lanesOf<float>(b);
    for (int i = 0; i < 4; ++i) {
      ASSERT_EQ(bitsOf(lanesOf<float>(sem::F32x4Pmin(a, b))[i]), bitsOf(fb[i] < fa[i] ? fb[i] : fa[i]));
      ASSERT_EQ(bitsOf(lanesOf<float>(sem::F32x4Pmax(a, b))[i]), bitsOf(fa[i] < fb[i] ? fb[i] : fa[i]));
    }
    V128 c = values.v128<double>(), d = values.v128<double>();
    auto dc = lanesOf<double>(c), dd = lanesOf<double>(d);
    for (int i = 0; i < 2; ++i) {
      ASSERT_EQ(bitsOf(lanesOf<double>(sem::F64x2Pmin(c, d))[i]), bitsOf(dd[i] < dc[i] ? dd[i] : dc[i]));
      ASSERT_EQ(bitsOf(lanesOf<double>(sem::F64x2Pmax(c, d))[i]), bitsOf(dc[i] < dd[i] ? dd[i] : dc[i]));
    }
  }
}

float libmCeil(float x) { return std::ceil(x); }
float libmFloor(float x) { return std::floor(x); }
float libmTrunc(float x) { return std::trunc(x); }
float libmNearest(float x) { return std::nearbyint(x); }
double libmCeil(double x) { return std::ceil(x); }
double libmFloor(double x) { return std::floor(x); }
double libmTrunc(double x) { return std::trunc(x); }
double libmNearest(double x) { return std::nearbyint(x); }

TEST(SemSimdFloat, RoundingMatchesLibm) {
  expectLanewise<float>(sem::F32x4Ceil, libmCeil, "f32x4.ceil");
  expectLanewise<float>(sem::F32x4Floor, libmFloor, "f32x4.floor");
  expectLanewise<float>(sem::F32x4Trunc, libmTrunc, "f32x4.trunc");
  expectLanewise<float>(sem::F32x4Nearest, libmNearest, "f32x4.nearest");
  expectLanewise<double>(sem::F64x2Ceil, libmCeil, "f64x2.ceil");
  expectLanewise<double>(sem::F64x2Floor, libmFloor, "f64x2.floor");
  expectLanewise<double>(sem::F64x2Trunc, libmTrunc, "f64x2.trunc");
  expectLanewise<double>(sem::F64x2Nearest, libmNearest, "f64x2.nearest");
}

TEST(SemSimdFloat, RoundingQuietsSignallingNaNLanes) {
  V128 v = sem::F32x4Splat(std::bit_cast<float>(0x7fa0'0001u));
  for (V128 r : {sem::F32x4Ceil(v), sem::F32x4Floor(v), sem::F32x4Trunc(v), sem::F32x4Nearest(v)})
    EXPECT_TRUE(isArithmeticNaN(lanesOf<float>(r)[2]));
  V128 d = sem::F64x2Splat(std::bit_cast<double>(0xfff0'0000'0000'0001u));
  EXPECT_TRUE(isArithmeticNaN(lanesOf<double>(sem::F64x2Nearest(d))[1]));
}

TEST(SemSimdFloat, ComparisonsGiveAllOnesLanes) {
  Values values;
  for (int round = 0; round < kRounds; ++round) {
    V128 a = values.v128<float>(), b = round % 5 == 0 ? a : values.v128<float>();
    auto fa = lanesOf<float>(a), fb = lanesOf<float>(b);
    for (int i = 0; i < 4; ++i) {
      ASSERT_EQ(lanesOf<uint32_t>(sem::F32x4Eq(a, b))[i], sem::F32Eq(fa[i], fb[i]) ? ~0u : 0u);
      ASSERT_EQ(lanesOf<uint32_t>(sem::F32x4Ne(a, b))[i], sem::F32Ne(fa[i], fb[i]) ? ~0u : 0u);
      ASSERT_EQ(lanesOf<uint32_t>(sem::F32x4Le(a, b))[i], sem::F32Le(fa[i], fb[i]) ? ~0u : 0u);
    }
    V128 c = values.v128<double>(), d = values.v128<double>();
    auto dc = lanesOf<double>(c), dd = lanesOf<double>(d);
    for (int i = 0; i < 2; ++i) {
      ASSERT_EQ(lanesOf<uint64_t>(sem::F64x2Lt(c, d))[i], sem::F64Lt(dc[i], dd[i]) ? ~0ull : 0ull);
      ASSERT_EQ(lanesOf<uint64_t>(sem::F64x2Ge(c, d))[i], sem::F64Ge(dc[i], dd[i]) ? ~0ull : 0ull);
    }
  }
}

TEST(SemSimdFloat, ConversionsMatchScalarConversions) {
  Values values;
  for (int round = 0; round < kRounds; ++round) {
    V128 f = values.v128<float>(), d = values.v128<double>(), i = values.v128<int32_t>();
    auto lf = lanesOf<float>(f);
    auto ld = lanesOf<double>(d);
    auto li = lanesOf<uint32_t>(i);
    for (int k = 0; k < 4; ++k) {
      ASSERT_EQ(lanesOf<uint32_t>(sem::I32x4TruncSatF32x4S(f))[k], sem::I32TruncSatF32S(lf[k])) << std::hexfloat << lf[k];
      ASSERT_EQ(lanesOf<uint32_t>(sem::I32x4TruncSatF32x4U(f))[k], sem::I32TruncSatF32U(lf[k])) << std::hexfloat << lf[k];
      ASSERT_EQ(bitsOf(lanesOf<float>(sem::F32x4ConvertI32x4S(i))[k]), bitsOf(sem::F32ConvertI32S(li[k])));
      ASSERT_EQ(bitsOf(lanesOf<float>(sem::F32x4ConvertI32x4U(i))[k]), bitsOf(sem::F32ConvertI32U(li[k]))) << li[k];
    }
    for (int k = 0; k < 2; ++k) {
      ASSERT_EQ(lanesOf<uint32_t>(sem::I32x4TruncSatF64x2SZero(d))[k], sem::I32TruncSatF64S(ld[k])) << std::hexfloat << ld[k];
      ASSERT_EQ(lanesOf<uint32_t>(sem::I32x4TruncSatF64x2UZero(d))[k], sem::I32TruncSatF64U(ld[k])) << std::hexfloat << ld[k];
      ASSERT_EQ(lanesOf<uint32_t>(sem::I32x4TruncSatF64x2SZero(d))[k + 2], 0u);
      ASSERT_EQ(lanesOf<uint32_t>(sem::I32x4TruncSatF64x2UZero(d))[k + 2], 0u);
      ASSERT_EQ(lanesOf<double>(sem::F64x2ConvertLowI32x4S(i))[k], sem::F64ConvertI32S(li[k]));
      ASSERT_EQ(lanesOf<double>(sem::F64x2ConvertLowI32x4U(i))[k], sem::F64ConvertI32U(li[k]));
      ASSERT_TRUE(sameOrBothNaN(lanesOf<float>(sem::F32x4DemoteF64x2Zero(d))[k], sem::F32DemoteF64(ld[k])));
      ASSERT_EQ(bitsOf(lanesOf<float>(sem::F32x4DemoteF64x2Zero(d))[k + 2]), 0u);
      ASSERT_TRUE(sameOrBothNaN(lanesOf<double>(sem::F64x2PromoteLowF32x4(f))[k], sem::F64PromoteF32(lf[k])));
    }
  }
}

TEST(SemSimdFloat, DemoteAndPromoteKeepNaNClasses) {
  V128 canonical = sem::F64x2Splat(std::bit_cast<double>(0x7ff8'0000'0000'0000u));
  EXPECT_TRUE(isCanonicalNaN(lanesOf<float>(sem::F32x4DemoteF64x2Zero(canonical))[1]));
  V128 payload = sem::F32x4Splat(std::bit_cast<float>(0x7fa0'1234u));
  EXPECT_TRUE(isArithmeticNaN(lanesOf<double>(sem::F64x2PromoteLowF32x4(payload))[0]));
}

}  // namespace
