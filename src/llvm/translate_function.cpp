// The function translator's frame: entry (parameters, locals, the stack and interruption check),
// the instruction loop that dispatches to the category handlers, and the shared helpers.
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Intrinsics.h>

#include "llvm/translator.h"

namespace bantam::llvmc {

using runtime::TrapKind;
using wasm::Op;
using wasm::OpCategory;

FunctionTranslator::FunctionTranslator(ModuleEnv& env, uint32_t funcIndex)
    : env_(env),
      wasm_(env.wasm),
      funcIndex_(funcIndex),
      def_(env.wasm.definedFunction(wasm::FuncIdx(funcIndex))),
      type_(env.wasm.funcType(wasm::FuncIdx(funcIndex))),
      fn_(env.function(funcIndex)),
      b_(env.ctx),
      allocas_(env.ctx) {}

Result<void> FunctionTranslator::translate() {
  // `entry` holds the allocas and the loads hoisted out of the body (memory base); it falls
  // through to `body` once the whole function is translated.
  llvm::BasicBlock* entry = llvm::BasicBlock::Create(env_.ctx, "entry", fn_);
  llvm::BasicBlock* body = llvm::BasicBlock::Create(env_.ctx, "body", fn_);
  b_.SetInsertPoint(body);
  allocas_.SetInsertPoint(entry);
  trapBlocks_.assign(64, nullptr);

  vmctx_ = fn_->getArg(0);
  vmctx_->setName("vmctx");
  fn_->getArg(1)->setName("caller");

  // Parameters and locals live in allocas that SROA turns into SSA values.
  for (size_t i = 0; i < type_.params.size(); ++i) {
    llvm::AllocaInst* slot = allocas_.CreateAlloca(env_.type(type_.params[i]), nullptr, "p" + std::to_string(i));
    b_.CreateStore(fn_->getArg(2 + static_cast<unsigned>(i)), slot);
    locals_.push_back(slot);
    localTypes_.push_back(type_.params[i]);
  }
  for (const wasm::LocalDecl& d : def_.locals) {
    llvm::Type* t = env_.type(d.type);
    for (uint32_t k = 0; k < d.count; ++k) {
      llvm::AllocaInst* slot = allocas_.CreateAlloca(t, nullptr, "l" + std::to_string(locals_.size()));
      b_.CreateStore(llvm::Constant::getNullValue(t), slot);  // §4.4.9: locals start at zero
      locals_.push_back(slot);
      localTypes_.push_back(d.type);
    }
  }

  {
    llvm::LoadInst* l = allocas_.CreateLoad(env_.ptrTy, vmctx_, "store");
    l->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaaVmctx);
    l->setMetadata(llvm::LLVMContext::MD_invariant_load, env_.emptyMD);
    storeCtx_ = l;
  }
  emitEntryCheck();

  Frame f;
  f.kind = FrameKind::Function;
  f.results = type_.results;
  f.merge = llvm::BasicBlock::Create(env_.ctx, "return", fn_);
  f.label = f.merge;
  f.labelSlots = makeSlots(f.results, "ret");
  f.resultSlots = f.labelSlots;
  f.height = 0;
  ctrl_.push_back(std::move(f));

  wasm::InstrReader reader(wasm_.bytes, def_.body);
  wasm::Instr in;
  while (!ctrl_.empty()) {
    if (reader.atEnd()) return fail(ErrorKind::Invalid, "function body ends before its last `end`");
    BANTAM_TRY(reader.next(in));
    BANTAM_TRY(translateInstr(in));
  }
  if (entryInterrupt_) entryInterrupt_->setArgOperand(1, i32(std::max<uint32_t>(entryCost_, 1)));
  allocas_.CreateBr(body);

  // Unused trap blocks and the return block are already terminated; drop blocks that no
  // branch reaches so that the verifier sees no empty block.
  for (llvm::BasicBlock& bb : llvm::make_early_inc_range(*fn_)) {
    if (&bb != entry && llvm::pred_empty(&bb) && bb.empty()) {
      bb.eraseFromParent();
    } else if (!bb.getTerminator()) {
      llvm::IRBuilder<>(&bb).CreateUnreachable();
    }
  }
  // A function that can only trap (C's abort(), a Rust panic's end) is cold and keeps its own
  // frame: inlining it gains nothing, and the trap's backtrace then names it.
  bool returns = false;
  for (llvm::BasicBlock& bb : *fn_)
    if (llvm::isa<llvm::ReturnInst>(bb.getTerminator()) && (&bb == body || !llvm::pred_empty(&bb))) returns = true;
  if (!returns) {
    fn_->addFnAttr(llvm::Attribute::NoInline);
    fn_->addFnAttr(llvm::Attribute::Cold);
  }
  return {};
}

