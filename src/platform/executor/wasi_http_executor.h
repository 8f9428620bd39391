// The wasi:http executor (Spin's default, `executor` unset): a component exporting
// wasi:http/incoming-handler, compiled and linked against the WASI 0.2 host once, a fresh
// instance per request from its ComponentPre, the request with Spin's extra headers
// (spin-full-url, spin-path-info, spin-matched-route, ...), the response it sets.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "platform/app.h"
#include "platform/executor/component.h"
#include "platform/executor/executor.h"
#include "wasi2/runner.h"

namespace bantam::platform {

struct WasiHttpOptions {
  uint64_t timeoutTicks = UINT64_MAX;      // epoch ticks a request may run (the server's ticker)
  runtime::StoreLimits limits;             // per instance
  std::filesystem::path logDir;            // <id>_stdout.txt / <id>_stderr.txt
  bool console = false;                    // also copy the component's output to the console
  std::map<std::string, std::string> env;  // added to the manifest's environment
  std::function<void(const std::string&)> log;  // server-side messages about a request
  // Run on an interpreter of the executor's own (with its own epoch ticker of `tick`) instead
  // of the server's engine: the server's default when no --engine was named, because compiling
  // a JavaScript component's engine (~12 MB of code) natively takes minutes.
  bool ownInterpreter = false;
  std::chrono::milliseconds tick{5};
};

class WasiHttpExecutor final : public Executor {
 public:
  // Errors: not a component, an import the host does not provide, no incoming-handler export.
  static Result<std::unique_ptr<WasiHttpExecutor>> create(runtime::Engine& engine, const Component& component,
                                                          WasiHttpOptions options);
  Outcome handle(HttpRequest& request, const RouteMatch& match) override;
  ~WasiHttpExecutor() override;

 private:
  WasiHttpExecutor() = default;
  runtime::Engine* engine_ = nullptr;
  std::unique_ptr<runtime::Engine> ownEngine_;
  std::thread ticker_;
  std::mutex tickerMutex_;
  std::condition_variable tickerCv_;
  bool stopTicker_ = false;
  std::string id_;
  wasi2::PreparedWasi2 prepared_;
  WasiHttpOptions options_;
  std::vector<std::string> env_;
  std::vector<std::string> allowedOutbound_;
  std::shared_ptr<wasi::MemFilesystem> files_;
  std::shared_ptr<LogSink> stdout_, stderr_;
};

// The executor for serve(): `co` gives the log directory, console, environment and limits;
// `ownInterpreter` and `tick` as in WasiHttpOptions.
Result<std::unique_ptr<Executor>> createWasiHttpExecutor(runtime::Engine& engine, const Component& component,
                                                         const ComponentOptions& co, uint64_t timeoutTicks,
                                                         bool ownInterpreter, std::chrono::milliseconds tick,
                                                         std::function<void(const std::string&)> log);

}  // namespace bantam::platform
