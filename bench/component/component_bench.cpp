// bench/component: the component model's per-call and per-instance costs, with the C test
// components of tests/guests/component (built by the build):
//   - cross-component call, string in, string out, 1 KiB: the host calls app.relay(s), the app
//     calls lib.echo(s) in another component instance (own memory: the string is copied into
//     the library and its result back into the app) and returns that; minus host → app.echo
//     (the same call without the second component) this is the cost of one
//     component-to-component call. Also app.run → lib.shout, where the guests do real work;
//   - instantiation of a prepared small component (ComponentPre::instantiate, a fresh Store each
//     time as per request), median and p99; and the same component from a ComponentPool
//     (instance_pool.h): acquire, then one call (shout, which writes guest memory), then give
//     back (the reset), each timed, same run;
//   - with --js DIR (tests/guests/component/js in the build): the componentize-js hello
//     wasi:http component, fresh instantiation against pooled acquire, and one whole /hello
//     request each way, then the give-back (reset) after a request.
// Usage: bantam_component_bench GUEST_DIR [--engine interp|compiled] [--calls N] [--instances N]
//        [--js DIR]
// Prints "key value" lines.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/engine_select.h"
#include "component/component.h"
#include "component/instance_pool.h"
#include "component/wit/builtin.h"
#include "runtime/store.h"
#include "wasi2/http.h"
#include "wasi2/wasi2.h"

using namespace bantam;
using namespace bantam::component;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<uint8_t> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s (build the component guests first)\n", path.c_str());
    std::exit(2);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return {s.begin(), s.end()};
}

template <class T>
T check(Result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "%s: %s %s\n", what, r.error().message.c_str(), r.error().context.c_str());
    std::exit(1);
  }
  return std::move(*r);
}

void check(Result<void> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// ns per call of inst.call(f, arg): the median of `rounds` rounds of `calls` calls.
double nsPerCall(ComponentInstance& inst, const ComponentFunc& f, const Value& arg, size_t expectSize, int calls, int rounds) {
  std::vector<double> per;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = Clock::now();
    for (int i = 0; i < calls; ++i) {
      auto v = inst.call(f, {arg});
      if (!v || v->str().size() != expectSize) {
        std::fprintf(stderr, "call failed: %s\n", v ? "wrong result" : v.error().message.c_str());
        std::exit(1);
      }
    }
    per.push_back(std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / calls);
  }
  return percentile(per, 0.5);
}

double us(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::micro>(b - a).count(); }

// One /hello request through `inst` (a fresh Wasi2Ctx, as per request).
void jsRequest(ComponentInstance& inst, const std::shared_ptr<const wasi2::Wasi2Host>& host) {
  auto ctx = check(wasi2::Wasi2Ctx::create(host, {}), "wasi ctx");
  auto handle = inst.func("wasi:http/incoming-handler", "handle");
  wasi2::IncomingHttpRequest req;
  req.authority = "localhost";
  req.pathWithQuery = "/hello";
  auto resp = wasi2::callIncomingHandler(inst, *ctx, *handle, std::move(req));
  if (!resp || resp->status != 200) {
    std::fprintf(stderr, "JS request failed\n");
    std::exit(1);
  }
}

