// args_*, environ_*, clock_*, random_get, proc_exit, proc_raise, sched_yield.
#include <gtest/gtest.h>

#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

using testing::EnvOptions;
using testing::WasiEnv;

TEST(WasiArgs, SizesCountTheTerminatingNuls) {
  WasiEnv w(EnvOptions{.args = {"prog.wasm", "a", "hello"}});
  uint32_t argc = w.alloc(4), size = w.alloc(4);
  EXPECT_EQ(p1::argsSizesGet(*w.ctx, w.mem, argc, size), Errno::Success);
  EXPECT_EQ(w.load<uint32_t>(argc), 3u);
  EXPECT_EQ(w.load<uint32_t>(size), 10u + 2 + 6);
}

TEST(WasiArgs, GetWritesPointersAndNulTerminatedStrings) {
  WasiEnv w(EnvOptions{.args = {"prog.wasm", "", "x y"}});
  uint32_t argv = w.alloc(12), buf = w.alloc(32);
  ASSERT_EQ(p1::argsGet(*w.ctx, w.mem, argv, buf), Errno::Success);
  EXPECT_EQ(w.load<uint32_t>(argv), buf);
  EXPECT_EQ(w.bytes(buf, 10), std::string("prog.wasm\0", 10));
  EXPECT_EQ(w.load<uint32_t>(argv + 4), buf + 10);
  EXPECT_EQ(w.memory[buf + 10], 0);
  EXPECT_EQ(w.load<uint32_t>(argv + 8), buf + 11);
  EXPECT_EQ(w.bytes(buf + 11, 4), std::string("x y\0", 4));
}

TEST(WasiArgs, BufferPastTheEndIsFaultAndWritesNothing) {
  WasiEnv w(EnvOptions{.args = {"prog", "abc"}});
  uint32_t argv = w.alloc(8);
  uint32_t buf = static_cast<uint32_t>(w.memory.size()) - 5;  // needs 9 bytes
  EXPECT_EQ(p1::argsGet(*w.ctx, w.mem, argv, buf), Errno::Fault);
  EXPECT_EQ(w.load<uint32_t>(argv), 0u);
  EXPECT_EQ(p1::argsSizesGet(*w.ctx, w.mem, 0xfffffffeu, w.alloc(4)), Errno::Fault);
}

TEST(WasiEnviron, GetAndSizes) {
  WasiEnv w(EnvOptions{.env = {"A=1", "PATH=/bin:/usr/bin", "EMPTY="}});
  uint32_t count = w.alloc(4), size = w.alloc(4);
  ASSERT_EQ(p1::environSizesGet(*w.ctx, w.mem, count, size), Errno::Success);
  EXPECT_EQ(w.load<uint32_t>(count), 3u);
  EXPECT_EQ(w.load<uint32_t>(size), 4u + 19 + 7);
  uint32_t env = w.alloc(12), buf = w.alloc(64);
  ASSERT_EQ(p1::environGet(*w.ctx, w.mem, env, buf), Errno::Success);
  EXPECT_EQ(w.bytes(w.load<uint32_t>(env + 4), 19), std::string("PATH=/bin:/usr/bin\0", 19));
  EXPECT_EQ(w.bytes(w.load<uint32_t>(env + 8), 7), std::string("EMPTY=\0", 7));
}

TEST(WasiEnviron, ConfigRejectsEntriesWithoutKey) {
  WasiConfig c;
  c.env = {"=value"};
  EXPECT_FALSE(WasiCtx::create(std::move(c)).has_value());
  WasiConfig d;
  d.env = {"NOEQUALS"};
  EXPECT_FALSE(WasiCtx::create(std::move(d)).has_value());
  WasiConfig e;
  e.args = {std::string("a\0b", 3)};
  EXPECT_FALSE(WasiCtx::create(std::move(e)).has_value());
}

