// bench/platform: the per-request instance machinery of `bantam up`, without HTTP. For a
// prepared WAGI component (hello.wasm) it measures
//   - instantiation: InstancePool::acquire() of a fresh instance (median, p99), and the reset
//     that returns it (the recycle, paid after the response); and the cold path, a new slot
//     built when none is idle (instantiate + snapshot + copy-on-write mapping);
//   - a whole request without the network: acquire, WASI set-up, _start, CGI parse, reset
//     (WagiExecutor::handle);
//   - resident memory with N instances in flight at once, each having run the hello request
//     and not yet returned, per instance.
// Usage: bantam_platform_bench HELLO.wasm [--engine interp|compiled] [--iterations N] [--inflight N]
// Prints "key value" lines that bench/platform/run reads.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "api/engine_select.h"
#include "platform/executor/component.h"
#include "platform/executor/wagi_executor.h"
#include "platform/executor/wasi_imports.h"
#include "wasi/streams.h"

using namespace bantam;
using Clock = std::chrono::steady_clock;

namespace {

uint64_t nsSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t).count();
}

// Resident and virtual size of this process, in bytes (/proc/self/statm).
std::pair<uint64_t, uint64_t> residentAndVirtual() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  return {resident * page, size * page};
}

void report(const char* key, std::vector<uint64_t>& ns) {
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) { return ns[std::min(ns.size() - 1, static_cast<size_t>(q * ns.size()))]; };
  std::printf("%s_median_ns %llu\n%s_p99_ns %llu\n%s_p999_ns %llu\n", key,
              static_cast<unsigned long long>(at(0.5)), key, static_cast<unsigned long long>(at(0.99)), key,
              static_cast<unsigned long long>(at(0.999)));
}

