// Memory instructions in the interpreter: every load and store width with its extension,
// address-mode fusion (base + constant, base + index), memory.grow/size and the bulk
// operations with their bounds rules.
#include "interp_harness.h"

namespace bantam::interp::test {

TEST(InterpMemory, LoadsExtendBySignedness) {
  Harness h;
  h.load(R"((module (memory 1) (data (i32.const 0) "\ff\fe\fd\fc\fb\fa\f9\f8")
      (func (export "s8") (result i32) (i32.load8_s (i32.const 0)))
      (func (export "u8") (result i32) (i32.load8_u (i32.const 0)))
      (func (export "s16") (result i32) (i32.load16_s (i32.const 0)))
      (func (export "u16") (result i32) (i32.load16_u (i32.const 0)))
      (func (export "s32") (result i64) (i64.load32_s (i32.const 0)))
      (func (export "u32") (result i64) (i64.load32_u (i32.const 0)))
      (func (export "i64s8") (result i64) (i64.load8_s (i32.const 1)))
      (func (export "all") (result i64) (i64.load (i32.const 0)))))");
  EXPECT_EQ(h.value("s8"), 0xffffffffu);
  EXPECT_EQ(h.value("u8"), 0xffu);
  EXPECT_EQ(h.value("s16"), 0xfffffeffu);
  EXPECT_EQ(h.value("u16"), 0xfeffu);
  EXPECT_EQ(h.value("s32"), 0xfffffffffcfdfeffull);
  EXPECT_EQ(h.value("u32"), 0xfcfdfeffull);
  EXPECT_EQ(h.value("i64s8"), 0xfffffffffffffffeull);
  EXPECT_EQ(h.value("all"), 0xf8f9fafbfcfdfeffull);
}

TEST(InterpMemory, StoresTruncate) {
  Harness h;
  h.load(R"((module (memory 1)
      (func (export "go") (result i64)
        (i64.store (i32.const 0) (i64.const -1))
        (i32.store8 (i32.const 0) (i32.const 0x1234))
        (i64.store16 (i32.const 2) (i64.const 0x5678))
        (i64.store32 (i32.const 4) (i64.const 0))
        (i64.load (i32.const 0)))))");
  EXPECT_EQ(h.value("go"), 0x000000005678ff34ull);
}

TEST(InterpMemory, FusedAddressesWrapAt32BitsBeforeTheOffset) {
  Harness h;
  h.load(R"((module (memory 1)
      (func (export "addk") (param i32) (result i32) (i32.load offset=4 (i32.add (local.get 0) (i32.const 8))))
      (func (export "addr") (param i32 i32) (result i32) (i32.load (i32.add (local.get 0) (local.get 1))))
      (func (export "store") (param i32 i32)
        (i32.store offset=0 (i32.add (local.get 0) (i32.const 16)) (local.get 1)))))");
  ASSERT_TRUE(h.call("store", {i32(0), i32(99)}).has_value());
  EXPECT_EQ(h.value("addk", {i32(4)}), 99u);
  EXPECT_EQ(h.value("addr", {i32(10), i32(6)}), 99u);
  // -8 + 8 wraps to 0 in i32 arithmetic: in bounds, not 4 GiB away.
  EXPECT_EQ(h.value("addk", {i32(-8)}), 0u);
  EXPECT_EQ(h.value("addr", {i32(-16), i32(32)}), 99u);
  // But the offset is added without wrapping: this is out of bounds.
  EXPECT_EQ(h.trap("addk", {i32(-12)}).message, "out of bounds memory access");
}

TEST(InterpMemory, GrowAndSize) {
  Harness h;
  h.load(R"((module (memory 1 3)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "size") (result i32) (memory.size))
      (func (export "poke") (param i32) (result i32) (i32.store (local.get 0) (i32.const 7)) (i32.load (local.get 0)))))");
  EXPECT_EQ(h.trap("poke", {i32(65536)}).message, "out of bounds memory access");
  EXPECT_EQ(h.value("grow", {i32(1)}), 1u);
  EXPECT_EQ(h.value("size"), 2u);
  EXPECT_EQ(h.value("poke", {i32(65536)}), 7u);
  EXPECT_EQ(h.value("grow", {i32(2)}), 0xffffffffu);  // beyond the maximum
  EXPECT_EQ(h.value("size"), 2u);
}

TEST(InterpMemory, BulkOperationsCheckBoundsBeforeWriting) {
  Harness h;
  h.load(R"((module (memory 1) (data $d "abcdef")
      (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 0x41) (local.get 1)))
      (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
      (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
      (func (export "drop") (data.drop $d))
      (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))))");
  EXPECT_EQ(h.trap("fill", {i32(65530), i32(7)}).message, "out of bounds memory access");
  EXPECT_EQ(h.value("byte", {i32(65530)}), 0u);  // nothing was written
  ASSERT_TRUE(h.call("fill", {i32(65536), i32(0)}).has_value());  // empty at the end: fine
  ASSERT_TRUE(h.call("init", {i32(100), i32(2), i32(3)}).has_value());
  EXPECT_EQ(h.value("byte", {i32(100)}), static_cast<uint32_t>('c'));
  ASSERT_TRUE(h.call("copy", {i32(101), i32(100), i32(3)}).has_value());  // overlapping
  EXPECT_EQ(h.value("byte", {i32(102)}), static_cast<uint32_t>('d'));
  EXPECT_EQ(h.value("byte", {i32(103)}), static_cast<uint32_t>('e'));
  EXPECT_EQ(h.trap("init", {i32(0), i32(4), i32(3)}).message, "out of bounds memory access");
  ASSERT_TRUE(h.call("drop").has_value());
  EXPECT_EQ(h.trap("init", {i32(0), i32(0), i32(1)}).message, "out of bounds memory access");
  ASSERT_TRUE(h.call("init", {i32(0), i32(0), i32(0)}).has_value());
}

TEST(InterpMemory, VectorLoadsStoresAndLanes) {
  Harness h;
  h.load(R"((module (memory 1)
      (func (export "go") (result i32)
        (v128.store (i32.const 16) (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (i32.const 10))))
        (i32x4.extract_lane 2 (v128.load (i32.const 16))))
      (func (export "ext") (result i32)
        (i32.store (i32.const 0) (i32.const 0xff80))
        (i32x4.extract_lane 0 (v128.load16x4_s (i32.const 0))))
      (func (export "lane") (result i64)
        (i64.store (i32.const 32) (i64.const 0x1122334455667788))
        (i64x2.extract_lane 1 (v128.load64_lane 1 (i32.const 32) (v128.const i64x2 0 0))))))");
  EXPECT_EQ(h.value("go"), 13u);
  EXPECT_EQ(h.value("ext"), 0xffffff80u);
  EXPECT_EQ(h.value("lane"), 0x1122334455667788ull);
}

}  // namespace bantam::interp::test
