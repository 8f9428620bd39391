// The two adapters between the runtime's RawVal cells and the native calling convention,
// one of each per signature of the module:
//   void t<T>(ptr code, ptr vmctx, ptr cells)       host → wasm: loads the arguments from
//                                                   the cells, calls, stores the results
//   R h<T>(ptr funcInst, ptr callerVmctx, args...)  wasm → host: stores the arguments into
//                                                   cells and calls bantam_rt_call_host
#include "llvm/translator.h"

namespace bantam::llvmc {

namespace {
constexpr uint64_t kCell = 16;  // sizeof(runtime::RawVal)

llvm::Value* cellAt(llvm::IRBuilder<>& b, ModuleEnv& env, llvm::Value* cells, size_t i) {
  return b.CreateConstInBoundsGEP1_64(env.i8Ty, cells, i * kCell);
}

// Zeroes a cell and stores `v` in its low bytes (RawVal's layout: every field at offset 0).
void storeCell(llvm::IRBuilder<>& b, ModuleEnv& env, llvm::Value* cell, llvm::Value* v) {
  llvm::Type* i128 = llvm::IntegerType::get(env.ctx, 128);
  b.CreateAlignedStore(llvm::ConstantInt::get(i128, 0), cell, llvm::Align(16))
      ->setMetadata(llvm::LLVMContext::MD_tbaa, env.tbaaCells);
  b.CreateAlignedStore(v, cell, llvm::Align(8))->setMetadata(llvm::LLVMContext::MD_tbaa, env.tbaaCells);
}
}  // namespace

void emitTrampoline(ModuleEnv& env, uint32_t typeIndex) {
  const wasm::FuncType& type = env.wasm.types[typeIndex];
  auto* ft = llvm::FunctionType::get(env.voidTy, {env.ptrTy, env.ptrTy, env.ptrTy}, false);
  llvm::Function* f = llvm::Function::Create(ft, llvm::GlobalValue::ExternalLinkage,
                                             "t" + std::to_string(typeIndex), env.mod);
  f->setDSOLocal(true);
  f->setVisibility(llvm::GlobalValue::HiddenVisibility);
  env.setCommonAttributes(f, true);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(env.ctx, "entry", f));
  llvm::Value* code = f->getArg(0);
  llvm::Value* vmctx = f->getArg(1);
  llvm::Value* cells = f->getArg(2);
  std::vector<llvm::Value*> args = {vmctx, vmctx};
  for (size_t i = 0; i < type.params.size(); ++i) {
    llvm::LoadInst* l = b.CreateAlignedLoad(env.type(type.params[i]), cellAt(b, env, cells, i), llvm::Align(8));
    l->setMetadata(llvm::LLVMContext::MD_tbaa, env.tbaaCells);
    args.push_back(l);
  }
  llvm::CallInst* r = b.CreateCall(env.funcType(typeIndex), code, args);
  ModuleEnv::useWasmCallConv(r);
  if (type.results.size() == 1) {
    storeCell(b, env, cellAt(b, env, cells, 0), r);
  } else {
    for (unsigned i = 0; i < type.results.size(); ++i)
      storeCell(b, env, cellAt(b, env, cells, i), b.CreateExtractValue(r, {i}));
  }
  b.CreateRetVoid();
}

void emitHostAdapter(ModuleEnv& env, uint32_t typeIndex) {
  const wasm::FuncType& type = env.wasm.types[typeIndex];
  llvm::Function* f = env.hostAdapter(typeIndex);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(env.ctx, "entry", f));
  size_t n = std::max<size_t>({type.params.size(), type.results.size(), 1});
  llvm::Type* cellsTy = llvm::ArrayType::get(llvm::IntegerType::get(env.ctx, 128), n);
  llvm::AllocaInst* cells = b.CreateAlloca(cellsTy, nullptr, "cells");
  cells->setAlignment(llvm::Align(16));
  for (size_t i = 0; i < type.params.size(); ++i)
    storeCell(b, env, cellAt(b, env, cells, i), f->getArg(2 + static_cast<unsigned>(i)));
  b.CreateCall(env.builtin(Builtin::CallHost), {f->getArg(1), f->getArg(0), cells});
  std::vector<llvm::Value*> results;
  for (size_t i = 0; i < type.results.size(); ++i) {
    llvm::LoadInst* l = b.CreateAlignedLoad(env.type(type.results[i]), cellAt(b, env, cells, i), llvm::Align(8));
    l->setMetadata(llvm::LLVMContext::MD_tbaa, env.tbaaCells);
    results.push_back(l);
  }
  if (results.empty()) {
    b.CreateRetVoid();
  } else if (results.size() == 1) {
    b.CreateRet(results[0]);
  } else {
    llvm::Value* agg = llvm::UndefValue::get(f->getReturnType());
    for (unsigned i = 0; i < results.size(); ++i) agg = b.CreateInsertValue(agg, results[i], {i});
    b.CreateRet(agg);
  }
}

}  // namespace bantam::llvmc
