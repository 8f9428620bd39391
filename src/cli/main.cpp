// The `bantam` command: argument parsing and dispatch to the subcommands.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace bantam::cli;
  CLI::App app{"Bantam: a fast WebAssembly engine and serverless platform"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "bantam 0.1.0");

  RunOptions run;
  auto* runCmd = app.add_subcommand("run", "Run a WebAssembly module (.wasm or .wat)");
  runCmd->add_option("file", run.file, "The module to run")->required();
  runCmd->add_option("--invoke", run.invoke, "Call this exported function and print its results");
  runCmd->add_option("--fuel", run.fuel, "Stop the guest after about this many instructions");
  // Everything after FILE belongs to the guest (for --invoke: the function's arguments).
  runCmd->prefix_command();

  std::vector<std::string> wastFiles;
  WastOptions wast;
  auto* wastCmd = app.add_subcommand("wast", "Run WAST scripts (the WebAssembly test-suite format)");
  wastCmd->add_option("files", wastFiles, "Script files")->required();
  wastCmd->add_flag("-v,--verbose", wast.verbose, "Report every command, not only failures");
  wastCmd->add_flag("--lax-messages", wast.laxMessages,
                    "Accept malformed/invalid/unlinkable modules rejected with a different message");
  wastCmd->add_option("--emit-modules", wast.emitModules, "Write each module's binary into this directory")
      ->check(CLI::ExistingDirectory);

  std::vector<std::string> validateFiles;
  auto* validateCmd = app.add_subcommand("validate", "Decode and validate modules");
  validateCmd->add_option("files", validateFiles, "Modules (.wasm or .wat)")->required();

  std::string inspectFile;
  auto* inspectCmd = app.add_subcommand("inspect", "Show a module's sections, imports and exports");
  inspectCmd->add_option("file", inspectFile, "The module (.wasm or .wat)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*runCmd) {
    run.args = runCmd->remaining();
    return cmdRun(run);
  }
  if (*wastCmd) return cmdWast(wastFiles, wast);
  if (*validateCmd) return cmdValidate(validateFiles);
  if (*inspectCmd) return cmdInspect(inspectFile);
  return 2;
}
