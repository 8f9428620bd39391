// poll_oneoff: clock subscriptions on fake time, fd subscriptions on files, memory streams
// and host pipes, errors, and interruption.
#include <gtest/gtest.h>

#include <thread>

#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

using testing::EnvOptions;
using testing::WasiEnv;

struct Poll {
  explicit Poll(WasiEnv& env, uint32_t n = 8) : w(env), in(env.alloc(48 * n)), out(env.alloc(32 * n)), nout(env.alloc(4)) {}
  void clock(uint64_t userdata, uint32_t id, uint64_t timeout, uint16_t flags = 0) {
    uint32_t s = in + 48 * count++;
    std::memset(w.memory.data() + s, 0, 48);
    w.store<uint64_t>(s, userdata);
    w.memory[s + 8] = 0;
    w.store<uint32_t>(s + 16, id);
    w.store<uint64_t>(s + 24, timeout);
    w.store<uint16_t>(s + 40, flags);
  }
  void fd(uint64_t userdata, uint8_t type, uint32_t fd) {
    uint32_t s = in + 48 * count++;
    std::memset(w.memory.data() + s, 0, 48);
    w.store<uint64_t>(s, userdata);
    w.memory[s + 8] = type;
    w.store<uint32_t>(s + 16, fd);
  }
  runtime::TrapOr<Errno> run(const InterruptCheck& interrupted = {}) {
    return p1::pollOneoff(*w.ctx, w.mem, in, out, count, nout, interrupted);
  }
  uint32_t events() const { return w.load<uint32_t>(nout); }
  uint64_t userdata(uint32_t i) const { return w.load<uint64_t>(out + 32 * i); }
  Errno error(uint32_t i) const { return static_cast<Errno>(w.load<uint16_t>(out + 32 * i + 8)); }
  uint8_t type(uint32_t i) const { return w.memory[out + 32 * i + 10]; }
  uint64_t nbytes(uint32_t i) const { return w.load<uint64_t>(out + 32 * i + 16); }
  uint16_t flags(uint32_t i) const { return w.load<uint16_t>(out + 32 * i + 24); }

  WasiEnv& w;
  uint32_t in, out, nout, count = 0;
};

uint64_t monotonic(WasiEnv& w) { return *w.clocks->now(ClockId::Monotonic); }

TEST(WasiPoll, RelativeClockSleepsThatLong) {
  WasiEnv w;
  Poll p(w);
  p.clock(7, 1, 250'000'000);
  uint64_t before = monotonic(w);
  ASSERT_EQ(*p.run(), Errno::Success);
  EXPECT_EQ(monotonic(w) - before, 250'000'000u);  // fake time: advanced exactly
  ASSERT_EQ(p.events(), 1u);
  EXPECT_EQ(p.userdata(0), 7u);
  EXPECT_EQ(p.type(0), 0);
  EXPECT_EQ(p.error(0), Errno::Success);
}

