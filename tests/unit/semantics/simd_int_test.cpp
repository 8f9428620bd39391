// The integer-lane v128 instructions against lane-by-lane scalar references written from the
// spec's definitions, on random and boundary lanes, plus the named edge cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "interp/semantics/semantics.h"
#include "test_values.h"

namespace {

namespace sem = bantam::sem;
using bantam::runtime::V128;
using bantam::sem::testing::lanesOf;
using bantam::sem::testing::v128Of;
using bantam::sem::testing::Values;

constexpr int kRounds = 3000;

template <class T>
T sat(int64_t v) {
  return static_cast<T>(std::clamp<int64_t>(v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
}
template <class T>
T mask(bool b) {
  return b ? T(-1) : T(0);
}

// op(a, b) must equal ref(a[i], b[i]) in every lane i; T is the lane type both are read as.
template <class T>
void expectLanewise(V128 (*op)(V128, V128), std::function<T(T, T)> ref, const char* name) {
  Values values(std::hash<std::string_view>{}(name));
  for (int round = 0; round < kRounds; ++round) {
    V128 a = values.v128<T>(), b = round % 7 == 0 ? a : values.v128<T>();
    auto got = lanesOf<T>(op(a, b));
    auto la = lanesOf<T>(a), lb = lanesOf<T>(b);
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_EQ(got[i], ref(la[i], lb[i])) << name << " lane " << i << " of " << +la[i] << ", " << +lb[i];
  }
}
template <class T>
void expectLanewise(V128 (*op)(V128), std::function<T(T)> ref, const char* name) {
  Values values(std::hash<std::string_view>{}(name));
  for (int round = 0; round < kRounds; ++round) {
    V128 a = values.v128<T>();
    auto got = lanesOf<T>(op(a));
    auto la = lanesOf<T>(a);
    for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], ref(la[i])) << name << " lane " << i << " of " << +la[i];
  }
}

TEST(SemSimdInt, ArithmeticMatchesLanewiseReference) {
  using I8 = int8_t;
  using U8 = uint8_t;
  using I16 = int16_t;
  using U16 = uint16_t;
  expectLanewise<U8>(sem::I8x16Add, [](U8 a, U8 b) { return U8(a + b); }, "i8x16.add");
  expectLanewise<U8>(sem::I8x16Sub, [](U8 a, U8 b) { return U8(a - b); }, "i8x16.sub");
  expectLanewise<I8>(sem::I8x16AddSatS, [](I8 a, I8 b) { return sat<I8>(a + b); }, "i8x16.add_sat_s");
  expectLanewise<U8>(sem::I8x16AddSatU, [](U8 a, U8 b) { return sat<U8>(a + b); }, "i8x16.add_sat_u");
  expectLanewise<I8>(sem::I8x16SubSatS, [](I8 a, I8 b) { return sat<I8>(a - b); }, "i8x16.sub_sat_s");
  expectLanewise<U8>(sem::I8x16SubSatU, [](U8 a, U8 b) { return sat<U8>(a - b); }, "i8x16.sub_sat_u");
  expectLanewise<I8>(sem::I8x16MinS, [](I8 a, I8 b) { return std::min(a, b); }, "i8x16.min_s");
  expectLanewise<U8>(sem::I8x16MaxU, [](U8 a, U8 b) { return std::max(a, b); }, "i8x16.max_u");
  expectLanewise<U8>(sem::I8x16AvgrU, [](U8 a, U8 b) { return U8((a + b + 1) / 2); }, "i8x16.avgr_u");
  expectLanewise<U16>(sem::I16x8Mul, [](U16 a, U16 b) { return U16(uint32_t(a) * b); }, "i16x8.mul");
  expectLanewise<I16>(sem::I16x8AddSatS, [](I16 a, I16 b) { return sat<I16>(a + b); }, "i16x8.add_sat_s");
  expectLanewise<U16>(sem::I16x8SubSatU, [](U16 a, U16 b) { return sat<U16>(a - b); }, "i16x8.sub_sat_u");
  expectLanewise<I16>(sem::I16x8MaxS, [](I16 a, I16 b) { return std::max(a, b); }, "i16x8.max_s");
  expectLanewise<U16>(sem::I16x8MinU, [](U16 a, U16 b) { return std::min(a, b); }, "i16x8.min_u");
  expectLanewise<U16>(sem::I16x8AvgrU, [](U16 a, U16 b) { return U16((a + b + 1) / 2); }, "i16x8.avgr_u");
  expectLanewise<I16>(sem::I16x8Q15mulrSatS, [](I16 a, I16 b) { return sat<I16>((a * b + 0x4000) >> 15); },
                      "i16x8.q15mulr_sat_s");
  expectLanewise<uint32_t>(sem::I32x4Mul, [](uint32_t a, uint32_t b) { return a * b; }, "i32x4.mul");
  expectLanewise<int32_t>(sem::I32x4MinS, [](int32_t a, int32_t b) { return std::min(a, b); }, "i32x4.min_s");
  expectLanewise<uint32_t>(sem::I32x4MaxU, [](uint32_t a, uint32_t b) { return std::max(a, b); }, "i32x4.max_u");
  expectLanewise<uint64_t>(sem::I64x2Mul, [](uint64_t a, uint64_t b) { return a * b; }, "i64x2.mul");
  expectLanewise<uint64_t>(sem::I64x2Sub, [](uint64_t a, uint64_t b) { return a - b; }, "i64x2.sub");
}

TEST(SemSimdInt, UnaryOperationsMatchLanewiseReference) {
  expectLanewise<int8_t>(sem::I8x16Abs, [](int8_t a) { return int8_t(a < 0 ? -uint8_t(a) : a); }, "i8x16.abs");
  expectLanewise<int16_t>(sem::I16x8Abs, [](int16_t a) { return int16_t(a < 0 ? -uint16_t(a) : a); }, "i16x8.abs");
  expectLanewise<int32_t>(sem::I32x4Abs, [](int32_t a) { return int32_t(a < 0 ? 0u - uint32_t(a) : a); }, "i32x4.abs");
  expectLanewise<int64_t>(sem::I64x2Abs, [](int64_t a) { return int64_t(a < 0 ? 0 - uint64_t(a) : a); }, "i64x2.abs");
  expectLanewise<uint8_t>(sem::I8x16Neg, [](uint8_t a) { return uint8_t(-a); }, "i8x16.neg");
  expectLanewise<uint64_t>(sem::I64x2Neg, [](uint64_t a) { return 0 - a; }, "i64x2.neg");
  expectLanewise<uint8_t>(sem::I8x16Popcnt, [](uint8_t a) { return uint8_t(std::popcount(a)); }, "i8x16.popcnt");
}

TEST(SemSimdInt, ComparisonsGiveAllOnesLanes) {
  expectLanewise<int8_t>(sem::I8x16LtS, [](int8_t a, int8_t b) { return mask<int8_t>(a < b); }, "i8x16.lt_s");
  expectLanewise<uint8_t>(sem::I8x16GeU, [](uint8_t a, uint8_t b) { return mask<uint8_t>(a >= b); }, "i8x16.ge_u");
  expectLanewise<int16_t>(sem::I16x8GtS, [](int16_t a, int16_t b) { return mask<int16_t>(a > b); }, "i16x8.gt_s");
  expectLanewise<uint16_t>(sem::I16x8LeU, [](uint16_t a, uint16_t b) { return mask<uint16_t>(a <= b); }, "i16x8.le_u");
  expectLanewise<uint32_t>(sem::I32x4Ne, [](uint32_t a, uint32_t b) { return mask<uint32_t>(a != b); }, "i32x4.ne");
  expectLanewise<uint32_t>(sem::I32x4GtU, [](uint32_t a, uint32_t b) { return mask<uint32_t>(a > b); }, "i32x4.gt_u");
  expectLanewise<int64_t>(sem::I64x2LtS, [](int64_t a, int64_t b) { return mask<int64_t>(a < b); }, "i64x2.lt_s");
  expectLanewise<int64_t>(sem::I64x2GeS, [](int64_t a, int64_t b) { return mask<int64_t>(a >= b); }, "i64x2.ge_s");
  expectLanewise<int64_t>(sem::I64x2Eq, [](int64_t a, int64_t b) { return mask<int64_t>(a == b); }, "i64x2.eq");
}

TEST(SemSimdInt, ShiftCountsAreTakenModuloTheLaneWidth) {
  Values values;
  for (uint32_t k : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 31u, 32u, 33u, 63u, 64u, 65u, 0xffff'ffffu}) {
    V128 v = values.v128<int8_t>();
    auto i8 = lanesOf<int8_t>(v);
    auto i16 = lanesOf<int16_t>(v);
    auto i32 = lanesOf<int32_t>(v);
    auto i64 = lanesOf<int64_t>(v);
    for (int i = 0; i < 16; ++i) {
      EXPECT_EQ(lanesOf<uint8_t>(sem::I8x16Shl(v, k))[i], uint8_t(uint8_t(i8[i]) << (k % 8)));
      EXPECT_EQ(lanesOf<int8_t>(sem::I8x16ShrS(v, k))[i], int8_t(i8[i] >> (k % 8)));
      EXPECT_EQ(lanesOf<uint8_t>(sem::I8x16ShrU(v, k))[i], uint8_t(uint8_t(i8[i]) >> (k % 8)));
    }
    for (int i = 0; i < 8; ++i) {
      EXPECT_EQ(lanesOf<uint16_t>(sem::I16x8Shl(v, k))[i], uint16_t(uint16_t(i16[i]) << (k % 16)));
      EXPECT_EQ(lanesOf<int16_t>(sem::I16x8ShrS(v, k))[i], int16_t(i16[i] >> (k % 16)));
    }
    for (int i = 0; i < 4; ++i) EXPECT_EQ(lanesOf<uint32_t>(sem::I32x4ShrU(v, k))[i], uint32_t(i32[i]) >> (k % 32));
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(lanesOf<int64_t>(sem::I64x2ShrS(v, k))[i], i64[i] >> (k % 64));
      EXPECT_EQ(lanesOf<uint64_t>(sem::I64x2Shl(v, k))[i], uint64_t(i64[i]) << (k % 64));
    }
  }
}

