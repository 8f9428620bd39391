// The lowering's super-instructions compute exactly what the instructions they replace do:
// pairs of dependent operations in every operand order and form, values taken from the
// accumulator, compare-and-branch, and address arithmetic folded into loads and stores.
#include "interp_harness.h"

namespace bantam::interp::test {

TEST(InterpFusion, IntegerPairsKeepOperandOrder) {
  Harness h;
  h.load(R"((module (memory 1)
      (func (export "cRight") (param i32 i32 i32) (result i32)
        (i32.sub (local.get 2) (i32.shl (local.get 0) (local.get 1))))
      (func (export "cLeftImmB") (param i32 i32 i32) (result i32)
        (i32.sub (i32.shl (local.get 0) (i32.const 3)) (local.get 2)))
      (func (export "cImm") (param i32 i32 i32) (result i32)
        (i32.and (i32.sub (local.get 0) (local.get 1)) (i32.const 0xff)))
      (func (export "accA") (param i32 i32 i32) (result i32)
        (i32.store (i32.const 0) (local.get 0))
        (i32.sub (local.get 2) (i32.rotl (i32.load (i32.const 0)) (i32.const 3))))
      (func (export "i64") (param i64 i64) (result i64)
        (i64.shr_u (i64.xor (local.get 0) (local.get 1)) (i64.const 7)))))");
  EXPECT_EQ(h.value("cRight", {i32(3), i32(2), i32(100)}), 100u - (3u << 2));
  EXPECT_EQ(h.value("cLeftImmB", {i32(3), i32(0), i32(100)}), static_cast<uint32_t>((3 << 3) - 100));
  EXPECT_EQ(h.value("cImm", {i32(1000), i32(1), i32(0)}), 999u & 0xff);
  EXPECT_EQ(h.value("accA", {i32(0x80000001), i32(0), i32(50)}), static_cast<uint32_t>(50 - 0x0000000c));
  EXPECT_EQ(h.value("i64", {i64(-1), i64(0xff)}), 0xffffffffffffff00ull >> 7);
}

TEST(InterpFusion, FloatPairsKeepOperandOrder) {
  Harness h;
  h.load(R"((module
      (func (export "mulAdd") (param f64 f64) (result f64) (f64.add (local.get 0) (f64.mul (local.get 1) (f64.const 0.5))))
      (func (export "subDiv") (param f64 f64 f64) (result f64) (f64.div (f64.sub (local.get 0) (local.get 1)) (local.get 2)))
      (func (export "divFrom") (param f64 f64 f64) (result f64) (f64.div (local.get 2) (f64.sub (local.get 0) (local.get 1))))
      (func (export "f32") (param f32 f32) (result f32) (f32.sub (f32.mul (local.get 0) (local.get 0)) (local.get 1)))))");
  EXPECT_EQ(std::bit_cast<double>(h.value("mulAdd", {f64(1), f64(3)})), 2.5);
  EXPECT_EQ(std::bit_cast<double>(h.value("subDiv", {f64(7), f64(1), f64(4)})), 1.5);
  EXPECT_EQ(std::bit_cast<double>(h.value("divFrom", {f64(7), f64(3), f64(2)})), 0.5);
  EXPECT_EQ(std::bit_cast<float>(static_cast<uint32_t>(h.value("f32", {f32(3), f32(0.5f)}))), 8.5f);
}

TEST(InterpFusion, ComparePairsDoNotFuseAcrossTypes) {
  Harness h;
  // The compare's operands are i64 but its result is i32: never a pair with the i32.and.
  h.load(R"((module (func (export "f") (param i64 i64) (result i32)
      (i32.and (i64.lt_u (local.get 0) (local.get 1)) (i32.const 1)))))");
  EXPECT_EQ(h.value("f", {i64(1), i64(2)}), 1u);
  EXPECT_EQ(h.value("f", {i64(2), i64(1)}), 0u);
}

