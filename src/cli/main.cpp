// The `bantam` command: argument parsing and dispatch to the subcommands.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <string_view>

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
  runCmd->add_option("--dir", run.dirs,
                     "Give the guest a host directory: HOST[::GUEST][:ro] (GUEST defaults to HOST; "
                     ":ro makes it read-only). Repeatable")
      ->allow_extra_args(false)
      ->type_name("HOST[::GUEST][:ro]");
  runCmd->add_option("--env", run.env, "Set a guest environment variable: KEY=VALUE, or KEY for the host's value")
      ->allow_extra_args(false)
      ->type_name("KEY[=VALUE]");
  runCmd->add_flag("--inherit-env", run.inheritEnv, "Give the guest the whole host environment (before --env)");
  runCmd->add_option("--tcplisten", run.tcpListen,
                     "Listen on HOST:PORT and give the guest the socket (after the --dir descriptors)")
      ->allow_extra_args(false)
      ->type_name("HOST:PORT");
  runCmd->add_option("--max-memory", run.maxMemory, "Limit each linear memory, e.g. 64M or 1G (bytes)")
      ->type_name("SIZE");
  runCmd->add_option("--timeout", run.timeout, "Interrupt the guest after this long, e.g. 10s, 500ms, 2m")
      ->type_name("DURATION");
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

  // `run [OPTIONS] FILE [ARGS...]`: everything after FILE is the guest's, even words that look
  // like bantam options (`bantam run app.wasm --env X --help`), so argv is cut after FILE
  // before CLI11 sees it. FILE is the first word that is neither an option nor its value.
  std::vector<char*> parsedArgv(argv, argv + argc);
  std::vector<std::string> guestArgs;
  if (argc > 1 && std::string_view(argv[1]) == "run") {
    for (int i = 2; i < argc; ++i) {
      std::string_view a = argv[i];
      if (a == "--") {  // `run [OPTIONS] -- FILE ARGS...`: FILE may start with '-'
        parsedArgv.assign(argv, argv + i);
        if (i + 1 < argc) parsedArgv.push_back(argv[i + 1]);
        for (int k = i + 2; k < argc; ++k) guestArgs.emplace_back(argv[k]);
        break;
      }
      if (a.size() > 1 && a.front() == '-') {
        const CLI::Option* o = runCmd->get_option_no_throw(std::string(a));
        if (o != nullptr && o->get_expected_max() > 0) ++i;  // skip the option's value (flags take none)
        continue;
      }
      parsedArgv.assign(argv, argv + i + 1);
      for (int k = i + 1; k < argc; ++k) guestArgs.emplace_back(argv[k]);
      break;
    }
  }

  try {
    app.parse(static_cast<int>(parsedArgv.size()), parsedArgv.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*runCmd) {
    run.args = runCmd->remaining();
    run.args.insert(run.args.end(), guestArgs.begin(), guestArgs.end());
    return cmdRun(run);
  }
  if (*wastCmd) return cmdWast(wastFiles, wast);
  if (*validateCmd) return cmdValidate(validateFiles);
  if (*inspectCmd) return cmdInspect(inspectFile);
  return 2;
}
