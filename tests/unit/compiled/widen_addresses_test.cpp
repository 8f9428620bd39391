// WidenAddressInductions (src/llvm/widen_addresses.cpp): a loop whose 32-bit address sequence
// wraps past 2^32 must read the wrapped addresses (the unchecked original loop runs), and one
// whose sequence stays below 2^32 runs the 64-bit copy. A 4 GiB memory makes the addresses just
// below 2^32 valid, so a wrong choice shows: the 64-bit copy would touch base + 2^32, the guard
// region, and trap.
#include <gtest/gtest.h>

#ifdef BANTAM_HAVE_COMPILED
#include <cstdlib>

#include "compiled_env.h"

namespace bantam::compiled {
namespace {

using runtime::Value;
using testing::Instance;

// "up"/"down": the decimal digits of the bytes at p, p+1, ... (p, p-1, ...), n of them.
// "up36": the same through `i32.add p 36` (the pattern of clang's wasm code), from p-36.
// "updo": "up" as a bottom-tested loop, n >= 1 (its last access is in its last iteration).
// "pair": the bytes at p-1 and p+1 as two digits each step (one group: base p, offsets -1, +1).
constexpr const char* kDigits = R"((module (memory 65536)
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "up") (param $p i32) (param $n i32) (result i32) (local $acc i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 10)) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $acc))
  (func (export "down") (param $p i32) (param $n i32) (result i32) (local $acc i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 10)) (i32.load8_u (local.get $p))))
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $acc))
  (func (export "up36") (param $p i32) (param $n i32) (result i32) (local $acc i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 10))
                               (i32.load8_u (i32.add (local.get $p) (i32.const 36)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $acc))
  (func (export "updo") (param $p i32) (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 10)) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
  (func (export "pair") (param $p i32) (param $n i32) (result i32) (local $acc i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 100))
        (i32.add (i32.mul (i32.load8_u (i32.add (local.get $p) (i32.const -1))) (i32.const 10))
                 (i32.load8_u (i32.add (local.get $p) (i32.const 1))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $acc))))";

struct Digits : ::testing::Test {
  testing::TempDir cache;
  std::unique_ptr<runtime::Engine> engine = testing::compiledEngine(cache.path, false);
  std::unique_ptr<Instance> m;
  void SetUp() override {
    m = std::make_unique<Instance>(*engine, kDigits);
    ASSERT_NE(m->inst, nullptr);
    // 1 2 3 4 across the top of the 4 GiB and the bottom: 0xfffffffe, 0xffffffff, 0, 1.
    for (uint32_t i = 0; i < 4; ++i)
      ASSERT_TRUE(m->call("poke", {Value::i32(0xfffffffeu + i), Value::i32(i + 1)}).has_value());
    ASSERT_TRUE(m->call("poke", {Value::i32(100), Value::i32(7)}).has_value());
    ASSERT_TRUE(m->call("poke", {Value::i32(101), Value::i32(8)}).has_value());
  }
  int32_t run(const char* f, uint32_t p, uint32_t n) {
    auto r = m->call(f, {Value::i32(p), Value::i32(n)});
    EXPECT_TRUE(r.has_value()) << f << "(" << p << ", " << n << "): " << (r ? "" : r.error().message);
    return r && !r->empty() ? r->at(0).asI32() : -1;
  }
};

TEST_F(Digits, AnAscendingSequenceThatWrapsReadsTheWrappedAddresses) {
  EXPECT_EQ(run("up", 0xfffffffeu, 4), 1234);
  EXPECT_EQ(run("up", 0xffffffffu, 2), 23);
}

TEST_F(Digits, ADescendingSequenceThatWrapsReadsTheWrappedAddresses) {
  EXPECT_EQ(run("down", 1, 4), 4321);
  EXPECT_EQ(run("down", 0, 2), 32);
}

TEST_F(Digits, AConstantAddedToTheInductionWrapsToo) {
  EXPECT_EQ(run("up36", 0xfffffffeu - 36, 4), 1234);
  EXPECT_EQ(run("up36", 0xffffffffu - 36 - 1, 1), 1);
}

TEST_F(Digits, TheLastIterationsAccessIsCheckedToo) {
  EXPECT_EQ(run("updo", 0xfffffffdu, 3), 12);   // 0xfffffffd (0), then 1 and 2: ends at 2^32 - 1
  EXPECT_EQ(run("updo", 0xfffffffeu, 3), 123);  // its third byte is at address 0
}

TEST_F(Digits, AccessesAtOffsetsFromOneBaseWrapAtEitherEnd) {
  ASSERT_TRUE(m->call("poke", {Value::i32(2), Value::i32(5)}).has_value());
  // p = 0: p-1 wraps to 0xffffffff (2), p+1 = 1 (4); p = 1: 0 (3), 2 (5).
  EXPECT_EQ(run("pair", 0, 2), 2435);
  // p = 0xfffffffe: 0xfffffffd (0), 0xffffffff (2); p = 0xffffffff: 0xfffffffe (1), 0 (3).
  EXPECT_EQ(run("pair", 0xfffffffeu, 2), 213);
  EXPECT_EQ(run("pair", 101, 1), 70);  // 100 (7), 102 (0)
}

TEST_F(Digits, SequencesBelow4GiBRunToTheirLastByte) {
  EXPECT_EQ(run("up", 100, 2), 78);
  EXPECT_EQ(run("down", 101, 2), 87);
  EXPECT_EQ(run("up36", 64, 2), 78);
  EXPECT_EQ(run("up", 0xfffffffeu, 2), 12);  // ends at the last byte of the 4 GiB
  EXPECT_EQ(run("down", 1, 2), 43);          // ends at address 0
  EXPECT_EQ(run("up", 0, 0), 0);
}

// The 64-bit copy is there: its preheader check is in the optimised IR.
TEST(WidenAddresses, LoopsWithAddressSequencesGetTheCheckedCopy) {
  testing::TempDir cache;
  auto engine = testing::compiledEngine(cache.path, false);
  ::setenv("BANTAM_LLVM_DUMP_IR", "1", 1);
  ::testing::internal::CaptureStderr();
  auto mod = runtime::compileModule(*engine, testing::wat(kDigits), "digits");
  std::string ir = ::testing::internal::GetCapturedStderr();
  ::unsetenv("BANTAM_LLVM_DUMP_IR");
  ASSERT_TRUE(mod.has_value()) << mod.error().toString();
  std::string optimised = ir.substr(ir.find("; ---- optimised ----"));
  size_t checks = 0;
  for (size_t at = optimised.find("icmp"); at != std::string::npos; at = optimised.find("icmp", at + 1))
    if (optimised.substr(at > 40 ? at - 40 : 0, 40).find("widen.fits") != std::string::npos) ++checks;
  EXPECT_GE(checks, 3u) << optimised;
  EXPECT_NE(optimised.find(".narrow"), std::string::npos);
}

}  // namespace
}  // namespace bantam::compiled
#else
TEST(WidenAddresses, CompiledEngineNotBuilt) { GTEST_SKIP() << "built with -DBANTAM_LLVM=OFF"; }
#endif
