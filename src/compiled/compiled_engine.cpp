// The compiled engine: compile() finds a module's code in the disk cache or compiles it with
// libbantam_llvm.so, then loads it; invoke() runs it under an activation that traps unwind to.
#include "compiled/compiled_engine.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>
#include <sys/mman.h>

#include <cstdlib>
#include <optional>
#include <thread>

#include "compiled/activation.h"
#include "compiled/artifact.h"
#include "compiled/code_registry.h"
#include "compiled/compiled_code.h"
#include "compiled/llvm_loader.h"
#include "runtime/store.h"
#include "wasm/decoder/decoder.h"
#include "wasm/validator/validator.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace bantam::compiled {

namespace {

// Native stack left below the guest's limit for builtins, host functions (which may need a
// lot: WASI, the platform's host APIs) and the signal handler's bookkeeping.
constexpr uintptr_t kHostReserve = 256 * 1024;

// The main thread's stack without pthread_getattr_np, which parses /proc/self/maps with
// sscanf: 117K instructions, a quarter of a whole cached `bantam run` (callgrind). The stack
// ends at most a few pages above __libc_stack_end (argv/env strings) and may grow to the
// rlimit below that end, so [end - rlimit, end] lies inside the real stack: conservative.
extern "C" void* __libc_stack_end;
std::optional<std::pair<uintptr_t, uintptr_t>> mainThreadStack() {
  if (::gettid() != ::getpid()) return std::nullopt;
  rlimit rl{};
  if (::getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (uint64_t{1} << 32))
    return std::nullopt;
  auto end = reinterpret_cast<uintptr_t>(__libc_stack_end);
  if (end < rl.rlim_cur) return std::nullopt;
  return std::pair<uintptr_t, uintptr_t>{end - rl.rlim_cur, end};
}

// This thread's stack, from pthread (the main thread's size is its rlimit).
std::pair<uintptr_t, uintptr_t> threadStack() {
  thread_local std::pair<uintptr_t, uintptr_t> bounds = [] {
    if (auto main = mainThreadStack()) return *main;
    std::pair<uintptr_t, uintptr_t> b{0, UINTPTR_MAX};
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      size_t size = 0;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr)
        b = {reinterpret_cast<uintptr_t>(addr), reinterpret_cast<uintptr_t>(addr) + size};
      pthread_attr_destroy(&attr);
    }
    return b;
  }();
  return bounds;
}

