// Memory instructions (§4.4.7) and table instructions (§4.4.6).
//
// A 32-bit memory is a reservation of 4 GiB plus a 4 GiB guard (runtime/memory.cpp): any i32
// address plus any u32 offset lands inside it, and pages beyond the memory's size fault. So
// a load or store is one host access at base + zext(addr) + offset, with no bounds check; the
// fault becomes the spec's trap in the signal handler (src/compiled/signals.cpp). Engines
// that could not reserve that much compile with explicit checks instead.
#include <llvm/IR/Intrinsics.h>

#include "llvm/translator.h"

namespace bantam::llvmc {

using runtime::TrapKind;
using wasm::Op;

llvm::Value* FunctionTranslator::memoryBase() {
  if (!memBase_) {
    // The base never moves (the reservation is made once), so it is loaded once per function.
    llvm::LoadInst* l = allocas_.CreateLoad(env_.ptrTy, allocas_.CreateConstInBoundsGEP1_64(
                                                              env_.i8Ty, vmctx_, runtime::VMOffsets::kMemory0Base),
                                            "membase");
    l->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaaVmctx);
    l->setMetadata(llvm::LLVMContext::MD_invariant_load, env_.emptyMD);
    memBase_ = l;
  }
  return memBase_;
}

llvm::Value* FunctionTranslator::memorySizeBytes(uint32_t memIndex) {
  llvm::Value* mem = vmctxField(env_.offsets.memory(memIndex), env_.ptrTy, true, "mem");
  return loadTagged(env_.i64Ty, gep(mem, runtime::vmfield::kMemorySize), env_.tbaaMemSize, "memsize");
}

llvm::Value* FunctionTranslator::effectiveAddress(llvm::Value* addr, uint64_t offset, uint32_t bytes) {
  llvm::Value* index = b_.CreateZExt(addr, env_.i64Ty);
  if (offset != 0) index = b_.CreateAdd(index, i64(offset), "", /*HasNUW=*/true, /*HasNSW=*/true);
  if (env_.target.explicitBounds) {
    llvm::Value* end = b_.CreateAdd(index, i64(bytes), "", true, true);
    trapIf(b_.CreateICmpUGT(end, memorySizeBytes(0)), TrapKind::OutOfBoundsMemoryAccess);
  }
  return b_.CreateInBoundsGEP(env_.i8Ty, memoryBase(), index);
}

llvm::Value* FunctionTranslator::loadMemory(llvm::Type* type, const wasm::Instr& in, uint32_t bytes) {
  llvm::Value* ptr = effectiveAddress(pop(), in.memarg.offset, bytes);
  llvm::LoadInst* l = b_.CreateAlignedLoad(type, ptr, llvm::Align(1));
  l->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaaMemory);
  return l;
}

void FunctionTranslator::storeMemory(llvm::Value* value, llvm::Value* addr, const wasm::Instr& in, uint32_t bytes) {
  llvm::Value* ptr = effectiveAddress(addr, in.memarg.offset, bytes);
  llvm::StoreInst* s = b_.CreateAlignedStore(value, ptr, llvm::Align(1));
  s->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaaMemory);
}

