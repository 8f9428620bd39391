// A store: the unit of isolation. It owns every instance, memory, table and global created in
// it, and carries the limits of what its guests may use (memory, call depth, fuel, time).
// One store is used by one thread at a time; a serverless request gets a fresh one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "bantam/engine.h"

namespace bantam {

namespace detail {
struct StoreImpl;
struct Access;
}  // namespace detail

struct StoreLimits {
  uint64_t maxMemoryBytes = uint64_t{4} << 30;  // per linear memory: memory.grow fails beyond it
  uint64_t maxTableElements = 10'000'000;       // per table
  uint32_t maxCallDepth = 20'000;               // wasm frames before "call stack exhausted"
  // A linear memory that grows to this size asks the kernel for transparent huge pages
  // (madvise MADV_HUGEPAGE on its whole reservation; 0: never). Guests with heaps this large
  // usually touch more pages than the TLB maps with 4 KiB pages (2,000-3,000 entries, 8-12
  // MiB); 2 MiB pages remove most of those misses (the hashtable benchmark, a 64 MiB table:
  // 1.06x -> 0.85-0.92x native time). Below it, memories keep 4 KiB pages: a small instance
  // never pays for zeroing 2 MiB at a fault or for the larger resident size. Has an effect
  // where the kernel's transparent_hugepage setting is `madvise` or `always`.
  uint64_t hugePagesFromBytes = uint64_t{32} << 20;
};

class Store {
 public:
  explicit Store(const Engine& engine, StoreLimits limits = {});
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Fuel metering: each executed instruction (approximately) costs one unit; a call that runs
  // out traps with TrapCode::OutOfFuel. Off until setFuel is called.
  void setFuel(uint64_t fuel);
  void disableFuel();
  std::optional<uint64_t> fuel() const;  // nullopt while metering is off

  // Calls trap with TrapCode::Interrupted once the engine's epoch has advanced `ticks` times
  // from now (Engine::incrementEpoch). No deadline by default.
  void setEpochDeadline(uint64_t ticks);

  // Host data for host functions (Caller::data()). Not owned.
  void setData(void* data);
  void* data() const;

  const StoreLimits& limits() const;

 private:
  friend struct detail::Access;
  std::unique_ptr<detail::StoreImpl> impl_;
};

}  // namespace bantam
