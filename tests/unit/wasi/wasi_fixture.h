// Test fixture for the WASI host functions: a fake guest memory, a WasiCtx over an in-memory
// or host directory (openat2 or the manual resolver), captured stdio, fake clocks and seeded
// randomness, and helpers that place strings in guest memory and call preview1 functions.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "wasi/host_fs.h"
#include "wasi/memory_fs.h"
#include "wasi/preview1.h"
#include "wasi/streams.h"
#include "wasi/wasi_ctx.h"

namespace bantam::wasi::testing {

enum class Backend { Memory, HostOpenat2, HostManual };

inline std::string backendName(const ::testing::TestParamInfo<Backend>& info) {
  switch (info.param) {
    case Backend::Memory: return "Memory";
    case Backend::HostOpenat2: return "HostOpenat2";
    case Backend::HostManual: return "HostManual";
  }
  return "?";
}

// A scratch directory on the host, removed afterwards.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/bantam-wasi-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    // Directories made read-only by a test must be writable again to be removed.
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

inline void writeHostFile(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}
inline std::string readHostFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct EnvOptions {
  Backend backend = Backend::Memory;
  bool readOnly = false;
  std::string stdinData;
  std::vector<std::string> args = {"prog"};
  std::vector<std::string> env;
  std::string guestPath = "/sandbox";
};

class WasiEnv {
 public:
  explicit WasiEnv(EnvOptions o = {}) : options(std::move(o)) {
    memory.assign(4 << 20, 0);
    mem = GuestMemory(memory.data(), memory.size());
    clocks = std::make_shared<FakeClocks>();
    WasiConfig c;
    c.args = options.args;
    c.env = options.env;
    c.clocks = clocks;
    c.random = std::make_shared<SeededRandom>(42);
    c.stdinFile = std::make_unique<MemoryInput>(options.stdinData);
    c.stdoutFile = std::make_unique<MemoryOutput>(out);
    c.stderrFile = std::make_unique<MemoryOutput>(err);
    PreopenDir p;
    p.guestPath = options.guestPath;
    p.readOnly = options.readOnly;
    if (options.backend == Backend::Memory) {
      MemFilesystem::Options mo;
      mo.clocks = clocks;
      memfs = MemFilesystem::create(mo);
      p.dir = memfs->root(options.readOnly);
    } else {
      host = std::make_unique<TempDir>();
      std::filesystem::create_directory(host->path() + "/sandbox");
      auto d = openHostDir(host->path() + "/sandbox", options.readOnly,
                           options.backend == Backend::HostManual ? ResolveMode::Manual : ResolveMode::Auto);
      EXPECT_TRUE(d.has_value());
      p.dir = std::move(*d);
    }
    c.preopens.push_back(std::move(p));
    auto made = WasiCtx::create(std::move(c));
    EXPECT_TRUE(made.has_value());
    ctx = std::move(*made);
  }

  // The pre-opened directory's descriptor.
  static constexpr uint32_t kRoot = 3;

  // Guest memory allocation: a bump pointer from 1024, 8-aligned.
  uint32_t alloc(uint32_t n) {
    uint32_t p = (next + 7) & ~7u;
    if (p + n > memory.size() - 4096) p = 1024;  // wrap: callers use what they allocate at once
    next = p + n;
    return p;
  }
  uint32_t put(std::string_view s) {
    uint32_t p = alloc(static_cast<uint32_t>(s.size()) + 1);
    std::memcpy(memory.data() + p, s.data(), s.size());
    return p;
  }
  template <class T>
  T load(uint32_t p) const {
    T v;
    std::memcpy(&v, memory.data() + p, sizeof v);
    return v;
  }
  template <class T>
  void store(uint32_t p, T v) {
    std::memcpy(memory.data() + p, &v, sizeof v);
  }
  std::string bytes(uint32_t p, uint32_t n) const { return std::string(reinterpret_cast<const char*>(memory.data() + p), n); }

  // An iovec array of one buffer holding `data` (for writes) or `size` bytes (for reads).
  uint32_t iov(uint32_t buf, uint32_t len) {
    uint32_t a = alloc(8);
    store<uint32_t>(a, buf);
    store<uint32_t>(a + 4, len);
    return a;
  }

