// Instructions in the text format (§6.5): folded and flat forms, labels, block types,
// immediates of every kind, and the errors the test suite expects for malformed ones.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "wasm/text/wat.h"

namespace bantam::wasm::text {
namespace {

using Bytes = std::vector<uint8_t>;

uint32_t readLeb(const Bytes& b, size_t& i) {
  uint32_t v = 0;
  for (unsigned shift = 0; i < b.size(); shift += 7) {
    uint8_t x = b[i++];
    v |= static_cast<uint32_t>(x & 0x7f) << shift;
    if (!(x & 0x80)) break;
  }
  return v;
}

// The instruction bytes of the last function of "(module prelude (func sig body))", without
// the locals declaration and the final end.
Bytes instrs(std::string_view func, std::string_view prelude = "(memory 1) (table 1 funcref)") {
  std::string text = "(module " + std::string(prelude) + " (func " + std::string(func) + "))";
  auto r = parseWat(text, {"test.wat"});
  EXPECT_TRUE(r) << text << "\n  " << (r ? "" : r.error().toString());
  if (!r) return {};
  const Bytes& b = *r;
  size_t i = 8;
  while (i < b.size()) {
    const uint8_t id = b[i++];
    const uint32_t size = readLeb(b, i);
    if (id != 10) {
      i += size;
      continue;
    }
    const uint32_t count = readLeb(b, i);
    Bytes body;
    for (uint32_t f = 0; f < count; ++f) {
      const uint32_t len = readLeb(b, i);
      body.assign(b.begin() + static_cast<ptrdiff_t>(i), b.begin() + static_cast<ptrdiff_t>(i + len));
      i += len;
    }
    EXPECT_FALSE(body.empty());
    EXPECT_EQ(body.front(), 0x00) << "test functions declare no locals";
    EXPECT_EQ(body.back(), 0x0b);
    return Bytes(body.begin() + 1, body.end() - 1);
  }
  ADD_FAILURE() << "no code section";
  return {};
}

void expectMalformed(std::string_view text, std::string_view message) {
  auto r = parseWat(text, {"test.wat"});
  ASSERT_FALSE(r) << text;
  EXPECT_EQ(r.error().kind, ErrorKind::Parse);
  EXPECT_NE(r.error().message.find(message), std::string::npos)
      << text << "\n  expected \"" << message << "\", got: " << r.error().toString();
}

TEST(WatInstr, FoldedInstructionsEmitOperandsFirst) {
  EXPECT_EQ(instrs("(result i32) (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3)))"),
            (Bytes{0x41, 0x01, 0x41, 0x02, 0x41, 0x03, 0x6c, 0x6a}));
  EXPECT_EQ(instrs("(result i32) (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3)))"),
            instrs("(result i32) i32.const 1 i32.const 2 i32.const 3 i32.mul i32.add"));
}

TEST(WatInstr, BlocksWithLabelsAndResults) {
  EXPECT_EQ(instrs("(param i32) (result i32) (block $b (result i32) (br_if $b (i32.const 1) "
                   "(local.get 0))) (if (result i32) (i32.const 0) (then (i32.const 1)) "
                   "(else (i32.const 2))) drop"),
            (Bytes{0x02, 0x7f, 0x41, 0x01, 0x20, 0x00, 0x0d, 0x00, 0x0b, 0x41, 0x00, 0x04, 0x7f,
                   0x41, 0x01, 0x05, 0x41, 0x02, 0x0b, 0x1a}));
}

TEST(WatInstr, FoldedIfEqualsFlatIf) {
  EXPECT_EQ(instrs("(if $l (i32.const 1) (then (br $l)) (else (nop)))"),
            instrs("i32.const 1 if $l br $l else nop end"));
  // Several condition instructions are allowed before (then).
  EXPECT_EQ(instrs("(if (i32.const 1) (i32.eqz) (then))"), instrs("i32.const 1 i32.eqz if end"));
}

TEST(WatInstr, EmptyElseIsLeftOut) {
  EXPECT_EQ(instrs("(if (i32.const 0) (then) (else))"), (Bytes{0x41, 0x00, 0x04, 0x40, 0x0b}));
  EXPECT_EQ(instrs("i32.const 0 if else end"), (Bytes{0x41, 0x00, 0x04, 0x40, 0x0b}));
}

TEST(WatInstr, LabelsResolveToTheInnermostBinding) {
  EXPECT_EQ(instrs("(block $a (block $b (block $a (br $a) (br $b) (br 2))))"),
            (Bytes{0x02, 0x40, 0x02, 0x40, 0x02, 0x40, 0x0c, 0x00, 0x0c, 0x01, 0x0c, 0x02, 0x0b,
                   0x0b, 0x0b}));
}

TEST(WatInstr, IfConditionIsOutsideTheIfLabel) {
  // In "(if $l cond (then ..))" the condition cannot branch to $l.
  expectMalformed("(func (if $l (br_if $l (i32.const 1)) (then)))", "unknown label $l");
}

TEST(WatInstr, EndLabelMustRepeatTheBlockLabel) {
  EXPECT_FALSE(instrs("block $l end $l loop $m end $m i32.const 0 if $i else $i end $i").empty());
  expectMalformed("(func block end $l)", "mismatching label");
  expectMalformed("(func block $a end $l)", "mismatching label");
  expectMalformed("(func i32.const 0 if $a else $l end)", "mismatching label");
}

TEST(WatInstr, LabelsMayBeReusedAfterTheirBlock) {
  EXPECT_EQ(instrs("block $l br $l end block $l br $l end"),
            (Bytes{0x02, 0x40, 0x0c, 0x00, 0x0b, 0x02, 0x40, 0x0c, 0x00, 0x0b}));
}

TEST(WatInstr, UnknownLabelIsMalformed) {
  expectMalformed("(func (block $l (i32.const 0) (br_table $l0)))", "unknown label");
}

TEST(WatInstr, BrTableListsTargetsThenDefault) {
  EXPECT_EQ(instrs("(block $a (block $b (br_table $a $b 0 (i32.const 0))))"),
            (Bytes{0x02, 0x40, 0x02, 0x40, 0x41, 0x00, 0x0e, 0x02, 0x01, 0x00, 0x00, 0x0b, 0x0b}));
}

TEST(WatInstr, BlockTypesUseTheShortFormWhenTheyCan) {
  EXPECT_EQ(instrs("(block (result f64) (f64.const 0)) drop"),
            instrs("(block (type $r) (f64.const 0)) drop", "(type $p (func (param i32))) (type $r (func (result f64)))"));
  // Parameters or several results need a type index, added implicitly when absent.
  EXPECT_EQ(instrs("(block (param i32) (drop)) (block (result i32 i32) (i32.const 1) (i32.const 2)) drop drop",
                   "(type (func))"),
            instrs("(block (type 1) (drop)) (block (type 2) (i32.const 1) (i32.const 2)) drop drop",
                   "(type (func)) (type (func (param i32))) (type (func (result i32 i32)))"));
}

TEST(WatInstr, BlockTypeClausesAreOrderedAndUnnamed) {
  expectMalformed("(func (i32.const 0) (block (result i32) (param i32)))", "unexpected token");
  expectMalformed("(func (i32.const 0) (block (param $x i32) (drop)))", "unexpected token");
  expectMalformed("(type $sig (func)) (func (block (type $sig) (result i32) (i32.const 0)) (unreachable))",
                  "inline function type");
}

TEST(WatInstr, LocalsByNameAndIndex) {
  EXPECT_EQ(instrs("(param $a i32) (param $b i64) (local.get $b) (local.set 1)"),
            (Bytes{0x20, 0x01, 0x21, 0x01}));
  expectMalformed("(func (local.get $x))", "unknown local $x");
}

TEST(WatInstr, CallIndirectTakesTableAndTypeUse) {
  EXPECT_EQ(instrs("(call_indirect $t2 (type $v) (i32.const 0))",
                   "(type $v (func)) (table 1 funcref) (table $t2 1 funcref)"),
            (Bytes{0x41, 0x00, 0x11, 0x00, 0x01}));
  // An inline signature is an implicit type use (appended: index 1 after the func's own).
  EXPECT_EQ(instrs("(call_indirect (param i64) (result i32) (i64.const 0) (i32.const 0)) drop"),
            (Bytes{0x42, 0x00, 0x41, 0x00, 0x11, 0x01, 0x00, 0x1a}));
  expectMalformed("(table 0 funcref) (func (call_indirect (param $x i32) (i32.const 0) (i32.const 0)))",
                  "unexpected token");
}

TEST(WatInstr, TableInstructionsDefaultToTableZero) {
  EXPECT_EQ(instrs("(drop (table.get (i32.const 0))) (drop (table.size)) (table.copy (i32.const 0) (i32.const 0) (i32.const 0))"),
            instrs("(drop (table.get 0 (i32.const 0))) (drop (table.size 0)) (table.copy 0 0 (i32.const 0) (i32.const 0) (i32.const 0))"));
  EXPECT_EQ(instrs("(table.init $e (i32.const 0) (i32.const 0) (i32.const 0))", "(table 1 funcref) (table $u 1 funcref) (elem $e func)"),
            (Bytes{0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0c, 0x00, 0x00}));
  EXPECT_EQ(instrs("(table.init $u $e (i32.const 0) (i32.const 0) (i32.const 0))", "(table 1 funcref) (table $u 1 funcref) (elem $e func)"),
            (Bytes{0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0c, 0x00, 0x01}));
}

TEST(WatInstr, MemArgHasOffsetAndAlignment) {
  EXPECT_EQ(instrs("(drop (i64.load offset=8 align=4 (i32.const 0)))"),
            (Bytes{0x41, 0x00, 0x29, 0x02, 0x08, 0x1a}));
  EXPECT_EQ(instrs("(drop (i32.load8_u (i32.const 0)))"), (Bytes{0x41, 0x00, 0x2d, 0x00, 0x00, 0x1a}));
  EXPECT_EQ(instrs("(drop (i32.load offset=0x1_0000 (i32.const 0)))"),
            (Bytes{0x41, 0x00, 0x28, 0x02, 0x80, 0x80, 0x04, 0x1a}));
}

TEST(WatInstr, MalformedMemArgs) {
  expectMalformed("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))",
                  "alignment must be a power of two");
  expectMalformed("(memory 1) (func (drop (i32.load align=0 (i32.const 0))))", "alignment");
  expectMalformed("(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))",
                  "i32 constant");
  expectMalformed("(memory 1) (func (drop (v128.load8x8_u align=-1 (i32.const 0))))",
                  "unknown operator");
}

TEST(WatInstr, ConstantsOfEveryNumericType) {
  EXPECT_EQ(instrs("(drop (i32.const -1)) (drop (i64.const 0x8000_0000_0000_0000)) "
                   "(drop (f32.const -0x1p-1)) (drop (f64.const inf))"),
            (Bytes{0x41, 0x7f, 0x1a, 0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                   0x7f, 0x1a, 0x43, 0x00, 0x00, 0x00, 0xbf, 0x1a, 0x44, 0x00, 0x00, 0x00, 0x00,
                   0x00, 0x00, 0xf0, 0x7f, 0x1a}));
}

TEST(WatInstr, MalformedConstants) {
  expectMalformed("(func (i32.const) drop)", "unexpected token");
  expectMalformed("(func (i32.const 0x) drop)", "unknown operator");
  expectMalformed("(func (i32.const 0x1_0000_0000) drop)", "constant out of range");
  expectMalformed("(func (f32.const 1e39) drop)", "constant out of range");
  expectMalformed("(func (f64.const nan:0x0) drop)", "constant out of range");
  expectMalformed("(func (result f32) (f32.const nan:canonical))", "unexpected token");
  expectMalformed("(func (f32.const nan:1) drop)", "unknown operator");
}

TEST(WatInstr, V128ConstInEveryShapeIsLittleEndian) {
  const Bytes expected = {0xfd, 0x0c, 0x01, 0x00, 0xff, 0xff, 0x02, 0x00, 0x03, 0x00,
                          0x04, 0x00, 0x05, 0x00, 0x06, 0x00, 0xff, 0x7f, 0x1a};
  EXPECT_EQ(instrs("(drop (v128.const i16x8 1 -1 2 3 4 5 6 0x7fff))"), expected);
  EXPECT_EQ(instrs("(drop (v128.const i8x16 1 0 0xff 255 2 0 3 0 4 0 5 0 6 0 -1 0x7f))"), expected);
  EXPECT_EQ(instrs("(drop (v128.const i32x4 0xffff0001 0x30002 0x50004 0x7fff0006))"), expected);
  EXPECT_EQ(instrs("(drop (v128.const i64x2 0x0003_0002_ffff_0001 0x7fff_0006_0005_0004))"), expected);
  EXPECT_EQ(instrs("(drop (v128.const f32x4 1 -0 nan inf))"),
            (Bytes{0xfd, 0x0c, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0xc0,
                   0x7f, 0x00, 0x00, 0x80, 0x7f, 0x1a}));
  EXPECT_EQ(instrs("(drop (v128.const f64x2 -0x1p+0 0x1p-1074))"),
            (Bytes{0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xbf, 0x01, 0x00, 0x00,
                   0x00, 0x00, 0x00, 0x00, 0x00, 0x1a}));
}

TEST(WatInstr, V128ConstNeedsOneLiteralPerLane) {
  expectMalformed("(func (v128.const i32x4 1 2 3) drop)", "wrong number of lane literals");
  expectMalformed("(func (v128.const i32x4 0x1 0x1 0x1 0x1 0x1) drop)", "wrong number of lane literals");
  expectMalformed("(func (v128.const i64x2) drop)", "wrong number of lane literals");
  expectMalformed("(func (v128.const 0 0 0 0) drop)", "unexpected token");
  expectMalformed("(func (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0) drop)", "constant out of range");
}

TEST(WatInstr, ShuffleTakesSixteenLaneIndices) {
  Bytes b = instrs("(result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 "
                   "(v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0))");
  const Bytes tail = {0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31};
  ASSERT_GE(b.size(), tail.size());
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), b.end() - static_cast<ptrdiff_t>(tail.size())));
  const char* v = " (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0)))";
  expectMalformed(std::string("(func (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14") + v,
                  "invalid lane length");
  expectMalformed(std::string("(func (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 256") + v,
                  "malformed lane index");
  expectMalformed(std::string("(func (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1") + v,
                  "malformed lane index");
}

