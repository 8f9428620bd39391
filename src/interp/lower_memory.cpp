// Lowering of memory, table and reference instructions. Loads and stores take their base
// address from a slot (or a constant folded with the offset) and the offset as an immediate;
// constant values of stores become immediates.
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
}  // namespace

Result<void> Lowerer::lowerMemory(const wasm::Instr& in) {
  const wasm::OpInfo& info = wasm::opInfo(in.op);
  if (info.imm == wasm::ImmKind::MemArg || info.imm == wasm::ImmKind::MemArgLane) {
    bool vector = info.category == wasm::OpCategory::Vector;
    const MemoryHandlers& mh = (vector ? kMemoryVector : kMemory)[static_cast<size_t>(in.op)];
    if (!mh.reg) return failAt(ErrorKind::Unsupported, in.offset, "memory instruction without a handler");
    uint64_t offset = in.memarg.offset;
    bool store = info.results.empty();
    if (info.imm == wasm::ImmKind::MemArgLane) {
      Entry v = pop();
      Entry addr = pop();
      uint32_t a = slotOf(addr);
      uint32_t pos = begin(mh.reg);
      uint32_t d = here();
      if (!store) unit(addr.home);
      unit(a);
      unit(v.slot);  // v128 values are never constants
      unit(static_cast<uint32_t>(offset));
      unit(in.lane);
      record(pos, in.offset);
      if (store) {
        clearFusion();
      } else {
        pushTemp(ValType::V128);
        setFusable(d);
      }
      return {};
    }
    if (store) {
      if (!vector && lowerMove(in)) return {};
      // `mem[addr] = op(a, b)` where op was just emitted and its result goes nowhere else.
      if (!vector && bin_.end == here() && top().kind == Entry::Kind::Temp && top().home == bin_.home &&
          top(1).kind != Entry::Kind::Const) {
        if (Handler os = opStoreHandler(bin_.op, in.op, false, bin_.bImm)) {
          BinRecord op = bin_;
          Entry v = pop();
          Entry addr = pop();
          rewind(op.start);
          bool bAcc = op.bAcc && slotInAcc(op.b, v.type);
          bool aAcc = !op.bAcc && slotInAcc(op.a, v.type);
          uint32_t pos = begin(opStoreHandler(op.op, in.op, aAcc, op.bImm, bAcc));
          unit(addr.slot);
          unit(static_cast<uint32_t>(offset));
          if (!aAcc) unit(op.a);
          if (!bAcc && !op.bImm) unit(op.b);
          else if (!bAcc && (v.type == ValType::I64 || v.type == ValType::F64)) unit64(op.imm);
          else if (!bAcc) unit(static_cast<uint32_t>(op.imm));
          record(pos, in.offset);
          clearFusion();
          return {};
        }
      }
      Entry v = pop();
      Entry addr = pop();
      uint32_t pos;
      bool vConst = v.kind == Entry::Kind::Const;
      // Absorb the i32.add that computed the address. A constant value is only taken as an
      // immediate: materializing it could overwrite the add's second operand (its home).
      Handler fused = !isLastAdd(addr) ? nullptr
                      : addImm_ ? (vConst ? mh.addImmImm : mh.addImm)
                                : (vConst ? nullptr : mh.addReg);
      if (fused) {
        rewind(addStart_);
        pos = begin(fused);
        unit(addA_);
        unit(addB_);
        if (vConst) {
          unit(static_cast<uint32_t>(offset));
          if (v.type == ValType::I32 || v.type == ValType::F32) unit(static_cast<uint32_t>(v.value));
          else unit64(v.value);
        } else {
          unit(v.slot);
          unit(static_cast<uint32_t>(offset));
        }
      } else if (mh.accVal && inAcc(v)) {
        if (addr.kind == Entry::Kind::Const && (addr.value & 0xffffffffu) + offset <= UINT32_MAX) {
          pos = begin(mh.absAccVal);
          unit(static_cast<uint32_t>((addr.value & 0xffffffffu) + offset));
        } else {
          uint32_t as = slotOf(addr);
          pos = begin(mh.accVal);
          unit(as);
          unit(static_cast<uint32_t>(offset));
        }
      } else if (mh.accAddr && inAcc(addr)) {
        if (v.kind == Entry::Kind::Const) {
          pos = begin(mh.accAddrImm);
          unit(static_cast<uint32_t>(offset));
          if (v.type == ValType::I32 || v.type == ValType::F32) unit(static_cast<uint32_t>(v.value));
          else unit64(v.value);
        } else {
          pos = begin(mh.accAddr);
          unit(v.slot);
          unit(static_cast<uint32_t>(offset));
        }
      } else if (v.kind == Entry::Kind::Const && addr.kind != Entry::Kind::Const && mh.imm) {
        pos = begin(mh.imm);
        unit(addr.slot);
        unit(static_cast<uint32_t>(offset));
        if (v.type == ValType::I32 || v.type == ValType::F32) unit(static_cast<uint32_t>(v.value));
        else unit64(v.value);
      } else {
        uint32_t vs = slotOf(v);
        if (addr.kind == Entry::Kind::Const && mh.abs) {
          uint64_t ea = (addr.value & 0xffffffffu) + offset;
          if (ea > UINT32_MAX) {
            pos = begin(h::TrapOutOfBounds);
          } else {
            pos = begin(mh.abs);
            unit(vs);
            unit(static_cast<uint32_t>(ea));
          }
        } else {
          uint32_t as = slotOf(addr);
          pos = begin(mh.reg);
          unit(as);
          unit(vs);
          unit(static_cast<uint32_t>(offset));
        }
      }
      record(pos, in.offset);
      clearFusion();
      return {};
    }
    // Loads: the result takes the address's position.
    Entry addr = pop();
    uint32_t pos, d;
    LoadRecord load{0, kNoPos, addr.home, info.bytes};
    load.offset = static_cast<uint32_t>(offset);
    load.wasmOffset = in.offset;
    load.op = in.op;
    if (Handler fused = isLastAdd(addr) ? (addImm_ ? mh.addImm : mh.addReg) : nullptr) {
      rewind(addStart_);
      // The add's base may be in the accumulator (computed by the instruction before it).
      bool acc = addImm_ && mh.addImmAcc && slotInAcc(addA_, ValType::I32);
      if (addImm_) {
        load.addImm = true;
        load.a = addA_;
        load.k = addB_;
        load.end = 0;  // a move may take it (set below)
      }
      pos = begin(acc ? mh.addImmAcc : fused);
      d = here();
      unit(addr.home);
      if (!acc) unit(addA_);
      unit(addB_);
      unit(static_cast<uint32_t>(offset));
    } else if (mh.accAddr && inAcc(addr)) {
      load.a = addr.slot;
      load.end = 0;
      pos = begin(mh.accAddr);
      d = here();
      unit(addr.home);
      unit(static_cast<uint32_t>(offset));
    } else if (addr.kind == Entry::Kind::Const && mh.abs) {
      uint64_t ea = (addr.value & 0xffffffffu) + offset;
      if (ea > UINT32_MAX) {
        pos = begin(h::TrapOutOfBounds);
        d = kNoPos;
      } else {
        pos = begin(mh.abs);
        d = here();
        unit(addr.home);
        unit(static_cast<uint32_t>(ea));
      }
    } else {
      bool constAddr = addr.kind == Entry::Kind::Const;
      uint32_t as = slotOf(addr);
      if (!constAddr) {
        load.a = as;
        load.end = 0;
      }
      pos = begin(mh.reg);
      d = here();
      unit(addr.home);
      unit(as);
      unit(static_cast<uint32_t>(offset));
    }
    record(pos, in.offset);
    ValType rt = letterType(info.results[0]);
    pushTemp(rt);
    if (d != kNoPos) {
      setFusable(d);
      if (!vector) setAcc(d, rt);
    } else {
      clearFusion();
    }
    if (load.end == 0 && !vector && fuse_) {
      load.start = pos;
      load.end = here();
      load_ = load;
    }
    return {};
  }

  switch (in.op) {
    case Op::MemorySize: {
      begin(h::MemorySize);
      uint32_t d = here();
      unit(topSlot());
      pushTemp(ValType::I32);
      setFusable(d);
      return {};
    }
    case Op::MemoryGrow: {
      Entry n = pop();
      uint32_t s = slotOf(n);
      begin(h::MemoryGrow);
      uint32_t d = here();
      unit(n.home);
      unit(s);
      pushTemp(ValType::I32);
      setFusable(d);
      return {};
    }
    case Op::MemoryInit: case Op::MemoryCopy: case Op::MemoryFill: {
      Entry n = pop(), b = pop(), a = pop();
      uint32_t as = slotOf(a), bs = slotOf(b), ns = slotOf(n);
      Handler hd = in.op == Op::MemoryInit ? h::MemoryInit : in.op == Op::MemoryCopy ? h::MemoryCopy : h::MemoryFill;
      uint32_t pos = begin(hd);
      if (in.op == Op::MemoryInit) unit(in.index);
      unit(as);
      unit(bs);
      unit(ns);
      record(pos, in.offset);
      clearFusion();
      return {};
    }
    case Op::DataDrop:
      begin(h::DataDrop);
      unit(in.index);
      clearFusion();
      return {};
    default:
      return failAt(ErrorKind::Unsupported, in.offset, "unknown memory instruction");
  }
}

