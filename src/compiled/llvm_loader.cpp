// Loading libbantam_llvm.so with dlopen and calling its C ABI (src/llvm/bantam_llvm.h), with a
// progress line for compilations longer than a second.
#include "compiled/llvm_loader.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "llvm/bantam_llvm.h"

namespace bantam::compiled {

namespace {

constexpr const char* kLibraryName = "libbantam_llvm.so";

bool isFile(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

struct Library {
  BantamLlvmCompileFn compile = nullptr;
  BantamLlvmFreeFn free = nullptr;
  std::string error;
};

const Library& library() {
  static const Library lib = [] {
    Library l;
    std::string path = compilerLibraryPath();
    if (path.empty()) {
      l.error = std::string("the compiler library (") + kLibraryName + ") was not found next to the executable";
      return l;
    }
    void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      l.error = std::string("cannot load ") + path + ": " + ::dlerror();
      return l;
    }
    l.compile = reinterpret_cast<BantamLlvmCompileFn>(::dlsym(h, "bantam_llvm_compile"));
    l.free = reinterpret_cast<BantamLlvmFreeFn>(::dlsym(h, "bantam_llvm_free"));
    if (!l.compile || !l.free) l.error = path + " is not a bantam compiler library";
    return l;
  }();
  return lib;
}

// Prints "bantam: compiling X (N functions)... 3.2 s" on stderr once a compilation has taken
// a second, refreshing every second; a final line when it ends.
class ProgressLine {
 public:
  ProgressLine(bool enabled, std::string what, size_t functions)
      : enabled_(enabled), what_(std::move(what)), functions_(functions) {
    if (!enabled_) return;
    start_ = std::chrono::steady_clock::now();
    thread_ = std::thread([this] { run(); });
  }
  ~ProgressLine() {
    if (!enabled_) return;
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
    }
    cv_.notify_one();
    thread_.join();
    if (printed_) std::fprintf(stderr, "%sbantam: compiled %s in %.1f s\n", tty_ ? "\r\033[K" : "", what_.c_str(), elapsed());
  }
  void partDone(uint32_t done, uint32_t total) {
    std::lock_guard lock(mutex_);
    done_ = done;
    total_ = total;
  }

 private:
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  void run() {
    tty_ = ::isatty(2);
    std::unique_lock lock(mutex_);
    while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return finished_; })) {
      std::fprintf(stderr, "%sbantam: compiling %s (%zu functions, %u/%u parts done) %.0f s%s",
                   tty_ ? "\r\033[K" : "", what_.c_str(), functions_, done_, total_, elapsed(), tty_ ? "" : "\n");
      std::fflush(stderr);
      printed_ = true;
    }
  }

  bool enabled_;
  std::string what_;
  size_t functions_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool finished_ = false, printed_ = false, tty_ = false;
  uint32_t done_ = 0, total_ = 0;
  std::thread thread_;
};

}  // namespace

static std::string findCompilerLibrary() {
  if (const char* env = std::getenv("BANTAM_LLVM_LIBRARY"); env && *env) return isFile(env) ? env : "";
  char exe[4096];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string dir(exe, static_cast<size_t>(n));
    dir = dir.substr(0, dir.find_last_of('/'));
    for (const char* rel : {"/", "/../", "/../lib/"}) {
      std::string p = dir + rel + kLibraryName;
      if (isFile(p)) return p;
    }
  }
#ifdef BANTAM_LLVM_BUILD_LIBRARY
  if (isFile(BANTAM_LLVM_BUILD_LIBRARY)) return BANTAM_LLVM_BUILD_LIBRARY;
#endif
  return {};
}

std::string compilerLibraryPath() {
  // Looked up once per process: the engine asks on construction, for the cache key and on load.
  static const std::string path = findCompilerLibrary();
  return path;
}

bool compilerAvailable() { return !compilerLibraryPath().empty(); }

std::string compilerLibraryIdentity() {
  static const std::string id = [] {
    std::string path = compilerLibraryPath();
    struct stat st;
    if (path.empty() || ::stat(path.c_str(), &st) != 0) return std::string();
    return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec);
  }();
  return id;
}

namespace {
std::atomic<uint64_t> gCompilations{0};
std::atomic<bool> gLoaded{false};
}  // namespace

uint64_t compilationsRequested() { return gCompilations.load(std::memory_order_relaxed); }
bool compilerLoaded() { return gLoaded.load(std::memory_order_relaxed); }

Result<CompileOutput> compileWithLlvm(const CompileJob& job) {
  gCompilations.fetch_add(1, std::memory_order_relaxed);
  const Library& lib = library();
  gLoaded.store(lib.compile != nullptr, std::memory_order_relaxed);
  if (!lib.compile)
    return std::unexpected(Error::make(ErrorKind::Unsupported, "the compiled engine is not available: " + lib.error)
                               .withHint("use --engine interp, or build bantam with -DBANTAM_LLVM=ON (needs llvm-19-dev)"));
  std::string features = job.features.llvmFeatures();
  BantamCompileRequest req{};
  req.abiVersion = BANTAM_LLVM_ABI_VERSION;
  req.module = job.module;
  req.optLevel = job.optLevel;
  req.threads = job.threads;
  req.flags = (job.explicitBounds ? BANTAM_COMPILE_EXPLICIT_BOUNDS : 0) | (job.verify ? BANTAM_COMPILE_VERIFY : 0) |
              (job.dumpIr ? BANTAM_COMPILE_DUMP_IR : 0) | (job.loopChecks ? 0 : BANTAM_COMPILE_NO_LOOP_CHECKS);
  req.cpu = job.cpu.c_str();
  req.features = features.c_str();
  req.tuneCpu = "";
  ProgressLine progress(job.progress, job.what.empty() ? "module" : job.what, job.module->functions.size());
  req.progress = [](void* ctx, uint32_t done, uint32_t total) { static_cast<ProgressLine*>(ctx)->partDone(done, total); };
  req.progressCtx = &progress;

  BantamCompileResult res{};
  int rc = lib.compile(&req, &res);
  if (rc != 0 || res.error) {
    std::string msg = res.error ? res.error : "unknown error";
    lib.free(&res);
    return std::unexpected(Error::make(ErrorKind::Unsupported, "compilation failed: " + msg));
  }
  CompileOutput out;
  out.tuneCpu = res.tuneCpu ? res.tuneCpu : "";
  for (uint32_t i = 0; i < res.numObjects; ++i)
    out.objects.emplace_back(res.objects[i].data, res.objects[i].data + res.objects[i].size);
  lib.free(&res);
  return out;
}

}  // namespace bantam::compiled
