// `bantam up [-f FILE|DIR] [--listen HOST:PORT] [--admin-listen HOST:PORT] [--env K=V]
//            [--state-dir DIR] [--log-dir DIR] [--follow ID] [--quiet] [--build]
//            [--engine interp|compiled]`: loads spin.toml,
// checks that every component's source exists, then serves the app until SIGINT/SIGTERM
// (platform::serve). Errors in the manifest or missing components stop it before it listens.
#include <cstdio>
#include <filesystem>

#include "api/engine_select.h"
#include "cli/commands.h"

namespace bantam::cli {

namespace fs = std::filesystem;

void printWarnings(const platform::App& app) {
  for (const std::string& w : app.warnings) std::fprintf(stderr, "bantam: warning: %s\n", w.c_str());
}

namespace {

// "HOST:PORT" (HOST may be "[::1]"); the server resolves HOST.
Result<void> checkListen(std::string_view flag, const std::string& listen) {
  size_t colon = listen.rfind(':');
  bool ok = colon != std::string::npos && colon > 0 && colon + 1 < listen.size() && colon + 6 >= listen.size();
  unsigned port = 0;
  for (size_t i = colon + 1; ok && i < listen.size(); ++i) {
    ok = listen[i] >= '0' && listen[i] <= '9';
    port = port * 10 + unsigned(listen[i] - '0');
  }
  if (!ok || port > 65535) {
    Error e = Error::make(ErrorKind::Usage, std::string(flag) + " wants HOST:PORT, got `" + listen + "`");
    e.hint = "for example " + std::string(flag) + " 127.0.0.1:3000 (port 0 picks a free one)";
    return std::unexpected(std::move(e));
  }
  return {};
}

Result<std::map<std::string, std::string>> parseEnv(const std::vector<std::string>& env) {
  std::map<std::string, std::string> out;
  for (const std::string& kv : env) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return fail(ErrorKind::Usage, "--env wants KEY=VALUE, got `" + kv + "`");
    }
    out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

fs::path fromOrCurrent(const std::string& from) { return from.empty() ? fs::path(".") : fs::path(from); }

}  // namespace

int cmdUp(const UpOptions& options) {
  platform::ServeOptions serve = options.serve;
  if (auto r = checkListen("--listen", serve.listen); !r) {
    printError(r.error());
    return 1;
  }
  if (auto r = serve.adminListen.empty() ? Result<void>() : checkListen("--admin-listen", serve.adminListen); !r) {
    printError(r.error());
    return 1;
  }
  auto env = parseEnv(options.env);
  if (!env) {
    printError(env.error());
    return 1;
  }
  serve.env = std::move(*env);
  fs::path from = fromOrCurrent(options.from);

  if (options.build) {
    // Files a build produces need not exist yet: read the manifest without expanding `files`.
    platform::LoadOptions forBuild;
    forBuild.expandFiles = false;
    auto unbuilt = platform::loadApp(from, forBuild);
    if (!unbuilt) {
      printError(unbuilt.error());
      return 1;
    }
    if (int status = buildComponents(*unbuilt, {}); status != 0) return status;
  }

  auto app = platform::loadApp(from);
  if (!app) {
    printError(app.error());
    return 1;
  }
  printWarnings(*app);
  if (app->httpTriggers.empty()) {
    Error e = Error::make(ErrorKind::Usage, app->displayPath + " has no [[trigger.http]]: nothing to serve");
    printError(e);
    return 1;
  }
  for (const std::string& id : serve.follow) {
    if (!app->components.contains(id)) {
      printError(Error::make(ErrorKind::Usage, "--follow " + id + ": the app has no component `" + id + "`"));
      return 1;
    }
  }
  if (auto sources = platform::checkSources(*app); !sources) {
    printError(sources.error());
    return 1;
  }

  std::error_code ec;
  if (!options.stateDir.empty()) serve.stateDir = fs::absolute(options.stateDir, ec);
  if (!options.logDir.empty()) serve.logDir = fs::absolute(options.logDir, ec);
  // Spin shows every component's output unless told which (--follow) or told not to (--quiet).
  serve.followAll = serve.follow.empty() && !serve.quiet;

  // The engine `--engine` names; by default the compiled engine when this bantam has it, its
  // native code cached on disk so that a restart does not compile again.
  serve.createEngine = [](const std::string& name) -> Result<std::unique_ptr<runtime::ExecutionEngine>> {
    engines::EngineSettings settings = engines::settingsFromEnvironment();
    settings.kind = BANTAM_TRY(engines::parseEngineKind(name));
    return engines::createExecutionEngine(settings);
  };

  auto status = platform::serve(*app, serve);
  if (!status) {
    printError(status.error());
    return 1;
  }
  return *status;
}

}  // namespace bantam::cli
