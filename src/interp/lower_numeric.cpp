// Lowering of numeric and vector instructions, driven by the opcode table's signatures:
// constants become immediate operands, compares are remembered so that a following br_if/if
// can absorb them, and every result may be retargeted by a following local.set.
#include "interp/lower.h"

namespace bantam::interp {

using wasm::Op;
using wasm::ValType;

namespace {

ValType letterType(char l) {
  switch (l) {
    case 'i': return ValType::I32;
    case 'I': return ValType::I64;
    case 'f': return ValType::F32;
    case 'F': return ValType::F64;
    default: return ValType::V128;
  }
}

bool isWide(char l) { return l == 'I' || l == 'F'; }

// a OP b == b MIRROR(OP) a, for moving a constant left operand to the right.
Op mirrorCompare(Op op) {
  switch (op) {
    case Op::I32LtS: return Op::I32GtS;
    case Op::I32GtS: return Op::I32LtS;
    case Op::I32LtU: return Op::I32GtU;
    case Op::I32GtU: return Op::I32LtU;
    case Op::I32LeS: return Op::I32GeS;
    case Op::I32GeS: return Op::I32LeS;
    case Op::I32LeU: return Op::I32GeU;
    case Op::I32GeU: return Op::I32LeU;
    case Op::I64LtS: return Op::I64GtS;
    case Op::I64GtS: return Op::I64LtS;
    case Op::I64LtU: return Op::I64GtU;
    case Op::I64GtU: return Op::I64LtU;
    case Op::I64LeS: return Op::I64GeS;
    case Op::I64GeS: return Op::I64LeS;
    case Op::I64LeU: return Op::I64GeU;
    case Op::I64GeU: return Op::I64LeU;
    case Op::F32Lt: return Op::F32Gt;
    case Op::F32Gt: return Op::F32Lt;
    case Op::F32Le: return Op::F32Ge;
    case Op::F32Ge: return Op::F32Le;
    case Op::F64Lt: return Op::F64Gt;
    case Op::F64Gt: return Op::F64Lt;
    case Op::F64Le: return Op::F64Ge;
    case Op::F64Ge: return Op::F64Le;
    default: return op;  // eq, ne
  }
}

// Integer operations whose operands commute exactly (floats keep their order: NaN payloads).
bool commutes(Op op) {
  switch (op) {
    case Op::I32Add: case Op::I32Mul: case Op::I32And: case Op::I32Or: case Op::I32Xor:
    case Op::I64Add: case Op::I64Mul: case Op::I64And: case Op::I64Or: case Op::I64Xor:
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<void> Lowerer::lowerNumeric(const wasm::Instr& in) {
  switch (in.op) {
    case Op::I32Const: pushConst(ValType::I32, static_cast<uint32_t>(in.i64)); return {};
    case Op::I64Const: pushConst(ValType::I64, static_cast<uint64_t>(in.i64)); return {};
    case Op::F32Const: pushConst(ValType::F32, in.bits32); return {};
    case Op::F64Const: pushConst(ValType::F64, in.bits64); return {};
    default: break;
  }
  const wasm::OpInfo& info = wasm::opInfo(in.op);
  const NumericHandlers& nh = kNumeric[static_cast<size_t>(in.op)];
  ValType rt = letterType(info.results[0]);

  if (info.params.size() == 1) {
    if (!nh.r) return failAt(ErrorKind::Unsupported, in.offset, "numeric instruction without a handler");
    Entry a = pop();
    bool acc = inAcc(a);
    uint32_t as = slotOf(a);
    uint32_t pos = begin(acc ? nh.acc : nh.r);
    uint32_t d = here();
    unit(a.home);
    if (!acc) unit(as);
    if (nh.traps) record(pos, in.offset);
    pushTemp(rt);
    setFusable(d);
    setAcc(d, rt);
    if (in.op == Op::I32Eqz || in.op == Op::I64Eqz) {
      cmp_ = Cond{};
      cmp_.kind = in.op == Op::I32Eqz ? Cond::Kind::NonZero32 : Cond::Kind::NonZero64Eqz;
      cmp_.negate = in.op == Op::I32Eqz;
      cmp_.a = as;
      cmpStart_ = pos;
      cmpEnd_ = fuse_ ? here() : kNoPos;
      cmpHome_ = a.home;
    }
    return {};
  }

  if (!nh.rr) return failAt(ErrorKind::Unsupported, in.offset, "numeric instruction without a handler");
  if (top(0).kind == Entry::Kind::Const && top(1).kind == Entry::Kind::Const) slotOf(top(1));
  Entry b = pop(), a = pop();
  Op op = in.op;
  if (lowerLoadOp(a, b, op, rt)) return {};
  if (lowerPair(a, b, op, rt)) return {};
  bool compare = kBranchCmp[static_cast<size_t>(op)].h[0][0][0] != nullptr;
  bool aAcc = inAcc(a), bAcc = inAcc(b);
  // A constant on the left moves right, and the accumulator left, when the operation allows.
  if ((a.kind == Entry::Kind::Const || (bAcc && !aAcc)) && (compare || commutes(op))) {
    op = compare ? mirrorCompare(op) : op;
    std::swap(a.kind, b.kind);
    std::swap(a.slot, b.slot);
    std::swap(a.value, b.value);
    std::swap(aAcc, bAcc);
  }
  // x - k is x + (-k) in modular arithmetic: one handler less to run well, and the add can
  // become part of an address.
  if (b.kind == Entry::Kind::Const && (op == Op::I32Sub || op == Op::I64Sub)) {
    op = op == Op::I32Sub ? Op::I32Add : Op::I64Add;
    b.value = op == Op::I32Add ? static_cast<uint32_t>(-static_cast<uint32_t>(b.value)) : -b.value;
  }
  const NumericHandlers& h2 = kNumeric[static_cast<size_t>(op)];
  bool wide = isWide(info.params[0]);
  uint32_t d = a.home;
  uint32_t pos;
  bool plainAddImm = op == Op::I32Add && !aAcc && a.kind != Entry::Kind::Const && b.kind == Entry::Kind::Const;
  if (plainAddImm && addImmEnd_ == here()) {
    // Join the `i32.add x, k` just emitted: one handler for both (no other fusion may take
    // back either half afterwards).
    Handler two = h::AddImm2;
    std::memcpy(&code_[addImmStart_], &two, sizeof two);
    uint32_t df = here();
    unit(d);
    unit(a.slot);
    unit(static_cast<uint32_t>(b.value));
    clearFusion();
    pushTemp(rt);
    setFusable(df);
    setAcc(df, rt);
    return {};
  }
  if (aAcc && b.kind == Entry::Kind::Const) {
    pos = begin(h2.accAI);
    unit(d);
    if (wide) unit64(b.value);
    else unit(static_cast<uint32_t>(b.value));
  } else if (aAcc) {
    pos = begin(h2.accA);
    unit(d);
    unit(b.slot);
  } else if (bAcc && a.kind != Entry::Kind::Const) {
    pos = begin(h2.accB);
    unit(d);
    unit(a.slot);
  } else if (b.kind == Entry::Kind::Const) {
    pos = begin(h2.ri);
    unit(d);
    unit(a.slot);
    if (wide) unit64(b.value);
    else unit(static_cast<uint32_t>(b.value));
  } else if (a.kind == Entry::Kind::Const) {
    pos = begin(h2.ir);
    unit(d);
    unit(b.slot);
    if (wide) unit64(a.value);
    else unit(static_cast<uint32_t>(a.value));
  } else {
    pos = begin(h2.rr);
    unit(d);
    unit(a.slot);
    unit(b.slot);
  }
  if (h2.traps) record(pos, in.offset);
  pushTemp(rt);
  setFusable(pos + kHandlerUnits);
  setAcc(pos + kHandlerUnits, rt);
  if (plainAddImm) {
    addImmStart_ = pos;
    addImmEnd_ = fuse_ ? here() : kNoPos;
  }
  if (a.kind != Entry::Kind::Const) {  // forms with a in a slot or the accumulator
    bin_ = BinRecord{pos, fuse_ ? here() : kNoPos, d, op, a.slot, b.slot, b.value,
                     b.kind == Entry::Kind::Const, bAcc && !aAcc};
  }
  if (op == Op::I32Add && a.kind != Entry::Kind::Const) {
    addStart_ = pos;
    addEnd_ = fuse_ ? here() : kNoPos;
    addHome_ = d;
    addA_ = a.slot;
    addImm_ = b.kind == Entry::Kind::Const;
    addB_ = addImm_ ? static_cast<uint32_t>(b.value) : b.slot;
  }
  if (compare) {
    cmp_ = Cond{};
    cmp_.kind = Cond::Kind::Compare;
    cmp_.cmp = op;
    cmp_.a = a.slot;
    cmp_.rhsImm = b.kind == Entry::Kind::Const;
    if (cmp_.rhsImm) cmp_.imm = b.value;
    else cmp_.b = b.slot;
    cmpStart_ = pos;
    cmpEnd_ = fuse_ ? here() : kNoPos;
    cmpHome_ = d;
  }
  return {};
}

// `t = op1(x, y); op(t, c)` (or `op(c, t)`) where op1 is the instruction just emitted: one
// pair handler instead of two.
bool Lowerer::lowerPair(Entry& a, Entry& b, Op op, ValType rt) {
  if (bin_.end != here() || bin_.bAcc) return false;
  bool tLeft = a.kind == Entry::Kind::Temp && a.home == bin_.home;
  bool tRight = b.kind == Entry::Kind::Temp && b.home == bin_.home;
  if (tLeft == tRight) return false;
  const Entry& c = tLeft ? b : a;
  if (c.kind == Entry::Kind::Const && !tLeft) return false;
  PairForm form = c.kind == Entry::Kind::Const ? PairForm::CImm : tLeft ? PairForm::CLeft : PairForm::CRight;
  // A value of the op's own type: comparisons, whose operands differ from the result, never pair.
  if (a.type != rt || !pairHandler(bin_.op, op, form, false, bin_.bImm)) return false;
  BinRecord op1 = bin_;
  rewind(op1.start);
  bool aAcc = slotInAcc(op1.a, rt);
  begin(pairHandler(op1.op, op, form, aAcc, op1.bImm));
  uint32_t d = here();
  bool wide = rt == ValType::F64 || rt == ValType::I64;
  unit(a.home);
  if (!aAcc) unit(op1.a);
  if (!op1.bImm) unit(op1.b);
  else if (wide) unit64(op1.imm);
  else unit(static_cast<uint32_t>(op1.imm));
  if (form != PairForm::CImm) unit(c.slot);
  else if (wide) unit64(c.value);
  else unit(static_cast<uint32_t>(c.value));
  pushTemp(rt);
  setFusable(d);
  setAcc(d, rt);
  return true;
}

// `t = load(addr); op(t, c)` (or `op(c, t)`) where the load is the instruction just emitted
// and t a temporary: one load-op handler, t never written to a slot.
bool Lowerer::lowerLoadOp(Entry& a, Entry& b, Op op, ValType rt) {
  if (load_.end != here()) return false;
  bool tLeft = a.kind == Entry::Kind::Temp && a.home == load_.home;
  bool tRight = b.kind == Entry::Kind::Temp && b.home == load_.home;
  if (tLeft == tRight) return false;
  const Entry& c = tLeft ? b : a;
  if (c.kind == Entry::Kind::Const && !tLeft) return false;
  PairForm form = c.kind == Entry::Kind::Const ? PairForm::CImm : tLeft ? PairForm::CLeft : PairForm::CRight;
  if (a.type != rt || !loadOpHandler(load_.op, op, load_.addImm ? MoveForm::AddImm : MoveForm::Reg, form))
    return false;
  LoadRecord ld = load_;
  rewind(ld.start);
  // As for moves: the load's address may be the accumulator (computed just before it).
  bool acc = !ld.addImm && slotInAcc(ld.a, ValType::I32);
  MoveForm af = ld.addImm ? MoveForm::AddImm : acc ? MoveForm::Acc : MoveForm::Reg;
  uint32_t pos = begin(loadOpHandler(ld.op, op, af, form));
  uint32_t d = here();
  unit(a.home);
  if (af != MoveForm::Acc) unit(ld.a);
  if (af == MoveForm::AddImm) unit(ld.k);
  unit(ld.offset);
  if (form != PairForm::CImm) unit(c.slot);
  else if (rt == ValType::I64 || rt == ValType::F64) unit64(c.value);
  else unit(static_cast<uint32_t>(c.value));
  record(pos, ld.wasmOffset);
  pushTemp(rt);
  setFusable(d);
  setAcc(d, rt);
  return true;
}

Result<void> Lowerer::lowerVector(const wasm::Instr& in) {
  const wasm::OpInfo& info = wasm::opInfo(in.op);
  if (info.imm == wasm::ImmKind::MemArg || info.imm == wasm::ImmKind::MemArgLane) return lowerMemory(in);
  if (in.op == Op::V128Const) {
    begin(h::Const128);
    uint32_t d = here();
    unit(topSlot());
    CodeUnit v[4];
    std::memcpy(v, in.v128.data(), 16);
    for (CodeUnit x : v) unit(x);
    pushTemp(ValType::V128);
    setFusable(d);
    return {};
  }
  Handler hd = kVector[static_cast<size_t>(in.op)];
  if (!hd) return failAt(ErrorKind::Unsupported, in.offset, "vector instruction without a handler");
  size_t n = info.params.size();
  // Operands in slots (scalar constants land in their homes), popped in stack order.
  uint32_t slots[3];
  for (size_t i = 0; i < n; ++i) slots[n - 1 - i] = slotOf(top(static_cast<uint32_t>(i)));
  uint32_t d = stack_[stack_.size() - n].home;
  for (size_t i = 0; i < n; ++i) pop();
  begin(hd);
  uint32_t df = here();
  unit(d);
  for (size_t i = 0; i < n; ++i) unit(slots[i]);
  if (info.imm == wasm::ImmKind::Lane) {
    unit(in.lane);
  } else if (info.imm == wasm::ImmKind::Shuffle) {
    CodeUnit v[4];
    std::memcpy(v, in.v128.data(), 16);
    for (CodeUnit x : v) unit(x);
  }
  pushTemp(letterType(info.results[0]));
  setFusable(df);
  return {};
}

}  // namespace bantam::interp
