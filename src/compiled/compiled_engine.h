// The compiled execution engine: WebAssembly compiled to native code by libbantam_llvm.so
// (loaded only when something must be compiled), cached on disk, loaded by Bantam's own
// object loader and run directly on the thread's stack. See docs/design.md ("The compiled engine").
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "runtime/engine.h"
#include "runtime/instantiate.h"

namespace bantam::compiled {

struct CompilerOptions {
  uint32_t optLevel = 2;   // LLVM -O level, 0..3
  bool portable = false;   // x86-64 baseline code instead of the host CPU's features
  uint32_t threads = 0;    // compiler threads; 0: every core
  bool cache = true;       // the disk cache ($XDG_CACHE_HOME/bantam or ~/.cache/bantam)
  std::string cacheDir;    // overrides the cache location
  bool progress = true;    // a progress line on stderr for compilations over a second
  bool verify = false;     // verify the generated IR (tests)
  bool perfMap = false;    // name loaded functions in /tmp/perf-<pid>.map (for `perf`)
  // Epoch checks at loop back-edges. Off, a deadline still stops the guest at its next
  // function entry, but not inside a loop that makes no call; fuel is then charged at function
  // entries only. For runs that set no deadline and no fuel (`bantam run` without --timeout
  // or --fuel), as Wasmtime compiles without epoch checks unless its config asks for them.
  bool loopChecks = true;
};

// Whether the compiler library exists (no LLVM is loaded to find out).
bool compiledEngineAvailable();

std::unique_ptr<runtime::ExecutionEngine> createCompiledEngine(CompilerOptions options = {});

// True for the engine createCompiledEngine makes.
bool isCompiledEngine(const runtime::ExecutionEngine& engine);

// `bantam compile`: the .cwasm artifact of a module (decoded and validated first). `engine`
// must be a compiled engine.
Result<std::vector<uint8_t>> precompileModule(runtime::Engine& engine, std::span<const uint8_t> wasm,
                                              const std::string& name);

// Whether `bytes` is a .cwasm artifact.
bool isPrecompiled(std::span<const uint8_t> bytes);

// Loads a .cwasm artifact: refuses one of another engine version or for CPU features this
// host lacks. Neither compiles nor validates (the artifact was made from a validated module).
Result<std::shared_ptr<runtime::CompiledModule>> loadPrecompiled(runtime::Engine& engine,
                                                                 std::span<const uint8_t> bytes,
                                                                 const std::string& name);

}  // namespace bantam::compiled
