// Reference instructions (§3.3.2): ref.null, ref.is_null and ref.func (with the rule that a
// function referenced from code must be declared in the module, §3.4.10 C.refs).
#include "wasm/validator/func_validator.h"

namespace bantam::wasm::validation {

bool FuncValidator::checkFunc(const Instr& in, uint32_t func) {
  if (func >= m_.funcSpace.size()) return failUnknown(in, "function", func);
  return true;
}

bool FuncValidator::validateReference(const Instr& in) {
  switch (in.op) {
    case Op::RefNull:
      push(in.refType);
      return true;
    case Op::RefIsNull: {
      ValType t;
      if (!popAny(in, t)) return false;
      if (t != kUnknown && !isRefType(t)) return typeMismatch(in);
      push(ValType::I32);
      return true;
    }
    case Op::RefFunc:
      if (!checkFunc(in, in.index)) return false;
      if (!ctx_.declaredFuncRefs[in.index]) return fail(in, "undeclared function reference");
      push(ValType::FuncRef);
      return true;
    default:
      break;
  }
  return failNoRule(in);
}

}  // namespace bantam::wasm::validation
