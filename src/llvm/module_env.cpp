// The per-partition LLVM module environment: value and function types, declarations of
// functions, adapters and runtime builtins, TBAA tags and the attributes of generated code.
#include "llvm/translator.h"

#include <llvm/IR/Attributes.h>

namespace bantam::llvmc {

ModuleEnv::ModuleEnv(llvm::LLVMContext& c, llvm::Module& m, const wasm::Module& w, const TargetInfo& t)
    : ctx(c), mod(m), wasm(w), target(t), offsets(runtime::VMOffsets::of(w)) {
  voidTy = llvm::Type::getVoidTy(ctx);
  i1Ty = llvm::Type::getInt1Ty(ctx);
  i8Ty = llvm::Type::getInt8Ty(ctx);
  i16Ty = llvm::Type::getInt16Ty(ctx);
  i32Ty = llvm::Type::getInt32Ty(ctx);
  i64Ty = llvm::Type::getInt64Ty(ctx);
  f32Ty = llvm::Type::getFloatTy(ctx);
  f64Ty = llvm::Type::getDoubleTy(ctx);
  v128Ty = llvm::FixedVectorType::get(i64Ty, 2);
  ptrTy = llvm::PointerType::get(ctx, 0);
  funcTypes_.assign(wasm.types.size(), nullptr);

  llvm::MDBuilder md(ctx);
  llvm::MDNode* root = md.createTBAARoot("bantam");
  auto tag = [&](const char* name) {
    llvm::MDNode* scalar = md.createTBAAScalarTypeNode(name, root);
    return md.createTBAAStructTagNode(scalar, scalar, 0);
  };
  tbaaMemory = tag("wasm memory");
  tbaaVmctx = tag("vmctx");
  tbaaStore = tag("vm store");
  tbaaEpoch = tag("epoch");
  tbaaGlobal = tag("global");
  tbaaTable = tag("table");
  tbaaMemSize = tag("memory size");
  tbaaFunc = tag("funcinst");
  tbaaCells = tag("cells");
  emptyMD = llvm::MDNode::get(ctx, {});
  rspName = llvm::MetadataAsValue::get(ctx, llvm::MDNode::get(ctx, {llvm::MDString::get(ctx, "rsp")}));
  unlikely = md.createBranchWeights(1, 1 << 20);
}

llvm::Type* ModuleEnv::type(wasm::ValType t) const {
  switch (t) {
    case wasm::ValType::I32: return i32Ty;
    case wasm::ValType::I64: return i64Ty;
    case wasm::ValType::F32: return f32Ty;
    case wasm::ValType::F64: return f64Ty;
    case wasm::ValType::V128: return v128Ty;
    case wasm::ValType::FuncRef:
    case wasm::ValType::ExternRef: return ptrTy;
  }
  return i32Ty;
}

llvm::Type* ModuleEnv::returnType(const wasm::FuncType& t) {
  if (t.results.empty()) return voidTy;
  if (t.results.size() == 1) return type(t.results[0]);
  std::vector<llvm::Type*> fields;
  for (wasm::ValType r : t.results) fields.push_back(type(r));
  return llvm::StructType::get(ctx, fields);
}

llvm::FunctionType* ModuleEnv::funcTypeOf(const wasm::FuncType& t) {
  std::vector<llvm::Type*> params = {ptrTy, ptrTy};
  for (wasm::ValType p : t.params) params.push_back(type(p));
  return llvm::FunctionType::get(returnType(t), params, false);
}

llvm::FunctionType* ModuleEnv::funcType(uint32_t typeIndex) {
  llvm::FunctionType*& ft = funcTypes_[typeIndex];
  if (!ft) ft = funcTypeOf(wasm.types[typeIndex]);
  return ft;
}

void ModuleEnv::setCommonAttributes(llvm::Function* f, bool internalHelper) {
  f->addFnAttr(llvm::Attribute::NoUnwind);
  f->addFnAttr("target-cpu", target.cpu);
  if (!target.features.empty()) f->addFnAttr("target-features", target.features);
  if (!target.tuneCpu.empty()) f->addFnAttr("tune-cpu", target.tuneCpu);
  // No frame pointer (rbp is one more register; keeping it cost recursion-heavy code 15%):
  // backtraces unwind with the DWARF tables instead, asynchronous ones so that a fault at any
  // instruction can be unwound (src/compiled/signals.cpp, the loader registers them).
  f->addFnAttr("frame-pointer", "none");
  f->setUWTableKind(llvm::UWTableKind::Async);
  // A frame larger than the stack reserve probes its pages, so it faults on the guard page
  // instead of skipping over it.
  f->addFnAttr("probe-stack", "inline-asm");
  // WebAssembly has no tail calls (before the tail-call proposal): a self-recursive call in
  // tail position must still use stack and end in "call stack exhausted", not become a loop.
  f->addFnAttr("disable-tail-calls", "true");
  if (target.optLevel == 0 && !internalHelper) {
    f->addFnAttr(llvm::Attribute::NoInline);
    f->addFnAttr(llvm::Attribute::OptimizeNone);
  }
}

llvm::Function* ModuleEnv::function(uint32_t funcIndex) {
  std::string name = "f" + std::to_string(funcIndex);
  if (llvm::Function* f = mod.getFunction(name)) return f;
  llvm::FunctionType* ft = funcType(wasm.funcSpace[funcIndex].value);
  llvm::Function* f = llvm::Function::Create(ft, llvm::GlobalValue::ExternalLinkage, name, mod);
  f->setDSOLocal(true);
  f->setVisibility(llvm::GlobalValue::HiddenVisibility);
  setCommonAttributes(f);
  useWasmCallConv(f);
  return f;
}

void ModuleEnv::useWasmCallConv(llvm::Function* f) {
  f->setCallingConv(llvm::CallingConv::Swift);
  f->addParamAttr(0, llvm::Attribute::SwiftSelf);
}

void ModuleEnv::useWasmCallConv(llvm::CallInst* call) {
  call->setCallingConv(llvm::CallingConv::Swift);
  call->addParamAttr(0, llvm::Attribute::SwiftSelf);
}

llvm::Function* ModuleEnv::hostAdapter(uint32_t typeIndex) {
  std::string name = "h" + std::to_string(typeIndex);
  if (llvm::Function* f = mod.getFunction(name)) return f;
  llvm::Function* f = llvm::Function::Create(funcType(typeIndex), llvm::GlobalValue::ExternalLinkage, name, mod);
  f->setDSOLocal(true);
  f->setVisibility(llvm::GlobalValue::HiddenVisibility);
  setCommonAttributes(f, true);
  useWasmCallConv(f);
  return f;
}

llvm::Function* ModuleEnv::builtin(Builtin which) {
  llvm::Function*& f = builtins_[static_cast<size_t>(which)];
  if (f) return f;
  const char* name = "";
  llvm::FunctionType* ft = nullptr;
  auto fn = [&](llvm::Type* ret, std::initializer_list<llvm::Type*> params) {
    return llvm::FunctionType::get(ret, std::vector<llvm::Type*>(params), false);
  };
  switch (which) {
    case Builtin::Trap: name = "bantam_rt_trap"; ft = fn(voidTy, {ptrTy, i32Ty}); break;
    case Builtin::Interrupt: name = "bantam_rt_interrupt"; ft = fn(voidTy, {ptrTy, i32Ty, i64Ty}); break;
    case Builtin::MemoryGrow: name = "bantam_rt_memory_grow"; ft = fn(i32Ty, {ptrTy, i32Ty, i32Ty}); break;
    case Builtin::MemoryInit:
      name = "bantam_rt_memory_init";
      ft = fn(voidTy, {ptrTy, i32Ty, i32Ty, i32Ty, i32Ty, i32Ty});
      break;
    case Builtin::DataDrop: name = "bantam_rt_data_drop"; ft = fn(voidTy, {ptrTy, i32Ty}); break;
    case Builtin::TableGrow: name = "bantam_rt_table_grow"; ft = fn(i32Ty, {ptrTy, i32Ty, ptrTy, i32Ty}); break;
    case Builtin::TableFill:
      name = "bantam_rt_table_fill";
      ft = fn(voidTy, {ptrTy, i32Ty, i32Ty, ptrTy, i32Ty});
      break;
    case Builtin::TableCopy:
      name = "bantam_rt_table_copy";
      ft = fn(voidTy, {ptrTy, i32Ty, i32Ty, i32Ty, i32Ty, i32Ty});
      break;
    case Builtin::TableInit:
      name = "bantam_rt_table_init";
      ft = fn(voidTy, {ptrTy, i32Ty, i32Ty, i32Ty, i32Ty, i32Ty});
      break;
    case Builtin::ElemDrop: name = "bantam_rt_elem_drop"; ft = fn(voidTy, {ptrTy, i32Ty}); break;
    case Builtin::CallHost: name = "bantam_rt_call_host"; ft = fn(voidTy, {ptrTy, ptrTy, ptrTy}); break;
    case Builtin::TrapElement: name = "bantam_rt_trap_element"; ft = fn(voidTy, {ptrTy, i32Ty, i32Ty}); break;
    case Builtin::LoopInterrupt: name = "bantam_rt_loop_interrupt"; ft = fn(i64Ty, {ptrTy, i32Ty}); break;
    case Builtin::Count: break;
  }
  f = llvm::Function::Create(ft, llvm::GlobalValue::ExternalLinkage, name, mod);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  if (which == Builtin::Trap || which == Builtin::TrapElement) {
    f->addFnAttr(llvm::Attribute::NoReturn);
    f->addFnAttr(llvm::Attribute::Cold);
  }
  if (which == Builtin::LoopInterrupt) {
    f->addFnAttr(llvm::Attribute::Cold);
    // It charges fuel, runs the store's epoch callback (which may switch fibers) or traps; none
    // of that changes what the calling function reads (its instance's memories, globals and
    // tables are not touched by an epoch callback: Store::setEpochCallback), and the deadline
    // it leaves comes back as the result. So loops keep their values in registers around it.
    f->setMemoryEffects(llvm::MemoryEffects::inaccessibleMemOnly());
  }
  return f;
}


}  // namespace bantam::llvmc
