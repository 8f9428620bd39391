// Internal to the validator: the function-body type checker of the spec's Appendix
// "Validation Algorithm" (operand stack, control stack, polymorphic stack after unreachable
// code). One FuncValidator checks every function of a module in turn and reuses its stacks.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "wasm/instr.h"
#include "wasm/module.h"
#include "wasm/opcode.h"

namespace bantam::wasm::validation {

// The spec's "Unknown" operand type: what a pop yields from the polymorphic stack of
// unreachable code. 0 is no value type's encoding.
inline constexpr ValType kUnknown = static_cast<ValType>(0);

// Stack signatures of the opcode table's fixed-signature rows, decoded once at compile time,
// so that the generic path (most instructions) is a table lookup and no per-op code.
struct OpSig {
  bool generic = false;  // false for rows whose signature is "*" (typed by hand)
  uint8_t numParams = 0;
  uint8_t numResults = 0;
  std::array<ValType, 3> params{};
  ValType result = kUnknown;
};

constexpr ValType sigLetterType(char c) {
  switch (c) {
    case 'i': return ValType::I32;
    case 'I': return ValType::I64;
    case 'f': return ValType::F32;
    case 'F': return ValType::F64;
    case 'v': return ValType::V128;
    default: return kUnknown;
  }
}

inline constexpr std::array<OpSig, kOpCount> kOpSigs = [] {
  std::array<OpSig, kOpCount> sigs{};
  for (size_t i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    if (info.params == "*" || info.results == "*") continue;
    OpSig& s = sigs[i];
    s.generic = true;
    s.numParams = static_cast<uint8_t>(info.params.size());
    s.numResults = static_cast<uint8_t>(info.results.size());
    for (size_t k = 0; k < info.params.size(); ++k) s.params[k] = sigLetterType(info.params[k]);
    if (!info.results.empty()) s.result = sigLetterType(info.results[0]);
  }
  return sigs;
}();

// A row the generic path cannot express would be mis-typed silently: reject it at compile time.
static_assert([] {
  for (size_t i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    if (info.params == "*" || info.results == "*") continue;
    if (info.params.size() > 3 || info.results.size() > 1) return false;
    for (char c : info.params) if (sigLetterType(c) == kUnknown) return false;
    for (char c : info.results) if (sigLetterType(c) == kUnknown) return false;
  }
  return true;
}(), "opcodes.def: a fixed signature has an unknown letter or more than 3 params / 1 result");

// Implementation limits (spec Appendix "Implementation Limitations"), the same as the JS API
// and wasmparser/Wasmtime: they bound the validator's work per instruction and its memory.
inline constexpr size_t kMaxFuncParams = 1000;
inline constexpr size_t kMaxFuncResults = 1000;
// Operands on the stack of one function; real code stays far below, a hostile module that
// pushes call results forever would otherwise grow the stack without bound.
inline constexpr size_t kMaxOperandStack = size_t{1} << 20;

// Module-level facts that function bodies are checked against.
struct ModuleContext {
  const Module& module;
  // C.refs (§3.4.10): functions that ref.func may name inside function bodies.
  std::vector<bool> declaredFuncRefs;
};

// "unknown function 7", "unknown data segment 1": the suite matches these by prefix.
std::string unknownIndexMessage(std::string_view what, uint32_t index);

class FuncValidator {
 public:
  explicit FuncValidator(const ModuleContext& ctx) : ctx_(ctx), m_(ctx.module) {}

  // Validates defined function `definedIndex` (0 = the first function of the code section).
  // Errors carry "in function N" as context.
  Result<void> validateFunction(uint32_t definedIndex);

 private:
  struct Frame {
    Op op;                            // Block, Loop, If or Else; Block for the function body
    std::span<const ValType> params;  // start types
    std::span<const ValType> results; // end types
    uint32_t height;                  // operand stack height at entry
    bool unreachable;
    std::span<const ValType> labelTypes() const { return op == Op::Loop ? params : results; }
  };

  // ---- errors: internal checks return false and leave the error in error_; the hot path
  // then carries a bool, not a ~150-byte Result, through every instruction.
  [[gnu::cold]] bool fail(const Instr& in, std::string message);
  [[gnu::cold]] bool failUnknown(const Instr& in, std::string_view what, uint32_t index);
  // A row of opcodes.def that reached a handler without a case for it: an engine bug.
  [[gnu::cold]] bool failNoRule(const Instr& in);
  [[gnu::cold]] bool typeMismatch(const Instr& in) { return fail(in, "type mismatch"); }

