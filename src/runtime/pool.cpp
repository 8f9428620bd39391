// The instance pool: building slots, the snapshot of an instance's initial state, and the reset
// that brings a returned slot back to it.
#include "runtime/pool.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/const_expr.h"

namespace bantam::runtime {

// A pre-built instance and what its state must be reset to. Table and segment snapshots hold
// this instance's own FuncInst pointers, so they are per slot, not per InstancePre.
struct PoolSlot {
  std::unique_ptr<Store> store;
  ModuleInst* instance = nullptr;
  std::vector<std::pair<GlobalInst*, RawVal>> mutableGlobals;  // immutable ones cannot change
  std::vector<std::vector<void*>> tables;                      // defined tables, in order
  std::vector<std::vector<void*>> elems;                       // every element segment
  std::vector<std::span<const uint8_t>> datas;                 // every data segment
  std::vector<uint64_t> pagemap;                               // scratch for resetMemory
};

namespace {

// §4.5.4 without its side effects: the values instantiation gives globals, tables and
// segments before the start function runs. Globals are re-evaluated in order and written back
// (a global's initialiser may read earlier globals), the rest goes to the snapshot.
Result<void> captureInitialState(PoolSlot& slot) {
  ModuleInst& inst = *slot.instance;
  const wasm::Module& m = inst.module->module;
  for (size_t i = 0; i < m.globals.size(); ++i) {
    GlobalInst* g = inst.globals.at(m.numImportedGlobals + i);
    g->value = BANTAM_TRY(evalConstExpr(m, m.globals[i].init, inst));
    if (g->type.isMutable) slot.mutableGlobals.emplace_back(g, g->value);
  }
  // Element segments: a passive one keeps its references until dropped; active and
  // declarative ones are dropped by instantiation (§4.5.4 steps 13 and 15).
  std::vector<std::vector<void*>> segmentRefs(m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const wasm::ElemSegment& seg = m.elems[i];
    std::vector<void*>& refs = segmentRefs[i];
    refs.reserve(seg.size());
    if (seg.usesExprs) {
      for (wasm::CodeRange expr : seg.exprs) refs.push_back(BANTAM_TRY(evalConstExpr(m, expr, inst)).ref);
    } else {
      for (uint32_t f : seg.funcIndices) refs.push_back(inst.funcs.at(f));
    }
  }
  for (size_t t = 0; t < m.tables.size(); ++t)
    slot.tables.emplace_back(m.tables[t].limits.min, nullptr);
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const wasm::ElemSegment& seg = m.elems[i];
    if (seg.mode != wasm::SegmentMode::Active) continue;
    uint32_t offset = BANTAM_TRY(evalConstExpr(m, seg.offset, inst)).i32;
    std::vector<void*>& table = slot.tables.at(seg.table.value);  // no imported tables (InstancePre)
    if (uint64_t{offset} + segmentRefs[i].size() > table.size())
      return fail(ErrorKind::Uninstantiable, "out of bounds table access");
    std::copy(segmentRefs[i].begin(), segmentRefs[i].end(), table.begin() + offset);
  }
  slot.elems.resize(m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i)
    if (m.elems[i].mode == wasm::SegmentMode::Passive) slot.elems[i] = std::move(segmentRefs[i]);
  slot.datas.resize(m.datas.size());
  for (size_t i = 0; i < m.datas.size(); ++i)
    if (m.datas[i].mode == wasm::SegmentMode::Passive) slot.datas[i] = m.range(m.datas[i].bytes);
  return {};
}

}  // namespace

// /proc/self/pagemap: one 64-bit entry per host page; bit 63 present, bit 62 swapped, bit 61
// "file page or shared anonymous". In a MAP_PRIVATE mapping of the image, a page the guest wrote
// is a private anonymous copy (present or swapped, not a file page); a page it only read still
// maps the image (a file page); a page it never touched is absent. Opened once per process.
static int pagemapFd() {
  static const int fd = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  return fd;
}

// Memories up to this many host pages are reset page by page (below); larger ones by madvise.
constexpr uint64_t kMaxScanPages = 4096;  // 16 MiB
// A request that wrote more than this many pages gives them back to the kernel (madvise).
constexpr uint64_t kMaxCopyPages = 256;   // 1 MiB

// Back to the image. Measured with bench/platform (hello under wrk, 2 cores): resetting with
// madvise(MADV_DONTNEED) cost a TLB shoot-down (an IPI to every other core running the process)
// per request, and the next request a page fault per page it touched, together about a fifth of
// the server's CPU. Instead, the pages the request wrote (found in /proc/self/pagemap, one
// pread) are copied back from the image: no page-table change, no IPI, and the next request
// writes to pages that are already there. A memory that grew, or a request that wrote much,
// falls back to madvise, which returns the pages to the kernel.
void resetMemoryToImage(MemoryInst& memory, const MemoryImage& image, std::vector<uint64_t>& entries) {
  uint64_t initial = image.bytes();
  if (memory.sizeBytes > initial) {
    ::madvise(memory.base + initial, memory.sizeBytes - initial, MADV_DONTNEED);
    ::mprotect(memory.base + initial, memory.sizeBytes - initial, PROT_NONE);
  }
  memory.sizeBytes = initial;
  memory.type.limits.min = initial / wasm::kPageSize;
  if (initial == 0) return;

  static const uint64_t kHostPage = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  uint64_t pages = initial / kHostPage;
  bool copied = false;
  if (pagemapFd() >= 0 && pages <= kMaxScanPages && image.view() != nullptr) {
    entries.resize(pages);
    off_t at = static_cast<off_t>(reinterpret_cast<uintptr_t>(memory.base) / kHostPage * 8);
    ssize_t n = ::pread(pagemapFd(), entries.data(), pages * 8, at);
    if (n == static_cast<ssize_t>(pages * 8)) {
      auto dirty = [&](uint64_t i) {
        uint64_t e = entries[i];
        return (e & (uint64_t{3} << 62)) != 0 && (e & (uint64_t{1} << 61)) == 0;
      };
      uint64_t count = 0;
      for (uint64_t i = 0; i < pages; ++i) count += dirty(i);
      if (count <= kMaxCopyPages) {
        for (uint64_t i = 0; i < pages;) {
          if (!dirty(i)) {
            ++i;
            continue;
          }
          uint64_t j = i + 1;
          while (j < pages && dirty(j)) ++j;
          std::memcpy(memory.base + i * kHostPage, image.view() + i * kHostPage, (j - i) * kHostPage);
          i = j;
        }
        copied = true;
      }
    }
  }
  if (!copied) ::madvise(memory.base, initial, MADV_DONTNEED);
}