TEST(SemSimdInt, NarrowSaturatesSignedInputLanes) {
  std::array<int16_t, 8> a{-129, -128, 127, 128, 0, -1, 300, -32768};
  std::array<int16_t, 8> b{255, 256, -5, 1, 32767, 42, -300, 7};
  auto s = lanesOf<int8_t>(sem::I8x16NarrowI16x8S(v128Of(a), v128Of(b)));
  auto u = lanesOf<uint8_t>(sem::I8x16NarrowI16x8U(v128Of(a), v128Of(b)));
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(s[i], sat<int8_t>(a[i]));
    EXPECT_EQ(s[8 + i], sat<int8_t>(b[i]));
    EXPECT_EQ(u[i], sat<uint8_t>(a[i]));
    EXPECT_EQ(u[8 + i], sat<uint8_t>(b[i]));
  }
  std::array<int32_t, 4> c{-32769, 65536, 40000, -1}, d{32767, 65535, INT32_MIN, INT32_MAX};
  auto s16 = lanesOf<int16_t>(sem::I16x8NarrowI32x4S(v128Of(c), v128Of(d)));
  auto u16 = lanesOf<uint16_t>(sem::I16x8NarrowI32x4U(v128Of(c), v128Of(d)));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(s16[i], sat<int16_t>(c[i]));
    EXPECT_EQ(s16[4 + i], sat<int16_t>(d[i]));
    EXPECT_EQ(u16[i], sat<uint16_t>(c[i]));
    EXPECT_EQ(u16[4 + i], sat<uint16_t>(d[i]));
  }
}

