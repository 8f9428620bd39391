// Strings in each Canonical ABI encoding (CanonicalABI.md "Strings"): the same C component
// built with UTF-8, UTF-16 and latin1+UTF-16 (jco embed --string-encoding) receives host
// strings transcoded into its encoding and returns them, and passes them on to the host.
#include "guest_fixture.h"

namespace bantam::component {
namespace {

struct StringGuest {
  runtime::Engine engine{interp::createInterpreter()};
  runtime::Store store{engine};
  ComponentLinker linker;
  std::unique_ptr<ComponentInstance> inst;

  Result<void> load(std::span<const uint8_t> bytes) {
    static const InterfaceSet set = testing::testWit().interfaceSet();
    auto compiled = BANTAM_TRY(compileComponent(engine, bytes, "strings.wasm"));
    BANTAM_TRY(linker.addInterfaces(set));
    BANTAM_TRY(linker.defineFunc("bantam:strings/host@0.1.0", "upper",
                                 [](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
                                   std::string s(a[0].str());
                                   for (char& c : s)
                                     if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
                                   return Value::string(s);
                                 }));
    inst = BANTAM_TRY(linker.instantiate(store, compiled));
    return {};
  }
  runtime::TrapOr<Value> call(std::string_view fn, Value v) {
    auto f = inst->func("bantam:strings/text@0.1.0", fn);
    EXPECT_TRUE(f);
    return inst->call(*f, {v});
  }
};

class Strings : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    BANTAM_GUEST_OR_SKIP(bytes, std::string("strings_") + GetParam());
    auto loaded = g.load(bytes);
    ASSERT_TRUE(loaded) << loaded.error().message << " " << loaded.error().context;
  }
  StringGuest g;
};

const std::string kMixed = "Grüße, 世界! 😀 end";

TEST_P(Strings, AsciiRoundTrips) {
  auto r = g.call("echo", Value::string("plain ascii"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->str(), "plain ascii");
}

TEST_P(Strings, NonAsciiRoundTrips) {
  auto r = g.call("echo", Value::string(kMixed));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->str(), kMixed);
}

TEST_P(Strings, Latin1RoundTrips) {
  auto r = g.call("echo", Value::string("café crème"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->str(), "café crème");
}

TEST_P(Strings, EmptyRoundTrips) {
  auto r = g.call("echo", Value::string(""));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->str(), "");
}

TEST_P(Strings, GuestPassesItsEncodingToTheHost) {
  auto r = g.call("via-host", Value::string("héllo 😀"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->str(), "HéLLO 😀");
}

TEST_P(Strings, GuestSeesCodeUnitsOfItsEncoding) {
  auto r = g.call("units", Value::string("é😀"));  // 6 UTF-8 bytes, 3 UTF-16 units
  ASSERT_TRUE(r) << r.error().message;
  std::string enc = GetParam();
  uint32_t units = r->items()[0].asU32(), utf16 = r->items()[1].asU32();
  if (enc == "utf8") EXPECT_EQ(units, 6u);
  if (enc == "utf16") EXPECT_EQ(units, 3u);
  if (enc == "compact") {
    EXPECT_EQ(units, 3u);
    EXPECT_EQ(utf16, 1u);
  }
  auto latin = g.call("units", Value::string("é"));  // fits latin1: one byte, untagged
  ASSERT_TRUE(latin);
  if (enc == "compact") {
    EXPECT_EQ(latin->items()[0].asU32(), 1u);
    EXPECT_EQ(latin->items()[1].asU32(), 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Encodings, Strings, ::testing::Values("utf8", "utf16", "compact"));

}  // namespace
}  // namespace bantam::component
