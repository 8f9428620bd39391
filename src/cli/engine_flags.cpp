// The engine a command asked for (--engine and the compiled engine's options; the flags
// themselves are declared in main.cpp, the one translation unit that includes CLI11).
#include "api/engine_select.h"
#include "cli/commands.h"

namespace bantam::cli {

std::unique_ptr<runtime::Engine> makeEngine(const EngineFlags& flags) {
  auto kind = engines::parseEngineKind(flags.engine);
  if (!kind) {
    printError(kind.error());
    return nullptr;
  }
  engines::EngineSettings s = engines::settingsFromEnvironment();
  s.kind = *kind;
  s.optLevel = flags.optLevel;
  s.portable = flags.target == "portable";
  s.cache = !flags.noCache;
  s.loopChecks = flags.loopChecks;
  auto exec = engines::createExecutionEngine(s);
  if (!exec) {
    printError(exec.error());
    return nullptr;
  }
  return std::make_unique<runtime::Engine>(std::move(*exec));
}

}  // namespace bantam::cli
