// Stdio streams for WASI's descriptors 0, 1 and 2: the host's own stdio (inherited), memory
// buffers (tests, and the platform's request/response bodies) and a sink that drops output.
// Streams are not seekable (ESPIPE), as Wasmtime's stdio.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "wasi/filesystem.h"

namespace bantam::wasi {

// A host descriptor used as a stream (not owned unless `owned`): reads and writes block;
// fd_fdstat_get reports a character device when it is a terminal, else unknown (Wasmtime).
class HostStream final : public File {
 public:
  HostStream(int fd, bool readable, bool writable, bool owned = false);
  ~HostStream() override;

  Filetype filetype() const override { return type_; }
  WasiResult<uint64_t> read(std::span<const IoBuffer> bufs) override;
  WasiResult<uint64_t> write(std::span<const IoBuffer> bufs) override;
  Readiness readiness(bool forWrite) override { return Readiness{false, 0, false, fd_}; }

 private:
  int fd_;
  bool readable_, writable_, owned_;
  Filetype type_;
};

// Input from a byte string.
class MemoryInput final : public File {
 public:
  explicit MemoryInput(std::string data) : data_(std::move(data)) {}
  Filetype filetype() const override { return Filetype::Unknown; }
  WasiResult<uint64_t> read(std::span<const IoBuffer> bufs) override;
  Readiness readiness(bool forWrite) override;

 private:
  std::string data_;
  size_t pos_ = 0;
};

// Output collected in memory (shared, so the embedder can read it after the guest ran), up to
// a limit past which writes fail with ENOSPC.
class MemoryOutput final : public File {
 public:
  struct Buffer {
    std::mutex mutex;
    std::string data;
    std::string take() {
      std::lock_guard lock(mutex);
      return std::exchange(data, {});
    }
    std::string contents() {
      std::lock_guard lock(mutex);
      return data;
    }
  };
  explicit MemoryOutput(std::shared_ptr<Buffer> buffer, size_t limit = size_t{64} << 20)
      : buffer_(std::move(buffer)), limit_(limit) {}
  Filetype filetype() const override { return Filetype::Unknown; }
  WasiResult<uint64_t> write(std::span<const IoBuffer> bufs) override;

 private:
  std::shared_ptr<Buffer> buffer_;
  size_t limit_;
};

// Output that is accepted and dropped.
class NullOutput final : public File {
 public:
  Filetype filetype() const override { return Filetype::Unknown; }
  WasiResult<uint64_t> write(std::span<const IoBuffer> bufs) override { return totalLength(bufs); }
};

}  // namespace bantam::wasi
