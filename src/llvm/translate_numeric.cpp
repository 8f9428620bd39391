// Numeric instructions (§4.4.1): constants, integer and float arithmetic, comparisons, and
// conversions. Explicit checks only where the spec traps: division, remainder and the
// trapping float-to-integer truncations.
#include <llvm/IR/Intrinsics.h>

#include <cmath>

#include "llvm/translator.h"

namespace bantam::llvmc {

using runtime::TrapKind;
using wasm::Op;

namespace {
bool isIdentityOperand(llvm::Value* v, Op op) {
  auto* c = llvm::dyn_cast<llvm::ConstantFP>(v);
  if (!c) return false;
  const llvm::APFloat& f = c->getValueAPF();
  switch (op) {
    case Op::F32Mul: case Op::F64Mul: case Op::F32Div: case Op::F64Div:
      return f.isExactlyValue(1.0) || f.isExactlyValue(-1.0);
    case Op::F32Add: case Op::F64Add: case Op::F32Sub: case Op::F64Sub:
      return f.isZero();
    default:
      return false;
  }
}
}  // namespace

Result<bool> FunctionTranslator::translateNumeric(const wasm::Instr& in) {
  llvm::Type* i32t = env_.i32Ty;
  llvm::Type* i64t = env_.i64Ty;
  auto bin = [&](auto&& f) {
    llvm::Value* r = pop();
    llvm::Value* l = pop();
    push(f(l, r));
  };
  auto un = [&](auto&& f) { push(f(pop())); };
  auto cmp = [&](llvm::CmpInst::Predicate p) {
    llvm::Value* r = pop();
    llvm::Value* l = pop();
    llvm::Value* c = l->getType()->isFloatingPointTy() ? b_.CreateFCmp(p, l, r) : b_.CreateICmp(p, l, r);
    push(boolToI32(c));
  };
  // Shift and rotate counts are taken modulo the width (§4.3.2); LLVM's shifts are poison past it.
  auto shiftMask = [&](llvm::Value* n) {
    unsigned w = n->getType()->getIntegerBitWidth();
    return b_.CreateAnd(n, llvm::ConstantInt::get(n->getType(), w - 1));
  };
  auto floatBin = [&](llvm::Instruction::BinaryOps opc) {
    llvm::Value* r = pop();
    llvm::Value* l = pop();
    // LLVM folds x * 1.0, x / 1.0, x + -0.0 and x - 0.0 to x, which would let a signalling NaN
    // through unquieted (the spec wants an arithmetic NaN): hide such constants.
    if (isIdentityOperand(r, in.op)) r = opaque(r);
    if (isIdentityOperand(l, in.op)) l = opaque(l);
    push(b_.CreateBinOp(opc, l, r));
  };

  switch (in.op) {
    case Op::I32Const: push(llvm::ConstantInt::get(i32t, static_cast<uint32_t>(in.i64))); return true;
    case Op::I64Const: push(llvm::ConstantInt::get(i64t, static_cast<uint64_t>(in.i64))); return true;
    case Op::F32Const:
      push(llvm::ConstantFP::get(env_.ctx, llvm::APFloat(llvm::APFloat::IEEEsingle(), llvm::APInt(32, in.bits32))));
      return true;
    case Op::F64Const:
      push(llvm::ConstantFP::get(env_.ctx, llvm::APFloat(llvm::APFloat::IEEEdouble(), llvm::APInt(64, in.bits64))));
      return true;

    case Op::I32Eqz: case Op::I64Eqz: {
      llvm::Value* v = pop();
      push(boolToI32(b_.CreateICmpEQ(v, llvm::ConstantInt::get(v->getType(), 0))));
      return true;
    }
    case Op::I32Eq: case Op::I64Eq: cmp(llvm::CmpInst::ICMP_EQ); return true;
    case Op::I32Ne: case Op::I64Ne: cmp(llvm::CmpInst::ICMP_NE); return true;
    case Op::I32LtS: case Op::I64LtS: cmp(llvm::CmpInst::ICMP_SLT); return true;
    case Op::I32LtU: case Op::I64LtU: cmp(llvm::CmpInst::ICMP_ULT); return true;
    case Op::I32GtS: case Op::I64GtS: cmp(llvm::CmpInst::ICMP_SGT); return true;
    case Op::I32GtU: case Op::I64GtU: cmp(llvm::CmpInst::ICMP_UGT); return true;
    case Op::I32LeS: case Op::I64LeS: cmp(llvm::CmpInst::ICMP_SLE); return true;
    case Op::I32LeU: case Op::I64LeU: cmp(llvm::CmpInst::ICMP_ULE); return true;
    case Op::I32GeS: case Op::I64GeS: cmp(llvm::CmpInst::ICMP_SGE); return true;
    case Op::I32GeU: case Op::I64GeU: cmp(llvm::CmpInst::ICMP_UGE); return true;
    case Op::F32Eq: case Op::F64Eq: cmp(llvm::CmpInst::FCMP_OEQ); return true;
    case Op::F32Ne: case Op::F64Ne: cmp(llvm::CmpInst::FCMP_UNE); return true;
    case Op::F32Lt: case Op::F64Lt: cmp(llvm::CmpInst::FCMP_OLT); return true;
    case Op::F32Gt: case Op::F64Gt: cmp(llvm::CmpInst::FCMP_OGT); return true;
    case Op::F32Le: case Op::F64Le: cmp(llvm::CmpInst::FCMP_OLE); return true;
    case Op::F32Ge: case Op::F64Ge: cmp(llvm::CmpInst::FCMP_OGE); return true;

    case Op::I32Clz: case Op::I64Clz:
      un([&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::ctlz, {v->getType()}, {v, b_.getFalse()}); });
      return true;
    case Op::I32Ctz: case Op::I64Ctz:
      un([&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::cttz, {v->getType()}, {v, b_.getFalse()}); });
      return true;
    case Op::I32Popcnt: case Op::I64Popcnt:
      un([&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::ctpop, {v->getType()}, {v}); });
      return true;
    case Op::I32Add: case Op::I64Add: bin([&](auto l, auto r) { return b_.CreateAdd(l, r); }); return true;
    case Op::I32Sub: case Op::I64Sub: bin([&](auto l, auto r) { return b_.CreateSub(l, r); }); return true;
    case Op::I32Mul: case Op::I64Mul: bin([&](auto l, auto r) { return b_.CreateMul(l, r); }); return true;
    case Op::I32DivS: case Op::I64DivS:
      bin([&](llvm::Value* l, llvm::Value* r) {
        llvm::Type* t = l->getType();
        trapIf(b_.CreateICmpEQ(r, llvm::ConstantInt::get(t, 0)), TrapKind::IntegerDivideByZero);
        unsigned w = t->getIntegerBitWidth();
        llvm::Value* overflow = b_.CreateAnd(b_.CreateICmpEQ(l, llvm::ConstantInt::get(t, llvm::APInt::getSignedMinValue(w))),
                                             b_.CreateICmpEQ(r, llvm::ConstantInt::getSigned(t, -1)));
        trapIf(overflow, TrapKind::IntegerOverflow);
        return b_.CreateSDiv(l, r);
      });
      return true;
    case Op::I32DivU: case Op::I64DivU:
      bin([&](llvm::Value* l, llvm::Value* r) {
        trapIf(b_.CreateICmpEQ(r, llvm::ConstantInt::get(r->getType(), 0)), TrapKind::IntegerDivideByZero);
        return b_.CreateUDiv(l, r);
      });
      return true;
    case Op::I32RemS: case Op::I64RemS:
      bin([&](llvm::Value* l, llvm::Value* r) {
        llvm::Type* t = l->getType();
        trapIf(b_.CreateICmpEQ(r, llvm::ConstantInt::get(t, 0)), TrapKind::IntegerDivideByZero);
        // INT_MIN rem -1 is 0 (§4.3.2 irem_s); x86's idiv would fault on it.
        llvm::Value* minusOne = b_.CreateICmpEQ(r, llvm::ConstantInt::getSigned(t, -1));
        llvm::Value* safe = b_.CreateSelect(minusOne, llvm::ConstantInt::get(t, 1), r);
        return b_.CreateSRem(l, safe);
      });
      return true;
    case Op::I32RemU: case Op::I64RemU:
      bin([&](llvm::Value* l, llvm::Value* r) {
        trapIf(b_.CreateICmpEQ(r, llvm::ConstantInt::get(r->getType(), 0)), TrapKind::IntegerDivideByZero);
        return b_.CreateURem(l, r);
      });
      return true;
    case Op::I32And: case Op::I64And: bin([&](auto l, auto r) { return b_.CreateAnd(l, r); }); return true;
    case Op::I32Or: case Op::I64Or: bin([&](auto l, auto r) { return b_.CreateOr(l, r); }); return true;
    case Op::I32Xor: case Op::I64Xor: bin([&](auto l, auto r) { return b_.CreateXor(l, r); }); return true;
    case Op::I32Shl: case Op::I64Shl: bin([&](auto l, auto r) { return b_.CreateShl(l, shiftMask(r)); }); return true;
    case Op::I32ShrS: case Op::I64ShrS: bin([&](auto l, auto r) { return b_.CreateAShr(l, shiftMask(r)); }); return true;
    case Op::I32ShrU: case Op::I64ShrU: bin([&](auto l, auto r) { return b_.CreateLShr(l, shiftMask(r)); }); return true;
    case Op::I32Rotl: case Op::I64Rotl:
      bin([&](llvm::Value* l, llvm::Value* r) { return intrinsic(llvm::Intrinsic::fshl, {l->getType()}, {l, l, r}); });
      return true;
    case Op::I32Rotr: case Op::I64Rotr:
      bin([&](llvm::Value* l, llvm::Value* r) { return intrinsic(llvm::Intrinsic::fshr, {l->getType()}, {l, l, r}); });
      return true;

    case Op::F32Abs: case Op::F64Abs:
      un([&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::fabs, {v->getType()}, {v}); });
      return true;
    case Op::F32Neg: case Op::F64Neg: un([&](llvm::Value* v) { return b_.CreateFNeg(v); }); return true;
    case Op::F32Ceil: case Op::F64Ceil:
      un([&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::ceil, {v->getType()}, {v}); });
      return true;
    case Op::F32Floor: case Op::F64Floor:
      un([&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::floor, {v->getType()}, {v}); });
      return true;
    case Op::F32Trunc: case Op::F64Trunc:
      un([&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::trunc, {v->getType()}, {v}); });
      return true;
    case Op::F32Nearest: case Op::F64Nearest:
      un([&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::roundeven, {v->getType()}, {v}); });
      return true;
    case Op::F32Sqrt: case Op::F64Sqrt:
      un([&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::sqrt, {v->getType()}, {v}); });
      return true;
    case Op::F32Add: case Op::F64Add: floatBin(llvm::Instruction::FAdd); return true;
    case Op::F32Sub: case Op::F64Sub: floatBin(llvm::Instruction::FSub); return true;
    case Op::F32Mul: case Op::F64Mul: floatBin(llvm::Instruction::FMul); return true;
    case Op::F32Div: case Op::F64Div: floatBin(llvm::Instruction::FDiv); return true;
    case Op::F32Min: case Op::F64Min:
      bin([&](llvm::Value* l, llvm::Value* r) { return floatMinMax(llvm::Intrinsic::minimum, l, r); });
      return true;
    case Op::F32Max: case Op::F64Max:
      bin([&](llvm::Value* l, llvm::Value* r) { return floatMinMax(llvm::Intrinsic::maximum, l, r); });
      return true;
    case Op::F32Copysign: case Op::F64Copysign:
      bin([&](llvm::Value* l, llvm::Value* r) { return intrinsic(llvm::Intrinsic::copysign, {l->getType()}, {l, r}); });
      return true;
    default:
      return false;
  }
}

