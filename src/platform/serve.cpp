// serve(): prepares every routed component (compiled module, instance pool, files, logs), starts
// the HTTP server, the guest workers and the epoch ticker, prints the routes as `spin up` does,
// and drains on SIGINT/SIGTERM.
#include "platform/serve.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

#include "api/engine_select.h"
#include "interp/interpreter.h"
#include "platform/executor/component.h"
#include "platform/executor/fiber.h"
#include "platform/executor/wagi_executor.h"
#include "platform/executor/wasi_http_executor.h"
#include "platform/http/server.h"
#include "platform/metrics/access_log.h"
#include "platform/metrics/metrics.h"
#include "platform/router.h"
#include "platform/worker_pool.h"
#include "runtime/epoch_ticker.h"

namespace bantam::platform {

namespace {

using Clock = std::chrono::steady_clock;

// The epoch advances every tick; a request's deadline is its timeout in ticks.
constexpr std::chrono::milliseconds kEpochTick{5};

// The bytes the hello component answers (bench/platform), for the native baseline route.
constexpr std::string_view kNativeHelloBody = "Hello, Fermyon!\n";

Result<std::unique_ptr<runtime::Engine>> createEngine(const ServeOptions& options) {
  if (options.createEngine) {
    std::unique_ptr<runtime::ExecutionEngine> exec = BANTAM_TRY(options.createEngine(options.engine));
    return std::make_unique<runtime::Engine>(std::move(exec));
  }
  if (options.engine.empty() || options.engine == "interp" || options.engine == "interpreter")
    return std::make_unique<runtime::Engine>(interp::createInterpreter());
  return fail(ErrorKind::Usage, "engine \"" + options.engine + "\" is not available to this server");
}

std::string jsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

// Blocks SIGINT and SIGTERM in this thread and every thread it starts from now on, so that
// sigwait() in serve() receives them; restores the old mask when done.
class SignalScope {
 public:
  SignalScope() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~SignalScope() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  int wait() {
    int sig = 0;
    while (sigwait(&set_, &sig) != 0) {
    }
    return sig;
  }

