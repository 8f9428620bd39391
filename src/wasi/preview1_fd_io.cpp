// Descriptor I/O: fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell, fd_readdir.
#include "wasi/preview1_util.h"

namespace bantam::wasi::p1 {

namespace {

// A file for positional I/O: directories EBADF, streams ESPIPE (Wasmtime), then rights.
WasiResult<File*> positionedFileOf(WasiCtx& ctx, uint32_t fd, uint64_t rights) {
  FdEntry* e = BANTAM_TRY(entryOf(ctx, fd));
  if (!e->file) return err(Errno::Badf);
  if (e->file->isStream()) return err(Errno::Spipe);
  BANTAM_TRY(needRights(*e, rights));
  return e->file.get();
}

Errno storeSize(M mem, uint32_t out, uint64_t n) {
  // Reads and writes are capped at kMaxIoBytes, so the count always fits $size.
  BANTAM_WASI_TRY(mem.store<uint32_t>(out, static_cast<uint32_t>(n)));
  return Errno::Success;
}

}  // namespace

Errno fdRead(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t nreadOut) {
  File* f = BANTAM_WASI_TRY(fileOf(ctx, fd, rights::kFdRead));
  BANTAM_WASI_TRY(needOut(mem, nreadOut, 4));
  auto bufs = BANTAM_WASI_TRY(mem.iovecs(iovs, iovsLen));
  uint64_t n = BANTAM_WASI_TRY(f->read(bufs));
  return storeSize(mem, nreadOut, n);
}

Errno fdWrite(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t nwrittenOut) {
  File* f = BANTAM_WASI_TRY(fileOf(ctx, fd, rights::kFdWrite));
  BANTAM_WASI_TRY(needOut(mem, nwrittenOut, 4));
  auto bufs = BANTAM_WASI_TRY(mem.iovecs(iovs, iovsLen));
  uint64_t n = BANTAM_WASI_TRY(f->write(bufs));
  return storeSize(mem, nwrittenOut, n);
}

Errno fdPread(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint64_t offset, uint32_t nreadOut) {
  File* f = BANTAM_WASI_TRY(positionedFileOf(ctx, fd, rights::kFdRead | rights::kFdSeek));
  BANTAM_WASI_TRY(needOut(mem, nreadOut, 4));
  auto bufs = BANTAM_WASI_TRY(mem.iovecs(iovs, iovsLen));
  uint64_t n = BANTAM_WASI_TRY(f->pread(bufs, offset));
  return storeSize(mem, nreadOut, n);
}

Errno fdPwrite(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint64_t offset,
               uint32_t nwrittenOut) {
  File* f = BANTAM_WASI_TRY(positionedFileOf(ctx, fd, rights::kFdWrite | rights::kFdSeek));
  BANTAM_WASI_TRY(needOut(mem, nwrittenOut, 4));
  auto bufs = BANTAM_WASI_TRY(mem.iovecs(iovs, iovsLen));
  uint64_t n = BANTAM_WASI_TRY(f->pwrite(bufs, offset));
  return storeSize(mem, nwrittenOut, n);
}

Errno fdSeek(WasiCtx& ctx, M mem, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newOffsetOut) {
  if (whence > static_cast<uint32_t>(Whence::End)) return Errno::Inval;
  // fd_tell's right covers seeking that leaves the offset where it is.
  bool tellOnly = whence == static_cast<uint32_t>(Whence::Cur) && offset == 0;
  FdEntry* e = BANTAM_WASI_TRY(entryOf(ctx, fd));
  if (!e->file) return Errno::Badf;
  if (e->file->isStream()) return Errno::Spipe;
  if (!(tellOnly && (e->rightsBase & rights::kFdTell))) BANTAM_WASI_TRY(needRights(*e, rights::kFdSeek));
  BANTAM_WASI_TRY(needOut(mem, newOffsetOut, 8));
  uint64_t pos = BANTAM_WASI_TRY(e->file->seek(static_cast<int64_t>(offset), static_cast<Whence>(whence)));
  BANTAM_WASI_TRY(mem.store<uint64_t>(newOffsetOut, pos));
  return Errno::Success;
}

Errno fdTell(WasiCtx& ctx, M mem, uint32_t fd, uint32_t offsetOut) {
  File* f = BANTAM_WASI_TRY(positionedFileOf(ctx, fd, rights::kFdTell));
  BANTAM_WASI_TRY(needOut(mem, offsetOut, 8));
  uint64_t pos = BANTAM_WASI_TRY(f->tell());
  BANTAM_WASI_TRY(mem.store<uint64_t>(offsetOut, pos));
  return Errno::Success;
}

// Cookies are entry indices: 0 ".", 1 "..", then the listing. A cookie of 0 takes a fresh
// listing; later cookies continue the one taken then, so that a directory read in many calls
// (thousands of entries, small buffers) is neither repeated nor skipped. As Wasmtime, the
// buffer is filled completely, the last entry cut off where it ends (header and name alike);
// a result smaller than the buffer means the end was reached.
Errno fdReaddir(WasiCtx& ctx, M mem, uint32_t fd, uint32_t buf, uint32_t bufLen, uint64_t cookie, uint32_t usedOut) {
  FdEntry* e = BANTAM_WASI_TRY(dirOf(ctx, fd, rights::kFdReaddir));
  BANTAM_WASI_TRY(needOut(mem, buf, bufLen));
  BANTAM_WASI_TRY(needOut(mem, usedOut, 4));
  if (cookie == 0 || !e->listing) e->listing = BANTAM_WASI_TRY(e->dir->entries());
  const std::vector<DirEntry>& listing = *e->listing;
  uint64_t selfIno = 0;
  if (cookie < 2) selfIno = BANTAM_WASI_TRY(e->dir->stat()).ino;

  uint32_t cap = bufLen, at = buf;
  auto put = [&](const uint8_t* bytes, uint32_t len) -> bool {  // false: the buffer is full
    uint32_t n = len < cap ? len : cap;
    (void)mem.write(at, std::span<const uint8_t>(bytes, n));
    at += n;
    cap -= n;
    return cap != 0;
  };
  uint64_t total = listing.size() + 2;
  for (uint64_t i = cookie; i < total; ++i) {
    std::string_view name;
    uint64_t ino;
    Filetype type;
    if (i < 2) {
      name = i == 0 ? "." : "..";
      ino = selfIno;  // ".." too: what lies above a pre-opened directory is not the guest's to see
      type = Filetype::Directory;
    } else {
      const DirEntry& d = listing[i - 2];
      name = d.name;
      ino = d.ino;
      type = d.type;
    }
    uint8_t rec[layout::kDirentSize] = {};
    uint64_t next = i + 1;
    uint32_t namlen = static_cast<uint32_t>(name.size());
    std::memcpy(rec + 0, &next, 8);
    std::memcpy(rec + 8, &ino, 8);
    std::memcpy(rec + 16, &namlen, 4);
    rec[20] = static_cast<uint8_t>(type);
    if (!put(rec, sizeof rec)) break;
    if (!put(reinterpret_cast<const uint8_t*>(name.data()), namlen)) break;
  }
  BANTAM_WASI_TRY(mem.store<uint32_t>(usedOut, bufLen - cap));
  return Errno::Success;
}

}  // namespace bantam::wasi::p1
