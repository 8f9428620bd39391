// Table instructions (§3.3.6): table and element-segment indices, and the ops whose stack
// signature depends on the table's reference type.
#include "wasm/validator/func_validator.h"

namespace bantam::wasm::validation {

bool FuncValidator::checkTable(const Instr& in, uint32_t table) {
  if (table >= m_.tableSpace.size()) return failUnknown(in, "table", table);
  return true;
}

bool FuncValidator::checkElem(const Instr& in, uint32_t elem) {
  if (elem >= m_.elems.size()) return failUnknown(in, "elem segment", elem);
  return true;
}

bool FuncValidator::validateTable(const Instr& in) {
  if (!checkTable(in, in.index)) return false;
  ValType t = m_.tableSpace[in.index].elemType;
  switch (in.op) {
    case Op::TableGet:  // [i32] -> [t]
      if (!pop(in, ValType::I32)) return false;
      push(t);
      return true;
    case Op::TableSet:  // [i32 t] -> []
      return pop(in, t) && pop(in, ValType::I32);
    case Op::TableGrow:  // [t i32] -> [i32]
      if (!pop(in, ValType::I32) || !pop(in, t)) return false;
      push(ValType::I32);
      return true;
    case Op::TableFill:  // [i32 t i32] -> []
      return pop(in, ValType::I32) && pop(in, t) && pop(in, ValType::I32);
    default:
      break;
  }
  return failNoRule(in);
}

}  // namespace bantam::wasm::validation