// Whether every memory can have its 4 GiB + 4 GiB guard reservation (no `ulimit -v`). Without
// an address-space limit the answer is yes and no probe is needed (the 8 GiB mmap/munmap probe
// was a measurable part of a cached empty `bantam run`).
bool canReserveGuardRegions() {
  static const bool ok = [] {
    if (struct rlimit lim; ::getrlimit(RLIMIT_AS, &lim) == 0 && lim.rlim_cur == RLIM_INFINITY) return true;
    void* p = ::mmap(nullptr, runtime::MemoryInst::kGuardedReservation, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return false;
    ::munmap(p, runtime::MemoryInst::kGuardedReservation);
    return true;
  }();
  return ok;
}

class CompiledEngine final : public runtime::ExecutionEngine {
 public:
  explicit CompiledEngine(CompilerOptions o) : options_(std::move(o)), cache_(options_.cacheDir) {
    if (const char* env = std::getenv("BANTAM_NO_CACHE"); env && *env && std::string(env) != "0") options_.cache = false;
    explicitBounds_ = !canReserveGuardRegions();
    features_ = options_.portable ? portableFeatures() : hostCpu().features;
  }

  std::string_view name() const override { return "compiled"; }

  ArtifactOptions artifactOptions() const {
    return ArtifactOptions{options_.optLevel, explicitBounds_, options_.portable, options_.loopChecks};
  }

  // The key of a module's code: its bytes, this engine and compiler, the target and options.
  Hash128 cacheKey(std::span<const uint8_t> wasm) const {
    XXH3_state_t st;
    XXH3_128bits_reset(&st);
    XXH3_128bits_update(&st, wasm.data(), wasm.size());
    std::string extra = engineVersion() + "|" + compilerLibraryIdentity() + "|" + std::to_string(features_.bits) + "|" +
                        hostCpu().vendor + ":" + std::to_string(hostCpu().family) + ":" +
                        std::to_string(hostCpu().model) + "|O" + std::to_string(options_.optLevel) +
                        (explicitBounds_ ? "|bounds" : "") + (options_.portable ? "|portable" : "") +
                        (options_.loopChecks ? "" : "|noloopchecks");
    XXH3_128bits_update(&st, extra.data(), extra.size());
    XXH128_hash_t h = XXH3_128bits_digest(&st);
    return {h.low64, h.high64};
  }

  // The module's artifact, from the cache or freshly compiled (and then cached).
  Result<Artifact> artifactFor(const wasm::Module& module, const std::string& what) {
    Hash128 key{};
    if (options_.cache) {
      key = cacheKey(module.bytes);
      if (auto hit = cache_.lookup(key)) return std::move(*hit);
    }
    CompileJob job;
    job.module = &module;
    job.optLevel = options_.optLevel;
    // Resolved here, not at construction: a cached run never needs the core count.
    job.threads = options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
    job.explicitBounds = explicitBounds_;
    job.loopChecks = options_.loopChecks;
    job.verify = options_.verify || std::getenv("BANTAM_LLVM_VERIFY") != nullptr;
    job.dumpIr = std::getenv("BANTAM_LLVM_DUMP_IR") != nullptr;
    job.progress = options_.progress;
    job.features = features_;
    job.what = what.empty() ? (module.names.module.empty() ? "module" : module.names.module) : what;
    CompileOutput out = BANTAM_TRY(compileWithLlvm(job));
    ArtifactInfo info;
    info.engineVersion = engineVersion();
    info.cpu = job.cpu;
    info.tuneCpu = out.tuneCpu;
    info.features = features_;
    info.options = artifactOptions();
    info.wasmHash = hashBytes(module.bytes);
    std::vector<std::span<const uint8_t>> objs(out.objects.begin(), out.objects.end());
    auto bytes = std::make_shared<std::vector<uint8_t>>(Artifact::serialize(info, {}, objs));
    if (options_.cache) cache_.store(key, *bytes);
    return Artifact::parse(bytes, *bytes);
  }

  Result<std::unique_ptr<runtime::EngineCode>> compile(const wasm::Module& module,
                                                       std::span<const uint32_t> sigIds) override {
    Artifact artifact = BANTAM_TRY(artifactFor(module, {}));
    return CompiledCode::load(module, artifact.objects(), artifact.info().options.explicitBounds, options_.perfMap);
  }

  runtime::TrapOr<void> invoke(runtime::Store& store, runtime::FuncInst& func,
                               std::span<runtime::RawVal> argsResults) override {
    prepareThreadForCompiledCode();
    const auto& code = static_cast<const CompiledCode&>(*func.instance->module->code);
    uint32_t typeIndex = code.module().funcSpace[func.funcIndex].value;
    CompiledCode::Trampoline trampoline = code.trampoline(typeIndex);
    runtime::VMStoreContext& vs = store.vmStore();

    Activation act;
    act.prev = currentActivation();
    // The outermost invocation of the store sets the guest's stack limit; nested ones (host →
    // wasm re-entry) keep it, so recursion through the host is bounded too.
    bool outermost = vs.stackLimit == 0;
    if (outermost) {
      auto [low, high] = threadStack();
      uintptr_t sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
      uint64_t budget = store.limits().maxStackBytes;
      uintptr_t limit = sp > budget ? sp - budget : 0;
      if (low != 0 && limit < low + kHostReserve) limit = low + kHostReserve;
      vs.stackLimit = limit;
    }
    // Every invocation, not only the outermost: an embedder may have set the stack limit
    // itself (a guest on a fiber), and the entry limit follows it (vmctx.h).
    store.refreshEntryLimit();
    setCurrentActivation(&act);
    if (sigsetjmp(act.jump, 0) == 0) {
      trampoline(func.code, func.vmctx, argsResults.data());
      setCurrentActivation(act.prev);
      if (outermost) leave(store);
      return {};
    }
    setCurrentActivation(act.prev);
    if (outermost) leave(store);
    return std::unexpected(makeTrap(act, func));
  }

  void* saveThreadState() override { return currentActivation(); }
  void restoreThreadState(void* state) override { setCurrentActivation(static_cast<Activation*>(state)); }

 private:
  // The outermost invocation returns: no guest runs on this store any more.
  static void leave(runtime::Store& store) {
    store.vmStore().stackLimit = 0;
    store.refreshEntryLimit();
  }

  static runtime::Trap makeTrap(Activation& act, runtime::FuncInst& func) {
    runtime::Trap trap = act.hostTrap ? std::move(*act.hostTrap) : runtime::Trap(act.kind);
    for (uint32_t i = 0; i < act.numPcs; ++i) {
      // A return address is just past its call: look up the byte before it (a fault's pc is
      // the instruction itself, never a function's first byte, so -1 stays inside it too).
      uintptr_t pc = act.pcs[i] - 1;
      const CompiledCode* c = findCode(pc);
      runtime::TrapFrame f;
      if (!c || !c->locate(pc, f.funcIndex)) continue;  // a trampoline or adapter: no wasm frame
      f.function = c->module().functionName(wasm::FuncIdx(f.funcIndex));
      const runtime::CompiledModule* owner = func.instance->module.get();
      f.module = owner && &owner->module == &c->module() ? func.instance->name : c->module().names.module;
      trap.frames.push_back(std::move(f));
    }
    return trap;
  }

  CompilerOptions options_;
  DiskCache cache_;
  bool explicitBounds_ = false;
  CpuFeatures features_;
};

}  // namespace