llvm::Value* FunctionTranslator::truncChecked(llvm::Value* x, llvm::Type* to, bool isSigned) {
  // §4.3.3 trunc: NaN is "invalid conversion to integer"; a value whose truncation does not
  // fit is "integer overflow". The limits are exact in both float formats.
  llvm::Type* ft = x->getType();
  unsigned bits = to->getIntegerBitWidth();
  trapIf(b_.CreateFCmpUNO(x, x), TrapKind::InvalidConversionToInteger);
  // Valid iff the truncation fits: x > -2^(N-1) - 1 and x < 2^(N-1) (signed), x > -1 and
  // x < 2^N (unsigned). Where -2^(N-1) - 1 is not representable (f32, or N = 64) no value
  // lies between it and -2^(N-1), so the lower test becomes x >= -2^(N-1).
  llvm::Value* low;
  double hi;
  if (isSigned) {
    hi = std::ldexp(1.0, static_cast<int>(bits) - 1);
    if (ft->isDoubleTy() && bits == 32) low = b_.CreateFCmpOGT(x, llvm::ConstantFP::get(ft, -hi - 1.0));
    else low = b_.CreateFCmpOGE(x, llvm::ConstantFP::get(ft, -hi));
  } else {
    hi = std::ldexp(1.0, static_cast<int>(bits));
    low = b_.CreateFCmpOGT(x, llvm::ConstantFP::get(ft, -1.0));
  }
  llvm::Value* ok = b_.CreateAnd(low, b_.CreateFCmpOLT(x, llvm::ConstantFP::get(ft, hi)));
  trapIf(b_.CreateNot(ok), TrapKind::IntegerOverflow);
  return isSigned ? b_.CreateFPToSI(x, to) : b_.CreateFPToUI(x, to);
}

