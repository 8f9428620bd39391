// Linear memories (§4.2.8): a fixed virtual reservation whose pages are committed on grow, so
// the base address never moves and a compiled engine can rely on guard pages instead of
// bounds checks.
#include <sys/mman.h>

#include <algorithm>

#include "runtime/objects.h"

namespace bantam::runtime {

namespace {
// 4 GiB of addressable memory plus a 4 GiB guard: any i32 address plus any u32 offset of a
// 32-bit memory access lands inside the reservation.
constexpr uint64_t kReservation32 = uint64_t{8} << 30;
constexpr uint64_t kMaxBytes32 = wasm::kMaxPages32 * wasm::kPageSize;

void* reserve(uint64_t bytes) {
  if (bytes == 0) bytes = wasm::kPageSize;  // mmap rejects empty mappings; keep base non-null
  void* p = ::mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}
}  // namespace

Result<std::unique_ptr<MemoryInst>> MemoryInst::create(const wasm::MemoryType& type, uint64_t limitBytes,
                                                       uint64_t hugePagesFromBytes) {
  limitBytes = std::min(limitBytes, kMaxBytes32);
  uint64_t maxPages = std::min<uint64_t>(type.limits.max.value_or(wasm::kMaxPages32), wasm::kMaxPages32);
  if (type.limits.min > maxPages)
    return fail(ErrorKind::Limit, "memory size must be at most 65536 pages (4GiB)");
  uint64_t initialBytes = type.limits.min * wasm::kPageSize;
  if (initialBytes > limitBytes)
    return fail(ErrorKind::Limit, "memory minimum size (" + std::to_string(type.limits.min) +
                                      " pages) exceeds the store's memory limit");

  std::unique_ptr<MemoryInst> m(new MemoryInst());
  m->type = type;
  m->limitBytes = limitBytes;
  void* base = reserve(kReservation32);
  m->reserved_ = kReservation32;
  if (base == nullptr) {
    // Address space is restricted (ulimit -v, 32-bit host): reserve only what the memory can
    // ever reach. Bounds-checking engines still work; a guard-page engine must check
    // `reserved_` (it is then not the full 8 GiB).
    uint64_t reach = std::min(maxPages * wasm::kPageSize, limitBytes);
    base = reserve(reach);
    m->reserved_ = std::max<uint64_t>(reach, wasm::kPageSize);
    if (base == nullptr) return fail(ErrorKind::Limit, "could not reserve address space for a memory");
  }
  m->base = static_cast<uint8_t*>(base);
  if (initialBytes != 0 && ::mprotect(base, initialBytes, PROT_READ | PROT_WRITE) != 0)
    return fail(ErrorKind::Limit, "could not commit the initial pages of a memory");
  m->sizeBytes = initialBytes;
  m->hugePagesFrom_ = hugePagesFromBytes;
  m->adviseHugePagesIfLarge();
  return m;
}

// The whole reservation, once: the kernel then backs every 2 MiB-aligned range of it that is
// accessible and not yet touched with one huge page at the first fault (and khugepaged may
// merge ranges touched before). Advisory: a kernel without transparent huge pages says EINVAL,
// and the memory works as before.
void MemoryInst::adviseHugePagesIfLarge() {
  if (hugeAdvised_ || hugePagesFrom_ == 0 || sizeBytes < hugePagesFrom_) return;
  hugeAdvised_ = true;
  ::madvise(base, reserved_, MADV_HUGEPAGE);
}

MemoryInst::~MemoryInst() {
  if (base != nullptr) ::munmap(base, reserved_);
}

int64_t MemoryInst::grow(uint64_t deltaPages) {
  uint64_t oldPages = pages();
  uint64_t maxPages = std::min<uint64_t>(type.limits.max.value_or(wasm::kMaxPages32), wasm::kMaxPages32);
  if (deltaPages > maxPages - oldPages) return -1;  // also rejects overflow of old + delta
  uint64_t newBytes = (oldPages + deltaPages) * wasm::kPageSize;
  if (newBytes > limitBytes || newBytes > reserved_) return -1;
  if (deltaPages != 0) {
    // Fresh anonymous pages read as zero, as §4.4.7 requires of grown memory.
    if (::mprotect(base + sizeBytes, newBytes - sizeBytes, PROT_READ | PROT_WRITE) != 0) return -1;
  }
  sizeBytes = newBytes;
  type.limits.min = oldPages + deltaPages;
  adviseHugePagesIfLarge();
  return static_cast<int64_t>(oldPages);
}

}  // namespace bantam::runtime
