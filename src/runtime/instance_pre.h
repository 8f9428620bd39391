// A module prepared for many short-lived instances (DESIGN "How data flows": InstancePre):
// compiled once, its imports resolved once to store-independent host functions, and its initial
// linear memory built once into a copy-on-write image (a sealed memfd) that every instance maps
// instead of copying data segments. InstancePool (pool.h) makes the instances.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/error.h"
#include "runtime/instantiate.h"

namespace bantam::runtime {

// The initial contents of one defined linear memory: `bytes` bytes (the memory's minimum size)
// held in a sealed memfd, so that mapping it MAP_PRIVATE gives each instance its own
// copy-on-write view, and madvise(MADV_DONTNEED) brings an instance back to it.
class MemoryImage {
 public:
  MemoryImage() = default;
  ~MemoryImage();
  MemoryImage(MemoryImage&& other) noexcept;
  MemoryImage& operator=(MemoryImage&& other) noexcept;
  MemoryImage(const MemoryImage&) = delete;
  MemoryImage& operator=(const MemoryImage&) = delete;

  // An image of `bytes` bytes (a multiple of the wasm page size); data is written with write().
  static Result<MemoryImage> create(uint64_t bytes);
  Result<void> write(uint64_t offset, std::span<const uint8_t> data);
  // No more writes: seals the file (F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK).
  Result<void> seal();

  uint64_t bytes() const { return bytes_; }
  // Maps the image copy-on-write over [base, base + bytes()), replacing what was mapped there
  // (the memory's own reservation).
  Result<void> mapAt(uint8_t* base) const;
  // A read-only view of the image (after seal()), to copy pages back from.
  const uint8_t* view() const { return view_; }

 private:
  int fd_ = -1;
  uint64_t bytes_ = 0;
  uint8_t* view_ = nullptr;
};

// Everything about a module's instances that does not depend on the request.
class InstancePre {
 public:
  // `imports` are in the order of module.imports and must be functions that any store may call
  // (host functions that find their per-instance state through Store::userData): a pooled
  // instance shares them with every other. Memories, tables and globals cannot be imported
  // (Unsupported), since an imported one would be state shared between requests.
  // `limits.maxMemoryBytes` is checked against each memory's minimum here, so that a component
  // that cannot fit fails at start-up rather than on its first request.
  static Result<std::shared_ptr<const InstancePre>> create(Engine& engine,
                                                           std::shared_ptr<const CompiledModule> module,
                                                           std::vector<Extern> imports, StoreLimits limits);

  Engine& engine() const { return engine_; }
  const std::shared_ptr<const CompiledModule>& module() const { return module_; }
  std::span<const Extern> imports() const { return imports_; }
  const StoreLimits& limits() const { return limits_; }
  // One per defined memory, in order.
  std::span<const MemoryImage> memoryImages() const { return images_; }

 private:
  InstancePre(Engine& engine) : engine_(engine) {}
  Engine& engine_;
  std::shared_ptr<const CompiledModule> module_;
  std::vector<Extern> imports_;
  StoreLimits limits_;
  std::vector<MemoryImage> images_;
};

}  // namespace bantam::runtime
