// WAST scripts: every command form of the spec test suite, argument and result values with
// NaN patterns and references, and module text kept as a slice that parses on its own.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "wasm/text/wast.h"
#include "wasm/text/wat.h"

namespace bantam::wasm::text {
namespace {

using Kind = WastCommand::Kind;

WastScript script(std::string_view text) {
  auto r = parseWast(text, "test.wast");
  EXPECT_TRUE(r) << (r ? "" : r.error().toString());
  return r ? *r : WastScript{};
}

TEST(Wast, TextModuleIsKeptAsItsSourceSlice) {
  WastScript s = script("\n  (module $M\n    (func (export \"f\")))\n(invoke \"f\")");
  ASSERT_EQ(s.commands.size(), 2u);
  const WastCommand& c = s.commands[0];
  EXPECT_EQ(c.kind, Kind::Module);
  EXPECT_EQ(c.line, 2u);
  EXPECT_EQ(c.module.form, WastModule::Form::Text);
  EXPECT_EQ(c.module.name, "$M");
  EXPECT_EQ(c.module.text, "(module $M\n    (func (export \"f\")))");
  EXPECT_EQ(c.module.line, 2u);
  EXPECT_EQ(c.module.column, 3u);
  EXPECT_TRUE(parseWat(c.module.text, {"test.wast", c.module.line, c.module.column}));
}

TEST(Wast, ModuleErrorsPointIntoTheScript) {
  WastScript s = script("(module)\n\n   (module (func\n  (bad.op)))");
  ASSERT_EQ(s.commands.size(), 2u);
  const WastModule& m = s.commands[1].module;
  auto r = parseWat(m.text, {"test.wast", m.line, m.column});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().toString(), "test.wast:4:4: syntax error: unknown operator bad.op");
}

TEST(Wast, BinaryAndQuoteModulesConcatenateTheirStrings) {
  WastScript s = script(R"w((module binary "\00asm" "\01\00\00\00")
                           (module $q quote "(func" " (export \"f\"))"))w");
  ASSERT_EQ(s.commands.size(), 2u);
  EXPECT_EQ(s.commands[0].module.form, WastModule::Form::Binary);
  EXPECT_EQ(s.commands[0].module.binary, (std::vector<uint8_t>{0, 'a', 's', 'm', 1, 0, 0, 0}));
  EXPECT_EQ(s.commands[1].module.form, WastModule::Form::Quote);
  EXPECT_EQ(s.commands[1].module.name, "$q");
  EXPECT_EQ(s.commands[1].module.text, "(func (export \"f\"))");
}

TEST(Wast, RegisterAndActions) {
  WastScript s = script(R"w((register "spectest" $M) (register "x")
                           (invoke $M "add" (i32.const 1) (i64.const -1)) (get "glob"))w");
  ASSERT_EQ(s.commands.size(), 4u);
  EXPECT_EQ(s.commands[0].kind, Kind::Register);
  EXPECT_EQ(s.commands[0].registerName, "spectest");
  EXPECT_EQ(s.commands[0].registerModule, "$M");
  EXPECT_EQ(s.commands[1].registerModule, "");
  const WastAction& a = s.commands[2].action;
  EXPECT_EQ(s.commands[2].kind, Kind::Action);
  EXPECT_EQ(a.kind, WastAction::Kind::Invoke);
  EXPECT_EQ(a.module, "$M");
  EXPECT_EQ(a.name, "add");
  ASSERT_EQ(a.args.size(), 2u);
  EXPECT_EQ(a.args[0].type, WastValue::Type::I32);
  EXPECT_EQ(a.args[1].bits, UINT64_MAX);
  EXPECT_EQ(s.commands[3].action.kind, WastAction::Kind::Get);
  EXPECT_EQ(s.commands[3].action.name, "glob");
}

TEST(Wast, ActionNamesResolveEscapes) {
  WastScript s = script(R"w((invoke "\u{1F600}\41"))w");
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(s.commands[0].action.name, "\xf0\x9f\x98\x80" "A");
}

TEST(Wast, AssertReturnWithFloatsAndNanPatterns) {
  WastScript s = script(R"w((assert_return (invoke "f" (f32.const -0x1p-1) (f64.const nan:0x1))
                             (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const -nan)))w");
  ASSERT_EQ(s.commands.size(), 1u);
  const WastCommand& c = s.commands[0];
  EXPECT_EQ(c.kind, Kind::AssertReturn);
  EXPECT_EQ(c.action.args[0].bits, 0xbf000000u);
  EXPECT_EQ(c.action.args[1].bits, 0x7ff0000000000001u);
  ASSERT_EQ(c.expected.size(), 3u);
  EXPECT_EQ(c.expected[0].type, WastValue::Type::F32);
  EXPECT_EQ(c.expected[0].nan, NanPattern::Canonical);
  EXPECT_EQ(c.expected[1].nan, NanPattern::Arithmetic);
  EXPECT_EQ(c.expected[2].nan, NanPattern::None);
  EXPECT_EQ(c.expected[2].bits, 0xffc00000u);
}

