// The `bantam` command: argument parsing and dispatch to the subcommands.
#include "cli/cli11.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "cli/commands.h"

namespace {

// `bantam run [OPTIONS] FILE [ARGS...]` without CLI11 when every option is one of run's, given
// once (repeatable ones aside) as a separate word with a plain value: building CLI11's parser
// was a third of the instructions of an empty `bantam run` (callgrind). Anything else (help,
// `--opt=value`, an unknown or repeated option, a value CLI11 would check or reject) returns
// false: CLI11 then parses the same words and gives its usual result or message.
bool parseRunQuickly(int argc, char** argv, bantam::cli::RunOptions& run) {
  using std::string_view;
  auto digits = [](string_view v) {  // decimal, no leading zero (CLI11 reads prefixes like 0x)
    return !v.empty() && v.size() <= 18 && v.find_first_not_of("0123456789") == v.npos && (v == "0" || v[0] != '0');
  };
  bool seen[9] = {};
  auto once = [&](int k) { return !std::exchange(seen[k], true); };
  for (int i = 2; i < argc; ++i) {
    string_view a = argv[i];
    if (a == "--") {  // `run [OPTIONS] -- FILE ARGS...`
      if (i + 1 >= argc) return false;
      run.file = argv[i + 1];
      run.args.assign(argv + i + 2, argv + argc);
      return true;
    }
    if (a.size() > 1 && a.front() == '-') {
      if (a == "--inherit-env" && once(0)) { run.inheritEnv = true; continue; }
      if (a == "--no-cache" && once(1)) { run.engine.noCache = true; continue; }
      if (i + 1 >= argc) return false;
      string_view v = argv[i + 1];
      if (v.empty() || v.front() == '-') return false;
      if (a == "--dir") run.dirs.emplace_back(v);
      else if (a == "--env") run.env.emplace_back(v);
      else if (a == "--tcplisten") run.tcpListen.emplace_back(v);
      else if (a == "--invoke" && once(2)) run.invoke = v;
      else if (a == "--max-memory" && once(3)) run.maxMemory = v;
      else if (a == "--timeout" && once(4)) run.timeout = v;
      else if (a == "--fuel" && digits(v) && once(5)) run.fuel = std::stoull(std::string(v));
      else if (a == "--engine" && (v == "compiled" || v == "interp" || v == "interpreter" || v == "auto") && once(6))
        run.engine.engine = v;
      else if ((a == "-O" || a == "--opt-level") && v.size() == 1 && v[0] >= '0' && v[0] <= '3' && once(7))
        run.engine.optLevel = static_cast<uint32_t>(v[0] - '0');
      else if (a == "--target" && (v == "host" || v == "portable") && once(8))
        run.engine.target = v;
      else return false;
      ++i;
      continue;
    }
    run.file = a;
    run.args.assign(argv + i + 1, argv + argc);
    return true;
  }
  return false;
}

}  // namespace

