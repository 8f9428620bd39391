// Control instructions (§4.4.8), parametric (§4.4.4), variable (§4.4.5) and reference
// (§4.4.2) instructions, and calls.
//
// Structured control maps to basic blocks. The values a branch carries go through allocas
// (one per label value), which SROA turns into phi nodes: simpler than building phis by hand
// for br_table and multi-value blocks, and it costs nothing after optimisation.
#include <llvm/IR/Intrinsics.h>

#include "llvm/translator.h"

namespace bantam::llvmc {

using runtime::TrapKind;
using wasm::Op;

void FunctionTranslator::blockSignature(const wasm::BlockType& bt, std::vector<wasm::ValType>& params,
                                        std::vector<wasm::ValType>& results) const {
  params.clear();
  results.clear();
  switch (bt.kind) {
    case wasm::BlockType::Kind::Empty: break;
    case wasm::BlockType::Kind::Value: results.push_back(bt.value); break;
    case wasm::BlockType::Kind::TypeIndex:
      params = wasm_.types[bt.index.value].params;
      results = wasm_.types[bt.index.value].results;
      break;
  }
}

std::vector<llvm::AllocaInst*> FunctionTranslator::makeSlots(const std::vector<wasm::ValType>& types,
                                                             const char* name) {
  std::vector<llvm::AllocaInst*> slots;
  slots.reserve(types.size());
  for (wasm::ValType t : types) slots.push_back(allocas_.CreateAlloca(env_.type(t), nullptr, name));
  return slots;
}

void FunctionTranslator::storeSlots(const std::vector<llvm::AllocaInst*>& slots) {
  size_t base = stack_.size() - slots.size();
  for (size_t i = 0; i < slots.size(); ++i) b_.CreateStore(stack_[base + i], slots[i]);
}

void FunctionTranslator::pushSlots(const std::vector<llvm::AllocaInst*>& slots) {
  for (llvm::AllocaInst* s : slots) push(b_.CreateLoad(s->getAllocatedType(), s));
}

void FunctionTranslator::branchTo(Frame& target) {
  if (target.kind == FrameKind::Loop && !target.calledSinceHeader) target.backEdgeWithoutCall = true;
  storeSlots(target.labelSlots);
  b_.CreateBr(target.label);
}

void FunctionTranslator::markUnreachable() {
  Frame& f = ctrl_.back();
  f.unreachable = true;
  stack_.resize(f.height);
}

void FunctionTranslator::endFrame() {
  Frame f = std::move(ctrl_.back());
  ctrl_.pop_back();
  switch (f.kind) {
    case FrameKind::Function: {
      if (!f.unreachable) branchTo(f);
      b_.SetInsertPoint(f.merge);
      std::vector<llvm::Value*> results;
      for (llvm::AllocaInst* s : f.resultSlots) results.push_back(b_.CreateLoad(s->getAllocatedType(), s));
      if (results.empty()) {
        b_.CreateRetVoid();
      } else if (results.size() == 1) {
        b_.CreateRet(results[0]);
      } else {
        llvm::Value* agg = llvm::UndefValue::get(fn_->getReturnType());
        for (unsigned i = 0; i < results.size(); ++i) agg = b_.CreateInsertValue(agg, results[i], {i});
        b_.CreateRet(agg);
      }
      return;
    }
    case FrameKind::Loop: {
      if (f.interruptCall) f.interruptCall->setArgOperand(1, i32(std::max<uint32_t>(f.instrCount, 1)));
      if (!f.backEdgeWithoutCall && f.interruptBranch) {
        // Every iteration calls a function of this module, whose entry checks the epoch (and
        // charges fuel): the header's check is redundant. The volatile load would stay if not
        // erased (LLVM keeps unused volatile loads).
        auto* cond = llvm::cast<llvm::Instruction>(f.interruptBranch->getCondition());
        f.interruptBranch->setCondition(llvm::ConstantInt::getFalse(env_.ctx));
        if (cond->use_empty()) cond->eraseFromParent();
        if (f.interruptEpoch->use_empty()) f.interruptEpoch->eraseFromParent();
      }
      // Only the fall-through reaches a loop's end: the values stay on the stack as they are.
      if (f.unreachable) {
        ctrl_.back().unreachable = true;
        stack_.resize(ctrl_.back().height);
      }
      return;
    }
    case FrameKind::Block:
    case FrameKind::If: {
      if (!f.unreachable) {
        storeSlots(f.resultSlots);
        b_.CreateBr(f.merge);
      }
      if (f.kind == FrameKind::If && !f.sawElse) {
        // An `if` without `else`: its parameters are its results on the false edge.
        b_.SetInsertPoint(f.elseBlock);
        for (size_t i = 0; i < f.resultSlots.size(); ++i) b_.CreateStore(f.ifParams[i], f.resultSlots[i]);
        b_.CreateBr(f.merge);
      }
      stack_.resize(f.height);
      b_.SetInsertPoint(f.merge);
      if (llvm::pred_empty(f.merge)) {
        // Nothing reaches the end (every path branched out): the rest of the parent is dead.
        b_.CreateUnreachable();
        ctrl_.back().unreachable = true;
        return;
      }
      pushSlots(f.resultSlots);
      return;
    }
  }
}

void FunctionTranslator::pushCallResults(llvm::Value* result, const wasm::FuncType& type) {
  if (type.results.size() == 1) {
    push(result);
  } else {
    for (unsigned i = 0; i < type.results.size(); ++i) push(b_.CreateExtractValue(result, {i}));
  }
}

// Loop back-edge checks compare the epoch with the deadline held in a local variable (a
// register after mem2reg) instead of reloading the store's field: the slow path's builtin
// declares that it touches no memory the function can see (memory(inaccessiblemem)) and
// returns the deadline it leaves, so that a check costs one load (the epoch, volatile) and a
// compare, and the loop's other loads (globals, table and memory sizes) stay hoisted and
// promoted around it. A call may move the deadline (a callee's epoch callback, a host function):
// the variable is re-read after every call. A stale variable only costs one slow-path call.
llvm::AllocaInst* FunctionTranslator::deadlineVar() {
  if (!deadlineVar_) {
    deadlineVar_ = allocas_.CreateAlloca(env_.i64Ty, nullptr, "deadline.var");
    // In the entry block, as the load (gep() would build the address where b_ stands).
    llvm::Value* addr = allocas_.CreateConstInBoundsGEP1_64(env_.i8Ty, storeCtx_, runtime::vmfield::kStoreEpochDeadline);
    llvm::LoadInst* d = allocas_.CreateLoad(env_.i64Ty, addr, "deadline");
    d->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaaStore);
    allocas_.CreateStore(d, deadlineVar_);
  }
  return deadlineVar_;
}

