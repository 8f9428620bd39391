// Compiling, linking and running WASI 0.2 components (see runner.h).
#include "wasi2/runner.h"

#include <chrono>

#include "component/wit/builtin.h"
#include "runtime/store.h"

namespace bantam::wasi2 {

bool isComponentBinary(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kPreamble[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  return bytes.size() >= 8 && std::equal(std::begin(kPreamble), std::end(kPreamble), bytes.begin());
}

Result<PreparedWasi2> prepareWasi2(runtime::Engine& engine, std::span<const uint8_t> bytes, std::string name) {
  PreparedWasi2 out;
  out.name = name;
  out.compiled = BANTAM_TRY(component::compileComponent(engine, bytes, name));
  component::ComponentLinker linker;
  BANTAM_TRY(linker.addInterfaces(wit::builtinInterfaces()));
  out.host = BANTAM_TRY(defineWasi2(linker));
  auto pre = linker.prepare(out.compiled);
  if (!pre) return std::unexpected(std::move(pre.error()).withSource(name));
  out.pre = std::move(*pre);  // keeps the linker's definitions alive
  return out;
}

namespace {

bool exportsInterface(const PreparedWasi2& p, std::string_view unversioned) {
  for (const component::PlanExport& e : p.compiled->plan.exports)
    if (e.name.unversioned() == unversioned) return true;
  return false;
}

}  // namespace

Result<void> checkHttpExport(const PreparedWasi2& p) {
  if (exportsInterface(p, "wasi:http/incoming-handler")) return {};
  Error e = Error::make(ErrorKind::Usage, "the component does not export wasi:http/incoming-handler");
  e.source = p.name;
  e.hint = "build it for the wasi:http/proxy world (a `wasi:cli/command` runs with `bantam run`)";
  return std::unexpected(std::move(e));
}

std::expected<int, runtime::Trap> runCommand(runtime::Store& store, const PreparedWasi2& prepared, Wasi2Config config) {
  auto ctx = Wasi2Ctx::create(prepared.host, std::move(config));
  if (!ctx) return std::unexpected(runtime::Trap(runtime::TrapKind::HostError, ctx.error().message));
  Wasi2Ctx::Scope scope(**ctx);
  auto inst = prepared.pre->instantiate(store);
  if (!inst) return std::unexpected(runtime::Trap(runtime::TrapKind::HostError, inst.error().message));
  (*inst)->hostData = ctx->get();
  auto run = (*inst)->func("wasi:cli/run", "run");
  if (!run) return std::unexpected(runtime::Trap(runtime::TrapKind::HostError, "the component does not export wasi:cli/run (it is not a wasi:cli/command)"));
  auto r = (*inst)->call(*run, {});
  if (!r) {
    if (r.error().kind == runtime::TrapKind::Exit) return r.error().exitCode;
    return std::unexpected(std::move(r.error()));
  }
  return r->hasValue() && !r->isOk() ? 1 : 0;
}

namespace {
// The instance's wasi:http/incoming-handler#handle, called with `request` under `ctx`.
std::expected<OutgoingHttpResponse, HandlerFailure> callHandle(component::ComponentInstance& instance, Wasi2Ctx& ctx,
                                                               IncomingHttpRequest request) {
  auto handle = instance.func("wasi:http/incoming-handler", "handle");
  if (!handle) return std::unexpected(HandlerFailure{std::nullopt, "the component does not export wasi:http/incoming-handler"});
  return callIncomingHandler(instance, ctx, *handle, std::move(request));
}
}  // namespace

HttpRun handleHttp(runtime::Store& store, const PreparedWasi2& prepared, Wasi2Config config, IncomingHttpRequest request) {
  HttpRun out;
  auto ctx = Wasi2Ctx::create(prepared.host, std::move(config));
  if (!ctx) {
    out.result = std::unexpected(HandlerFailure{std::nullopt, ctx.error().message});
    return out;
  }
  Wasi2Ctx::Scope scope(**ctx);
  auto t0 = std::chrono::steady_clock::now();
  auto inst = prepared.pre->instantiate(store);
  out.instantiateNs = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
  if (!inst) {
    out.result = std::unexpected(HandlerFailure{std::nullopt, "instantiation failed: " + inst.error().message});
    return out;
  }
  out.result = callHandle(**inst, **ctx, std::move(request));
  // The instance's handles die before the context that backs them.
  inst->reset();
  return out;
}

HttpRun handleHttp(component::ComponentInstance& instance, const PreparedWasi2& prepared, Wasi2Config config,
                   IncomingHttpRequest request) {
  HttpRun out;
  auto ctx = Wasi2Ctx::create(prepared.host, std::move(config));
  if (!ctx) {
    out.result = std::unexpected(HandlerFailure{std::nullopt, ctx.error().message});
    return out;
  }
  Wasi2Ctx::Scope scope(**ctx);
  out.result = callHandle(instance, **ctx, std::move(request));
  instance.hostData = nullptr;  // the context dies here; the pool empties the handle tables
  return out;
}

}  // namespace bantam::wasi2
