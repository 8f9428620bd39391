// Loading modules through the public API: text, binary, files, errors and types.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "bantam/bantam.h"

namespace {

using namespace bantam;

TEST(ApiModule, FromTextCompiles) {
  Engine engine;
  auto m = Module::fromText(engine, R"((module (func (export "f") (result i32) i32.const 7)))", "f.wat");
  ASSERT_TRUE(m.has_value()) << m.error().toString();
  EXPECT_EQ(m->name(), "f.wat");
}

TEST(ApiModule, TextSyntaxErrorIsAParseErrorWithAPosition) {
  Engine engine;
  auto m = Module::fromText(engine, "(module\n  (func (export \"f\") i32.bogus))", "bad.wat");
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().kind, ErrorKind::Parse);
  EXPECT_EQ(m.error().line, 2u);
  EXPECT_EQ(m.error().source, "bad.wat");
}

TEST(ApiModule, InvalidModuleIsAnInvalidError) {
  Engine engine;
  auto m = Module::fromText(engine, "(module (func (result i32) i64.const 1))");
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().kind, ErrorKind::Invalid);
  EXPECT_EQ(m.error().message, "type mismatch");
}

TEST(ApiModule, MalformedBinaryIsAMalformedError) {
  Engine engine;
  const uint8_t bytes[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00};
  auto m = Module::fromBinary(engine, bytes, "cut.wasm");
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(m.error().source, "cut.wasm");
}

TEST(ApiModule, FromBinary) {
  Engine engine;
  // (module (func (export "f")))
  const uint8_t bytes[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00,
                           0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a,
                           0x04, 0x01, 0x02, 0x00, 0x0b};
  auto m = Module::fromBinary(engine, bytes);
  ASSERT_TRUE(m.has_value()) << m.error().toString();
  ASSERT_EQ(m->exports().size(), 1u);
  EXPECT_EQ(m->exports()[0].name, "f");
}

TEST(ApiModule, MissingFileIsAnIoError) {
  Engine engine;
  auto m = Module::fromFile(engine, "/nonexistent/plugin.wat");
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().kind, ErrorKind::Io);
  EXPECT_EQ(m.error().source, "/nonexistent/plugin.wat");
}

TEST(ApiModule, FromFileReadsTextAndBinary) {
  Engine engine;
  std::string dir = ::testing::TempDir();
  std::string text = dir + "/bantam_api_module.wat";
  std::ofstream(text) << "(module (memory (export \"memory\") 1))";
  auto t = Module::fromFile(engine, text);
  ASSERT_TRUE(t.has_value()) << t.error().toString();
  EXPECT_EQ(t->exports()[0].type.kind, ExternKind::Memory);

  std::string bin = dir + "/bantam_api_module.wasm";
  const char bytes[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  std::ofstream(bin, std::ios::binary).write(bytes, sizeof bytes);
  auto b = Module::fromFile(engine, bin);
  ASSERT_TRUE(b.has_value()) << b.error().toString();
  EXPECT_TRUE(b->exports().empty());
  std::remove(text.c_str());
  std::remove(bin.c_str());
}

TEST(ApiModule, ImportAndExportTypes) {
  Engine engine;
  auto m = Module::fromText(engine, R"((module
    (import "env" "log" (func (param i32 i64)))
    (import "env" "mem" (memory 1 2))
    (global (export "g") (mut f64) (f64.const 0))
    (table (export "t") 3 funcref)
    (func (export "f") (param f32) (result i32) i32.const 0)))");
  ASSERT_TRUE(m.has_value()) << m.error().toString();
  auto imports = m->imports();
  ASSERT_EQ(imports.size(), 2u);
  EXPECT_EQ(imports[0].module, "env");
  EXPECT_EQ(imports[0].name, "log");
  EXPECT_EQ(imports[0].type.func, (FuncType{{ValType::I32, ValType::I64}, {}}));
  EXPECT_EQ(imports[1].type.kind, ExternKind::Memory);
  EXPECT_EQ(imports[1].type.limits, (Limits{1, 2}));
  auto exports = m->exports();
  ASSERT_EQ(exports.size(), 3u);
  EXPECT_EQ(exports[0].type.valType, ValType::F64);
  EXPECT_TRUE(exports[0].type.isMutable);
  EXPECT_EQ(exports[1].type.limits.min, 3u);
  EXPECT_EQ(exports[2].type.func.toString(), "(func (param f32) (result i32))");
}

}  // namespace
