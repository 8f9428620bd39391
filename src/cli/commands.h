// The subcommands of `bantam`. Each returns the process exit status.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/wast_runner.h"
#include "runtime/engine.h"
#include "platform/app.h"
#include "platform/serve.h"

namespace bantam::cli {

// --engine and the compiled engine's options, for run, wast and compile (flags declared in main.cpp).
struct EngineFlags {
  std::string engine;        // "compiled", "interp"; empty: compiled when available
  uint32_t optLevel = 2;     // -O / --opt-level
  std::string target = "host";  // --target host|portable
  bool noCache = false;      // --no-cache
  bool loopChecks = true;    // not a flag: `bantam run` turns it off without --timeout/--fuel
};
// The engine the flags ask for; prints the error and returns nullptr when it cannot be had.
std::unique_ptr<runtime::Engine> makeEngine(const EngineFlags& flags);

struct CompileOptions {
  std::string file;
  std::string output;        // -o; default: FILE with .cwasm
  EngineFlags engine;
};
int cmdCompile(const CompileOptions& options);

struct RunOptions {
  std::string file;
  std::string invoke;               // export to call; empty: the WASI command entry `_start`
  std::vector<std::string> args;    // --invoke: the function's arguments
  uint64_t fuel = 0;                // 0: unlimited
  // WASI (see cmd_run.cpp for the syntax of each)
  std::vector<std::string> dirs;    // --dir HOST[::GUEST][:ro]
  std::vector<std::string> env;     // --env KEY=VALUE (or KEY: the host's value)
  bool inheritEnv = false;          // --inherit-env
  std::vector<std::string> tcpListen;  // --tcplisten HOST:PORT
  std::string maxMemory;            // --max-memory BYTES[K|M|G]
  std::string timeout;              // --timeout DURATION (10s, 500ms, 2m; a bare number is seconds)
  EngineFlags engine;
};

// `bantam up`, `bantam build`, `bantam new`: Spin applications (cmd_up.cpp, cmd_build.cpp, cmd_new.cpp).
struct UpOptions {
  std::string from;                  // -f: spin.toml or its folder; empty: the current folder
  platform::ServeOptions serve;      // --listen, --follow, --quiet, --engine land here directly
  std::vector<std::string> env;      // --env KEY=VALUE, for every component
  std::string stateDir;              // --state-dir; empty: serve()'s default (<app>/.spin)
  std::string logDir;                // --log-dir; empty: serve()'s default (<state dir>/logs)
  bool build = false;                // --build: run `bantam build` first
};
struct BuildOptions {
  std::string from;                  // -f, as for `up`
  std::vector<std::string> components;  // -c ID: only these components; empty: all
};
struct NewOptions {
  std::string templateName;          // "http-c"; empty: list the templates
  std::string name;                  // the project's name
  std::string output;                // -o: the folder to create; empty: ./NAME
  std::string description;           // --description
  std::string httpPath = "/...";     // --http-path: the route the component answers
};

int cmdUp(const UpOptions& options);
int cmdBuild(const BuildOptions& options);
int cmdNew(const NewOptions& options);
// Runs the build commands of `app`'s components (all, or those in `only`) with progress lines;
// 0 when every one succeeded. Shared by `bantam build` and `bantam up --build`.
int buildComponents(const platform::App& app, const std::vector<std::string>& only);
// Prints the app's warnings ("bantam: warning: ...") to stderr.
void printWarnings(const platform::App& app);

int cmdRun(const RunOptions& options);
// `bantam run` of a component (a wasi:cli/command): cmd_serve.cpp.
int cmdRunComponent(const RunOptions& options);

// `bantam serve FILE.wasm`: one wasi:http component over HTTP, as `wasmtime serve` (cmd_serve.cpp).
struct ServeCmdOptions {
  std::string file;
  std::string listen = "0.0.0.0:8080";       // Wasmtime's default
  std::vector<std::string> env;              // --env KEY=VALUE (or KEY: the host's value)
  std::vector<std::string> dirs;             // --dir HOST[::GUEST][:ro]
  std::vector<std::string> allowOutbound;    // --allow-outbound "http://host:port" (Spin's syntax)
  uint64_t timeoutMs = 30000;                // per request: a 504 beyond
  std::string nativeHello;                   // benchmarks: this path answers without WebAssembly
  EngineFlags engine;
};
int cmdServe(const ServeCmdOptions& options);
int cmdWast(const std::vector<std::string>& files, const WastOptions& options, const EngineFlags& engine);
int cmdValidate(const std::vector<std::string>& files);
int cmdInspect(const std::string& file);

// Prints an error for the user ("bantam: error: ...") to stderr.
void printError(const Error& e);

}  // namespace bantam::cli
