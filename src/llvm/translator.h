// WebAssembly → LLVM IR: the per-partition module environment (types, declarations, TBAA,
// runtime builtins) and the function translator, whose instruction handlers are split by
// category like the interpreter's: translate_control.cpp (control, parametric, variable,
// reference), translate_memory.cpp (memory and table), translate_numeric.cpp and
// translate_simd.cpp. The instance layout comes from runtime/vmctx.h.
//
// Calling convention of generated functions (C convention):
//   R f<funcIndex>(ptr calleeVmctx, ptr callerVmctx, params...)
// R is void, the one result, or a struct of the results. The caller's vmctx lets a host
// adapter tell the host which instance called it (as Wasmtime passes caller and callee).
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

#include <array>
#include <string>
#include <vector>

#include "common/error.h"
#include "runtime/trap.h"
#include "runtime/vmctx.h"
#include "wasm/module.h"

namespace bantam::llvmc {

struct TargetInfo {
  std::string cpu;       // target-cpu
  std::string features;  // target-features
  std::string tuneCpu;
  bool explicitBounds = false;
  bool loopChecks = true;  // epoch checks at loop headers (BANTAM_COMPILE_NO_LOOP_CHECKS)
  bool ssse3 = false;    // pshufb (i8x16.swizzle)
  bool sse41 = false;
  uint32_t optLevel = 2;
};

// Runtime builtins that generated code calls (defined in src/compiled/builtins.cpp).
enum class Builtin : uint8_t {
  Trap,          // void (vmctx, i32 kind), noreturn
  Interrupt,     // void (vmctx, i32 cost, i64 sp): an entry's slow path (sp: rsp; UINTPTR_MAX: no stack check)
  MemoryGrow,    // i32 (vmctx, i32 mem, i32 delta)
  MemoryInit,    // void (vmctx, i32 mem, i32 data, i32 dst, i32 src, i32 n)
  DataDrop,      // void (vmctx, i32 data)
  TableGrow,     // i32 (vmctx, i32 table, ptr init, i32 delta)
  TableFill,     // void (vmctx, i32 table, i32 i, ptr value, i32 n)
  TableCopy,     // void (vmctx, i32 dst, i32 src, i32 d, i32 s, i32 n)
  TableInit,     // void (vmctx, i32 table, i32 elem, i32 d, i32 s, i32 n)
  ElemDrop,      // void (vmctx, i32 elem)
  CallHost,      // void (callerVmctx, ptr funcInst, ptr cells)
  TrapElement,   // void (vmctx, i32 kind, i32 index), noreturn: "uninitialized element 2"
  LoopInterrupt, // i64 (vmctx, i32 cost): a loop check's slow path; returns the deadline it leaves
  Count,
};

// One LLVM module (a partition of the wasm module's functions) and what its functions share.
class ModuleEnv {
 public:
  ModuleEnv(llvm::LLVMContext& ctx, llvm::Module& mod, const wasm::Module& wasm, const TargetInfo& target);

  llvm::LLVMContext& ctx;
  llvm::Module& mod;
  const wasm::Module& wasm;
  const TargetInfo& target;
  runtime::VMOffsets offsets;

  llvm::Type* voidTy;
  llvm::IntegerType* i1Ty;
  llvm::IntegerType* i8Ty;
  llvm::IntegerType* i16Ty;
  llvm::IntegerType* i32Ty;
  llvm::IntegerType* i64Ty;
  llvm::Type* f32Ty;
  llvm::Type* f64Ty;
  llvm::FixedVectorType* v128Ty;  // <2 x i64>: the canonical v128; ops bitcast to their lanes
  llvm::PointerType* ptrTy;

  llvm::Type* type(wasm::ValType t) const;
  // The native signature of wasm type `typeIndex` (with the two vmctx parameters).
  llvm::FunctionType* funcType(uint32_t typeIndex);
  llvm::FunctionType* funcTypeOf(const wasm::FuncType& t);
  llvm::Type* returnType(const wasm::FuncType& t);

  // f<funcIndex> of a defined function: its definition here or a declaration.
  llvm::Function* function(uint32_t funcIndex);
  // h<typeIndex>: the wasm → host adapter for one signature (declared; defined in partition 0).
  llvm::Function* hostAdapter(uint32_t typeIndex);
  llvm::Function* builtin(Builtin b);
  // The calling convention of wasm functions (f*, h*) and of every call to one: Swift's, with
  // the callee's vmctx as `swiftself` in r13, a callee-saved register, so a caller that passes
  // its own vmctx on (every call within an instance) neither moves nor saves it around calls.
  static void useWasmCallConv(llvm::Function* f);
  static void useWasmCallConv(llvm::CallInst* call);
  // Sets the attributes every generated function carries (target, frame pointers, ...).
  void setCommonAttributes(llvm::Function* f, bool internalHelper = false);