  // ---- the operand stack (§A.3 push_val / pop_val / pop_vals / push_vals)
  void push(ValType t) { vals_.push_back(t); }
  void pushAll(std::span<const ValType> ts) { vals_.insert(vals_.end(), ts.begin(), ts.end()); }
  // Pops any operand; `out` is kUnknown on the polymorphic stack.
  bool popAny(const Instr& in, ValType& out) {
    const Frame& top = ctrls_.back();
    if (vals_.size() > top.height) [[likely]] {
      out = vals_.back();
      vals_.pop_back();
      return true;
    }
    if (top.unreachable) {
      out = kUnknown;
      return true;
    }
    return typeMismatch(in);
  }
  bool pop(const Instr& in, ValType expect) {
    const Frame& top = ctrls_.back();
    if (vals_.size() > top.height) [[likely]] {
      ValType actual = vals_.back();
      vals_.pop_back();
      if (actual == expect || actual == kUnknown || expect == kUnknown) [[likely]] return true;
      return typeMismatch(in);
    }
    if (top.unreachable) return true;
    return typeMismatch(in);
  }
  // Pops `ts` (last first). Below the frame base of unreachable code every remaining pop
  // yields Unknown, so the work is bounded by what was pushed, not by |ts|.
  bool popAll(const Instr& in, std::span<const ValType> ts) {
    const Frame& top = ctrls_.back();
    size_t avail = vals_.size() - top.height, n = ts.size();
    size_t k = n < avail ? n : avail;
    const ValType* base = vals_.data() + vals_.size() - k;
    for (size_t i = 0; i < k; ++i) {
      ValType actual = base[i], expect = ts[n - k + i];
      if (actual != expect && actual != kUnknown) [[unlikely]] return typeMismatch(in);
    }
    if (k < n && !top.unreachable) return typeMismatch(in);
    vals_.erase(vals_.end() - static_cast<ptrdiff_t>(k), vals_.end());
    return true;
  }
  // Checks that the top operands match `ts` without popping (the stack keeps what it had,
  // as pop_vals followed by push_vals of the popped values would leave it).
  bool peekAll(const Instr& in, std::span<const ValType> ts);

  // ---- the control stack (§A.3 push_ctrl / pop_ctrl / unreachable)
  void pushCtrl(Op op, std::span<const ValType> params, std::span<const ValType> results) {
    ctrls_.push_back(Frame{op, params, results, static_cast<uint32_t>(vals_.size()), false});
    pushAll(params);
  }
  bool popCtrl(const Instr& in, Frame& out);
  void markUnreachable() {
    vals_.resize(ctrls_.back().height);
    ctrls_.back().unreachable = true;
  }

  // ---- dispatch: the generic table-driven path, then one handler per category (split by
  // file the same way as the engines: control / variable+parametric / table / memory /
  // reference / vector).
  bool validateInstr(const Instr& in);
  [[gnu::noinline]] bool validateByCategory(const Instr& in);
  bool checkImmediates(const Instr& in);
  bool validateControl(const Instr& in);
  bool validateParametric(const Instr& in);
  bool validateVariable(const Instr& in);
  bool validateTable(const Instr& in);
  bool validateReference(const Instr& in);

  // Immediate checks shared by categories.
  bool checkBlockType(const Instr& in, std::span<const ValType>& params, std::span<const ValType>& results);
  bool checkLabel(const Instr& in, uint32_t label);
  bool checkMemory(const Instr& in, uint32_t mem);
  bool checkMemArg(const Instr& in);
  bool checkLane(const Instr& in, uint32_t laneCount);
  bool checkShuffle(const Instr& in);
  bool checkData(const Instr& in, uint32_t data);
  bool checkElem(const Instr& in, uint32_t elem);
  bool checkTable(const Instr& in, uint32_t table);
  bool checkFunc(const Instr& in, uint32_t func);

  // ---- locals: params then declared locals. Small functions use a flat array; a function
  // declaring huge local counts (legal up to 2^32-1) is looked up by binary search on runs.
  void setupLocals(const FuncType& type, const Function& fn);
  bool localType(const Instr& in, uint32_t index, ValType& out) {
    if (flat_ && index < flatLocals_.size()) [[likely]] {
      out = flatLocals_[index];
      return true;
    }
    return localTypeSlow(in, index, out);
  }
  bool localTypeSlow(const Instr& in, uint32_t index, ValType& out);
  struct LocalRun {
    uint64_t end;  // one past the last index of this run
    ValType type;
  };

  const ModuleContext& ctx_;
  const Module& m_;
  std::vector<ValType> vals_;
  std::vector<Frame> ctrls_;
  std::vector<ValType> flatLocals_;
  std::vector<LocalRun> localRuns_;
  uint64_t numLocals_ = 0;
  bool flat_ = true;
  std::span<const ValType> funcResults_;
  Error error_;
};

// The single-value spans a block type `(result t)` refers to: static storage, so a Frame can
// point at them across reallocations of the control stack.
std::span<const ValType> singleValType(ValType t);

}  // namespace bantam::wasm::validation
