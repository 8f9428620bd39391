// The component instance pool (instance_pool.h): building instances, the snapshot of their
// state just after instantiation, and the reset that brings a returned instance back to it.
#include "component/instance_pool.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "runtime/pool.h"
#include "runtime/store.h"

namespace bantam::component {

// One pooled instance and what its state must be reset to. The table and segment snapshots
// hold this instance's own FuncInst pointers, so they are per slot.
struct ComponentSlot {
  std::unique_ptr<runtime::Store> store;
  std::unique_ptr<ComponentInstance> instance;
  struct Memory {
    runtime::MemoryInst* memory;
    uint32_t image;  // index in ComponentPool::images_
  };
  std::vector<Memory> memories;
  std::vector<std::pair<runtime::GlobalInst*, runtime::RawVal>> globals;   // mutable defined globals
  std::vector<std::pair<runtime::TableInst*, std::vector<void*>>> tables;  // defined tables
  std::vector<std::pair<runtime::ElemInst*, std::vector<void*>>> elems;    // passive, not dropped
  std::vector<std::pair<runtime::DataInst*, std::span<const uint8_t>>> datas;
  std::vector<uint64_t> pagemap;  // scratch for resetMemoryToImage
};

namespace {

// What instantiation left in each core instance's own objects (imported ones belong to the
// core instance that defines them and are captured there). Memories are captured separately,
// as images.
void captureState(ComponentSlot& slot) {
  for (runtime::ModuleInst* core : slot.instance->coreInstances()) {
    const wasm::Module& m = core->module->module;
    for (size_t i = m.numImportedMemories; i < core->memories.size(); ++i)
      slot.memories.push_back({core->memories[i], static_cast<uint32_t>(slot.memories.size())});
    for (size_t i = m.numImportedGlobals; i < core->globals.size(); ++i)
      if (core->globals[i]->type.isMutable) slot.globals.emplace_back(core->globals[i], core->globals[i]->value);
    for (size_t i = m.numImportedTables; i < core->tables.size(); ++i)
      slot.tables.emplace_back(core->tables[i], core->tables[i]->elems);
    // A dropped segment stays dropped (empty), so only the others need putting back.
    for (runtime::ElemInst& e : core->elems)
      if (!e.refs.empty()) slot.elems.emplace_back(&e, e.refs);
    for (runtime::DataInst& d : core->datas)
      if (!d.bytes.empty()) slot.datas.emplace_back(&d, d.bytes);
  }
}

void resetSlot(ComponentSlot& slot, std::span<const runtime::MemoryImage> images) {
  for (const ComponentSlot::Memory& m : slot.memories)
    runtime::resetMemoryToImage(*m.memory, images[m.image], slot.pagemap);
  for (auto& [global, value] : slot.globals) global->value = value;
  for (auto& [table, elems] : slot.tables) {
    table->elems.assign(elems.begin(), elems.end());
    table->type.limits.min = table->elems.size();
    table->vmElems = table->elems.data();
    table->vmSize = table->elems.size();
  }
  for (auto& [elem, refs] : slot.elems) elem->refs = refs;
  for (auto& [data, bytes] : slot.datas) data->bytes = bytes;
  runtime::Store& store = *slot.store;
  store.userData = nullptr;
  store.setEpochDeadline(UINT64_MAX);
  store.setEpochCallback(nullptr, nullptr);
  store.vmStore().stackLimit = 0;  // an embedder running guests on fibers sets it per request
  if (store.fuelEnabled()) store.setFuel(std::nullopt);
}

}  // namespace

bool ComponentInstance::idle() const {
  for (const auto& ri : instances_)
    if (!ri->mayEnter || !ri->mayLeave) return false;
  return true;
}

void ComponentInstance::clearRequestState() {
  for (auto& ri : instances_) {
    ri->handles.clear();
    ri->mayEnter = true;
    ri->mayLeave = true;
  }
  // Handles of this instance's own resources that the host held: gone with the request.
  for (auto& rt : ownResources_) rt->outstanding.clear();
  hostData = nullptr;
}

PooledComponent& PooledComponent::operator=(PooledComponent&& other) noexcept {
  if (this != &other) {
    reset();
    pool_ = std::exchange(other.pool_, nullptr);
    slot_ = std::exchange(other.slot_, nullptr);
  }
  return *this;
}

ComponentInstance& PooledComponent::instance() const { return *slot_->instance; }
runtime::Store& PooledComponent::store() const { return *slot_->store; }

void PooledComponent::reset() {
  if (slot_ == nullptr) return;
  pool_->release(std::exchange(slot_, nullptr));
  pool_ = nullptr;
}

ComponentPool::ComponentPool(runtime::Engine& engine, std::shared_ptr<const ComponentPre> pre,
                             runtime::StoreLimits limits, ComponentPoolOptions options)
    : engine_(engine), pre_(std::move(pre)), limits_(limits), options_(options), slots_(options.maxInstances) {}

ComponentPool::~ComponentPool() = default;

Result<std::unique_ptr<ComponentPool>> ComponentPool::create(runtime::Engine& engine,
                                                             std::shared_ptr<const ComponentPre> pre,
                                                             runtime::StoreLimits limits, ComponentPoolOptions options) {
  for (const ComponentPre::Import& imp : pre->funcs)
    if (imp.provider)
      return std::unexpected(
          Error::make(ErrorKind::Unsupported, "a pooled component cannot import from another component instance")
              .withHint("the providing instance would be shared by every request; instantiate both per request"));
  options.maxInstances = std::max<uint32_t>(options.maxInstances, 1);
  std::unique_ptr<ComponentPool> pool(new ComponentPool(engine, std::move(pre), limits, options));
  // The first instance is built here: its memories become the images every instance maps.
  uint32_t prewarm = std::clamp<uint32_t>(options.prewarm, 1, options.maxInstances);
  for (uint32_t i = 0; i < prewarm; ++i) BANTAM_TRY(pool->slots_.prewarm([&] { return pool->buildSlot(); }));
  return pool;
}

// Wizer-style: the images hold each memory as instantiation left it (active data segments,
// segments other core instances wrote into it, what start functions wrote), so a reset
// instance is in exactly the state a fresh instantiation gives. All-zero pages are not
// written: the image file stays sparse.
Result<void> ComponentPool::buildImages(ComponentSlot& first) {
  constexpr size_t kChunk = 4096;
  static const uint8_t zeros[kChunk] = {};
  for (const ComponentSlot::Memory& m : first.memories) {
    runtime::MemoryImage image = BANTAM_TRY(runtime::MemoryImage::create(m.memory->sizeBytes));
    const uint8_t* base = m.memory->base;
    uint64_t size = m.memory->sizeBytes;
    for (uint64_t at = 0; at < size;) {
      if (std::memcmp(base + at, zeros, kChunk) == 0) {
        at += kChunk;
        continue;
      }
      uint64_t end = at + kChunk;
      while (end < size && std::memcmp(base + end, zeros, kChunk) != 0) end += kChunk;
      BANTAM_TRY(image.write(at, std::span<const uint8_t>(base + at, end - at)));
      at = end;
    }
    BANTAM_TRY(image.seal());
    images_.push_back(std::move(image));
  }
  return {};
}

// Maps the images over a new instance's memories (replacing the same contents) so that its
// written pages can be found and put back.
Result<void> ComponentPool::adopt(ComponentSlot& slot) {
  if (slot.memories.size() != images_.size())
    return fail(ErrorKind::Uninstantiable, "pooled instances of the component differ in their memories");
  for (const ComponentSlot::Memory& m : slot.memories) {
    const runtime::MemoryImage& image = images_[m.image];
    if (m.memory->sizeBytes != image.bytes() ||
        (image.view() && std::memcmp(m.memory->base, image.view(), image.bytes()) != 0))
      return fail(ErrorKind::Uninstantiable,
                  "instantiating the component twice gave different memory contents: it cannot be pooled");
    BANTAM_TRY(image.mapAt(m.memory->base));
  }
  return {};
}

Result<std::unique_ptr<ComponentSlot>> ComponentPool::buildSlot() {
  auto slot = std::make_unique<ComponentSlot>();
  slot->store = std::make_unique<runtime::Store>(engine_, limits_);
  slot->instance = BANTAM_TRY(pre_->instantiate(*slot->store));
  captureState(*slot);
  // The first slot (built by create() alone, before any other thread can acquire) makes the
  // images; images_ is not written after that.
  if (images_.empty() && !slot->memories.empty()) BANTAM_TRY(buildImages(*slot));
  BANTAM_TRY(adopt(*slot));
  return slot;
}

Result<PooledComponent> ComponentPool::acquire() {
  ComponentSlot* slot = BANTAM_TRY(slots_.acquire([this] { return buildSlot(); }, "component instances"));
  PooledComponent out;
  out.pool_ = this;
  out.slot_ = slot;
  return out;
}

void ComponentPool::release(ComponentSlot* slot) {
  // Component Invariant #1: a trapped instance is unusable; one given back inside a call
  // (its host call abandoned) has guest frames' state half-written. Neither is reused.
  bool reusable = !slot->instance->poisoned() && slot->instance->idle();
  if (reusable) {
    resetSlot(*slot, images_);
    slot->instance->clearRequestState();
    slots_.giveBack(slot);
    return;
  }
  // Destroyed (its Store, memories and instance) here, outside the pool's lock.
  std::unique_ptr<ComponentSlot> dead = slots_.discard(slot);
}

bool componentPoolEnabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("BANTAM_COMPONENT_POOL");
    return v == nullptr || std::strcmp(v, "0") != 0;
  }();
  return enabled;
}

ComponentPool::Stats ComponentPool::stats() const { return slots_.stats(); }

}  // namespace bantam::component
