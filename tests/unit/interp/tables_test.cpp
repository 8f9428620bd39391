// Every instruction of the opcode table has its handlers: a row added to opcodes.def without
// them fails here (and its lowering would refuse it with "not supported").
#include <gtest/gtest.h>

#include "interp/handlers.h"

namespace bantam::interp::test {

using wasm::ImmKind;
using wasm::OpCategory;

TEST(InterpTables, EveryNumericInstructionHasHandlers) {
  for (size_t i = 0; i < wasm::kOpCount; ++i) {
    const wasm::OpInfo& info = wasm::kOpInfo[i];
    if (info.category != OpCategory::Numeric || info.imm != ImmKind::None) continue;
    const NumericHandlers& h = kNumeric[i];
    if (info.params.size() == 1) {
      EXPECT_TRUE(h.r && h.acc) << info.text;
    } else {
      EXPECT_TRUE(h.rr && h.ri && h.ir && h.accA && h.accAI && h.accB) << info.text;
    }
  }
}

TEST(InterpTables, EveryVectorInstructionHasAHandler) {
  for (size_t i = 0; i < wasm::kOpCount; ++i) {
    const wasm::OpInfo& info = wasm::kOpInfo[i];
    if (info.category != OpCategory::Vector) continue;
    if (info.imm == ImmKind::MemArg || info.imm == ImmKind::MemArgLane) {
      EXPECT_TRUE(kMemoryVector[i].reg) << info.text;
    } else if (info.imm != ImmKind::V128) {  // v128.const is a named handler
      EXPECT_TRUE(kVector[i]) << info.text;
    }
  }
}

TEST(InterpTables, EveryLoadAndStoreHasItsAddressForms) {
  for (size_t i = 0; i < wasm::kOpCount; ++i) {
    const wasm::OpInfo& info = wasm::kOpInfo[i];
    if (info.category != OpCategory::Memory || info.imm != ImmKind::MemArg) continue;
    const MemoryHandlers& m = kMemory[i];
    EXPECT_TRUE(m.reg && m.abs && m.addImm && m.addReg && m.accAddr) << info.text;
    if (info.results.empty()) EXPECT_TRUE(m.imm && m.addImmImm && m.accVal && m.absAccVal && m.accAddrImm) << info.text;
    else EXPECT_TRUE(m.addImmAcc) << info.text;
  }
}

TEST(InterpTables, EveryComparisonFusesWithBranches) {
  size_t compares = 0;
  for (size_t i = 0; i < wasm::kOpCount; ++i) {
    const BranchHandlers& b = kBranchCmp[i];
    if (!b.h[0][0][0]) continue;
    ++compares;
    for (int f = 0; f < 2; ++f)
      for (int n = 0; n < 2; ++n)
        for (int c = 0; c < 2; ++c) EXPECT_TRUE(b.h[f][n][c] && b.hAcc[f][n][c]) << wasm::kOpInfo[i].text;
  }
  EXPECT_EQ(compares, 10u + 10u + 6u + 6u);  // i32, i64, f32, f64
}

}  // namespace bantam::interp::test
