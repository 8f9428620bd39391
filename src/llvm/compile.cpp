// bantam_llvm_compile: partitions a module's functions into LLVM modules, translates,
// optimises and emits one relocatable ELF object per partition on worker threads.
#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/Analysis/MemorySSAUpdater.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Utils/LCSSA.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "llvm/bantam_llvm.h"
#include "llvm/translator.h"
#include "llvm/widen_addresses.h"

namespace bantam::llvmc {
namespace {

struct Output {
  std::vector<std::vector<char>> objects;
  std::vector<BantamObject> views;
  std::string error;
  std::string tuneCpu;
};

struct Partition {
  uint32_t first = 0, last = 0;  // defined function indices [first, last)
  bool adapters = false;          // also holds the trampolines and host adapters
};

// Contiguous ranges of about equal body size: neighbours in the index space tend to call
// each other (compilers emit a translation unit's functions together), so inlining keeps most
// of its scope.
std::vector<Partition> partition(const wasm::Module& m, uint32_t count) {
  uint64_t total = 0;
  for (const wasm::Function& f : m.functions) total += f.body.size + 16;
  std::vector<Partition> parts;
  uint64_t target = total / count + 1, acc = 0;
  Partition cur;
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    acc += m.functions[i].body.size + 16;
    if (acc >= target && parts.size() + 1 < count) {
      cur.last = i + 1;
      parts.push_back(cur);
      cur.first = i + 1;
      acc = 0;
    }
  }
  cur.last = static_cast<uint32_t>(m.functions.size());
  if (cur.last > cur.first || parts.empty()) parts.push_back(cur);
  parts.front().adapters = true;
  return parts;
}

// Drops the epoch checks of an innermost loop whose whole run is short: at most
// kMaxUncheckedWork instructions (its maximum trip count, which scalar evolution proves, times
// its size). The check before the loop (the enclosing loop's or the function entry's) then
// still comes around within that much work, so termination by timeout is kept, and the loop
// becomes a plain counted loop that LLVM can unroll and vectorise (the check's volatile load
// forbids both). Runs after induction-variable simplification, before full unrolling.
class BoundedLoopChecks : public llvm::PassInfoMixin<BoundedLoopChecks> {
 public:
  static constexpr uint64_t kMaxUncheckedWork = uint64_t{1} << 20;

  llvm::PreservedAnalyses run(llvm::Loop& loop, llvm::LoopAnalysisManager&, llvm::LoopStandardAnalysisResults& ar,
                              llvm::LPMUpdater&) {
    if (!loop.isInnermost()) return llvm::PreservedAnalyses::all();
    std::vector<llvm::BranchInst*> checks;
    uint64_t size = 0;
    for (llvm::BasicBlock* bb : loop.blocks()) {
      for (llvm::Instruction& inst : *bb) {
        ++size;
        auto* call = llvm::dyn_cast<llvm::CallBase>(&inst);
        if (!call || isInterrupt(call) || (llvm::isa<llvm::IntrinsicInst>(call) && !llvm::isa<llvm::AnyMemIntrinsic>(call)))
          continue;
        // A call (its callee's entry check bounds the loop) or a bulk memory operation (up
        // to 4 GiB of work each): not a short loop.
        return llvm::PreservedAnalyses::all();
      }
      auto* br = llvm::dyn_cast<llvm::BranchInst>(bb->getTerminator());
      if (br && br->isConditional() && (isInterruptBlock(br->getSuccessor(0)) || isInterruptBlock(br->getSuccessor(1))))
        checks.push_back(br);
    }
    if (checks.empty()) return llvm::PreservedAnalyses::all();
    auto* max = llvm::dyn_cast<llvm::SCEVConstant>(ar.SE.getConstantMaxBackedgeTakenCount(&loop));
    if (!max || max->getAPInt().getActiveBits() > 32) return llvm::PreservedAnalyses::all();
    if ((max->getAPInt().getZExtValue() + 1) * size > kMaxUncheckedWork) return llvm::PreservedAnalyses::all();
    ar.SE.forgetLoop(&loop);
    for (llvm::BranchInst* br : checks) {
      auto* cond = llvm::dyn_cast<llvm::Instruction>(br->getCondition());
      if (isInterruptBlock(br->getSuccessor(0))) br->setCondition(llvm::ConstantInt::getFalse(br->getContext()));
      else br->setCondition(llvm::ConstantInt::getTrue(br->getContext()));
      eraseIfDead(cond, loop, ar);
    }
    return llvm::getLoopPassPreservedAnalyses();
  }

