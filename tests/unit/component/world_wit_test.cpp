// A component's world printed as WIT (component/world_wit.h, `bantam inspect`): names,
// types and resources as the component declares them, in text our WIT parser reads back.
#include "guest_fixture.h"

#include "component/world_wit.h"

namespace bantam::component {
namespace {

std::string worldOf(std::span<const uint8_t> bytes) {
  runtime::Engine engine{interp::createInterpreter()};
  auto c = compileComponent(engine, bytes, "x.wasm");
  EXPECT_TRUE(c) << c.error().message;
  return c ? componentWorldToWit((*c)->plan) : std::string();
}

TEST(WorldWit, ListsImportsAndExports) {
  BANTAM_GUEST_OR_SKIP(bytes, "values");
  std::string wit = worldOf(bytes);
  EXPECT_NE(wit.find("  import bantam:test/host@0.1.0;\n"), std::string::npos) << wit;
  EXPECT_NE(wit.find("  export bantam:test/values@0.1.0;\n"), std::string::npos) << wit;
}

TEST(WorldWit, KeepsTypeNamesAndResourceMethods) {
  BANTAM_GUEST_OR_SKIP(bytes, "values");
  std::string wit = worldOf(bytes);
  EXPECT_NE(wit.find("echo-point: func(v: point) -> point;"), std::string::npos) << wit;
  EXPECT_NE(wit.find("use bantam:test/host@0.1.0.{blob};"), std::string::npos) << wit;
  EXPECT_NE(wit.find("resource counter {\n      constructor(start: u32);"), std::string::npos) << wit;
  EXPECT_NE(wit.find("blob-size: func(b: borrow<blob>) -> u32;"), std::string::npos) << wit;
}

TEST(WorldWit, PlainFunctionExports) {
  BANTAM_GUEST_OR_SKIP(bytes, "compose_app");
  std::string wit = worldOf(bytes);
  EXPECT_NE(wit.find("export run: func(s: string) -> string;"), std::string::npos) << wit;
}

TEST(WorldWit, OutputIsWitThatResolves) {
  for (const char* name : {"values", "compose_app", "strings_utf16", "versions"}) {
    auto bytes = testing::guestBytes(name);
    if (!bytes) GTEST_SKIP() << "component guests were not built";
    std::string text = worldOf(*bytes);
    auto file = wit::parseWit(text, std::string(name) + ".wit");
    ASSERT_TRUE(file) << name << ": " << file.error().message << " line " << file.error().line << "\n" << text;
    std::vector<wit::File> files;
    files.push_back(std::move(*file));
    auto r = wit::resolveWit(std::move(files));
    ASSERT_TRUE(r) << name << ": " << r.error().message << " line " << r.error().line << "\n" << text;
    EXPECT_TRUE(r->findWorld("root:component/root"));
  }
}

}  // namespace
}  // namespace bantam::component