bool compiledEngineAvailable() { return compilerAvailable(); }

std::unique_ptr<runtime::ExecutionEngine> createCompiledEngine(CompilerOptions options) {
  return std::make_unique<CompiledEngine>(std::move(options));
}

bool isCompiledEngine(const runtime::ExecutionEngine& engine) {
  return dynamic_cast<const CompiledEngine*>(&engine) != nullptr;
}

bool isPrecompiled(std::span<const uint8_t> bytes) { return isArtifact(bytes); }

Result<std::vector<uint8_t>> precompileModule(runtime::Engine& engine, std::span<const uint8_t> wasm,
                                              const std::string& name) {
  auto* ce = dynamic_cast<CompiledEngine*>(&engine.exec());
  if (!ce) return fail(ErrorKind::Usage, "precompiling needs the compiled engine");
  auto module = wasm::decodeModule(wasm);
  if (!module) return std::unexpected(std::move(module.error()).withSource(name));
  if (auto v = wasm::validateModule(*module); !v) return std::unexpected(std::move(v.error()).withSource(name));
  Artifact a = BANTAM_TRY(ce->artifactFor(*module, name));
  ArtifactInfo info = a.info();
  return Artifact::serialize(info, wasm, a.objects());
}

Result<std::shared_ptr<runtime::CompiledModule>> loadPrecompiled(runtime::Engine& engine, std::span<const uint8_t> bytes,
                                                                 const std::string& name) {
  auto* ce = dynamic_cast<CompiledEngine*>(&engine.exec());
  if (!ce)
    return std::unexpected(Error::make(ErrorKind::Usage, "a precompiled module (.cwasm) runs only on the compiled engine")
                               .withSource(name)
                               .withHint("drop --engine interp, or run the original .wasm"));
  // The artifact's bytes may be a temporary buffer: keep a copy (objects are copied by the
  // loader, but the wasm is needed for the module's lifetime).
  auto owner = std::make_shared<std::vector<uint8_t>>(bytes.begin(), bytes.end());
  Artifact a = BANTAM_TRY(Artifact::parse(owner, *owner));
  BANTAM_TRY(a.checkCompatible(name.empty() ? "the module" : name));
  if (a.wasm().empty()) return fail(ErrorKind::Malformed, "the artifact holds no module (a cache entry?)");
  if (hashBytes(a.wasm()) != a.info().wasmHash) return fail(ErrorKind::Malformed, "the artifact is corrupt (module hash)");
  if (!a.info().options.explicitBounds && !canReserveGuardRegions())
    return std::unexpected(Error::make(ErrorKind::Unsupported, "this artifact relies on 8 GiB guard regions per memory, "
                                                               "which this process cannot reserve")
                               .withHint("raise `ulimit -v`, or run the original .wasm to compile it here"));

  auto compiled = std::make_shared<runtime::CompiledModule>();
  auto decoded = wasm::decodeModule(a.wasm());
  if (!decoded) return std::unexpected(std::move(decoded.error()).withSource(name));
  compiled->module = std::move(*decoded);
  const wasm::Module& module = compiled->module;
  for (const wasm::FuncType& t : module.types) compiled->sigIds.push_back(engine.types().intern(t));
  compiled->code = BANTAM_TRY(CompiledCode::load(module, a.objects(), a.info().options.explicitBounds));
  compiled->name = name.empty() ? module.names.module : name;
  return compiled;
}

}  // namespace bantam::compiled
