// Running WASI 0.2 components: tell a component from a core module, compile and link one
// against the WASI 0.2 host once (PreparedWasi2), then per run or per request instantiate it
// in a Store and call wasi:cli/run#run or wasi:http/incoming-handler#handle. Shared by
// `bantam run`, `bantam serve` and the wasi:http executor of `bantam up`.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "component/component.h"
#include "wasi2/http.h"
#include "wasi2/wasi2.h"

namespace bantam::wasi2 {

// A component binary (preamble version 0x0d, layer 1), as opposed to a core module (layer 0).
bool isComponentBinary(std::span<const uint8_t> bytes);

struct PreparedWasi2 {
  std::shared_ptr<const component::CompiledComponent> compiled;
  std::shared_ptr<const component::ComponentPre> pre;
  std::shared_ptr<const Wasi2Host> host;
  std::string name;
};

// Compiles `bytes` and resolves its imports against the WASI 0.2 host (errors name what is
// malformed, unsupported or not provided).
Result<PreparedWasi2> prepareWasi2(runtime::Engine& engine, std::span<const uint8_t> bytes, std::string name);

// What a run of wasi:cli/run#run ended with: an exit status (0: ok, 1: it returned an error,
// or the status given to wasi:cli/exit), or a trap.
std::expected<int, runtime::Trap> runCommand(runtime::Store& store, const PreparedWasi2& prepared, Wasi2Config config);

// One request through a fresh instance in `store`. `instantiateNs` receives the time the
// instantiation took.
struct HttpRun {
  std::expected<OutgoingHttpResponse, HandlerFailure> result;
  uint64_t instantiateNs = 0;
};
HttpRun handleHttp(runtime::Store& store, const PreparedWasi2& prepared, Wasi2Config config, IncomingHttpRequest request);
// The same through an instance of `prepared` the caller already has (a pooled one,
// component/instance_pool.h, in its own store); `instantiateNs` stays 0.
HttpRun handleHttp(component::ComponentInstance& instance, const PreparedWasi2& prepared, Wasi2Config config,
                   IncomingHttpRequest request);

// Checks that the component exports wasi:http/incoming-handler (any 0.2.x).
Result<void> checkHttpExport(const PreparedWasi2& prepared);

}  // namespace bantam::wasi2