Result<void> FunctionTranslator::translateInstr(const wasm::Instr& in) {
  // Dead code (after br, return, unreachable) is skipped up to the `else`/`end` that makes
  // the code reachable again; validation has already typed it.
  if (ctrl_.back().unreachable) {
    switch (in.op) {
      case Op::Block: case Op::Loop: case Op::If:
        ++deadDepth_;
        return {};
      case Op::Else:
        if (deadDepth_ > 0) return {};
        break;
      case Op::End:
        if (deadDepth_ > 0) {
          --deadDepth_;
          return {};
        }
        break;
      default:
        return {};
    }
  }
  // Fuel: instructions are charged at the check of their innermost loop (or the entry).
  Frame* loop = nullptr;
  for (size_t i = ctrl_.size(); i-- > 0;) {
    if (ctrl_[i].kind == FrameKind::Loop) {
      loop = &ctrl_[i];
      break;
    }
  }
  if (loop) ++loop->instrCount;
  else ++entryCost_;

  bool handled = false;
  switch (wasm::opInfo(in.op).category) {
    case OpCategory::Control:
    case OpCategory::Parametric:
    case OpCategory::Reference:
      handled = BANTAM_TRY(translateControl(in));
      break;
    case OpCategory::Variable:
      handled = BANTAM_TRY(translateVariable(in));
      break;
    case OpCategory::Memory:
      handled = BANTAM_TRY(translateMemory(in));
      break;
    case OpCategory::Table:
      handled = BANTAM_TRY(translateTable(in));
      break;
    case OpCategory::Numeric:
      handled = BANTAM_TRY(translateNumeric(in));
      if (!handled) handled = BANTAM_TRY(translateConversion(in));
      break;
    case OpCategory::Vector:
      handled = BANTAM_TRY(translateSimdMemory(in));
      if (!handled) handled = BANTAM_TRY(translateSimd(in));
      break;
  }
  if (!handled)
    return failAt(ErrorKind::Unsupported, in.offset,
                  "the compiler has no translation for " + std::string(wasm::opName(in.op)));
  return {};
}

// ---- helpers --------------------------------------------------------------------------------

std::vector<llvm::Value*> FunctionTranslator::popN(size_t n) {
  std::vector<llvm::Value*> out(stack_.end() - static_cast<ptrdiff_t>(n), stack_.end());
  stack_.resize(stack_.size() - n);
  return out;
}

llvm::Value* FunctionTranslator::gep(llvm::Value* base, uint64_t offset) {
  if (offset == 0) return base;
  return b_.CreateConstInBoundsGEP1_64(env_.i8Ty, base, offset);
}

llvm::LoadInst* FunctionTranslator::loadTagged(llvm::Type* type, llvm::Value* ptr, llvm::MDNode* tbaa,
                                               const char* name) {
  llvm::LoadInst* l = b_.CreateLoad(type, ptr, name);
  l->setMetadata(llvm::LLVMContext::MD_tbaa, tbaa);
  return l;
}

llvm::StoreInst* FunctionTranslator::storeTagged(llvm::Value* value, llvm::Value* ptr, llvm::MDNode* tbaa) {
  llvm::StoreInst* s = b_.CreateStore(value, ptr);
  s->setMetadata(llvm::LLVMContext::MD_tbaa, tbaa);
  return s;
}

llvm::Value* FunctionTranslator::loadInvariantPtr(llvm::Value* base, uint32_t offset, const char* name) {
  llvm::LoadInst* l = loadTagged(env_.ptrTy, gep(base, offset), env_.tbaaVmctx, name);
  l->setMetadata(llvm::LLVMContext::MD_invariant_load, env_.emptyMD);
  return l;
}

llvm::Value* FunctionTranslator::vmctxField(uint32_t offset, llvm::Type* type, bool invariant, const char* name) {
  llvm::LoadInst* l = loadTagged(type, gep(vmctx_, offset), env_.tbaaVmctx, name);
  if (invariant) l->setMetadata(llvm::LLVMContext::MD_invariant_load, env_.emptyMD);
  return l;
}

llvm::BasicBlock* FunctionTranslator::trapBlock(TrapKind kind) {
  llvm::BasicBlock*& bb = trapBlocks_[static_cast<size_t>(kind)];
  if (bb) return bb;
  bb = llvm::BasicBlock::Create(env_.ctx, "trap" + std::to_string(static_cast<int>(kind)), fn_);
  llvm::IRBuilder<> t(bb);
  llvm::CallInst* c = t.CreateCall(env_.builtin(Builtin::Trap), {vmctx_, i32(static_cast<uint32_t>(kind))});
  c->setDoesNotReturn();
  t.CreateUnreachable();
  return bb;
}

