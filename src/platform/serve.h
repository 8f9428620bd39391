// `bantam up`'s engine room: serve an App over HTTP until SIGINT/SIGTERM, a fresh instance of
// the routed component per request.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "platform/app.h"
#include "runtime/engine.h"

namespace bantam::platform {

struct ServeOptions {
  std::string listen = "127.0.0.1:3000";       // Spin's default
  std::string adminListen;                     // Prometheus metrics and health; empty: off
  std::filesystem::path stateDir;              // default: <app root>/.spin
  std::filesystem::path logDir;                // default: <stateDir>/logs
  std::vector<std::string> follow;             // component ids whose stdout/stderr go to the console
  bool followAll = false;                      // Spin's default when no --follow is given
  bool quiet = false;                          // no component output on the console
  std::map<std::string, std::string> env;      // --env K=V: added to every component's environment
  std::string engine;                          // "interp", "compiled" or "" (the default)
  // The execution engine, injected (DESIGN: capabilities are passed in): the CLI passes the one
  // api/engine_select.h picks for `engine` (the compiled engine with its code cache when it is
  // built, else the interpreter). Empty: the interpreter, which this layer always has.
  std::function<Result<std::unique_ptr<runtime::ExecutionEngine>>(const std::string& engine)> createEngine;
  uint64_t maxMemoryBytes = 256ull << 20;      // per component instance
  uint32_t requestTimeoutMs = 30000;           // epoch interruption; a timeout is a 504
  uint64_t maxRequestBodyBytes = 16ull << 20;  // 413 beyond
  uint32_t maxHeaderBytes = 64 * 1024;         // 431 beyond
  unsigned threads = 0;                        // event loops; 0: one per core
  // --- added by the server (platform/serve.cpp) ---
  unsigned workers = 0;                        // guest threads; 0: twice the cores, at least 4
  // Run WAGI guests on the worker threads instead of on fibers on the event loops (the
  // previous design, kept for comparison: bench/platform/run --workers-mode).
  bool guestsOnWorkers = false;
  uint32_t maxInstances = 1000;                // per component, in flight at once (503 beyond)
  std::filesystem::path accessLog;             // default: <logDir>/access.log; "-": stdout
  // Benchmarks only: this path answers the hello component's bytes without WebAssembly, on the
  // event loop, so that one run can compare a component with the server's own cost.
  std::string nativeHelloRoute;
  // Called once the listeners are bound (ports resolved when 0 was asked for).
  std::function<void(uint16_t port, uint16_t adminPort)> onReady;
};

// Blocks until the server has drained after SIGINT/SIGTERM. Returns the process exit status.
// Start-up errors (port in use, a missing or invalid component) are returned as errors before
// anything is served.
Result<int> serve(const App& app, const ServeOptions& options);

}  // namespace bantam::platform
