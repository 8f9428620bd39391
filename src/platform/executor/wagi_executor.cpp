// The WAGI executor: a fresh pooled instance per request, WASI set up from the request, the
// entry point called under the request timeout, the output parsed as a CGI response.
#include "platform/executor/wagi_executor.h"

#include <chrono>

#include "platform/executor/cgi.h"
#include "platform/executor/fiber.h"
#include "wasi/streams.h"

namespace bantam::platform {

Result<std::unique_ptr<WagiExecutor>> WagiExecutor::create(PreparedComponent& component, const ExecutorConfig& config,
                                                           WagiOptions options) {
  std::unique_ptr<WagiExecutor> e(new WagiExecutor(component, config, std::move(options)));
  e->fiberClocks_ = std::make_shared<FiberClocks>(component.clocks());
  const wasm::Module& m = component.module().module;
  for (const wasm::Export& x : m.exports) {
    if (x.name != config.entrypoint || x.kind != wasm::ExternKind::Func) continue;
    const wasm::FuncType& type = m.types.at(m.funcSpace.at(x.index).value);
    if (!type.params.empty() || !type.results.empty())
      return fail(ErrorKind::Usage, "the WAGI entry point \"" + config.entrypoint + "\" of component \"" +
                                        component.id() + "\" has type " + type.toString() + ", expected [] -> []");
    e->entryIndex_ = x.index;
    return e;
  }
  Error err = Error::make(ErrorKind::Usage, "component \"" + component.id() + "\" exports no function \"" +
                                                config.entrypoint + "\" (its WAGI entry point)");
  err.hint = "build it as a WASI command (with a main function), or set executor.entrypoint";
  return std::unexpected(std::move(err));
}

Outcome WagiExecutor::handle(HttpRequest& request, const RouteMatch& match) {
  Outcome out;
  auto fail500 = [&](Outcome::Kind kind, std::string logLine, uint16_t status, std::string body) {
    if (options_.log) options_.log(std::move(logLine));
    out.kind = kind;
    out.response = HttpResponse::text(status, std::move(body));
    return std::move(out);
  };

  auto t0 = std::chrono::steady_clock::now();
  auto instance = component_.pool().acquire();
  if (!instance)
    return fail500(Outcome::Kind::Overloaded, "component \"" + component_.id() + "\": " + instance.error().message,
                   503, "Service Unavailable\n");
  out.instantiateNs =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();

  // The environment: the component's own (with --env), under the CGI variables.
  HeaderList cgi = wagi::buildCgiEnvironment(request, match);
  wasi::WasiConfig config;
  config.env.reserve(component_.environment().size() + cgi.size());
  const auto& keys = component_.environmentKeys();
  for (size_t i = 0; i < keys.size(); ++i) {
    bool overridden = false;
    for (const auto& [k, v] : cgi) overridden |= k == keys[i];
    if (!overridden) config.env.push_back(component_.environment()[i]);
  }
  for (auto& [k, v] : cgi) {
    std::string& kv = config.env.emplace_back(std::move(k));
    kv.reserve(kv.size() + 1 + v.size());
    kv += '=';
    kv += v;
  }
  config.args = wagi::expandArgv(config_.argv, request);
  if (auto root = component_.filesRoot()) config.preopens.push_back(wasi::PreopenDir{"/", std::move(root), true});
  auto stdoutBuffer = std::make_shared<wasi::MemoryOutput::Buffer>();
  config.stdinFile = std::make_unique<wasi::MemoryInput>(std::move(request.body));
  config.stdoutFile = std::make_unique<wasi::MemoryOutput>(stdoutBuffer, options_.maxOutputBytes);
  config.stderrFile = component_.stderrLog();
  bool fiber = onFiber();
  config.clocks = fiber ? fiberClocks_ : component_.clocks();
  config.random = component_.random();
  auto ctx = wasi::WasiCtx::create(std::move(config));
  if (!ctx)
    return fail500(Outcome::Kind::Error, "component \"" + component_.id() + "\": " + ctx.error().message, 500,
                   "Internal Server Error\n");

  GuestContext guest{ctx->get()};
  runtime::Store& store = instance->store();
  store.userData = &guest;
  RequestTimeSlice slice(store, fiber, options_.timeoutTicks, options_.tick);  // through the call
  runtime::TrapOr<void> run = instance->start();
  if (run) run = store.call(*instance->instance().funcs[entryIndex_], std::span<runtime::RawVal>());
  if (!run) {
    const runtime::Trap& trap = run.error();
    if (trap.kind == runtime::TrapKind::Interrupted)
      return fail500(Outcome::Kind::Timeout, "component \"" + component_.id() + "\" ran past the request timeout",
                     504, "Gateway Timeout\n");
    if (trap.kind != runtime::TrapKind::Exit || trap.exitCode != 0) {
      std::string what = trap.kind == runtime::TrapKind::Exit
                             ? "exited with status " + std::to_string(trap.exitCode)
                             : "trapped: " + trap.toString();
      return fail500(Outcome::Kind::Trap, "component \"" + component_.id() + "\" " + what, 500,
                     "Internal Server Error\n");
    }
  }
  instance->reset();  // back to the pool before the response is parsed and sent

  std::string output = stdoutBuffer->take();
  if (output.empty())
    return fail500(Outcome::Kind::Error,
                   "component \"" + component_.id() +
                       "\" is configured to use the WAGI executor but did not write to stdout. Check the "
                       "`executor` in spin.toml.",
                   500, "Internal Server Error\n");
  out.response = wagi::parseCgiResponse(output);
  return out;
}

}  // namespace bantam::platform