Result<bool> FunctionTranslator::translateConversion(const wasm::Instr& in) {
  llvm::Type* i32t = env_.i32Ty;
  llvm::Type* i64t = env_.i64Ty;
  llvm::Type* f32t = env_.f32Ty;
  llvm::Type* f64t = env_.f64Ty;
  auto sat = [&](llvm::Type* to, bool isSigned) {
    llvm::Value* v = pop();
    push(intrinsic(isSigned ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat, {to, v->getType()}, {v}));
  };
  auto extendLow = [&](llvm::Type* narrow, llvm::Type* wide) {
    push(b_.CreateSExt(b_.CreateTrunc(pop(), narrow), wide));
  };
  switch (in.op) {
    case Op::I32WrapI64: push(b_.CreateTrunc(pop(), i32t)); return true;
    case Op::I32TruncF32S: case Op::I32TruncF64S: push(truncChecked(pop(), i32t, true)); return true;
    case Op::I32TruncF32U: case Op::I32TruncF64U: push(truncChecked(pop(), i32t, false)); return true;
    case Op::I64TruncF32S: case Op::I64TruncF64S: push(truncChecked(pop(), i64t, true)); return true;
    case Op::I64TruncF32U: case Op::I64TruncF64U: push(truncChecked(pop(), i64t, false)); return true;
    case Op::I64ExtendI32S: push(b_.CreateSExt(pop(), i64t)); return true;
    case Op::I64ExtendI32U: push(b_.CreateZExt(pop(), i64t)); return true;
    case Op::F32ConvertI32S: case Op::F32ConvertI64S: push(b_.CreateSIToFP(pop(), f32t)); return true;
    case Op::F32ConvertI32U: case Op::F32ConvertI64U: push(b_.CreateUIToFP(pop(), f32t)); return true;
    case Op::F64ConvertI32S: case Op::F64ConvertI64S: push(b_.CreateSIToFP(pop(), f64t)); return true;
    case Op::F64ConvertI32U: case Op::F64ConvertI64U: push(b_.CreateUIToFP(pop(), f64t)); return true;
    case Op::F32DemoteF64:
      // LLVM folds demote(promote(x)) to x, which lets a signalling NaN through unquieted
      // (float_exprs.wast no_fold_promote_demote): the operand is hidden from that fold.
      push(b_.CreateFPTrunc(opaque(pop()), f32t));
      return true;
    case Op::F64PromoteF32: push(b_.CreateFPExt(pop(), f64t)); return true;
    case Op::I32ReinterpretF32: push(b_.CreateBitCast(pop(), i32t)); return true;
    case Op::I64ReinterpretF64: push(b_.CreateBitCast(pop(), i64t)); return true;
    case Op::F32ReinterpretI32: push(b_.CreateBitCast(pop(), f32t)); return true;
    case Op::F64ReinterpretI64: push(b_.CreateBitCast(pop(), f64t)); return true;
    case Op::I32Extend8S: extendLow(env_.i8Ty, i32t); return true;
    case Op::I32Extend16S: extendLow(env_.i16Ty, i32t); return true;
    case Op::I64Extend8S: extendLow(env_.i8Ty, i64t); return true;
    case Op::I64Extend16S: extendLow(env_.i16Ty, i64t); return true;
    case Op::I64Extend32S: extendLow(env_.i32Ty, i64t); return true;
    case Op::I32TruncSatF32S: case Op::I32TruncSatF64S: sat(i32t, true); return true;
    case Op::I32TruncSatF32U: case Op::I32TruncSatF64U: sat(i32t, false); return true;
    case Op::I64TruncSatF32S: case Op::I64TruncSatF64S: sat(i64t, true); return true;
    case Op::I64TruncSatF32U: case Op::I64TruncSatF64U: sat(i64t, false); return true;
    default:
      return false;
  }
}

}  // namespace bantam::llvmc