namespace {

void resetSlot(PoolSlot& slot, const InstancePre& pre) {
  ModuleInst& inst = *slot.instance;
  std::span<const MemoryImage> images = pre.memoryImages();
  for (size_t i = 0; i < images.size(); ++i) resetMemoryToImage(*inst.memories[i], images[i], slot.pagemap);
  for (auto& [global, value] : slot.mutableGlobals) global->value = value;
  for (size_t i = 0; i < slot.tables.size(); ++i) {
    TableInst& table = *inst.tables[i];
    table.elems.assign(slot.tables[i].begin(), slot.tables[i].end());
    table.type.limits.min = table.elems.size();
    table.vmElems = table.elems.data();
    table.vmSize = table.elems.size();
  }
  for (size_t i = 0; i < slot.elems.size(); ++i) inst.elems[i].refs = slot.elems[i];
  for (size_t i = 0; i < slot.datas.size(); ++i) inst.datas[i].bytes = slot.datas[i];
  Store& store = *slot.store;
  store.userData = nullptr;
  store.setEpochDeadline(UINT64_MAX);
  store.setEpochCallback(nullptr, nullptr);
  store.vmStore().stackLimit = 0;  // an embedder running guests on fibers sets it per request
  if (store.fuelEnabled()) store.setFuel(std::nullopt);
}

}  // namespace

PooledInstance& PooledInstance::operator=(PooledInstance&& other) noexcept {
  if (this != &other) {
    reset();
    pool_ = std::exchange(other.pool_, nullptr);
    slot_ = std::exchange(other.slot_, nullptr);
    store_ = std::exchange(other.store_, nullptr);
    instance_ = std::exchange(other.instance_, nullptr);
  }
  return *this;
}

TrapOr<void> PooledInstance::start() {
  const wasm::Module& m = instance_->module->module;
  if (!m.start) return {};
  return store_->call(*instance_->funcs.at(m.start->value), std::span<RawVal>());
}

void PooledInstance::reset() {
  if (slot_ == nullptr) return;
  pool_->release(std::exchange(slot_, nullptr));
  pool_ = nullptr;
  store_ = nullptr;
  instance_ = nullptr;
}

InstancePool::InstancePool(std::shared_ptr<const InstancePre> pre, PoolOptions options)
    : pre_(std::move(pre)), options_(options), slots_(options.maxInstances) {}

InstancePool::~InstancePool() = default;

Result<std::unique_ptr<InstancePool>> InstancePool::create(std::shared_ptr<const InstancePre> pre,
                                                           PoolOptions options) {
  std::unique_ptr<InstancePool> pool(new InstancePool(std::move(pre), options));
  options.prewarm = std::min(options.prewarm, options.maxInstances);
  for (uint32_t i = 0; i < options.prewarm; ++i) BANTAM_TRY(pool->slots_.prewarm([&] { return pool->buildSlot(); }));
  return pool;
}

Result<std::unique_ptr<PoolSlot>> InstancePool::buildSlot() {
  auto slot = std::make_unique<PoolSlot>();
  slot->store = std::make_unique<Store>(pre_->engine(), pre_->limits());
  // The ordinary instantiation (so that engines see the instance they expect), then the
  // memories are replaced by their images and the rest is put back to its initial values: a
  // start function that ran here left nothing behind, and runs again for each request.
  auto instance = instantiate(*slot->store, pre_->module(), pre_->imports());
  if (!instance) return std::unexpected(std::move(instance.error()));
  slot->instance = *instance;
  std::span<const MemoryImage> images = pre_->memoryImages();
  Result<void> ready = captureInitialState(*slot);
  for (size_t i = 0; ready && i < images.size(); ++i) ready = images[i].mapAt(slot->instance->memories[i]->base);
  if (!ready) return std::unexpected(std::move(ready.error()));
  resetSlot(*slot, *pre_);
  return slot;
}

Result<PooledInstance> InstancePool::acquire() {
  PoolSlot* slot = BANTAM_TRY(slots_.acquire([this] { return buildSlot(); }, "instances"));
  PooledInstance out;
  out.pool_ = this;
  out.slot_ = slot;
  out.store_ = slot->store.get();
  out.instance_ = slot->instance;
  return out;
}

void InstancePool::release(PoolSlot* slot) {
  resetSlot(*slot, *pre_);
  slots_.giveBack(slot);
}

InstancePool::Stats InstancePool::stats() const { return slots_.stats(); }

}  // namespace bantam::runtime
