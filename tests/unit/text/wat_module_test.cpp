// Modules in the text format (§6.6): fields, their binary encodings, the abbreviations (each
// must encode exactly like its expansion), name resolution in every index space, and the
// errors of malformed modules with their file:line:column.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "wasm/text/wat.h"

namespace bantam::wasm::text {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes wat(std::string_view text) {
  auto r = parseWat(text, {"test.wat"});
  EXPECT_TRUE(r) << text << "\n  " << (r ? "" : r.error().toString());
  return r ? *r : Bytes{};
}

Bytes module(std::initializer_list<uint8_t> sections) {
  Bytes b = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  b.insert(b.end(), sections);
  return b;
}

Error watError(std::string_view text) {
  auto r = parseWat(text, {"test.wat"});
  EXPECT_FALSE(r) << text;
  return r ? Error{} : r.error();
}

// Expects a parse error whose message contains `message`.
void expectMalformed(std::string_view text, std::string_view message) {
  Error e = watError(text);
  EXPECT_EQ(e.kind, ErrorKind::Parse) << text;
  EXPECT_NE(e.message.find(message), std::string::npos)
      << text << "\n  expected \"" << message << "\", got: " << e.toString();
}

TEST(WatModule, EmptyModuleIsTheHeaderOnly) {
  EXPECT_EQ(wat("(module)"), module({}));
  EXPECT_EQ(wat(""), module({}));
  EXPECT_EQ(wat("(module $m)"), module({}));
}

TEST(WatModule, FunctionWithNamedParamIsEncoded) {
  EXPECT_EQ(wat(R"((module (func $f (param $x i32) (result i32) (local.get $x))
                           (export "f" (func $f))))"),
            module({0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,  // type
                    0x03, 0x02, 0x01, 0x00,                          // func
                    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,        // export "f"
                    0x0a, 0x06, 0x01, 0x04, 0x00, 0x20, 0x00, 0x0b}));
}

TEST(WatModule, ImportsOfEveryKindAreEncoded) {
  EXPECT_EQ(wat(R"((module (import "m" "f" (func (param i32)))
                           (import "m" "t" (table 1 2 funcref))
                           (import "m" "mem" (memory 1))
                           (import "m" "g" (global (mut i64)))))"),
            module({0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00, 0x02, 0x20, 0x04, 0x01, 0x6d, 0x01,
                    0x66, 0x00, 0x00, 0x01, 0x6d, 0x01, 0x74, 0x01, 0x70, 0x01, 0x01, 0x02, 0x01,
                    0x6d, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x01, 0x6d, 0x01, 0x67, 0x03,
                    0x7e, 0x01}));
}

TEST(WatModule, GlobalAndStartAreEncoded) {
  EXPECT_EQ(wat("(module (global (mut f32) (f32.const 1.5)) (start 0) (func))"),
            module({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x06, 0x09, 0x01,
                    0x7d, 0x01, 0x43, 0x00, 0x00, 0xc0, 0x3f, 0x0b, 0x08, 0x01, 0x00, 0x0a, 0x04,
                    0x01, 0x02, 0x00, 0x0b}));
}

TEST(WatModule, LocalsOfEqualTypeShareAnEntry) {
  // (local i32 i32 f64 i32): three runs.
  Bytes b = wat("(module (func (local i32 i32) (local $x f64) (local i32)))");
  const Bytes body = {0x08, 0x03, 0x02, 0x7f, 0x01, 0x7c, 0x01, 0x7f, 0x0b};
  EXPECT_NE(std::search(b.begin(), b.end(), body.begin(), body.end()), b.end());
}

TEST(WatModule, BareFieldsAreAModule) {
  EXPECT_EQ(wat("(func) (memory 1)"), wat("(module (func) (memory 1))"));
}

TEST(WatModule, InlineTypeUsesAddTypesInTextualOrder) {
  // §6.6.3: an inline typeuse reuses the smallest matching type, else appends one; the
  // explicit type later in the text still counts as existing.
  EXPECT_EQ(wat(R"((module (func (param i64)) (func (param i32)) (func (param i64))
                           (type (func (param i32)))))"),
            wat(R"((module (type (func (param i32))) (type (func (param i64)))
                           (func (type 1)) (func (type 0)) (func (type 1))))"));
}

