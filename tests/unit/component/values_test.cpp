// Lifting and lowering every component-model value type through a real component (the C
// guest tests/guests/component/c/values.c, built with clang-19 and jco): each echo export
// receives a value lowered by the host and returns it lifted back.
#include "guest_fixture.h"

#include <cmath>
#include <limits>

namespace bantam::component {
namespace {

using testing::GuestInstance;

class Values : public ::testing::Test {
 protected:
  void SetUp() override {
    BANTAM_GUEST_OR_SKIP(bytes, "values");
    auto loaded = g.load(bytes);
    ASSERT_TRUE(loaded) << loaded.error().message << " " << loaded.error().context;
  }
  Value echo(std::string_view fn, Value v) {
    auto r = g.call(fn, {v});
    EXPECT_TRUE(r) << fn << ": " << (r ? "" : r.error().message);
    return r ? *r : Value();
  }
  GuestInstance g;
};

TEST_F(Values, BoolRoundTrips) {
  EXPECT_EQ(echo("echo-bool", Value::boolean(true)), Value::boolean(true));
  EXPECT_EQ(echo("echo-bool", Value::boolean(false)), Value::boolean(false));
}

TEST_F(Values, IntegersKeepTheirRangeAndSign) {
  EXPECT_EQ(echo("echo-s8", Value::s8(-128)).asS64(), -128);
  EXPECT_EQ(echo("echo-u8", Value::u8(255)).asU64(), 255u);
  EXPECT_EQ(echo("echo-s16", Value::s16(-32768)).asS64(), -32768);
  EXPECT_EQ(echo("echo-u16", Value::u16(65535)).asU64(), 65535u);
  EXPECT_EQ(echo("echo-s32", Value::s32(std::numeric_limits<int32_t>::min())).asS64(), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(echo("echo-u32", Value::u32(0xffffffffu)).asU64(), 0xffffffffu);
  EXPECT_EQ(echo("echo-s64", Value::s64(std::numeric_limits<int64_t>::min())).asS64(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(echo("echo-u64", Value::u64(~uint64_t{0})).asU64(), ~uint64_t{0});
}

TEST_F(Values, FloatsRoundTripAndNaNIsCanonical) {
  EXPECT_EQ(echo("echo-f32", Value::f32(1.5f)).asF32(), 1.5f);
  EXPECT_EQ(echo("echo-f64", Value::f64(-2.25)).asF64(), -2.25);
  EXPECT_TRUE(std::isnan(echo("echo-f64", Value::f64(std::nan("0x1234"))).asF64()));
  EXPECT_TRUE(std::isinf(echo("echo-f32", Value::f32(std::numeric_limits<float>::infinity())).asF32()));
}

TEST_F(Values, CharRoundTrips) {
  EXPECT_EQ(echo("echo-char", Value::character(U'\U0001F600')).asChar(), U'\U0001F600');
  EXPECT_EQ(echo("echo-char", Value::character(U'a')).asChar(), U'a');
}

TEST_F(Values, InvalidCharFromTheHostIsRejected) {
  auto r = g.call("echo-char", {Value::character(0xD800)});
  EXPECT_FALSE(r);
}

TEST_F(Values, StringRoundTripsUtf8) {
  std::string s = "héllo wörld ✓ 😀";
  EXPECT_EQ(echo("echo-string", Value::string(s)).str(), s);
  EXPECT_EQ(echo("echo-string", Value::string("")).str(), "");
}

TEST_F(Values, InvalidUtf8FromTheHostIsRejected) {
  EXPECT_FALSE(g.call("echo-string", {Value::string("long ascii prefix\xff")}));
  EXPECT_FALSE(g.call("echo-string", {Value::string("\xe2\x82")}));  // truncated sequence
}

TEST_F(Values, LargeStringRoundTrips) {
  std::string s(100000, 'x');
  EXPECT_EQ(echo("echo-string", Value::string(s)).str(), s);
}

TEST_F(Values, BytesAreABulkList) {
  std::string data = std::string("\0\1\2\xff", 4);
  Value out = echo("echo-bytes", Value::bytes(data));
  ASSERT_EQ(out.bytes().size(), 4u);
  EXPECT_EQ(std::string(out.bytes().begin(), out.bytes().end()), data);
}

TEST_F(Values, ListOfStringsRoundTrips) {
  Value in = Value::list({Value::string("a"), Value::string("bc"), Value::string("")});
  Value out = echo("echo-strings", in);
  ASSERT_EQ(out.listSize(), 3u);
  EXPECT_EQ(out.items()[1].str(), "bc");
  EXPECT_EQ(out, in);
}

TEST_F(Values, RecordRoundTrips) {
  Value p = Value::record({Value::s32(-3), Value::s32(7)});
  EXPECT_EQ(echo("echo-point", p), p);
}

TEST_F(Values, VariantCasesRoundTrip) {
  Value circle = Value::variant(0, Value::f64(2.5));
  Value rect = Value::variant(1, Value::record({Value::s32(1), Value::s32(2)}));
  Value empty = Value::variant(2);
  EXPECT_EQ(echo("echo-shape", circle), circle);
  EXPECT_EQ(echo("echo-shape", rect), rect);
  EXPECT_EQ(echo("echo-shape", empty), empty);
}

TEST_F(Values, EnumRoundTrips) { EXPECT_EQ(echo("echo-color", Value::enumCase(2)).caseIndex(), 2u); }

TEST_F(Values, EnumOutOfRangeFromTheHostIsRejected) { EXPECT_FALSE(g.call("echo-color", {Value::enumCase(3)})); }

TEST_F(Values, FlagsRoundTrip) { EXPECT_EQ(echo("echo-perms", Value::flags(0b101)).flagBits(), 0b101u); }

TEST_F(Values, OptionRoundTrips) {
  EXPECT_EQ(echo("echo-option", Value::some(Value::u32(9))), Value::some(Value::u32(9)));
  EXPECT_EQ(echo("echo-option", Value::none()), Value::none());
}

TEST_F(Values, ResultRoundTrips) {
  EXPECT_EQ(echo("echo-result", Value::ok(Value::string("fine"))), Value::ok(Value::string("fine")));
  EXPECT_EQ(echo("echo-result", Value::err(Value::u32(404))), Value::err(Value::u32(404)));
}

TEST_F(Values, TupleRoundTrips) {
  Value t = Value::tuple({Value::u8(7), Value::string("seven"), Value::f64(7.5)});
  EXPECT_EQ(echo("echo-tuple", t), t);
}

TEST_F(Values, SeventeenParamsSpillToMemory) {
  std::vector<Value> args;
  for (uint32_t i = 1; i <= 17; ++i) args.push_back(Value::u32(i));
  auto r = g.call("sum-seventeen", args);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->asU64(), 153u);
}

TEST_F(Values, PostReturnRunsAfterEachCallThatHasOne) {
  auto before = g.call("post-return-count", {});
  ASSERT_TRUE(before);
  echo("echo-string", Value::string("x"));
  echo("echo-bytes", Value::bytes(std::string("y")));
  echo("echo-u32", Value::u32(1));  // no post-return
  auto after = g.call("post-return-count", {});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->asU32() - before->asU32(), 2u);
}

TEST_F(Values, WrongArgumentCountIsAnError) { EXPECT_FALSE(g.call("echo-u32", {})); }

TEST_F(Values, GuestCallsHostWithStrings) {
  auto r = g.call("greet", {Value::string("Bantam")});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->str(), "Hello, Bantam!");
  ASSERT_EQ(g.host.log.size(), 1u);
  EXPECT_EQ(g.host.log[0], "greet called");
}

TEST_F(Values, GuestPassesListToHost) {
  auto r = g.call("sum", {Value::list({Value::u32(1), Value::u32(2), Value::u32(0xffffffff)})});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->asU64(), 3u + 0xffffffffull);
}

}  // namespace
}  // namespace bantam::component