  // --- calls ---
  Errno open(std::string_view path, uint32_t* fd, uint32_t oflags = 0, uint64_t base = rights::kAll,
             uint32_t fdflags = 0, uint32_t lookup = kLookupSymlinkFollow, uint32_t dirfd = kRoot,
             uint64_t inheriting = rights::kAll) {
    uint32_t p = put(path), out = alloc(4);
    Errno e = p1::pathOpen(*ctx, mem, dirfd, lookup, p, static_cast<uint32_t>(path.size()), oflags, base, inheriting,
                           fdflags, out);
    if (e == Errno::Success && fd) *fd = load<uint32_t>(out);
    return e;
  }
  Errno create(std::string_view path, std::string_view contents = {}, uint32_t dirfd = kRoot) {
    uint32_t fd;
    Errno e = open(path, &fd, oflags::kCreat | oflags::kTrunc, rights::kAll, 0, kLookupSymlinkFollow, dirfd);
    if (e != Errno::Success) return e;
    if (!contents.empty()) {
      uint32_t n;
      e = write(fd, contents, &n);
    }
    p1::fdClose(*ctx, mem, fd);
    return e;
  }
  Errno write(uint32_t fd, std::string_view data, uint32_t* n = nullptr) {
    uint32_t b = put(data), v = iov(b, static_cast<uint32_t>(data.size())), out = alloc(4);
    Errno e = p1::fdWrite(*ctx, mem, fd, v, 1, out);
    if (n) *n = load<uint32_t>(out);
    return e;
  }
  Errno read(uint32_t fd, std::string* data, uint32_t max = 4096) {
    uint32_t b = alloc(max), v = iov(b, max), out = alloc(4);
    Errno e = p1::fdRead(*ctx, mem, fd, v, 1, out);
    if (e == Errno::Success && data) *data = bytes(b, load<uint32_t>(out));
    return e;
  }
  std::string readAll(std::string_view path) {
    uint32_t fd;
    if (open(path, &fd, 0, rights::kFdRead) != Errno::Success) return "<open failed>";
    std::string all, chunk;
    while (read(fd, &chunk) == Errno::Success && !chunk.empty()) all += chunk;
    p1::fdClose(*ctx, mem, fd);
    return all;
  }
  Errno mkdir(std::string_view path, uint32_t dirfd = kRoot) {
    uint32_t p = put(path);
    return p1::pathCreateDirectory(*ctx, mem, dirfd, p, static_cast<uint32_t>(path.size()));
  }
  Errno rmdir(std::string_view path, uint32_t dirfd = kRoot) {
    uint32_t p = put(path);
    return p1::pathRemoveDirectory(*ctx, mem, dirfd, p, static_cast<uint32_t>(path.size()));
  }
  Errno unlink(std::string_view path, uint32_t dirfd = kRoot) {
    uint32_t p = put(path);
    return p1::pathUnlinkFile(*ctx, mem, dirfd, p, static_cast<uint32_t>(path.size()));
  }
  Errno symlink(std::string_view target, std::string_view path, uint32_t dirfd = kRoot) {
    uint32_t t = put(target), p = put(path);
    return p1::pathSymlink(*ctx, mem, t, static_cast<uint32_t>(target.size()), dirfd, p,
                           static_cast<uint32_t>(path.size()));
  }
  Errno link(std::string_view from, std::string_view to, uint32_t fromFd = kRoot, uint32_t toFd = kRoot,
             uint32_t flags = 0) {
    uint32_t a = put(from), b = put(to);
    return p1::pathLink(*ctx, mem, fromFd, flags, a, static_cast<uint32_t>(from.size()), toFd, b,
                        static_cast<uint32_t>(to.size()));
  }
  Errno rename(std::string_view from, std::string_view to, uint32_t fromFd = kRoot, uint32_t toFd = kRoot) {
    uint32_t a = put(from), b = put(to);
    return p1::pathRename(*ctx, mem, fromFd, a, static_cast<uint32_t>(from.size()), toFd, b,
                          static_cast<uint32_t>(to.size()));
  }
  Errno stat(std::string_view path, Filestat* st = nullptr, bool follow = true, uint32_t dirfd = kRoot) {
    uint32_t p = put(path), out = alloc(layout::kFilestatSize);
    Errno e = p1::pathFilestatGet(*ctx, mem, dirfd, follow ? kLookupSymlinkFollow : 0, p,
                                  static_cast<uint32_t>(path.size()), out);
    if (e == Errno::Success && st) *st = filestatAt(out);
    return e;
  }
  Errno readlink(std::string_view path, std::string* target, uint32_t bufLen = 256) {
    uint32_t p = put(path), buf = alloc(bufLen), out = alloc(4);
    Errno e = p1::pathReadlink(*ctx, mem, kRoot, p, static_cast<uint32_t>(path.size()), buf, bufLen, out);
    if (e == Errno::Success && target) *target = bytes(buf, load<uint32_t>(out));
    return e;
  }
  Filestat filestatAt(uint32_t p) const {
    Filestat s;
    s.dev = load<uint64_t>(p + 0);
    s.ino = load<uint64_t>(p + 8);
    s.type = static_cast<Filetype>(memory[p + 16]);
    s.nlink = load<uint64_t>(p + 24);
    s.size = load<uint64_t>(p + 32);
    s.atim = load<uint64_t>(p + 40);
    s.mtim = load<uint64_t>(p + 48);
    s.ctim = load<uint64_t>(p + 56);
    return s;
  }
  Errno fdstat(uint32_t fd, Filetype* type, uint16_t* flags = nullptr, uint64_t* base = nullptr,
               uint64_t* inheriting = nullptr) {
    uint32_t out = alloc(24);
    Errno e = p1::fdFdstatGet(*ctx, mem, fd, out);
    if (e != Errno::Success) return e;
    if (type) *type = static_cast<Filetype>(memory[out]);
    if (flags) *flags = load<uint16_t>(out + 2);
    if (base) *base = load<uint64_t>(out + 8);
    if (inheriting) *inheriting = load<uint64_t>(out + 16);
    return e;
  }
  bool exists(std::string_view path) { return stat(path, nullptr, false) == Errno::Success; }

  EnvOptions options;
  std::vector<uint8_t> memory;
  GuestMemory mem;
  std::shared_ptr<MemoryOutput::Buffer> out = std::make_shared<MemoryOutput::Buffer>();
  std::shared_ptr<MemoryOutput::Buffer> err = std::make_shared<MemoryOutput::Buffer>();
  std::shared_ptr<FakeClocks> clocks;
  std::shared_ptr<MemFilesystem> memfs;
  std::unique_ptr<TempDir> host;  // host backends: <host>/sandbox is the pre-opened directory
  std::unique_ptr<WasiCtx> ctx;
  uint32_t next = 1024;
};

// Prints errno names in assertion failures.
inline void PrintTo(Errno e, std::ostream* os) { *os << errnoName(e); }

}  // namespace bantam::wasi::testing

namespace bantam::wasi {
inline void PrintTo(Errno e, std::ostream* os) { *os << errnoName(e); }
}  // namespace bantam::wasi