TEST(WatModule, TypeUseWithMatchingInlineDeclarationsIsTheType) {
  EXPECT_EQ(wat("(module (type $t (func (param i32) (result i32))) (func (type $t) (param i32) (result i32) (local.get 0)))"),
            wat("(module (type $t (func (param i32) (result i32))) (func (type $t) (local.get 0)))"));
}

TEST(WatModule, TypeUseAloneMayNameAnUndefinedType) {
  // An unknown numeric type index is the validator's business ("unknown type").
  EXPECT_FALSE(wat("(module (func (type 7)))").empty());
}

TEST(WatModule, InlineExportsEncodeLikeExportFields) {
  EXPECT_EQ(wat(R"((module (func $f (export "a") (export "b")) (memory (export "m") 1)
                           (table (export "t") 1 funcref) (global (export "g") i32 (i32.const 0))))"),
            wat(R"((module (func $f) (export "a" (func $f)) (export "b" (func $f))
                           (memory $m 1) (export "m" (memory $m))
                           (table $t 1 funcref) (export "t" (table $t))
                           (global $g i32 (i32.const 0)) (export "g" (global $g))))"));
}

TEST(WatModule, InlineImportsEncodeLikeImportFields) {
  EXPECT_EQ(wat(R"((module (func $f (export "e") (import "m" "f") (param i32))
                           (table (import "m" "t") 1 funcref) (memory (import "m" "mem") 1 2)
                           (global (import "m" "g") (mut i32))))"),
            wat(R"((module (import "m" "f" (func $f (param i32))) (import "m" "t" (table 1 funcref))
                           (import "m" "mem" (memory 1 2)) (import "m" "g" (global (mut i32)))
                           (export "e" (func $f))))"));
}

TEST(WatModule, TableWithInlineElementsIsSizedByThem) {
  EXPECT_EQ(wat("(module (table funcref (elem $f $f)) (func $f))"),
            module({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x05,
                    0x01, 0x70, 0x01, 0x02, 0x02, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b,
                    0x02, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b}));
  EXPECT_EQ(wat("(module (table $t funcref (elem (ref.func $f) (item ref.null func))) (func $f))"),
            wat("(module (table $t 2 2 funcref) (elem (table $t) (i32.const 0) funcref (ref.func $f) (ref.null func)) (func $f))"));
}

TEST(WatModule, MemoryWithInlineDataIsSizedByIt) {
  EXPECT_EQ(wat(R"((module (memory (data "hi"))))"),
            module({0x05, 0x04, 0x01, 0x01, 0x01, 0x01, 0x0b, 0x08, 0x01, 0x00, 0x41, 0x00,
                    0x0b, 0x02, 0x68, 0x69}));
  EXPECT_EQ(wat(R"((module (memory $m (data "a" "b"))))"),
            wat(R"((module (memory $m 1 1) (data (memory $m) (i32.const 0) "ab")))"));
}

TEST(WatModule, ElementSegmentAbbreviationsMatchTheirExpansions) {
  const char* table = "(table $t 10 funcref) (func $f) (func $g) ";
  auto m = [&](std::string elem) { return wat("(module " + std::string(table) + elem + ")"); };
  EXPECT_EQ(m("(elem (i32.const 1) $f $g)"),
            m("(elem (table $t) (offset (i32.const 1)) func $f $g)"));
  EXPECT_EQ(m("(elem (offset i32.const 1) func 0 1)"),
            m("(elem (table 0) (i32.const 1) funcref (ref.func $f) (item ref.func $g))"));
  EXPECT_EQ(m("(elem $e funcref (ref.func $f))"), m("(elem func $f)"));
  EXPECT_EQ(m("(elem declare funcref (item (ref.func $g)))"), m("(elem declare func $g)"));
}

