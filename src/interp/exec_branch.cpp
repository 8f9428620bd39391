// Compare-and-branch super-instructions: every scalar comparison fused with br_if / if, with
// the right operand in a slot or an immediate, negated or not (if branches on false), and with
// or without the interruption check of a loop back-edge. Layout {off, [cost,] a, b | imm}.
#include "interp/exec_sem.h"
#include "interp/handlers.h"

namespace bantam::interp {

namespace {

template <wasm::Op op, bool kImm, bool kNeg, bool kCheck>
BANTAM_HANDLER(brCmp) {
  using P = SemParam<op, 0>;
  constexpr int kA = kCheck ? 2 : 1;
  P a = rd<P>(fp, u(pc, kA));
  P b = kImm ? imm<P>(pc, kA + 1) : rd<P>(fp, u(pc, kA + 1));
  if ((Sem<op>::fn(a, b) != 0) != kNeg) {
    if constexpr (kCheck) BANTAM_CHECK_INTERRUPT_THEN(u(pc, 1), branchTarget(pc, 0));
    BANTAM_JUMP(branchTarget(pc, 0));
  }
  BANTAM_NEXT(kHandlerUnits + kA + 1 + (kImm ? kUnitsOf<P> : 1));
}

// {off, [cost,] b | imm}: a is the accumulator.
template <wasm::Op op, bool kImm, bool kNeg, bool kCheck>
BANTAM_HANDLER(brCmpAcc) {
  using P = SemParam<op, 0>;
  constexpr int kB = kCheck ? 2 : 1;
  P a = BANTAM_ACC(P);
  P b = kImm ? imm<P>(pc, kB) : rd<P>(fp, u(pc, kB));
  if ((Sem<op>::fn(a, b) != 0) != kNeg) {
    if constexpr (kCheck) BANTAM_CHECK_INTERRUPT_THEN(u(pc, 1), branchTarget(pc, 0));
    BANTAM_JUMP(branchTarget(pc, 0));
  }
  BANTAM_NEXT(kHandlerUnits + kB + (kImm ? kUnitsOf<P> : 1));
}

// Increment and test: t = a + (b | imm) is stored to d (and the accumulator), then compared
// with c | imm; the end of almost every counted loop (`i += k; br_if (i < n)`, measured 22% of
// the handler pairs of bench/kernels/sieve.c). {off, [cost,] d, a, b | imm, c | imm}.
template <wasm::Op op, bool kBImm, bool kCImm, bool kNeg, bool kCheck>
BANTAM_HANDLER(addBr) {
  constexpr int kD = kCheck ? 2 : 1;
  uint32_t t = rd<uint32_t>(fp, u(pc, kD + 1)) + (kBImm ? u(pc, kD + 2) : rd<uint32_t>(fp, u(pc, kD + 2)));
  wr(fp, u(pc, kD), t);
  acc = t;
  uint32_t c = kCImm ? u(pc, kD + 3) : rd<uint32_t>(fp, u(pc, kD + 3));
  if ((Sem<op>::fn(t, c) != 0) != kNeg) {
    if constexpr (kCheck) BANTAM_CHECK_INTERRUPT_THEN(u(pc, 1), branchTarget(pc, 0));
    BANTAM_JUMP(branchTarget(pc, 0));
  }
  BANTAM_NEXT(kHandlerUnits + kD + 4);
}

template <wasm::Op op>
constexpr BranchHandlers branchHandlers() {
  if constexpr (isCompare(op)) {
    BranchHandlers b;
    b.h[0][0][0] = &brCmp<op, false, false, false>;
    b.h[0][0][1] = &brCmp<op, false, false, true>;
    b.h[0][1][0] = &brCmp<op, false, true, false>;
    b.h[0][1][1] = &brCmp<op, false, true, true>;
    b.h[1][0][0] = &brCmp<op, true, false, false>;
    b.h[1][0][1] = &brCmp<op, true, false, true>;
    b.h[1][1][0] = &brCmp<op, true, true, false>;
    b.h[1][1][1] = &brCmp<op, true, true, true>;
    b.hAcc[0][0][0] = &brCmpAcc<op, false, false, false>;
    b.hAcc[0][0][1] = &brCmpAcc<op, false, false, true>;
    b.hAcc[0][1][0] = &brCmpAcc<op, false, true, false>;
    b.hAcc[0][1][1] = &brCmpAcc<op, false, true, true>;
    b.hAcc[1][0][0] = &brCmpAcc<op, true, false, false>;
    b.hAcc[1][0][1] = &brCmpAcc<op, true, false, true>;
    b.hAcc[1][1][0] = &brCmpAcc<op, true, true, false>;
    b.hAcc[1][1][1] = &brCmpAcc<op, true, true, true>;
    if constexpr (wasm::opInfo(op).params[0] == 'i') {
      [&]<int... I>(std::integer_sequence<int, I...>) {
        ((b.add[I >> 3][(I >> 2) & 1][(I >> 1) & 1][I & 1] =
              &addBr<op, (I >> 3) != 0, ((I >> 2) & 1) != 0, ((I >> 1) & 1) != 0, (I & 1) != 0>),
         ...);
      }(std::make_integer_sequence<int, 16>{});
    }
    return b;
  } else {
    return {};
  }
}

constexpr std::array<BranchHandlers, wasm::kOpCount> buildBranchTable() {
  std::array<BranchHandlers, wasm::kOpCount> t{};
#define BANTAM_OP(name, ...) t[static_cast<size_t>(wasm::Op::name)] = branchHandlers<wasm::Op::name>();
#include "wasm/opcodes.def"
#undef BANTAM_OP
  return t;
}

}  // namespace

const std::array<BranchHandlers, wasm::kOpCount> kBranchCmp = buildBranchTable();

}  // namespace bantam::interp
