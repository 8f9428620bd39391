// Clocks and randomness for WASI, injected (STYLE rule 7): the host versions read the
// machine's clocks and the kernel's CSPRNG; the fake versions are deterministic, for tests and
// for reproducible runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>

#include "wasi/wasi_types.h"

namespace bantam::wasi {

// Asked while blocking (sleep, poll): true means stop now, the store's deadline has passed.
using InterruptCheck = std::function<bool()>;

class Clocks {
 public:
  virtual ~Clocks() = default;
  // Nanoseconds; EINVAL for a clock this implementation does not have.
  virtual WasiResult<uint64_t> resolution(ClockId id) = 0;
  virtual WasiResult<uint64_t> now(ClockId id) = 0;
  // Waits `ns` nanoseconds of the monotonic clock. Returns false if `interrupted` said stop
  // (it is asked at least every few milliseconds).
  virtual bool sleep(uint64_t ns, const InterruptCheck& interrupted) = 0;
};

class HostClocks final : public Clocks {
 public:
  WasiResult<uint64_t> resolution(ClockId id) override;
  WasiResult<uint64_t> now(ClockId id) override;
  bool sleep(uint64_t ns, const InterruptCheck& interrupted) override;
};

// A clock that only moves when told to (or when the guest sleeps): every clock reads the same
// fixed starting points, sleeping advances them instantly.
class FakeClocks final : public Clocks {
 public:
  explicit FakeClocks(uint64_t realtimeNs = 1'700'000'000'000'000'000ull, uint64_t monotonicNs = 1'000'000'000)
      : realtime_(realtimeNs), monotonic_(monotonicNs) {}
  WasiResult<uint64_t> resolution(ClockId id) override;
  WasiResult<uint64_t> now(ClockId id) override;
  bool sleep(uint64_t ns, const InterruptCheck& interrupted) override;
  void advance(uint64_t ns);

 private:
  std::mutex mutex_;
  uint64_t realtime_;
  uint64_t monotonic_;
};

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual WasiResult<void> fill(std::span<uint8_t> out) = 0;
};

// getrandom(2): blocks only until the kernel's pool is first initialised, as the spec allows.
class HostRandom final : public RandomSource {
 public:
  WasiResult<void> fill(std::span<uint8_t> out) override;
};

// A deterministic stream (splitmix64) from a seed: for tests, never for secrets.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  WasiResult<void> fill(std::span<uint8_t> out) override;

 private:
  uint64_t next();
  uint64_t state_;
};

}  // namespace bantam::wasi