TEST(WatModule, ElementSegmentFlagsFollowTheBinaryFormat) {
  // §5.5.12: 0 active table 0 with indices, 1 passive, 2 explicit table, 3 declarative,
  // +4 when the items are expressions.
  auto flagsOf = [](std::string elem) {
    Bytes b = wat("(module (table 1 funcref) (table 1 externref) (func) " + elem + ")");
    auto sec = std::find(b.begin() + 8, b.end(), 0x09);  // no other section byte 9 here
    return sec + 3 < b.end() ? sec[3] : 0xff;
  };
  EXPECT_EQ(flagsOf("(elem (i32.const 0) func 0)"), 0);
  EXPECT_EQ(flagsOf("(elem func 0)"), 1);
  EXPECT_EQ(flagsOf("(elem (table 1) (i32.const 0) func 0)"), 2);
  EXPECT_EQ(flagsOf("(elem declare func 0)"), 3);
  EXPECT_EQ(flagsOf("(elem (i32.const 0) funcref (ref.null func))"), 4);
  EXPECT_EQ(flagsOf("(elem funcref (ref.null func))"), 5);
  EXPECT_EQ(flagsOf("(elem (table 1) (i32.const 0) externref (ref.null extern))"), 6);
  EXPECT_EQ(flagsOf("(elem declare funcref (ref.null func))"), 7);
  EXPECT_EQ(flagsOf("(elem externref)"), 5);  // an externref segment keeps its type
}

TEST(WatModule, DataSegmentFormsMatchTheirExpansions) {
  const char* mems = "(memory $a 1) (memory $b 1) ";
  auto m = [&](std::string data) { return wat("(module " + std::string(mems) + data + ")"); };
  EXPECT_EQ(m(R"((data (i32.const 8) "x"))"), m(R"((data (memory $a) (offset (i32.const 8)) "x"))"));
  EXPECT_EQ(m(R"((data (memory $b) (i32.const 8) "x"))"), m(R"((data (memory 1) (offset i32.const 8) "x"))"));
  Bytes passive = m(R"((data $d "x" "yz"))");
  const Bytes seg = {0x0b, 0x06, 0x01, 0x01, 0x03, 'x', 'y', 'z'};
  EXPECT_TRUE(std::equal(seg.rbegin(), seg.rend(), passive.rbegin()));
}

TEST(WatModule, NamesResolveInEveryIndexSpace) {
  EXPECT_EQ(wat(R"((module
      (type $t (func)) (import "m" "f" (func $imp)) (func $f (type $t))
      (table $tab 1 funcref) (memory $mem 1) (global $g (mut i32) (i32.const 0))
      (elem $e func $f) (data $d "")
      (func (call $imp) (call $f) (call_indirect $tab (type $t) (i32.const 0))
            (global.set $g (global.get $g)) (elem.drop $e) (data.drop $d)
            (drop (table.size $tab)) (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0)))
      (export "x" (memory $mem))))"),
            wat(R"((module
      (type (func)) (import "m" "f" (func)) (func (type 0))
      (table 1 funcref) (memory 1) (global (mut i32) (i32.const 0))
      (elem func 1) (data "")
      (func (call 0) (call 1) (call_indirect 0 (type 0) (i32.const 0))
            (global.set 0 (global.get 0)) (elem.drop 0) (data.drop 0)
            (drop (table.size 0)) (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0)))
      (export "x" (memory 0))))"));
}

TEST(WatModule, NamesMayBeUsedBeforeTheirDefinition) {
  EXPECT_EQ(wat("(module (func (call $later)) (func $later))"),
            wat("(module (func (call 1)) (func))"));
}

TEST(WatModule, UnknownNumericIndicesStillEncode) {
  // Out-of-range indices are invalid, not malformed: the validator reports them.
  EXPECT_FALSE(wat("(module (func (call 99) (global.get 5) (drop)))").empty());
}

TEST(WatModule, UnknownNamesAreMalformed) {
  expectMalformed("(module (func (call $nope)))", "unknown function $nope");
  expectMalformed("(module (func (global.get $g)))", "unknown global $g");
  expectMalformed("(module (func (type $t)))", "unknown type $t");
  expectMalformed("(module (func (elem.drop $e)))", "unknown elem segment $e");
  expectMalformed("(module (export \"m\" (memory $m)))", "unknown memory $m");
}

TEST(WatModule, DuplicateNamesAreMalformed) {
  expectMalformed("(func $foo) (func $foo)", "duplicate func");
  expectMalformed("(import \"\" \"\" (func $foo)) (func $foo)", "duplicate func");
  expectMalformed("(global $g i32 (i32.const 0)) (global $g i32 (i32.const 0))", "duplicate global");
  expectMalformed("(table $t 1 funcref) (table $t 1 funcref)", "duplicate table");
  expectMalformed("(memory $m 1) (memory $m 1)", "duplicate memory");
  expectMalformed("(type $t (func)) (type $t (func))", "duplicate type");
  expectMalformed("(func (param $x i32) (local $x i32))", "duplicate local");
}