TEST(WatInstr, LaneIndicesAreNaturalNumbersBelow256) {
  EXPECT_EQ(instrs("(result i32) (i8x16.extract_lane_u 15 (v128.const i64x2 0 0))").back(), 15);
  // 16..255 encode (the validator rejects them); 256 does not fit the byte.
  EXPECT_EQ(instrs("(result i32) (i32x4.extract_lane 200 (v128.const i64x2 0 0))").back(), 200);
  expectMalformed("(func (result i32) (i32x4.extract_lane 256 (v128.const i64x2 0 0)))",
                  "malformed lane index");
  expectMalformed("(func (result i32) (i32x4.extract_lane -1 (v128.const i64x2 0 0)))",
                  "unexpected token");
  expectMalformed("(func (result i32) (i32x4.extract_lane +1 (v128.const i64x2 0 0)))",
                  "unexpected token");
  expectMalformed("(func (result i32) (i32x4.extract_lane (v128.const i64x2 0 0)))",
                  "unexpected token");
}

TEST(WatInstr, LoadLaneTakesMemArgThenLane) {
  EXPECT_EQ(instrs("(v128.store16_lane offset=2 3 (i32.const 0) (v128.const i64x2 0 0))"),
            (Bytes{0x41, 0x00, 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                   0xfd, 0x59, 0x01, 0x02, 0x03}));
}

