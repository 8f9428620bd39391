// The instance pool: pre-built instance slots of one InstancePre, handed out one per request and
// reset when returned, so that a "fresh instance" costs a free-list pop rather than an
// instantiation. Each slot owns a store, an instance whose memories map the InstancePre's
// copy-on-write images, and a snapshot of the instance's initial globals, tables and segments.
// Returning a slot puts all of that back (madvise(MADV_DONTNEED) on the memories, the snapshot
// copied over the rest): no state of one request is ever visible to the next.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "runtime/instance_pre.h"
#include "runtime/slot_list.h"

namespace bantam::runtime {

struct PoolOptions {
  uint32_t maxInstances = 1000;  // in flight at once; acquire() past it fails (ErrorKind::Limit)
  uint32_t prewarm = 0;          // slots built by create(), before the first acquire()
};

class InstancePool;
struct PoolSlot;

// Brings `memory`, over which `image` was mapped with MemoryImage::mapAt, back to the image's
// contents and size: the pages written since are copied back from the image (found through
// /proc/self/pagemap), or, for a large memory or many written pages, dropped with madvise.
// `scratch` is reused between calls. Also used by the component instance pool.
void resetMemoryToImage(MemoryInst& memory, const MemoryImage& image, std::vector<uint64_t>& scratch);

// One fresh instance, on loan from its pool until destroyed. Its start function (if the module
// has one) has not run: call start() once the store's userData is set, as a fresh
// instantiation would run it.
class PooledInstance {
 public:
  PooledInstance() = default;
  PooledInstance(PooledInstance&& other) noexcept { *this = std::move(other); }
  PooledInstance& operator=(PooledInstance&& other) noexcept;
  PooledInstance(const PooledInstance&) = delete;
  PooledInstance& operator=(const PooledInstance&) = delete;
  ~PooledInstance() { reset(); }

  explicit operator bool() const { return slot_ != nullptr; }
  Store& store() const { return *store_; }
  ModuleInst& instance() const { return *instance_; }
  // The module's start function, if any (§4.5.4 step 15).
  TrapOr<void> start();
  // Returns the instance to its pool now (the destructor does it otherwise).
  void reset();

 private:
  friend class InstancePool;
  InstancePool* pool_ = nullptr;
  PoolSlot* slot_ = nullptr;
  Store* store_ = nullptr;
  ModuleInst* instance_ = nullptr;
};

class InstancePool {
 public:
  static Result<std::unique_ptr<InstancePool>> create(std::shared_ptr<const InstancePre> pre,
                                                      PoolOptions options = {});
  ~InstancePool();  // every PooledInstance must have been returned
  InstancePool(const InstancePool&) = delete;
  InstancePool& operator=(const InstancePool&) = delete;

  // A fresh instance. Thread-safe. Errors: maxInstances in flight (Limit), or building a new
  // slot failed (out of address space, a start-up trap).
  Result<PooledInstance> acquire();

  using Stats = SlotList<PoolSlot>::Stats;  // (discarded stays 0: slots are always reset)
  Stats stats() const;
  const InstancePre& pre() const { return *pre_; }

 private:
  friend class PooledInstance;
  explicit InstancePool(std::shared_ptr<const InstancePre> pre, PoolOptions options);
  Result<std::unique_ptr<PoolSlot>> buildSlot();
  void release(PoolSlot* slot);

  std::shared_ptr<const InstancePre> pre_;
  PoolOptions options_;
  SlotList<PoolSlot> slots_;
};

}  // namespace bantam::runtime
