// An in-memory filesystem: directories, regular files, symlinks and hard links, with the same
// resolution rules and errno values as host directories on Linux (beneath each directory
// handle, ".." and symlinks never escape). Tests use it, and the platform gives each component
// its own view. Size-limited (ENOSPC), thread-safe (one lock per filesystem).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wasi/filesystem.h"
#include "wasi/system.h"

namespace bantam::wasi {

struct MemUsage {
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> nodes{0};
};

struct MemNode {
  ~MemNode();
  Filetype type = Filetype::RegularFile;
  uint64_t ino = 0;
  uint64_t nlink = 1;
  uint64_t atim = 0, mtim = 0, ctim = 0;
  std::vector<uint8_t> data;                               // regular file
  std::map<std::string, std::shared_ptr<MemNode>> children;  // directory, in name order
  MemNode* parentDir = nullptr;                            // directory; null once removed
  bool removed = false;                                    // directory: rmdir'ed (no new entries)
  std::string target;                                      // symlink
  std::shared_ptr<MemUsage> usage;
};

class MemFilesystem : public std::enable_shared_from_this<MemFilesystem> {
 public:
  struct Options {
    uint64_t maxBytes = uint64_t{1} << 30;  // file contents in total
    uint64_t maxNodes = 1'000'000;          // files, directories and symlinks
    std::shared_ptr<Clocks> clocks;         // timestamps; null: host clocks
  };
  static std::shared_ptr<MemFilesystem> create(Options options);
  static std::shared_ptr<MemFilesystem> create() { return create(Options{}); }

  // A directory capability for the root (what a preopen gets).
  std::unique_ptr<Dir> root(bool readOnly = false);

  // Host-side helpers (seeding a guest's view, reading its results); paths are relative to the
  // root and follow the guest's rules. Directories are created as needed by writeFile.
  WasiResult<void> writeFile(std::string_view path, std::string_view contents);
  WasiResult<std::string> readFile(std::string_view path);
  WasiResult<void> createDirectories(std::string_view path);
  WasiResult<void> createSymlink(std::string_view target, std::string_view path);

  uint64_t usedBytes() const { return usage_->bytes.load(); }

  // --- for MemDir and MemFile ---
  std::mutex& mutex() { return mutex_; }
  uint64_t now();
  std::shared_ptr<MemNode> newNode(Filetype type);  // EINVAL-free; callers check nodeLimit first
  WasiResult<void> reserveNode() const;
  WasiResult<void> resize(MemNode& file, uint64_t size);
  const std::shared_ptr<MemNode>& rootNode() const { return root_; }

 private:
  explicit MemFilesystem(Options options);
  Options options_;
  std::mutex mutex_;
  std::shared_ptr<MemUsage> usage_;
  std::shared_ptr<MemNode> root_;
  uint64_t nextIno_ = 1;
};

class MemDir final : public Dir {
 public:
  MemDir(std::shared_ptr<MemFilesystem> fs, std::shared_ptr<MemNode> node, bool readOnly)
      : fs_(std::move(fs)), node_(std::move(node)), readOnly_(readOnly) {}

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

 private:
  WasiResult<void> checkWritable() const;
  std::shared_ptr<MemFilesystem> fs_;
  std::shared_ptr<MemNode> node_;
  bool readOnly_;
};

class MemFile final : public File {
 public:
  MemFile(std::shared_ptr<MemFilesystem> fs, std::shared_ptr<MemNode> node, uint16_t fdflags)
      : fs_(std::move(fs)), node_(std::move(node)) {
    flags_ = fdflags;
  }

  bool isStream() const override { return false; }
  Filetype filetype() const override { return Filetype::RegularFile; }
  WasiResult<uint64_t> read(std::span<const IoBuffer> bufs) override;
  WasiResult<uint64_t> pread(std::span<const IoBuffer> bufs, uint64_t offset) override;
  WasiResult<uint64_t> write(std::span<const IoBuffer> bufs) override;
  WasiResult<uint64_t> pwrite(std::span<const IoBuffer> bufs, uint64_t offset) override;
  WasiResult<uint64_t> seek(int64_t offset, Whence whence) override;
  WasiResult<uint64_t> tell() override;
  WasiResult<Filestat> stat() override;
  WasiResult<void> setSize(uint64_t size) override;
  WasiResult<void> setTimes(NewTime atim, NewTime mtim) override;
  WasiResult<void> advise(uint64_t offset, uint64_t len, Advice advice) override { return {}; }
  WasiResult<void> allocate(uint64_t offset, uint64_t len) override;
  WasiResult<void> datasync() override { return {}; }
  WasiResult<void> sync() override { return {}; }
  WasiResult<void> setFdflags(uint16_t flags) override;
  Readiness readiness(bool forWrite) override;

 private:
  uint64_t readAt(std::span<const IoBuffer> bufs, uint64_t offset);
  WasiResult<uint64_t> writeAt(std::span<const IoBuffer> bufs, uint64_t offset);
  std::shared_ptr<MemFilesystem> fs_;
  std::shared_ptr<MemNode> node_;
  uint64_t pos_ = 0;
};

}  // namespace bantam::wasi