namespace bantam::cli {

// Adds --engine compiled|interp, --opt-level, --target and --no-cache to a subcommand (run,
// wast, compile, serve, up).
static void addEngineFlags(CLI::App* command, EngineFlags& flags) {
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

}  // namespace bantam::cli

int main(int argc, char** argv) {
  using namespace bantam::cli;
  if (argc > 2 && std::string_view(argv[1]) == "run") {
    RunOptions run;
    if (parseRunQuickly(argc, argv, run)) return cmdRun(run);
  }
  cli11StreamsReady();
  CLI::App app{"Bantam: a fast WebAssembly engine and serverless platform"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "bantam 0.1.0");
  // Only the subcommand being run is registered (CLI11 builds every option eagerly: all of
  // them took half the instructions of an empty `bantam run`); without a known subcommand
  // name first (`bantam --help`, a typo), all of them, for the help text and the error.
  static constexpr std::string_view kSubcommands[] = {"run", "wast", "compile", "validate", "inspect",
                                                      "up", "build", "new", "serve"};
  std::string_view first = argc > 1 ? std::string_view(argv[1]) : std::string_view();
  bool all = std::find(std::begin(kSubcommands), std::end(kSubcommands), first) == std::end(kSubcommands);
  auto want = [&](std::string_view name) { return all || first == name; };

  RunOptions run;
  CLI::App* runCmd = nullptr;
  if (want("run")) {
    runCmd = app.add_subcommand("run", "Run a WebAssembly module (.wasm or .wat)");
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
    addEngineFlags(runCmd, run.engine);
    // Everything after FILE belongs to the guest (for --invoke: the function's arguments).
    runCmd->prefix_command();
  }

  std::vector<std::string> wastFiles;
  WastOptions wast;
  EngineFlags wastEngine;
  CLI::App* wastCmd = nullptr;
  if (want("wast")) {
    wastCmd = app.add_subcommand("wast", "Run WAST scripts (the WebAssembly test-suite format)");
    wastCmd->add_option("files", wastFiles, "Script files")->required();
    wastCmd->add_flag("-v,--verbose", wast.verbose, "Report every command, not only failures");
    wastCmd->add_flag("--lax-messages", wast.laxMessages,
                      "Accept malformed/invalid/unlinkable modules rejected with a different message");
    wastCmd->add_option("--emit-modules", wast.emitModules, "Write each module's binary into this directory")
        ->check(CLI::ExistingDirectory);
    addEngineFlags(wastCmd, wastEngine);
  }

  CompileOptions compile;
  CLI::App* compileCmd = nullptr;
  if (want("compile")) {
    compileCmd = app.add_subcommand("compile", "Compile a module to native code ahead of time (.cwasm)");
    compileCmd->add_option("file", compile.file, "The module (.wasm or .wat)")->required();
    compileCmd->add_option("-o,--output", compile.output, "The artifact to write (default: FILE with .cwasm)")
        ->type_name("FILE");
    addEngineFlags(compileCmd, compile.engine);
  }

  std::vector<std::string> validateFiles;
  CLI::App* validateCmd = nullptr;
  if (want("validate")) {
    validateCmd = app.add_subcommand("validate", "Decode and validate modules");
    validateCmd->add_option("files", validateFiles, "Modules (.wasm or .wat)")->required();
  }

  std::string inspectFile;
  CLI::App* inspectCmd = nullptr;
  if (want("inspect")) {
    inspectCmd = app.add_subcommand("inspect", "Show a module's sections, imports and exports");
    inspectCmd->add_option("file", inspectFile, "The module (.wasm or .wat)")->required();
  }

  // Spin applications: `up`, `build`, `new` (options named as Spin's).
  UpOptions up;
  CLI::App* upCmd = nullptr;
  if (want("up")) {
    upCmd = app.add_subcommand("up", "Serve a Spin application (spin.toml, manifest version 2) over HTTP");
    upCmd->add_option("-f,--from,--file", up.from, "The manifest or its folder (default: ./spin.toml)")
        ->type_name("FILE|DIR");
    upCmd->add_option("--listen", up.serve.listen, "The address to serve on")
        ->capture_default_str()
        ->type_name("HOST:PORT");
    upCmd->add_option("--admin-listen", up.serve.adminListen, "Serve Prometheus metrics (/metrics) on this address")
        ->type_name("HOST:PORT");
    upCmd->add_option("-e,--env", up.env, "Set an environment variable in every component. Repeatable")
        ->allow_extra_args(false)
        ->type_name("KEY=VALUE");
    upCmd->add_option("--state-dir", up.stateDir, "Where the app keeps its state (default: .spin beside the manifest)")
        ->type_name("DIR");
    upCmd->add_option("-L,--log-dir", up.logDir, "Where component output is logged (default: STATE_DIR/logs)")
        ->type_name("DIR");
    upCmd->add_option("--follow", up.serve.follow,
                      "Show this component's output on the console (default: every component's). Repeatable")
        ->allow_extra_args(false)
        ->type_name("ID");
    upCmd->add_flag("-q,--quiet", up.serve.quiet, "Show no component output on the console");
    upCmd->add_flag("--build", up.build, "Build the components first (as `bantam build`)");
    upCmd->add_option("--engine", up.serve.engine, "Run components in the interpreter or as compiled native code")
        ->check(CLI::IsMember({"interp", "compiled"}))
        ->type_name("interp|compiled");
  }

  ServeCmdOptions serve;
  CLI::App* serveCmd = nullptr;
  if (want("serve")) {
    serveCmd = app.add_subcommand("serve", "Serve a wasi:http component over HTTP (as `wasmtime serve`)");
    serveCmd->add_option("file", serve.file, "The component (.wasm)")->required();
    serveCmd->add_option("--listen,--addr", serve.listen, "The address to serve on")->capture_default_str();
    serveCmd->add_option("-e,--env", serve.env, "Set an environment variable (KEY=VALUE, or KEY for the host's). Repeatable");
    serveCmd->add_option("--dir", serve.dirs, "Give the component a host directory: HOST[::GUEST][:ro]. Repeatable");
    serveCmd->add_option("--allow-outbound", serve.allowOutbound,
                         "Let outbound requests reach this origin (\"http://host:port\", \"*://*:*\"). Repeatable");
    serveCmd->add_option("--timeout-ms", serve.timeoutMs, "Per-request timeout (504 beyond)")->capture_default_str();
    serveCmd->add_option("--native-hello", serve.nativeHello, "Benchmarks: answer this path without WebAssembly")
        ->group("");
    addEngineFlags(serveCmd, serve.engine);
  }

  BuildOptions build;
  CLI::App* buildCmd = nullptr;
  if (want("build")) {
    buildCmd = app.add_subcommand("build", "Run the build commands of a Spin application's components");
    buildCmd->add_option("-f,--from,--file", build.from, "The manifest or its folder (default: ./spin.toml)")
        ->type_name("FILE|DIR");
    buildCmd->add_option("-c,--component-id", build.components, "Build only this component. Repeatable")
        ->allow_extra_args(false)
        ->type_name("ID");
  }

  NewOptions create;
  CLI::App* newCmd = nullptr;
  if (want("new")) {
    newCmd = app.add_subcommand("new", "Create a Spin application from a template (without arguments: list them)");
    newCmd->add_option("template", create.templateName, "The template, e.g. http-c");
    newCmd->add_option("name", create.name, "The application's name; also its folder unless -o is given");
    newCmd->add_option("-o,--output", create.output, "The folder to create (default: ./NAME)")->type_name("DIR");
    newCmd->add_option("--description", create.description, "The application's description");
    newCmd->add_option("--http-path", create.httpPath, "The route the component answers")
        ->capture_default_str()
        ->type_name("ROUTE");
  }

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
  if (runCmd && *runCmd) {
    run.args = runCmd->remaining();
    run.args.insert(run.args.end(), guestArgs.begin(), guestArgs.end());
    return cmdRun(run);
  }
  if (wastCmd && *wastCmd) return cmdWast(wastFiles, wast, wastEngine);
  if (compileCmd && *compileCmd) return cmdCompile(compile);
  if (validateCmd && *validateCmd) return cmdValidate(validateFiles);
  if (inspectCmd && *inspectCmd) return cmdInspect(inspectFile);
  if (upCmd && *upCmd) return cmdUp(up);
  if (buildCmd && *buildCmd) return cmdBuild(build);
  if (newCmd && *newCmd) return cmdNew(create);
  if (serveCmd && *serveCmd) return cmdServe(serve);
  return 2;
}
