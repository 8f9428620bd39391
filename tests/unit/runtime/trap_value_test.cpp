// Trap messages (the spec's wording) and printed values.
#include <gtest/gtest.h>

#include "runtime/trap.h"
#include "runtime/value.h"

namespace bantam::runtime {
namespace {

TEST(Trap, MessagesAreTheSpecsWording) {
  EXPECT_STREQ(trapMessage(TrapKind::IntegerDivideByZero), "integer divide by zero");
  EXPECT_STREQ(trapMessage(TrapKind::OutOfBoundsMemoryAccess), "out of bounds memory access");
  EXPECT_STREQ(trapMessage(TrapKind::IndirectCallTypeMismatch), "indirect call type mismatch");
  EXPECT_EQ(Trap(TrapKind::CallStackExhausted).message, "call stack exhausted");
}

TEST(Trap, ToStringListsFramesInnermostFirst) {
  Trap t(TrapKind::OutOfBoundsMemoryAccess);
  t.frames.push_back({"m", "$store", 3, 0x1f3});
  t.frames.push_back({"m", "", 1, 0});
  EXPECT_EQ(t.toString(),
            "out of bounds memory access\n"
            "  0: $store (module m, offset 0x1f3)\n"
            "  1: func[1] (module m)");
}

TEST(Trap, ToStringWithoutFramesIsTheMessage) {
  EXPECT_EQ(Trap(TrapKind::HostError, "boom").toString(), "boom");
}

TEST(Value, ToString) {
  EXPECT_EQ(Value::i32(static_cast<uint32_t>(-1)).toString(), "i32:-1");
  EXPECT_EQ(Value::i64(42).toString(), "i64:42");
  EXPECT_EQ(Value::f64(3.0).toString(), "f64:0x1.8p+1");
  EXPECT_EQ(Value::f32(0.5f).toString(), "f32:0x1p-1");
  EXPECT_EQ(Value::f32Bits(0x7fc00001).toString(), "f32:nan(0x7fc00001)");
  EXPECT_EQ(Value::ref(wasm::ValType::FuncRef, nullptr).toString(), "funcref:null");
  V128 v;
  v.bytes[0] = 1;
  EXPECT_EQ(Value::v128(v).toString(), "v128:i32x4 0x00000001 0x00000000 0x00000000 0x00000000");
}

TEST(Value, ConstructorsKeepBits) {
  EXPECT_EQ(Value::i32(0x80000000u).asI32(), INT32_MIN);
  EXPECT_EQ(Value::f64Bits(0x7ff8000000000001ull).raw.f64, 0x7ff8000000000001ull);
}

}  // namespace
}  // namespace bantam::runtime