TEST(InterpFusion, AccumulatorCarriesValuesAcrossLocalSetAndGet) {
  Harness h;
  h.load(R"((module (func (export "f") (param i32) (result i32) (local i32)
      (local.set 1 (i32.mul (local.get 0) (i32.const 3)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (local.tee 1 (i32.xor (local.get 1) (i32.const 0xf0)))
      (i32.sub (local.get 1)))))");
  uint32_t v = ((5 * 3) + 1) ^ 0xf0;
  EXPECT_EQ(h.value("f", {i32(5)}), v - v);
}

TEST(InterpFusion, BranchOnComputedConditions) {
  Harness h;
  h.load(R"((module (func (export "count") (param i32) (result i32) (local i32)
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (if (i32.and (local.get 0) (i32.const 1)) (then (local.set 1 (i32.add (local.get 1) (i32.const 1)))))
        (local.set 0 (i32.shr_u (local.get 0) (i32.const 1)))
        (br $l)))
      (local.get 1))))");
  EXPECT_EQ(h.value("count", {i32(0xf0f0)}), 8u);
  EXPECT_EQ(h.value("count", {i32(-1)}), 32u);
}

TEST(InterpFusion, ConsecutiveConstantAddsBothApply) {
  Harness h;
  h.load(R"((module (func (export "f") (param i32 i32 i32) (result i32)
      (loop $l
        (local.set 0 (i32.add (local.get 0) (i32.const 4)))
        (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
        (local.set 2 (i32.add (local.get 2) (i32.const 3)))
        (br_if $l (local.get 1)))
      (i32.add (local.get 0) (local.get 2)))))");
  EXPECT_EQ(h.value("f", {i32(0), i32(10), i32(1)}), 40u + 31u);
}

TEST(InterpFusion, OperationsStoredDirectly) {
  Harness h;
  h.load(R"((module (memory 1)
      (func (export "f64") (param i32 f64 f64) (result f64)
        (f64.store offset=8 (local.get 0) (f64.sub (local.get 1) (local.get 2)))
        (f64.store offset=16 (local.get 0) (f64.mul (f64.load offset=8 (local.get 0)) (f64.const 4)))
        (f64.add (f64.load offset=8 (local.get 0)) (f64.load offset=16 (local.get 0))))
      (func (export "i64") (param i32 i64) (result i64)
        (i64.store (local.get 0) (i64.shl (local.get 1) (i64.const 4)))
        (i64.load (local.get 0)))
      (func (export "oob") (param i32)
        (i32.store (local.get 0) (i32.add (local.get 0) (i32.const 1))))))");
  EXPECT_EQ(std::bit_cast<double>(h.value("f64", {i32(64), f64(5), f64(1.5)})), 3.5 + 14.0);
  EXPECT_EQ(h.value("i64", {i32(0), i64(3)}), 48u);
  EXPECT_EQ(h.trap("oob", {i32(65533)}).message, "out of bounds memory access");
}

TEST(InterpFusion, IncrementAndTestLoops) {
  Harness h;
  h.load(R"((module
      (func (export "steps") (param i32 i32) (result i32) (local i32 i32)
        (loop $l
          (local.set 3 (i32.add (local.get 3) (i32.const 1)))
          (br_if $l (i32.lt_s (local.tee 2 (i32.add (local.get 2) (local.get 1))) (local.get 0))))
        (i32.add (i32.mul (local.get 3) (i32.const 1000)) (local.get 2)))
      (func (export "down") (param i32) (result i32) (local i32)
        (loop $l
          (local.set 1 (i32.add (local.get 1) (i32.const 2)))
          (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get 1))
      (func (export "untilEqual") (param i32) (result i32)
        (block $b (loop $l
          (br_if $b (i32.eq (local.tee 0 (i32.add (local.get 0) (i32.const 7))) (i32.const 70)))
          (br $l)))
        (local.get 0))))");
  EXPECT_EQ(h.value("steps", {i32(10), i32(3)}), 4012u);
  EXPECT_EQ(h.value("down", {i32(5)}), 10u);
  EXPECT_EQ(h.value("untilEqual", {i32(0)}), 70u);
}


