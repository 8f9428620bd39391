// Vector instructions (§4.4.3): v128 values are LLVM <2 x i64> bitcast to the lane shape of
// each operation, so the x86 backend selects SSE/AVX instructions from generic IR; x86
// intrinsics only where generic IR cannot say it (pshufb for swizzle).
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/IntrinsicsX86.h>

#include "llvm/translator.h"

namespace bantam::llvmc {

using wasm::Op;

llvm::Value* FunctionTranslator::shiftCount(llvm::Value* count, llvm::FixedVectorType* t) {
  // Lane shifts take the count modulo the lane width (§4.4.3.x ishl).
  llvm::Type* lane = t->getElementType();
  unsigned w = lane->getIntegerBitWidth();
  llvm::Value* c = b_.CreateAnd(count, i32(w - 1));
  c = b_.CreateZExtOrTrunc(c, lane);
  return b_.CreateVectorSplat(t->getNumElements(), c);
}

Result<bool> FunctionTranslator::translateSimdMemory(const wasm::Instr& in) {
  llvm::FixedVectorType* i8x16 = lanes(env_.i8Ty, 16);
  llvm::FixedVectorType* i16x8 = lanes(env_.i16Ty, 8);
  llvm::FixedVectorType* i32x4 = lanes(env_.i32Ty, 4);
  llvm::FixedVectorType* i64x2 = env_.v128Ty;
  auto loadExtend = [&](llvm::Type* elem, unsigned n, llvm::Type* wide, bool isSigned) {
    llvm::Value* v = loadMemory(lanes(elem, n), in, 8);
    llvm::Value* w = isSigned ? b_.CreateSExt(v, lanes(wide, n)) : b_.CreateZExt(v, lanes(wide, n));
    push(fromLanes(w));
  };
  auto loadSplat = [&](llvm::Type* elem, llvm::FixedVectorType* t) {
    llvm::Value* v = loadMemory(elem, in, elem->getIntegerBitWidth() / 8);
    push(fromLanes(b_.CreateVectorSplat(t->getNumElements(), v)));
  };
  auto loadLane = [&](llvm::FixedVectorType* t) {
    llvm::Value* vec = asLanes(pop(), t);
    llvm::Type* elem = t->getElementType();
    llvm::Value* v = loadMemory(elem, in, elem->getIntegerBitWidth() / 8);
    push(fromLanes(b_.CreateInsertElement(vec, v, static_cast<uint64_t>(in.lane))));
  };
  auto storeLane = [&](llvm::FixedVectorType* t) {
    llvm::Value* vec = asLanes(pop(), t);
    llvm::Value* addr = pop();
    llvm::Value* v = b_.CreateExtractElement(vec, static_cast<uint64_t>(in.lane));
    storeMemory(v, addr, in, t->getElementType()->getIntegerBitWidth() / 8);
  };
  auto loadZero = [&](llvm::Type* elem, llvm::FixedVectorType* t) {
    llvm::Value* v = loadMemory(elem, in, elem->getIntegerBitWidth() / 8);
    push(fromLanes(b_.CreateInsertElement(llvm::Constant::getNullValue(t), v, uint64_t{0})));
  };
  switch (in.op) {
    case Op::V128Load: push(loadMemory(env_.v128Ty, in, 16)); return true;
    case Op::V128Store: {
      llvm::Value* v = pop();
      llvm::Value* addr = pop();
      storeMemory(v, addr, in, 16);
      return true;
    }
    case Op::V128Load8x8S: loadExtend(env_.i8Ty, 8, env_.i16Ty, true); return true;
    case Op::V128Load8x8U: loadExtend(env_.i8Ty, 8, env_.i16Ty, false); return true;
    case Op::V128Load16x4S: loadExtend(env_.i16Ty, 4, env_.i32Ty, true); return true;
    case Op::V128Load16x4U: loadExtend(env_.i16Ty, 4, env_.i32Ty, false); return true;
    case Op::V128Load32x2S: loadExtend(env_.i32Ty, 2, env_.i64Ty, true); return true;
    case Op::V128Load32x2U: loadExtend(env_.i32Ty, 2, env_.i64Ty, false); return true;
    case Op::V128Load8Splat: loadSplat(env_.i8Ty, i8x16); return true;
    case Op::V128Load16Splat: loadSplat(env_.i16Ty, i16x8); return true;
    case Op::V128Load32Splat: loadSplat(env_.i32Ty, i32x4); return true;
    case Op::V128Load64Splat: loadSplat(env_.i64Ty, i64x2); return true;
    case Op::V128Load8Lane: loadLane(i8x16); return true;
    case Op::V128Load16Lane: loadLane(i16x8); return true;
    case Op::V128Load32Lane: loadLane(i32x4); return true;
    case Op::V128Load64Lane: loadLane(i64x2); return true;
    case Op::V128Store8Lane: storeLane(i8x16); return true;
    case Op::V128Store16Lane: storeLane(i16x8); return true;
    case Op::V128Store32Lane: storeLane(i32x4); return true;
    case Op::V128Store64Lane: storeLane(i64x2); return true;
    case Op::V128Load32Zero: loadZero(env_.i32Ty, i32x4); return true;
    case Op::V128Load64Zero: loadZero(env_.i64Ty, i64x2); return true;
    default:
      return false;
  }
}

Result<bool> FunctionTranslator::translateSimd(const wasm::Instr& in) {
  using llvm::Intrinsic::ID;
  llvm::FixedVectorType* i8x16 = lanes(env_.i8Ty, 16);
  llvm::FixedVectorType* i16x8 = lanes(env_.i16Ty, 8);
  llvm::FixedVectorType* i32x4 = lanes(env_.i32Ty, 4);
  llvm::FixedVectorType* i64x2 = env_.v128Ty;
  llvm::FixedVectorType* f32x4 = lanes(env_.f32Ty, 4);
  llvm::FixedVectorType* f64x2 = lanes(env_.f64Ty, 2);

  auto un = [&](llvm::FixedVectorType* t, auto&& f) { push(fromLanes(f(asLanes(pop(), t)))); };
  auto bin = [&](llvm::FixedVectorType* t, auto&& f) {
    llvm::Value* r = asLanes(pop(), t);
    llvm::Value* l = asLanes(pop(), t);
    push(fromLanes(f(l, r)));
  };
  auto binIntr = [&](llvm::FixedVectorType* t, ID id) {
    bin(t, [&](llvm::Value* l, llvm::Value* r) { return intrinsic(id, {t}, {l, r}); });
  };
  auto unIntr = [&](llvm::FixedVectorType* t, ID id) {
    un(t, [&](llvm::Value* v) { return intrinsic(id, {t}, {v}); });
  };
  auto icmp = [&](llvm::FixedVectorType* t, llvm::CmpInst::Predicate p) {
    bin(t, [&](llvm::Value* l, llvm::Value* r) { return b_.CreateSExt(b_.CreateICmp(p, l, r), t); });
  };
  auto fcmp = [&](llvm::FixedVectorType* t, llvm::FixedVectorType* it, llvm::CmpInst::Predicate p) {
    bin(t, [&](llvm::Value* l, llvm::Value* r) { return b_.CreateSExt(b_.CreateFCmp(p, l, r), it); });
  };
  auto splat = [&](llvm::FixedVectorType* t) {
    llvm::Value* v = pop();
    llvm::Type* elem = t->getElementType();
    if (elem->isIntegerTy() && v->getType() != elem) v = b_.CreateTrunc(v, elem);
    push(fromLanes(b_.CreateVectorSplat(t->getNumElements(), v)));
  };
  auto extract = [&](llvm::FixedVectorType* t, int ext) {  // ext: 0 none, 1 signed, 2 unsigned
    llvm::Value* v = b_.CreateExtractElement(asLanes(pop(), t), static_cast<uint64_t>(in.lane));
    if (ext == 1) v = b_.CreateSExt(v, env_.i32Ty);
    if (ext == 2) v = b_.CreateZExt(v, env_.i32Ty);
    push(v);
  };
  auto replace = [&](llvm::FixedVectorType* t) {
    llvm::Value* x = pop();
    llvm::Value* v = asLanes(pop(), t);
    if (x->getType() != t->getElementType()) x = b_.CreateTrunc(x, t->getElementType());
    push(fromLanes(b_.CreateInsertElement(v, x, static_cast<uint64_t>(in.lane))));
  };
  auto shift = [&](llvm::FixedVectorType* t, llvm::Instruction::BinaryOps opc) {
    llvm::Value* count = pop();
    llvm::Value* v = asLanes(pop(), t);
    push(fromLanes(b_.CreateBinOp(opc, v, shiftCount(count, t))));
  };
  auto half = [&](llvm::Value* v, unsigned n, bool high) {  // lanes [0, n/2) or [n/2, n)
    llvm::SmallVector<int, 16> mask;
    for (unsigned i = 0; i < n / 2; ++i) mask.push_back(static_cast<int>(high ? n / 2 + i : i));
    return b_.CreateShuffleVector(v, mask);
  };
  auto evenOdd = [&](llvm::Value* v, unsigned n, bool odd) {
    llvm::SmallVector<int, 16> mask;
    for (unsigned i = 0; i < n / 2; ++i) mask.push_back(static_cast<int>(2 * i + (odd ? 1 : 0)));
    return b_.CreateShuffleVector(v, mask);
  };
  auto extendHalf = [&](llvm::FixedVectorType* from, llvm::Type* wide, bool high, bool isSigned) {
    un(from, [&](llvm::Value* v) {
      unsigned n = from->getNumElements();
      llvm::Value* h = half(v, n, high);
      return isSigned ? b_.CreateSExt(h, lanes(wide, n / 2)) : b_.CreateZExt(h, lanes(wide, n / 2));
    });
  };
  auto extmul = [&](llvm::FixedVectorType* from, llvm::Type* wide, bool high, bool isSigned) {
    bin(from, [&](llvm::Value* l, llvm::Value* r) {
      unsigned n = from->getNumElements();
      llvm::FixedVectorType* wt = lanes(wide, n / 2);
      llvm::Value* a = half(l, n, high);
      llvm::Value* c = half(r, n, high);
      a = isSigned ? b_.CreateSExt(a, wt) : b_.CreateZExt(a, wt);
      c = isSigned ? b_.CreateSExt(c, wt) : b_.CreateZExt(c, wt);
      return b_.CreateMul(a, c);
    });
  };
  auto extaddPairwise = [&](llvm::FixedVectorType* from, llvm::Type* wide, bool isSigned) {
    un(from, [&](llvm::Value* v) {
      unsigned n = from->getNumElements();
      llvm::FixedVectorType* wt = lanes(wide, n / 2);
      llvm::Value* e = evenOdd(v, n, false);
      llvm::Value* o = evenOdd(v, n, true);
      e = isSigned ? b_.CreateSExt(e, wt) : b_.CreateZExt(e, wt);
      o = isSigned ? b_.CreateSExt(o, wt) : b_.CreateZExt(o, wt);
      return b_.CreateAdd(e, o);
    });
  };
  auto narrow = [&](llvm::FixedVectorType* from, llvm::Type* to, bool isSigned) {
    bin(from, [&](llvm::Value* l, llvm::Value* r) {
      unsigned n = from->getNumElements();
      unsigned w = to->getIntegerBitWidth();
      llvm::Type* elem = from->getElementType();
      llvm::APInt lo = isSigned ? llvm::APInt::getSignedMinValue(w).sext(elem->getIntegerBitWidth())
                                : llvm::APInt(elem->getIntegerBitWidth(), 0);
      llvm::APInt hi = isSigned ? llvm::APInt::getSignedMaxValue(w).sext(elem->getIntegerBitWidth())
                                : llvm::APInt::getMaxValue(w).zext(elem->getIntegerBitWidth());
      llvm::Value* loV = llvm::ConstantInt::get(from, lo);
      llvm::Value* hiV = llvm::ConstantInt::get(from, hi);
      auto clamp = [&](llvm::Value* x) {
        x = intrinsic(llvm::Intrinsic::smax, {from}, {x, loV});
        x = intrinsic(llvm::Intrinsic::smin, {from}, {x, hiV});
        return b_.CreateTrunc(x, lanes(to, n));
      };
      llvm::SmallVector<int, 16> mask;
      for (unsigned i = 0; i < 2 * n; ++i) mask.push_back(static_cast<int>(i));
      return b_.CreateShuffleVector(clamp(l), clamp(r), mask);
    });
  };
  auto avgr = [&](llvm::FixedVectorType* t, llvm::Type* wide) {
    bin(t, [&](llvm::Value* l, llvm::Value* r) {
      llvm::FixedVectorType* wt = lanes(wide, t->getNumElements());
      llvm::Value* s = b_.CreateAdd(b_.CreateAdd(b_.CreateZExt(l, wt), b_.CreateZExt(r, wt)),
                                    llvm::ConstantInt::get(wt, 1));
      return b_.CreateTrunc(b_.CreateLShr(s, llvm::ConstantInt::get(wt, 1)), t);
    });
  };
  auto bitmask = [&](llvm::FixedVectorType* t) {
    llvm::Value* v = asLanes(pop(), t);
    unsigned n = t->getNumElements();
    llvm::Value* neg = b_.CreateICmpSLT(v, llvm::Constant::getNullValue(t));
    llvm::Value* bits = b_.CreateBitCast(neg, llvm::IntegerType::get(env_.ctx, n));
    push(b_.CreateZExt(bits, env_.i32Ty));
  };
  auto allTrue = [&](llvm::FixedVectorType* t) {
    llvm::Value* v = asLanes(pop(), t);
    llvm::Value* nz = b_.CreateICmpNE(v, llvm::Constant::getNullValue(t));
    push(boolToI32(intrinsic(llvm::Intrinsic::vector_reduce_and, {nz->getType()}, {nz})));
  };
  auto pminmax = [&](llvm::FixedVectorType* t, bool isMax) {
    // pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a (§4.3.3 fpmin/fpmax).
    bin(t, [&](llvm::Value* a, llvm::Value* c) {
      return isMax ? b_.CreateSelect(b_.CreateFCmpOLT(a, c), c, a) : b_.CreateSelect(b_.CreateFCmpOLT(c, a), c, a);
    });
  };
  auto zeroExtendHalf = [&](llvm::Value* v2) {  // <2 x T> → <4 x T> with zero upper lanes
    llvm::Value* z = llvm::Constant::getNullValue(v2->getType());
    return b_.CreateShuffleVector(v2, z, llvm::ArrayRef<int>{0, 1, 2, 3});
  };

  switch (in.op) {
    case Op::V128Const: {
      uint64_t lo, hi;
      std::memcpy(&lo, in.v128.data(), 8);
      std::memcpy(&hi, in.v128.data() + 8, 8);
      push(llvm::ConstantVector::get({llvm::ConstantInt::get(env_.i64Ty, lo), llvm::ConstantInt::get(env_.i64Ty, hi)}));
      return true;
    }
    case Op::I8x16Shuffle: {
      llvm::Value* r = asLanes(pop(), i8x16);
      llvm::Value* l = asLanes(pop(), i8x16);
      llvm::SmallVector<int, 16> mask;
      for (uint8_t lane : in.v128) mask.push_back(lane);
      push(fromLanes(b_.CreateShuffleVector(l, r, mask)));
      return true;
    }
    case Op::I8x16Swizzle: {
      llvm::Value* idx = asLanes(pop(), i8x16);
      llvm::Value* v = asLanes(pop(), i8x16);
      if (env_.target.ssse3) {
        // pshufb zeroes lanes whose index has bit 7 set: a saturating + 0x70 sets it for every
        // index >= 16 and keeps the low four bits of the others.
        llvm::Value* sat = intrinsic(llvm::Intrinsic::uadd_sat, {i8x16},
                                     {idx, llvm::ConstantInt::get(i8x16, 0x70)});
        push(fromLanes(intrinsic(llvm::Intrinsic::x86_ssse3_pshuf_b_128, {}, {v, sat})));
      } else {
        llvm::Value* out = llvm::Constant::getNullValue(i8x16);
        for (uint64_t i = 0; i < 16; ++i) {
          llvm::Value* k = b_.CreateExtractElement(idx, i);
          llvm::Value* x = b_.CreateExtractElement(v, b_.CreateAnd(k, llvm::ConstantInt::get(env_.i8Ty, 15)));
          x = b_.CreateSelect(b_.CreateICmpULT(k, llvm::ConstantInt::get(env_.i8Ty, 16)), x,
                              llvm::ConstantInt::get(env_.i8Ty, 0));
          out = b_.CreateInsertElement(out, x, i);
        }
        push(fromLanes(out));
      }
      return true;
    }
    case Op::I8x16Splat: splat(i8x16); return true;
    case Op::I16x8Splat: splat(i16x8); return true;
    case Op::I32x4Splat: splat(i32x4); return true;
    case Op::I64x2Splat: splat(i64x2); return true;
    case Op::F32x4Splat: splat(f32x4); return true;
    case Op::F64x2Splat: splat(f64x2); return true;
    case Op::I8x16ExtractLaneS: extract(i8x16, 1); return true;
    case Op::I8x16ExtractLaneU: extract(i8x16, 2); return true;
    case Op::I16x8ExtractLaneS: extract(i16x8, 1); return true;
    case Op::I16x8ExtractLaneU: extract(i16x8, 2); return true;
    case Op::I32x4ExtractLane: extract(i32x4, 0); return true;
    case Op::I64x2ExtractLane: extract(i64x2, 0); return true;
    case Op::F32x4ExtractLane: extract(f32x4, 0); return true;
    case Op::F64x2ExtractLane: extract(f64x2, 0); return true;
    case Op::I8x16ReplaceLane: replace(i8x16); return true;
    case Op::I16x8ReplaceLane: replace(i16x8); return true;
    case Op::I32x4ReplaceLane: replace(i32x4); return true;
    case Op::I64x2ReplaceLane: replace(i64x2); return true;
    case Op::F32x4ReplaceLane: replace(f32x4); return true;
    case Op::F64x2ReplaceLane: replace(f64x2); return true;

    case Op::I8x16Eq: icmp(i8x16, llvm::CmpInst::ICMP_EQ); return true;
    case Op::I8x16Ne: icmp(i8x16, llvm::CmpInst::ICMP_NE); return true;
    case Op::I8x16LtS: icmp(i8x16, llvm::CmpInst::ICMP_SLT); return true;
    case Op::I8x16LtU: icmp(i8x16, llvm::CmpInst::ICMP_ULT); return true;
    case Op::I8x16GtS: icmp(i8x16, llvm::CmpInst::ICMP_SGT); return true;
    case Op::I8x16GtU: icmp(i8x16, llvm::CmpInst::ICMP_UGT); return true;
    case Op::I8x16LeS: icmp(i8x16, llvm::CmpInst::ICMP_SLE); return true;
    case Op::I8x16LeU: icmp(i8x16, llvm::CmpInst::ICMP_ULE); return true;
    case Op::I8x16GeS: icmp(i8x16, llvm::CmpInst::ICMP_SGE); return true;
    case Op::I8x16GeU: icmp(i8x16, llvm::CmpInst::ICMP_UGE); return true;
    case Op::I16x8Eq: icmp(i16x8, llvm::CmpInst::ICMP_EQ); return true;
    case Op::I16x8Ne: icmp(i16x8, llvm::CmpInst::ICMP_NE); return true;
    case Op::I16x8LtS: icmp(i16x8, llvm::CmpInst::ICMP_SLT); return true;
    case Op::I16x8LtU: icmp(i16x8, llvm::CmpInst::ICMP_ULT); return true;
    case Op::I16x8GtS: icmp(i16x8, llvm::CmpInst::ICMP_SGT); return true;
    case Op::I16x8GtU: icmp(i16x8, llvm::CmpInst::ICMP_UGT); return true;
    case Op::I16x8LeS: icmp(i16x8, llvm::CmpInst::ICMP_SLE); return true;
    case Op::I16x8LeU: icmp(i16x8, llvm::CmpInst::ICMP_ULE); return true;
    case Op::I16x8GeS: icmp(i16x8, llvm::CmpInst::ICMP_SGE); return true;
    case Op::I16x8GeU: icmp(i16x8, llvm::CmpInst::ICMP_UGE); return true;
    case Op::I32x4Eq: icmp(i32x4, llvm::CmpInst::ICMP_EQ); return true;
    case Op::I32x4Ne: icmp(i32x4, llvm::CmpInst::ICMP_NE); return true;
    case Op::I32x4LtS: icmp(i32x4, llvm::CmpInst::ICMP_SLT); return true;
    case Op::I32x4LtU: icmp(i32x4, llvm::CmpInst::ICMP_ULT); return true;
    case Op::I32x4GtS: icmp(i32x4, llvm::CmpInst::ICMP_SGT); return true;
    case Op::I32x4GtU: icmp(i32x4, llvm::CmpInst::ICMP_UGT); return true;
    case Op::I32x4LeS: icmp(i32x4, llvm::CmpInst::ICMP_SLE); return true;
    case Op::I32x4LeU: icmp(i32x4, llvm::CmpInst::ICMP_ULE); return true;
    case Op::I32x4GeS: icmp(i32x4, llvm::CmpInst::ICMP_SGE); return true;
    case Op::I32x4GeU: icmp(i32x4, llvm::CmpInst::ICMP_UGE); return true;
    case Op::I64x2Eq: icmp(i64x2, llvm::CmpInst::ICMP_EQ); return true;
    case Op::I64x2Ne: icmp(i64x2, llvm::CmpInst::ICMP_NE); return true;
    case Op::I64x2LtS: icmp(i64x2, llvm::CmpInst::ICMP_SLT); return true;
    case Op::I64x2GtS: icmp(i64x2, llvm::CmpInst::ICMP_SGT); return true;
    case Op::I64x2LeS: icmp(i64x2, llvm::CmpInst::ICMP_SLE); return true;
    case Op::I64x2GeS: icmp(i64x2, llvm::CmpInst::ICMP_SGE); return true;
    case Op::F32x4Eq: fcmp(f32x4, i32x4, llvm::CmpInst::FCMP_OEQ); return true;
    case Op::F32x4Ne: fcmp(f32x4, i32x4, llvm::CmpInst::FCMP_UNE); return true;
    case Op::F32x4Lt: fcmp(f32x4, i32x4, llvm::CmpInst::FCMP_OLT); return true;
    case Op::F32x4Gt: fcmp(f32x4, i32x4, llvm::CmpInst::FCMP_OGT); return true;
    case Op::F32x4Le: fcmp(f32x4, i32x4, llvm::CmpInst::FCMP_OLE); return true;
    case Op::F32x4Ge: fcmp(f32x4, i32x4, llvm::CmpInst::FCMP_OGE); return true;
    case Op::F64x2Eq: fcmp(f64x2, i64x2, llvm::CmpInst::FCMP_OEQ); return true;
    case Op::F64x2Ne: fcmp(f64x2, i64x2, llvm::CmpInst::FCMP_UNE); return true;
    case Op::F64x2Lt: fcmp(f64x2, i64x2, llvm::CmpInst::FCMP_OLT); return true;
    case Op::F64x2Gt: fcmp(f64x2, i64x2, llvm::CmpInst::FCMP_OGT); return true;
    case Op::F64x2Le: fcmp(f64x2, i64x2, llvm::CmpInst::FCMP_OLE); return true;
    case Op::F64x2Ge: fcmp(f64x2, i64x2, llvm::CmpInst::FCMP_OGE); return true;

    case Op::V128Not: un(i64x2, [&](llvm::Value* v) { return b_.CreateNot(v); }); return true;
    case Op::V128And: bin(i64x2, [&](llvm::Value* l, llvm::Value* r) { return b_.CreateAnd(l, r); }); return true;
    case Op::V128AndNot:
      bin(i64x2, [&](llvm::Value* l, llvm::Value* r) { return b_.CreateAnd(l, b_.CreateNot(r)); });
      return true;
    case Op::V128Or: bin(i64x2, [&](llvm::Value* l, llvm::Value* r) { return b_.CreateOr(l, r); }); return true;
    case Op::V128Xor: bin(i64x2, [&](llvm::Value* l, llvm::Value* r) { return b_.CreateXor(l, r); }); return true;
    case Op::V128Bitselect: {
      llvm::Value* c = pop();
      llvm::Value* v2 = pop();
      llvm::Value* v1 = pop();
      push(b_.CreateOr(b_.CreateAnd(v1, c), b_.CreateAnd(v2, b_.CreateNot(c))));
      return true;
    }
    case Op::V128AnyTrue: {
      llvm::Value* v = b_.CreateBitCast(pop(), llvm::IntegerType::get(env_.ctx, 128));
      push(boolToI32(b_.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0))));
      return true;
    }

