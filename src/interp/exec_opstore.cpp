// Operation-and-store super-instructions: `mem[addr + offset] = op(a, b)` in one handler, for
// the arithmetic whose result goes straight to memory (p->x += ..., a[i] = b[i] op c; measured
// 11% of the handler pairs of bench/kernels/nbody.c). Layout {addr, offset, [a,] [b | imm]}: an
// operand in the accumulator is omitted. Full-width stores of the operation's own type only.
#include "interp/exec_sem.h"
#include "interp/handlers.h"

namespace bantam::interp {

namespace {

using wasm::Op;

struct Row {
  Op store;
  Op ops[8];
  int count;
};
constexpr Row kRows[] = {
    {Op::I32Store, {Op::I32Add, Op::I32Sub, Op::I32Mul, Op::I32And, Op::I32Or, Op::I32Xor, Op::I32Shl, Op::I32ShrU}, 8},
    {Op::I64Store, {Op::I64Add, Op::I64Sub, Op::I64Mul, Op::I64And, Op::I64Or, Op::I64Xor, Op::I64Shl, Op::I64ShrU}, 8},
    {Op::F32Store, {Op::F32Add, Op::F32Sub, Op::F32Mul, Op::F32Div}, 4},
    {Op::F64Store, {Op::F64Add, Op::F64Sub, Op::F64Mul, Op::F64Div}, 4},
};

// b from the accumulator (a in a slot) is the third operand form: kBAcc.
template <Op op, bool kAAcc, bool kBImm, bool kBAcc = false>
BANTAM_HANDLER(opStore) {
  using T = SemParam<op, 0>;
  constexpr int kB = kAAcc ? 2 : 3;
  constexpr int kEnd = kBAcc ? 3 : kB + (kBImm ? kUnitsOf<T> : 1);
  T a = kAAcc ? BANTAM_ACC(T) : rd<T>(fp, u(pc, 2));
  T b = kBAcc ? BANTAM_ACC(T) : kBImm ? imm<T>(pc, kB) : rd<T>(fp, u(pc, kB));
  T r = Sem<op>::fn(a, b);
  uint64_t ea = uint64_t{rd<uint32_t>(fp, u(pc, 0))} + u(pc, 1);
  if (ea + sizeof(T) > memSize) [[unlikely]] BANTAM_TRAP(OutOfBoundsMemoryAccess);
  std::memcpy(mem + ea, &r, sizeof r);
  BANTAM_NEXT(kHandlerUnits + kEnd);
}

struct OpStoreTable {
  Handler h[std::size(kRows)][8][2][2] = {};
  Handler bAcc[std::size(kRows)][8] = {};
};

template <int row, int i>
constexpr void fill(OpStoreTable& t) {
  if constexpr (i < kRows[row].count) {
    constexpr Op op = kRows[row].ops[i];
    t.h[row][i][0][0] = &opStore<op, false, false>;
    t.h[row][i][0][1] = &opStore<op, false, true>;
    t.h[row][i][1][0] = &opStore<op, true, false>;
    t.h[row][i][1][1] = &opStore<op, true, true>;
    t.bAcc[row][i] = &opStore<op, false, false, true>;
  }
}

template <int... I>
constexpr OpStoreTable build(std::integer_sequence<int, I...>) {
  OpStoreTable t;
  (fill<I / 8, I % 8>(t), ...);
  return t;
}

const OpStoreTable kOpStores = build(std::make_integer_sequence<int, std::size(kRows) * 8>{});

}  // namespace

Handler opStoreHandler(Op op, Op store, bool aAcc, bool bImm, bool bAcc) {
  for (int r = 0; r < static_cast<int>(std::size(kRows)); ++r) {
    if (kRows[r].store != store) continue;
    for (int i = 0; i < kRows[r].count; ++i)
      if (kRows[r].ops[i] == op) return bAcc ? kOpStores.bAcc[r][i] : kOpStores.h[r][i][aAcc][bImm];
  }
  return nullptr;
}

}  // namespace bantam::interp
