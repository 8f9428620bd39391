// Shared helpers of the preview1 implementation files: descriptor lookup in Wasmtime's order
// (EBADF, then the kind of descriptor, then rights), out-pointer checks, errno propagation.
#pragma once

#include "wasi/preview1.h"

// Evaluates a WasiResult; on error returns its Errno from the enclosing function (which
// returns Errno), otherwise yields the value.
#define BANTAM_WASI_TRY(expr)                              \
  ({                                                       \
    auto&& bantam_wasi_try_ = (expr);                      \
    if (!bantam_wasi_try_) [[unlikely]]                    \
      return bantam_wasi_try_.error();                     \
    *std::move(bantam_wasi_try_);                          \
  })

namespace bantam::wasi::p1 {

inline WasiResult<FdEntry*> entryOf(WasiCtx& ctx, uint32_t fd) {
  FdEntry* e = ctx.fds().get(fd);
  if (e == nullptr) return err(Errno::Badf);
  return e;
}

inline WasiResult<void> needRights(const FdEntry& e, uint64_t rights) {
  if ((e.rightsBase & rights) != rights) return err(Errno::Notcapable);
  return {};
}

// A descriptor that must be a file (directories: EBADF) with `rights`.
inline WasiResult<File*> fileOf(WasiCtx& ctx, uint32_t fd, uint64_t rights) {
  FdEntry* e = BANTAM_TRY(entryOf(ctx, fd));
  if (!e->file) return err(Errno::Badf);
  BANTAM_TRY(needRights(*e, rights));
  return e->file.get();
}

// A descriptor that must be a directory with `rights`; anything else is EBADF (Wasmtime's
// get_dir_fd).
inline WasiResult<FdEntry*> dirOf(WasiCtx& ctx, uint32_t fd, uint64_t rights) {
  FdEntry* e = BANTAM_TRY(entryOf(ctx, fd));
  if (!e->dir) return err(Errno::Badf);
  BANTAM_TRY(needRights(*e, rights));
  return e;
}

inline WasiResult<void> needOut(M mem, uint32_t ptr, uint64_t size) {
  if (!mem.contains(ptr, size)) return err(Errno::Fault);
  return {};
}

// $fstflags into two NewTime values; EINVAL for unknown bits or a value together with _now.
inline WasiResult<std::pair<NewTime, NewTime>> newTimes(uint64_t atim, uint64_t mtim, uint32_t flags) {
  if (flags & ~uint32_t{fstflags::kAll}) return err(Errno::Inval);
  if ((flags & fstflags::kAtim) && (flags & fstflags::kAtimNow)) return err(Errno::Inval);
  if ((flags & fstflags::kMtim) && (flags & fstflags::kMtimNow)) return err(Errno::Inval);
  NewTime a, m;
  if (flags & fstflags::kAtim) a = NewTime{NewTime::At, atim};
  else if (flags & fstflags::kAtimNow) a = NewTime{NewTime::Now, 0};
  if (flags & fstflags::kMtim) m = NewTime{NewTime::At, mtim};
  else if (flags & fstflags::kMtimNow) m = NewTime{NewTime::Now, 0};
  return std::pair{a, m};
}

void writeFilestat(M mem, uint32_t ptr, const Filestat& s);  // ptr already checked

}  // namespace bantam::wasi::p1
