// Host directories and files over POSIX descriptors.
#include "wasi/host_fs.h"

#include <dirent.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bantam::wasi {

Filetype filetypeFromMode(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return Filetype::RegularFile;
    case S_IFDIR: return Filetype::Directory;
    case S_IFLNK: return Filetype::SymbolicLink;
    case S_IFCHR: return Filetype::CharacterDevice;
    case S_IFBLK: return Filetype::BlockDevice;
    case S_IFSOCK: return Filetype::SocketStream;
    default: return Filetype::Unknown;  // FIFOs: preview 1 has no type for them
  }
}

Filestat filestatFromHost(const struct stat& st) {
  Filestat s;
  s.dev = st.st_dev;
  s.ino = st.st_ino;
  s.type = filetypeFromMode(st.st_mode);
  s.nlink = st.st_nlink;
  s.size = static_cast<uint64_t>(st.st_size);
  s.atim = toNanos(st.st_atim.tv_sec, st.st_atim.tv_nsec);
  s.mtim = toNanos(st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  s.ctim = toNanos(st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
  return s;
}

struct timespec timespecFor(NewTime t) {
  struct timespec ts = {};
  switch (t.kind) {
    case NewTime::Keep: ts.tv_nsec = UTIME_OMIT; break;
    case NewTime::Now: ts.tv_nsec = UTIME_NOW; break;
    case NewTime::At:
      ts.tv_sec = static_cast<time_t>(t.ns / 1'000'000'000);
      ts.tv_nsec = static_cast<long>(t.ns % 1'000'000'000);
      break;
  }
  return ts;
}

namespace {

WasiResult<void> check(int r) {
  if (r < 0) return err(errnoFromHost(errno));
  return {};
}

std::vector<struct iovec> hostIovecs(std::span<const IoBuffer> bufs) {
  std::vector<struct iovec> iov(bufs.size());
  for (size_t i = 0; i < bufs.size(); ++i) iov[i] = {bufs[i].data(), bufs[i].size()};
  return iov;
}

template <class F>
WasiResult<uint64_t> retry(F f) {
  for (;;) {
    ssize_t n = f();
    if (n >= 0) return static_cast<uint64_t>(n);
    if (errno != EINTR) return err(errnoFromHost(errno));
  }
}

int openFlags(const OpenOptions& o) {
  // Truncation needs a writable host descriptor even when the guest asked for no write right
  // (Wasmtime opens O_TRUNC files for writing too); the WASI rights still forbid fd_write.
  bool write = o.write || o.truncate;
  int flags = write ? (o.read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (o.create) flags |= O_CREAT;
  if (o.exclusive) flags |= O_EXCL;
  if (o.truncate) flags |= O_TRUNC;
  if (o.directory) flags |= O_DIRECTORY;
  if (!o.followSymlinks) flags |= O_NOFOLLOW;
  if (o.fdflags & fdflags::kAppend) flags |= O_APPEND;
  if (o.fdflags & fdflags::kDsync) flags |= O_DSYNC;
  if (o.fdflags & fdflags::kSync) flags |= O_SYNC;
  if (o.fdflags & fdflags::kRsync) flags |= O_RSYNC;
  // Always non-blocking while opening, so that a FIFO in the sandbox cannot hang the host in
  // open(2); cleared again below unless the guest asked for it.
  return flags | O_NONBLOCK | O_NOCTTY;
}

bool isDotDot(std::string_view name) { return stripTrailingSlashes(name) == ".."; }

}  // namespace

Result<std::unique_ptr<HostDir>> openHostDir(const std::string& hostPath, bool readOnly, ResolveMode mode) {
  int fd = ::open(hostPath.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    Error e = Error::make(ErrorKind::Io, std::string("cannot open the directory: ") + std::strerror(errno));
    e.source = hostPath;
    e.hint = "--dir takes an existing host directory";
    return std::unexpected(std::move(e));
  }
  return std::make_unique<HostDir>(UniqueFd(fd), readOnly, HostResolver(mode));
}

// --- HostDir ---

WasiResult<void> HostDir::checkWritable() const {
  if (readOnly_) return err(Errno::Notcapable);
  return {};
}

WasiResult<HostParent> HostDir::parentOf(std::string_view path) const {
  HostParent p = BANTAM_TRY(resolver_.parent(fd_.get(), path));
  if (isDotDot(p.name)) BANTAM_TRY(resolver_.open(fd_.get(), path, O_PATH | O_DIRECTORY));
  return p;
}

WasiResult<Opened> HostDir::openAt(std::string_view path, const OpenOptions& o) {
  if (readOnly_ && (o.write || o.create || o.truncate)) return err(Errno::Notcapable);
  UniqueFd fd = BANTAM_TRY(resolver_.open(fd_.get(), path, openFlags(o), 0666));
  struct stat st;
  BANTAM_TRY(check(::fstat(fd.get(), &st)));
  if (!(o.fdflags & fdflags::kNonblock)) {
    int fl = ::fcntl(fd.get(), F_GETFL);
    if (fl >= 0) ::fcntl(fd.get(), F_SETFL, fl & ~O_NONBLOCK);
  }
  Opened out;
  if (S_ISDIR(st.st_mode)) {
    out.dir = std::make_unique<HostDir>(std::move(fd), readOnly_, resolver_);
    return out;
  }
  Filetype type = filetypeFromMode(st.st_mode);
  if (type == Filetype::SocketStream) {
    int so = 0;
    socklen_t len = sizeof so;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_TYPE, &so, &len) == 0 && so == SOCK_DGRAM) type = Filetype::SocketDgram;
  }
  out.file = std::make_unique<HostFile>(std::move(fd), type, o.fdflags);
  return out;
}

WasiResult<void> HostDir::createDirectoryAt(std::string_view path) {
  BANTAM_TRY(checkWritable());
  HostParent p = BANTAM_TRY(parentOf(path));
  return check(::mkdirat(p.fd, p.name.c_str(), 0777));
}

WasiResult<Filestat> HostDir::stat() {
  struct stat st;
  BANTAM_TRY(check(::fstat(fd_.get(), &st)));
  return filestatFromHost(st);
}

WasiResult<Filestat> HostDir::statAt(std::string_view path, bool follow) {
  // O_PATH opens without needing read permission and, with O_NOFOLLOW, opens a symlink
  // itself; fstat then describes exactly what resolution reached, beneath this directory.
  UniqueFd fd = BANTAM_TRY(resolver_.open(fd_.get(), path, O_PATH | (follow ? 0 : O_NOFOLLOW)));
  struct stat st;
  BANTAM_TRY(check(::fstat(fd.get(), &st)));
  return filestatFromHost(st);
}

WasiResult<void> HostDir::setTimes(NewTime atim, NewTime mtim) {
  BANTAM_TRY(checkWritable());
  struct timespec ts[2] = {timespecFor(atim), timespecFor(mtim)};
  return check(::futimens(fd_.get(), ts));
}

WasiResult<void> HostDir::setTimesAt(std::string_view path, bool follow, NewTime atim, NewTime mtim) {
  BANTAM_TRY(checkWritable());
  UniqueFd fd = BANTAM_TRY(resolver_.open(fd_.get(), path, O_PATH | (follow ? 0 : O_NOFOLLOW)));
  struct timespec ts[2] = {timespecFor(atim), timespecFor(mtim)};
  return check(::utimensat(fd.get(), "", ts, AT_EMPTY_PATH));
}

WasiResult<void> HostDir::linkAt(std::string_view oldPath, Dir& newDir, std::string_view newPath) {
  auto* target = dynamic_cast<HostDir*>(&newDir);
  if (target == nullptr) return err(Errno::Xdev);
  BANTAM_TRY(checkWritable());
  BANTAM_TRY(target->checkWritable());
  HostParent from = BANTAM_TRY(parentOf(oldPath));
  std::string_view fromName = stripTrailingSlashes(from.name);
  if (hasTrailingSlash(from.name) || fromName == "." || fromName == "..") {
    // A trailing slash would make linkat follow a final symlink without RESOLVE_BENEATH:
    // resolve it here instead. What it names is a directory, which cannot be hard-linked.
    BANTAM_TRY(resolver_.open(fd_.get(), oldPath, O_PATH | O_DIRECTORY));
    return err(Errno::Perm);
  }
  HostParent to = BANTAM_TRY(target->parentOf(newPath));
  return check(::linkat(from.fd, from.name.c_str(), to.fd, to.name.c_str(), 0));
}

WasiResult<std::string> HostDir::readlinkAt(std::string_view path) {
  HostParent p = BANTAM_TRY(parentOf(path));
  std::string_view name = stripTrailingSlashes(p.name);
  if (hasTrailingSlash(p.name) || name == "." || name == "..") {
    // Resolves through any final symlink, so what it names is not a symlink.
    BANTAM_TRY(resolver_.open(fd_.get(), path, O_PATH));
    return err(Errno::Inval);
  }
  std::string buf(256, '\0');
  for (;;) {
    ssize_t n = ::readlinkat(p.fd, p.name.c_str(), buf.data(), buf.size());
    if (n < 0) return err(errnoFromHost(errno));
    if (static_cast<size_t>(n) < buf.size()) {
      buf.resize(static_cast<size_t>(n));
      return buf;
    }
    if (buf.size() >= kMaxPathBytes) return err(Errno::Nametoolong);
    buf.resize(buf.size() * 2);
  }
}

WasiResult<void> HostDir::removeDirectoryAt(std::string_view path) {
  BANTAM_TRY(checkWritable());
  HostParent p = BANTAM_TRY(parentOf(path));
  return check(::unlinkat(p.fd, p.name.c_str(), AT_REMOVEDIR));
}

WasiResult<void> HostDir::unlinkFileAt(std::string_view path) {
  BANTAM_TRY(checkWritable());
  HostParent p = BANTAM_TRY(parentOf(path));
  return check(::unlinkat(p.fd, p.name.c_str(), 0));
}

WasiResult<void> HostDir::renameAt(std::string_view oldPath, Dir& newDir, std::string_view newPath) {
  auto* target = dynamic_cast<HostDir*>(&newDir);
  if (target == nullptr) return err(Errno::Xdev);
  BANTAM_TRY(checkWritable());
  BANTAM_TRY(target->checkWritable());
  HostParent from = BANTAM_TRY(parentOf(oldPath));
  HostParent to = BANTAM_TRY(target->parentOf(newPath));
  // renameat never follows a last-component symlink, trailing slash or not.
  return check(::renameat(from.fd, from.name.c_str(), to.fd, to.name.c_str()));
}

WasiResult<void> HostDir::symlinkAt(std::string_view target, std::string_view linkPath) {
  BANTAM_TRY(checkWritable());
  HostParent p = BANTAM_TRY(parentOf(linkPath));
  std::string contents(target);
  return check(::symlinkat(contents.c_str(), p.fd, p.name.c_str()));
}

WasiResult<std::vector<DirEntry>> HostDir::entries() {
  // A descriptor of its own, so that listing does not move any shared directory offset.
  UniqueFd dir(::openat(fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return err(errnoFromHost(errno));
  std::vector<DirEntry> out;
  alignas(8) char buf[32 * 1024];
  for (;;) {
    ssize_t n = ::getdents64(dir.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return err(errnoFromHost(errno));
    }
    if (n == 0) break;
    for (ssize_t off = 0; off < n;) {
      auto* d = reinterpret_cast<struct dirent64*>(buf + off);
      off += d->d_reclen;
      std::string_view name(d->d_name);
      if (name == "." || name == "..") continue;
      DirEntry e;
      e.name = std::string(name);
      e.ino = d->d_ino;
      switch (d->d_type) {
        case DT_REG: e.type = Filetype::RegularFile; break;
        case DT_DIR: e.type = Filetype::Directory; break;
        case DT_LNK: e.type = Filetype::SymbolicLink; break;
        case DT_CHR: e.type = Filetype::CharacterDevice; break;
        case DT_BLK: e.type = Filetype::BlockDevice; break;
        case DT_SOCK: e.type = Filetype::SocketStream; break;
        case DT_FIFO: e.type = Filetype::Unknown; break;
        default: {
          struct stat st;
          if (::fstatat(dir.get(), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) e.type = filetypeFromMode(st.st_mode);
          break;
        }
      }
      out.push_back(std::move(e));
    }
  }
  return out;
}

// --- HostFile ---

WasiResult<uint64_t> HostFile::read(std::span<const IoBuffer> bufs) {
  auto iov = hostIovecs(bufs);
  return retry([&] { return ::readv(fd_.get(), iov.data(), static_cast<int>(iov.size())); });
}

WasiResult<uint64_t> HostFile::pread(std::span<const IoBuffer> bufs, uint64_t offset) {
  if (offset > INT64_MAX) return err(Errno::Inval);
  auto iov = hostIovecs(bufs);
  return retry([&] { return ::preadv(fd_.get(), iov.data(), static_cast<int>(iov.size()), static_cast<off_t>(offset)); });
}

WasiResult<uint64_t> HostFile::write(std::span<const IoBuffer> bufs) {
  auto iov = hostIovecs(bufs);
  return retry([&] { return ::writev(fd_.get(), iov.data(), static_cast<int>(iov.size())); });
}

WasiResult<uint64_t> HostFile::pwrite(std::span<const IoBuffer> bufs, uint64_t offset) {
  if (offset > INT64_MAX) return err(Errno::Inval);
  auto iov = hostIovecs(bufs);
  return retry([&] { return ::pwritev(fd_.get(), iov.data(), static_cast<int>(iov.size()), static_cast<off_t>(offset)); });
}

WasiResult<uint64_t> HostFile::seek(int64_t offset, Whence whence) {
  int w = whence == Whence::Set ? SEEK_SET : whence == Whence::Cur ? SEEK_CUR : SEEK_END;
  off_t r = ::lseek(fd_.get(), offset, w);
  if (r < 0) return err(errnoFromHost(errno));
  return static_cast<uint64_t>(r);
}

WasiResult<uint64_t> HostFile::tell() { return seek(0, Whence::Cur); }

WasiResult<Filestat> HostFile::stat() {
  struct stat st;
  BANTAM_TRY(check(::fstat(fd_.get(), &st)));
  Filestat s = filestatFromHost(st);
  if (s.type == Filetype::SocketStream) s.type = type_;  // keep a datagram socket's type
  return s;
}

WasiResult<void> HostFile::setSize(uint64_t size) {
  if (size > INT64_MAX) return err(Errno::Inval);
  return check(::ftruncate(fd_.get(), static_cast<off_t>(size)));
}

WasiResult<void> HostFile::setTimes(NewTime atim, NewTime mtim) {
  struct timespec ts[2] = {timespecFor(atim), timespecFor(mtim)};
  return check(::futimens(fd_.get(), ts));
}

WasiResult<void> HostFile::advise(uint64_t offset, uint64_t len, Advice advice) {
  static constexpr int kAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  if (offset > INT64_MAX || len > INT64_MAX) return err(Errno::Inval);
  int r = ::posix_fadvise(fd_.get(), static_cast<off_t>(offset), static_cast<off_t>(len),
                          kAdvice[static_cast<int>(advice)]);
  // Advice on a pipe or socket is meaningless but harmless, as in Wasmtime.
  if (r == ESPIPE) return {};
  if (r != 0) return err(errnoFromHost(r));
  return {};
}

WasiResult<void> HostFile::allocate(uint64_t offset, uint64_t len) {
  if (offset > INT64_MAX || len > INT64_MAX || offset + len > INT64_MAX) return err(Errno::Fbig);
  if (len == 0) return err(Errno::Inval);
  int r = ::posix_fallocate(fd_.get(), static_cast<off_t>(offset), static_cast<off_t>(len));
  if (r != 0) return err(errnoFromHost(r));
  return {};
}

WasiResult<void> HostFile::datasync() { return check(::fdatasync(fd_.get())); }
WasiResult<void> HostFile::sync() { return check(::fsync(fd_.get())); }

WasiResult<void> HostFile::setFdflags(uint16_t flags) {
  // Wasmtime: only APPEND and NONBLOCK may change; asking for a sync flag is EINVAL.
  if (flags & (fdflags::kDsync | fdflags::kRsync | fdflags::kSync)) return err(Errno::Inval);
  int fl = ::fcntl(fd_.get(), F_GETFL);
  if (fl < 0) return err(errnoFromHost(errno));
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & fdflags::kAppend) fl |= O_APPEND;
  if (flags & fdflags::kNonblock) fl |= O_NONBLOCK;
  BANTAM_TRY(check(::fcntl(fd_.get(), F_SETFL, fl)));
  flags_ = static_cast<uint16_t>((flags_ & (fdflags::kDsync | fdflags::kRsync | fdflags::kSync)) | flags);
  return {};
}

Readiness HostFile::readiness(bool forWrite) {
  if (type_ == Filetype::RegularFile || type_ == Filetype::Directory) {
    // Regular files are always ready (the spec: "This event always triggers for regular
    // files"); nbytes is what is left to read from the current offset.
    Readiness r{true, 0, false, -1};
    struct stat st;
    off_t pos = ::lseek(fd_.get(), 0, SEEK_CUR);
    if (!forWrite && pos >= 0 && ::fstat(fd_.get(), &st) == 0 && st.st_size > pos)
      r.nbytes = static_cast<uint64_t>(st.st_size - pos);
    return r;
  }
  return Readiness{false, 0, false, fd_.get()};
}

}  // namespace bantam::wasi
