// Lowering: one pass over a validated function body that emits the internal register-slot code
// (code.h). The wasm operand stack is simulated: each stack position owns a "home" slot above
// the locals, and an entry is either a value in its home (Temp), a reference to a local
// (local.get costs nothing), or a constant (becomes an immediate operand). Values are copied
// into homes only where control flow merges or a local they refer to is overwritten.
#pragma once

#include <span>
#include <vector>

#include "common/error.h"
#include "interp/handlers.h"
#include "interp/module_code.h"
#include "wasm/instr.h"
#include "wasm/module.h"

namespace bantam::interp {

inline uint32_t slotsOf(wasm::ValType t) { return t == wasm::ValType::V128 ? 2 : 1; }

class Lowerer {
 public:
  // `fuse` false lowers every instruction on its own: no super-instructions, accumulator,
  // retargeted results or copy propagation (the reference the differential tests compare with).
  Lowerer(const wasm::Module& module, std::span<const uint32_t> sigIds, ModuleCode& out, bool fuse = true);
  Result<void> lowerFunction(uint32_t definedIndex);
  // Resolves direct calls once every function has its code position.
  void finish();
  // Records the position of every instruction emitted (for disassembly).
  void recordStarts(std::vector<uint32_t>* starts) { starts_ = starts; }

 private:
  struct Entry {
    enum class Kind : uint8_t { Temp, Local, Const };
    Kind kind = Kind::Temp;
    wasm::ValType type = wasm::ValType::I32;
    uint32_t home = 0;   // the slot owned by this stack position
    uint32_t slot = 0;   // where the value is: the local's slot (Local) or home (Temp)
    uint32_t local = 0;  // Local: the local index
    uint64_t value = 0;  // Const (never v128: those are materialized at once)
  };

  struct Control {
    wasm::Op op = wasm::Op::Block;  // Block, Loop, If; Nop for the function body
    uint32_t height = 0;            // stack entries below the params
    uint32_t baseSlot = 0;          // home of the first param (= of the first result)
    std::span<const wasm::ValType> params, results;
    uint32_t loopStart = 0;         // Loop: code position of the body
    uint32_t fixups = kNoFixup;     // chain of branch fields waiting for the end label
    uint32_t elseFixup = kNoFixup;  // If: the branch taken when the condition is false
    uint32_t instrAtStart = 0;      // instructions lowered before it (fuel cost of a loop)
    bool unreachable = false;
    bool hasElse = false;
  };

  // A conditional branch's condition, possibly a compare fused into it.
  struct Cond {
    enum class Kind : uint8_t { NonZero32, NonZero64Eqz, Compare, Always, Never } kind{};
    bool negate = false;       // NonZero32 negated = "is zero"; NonZero64Eqz = i64.eqz
    wasm::Op cmp = wasm::Op::Nop;
    bool rhsImm = false;
    uint32_t a = 0, b = 0;     // slots
    uint64_t imm = 0;
  };

  static constexpr uint32_t kNoFixup = UINT32_MAX;
  static constexpr uint32_t kNoPos = UINT32_MAX;

  // ---- instruction dispatch (lower_*.cpp) ----
  Result<void> lowerInstr(const wasm::Instr& in);
  Result<void> lowerControl(const wasm::Instr& in);
  Result<void> lowerVariable(const wasm::Instr& in);
  Result<void> lowerParametric(const wasm::Instr& in);
  Result<void> lowerMemory(const wasm::Instr& in);
  Result<void> lowerTable(const wasm::Instr& in);
  Result<void> lowerReference(const wasm::Instr& in);
  Result<void> lowerNumeric(const wasm::Instr& in);
  Result<void> lowerVector(const wasm::Instr& in);
  Result<void> lowerDead(const wasm::Instr& in);