void FunctionTranslator::reloadDeadline() {
  // Even before the first loop: the variable's first value is read at the function's entry,
  // and a call before the loop may have moved the deadline (earlier, too). Without loops
  // (or without loop checks) nothing reads the variable and LLVM drops it.
  if (!env_.target.loopChecks) return;
  llvm::AllocaInst* var = deadlineVar();
  b_.CreateStore(loadTagged(env_.i64Ty, gep(storeCtx_, runtime::vmfield::kStoreEpochDeadline), env_.tbaaStore, "deadline"),
                 var);
}

void FunctionTranslator::emitLoopInterruptCheck(Frame& loop) {
  llvm::Value* epochPtr = loadInvariantPtr(storeCtx_, runtime::vmfield::kStoreEpoch, "epoch.ptr");
  // Volatile: re-read at every check (another thread advances it); its own TBAA tag keeps it
  // from being a clobber of anything else.
  llvm::LoadInst* epoch = b_.CreateLoad(env_.i64Ty, epochPtr, "epoch");
  epoch->setAlignment(llvm::Align(8));
  epoch->setVolatile(true);
  epoch->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaaEpoch);
  llvm::AllocaInst* var = deadlineVar();
  llvm::Value* deadline = b_.CreateLoad(env_.i64Ty, var, "deadline.cur");
  llvm::BasicBlock* slow = llvm::BasicBlock::Create(env_.ctx, "interrupt", fn_);
  llvm::BasicBlock* cont = llvm::BasicBlock::Create(env_.ctx, "go", fn_);
  loop.interruptBranch = b_.CreateCondBr(b_.CreateICmpUGE(epoch, deadline), slow, cont, env_.unlikely);
  loop.interruptEpoch = epoch;
  b_.SetInsertPoint(slow);
  llvm::CallInst* call = b_.CreateCall(env_.builtin(Builtin::LoopInterrupt), {vmctx_, i32(0)});
  b_.CreateStore(call, var);
  b_.CreateBr(cont);
  b_.SetInsertPoint(cont);
  loop.interruptCall = call;
}

