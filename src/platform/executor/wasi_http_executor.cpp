// The wasi:http executor: see wasi_http_executor.h.
#include "platform/executor/wasi_http_executor.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "platform/executor/fiber.h"
#include "platform/executor/wasi_http_stream.h"
#include "runtime/store.h"

namespace bantam::platform {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Error named(Error e, const Component& c) {
  return std::move(e).withSource(c.source.string()).withContext("component \"" + c.id + "\"");
}

// Chained requests nest on the caller's fiber stack: a deeper chain is a loop.
constexpr unsigned kMaxChainDepth = 8;


}  // namespace

Result<std::unique_ptr<WasiHttpExecutor>> WasiHttpExecutor::create(runtime::Engine& engine, const Component& component,
                                                                   WasiHttpOptions options) {
  std::unique_ptr<WasiHttpExecutor> x(new WasiHttpExecutor());
  x->engine_ = &engine;
  x->id_ = component.id;
  std::ifstream in(component.source, std::ios::binary);
  if (!in) return std::unexpected(named(Error::make(ErrorKind::Io, "cannot read the component's wasm file"), component));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  if (!wasi2::isComponentBinary(bytes)) {
    Error e = Error::make(ErrorKind::Usage, "the Spin (wasi:http) executor needs a component, and this is a core module");
    e.hint = "build it for the wasi:http/proxy world, or set `executor = { type = \"wagi\" }` on its trigger";
    return std::unexpected(named(std::move(e), component));
  }
  Result<wasi2::PreparedWasi2> prepared = fail(ErrorKind::Usage, "not prepared");
  if (component.dependencies.empty()) {
    prepared = wasi2::prepareWasi2(*x->engine_, bytes, component.source.string());
  } else if (auto composed = ComposedComponent::prepare(*x->engine_, component, bytes)) {  // dependencies.h
    x->composed_ = std::move(*composed);
    prepared = x->composed_->app();
  } else {
    prepared = std::unexpected(std::move(composed.error()));
  }
  if (!prepared) return std::unexpected(named(std::move(prepared.error()), component));
  if (auto r = wasi2::checkHttpExport(*prepared); !r) return std::unexpected(named(std::move(r.error()), component));
  x->prepared_ = std::move(*prepared);
  if (!x->composed_ && component::componentPoolEnabled()) {
    // Failing here (instantiation traps, or is not deterministic) leaves the per-request path,
    // which reports the error on each request as before.
    auto pool = component::ComponentPool::create(*x->engine_, x->prepared_.pre, options.limits);
    if (pool) x->pool_ = std::move(*pool);
    else if (options.log) options.log("component \"" + component.id + "\": not pooled: " + pool.error().toString());
  }

  if (!component.files.empty()) {
    x->files_ = wasi::MemFilesystem::create();
    BANTAM_TRY(loadFiles(*x->files_, component.files, component.id));
  }
  std::map<std::string, std::string> env = component.environment;
  for (const auto& [k, v] : options.env) env[k] = v;
  for (const auto& [k, v] : env) x->env_.push_back(k + "=" + v);
  x->allowedOutbound_ = component.allowedOutboundHosts;

  std::error_code ec;
  std::filesystem::create_directories(options.logDir, ec);
  if (ec) return fail(ErrorKind::Io, "cannot create the log directory " + options.logDir.string() + ": " + ec.message());
  auto open = [&](const char* stream) -> Result<int> {
    std::filesystem::path p = options.logDir / (component.id + "_" + stream + ".txt");
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return fail(ErrorKind::Io, "cannot open " + p.string() + ": " + std::strerror(errno));
    return fd;
  };
  x->stdout_ = std::make_shared<LogSink>(BANTAM_TRY(open("stdout")), options.console ? 1 : -1);
  x->stderr_ = std::make_shared<LogSink>(BANTAM_TRY(open("stderr")), options.console ? 2 : -1);
  x->fiberClocks_ = std::make_shared<FiberClocks>(std::make_shared<wasi::HostClocks>());
  x->options_ = std::move(options);
  if (x->composed_) x->dependencyCaps_ = {x->env_, x->files_, x->allowedOutbound_, x->stdout_, x->stderr_};
  return x;
}

