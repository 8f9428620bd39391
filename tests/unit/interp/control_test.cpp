// Control flow in the interpreter: blocks, loops, branches with values, br_table, returns,
// multi-value, and the lowering's fusions (compare + branch, local.set retargeting).
#include <cmath>

#include "interp_harness.h"

namespace bantam::interp::test {

TEST(InterpControl, AddsParameters) {
  Harness h;
  h.load(R"((module (func (export "add") (param i32 i32) (result i32)
                        (i32.add (local.get 0) (local.get 1)))))");
  EXPECT_EQ(h.value("add", {i32(2), i32(40)}), 42u);
}

TEST(InterpControl, RecursiveFibonacci) {
  Harness h;
  h.load(R"((module (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
        (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))))");
  EXPECT_EQ(h.value("fib", {i32(20)}), 6765u);
}

TEST(InterpControl, LoopWithBackEdgeSumsIntegers) {
  Harness h;
  h.load(R"((module (func (export "sum") (param $n i32) (result i64) (local $acc i64)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $acc))))");
  EXPECT_EQ(h.value("sum", {i32(100000)}), 5000050000u);
}

TEST(InterpControl, BlockResultsThroughBranches) {
  Harness h;
  h.load(R"((module (func (export "pick") (param i32) (result i32)
      (block $b (result i32)
        (br_if $b (i32.const 10) (i32.eq (local.get 0) (i32.const 1)))
        (drop)
        (i32.const 20)))))");
  EXPECT_EQ(h.value("pick", {i32(1)}), 10u);
  EXPECT_EQ(h.value("pick", {i32(2)}), 20u);
}

TEST(InterpControl, BrTableSelectsTargetAndDefault) {
  Harness h;
  h.load(R"((module (func (export "sw") (param i32) (result i32)
      (block $d (block $c (block $b (block $a
        (br_table $a $b $c $d (local.get 0)))
        (return (i32.const 100)))
        (return (i32.const 101)))
        (return (i32.const 102)))
      (i32.const 103))))");
  EXPECT_EQ(h.value("sw", {i32(0)}), 100u);
  EXPECT_EQ(h.value("sw", {i32(1)}), 101u);
  EXPECT_EQ(h.value("sw", {i32(2)}), 102u);
  EXPECT_EQ(h.value("sw", {i32(3)}), 103u);
  EXPECT_EQ(h.value("sw", {i32(-1)}), 103u);
}

TEST(InterpControl, BrTableCarriesValues) {
  Harness h;
  h.load(R"((module (func (export "sw") (param i32) (result i32)
      (block $b (result i32)
        (block $a (result i32)
          (br_table $a $b (i32.mul (local.get 0) (i32.const 7)) (local.get 0)))
        (i32.add (i32.const 1000))))))");
  EXPECT_EQ(h.value("sw", {i32(0)}), 1000u);
  EXPECT_EQ(h.value("sw", {i32(1)}), 7u);
  EXPECT_EQ(h.value("sw", {i32(5)}), 35u);
}

TEST(InterpControl, MultiValueBlocksAndCalls) {
  Harness h;
  h.load(R"((module
      (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
      (func (export "f") (param i32 i32) (result i32)
        (call $swap (local.get 0) (local.get 1))
        (block (param i32 i32) (result i32) (i32.sub)))
      (func (export "pair") (result i32 i64) (i32.const 7) (i64.const 9))))");
  EXPECT_EQ(h.value("f", {i32(10), i32(3)}), static_cast<uint32_t>(3 - 10));
  auto r = h.call("pair");
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].asI32(), 7);
  EXPECT_EQ((*r)[1].asI64(), 9);
}

TEST(InterpControl, ReturnSwapsParametersInPlace) {
  Harness h;
  h.load(R"((module (func (export "swap") (param i64 i64) (result i64 i64)
      (return (local.get 1) (local.get 0)))))");
  auto r = h.call("swap", {i64(1), i64(2)});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)[0].asI64(), 2);
  EXPECT_EQ((*r)[1].asI64(), 1);
}

TEST(InterpControl, LocalSetKeepsOldValueStillOnTheStack) {
  Harness h;
  // The first local.get 0 is still on the stack when local 0 is overwritten.
  h.load(R"((module (func (export "f") (param i32) (result i32)
      (local.get 0)
      (local.set 0 (i32.add (local.get 0) (i32.const 5)))
      (i32.sub (local.get 0)))))");
  EXPECT_EQ(h.value("f", {i32(10)}), static_cast<uint32_t>(10 - 15));
}

TEST(InterpControl, LocalReferenceSurvivesConditionalOverwrite) {
  Harness h;
  h.load(R"((module (func (export "f") (param i32 i32) (result i32)
      (local.get 0)
      (if (local.get 1) (then (local.set 0 (i32.const 99))))
      (i32.add (local.get 0)))))");
  EXPECT_EQ(h.value("f", {i32(1), i32(0)}), 2u);
  EXPECT_EQ(h.value("f", {i32(1), i32(1)}), 100u);
}

TEST(InterpControl, LocalTeeFeedsFollowingUse) {
  Harness h;
  h.load(R"((module (func (export "f") (param i32) (result i32) (local i32)
      (i32.mul (local.tee 1 (i32.add (local.get 0) (i32.const 1))) (local.get 1)))))");
  EXPECT_EQ(h.value("f", {i32(4)}), 25u);
}

