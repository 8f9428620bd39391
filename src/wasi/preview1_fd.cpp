// Descriptor metadata: fd_advise, fd_allocate, fd_close, fd_datasync, fd_fdstat_*,
// fd_filestat_*, fd_prestat_*, fd_renumber, fd_sync.
#include "wasi/preview1_util.h"

namespace bantam::wasi::p1 {

void writeFilestat(M mem, uint32_t ptr, const Filestat& s) {
  uint8_t rec[layout::kFilestatSize] = {};
  auto put64 = [&](uint32_t off, uint64_t v) { std::memcpy(rec + off, &v, 8); };
  put64(layout::kFilestatDev, s.dev);
  put64(layout::kFilestatIno, s.ino);
  rec[layout::kFilestatFiletype] = static_cast<uint8_t>(s.type);
  put64(layout::kFilestatNlink, s.nlink);
  put64(layout::kFilestatSize_, s.size);
  put64(layout::kFilestatAtim, s.atim);
  put64(layout::kFilestatMtim, s.mtim);
  put64(layout::kFilestatCtim, s.ctim);
  (void)mem.write(ptr, std::span<const uint8_t>(rec, sizeof rec));
}

namespace {

// A file that is not a stream (stdio and sockets: EBADF, as Wasmtime), with `rights`.
WasiResult<File*> seekableFileOf(WasiCtx& ctx, uint32_t fd, uint64_t rights) {
  FdEntry* e = BANTAM_TRY(entryOf(ctx, fd));
  if (!e->file || e->file->isStream()) return err(Errno::Badf);
  BANTAM_TRY(needRights(*e, rights));
  return e->file.get();
}

}  // namespace

Errno fdAdvise(WasiCtx& ctx, M mem, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
  if (advice > static_cast<uint32_t>(Advice::NoReuse)) return Errno::Inval;
  File* f = BANTAM_WASI_TRY(seekableFileOf(ctx, fd, rights::kFdAdvise));
  BANTAM_WASI_TRY(f->advise(offset, len, static_cast<Advice>(advice)));
  return Errno::Success;
}

Errno fdAllocate(WasiCtx& ctx, M mem, uint32_t fd, uint64_t offset, uint64_t len) {
  File* f = BANTAM_WASI_TRY(seekableFileOf(ctx, fd, rights::kFdAllocate));
  BANTAM_WASI_TRY(f->allocate(offset, len));
  return Errno::Success;
}

Errno fdClose(WasiCtx& ctx, M mem, uint32_t fd) {
  // Pre-opened directories and stdio may be closed too (Wasmtime; wasi-testsuite close_preopen).
  BANTAM_WASI_TRY(ctx.fds().close(fd));
  return Errno::Success;
}

Errno fdDatasync(WasiCtx& ctx, M mem, uint32_t fd) {
  File* f = BANTAM_WASI_TRY(seekableFileOf(ctx, fd, rights::kFdDatasync));
  BANTAM_WASI_TRY(f->datasync());
  return Errno::Success;
}

Errno fdSync(WasiCtx& ctx, M mem, uint32_t fd) {
  File* f = BANTAM_WASI_TRY(seekableFileOf(ctx, fd, rights::kFdSync));
  BANTAM_WASI_TRY(f->sync());
  return Errno::Success;
}

Errno fdFdstatGet(WasiCtx& ctx, M mem, uint32_t fd, uint32_t statOut) {
  FdEntry* e = BANTAM_WASI_TRY(entryOf(ctx, fd));
  BANTAM_WASI_TRY(needOut(mem, statOut, layout::kFdstatSize));
  uint8_t rec[layout::kFdstatSize] = {};
  rec[layout::kFdstatFiletype] = static_cast<uint8_t>(e->dir ? Filetype::Directory : e->file->filetype());
  uint16_t flags = e->file ? e->file->fdflags() : 0;
  std::memcpy(rec + layout::kFdstatFlags, &flags, 2);
  std::memcpy(rec + layout::kFdstatRightsBase, &e->rightsBase, 8);
  std::memcpy(rec + layout::kFdstatRightsInheriting, &e->rightsInheriting, 8);
  BANTAM_WASI_TRY(mem.write(statOut, std::span<const uint8_t>(rec, sizeof rec)));
  return Errno::Success;
}

Errno fdFdstatSetFlags(WasiCtx& ctx, M mem, uint32_t fd, uint32_t flags) {
  if (flags & ~uint32_t{fdflags::kAll}) return Errno::Inval;
  File* f = BANTAM_WASI_TRY(fileOf(ctx, fd, rights::kFdFdstatSetFlags));
  BANTAM_WASI_TRY(f->setFdflags(static_cast<uint16_t>(flags)));
  return Errno::Success;
}

Errno fdFdstatSetRights(WasiCtx& ctx, M mem, uint32_t fd, uint64_t base, uint64_t inheriting) {
  if ((base | inheriting) & ~rights::kAll) return Errno::Inval;
  FdEntry* e = BANTAM_WASI_TRY(entryOf(ctx, fd));
  // Rights can only be dropped, never regained.
  if ((base & ~e->rightsBase) || (inheriting & ~e->rightsInheriting)) return Errno::Notcapable;
  e->rightsBase = base;
  e->rightsInheriting = inheriting;
  return Errno::Success;
}

Errno fdFilestatGet(WasiCtx& ctx, M mem, uint32_t fd, uint32_t statOut) {
  FdEntry* e = BANTAM_WASI_TRY(entryOf(ctx, fd));
  BANTAM_WASI_TRY(needRights(*e, rights::kFdFilestatGet));
  BANTAM_WASI_TRY(needOut(mem, statOut, layout::kFilestatSize));
  Filestat s = BANTAM_WASI_TRY(e->dir ? e->dir->stat() : e->file->stat());
  writeFilestat(mem, statOut, s);
  return Errno::Success;
}

Errno fdFilestatSetSize(WasiCtx& ctx, M mem, uint32_t fd, uint64_t size) {
  File* f = BANTAM_WASI_TRY(seekableFileOf(ctx, fd, rights::kFdFilestatSetSize));
  BANTAM_WASI_TRY(f->setSize(size));
  return Errno::Success;
}

Errno fdFilestatSetTimes(WasiCtx& ctx, M mem, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fstFlags) {
  auto [a, m] = BANTAM_WASI_TRY(newTimes(atim, mtim, fstFlags));
  FdEntry* e = BANTAM_WASI_TRY(entryOf(ctx, fd));
  if (e->file && e->file->isStream()) return Errno::Badf;
  BANTAM_WASI_TRY(needRights(*e, rights::kFdFilestatSetTimes));
  if (e->dir) BANTAM_WASI_TRY(e->dir->setTimes(a, m));
  else BANTAM_WASI_TRY(e->file->setTimes(a, m));
  return Errno::Success;
}

Errno fdPrestatGet(WasiCtx& ctx, M mem, uint32_t fd, uint32_t prestatOut) {
  FdEntry* e = BANTAM_WASI_TRY(entryOf(ctx, fd));
  if (!e->preopenPath) return Errno::Badf;
  BANTAM_WASI_TRY(needOut(mem, prestatOut, layout::kPrestatSize));
  if (e->preopenPath->size() > UINT32_MAX) return Errno::Overflow;
  uint8_t rec[layout::kPrestatSize] = {};
  rec[0] = kPreopenTypeDir;
  uint32_t len = static_cast<uint32_t>(e->preopenPath->size());
  std::memcpy(rec + 4, &len, 4);
  BANTAM_WASI_TRY(mem.write(prestatOut, std::span<const uint8_t>(rec, sizeof rec)));
  return Errno::Success;
}

Errno fdPrestatDirName(WasiCtx& ctx, M mem, uint32_t fd, uint32_t path, uint32_t pathLen) {
  FdEntry* e = BANTAM_WASI_TRY(entryOf(ctx, fd));
  if (!e->preopenPath) return Errno::Notdir;  // Wasmtime (legacy behaviour)
  if (e->preopenPath->size() > pathLen) return Errno::Nametoolong;
  BANTAM_WASI_TRY(mem.write(path, *e->preopenPath));  // no NUL terminator, as the spec's size says
  return Errno::Success;
}

Errno fdRenumber(WasiCtx& ctx, M mem, uint32_t fd, uint32_t to) {
  BANTAM_WASI_TRY(ctx.fds().renumber(fd, to));
  return Errno::Success;
}

}  // namespace bantam::wasi::p1
