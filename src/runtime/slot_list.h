// The bookkeeping of an instance pool (runtime::InstancePool for core modules,
// component::ComponentPool for components): owned slots, an idle list, a cap on slots alive,
// building a new slot outside the lock, and counters. What a slot is, and how it is built and
// reset, stay with the pool.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/error.h"

namespace bantam::runtime {

template <class Slot>
class SlotList {
 public:
  struct Stats {
    uint32_t inFlight = 0;   // acquired and not yet given back
    uint32_t slots = 0;      // alive (in flight + idle)
    uint64_t acquired = 0;   // since creation
    uint64_t discarded = 0;  // given back unusable, and destroyed
  };

  explicit SlotList(uint32_t maxSlots) : max_(maxSlots) {}

  // An idle slot (the most recently used: its pages are warmest), else a new one from
  // `build()` (-> Result<std::unique_ptr<Slot>>, run without the lock) while fewer than
  // maxSlots are alive; else a Limit error naming `what`.
  template <class Build>
  Result<Slot*> acquire(Build&& build, const char* what) {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        Slot* slot = idle_.back();
        idle_.pop_back();
        inFlight_++;
        acquired_++;
        return slot;
      }
      if (reserved_ >= max_)
        return fail(ErrorKind::Limit, "all " + std::to_string(max_) + " " + what + " are in use");
      reserved_++;
      inFlight_++;
      acquired_++;
    }
    Result<Slot*> slot = add(build);
    if (!slot) {
      std::lock_guard lock(mutex_);
      inFlight_--;
    }
    return slot;
  }

  // A slot built ahead of the first acquire (a pool's prewarm), idle.
  template <class Build>
  Result<void> prewarm(Build&& build) {
    {
      std::lock_guard lock(mutex_);
      reserved_++;
    }
    Slot* slot = BANTAM_TRY(add(build));
    std::lock_guard lock(mutex_);
    idle_.push_back(slot);
    return {};
  }

  // A reset slot is idle again.
  void giveBack(Slot* slot) {
    std::lock_guard lock(mutex_);
    inFlight_--;
    idle_.push_back(slot);
  }

  // An unusable slot leaves the pool; the caller destroys it (outside the lock).
  std::unique_ptr<Slot> discard(Slot* slot) {
    std::unique_ptr<Slot> dead;
    std::lock_guard lock(mutex_);
    inFlight_--;
    reserved_--;
    discarded_++;
    for (auto& owned : all_)
      if (owned.get() == slot) {
        dead = std::move(owned);
        owned = std::move(all_.back());
        all_.pop_back();
        break;
      }
    return dead;
  }

  Stats stats() const {
    std::lock_guard lock(mutex_);
    return Stats{inFlight_, static_cast<uint32_t>(all_.size()), acquired_, discarded_};
  }

 private:
  // Builds a slot for a reservation already counted; gives the reservation back on failure.
  template <class Build>
  Result<Slot*> add(Build& build) {
    Result<std::unique_ptr<Slot>> built = build();
    std::lock_guard lock(mutex_);
    if (!built) {
      reserved_--;
      return std::unexpected(std::move(built.error()));
    }
    all_.push_back(std::move(*built));
    return all_.back().get();
  }

  const uint32_t max_;
  mutable std::mutex mutex_;
  std::vector<Slot*> idle_;                 // LIFO
  std::vector<std::unique_ptr<Slot>> all_;  // owner of every live slot
  uint32_t reserved_ = 0;                   // alive or being built
  uint32_t inFlight_ = 0;
  uint64_t acquired_ = 0;
  uint64_t discarded_ = 0;
};

}  // namespace bantam::runtime
