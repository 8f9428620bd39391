// The component instance pool: pre-built component instances of one ComponentPre, each in its
// own Store, handed out one per request and reset when returned, so that a fresh instance
// costs a free-list pop instead of an instantiation (the core instances of a componentize-js
// component alone have 12,698 functions). Reset puts back what instantiation left: every
// defined memory is brought back to a copy-on-write image of its contents just after
// instantiation (runtime::resetMemoryToImage, the WAGI pool's mechanism), mutable globals,
// tables and passive segments to their values at that moment, handle tables emptied,
// reentrance flags cleared. A poisoned instance (one that trapped) or one returned in the
// middle of a call is destroyed, never reused: no state of one request reaches the next.
//
//   auto pool = BANTAM_TRY(ComponentPool::create(engine, pre));       // once
//   auto lease = BANTAM_TRY(pool->acquire());                          // per request
//   lease.instance().hostData = &requestCtx;
//   lease.instance().call(*lease.instance().func("run"), {});
//   // the lease's destructor (or lease.reset()) gives it back
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "component/component.h"
#include "runtime/instance_pre.h"
#include "runtime/slot_list.h"

namespace bantam::component {

struct ComponentPoolOptions {
  uint32_t maxInstances = 1000;  // in flight at once; acquire() past it fails (ErrorKind::Limit)
  uint32_t prewarm = 0;          // instances built by create(), before the first acquire()
};

class ComponentPool;
struct ComponentSlot;

// One component instance on loan from its pool until destroyed or reset().
class PooledComponent {
 public:
  PooledComponent() = default;
  PooledComponent(PooledComponent&& other) noexcept { *this = std::move(other); }
  PooledComponent& operator=(PooledComponent&& other) noexcept;
  PooledComponent(const PooledComponent&) = delete;
  PooledComponent& operator=(const PooledComponent&) = delete;
  ~PooledComponent() { reset(); }

  explicit operator bool() const { return slot_ != nullptr; }
  ComponentInstance& instance() const;
  ComponentInstance* operator->() const { return &instance(); }
  runtime::Store& store() const;
  // Gives the instance back now: reset for the next request, or destroyed if it is poisoned
  // or still inside a call.
  void reset();

 private:
  friend class ComponentPool;
  ComponentPool* pool_ = nullptr;
  ComponentSlot* slot_ = nullptr;
};

class ComponentPool {
 public:
  // `pre` must not link imports to other component instances (ComponentLinker::defineInstance):
  // the provider would be state shared by every pooled instance (Unsupported). Every store is
  // created with `limits`.
  static Result<std::unique_ptr<ComponentPool>> create(runtime::Engine& engine, std::shared_ptr<const ComponentPre> pre,
                                                       runtime::StoreLimits limits = {},
                                                       ComponentPoolOptions options = {});
  ~ComponentPool();  // every PooledComponent must have been given back
  ComponentPool(const ComponentPool&) = delete;
  ComponentPool& operator=(const ComponentPool&) = delete;

  // A fresh instance. Thread-safe. Errors: maxInstances in flight (Limit), or instantiating a
  // new one failed.
  Result<PooledComponent> acquire();

  using Stats = runtime::SlotList<ComponentSlot>::Stats;  // discarded: poisoned or inside a call
  Stats stats() const;
  const ComponentPre& pre() const { return *pre_; }

 private:
  friend class PooledComponent;
  ComponentPool(runtime::Engine& engine, std::shared_ptr<const ComponentPre> pre, runtime::StoreLimits limits,
                ComponentPoolOptions options);
  Result<std::unique_ptr<ComponentSlot>> buildSlot();
  Result<void> buildImages(ComponentSlot& first);
  Result<void> adopt(ComponentSlot& slot);
  void release(ComponentSlot* slot);

  runtime::Engine& engine_;
  std::shared_ptr<const ComponentPre> pre_;
  runtime::StoreLimits limits_;
  ComponentPoolOptions options_;
  // The contents of every defined memory of every core instance just after instantiation
  // (in core-instance order, then memory order), taken by create() from the first instance
  // built: every instance maps them copy-on-write and is reset to them.
  std::vector<runtime::MemoryImage> images_;
  runtime::SlotList<ComponentSlot> slots_;
};

// Whether embedders (the wasi:http executor) pool instances: on unless BANTAM_COMPONENT_POOL=0
// is set in the environment (kept for measuring fresh instantiation against the pool).
bool componentPoolEnabled();

}  // namespace bantam::component