TEST(InterpControl, SelectPicksByCondition) {
  Harness h;
  h.load(R"((module (func (export "f") (param i32) (result i64)
      (select (i64.const 11) (i64.const 22) (local.get 0)))))");
  EXPECT_EQ(h.value("f", {i32(1)}), 11u);
  EXPECT_EQ(h.value("f", {i32(0)}), 22u);
}

TEST(InterpControl, FusedComparesBranchBothWays) {
  Harness h;
  h.load(R"((module
      (func (export "lt") (param i64 i64) (result i32)
        (if (result i32) (i64.lt_s (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 0))))
      (func (export "gtc") (param i32) (result i32)
        (if (result i32) (i32.gt_u (i32.const 10) (local.get 0)) (then (i32.const 1)) (else (i32.const 0))))
      (func (export "flt") (param f64 f64) (result i32)
        (block $b (br_if $b (f64.lt (local.get 0) (local.get 1))) (return (i32.const 0)))
        (i32.const 1))))");
  EXPECT_EQ(h.value("lt", {i64(-5), i64(3)}), 1u);
  EXPECT_EQ(h.value("lt", {i64(3), i64(-5)}), 0u);
  EXPECT_EQ(h.value("gtc", {i32(9)}), 1u);
  EXPECT_EQ(h.value("gtc", {i32(10)}), 0u);
  EXPECT_EQ(h.value("gtc", {i32(-1)}), 0u);
  EXPECT_EQ(h.value("flt", {f64(1.0), f64(2.0)}), 1u);
  EXPECT_EQ(h.value("flt", {f64(std::nan("")), f64(2.0)}), 0u);
}

TEST(InterpControl, LoopParamsCarryAcrossIterations) {
  Harness h;
  h.load(R"((module (func (export "f") (param i32) (result i32)
      (i32.const 0) (local.get 0)
      (loop $l (param i32 i32) (result i32)
        ;; acc n -> acc+n n-1
        (local.set 0)
        (i32.add (local.get 0))
        (local.get 0) (i32.const 1) (i32.sub)
        (local.tee 0) (local.get 0)
        (br_if $l)
        (drop)))))");
  EXPECT_EQ(h.value("f", {i32(4)}), 10u);
}

TEST(InterpControl, CallResultsFeedTheNextInstruction) {
  Harness h;
  // Each callee returns its result in a different way; the caller consumes it at once.
  h.load(R"((module (global $g (mut i64) (i64.const 40)) (memory 1)
      (func $viaGlobal (result i64) (global.get $g))
      (func $viaOp (param i64) (result i64) (i64.mul (local.get 0) (i64.const 3)))
      (func $viaLocal (param i64) (result i64) (local.get 0))
      (func $viaConst (result i64) (i64.const 5))
      (func $viaSelect (param i64) (result i64) (select (local.get 0) (i64.const 9) (i32.const 1)))
      (func $viaMemorySize (result i32) (memory.size))
      (func $f64 (param f64) (result f64) (f64.add (local.get 0) (f64.const 0.5)))
      (func (export "go") (result i64)
        (i64.add (call $viaGlobal) (i64.const 1))
        (i64.add (call $viaOp (i64.const 2)) (i64.const 1))
        (i64.add (call $viaLocal (i64.const 7)) (i64.const 1))
        (i64.add (call $viaConst) (i64.const 1))
        (i64.add (call $viaSelect (i64.const 11)) (i64.const 1))
        (i64.extend_i32_u (i32.add (call $viaMemorySize) (i32.const 1)))
        (i64.trunc_f64_s (f64.mul (call $f64 (f64.const 2.0)) (f64.const 2.0)))
        (i64.add) (i64.add) (i64.add) (i64.add) (i64.add) (i64.add))))");
  EXPECT_EQ(h.value("go"), 41u + 7 + 8 + 6 + 12 + 2 + 5);
}

TEST(InterpControl, CopiedLocalsStayIndependent) {
  Harness h;
  // After `l1 = l0`, reads of l1 may read l0's slot; writing either one must end that.
  h.load(R"((module
      (func (export "srcWritten") (param i32) (result i32) (local i32)
        (local.set 1 (local.get 0))
        (local.set 0 (i32.const 5))
        (i32.sub (local.get 1) (local.get 0)))
      (func (export "dstWritten") (param i32) (result i32) (local i32)
        (local.set 1 (local.get 0))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (i32.sub (local.get 1) (local.get 0)))
      (func (export "acrossIf") (param i32 i32) (result i32) (local i32)
        (local.set 2 (local.get 0))
        (if (local.get 1) (then (local.set 2 (local.get 1))))
        (local.get 2))))");
  EXPECT_EQ(h.value("srcWritten", {i32(12)}), 7u);
  EXPECT_EQ(h.value("dstWritten", {i32(12)}), 1u);
  EXPECT_EQ(h.value("acrossIf", {i32(3), i32(0)}), 3u);
  EXPECT_EQ(h.value("acrossIf", {i32(3), i32(9)}), 9u);
}

}  // namespace bantam::interp::test