TEST(InterpFusion, LoadsConsumedByOperations) {
  Harness h;
  h.load(R"((module (memory 1)
      (data (i32.const 16) "\f0\ff\ff\ff\01\00\00\00")
      (func (export "subFrom") (param i32 f64) (result f64) (f64.sub (local.get 1) (f64.load offset=8 (local.get 0))))
      (func (export "subFromLoad") (param i32 f64) (result f64) (f64.sub (f64.load offset=8 (local.get 0)) (local.get 1)))
      (func (export "divImm") (param i32) (result f64) (f64.div (f64.load (local.get 0)) (f64.const 4)))
      (func (export "field") (param i32 i32) (result i32)
        (i32.sub (i32.load (i32.add (local.get 0) (i32.const 4))) (local.get 1)))
      (func (export "accAddr") (param i32 i32) (result i32)
        (i32.xor (local.get 1) (i32.load offset=2 (i32.shl (local.get 0) (i32.const 1)))))
      (func (export "bytes") (param i32) (result i32)
        (i32.add (i32.load8_u offset=16 (local.get 0)) (i32.load16_u offset=16 (local.get 0))))
      (func (export "i64") (param i32 i64) (result i64) (i64.mul (i64.load offset=16 (local.get 0)) (local.get 1)))
      (func (export "f32") (param i32 f32) (result f32) (f32.add (f32.load (local.get 0)) (local.get 1)))
      (func (export "wrap") (param i32) (result i32)
        (i32.and (i32.load offset=16 (i32.add (local.get 0) (i32.const -8))) (i32.const 0xff)))
      (func (export "oob") (param i32) (result i32) (i32.add (i32.load offset=4 (local.get 0)) (i32.const 1)))
      (func (export "put") (param i32 f64) (f64.store (local.get 0) (local.get 1)))))");
  ASSERT_TRUE(h.call("put", {i32(8), f64(2.5)}));
  ASSERT_TRUE(h.call("put", {i32(0), f64(10)}));
  EXPECT_EQ(std::bit_cast<double>(h.value("subFrom", {i32(0), f64(1)})), 1 - 2.5);
  EXPECT_EQ(std::bit_cast<double>(h.value("subFromLoad", {i32(0), f64(1)})), 2.5 - 1);
  EXPECT_EQ(std::bit_cast<double>(h.value("divImm", {i32(0)})), 2.5);
  ASSERT_TRUE(h.call("put", {i32(16), f64(std::bit_cast<double>(uint64_t{0x00000001fffffff0}))}));
  EXPECT_EQ(h.value("field", {i32(12), i32(3)}), 0xfffffff0u - 3);
  EXPECT_EQ(h.value("accAddr", {i32(7), i32(0xff)}), 0xfffffff0u ^ 0xff);
  EXPECT_EQ(h.value("bytes", {i32(0)}), 0xf0u + 0xfff0u);  // zero-extended
  EXPECT_EQ(h.value("i64", {i32(0), i64(2)}), 0x00000001fffffff0ull * 2);
  ASSERT_TRUE(h.call("put", {i32(0), f64(0)}));
  EXPECT_EQ(std::bit_cast<float>(static_cast<uint32_t>(h.value("f32", {i32(0), f32(1.5f)}))), 1.5f);
  // (8 + -8) wraps to 0 at 32 bits before the offset is added: the load reads address 16.
  EXPECT_EQ(h.value("wrap", {i32(8)}), 0xf0u);
  EXPECT_EQ(h.trap("oob", {i32(65532)}).message, "out of bounds memory access");
}

}  // namespace bantam::interp::test