TEST(Wast, NanPatternsAreNotArguments) {
  EXPECT_FALSE(parseWast(R"w((invoke "f" (f32.const nan:canonical)))w", "t.wast"));
}

TEST(Wast, V128ValuesKeepShapeAndPerLanePatterns) {
  WastScript s = script(R"w((assert_return (invoke "v" (v128.const i16x8 1 2 3 4 5 6 7 -1))
                             (v128.const f32x4 nan:canonical 1.0 nan:arithmetic -0)))w");
  ASSERT_EQ(s.commands.size(), 1u);
  const WastValue& arg = s.commands[0].action.args[0];
  EXPECT_EQ(arg.type, WastValue::Type::V128);
  EXPECT_EQ(arg.shape, WastValue::Shape::I16x8);
  EXPECT_EQ(arg.v128[0], 1);
  EXPECT_EQ(arg.v128[14], 0xff);
  EXPECT_EQ(arg.v128[15], 0xff);
  const WastValue& r = s.commands[0].expected[0];
  EXPECT_EQ(r.shape, WastValue::Shape::F32x4);
  EXPECT_EQ(r.laneNan[0], NanPattern::Canonical);
  EXPECT_EQ(r.laneNan[1], NanPattern::None);
  EXPECT_EQ(r.laneNan[2], NanPattern::Arithmetic);
  uint32_t lane1, lane3;
  std::memcpy(&lane1, r.v128.data() + 4, 4);
  std::memcpy(&lane3, r.v128.data() + 12, 4);
  EXPECT_EQ(lane1, 0x3f800000u);
  EXPECT_EQ(lane3, 0x80000000u);
}

TEST(Wast, ReferenceValues) {
  WastScript s = script(R"w((assert_return (invoke "r" (ref.null extern) (ref.extern 7))
                             (ref.null func) (ref.extern 7) (ref.func) (ref.extern)))w");
  ASSERT_EQ(s.commands.size(), 1u);
  const auto& args = s.commands[0].action.args;
  EXPECT_TRUE(args[0].isNull);
  EXPECT_EQ(args[0].type, WastValue::Type::ExternRef);
  EXPECT_EQ(args[1].bits, 7u);
  EXPECT_FALSE(args[1].isNull);
  const auto& ex = s.commands[0].expected;
  EXPECT_EQ(ex[0].type, WastValue::Type::FuncRef);
  EXPECT_TRUE(ex[0].isNull);
  EXPECT_EQ(ex[1].bits, 7u);
  EXPECT_EQ(ex[2].type, WastValue::Type::FuncRef);
  EXPECT_TRUE(ex[2].anyNonNull);
  EXPECT_EQ(ex[3].type, WastValue::Type::ExternRef);
  EXPECT_TRUE(ex[3].anyNonNull);
}