 private:
  static bool isInterrupt(const llvm::CallBase* call) {
    const llvm::Function* f = call->getCalledFunction();
    return f && (f->getName() == "bantam_rt_interrupt" || f->getName() == "bantam_rt_loop_interrupt");
  }
  static bool isInterruptBlock(const llvm::BasicBlock* bb) {
    auto* call = llvm::dyn_cast<llvm::CallBase>(&bb->front());
    return call && isInterrupt(call);
  }
  // The compare and the epoch's volatile load (which LLVM keeps even when unused); only
  // inside the loop, which is all a loop pass may change.
  static void eraseIfDead(llvm::Instruction* inst, llvm::Loop& loop, llvm::LoopStandardAnalysisResults& ar) {
    if (!inst || !inst->use_empty() || !loop.contains(inst)) return;
    std::vector<llvm::Instruction*> operands;
    for (llvm::Value* op : inst->operands())
      if (auto* i = llvm::dyn_cast<llvm::Instruction>(op)) operands.push_back(i);
    if (ar.MSSA) llvm::MemorySSAUpdater(ar.MSSA).removeMemoryAccess(inst);
    inst->eraseFromParent();
    for (llvm::Instruction* op : operands)
      if (llvm::isa<llvm::CmpInst>(op) || llvm::isa<llvm::LoadInst>(op)) eraseIfDead(op, loop, ar);
  }
};

llvm::OptimizationLevel optLevel(uint32_t level) {
  switch (level) {
    case 0: return llvm::OptimizationLevel::O0;
    case 1: return llvm::OptimizationLevel::O1;
    case 3: return llvm::OptimizationLevel::O3;
    default: return llvm::OptimizationLevel::O2;
  }
}

llvm::CodeGenOptLevel codegenLevel(uint32_t level) {
  switch (level) {
    case 0: return llvm::CodeGenOptLevel::None;
    case 1: return llvm::CodeGenOptLevel::Less;
    case 3: return llvm::CodeGenOptLevel::Aggressive;
    default: return llvm::CodeGenOptLevel::Default;
  }
}

class Compiler {
 public:
  Compiler(const BantamCompileRequest& req, const wasm::Module& m, TargetInfo target)
      : req_(req), module_(m), target_(std::move(target)) {}