  // ---- control helpers ----
  void enterBlock(const wasm::Instr& in);
  void endBlock();
  void lowerElse();
  Cond popCond();
  uint32_t emitCond(const Cond& c, bool negate, bool check, uint32_t cost);
  uint32_t emitAddBranch(const Cond& c, bool negate, bool check, uint32_t cost);
  void emitJump(Control& target);
  void linkBranch(Control& target, uint32_t field);
  void bindFixups(uint32_t chain, uint32_t target);
  void emitBranchCopies(const Control& target);
  bool branchNeedsCopies(const Control& target) const;
  void emitReturn();
  void markUnreachable();
  Control& label(uint32_t depth) { return controls_[controls_.size() - 1 - depth]; }
  std::span<const wasm::ValType> labelTypes(const Control& c) const {
    return c.op == wasm::Op::Loop ? c.params : c.results;
  }
  uint32_t loopCost(const Control& c) const;
  void blockTypes(const wasm::BlockType& bt, std::span<const wasm::ValType>& params,
                  std::span<const wasm::ValType>& results) const;
  void lowerCall(const wasm::Instr& in);

  // ---- operand stack ----
  uint32_t topSlot() const { return tempBase_ + stackSlots_; }
  void pushTemp(wasm::ValType t);
  void pushLocal(uint32_t local);
  void pushConst(wasm::ValType t, uint64_t v);
  Entry pop();
  Entry& top(uint32_t fromTop = 0) { return stack_[stack_.size() - 1 - fromTop]; }
  void materialize(Entry& e);                // into its home
  void materializeTop(uint32_t n);
  void materializeLocalRefs();               // every Local entry (block boundaries)
  void preserveLocal(uint32_t local);        // before `local` is overwritten
  void emitMove(uint32_t dst, const Entry& src);  // copy src's value into slot dst
  uint32_t slotOf(Entry& e);                 // a slot holding e's value (materializes constants)

  // ---- emission ----
  uint32_t here() const { return static_cast<uint32_t>(code_.size()); }
  uint32_t begin(Handler h);                 // returns the instruction's position
  void unit(uint32_t v) { code_.push_back(v); }
  void unit64(uint64_t v) {
    code_.push_back(static_cast<uint32_t>(v));
    code_.push_back(static_cast<uint32_t>(v >> 32));
  }
  void record(uint32_t pos, uint32_t wasmOffset) { out_.offsets.emplace_back(pos, wasmOffset); }
  // The instruction just emitted wrote its result to the home of the new top entry through
  // the unit at `dstField`: a following local.set / return may retarget it.
  void setFusable(uint32_t dstField);
  void clearFusion() {
    bin_.end = kNoPos;
    load_.end = kNoPos;
    addImmEnd_ = kNoPos;
    fuseEnd_ = kNoPos;
    cmpEnd_ = kNoPos;
    addEnd_ = kNoPos;
    accEnd_ = kNoPos;
    copyEnd_ = kNoPos;
  }
  // The instruction just emitted left its result (slot at unit `dstField`) in an accumulator.
  void setAcc(uint32_t dstField, wasm::ValType t) {
    if (!fuse_) return;
    prevAccEnd_ = accEnd_;  // restored if this instruction is taken back (rewind)
    prevAccField_ = accField_;
    prevAccClass_ = accClass_;
    accEnd_ = here();
    accField_ = dstField;
    accClass_ = accClass(t);
  }
  // Whether the value in `slot` (of type t) is also in its accumulator here.
  bool slotInAcc(uint32_t slot, wasm::ValType t) const {
    return accEnd_ == here() && accClass_ != 0 && accClass_ == accClass(t) && code_[accField_] == slot;
  }
  bool inAcc(const Entry& e) const { return e.kind != Entry::Kind::Const && slotInAcc(e.slot, e.type); }
  static char accClass(wasm::ValType t) {
    switch (t) {
      case wasm::ValType::I32: case wasm::ValType::I64: return 'i';
      case wasm::ValType::F32: return 'f';
      case wasm::ValType::F64: return 'F';
      default: return 0;
    }
  }
  bool fusableTop() const;
  // Takes back the instructions from `pos` on (a compare or add absorbed by what follows).
  void rewind(uint32_t pos);
  // Whether `e` is the result of the i32.add just emitted (a load/store may absorb it).
  bool isLastAdd(const Entry& e) const {
    return addEnd_ == here() && e.kind == Entry::Kind::Temp && e.home == addHome_;
  }

  const wasm::Module& module_;
  std::span<const uint32_t> sigIds_;
  bool fuse_ = true;
  ModuleCode& out_;
  std::vector<CodeUnit>& code_;