TEST(Wast, AssertTrapTakesAnActionOrAModule) {
  WastScript s = script(R"w((assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
                           (assert_trap (module (func $s unreachable) (start $s)) "unreachable")
                           (assert_exhaustion (invoke "loop") "call stack exhausted"))w");
  ASSERT_EQ(s.commands.size(), 3u);
  EXPECT_EQ(s.commands[0].kind, Kind::AssertTrap);
  EXPECT_EQ(s.commands[0].message, "integer divide by zero");
  EXPECT_EQ(s.commands[1].kind, Kind::AssertTrapModule);
  EXPECT_EQ(s.commands[1].module.form, WastModule::Form::Text);
  EXPECT_EQ(s.commands[1].message, "unreachable");
  EXPECT_EQ(s.commands[2].kind, Kind::AssertExhaustion);
  EXPECT_EQ(s.commands[2].action.name, "loop");
}

TEST(Wast, ModuleAssertions) {
  WastScript s = script(R"w((assert_malformed (module quote "(func (get_local 0))") "unknown operator")
                           (assert_invalid (module (func (result i32))) "type mismatch")
                           (assert_unlinkable (module (import "x" "y" (func))) "unknown import")
                           (assert_uninstantiable (module binary "\00asm\01\00\00\00") "trap"))w");
  ASSERT_EQ(s.commands.size(), 4u);
  EXPECT_EQ(s.commands[0].kind, Kind::AssertMalformed);
  EXPECT_EQ(s.commands[0].module.form, WastModule::Form::Quote);
  EXPECT_EQ(s.commands[0].message, "unknown operator");
  EXPECT_EQ(s.commands[1].kind, Kind::AssertInvalid);
  EXPECT_EQ(s.commands[1].module.text, "(module (func (result i32)))");
  EXPECT_EQ(s.commands[2].kind, Kind::AssertUnlinkable);
  EXPECT_EQ(s.commands[3].kind, Kind::AssertUninstantiable);
  EXPECT_EQ(s.commands[3].module.form, WastModule::Form::Binary);
  // The malformed module itself is only parsed by the runner.
  auto r = parseWat(s.commands[0].module.text);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "unknown operator get_local");
}

TEST(Wast, ABadModuleDoesNotFailTheScript) {
  WastScript s = script("(module (func (i32.const 0x))) (invoke \"f\")");
  EXPECT_EQ(s.commands.size(), 2u);
}

TEST(Wast, AScriptMayBeOneInlineModule) {
  WastScript s = script("(func) (memory 0) (func (export \"f\"))");
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(s.commands[0].kind, Kind::Module);
  EXPECT_TRUE(parseWat(s.commands[0].module.text));
}

TEST(Wast, CommandsCarryTheirLine) {
  WastScript s = script("(module)\n;; comment\n(assert_return\n  (invoke \"f\"))\n(;\n;)(register \"r\")");
  ASSERT_EQ(s.commands.size(), 3u);
  EXPECT_EQ(s.commands[0].line, 1u);
  EXPECT_EQ(s.commands[1].line, 3u);
  EXPECT_EQ(s.commands[2].line, 6u);
}

TEST(Wast, ScriptSyntaxErrorsHavePositions) {
  auto r = parseWast("(module)\n(assert_return (invoke \"f\" (i32.const 1.5)))", "x.wast");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Parse);
  EXPECT_EQ(r.error().source, "x.wast");
  EXPECT_EQ(r.error().line, 2u);
  EXPECT_EQ(r.error().column, 39u);
  EXPECT_FALSE(parseWast("(bogus)", "x.wast"));
  EXPECT_FALSE(parseWast("(module", "x.wast"));
  EXPECT_FALSE(parseWast("(assert_return (invoke \"f\")", "x.wast"));
}

}  // namespace
}  // namespace bantam::wasm::text
