// The linker glue: typed host functions (runtime/host_func.h) over the preview1 functions.
#include "wasi/wasi_linker.h"

#include "runtime/host_func.h"
#include "wasi/preview1.h"

namespace bantam::wasi {

namespace {

using runtime::Caller;
using runtime::TrapOr;

runtime::Trap missingMemory(std::string_view name) {
  return runtime::Trap(runtime::TrapKind::HostError,
                       std::string(kPreview1Module) + "." + std::string(name) +
                           ": the calling module exports no memory named \"memory\"");
}

GuestMemory memoryOf(Caller& caller) {
  if (runtime::MemoryInst* m = caller.memory("memory")) return GuestMemory(m->base, m->sizeBytes);
  return GuestMemory();
}

bool hasMemory(Caller& caller) { return caller.memory("memory") != nullptr; }

// Wraps `fn` (which returns the errno) as a host function of the matching wasm type. Functions
// that never touch memory also work for a module that exports none.
template <class... A>
runtime::TypedHostFunc bind(WasiCtx& ctx, std::string_view name, Errno (*fn)(WasiCtx&, const GuestMemory&, A...),
                            bool needsMemory) {
  return runtime::wrapHostFunc([&ctx, fn, needsMemory, name](Caller& caller, A... args) -> TrapOr<uint32_t> {
    GuestMemory mem = memoryOf(caller);
    if (needsMemory && !hasMemory(caller)) return std::unexpected(missingMemory(name));
    return static_cast<uint32_t>(fn(ctx, mem, args...));
  });
}

// The two functions that are not plain errno-returning calls.
runtime::TypedHostFunc makePollOneoff(WasiCtx& ctx) {
  return runtime::wrapHostFunc([&ctx](Caller& caller, uint32_t in, uint32_t out, uint32_t n,
                                      uint32_t neventsOut) -> TrapOr<uint32_t> {
    if (!hasMemory(caller)) return std::unexpected(missingMemory("poll_oneoff"));
    runtime::Store& s = caller.store();
    InterruptCheck interrupted = [&s] {
      return s.engine().epoch.load(std::memory_order_relaxed) >= s.epochDeadline();
    };
    Errno e = BANTAM_TRY(p1::pollOneoff(ctx, memoryOf(caller), in, out, n, neventsOut, interrupted));
    return static_cast<uint32_t>(e);
  });
}
runtime::TypedHostFunc makeProcExit(WasiCtx& ctx) {
  return runtime::wrapHostFunc([&ctx](Caller& caller, uint32_t code) -> TrapOr<void> {
    return std::unexpected(p1::procExit(ctx, memoryOf(caller), code));
  });
}

// Every function as a factory, in witx order: a host function is only built when it is
// defined (building all 46 cost ~230K instructions, a fifth of an empty `bantam run`).
using Factory = runtime::TypedHostFunc (*)(WasiCtx&);
struct Definition {
  std::string_view name;
  Factory make;
};
#define BANTAM_WASI_BIND(name, fn, needsMemory) \
  Definition { name, [](WasiCtx& ctx) { return bind(ctx, name, fn, needsMemory); } }
const Definition kDefinitions[] = {
    BANTAM_WASI_BIND("args_get", &p1::argsGet, true),
    BANTAM_WASI_BIND("args_sizes_get", &p1::argsSizesGet, true),
    BANTAM_WASI_BIND("environ_get", &p1::environGet, true),
    BANTAM_WASI_BIND("environ_sizes_get", &p1::environSizesGet, true),
    BANTAM_WASI_BIND("clock_res_get", &p1::clockResGet, true),
    BANTAM_WASI_BIND("clock_time_get", &p1::clockTimeGet, true),
    BANTAM_WASI_BIND("fd_advise", &p1::fdAdvise, false),
    BANTAM_WASI_BIND("fd_allocate", &p1::fdAllocate, false),
    BANTAM_WASI_BIND("fd_close", &p1::fdClose, false),
    BANTAM_WASI_BIND("fd_datasync", &p1::fdDatasync, false),
    BANTAM_WASI_BIND("fd_fdstat_get", &p1::fdFdstatGet, true),
    BANTAM_WASI_BIND("fd_fdstat_set_flags", &p1::fdFdstatSetFlags, false),
    BANTAM_WASI_BIND("fd_fdstat_set_rights", &p1::fdFdstatSetRights, false),
    BANTAM_WASI_BIND("fd_filestat_get", &p1::fdFilestatGet, true),
    BANTAM_WASI_BIND("fd_filestat_set_size", &p1::fdFilestatSetSize, false),
    BANTAM_WASI_BIND("fd_filestat_set_times", &p1::fdFilestatSetTimes, false),
    BANTAM_WASI_BIND("fd_pread", &p1::fdPread, true),
    BANTAM_WASI_BIND("fd_prestat_get", &p1::fdPrestatGet, true),
    BANTAM_WASI_BIND("fd_prestat_dir_name", &p1::fdPrestatDirName, true),
    BANTAM_WASI_BIND("fd_pwrite", &p1::fdPwrite, true),
    BANTAM_WASI_BIND("fd_read", &p1::fdRead, true),
    BANTAM_WASI_BIND("fd_readdir", &p1::fdReaddir, true),
    BANTAM_WASI_BIND("fd_renumber", &p1::fdRenumber, false),
    BANTAM_WASI_BIND("fd_seek", &p1::fdSeek, true),
    BANTAM_WASI_BIND("fd_sync", &p1::fdSync, false),
    BANTAM_WASI_BIND("fd_tell", &p1::fdTell, true),
    BANTAM_WASI_BIND("fd_write", &p1::fdWrite, true),
    BANTAM_WASI_BIND("path_create_directory", &p1::pathCreateDirectory, true),
    BANTAM_WASI_BIND("path_filestat_get", &p1::pathFilestatGet, true),
    BANTAM_WASI_BIND("path_filestat_set_times", &p1::pathFilestatSetTimes, true),
    BANTAM_WASI_BIND("path_link", &p1::pathLink, true),
    BANTAM_WASI_BIND("path_open", &p1::pathOpen, true),
    BANTAM_WASI_BIND("path_readlink", &p1::pathReadlink, true),
    BANTAM_WASI_BIND("path_remove_directory", &p1::pathRemoveDirectory, true),
    BANTAM_WASI_BIND("path_rename", &p1::pathRename, true),
    BANTAM_WASI_BIND("path_symlink", &p1::pathSymlink, true),
    BANTAM_WASI_BIND("path_unlink_file", &p1::pathUnlinkFile, true),
    {"poll_oneoff", &makePollOneoff},
    {"proc_exit", &makeProcExit},
    BANTAM_WASI_BIND("proc_raise", &p1::procRaise, false),
    BANTAM_WASI_BIND("sched_yield", &p1::schedYield, false),
    BANTAM_WASI_BIND("random_get", &p1::randomGet, true),
    BANTAM_WASI_BIND("sock_accept", &p1::sockAccept, true),
    BANTAM_WASI_BIND("sock_recv", &p1::sockRecv, true),
    BANTAM_WASI_BIND("sock_send", &p1::sockSend, true),
    BANTAM_WASI_BIND("sock_shutdown", &p1::sockShutdown, false),
};
#undef BANTAM_WASI_BIND

void defineOne(runtime::Store& store, runtime::Linker& linker, WasiCtx& ctx, const Definition& d) {
  runtime::TypedHostFunc func = d.make(ctx);
  std::string full = std::string(kPreview1Module) + "." + std::string(d.name);
  runtime::FuncInst* f = store.createHostFunc(std::move(func.type), std::move(func.callback), full);
  linker.define(std::string(kPreview1Module), std::string(d.name), runtime::Extern::of(f));
}

}  // namespace

const std::vector<std::string_view>& preview1FunctionNames() {
  static const std::vector<std::string_view> kNames = {
      "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
      "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
      "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
      "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
      "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
      "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
      "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
      "sock_recv", "sock_send", "sock_shutdown"};
  return kNames;
}

void defineWasi(runtime::Store& store, runtime::Linker& linker, WasiCtx& ctx) {
  for (const Definition& d : kDefinitions) defineOne(store, linker, ctx, d);
}

void defineWasiImports(runtime::Store& store, runtime::Linker& linker, WasiCtx& ctx, const wasm::Module& module) {
  for (const wasm::Import& import : module.imports) {
    if (import.module != kPreview1Module) continue;
    for (const Definition& d : kDefinitions) {
      if (d.name != import.name) continue;
      // A function imported twice under the same name is defined once.
      if (!linker.lookup(std::string(kPreview1Module), std::string(d.name))) defineOne(store, linker, ctx, d);
      break;
    }
  }
}

}  // namespace bantam::wasi