 private:
  sigset_t set_, old_;
};

bool follows(const ServeOptions& options, const std::string& id) {
  if (options.quiet) return false;
  if (options.followAll) return true;
  for (const std::string& f : options.follow)
    if (f == id) return true;
  return false;
}

void logLine(const std::string& line) {
  std::string out = line + "\n";
  std::fwrite(out.data(), 1, out.size(), stderr);
}

// What the access log needs of a request once its body has gone to the guest.
struct LogFields {
  std::string remoteAddr, method, target, version, referer, userAgent;
  static LogFields of(const HttpRequest& r) {
    LogFields f{r.remoteAddr, r.method, r.target, r.versionString(), {}, {}};
    if (const std::string* v = r.header("referer")) f.referer = *v;
    if (const std::string* v = r.header("user-agent")) f.userAgent = *v;
    return f;
  }
};

// The wasi:http executor of a trigger (Spin's default), on the engine serve() chose for the
// component (engineForComponent). Kept out of serve()'s frame.
[[gnu::noinline]] Result<void> addWasiHttpExecutor(std::map<const HttpTrigger*, std::unique_ptr<Executor>>& executors,
                                                   const HttpTrigger& trigger, runtime::Engine& engine,
                                                   const Component& component, const ComponentOptions& co,
                                                   uint64_t timeoutTicks, ChainLookup chain) {
  executors[&trigger] =
      BANTAM_TRY(createWasiHttpExecutor(engine, component, co, timeoutTicks, kEpochTick, logLine, std::move(chain)));
  return {};
}

}  // namespace

Result<int> serve(const App& app, const ServeOptions& options) {
  Router router = BANTAM_TRY(Router::build(app));
  std::unique_ptr<runtime::Engine> engine = BANTAM_TRY(createEngine(options));
  // wasi:http components without --engine: the default engine (compiled where built) for
  // components up to engines::kComponentCompileByDefaultBytes with their dependencies, the
  // interpreter (made by the same factory, ticked by its own EpochTicker below) for larger ones.
  // With --engine, every executor shares `engine`.
  std::unique_ptr<runtime::Engine> componentEngine;
  auto engineForComponent = [&](const Component& c) -> Result<runtime::Engine*> {
    if (!options.engine.empty() || engine->exec().name() != "compiled") return engine.get();
    // The largest of the component and its dependencies (prepared on the same engine); a
    // missing file is the executor's error to report.
    auto sizeOf = [](const std::filesystem::path& p) {
      std::error_code ec;
      uintmax_t n = std::filesystem::file_size(p, ec);
      return ec ? uintmax_t{0} : n;
    };
    uintmax_t size = sizeOf(c.source);
    for (const ComponentDependency& d : c.dependencies) size = std::max(size, sizeOf(d.path));
    if (size <= engines::kComponentCompileByDefaultBytes) return engine.get();
    if (!componentEngine) {
      ServeOptions interp = options;
      interp.engine = "interp";
      componentEngine = BANTAM_TRY(createEngine(interp));
    }
    logLine("component \"" + c.id + "\" (" + std::to_string(size >> 20) +
            " MiB with its dependencies) runs in the interpreter; `--engine compiled` compiles it (once, cached)");
    return componentEngine.get();
  };
  WasiHost host(*engine);

  std::filesystem::path stateDir = options.stateDir.empty() ? app.root / ".spin" : options.stateDir;
  std::filesystem::path logDir = options.logDir.empty() ? stateDir / "logs" : options.logDir;
  uint64_t timeoutTicks = (options.requestTimeoutMs + kEpochTick.count() - 1) / kEpochTick.count() + 1;

  // Every component a trigger routes to, prepared once (a component may answer several
  // routes); one executor per trigger.
  std::map<std::string, std::unique_ptr<PreparedComponent>> components;
  std::map<const HttpTrigger*, std::unique_ptr<Executor>> executors;
  std::vector<std::string> componentIds;
  // Spin's service chaining (http://<id>.spin.internal): each component's first trigger,
  // filled once every executor exists.
  std::map<std::string, ChainTarget> chainTargets;
  ChainLookup chainLookup = [&chainTargets](const std::string& id) {
    auto it = chainTargets.find(id);
    return it == chainTargets.end() ? ChainTarget{} : it->second;
  };
  for (const HttpTrigger& trigger : app.httpTriggers) {
    auto it = app.components.find(trigger.component);
    if (it == app.components.end())
      return fail(ErrorKind::Usage, "trigger for route \"" + trigger.route + "\" names an unknown component \"" +
                                        trigger.component + "\"");
    ComponentOptions co;
    co.logDir = logDir;
    co.console = follows(options, trigger.component);
    co.env = options.env;
    co.limits.maxMemoryBytes = options.maxMemoryBytes;
    co.pool.maxInstances = options.maxInstances;
    co.pool.prewarm = 1;  // a broken component fails here, not on its first request
    // The executor kinds. Each prepares its component its own way (a WAGI component is a core
    // module; a wasi:http one is a component) and implements Executor (executor/executor.h).
    switch (trigger.executor.kind) {
      case ExecutorConfig::Kind::Wagi: {
        auto& prepared = components[trigger.component];
        if (!prepared) prepared = BANTAM_TRY(PreparedComponent::prepare(*engine, host, it->second, co));
        WagiOptions wo;
        wo.timeoutTicks = timeoutTicks;
        wo.tick = kEpochTick;
        wo.log = logLine;
        executors[&trigger] = BANTAM_TRY(WagiExecutor::create(*prepared, trigger.executor, wo));
        break;
      }
      case ExecutorConfig::Kind::Spin:  // a wasi:http component (src/wasi2)
        BANTAM_TRY(addWasiHttpExecutor(executors, trigger, *BANTAM_TRY(engineForComponent(it->second)), it->second, co,
                                       timeoutTicks, chainLookup));
        break;
    }
    if (std::find(componentIds.begin(), componentIds.end(), trigger.component) == componentIds.end())
      componentIds.push_back(trigger.component);
  }
  for (const HttpTrigger& trigger : app.httpTriggers)
    chainTargets.try_emplace(trigger.component, ChainTarget{executors.at(&trigger).get(), &trigger});

  Metrics metrics(componentIds);
  std::unique_ptr<AccessLog> accessLog =
      BANTAM_TRY(AccessLog::open(options.accessLog.empty() ? logDir / "access.log" : options.accessLog));

  auto record = [&metrics, &accessLog](const LogFields& f, std::string_view component, unsigned status,
                                       uint64_t bytes, Clock::time_point start) {
    uint64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
    ComponentMetrics& m = metrics.component(component);
    m.countStatus(status);
    m.latency.observe(ns);
    accessLog->write(AccessEntry{f.remoteAddr, f.method, f.target, f.version, status, bytes, f.referer,
                                 f.userAgent, ns, component});
  };

  std::string infoJson = "{\"name\":" + jsonString(app.name);
  if (!app.version.empty()) infoJson += ",\"version\":" + jsonString(app.version);
  infoJson += "}";
  // Spin's reserved routes, on the main and the admin address.
  auto reserved = [&infoJson](std::string_view path, HttpResponse& out) {
    if (path == "/.well-known/spin/health") {
      out = HttpResponse::text(200, "OK");
      return true;
    }
    if (path == "/.well-known/spin/info") {
      out = HttpResponse{};
      out.headers.emplace_back("content-type", "application/json");
      out.body = infoJson;
      return true;
    }
    return false;
  };

  SignalScope signals;  // before any thread starts
  setLoopHooks(LoopHooks{&postToThisLoop, &runOnThisLoopAfter});
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  WorkerPool workers(options.workers ? options.workers : std::max(4u, 2 * cores));
  runtime::EpochTicker ticker(*engine, kEpochTick);
  std::optional<runtime::EpochTicker> componentTicker;
  if (componentEngine) componentTicker.emplace(*componentEngine, kEpochTick);

  Handler mainHandler = [&](HttpRequest&& request, Respond respond) {
    Clock::time_point start = Clock::now();
    std::string_view path = request.path();
    if (!options.nativeHelloRoute.empty() && path == options.nativeHelloRoute) {
      HttpResponse r;
      r.headers.emplace_back("content-type", "text/plain");
      r.body = kNativeHelloBody;
      record(LogFields::of(request), "", 200, r.body.size(), start);
      return respond(std::move(r));
    }
    HttpResponse immediate;
    std::optional<RouteMatch> match = router.match(path);
    if (!match || match->trigger == nullptr) {
      if (!reserved(path, immediate)) immediate = HttpResponse::text(404, "Not Found");
      record(LogFields::of(request), "", immediate.status, immediate.body.size(), start);
      return respond(std::move(immediate));
    }
    Executor* executor = executors.at(match->trigger).get();
    metrics.inFlight.fetch_add(1, std::memory_order_relaxed);
    std::move_only_function<void()> job = [&, executor, start, request = std::move(request), match = std::move(*match),
                respond = std::move(respond)]() mutable {
      LogFields fields = LogFields::of(request);
      request.respondEarly = respond;  // a streamed response is sent while the guest runs
      Outcome outcome = executor->handle(request, match);
      const std::string& component = match.trigger->component;
      ComponentMetrics& m = metrics.component(component);
      if (outcome.instantiateNs) m.instantiation.observe(outcome.instantiateNs);
      if (outcome.kind == Outcome::Kind::Trap) m.traps.fetch_add(1, std::memory_order_relaxed);
      if (outcome.kind == Outcome::Kind::Timeout) m.timeouts.fetch_add(1, std::memory_order_relaxed);
      record(fields, component, outcome.response.status,
             outcome.responded ? outcome.streamedBytes : outcome.response.body.size(), start);
      metrics.inFlight.fetch_sub(1, std::memory_order_relaxed);
      if (!outcome.responded) respond(std::move(outcome.response));
    };
    // A guest (WAGI or wasi:http) runs on this loop's thread, on a fiber: no hand-off to another
    // thread, and a guest that sleeps or runs long suspends and lets the loop serve other
    // requests. An executor that cannot suspend its guest runs it on a worker.
    if (!executor->runsOnLoop() || options.guestsOnWorkers || !startFiber(job)) workers.post(std::move(job));
  };
  Handler adminHandler = [&](HttpRequest&& request, Respond respond) {
    HttpResponse r;
    std::string_view path = request.path();
    if (path == "/metrics") {
      r.headers.emplace_back("content-type", "text/plain; version=0.0.4; charset=utf-8");
      r.body = metrics.render();
    } else if (!reserved(path, r)) {
      r = HttpResponse::text(404, "Not Found");
    }
    respond(std::move(r));
  };

  ServerOptions so;
  so.listen = options.listen;
  so.adminListen = options.adminListen;
  so.threads = options.threads;
  so.maxBodyBytes = options.maxRequestBodyBytes;
  so.maxHeaderBytes = options.maxHeaderBytes;
  // A wasi:http guest starts once the request's head is read and reads the body as it arrives.
  so.streamBody = [&router, &executors](const HttpRequest& head) {
    std::optional<RouteMatch> m = router.match(head.path());
    return m && m->trigger && executors.at(m->trigger)->streamsRequestBody();
  };
  so.onRejected = [&record](const HttpRequest& partial, unsigned status) {
    record(LogFields::of(partial), "", status, 0, Clock::now());
  };
  std::unique_ptr<HttpServer> server = BANTAM_TRY(HttpServer::start(std::move(so), mainHandler, adminHandler));

  // As `spin up` prints it.
  std::string base = "http://" + server->host() + ":" + std::to_string(server->port());
  std::string banner;
  banner += "Logging component stdio to \"" + logDir.string() + "/\"\n\n";
  banner += "Serving " + base + "\n";
  banner += "Available Routes:\n";
  for (const RouteInfo& r : router.routes()) {
    std::string url = r.route;
    if (r.wildcard) url = url.substr(0, url.size() - (url.ends_with("/...") ? 4 : url.ends_with("/*") ? 2 : 0));
    if (url.empty()) url = "/";
    banner += "  " + r.trigger->component + ": " + base + url + (r.wildcard ? " (wildcard)" : "") + "\n";
    auto c = app.components.find(r.trigger->component);
    if (c != app.components.end() && !c->second.description.empty()) banner += "    " + c->second.description + "\n";
  }
  if (server->adminPort() != 0)
    banner += "Metrics: http://" + parseListenAddress(options.adminListen)->first + ":" +
              std::to_string(server->adminPort()) + "/metrics\n";
  std::fwrite(banner.data(), 1, banner.size(), stdout);
  std::fflush(stdout);
  if (options.onReady) options.onReady(server->port(), server->adminPort());

  signals.wait();
  // Drain: in-flight requests may run up to their timeout, which the epoch enforces.
  auto deadline = std::chrono::milliseconds(options.requestTimeoutMs) + std::chrono::seconds(2);
  bool clean = server->drain(deadline);
  workers.shutdown();  // guests still running finish (bounded by the timeout) before anything goes
  server.reset();
  accessLog.reset();
  if (!clean) logLine("bantam: some connections were still open at the drain deadline and were closed");
  return 0;
}

}  // namespace bantam::platform
