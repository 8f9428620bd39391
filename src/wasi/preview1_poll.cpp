// poll_oneoff: clock subscriptions (relative or absolute, realtime or monotonic) and fd
// read/write subscriptions. Regular files and memory streams are always ready; host streams
// and sockets are waited on with ppoll(2); with only clocks the injected Clocks sleeps, so
// tests run on fake time. Either wait is cut into slices that ask whether the store's epoch
// deadline has passed, so --timeout stops a sleeping guest too.
#include <poll.h>
#include <sys/ioctl.h>
#include <time.h>

#include <algorithm>

#include "wasi/preview1_util.h"

namespace bantam::wasi::p1 {

namespace {

// More subscriptions than this in one call: EINVAL (as poll(2) refuses more descriptors than
// RLIMIT_NOFILE), so a hostile count never sizes a host allocation.
constexpr uint32_t kMaxSubscriptions = 4096;
constexpr uint64_t kNever = UINT64_MAX;
constexpr uint64_t kSliceNs = 5'000'000;

struct Sub {
  uint64_t userdata = 0;
  EventType type = EventType::Clock;
  uint64_t timeout = kNever;  // clock: nanoseconds from now
  Readiness ready;            // fd subscriptions
  uint32_t fd = 0;
};

uint64_t monotonicNow() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

WasiResult<Sub> readSub(WasiCtx& ctx, M mem, uint32_t at) {
  Sub s;
  s.userdata = BANTAM_TRY(mem.load<uint64_t>(at + layout::kSubUserdata));
  uint8_t tag = BANTAM_TRY(mem.load<uint8_t>(at + layout::kSubTag));
  if (tag > static_cast<uint8_t>(EventType::FdWrite)) return err(Errno::Inval);
  s.type = static_cast<EventType>(tag);
  if (s.type == EventType::Clock) {
    uint32_t id = BANTAM_TRY(mem.load<uint32_t>(at + layout::kSubClockId));
    uint64_t timeout = BANTAM_TRY(mem.load<uint64_t>(at + layout::kSubClockTimeout));
    uint16_t flags = BANTAM_TRY(mem.load<uint16_t>(at + layout::kSubClockFlags));
    if (flags & ~kSubscriptionClockAbstime) return err(Errno::Inval);
    // Only realtime and monotonic can be waited on (Wasmtime: the CPU-time clocks are EINVAL).
    if (id != static_cast<uint32_t>(ClockId::Realtime) && id != static_cast<uint32_t>(ClockId::Monotonic))
      return err(Errno::Inval);
    if (flags & kSubscriptionClockAbstime) {
      uint64_t now = BANTAM_TRY(ctx.clocks().now(static_cast<ClockId>(id)));
      s.timeout = timeout > now ? timeout - now : 0;
    } else {
      s.timeout = timeout;
    }
    return s;
  }
  s.fd = BANTAM_TRY(mem.load<uint32_t>(at + layout::kSubFd));
  FdEntry* e = BANTAM_TRY(entryOf(ctx, s.fd));
  if (!e->file) return err(Errno::Badf);
  BANTAM_TRY(needRights(*e, rights::kPollFdReadwrite));
  s.ready = e->file->readiness(s.type == EventType::FdWrite);
  return s;
}

// Waits on host descriptors for up to `timeout` ns; returns how long it waited. Traps when
// interrupted.
runtime::TrapOr<uint64_t> waitFds(std::vector<Sub>& subs, uint64_t timeout, const InterruptCheck& interrupted) {
  std::vector<struct pollfd> pfds;
  std::vector<size_t> owner;
  for (size_t i = 0; i < subs.size(); ++i) {
    Sub& s = subs[i];
    if (s.type == EventType::Clock || s.ready.ready) continue;
    short ev = s.type == EventType::FdRead ? POLLIN : POLLOUT;
    pfds.push_back({s.ready.hostFd, ev, 0});
    owner.push_back(i);
  }
  uint64_t start = monotonicNow();
  for (;;) {
    if (interrupted && interrupted()) return std::unexpected(runtime::Trap(runtime::TrapKind::Interrupted));
    uint64_t waited = monotonicNow() - start;
    uint64_t left = timeout == kNever ? kNever : (timeout > waited ? timeout - waited : 0);
    uint64_t step = interrupted ? std::min(left, kSliceNs) : left;
    struct timespec ts = {static_cast<time_t>(std::min<uint64_t>(step / 1'000'000'000u, INT32_MAX)),
                          static_cast<long>(step % 1'000'000'000u)};
    int n = ::ppoll(pfds.data(), pfds.size(), step == kNever ? nullptr : &ts, nullptr);
    if (n < 0 && errno != EINTR) return 0;  // nothing more can be learnt; report clocks only
    if (n > 0) {
      for (size_t k = 0; k < pfds.size(); ++k) {
        if (!pfds[k].revents) continue;
        Sub& s = subs[owner[k]];
        s.ready.ready = true;
        s.ready.hangup = pfds[k].revents & POLLHUP;
        int avail = 0;
        if (s.type == EventType::FdRead && ::ioctl(pfds[k].fd, FIONREAD, &avail) == 0 && avail > 0)
          s.ready.nbytes = static_cast<uint64_t>(avail);
        if (s.type == EventType::FdWrite) s.ready.nbytes = 1;
      }
      return monotonicNow() - start;
    }
    waited = monotonicNow() - start;
    if (timeout != kNever && waited >= timeout) return waited;
  }
}

}  // namespace

runtime::TrapOr<Errno> pollOneoff(WasiCtx& ctx, M mem, uint32_t in, uint32_t out, uint32_t nsubscriptions,
                                  uint32_t neventsOut, const InterruptCheck& interrupted) {
  // Waiting for nothing would block forever: preview 1 makes it EINVAL.
  if (nsubscriptions == 0) return Errno::Inval;
  if (!mem.contains(in, uint64_t{nsubscriptions} * layout::kSubscriptionSize)) return Errno::Fault;
  if (!mem.contains(out, uint64_t{nsubscriptions} * layout::kEventSize)) return Errno::Fault;
  if (!mem.contains(neventsOut, 4)) return Errno::Fault;
  if (nsubscriptions > kMaxSubscriptions) return Errno::Inval;

  std::vector<Sub> subs;
  subs.reserve(nsubscriptions);
  for (uint32_t i = 0; i < nsubscriptions; ++i) {
    auto s = readSub(ctx, mem, in + i * layout::kSubscriptionSize);
    if (!s) return s.error();
    subs.push_back(*s);
  }

  bool anyReady = false, anyHostFd = false;
  uint64_t earliest = kNever;
  for (const Sub& s : subs) {
    if (s.type == EventType::Clock) earliest = std::min(earliest, s.timeout);
    else if (s.ready.ready) anyReady = true;
    else anyHostFd = true;
  }

  uint64_t waited = 0;
  if (!anyReady && earliest != 0) {
    if (anyHostFd) {
      auto w = waitFds(subs, earliest, interrupted);
      if (!w) return std::unexpected(std::move(w.error()));
      waited = *w;
    } else if (earliest != kNever) {
      if (!ctx.clocks().sleep(earliest, interrupted))
        return std::unexpected(runtime::Trap(runtime::TrapKind::Interrupted));
      waited = earliest;
    }
  }

  uint32_t count = 0;
  for (const Sub& s : subs) {
    uint8_t ev[layout::kEventSize] = {};
    std::memcpy(ev + layout::kEventUserdata, &s.userdata, 8);
    ev[layout::kEventType] = static_cast<uint8_t>(s.type);
    if (s.type == EventType::Clock) {
      if (s.timeout > waited) continue;
    } else {
      if (!s.ready.ready) continue;
      std::memcpy(ev + layout::kEventNbytes, &s.ready.nbytes, 8);
      uint16_t flags = s.ready.hangup ? kEventFdReadwriteHangup : 0;
      std::memcpy(ev + layout::kEventFlags, &flags, 2);
    }
    (void)mem.write(out + count * layout::kEventSize, std::span<const uint8_t>(ev, sizeof ev));
    ++count;
  }
  (void)mem.store<uint32_t>(neventsOut, count);
  return Errno::Success;
}

}  // namespace bantam::wasi::p1
