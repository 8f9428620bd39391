// --engine compiled|interp and the compiled engine's options, shared by run, wast and compile.
#include "cli/cli11.h"

#include "api/engine_select.h"
#include "cli/commands.h"

namespace bantam::cli {

void addEngineFlags(CLI::App* command, EngineFlags& flags) {
  command->add_option("--engine", flags.engine,
                      "Run as compiled native code (the default when the compiler is installed) or in the interpreter")
      ->check(CLI::IsMember({"compiled", "interp", "interpreter", "auto"}))
      ->type_name("compiled|interp");
  command->add_option("-O,--opt-level", flags.optLevel, "Compiled engine: LLVM optimisation level")
      ->check(CLI::Range(0, 3))
      ->capture_default_str();
  command->add_option("--target", flags.target,
                      "Compiled engine: code for this host's CPU, or portable x86-64 code for any host")
      ->check(CLI::IsMember({"host", "portable"}))
      ->capture_default_str();
  command->add_flag("--no-cache", flags.noCache, "Compiled engine: neither read nor write the code cache");
}

std::unique_ptr<runtime::Engine> makeEngine(const EngineFlags& flags) {
  auto kind = engines::parseEngineKind(flags.engine);
  if (!kind) {
    printError(kind.error());
    return nullptr;
  }
  engines::EngineSettings s;
  s.kind = *kind;
  s.optLevel = flags.optLevel;
  s.portable = flags.target == "portable";
  s.cache = !flags.noCache;
  auto exec = engines::createExecutionEngine(s);
  if (!exec) {
    printError(exec.error());
    return nullptr;
  }
  return std::make_unique<runtime::Engine>(std::move(*exec));
}

}  // namespace bantam::cli
