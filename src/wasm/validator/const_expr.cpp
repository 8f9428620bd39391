// Constant expressions (§3.3.10): t.const, ref.null, ref.func and global.get of an imported
// immutable global. No operators, so typing reduces to "exactly one value of the right type".
#include "wasm/validator/const_expr.h"

#include "wasm/validator/func_validator.h"

namespace bantam::wasm::validation {

Result<void> validateConstExpr(const Module& m, CodeRange expr, ValType expected, std::vector<bool>& refs) {
  InstrReader reader(m.bytes, expr);
  uint32_t count = 0;
  ValType last = kUnknown;
  uint64_t endOffset = expr.offset;
  bool sawEnd = false;
  while (!reader.atEnd()) {
    Instr in = BANTAM_TRY(reader.next());
    ValType t = kUnknown;
    switch (in.op) {
      case Op::I32Const: t = ValType::I32; break;
      case Op::I64Const: t = ValType::I64; break;
      case Op::F32Const: t = ValType::F32; break;
      case Op::F64Const: t = ValType::F64; break;
      case Op::V128Const: t = ValType::V128; break;
      case Op::RefNull: t = in.refType; break;
      case Op::RefFunc:
        if (in.index >= m.funcSpace.size())
          return failAt(ErrorKind::Invalid, in.offset, unknownIndexMessage("function", in.index));
        refs[in.index] = true;
        t = ValType::FuncRef;
        break;
      case Op::GlobalGet:
        // 2.0: the context of constant expressions holds the imported globals only (§3.4.10).
        if (in.index >= m.numImportedGlobals)
          return failAt(ErrorKind::Invalid, in.offset, unknownIndexMessage("global", in.index));
        if (m.globalSpace[in.index].isMutable)
          return failAt(ErrorKind::Invalid, in.offset, "constant expression required");
        t = m.globalSpace[in.index].type;
        break;
      case Op::End:
        endOffset = in.offset;
        sawEnd = true;
        if (!reader.atEnd())  // the decoder cuts expressions at their `end`; be safe anyway
          return failAt(ErrorKind::Invalid, reader.offset(), "constant expression required");
        break;
      default:
        return failAt(ErrorKind::Invalid, in.offset, "constant expression required");
    }
    if (in.op == Op::End) break;
    ++count;
    last = t;
  }
  if (!sawEnd) return failAt(ErrorKind::Malformed, reader.offset(), "unexpected end");
  if (count != 1 || last != expected) return failAt(ErrorKind::Invalid, endOffset, "type mismatch");
  return {};
}

}  // namespace bantam::wasm::validation
