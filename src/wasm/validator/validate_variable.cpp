// Variable (§3.3.5) and parametric (§3.3.4) instructions: locals, globals, drop and select.
#include "wasm/validator/func_validator.h"

namespace bantam::wasm::validation {

bool FuncValidator::validateVariable(const Instr& in) {
  switch (in.op) {
    case Op::LocalGet: {
      ValType t;
      if (!localType(in, in.index, t)) return false;
      push(t);
      return true;
    }
    case Op::LocalSet: {
      ValType t;
      return localType(in, in.index, t) && pop(in, t);
    }
    case Op::LocalTee: {
      ValType t;
      if (!localType(in, in.index, t) || !pop(in, t)) return false;
      push(t);
      return true;
    }
    case Op::GlobalGet:
      if (in.index >= m_.globalSpace.size()) return failUnknown(in, "global", in.index);
      push(m_.globalSpace[in.index].type);
      return true;
    case Op::GlobalSet: {
      if (in.index >= m_.globalSpace.size()) return failUnknown(in, "global", in.index);
      const GlobalType& g = m_.globalSpace[in.index];
      if (!g.isMutable) return fail(in, "global is immutable");
      return pop(in, g.type);
    }
    default:
      break;
  }
  return failNoRule(in);
}

bool FuncValidator::validateParametric(const Instr& in) {
  switch (in.op) {
    case Op::Drop: {
      ValType t;
      return popAny(in, t);
    }
    case Op::Select: {
      // Untyped select only chooses between numeric or vector operands of one type (§3.3.4);
      // references need the typed form.
      ValType t1, t2;
      if (!pop(in, ValType::I32) || !popAny(in, t1) || !popAny(in, t2)) return false;
      bool bothNum = (t1 == kUnknown || isNumType(t1)) && (t2 == kUnknown || isNumType(t2));
      bool bothVec = (t1 == kUnknown || t1 == ValType::V128) && (t2 == kUnknown || t2 == ValType::V128);
      if (!bothNum && !bothVec) return typeMismatch(in);
      if (t1 != t2 && t1 != kUnknown && t2 != kUnknown) return typeMismatch(in);
      push(t1 == kUnknown ? t2 : t1);
      return true;
    }
    case Op::SelectT: {
      if (in.selectTypes.size() != 1) return fail(in, "invalid result arity");
      ValType t = in.selectTypes[0];
      if (!pop(in, ValType::I32) || !pop(in, t) || !pop(in, t)) return false;
      push(t);
      return true;
    }
    default:
      break;
  }
  return failNoRule(in);
}

}  // namespace bantam::wasm::validation