TEST(WatModule, ImportsAfterDefinitionsAreMalformed) {
  expectMalformed("(func) (import \"\" \"\" (func))", "import after function");
  expectMalformed("(global i64 (i64.const 0)) (import \"\" \"\" (memory 0))", "import after global");
  expectMalformed("(memory 0) (func (import \"\" \"\"))", "import after memory");
  expectMalformed("(table 0 funcref) (global (import \"\" \"\") i32)", "import after table");
}

TEST(WatModule, SecondStartIsMalformed) {
  expectMalformed("(func $a) (start $a) (start $a)", "multiple start sections");
}

TEST(WatModule, InlineTypeMustMatchTheReferencedType) {
  expectMalformed("(type $sig (func)) (func (type $sig) (result i32) (i32.const 0))",
                  "inline function type");
  expectMalformed("(func (type 2) (param i32))", "unknown type");
}

TEST(WatModule, ClausesOutOfOrderAreUnexpected) {
  expectMalformed("(func (result i32) (param i32) (i32.const 0))", "unexpected token");
  expectMalformed("(func (local i32) (param i32))", "unexpected token");
  expectMalformed("(func (nop) (local i32))", "unexpected token");
  expectMalformed("(type (func (result $x i32)))", "unexpected token");
}

TEST(WatModule, NamesMustBeValidUtf8) {
  expectMalformed(R"((func (export "\c0\80")))", "malformed UTF-8 encoding");
  expectMalformed(R"((import "\ed\a0\80" "x" (func)))", "malformed UTF-8 encoding");
  EXPECT_FALSE(wat(R"((func (export "\u{1F600}")))").empty());
}

TEST(WatModule, LimitsAreThirtyTwoBit) {
  expectMalformed("(memory 0x1_0000_0000)", "i32 constant out of range");
  expectMalformed("(table 0 0x1_0000_0000 funcref)", "i32 constant out of range");
}

TEST(WatModule, IllegalCharactersAreReportedWhereTheyAre) {
  auto r = parseWat("(module\n  (func \x01))");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "illegal character");
  EXPECT_EQ(r.error().line, 2u);
  EXPECT_EQ(r.error().column, 9u);
  expectMalformed("(func $f\xc3\xa9)", "illegal character");
  expectMalformed("(func (export \"\xff\"))", "malformed UTF-8 encoding");
}

TEST(WatModule, OldKeywordsAreUnknownOperators) {
  expectMalformed("(global $g anyfunc (ref.null func))", "unknown operator anyfunc");
}

TEST(WatModule, ErrorsCarryFileLineAndColumn) {
  auto r = parseWat("(module\n  (func\n    (call $missing)))", {"dir/x.wat"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().source, "dir/x.wat");
  EXPECT_EQ(r.error().line, 3u);
  EXPECT_EQ(r.error().column, 11u);
  EXPECT_EQ(r.error().toString(), "dir/x.wat:3:11: syntax error: unknown function $missing");
}

TEST(WatModule, ErrorPositionsAreRelativeToTheEnclosingScript) {
  // A module cut out of a .wast file reports positions in that file.
  auto r = parseWat("(module (func\n  (nop) (i32.const 0x)))", {"s.wast", 40, 3});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().line, 41u);
  EXPECT_EQ(r.error().column, 20u);
  r = parseWat("(module (bogus))", {"s.wast", 40, 3});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().line, 40u);
  EXPECT_EQ(r.error().column, 12u);
  EXPECT_EQ(r.error().message, "unknown operator bogus");
}

TEST(WatModule, TheFirstErrorInTheTextIsReported) {
  // The lane error comes before the stray parenthesis that ends the module early.
  expectMalformed("(func (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15.0)"
                  " (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)))",
                  "malformed lane index");
}

TEST(WatModule, DuplicateNameIsReportedDespiteLaterForwardReferences) {
  expectMalformed("(func (call $g)) (func $f) (func $f) (func $g)", "duplicate func $f");
}

TEST(WatModule, TrailingTokensAreUnexpected) {
  expectMalformed("(module) (module)", "unexpected token");
  expectMalformed("(module (func)) (func)", "unexpected token");
  expectMalformed("(module (func)", "unexpected token");
}

}  // namespace
}  // namespace bantam::wasm::text