// `store(y, load(x))` where the load was just emitted and its value goes nowhere else: one
// handler moves the bytes. The move traps like the pair would: source bounds first (reported
// at the load's offset), then destination bounds (at the store's, recorded one unit further).
bool Lowerer::lowerMove(const wasm::Instr& in) {
  const wasm::OpInfo& info = wasm::opInfo(in.op);
  if (load_.end != here() || load_.width != info.bytes) return false;
  const Entry& v = top();
  const Entry& addr = top(1);
  if (v.kind != Entry::Kind::Temp || v.home != load_.home || addr.kind == Entry::Kind::Const) return false;
  LoadRecord load = load_;
  uint32_t dstAddr = addr.slot;
  pop();
  pop();
  rewind(load.start);
  bool acc = !load.addImm && slotInAcc(load.a, ValType::I32);
  MoveForm form = load.addImm ? MoveForm::AddImm : acc ? MoveForm::Acc : MoveForm::Reg;
  uint32_t pos = begin(moveHandler(load.width, form));
  if (load.addImm) {
    unit(load.a);
    unit(load.k);
  } else if (!acc) {
    unit(load.a);
  }
  unit(load.offset);
  unit(dstAddr);
  unit(static_cast<uint32_t>(in.memarg.offset));
  record(pos, load.wasmOffset);
  record(pos + 1, in.offset);
  clearFusion();
  return true;
}