void FunctionTranslator::trapIf(llvm::Value* cond, TrapKind kind) {
  llvm::BasicBlock* cont = llvm::BasicBlock::Create(env_.ctx, "ok", fn_);
  b_.CreateCondBr(cond, trapBlock(kind), cont, env_.unlikely);
  b_.SetInsertPoint(cont);
}

void FunctionTranslator::trapElementIf(llvm::Value* cond, TrapKind kind, llvm::Value* index) {
  llvm::BasicBlock* trap = llvm::BasicBlock::Create(env_.ctx, "trap.elem", fn_);
  llvm::BasicBlock* cont = llvm::BasicBlock::Create(env_.ctx, "ok", fn_);
  b_.CreateCondBr(cond, trap, cont, env_.unlikely);
  llvm::IRBuilder<> t(trap);
  llvm::CallInst* c = t.CreateCall(env_.builtin(Builtin::TrapElement), {vmctx_, i32(static_cast<uint32_t>(kind)), index});
  c->setDoesNotReturn();
  t.CreateUnreachable();
  b_.SetInsertPoint(cont);
}

llvm::Value* FunctionTranslator::callBuiltin(Builtin which, std::initializer_list<llvm::Value*> args) {
  return b_.CreateCall(env_.builtin(which), std::vector<llvm::Value*>(args));
}

llvm::Value* FunctionTranslator::intrinsic(llvm::Intrinsic::ID id, llvm::ArrayRef<llvm::Type*> types,
                                           llvm::ArrayRef<llvm::Value*> args) {
  llvm::Function* f = llvm::Intrinsic::getDeclaration(&env_.mod, id, types);
  return b_.CreateCall(f, args);
}

llvm::Value* FunctionTranslator::floatMinMax(llvm::Intrinsic::ID id, llvm::Value* l, llvm::Value* r) {
  // llvm.minimum/maximum on x86 return a NaN operand as it is, so a signalling NaN would come
  // out signalling; the spec wants an arithmetic (quiet) NaN. Where either side is NaN, l + r
  // is one (the add quiets), elsewhere the intrinsic's result stands.
  llvm::Value* m = intrinsic(id, {l->getType()}, {l, r});
  return b_.CreateSelect(b_.CreateFCmpUNO(l, r), b_.CreateFAdd(l, r), m);
}

void FunctionTranslator::emitEntryCheck() {
  // One compare of the stack pointer with the store's entry limit (runtime/vmctx.h): it is the
  // stack limit (set by the outermost invocation), so a frame below it takes the slow path,
  // which traps with "call stack exhausted" before guest recursion can reach the host's guard
  // page (the native reserve below the limit is left to builtins and host calls). While fuel
  // is on or the epoch has reached the deadline the limit is UINTPTR_MAX, so every entry takes
  // the slow path, which charges the function's straight-line cost and handles the deadline.
  // Volatile: re-read at every entry, since the thread that advances the epoch writes it; the
  // epoch's TBAA tag (never written by generated code) keeps it from clobbering anything.
  llvm::LoadInst* limit = b_.CreateLoad(env_.i64Ty, gep(storeCtx_, runtime::vmfield::kStoreEntryLimit), "entry.limit");
  limit->setAlignment(llvm::Align(8));
  limit->setVolatile(true);
  limit->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaaEpoch);
  // The stack pointer itself (llvm.frameaddress would force a frame pointer).
  llvm::Value* sp = intrinsic(llvm::Intrinsic::read_register, {env_.i64Ty}, {env_.rspName});
  llvm::BasicBlock* slow = llvm::BasicBlock::Create(env_.ctx, "interrupt", fn_);
  llvm::BasicBlock* cont = llvm::BasicBlock::Create(env_.ctx, "go", fn_);
  b_.CreateCondBr(b_.CreateICmpULT(sp, limit), slow, cont, env_.unlikely);
  b_.SetInsertPoint(slow);
  // The cost (argument 1) is patched once the body is translated.
  entryInterrupt_ = b_.CreateCall(env_.builtin(Builtin::Interrupt), {vmctx_, i32(0), sp});
  b_.CreateBr(cont);
  b_.SetInsertPoint(cont);
}

llvm::Value* FunctionTranslator::opaque(llvm::Value* v) {
  // An empty inline-asm copy: LLVM can no longer see the constant, so it keeps the
  // arithmetic (x * 1.0 must still quiet a signalling NaN, §4.3.3).
  llvm::Type* t = v->getType();
  const char* constraint = t->isVectorTy() || t->isFloatingPointTy() ? "=x,0" : "=r,0";
  auto* asmFn = llvm::InlineAsm::get(llvm::FunctionType::get(t, {t}, false), "", constraint, false);
  return b_.CreateCall(asmFn, {v});
}

}  // namespace bantam::llvmc
