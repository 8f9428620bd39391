// Lowering core: the per-function driver, the simulated operand stack (homes, local
// references, constants), emission and the dst-retargeting fusion.
#include "interp/lower.h"

#include <algorithm>

namespace bantam::interp {

using wasm::Op;
using wasm::ValType;

Lowerer::Lowerer(const wasm::Module& module, std::span<const uint32_t> sigIds, ModuleCode& out, bool fuse)
    : module_(module), sigIds_(sigIds), fuse_(fuse), out_(out), code_(out.code) {}

Result<void> Lowerer::lowerFunction(uint32_t definedIndex) {
  const wasm::Function& fn = module_.functions[definedIndex];
  funcType_ = &module_.types[fn.type.value];

  // Frame layout: [params][declared locals][operand stack homes]; a v128 takes two slots.
  size_t numLocals = funcType_->params.size() + fn.numLocals;
  localSlot_.resize(numLocals);
  localType_.resize(numLocals);
  localRefs_.assign(numLocals, 0);
  alias_.assign(numLocals, Alias{});
  writes_.assign(numLocals, 0);
  clearAliases();
  uint32_t slot = 0, idx = 0;
  for (ValType t : funcType_->params) {
    localSlot_[idx] = slot;
    localType_[idx++] = t;
    slot += slotsOf(t);
  }
  uint32_t paramSlots = slot;
  for (const wasm::LocalDecl& d : fn.locals) {
    for (uint32_t i = 0; i < d.count; ++i) {
      localSlot_[idx] = slot;
      localType_[idx++] = d.type;
      slot += slotsOf(d.type);
    }
  }
  tempBase_ = slot;
  stack_.clear();
  controls_.clear();
  stackSlots_ = maxStackSlots_ = 0;
  deadDepth_ = 0;
  instrCount_ = 0;
  loopsOrCalls_ = false;
  clearFusion();

  out_.funcStarts.push_back(here());
  uint32_t localCount = slot - paramSlots;
  uint32_t entry = begin(localCount ? h::Entry : h::Entry0);
  record(entry, fn.body.offset);
  uint32_t frameField = here();
  unit(0);  // frameSlots, patched below
  if (localCount) {
    unit(paramSlots);
    unit(localCount);
  }
  uint32_t costField = here();
  unit(1);

  Control body;
  body.op = Op::Nop;
  body.results = funcType_->results;
  controls_.push_back(body);

  wasm::InstrReader reader(module_.bytes, fn.body);
  wasm::Instr in;
  while (!reader.atEnd()) {
    BANTAM_TRY(reader.next(in));
    if (controls_.empty())
      return failAt(ErrorKind::Malformed, in.offset, "operators remaining after end of function");
    BANTAM_TRY(lowerInstr(in));
  }
  if (!controls_.empty()) return failAt(ErrorKind::Malformed, reader.offset(), "unexpected end");

  code_[frameField] = tempBase_ + maxStackSlots_;
  code_[costField] = std::max<uint32_t>(1, instrCount_);
  // Without loops and calls the function runs a bounded number of instructions: its entry
  // needs no epoch/fuel check (the callers' checks bound the time).
  if (!loopsOrCalls_) {
    Handler leaf = localCount ? h::EntryLeaf : h::Entry0Leaf;
    std::memcpy(&code_[entry], &leaf, sizeof leaf);
  }
  return {};
}

void Lowerer::finish() {
  for (auto [pos, callee] : calls_) {
    const CodeUnit* target = code_.data() + out_.funcStarts[callee];
    std::memcpy(&code_[pos], &target, sizeof target);
  }
  calls_.clear();
}

Result<void> Lowerer::lowerInstr(const wasm::Instr& in) {
  curOffset_ = in.offset;
  ++instrCount_;
  if (deadDepth_ > 0 || controls_.back().unreachable) return lowerDead(in);
  switch (wasm::opInfo(in.op).category) {
    case wasm::OpCategory::Control: return lowerControl(in);
    case wasm::OpCategory::Parametric: return lowerParametric(in);
    case wasm::OpCategory::Variable: return lowerVariable(in);
    case wasm::OpCategory::Table: return lowerTable(in);
    case wasm::OpCategory::Memory: return lowerMemory(in);
    case wasm::OpCategory::Numeric: return lowerNumeric(in);
    case wasm::OpCategory::Reference: return lowerReference(in);
    case wasm::OpCategory::Vector: return lowerVector(in);
  }
  return failAt(ErrorKind::Unsupported, in.offset, "instruction not supported by the interpreter");
}

// Code after br/return/unreachable up to the end of its block never runs: only the block
// structure is followed.
Result<void> Lowerer::lowerDead(const wasm::Instr& in) {
  switch (in.op) {
    case Op::Block: case Op::Loop: case Op::If:
      ++deadDepth_;
      break;
    case Op::Else:
      if (deadDepth_ == 0) lowerElse();
      break;
    case Op::End:
      if (deadDepth_ > 0) --deadDepth_;
      else endBlock();
      break;
    default:
      break;
  }
  return {};
}

// ---- operand stack ------------------------------------------------------------------------------

void Lowerer::pushTemp(ValType t) {
  Entry e;
  e.kind = Entry::Kind::Temp;
  e.type = t;
  e.home = e.slot = topSlot();
  stack_.push_back(e);
  stackSlots_ += slotsOf(t);
  maxStackSlots_ = std::max(maxStackSlots_, stackSlots_);
}

void Lowerer::pushLocal(uint32_t local) {
  Entry e;
  e.kind = Entry::Kind::Local;
  e.type = localType_[local];
  e.home = topSlot();
  e.slot = localSlot_[local];
  e.local = local;
  ++localRefs_[local];
  stack_.push_back(e);
  stackSlots_ += slotsOf(e.type);
  maxStackSlots_ = std::max(maxStackSlots_, stackSlots_);
}

void Lowerer::pushConst(ValType t, uint64_t v) {
  Entry e;
  e.kind = Entry::Kind::Const;
  e.type = t;
  e.home = e.slot = topSlot();
  e.value = v;
  stack_.push_back(e);
  stackSlots_ += slotsOf(t);
  maxStackSlots_ = std::max(maxStackSlots_, stackSlots_);
}

Lowerer::Entry Lowerer::pop() {
  Entry e = stack_.back();
  stack_.pop_back();
  stackSlots_ -= slotsOf(e.type);
  if (e.kind == Entry::Kind::Local) --localRefs_[e.local];
  return e;
}

void Lowerer::emitMove(uint32_t dst, const Entry& src) {
  if (src.kind == Entry::Kind::Const) {
    if (src.type == ValType::I32 || src.type == ValType::F32) {
      begin(h::Const32);
      unit(dst);
      unit(static_cast<uint32_t>(src.value));
    } else {
      begin(h::Const64);
      unit(dst);
      unit64(src.value);
    }
    return;
  }
  if (src.slot == dst) return;
  if (src.type == ValType::V128) {
    begin(h::Copy128);
    unit(dst);
    unit(src.slot);
    return;
  }
  if (copyEnd_ == here()) {  // the previous instruction is a single copy: make it two
    Handler two = h::Copy64x2;
    std::memcpy(&code_[copyStart_], &two, sizeof two);
    unit(dst);
    unit(src.slot);
    copyEnd_ = kNoPos;
    return;
  }
  copyStart_ = begin(h::Copy64);
  unit(dst);
  unit(src.slot);
  if (fuse_) copyEnd_ = here();
}

void Lowerer::materialize(Entry& e) {
  if (e.kind == Entry::Kind::Temp) return;
  emitMove(e.home, e);
  if (e.kind == Entry::Kind::Local) --localRefs_[e.local];
  e.kind = Entry::Kind::Temp;
  e.slot = e.home;
}

void Lowerer::materializeTop(uint32_t n) {
  for (size_t i = stack_.size() - n; i < stack_.size(); ++i) materialize(stack_[i]);
}

void Lowerer::materializeLocalRefs() {
  for (Entry& e : stack_)
    if (e.kind == Entry::Kind::Local) materialize(e);
}

// The copy-on-overwrite rule: entries that still refer to `local` get their own copy first.
void Lowerer::preserveLocal(uint32_t local) {
  if (localRefs_[local] == 0) return;
  for (Entry& e : stack_)
    if (e.kind == Entry::Kind::Local && e.local == local) materialize(e);
}

uint32_t Lowerer::slotOf(Entry& e) {
  if (e.kind == Entry::Kind::Const) {
    emitMove(e.home, e);
    e.kind = Entry::Kind::Temp;
    e.slot = e.home;
  }
  return e.slot;
}

// ---- emission -----------------------------------------------------------------------------------

uint32_t Lowerer::begin(Handler h) {
  uint32_t pos = here();
  if (starts_) [[unlikely]] starts_->push_back(pos);
  uint64_t bits;
  std::memcpy(&bits, &h, sizeof h);
  unit64(bits);
  return pos;
}

void Lowerer::rewind(uint32_t pos) {
  code_.resize(pos);
  // Facts about instructions that are gone must not come back to life when the code grows to
  // the same length again; those about the instructions before `pos` stay true.
  if (accEnd_ != kNoPos && accEnd_ > pos) {  // the taken-back instruction set it: the one before
    accEnd_ = prevAccEnd_;
    accField_ = prevAccField_;
    accClass_ = prevAccClass_;
    prevAccEnd_ = kNoPos;
  }
  for (uint32_t* end : {&fuseEnd_, &cmpEnd_, &addEnd_, &accEnd_, &copyEnd_, &bin_.end, &addImmEnd_, &load_.end})
    if (*end != kNoPos && *end > pos) *end = kNoPos;
  while (!out_.offsets.empty() && out_.offsets.back().first >= pos) out_.offsets.pop_back();
  while (starts_ && !starts_->empty() && starts_->back() >= pos) starts_->pop_back();
}

void Lowerer::setFusable(uint32_t dstField) {
  if (!fuse_) return;
  fuseEnd_ = here();
  fuseField_ = dstField;
  fuseHome_ = stack_.back().home;
}

bool Lowerer::fusableTop() const {
  return fuseEnd_ == here() && !stack_.empty() && stack_.back().kind == Entry::Kind::Temp &&
         stack_.back().home == fuseHome_;
}

// ---- variables ----------------------------------------------------------------------------------

Result<void> Lowerer::lowerVariable(const wasm::Instr& in) {
  switch (in.op) {
    case Op::LocalGet:
      pushLocal(resolveAlias(in.index));
      return {};
    case Op::LocalSet: case Op::LocalTee: {
      uint32_t x = in.index;
      bool fuse = fusableTop();
      Entry v = pop();
      if (v.kind == Entry::Kind::Local && v.local == x) {  // local.set x (local.get x)
        if (in.op == Op::LocalTee) pushLocal(x);
        return {};
      }
      if (v.kind == Entry::Kind::Local && resolveAlias(x) == v.local) {  // x already equals it
        if (in.op == Op::LocalTee) pushLocal(v.local);
        return {};
      }
      if (localRefs_[x] > 0) {
        fuse = false;  // the producer already ran: the preserved copies must come before it
        preserveLocal(x);
      }
      uint32_t accEnd = accEnd_;
      if (fuse) code_[fuseField_] = localSlot_[x];  // `op; local.set x` becomes `x = op`
      else emitMove(localSlot_[x], v);
      ++writes_[x];
      if (fuse_ && !fuse && v.kind == Entry::Kind::Local)
        alias_[x] = Alias{v.local, writes_[v.local], writes_[x], aliasEpoch_};
      uint32_t copyEnd = copyEnd_, addImmEnd = addImmEnd_, addEnd = addEnd_;
      clearFusion();
      // The producer's result is now in x, and still in the accumulator (its dst unit was
      // retargeted, which slotInAcc reads): `local.get x` right after can use it. A copy or an
      // add with a constant just emitted can still take a second one.
      if (fuse) accEnd_ = accEnd;
      copyEnd_ = copyEnd;
      addImmEnd_ = addImmEnd;
      if (fuse) addEnd_ = addEnd;  // `local.tee i (i + k)` before a test of i (add-and-branch)
      if (in.op == Op::LocalTee) pushLocal(resolveAlias(x));
      return {};
    }
    case Op::GlobalGet: {
      ValType t = module_.globalSpace[in.index].type;
      begin(t == ValType::V128 ? h::GlobalGet128 : h::GlobalGet);
      uint32_t d = here();
      unit(topSlot());
      unit(in.index);
      pushTemp(t);
      setFusable(d);
      return {};
    }
    case Op::GlobalSet: {
      Entry v = pop();
      uint32_t s = slotOf(v);
      begin(v.type == ValType::V128 ? h::GlobalSet128 : h::GlobalSet);
      unit(in.index);
      unit(s);
      clearFusion();
      return {};
    }
    default:
      return failAt(ErrorKind::Unsupported, in.offset, "unknown variable instruction");
  }
}

// ---- parametric ---------------------------------------------------------------------------------

Result<void> Lowerer::lowerParametric(const wasm::Instr& in) {
  if (in.op == Op::Drop) {
    pop();
    return {};
  }
  // select: c ? a : b. Constants get slots; the result takes a's position.
  for (uint32_t i = 0; i < 3; ++i) slotOf(top(i));
  Entry c = pop(), b = pop(), a = pop();
  begin(a.type == ValType::V128 ? h::Select128 : h::Select);
  uint32_t d = here();
  unit(a.home);
  unit(c.slot);
  unit(a.slot);
  unit(b.slot);
  pushTemp(a.type);
  setFusable(d);
  return {};
}

}  // namespace bantam::interp