[[noreturn]] void die(const Error& e) {
  std::fprintf(stderr, "bantam_platform_bench: %s\n", e.toString().c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s HELLO.wasm [--engine interp|compiled] [--iterations N] [--inflight N]\n",
                 argv[0]);
    return 2;
  }
  std::string wasm = argv[1], engineName;
  uint32_t iterations = 200000, inflight = 1000;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--engine") engineName = argv[i + 1];
    else if (a == "--iterations") iterations = static_cast<uint32_t>(std::stoul(argv[i + 1]));
    else if (a == "--inflight") inflight = static_cast<uint32_t>(std::stoul(argv[i + 1]));
  }

  engines::EngineSettings settings;
  auto kind = engines::parseEngineKind(engineName);
  if (!kind) die(kind.error());
  settings.kind = *kind;
  auto exec = engines::createExecutionEngine(settings);
  if (!exec) die(exec.error());
  runtime::Engine engine(std::move(*exec));
  std::printf("engine %s\n", std::string(engine.exec().name()).c_str());
  platform::WasiHost host(engine);

  char logDir[] = "/tmp/bantam-platform-bench-XXXXXX";
  if (::mkdtemp(logDir) == nullptr) return 1;
  platform::Component component;
  component.id = "hello";
  component.source = wasm;
  platform::ComponentOptions co;
  co.logDir = logDir;
  co.pool.maxInstances = inflight + 1;
  co.pool.prewarm = 1;
  auto t0 = Clock::now();
  auto prepared = platform::PreparedComponent::prepare(engine, host, component, co);
  if (!prepared) die(prepared.error());
  std::printf("prepare_ms %.3f\n", nsSince(t0) / 1e6);
  platform::PreparedComponent& c = **prepared;

  // Instantiation: one slot, acquired and returned over and over (the steady state of a
  // server whose requests do not overlap: the most recently returned slot is reused).
  for (uint32_t i = 0; i < 10000; ++i) (void)*c.pool().acquire();
  std::vector<uint64_t> acquire, recycle;
  acquire.reserve(iterations);
  recycle.reserve(iterations);
  for (uint32_t i = 0; i < iterations; ++i) {
    auto a = Clock::now();
    auto instance = c.pool().acquire();
    uint64_t got = nsSince(a);
    if (!instance) die(instance.error());
    auto r = Clock::now();
    instance->reset();
    recycle.push_back(nsSince(r));
    acquire.push_back(got);
  }
  report("instantiate", acquire);
  report("recycle", recycle);

  // A whole hello request without HTTP.
  platform::ExecutorConfig wagi;
  wagi.kind = platform::ExecutorConfig::Kind::Wagi;
  auto executor = platform::WagiExecutor::create(c, wagi, {});
  if (!executor) die(executor.error());
  platform::RouteMatch match;
  match.matchedRoute = match.componentRoute = match.rawRoute = match.rawComponentRoute = "/hello";
  std::vector<uint64_t> request;
  uint32_t requests = std::max<uint32_t>(1000, iterations / 20);
  request.reserve(requests);
  for (uint32_t i = 0; i < requests + 1000; ++i) {
    platform::HttpRequest req;
    req.method = "GET";
    req.target = "/hello";
    req.remoteAddr = "127.0.0.1";
    auto a = Clock::now();
    platform::Outcome out = (*executor)->handle(req, match);
    uint64_t ns = nsSince(a);
    if (out.kind != platform::Outcome::Kind::Ok || out.response.body != "Hello, Fermyon!\n") {
      std::fprintf(stderr, "bantam_platform_bench: the hello request failed (status %u)\n", out.response.status);
      return 1;
    }
    if (i >= 1000) request.push_back(ns);
  }
  report("request", request);

  // Memory: `inflight` instances at once, each having run the hello request (its stdout in a
  // buffer of its own), none returned yet.
  auto [rss0, vsz0] = residentAndVirtual();
  std::vector<runtime::PooledInstance> held;
  std::vector<std::unique_ptr<wasi::WasiCtx>> contexts;
  std::vector<platform::GuestContext> guests(inflight);
  held.reserve(inflight);
  uint32_t entry = 0;
  for (const wasm::Export& x : c.module().module.exports)
    if (x.name == "_start") entry = x.index;
  std::vector<uint64_t> build;  // every acquire here builds a new slot: the pool's cold path
  build.reserve(inflight);
  for (uint32_t i = 0; i < inflight; ++i) {
    auto a = Clock::now();
    auto instance = c.pool().acquire();
    build.push_back(nsSince(a));
    if (!instance) die(instance.error());
    wasi::WasiConfig config;
    config.args = {"/hello"};
    config.env = {"REQUEST_METHOD=GET", "PATH_INFO="};
    config.stdoutFile = std::make_unique<wasi::MemoryOutput>(std::make_shared<wasi::MemoryOutput::Buffer>(), 1 << 20);
    auto ctx = wasi::WasiCtx::create(std::move(config));
    if (!ctx) die(ctx.error());
    guests[i].wasi = ctx->get();
    instance->store().userData = &guests[i];
    runtime::TrapOr<void> run = instance->start();
    if (run) run = instance->store().call(*instance->instance().funcs[entry], std::span<runtime::RawVal>());
    if (!run && !(run.error().kind == runtime::TrapKind::Exit && run.error().exitCode == 0)) {
      std::fprintf(stderr, "bantam_platform_bench: hello trapped: %s\n", run.error().toString().c_str());
      return 1;
    }
    contexts.push_back(std::move(*ctx));
    held.push_back(std::move(*instance));
  }
  auto [rss1, vsz1] = residentAndVirtual();
  report("slot_build", build);
  std::printf("inflight %u\n", inflight);
  std::printf("inflight_rss_total_bytes %llu\n", static_cast<unsigned long long>(rss1 - rss0));
  std::printf("inflight_rss_per_instance_bytes %llu\n", static_cast<unsigned long long>((rss1 - rss0) / inflight));
  std::printf("inflight_virtual_per_instance_bytes %llu\n", static_cast<unsigned long long>((vsz1 - vsz0) / inflight));
  std::printf("process_rss_bytes %llu\n", static_cast<unsigned long long>(rss1));
  held.clear();
  std::error_code ec;
  std::filesystem::remove_all(logDir, ec);
  return 0;
}
