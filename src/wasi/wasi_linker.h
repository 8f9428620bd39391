// Registers wasi_snapshot_preview1 in a runtime::Linker: the 46 functions as host functions
// of `store`, each calling into `ctx` with the calling instance's exported "memory".
#pragma once

#include <string_view>
#include <vector>

#include "runtime/instantiate.h"
#include "wasi/wasi_ctx.h"

namespace bantam::wasi {

inline constexpr std::string_view kPreview1Module = "wasi_snapshot_preview1";

// `ctx` must outlive every call into the functions (typically: as long as the store).
// Blocking calls (poll_oneoff) give up with TrapKind::Interrupted once the store's epoch
// deadline has passed.
void defineWasi(runtime::Store& store, runtime::Linker& linker, WasiCtx& ctx);
// The same, for the functions `module` imports only (the others are never built): what a
// command-line run needs, at a fraction of the start-up cost.
void defineWasiImports(runtime::Store& store, runtime::Linker& linker, WasiCtx& ctx, const wasm::Module& module);

// The names of the functions defineWasi registers, in witx order.
const std::vector<std::string_view>& preview1FunctionNames();

}  // namespace bantam::wasi