void FunctionTranslator::emitCall(uint32_t funcIndex) {
  const wasm::FuncType& type = wasm_.funcType(wasm::FuncIdx(funcIndex));
  std::vector<llvm::Value*> args = {nullptr, vmctx_};
  std::vector<llvm::Value*> params = popN(type.params.size());
  args.insert(args.end(), params.begin(), params.end());
  llvm::CallInst* call;
  // A direct call to a function of this module runs its entry check (see Frame).
  if (!wasm_.isImportedFunc(wasm::FuncIdx(funcIndex)) && ctrl_.back().kind == FrameKind::Loop)
    ctrl_.back().calledSinceHeader = true;
  if (wasm_.isImportedFunc(wasm::FuncIdx(funcIndex))) {
    // Through the instance's import entry: another instance's code and vmctx, or the host
    // adapter of this signature and the host function's FuncInst.
    uint32_t at = env_.offsets.funcImport(funcIndex);
    llvm::Value* code = vmctxField(at, env_.ptrTy, true, "import.code");
    args[0] = vmctxField(at + 8, env_.ptrTy, true, "import.vmctx");
    call = b_.CreateCall(env_.funcType(wasm_.funcSpace[funcIndex].value), code, args);
    ModuleEnv::useWasmCallConv(call);
  } else {
    args[0] = vmctx_;
    call = b_.CreateCall(env_.function(funcIndex), args);
    ModuleEnv::useWasmCallConv(call);
  }
  reloadDeadline();
  pushCallResults(call, type);
}

void FunctionTranslator::emitCallIndirect(uint32_t typeIndex, uint32_t tableIndex) {
  const wasm::FuncType& type = wasm_.types[typeIndex];
  llvm::Value* index = pop();
  std::vector<llvm::Value*> params = popN(type.params.size());
  // §4.4.8.11: bounds, then null, then the signature (canonical ids: one compare).
  llvm::Value* slot = tableElementAddress(tableIndex, index, TrapKind::UndefinedElement);
  llvm::Value* func = loadTagged(env_.ptrTy, slot, env_.tbaaTable, "callee");
  trapElementIf(b_.CreateICmpEQ(func, llvm::ConstantPointerNull::get(env_.ptrTy)), TrapKind::UninitializedElement, index);
  llvm::Value* sig = loadTagged(env_.i32Ty, gep(func, runtime::vmfield::kFuncSigId), env_.tbaaFunc, "sig");
  llvm::Value* expected = vmctxField(env_.offsets.sigId(typeIndex), env_.i32Ty, true, "sig.expected");
  trapIf(b_.CreateICmpNE(sig, expected), TrapKind::IndirectCallTypeMismatch);
  llvm::Value* code = loadTagged(env_.ptrTy, gep(func, runtime::vmfield::kFuncCode), env_.tbaaFunc, "code");
  llvm::Value* calleeVmctx = loadTagged(env_.ptrTy, gep(func, runtime::vmfield::kFuncVmctx), env_.tbaaFunc, "callee.vmctx");
  // A host function has no code: its adapter gets the FuncInst as its "vmctx".
  llvm::Value* isHost = b_.CreateICmpEQ(code, llvm::ConstantPointerNull::get(env_.ptrTy));
  code = b_.CreateSelect(isHost, env_.hostAdapter(typeIndex), code);
  calleeVmctx = b_.CreateSelect(isHost, func, calleeVmctx);
  std::vector<llvm::Value*> args = {calleeVmctx, vmctx_};
  args.insert(args.end(), params.begin(), params.end());
  llvm::CallInst* call = b_.CreateCall(env_.funcType(typeIndex), code, args);
  ModuleEnv::useWasmCallConv(call);
  reloadDeadline();
  pushCallResults(call, type);
}