  // Compiles partition `p`; returns the object or an error message.
  std::string compilePartition(const Partition& p, std::vector<char>& object) {
    llvm::LLVMContext ctx;
    auto mod = std::make_unique<llvm::Module>("wasm", ctx);
    std::string triple = llvm::sys::getProcessTriple();
    mod->setTargetTriple(triple);
    std::string err;
    const llvm::Target* t = llvm::TargetRegistry::lookupTarget(triple, err);
    if (!t) return "LLVM has no target for " + triple + ": " + err;
    llvm::TargetOptions options;
    std::unique_ptr<llvm::TargetMachine> tm(t->createTargetMachine(
        triple, target_.cpu, target_.features, options, llvm::Reloc::PIC_, llvm::CodeModel::Small,
        codegenLevel(target_.optLevel)));
    mod->setDataLayout(tm->createDataLayout());
    mod->setPICLevel(llvm::PICLevel::BigPIC);

    ModuleEnv env(ctx, *mod, module_, target_);
    for (uint32_t i = p.first; i < p.last; ++i) {
      uint32_t funcIndex = module_.numImportedFuncs + i;
      FunctionTranslator tr(env, funcIndex);
      if (auto r = tr.translate(); !r) {
        Error e = std::move(r.error());
        return "function " + std::to_string(funcIndex) + " (" + module_.functionName(wasm::FuncIdx(funcIndex)) +
               "): " + e.toString();
      }
      if (req_.flags & BANTAM_COMPILE_VERIFY) {
        std::string msg;
        llvm::raw_string_ostream os(msg);
        if (llvm::verifyFunction(*env.function(funcIndex), &os)) {
          if (req_.flags & BANTAM_COMPILE_DUMP_IR) env.function(funcIndex)->print(llvm::errs());
          return "internal error: invalid IR for function " + std::to_string(funcIndex) + ": " + os.str();
        }
      }
    }
    if (p.adapters) {
      for (uint32_t t = 0; t < module_.types.size(); ++t) {
        emitTrampoline(env, t);
        emitHostAdapter(env, t);
      }
    }
    if (req_.flags & BANTAM_COMPILE_DUMP_IR) dumpIr(*mod, "translated");
    if (req_.flags & BANTAM_COMPILE_VERIFY)
      if (std::string e = verifyModule(*mod, "translation"); !e.empty()) return e;

    optimize(*mod, *tm);
    if (req_.flags & BANTAM_COMPILE_DUMP_IR) dumpIr(*mod, "optimised");
    // Again after optimisation: our own passes (BoundedLoopChecks, WidenAddressInductions)
    // rewrite loops, and LLVM's verifier is what catches a broken rewrite before codegen does.
    if (req_.flags & BANTAM_COMPILE_VERIFY)
      if (std::string e = verifyModule(*mod, "optimisation"); !e.empty()) return e;

    llvm::SmallVector<char, 0> buffer;
    llvm::raw_svector_ostream os(buffer);
    llvm::legacy::PassManager cg;
    if (tm->addPassesToEmitFile(cg, os, nullptr, llvm::CodeGenFileType::ObjectFile))
      return "LLVM cannot emit object files for " + triple;
    cg.run(*mod);
    object.assign(buffer.begin(), buffer.end());
    return {};
  }

 private:
  // "" if `mod` is valid IR, else what LLVM's verifier says is wrong with it after `stage`.
  static std::string verifyModule(const llvm::Module& mod, const char* stage) {
    std::string msg;
    llvm::raw_string_ostream os(msg);
    if (!llvm::verifyModule(mod, &os)) return {};
    return std::string("internal error: invalid IR after ") + stage + ": " + os.str();
  }

  // Partitions compile on several threads: one whole module at a time on stderr.
  static void dumpIr(const llvm::Module& mod, const char* stage) {
    static std::mutex mutex;
    std::string text;
    llvm::raw_string_ostream os(text);
    mod.print(os, nullptr);
    std::lock_guard lock(mutex);
    llvm::errs() << "; ---- " << stage << " ----\n" << text;
    llvm::errs().flush();
  }

  void optimize(llvm::Module& mod, llvm::TargetMachine& tm) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PipelineTuningOptions pto;
    pto.LoopUnrolling = target_.optLevel >= 2;
    pto.LoopVectorization = target_.optLevel >= 2;
    pto.SLPVectorization = target_.optLevel >= 2;
    llvm::PassBuilder pb(&tm, pto);
    pb.registerLateLoopOptimizationsEPCallback(
        [](llvm::LoopPassManager& lpm, llvm::OptimizationLevel) { lpm.addPass(BoundedLoopChecks()); });
    // After vectorisation and unrolling, before the code generator's loop strength reduction.
    if (target_.optLevel >= 2)
      pb.registerOptimizerLastEPCallback([](llvm::ModulePassManager& mpm, llvm::OptimizationLevel) {
        llvm::FunctionPassManager fpm;
        fpm.addPass(llvm::LoopSimplifyPass());
        fpm.addPass(llvm::LCSSAPass());
        fpm.addPass(WidenAddressInductions());
        fpm.addPass(llvm::EarlyCSEPass());
        mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
      });
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    llvm::ModulePassManager mpm;
    if (target_.optLevel == 0) mpm = pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0);
    else mpm = pb.buildPerModuleDefaultPipeline(optLevel(target_.optLevel));
    mpm.run(mod, mam);
  }

  const BantamCompileRequest& req_;
  const wasm::Module& module_;
  TargetInfo target_;
};

void initializeLlvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

