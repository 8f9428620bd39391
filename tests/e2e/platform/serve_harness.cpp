// A stand-in for `bantam up` that sets every platform::ServeOptions field from the command line,
// for the end-to-end tests and benchmarks that need limits the CLI does not expose (a 300 ms
// request timeout, a small memory limit, the native hello route):
//   bantam_serve_harness DIR [--listen A] [--admin-listen A] [--request-timeout MS]
//     [--max-memory BYTES] [--max-body BYTES] [--max-header BYTES] [--threads N] [--workers N] [--guests-on-workers]
//     [--max-instances N] [--native-hello ROUTE] [--access-log PATH] [--engine interp|compiled]
//     [--quiet]
// Without --engine it serves with the engine `bantam up` uses by default (engine_select.h).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "api/engine_select.h"
#include "platform/app.h"
#include "platform/serve.h"

using namespace bantam;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [options]\n", argv[0]);
    return 2;
  }
  platform::ServeOptions o;
  bool quiet = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--listen") o.listen = next();
    else if (a == "--admin-listen") o.adminListen = next();
    else if (a == "--request-timeout") o.requestTimeoutMs = std::stoul(next());
    else if (a == "--max-memory") o.maxMemoryBytes = std::stoull(next());
    else if (a == "--max-body") o.maxRequestBodyBytes = std::stoull(next());
    else if (a == "--max-header") o.maxHeaderBytes = std::stoul(next());
    else if (a == "--threads") o.threads = std::stoul(next());
    else if (a == "--workers") o.workers = std::stoul(next());
    else if (a == "--guests-on-workers") o.guestsOnWorkers = true;
    else if (a == "--max-instances") o.maxInstances = std::stoul(next());
    else if (a == "--native-hello") o.nativeHelloRoute = next();
    else if (a == "--access-log") o.accessLog = next();
    else if (a == "--engine") o.engine = next();
    else if (a == "--quiet") quiet = true;
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  o.createEngine = [](const std::string& name) -> Result<std::unique_ptr<runtime::ExecutionEngine>> {
    engines::EngineSettings settings;
    settings.kind = BANTAM_TRY(engines::parseEngineKind(name));
    return engines::createExecutionEngine(settings);
  };
  o.quiet = quiet;
  o.followAll = !quiet;
  auto app = platform::loadApp(argv[1]);
  if (!app) {
    std::fprintf(stderr, "bantam: error: %s\n", app.error().toString().c_str());
    return 1;
  }
  auto status = platform::serve(*app, o);
  if (!status) {
    std::fprintf(stderr, "bantam: error: %s\n", status.error().toString().c_str());
    return 1;
  }
  return *status;
}
