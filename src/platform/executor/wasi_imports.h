// WASI preview 1 for pooled instances: the 46 functions of wasi_snapshot_preview1 created once,
// in a store of their own, and shared by every instance of every component. Each call finds the
// calling instance's WasiCtx through Store::userData (a GuestContext), so that resolving a
// component's imports happens once at start-up (InstancePre) instead of once per request.
#pragma once

#include <memory>
#include <vector>

#include "common/error.h"
#include "runtime/instantiate.h"
#include "wasi/wasi_ctx.h"

namespace bantam::platform {

// What a request's instance carries in Store::userData.
struct GuestContext {
  wasi::WasiCtx* wasi = nullptr;
};

class WasiHost {
 public:
  explicit WasiHost(runtime::Engine& engine);
  ~WasiHost();

  // The imports of `module`, in order. Errors: an import that is not a preview 1 function, or
  // one of the wrong type (Unlinkable, naming the import).
  Result<std::vector<runtime::Extern>> resolve(const wasm::Module& module) const;

 private:
  mutable runtime::Store store_;  // owns the host functions; never runs code
  runtime::Linker linker_;
  // Calls without a request (a start function run while a pool slot is built) see an empty
  // context: no arguments, no environment, no files, output dropped.
  std::unique_ptr<wasi::WasiCtx> idle_;
};

}  // namespace bantam::platform