Result<std::unique_ptr<Executor>> createWasiHttpExecutor(runtime::Engine& engine, const Component& component,
                                                         const ComponentOptions& co, uint64_t timeoutTicks,
                                                         std::chrono::milliseconds tick,
                                                         std::function<void(const std::string&)> log,
                                                         ChainLookup chain) {
  WasiHttpOptions ho;
  ho.timeoutTicks = timeoutTicks;
  ho.tick = tick;
  ho.limits = co.limits;
  ho.logDir = co.logDir;
  ho.console = co.console;
  ho.env = co.env;
  ho.log = std::move(log);
  ho.chain = std::move(chain);
  return WasiHttpExecutor::create(engine, component, std::move(ho));
}

WasiHttpExecutor::~WasiHttpExecutor() = default;

wasi2::HttpRun WasiHttpExecutor::runGuest(runtime::Store& store, component::ComponentInstance* pooled,
                                          wasi2::Wasi2Config config, wasi2::IncomingHttpRequest request) {
  if (pooled) return wasi2::handleHttp(*pooled, prepared_, std::move(config), std::move(request));
  if (composed_) {  // the component's dependencies, instantiated in this request's store (dependencies.h)
    auto linked = composed_->link(store, dependencyCaps_, config);
    if (!linked) {
      wasi2::HttpRun failed;
      failed.result = std::unexpected(wasi2::HandlerFailure{std::nullopt, linked.error().toString()});
      return failed;
    }
    return wasi2::handleHttp(store, (*linked)->app, std::move(config), std::move(request));
  }
  return wasi2::handleHttp(store, prepared_, std::move(config), std::move(request));
}

// Spin's service chaining: the request goes to component `id` in-process (a fresh instance on
// this fiber), whatever its route, and its whole response comes back as the incoming-response.
wasi2::OutboundResult WasiHttpExecutor::chained(const std::string& id, wasi2::ChainRequest request, unsigned depth) {
  wasi2::OutboundResult out;
  ChainTarget target = options_.chain ? options_.chain(id) : ChainTarget{};
  if (!target.executor) {
    out.error = wasi2::httpErrorCode(wasi2::kErrDestinationNotFound);
    return out;
  }
  if (depth >= kMaxChainDepth) {
    out.error = wasi2::httpErrorCode(36);  // loop-detected
    return out;
  }
  HttpRequest r;
  r.method = std::move(request.method);
  r.target = request.pathWithQuery.empty() ? "/" : std::move(request.pathWithQuery);
  // Spin's SIP 017: the chained request's Host is `<id>.spin.internal`, whatever the caller set.
  r.headers = std::move(request.headers);
  std::erase_if(r.headers, [](const auto& h) { return lower(h.first) == "host"; });
  r.headers.emplace_back("host", id + ".spin.internal");
  r.body = std::move(request.body);
  r.remoteAddr = "127.0.0.1";
  RouteMatch match;
  match.trigger = target.trigger;
  if (target.trigger) {
    match.rawRoute = target.trigger->route;
    match.matchedRoute = target.trigger->route;
  }
  match.pathInfo = std::string(r.path());
  r.chainDepth = depth + 1;
  Outcome o = target.executor->handle(r, match);
  auto resp = std::make_shared<wasi2::IncomingResponseObj>();
  resp->status = o.response.status;
  resp->headers = std::move(o.response.headers);
  resp->body = std::make_shared<const std::string>(std::move(o.response.body));
  out.response = std::move(resp);
  return out;
}

