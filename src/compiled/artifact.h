// Compiled artifacts: the `.cwasm` format of `bantam compile` and of the disk cache.
//
//   header   magic "\0bantamc", format version, engine version, target (cpu, tune cpu, feature
//            bits), options, the hash of the wasm, and a table of the parts below
//   wasm     the original module (needed to rebuild the Module for instantiation); absent
//            from cache entries, whose module the caller already has
//   objects  one relocatable ELF object per partition
//
// Loading refuses an artifact of another engine version, or one compiled for CPU features
// the host lacks, with a message that says what to do.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "compiled/cpu.h"

namespace bantam::compiled {

inline constexpr char kArtifactMagic[8] = {'\0', 'b', 'a', 'n', 't', 'a', 'm', 'c'};
// The compiled-code format and the translator's behaviour: bump on any change that makes
// old code wrong (it is part of every cache key and artifact check).
// 2: no frame pointers, .eh_frame. 3: one entry check against VMStoreContext::entryLimit,
// bantam_rt_interrupt takes the stack pointer. 4: wasm functions use Swift's calling
// convention with the vmctx in r13 (code of format 3 cannot call them or be called).
inline constexpr uint32_t kCompiledFormatVersion = 4;
std::string engineVersion();  // "bantam 0.1.0, compiled format 4"

using Hash128 = std::array<uint64_t, 2>;
Hash128 hashBytes(std::span<const uint8_t> bytes);
std::string hexOf(const Hash128& h);

struct ArtifactOptions {
  uint32_t optLevel = 2;
  bool explicitBounds = false;
  bool portable = false;
  bool loopChecks = true;  // false: no epoch checks at loop back-edges (CompilerOptions)
};

struct ArtifactInfo {
  std::string engineVersion;
  std::string cpu;       // target-cpu
  std::string tuneCpu;
  CpuFeatures features;  // what the code may use
  ArtifactOptions options;
  Hash128 wasmHash{};
};

// An artifact's bytes, read from a file (mapped) or produced in memory.
class Artifact {
 public:
  static Result<Artifact> parse(std::shared_ptr<const void> owner, std::span<const uint8_t> bytes);
  static Result<Artifact> readFile(const std::string& path);
  static std::vector<uint8_t> serialize(const ArtifactInfo& info, std::span<const uint8_t> wasm,
                                        std::span<const std::span<const uint8_t>> objects);

  const ArtifactInfo& info() const { return info_; }
  std::span<const uint8_t> wasm() const { return wasm_; }
  const std::vector<std::span<const uint8_t>>& objects() const { return objects_; }
  // Whether this host and engine can run the code; the error says why not and what to do.
  Result<void> checkCompatible(const std::string& what) const;

 private:
  std::shared_ptr<const void> owner_;  // keeps the bytes alive
  ArtifactInfo info_;
  std::span<const uint8_t> wasm_;
  std::vector<std::span<const uint8_t>> objects_;
};

bool isArtifact(std::span<const uint8_t> bytes);

// The on-disk cache: $XDG_CACHE_HOME/bantam (or ~/.cache/bantam), one artifact per key.
class DiskCache {
 public:
  explicit DiskCache(std::string dir);  // empty: the default location
  const std::string& dir() const { return dir_; }
  std::string pathOf(const Hash128& key) const;
  // A hit that fails to parse is treated as a miss.
  std::optional<Artifact> lookup(const Hash128& key) const;
  // Best effort (a read-only home must not break compilation); atomic (write, then rename).
  void store(const Hash128& key, std::span<const uint8_t> artifact) const;

 private:
  std::string dir_;
};

}  // namespace bantam::compiled
