// The constant expression evaluator: a tiny stack machine over wasm::InstrReader.
#include "runtime/const_expr.h"

#include <array>

#include "wasm/instr.h"

namespace bantam::runtime {

namespace {
std::unexpected<Error> notConstant(const wasm::Instr& in) {
  return failAt(ErrorKind::Invalid, in.offset,
                "constant expression required (" + std::string(wasm::opName(in.op)) + ")");
}
}  // namespace

Result<RawVal> evalConstExpr(const wasm::Module& module, wasm::CodeRange expr, const ModuleInst& instance) {
  wasm::InstrReader reader(module.bytes, expr);
  // Validated constant expressions leave one value; the extended-const arithmetic needs two
  // operands at most, but long chains can stack up, so bound the depth explicitly.
  std::array<RawVal, 16> stack;
  size_t sp = 0;
  auto push = [&](RawVal v) -> bool {
    if (sp == stack.size()) return false;
    stack[sp++] = v;
    return true;
  };
  while (!reader.atEnd()) {
    wasm::Instr in = BANTAM_TRY(reader.next());
    RawVal v;
    using wasm::Op;
    switch (in.op) {
      case Op::End:
        if (sp != 1) return failAt(ErrorKind::Invalid, in.offset, "type mismatch");
        return stack[0];
      case Op::I32Const: v.i32 = static_cast<uint32_t>(in.i64); break;
      case Op::I64Const: v.i64 = static_cast<uint64_t>(in.i64); break;
      case Op::F32Const: v.f32 = in.bits32; break;
      case Op::F64Const: v.f64 = in.bits64; break;
      case Op::V128Const: std::copy(in.v128.begin(), in.v128.end(), v.v128.bytes.begin()); break;
      case Op::RefNull: v.ref = nullptr; break;
      case Op::RefFunc:
        if (in.index >= instance.funcs.size()) return failAt(ErrorKind::Invalid, in.offset, "unknown function");
        v.ref = instance.funcs[in.index];
        break;
      case Op::GlobalGet:
        if (in.index >= instance.globals.size() || instance.globals[in.index] == nullptr)
          return failAt(ErrorKind::Invalid, in.offset, "unknown global");
        v = instance.globals[in.index]->value;
        break;
      case Op::I32Add: case Op::I32Sub: case Op::I32Mul:
      case Op::I64Add: case Op::I64Sub: case Op::I64Mul: {
        if (sp < 2) return failAt(ErrorKind::Invalid, in.offset, "type mismatch");
        RawVal b = stack[--sp], a = stack[--sp];
        switch (in.op) {
          case Op::I32Add: v.i32 = a.i32 + b.i32; break;
          case Op::I32Sub: v.i32 = a.i32 - b.i32; break;
          case Op::I32Mul: v.i32 = a.i32 * b.i32; break;
          case Op::I64Add: v.i64 = a.i64 + b.i64; break;
          case Op::I64Sub: v.i64 = a.i64 - b.i64; break;
          default: v.i64 = a.i64 * b.i64; break;
        }
        break;
      }
      default:
        return notConstant(in);
    }
    if (!push(v)) return failAt(ErrorKind::Limit, in.offset, "constant expression too deep");
  }
  return failAt(ErrorKind::Malformed, reader.offset(), "unexpected end");
}

}  // namespace bantam::runtime
