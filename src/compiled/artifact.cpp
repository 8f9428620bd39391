// Artifact serialisation, compatibility checks and the disk cache.
#include "compiled/artifact.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace bantam::compiled {

namespace {

constexpr size_t kFixedHeader = 184;
constexpr size_t kEngineVersionField = 48;
constexpr size_t kCpuField = 32;
enum : uint32_t { kFlagExplicitBounds = 1, kFlagPortable = 2, kFlagNoLoopChecks = 4 };

size_t align16(size_t v) { return (v + 15) & ~size_t{15}; }

template <class T>
T rd(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class T>
void wr(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}
std::string rdString(const uint8_t* p, size_t n) { return std::string(reinterpret_cast<const char*>(p), strnlen(reinterpret_cast<const char*>(p), n)); }
void wrString(uint8_t* p, size_t n, const std::string& s) { std::memcpy(p, s.data(), std::min(s.size(), n - 1)); }

std::unexpected<Error> corrupt(const std::string& what) {
  return std::unexpected(Error::make(ErrorKind::Malformed, "not a valid compiled module: " + what)
                             .withHint("recompile it with `bantam compile`"));
}

}  // namespace

std::string engineVersion() { return "bantam 0.1.0, compiled format " + std::to_string(kCompiledFormatVersion); }

Hash128 hashBytes(std::span<const uint8_t> bytes) {
  XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  return {h.low64, h.high64};
}

std::string hexOf(const Hash128& h) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h[1]),
                static_cast<unsigned long long>(h[0]));
  return buf;
}

bool isArtifact(std::span<const uint8_t> bytes) {
  return bytes.size() >= sizeof kArtifactMagic && std::memcmp(bytes.data(), kArtifactMagic, sizeof kArtifactMagic) == 0;
}

std::vector<uint8_t> Artifact::serialize(const ArtifactInfo& info, std::span<const uint8_t> wasm,
                                         std::span<const std::span<const uint8_t>> objects) {
  size_t header = align16(kFixedHeader + 16 * objects.size());
  size_t total = header + align16(wasm.size());
  for (auto o : objects) total += align16(o.size());
  std::vector<uint8_t> out(total, 0);
  uint8_t* p = out.data();
  std::memcpy(p, kArtifactMagic, 8);
  wr<uint32_t>(p + 8, kCompiledFormatVersion);
  wr<uint32_t>(p + 12, static_cast<uint32_t>(header));
  wrString(p + 16, kEngineVersionField, info.engineVersion);
  wrString(p + 64, kCpuField, info.cpu);
  wrString(p + 96, kCpuField, info.tuneCpu);
  wr<uint64_t>(p + 128, info.features.bits);
  wr<uint32_t>(p + 136, info.options.optLevel);
  wr<uint32_t>(p + 140, (info.options.explicitBounds ? kFlagExplicitBounds : 0) | (info.options.portable ? kFlagPortable : 0) |
                            (info.options.loopChecks ? 0 : kFlagNoLoopChecks));
  wr<uint64_t>(p + 144, info.wasmHash[0]);
  wr<uint64_t>(p + 152, info.wasmHash[1]);
  size_t at = header;
  wr<uint64_t>(p + 160, wasm.empty() ? 0 : at);
  wr<uint64_t>(p + 168, wasm.size());
  if (!wasm.empty()) std::memcpy(p + at, wasm.data(), wasm.size());
  at += align16(wasm.size());
  wr<uint32_t>(p + 176, static_cast<uint32_t>(objects.size()));
  for (size_t i = 0; i < objects.size(); ++i) {
    wr<uint64_t>(p + kFixedHeader + 16 * i, at);
    wr<uint64_t>(p + kFixedHeader + 16 * i + 8, objects[i].size());
    std::memcpy(p + at, objects[i].data(), objects[i].size());
    at += align16(objects[i].size());
  }
  return out;
}

