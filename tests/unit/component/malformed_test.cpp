// Bad component binaries give errors, never crashes: malformed input names the problem and
// its byte offset, features Bantam does not implement are named (ErrorKind::Unsupported).
#include "guest_fixture.h"

#include <random>

#include "component/decode.h"

namespace bantam::component {
namespace {

std::vector<uint8_t> component(std::vector<uint8_t> body) {
  std::vector<uint8_t> b = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

Error compileError(std::span<const uint8_t> bytes) {
  runtime::Engine engine{interp::createInterpreter()};
  auto c = compileComponent(engine, bytes, "bad.wasm");
  EXPECT_FALSE(c);
  return c ? Error{} : c.error();
}

TEST(ComponentMalformed, EmptyInputIsMalformed) {
  EXPECT_EQ(compileError({}).kind, ErrorKind::Malformed);
}

TEST(ComponentMalformed, BadMagicIsMalformedAtOffsetZero) {
  std::vector<uint8_t> b = {0x00, 0x61, 0x73, 0x6e, 0x0d, 0x00, 0x01, 0x00};
  Error e = compileError(b);
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_EQ(e.message, "magic header not detected");
  EXPECT_EQ(e.offset, 0u);
}

TEST(ComponentMalformed, CoreModuleIsNotAComponent) {
  std::vector<uint8_t> b = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  EXPECT_FALSE(isComponentBinary(b));
  Error e = compileError(b);
  EXPECT_NE(e.message.find("core WebAssembly module"), std::string::npos) << e.message;
}

TEST(ComponentMalformed, SectionSizePastTheEndHasItsOffset) {
  Error e = compileError(component({0x07, 0x10, 0x01}));
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  ASSERT_TRUE(e.offset);
  EXPECT_GE(*e.offset, 8u);
}

TEST(ComponentMalformed, UnknownSectionIdIsMalformed) {
  Error e = compileError(component({0x7f, 0x00}));
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_NE(e.message.find("section"), std::string::npos) << e.message;
  ASSERT_TRUE(e.offset);
  EXPECT_GE(*e.offset, 8u);
}

TEST(ComponentUnsupported, NewerBinaryVersionIsNamed) {
  std::vector<uint8_t> b = {0x00, 0x61, 0x73, 0x6d, 0x0e, 0x00, 0x01, 0x00};
  Error e = compileError(b);
  EXPECT_EQ(e.kind, ErrorKind::Unsupported);
  EXPECT_NE(e.message.find("version"), std::string::npos);
}

TEST(ComponentUnsupported, StreamTypeIsNamed) {
  Error e = compileError(component({0x07, 0x03, 0x01, 0x66, 0x00}));
  EXPECT_EQ(e.kind, ErrorKind::Unsupported) << e.message;
  EXPECT_NE(e.message.find("stream"), std::string::npos) << e.message;
}

TEST(ComponentUnsupported, AsyncFunctionTypeIsNamed) {
  Error e = compileError(component({0x07, 0x04, 0x01, 0x43, 0x00, 0x01}));
  EXPECT_EQ(e.kind, ErrorKind::Unsupported) << e.message;
  EXPECT_NE(e.message.find("async"), std::string::npos) << e.message;
}

TEST(ComponentUnsupported, AsyncCanonOptionIsNamed) {
  // canon lift (core func 0) with the `async` option.
  Error e = compileError(component({0x08, 0x07, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x00}));
  EXPECT_EQ(e.kind, ErrorKind::Unsupported) << e.message;
  EXPECT_NE(e.message.find("async"), std::string::npos) << e.message;
}

TEST(ComponentUnsupported, ErrorContextIsNamed) {
  Error e = compileError(component({0x07, 0x02, 0x01, 0x64}));
  EXPECT_EQ(e.kind, ErrorKind::Unsupported) << e.message;
  EXPECT_NE(e.message.find("error-context"), std::string::npos) << e.message;
}

// Signed LEB128 (a type index as an s33 valtype).
void sleb(std::vector<uint8_t>& out, int64_t v) {
  while (true) {
    uint8_t b = v & 0x7f;
    v >>= 7;
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    out.push_back(done ? b : (b | 0x80));
    if (done) return;
  }
}

TEST(ComponentLimits, DeeplyNestedTypesAreALimitErrorNotACrash) {
  // type 0 = list<u8>; type i = list<type i-1>: 150 levels.
  std::vector<uint8_t> body = {0x96, 0x01, 0x70, 0x7d};  // count 150 (LEB), list<u8>
  for (int i = 1; i < 150; ++i) {
    body.push_back(0x70);
    sleb(body, i - 1);
  }
  std::vector<uint8_t> section = {0x07};
  std::vector<uint8_t> size;
  uint32_t n = static_cast<uint32_t>(body.size());
  do {
    uint8_t b = n & 0x7f;
    n >>= 7;
    size.push_back(n ? (b | 0x80) : b);
  } while (n);
  section.insert(section.end(), size.begin(), size.end());
  section.insert(section.end(), body.begin(), body.end());
  Error e = compileError(component(section));
  EXPECT_EQ(e.kind, ErrorKind::Limit) << e.message;
  EXPECT_NE(e.message.find("too deep"), std::string::npos) << e.message;
}

TEST(ComponentMalformed, EveryTruncationOfARealComponentIsAnErrorNotACrash) {
  BANTAM_GUEST_OR_SKIP(bytes, "values");
  size_t ok = 0;
  size_t tried = 0;
  // Every prefix of the first KiB (the preamble, types, imports), then every 7th.
  for (size_t n = 0; n < bytes.size(); n += n < 1024 ? 1 : 7) {
    ++tried;
    auto d = decodeComponent(std::span<const uint8_t>(bytes.data(), n));
    if (d) ++ok;  // a cut at a section boundary is still a well-formed (smaller) component
    else EXPECT_TRUE(d.error().offset || d.error().kind != ErrorKind::Malformed) << n;
  }
  EXPECT_LT(ok, tried / 10);
}

TEST(ComponentMalformed, RandomByteFlipsNeverCrash) {
  BANTAM_GUEST_OR_SKIP(bytes, "values");
  runtime::Engine engine{interp::createInterpreter()};
  std::mt19937 rng(1234);
  for (int i = 0; i < 400; ++i) {
    std::vector<uint8_t> b = bytes;
    for (int k = 0; k < 3; ++k) b[rng() % b.size()] = static_cast<uint8_t>(rng());
    auto c = compileComponent(engine, b, "mutated.wasm");
    if (!c) EXPECT_FALSE(c.error().message.empty());
  }
}

}  // namespace
}  // namespace bantam::component