Result<void> Lowerer::lowerTable(const wasm::Instr& in) {
  switch (in.op) {
    case Op::TableGet: {
      Entry i = pop();
      uint32_t is = slotOf(i);
      uint32_t pos = begin(h::TableGet);
      uint32_t d = here();
      unit(i.home);
      unit(in.index);
      unit(is);
      record(pos, in.offset);
      pushTemp(module_.tableSpace[in.index].elemType);
      setFusable(d);
      return {};
    }
    case Op::TableSet: {
      Entry v = pop(), i = pop();
      uint32_t is = slotOf(i), vs = slotOf(v);
      uint32_t pos = begin(h::TableSet);
      unit(in.index);
      unit(is);
      unit(vs);
      record(pos, in.offset);
      clearFusion();
      return {};
    }
    case Op::TableSize: {
      begin(h::TableSize);
      uint32_t d = here();
      unit(topSlot());
      unit(in.index);
      pushTemp(ValType::I32);
      setFusable(d);
      return {};
    }
    case Op::TableGrow: {
      Entry n = pop(), init = pop();
      uint32_t is = slotOf(init), ns = slotOf(n);
      begin(h::TableGrow);
      uint32_t d = here();
      unit(init.home);
      unit(in.index);
      unit(is);
      unit(ns);
      pushTemp(ValType::I32);
      setFusable(d);
      return {};
    }
    case Op::TableFill: {
      Entry n = pop(), v = pop(), i = pop();
      uint32_t is = slotOf(i), vs = slotOf(v), ns = slotOf(n);
      uint32_t pos = begin(h::TableFill);
      unit(in.index);
      unit(is);
      unit(vs);
      unit(ns);
      record(pos, in.offset);
      clearFusion();
      return {};
    }
    case Op::TableCopy: case Op::TableInit: {
      Entry n = pop(), s = pop(), d = pop();
      uint32_t ds = slotOf(d), ss = slotOf(s), ns = slotOf(n);
      uint32_t pos;
      if (in.op == Op::TableCopy) {
        pos = begin(h::TableCopy);
        unit(in.index);   // destination table
        unit(in.index2);  // source table
      } else {
        pos = begin(h::TableInit);
        unit(in.index2);  // table
        unit(in.index);   // element segment
      }
      unit(ds);
      unit(ss);
      unit(ns);
      record(pos, in.offset);
      clearFusion();
      return {};
    }
    case Op::ElemDrop:
      begin(h::ElemDrop);
      unit(in.index);
      clearFusion();
      return {};
    default:
      return failAt(ErrorKind::Unsupported, in.offset, "unknown table instruction");
  }
}

Result<void> Lowerer::lowerReference(const wasm::Instr& in) {
  switch (in.op) {
    case Op::RefNull:
      pushConst(in.refType, 0);
      return {};
    case Op::RefIsNull: {
      // A reference is a pointer in one slot: ref.is_null is i64.eqz, and fuses with br_if too.
      Entry a = pop();
      if (a.kind == Entry::Kind::Const) {
        pushConst(ValType::I32, a.value == 0);
        return {};
      }
      uint32_t pos = begin(kNumeric[static_cast<size_t>(Op::I64Eqz)].r);
      uint32_t d = here();
      unit(a.home);
      unit(a.slot);
      pushTemp(ValType::I32);
      setFusable(d);
      cmp_ = Cond{};
      cmp_.kind = Cond::Kind::NonZero64Eqz;
      cmp_.a = a.slot;
      cmpStart_ = pos;
      cmpEnd_ = fuse_ ? here() : kNoPos;
      cmpHome_ = a.home;
      return {};
    }
    case Op::RefFunc: {
      begin(h::RefFunc);
      uint32_t d = here();
      unit(topSlot());
      unit(in.index);
      pushTemp(ValType::FuncRef);
      setFusable(d);
      return {};
    }
    default:
      return failAt(ErrorKind::Unsupported, in.offset, "unknown reference instruction");
  }
}

}  // namespace bantam::interp