Result<Artifact> Artifact::parse(std::shared_ptr<const void> owner, std::span<const uint8_t> bytes) {
  if (!isArtifact(bytes) || bytes.size() < kFixedHeader) return corrupt("bad header");
  const uint8_t* p = bytes.data();
  Artifact a;
  a.owner_ = std::move(owner);
  uint32_t format = rd<uint32_t>(p + 8);
  a.info_.engineVersion = rdString(p + 16, kEngineVersionField);
  if (format != kCompiledFormatVersion) {
    // Parsed no further: the layout may differ. checkCompatible reports the version.
    a.info_.cpu = "?";
    return a;
  }
  uint32_t header = rd<uint32_t>(p + 12);
  a.info_.cpu = rdString(p + 64, kCpuField);
  a.info_.tuneCpu = rdString(p + 96, kCpuField);
  a.info_.features.bits = rd<uint64_t>(p + 128);
  a.info_.options.optLevel = rd<uint32_t>(p + 136);
  uint32_t flags = rd<uint32_t>(p + 140);
  a.info_.options.explicitBounds = flags & kFlagExplicitBounds;
  a.info_.options.portable = flags & kFlagPortable;
  a.info_.options.loopChecks = !(flags & kFlagNoLoopChecks);
  a.info_.wasmHash = {rd<uint64_t>(p + 144), rd<uint64_t>(p + 152)};
  auto part = [&](uint64_t off, uint64_t size) -> std::optional<std::span<const uint8_t>> {
    if (off > bytes.size() || size > bytes.size() - off) return std::nullopt;
    return bytes.subspan(off, size);
  };
  uint64_t wasmOff = rd<uint64_t>(p + 160), wasmSize = rd<uint64_t>(p + 168);
  if (wasmSize) {
    auto w = part(wasmOff, wasmSize);
    if (!w) return corrupt("the module lies outside the file");
    a.wasm_ = *w;
  }
  uint32_t n = rd<uint32_t>(p + 176);
  if (header > bytes.size() || kFixedHeader + uint64_t{16} * n > header) return corrupt("bad object table");
  for (uint32_t i = 0; i < n; ++i) {
    auto o = part(rd<uint64_t>(p + kFixedHeader + 16 * i), rd<uint64_t>(p + kFixedHeader + 16 * i + 8));
    if (!o) return corrupt("an object lies outside the file");
    a.objects_.push_back(*o);
  }
  return a;
}

Result<Artifact> Artifact::readFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::unexpected(Error::make(ErrorKind::Io, std::string("cannot open the file: ") + std::strerror(errno)).withSource(path));
  struct stat st;
  if (::fstat(fd, &st) != 0 || st.st_size == 0) {
    ::close(fd);
    return corrupt("empty file");
  }
  size_t size = static_cast<size_t>(st.st_size);
  void* m = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return std::unexpected(Error::make(ErrorKind::Io, "cannot map the file").withSource(path));
  std::shared_ptr<const void> owner(m, [size](const void* p) { ::munmap(const_cast<void*>(p), size); });
  auto a = parse(owner, std::span(static_cast<const uint8_t*>(m), size));
  if (!a) return std::unexpected(std::move(a.error()).withSource(path));
  return a;
}

Result<void> Artifact::checkCompatible(const std::string& what) const {
  if (info_.engineVersion != engineVersion())
    return std::unexpected(Error::make(ErrorKind::Unsupported, what + " was compiled by " + info_.engineVersion +
                                                                   "; this is " + engineVersion())
                               .withHint("recompile it with this bantam (`bantam compile`)"));
  const HostCpu& host = hostCpu();
  if (!host.features.has(info_.features))
    return std::unexpected(Error::make(ErrorKind::Unsupported, what + " was compiled for CPU features this host lacks: " +
                                                                   host.features.missing(info_.features))
                               .withHint("recompile it on this host, or with `bantam compile --target portable` "
                                         "for code that runs on any x86-64 CPU"));
  return {};
}

DiskCache::DiskCache(std::string dir) : dir_(std::move(dir)) {
  if (!dir_.empty()) return;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) dir_ = std::string(xdg) + "/bantam";
  else if (const char* home = std::getenv("HOME"); home && *home) dir_ = std::string(home) + "/.cache/bantam";
}

std::string DiskCache::pathOf(const Hash128& key) const { return dir_ + "/" + hexOf(key) + ".cwasm"; }

std::optional<Artifact> DiskCache::lookup(const Hash128& key) const {
  if (dir_.empty()) return std::nullopt;
  auto a = Artifact::readFile(pathOf(key));
  if (!a || !a->checkCompatible("cache entry")) return std::nullopt;
  return std::move(*a);
}

void DiskCache::store(const Hash128& key, std::span<const uint8_t> artifact) const {
  if (dir_.empty()) return;
  // mkdir -p
  for (size_t i = 1; i <= dir_.size(); ++i)
    if (i == dir_.size() || dir_[i] == '/') ::mkdir(dir_.substr(0, i).c_str(), 0755);
  std::string tmp = pathOf(key) + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  size_t done = 0;
  while (done < artifact.size()) {
    ssize_t n = ::write(fd, artifact.data() + done, artifact.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (done != artifact.size() || ::rename(tmp.c_str(), pathOf(key).c_str()) != 0) ::unlink(tmp.c_str());
}

}  // namespace bantam::compiled