  // per function
  const wasm::FuncType* funcType_ = nullptr;
  std::vector<uint32_t> localSlot_;
  std::vector<wasm::ValType> localType_;
  std::vector<uint32_t> localRefs_;  // Local entries on the stack, per local
  // Copy propagation inside straight-line code: after `local.set x (local.get y)`, reads of x
  // read y (whose slot was written long before, off the critical path of the copy). An alias
  // holds while neither local is written again and no label is crossed (aliasEpoch_).
  struct Alias {
    uint32_t src = 0, srcWrites = 0, selfWrites = 0, epoch = UINT32_MAX;
  };
  std::vector<Alias> alias_;
  std::vector<uint32_t> writes_;     // writes per local, to invalidate aliases
  uint32_t aliasEpoch_ = 0;
  void clearAliases() { ++aliasEpoch_; }
  uint32_t resolveAlias(uint32_t local) const {
    const Alias& a = alias_[local];
    return a.epoch == aliasEpoch_ && writes_[local] == a.selfWrites && writes_[a.src] == a.srcWrites
               ? a.src
               : local;
  }
  uint32_t tempBase_ = 0;
  uint32_t stackSlots_ = 0;
  uint32_t maxStackSlots_ = 0;
  std::vector<Entry> stack_;
  std::vector<Control> controls_;
  uint32_t deadDepth_ = 0;
  bool loopsOrCalls_ = false;  // whether the function needs its entry's interruption check
  uint32_t instrCount_ = 0;
  uint32_t curOffset_ = 0;  // wasm offset of the instruction being lowered

  // fusion state: the last instruction's result (dst retargeting) and the last compare
  uint32_t fuseEnd_ = kNoPos, fuseField_ = 0, fuseHome_ = 0;
  uint32_t cmpEnd_ = kNoPos, cmpStart_ = 0, cmpHome_ = 0;
  Cond cmp_;
  // the last i32.add (a + b, or a + imm), for address-mode fusion
  uint32_t addEnd_ = kNoPos, addStart_ = 0, addHome_ = 0, addA_ = 0, addB_ = 0;
  bool addImm_ = false;
  // the last binary operation with its operands in slots (or a constant b): a following
  // binary operation consuming its result may absorb it (pair super-instructions)
  struct BinRecord {
    uint32_t start = 0, end = kNoPos, home = 0;
    wasm::Op op = wasm::Op::Nop;
    uint32_t a = 0, b = 0;
    uint64_t imm = 0;
    bool bImm = false;
    bool bAcc = false;  // b was the accumulator (a in a slot): no pair, op-store only
  } bin_;
  bool lowerPair(Entry& a, Entry& b, wasm::Op op, wasm::ValType rt);
  // the last scalar load, which a store of its value may absorb (a memory-to-memory move)
  struct LoadRecord {
    uint32_t start = 0, end = kNoPos, home = 0;
    uint32_t width = 0;
    bool addImm = false;  // address a + k (else the slot `a`)
    uint32_t a = 0, k = 0, offset = 0, wasmOffset = 0;
    wasm::Op op = wasm::Op::Nop;
  } load_;
  bool lowerMove(const wasm::Instr& in);
  // `op(load, c)` or `op(c, load)` where the load was just emitted (a load-op handler).
  bool lowerLoadOp(Entry& a, Entry& b, wasm::Op op, wasm::ValType rt);
  // the last single `i32.add x, k` (slot operand), which a following one joins (AddImm2)
  uint32_t addImmEnd_ = kNoPos, addImmStart_ = 0;
  // the last single Copy64, which a following copy joins (Copy64x2)
  uint32_t copyEnd_ = kNoPos, copyStart_ = 0;
  // the accumulator: valid while nothing was emitted after the instruction that set it
  uint32_t accEnd_ = kNoPos, accField_ = 0;
  char accClass_ = 0;
  uint32_t prevAccEnd_ = kNoPos, prevAccField_ = 0;
  char prevAccClass_ = 0;

  // direct calls to patch in finish(): (code position of the pointer, defined index)
  std::vector<std::pair<uint32_t, uint32_t>> calls_;
  std::vector<uint32_t>* starts_ = nullptr;
};

}  // namespace bantam::interp