Result<bool> FunctionTranslator::translateControl(const wasm::Instr& in) {
  switch (in.op) {
    case Op::Unreachable:
      b_.CreateBr(trapBlock(TrapKind::Unreachable));
      markUnreachable();
      return true;
    case Op::Nop:
      return true;
    case Op::Block: {
      Frame f;
      f.kind = FrameKind::Block;
      std::vector<wasm::ValType> params;
      blockSignature(in.block, params, f.results);
      f.height = stack_.size() - params.size();
      f.merge = llvm::BasicBlock::Create(env_.ctx, "block.end", fn_);
      f.label = f.merge;
      f.labelSlots = makeSlots(f.results, "blk");
      f.resultSlots = f.labelSlots;
      ctrl_.push_back(std::move(f));
      return true;
    }
    case Op::Loop: {
      Frame f;
      f.kind = FrameKind::Loop;
      std::vector<wasm::ValType> params;
      blockSignature(in.block, params, f.results);
      f.height = stack_.size() - params.size();
      f.label = llvm::BasicBlock::Create(env_.ctx, "loop", fn_);
      f.labelSlots = makeSlots(params, "loop");
      storeSlots(f.labelSlots);
      stack_.resize(f.height);
      b_.CreateBr(f.label);
      b_.SetInsertPoint(f.label);
      pushSlots(f.labelSlots);
      ctrl_.push_back(std::move(f));
      if (env_.target.loopChecks) emitLoopInterruptCheck(ctrl_.back());
      return true;
    }
    case Op::If: {
      llvm::Value* cond = b_.CreateICmpNE(pop(), i32(0));
      Frame f;
      f.kind = FrameKind::If;
      std::vector<wasm::ValType> params;
      blockSignature(in.block, params, f.results);
      f.height = stack_.size() - params.size();
      f.ifParams.assign(stack_.end() - static_cast<ptrdiff_t>(params.size()), stack_.end());
      llvm::BasicBlock* then = llvm::BasicBlock::Create(env_.ctx, "then", fn_);
      f.elseBlock = llvm::BasicBlock::Create(env_.ctx, "else", fn_);
      f.merge = llvm::BasicBlock::Create(env_.ctx, "if.end", fn_);
      f.label = f.merge;
      f.labelSlots = makeSlots(f.results, "if");
      f.resultSlots = f.labelSlots;
      b_.CreateCondBr(cond, then, f.elseBlock);
      b_.SetInsertPoint(then);
      ctrl_.push_back(std::move(f));
      return true;
    }
    case Op::Else: {
      Frame& f = ctrl_.back();
      if (!f.unreachable) {
        storeSlots(f.resultSlots);
        b_.CreateBr(f.merge);
      }
      f.sawElse = true;
      f.unreachable = false;
      stack_.resize(f.height);
      for (llvm::Value* p : f.ifParams) push(p);
      b_.SetInsertPoint(f.elseBlock);
      return true;
    }
    case Op::End:
      endFrame();
      return true;
    case Op::Br:
      branchTo(labelFrame(in.index));
      markUnreachable();
      return true;
    case Op::BrIf: {
      llvm::Value* cond = b_.CreateICmpNE(pop(), i32(0));
      Frame& target = labelFrame(in.index);
      if (target.kind == FrameKind::Loop && !target.calledSinceHeader) target.backEdgeWithoutCall = true;
      storeSlots(target.labelSlots);
      llvm::BasicBlock* cont = llvm::BasicBlock::Create(env_.ctx, "br_if.else", fn_);
      b_.CreateCondBr(cond, target.label, cont);
      b_.SetInsertPoint(cont);
      return true;
    }
    case Op::BrTable: {
      llvm::Value* index = pop();
      // Every distinct target gets the carried values once, then one switch.
      std::vector<uint32_t> seen;
      auto store = [&](uint32_t depth) {
        if (std::find(seen.begin(), seen.end(), depth) != seen.end()) return;
        seen.push_back(depth);
        Frame& target = labelFrame(depth);
        if (target.kind == FrameKind::Loop && !target.calledSinceHeader) target.backEdgeWithoutCall = true;
        storeSlots(target.labelSlots);
      };
      store(in.index);
      for (uint32_t d : in.brTargets) store(d);
      llvm::SwitchInst* sw = b_.CreateSwitch(index, labelFrame(in.index).label,
                                             static_cast<unsigned>(in.brTargets.size()));
      for (size_t i = 0; i < in.brTargets.size(); ++i) {
        llvm::BasicBlock* dest = labelFrame(in.brTargets[i]).label;
        if (dest != sw->getDefaultDest())
          sw->addCase(llvm::ConstantInt::get(env_.i32Ty, i), dest);
      }
      markUnreachable();
      return true;
    }
    case Op::Return:
      branchTo(ctrl_.front());
      markUnreachable();
      return true;
    case Op::Call:
      emitCall(in.index);
      return true;
    case Op::CallIndirect:
      emitCallIndirect(in.index, in.index2);
      return true;

    // ---- parametric ----
    case Op::Drop: {
      // A dropped load must still trap when out of bounds: keep LLVM from deleting it (the
      // load itself, or the one under the casts and shuffles of an extending load).
      llvm::Value* v = pop();
      for (int depth = 0; depth < 3 && v && v->use_empty(); ++depth) {
        if (auto* load = llvm::dyn_cast<llvm::LoadInst>(v)) {
          if (load->getMetadata(llvm::LLVMContext::MD_tbaa) == env_.tbaaMemory) load->setVolatile(true);
          break;
        }
        auto* inst = llvm::dyn_cast<llvm::Instruction>(v);
        if (!inst) break;
        llvm::Value* next = nullptr;
        for (llvm::Value* op : inst->operands())
          if (auto* l = llvm::dyn_cast<llvm::LoadInst>(op);
              l && l->hasOneUse() && l->getMetadata(llvm::LLVMContext::MD_tbaa) == env_.tbaaMemory)
            next = l;
        if (!next) break;
        llvm::cast<llvm::LoadInst>(next)->setVolatile(true);
        break;
      }
      return true;
    }
    case Op::Select:
    case Op::SelectT: {
      llvm::Value* cond = b_.CreateICmpNE(pop(), i32(0));
      llvm::Value* b = pop();
      llvm::Value* a = pop();
      push(b_.CreateSelect(cond, a, b));
      return true;
    }

    // ---- reference ----
    case Op::RefNull:
      push(llvm::ConstantPointerNull::get(env_.ptrTy));
      return true;
    case Op::RefIsNull:
      push(boolToI32(b_.CreateICmpEQ(pop(), llvm::ConstantPointerNull::get(env_.ptrTy))));
      return true;
    case Op::RefFunc:
      push(vmctxField(env_.offsets.funcRef(in.index), env_.ptrTy, true, "funcref"));
      return true;
    default:
      return false;
  }
}

