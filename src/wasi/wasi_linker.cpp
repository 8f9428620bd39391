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

struct Definition {
  std::string_view name;
  runtime::TypedHostFunc func;
};

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
  std::vector<Definition> defs = {
      {"args_get", bind(ctx, "args_get", &p1::argsGet, true)},
      {"args_sizes_get", bind(ctx, "args_sizes_get", &p1::argsSizesGet, true)},
      {"environ_get", bind(ctx, "environ_get", &p1::environGet, true)},
      {"environ_sizes_get", bind(ctx, "environ_sizes_get", &p1::environSizesGet, true)},
      {"clock_res_get", bind(ctx, "clock_res_get", &p1::clockResGet, true)},
      {"clock_time_get", bind(ctx, "clock_time_get", &p1::clockTimeGet, true)},
      {"fd_advise", bind(ctx, "fd_advise", &p1::fdAdvise, false)},
      {"fd_allocate", bind(ctx, "fd_allocate", &p1::fdAllocate, false)},
      {"fd_close", bind(ctx, "fd_close", &p1::fdClose, false)},
      {"fd_datasync", bind(ctx, "fd_datasync", &p1::fdDatasync, false)},
      {"fd_fdstat_get", bind(ctx, "fd_fdstat_get", &p1::fdFdstatGet, true)},
      {"fd_fdstat_set_flags", bind(ctx, "fd_fdstat_set_flags", &p1::fdFdstatSetFlags, false)},
      {"fd_fdstat_set_rights", bind(ctx, "fd_fdstat_set_rights", &p1::fdFdstatSetRights, false)},
      {"fd_filestat_get", bind(ctx, "fd_filestat_get", &p1::fdFilestatGet, true)},
      {"fd_filestat_set_size", bind(ctx, "fd_filestat_set_size", &p1::fdFilestatSetSize, false)},
      {"fd_filestat_set_times", bind(ctx, "fd_filestat_set_times", &p1::fdFilestatSetTimes, false)},
      {"fd_pread", bind(ctx, "fd_pread", &p1::fdPread, true)},
      {"fd_prestat_get", bind(ctx, "fd_prestat_get", &p1::fdPrestatGet, true)},
      {"fd_prestat_dir_name", bind(ctx, "fd_prestat_dir_name", &p1::fdPrestatDirName, true)},
      {"fd_pwrite", bind(ctx, "fd_pwrite", &p1::fdPwrite, true)},
      {"fd_read", bind(ctx, "fd_read", &p1::fdRead, true)},
      {"fd_readdir", bind(ctx, "fd_readdir", &p1::fdReaddir, true)},
      {"fd_renumber", bind(ctx, "fd_renumber", &p1::fdRenumber, false)},
      {"fd_seek", bind(ctx, "fd_seek", &p1::fdSeek, true)},
      {"fd_sync", bind(ctx, "fd_sync", &p1::fdSync, false)},
      {"fd_tell", bind(ctx, "fd_tell", &p1::fdTell, true)},
      {"fd_write", bind(ctx, "fd_write", &p1::fdWrite, true)},
      {"path_create_directory", bind(ctx, "path_create_directory", &p1::pathCreateDirectory, true)},
      {"path_filestat_get", bind(ctx, "path_filestat_get", &p1::pathFilestatGet, true)},
      {"path_filestat_set_times", bind(ctx, "path_filestat_set_times", &p1::pathFilestatSetTimes, true)},
      {"path_link", bind(ctx, "path_link", &p1::pathLink, true)},
      {"path_open", bind(ctx, "path_open", &p1::pathOpen, true)},
      {"path_readlink", bind(ctx, "path_readlink", &p1::pathReadlink, true)},
      {"path_remove_directory", bind(ctx, "path_remove_directory", &p1::pathRemoveDirectory, true)},
      {"path_rename", bind(ctx, "path_rename", &p1::pathRename, true)},
      {"path_symlink", bind(ctx, "path_symlink", &p1::pathSymlink, true)},
      {"path_unlink_file", bind(ctx, "path_unlink_file", &p1::pathUnlinkFile, true)},
      {"poll_oneoff",
       runtime::wrapHostFunc([&ctx](Caller& caller, uint32_t in, uint32_t out, uint32_t n,
                                    uint32_t neventsOut) -> TrapOr<uint32_t> {
         if (!hasMemory(caller)) return std::unexpected(missingMemory("poll_oneoff"));
         runtime::Store& s = caller.store();
         InterruptCheck interrupted = [&s] {
           return s.engine().epoch.load(std::memory_order_relaxed) >= s.epochDeadline();
         };
         Errno e = BANTAM_TRY(p1::pollOneoff(ctx, memoryOf(caller), in, out, n, neventsOut, interrupted));
         return static_cast<uint32_t>(e);
       })},
      {"proc_exit", runtime::wrapHostFunc([&ctx](Caller& caller, uint32_t code) -> TrapOr<void> {
         return std::unexpected(p1::procExit(ctx, memoryOf(caller), code));
       })},
      {"proc_raise", bind(ctx, "proc_raise", &p1::procRaise, false)},
      {"sched_yield", bind(ctx, "sched_yield", &p1::schedYield, false)},
      {"random_get", bind(ctx, "random_get", &p1::randomGet, true)},
      {"sock_accept", bind(ctx, "sock_accept", &p1::sockAccept, true)},
      {"sock_recv", bind(ctx, "sock_recv", &p1::sockRecv, true)},
      {"sock_send", bind(ctx, "sock_send", &p1::sockSend, true)},
      {"sock_shutdown", bind(ctx, "sock_shutdown", &p1::sockShutdown, false)},
  };
  for (Definition& d : defs) {
    std::string full = std::string(kPreview1Module) + "." + std::string(d.name);
    runtime::FuncInst* f = store.createHostFunc(std::move(d.func.type), std::move(d.func.callback), full);
    linker.define(std::string(kPreview1Module), std::string(d.name), runtime::Extern::of(f));
  }
}

}  // namespace bantam::wasi