// The componentize-js hello component: fresh instantiation (ComponentPre::instantiate, a new
// Store) against ComponentPool::acquire, and a whole /hello request each way.
void benchJs(runtime::Engine& engine, const std::string& path, int n) {
  auto bytes = readFile(path);
  auto compiled = check(compileComponent(engine, bytes, "hello_http.wasm"), "compile JS");
  ComponentLinker linker;
  check(linker.addInterfaces(wit::builtinInterfaces()), "wit");
  auto host = check(wasi2::defineWasi2(linker), "wasi2");
  auto pre = check(linker.prepare(compiled), "prepare JS");
  auto pool = check(ComponentPool::create(engine, pre), "pool JS");
  std::vector<double> fresh, freshReq, acquire, pooledReq, reset;
  for (int i = 0; i < n; ++i) {
    {  // fresh, then pooled, alternating: the same load for both
      runtime::Store store(engine);
      auto t0 = Clock::now();
      auto inst = check(pre->instantiate(store), "instantiate JS");
      auto t1 = Clock::now();
      jsRequest(*inst, host);
      inst.reset();
      auto t2 = Clock::now();
      fresh.push_back(us(t0, t1));
      freshReq.push_back(us(t0, t2));
    }
    auto t0 = Clock::now();
    auto lease = check(pool->acquire(), "acquire JS");
    auto t1 = Clock::now();
    jsRequest(lease.instance(), host);
    auto t2 = Clock::now();
    lease.reset();
    auto t3 = Clock::now();
    acquire.push_back(us(t0, t1));
    pooledReq.push_back(us(t0, t3));
    reset.push_back(us(t2, t3));
  }
  std::printf("js_instantiate_fresh_median_us %.2f\n", percentile(fresh, 0.5));
  std::printf("js_instantiate_fresh_p99_us %.2f\n", percentile(fresh, 0.99));
  std::printf("js_pooled_acquire_median_us %.2f\n", percentile(acquire, 0.5));
  std::printf("js_pooled_acquire_p99_us %.2f\n", percentile(acquire, 0.99));
  std::printf("js_pooled_reset_median_us %.2f\n", percentile(reset, 0.5));
  std::printf("js_pooled_reset_p99_us %.2f\n", percentile(reset, 0.99));
  std::printf("js_request_fresh_median_us %.2f\n", percentile(freshReq, 0.5));
  std::printf("js_request_pooled_median_us %.2f\n", percentile(pooledReq, 0.5));
  std::printf("js_request_pooled_p99_us %.2f\n", percentile(pooledReq, 0.99));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s GUEST_DIR [--engine interp|compiled] [--calls N] [--instances N]\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  engines::EngineSettings settings;
  settings.kind = engines::EngineKind::Interpreter;
  int calls = 20000, instances = 2000;
  std::string jsDir;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--engine") settings.kind = check(engines::parseEngineKind(argv[i + 1]), "--engine");
    else if (a == "--calls") calls = std::atoi(argv[i + 1]);
    else if (a == "--instances") instances = std::atoi(argv[i + 1]);
    else if (a == "--js") jsDir = argv[i + 1];
  }
  runtime::Engine engine(check(engines::createExecutionEngine(settings), "engine"));
  std::printf("engine %s\n", engines::isCompiled(engine.exec()) ? "compiled" : "interp");

  auto libBytes = readFile(dir + "/compose_lib.wasm");
  auto appBytes = readFile(dir + "/compose_app.wasm");
  auto libC = check(compileComponent(engine, libBytes, "compose_lib.wasm"), "compile lib");
  auto appC = check(compileComponent(engine, appBytes, "compose_app.wasm"), "compile app");

  // ---- calls ----
  {
    runtime::Store store(engine);
    ComponentLinker libLinker;
    auto lib = check(libLinker.instantiate(store, libC), "instantiate lib");
    ComponentLinker appLinker;
    check(appLinker.defineInstance(*lib, "bantam:compose/text@0.1.0"), "link");
    auto app = check(appLinker.instantiate(store, appC), "instantiate app");
    std::string kib(1024, 'x');
    Value arg = Value::stringView(kib);
    auto run = *app->func("run");
    auto echo = *app->func("echo");
    auto shout = *lib->func("bantam:compose/text@0.1.0", "shout");
    auto relay = *app->func("relay");
    const int rounds = 7;
    nsPerCall(*app, run, arg, 1025, calls / 10, 1);  // warm-up
    double hostEcho = nsPerCall(*app, echo, arg, 1024, calls, rounds);
    double hostShout = nsPerCall(*lib, shout, arg, 1024, calls, rounds);
    double composed = nsPerCall(*app, run, arg, 1025, calls, rounds);
    double relayed = nsPerCall(*app, relay, arg, 1024, calls, rounds);
    std::printf("call_host_to_app_echo_1k_ns %.0f\n", hostEcho);
    std::printf("call_host_to_lib_shout_1k_ns %.0f\n", hostShout);
    std::printf("call_host_to_app_to_lib_1k_ns %.0f\n", composed);
    std::printf("call_host_to_app_relay_to_lib_echo_1k_ns %.0f\n", relayed);
    // The app → lib hop alone: host → app → lib echo, minus host → app echo (both guests do no
    // work: what remains is lowering 1 KiB into the library, lifting it back, post-returns).
    std::printf("cross_component_call_1k_ns %.0f\n", relayed - hostEcho);
  }

  // ---- instantiation of a prepared small component (no imports: compose_lib, ~1 KB) ----
  {
    ComponentLinker linker;
    auto pre = check(linker.prepare(libC), "prepare");
    std::vector<double> ns;
    ns.reserve(instances);
    for (int i = 0; i < instances; ++i) {
      runtime::Store store(engine);
      auto t0 = Clock::now();
      auto inst = pre->instantiate(store);
      double d = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
      if (!inst) {
        std::fprintf(stderr, "instantiate: %s\n", inst.error().message.c_str());
        return 1;
      }
      ns.push_back(d);
    }
    std::printf("instantiate_small_median_us %.2f\n", percentile(ns, 0.5) / 1000);
    std::printf("instantiate_small_p99_us %.2f\n", percentile(ns, 0.99) / 1000);

    // The same component from a pool: acquire, a call that writes guest memory, give back.
    auto pool = check(ComponentPool::create(engine, pre), "pool");
    std::vector<double> acquireNs, releaseNs;
    std::string hi = "hi";
    for (int i = 0; i < instances; ++i) {
      auto t0 = Clock::now();
      auto lease = check(pool->acquire(), "acquire");
      auto t1 = Clock::now();
      auto shout = lease->func("bantam:compose/text@0.1.0", "shout");
      auto r = lease->call(*shout, {Value::stringView(hi)});
      if (!r || r->str() != "HI") {
        std::fprintf(stderr, "pooled call failed\n");
        return 1;
      }
      auto t2 = Clock::now();
      lease.reset();
      auto t3 = Clock::now();
      acquireNs.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
      releaseNs.push_back(std::chrono::duration<double, std::nano>(t3 - t2).count());
    }
    std::printf("pooled_small_acquire_median_us %.2f\n", percentile(acquireNs, 0.5) / 1000);
    std::printf("pooled_small_acquire_p99_us %.2f\n", percentile(acquireNs, 0.99) / 1000);
    std::printf("pooled_small_reset_median_us %.2f\n", percentile(releaseNs, 0.5) / 1000);
    std::printf("pooled_small_reset_p99_us %.2f\n", percentile(releaseNs, 0.99) / 1000);
  }

  if (!jsDir.empty()) benchJs(engine, jsDir + "/hello_http.wasm", std::max(instances / 10, 20));
  return 0;
}
