// Host directories and files: real directories on the machine running Bantam, reached only
// through the directory descriptors the embedder pre-opened (--dir) and resolved beneath them
// (host_path.h).
#pragma once

#include <sys/stat.h>

#include <memory>
#include <string>

#include "common/error.h"
#include "wasi/filesystem.h"
#include "wasi/host_path.h"

namespace bantam::wasi {

class HostDir final : public Dir {
 public:
  HostDir(UniqueFd fd, bool readOnly, HostResolver resolver) : fd_(std::move(fd)), readOnly_(readOnly), resolver_(resolver) {}

  WasiResult<Opened> openAt(std::string_view path, const OpenOptions& options) override;
  WasiResult<void> createDirectoryAt(std::string_view path) override;
  WasiResult<Filestat> stat() override;
  WasiResult<Filestat> statAt(std::string_view path, bool followSymlinks) override;
  WasiResult<void> setTimes(NewTime atim, NewTime mtim) override;
  WasiResult<void> setTimesAt(std::string_view path, bool followSymlinks, NewTime atim, NewTime mtim) override;
  WasiResult<void> linkAt(std::string_view oldPath, Dir& newDir, std::string_view newPath) override;
  WasiResult<std::string> readlinkAt(std::string_view path) override;
  WasiResult<void> removeDirectoryAt(std::string_view path) override;
  WasiResult<void> unlinkFileAt(std::string_view path) override;
  WasiResult<void> renameAt(std::string_view oldPath, Dir& newDir, std::string_view newPath) override;
  WasiResult<void> symlinkAt(std::string_view target, std::string_view linkPath) override;
  WasiResult<std::vector<DirEntry>> entries() override;

  int fd() const { return fd_.get(); }

 private:
  // A last component ".." is resolved in full first, so that "x/.." at the top is ENOTCAPABLE
  // rather than an operation on the directory above.
  WasiResult<HostParent> parentOf(std::string_view path) const;
  WasiResult<void> checkWritable() const;

  UniqueFd fd_;
  bool readOnly_;
  HostResolver resolver_;
};

class HostFile final : public File {
 public:
  HostFile(UniqueFd fd, Filetype type, uint16_t fdflags) : fd_(std::move(fd)), type_(type) { flags_ = fdflags; }

  bool isStream() const override { return false; }
  Filetype filetype() const override { return type_; }
  WasiResult<uint64_t> read(std::span<const IoBuffer> bufs) override;
  WasiResult<uint64_t> pread(std::span<const IoBuffer> bufs, uint64_t offset) override;
  WasiResult<uint64_t> write(std::span<const IoBuffer> bufs) override;
  WasiResult<uint64_t> pwrite(std::span<const IoBuffer> bufs, uint64_t offset) override;
  WasiResult<uint64_t> seek(int64_t offset, Whence whence) override;
  WasiResult<uint64_t> tell() override;
  WasiResult<Filestat> stat() override;
  WasiResult<void> setSize(uint64_t size) override;
  WasiResult<void> setTimes(NewTime atim, NewTime mtim) override;
  WasiResult<void> advise(uint64_t offset, uint64_t len, Advice advice) override;
  WasiResult<void> allocate(uint64_t offset, uint64_t len) override;
  WasiResult<void> datasync() override;
  WasiResult<void> sync() override;
  WasiResult<void> setFdflags(uint16_t flags) override;
  Readiness readiness(bool forWrite) override;

  int fd() const { return fd_.get(); }

 private:
  UniqueFd fd_;
  Filetype type_;
};

// Opens a host directory to pre-open for a guest.
Result<std::unique_ptr<HostDir>> openHostDir(const std::string& hostPath, bool readOnly,
                                             ResolveMode mode = ResolveMode::Auto);

// Conversions shared by the host implementations.
Filetype filetypeFromMode(mode_t mode);
Filestat filestatFromHost(const struct stat& st);
struct timespec timespecFor(NewTime t);

}  // namespace bantam::wasi