TEST(WasiPoll, EarliestOfSeveralClocksFires) {
  WasiEnv w;
  Poll p(w);
  p.clock(1, 1, 5'000);
  p.clock(2, 0, 1'000);
  p.clock(3, 1, 1'000);
  ASSERT_EQ(*p.run(), Errno::Success);
  ASSERT_EQ(p.events(), 2u);
  EXPECT_EQ(p.userdata(0), 2u);
  EXPECT_EQ(p.userdata(1), 3u);
}

TEST(WasiPoll, AbsoluteClockWaitsUntilThatTime) {
  WasiEnv w;
  Poll p(w);
  uint64_t now = monotonic(w);
  p.clock(9, 1, now + 1'000'000, kSubscriptionClockAbstime);
  ASSERT_EQ(*p.run(), Errno::Success);
  EXPECT_EQ(monotonic(w), now + 1'000'000);
  Poll past(w);
  past.clock(10, 0, 5, kSubscriptionClockAbstime);  // long ago on the realtime clock
  uint64_t before = monotonic(w);
  ASSERT_EQ(*past.run(), Errno::Success);
  EXPECT_EQ(monotonic(w), before);
  EXPECT_EQ(past.events(), 1u);
}

TEST(WasiPoll, ZeroSubscriptionsIsInval) {
  WasiEnv w;
  Poll p(w);
  EXPECT_EQ(*p.run(), Errno::Inval);
}

TEST(WasiPoll, BadSubscriptionsAreRejected) {
  WasiEnv w;
  Poll cpu(w);
  cpu.clock(1, 2, 100);  // process CPU time: cannot be waited on
  EXPECT_EQ(*cpu.run(), Errno::Inval);
  Poll flags(w);
  flags.clock(1, 1, 100, 2);
  EXPECT_EQ(*flags.run(), Errno::Inval);
  Poll tag(w);
  tag.fd(1, 3, 0);
  EXPECT_EQ(*tag.run(), Errno::Inval);
  Poll badf(w);
  badf.fd(1, 1, 42);
  EXPECT_EQ(*badf.run(), Errno::Badf);
  Poll dir(w);
  dir.fd(1, 1, 3);
  EXPECT_EQ(*dir.run(), Errno::Badf);
}

TEST(WasiPoll, PointersOutsideMemoryAreFault) {
  WasiEnv w;
  uint32_t end = static_cast<uint32_t>(w.memory.size());
  EXPECT_EQ(*p1::pollOneoff(*w.ctx, w.mem, end - 40, 1024, 1, 2048), Errno::Fault);
  EXPECT_EQ(*p1::pollOneoff(*w.ctx, w.mem, 1024, end - 8, 1, 2048), Errno::Fault);
  EXPECT_EQ(*p1::pollOneoff(*w.ctx, w.mem, 1024, 4096, 0x10000000u, 2048), Errno::Fault);
}

TEST(WasiPoll, RegularFileIsAlwaysReadyWithItsRemainingBytes) {
  WasiEnv w;
  uint32_t fd;
  ASSERT_EQ(w.create("f", "0123456789"), Errno::Success);
  ASSERT_EQ(w.open("f", &fd, 0), Errno::Success);
  Poll p(w);
  p.clock(1, 1, 1'000'000'000);
  p.fd(2, 1, fd);
  p.fd(3, 2, fd);
  uint64_t before = monotonic(w);
  ASSERT_EQ(*p.run(), Errno::Success);
  EXPECT_EQ(monotonic(w), before);  // no sleeping when something is ready
  ASSERT_EQ(p.events(), 2u);
  EXPECT_EQ(p.userdata(0), 2u);
  EXPECT_EQ(p.type(0), 1);
  EXPECT_EQ(p.nbytes(0), 10u);
  EXPECT_EQ(p.userdata(1), 3u);
  EXPECT_EQ(p.type(1), 2);
}

TEST(WasiPoll, StdioMemoryStreamsAreReady) {
  WasiEnv w(EnvOptions{.stdinData = "abc"});
  Poll p(w);
  p.fd(1, 1, 0);
  p.fd(2, 2, 1);
  p.fd(3, 2, 2);
  ASSERT_EQ(*p.run(), Errno::Success);
  ASSERT_EQ(p.events(), 3u);
  EXPECT_EQ(p.nbytes(0), 3u);
}

TEST(WasiPoll, NeedsThePollRight) {
  WasiEnv w;
  uint32_t fd;
  ASSERT_EQ(w.open("f", &fd, oflags::kCreat, rights::kFdRead), Errno::Success);
  Poll p(w);
  p.fd(1, 1, fd);
  EXPECT_EQ(*p.run(), Errno::Notcapable);
}

// A host pipe as stdin: poll waits for data (ppoll), with a clock as the timeout.
struct PipeEnv {
  PipeEnv() {
    EXPECT_EQ(::pipe(fds), 0);
    WasiConfig c;
    c.stdinFile = std::make_unique<HostStream>(fds[0], true, false, true);
    c.clocks = std::make_shared<HostClocks>();
    ctx = *WasiCtx::create(std::move(c));
  }
  ~PipeEnv() { ::close(fds[1]); }
  int fds[2];
  std::unique_ptr<WasiCtx> ctx;
};

TEST(WasiPoll, HostPipeTimesOutThenBecomesReadable) {
  PipeEnv pe;
  WasiEnv w;  // for its memory helpers
  std::swap(w.ctx, pe.ctx);
  Poll p(w);
  p.clock(1, 1, 20'000'000);  // 20 ms
  p.fd(2, 1, 0);
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(*p.run(), Errno::Success);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(19));
  ASSERT_EQ(p.events(), 1u);
  EXPECT_EQ(p.userdata(0), 1u);
  ASSERT_EQ(::write(pe.fds[1], "hey", 3), 3);
  Poll q(w);
  q.clock(1, 1, 5'000'000'000ull);
  q.fd(2, 1, 0);
  start = std::chrono::steady_clock::now();
  ASSERT_EQ(*q.run(), Errno::Success);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  ASSERT_EQ(q.events(), 1u);
  EXPECT_EQ(q.userdata(0), 2u);
  EXPECT_EQ(q.nbytes(0), 3u);
  std::swap(w.ctx, pe.ctx);
}

TEST(WasiPoll, InterruptedWaitTraps) {
  WasiEnv w;
  Poll p(w);
  p.clock(1, 1, 3'600'000'000'000ull);  // an hour
  auto r = p.run([] { return true; });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, runtime::TrapKind::Interrupted);
}

TEST(WasiPoll, HostSleepIsInterruptible) {
  HostClocks c;
  int asked = 0;
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(c.sleep(3'600'000'000'000ull, [&] { return ++asked > 3; }));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_TRUE(c.sleep(1'000'000, {}));
}

}  // namespace
}  // namespace bantam::wasi
