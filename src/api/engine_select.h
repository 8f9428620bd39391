// Choosing the execution engine: the interpreter (always built) or the compiled engine (built
// with -DBANTAM_LLVM=ON, usable when libbantam_llvm.so is present). Shared by the public
// Engine (api/engine.cpp) and the CLI's --engine option.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"
#include "runtime/engine.h"

namespace bantam::engines {

enum class EngineKind : uint8_t {
  Auto,         // compiled when available, else the interpreter
  Interpreter,
  Compiled,
};

struct EngineSettings {
  EngineKind kind = EngineKind::Auto;
  uint32_t optLevel = 2;   // compiled: LLVM -O level 0..3
  bool portable = false;   // compiled: x86-64 baseline instead of the host CPU's features
  bool cache = true;       // compiled: the disk cache
  uint32_t threads = 0;    // compiled: compiler threads (0: every core)
  bool progress = true;    // compiled: a progress line for compilations over a second
  bool perfMap = false;    // compiled: name guest functions in /tmp/perf-<pid>.map for `perf`
  bool loopChecks = true;  // compiled: epoch checks at loop back-edges (CompilerOptions::loopChecks)
};

// The settings the process environment asks for on top of the defaults: BANTAM_PERFMAP=1
// (perfMap). Read by the command line, never by the library itself.
EngineSettings settingsFromEnvironment();

// "interp" / "interpreter" / "compiled" / "auto" (and "" for auto).
Result<EngineKind> parseEngineKind(std::string_view name);
// Whether this binary was built with the compiled engine, and whether it can use it now.
bool compiledEngineBuilt();
bool compiledEngineAvailable();
// The engine `settings` ask for; Compiled when it is not available is an error that says why.
Result<std::unique_ptr<runtime::ExecutionEngine>> createExecutionEngine(const EngineSettings& settings);
// Whether `engine` is the compiled engine.
bool isCompiled(const runtime::ExecutionEngine& engine);

// Components (and their dependencies) larger than this run in the interpreter when no engine
// is asked for (`bantam run`/`serve` of a component, `bantam up`'s wasi:http components): the
// compile time grows with a module's largest functions, and a componentize-js component
// carries a whole JavaScript engine (12 MB, minutes in LLVM); a 19 KB C component compiles in
// 0.4 s, once (cached).
inline constexpr uintmax_t kComponentCompileByDefaultBytes = uintmax_t{4} << 20;

}  // namespace bantam::engines
