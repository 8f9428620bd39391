// Control instructions (§3.3.8): blocks and their types, branches and their label arities,
// return, calls. Follows the spec's Appendix algorithm case by case.
#include "wasm/validator/func_validator.h"

#include <algorithm>

namespace bantam::wasm::validation {

bool FuncValidator::checkBlockType(const Instr& in, std::span<const ValType>& params,
                                   std::span<const ValType>& results) {
  switch (in.block.kind) {
    case BlockType::Kind::Empty:
      params = {};
      results = {};
      return true;
    case BlockType::Kind::Value:
      params = {};
      results = singleValType(in.block.value);
      return true;
    case BlockType::Kind::TypeIndex: {
      uint32_t idx = in.block.index.value;
      if (idx >= m_.types.size()) return failUnknown(in, "type", idx);
      // Spans into Module::types stay valid: the module outlives validation.
      params = m_.types[idx].params;
      results = m_.types[idx].results;
      return true;
    }
  }
  return fail(in, "malformed block type");
}

bool FuncValidator::checkLabel(const Instr& in, uint32_t label) {
  if (label >= ctrls_.size()) return failUnknown(in, "label", label);
  return true;
}

bool FuncValidator::validateControl(const Instr& in) {
  switch (in.op) {
    case Op::Unreachable:
      markUnreachable();
      return true;

    case Op::Block:
    case Op::Loop: {
      std::span<const ValType> params, results;
      if (!checkBlockType(in, params, results) || !popAll(in, params)) return false;
      pushCtrl(in.op, params, results);
      return true;
    }
    case Op::If: {
      std::span<const ValType> params, results;
      if (!checkBlockType(in, params, results)) return false;
      if (!pop(in, ValType::I32) || !popAll(in, params)) return false;
      pushCtrl(Op::If, params, results);
      return true;
    }
    case Op::Else: {
      Frame frame;
      if (!popCtrl(in, frame)) return false;
      if (frame.op != Op::If) return fail(in, "else without matching if");
      pushCtrl(Op::Else, frame.params, frame.results);
      return true;
    }
    case Op::End: {
      Frame frame;
      if (!popCtrl(in, frame)) return false;
      // `if` without `else` has an implicit empty else branch, which passes its params
      // through: the block type must then be [t*] -> [t*].
      if (frame.op == Op::If && !std::ranges::equal(frame.params, frame.results)) return typeMismatch(in);
      pushAll(frame.results);
      return true;
    }

    case Op::Br: {
      if (!checkLabel(in, in.index)) return false;
      if (!popAll(in, ctrls_[ctrls_.size() - 1 - in.index].labelTypes())) return false;
      markUnreachable();
      return true;
    }
    case Op::BrIf: {
      if (!checkLabel(in, in.index) || !pop(in, ValType::I32)) return false;
      std::span<const ValType> types = ctrls_[ctrls_.size() - 1 - in.index].labelTypes();
      if (!popAll(in, types)) return false;
      pushAll(types);
      return true;
    }
    case Op::BrTable: {
      if (!pop(in, ValType::I32) || !checkLabel(in, in.index)) return false;
      std::span<const ValType> defaultTypes = ctrls_[ctrls_.size() - 1 - in.index].labelTypes();
      size_t arity = defaultTypes.size();
      for (uint32_t label : in.brTargets) {
        if (!checkLabel(in, label)) return false;
        std::span<const ValType> types = ctrls_[ctrls_.size() - 1 - label].labelTypes();
        if (types.size() != arity) return typeMismatch(in);
        if (!peekAll(in, types)) return false;
      }
      if (!popAll(in, defaultTypes)) return false;
      markUnreachable();
      return true;
    }
    case Op::Return:
      if (!popAll(in, funcResults_)) return false;
      markUnreachable();
      return true;

    case Op::Call: {
      if (!checkFunc(in, in.index)) return false;
      uint32_t typeIdx = m_.funcSpace[in.index].value;
      if (typeIdx >= m_.types.size()) return failUnknown(in, "type", typeIdx);
      const FuncType& type = m_.types[typeIdx];
      if (!popAll(in, type.params)) return false;
      pushAll(type.results);
      return true;
    }
    case Op::CallIndirect: {
      if (!checkTable(in, in.index2)) return false;
      if (in.index >= m_.types.size()) return failUnknown(in, "type", in.index);
      if (m_.tableSpace[in.index2].elemType != ValType::FuncRef) return typeMismatch(in);
      const FuncType& type = m_.types[in.index];
      if (!pop(in, ValType::I32) || !popAll(in, type.params)) return false;
      pushAll(type.results);
      return true;
    }
    default:
      break;
  }
  return failNoRule(in);
}

}  // namespace bantam::wasm::validation