bool hasFeature(const std::string& features, const char* name) {
  std::string plus = std::string("+") + name;
  size_t at = features.find(plus);
  while (at != std::string::npos) {
    size_t end = at + plus.size();
    if (end == features.size() || features[end] == ',') return true;
    at = features.find(plus, end);
  }
  return false;
}

}  // namespace
}  // namespace bantam::llvmc

extern "C" {

__attribute__((visibility("default"))) const char* bantam_llvm_host_cpu(void) {
  static std::string name = std::string(llvm::sys::getHostCPUName());
  return name.c_str();
}

__attribute__((visibility("default"))) int bantam_llvm_compile(const BantamCompileRequest* req,
                                                               BantamCompileResult* res) {
  using namespace bantam::llvmc;
  auto* out = new Output();
  *res = BantamCompileResult{};
  res->internal = out;
  auto failWith = [&](std::string message) {
    out->error = std::move(message);
    res->error = out->error.c_str();
    return 1;
  };
  if (req->abiVersion != BANTAM_LLVM_ABI_VERSION)
    return failWith("libbantam_llvm.so was built for another version of bantam (ABI " +
                    std::to_string(BANTAM_LLVM_ABI_VERSION) + ", asked for " + std::to_string(req->abiVersion) +
                    "): rebuild it with the binary");
  initializeLlvm();
  const auto& module = *static_cast<const bantam::wasm::Module*>(req->module);

  TargetInfo target;
  target.cpu = req->cpu ? req->cpu : "x86-64";
  target.features = req->features ? req->features : "";
  target.tuneCpu = req->tuneCpu && *req->tuneCpu ? req->tuneCpu : std::string(llvm::sys::getHostCPUName());
  target.explicitBounds = (req->flags & BANTAM_COMPILE_EXPLICIT_BOUNDS) != 0;
  target.loopChecks = (req->flags & BANTAM_COMPILE_NO_LOOP_CHECKS) == 0;
  target.ssse3 = hasFeature(target.features, "ssse3");
  target.sse41 = hasFeature(target.features, "sse4.1");
  target.optLevel = std::min<uint32_t>(req->optLevel, 3);
  out->tuneCpu = target.tuneCpu;
  res->tuneCpu = out->tuneCpu.c_str();

  uint32_t threads = std::max<uint32_t>(req->threads, 1);
  // Small modules are not worth a thread each (the spec suite compiles thousands of them).
  uint64_t bodyBytes = 0;
  for (const auto& f : module.functions) bodyBytes += f.body.size;
  uint32_t parts = static_cast<uint32_t>(std::min<uint64_t>(threads, bodyBytes / 4096 + 1));
  parts = std::max<uint32_t>(std::min<uint32_t>(parts, static_cast<uint32_t>(module.functions.size())), 1);
  std::vector<Partition> partitions = partition(module, parts);

  Compiler compiler(*req, module, target);
  out->objects.resize(partitions.size());
  std::vector<std::string> errors(partitions.size());
  std::atomic<uint32_t> next{0}, done{0};
  auto work = [&] {
    for (uint32_t p; (p = next.fetch_add(1)) < partitions.size();) {
      errors[p] = compiler.compilePartition(partitions[p], out->objects[p]);
      uint32_t d = done.fetch_add(1) + 1;
      if (req->progress) req->progress(req->progressCtx, d, static_cast<uint32_t>(partitions.size()));
    }
  };
  if (req->progress) req->progress(req->progressCtx, 0, static_cast<uint32_t>(partitions.size()));
  uint32_t workers = std::min<uint32_t>(threads, static_cast<uint32_t>(partitions.size()));
  std::vector<std::thread> pool;
  for (uint32_t i = 1; i < workers; ++i) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  for (const std::string& e : errors)
    if (!e.empty()) return failWith(e);

  for (const auto& o : out->objects)
    out->views.push_back(BantamObject{reinterpret_cast<const uint8_t*>(o.data()), o.size()});
  res->numObjects = static_cast<uint32_t>(out->views.size());
  res->objects = out->views.data();
  return 0;
}

__attribute__((visibility("default"))) void bantam_llvm_free(BantamCompileResult* res) {
  delete static_cast<bantam::llvmc::Output*>(res->internal);
  *res = BantamCompileResult{};
}

}  // extern "C"
