// The function-body checker's core: the per-function driver, the operand and control stacks,
// locals, and the generic path that types every fixed-signature row of opcodes.def.
#include "wasm/validator/func_validator.h"

#include <algorithm>

namespace bantam::wasm::validation {

std::string unknownIndexMessage(std::string_view what, uint32_t index) {
  std::string s = "unknown ";
  s += what;
  s += ' ';
  s += std::to_string(index);
  return s;
}

std::span<const ValType> singleValType(ValType t) {
  static constexpr ValType kAll[] = {ValType::I32,  ValType::I64,     ValType::F32,      ValType::F64,
                                     ValType::V128, ValType::FuncRef, ValType::ExternRef};
  for (const ValType& v : kAll)
    if (v == t) return {&v, 1};
  return {};
}

bool FuncValidator::fail(const Instr& in, std::string message) {
  error_ = Error::at(ErrorKind::Invalid, in.offset, std::move(message));
  return false;
}

bool FuncValidator::failUnknown(const Instr& in, std::string_view what, uint32_t index) {
  return fail(in, unknownIndexMessage(what, index));
}

bool FuncValidator::failNoRule(const Instr& in) {
  return fail(in, "internal error: the validator has no rule for " + std::string(opName(in.op)));
}

bool FuncValidator::peekAll(const Instr& in, std::span<const ValType> ts) {
  const Frame& top = ctrls_.back();
  size_t avail = vals_.size() - top.height;
  size_t n = ts.size();
  for (size_t i = 0; i < n; ++i) {
    if (i >= avail) return top.unreachable ? true : typeMismatch(in);
    ValType actual = vals_[vals_.size() - 1 - i];
    ValType expect = ts[n - 1 - i];
    if (actual != expect && actual != kUnknown) return typeMismatch(in);
  }
  return true;
}

bool FuncValidator::popCtrl(const Instr& in, Frame& out) {
  // The decoder guarantees balanced nesting; an empty control stack here is a bug upstream.
  if (ctrls_.empty()) return fail(in, "unexpected end");
  if (!popAll(in, ctrls_.back().results)) return false;
  if (vals_.size() != ctrls_.back().height) return typeMismatch(in);
  out = ctrls_.back();
  ctrls_.pop_back();
  return true;
}

void FuncValidator::setupLocals(const FuncType& type, const Function& fn) {
  // Functions with up to this many locals get a flat type array (one load per local.get);
  // larger ones, legal but rare, use binary search instead of a giant allocation.
  constexpr uint64_t kFlatLimit = 1u << 16;
  // Summed from the declarations rather than taken from Function::numLocals, so that a
  // hand-built Module whose two disagree cannot make the flat array huge.
  numLocals_ = type.params.size();
  for (const LocalDecl& d : fn.locals) numLocals_ += d.count;
  flat_ = numLocals_ <= kFlatLimit;
  if (flat_) {
    flatLocals_.assign(type.params.begin(), type.params.end());
    for (const LocalDecl& d : fn.locals) flatLocals_.insert(flatLocals_.end(), d.count, d.type);
    return;
  }
  localRuns_.clear();
  uint64_t end = 0;
  for (ValType t : type.params) localRuns_.push_back({++end, t});
  for (const LocalDecl& d : fn.locals) {
    if (d.count == 0) continue;
    end += d.count;
    localRuns_.push_back({end, d.type});
  }
}

bool FuncValidator::localTypeSlow(const Instr& in, uint32_t index, ValType& out) {
  if (index >= numLocals_) return failUnknown(in, "local", index);
  auto it = std::upper_bound(localRuns_.begin(), localRuns_.end(), uint64_t{index},
                             [](uint64_t i, const LocalRun& r) { return i < r.end; });
  out = it->type;
  return true;
}

Result<void> FuncValidator::validateFunction(uint32_t definedIndex) {
  const Function& fn = m_.functions[definedIndex];
  FuncIdx funcIdx(m_.numImportedFuncs + definedIndex);
  auto withContext = [&](Error e) {
    std::string ctx = "in function " + std::to_string(funcIdx.value);
    std::string name = m_.functionName(funcIdx);
    if (name != "func[" + std::to_string(funcIdx.value) + "]") ctx += " (" + name + ")";
    return std::unexpected(std::move(e).withContext(std::move(ctx)));
  };
  if (fn.type.value >= m_.types.size()) {
    Error e = Error::make(ErrorKind::Invalid, unknownIndexMessage("type", fn.type.value));
    e.offset = fn.entryOffset;
    return withContext(std::move(e));
  }
  const FuncType& type = m_.types[fn.type.value];
  setupLocals(type, fn);
  funcResults_ = type.results;
  vals_.clear();
  ctrls_.clear();
  ctrls_.push_back(Frame{Op::Block, {}, type.results, 0, false});

  InstrReader reader(m_.bytes, fn.body);
  Instr in;
  while (!reader.atEnd()) {
    if (auto r = reader.next(in); !r) [[unlikely]] return withContext(std::move(r).error());
    if (ctrls_.empty()) [[unlikely]] {
      // The decoder reports this as malformed; kept so a hand-made Module cannot crash us.
      return withContext(Error::at(ErrorKind::Malformed, in.offset, "operators remaining after end of function"));
    }
    if (!validateInstr(in)) [[unlikely]] return withContext(std::move(error_));
    if (vals_.size() > kMaxOperandStack) [[unlikely]]
      return withContext(Error::at(ErrorKind::Limit, in.offset,
                                   "operand stack deeper than " + std::to_string(kMaxOperandStack) + " values"));
  }
  if (!ctrls_.empty())
    return withContext(Error::at(ErrorKind::Malformed, reader.offset(), "unexpected end of section or function"));
  return {};
}

// Most rows of the opcode table have a fixed signature: check their immediates (memory,
// lanes, segments), then pop the params and push the result. Everything else goes to the
// handler of its category, which fails loudly on an op it does not know.
bool FuncValidator::validateInstr(const Instr& in) {
  const OpSig& sig = kOpSigs[static_cast<size_t>(in.op)];
  if (!sig.generic) return validateByCategory(in);
  if (opInfo(in.op).imm != ImmKind::None && !checkImmediates(in)) return false;
  // Fast path: every operand sits above the frame base, so no per-operand frame check. The
  // unrolled form keeps this function small (measured with callgrind on a 1M-instruction
  // module: a loop here was auto-vectorised into a slower, register-hungry sequence).
  size_t n = sig.numParams, size = vals_.size();
  if (size - ctrls_.back().height >= n) [[likely]] {
    const ValType* base = vals_.data() + size - n;
    auto matches = [](ValType actual, ValType expect) { return actual == expect || actual == kUnknown; };
    bool ok = true;
    switch (n) {
      case 3: ok &= matches(base[2], sig.params[2]); [[fallthrough]];
      case 2: ok &= matches(base[1], sig.params[1]); [[fallthrough]];
      case 1: ok &= matches(base[0], sig.params[0]); [[fallthrough]];
      default: break;
    }
    if (!ok) [[unlikely]] return typeMismatch(in);
    vals_.erase(vals_.end() - static_cast<ptrdiff_t>(n), vals_.end());
  } else {
    for (size_t i = n; i-- > 0;)
      if (!pop(in, sig.params[i])) return false;
  }
  if (sig.numResults) push(sig.result);
  return true;
}

bool FuncValidator::validateByCategory(const Instr& in) {
  switch (opInfo(in.op).category) {
    case OpCategory::Control: return validateControl(in);
    case OpCategory::Parametric: return validateParametric(in);
    case OpCategory::Variable: return validateVariable(in);
    case OpCategory::Table: return validateTable(in);
    case OpCategory::Reference: return validateReference(in);
    case OpCategory::Memory:
    case OpCategory::Numeric:
    case OpCategory::Vector:
      break;
  }
  return failNoRule(in);
}

// Immediates of fixed-signature rows, in the order the reference interpreter checks them
// (memory before alignment, table before segment), so that modules with two faults report
// the same one.
bool FuncValidator::checkImmediates(const Instr& in) {
  switch (opInfo(in.op).imm) {
    case ImmKind::MemArg:
      return checkMemArg(in);
    case ImmKind::MemArgLane:
      return checkMemArg(in) && checkLane(in, 16u / opInfo(in.op).bytes);
    case ImmKind::Lane:
      return checkLane(in, opInfo(in.op).bytes);
    case ImmKind::Shuffle:
      return checkShuffle(in);
    case ImmKind::Mem:
      return checkMemory(in, in.index);
    case ImmKind::MemCopy:
      return checkMemory(in, in.index) && checkMemory(in, in.index2);
    case ImmKind::MemInit:
      return checkMemory(in, in.index2) && checkData(in, in.index);
    case ImmKind::Data:
      return checkData(in, in.index);
    case ImmKind::Elem:
      return checkElem(in, in.index);
    case ImmKind::Table:
      return checkTable(in, in.index);
    case ImmKind::TableInit: {
      if (!checkTable(in, in.index2) || !checkElem(in, in.index)) return false;
      if (m_.tableSpace[in.index2].elemType != m_.elems[in.index].type) return typeMismatch(in);
      return true;
    }
    case ImmKind::TableCopy: {
      if (!checkTable(in, in.index) || !checkTable(in, in.index2)) return false;
      if (m_.tableSpace[in.index].elemType != m_.tableSpace[in.index2].elemType) return typeMismatch(in);
      return true;
    }
    case ImmKind::None: case ImmKind::I32: case ImmKind::I64: case ImmKind::F32:
    case ImmKind::F64: case ImmKind::V128:
      return true;
    case ImmKind::BlockType: case ImmKind::Label: case ImmKind::BrTable: case ImmKind::Func:
    case ImmKind::CallIndirect: case ImmKind::Local: case ImmKind::Global:
    case ImmKind::SelectT: case ImmKind::RefType:
      break;  // only "*" rows carry these; a fixed row with one needs a rule here
  }
  return failNoRule(in);
}

}  // namespace bantam::wasm::validation