TEST(WatInstr, TypedSelectListsItsResults) {
  EXPECT_EQ(instrs("(drop (select (i32.const 1) (i32.const 2) (i32.const 0)))").at(6), 0x1b);
  Bytes typed = instrs("(drop (select (result i64) (i64.const 1) (i64.const 2) (i32.const 0)))");
  EXPECT_EQ(Bytes(typed.begin() + 6, typed.begin() + 9), (Bytes{0x1c, 0x01, 0x7e}));
  // "(result)" is kept: an empty typed select is invalid, not a plain select.
  Bytes empty = instrs("(select (result) (nop) (nop) (i32.const 1))");
  EXPECT_EQ(Bytes(empty.end() - 2, empty.end()), (Bytes{0x1c, 0x00}));
}

TEST(WatInstr, ReferenceInstructions) {
  EXPECT_EQ(instrs("(drop (ref.null func)) (drop (ref.null extern)) (drop (ref.is_null (ref.func $f)))",
                   "(func $f) (elem declare func $f)"),
            (Bytes{0xd0, 0x70, 0x1a, 0xd0, 0x6f, 0x1a, 0xd2, 0x00, 0xd1, 0x1a}));
}

TEST(WatInstr, BulkMemoryUsesTheDataCountSection) {
  auto r = parseWat("(module (memory 1) (data \"x\") (func (data.drop 0)))");
  ASSERT_TRUE(r);
  // The data count section (id 12) comes before the code section.
  const Bytes dataCount = {0x0c, 0x01, 0x01, 0x0a};
  EXPECT_NE(std::search(r->begin(), r->end(), dataCount.begin(), dataCount.end()), r->end());
  auto without = parseWat("(module (memory 1) (data \"x\") (func))");
  ASSERT_TRUE(without);
  EXPECT_EQ(std::search(without->begin(), without->end(), dataCount.begin(), dataCount.end()),
            without->end());
}

