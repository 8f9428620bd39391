// Load-op super-instructions: a scalar load whose value is consumed at once by a binary
// operation, t = load(addr); d = op(c, t), op(t, c) or op(t, imm), in one handler. The loaded
// value was a temporary of the operand stack, so it never goes through a slot: this is the
// x86 memory operand of C code such as `x - p->f` or `h ^ w[i]` (measured on
// bench/programs/nbody.c: 7 of the 37 handlers of its inner loop were such loads).
// Layouts, after d: address {a, offset} (Reg), {offset} (Acc: the address is the
// accumulator), {a, k, offset} (AddImm: the i32.add before the load folded in, wrapping at
// 32 bits as the separate add would); then c (a slot) or imm (1 or 2 units).
#include <bit>

#include "interp/exec_sem.h"
#include "interp/handlers.h"

namespace bantam::interp {

namespace {

using wasm::Op;

// The loads that fuse and the operations each one fuses with (no division or remainder of
// integers: a handler traps at one place only, the load's).
struct Group {
  Op load;
  const Op* ops;
  int count;
};
constexpr Op kF64Ops[] = {Op::F64Add, Op::F64Sub, Op::F64Mul, Op::F64Div};
constexpr Op kF32Ops[] = {Op::F32Add, Op::F32Sub, Op::F32Mul, Op::F32Div};
constexpr Op kI32Ops[] = {Op::I32Add, Op::I32Sub, Op::I32Mul, Op::I32And, Op::I32Or, Op::I32Xor};
constexpr Op kI64Ops[] = {Op::I64Add, Op::I64Sub, Op::I64Mul, Op::I64And, Op::I64Or, Op::I64Xor};
constexpr Group kGroups[] = {
    {Op::F64Load, kF64Ops, std::size(kF64Ops)},    {Op::F32Load, kF32Ops, std::size(kF32Ops)},
    {Op::I32Load, kI32Ops, std::size(kI32Ops)},    {Op::I32Load8U, kI32Ops, std::size(kI32Ops)},
    {Op::I32Load16U, kI32Ops, std::size(kI32Ops)}, {Op::I64Load, kI64Ops, std::size(kI64Ops)},
};
constexpr int kMaxOps = 6;
enum CForm { kCRight, kCLeft, kCImm, kCForms };
constexpr int kAddrForms = 3;  // MoveForm: Reg, Acc, AddImm

// The memory bytes of each load (its value type is the operation's operand type).
template <Op load>
using MemOf = std::conditional_t<load == Op::I32Load8U, uint8_t,
                                 std::conditional_t<load == Op::I32Load16U, uint16_t,
                                                    std::conditional_t<load == Op::I32Load || load == Op::F32Load,
                                                                       uint32_t, uint64_t>>>;

template <class T, class Mem>
inline T loadValue(const uint8_t* p) {
  Mem m;
  std::memcpy(&m, p, sizeof m);
  if constexpr (std::is_floating_point_v<T>) return std::bit_cast<T>(m);
  else return static_cast<T>(m);  // zero extension (the unsigned narrow loads)
}

template <Op load, Op op, MoveForm kAddr, int kCForm>
BANTAM_HANDLER(loadOp) {
  using T = SemParam<op, 0>;
  using Mem = MemOf<load>;
  constexpr int kOff = kAddr == MoveForm::Reg ? 2 : kAddr == MoveForm::Acc ? 1 : 3;
  constexpr int kC = kOff + 1;
  constexpr int kEnd = kC + (kCForm == kCImm ? kUnitsOf<T> : 1);
  uint64_t ea;
  if constexpr (kAddr == MoveForm::Reg) ea = uint64_t{rd<uint32_t>(fp, u(pc, 1))};
  else if constexpr (kAddr == MoveForm::Acc) ea = uint64_t{static_cast<uint32_t>(acc)};
  else ea = uint64_t{rd<uint32_t>(fp, u(pc, 1)) + u(pc, 2)};
  ea += u(pc, kOff);
  if (ea + sizeof(Mem) > memSize) [[unlikely]] BANTAM_TRAP(OutOfBoundsMemoryAccess);
  T t = loadValue<T, Mem>(mem + ea);
  T c = kCForm == kCImm ? imm<T>(pc, kC) : rd<T>(fp, u(pc, kC));
  T r = kCForm == kCRight ? Sem<op>::fn(c, t) : Sem<op>::fn(t, c);
  wr(fp, u(pc, 0), r);
  BANTAM_SET_ACC(r);
  BANTAM_NEXT(kHandlerUnits + kEnd);
}

struct LoadOpTable {
  Handler h[std::size(kGroups)][kMaxOps][kAddrForms][kCForms] = {};
};

template <int g, int i, int a, int f>
constexpr void fillOne(LoadOpTable& t) {
  if constexpr (i < kGroups[g].count) {
    constexpr Op load = kGroups[g].load;
    constexpr Op op = kGroups[g].ops[i];
    t.h[g][i][a][f] = &loadOp<load, op, static_cast<MoveForm>(a), f>;
  }
}

template <int g, int... I>
constexpr void fillGroup(LoadOpTable& t, std::integer_sequence<int, I...>) {
  (fillOne<g, I / (kAddrForms * kCForms), I / kCForms % kAddrForms, I % kCForms>(t), ...);
}

template <int... G>
constexpr LoadOpTable build(std::integer_sequence<int, G...>) {
  LoadOpTable t;
  (fillGroup<G>(t, std::make_integer_sequence<int, kMaxOps * kAddrForms * kCForms>{}), ...);
  return t;
}

const LoadOpTable kLoadOps = build(std::make_integer_sequence<int, std::size(kGroups)>{});

}  // namespace

Handler loadOpHandler(Op load, Op op, MoveForm addr, PairForm form) {
  for (int g = 0; g < static_cast<int>(std::size(kGroups)); ++g) {
    if (kGroups[g].load != load) continue;
    for (int i = 0; i < kGroups[g].count; ++i) {
      if (kGroups[g].ops[i] != op) continue;
      int f = form == PairForm::CRight ? kCRight : form == PairForm::CLeft ? kCLeft : kCImm;
      return kLoadOps.h[g][i][static_cast<int>(addr)][f];
    }
  }
  return nullptr;
}

}  // namespace bantam::interp
