// Lowering of control instructions: blocks and labels (forward branches are chained through
// their offset fields until the label is bound), conditional branches fused with the compare
// that produced their condition, br_table, returns and calls.
#include <algorithm>

#include "interp/lower.h"

namespace bantam::interp {

using wasm::Op;
using wasm::ValType;

namespace {
// Storage for the single-result block types.
constexpr ValType kSingle[] = {ValType::I32, ValType::I64, ValType::F32, ValType::F64,
                               ValType::V128, ValType::FuncRef, ValType::ExternRef};
}  // namespace

void Lowerer::blockTypes(const wasm::BlockType& bt, std::span<const ValType>& params,
                         std::span<const ValType>& results) const {
  params = {};
  results = {};
  switch (bt.kind) {
    case wasm::BlockType::Kind::Empty:
      break;
    case wasm::BlockType::Kind::Value:
      for (const ValType& t : kSingle)
        if (t == bt.value) results = std::span<const ValType>(&t, 1);
      break;
    case wasm::BlockType::Kind::TypeIndex: {
      const wasm::FuncType& ft = module_.types[bt.index.value];
      params = ft.params;
      results = ft.results;
      break;
    }
  }
}

uint32_t Lowerer::loopCost(const Control& c) const {
  return std::max<uint32_t>(1, instrCount_ - c.instrAtStart);
}

Result<void> Lowerer::lowerControl(const wasm::Instr& in) {
  switch (in.op) {
    case Op::Nop:
      return {};
    case Op::Unreachable:
      record(begin(h::Unreachable), in.offset);
      markUnreachable();
      return {};
    case Op::Block: case Op::Loop: case Op::If:
      if (in.op == Op::Loop) loopsOrCalls_ = true;
      enterBlock(in);
      return {};
    case Op::Else:
      lowerElse();
      return {};
    case Op::End:
      endBlock();
      return {};
    case Op::Br: {
      Control& t = label(in.index);
      if (t.op == Op::Nop) {
        emitReturn();
      } else {
        emitBranchCopies(t);
        emitJump(t);
      }
      markUnreachable();
      return {};
    }
    case Op::BrIf: {
      Cond c = popCond();
      Control& t = label(in.index);
      if (c.kind == Cond::Kind::Never) return {};
      if (c.kind == Cond::Kind::Always) {
        if (t.op == Op::Nop) {
          emitReturn();
        } else {
          emitBranchCopies(t);
          emitJump(t);
        }
        markUnreachable();
        return {};
      }
      if (t.op != Op::Nop && !branchNeedsCopies(t)) {
        bool back = t.op == Op::Loop;
        uint32_t field = emitCond(c, false, back, back ? loopCost(t) : 0);
        linkBranch(t, field);
      } else {
        // Copies (or a return) only on the taken path: branch around them when false.
        uint32_t skip = emitCond(c, true, false, 0);
        if (t.op == Op::Nop) {
          emitReturn();
        } else {
          emitBranchCopies(t);
          emitJump(t);
        }
        code_[skip] = here() - skip;
      }
      clearFusion();
      return {};
    }
    case Op::BrTable: {
      Entry idx = pop();
      uint32_t n = static_cast<uint32_t>(in.brTargets.size());
      if (idx.kind == Entry::Kind::Const) {
        uint32_t i = std::min<uint32_t>(static_cast<uint32_t>(idx.value), n);
        Control& t = label(i < n ? in.brTargets[i] : in.index);
        if (t.op == Op::Nop) {
          emitReturn();
        } else {
          emitBranchCopies(t);
          emitJump(t);
        }
        markUnreachable();
        return {};
      }
      begin(h::BrTable);
      unit(idx.slot);
      unit(n);
      uint32_t first = here();
      for (uint32_t i = 0; i <= n; ++i) unit(0);
      // Targets that need copies, a return or an interruption check get a stub after the
      // table, one per distinct label.
      std::vector<std::pair<uint32_t, uint32_t>> stubs;  // (depth, code position)
      for (uint32_t i = 0; i <= n; ++i) {
        uint32_t depth = i < n ? in.brTargets[i] : in.index;
        Control& t = label(depth);
        uint32_t field = first + i;
        if (t.op == Op::Block || t.op == Op::If) {
          if (!branchNeedsCopies(t)) {
            linkBranch(t, field);
            continue;
          }
        }
        auto it = std::find_if(stubs.begin(), stubs.end(), [&](auto& s) { return s.first == depth; });
        if (it != stubs.end()) {
          code_[field] = it->second - field;
          continue;
        }
        stubs.emplace_back(depth, here());
        code_[field] = here() - field;
        if (t.op == Op::Nop) {
          emitReturn();
        } else {
          emitBranchCopies(t);
          emitJump(t);
        }
      }
      markUnreachable();
      return {};
    }
    case Op::Return:
      emitReturn();
      markUnreachable();
      return {};
    case Op::Call: case Op::CallIndirect:
      loopsOrCalls_ = true;
      lowerCall(in);
      return {};
    default:
      return failAt(ErrorKind::Unsupported, in.offset, "unknown control instruction");
  }
}

// ---- blocks -------------------------------------------------------------------------------------

void Lowerer::enterBlock(const wasm::Instr& in) {
  Cond cond;
  if (in.op == Op::If) cond = popCond();
  Control c;
  c.op = in.op;
  blockTypes(in.block, c.params, c.results);
  // Entries that refer to locals are copied out: a local.set inside the block would otherwise
  // have to preserve them on only some paths. Params go to their homes (branch targets).
  materializeLocalRefs();
  uint32_t np = static_cast<uint32_t>(c.params.size());
  materializeTop(np);
  c.height = static_cast<uint32_t>(stack_.size()) - np;
  c.baseSlot = np ? stack_[c.height].home : topSlot();
  c.instrAtStart = instrCount_;
  if (in.op == Op::Loop) c.loopStart = here();
  if (in.op == Op::If) {
    if (cond.kind == Cond::Kind::Never) {
      begin(h::Br);
      c.elseFixup = here();
      unit(kNoFixup);
    } else if (cond.kind != Cond::Kind::Always) {
      c.elseFixup = emitCond(cond, true, false, 0);
      code_[c.elseFixup] = kNoFixup;
    }
  }
  clearFusion();
  clearAliases();  // a loop start is a label; blocks and ifs too, for simplicity
  controls_.push_back(c);
}

void Lowerer::lowerElse() {
  Control& c = controls_.back();
  if (!c.unreachable) {
    materializeTop(static_cast<uint32_t>(c.results.size()));
    begin(h::Br);
    uint32_t field = here();
    unit(c.fixups);
    c.fixups = field;
  }
  bindFixups(c.elseFixup, here());
  c.elseFixup = kNoFixup;
  while (stack_.size() > c.height) pop();
  for (ValType t : c.params) pushTemp(t);
  c.hasElse = true;
  c.unreachable = false;
  clearFusion();
  clearAliases();
}

void Lowerer::endBlock() {
  Control& c = controls_.back();
  if (c.op == Op::Nop) {  // the function body: its end returns
    if (!c.unreachable) emitReturn();
    controls_.pop_back();
    return;
  }
  if (!c.unreachable) materializeTop(static_cast<uint32_t>(c.results.size()));
  bool bound = c.fixups != kNoFixup || c.elseFixup != kNoFixup;
  // An if without else: the false path arrives here with the params, which equal the results.
  bindFixups(c.elseFixup, here());
  bindFixups(c.fixups, here());
  uint32_t height = c.height;
  std::span<const ValType> results = c.results;
  bool wasUnreachable = c.unreachable;
  controls_.pop_back();
  while (stack_.size() > height) pop();
  for (ValType t : results) pushTemp(t);
  // A label bound here merges paths: the last instruction's result is no longer the only
  // producer of the block's result, and copies made on one path do not hold on the other.
  if (bound || wasUnreachable) clearFusion();
  clearAliases();
}

void Lowerer::markUnreachable() {
  Control& c = controls_.back();
  c.unreachable = true;
  while (stack_.size() > c.height) pop();
  clearFusion();
}

// ---- branches -----------------------------------------------------------------------------------

void Lowerer::bindFixups(uint32_t chain, uint32_t target) {
  while (chain != kNoFixup) {
    uint32_t next = code_[chain];
    code_[chain] = target - chain;
    chain = next;
  }
}

void Lowerer::linkBranch(Control& t, uint32_t field) {
  if (t.op == Op::Loop) {
    code_[field] = t.loopStart - field;
  } else {
    code_[field] = t.fixups;
    t.fixups = field;
  }
}

void Lowerer::emitJump(Control& t) {
  if (t.op == Op::Loop) {
    begin(h::BrCheck);
    uint32_t field = here();
    unit(t.loopStart - field);
    unit(loopCost(t));
  } else {
    begin(h::Br);
    uint32_t field = here();
    unit(t.fixups);
    t.fixups = field;
  }
}

bool Lowerer::branchNeedsCopies(const Control& t) const {
  std::span<const ValType> types = labelTypes(t);
  uint32_t dst = t.baseSlot;
  size_t first = stack_.size() - types.size();
  for (size_t i = 0; i < types.size(); ++i) {
    const Entry& e = stack_[first + i];
    if (e.kind != Entry::Kind::Temp || e.slot != dst) return true;
    dst += slotsOf(types[i]);
  }
  return false;
}

// Copies the branch values into the label's homes. Sources sit at or above their destinations
// (homes grow with stack height; locals are below every home), so ascending order never
// overwrites a source that is still to be read. The stack entries themselves are unchanged:
// this code runs on the taken path only.
void Lowerer::emitBranchCopies(const Control& t) {
  std::span<const ValType> types = labelTypes(t);
  uint32_t dst = t.baseSlot;
  size_t first = stack_.size() - types.size();
  for (size_t i = 0; i < types.size(); ++i) {
    emitMove(dst, stack_[first + i]);
    dst += slotsOf(types[i]);
  }
}

// Moves the results to fp[0..) and returns. Does not change the stack entries (a br_if may
// return on one path only).
void Lowerer::emitReturn() {
  std::span<const ValType> results = funcType_->results;
  size_t n = results.size();
  if (n == 0) {
    begin(h::Return);
    return;
  }
  if (n == 1) {
    const Entry& e = stack_.back();
    // `x = op; return x` becomes `fp[0] = op; return` when op also left x in its accumulator
    // (callers expect a scalar result there) or the result has no accumulator.
    bool accOk = accClass(e.type) == 0 || (accEnd_ == here() && accField_ == fuseField_);
    if (fusableTop() && accOk) {
      code_[fuseField_] = 0;
      clearFusion();
      begin(h::Return);
    } else if (e.kind == Entry::Kind::Const) {
      begin(h::ReturnC64);
      unit64(e.value);
    } else {
      begin(e.type == ValType::V128 ? h::ReturnR128 : h::ReturnR64);
      unit(e.slot);
    }
    return;
  }
  // Several results: a local source inside the result area [0, resultSlots) could be
  // overwritten by an earlier move, so such sources are first copied to their homes (scratch
  // above every destination).
  uint32_t resultSlots = 0;
  for (ValType t : results) resultSlots += slotsOf(t);
  size_t first = stack_.size() - n;
  std::vector<Entry> srcs(stack_.begin() + static_cast<ptrdiff_t>(first), stack_.end());
  uint32_t dst = 0;
  for (size_t i = 0; i < n; ++i) {
    Entry& e = srcs[i];
    if (e.kind == Entry::Kind::Local && e.slot < resultSlots && e.slot != dst) {
      emitMove(e.home, e);
      e.kind = Entry::Kind::Temp;
      e.slot = e.home;
    }
    dst += slotsOf(results[i]);
  }
  dst = 0;
  for (size_t i = 0; i < n; ++i) {
    emitMove(dst, srcs[i]);
    dst += slotsOf(results[i]);
  }
  begin(h::Return);
}

// ---- conditions ---------------------------------------------------------------------------------

// Pops a branch condition. When it is the result of the compare just emitted, that compare is
// taken back and fused into the branch.
Lowerer::Cond Lowerer::popCond() {
  Cond c;
  if (cmpEnd_ == here() && !stack_.empty() && stack_.back().kind == Entry::Kind::Temp &&
      stack_.back().home == cmpHome_) {
    c = cmp_;
    rewind(cmpStart_);  // keeps the accumulator of the instruction before the compare
    pop();
    return c;
  }
  Entry e = pop();
  if (e.kind == Entry::Kind::Const) {
    c.kind = static_cast<uint32_t>(e.value) ? Cond::Kind::Always : Cond::Kind::Never;
    return c;
  }
  c.kind = Cond::Kind::NonZero32;
  c.a = e.slot;
  return c;
}

// Emits a branch taken when the condition holds (or fails, if `negate`); returns the position
// of its offset unit for the caller to link.
uint32_t Lowerer::emitCond(const Cond& c, bool negate, bool check, uint32_t cost) {
  if (uint32_t field = emitAddBranch(c, negate, check, cost); field != kNoPos) return field;
  bool neg = c.negate != negate;
  switch (c.kind) {
    case Cond::Kind::NonZero32:
    case Cond::Kind::NonZero64Eqz: {
      // NonZero64Eqz means "the i64 is zero": its negation branches on non-zero.
      bool zero = c.kind == Cond::Kind::NonZero64Eqz ? !neg : neg;
      bool acc = slotInAcc(c.a, c.kind == Cond::Kind::NonZero32 ? ValType::I32 : ValType::I64);
      Handler hd;
      if (c.kind == Cond::Kind::NonZero32 && acc)
        hd = zero ? (check ? h::BrIfZAccCheck : h::BrIfZAcc) : (check ? h::BrIfNZAccCheck : h::BrIfNZAcc);
      else if (c.kind == Cond::Kind::NonZero32)
        hd = zero ? (check ? h::BrIfZCheck : h::BrIfZ) : (check ? h::BrIfNZCheck : h::BrIfNZ);
      else if (acc)
        hd = zero ? (check ? h::BrIfZ64AccCheck : h::BrIfZ64Acc) : (check ? h::BrIfNZ64AccCheck : h::BrIfNZ64Acc);
      else
        hd = zero ? (check ? h::BrIfZ64Check : h::BrIfZ64) : (check ? h::BrIfNZ64Check : h::BrIfNZ64);
      begin(hd);
      uint32_t field = here();
      unit(kNoFixup);
      if (check) unit(cost);
      if (!acc) unit(c.a);
      return field;
    }
    case Cond::Kind::Compare: {
      char l = wasm::opInfo(c.cmp).params[0];
      ValType t = l == 'i' ? ValType::I32 : l == 'I' ? ValType::I64 : l == 'f' ? ValType::F32 : ValType::F64;
      bool acc = slotInAcc(c.a, t);
      const BranchHandlers& bh = kBranchCmp[static_cast<size_t>(c.cmp)];
      begin(acc ? bh.hAcc[c.rhsImm][neg][check] : bh.h[c.rhsImm][neg][check]);
      uint32_t field = here();
      unit(kNoFixup);
      if (check) unit(cost);
      if (!acc) unit(c.a);
      if (!c.rhsImm) {
        unit(c.b);
      } else {
        if (l == 'i' || l == 'f') unit(static_cast<uint32_t>(c.imm));
        else unit64(c.imm);
      }
      return field;
    }
    case Cond::Kind::Always:
    case Cond::Kind::Never:
      break;
  }
  // Constant conditions are resolved by the callers.
  begin(h::Unreachable);
  return here();
}

// When the condition tests the result of the i32.add just emitted (`i += k; br_if (i < n)`,
// also through a local.tee), both become one add-and-branch. Returns kNoPos when not.
uint32_t Lowerer::emitAddBranch(const Cond& c, bool negate, bool check, uint32_t cost) {
  if (addEnd_ != here()) return kNoPos;
  uint32_t dstField = addStart_ + kHandlerUnits;
  wasm::Op cmp;
  bool neg = c.negate != negate, cImm;
  uint32_t cValue;
  if (c.kind == Cond::Kind::Compare && wasm::opInfo(c.cmp).params[0] == 'i') {
    cmp = c.cmp;
    cImm = c.rhsImm;
    cValue = cImm ? static_cast<uint32_t>(c.imm) : c.b;
  } else if (c.kind == Cond::Kind::NonZero32) {  // br_if x: x != 0
    cmp = Op::I32Ne;
    cImm = true;
    cValue = 0;
  } else {
    return kNoPos;
  }
  if (code_[dstField] != c.a) return kNoPos;
  uint32_t a = addA_, b = addB_, d = c.a;
  bool bImm = addImm_;
  rewind(addStart_);
  begin(kBranchCmp[static_cast<size_t>(cmp)].add[bImm][cImm][neg][check]);
  uint32_t field = here();
  unit(kNoFixup);
  if (check) unit(cost);
  unit(d);
  unit(a);
  unit(b);
  unit(cValue);
  return field;
}

// ---- calls --------------------------------------------------------------------------------------

void Lowerer::lowerCall(const wasm::Instr& in) {
  bool indirect = in.op == Op::CallIndirect;
  const wasm::FuncType& ft = indirect ? module_.types[in.index] : module_.funcType(wasm::FuncIdx(in.index));
  uint32_t idxSlot = 0;
  if (indirect) {
    Entry x = pop();
    idxSlot = slotOf(x);  // a constant index lands in its home, above the arguments
  }
  uint32_t n = static_cast<uint32_t>(ft.params.size());
  materializeTop(n);
  uint32_t argSlot = n ? stack_[stack_.size() - n].home : topSlot();
  for (uint32_t i = 0; i < n; ++i) pop();
  uint32_t pos;
  if (indirect) {
    pos = begin(h::CallIndirect);
    unit(sigIds_[in.index]);
    unit(in.index2);
    unit(idxSlot);
    unit(argSlot);
  } else if (module_.isImportedFunc(wasm::FuncIdx(in.index))) {
    pos = begin(h::CallImport);
    unit(in.index);
    unit(argSlot);
  } else {
    pos = begin(h::Call);
    calls_.emplace_back(here(), in.index - module_.numImportedFuncs);
    unit64(0);
    unit(argSlot);
  }
  record(pos, in.offset);
  // The callee leaves its results where its parameters were.
  for (ValType t : ft.results) pushTemp(t);
  clearFusion();
  // A wasm function of this instance returns a single scalar result in its accumulator too
  // (the argSlot unit names the slot it is in).
  if (in.op == Op::Call && !module_.isImportedFunc(wasm::FuncIdx(in.index)) && ft.results.size() == 1)
    setAcc(here() - 1, ft.results[0]);
}

}  // namespace bantam::interp