    case Op::F32x4DemoteF64x2Zero:
      un(f64x2, [&](llvm::Value* v) { return zeroExtendHalf(b_.CreateFPTrunc(v, lanes(env_.f32Ty, 2))); });
      return true;
    case Op::F64x2PromoteLowF32x4:
      un(f32x4, [&](llvm::Value* v) { return b_.CreateFPExt(half(v, 4, false), f64x2); });
      return true;

    case Op::I8x16Abs: un(i8x16, [&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::abs, {i8x16}, {v, b_.getFalse()}); }); return true;
    case Op::I16x8Abs: un(i16x8, [&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::abs, {i16x8}, {v, b_.getFalse()}); }); return true;
    case Op::I32x4Abs: un(i32x4, [&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::abs, {i32x4}, {v, b_.getFalse()}); }); return true;
    case Op::I64x2Abs: un(i64x2, [&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::abs, {i64x2}, {v, b_.getFalse()}); }); return true;
    case Op::I8x16Neg: un(i8x16, [&](llvm::Value* v) { return b_.CreateNeg(v); }); return true;
    case Op::I16x8Neg: un(i16x8, [&](llvm::Value* v) { return b_.CreateNeg(v); }); return true;
    case Op::I32x4Neg: un(i32x4, [&](llvm::Value* v) { return b_.CreateNeg(v); }); return true;
    case Op::I64x2Neg: un(i64x2, [&](llvm::Value* v) { return b_.CreateNeg(v); }); return true;
    case Op::I8x16Popcnt: unIntr(i8x16, llvm::Intrinsic::ctpop); return true;
    case Op::I8x16AllTrue: allTrue(i8x16); return true;
    case Op::I16x8AllTrue: allTrue(i16x8); return true;
    case Op::I32x4AllTrue: allTrue(i32x4); return true;
    case Op::I64x2AllTrue: allTrue(i64x2); return true;
    case Op::I8x16Bitmask: bitmask(i8x16); return true;
    case Op::I16x8Bitmask: bitmask(i16x8); return true;
    case Op::I32x4Bitmask: bitmask(i32x4); return true;
    case Op::I64x2Bitmask: bitmask(i64x2); return true;
    case Op::I8x16NarrowI16x8S: narrow(i16x8, env_.i8Ty, true); return true;
    case Op::I8x16NarrowI16x8U: narrow(i16x8, env_.i8Ty, false); return true;
    case Op::I16x8NarrowI32x4S: narrow(i32x4, env_.i16Ty, true); return true;
    case Op::I16x8NarrowI32x4U: narrow(i32x4, env_.i16Ty, false); return true;

    case Op::F32x4Ceil: unIntr(f32x4, llvm::Intrinsic::ceil); return true;
    case Op::F32x4Floor: unIntr(f32x4, llvm::Intrinsic::floor); return true;
    case Op::F32x4Trunc: unIntr(f32x4, llvm::Intrinsic::trunc); return true;
    case Op::F32x4Nearest: unIntr(f32x4, llvm::Intrinsic::roundeven); return true;
    case Op::F64x2Ceil: unIntr(f64x2, llvm::Intrinsic::ceil); return true;
    case Op::F64x2Floor: unIntr(f64x2, llvm::Intrinsic::floor); return true;
    case Op::F64x2Trunc: unIntr(f64x2, llvm::Intrinsic::trunc); return true;
    case Op::F64x2Nearest: unIntr(f64x2, llvm::Intrinsic::roundeven); return true;

    case Op::I8x16Shl: shift(i8x16, llvm::Instruction::Shl); return true;
    case Op::I8x16ShrS: shift(i8x16, llvm::Instruction::AShr); return true;
    case Op::I8x16ShrU: shift(i8x16, llvm::Instruction::LShr); return true;
    case Op::I16x8Shl: shift(i16x8, llvm::Instruction::Shl); return true;
    case Op::I16x8ShrS: shift(i16x8, llvm::Instruction::AShr); return true;
    case Op::I16x8ShrU: shift(i16x8, llvm::Instruction::LShr); return true;
    case Op::I32x4Shl: shift(i32x4, llvm::Instruction::Shl); return true;
    case Op::I32x4ShrS: shift(i32x4, llvm::Instruction::AShr); return true;
    case Op::I32x4ShrU: shift(i32x4, llvm::Instruction::LShr); return true;
    case Op::I64x2Shl: shift(i64x2, llvm::Instruction::Shl); return true;
    case Op::I64x2ShrS: shift(i64x2, llvm::Instruction::AShr); return true;
    case Op::I64x2ShrU: shift(i64x2, llvm::Instruction::LShr); return true;

    case Op::I8x16Add: bin(i8x16, [&](auto l, auto r) { return b_.CreateAdd(l, r); }); return true;
    case Op::I16x8Add: bin(i16x8, [&](auto l, auto r) { return b_.CreateAdd(l, r); }); return true;
    case Op::I32x4Add: bin(i32x4, [&](auto l, auto r) { return b_.CreateAdd(l, r); }); return true;
    case Op::I64x2Add: bin(i64x2, [&](auto l, auto r) { return b_.CreateAdd(l, r); }); return true;
    case Op::I8x16Sub: bin(i8x16, [&](auto l, auto r) { return b_.CreateSub(l, r); }); return true;
    case Op::I16x8Sub: bin(i16x8, [&](auto l, auto r) { return b_.CreateSub(l, r); }); return true;
    case Op::I32x4Sub: bin(i32x4, [&](auto l, auto r) { return b_.CreateSub(l, r); }); return true;
    case Op::I64x2Sub: bin(i64x2, [&](auto l, auto r) { return b_.CreateSub(l, r); }); return true;
    case Op::I16x8Mul: bin(i16x8, [&](auto l, auto r) { return b_.CreateMul(l, r); }); return true;
    case Op::I32x4Mul: bin(i32x4, [&](auto l, auto r) { return b_.CreateMul(l, r); }); return true;
    case Op::I64x2Mul: bin(i64x2, [&](auto l, auto r) { return b_.CreateMul(l, r); }); return true;
    case Op::I8x16AddSatS: binIntr(i8x16, llvm::Intrinsic::sadd_sat); return true;
    case Op::I8x16AddSatU: binIntr(i8x16, llvm::Intrinsic::uadd_sat); return true;
    case Op::I8x16SubSatS: binIntr(i8x16, llvm::Intrinsic::ssub_sat); return true;
    case Op::I8x16SubSatU: binIntr(i8x16, llvm::Intrinsic::usub_sat); return true;
    case Op::I16x8AddSatS: binIntr(i16x8, llvm::Intrinsic::sadd_sat); return true;
    case Op::I16x8AddSatU: binIntr(i16x8, llvm::Intrinsic::uadd_sat); return true;
    case Op::I16x8SubSatS: binIntr(i16x8, llvm::Intrinsic::ssub_sat); return true;
    case Op::I16x8SubSatU: binIntr(i16x8, llvm::Intrinsic::usub_sat); return true;
    case Op::I8x16MinS: binIntr(i8x16, llvm::Intrinsic::smin); return true;
    case Op::I8x16MinU: binIntr(i8x16, llvm::Intrinsic::umin); return true;
    case Op::I8x16MaxS: binIntr(i8x16, llvm::Intrinsic::smax); return true;
    case Op::I8x16MaxU: binIntr(i8x16, llvm::Intrinsic::umax); return true;
    case Op::I16x8MinS: binIntr(i16x8, llvm::Intrinsic::smin); return true;
    case Op::I16x8MinU: binIntr(i16x8, llvm::Intrinsic::umin); return true;
    case Op::I16x8MaxS: binIntr(i16x8, llvm::Intrinsic::smax); return true;
    case Op::I16x8MaxU: binIntr(i16x8, llvm::Intrinsic::umax); return true;
    case Op::I32x4MinS: binIntr(i32x4, llvm::Intrinsic::smin); return true;
    case Op::I32x4MinU: binIntr(i32x4, llvm::Intrinsic::umin); return true;
    case Op::I32x4MaxS: binIntr(i32x4, llvm::Intrinsic::smax); return true;
    case Op::I32x4MaxU: binIntr(i32x4, llvm::Intrinsic::umax); return true;
    case Op::I8x16AvgrU: avgr(i8x16, env_.i16Ty); return true;
    case Op::I16x8AvgrU: avgr(i16x8, env_.i32Ty); return true;

    case Op::I16x8ExtaddPairwiseI8x16S: extaddPairwise(i8x16, env_.i16Ty, true); return true;
    case Op::I16x8ExtaddPairwiseI8x16U: extaddPairwise(i8x16, env_.i16Ty, false); return true;
    case Op::I32x4ExtaddPairwiseI16x8S: extaddPairwise(i16x8, env_.i32Ty, true); return true;
    case Op::I32x4ExtaddPairwiseI16x8U: extaddPairwise(i16x8, env_.i32Ty, false); return true;
    case Op::I16x8Q15mulrSatS:
      bin(i16x8, [&](llvm::Value* l, llvm::Value* r) {
        // (a * b + 2^14) >> 15, saturated: only -32768 * -32768 overflows (§4.3.2 iq15mulrsat_s).
        llvm::FixedVectorType* wt = lanes(env_.i32Ty, 8);
        llvm::Value* p = b_.CreateMul(b_.CreateSExt(l, wt), b_.CreateSExt(r, wt));
        p = b_.CreateAShr(b_.CreateAdd(p, llvm::ConstantInt::get(wt, 0x4000)), llvm::ConstantInt::get(wt, 15));
        p = intrinsic(llvm::Intrinsic::smin, {wt}, {p, llvm::ConstantInt::get(wt, 0x7fff)});
        return b_.CreateTrunc(p, i16x8);
      });
      return true;
    case Op::I16x8ExtendLowI8x16S: extendHalf(i8x16, env_.i16Ty, false, true); return true;
    case Op::I16x8ExtendHighI8x16S: extendHalf(i8x16, env_.i16Ty, true, true); return true;
    case Op::I16x8ExtendLowI8x16U: extendHalf(i8x16, env_.i16Ty, false, false); return true;
    case Op::I16x8ExtendHighI8x16U: extendHalf(i8x16, env_.i16Ty, true, false); return true;
    case Op::I32x4ExtendLowI16x8S: extendHalf(i16x8, env_.i32Ty, false, true); return true;
    case Op::I32x4ExtendHighI16x8S: extendHalf(i16x8, env_.i32Ty, true, true); return true;
    case Op::I32x4ExtendLowI16x8U: extendHalf(i16x8, env_.i32Ty, false, false); return true;
    case Op::I32x4ExtendHighI16x8U: extendHalf(i16x8, env_.i32Ty, true, false); return true;
    case Op::I64x2ExtendLowI32x4S: extendHalf(i32x4, env_.i64Ty, false, true); return true;
    case Op::I64x2ExtendHighI32x4S: extendHalf(i32x4, env_.i64Ty, true, true); return true;
    case Op::I64x2ExtendLowI32x4U: extendHalf(i32x4, env_.i64Ty, false, false); return true;
    case Op::I64x2ExtendHighI32x4U: extendHalf(i32x4, env_.i64Ty, true, false); return true;
    case Op::I16x8ExtmulLowI8x16S: extmul(i8x16, env_.i16Ty, false, true); return true;
    case Op::I16x8ExtmulHighI8x16S: extmul(i8x16, env_.i16Ty, true, true); return true;
    case Op::I16x8ExtmulLowI8x16U: extmul(i8x16, env_.i16Ty, false, false); return true;
    case Op::I16x8ExtmulHighI8x16U: extmul(i8x16, env_.i16Ty, true, false); return true;
    case Op::I32x4ExtmulLowI16x8S: extmul(i16x8, env_.i32Ty, false, true); return true;
    case Op::I32x4ExtmulHighI16x8S: extmul(i16x8, env_.i32Ty, true, true); return true;
    case Op::I32x4ExtmulLowI16x8U: extmul(i16x8, env_.i32Ty, false, false); return true;
    case Op::I32x4ExtmulHighI16x8U: extmul(i16x8, env_.i32Ty, true, false); return true;
    case Op::I64x2ExtmulLowI32x4S: extmul(i32x4, env_.i64Ty, false, true); return true;
    case Op::I64x2ExtmulHighI32x4S: extmul(i32x4, env_.i64Ty, true, true); return true;
    case Op::I64x2ExtmulLowI32x4U: extmul(i32x4, env_.i64Ty, false, false); return true;
    case Op::I64x2ExtmulHighI32x4U: extmul(i32x4, env_.i64Ty, true, false); return true;
    case Op::I32x4DotI16x8S:
      bin(i16x8, [&](llvm::Value* l, llvm::Value* r) {
        llvm::FixedVectorType* wt = lanes(env_.i32Ty, 8);
        llvm::Value* p = b_.CreateMul(b_.CreateSExt(l, wt), b_.CreateSExt(r, wt));
        return b_.CreateAdd(evenOdd(p, 8, false), evenOdd(p, 8, true));
      });
      return true;

    case Op::F32x4Abs: unIntr(f32x4, llvm::Intrinsic::fabs); return true;
    case Op::F64x2Abs: unIntr(f64x2, llvm::Intrinsic::fabs); return true;
    case Op::F32x4Neg: un(f32x4, [&](llvm::Value* v) { return b_.CreateFNeg(v); }); return true;
    case Op::F64x2Neg: un(f64x2, [&](llvm::Value* v) { return b_.CreateFNeg(v); }); return true;
    case Op::F32x4Sqrt: unIntr(f32x4, llvm::Intrinsic::sqrt); return true;
    case Op::F64x2Sqrt: unIntr(f64x2, llvm::Intrinsic::sqrt); return true;
    case Op::F32x4Add: bin(f32x4, [&](auto l, auto r) { return b_.CreateFAdd(l, r); }); return true;
    case Op::F64x2Add: bin(f64x2, [&](auto l, auto r) { return b_.CreateFAdd(l, r); }); return true;
    case Op::F32x4Sub: bin(f32x4, [&](auto l, auto r) { return b_.CreateFSub(l, r); }); return true;
    case Op::F64x2Sub: bin(f64x2, [&](auto l, auto r) { return b_.CreateFSub(l, r); }); return true;
    case Op::F32x4Mul: bin(f32x4, [&](auto l, auto r) { return b_.CreateFMul(l, r); }); return true;
    case Op::F64x2Mul: bin(f64x2, [&](auto l, auto r) { return b_.CreateFMul(l, r); }); return true;
    case Op::F32x4Div: bin(f32x4, [&](auto l, auto r) { return b_.CreateFDiv(l, r); }); return true;
    case Op::F64x2Div: bin(f64x2, [&](auto l, auto r) { return b_.CreateFDiv(l, r); }); return true;
    case Op::F32x4Min: bin(f32x4, [&](auto l, auto r) { return floatMinMax(llvm::Intrinsic::minimum, l, r); }); return true;
    case Op::F64x2Min: bin(f64x2, [&](auto l, auto r) { return floatMinMax(llvm::Intrinsic::minimum, l, r); }); return true;
    case Op::F32x4Max: bin(f32x4, [&](auto l, auto r) { return floatMinMax(llvm::Intrinsic::maximum, l, r); }); return true;
    case Op::F64x2Max: bin(f64x2, [&](auto l, auto r) { return floatMinMax(llvm::Intrinsic::maximum, l, r); }); return true;
    case Op::F32x4Pmin: pminmax(f32x4, false); return true;
    case Op::F64x2Pmin: pminmax(f64x2, false); return true;
    case Op::F32x4Pmax: pminmax(f32x4, true); return true;
    case Op::F64x2Pmax: pminmax(f64x2, true); return true;

    case Op::I32x4TruncSatF32x4S:
      un(f32x4, [&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::fptosi_sat, {i32x4, f32x4}, {v}); });
      return true;
    case Op::I32x4TruncSatF32x4U:
      un(f32x4, [&](llvm::Value* v) { return intrinsic(llvm::Intrinsic::fptoui_sat, {i32x4, f32x4}, {v}); });
      return true;
    case Op::F32x4ConvertI32x4S: un(i32x4, [&](llvm::Value* v) { return b_.CreateSIToFP(v, f32x4); }); return true;
    case Op::F32x4ConvertI32x4U: un(i32x4, [&](llvm::Value* v) { return b_.CreateUIToFP(v, f32x4); }); return true;
    case Op::I32x4TruncSatF64x2SZero:
    case Op::I32x4TruncSatF64x2UZero: {
      bool isSigned = in.op == Op::I32x4TruncSatF64x2SZero;
      un(f64x2, [&](llvm::Value* v) {
        llvm::FixedVectorType* i32x2 = lanes(env_.i32Ty, 2);
        llvm::Value* t = intrinsic(isSigned ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat, {i32x2, f64x2}, {v});
        return zeroExtendHalf(t);
      });
      return true;
    }
    case Op::F64x2ConvertLowI32x4S:
      un(i32x4, [&](llvm::Value* v) { return b_.CreateSIToFP(half(v, 4, false), f64x2); });
      return true;
    case Op::F64x2ConvertLowI32x4U:
      un(i32x4, [&](llvm::Value* v) { return b_.CreateUIToFP(half(v, 4, false), f64x2); });
      return true;
    default:
      return false;
  }
}

}  // namespace bantam::llvmc