Result<bool> FunctionTranslator::translateMemory(const wasm::Instr& in) {
  auto load = [&](llvm::Type* t, uint32_t bytes) { push(loadMemory(t, in, bytes)); };
  auto loadExt = [&](llvm::Type* narrow, llvm::Type* wide, bool isSigned) {
    llvm::Value* v = loadMemory(narrow, in, narrow->getIntegerBitWidth() / 8);
    push(isSigned ? b_.CreateSExt(v, wide) : b_.CreateZExt(v, wide));
  };
  auto store = [&](llvm::Type* narrow) {
    llvm::Value* v = pop();
    llvm::Value* addr = pop();
    if (narrow && narrow != v->getType()) v = b_.CreateTrunc(v, narrow);
    storeMemory(v, addr, in, static_cast<uint32_t>(v->getType()->getPrimitiveSizeInBits() / 8));
  };
  switch (in.op) {
    case Op::I32Load: load(env_.i32Ty, 4); return true;
    case Op::I64Load: load(env_.i64Ty, 8); return true;
    case Op::F32Load: load(env_.f32Ty, 4); return true;
    case Op::F64Load: load(env_.f64Ty, 8); return true;
    case Op::I32Load8S: loadExt(env_.i8Ty, env_.i32Ty, true); return true;
    case Op::I32Load8U: loadExt(env_.i8Ty, env_.i32Ty, false); return true;
    case Op::I32Load16S: loadExt(env_.i16Ty, env_.i32Ty, true); return true;
    case Op::I32Load16U: loadExt(env_.i16Ty, env_.i32Ty, false); return true;
    case Op::I64Load8S: loadExt(env_.i8Ty, env_.i64Ty, true); return true;
    case Op::I64Load8U: loadExt(env_.i8Ty, env_.i64Ty, false); return true;
    case Op::I64Load16S: loadExt(env_.i16Ty, env_.i64Ty, true); return true;
    case Op::I64Load16U: loadExt(env_.i16Ty, env_.i64Ty, false); return true;
    case Op::I64Load32S: loadExt(env_.i32Ty, env_.i64Ty, true); return true;
    case Op::I64Load32U: loadExt(env_.i32Ty, env_.i64Ty, false); return true;
    case Op::I32Store: case Op::I64Store: case Op::F32Store: case Op::F64Store: store(nullptr); return true;
    case Op::I32Store8: case Op::I64Store8: store(env_.i8Ty); return true;
    case Op::I32Store16: case Op::I64Store16: store(env_.i16Ty); return true;
    case Op::I64Store32: store(env_.i32Ty); return true;
    case Op::MemorySize: {
      push(b_.CreateTrunc(b_.CreateLShr(memorySizeBytes(in.index), 16), env_.i32Ty, "pages"));
      return true;
    }
    case Op::MemoryGrow: {
      llvm::Value* delta = pop();
      push(callBuiltin(Builtin::MemoryGrow, {vmctx_, i32(in.index), delta}));
      return true;
    }
    case Op::MemoryFill: {
      // §4.4.7.6: the whole range is checked before anything is written. Inline: C programs
      // built with bulk memory call it for every memset.
      llvm::Value* n = b_.CreateZExt(pop(), env_.i64Ty);
      llvm::Value* val = b_.CreateTrunc(pop(), env_.i8Ty);
      llvm::Value* d = b_.CreateZExt(pop(), env_.i64Ty);
      llvm::Value* size = memorySizeBytes(in.index);
      trapIf(b_.CreateICmpUGT(b_.CreateAdd(d, n), size), TrapKind::OutOfBoundsMemoryAccess);
      llvm::CallInst* c = b_.CreateMemSet(b_.CreateInBoundsGEP(env_.i8Ty, memoryBase(), d), val, n, llvm::MaybeAlign(1));
      c->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaaMemory);
      return true;
    }
    case Op::MemoryCopy: {
      llvm::Value* n = b_.CreateZExt(pop(), env_.i64Ty);
      llvm::Value* s = b_.CreateZExt(pop(), env_.i64Ty);
      llvm::Value* d = b_.CreateZExt(pop(), env_.i64Ty);
      llvm::Value* size = memorySizeBytes(in.index);
      llvm::Value* bad = b_.CreateOr(b_.CreateICmpUGT(b_.CreateAdd(d, n), size),
                                     b_.CreateICmpUGT(b_.CreateAdd(s, n), size));
      trapIf(bad, TrapKind::OutOfBoundsMemoryAccess);
      llvm::Value* base = memoryBase();
      llvm::CallInst* c = b_.CreateMemMove(b_.CreateInBoundsGEP(env_.i8Ty, base, d), llvm::MaybeAlign(1),
                                           b_.CreateInBoundsGEP(env_.i8Ty, base, s), llvm::MaybeAlign(1), n);
      c->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaaMemory);
      return true;
    }
    case Op::MemoryInit: {
      llvm::Value* n = pop();
      llvm::Value* s = pop();
      llvm::Value* d = pop();
      callBuiltin(Builtin::MemoryInit, {vmctx_, i32(in.index2), i32(in.index), d, s, n});
      return true;
    }
    case Op::DataDrop:
      callBuiltin(Builtin::DataDrop, {vmctx_, i32(in.index)});
      return true;
    default:
      return false;
  }
}

