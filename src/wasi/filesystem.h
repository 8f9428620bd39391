// The capabilities behind WASI descriptors (STYLE rule 7: injected, never global): a Dir is a
// directory the guest may resolve paths beneath, a File anything else it can hold (regular
// file, stdio stream, socket). Implementations: host directories (host_fs.h), an in-memory
// filesystem (memory_fs.h), streams (streams.h) and sockets (socket.h).
//
// Every path a Dir receives is relative to that directory and resolved beneath it: "..",
// absolute paths and symlinks may never lead outside (ENOTCAPABLE), as in CloudABI and
// Wasmtime (cap-std). The WASI layer checks rights and argument values before calling.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wasi/guest_memory.h"
#include "wasi/wasi_types.h"

namespace bantam::wasi {

struct Filestat {
  uint64_t dev = 0;
  uint64_t ino = 0;
  Filetype type = Filetype::Unknown;
  uint64_t nlink = 0;
  uint64_t size = 0;
  uint64_t atim = 0;  // nanoseconds since the Unix epoch
  uint64_t mtim = 0;
  uint64_t ctim = 0;
};

// One timestamp of a set_times call.
struct NewTime {
  enum Kind : uint8_t { Keep, Now, At } kind = Keep;
  uint64_t ns = 0;  // for At: nanoseconds since the Unix epoch
};

struct DirEntry {
  std::string name;
  uint64_t ino = 0;
  Filetype type = Filetype::Unknown;
};

// What path_open asks of a Dir once the WASI layer has checked rights and flags.
struct OpenOptions {
  bool followSymlinks = false;  // for the last component; intermediate ones are always followed
  bool create = false;
  bool exclusive = false;
  bool truncate = false;
  bool directory = false;  // fail with ENOTDIR unless it is a directory
  bool read = false;
  bool write = false;
  uint16_t fdflags = 0;  // append, dsync, nonblock, rsync, sync
};

// Readiness of a descriptor for poll_oneoff.
struct Readiness {
  bool ready = false;     // ready now (regular files and memory streams always are)
  uint64_t nbytes = 0;    // bytes available to read (or capacity to write) when known
  bool hangup = false;    // the peer has closed
  int hostFd = -1;        // when not ready: a host descriptor to wait on with poll(2)
};

class File {
 public:
  virtual ~File() = default;
  virtual Filetype filetype() const = 0;
  // Streams (stdio, sockets, memory buffers) have no position (ESPIPE) and cannot be synced,
  // resized or advised (EBADF, as Wasmtime's stdio); files opened from a Dir are not streams.
  virtual bool isStream() const { return true; }

  // The defaults answer what an object of no particular kind answers: Wasmtime's EBADF for
  // operations on the wrong kind of descriptor, ESPIPE for positions on streams, ENOTSOCK.
  virtual WasiResult<uint64_t> read(std::span<const IoBuffer> bufs) { return err(Errno::Badf); }
  virtual WasiResult<uint64_t> pread(std::span<const IoBuffer> bufs, uint64_t offset) { return err(Errno::Spipe); }
  virtual WasiResult<uint64_t> write(std::span<const IoBuffer> bufs) { return err(Errno::Badf); }
  virtual WasiResult<uint64_t> pwrite(std::span<const IoBuffer> bufs, uint64_t offset) { return err(Errno::Spipe); }
  virtual WasiResult<uint64_t> seek(int64_t offset, Whence whence) { return err(Errno::Spipe); }
  virtual WasiResult<uint64_t> tell() { return err(Errno::Spipe); }
  virtual WasiResult<Filestat> stat() {
    Filestat s;
    s.type = filetype();
    return s;
  }
  virtual WasiResult<void> setSize(uint64_t size) { return err(Errno::Badf); }
  virtual WasiResult<void> setTimes(NewTime atim, NewTime mtim) { return err(Errno::Badf); }
  virtual WasiResult<void> advise(uint64_t offset, uint64_t len, Advice advice) { return err(Errno::Badf); }
  virtual WasiResult<void> allocate(uint64_t offset, uint64_t len) { return err(Errno::Badf); }
  virtual WasiResult<void> datasync() { return err(Errno::Badf); }
  virtual WasiResult<void> sync() { return err(Errno::Badf); }

  virtual uint16_t fdflags() const { return flags_; }
  // Only APPEND and NONBLOCK may change after opening (Wasmtime: the sync flags are EINVAL).
  virtual WasiResult<void> setFdflags(uint16_t flags) {
    if (flags & (fdflags::kDsync | fdflags::kRsync | fdflags::kSync)) return err(Errno::Inval);
    flags_ = flags;  // streams: NONBLOCK and APPEND are remembered (reads and writes still block)
    return {};
  }

  virtual Readiness readiness(bool forWrite) { return Readiness{true, 0, false, -1}; }

  // Sockets (sock_*). Not a socket: ENOTSOCK.
  virtual WasiResult<std::unique_ptr<File>> accept(uint16_t fdflags) { return err(Errno::Notsock); }
  virtual WasiResult<std::pair<uint64_t, uint16_t>> recv(std::span<const IoBuffer> bufs, uint16_t riflags) {
    return err(Errno::Notsock);
  }
  virtual WasiResult<uint64_t> send(std::span<const IoBuffer> bufs, uint16_t siflags) { return err(Errno::Notsock); }
  virtual WasiResult<void> shutdown(uint8_t how) { return err(Errno::Notsock); }
  virtual bool isListener() const { return false; }

 protected:
  uint16_t flags_ = 0;
};

class Dir;

// The result of opening a path: a file or a directory.
struct Opened {
  std::unique_ptr<File> file;
  std::unique_ptr<Dir> dir;
};

class Dir {
 public:
  virtual ~Dir() = default;

  virtual WasiResult<Opened> openAt(std::string_view path, const OpenOptions& options) = 0;
  virtual WasiResult<void> createDirectoryAt(std::string_view path) = 0;
  virtual WasiResult<Filestat> stat() = 0;
  virtual WasiResult<Filestat> statAt(std::string_view path, bool followSymlinks) = 0;
  virtual WasiResult<void> setTimes(NewTime atim, NewTime mtim) = 0;
  virtual WasiResult<void> setTimesAt(std::string_view path, bool followSymlinks, NewTime atim, NewTime mtim) = 0;
  // Hard link (the source is never followed). `newDir` of another implementation: EXDEV.
  virtual WasiResult<void> linkAt(std::string_view oldPath, Dir& newDir, std::string_view newPath) = 0;
  virtual WasiResult<std::string> readlinkAt(std::string_view path) = 0;
  virtual WasiResult<void> removeDirectoryAt(std::string_view path) = 0;
  virtual WasiResult<void> unlinkFileAt(std::string_view path) = 0;
  virtual WasiResult<void> renameAt(std::string_view oldPath, Dir& newDir, std::string_view newPath) = 0;
  virtual WasiResult<void> symlinkAt(std::string_view target, std::string_view linkPath) = 0;
  // The entries other than "." and "..", in a stable order.
  virtual WasiResult<std::vector<DirEntry>> entries() = 0;
};

// A timestamp in nanoseconds, saturating (filestat times are u64 nanoseconds).
inline uint64_t toNanos(int64_t sec, int64_t nsec) {
  if (sec < 0) return 0;
  __uint128_t ns = static_cast<__uint128_t>(sec) * 1'000'000'000u + static_cast<uint64_t>(nsec);
  return ns > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(ns);
}

}  // namespace bantam::wasi
