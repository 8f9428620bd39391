// The i32/i64 instructions: the trapping division family, shift and rotate counts taken modulo
// the width, bit counts, sign extension, and usability in constant expressions.
#include <gtest/gtest.h>

#include "interp/semantics/semantics.h"
#include "test_values.h"

namespace {

namespace sem = bantam::sem;
using bantam::runtime::TrapKind;

TEST(SemInteger, DivisionByZeroTrapsWithIntegerDivideByZero) {
  for (auto r : {sem::I32DivS(7, 0), sem::I32DivU(7, 0), sem::I32RemS(7, 0), sem::I32RemU(7, 0)}) {
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.trap, TrapKind::IntegerDivideByZero);
  }
  for (auto r : {sem::I64DivS(7, 0), sem::I64DivU(7, 0), sem::I64RemS(7, 0), sem::I64RemU(7, 0)}) {
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.trap, TrapKind::IntegerDivideByZero);
  }
}

TEST(SemInteger, SignedDivisionOfMinByMinusOneOverflows) {
  auto r32 = sem::I32DivS(0x8000'0000u, 0xffff'ffffu);
  EXPECT_FALSE(r32.ok);
  EXPECT_EQ(r32.trap, TrapKind::IntegerOverflow);
  auto r64 = sem::I64DivS(0x8000'0000'0000'0000u, ~uint64_t(0));
  EXPECT_FALSE(r64.ok);
  EXPECT_EQ(r64.trap, TrapKind::IntegerOverflow);
}

TEST(SemInteger, SignedRemainderOfMinByMinusOneIsZero) {
  auto r32 = sem::I32RemS(0x8000'0000u, 0xffff'ffffu);
  ASSERT_TRUE(r32.ok);
  EXPECT_EQ(r32.value, 0u);
  auto r64 = sem::I64RemS(0x8000'0000'0000'0000u, ~uint64_t(0));
  ASSERT_TRUE(r64.ok);
  EXPECT_EQ(r64.value, 0u);
}

TEST(SemInteger, DivisionTruncatesTowardZeroAndRemainderTakesTheDividendsSign) {
  EXPECT_EQ(sem::I32DivS(uint32_t(-7), 2).value, uint32_t(-3));
  EXPECT_EQ(sem::I32RemS(uint32_t(-7), 2).value, uint32_t(-1));
  EXPECT_EQ(sem::I32RemS(7, uint32_t(-2)).value, 1u);
  EXPECT_EQ(sem::I32DivU(uint32_t(-7), 2).value, 0x7fff'fffcu);
  EXPECT_EQ(sem::I64DivS(uint64_t(-7), 2).value, uint64_t(-3));
  EXPECT_EQ(sem::I64RemU(uint64_t(-1), 10).value, 5u);
}

TEST(SemInteger, ShiftCountsAreTakenModuloTheWidth) {
  EXPECT_EQ(sem::I32Shl(1, 33), 2u);
  EXPECT_EQ(sem::I32ShrU(0x8000'0000u, 32), 0x8000'0000u);
  EXPECT_EQ(sem::I32ShrS(0x8000'0000u, 0xffff'ffffu), 0xffff'ffffu);  // count 31
  EXPECT_EQ(sem::I64Shl(1, 65), 2u);
  EXPECT_EQ(sem::I64ShrS(0x8000'0000'0000'0000u, 127), ~uint64_t(0));
  EXPECT_EQ(sem::I64ShrU(0x8000'0000'0000'0000u, 64), 0x8000'0000'0000'0000u);
}

TEST(SemInteger, RotationsWrapAround) {
  EXPECT_EQ(sem::I32Rotl(0x8000'0001u, 1), 0x0000'0003u);
  EXPECT_EQ(sem::I32Rotr(0x8000'0001u, 33), 0xc000'0000u);
  EXPECT_EQ(sem::I64Rotl(0x8000'0000'0000'0001u, 65), 3u);
  EXPECT_EQ(sem::I64Rotr(1, 0), 1u);
}

TEST(SemInteger, BitCountsOfZeroAreTheWidth) {
  EXPECT_EQ(sem::I32Clz(0), 32u);
  EXPECT_EQ(sem::I32Ctz(0), 32u);
  EXPECT_EQ(sem::I64Clz(0), 64u);
  EXPECT_EQ(sem::I64Ctz(0), 64u);
  EXPECT_EQ(sem::I32Popcnt(0xffff'ffffu), 32u);
  EXPECT_EQ(sem::I64Popcnt(0x8000'0000'0000'0001u), 2u);
}

TEST(SemInteger, ComparisonsReadOperandsAsSignedOrUnsigned) {
  EXPECT_EQ(sem::I32LtS(0xffff'ffffu, 0), 1u);
  EXPECT_EQ(sem::I32LtU(0xffff'ffffu, 0), 0u);
  EXPECT_EQ(sem::I64GeS(0, ~uint64_t(0)), 1u);
  EXPECT_EQ(sem::I64GeU(0, ~uint64_t(0)), 0u);
  EXPECT_EQ(sem::I64Eqz(0), 1u);
}

TEST(SemInteger, SignExtensionUsesOnlyTheLowBits) {
  EXPECT_EQ(sem::I32Extend8S(0x1234'5680u), 0xffff'ff80u);
  EXPECT_EQ(sem::I32Extend16S(0x1234'7fffu), 0x7fffu);
  EXPECT_EQ(sem::I64Extend8S(0x01ffu), ~uint64_t(0));
  EXPECT_EQ(sem::I64Extend16S(0x8000u), 0xffff'ffff'ffff'8000u);
  EXPECT_EQ(sem::I64Extend32S(0x1'8000'0000u), 0xffff'ffff'8000'0000u);
  EXPECT_EQ(sem::I64ExtendI32S(0x8000'0000u), 0xffff'ffff'8000'0000u);
  EXPECT_EQ(sem::I64ExtendI32U(0x8000'0000u), 0x8000'0000u);
  EXPECT_EQ(sem::I32WrapI64(0x1'2345'6789u), 0x2345'6789u);
}

TEST(SemInteger, DivisionMatchesWideReferenceOnRandomOperands) {
  bantam::sem::testing::Values values;
  for (int i = 0; i < 20000; ++i) {
    int64_t a = values.integer<int64_t>(), b = values.integer<int64_t>();
    __int128 wa = a, wb = b;
    auto q = sem::I64DivS(uint64_t(a), uint64_t(b));
    auto r = sem::I64RemS(uint64_t(a), uint64_t(b));
    if (b == 0) {
      EXPECT_FALSE(q.ok);
      EXPECT_FALSE(r.ok);
      continue;
    }
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(int64_t(r.value), int64_t(wa % wb)) << a << " rem " << b;
    if (wa / wb > INT64_MAX) {
      EXPECT_EQ(q.trap, TrapKind::IntegerOverflow);
    } else {
      ASSERT_TRUE(q.ok);
      EXPECT_EQ(int64_t(q.value), int64_t(wa / wb)) << a << " div " << b;
    }
    int32_t c = values.integer<int32_t>(), d = values.integer<int32_t>();
    if (d != 0 && !(c == INT32_MIN && d == -1)) {
      EXPECT_EQ(int32_t(sem::I32DivS(uint32_t(c), uint32_t(d)).value), c / d);
      EXPECT_EQ(int32_t(sem::I32RemS(uint32_t(c), uint32_t(d)).value), c % d);
      EXPECT_EQ(sem::I32DivU(uint32_t(c), uint32_t(d)).value, uint32_t(c) / uint32_t(d));
    }
  }
}

// Constant folding can evaluate the integer instructions at compile time.
static_assert(sem::I32Add(0xffff'ffffu, 2) == 1);
static_assert(sem::I64Rotl(1, 64) == 1);
static_assert(sem::I32DivS(7, 0).trap == TrapKind::IntegerDivideByZero);
static_assert(sem::I64Clz(1) == 63);

}  // namespace