TEST(SemSimdInt, WideningOperationsMatchReference) {
  Values values;
  for (int round = 0; round < kRounds; ++round) {
    V128 a = values.v128<int16_t>(), b = values.v128<int16_t>();
    auto a8 = lanesOf<int8_t>(a), b8 = lanesOf<int8_t>(b);
    auto a16 = lanesOf<int16_t>(a), b16 = lanesOf<int16_t>(b);
    auto a32 = lanesOf<int32_t>(a), b32 = lanesOf<int32_t>(b);
    for (int i = 0; i < 8; ++i) {
      EXPECT_EQ(lanesOf<int16_t>(sem::I16x8ExtendHighI8x16S(a))[i], a8[8 + i]);
      EXPECT_EQ(lanesOf<uint16_t>(sem::I16x8ExtendLowI8x16U(a))[i], uint8_t(a8[i]));
      EXPECT_EQ(lanesOf<int16_t>(sem::I16x8ExtmulLowI8x16S(a, b))[i], a8[i] * b8[i]);
      EXPECT_EQ(lanesOf<uint16_t>(sem::I16x8ExtmulHighI8x16U(a, b))[i], uint8_t(a8[8 + i]) * uint8_t(b8[8 + i]));
      EXPECT_EQ(lanesOf<int16_t>(sem::I16x8ExtaddPairwiseI8x16S(a))[i], a8[2 * i] + a8[2 * i + 1]);
      EXPECT_EQ(lanesOf<uint16_t>(sem::I16x8ExtaddPairwiseI8x16U(a))[i], uint8_t(a8[2 * i]) + uint8_t(a8[2 * i + 1]));
    }
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(lanesOf<int32_t>(sem::I32x4ExtendLowI16x8S(a))[i], a16[i]);
      EXPECT_EQ(lanesOf<uint32_t>(sem::I32x4ExtendHighI16x8U(a))[i], uint16_t(a16[4 + i]));
      EXPECT_EQ(lanesOf<int32_t>(sem::I32x4ExtmulHighI16x8S(a, b))[i], a16[4 + i] * b16[4 + i]);
      EXPECT_EQ(lanesOf<uint32_t>(sem::I32x4ExtmulLowI16x8U(a, b))[i], uint32_t(uint16_t(a16[i])) * uint16_t(b16[i]));
      EXPECT_EQ(lanesOf<int32_t>(sem::I32x4ExtaddPairwiseI16x8S(a))[i], a16[2 * i] + a16[2 * i + 1]);
      EXPECT_EQ(lanesOf<uint32_t>(sem::I32x4ExtaddPairwiseI16x8U(a))[i], uint16_t(a16[2 * i]) + uint16_t(a16[2 * i + 1]));
      uint32_t dot = uint32_t(a16[2 * i] * b16[2 * i]) + uint32_t(a16[2 * i + 1] * b16[2 * i + 1]);
      EXPECT_EQ(lanesOf<uint32_t>(sem::I32x4DotI16x8S(a, b))[i], dot);
    }
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(lanesOf<int64_t>(sem::I64x2ExtendHighI32x4S(a))[i], a32[2 + i]);
      EXPECT_EQ(lanesOf<uint64_t>(sem::I64x2ExtendLowI32x4U(a))[i], uint32_t(a32[i]));
      EXPECT_EQ(lanesOf<int64_t>(sem::I64x2ExtmulLowI32x4S(a, b))[i], int64_t(a32[i]) * b32[i]);
      EXPECT_EQ(lanesOf<uint64_t>(sem::I64x2ExtmulHighI32x4U(a, b))[i], uint64_t(uint32_t(a32[2 + i])) * uint32_t(b32[2 + i]));
    }
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(SemSimdInt, DotProductOfMinimumLanesWraps) {
  V128 min = v128Of(std::array<int16_t, 8>{-32768, -32768, -32768, -32768, 1, 2, 3, 4});
  auto r = lanesOf<uint32_t>(sem::I32x4DotI16x8S(min, min));
  EXPECT_EQ(r[0], 0x8000'0000u);  // 2^30 + 2^30 wraps to i32 min
  EXPECT_EQ(r[2], 1u + 4u);
}

TEST(SemSimdInt, Q15MultiplyOfMinimumLanesSaturates) {
  V128 min = sem::I16x8Splat(0x8000);
  EXPECT_EQ(lanesOf<int16_t>(sem::I16x8Q15mulrSatS(min, min))[3], 0x7fff);
  V128 half = sem::I16x8Splat(0x4000);
  EXPECT_EQ(lanesOf<int16_t>(sem::I16x8Q15mulrSatS(half, half))[0], 0x2000);
}

TEST(SemSimdInt, AbsOfMinimumLaneIsMinimum) {
  EXPECT_EQ(lanesOf<uint8_t>(sem::I8x16Abs(sem::I8x16Splat(0x80)))[5], 0x80);
  EXPECT_EQ(lanesOf<uint64_t>(sem::I64x2Abs(sem::I64x2Splat(0x8000'0000'0000'0000u)))[1], 0x8000'0000'0000'0000u);
}

TEST(SemSimdInt, BitmaskCollectsLaneSignBits) {
  std::array<int8_t, 16> b{-1, 0, 0, -128, 1, 127, -2, 0, 0, 0, 0, 0, 0, 0, 0, -1};
  EXPECT_EQ(sem::I8x16Bitmask(v128Of(b)), 0b1000'0000'0100'1001u);
  EXPECT_EQ(sem::I16x8Bitmask(v128Of(std::array<int16_t, 8>{0, -1, 0, 0, 0, 0, 0, -32768})), 0x82u);
  EXPECT_EQ(sem::I32x4Bitmask(v128Of(std::array<int32_t, 4>{-1, -1, 0, -1})), 0xbu);
  EXPECT_EQ(sem::I64x2Bitmask(v128Of(std::array<int64_t, 2>{0, INT64_MIN})), 0x2u);
  EXPECT_EQ(sem::I64x2Bitmask(sem::I64x2Splat(~uint64_t(0))), 0x3u);
}

TEST(SemSimdInt, AllTrueNeedsEveryLaneNonZero) {
  EXPECT_EQ(sem::I8x16AllTrue(sem::I8x16Splat(1)), 1u);
  EXPECT_EQ(sem::I8x16AllTrue(sem::I8x16ReplaceLane(sem::I8x16Splat(1), 0, 9)), 0u);
  EXPECT_EQ(sem::I16x8AllTrue(sem::I8x16Splat(1)), 1u);
  EXPECT_EQ(sem::I16x8AllTrue(sem::I16x8ReplaceLane(sem::I16x8Splat(0x100), 0, 7)), 0u);
  EXPECT_EQ(sem::I32x4AllTrue(sem::I64x2Splat(0x0000'0001'0000'0001u)), 1u);
  EXPECT_EQ(sem::I32x4AllTrue(sem::I64x2Splat(0x0000'0001'0000'0000u)), 0u);
  EXPECT_EQ(sem::I64x2AllTrue(sem::I64x2ReplaceLane(sem::I64x2Splat(1), 0, 1)), 0u);
}

}  // namespace
