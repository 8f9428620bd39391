// The contract the interpreter relies on: which rows have semantics, what Apply exposes, and
// sem::evaluate's refusals for input it cannot evaluate.
#include <gtest/gtest.h>

#include <array>

#include "interp/semantics/evaluate.h"

namespace {

namespace sem = bantam::sem;
namespace wasm = bantam::wasm;
using bantam::runtime::RawVal;
using bantam::runtime::TrapKind;

static_assert(sem::kHasSemantics<wasm::Op::I32Add>);
static_assert(sem::kHasSemantics<wasm::Op::I8x16Shuffle>);
static_assert(sem::kHasSemantics<wasm::Op::F64x2ExtractLane>);
static_assert(!sem::kHasSemantics<wasm::Op::I32Const>);
static_assert(!sem::kHasSemantics<wasm::Op::V128Const>);
static_assert(!sem::kHasSemantics<wasm::Op::V128Load>);
static_assert(!sem::kHasSemantics<wasm::Op::V128Load8Lane>);
static_assert(!sem::kHasSemantics<wasm::Op::Nop>);
static_assert(sem::Apply<wasm::Op::I32DivS>::kCanTrap);
static_assert(sem::Apply<wasm::Op::I64TruncF32U>::kCanTrap);
static_assert(!sem::Apply<wasm::Op::I32TruncSatF32S>::kCanTrap);
static_assert(!sem::Apply<wasm::Op::I32Add>::kCanTrap);
static_assert(sem::Apply<wasm::Op::I8x16ReplaceLane>::kArity == 3);  // v, x, lane
static_assert(std::is_same_v<sem::Apply<wasm::Op::F32x4ExtractLane>::Result, float>);
static_assert(sem::Apply<wasm::Op::I64Add>::fn == &sem::I64Add);

TEST(SemContract, EveryNumericAndVectorRowOutsideMemoryAndConstantsHasSemantics) {
  size_t count = 0;
  for (size_t i = 0; i < wasm::kOpCount; ++i) {
    const auto& info = wasm::kOpInfo[i];
    bool numeric = info.category == wasm::OpCategory::Numeric || info.category == wasm::OpCategory::Vector;
    bool memoryOrConst = info.imm != wasm::ImmKind::None && info.imm != wasm::ImmKind::Lane &&
                         info.imm != wasm::ImmKind::Shuffle;
    EXPECT_EQ(sem::hasSemantics(static_cast<wasm::Op>(i)), numeric && !memoryOrConst) << info.text;
    count += sem::hasSemantics(static_cast<wasm::Op>(i));
  }
  EXPECT_GE(count, 349u);  // WebAssembly 2.0: 127 scalar numeric + 222 vector instructions
}

TEST(SemContract, EvaluateReturnsValuesInTheirRawField) {
  std::array<RawVal, 2> args;
  args[0].i64 = 0;
  args[0].f32 = std::bit_cast<uint32_t>(1.5f);
  args[1].i64 = 0;
  args[1].f32 = std::bit_cast<uint32_t>(2.0f);
  auto r = sem::evaluate(wasm::Op::F32Add, args);
  ASSERT_TRUE(r && r->ok);
  EXPECT_EQ(std::bit_cast<float>(r->value.f32), 3.5f);
}

TEST(SemContract, EvaluateReportsTrapsAsOutcomes) {
  std::array<RawVal, 2> args;
  args[0].i32 = 1;
  args[1].i32 = 0;
  auto r = sem::evaluate(wasm::Op::I32RemU, args);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->trap, TrapKind::IntegerDivideByZero);
}

TEST(SemContract, EvaluateRefusesWhatItCannotEvaluate) {
  std::array<RawVal, 2> args;
  EXPECT_FALSE(sem::evaluate(wasm::Op::I32Const, {}));
  EXPECT_FALSE(sem::evaluate(wasm::Op::V128Load, std::span(args.data(), 1)));
  EXPECT_FALSE(sem::evaluate(wasm::Op::I32Add, std::span(args.data(), 1)));  // operand count
  EXPECT_FALSE(sem::evaluate(wasm::Op::I32x4ExtractLane, std::span(args.data(), 1), 4));  // lane
  EXPECT_TRUE(sem::evaluate(wasm::Op::I32x4ExtractLane, std::span(args.data(), 1), 3));
  EXPECT_FALSE(sem::evaluate(wasm::Op::I8x16Shuffle, args, 0, nullptr));
}

}  // namespace
