// Host and fake clocks; host and seeded randomness.
#include "wasi/system.h"

#include <sys/random.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bantam::wasi {

namespace {

clockid_t hostClock(ClockId id) {
  switch (id) {
    case ClockId::Realtime: return CLOCK_REALTIME;
    case ClockId::Monotonic: return CLOCK_MONOTONIC;
    case ClockId::ProcessCputime: return CLOCK_PROCESS_CPUTIME_ID;
    case ClockId::ThreadCputime: return CLOCK_THREAD_CPUTIME_ID;
  }
  return CLOCK_MONOTONIC;
}

bool validClock(ClockId id) { return static_cast<uint32_t>(id) < kClockIdCount; }

// How long one blocking step may last before the interrupt check is asked again.
constexpr uint64_t kSliceNs = 5'000'000;

}  // namespace

WasiResult<uint64_t> HostClocks::resolution(ClockId id) {
  if (!validClock(id)) return err(Errno::Inval);
  struct timespec ts;
  if (::clock_getres(hostClock(id), &ts) != 0) return err(errnoFromHost(errno));
  uint64_t ns = static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
  return ns == 0 ? 1 : ns;  // the spec requires a non-zero resolution
}

WasiResult<uint64_t> HostClocks::now(ClockId id) {
  if (!validClock(id)) return err(Errno::Inval);
  struct timespec ts;
  if (::clock_gettime(hostClock(id), &ts) != 0) return err(errnoFromHost(errno));
  if (ts.tv_sec < 0) return err(Errno::Overflow);  // before 1970: not a $timestamp
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

bool HostClocks::sleep(uint64_t ns, const InterruptCheck& interrupted) {
  struct timespec start;
  ::clock_gettime(CLOCK_MONOTONIC, &start);
  uint64_t startNs = static_cast<uint64_t>(start.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(start.tv_nsec);
  uint64_t deadline = ns > UINT64_MAX - startNs ? UINT64_MAX : startNs + ns;
  for (;;) {
    if (interrupted && interrupted()) return false;
    struct timespec now;
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    uint64_t nowNs = static_cast<uint64_t>(now.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(now.tv_nsec);
    if (nowNs >= deadline) return true;
    uint64_t step = std::min(deadline - nowNs, interrupted ? kSliceNs : deadline - nowNs);
    struct timespec req;
    req.tv_sec = static_cast<time_t>(std::min<uint64_t>(step / 1'000'000'000u, INT32_MAX));
    req.tv_nsec = static_cast<long>(step % 1'000'000'000u);
    ::nanosleep(&req, nullptr);  // EINTR: the loop re-reads the clock
  }
}

WasiResult<uint64_t> FakeClocks::resolution(ClockId id) {
  if (!validClock(id)) return err(Errno::Inval);
  return 1;
}

WasiResult<uint64_t> FakeClocks::now(ClockId id) {
  if (!validClock(id)) return err(Errno::Inval);
  std::lock_guard lock(mutex_);
  return id == ClockId::Realtime ? realtime_ : monotonic_;
}

bool FakeClocks::sleep(uint64_t ns, const InterruptCheck& interrupted) {
  if (interrupted && interrupted()) return false;
  advance(ns);
  return true;
}

void FakeClocks::advance(uint64_t ns) {
  std::lock_guard lock(mutex_);
  realtime_ = ns > UINT64_MAX - realtime_ ? UINT64_MAX : realtime_ + ns;
  monotonic_ = ns > UINT64_MAX - monotonic_ ? UINT64_MAX : monotonic_ + ns;
}

WasiResult<void> HostRandom::fill(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return err(errnoFromHost(errno));
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

uint64_t SeededRandom::next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

WasiResult<void> SeededRandom::fill(std::span<uint8_t> out) {
  size_t i = 0;
  while (i < out.size()) {
    uint64_t v = next();
    size_t n = std::min<size_t>(8, out.size() - i);
    std::memcpy(out.data() + i, &v, n);
    i += n;
  }
  return {};
}

}  // namespace bantam::wasi
