// The lane-moving v128 instructions: splat/extract/replace (float lanes keep NaN bits),
// shuffle and swizzle against their definitions, and the bitwise operations.
#include <gtest/gtest.h>

#include "interp/semantics/semantics.h"
#include "test_values.h"

namespace {

namespace sem = bantam::sem;
using bantam::runtime::V128;
using namespace bantam::sem::testing;

TEST(SemSimdLanes, SplatExtractAndReplaceKeepFloatBits) {
  float snan = std::bit_cast<float>(0x7fa0'0001u);
  V128 v = sem::F32x4Splat(snan);
  EXPECT_EQ(lanesOf<uint32_t>(v)[3], 0x7fa0'0001u);
  EXPECT_EQ(std::bit_cast<uint32_t>(sem::F32x4ExtractLane(v, 2)), 0x7fa0'0001u);
  double dnan = std::bit_cast<double>(0xfff4'0000'0000'0001u);
  V128 w = sem::F64x2ReplaceLane(sem::F64x2Splat(-0.0), dnan, 1);
  EXPECT_EQ(lanesOf<uint64_t>(w)[0], 0x8000'0000'0000'0000u);
  EXPECT_EQ(std::bit_cast<uint64_t>(sem::F64x2ExtractLane(w, 1)), 0xfff4'0000'0000'0001u);
}

TEST(SemSimdLanes, ExtractSignOrZeroExtendsNarrowLanes) {
  V128 v = sem::I16x8ReplaceLane(sem::I8x16Splat(0x80), 0xfffe, 7);
  EXPECT_EQ(sem::I8x16ExtractLaneS(v, 0), 0xffff'ff80u);
  EXPECT_EQ(sem::I8x16ExtractLaneU(v, 15), 0xffu);
  EXPECT_EQ(sem::I16x8ExtractLaneS(v, 7), 0xffff'fffeu);
  EXPECT_EQ(sem::I16x8ExtractLaneU(v, 7), 0xfffeu);
  EXPECT_EQ(sem::I16x8ExtractLaneU(v, 0), 0x8080u);
  EXPECT_EQ(sem::I32x4ExtractLane(sem::I32x4ReplaceLane(v, 42, 2), 2), 42u);
  EXPECT_EQ(sem::I64x2ExtractLane(sem::I64x2Splat(0x0102'0304'0506'0708u), 1), 0x0102'0304'0506'0708u);
  // replace_lane takes only the low bits of its i32 operand.
  EXPECT_EQ(sem::I8x16ExtractLaneU(sem::I8x16ReplaceLane(v, 0x1234, 3), 3), 0x34u);
}

TEST(SemSimdLanes, ShufflePicksBytesOfBothOperands) {
  Values values;
  for (int round = 0; round < 2000; ++round) {
    V128 a = values.v128<uint64_t>(), b = values.v128<uint64_t>();
    uint8_t lanes[16];
    for (auto& l : lanes) l = values.bits() % 32;
    V128 r = sem::I8x16Shuffle(a, b, lanes);
    for (int i = 0; i < 16; ++i)
      ASSERT_EQ(r.bytes[i], lanes[i] < 16 ? a.bytes[lanes[i]] : b.bytes[lanes[i] - 16]) << i;
  }
}

TEST(SemSimdLanes, SwizzleGivesZeroForIndicesOutOfRange) {
  Values values;
  for (int round = 0; round < 2000; ++round) {
    V128 a = values.v128<uint64_t>(), s = values.v128<uint8_t>();
    if (round % 2) for (auto& b : s.bytes) b %= 20;  // mostly in range, some just past it
    V128 r = sem::I8x16Swizzle(a, s);
    for (int i = 0; i < 16; ++i) ASSERT_EQ(r.bytes[i], s.bytes[i] < 16 ? a.bytes[s.bytes[i]] : 0) << i;
  }
  V128 a = sem::I8x16Splat(0xaa);
  std::array<uint8_t, 16> s{16, 17, 0x80, 0xff, 0x70, 0x8f, 15, 0, 31, 32, 64, 128, 200, 240, 250, 1};
  auto r = lanesOf<uint8_t>(sem::I8x16Swizzle(a, v128Of(s)));
  EXPECT_EQ(r, (std::array<uint8_t, 16>{0, 0, 0, 0, 0, 0, 0xaa, 0xaa, 0, 0, 0, 0, 0, 0, 0, 0xaa}));
}

TEST(SemSimdLanes, BitwiseOperationsActOnAllBits) {
  Values values;
  for (int round = 0; round < 1000; ++round) {
    V128 a = values.v128<uint64_t>(), b = values.v128<uint64_t>(), c = values.v128<uint64_t>();
    auto x = lanesOf<uint64_t>(a), y = lanesOf<uint64_t>(b), m = lanesOf<uint64_t>(c);
    for (int i = 0; i < 2; ++i) {
      ASSERT_EQ(lanesOf<uint64_t>(sem::V128Not(a))[i], ~x[i]);
      ASSERT_EQ(lanesOf<uint64_t>(sem::V128And(a, b))[i], x[i] & y[i]);
      ASSERT_EQ(lanesOf<uint64_t>(sem::V128AndNot(a, b))[i], x[i] & ~y[i]);
      ASSERT_EQ(lanesOf<uint64_t>(sem::V128Or(a, b))[i], x[i] | y[i]);
      ASSERT_EQ(lanesOf<uint64_t>(sem::V128Xor(a, b))[i], x[i] ^ y[i]);
      ASSERT_EQ(lanesOf<uint64_t>(sem::V128Bitselect(a, b, c))[i], (x[i] & m[i]) | (y[i] & ~m[i]));
    }
  }
}

TEST(SemSimdLanes, AnyTrueSeesASingleSetBit) {
  EXPECT_EQ(sem::V128AnyTrue(V128{}), 0u);
  EXPECT_EQ(sem::V128AnyTrue(sem::I8x16ReplaceLane(V128{}, 0x10, 15)), 1u);
  EXPECT_EQ(sem::V128AnyTrue(sem::I8x16ReplaceLane(V128{}, 0x01, 0)), 1u);
}

}  // namespace
