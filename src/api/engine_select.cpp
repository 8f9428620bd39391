// Engine selection (see engine_select.h).
#include "api/engine_select.h"

#include <cstdlib>
#include <string_view>

#include "interp/interpreter.h"
#ifdef BANTAM_HAVE_COMPILED
#include "compiled/compiled_engine.h"
#endif

namespace bantam::engines {

Result<EngineKind> parseEngineKind(std::string_view name) {
  if (name.empty() || name == "auto") return EngineKind::Auto;
  if (name == "interp" || name == "interpreter") return EngineKind::Interpreter;
  if (name == "compiled") return EngineKind::Compiled;
  return std::unexpected(Error::make(ErrorKind::Usage, "unknown engine \"" + std::string(name) + "\"")
                             .withHint("use --engine compiled or --engine interp"));
}

bool compiledEngineBuilt() {
#ifdef BANTAM_HAVE_COMPILED
  return true;
#else
  return false;
#endif
}

bool compiledEngineAvailable() {
#ifdef BANTAM_HAVE_COMPILED
  return compiled::compiledEngineAvailable();
#else
  return false;
#endif
}

EngineSettings settingsFromEnvironment() {
  EngineSettings s;
  const char* perf = std::getenv("BANTAM_PERFMAP");
  s.perfMap = perf != nullptr && *perf != '\0' && std::string_view(perf) != "0";
  return s;
}

Result<std::unique_ptr<runtime::ExecutionEngine>> createExecutionEngine(const EngineSettings& s) {
  EngineKind kind = s.kind;
  if (kind == EngineKind::Auto) kind = compiledEngineAvailable() ? EngineKind::Compiled : EngineKind::Interpreter;
  if (kind == EngineKind::Interpreter) return interp::createInterpreter();
#ifdef BANTAM_HAVE_COMPILED
  if (!compiled::compiledEngineAvailable())
    return std::unexpected(
        Error::make(ErrorKind::Unsupported,
                    "the compiled engine is not available: libbantam_llvm.so was not found next to the executable")
            .withHint("install it beside bantam (or set BANTAM_LLVM_LIBRARY), or use --engine interp"));
  compiled::CompilerOptions o;
  o.optLevel = s.optLevel;
  o.portable = s.portable;
  o.cache = s.cache;
  o.threads = s.threads;
  o.progress = s.progress;
  o.perfMap = s.perfMap;
  o.loopChecks = s.loopChecks;
  return compiled::createCompiledEngine(o);
#else
  return std::unexpected(Error::make(ErrorKind::Unsupported, "this bantam was built without the compiled engine")
                             .withHint("use --engine interp, or rebuild with -DBANTAM_LLVM=ON (needs llvm-19-dev)"));
#endif
}

bool isCompiled(const runtime::ExecutionEngine& engine) {
#ifdef BANTAM_HAVE_COMPILED
  return compiled::isCompiledEngine(engine);
#else
  (void)engine;
  return false;
#endif
}

}  // namespace bantam::engines
