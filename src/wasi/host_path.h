// Sandboxed path resolution on the host: every path is resolved beneath a directory
// descriptor, never escaping it through "..", absolute paths, symlinks or concurrent renames.
// Linux >= 5.6: openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS). Older kernels (or when
// forced, for the tests): a component-by-component walk with O_NOFOLLOW and readlinkat, as
// WASI's path-resolution.md describes.
#pragma once

#include <fcntl.h>
#include <sys/types.h>

#include <string>
#include <string_view>
#include <utility>

#include "wasi/wasi_types.h"

namespace bantam::wasi {

// An owned host file descriptor.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset();
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// The directory holding a path's last component, and that component: a single name, possibly
// "." or "..", possibly with the path's trailing slashes (which the *at calls interpret).
struct HostParent {
  UniqueFd owned;  // empty when the parent is the starting directory itself
  int fd = -1;
  std::string name;
};

enum class ResolveMode : uint8_t {
  Auto,    // openat2 when the kernel has it, else the manual walk
  Manual,  // always the manual walk (tests use this to cover the fallback)
};

class HostResolver {
 public:
  explicit HostResolver(ResolveMode mode = ResolveMode::Auto);

  // Opens `path` beneath `dirfd` with open(2) `flags` (O_NOFOLLOW applies to the last
  // component; O_CLOEXEC is added). Escapes are ENOTCAPABLE.
  WasiResult<UniqueFd> open(int dirfd, std::string_view path, int flags, mode_t mode = 0) const;

  // Splits `path` into its directory (opened beneath `dirfd`, following symlinks) and its
  // last component. Empty path: ENOENT; absolute: ENOTCAPABLE.
  WasiResult<HostParent> parent(int dirfd, std::string_view path) const;

  bool usesOpenat2() const { return useOpenat2_; }

 private:
  WasiResult<UniqueFd> openManual(int dirfd, std::string_view path, int flags, mode_t mode) const;
  bool useOpenat2_;
};

// A path's last component ends with '/' (or is "." / ".."): it must name a directory and is
// resolved through a final symlink.
bool hasTrailingSlash(std::string_view name);
// The name without its trailing slashes.
std::string_view stripTrailingSlashes(std::string_view name);

}  // namespace bantam::wasi
