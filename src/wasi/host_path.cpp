// Sandboxed host path resolution: openat2(RESOLVE_BENEATH) or the manual walk.
#include "wasi/host_path.h"

#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <vector>

namespace bantam::wasi {

void UniqueFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool hasTrailingSlash(std::string_view name) { return !name.empty() && name.back() == '/'; }

std::string_view stripTrailingSlashes(std::string_view name) {
  while (name.size() > 1 && name.back() == '/') name.remove_suffix(1);
  return name;
}

namespace {

// Linux's MAXSYMLINKS: expansions allowed in one resolution before ELOOP.
constexpr int kMaxSymlinks = 40;

long sysOpenat2(int dirfd, const char* path, int flags, mode_t mode) {
  struct open_how how = {};
  how.flags = static_cast<uint64_t>(flags);
  // (glibc's __O_TMPFILE includes O_DIRECTORY: test the whole O_TMPFILE.)
  how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  return ::syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

bool kernelHasOpenat2() {
  long fd = sysOpenat2(AT_FDCWD, ".", O_PATH | O_CLOEXEC, 0);
  if (fd >= 0) {
    ::close(static_cast<int>(fd));
    return true;
  }
  // ENOSYS: too old. EPERM: a seccomp filter (some container runtimes) refuses it.
  return errno != ENOSYS && errno != EPERM;
}

void splitInto(std::deque<std::string>& out, std::string_view path, bool front) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  if (front) out.insert(out.begin(), parts.begin(), parts.end());
  else out.insert(out.end(), parts.begin(), parts.end());
}

// The contents of symlink `name` in `dirfd`; nullopt-like ENOENT/EINVAL when it is not one.
WasiResult<std::string> readLink(int dirfd, const std::string& name) {
  std::string buf(256, '\0');
  for (;;) {
    ssize_t n = ::readlinkat(dirfd, name.c_str(), buf.data(), buf.size());
    if (n < 0) return err(errnoFromHost(errno));
    if (static_cast<size_t>(n) < buf.size()) {
      buf.resize(static_cast<size_t>(n));
      return buf;
    }
    if (buf.size() >= 64 * 1024) return err(Errno::Nametoolong);
    buf.resize(buf.size() * 2);
  }
}

}  // namespace

HostResolver::HostResolver(ResolveMode mode) {
  static const bool hasOpenat2 = kernelHasOpenat2();  // a fact about the kernel, probed once
  useOpenat2_ = mode == ResolveMode::Auto && hasOpenat2;
}

WasiResult<UniqueFd> HostResolver::open(int dirfd, std::string_view path, int flags, mode_t mode) const {
  if (path.empty()) return err(Errno::Noent);
  if (path.front() == '/') return err(Errno::Notcapable);
  if (!useOpenat2_) return openManual(dirfd, path, flags, mode);
  std::string p(path);
  for (int attempt = 0;; ++attempt) {
    long fd = sysOpenat2(dirfd, p.c_str(), flags | O_CLOEXEC, mode);
    if (fd >= 0) return UniqueFd(static_cast<int>(fd));
    int e = errno;
    // EAGAIN: a concurrent rename may have moved something across "..": the kernel refuses
    // rather than risk an escape; try again a few times.
    if (e == EAGAIN && attempt < 16) continue;
    if (e == EINTR) continue;
    if (e == EXDEV) return err(Errno::Notcapable);  // resolution would leave the directory
    return err(errnoFromHost(e));
  }
}

WasiResult<UniqueFd> HostResolver::openManual(int dirfd, std::string_view path, int flags, mode_t mode) const {
  std::deque<std::string> todo;
  splitInto(todo, path, false);
  bool mustBeDir = path.back() == '/';
  bool followLast = !(flags & O_NOFOLLOW);
  // open(O_CREAT|O_EXCL) never follows a symlink in the last component.
  if ((flags & O_CREAT) && (flags & O_EXCL)) followLast = false;
  int lastFlags = (flags & ~O_NOFOLLOW) | O_NOFOLLOW | O_CLOEXEC;

  std::vector<UniqueFd> stack;  // directories entered below dirfd
  int links = 0;
  auto cur = [&] { return stack.empty() ? dirfd : stack.back().get(); };
  // Splices symlink `name` of the current directory into the path; false if it is no symlink.
  auto expand = [&](const std::string& name, bool last) -> WasiResult<bool> {
    auto target = readLink(cur(), name);
    if (!target) return false;
    if (++links > kMaxSymlinks) return err(Errno::Loop);
    if (target->empty()) return err(Errno::Noent);
    if (target->front() == '/') return err(Errno::Notcapable);  // absolute: outside by definition
    if (last && target->back() == '/') mustBeDir = true;
    splitInto(todo, *target, true);
    return true;
  };
  auto openHere = [&](const char* name, int f) -> WasiResult<UniqueFd> {
    int fd = ::openat(cur(), name, f, mode);
    if (fd < 0) return err(errnoFromHost(errno));
    return UniqueFd(fd);
  };

  while (!todo.empty()) {
    std::string name = std::move(todo.front());
    todo.pop_front();
    bool last = todo.empty();
    if (name == "." || name == "..") {
      if (name == "..") {
        if (stack.empty()) return err(Errno::Notcapable);
        stack.pop_back();
      }
      if (!last) continue;
      if (flags & O_CREAT) return err(Errno::Isdir);
      return openHere(".", (flags & ~O_NOFOLLOW) | O_CLOEXEC);
    }
    if (!last) {
      int fd = ::openat(cur(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0) {
        stack.emplace_back(fd);
        continue;
      }
      int e = errno;
      if (e == ENOTDIR || e == ELOOP) {
        bool wasLink = BANTAM_TRY(expand(name, false));
        if (wasLink) continue;
      }
      return err(errnoFromHost(e));
    }
    if (followLast || mustBeDir) {
      bool wasLink = BANTAM_TRY(expand(name, true));
      if (wasLink) continue;
    }
    if (mustBeDir && (flags & O_CREAT)) return err(Errno::Isdir);
    return openHere(name.c_str(), lastFlags | (mustBeDir ? O_DIRECTORY : 0));
  }
  // Only reached when the path had no components at all (e.g. "//" is absolute, caught above).
  return err(Errno::Noent);
}

WasiResult<HostParent> HostResolver::parent(int dirfd, std::string_view path) const {
  if (path.empty()) return err(Errno::Noent);
  if (path.front() == '/') return err(Errno::Notcapable);
  size_t end = path.find_last_not_of('/');
  size_t slash = path.rfind('/', end);
  HostParent p;
  if (slash == std::string_view::npos) {
    p.fd = dirfd;
    p.name = std::string(path);
    return p;
  }
  p.owned = BANTAM_TRY(open(dirfd, path.substr(0, slash + 1), O_PATH | O_DIRECTORY));
  p.fd = p.owned.get();
  p.name = std::string(path.substr(slash + 1));
  return p;
}

}  // namespace bantam::wasi
