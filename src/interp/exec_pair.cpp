// Pair super-instructions: a binary operation whose result feeds the next binary operation
// directly, t = op1(a, b); d = op2(t, c) or op2(c, t), in one handler (the intermediate never
// goes through a slot and there is one dispatch less). Generated for the arithmetic chains
// that dominate compiled code: float (x += a * b, measured on bench/kernels/nbody.c) and
// integer (rotates, shifts, masks and sums: sha256, hash functions, address arithmetic).
// Layout {d, [a,] b | imm, c | imm}: a is omitted when it is the accumulator; c is an
// immediate only with t on the left.
#include "interp/exec_sem.h"
#include "interp/handlers.h"

namespace bantam::interp {

namespace {

using wasm::Op;

// Which operations pair, per type: op1 from the first list, op2 from the second.
struct Group {
  const Op* first;
  int firstCount;
  const Op* second;
  int secondCount;
};
constexpr Op kF32[] = {Op::F32Add, Op::F32Sub, Op::F32Mul, Op::F32Div};
constexpr Op kF64[] = {Op::F64Add, Op::F64Sub, Op::F64Mul, Op::F64Div};
constexpr Op kI32First[] = {Op::I32Add, Op::I32Sub, Op::I32Mul, Op::I32And, Op::I32Or,
                            Op::I32Xor, Op::I32Shl, Op::I32ShrU, Op::I32Rotl};
constexpr Op kI32Second[] = {Op::I32Add, Op::I32Sub, Op::I32And, Op::I32Or, Op::I32Xor, Op::I32Shl, Op::I32ShrU};
constexpr Op kI64First[] = {Op::I64Add, Op::I64Mul, Op::I64And, Op::I64Or, Op::I64Xor, Op::I64Shl, Op::I64ShrU};
constexpr Op kI64Second[] = {Op::I64Add, Op::I64And, Op::I64Or, Op::I64Xor, Op::I64Shl, Op::I64ShrU};
constexpr Group kGroups[] = {
    {kF32, 4, kF32, 4},
    {kF64, 4, kF64, 4},
    {kI32First, std::size(kI32First), kI32Second, std::size(kI32Second)},
    {kI64First, std::size(kI64First), kI64Second, std::size(kI64Second)},
};
constexpr int kMaxFirst = 9, kMaxSecond = 7;

// The operand forms: c in a slot with t on the left or right, or c an immediate (t left).
enum CForm { kCRight, kCLeft, kCImm, kCForms };

template <Op op1, Op op2, int kCForm, bool kAAcc, bool kBImm>
BANTAM_HANDLER(pair) {
  using T = SemParam<op1, 0>;
  constexpr int kB = kAAcc ? 1 : 2;
  constexpr int kC = kB + (kBImm ? kUnitsOf<T> : 1);
  constexpr int kEnd = kC + (kCForm == kCImm ? kUnitsOf<T> : 1);
  T a = kAAcc ? BANTAM_ACC(T) : rd<T>(fp, u(pc, 1));
  T b = kBImm ? imm<T>(pc, kB) : rd<T>(fp, u(pc, kB));
  T c = kCForm == kCImm ? imm<T>(pc, kC) : rd<T>(fp, u(pc, kC));
  T t = Sem<op1>::fn(a, b);
  auto r = kCForm == kCRight ? Sem<op2>::fn(c, t) : Sem<op2>::fn(t, c);
  BANTAM_SEM_STORE(op2, r);
  BANTAM_NEXT(kHandlerUnits + kEnd);
}

struct PairTable {
  // [group][op1][op2][cForm][aAcc][bImm]
  Handler h[std::size(kGroups)][kMaxFirst][kMaxSecond][kCForms][2][2] = {};
};

template <int g, int i, int j, int f>
constexpr void fillForm(PairTable& t) {
  if constexpr (i < kGroups[g].firstCount && j < kGroups[g].secondCount) {
    constexpr Op op1 = kGroups[g].first[i];
    constexpr Op op2 = kGroups[g].second[j];
    t.h[g][i][j][f][0][0] = &pair<op1, op2, f, false, false>;
    t.h[g][i][j][f][0][1] = &pair<op1, op2, f, false, true>;
    t.h[g][i][j][f][1][0] = &pair<op1, op2, f, true, false>;
    t.h[g][i][j][f][1][1] = &pair<op1, op2, f, true, true>;
  }
}

// One fold per group (a single fold over every combination exceeds clang's nesting limit).
template <int g, int... I>
constexpr void fillGroup(PairTable& t, std::integer_sequence<int, I...>) {
  (fillForm<g, I / (kMaxSecond * kCForms), I / kCForms % kMaxSecond, I % kCForms>(t), ...);
}

template <int... G>
constexpr PairTable build(std::integer_sequence<int, G...>) {
  PairTable t;
  (fillGroup<G>(t, std::make_integer_sequence<int, kMaxFirst * kMaxSecond * kCForms>{}), ...);
  return t;
}

const PairTable kPairs = build(std::make_integer_sequence<int, std::size(kGroups)>{});

constexpr int indexIn(const Op* ops, int n, Op op) {
  for (int i = 0; i < n; ++i)
    if (ops[i] == op) return i;
  return -1;
}

}  // namespace

Handler pairHandler(Op op1, Op op2, PairForm form, bool aAcc, bool bImm) {
  for (int g = 0; g < static_cast<int>(std::size(kGroups)); ++g) {
    int i = indexIn(kGroups[g].first, kGroups[g].firstCount, op1);
    int j = indexIn(kGroups[g].second, kGroups[g].secondCount, op2);
    if (i >= 0 && j >= 0) {
      int f = form == PairForm::CRight ? kCRight : form == PairForm::CLeft ? kCLeft : kCImm;
      return kPairs.h[g][i][j][f][aAcc][bImm];
    }
  }
  return nullptr;
}

}  // namespace bantam::interp
