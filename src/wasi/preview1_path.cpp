// path_*: everything that names a file by a path beneath a directory descriptor.
#include "wasi/preview1_util.h"

namespace bantam::wasi::p1 {

namespace {

WasiResult<bool> followFlag(uint32_t lookupflags) {
  if (lookupflags & ~kLookupSymlinkFollow) return err(Errno::Inval);
  return (lookupflags & kLookupSymlinkFollow) != 0;
}

}  // namespace

Errno pathCreateDirectory(WasiCtx& ctx, M mem, uint32_t fd, uint32_t path, uint32_t pathLen) {
  FdEntry* e = BANTAM_WASI_TRY(dirOf(ctx, fd, rights::kPathCreateDirectory));
  std::string_view p = BANTAM_WASI_TRY(mem.string(path, pathLen));
  BANTAM_WASI_TRY(e->dir->createDirectoryAt(p));
  return Errno::Success;
}

Errno pathFilestatGet(WasiCtx& ctx, M mem, uint32_t fd, uint32_t flags, uint32_t path, uint32_t pathLen,
                      uint32_t statOut) {
  bool follow = BANTAM_WASI_TRY(followFlag(flags));
  FdEntry* e = BANTAM_WASI_TRY(dirOf(ctx, fd, rights::kPathFilestatGet));
  std::string_view p = BANTAM_WASI_TRY(mem.string(path, pathLen));
  BANTAM_WASI_TRY(needOut(mem, statOut, layout::kFilestatSize));
  Filestat s = BANTAM_WASI_TRY(e->dir->statAt(p, follow));
  writeFilestat(mem, statOut, s);
  return Errno::Success;
}

Errno pathFilestatSetTimes(WasiCtx& ctx, M mem, uint32_t fd, uint32_t flags, uint32_t path, uint32_t pathLen,
                           uint64_t atim, uint64_t mtim, uint32_t fstFlags) {
  bool follow = BANTAM_WASI_TRY(followFlag(flags));
  auto [a, m] = BANTAM_WASI_TRY(newTimes(atim, mtim, fstFlags));
  FdEntry* e = BANTAM_WASI_TRY(dirOf(ctx, fd, rights::kPathFilestatSetTimes));
  std::string_view p = BANTAM_WASI_TRY(mem.string(path, pathLen));
  BANTAM_WASI_TRY(e->dir->setTimesAt(p, follow, a, m));
  return Errno::Success;
}

Errno pathLink(WasiCtx& ctx, M mem, uint32_t oldFd, uint32_t oldFlags, uint32_t oldPath, uint32_t oldPathLen,
               uint32_t newFd, uint32_t newPath, uint32_t newPathLen) {
  bool follow = BANTAM_WASI_TRY(followFlag(oldFlags));
  FdEntry* from = BANTAM_WASI_TRY(dirOf(ctx, oldFd, rights::kPathLinkSource));
  FdEntry* to = BANTAM_WASI_TRY(dirOf(ctx, newFd, rights::kPathLinkTarget));
  std::string_view op = BANTAM_WASI_TRY(mem.string(oldPath, oldPathLen));
  std::string_view np = BANTAM_WASI_TRY(mem.string(newPath, newPathLen));
  // Following the source symlink is not supported (Wasmtime; the link would name what the
  // symlink pointed to, possibly resolved with other rules than the guest expects).
  if (follow) return Errno::Inval;
  BANTAM_WASI_TRY(from->dir->linkAt(op, *to->dir, np));
  return Errno::Success;
}

Errno pathOpen(WasiCtx& ctx, M mem, uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t pathLen, uint32_t oflagsIn,
               uint64_t rightsBase, uint64_t rightsInheriting, uint32_t fdflagsIn, uint32_t fdOut) {
  bool follow = BANTAM_WASI_TRY(followFlag(dirflags));
  if (oflagsIn & ~uint32_t{oflags::kAll}) return Errno::Inval;
  if (fdflagsIn & ~uint32_t{fdflags::kAll}) return Errno::Inval;
  if ((rightsBase | rightsInheriting) & ~rights::kAll) return Errno::Inval;
  std::string_view p = BANTAM_WASI_TRY(mem.string(path, pathLen));
  if ((oflagsIn & oflags::kDirectory) && (oflagsIn & (oflags::kCreat | oflags::kExcl | oflags::kTrunc)))
    return Errno::Inval;  // a directory is never created or truncated by path_open

  FdEntry* e = BANTAM_WASI_TRY(entryOf(ctx, fd));
  if (!e->dir) return e->file && !e->file->isStream() ? Errno::Notdir : Errno::Badf;
  uint64_t needed = rights::kPathOpen;
  if (oflagsIn & oflags::kCreat) needed |= rights::kPathCreateFile;
  if (oflagsIn & oflags::kTrunc) needed |= rights::kPathFilestatSetSize;
  BANTAM_WASI_TRY(needRights(*e, needed));
  // The sync flags need the matching right among what the directory passes on.
  uint64_t syncRights = ((fdflagsIn & fdflags::kDsync) ? rights::kFdDatasync : 0) |
                        ((fdflagsIn & (fdflags::kRsync | fdflags::kSync)) ? rights::kFdSync : 0);
  if ((e->rightsInheriting & syncRights) != syncRights) return Errno::Notcapable;
  BANTAM_WASI_TRY(needOut(mem, fdOut, 4));

  // The new descriptor gets what was asked for among what the directory may pass on (the
  // spec lets path_open give fewer rights; wasi-libc and Rust's std rely on it silently).
  uint64_t base = rightsBase & e->rightsInheriting;
  uint64_t inheriting = rightsInheriting & e->rightsInheriting;
  OpenOptions o;
  o.followSymlinks = follow;
  o.create = oflagsIn & oflags::kCreat;
  o.exclusive = oflagsIn & oflags::kExcl;
  o.truncate = oflagsIn & oflags::kTrunc;
  o.directory = oflagsIn & oflags::kDirectory;
  o.read = base & (rights::kFdRead | rights::kFdReaddir);
  o.write = base & (rights::kFdWrite | rights::kFdAllocate | rights::kFdFilestatSetSize);
  o.fdflags = static_cast<uint16_t>(fdflagsIn);
  Opened opened = BANTAM_WASI_TRY(e->dir->openAt(p, o));

  FdEntry entry;
  if (opened.dir) {
    entry.dir = std::move(opened.dir);
    entry.rightsBase = base & rights::kDirectoryBase;
  } else {
    entry.file = std::move(opened.file);
    entry.rightsBase = base & rights::kRegularFileBase;
  }
  entry.rightsInheriting = inheriting;
  uint32_t newFd = BANTAM_WASI_TRY(ctx.fds().push(std::move(entry)));
  BANTAM_WASI_TRY(mem.store<uint32_t>(fdOut, newFd));
  return Errno::Success;
}

Errno pathReadlink(WasiCtx& ctx, M mem, uint32_t fd, uint32_t path, uint32_t pathLen, uint32_t buf, uint32_t bufLen,
                   uint32_t usedOut) {
  FdEntry* e = BANTAM_WASI_TRY(dirOf(ctx, fd, rights::kPathReadlink));
  std::string_view p = BANTAM_WASI_TRY(mem.string(path, pathLen));
  BANTAM_WASI_TRY(needOut(mem, buf, bufLen));
  BANTAM_WASI_TRY(needOut(mem, usedOut, 4));
  std::string contents = BANTAM_WASI_TRY(e->dir->readlinkAt(p));
  // Too small a buffer gets the first bufLen bytes (the spec), no error.
  if (contents.size() > bufLen) contents.resize(bufLen);
  BANTAM_WASI_TRY(mem.write(buf, contents));
  BANTAM_WASI_TRY(mem.store<uint32_t>(usedOut, static_cast<uint32_t>(contents.size())));
  return Errno::Success;
}

Errno pathRemoveDirectory(WasiCtx& ctx, M mem, uint32_t fd, uint32_t path, uint32_t pathLen) {
  FdEntry* e = BANTAM_WASI_TRY(dirOf(ctx, fd, rights::kPathRemoveDirectory));
  std::string_view p = BANTAM_WASI_TRY(mem.string(path, pathLen));
  BANTAM_WASI_TRY(e->dir->removeDirectoryAt(p));
  return Errno::Success;
}

Errno pathRename(WasiCtx& ctx, M mem, uint32_t fd, uint32_t oldPath, uint32_t oldPathLen, uint32_t newFd,
                 uint32_t newPath, uint32_t newPathLen) {
  FdEntry* from = BANTAM_WASI_TRY(dirOf(ctx, fd, rights::kPathRenameSource));
  FdEntry* to = BANTAM_WASI_TRY(dirOf(ctx, newFd, rights::kPathRenameTarget));
  std::string_view op = BANTAM_WASI_TRY(mem.string(oldPath, oldPathLen));
  std::string_view np = BANTAM_WASI_TRY(mem.string(newPath, newPathLen));
  BANTAM_WASI_TRY(from->dir->renameAt(op, *to->dir, np));
  return Errno::Success;
}

Errno pathSymlink(WasiCtx& ctx, M mem, uint32_t oldPath, uint32_t oldPathLen, uint32_t fd, uint32_t newPath,
                  uint32_t newPathLen) {
  FdEntry* e = BANTAM_WASI_TRY(dirOf(ctx, fd, rights::kPathSymlink));
  std::string_view target = BANTAM_WASI_TRY(mem.string(oldPath, oldPathLen));
  std::string_view link = BANTAM_WASI_TRY(mem.string(newPath, newPathLen));
  // path-resolution.md: "Creating a symlink with an absolute path string fails with a 'not
  // permitted' error." Other contents are checked when the link is followed.
  if (!target.empty() && target.front() == '/') return Errno::Perm;
  if (target.empty()) return Errno::Noent;
  BANTAM_WASI_TRY(e->dir->symlinkAt(target, link));
  return Errno::Success;
}

Errno pathUnlinkFile(WasiCtx& ctx, M mem, uint32_t fd, uint32_t path, uint32_t pathLen) {
  FdEntry* e = BANTAM_WASI_TRY(dirOf(ctx, fd, rights::kPathUnlinkFile));
  std::string_view p = BANTAM_WASI_TRY(mem.string(path, pathLen));
  BANTAM_WASI_TRY(e->dir->unlinkFileAt(p));
  return Errno::Success;
}

}  // namespace bantam::wasi::p1