Outcome WasiHttpExecutor::handle(HttpRequest& request, const RouteMatch& match) {
  Outcome out;
  wasi2::IncomingHttpRequest in;
  in.method = request.method;
  in.scheme = request.scheme;
  const std::string* host = request.header("host");
  in.authority = host ? *host : std::string("localhost");
  in.pathWithQuery = request.target;
  in.headers = std::move(request.headers);
  // A routed request may not pose as a chained one (Spin strips such Host headers).
  if (request.chainDepth == 0 && lower(in.authority).find(".spin.internal") != std::string::npos) {
    std::erase_if(in.headers, [](const auto& h) { return lower(h.first) == "host"; });
    in.authority = "localhost";
  }
  // Spin's extra request headers (spin-trigger-http), added after the client's.
  auto add = [&in](std::string name, std::string value) {
    std::erase_if(in.headers, [&](const auto& h) { return lower(h.first) == name; });
    in.headers.emplace_back(std::move(name), std::move(value));
  };
  add("spin-full-url", request.scheme + "://" + in.authority + request.target);
  add("spin-path-info", match.pathInfo);
  add("spin-matched-route", match.matchedRoute);
  add("spin-raw-component-route", match.rawRoute);
  add("spin-component-route", match.rawComponentRoute);
  add("spin-base-path", match.basePath);
  if (request.chainDepth == 0) add("spin-client-addr", request.remoteAddr + ":" + std::to_string(request.remotePort));
  for (const auto& [name, value] : match.params) add("spin-path-match-" + lower(name), value);
  in.body = std::move(request.body);
  if (!request.trailers.empty()) in.trailers = std::move(request.trailers);

  bool fiber = onFiber();
  std::shared_ptr<wasi::Clocks> clocks = fiber ? fiberClocks_ : nullptr;
  std::shared_ptr<StreamingSink> sink;
  if (request.respondEarly) {
    sink = std::make_shared<StreamingSink>(request.respondEarly, fiber ? fiberClocks_ : std::make_shared<wasi::HostClocks>());
    in.sink = sink;
    clocks = std::make_shared<FlushingClocks>(clocks ? clocks : std::make_shared<wasi::HostClocks>(), sink.get());
  }
  if (request.bodyStream)  // the body arrives while the guest runs
    in.bodySource = std::make_shared<RequestBodySource>(std::move(request.bodyStream),
                                                        clocks ? clocks : std::make_shared<wasi::HostClocks>());

  wasi2::Wasi2Config c;
  c.env = env_;
  if (files_) c.preopens.push_back(wasi::PreopenDir{"/", files_->root(true), true});
  c.stdoutFile = logSinkFile(stdout_);
  c.stderrFile = logSinkFile(stderr_);
  c.clocks = std::move(clocks);
  c.outbound.allowed = allowedOutbound_;
  c.chain = [this, depth = request.chainDepth](const std::string& id, wasi2::ChainRequest r) {
    return chained(id, std::move(r), depth);
  };

  // The instance: from the pool, with its own store (reset when `lease` goes), or a fresh one.
  auto acquired = std::chrono::steady_clock::now();
  component::PooledComponent lease;
  if (pool_) {
    if (auto l = pool_->acquire()) lease = std::move(*l);  // else (maxInstances in flight): a fresh one
  }
  uint64_t acquireNs = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - acquired).count();
  std::optional<runtime::Store> fresh;
  runtime::Store& store = lease ? lease.store() : fresh.emplace(*engine_, options_.limits);
  // Through the call; a streamed response sends what was written before the guest yields.
  std::function<void()> flush;
  if (sink) flush = [s = sink.get()] { s->flush(); };
  RequestTimeSlice slice(store, fiber, options_.timeoutTicks, options_.tick, std::move(flush));
  wasi2::HttpRun run = runGuest(store, lease ? &lease.instance() : nullptr, std::move(c), std::move(in));
  out.instantiateNs = lease ? acquireNs : run.instantiateNs;
  if (run.result) {
    if (sink && sink->streaming()) {
      sink->finishAfterReturn(true);
      out.response.status = run.result->status;
      out.streamedBytes = sink->bytesSent();
      out.responded = true;
      return out;
    }
    if (sink) {
      out.response = sink->buffered();
      return out;
    }
    out.response.status = run.result->status;
    out.response.headers = std::move(run.result->headers);
    out.response.body = std::move(run.result->body);
    return out;
  }
  const wasi2::HandlerFailure& f = run.result.error();
  bool timedOut = f.trap && f.trap->kind == runtime::TrapKind::Interrupted;
  std::string why = f.trap ? f.trap->toString() : f.message;
  bool cut = sink && sink->streaming();
  if (options_.log) options_.log("component \"" + id_ + "\": " + (cut ? "the response was cut short: " : "") + why);
  out.kind = timedOut ? Outcome::Kind::Timeout : f.trap ? Outcome::Kind::Trap : Outcome::Kind::Error;
  if (cut) {
    sink->finishAfterReturn(false);
    out.response.status = 500;
    out.responded = true;
    return out;
  }
  out.response = timedOut ? HttpResponse::text(504, "Gateway Timeout") : HttpResponse::text(500, "Internal Server Error");
  return out;
}

}  // namespace bantam::platform
