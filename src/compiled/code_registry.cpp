// The code-range registry: fixed chunks of atomic slots that are never freed, so a reader (the
// signal handler) can scan them without a lock while another thread registers a module.
#include "compiled/code_registry.h"

#include <atomic>
#include <mutex>

namespace bantam::compiled {

namespace {

struct Slot {
  std::atomic<uintptr_t> begin{0};  // 0: free
  std::atomic<uintptr_t> end{0};
  std::atomic<const CompiledCode*> code{nullptr};
};

// Small chunks: the first one is allocated (and zeroed) by every process that runs compiled
// code, and a 24 KiB one cost a cached empty `bantam run` six page faults.
constexpr uint32_t kChunkSlots = 64;
constexpr uint32_t kMaxChunks = 65536;  // four million live modules; the pointer array is .bss

struct Chunk {
  Slot slots[kChunkSlots];
};

std::atomic<Chunk*> gChunks[kMaxChunks];
std::atomic<uint32_t> gHighWater{0};  // slots ever used: readers scan no further
std::mutex gMutex;
uint32_t gFreeHint = 0;

Slot& slotAt(uint32_t i) { return gChunks[i / kChunkSlots].load(std::memory_order_acquire)->slots[i % kChunkSlots]; }

}  // namespace

uint32_t registerCode(uintptr_t begin, uintptr_t end, const CompiledCode* code) {
  std::lock_guard lock(gMutex);
  uint32_t high = gHighWater.load(std::memory_order_relaxed);
  uint32_t i = gFreeHint;
  for (; i < high; ++i)
    if (slotAt(i).begin.load(std::memory_order_relaxed) == 0) break;
  if (i == high) {
    if (i / kChunkSlots >= kMaxChunks) return UINT32_MAX;  // not registered: faults then crash
    if (i % kChunkSlots == 0) gChunks[i / kChunkSlots].store(new Chunk(), std::memory_order_release);
    gHighWater.store(i + 1, std::memory_order_release);
  }
  Slot& s = slotAt(i);
  s.code.store(code, std::memory_order_relaxed);
  s.end.store(end, std::memory_order_relaxed);
  s.begin.store(begin, std::memory_order_release);
  gFreeHint = i + 1;
  return i;
}

void unregisterCode(uint32_t handle) {
  if (handle == UINT32_MAX) return;
  std::lock_guard lock(gMutex);
  Slot& s = slotAt(handle);
  s.begin.store(0, std::memory_order_release);
  if (handle < gFreeHint) gFreeHint = handle;
}

const CompiledCode* findCode(uintptr_t pc) {
  uint32_t high = gHighWater.load(std::memory_order_acquire);
  for (uint32_t i = 0; i < high; ++i) {
    Slot& s = slotAt(i);
    uintptr_t b = s.begin.load(std::memory_order_acquire);
    if (b != 0 && pc >= b && pc < s.end.load(std::memory_order_relaxed)) return s.code.load(std::memory_order_relaxed);
  }
  return nullptr;
}

}  // namespace bantam::compiled