Result<bool> FunctionTranslator::translateVariable(const wasm::Instr& in) {
  switch (in.op) {
    case Op::LocalGet: {
      llvm::AllocaInst* slot = locals_.at(in.index);
      push(b_.CreateLoad(slot->getAllocatedType(), slot));
      return true;
    }
    case Op::LocalSet:
      b_.CreateStore(pop(), locals_.at(in.index));
      return true;
    case Op::LocalTee:
      b_.CreateStore(stack_.back(), locals_.at(in.index));
      return true;
    case Op::GlobalGet: {
      const wasm::GlobalType& g = wasm_.globalSpace.at(in.index);
      llvm::Value* cell = vmctxField(env_.offsets.global(in.index), env_.ptrTy, true, "global");
      llvm::LoadInst* v = loadTagged(env_.type(g.type), cell, env_.tbaaGlobal, "g");
      // An immutable global never changes after instantiation.
      if (!g.isMutable) v->setMetadata(llvm::LLVMContext::MD_invariant_load, env_.emptyMD);
      push(v);
      return true;
    }
    case Op::GlobalSet: {
      llvm::Value* cell = vmctxField(env_.offsets.global(in.index), env_.ptrTy, true, "global");
      storeTagged(pop(), cell, env_.tbaaGlobal);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace bantam::llvmc
