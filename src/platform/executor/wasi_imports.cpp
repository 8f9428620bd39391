// The shared preview 1 host functions: the same table as wasi/wasi_linker.cpp, with the context
// looked up per call (one pointer load) instead of bound at definition.
#include "platform/executor/wasi_imports.h"

#include "runtime/host_func.h"
#include "wasi/preview1.h"
#include "wasi/wasi_linker.h"

namespace bantam::platform {

namespace {

using runtime::Caller;
using runtime::TrapOr;
namespace p1 = wasi::p1;

wasi::WasiCtx* contextOf(Caller& caller, wasi::WasiCtx* idle) {
  auto* guest = static_cast<GuestContext*>(caller.store().userData);
  return guest != nullptr && guest->wasi != nullptr ? guest->wasi : idle;
}

runtime::Trap missingMemory(std::string_view name) {
  return runtime::Trap(runtime::TrapKind::HostError, std::string(wasi::kPreview1Module) + "." + std::string(name) +
                                                         ": the calling module exports no memory named \"memory\"");
}

wasi::GuestMemory memoryOf(runtime::MemoryInst* m) {
  return m != nullptr ? wasi::GuestMemory(m->base, m->sizeBytes) : wasi::GuestMemory();
}

template <class... A>
runtime::TypedHostFunc bind(wasi::WasiCtx* idle, std::string_view name,
                            wasi::Errno (*fn)(wasi::WasiCtx&, const wasi::GuestMemory&, A...), bool needsMemory) {
  return runtime::wrapHostFunc([idle, fn, needsMemory, name](Caller& caller, A... args) -> TrapOr<uint32_t> {
    runtime::MemoryInst* m = caller.memory("memory");
    if (needsMemory && m == nullptr) return std::unexpected(missingMemory(name));
    return static_cast<uint32_t>(fn(*contextOf(caller, idle), memoryOf(m), args...));
  });
}

}  // namespace

WasiHost::WasiHost(runtime::Engine& engine) : store_(engine) {
  idle_ = *wasi::WasiCtx::create(wasi::WasiConfig{});
  wasi::WasiCtx* idle = idle_.get();
  struct Definition {
    std::string_view name;
    runtime::TypedHostFunc func;
  };
  std::vector<Definition> defs = {
      {"args_get", bind(idle, "args_get", &p1::argsGet, true)},
      {"args_sizes_get", bind(idle, "args_sizes_get", &p1::argsSizesGet, true)},
      {"environ_get", bind(idle, "environ_get", &p1::environGet, true)},
      {"environ_sizes_get", bind(idle, "environ_sizes_get", &p1::environSizesGet, true)},
      {"clock_res_get", bind(idle, "clock_res_get", &p1::clockResGet, true)},
      {"clock_time_get", bind(idle, "clock_time_get", &p1::clockTimeGet, true)},
      {"fd_advise", bind(idle, "fd_advise", &p1::fdAdvise, false)},
      {"fd_allocate", bind(idle, "fd_allocate", &p1::fdAllocate, false)},
      {"fd_close", bind(idle, "fd_close", &p1::fdClose, false)},
      {"fd_datasync", bind(idle, "fd_datasync", &p1::fdDatasync, false)},
      {"fd_fdstat_get", bind(idle, "fd_fdstat_get", &p1::fdFdstatGet, true)},
      {"fd_fdstat_set_flags", bind(idle, "fd_fdstat_set_flags", &p1::fdFdstatSetFlags, false)},
      {"fd_fdstat_set_rights", bind(idle, "fd_fdstat_set_rights", &p1::fdFdstatSetRights, false)},
      {"fd_filestat_get", bind(idle, "fd_filestat_get", &p1::fdFilestatGet, true)},
      {"fd_filestat_set_size", bind(idle, "fd_filestat_set_size", &p1::fdFilestatSetSize, false)},
      {"fd_filestat_set_times", bind(idle, "fd_filestat_set_times", &p1::fdFilestatSetTimes, false)},
      {"fd_pread", bind(idle, "fd_pread", &p1::fdPread, true)},
      {"fd_prestat_get", bind(idle, "fd_prestat_get", &p1::fdPrestatGet, true)},
      {"fd_prestat_dir_name", bind(idle, "fd_prestat_dir_name", &p1::fdPrestatDirName, true)},
      {"fd_pwrite", bind(idle, "fd_pwrite", &p1::fdPwrite, true)},
      {"fd_read", bind(idle, "fd_read", &p1::fdRead, true)},
      {"fd_readdir", bind(idle, "fd_readdir", &p1::fdReaddir, true)},
      {"fd_renumber", bind(idle, "fd_renumber", &p1::fdRenumber, false)},
      {"fd_seek", bind(idle, "fd_seek", &p1::fdSeek, true)},
      {"fd_sync", bind(idle, "fd_sync", &p1::fdSync, false)},
      {"fd_tell", bind(idle, "fd_tell", &p1::fdTell, true)},
      {"fd_write", bind(idle, "fd_write", &p1::fdWrite, true)},
      {"path_create_directory", bind(idle, "path_create_directory", &p1::pathCreateDirectory, true)},
      {"path_filestat_get", bind(idle, "path_filestat_get", &p1::pathFilestatGet, true)},
      {"path_filestat_set_times", bind(idle, "path_filestat_set_times", &p1::pathFilestatSetTimes, true)},
      {"path_link", bind(idle, "path_link", &p1::pathLink, true)},
      {"path_open", bind(idle, "path_open", &p1::pathOpen, true)},
      {"path_readlink", bind(idle, "path_readlink", &p1::pathReadlink, true)},
      {"path_remove_directory", bind(idle, "path_remove_directory", &p1::pathRemoveDirectory, true)},
      {"path_rename", bind(idle, "path_rename", &p1::pathRename, true)},
      {"path_symlink", bind(idle, "path_symlink", &p1::pathSymlink, true)},
      {"path_unlink_file", bind(idle, "path_unlink_file", &p1::pathUnlinkFile, true)},
      {"poll_oneoff",
       runtime::wrapHostFunc([idle](Caller& caller, uint32_t in, uint32_t out, uint32_t n,
                                    uint32_t neventsOut) -> TrapOr<uint32_t> {
         runtime::MemoryInst* m = caller.memory("memory");
         if (m == nullptr) return std::unexpected(missingMemory("poll_oneoff"));
         runtime::Store& s = caller.store();
         wasi::InterruptCheck interrupted = [&s] {
           return s.engine().epoch.load(std::memory_order_relaxed) >= s.epochDeadline();
         };
         wasi::Errno e =
             BANTAM_TRY(p1::pollOneoff(*contextOf(caller, idle), memoryOf(m), in, out, n, neventsOut, interrupted));
         return static_cast<uint32_t>(e);
       })},
      {"proc_exit", runtime::wrapHostFunc([idle](Caller& caller, uint32_t code) -> TrapOr<void> {
         return std::unexpected(p1::procExit(*contextOf(caller, idle), memoryOf(caller.memory("memory")), code));
       })},
      {"proc_raise", bind(idle, "proc_raise", &p1::procRaise, false)},
      {"sched_yield", bind(idle, "sched_yield", &p1::schedYield, false)},
      {"random_get", bind(idle, "random_get", &p1::randomGet, true)},
      {"sock_accept", bind(idle, "sock_accept", &p1::sockAccept, true)},
      {"sock_recv", bind(idle, "sock_recv", &p1::sockRecv, true)},
      {"sock_send", bind(idle, "sock_send", &p1::sockSend, true)},
      {"sock_shutdown", bind(idle, "sock_shutdown", &p1::sockShutdown, false)},
  };
  for (Definition& d : defs) {
    std::string full = std::string(wasi::kPreview1Module) + "." + std::string(d.name);
    runtime::FuncInst* f = store_.createHostFunc(std::move(d.func.type), std::move(d.func.callback), full);
    linker_.define(std::string(wasi::kPreview1Module), std::string(d.name), runtime::Extern::of(f));
  }
}

WasiHost::~WasiHost() = default;

Result<std::vector<runtime::Extern>> WasiHost::resolve(const wasm::Module& module) const {
  // The Linker's own resolution: "unknown import" names the import; type mismatches are
  // "incompatible import type". The store argument is only used for type checks.
  return linker_.resolveImports(store_, module);
}

}  // namespace bantam::platform
