// Bounds-checked access to a guest's linear memory for the WASI host functions. Every pointer
// and length the guest passes is hostile: an access outside the memory is EFAULT, never a host
// read or write out of range, and no guest length makes the host allocate unboundedly.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "wasi/wasi_types.h"

namespace bantam::wasi {

// One scatter/gather buffer, resolved to host memory inside the guest's memory.
using IoBuffer = std::span<uint8_t>;

// Linux's IOV_MAX: more iovecs than this are not looked at (a short read or write, which
// every caller of readv/writev must handle anyway).
constexpr uint32_t kMaxIovecs = 1024;
// Linux's MAX_RW_COUNT: the total of one read or write, so that the byte count fits $size
// even when a guest passes overlapping buffers whose lengths add up past 4 GiB.
constexpr uint64_t kMaxIoBytes = 0x7ffff000;
// Paths and symlink contents longer than this are ENAMETOOLONG before anything is copied.
constexpr uint32_t kMaxPathBytes = 64 * 1024;

class GuestMemory {
 public:
  GuestMemory() = default;
  GuestMemory(uint8_t* base, uint64_t size) : base_(base), size_(size) {}
  explicit GuestMemory(std::span<uint8_t> bytes) : base_(bytes.data()), size_(bytes.size()) {}

  uint64_t size() const { return size_; }
  bool contains(uint32_t ptr, uint64_t len) const { return ptr <= size_ && len <= size_ - ptr; }

  WasiResult<IoBuffer> slice(uint32_t ptr, uint64_t len) const {
    if (!contains(ptr, len)) return err(Errno::Fault);
    return IoBuffer(base_ + ptr, len);
  }

  template <class T>
  WasiResult<T> load(uint32_t ptr) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!contains(ptr, sizeof(T))) return err(Errno::Fault);
    T v;
    std::memcpy(&v, base_ + ptr, sizeof(T));  // wasm memory is little-endian, as is the host
    return v;
  }
  template <class T>
  WasiResult<void> store(uint32_t ptr, T v) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!contains(ptr, sizeof(T))) return err(Errno::Fault);
    std::memcpy(base_ + ptr, &v, sizeof(T));
    return {};
  }
  WasiResult<void> write(uint32_t ptr, std::span<const uint8_t> bytes) const {
    if (!contains(ptr, bytes.size())) return err(Errno::Fault);
    if (!bytes.empty()) std::memmove(base_ + ptr, bytes.data(), bytes.size());
    return {};
  }
  WasiResult<void> write(uint32_t ptr, std::string_view s) const {
    return write(ptr, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  }

  // A path or other string argument: in bounds (EFAULT), at most kMaxPathBytes
  // (ENAMETOOLONG), valid UTF-8 (EILSEQ, as Wasmtime) and free of NUL bytes (EINVAL: no host
  // call could represent it). The view points into guest memory.
  WasiResult<std::string_view> string(uint32_t ptr, uint32_t len) const;

  // An iovec/ciovec array: each buffer checked to lie inside the memory (EFAULT). At most
  // kMaxIovecs buffers and kMaxIoBytes in total are returned (see above).
  WasiResult<std::vector<IoBuffer>> iovecs(uint32_t ptr, uint32_t count) const;

 private:
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
};

// The total length of some buffers.
inline uint64_t totalLength(std::span<const IoBuffer> bufs) {
  uint64_t n = 0;
  for (const IoBuffer& b : bufs) n += b.size();
  return n;
}

bool isValidUtf8(std::string_view s);

}  // namespace bantam::wasi
