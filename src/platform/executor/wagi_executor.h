// The WAGI executor (`executor = { type = "wagi" }`): a WASI preview 1 command per request, with
// the request as its CGI environment, argv and stdin, and its stdout as the response (cgi.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "platform/app.h"
#include "platform/executor/component.h"
#include "platform/executor/executor.h"

namespace bantam::platform {

struct WagiOptions {
  uint64_t timeoutTicks = UINT64_MAX;       // epoch ticks a request may run (the server's ticker)
  std::chrono::milliseconds tick{5};        // the ticker's period (bounds a sleeping guest on a fiber)
  uint64_t maxOutputBytes = uint64_t{64} << 20;  // stdout past this: ENOSPC for the guest
  // Server-side messages about a request (a trap, a failed exit): one line, no newline.
  std::function<void(const std::string&)> log;
};

class WagiExecutor final : public Executor {
 public:
  // Errors: the entry point is not an exported function of type [] -> [].
  static Result<std::unique_ptr<WagiExecutor>> create(PreparedComponent& component, const ExecutorConfig& config,
                                                      WagiOptions options);
  Outcome handle(HttpRequest& request, const RouteMatch& match) override;
  bool runsOnLoop() const override { return true; }

 private:
  WagiExecutor(PreparedComponent& component, const ExecutorConfig& config, WagiOptions options)
      : component_(component), config_(config), options_(std::move(options)) {}
  PreparedComponent& component_;
  ExecutorConfig config_;
  WagiOptions options_;
  uint32_t entryIndex_ = 0;  // in the module's function space
  std::shared_ptr<wasi::Clocks> fiberClocks_;  // the component's, sleeping on the fiber
};

}  // namespace bantam::platform