  // TBAA: linear memory never aliases the instance's metadata, so LLVM keeps the memory
  // base, table views and the epoch deadline in registers across memory accesses.
  llvm::MDNode* tbaaMemory;
  llvm::MDNode* tbaaVmctx;   // VMContext words (invariant during execution)
  llvm::MDNode* tbaaStore;   // VMStoreContext fields
  llvm::MDNode* tbaaEpoch;   // Engine::epoch, VMStoreContext::entryLimit (read volatile: another thread writes them)
  llvm::MDNode* tbaaGlobal;  // GlobalInst values
  llvm::MDNode* tbaaTable;   // TableInst views and elements
  llvm::MDNode* tbaaMemSize; // MemoryInst::sizeBytes
  llvm::MDNode* tbaaFunc;    // FuncInst fields
  llvm::MDNode* tbaaCells;   // RawVal cells of trampolines and host adapters
  llvm::MDNode* emptyMD;     // for !invariant.load
  llvm::MetadataAsValue* rspName;  // !{!"rsp"}, for llvm.read_register
  llvm::MDNode* unlikely;    // branch weights of cold paths

 private:
  std::vector<llvm::FunctionType*> funcTypes_;
  std::array<llvm::Function*, static_cast<size_t>(Builtin::Count)> builtins_{};
};

// Translates one defined function into its LLVM definition.
class FunctionTranslator {
 public:
  FunctionTranslator(ModuleEnv& env, uint32_t funcIndex);
  Result<void> translate();

 private:
  enum class FrameKind : uint8_t { Function, Block, Loop, If };
  struct Frame {
    FrameKind kind;
    llvm::BasicBlock* label = nullptr;  // where `br` to this frame goes (loop: its header)
    llvm::BasicBlock* merge = nullptr;  // after `end` (function: the return block)
    llvm::BasicBlock* elseBlock = nullptr;
    std::vector<llvm::AllocaInst*> labelSlots;   // the values a branch carries (loop: params)
    std::vector<llvm::AllocaInst*> resultSlots;  // the values that reach `end` (== labelSlots
                                                 // except for loops)
    std::vector<llvm::Value*> ifParams;          // `if`: the parameters, for the else arm
    std::vector<wasm::ValType> results;
    size_t height = 0;                           // stack height below the parameters
    bool unreachable = false;                    // the rest of this frame's code is dead
    bool sawElse = false;
    llvm::CallInst* interruptCall = nullptr;     // loop: the slow path whose fuel cost is patched
    uint32_t instrCount = 0;                     // instructions charged to this loop (fuel)
    // Loop: the header's epoch check, and whether every branch back to the header follows a
    // direct call made in the loop's own straight-line code (the callee's entry check then
    // bounds each iteration, so the header's check is dropped: bench/programs/recursion.c).
    llvm::BranchInst* interruptBranch = nullptr;
    llvm::LoadInst* interruptEpoch = nullptr;
    bool calledSinceHeader = false;
    bool backEdgeWithoutCall = false;
  };

  // ---- per-category handlers: each returns false for an op that is not its own ----
  Result<bool> translateControl(const wasm::Instr& in);
  Result<bool> translateVariable(const wasm::Instr& in);
  Result<bool> translateMemory(const wasm::Instr& in);
  Result<bool> translateTable(const wasm::Instr& in);
  Result<bool> translateNumeric(const wasm::Instr& in);
  Result<bool> translateConversion(const wasm::Instr& in);
  Result<bool> translateSimd(const wasm::Instr& in);
  Result<bool> translateSimdMemory(const wasm::Instr& in);
  Result<void> translateInstr(const wasm::Instr& in);

  // ---- control helpers ----
  void blockSignature(const wasm::BlockType& bt, std::vector<wasm::ValType>& params,
                      std::vector<wasm::ValType>& results) const;
  std::vector<llvm::AllocaInst*> makeSlots(const std::vector<wasm::ValType>& types, const char* name);
  void storeSlots(const std::vector<llvm::AllocaInst*>& slots);  // top values of the stack, not popped
  void pushSlots(const std::vector<llvm::AllocaInst*>& slots);
  void branchTo(Frame& target);  // stores the label's values and branches
  Frame& labelFrame(uint32_t depth) { return ctrl_[ctrl_.size() - 1 - depth]; }
  void markUnreachable();
  void endFrame();
  void emitCall(uint32_t funcIndex);
  void emitCallIndirect(uint32_t typeIndex, uint32_t tableIndex);
  void pushCallResults(llvm::Value* result, const wasm::FuncType& type);
  void emitLoopInterruptCheck(Frame& loop);
  llvm::AllocaInst* deadlineVar();
  void reloadDeadline();  // after a call: the callee may have moved the deadline
  void emitEntryCheck();  // stack limit, fuel and epoch deadline: one compare (vmctx.h entryLimit)