llvm::Value* FunctionTranslator::tablePtr(uint32_t tableIndex) {
  return vmctxField(env_.offsets.table(tableIndex), env_.ptrTy, true, "table");
}

llvm::Value* FunctionTranslator::tableElementAddress(uint32_t tableIndex, llvm::Value* index, TrapKind kind) {
  llvm::Value* table = tablePtr(tableIndex);
  llvm::Value* size = loadTagged(env_.i64Ty, gep(table, runtime::vmfield::kTableSize), env_.tbaaTable, "tsize");
  llvm::Value* i = b_.CreateZExt(index, env_.i64Ty);
  if (kind == TrapKind::UndefinedElement)
    trapElementIf(b_.CreateICmpUGE(i, size), kind, index);
  else
    trapIf(b_.CreateICmpUGE(i, size), kind);
  llvm::Value* elems = loadTagged(env_.ptrTy, gep(table, runtime::vmfield::kTableElems), env_.tbaaTable, "telems");
  return b_.CreateInBoundsGEP(env_.ptrTy, elems, i);
}

Result<bool> FunctionTranslator::translateTable(const wasm::Instr& in) {
  switch (in.op) {
    case Op::TableGet: {
      llvm::Value* slot = tableElementAddress(in.index, pop(), TrapKind::OutOfBoundsTableAccess);
      push(loadTagged(env_.ptrTy, slot, env_.tbaaTable, "elem"));
      return true;
    }
    case Op::TableSet: {
      llvm::Value* value = pop();
      llvm::Value* slot = tableElementAddress(in.index, pop(), TrapKind::OutOfBoundsTableAccess);
      storeTagged(value, slot, env_.tbaaTable);
      return true;
    }
    case Op::TableSize: {
      llvm::Value* size = loadTagged(env_.i64Ty, gep(tablePtr(in.index), runtime::vmfield::kTableSize),
                                     env_.tbaaTable, "tsize");
      push(b_.CreateTrunc(size, env_.i32Ty));
      return true;
    }
    case Op::TableGrow: {
      llvm::Value* delta = pop();
      llvm::Value* init = pop();
      push(callBuiltin(Builtin::TableGrow, {vmctx_, i32(in.index), init, delta}));
      return true;
    }
    case Op::TableFill: {
      llvm::Value* n = pop();
      llvm::Value* value = pop();
      llvm::Value* i = pop();
      callBuiltin(Builtin::TableFill, {vmctx_, i32(in.index), i, value, n});
      return true;
    }
    case Op::TableCopy: {
      llvm::Value* n = pop();
      llvm::Value* s = pop();
      llvm::Value* d = pop();
      callBuiltin(Builtin::TableCopy, {vmctx_, i32(in.index), i32(in.index2), d, s, n});
      return true;
    }
    case Op::TableInit: {
      llvm::Value* n = pop();
      llvm::Value* s = pop();
      llvm::Value* d = pop();
      callBuiltin(Builtin::TableInit, {vmctx_, i32(in.index2), i32(in.index), d, s, n});
      return true;
    }
    case Op::ElemDrop:
      callBuiltin(Builtin::ElemDrop, {vmctx_, i32(in.index)});
      return true;
    default:
      return false;
  }
}

}  // namespace bantam::llvmc
