// `bantam serve FILE.wasm`: serves one wasi:http component over HTTP like `wasmtime serve`
// (a fresh instance per request, on the platform's HTTP server and worker threads); and
// `bantam run` of a component (a wasi:cli/command), which cmd_run.cpp hands over to here.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "api/engine_select.h"
#include "cli/commands.h"
#include "cli/load.h"
#include "platform/executor/wasi_http_stream.h"
#include "platform/http/server.h"
#include "platform/worker_pool.h"
#include "runtime/epoch_ticker.h"
#include "runtime/store.h"
#include "wasi/host_fs.h"
#include "wasi/streams.h"
#include "wasi2/runner.h"

extern char** environ;

namespace bantam::cli {

namespace {

constexpr int kTrapExit = 134;  // as `bantam run` (Wasmtime: 128 + SIGABRT)
// The epoch tick of `bantam serve`: a request's timeout is counted in these.
constexpr std::chrono::milliseconds kTick{10};

// Without --engine, a component up to engines::kComponentCompileByDefaultBytes runs on the
// default engine (compiled where built), a larger one in the interpreter: compiling a
// JavaScript engine (~12 MB of code) with LLVM takes minutes the first time; `--engine
// compiled` asks for it anyway.
std::unique_ptr<runtime::Engine> componentEngine(EngineFlags flags, const std::string& file) {
  if (flags.engine.empty() || flags.engine == "auto") {
    std::error_code ec;
    uintmax_t size = std::filesystem::file_size(file, ec);
    if (!ec && size > engines::kComponentCompileByDefaultBytes) flags.engine = "interp";
  }
  return makeEngine(flags);
}

Result<std::vector<std::string>> buildEnv(const std::vector<std::string>& specs, bool inherit) {
  std::vector<std::string> env;
  if (inherit)
    for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  for (const std::string& e : specs) {
    std::string entry = e;
    if (e.find('=') == std::string::npos) {
      const char* host = std::getenv(e.c_str());
      if (host == nullptr) continue;
      entry = e + "=" + host;
    }
    if (entry.front() == '=') return fail(ErrorKind::Usage, "--env `" + e + "`: the name is empty");
    std::string key = entry.substr(0, entry.find('='));
    std::erase_if(env, [&](const std::string& x) { return x.substr(0, x.find('=')) == key; });
    env.push_back(std::move(entry));
  }
  return env;
}

// --dir HOST[::GUEST][:ro], as `bantam run`.
Result<void> addDirs(wasi2::Wasi2Config& c, const std::vector<std::string>& specs) {
  for (std::string spec : specs) {
    bool readOnly = false;
    if (spec.ends_with(":ro")) {
      readOnly = true;
      spec.resize(spec.size() - 3);
    }
    std::string host = spec, guest = spec;
    if (size_t sep = spec.find("::"); sep != std::string::npos) {
      host = spec.substr(0, sep);
      guest = spec.substr(sep + 2);
    }
    if (host.empty() || guest.empty()) return fail(ErrorKind::Usage, "--dir `" + spec + "`: expected HOST[::GUEST][:ro]");
    auto dir = BANTAM_TRY(wasi::openHostDir(host, readOnly));
    c.preopens.push_back(wasi::PreopenDir{guest, std::move(dir), readOnly});
  }
  return {};
}

Result<wasi2::PreparedWasi2> load(runtime::Engine& engine, const std::string& file) {
  std::vector<uint8_t> bytes = BANTAM_TRY(readFile(file));
  if (!wasi2::isComponentBinary(bytes)) {
    Error e = Error::make(ErrorKind::Usage, "not a WebAssembly component");
    e.source = file;
    e.hint = "`bantam serve` serves wasi:http components; a core module runs with `bantam run` or under `bantam up` as WAGI";
    return std::unexpected(std::move(e));
  }
  return wasi2::prepareWasi2(engine, bytes, file);
}

}  // namespace

int cmdRunComponent(const RunOptions& options) {
  if (!options.invoke.empty()) {
    printError(Error::make(ErrorKind::Usage, "--invoke is for core modules: a component runs its wasi:cli/run export"));
    return 1;
  }
  std::unique_ptr<runtime::Engine> engine = componentEngine(options.engine, options.file);
  if (!engine) return 1;
  auto prepared = load(*engine, options.file);
  if (!prepared) {
    printError(prepared.error());
    return 1;
  }
  wasi2::Wasi2Config c;
  c.args.push_back(options.file);
  c.args.insert(c.args.end(), options.args.begin(), options.args.end());
  auto env = buildEnv(options.env, options.inheritEnv);
  if (!env) {
    printError(env.error());
    return 1;
  }
  c.env = std::move(*env);
  if (auto r = addDirs(c, options.dirs); !r) {
    printError(r.error());
    return 1;
  }
  c.stdinFile = std::make_unique<wasi::HostStream>(0, true, false);
  c.stdoutFile = std::make_unique<wasi::HostStream>(1, false, true);
  c.stderrFile = std::make_unique<wasi::HostStream>(2, false, true);
  runtime::Store store(*engine);
  if (options.fuel) store.setFuel(options.fuel);
  auto status = wasi2::runCommand(store, *prepared, std::move(c));
  std::fflush(stdout);
  if (!status) {
    std::fprintf(stderr, "bantam: trap: %s\n", status.error().toString().c_str());
    return kTrapExit;
  }
  return *status;
}

int cmdServe(const ServeCmdOptions& options) {
  ::signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<runtime::Engine> engine = componentEngine(options.engine, options.file);
  if (!engine) return 1;
  auto prepared = load(*engine, options.file);
  if (prepared) {
    if (auto r = wasi2::checkHttpExport(*prepared); !r) prepared = std::unexpected(r.error());
  }
  if (!prepared) {
    printError(prepared.error());
    return 1;
  }
  auto env = buildEnv(options.env, false);
  if (!env) {
    printError(env.error());
    return 1;
  }
  if (!options.dirs.empty()) {  // checked once here; each request opens its own
    wasi2::Wasi2Config probe;
    if (auto r = addDirs(probe, options.dirs); !r) {
      printError(r.error());
      return 1;
    }
  }
  uint64_t timeoutTicks = options.timeoutMs / kTick.count() + 1;

  // SIGINT/SIGTERM are waited for by this thread; blocked before any thread starts.
  sigset_t signals, old;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, &old);

  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  platform::WorkerPool workers(std::max(4u, 2 * cores));
  runtime::EpochTicker ticker(*engine, kTick);
  std::atomic<uint64_t> served{0};