TEST(WasiClock, TimeGetReadsTheInjectedClock) {
  WasiEnv w;
  uint32_t out = w.alloc(8);
  ASSERT_EQ(p1::clockTimeGet(*w.ctx, w.mem, 0, 0, out), Errno::Success);
  EXPECT_EQ(w.load<uint64_t>(out), 1'700'000'000'000'000'000ull);
  w.clocks->advance(5);
  ASSERT_EQ(p1::clockTimeGet(*w.ctx, w.mem, 1, 1000, out), Errno::Success);
  EXPECT_EQ(w.load<uint64_t>(out), 1'000'000'005ull);
}

TEST(WasiClock, UnknownClockIsInval) {
  WasiEnv w;
  uint32_t out = w.alloc(8);
  EXPECT_EQ(p1::clockTimeGet(*w.ctx, w.mem, 4, 0, out), Errno::Inval);
  EXPECT_EQ(p1::clockResGet(*w.ctx, w.mem, 99, out), Errno::Inval);
}

TEST(WasiClock, ResolutionIsNonZero) {
  WasiEnv w;
  uint32_t out = w.alloc(8);
  for (uint32_t id = 0; id < 4; ++id) {
    ASSERT_EQ(p1::clockResGet(*w.ctx, w.mem, id, out), Errno::Success);
    EXPECT_GT(w.load<uint64_t>(out), 0u);
  }
}

TEST(WasiClock, HostClocksAreSaneAndMonotonic) {
  HostClocks c;
  uint64_t a = *c.now(ClockId::Monotonic);
  uint64_t b = *c.now(ClockId::Monotonic);
  EXPECT_LE(a, b);
  EXPECT_GT(*c.now(ClockId::Realtime), 1'600'000'000'000'000'000ull);
  EXPECT_TRUE(c.now(ClockId::ProcessCputime).has_value());
  EXPECT_TRUE(c.now(ClockId::ThreadCputime).has_value());
  EXPECT_GT(*c.resolution(ClockId::Realtime), 0u);
}

TEST(WasiClock, OutPointerOutsideMemoryIsFault) {
  WasiEnv w;
  EXPECT_EQ(p1::clockTimeGet(*w.ctx, w.mem, 0, 0, static_cast<uint32_t>(w.memory.size()) - 4), Errno::Fault);
}

TEST(WasiRandom, FillsTheWholeBuffer) {
  WasiEnv w;
  uint32_t buf = w.alloc(4096);
  ASSERT_EQ(p1::randomGet(*w.ctx, w.mem, buf, 4096), Errno::Success);
  int zeros = 0;
  for (uint32_t i = 0; i < 4096; ++i) zeros += w.memory[buf + i] == 0;
  EXPECT_LT(zeros, 64);
}

TEST(WasiRandom, HostRandomDiffersBetweenCalls) {
  HostRandom r;
  uint8_t a[32] = {}, b[32] = {};
  ASSERT_TRUE(r.fill(a).has_value());
  ASSERT_TRUE(r.fill(b).has_value());
  EXPECT_NE(std::memcmp(a, b, 32), 0);
}

TEST(WasiRandom, HugeLengthOutsideMemoryIsFault) {
  WasiEnv w;
  EXPECT_EQ(p1::randomGet(*w.ctx, w.mem, 16, 0xffffffffu), Errno::Fault);
  EXPECT_EQ(p1::randomGet(*w.ctx, w.mem, 0, 0), Errno::Success);
}

TEST(WasiProc, ExitIsAnExitTrapWithTheCode) {
  WasiEnv w;
  runtime::Trap t = p1::procExit(*w.ctx, w.mem, 42);
  EXPECT_EQ(t.kind, runtime::TrapKind::Exit);
  EXPECT_EQ(t.exitCode, 42);
  EXPECT_EQ(w.ctx->exitCode, 42);
}

TEST(WasiProc, RaiseIsNotSupportedAndChecksTheSignal) {
  WasiEnv w;
  EXPECT_EQ(p1::procRaise(*w.ctx, w.mem, 6), Errno::Notsup);
  EXPECT_EQ(p1::procRaise(*w.ctx, w.mem, 31), Errno::Inval);
}

TEST(WasiProc, SchedYieldSucceeds) {
  WasiEnv w;
  EXPECT_EQ(p1::schedYield(*w.ctx, w.mem), Errno::Success);
}

}  // namespace
}  // namespace bantam::wasi
