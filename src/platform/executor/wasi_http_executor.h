// The wasi:http executor (Spin's default, `executor` unset): a component exporting
// wasi:http/incoming-handler, compiled and linked against the WASI 0.2 host once, a fresh
// instance per request from its ComponentPre, the request with Spin's extra headers
// (spin-full-url, spin-path-info, spin-matched-route, ...), the response it sets. Guests run on
// the event loop's fibers (fiber.h) as WAGI guests do; a response streams to the client as the
// guest writes it (chunked, with trailers), and requests to http://<id>.spin.internal are
// answered in-process by the app's component <id> (Spin's service chaining).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "component/instance_pool.h"
#include "platform/app.h"
#include "platform/executor/component.h"
#include "platform/executor/dependencies.h"
#include "platform/executor/executor.h"
#include "wasi2/runner.h"

namespace bantam::platform {

// Where a chained request (http://<id>.spin.internal) goes: the executor and a trigger of the
// app's component <id>, whatever its route (Spin's rule). Null executor: no such component.
struct ChainTarget {
  Executor* executor = nullptr;
  const HttpTrigger* trigger = nullptr;
};
using ChainLookup = std::function<ChainTarget(const std::string& componentId)>;

struct WasiHttpOptions {
  uint64_t timeoutTicks = UINT64_MAX;      // epoch ticks a request may run (the server's ticker)
  std::chrono::milliseconds tick{5};       // the ticker's period (bounds a sleeping guest on a fiber)
  runtime::StoreLimits limits;             // per instance
  std::filesystem::path logDir;            // <id>_stdout.txt / <id>_stderr.txt
  bool console = false;                    // also copy the component's output to the console
  std::map<std::string, std::string> env;  // added to the manifest's environment
  std::function<void(const std::string&)> log;  // server-side messages about a request
  ChainLookup chain;                       // service chaining; unset: no *.spin.internal host
};

class WasiHttpExecutor final : public Executor {
 public:
  // Errors: not a component, an import the host does not provide, no incoming-handler export.
  // `engine` is the server's (serve()'s engine factory, --engine) and must outlive this.
  static Result<std::unique_ptr<WasiHttpExecutor>> create(runtime::Engine& engine, const Component& component,
                                                          WasiHttpOptions options);
  Outcome handle(HttpRequest& request, const RouteMatch& match) override;
  bool runsOnLoop() const override { return true; }
  bool streamsRequestBody() const override { return true; }
  ~WasiHttpExecutor() override;

 private:
  WasiHttpExecutor() = default;
  // One request through a fresh instance of the component (the instance is acquired and
  // released here only).
  // `pooled`: an instance from pool_ (in `store`), or null to instantiate one.
  wasi2::HttpRun runGuest(runtime::Store& store, component::ComponentInstance* pooled, wasi2::Wasi2Config config,
                          wasi2::IncomingHttpRequest request);
  // `depth`: how many chained requests led to the caller's (a loop ends at 8).
  wasi2::OutboundResult chained(const std::string& id, wasi2::ChainRequest request, unsigned depth);

  runtime::Engine* engine_ = nullptr;
  std::string id_;
  wasi2::PreparedWasi2 prepared_;
  WasiHttpOptions options_;
  std::vector<std::string> env_;
  std::vector<std::string> allowedOutbound_;
  std::shared_ptr<wasi::MemFilesystem> files_;
  std::shared_ptr<LogSink> stdout_, stderr_;
  std::shared_ptr<wasi::Clocks> fiberClocks_;  // host clocks, sleeping on the fiber
  // [component.<id>.dependencies] (dependencies.h): null without dependencies.
  std::unique_ptr<ComposedComponent> composed_;
  // Instances reused from request to request, reset in between (component/instance_pool.h);
  // null for a composed component or with BANTAM_COMPONENT_POOL=0.
  std::unique_ptr<component::ComponentPool> pool_;
  DependencyCapabilities dependencyCaps_;
};

// The executor for serve(): `co` gives the log directory, console, environment and limits.
Result<std::unique_ptr<Executor>> createWasiHttpExecutor(runtime::Engine& engine, const Component& component,
                                                         const ComponentOptions& co, uint64_t timeoutTicks,
                                                         std::chrono::milliseconds tick,
                                                         std::function<void(const std::string&)> log,
                                                         ChainLookup chain);

}  // namespace bantam::platform
