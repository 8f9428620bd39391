// The wasi:http executor: see wasi_http_executor.h.
#include "platform/executor/wasi_http_executor.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "interp/interpreter.h"
#include "runtime/store.h"

namespace bantam::platform {

namespace {

// A WASI stdout/stderr appending to a component's LogSink.
class SinkFile final : public wasi::File {
 public:
  explicit SinkFile(std::shared_ptr<LogSink> sink) : sink_(std::move(sink)) {}
  wasi::Filetype filetype() const override { return wasi::Filetype::Unknown; }
  wasi::WasiResult<uint64_t> write(std::span<const wasi::IoBuffer> bufs) override {
    uint64_t total = 0;
    for (const wasi::IoBuffer& b : bufs) {
      sink_->write(b.data(), b.size());
      total += b.size();
    }
    return total;
  }

 private:
  std::shared_ptr<LogSink> sink_;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Error named(Error e, const Component& c) {
  return std::move(e).withSource(c.source.string()).withContext("component \"" + c.id + "\"");
}

}  // namespace

Result<std::unique_ptr<WasiHttpExecutor>> WasiHttpExecutor::create(runtime::Engine& engine, const Component& component,
                                                                   WasiHttpOptions options) {
  std::unique_ptr<WasiHttpExecutor> x(new WasiHttpExecutor());
  x->engine_ = &engine;
  if (options.ownInterpreter) {
    x->ownEngine_ = std::make_unique<runtime::Engine>(interp::createInterpreter());
    x->engine_ = x->ownEngine_.get();
  }
  x->id_ = component.id;
  std::ifstream in(component.source, std::ios::binary);
  if (!in) return std::unexpected(named(Error::make(ErrorKind::Io, "cannot read the component's wasm file"), component));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  if (!wasi2::isComponentBinary(bytes)) {
    Error e = Error::make(ErrorKind::Usage, "the Spin (wasi:http) executor needs a component, and this is a core module");
    e.hint = "build it for the wasi:http/proxy world, or set `executor = { type = \"wagi\" }` on its trigger";
    return std::unexpected(named(std::move(e), component));
  }
  auto prepared = wasi2::prepareWasi2(*x->engine_, bytes, component.source.string());
  if (!prepared) return std::unexpected(named(std::move(prepared.error()), component));
  if (auto r = wasi2::checkHttpExport(*prepared); !r) return std::unexpected(named(std::move(r.error()), component));
  x->prepared_ = std::move(*prepared);

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
  x->options_ = std::move(options);
  if (x->ownEngine_) {
    WasiHttpExecutor* self = x.get();
    x->ticker_ = std::thread([self] {
      std::unique_lock lock(self->tickerMutex_);
      while (!self->tickerCv_.wait_for(lock, self->options_.tick, [self] { return self->stopTicker_; }))
        self->ownEngine_->incrementEpoch();
    });
  }
  return x;
}

Result<std::unique_ptr<Executor>> createWasiHttpExecutor(runtime::Engine& engine, const Component& component,
                                                         const ComponentOptions& co, uint64_t timeoutTicks,
                                                         bool ownInterpreter, std::chrono::milliseconds tick,
                                                         std::function<void(const std::string&)> log) {
  WasiHttpOptions ho;
  ho.timeoutTicks = timeoutTicks;
  ho.limits = co.limits;
  ho.logDir = co.logDir;
  ho.console = co.console;
  ho.env = co.env;
  ho.log = std::move(log);
  ho.ownInterpreter = ownInterpreter;
  ho.tick = tick;
  return WasiHttpExecutor::create(engine, component, std::move(ho));
}

WasiHttpExecutor::~WasiHttpExecutor() {
  if (ticker_.joinable()) {
    {
      std::lock_guard lock(tickerMutex_);
      stopTicker_ = true;
    }
    tickerCv_.notify_one();
    ticker_.join();
  }
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
  add("spin-client-addr", request.remoteAddr + ":" + std::to_string(request.remotePort));
  for (const auto& [name, value] : match.params) add("spin-path-match-" + lower(name), value);
  in.body = std::move(request.body);

  wasi2::Wasi2Config c;
  c.env = env_;
  if (files_) c.preopens.push_back(wasi::PreopenDir{"/", files_->root(true), true});
  c.stdoutFile = std::make_unique<SinkFile>(stdout_);
  c.stderrFile = std::make_unique<SinkFile>(stderr_);
  c.outbound.allowed = allowedOutbound_;

  runtime::Store store(*engine_, options_.limits);
  store.setEpochDeadline(options_.timeoutTicks);
  wasi2::HttpRun run = wasi2::handleHttp(store, prepared_, std::move(c), std::move(in));
  out.instantiateNs = run.instantiateNs;
  if (run.result) {
    out.response.status = run.result->status;
    out.response.headers = std::move(run.result->headers);
    out.response.body = std::move(run.result->body);
    return out;
  }
  const wasi2::HandlerFailure& f = run.result.error();
  bool timedOut = f.trap && f.trap->kind == runtime::TrapKind::Interrupted;
  std::string why = f.trap ? f.trap->toString() : f.message;
  if (options_.log) options_.log("component \"" + id_ + "\": " + why);
  if (timedOut) {
    out.kind = Outcome::Kind::Timeout;
    out.response = HttpResponse::text(504, "Gateway Timeout");
  } else {
    out.kind = f.trap ? Outcome::Kind::Trap : Outcome::Kind::Error;
    out.response = HttpResponse::text(500, "Internal Server Error");
  }
  return out;
}

}  // namespace bantam::platform
