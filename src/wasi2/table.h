// The host side of WASI 0.2 resources: one table per component instance mapping the `rep` of
// each host resource handle the guest holds to the host object behind it (a stream, a
// pollable, an HTTP request...). Guest handle indices are the component model's business; the
// rep is the host's: the table's `base` (which context: high bits) | the slot (low 20 bits), so
// that a resource destructor, given only the rep, finds its table from any thread or fiber.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace bantam::wasi2 {

struct HostObject {
  virtual ~HostObject() = default;
};

class ResourceTable {
 public:
  static constexpr uint32_t kIndexBits = 20;
  static constexpr uint32_t kIndexMask = (1u << kIndexBits) - 1;
  static constexpr uint32_t kMaxEntries = kIndexMask;  // a guest cannot exhaust host memory with handles

  explicit ResourceTable(uint32_t base = 0) : base_(base) {}
  uint32_t base() const { return base_; }

  // The new rep, or UINT32_MAX when the table is full.
  uint32_t add(std::shared_ptr<HostObject> obj) {
    if (!free_.empty()) {
      uint32_t i = free_.back();
      free_.pop_back();
      slots_[i] = std::move(obj);
      return base_ | i;
    }
    if (slots_.size() >= kMaxEntries) return UINT32_MAX;
    slots_.push_back(std::move(obj));
    return base_ | static_cast<uint32_t>(slots_.size() - 1);
  }
  // The object of type T at `rep`, or nullptr (a wrong type, an empty slot, another table's rep).
  template <class T>
  T* get(uint32_t rep) const {
    const std::shared_ptr<HostObject>* s = slot(rep);
    return s ? dynamic_cast<T*>(s->get()) : nullptr;
  }
  template <class T>
  std::shared_ptr<T> getShared(uint32_t rep) const {
    const std::shared_ptr<HostObject>* s = slot(rep);
    return s ? std::dynamic_pointer_cast<T>(*s) : nullptr;
  }
  // Removes and returns the object (an own<T> moved into the host, or a dropped handle).
  std::shared_ptr<HostObject> remove(uint32_t rep) {
    const std::shared_ptr<HostObject>* s = slot(rep);
    if (!s) return nullptr;
    free_.push_back(rep & kIndexMask);
    return std::move(slots_[rep & kIndexMask]);
  }
  size_t liveCount() const { return slots_.size() - free_.size(); }

 private:
  const std::shared_ptr<HostObject>* slot(uint32_t rep) const {
    uint32_t i = rep & kIndexMask;
    if ((rep & ~kIndexMask) != base_ || i >= slots_.size() || !slots_[i]) return nullptr;
    return &slots_[i];
  }
  uint32_t base_;
  std::vector<std::shared_ptr<HostObject>> slots_;
  std::vector<uint32_t> free_;
};

}  // namespace bantam::wasi2