  platform::Handler handler = [&](platform::HttpRequest&& request, platform::Respond respond) {
    if (!options.nativeHello.empty() && request.path() == options.nativeHello) {  // benchmarks only
      platform::HttpResponse r;
      r.headers.emplace_back("content-type", "text/plain");
      r.body = "Hello from JavaScript!\n";
      return respond(std::move(r));
    }
    workers.post([&, request = std::move(request), respond = std::move(respond)]() mutable {
      wasi2::IncomingHttpRequest in;
      in.method = std::move(request.method);
      in.scheme = request.scheme;
      if (const std::string* host = request.header("host")) in.authority = *host;
      in.pathWithQuery = std::move(request.target);
      in.headers = std::move(request.headers);
      in.body = std::move(request.body);
      if (!request.trailers.empty()) in.trailers = std::move(request.trailers);
      // The response streams (chunked, with trailers) once the guest waits or writes much;
      // a short one is sent whole (platform/executor/wasi_http_stream.h).
      auto clocks = std::make_shared<wasi::HostClocks>();
      auto sink = std::make_shared<platform::StreamingSink>(respond, clocks);
      in.sink = sink;
      wasi2::Wasi2Config c;
      c.env = *env;
      if (!options.dirs.empty()) (void)addDirs(c, options.dirs);
      c.stdoutFile = std::make_unique<wasi::HostStream>(1, false, true);
      c.stderrFile = std::make_unique<wasi::HostStream>(2, false, true);
      c.clocks = std::make_shared<platform::FlushingClocks>(clocks, sink.get());
      c.outbound.allowed = options.allowOutbound;
      runtime::Store store(*engine);
      store.setEpochDeadline(timeoutTicks);
      wasi2::HttpRun run = wasi2::handleHttp(store, *prepared, std::move(c), std::move(in));
      served.fetch_add(1, std::memory_order_relaxed);
      if (run.result) {
        if (sink->streaming()) return sink->finishAfterReturn(true);
        return respond(sink->buffered());
      }
      const wasi2::HandlerFailure& f = run.result.error();
      bool timedOut = f.trap && f.trap->kind == runtime::TrapKind::Interrupted;
      std::string why = f.trap ? f.trap->toString() : f.message;
      bool cut = sink->streaming();
      std::fprintf(stderr, "bantam: %s: %s%s\n", options.file.c_str(), cut ? "the response was cut short: " : "",
                   why.c_str());
      if (cut) return sink->finishAfterReturn(false);
      respond(platform::HttpResponse::text(timedOut ? 504 : 500, timedOut ? "Gateway Timeout\n" : "Internal Server Error\n"));
    });
  };
  platform::Handler admin = [](platform::HttpRequest&&, platform::Respond respond) {
    respond(platform::HttpResponse::text(404, "Not Found"));
  };
  platform::ServerOptions so;
  so.listen = options.listen;
  auto server = platform::HttpServer::start(so, handler, admin);
  if (!server) {
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    printError(server.error());
    return 1;
  }
  std::fprintf(stderr, "Serving HTTP on http://%s:%u/\n", (*server)->host().c_str(), (*server)->port());
  std::fflush(stderr);
  int sig = 0;
  while (sigwait(&signals, &sig) != 0) {
  }
  (*server)->drain(std::chrono::seconds(10));
  workers.shutdown();
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return 0;
}

}  // namespace bantam::cli