TEST(WatInstr, PrefixedOpcodesUseLeb128SubOpcodes) {
  EXPECT_EQ(instrs("(drop (i32.trunc_sat_f32_s (f32.const 0)))").at(5), 0xfc);
  EXPECT_EQ(instrs("(drop (i32x4.dot_i16x8_s (v128.const i64x2 0 0) (v128.const i64x2 0 0)))"),
            [] {
              Bytes b;
              for (int k = 0; k < 2; ++k) {
                b.insert(b.end(), {0xfd, 0x0c});
                b.insert(b.end(), 16, 0);
              }
              b.insert(b.end(), {0xfd, 0xba, 0x01, 0x1a});  // 186 as LEB128
              return b;
            }());
}

TEST(WatInstr, UnknownAndMisplacedKeywords) {
  expectMalformed("(func (local $i i32) (drop (get_local $i)))", "unknown operator get_local");
  expectMalformed("(func (drop (i32.const0)))", "unknown operator");
  expectMalformed("(func br 0drop)", "unknown operator");
  expectMalformed("(func (if i32.const 0 (then) (else)))", "unexpected token");
  expectMalformed("(func (nop) (param i32))", "unexpected token");
  expectMalformed("(func end)", "unexpected token");
}

TEST(WatInstr, DeepNestingNeedsNoNativeStack) {
  // Compilers emit thousands of nested blocks for a large switch; nesting is parsed with an
  // explicit stack, so depth is bounded by memory, not by the native stack.
  constexpr int kDepth = 100000;
  std::string folded;
  for (int i = 0; i < kDepth; ++i) folded += "(block $l" + std::to_string(i % 7) + " ";
  folded += "(br $l0)";
  for (int i = 0; i < kDepth; ++i) folded += ")";
  Bytes b = instrs(folded);
  ASSERT_EQ(b.size(), kDepth * 3u + 2);
  EXPECT_EQ(b[kDepth * 2], 0x0c);
  // Labels repeat every 7 blocks; the innermost $l0 (block 99995) is 4 levels out.
  EXPECT_EQ(b[kDepth * 2 + 1], 0x04);
  std::string flat;
  for (int i = 0; i < kDepth; ++i) flat += " block";
  for (int i = 0; i < kDepth; ++i) flat += " end";
  EXPECT_EQ(instrs(flat).size(), kDepth * 3u);
  std::string expr = "(result i32)";
  for (int i = 0; i < kDepth; ++i) expr += " (i32.eqz";
  expr += " (i32.const 0)";
  for (int i = 0; i < kDepth; ++i) expr += ")";
  EXPECT_EQ(instrs(expr).size(), 2u + kDepth);
}

TEST(WatInstr, UnclosedConstructsAreErrors) {
  expectMalformed("(func block)", "unexpected token \")\", expected \"end\"");
  expectMalformed("(func (block end))", "unexpected token");
  expectMalformed("(func (i32.add i32.const 1))", "unexpected token");
  expectMalformed("(func (if (i32.const 1) (nop)))", "unexpected token");
  expectMalformed("(func (if (i32.const 1) (then) (else) (else)))", "unexpected token");
  expectMalformed("(func block else end)", "unexpected token");
  expectMalformed("(func i32.const 0 if else else end)", "unexpected token");
}

}  // namespace
}  // namespace bantam::wasm::text