  // ---- shared helpers ----
  llvm::Value* pop() {
    llvm::Value* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  void push(llvm::Value* v) { stack_.push_back(v); }
  std::vector<llvm::Value*> popN(size_t n);
  llvm::Value* vmctxField(uint32_t offset, llvm::Type* type, bool invariant, const char* name);
  llvm::Value* loadInvariantPtr(llvm::Value* base, uint32_t offset, const char* name);
  llvm::LoadInst* loadTagged(llvm::Type* type, llvm::Value* ptr, llvm::MDNode* tbaa, const char* name = "");
  llvm::StoreInst* storeTagged(llvm::Value* value, llvm::Value* ptr, llvm::MDNode* tbaa);
  llvm::Value* gep(llvm::Value* base, uint64_t offset);
  // Branches to a shared trap block when `cond` holds; continues in a fresh block.
  void trapIf(llvm::Value* cond, runtime::TrapKind kind);
  // The same for call_indirect's element traps, whose message names the index (as the
  // interpreter's and the reference interpreter's do); one trap block per site.
  void trapElementIf(llvm::Value* cond, runtime::TrapKind kind, llvm::Value* index);
  llvm::BasicBlock* trapBlock(runtime::TrapKind kind);
  llvm::Value* callBuiltin(Builtin b, std::initializer_list<llvm::Value*> args);
  llvm::Value* i32(uint32_t v) { return llvm::ConstantInt::get(env_.i32Ty, v); }
  llvm::Value* i64(uint64_t v) { return llvm::ConstantInt::get(env_.i64Ty, v); }
  llvm::Value* boolToI32(llvm::Value* b) { return b_.CreateZExt(b, env_.i32Ty); }

  // ---- memory helpers ----
  llvm::Value* memoryBase();
  llvm::Value* memorySizeBytes(uint32_t memIndex);
  // The host address of a wasm access of `bytes` bytes at `addr` + memarg offset; traps when
  // the engine checks bounds explicitly and the access is out of bounds.
  llvm::Value* effectiveAddress(llvm::Value* addr, uint64_t offset, uint32_t bytes);
  llvm::Value* loadMemory(llvm::Type* type, const wasm::Instr& in, uint32_t bytes);
  void storeMemory(llvm::Value* value, llvm::Value* addr, const wasm::Instr& in, uint32_t bytes);
  llvm::Value* tablePtr(uint32_t tableIndex);
  // Checks `index` < table size and returns the address of the element.
  llvm::Value* tableElementAddress(uint32_t tableIndex, llvm::Value* index, runtime::TrapKind kind);

  // ---- numeric helpers ----
  llvm::Value* intrinsic(llvm::Intrinsic::ID id, llvm::ArrayRef<llvm::Type*> types,
                         llvm::ArrayRef<llvm::Value*> args);
  llvm::Value* truncChecked(llvm::Value* x, llvm::Type* to, bool isSigned);
  llvm::Value* floatConst(llvm::Type* t, double v) { return llvm::ConstantFP::get(t, v); }
  llvm::Value* opaque(llvm::Value* v);  // hides a constant from folds that drop NaN quieting
  // f32/f64 (scalar or lanes) min and max, §4.3.3 fmin/fmax: NaN in, a quiet NaN out.
  llvm::Value* floatMinMax(llvm::Intrinsic::ID id, llvm::Value* l, llvm::Value* r);

  // ---- SIMD helpers ----
  llvm::FixedVectorType* lanes(llvm::Type* elem, unsigned n) { return llvm::FixedVectorType::get(elem, n); }
  llvm::Value* asLanes(llvm::Value* v, llvm::FixedVectorType* t) { return b_.CreateBitCast(v, t); }
  llvm::Value* fromLanes(llvm::Value* v) { return b_.CreateBitCast(v, env_.v128Ty); }
  llvm::Value* shiftCount(llvm::Value* count, llvm::FixedVectorType* t);

  ModuleEnv& env_;
  const wasm::Module& wasm_;
  uint32_t funcIndex_;
  const wasm::Function& def_;
  const wasm::FuncType& type_;
  llvm::Function* fn_;
  llvm::IRBuilder<> b_;
  llvm::IRBuilder<> allocas_;  // inserts at the top of the entry block
  llvm::Value* vmctx_ = nullptr;
  llvm::Value* memBase_ = nullptr;  // loaded once in the entry block (the base never moves)
  llvm::Value* storeCtx_ = nullptr;
  std::vector<llvm::AllocaInst*> locals_;
  std::vector<wasm::ValType> localTypes_;
  std::vector<llvm::Value*> stack_;
  std::vector<Frame> ctrl_;
  uint32_t deadDepth_ = 0;  // blocks opened inside unreachable code
  std::vector<llvm::BasicBlock*> trapBlocks_;
  llvm::CallInst* entryInterrupt_ = nullptr;
  llvm::AllocaInst* deadlineVar_ = nullptr;  // the epoch deadline loops compare with
  uint32_t entryCost_ = 0;
};

// Partition 0 also holds t<typeIndex> (host → wasm) and h<typeIndex> (wasm → host).
void emitTrampoline(ModuleEnv& env, uint32_t typeIndex);
void emitHostAdapter(ModuleEnv& env, uint32_t typeIndex);

}  // namespace bantam::llvmc
