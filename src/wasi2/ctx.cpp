// The WASI 0.2 context of one component instance, the definition helpers and defineWasi2.
#include <atomic>
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "wasi/streams.h"
#include "wasi2/host.h"

namespace bantam::wasi2 {

namespace {
thread_local Wasi2Ctx* tlsCurrent = nullptr;

// Which context owns each range of reps (a rep's high bits), so that a resource destructor,
// which is given only the rep, finds its table from any thread or fiber. Slot 0 is never
// given out: rep 0 tables (ResourceTable's default base) belong to no context.
struct Registry {
  std::mutex mutex;
  std::atomic<Wasi2Ctx*> slots[Wasi2Ctx::kMaxContexts] = {};
  std::vector<uint32_t> free;
  uint32_t next = 1;

  std::optional<uint32_t> acquire() {
    std::lock_guard lock(mutex);
    if (!free.empty()) {
      uint32_t s = free.back();
      free.pop_back();
      return s;
    }
    if (next >= Wasi2Ctx::kMaxContexts) return std::nullopt;
    return next++;
  }
  void release(uint32_t s) {
    slots[s].store(nullptr, std::memory_order_release);
    std::lock_guard lock(mutex);
    free.push_back(s);
  }
};
Registry& registry() {
  static Registry* r = new Registry();  // never destroyed: contexts may outlive static destruction
  return *r;
}
}  // namespace

Wasi2Ctx* Wasi2Ctx::ofRep(uint32_t rep) {
  uint32_t s = rep >> ResourceTable::kIndexBits;
  return registry().slots[s].load(std::memory_order_acquire);
}

std::string versioned(std::string_view iface) { return std::string(iface) + "@" + kWasiVersion; }

Result<std::unique_ptr<Wasi2Ctx>> Wasi2Ctx::create(std::shared_ptr<const Wasi2Host> host, Wasi2Config config) {
  for (const std::string& a : config.args)
    if (a.find('\0') != std::string::npos) return fail(ErrorKind::Usage, "an argument contains a NUL byte");
  for (const std::string& e : config.env) {
    size_t eq = e.find('=');
    if (eq == std::string::npos || eq == 0 || e.find('\0') != std::string::npos)
      return fail(ErrorKind::Usage, "environment entry `" + e + "` is not KEY=VALUE");
  }
  std::optional<uint32_t> slot = registry().acquire();
  if (!slot)
    return fail(ErrorKind::Limit, "too many WASI 0.2 instances at once (" + std::to_string(kMaxContexts - 1) + ")");
  std::unique_ptr<Wasi2Ctx> ctx(new Wasi2Ctx(*slot));
  registry().slots[*slot].store(ctx.get(), std::memory_order_release);
  ctx->host_ = std::move(host);
  if (!config.clocks) config.clocks = std::make_shared<wasi::HostClocks>();
  if (!config.random) config.random = std::make_shared<wasi::HostRandom>();
  ctx->stdinFile = config.stdinFile ? std::shared_ptr<wasi::File>(std::move(config.stdinFile))
                                    : std::make_shared<wasi::MemoryInput>(std::string());
  ctx->stdoutFile = config.stdoutFile ? std::shared_ptr<wasi::File>(std::move(config.stdoutFile)) : nullptr;
  ctx->stderrFile = config.stderrFile ? std::shared_ptr<wasi::File>(std::move(config.stderrFile)) : nullptr;
  ctx->config_ = std::move(config);
  return ctx;
}

Wasi2Ctx::~Wasi2Ctx() {
  if (tlsCurrent == this) tlsCurrent = nullptr;
  registry().release(slot_);
}

Wasi2Ctx::Scope::Scope(Wasi2Ctx& ctx) : previous_(tlsCurrent) { tlsCurrent = &ctx; }
Wasi2Ctx::Scope::~Scope() { tlsCurrent = previous_; }
Wasi2Ctx* Wasi2Ctx::current() { return tlsCurrent; }

Wasi2Ctx& ctxOf(component::HostCall& call) {
  auto* ctx = static_cast<Wasi2Ctx*>(call.caller().hostData);
  if (!ctx) ctx = tlsCurrent;
  return *ctx;
}

Result<void> def(component::ComponentLinker& linker, std::string_view iface, std::string_view func, HostFn fn) {
  return linker.defineFunc(versioned(iface), func,
                           [fn = std::move(fn)](component::HostCall& call, std::span<const Value> args) -> TrapOr<Value> {
                             auto* ctx = static_cast<Wasi2Ctx*>(call.caller().hostData);
                             if (!ctx) ctx = tlsCurrent;
                             if (!ctx) return trapWith("WASI 0.2 called without a WASI context (hostData)");
                             return fn(*ctx, args);
                           });
}

Result<const component::ResourceType*> defResource(component::ComponentLinker& linker, std::string_view iface,
                                                   std::string_view name) {
  // The destructor is given only the rep, whose high bits name the context (Registry).
  return linker.defineResource(versioned(iface), name, [](uint32_t rep) {
    if (Wasi2Ctx* ctx = Wasi2Ctx::ofRep(rep)) ctx->table().remove(rep);
  });
}

TrapOr<Value> newOwn(Wasi2Ctx& ctx, const component::ResourceType* rt, std::shared_ptr<HostObject> obj) {
  uint32_t rep = ctx.table().add(std::move(obj));
  if (rep == UINT32_MAX) return trapWith("too many WASI resources are open in this instance");
  return Value::own(rt, rep);
}

Result<std::shared_ptr<const Wasi2Host>> defineWasi2(component::ComponentLinker& linker) {
  auto host = std::make_shared<Wasi2Host>();
  BANTAM_TRY(defineIo(linker, *host));
  BANTAM_TRY(defineCliClocksRandom(linker, *host));
  BANTAM_TRY(defineFilesystem(linker, *host));
  BANTAM_TRY(defineHttp(linker, *host));
  return std::shared_ptr<const Wasi2Host>(std::move(host));
}

}  // namespace bantam::wasi2
