// Validation of function bodies (§3.3, Appendix "Validation Algorithm"): operand typing,
// blocks and branches, the polymorphic stack, locals and globals, memory, vector lanes,
// tables and references. Modules are written in WAT and built with our own text parser.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "wasm/decoder/decoder.h"
#include "wasm/text/wat.h"
#include "wasm/validator/validator.h"

namespace bantam::wasm {
namespace {

struct Validated {
  std::vector<uint8_t> bytes;
  Result<void> result;
};

// Parses, decodes and validates; parsing and decoding must succeed, as these tests are
// about validation only.
Validated validateWat(std::string_view wat) {
  auto bytes = text::parseWat(wat);
  if (!bytes) {
    ADD_FAILURE() << "parse: " << bytes.error().toString();
    return {{}, std::unexpected(bytes.error())};
  }
  auto module = decodeModule(*bytes);
  if (!module) {
    ADD_FAILURE() << "decode: " << module.error().toString();
    return {*bytes, std::unexpected(module.error())};
  }
  return {*bytes, validateModule(*module)};
}

void expectValid(std::string_view wat) {
  auto v = validateWat(wat);
  EXPECT_TRUE(v.result) << v.result.error().toString();
}

void expectInvalid(std::string_view wat, std::string_view message) {
  auto v = validateWat(wat);
  ASSERT_FALSE(v.result) << "expected \"" << message << "\"";
  EXPECT_EQ(v.result.error().kind, ErrorKind::Invalid);
  EXPECT_EQ(v.result.error().message, message);
}

// ---- operand typing and error reporting -------------------------------------------------

TEST(Validator, OperandOfWrongTypeIsTypeMismatch) {
  expectInvalid("(module (func (result i32) (i32.add (i32.const 0) (i64.const 0))))", "type mismatch");
}

TEST(Validator, ErrorPointsAtTheOffendingInstruction) {
  auto v = validateWat("(module (func (result i32) (i32.add (i32.const 0) (i64.const 0))))");
  ASSERT_FALSE(v.result);
  ASSERT_TRUE(v.result.error().offset.has_value());
  ASSERT_LT(*v.result.error().offset, v.bytes.size());
  EXPECT_EQ(v.bytes[*v.result.error().offset], 0x6a);  // i32.add
}

TEST(Validator, ErrorNamesTheFunction) {
  auto v = validateWat("(module (func) (func $second (result i32) (i64.const 0)))");
  ASSERT_FALSE(v.result);
  EXPECT_EQ(v.result.error().context.rfind("in function 1", 0), 0u) << v.result.error().context;
}

TEST(Validator, MissingOperandIsTypeMismatch) {
  expectInvalid("(module (func (result i32) (i32.eqz)))", "type mismatch");
}

TEST(Validator, ValueLeftOnStackAtFunctionEndIsTypeMismatch) {
  expectInvalid("(module (func (i32.const 1)))", "type mismatch");
}

TEST(Validator, VectorInstructionsTypeThroughTheOpcodeTable) {
  expectValid(R"((module (memory 1) (func (result v128)
    (v128.store offset=16 align=16 (i32.const 0) (v128.load (i32.const 0)))
    (i8x16.replace_lane 15 (i8x16.splat (i32.const 1))
                           (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4))))))");
}

// ---- blocks, branches and the polymorphic stack ----------------------------------------

TEST(Validator, UnreachableMakesTheStackPolymorphic) {
  expectValid("(module (func (result i32) unreachable i32.add))");
}

TEST(Validator, KnownOperandsAfterUnreachableAreStillChecked) {
  expectInvalid("(module (func (result i32) unreachable (i64.const 0) i32.add))", "type mismatch");
}

TEST(Validator, BlockLeavingAnExtraValueIsTypeMismatch) {
  expectInvalid("(module (func (block (i32.const 1))))", "type mismatch");
}

TEST(Validator, MultiValueBlockTakesParamsFromTheStack) {
  expectValid(R"((module
    (type $pair (func (param i32 i64) (result i64 i32)))
    (func (result i64 i32)
      (i32.const 1) (i64.const 2)
      (block (type $pair) (param i32 i64) (result i64 i32)
        drop drop (i64.const 3) (i32.const 4)))))");
}

TEST(Validator, UnknownBlockTypeIndexNamesTheIndex) {
  expectInvalid("(module (func (block (type 5))))", "unknown type 5");
}

TEST(Validator, IfWithoutElseMustPassItsParamsThrough) {
  expectInvalid("(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)))))",
                "type mismatch");
}

TEST(Validator, ElseBranchOfWrongTypeIsTypeMismatch) {
  expectInvalid(R"((module (func (result i32)
    (if (result i32) (i32.const 1) (then (i32.const 1)) (else (i64.const 1))))))",
                "type mismatch");
}

TEST(Validator, LoopLabelTakesTheLoopParams) {
  expectValid(R"((module (func (result i32)
    (i32.const 0)
    (loop (param i32) (result i32) (br_if 0 (i32.const 1))))))");
}

TEST(Validator, BrIfLeavesTheLabelTypesOnTheStack) {
  expectValid("(module (func (result i32) (block (result i32) (br_if 0 (i32.const 1) (i32.const 2)))))");
}

TEST(Validator, BranchToMissingLabelIsUnknownLabel) {
  expectInvalid("(module (func (br 1)))", "unknown label 1");
}

TEST(Validator, BrTableTargetsOfDifferentArityAreTypeMismatch) {
  expectInvalid(R"((module (func
    (block (block (result i32) (br_table 0 1 (i32.const 0) (i32.const 0)))))))",
                "type mismatch");
}

TEST(Validator, BrTableTargetsOfSameArityButDifferentTypesAreTypeMismatch) {
  expectInvalid(R"((module (func (result i32)
    (block (result i32) (drop (block (result i64)
      (br_table 0 1 (i32.const 0) (i32.const 0))))) (i32.const 0))))",
                "type mismatch");
}

TEST(Validator, BrTableInUnreachableCodeAcceptsDifferentTypesOfSameArity) {
  expectValid(R"((module (func
    (block (result i32) (drop (block (result i64) unreachable (br_table 0 1 (i32.const 0)))) (i32.const 0))
    drop)))");
}

TEST(Validator, ReturnOfWrongTypeIsTypeMismatch) {
  expectInvalid("(module (func (result i32) (return (i64.const 1))))", "type mismatch");
}

TEST(Validator, CallOfUnknownFunctionNamesTheIndex) {
  expectInvalid("(module (func (call 7)))", "unknown function 7");
}

TEST(Validator, CallIndirectThroughExternrefTableIsTypeMismatch) {
  expectInvalid("(module (type $t (func)) (table 1 externref) (func (call_indirect (type $t) (i32.const 0))))",
                "type mismatch");
}

TEST(Validator, OperandStackBeyondTheLimitIsALimitError) {
  // Each call pushes 1000 results; 1100 calls would need 1.1M operand slots.
  std::string wat = "(module (func $f (result";
  for (int i = 0; i < 1000; ++i) wat += " i32";
  wat += ") unreachable) (func";
  for (int i = 0; i < 1100; ++i) wat += " (call $f)";
  wat += "))";
  auto v = validateWat(wat);
  ASSERT_FALSE(v.result);
  EXPECT_EQ(v.result.error().kind, ErrorKind::Limit) << v.result.error().toString();
}

// ---- parametric and variable instructions ----------------------------------------------

TEST(Validator, UntypedSelectOfReferencesIsTypeMismatch) {
  expectInvalid(R"((module (func (param funcref funcref) (result funcref)
    (select (local.get 0) (local.get 1) (i32.const 1)))))",
                "type mismatch");
}

TEST(Validator, TypedSelectOfReferencesIsValid) {
  expectValid(R"((module (func (param funcref funcref) (result funcref)
    (select (result funcref) (local.get 0) (local.get 1) (i32.const 1)))))");
}

TEST(Validator, TypedSelectWithTwoResultTypesIsInvalidResultArity) {
  expectInvalid(R"((module (func (result i32)
    (select (result i32 i32) (i32.const 0) (i32.const 1) (i32.const 1)))))",
                "invalid result arity");
}

TEST(Validator, UnknownLocalNamesTheIndex) {
  expectInvalid("(module (func (param i32) (local i64) (drop (local.get 2))))", "unknown local 2");
}

TEST(Validator, LocalSetChecksTheLocalType) {
  expectInvalid("(module (func (local f32) (local.set 0 (i32.const 0))))", "type mismatch");
}

// The AST allows any local count below 2^32 (our decoder caps it at 50000, as engines do);
// large declarations are looked up by run rather than expanded. Built by hand to exceed the
// decoder's cap: locals are (i32) (100000 x i64) (f32), so index 100001 is the f32.
Module manyLocalsModule(std::initializer_list<uint8_t> body) {
  Module m;
  m.types.push_back(FuncType{{}, {ValType::I64}});
  m.bytes.assign(body);
  Function f;
  f.type = TypeIdx(0);
  f.locals = {{1, ValType::I32}, {100000, ValType::I64}, {1, ValType::F32}};
  f.numLocals = 100002;
  f.body = CodeRange{0, static_cast<uint32_t>(m.bytes.size())};
  m.functions.push_back(f);
  m.funcSpace.push_back(TypeIdx(0));
  return m;
}

TEST(Validator, LocalsOfLargeDeclarationsHaveTheirDeclaredTypes) {
  Module m = manyLocalsModule({
      0x42, 0x01, 0x21, 0xa0, 0x8d, 0x06,  // (local.set 100000 (i64.const 1))
      0x20, 0xa1, 0x8d, 0x06, 0x8c, 0x1a,  // (drop (f32.neg (local.get 100001)))
      0x20, 0x01, 0x0b,                    // (local.get 1) end
  });
  auto r = validateModule(m);
  EXPECT_TRUE(r) << r.error().toString();
}

TEST(Validator, LocalBeyondLargeDeclarationsIsUnknown) {
  Module m = manyLocalsModule({0x20, 0xa2, 0x8d, 0x06, 0x0b});  // (local.get 100002) end
  auto r = validateModule(m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "unknown local 100002");
}

TEST(Validator, SetOfImmutableGlobalIsInvalid) {
  expectInvalid("(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))", "global is immutable");
}

TEST(Validator, UnknownGlobalNamesTheIndex) {
  expectInvalid("(module (func (result i32) (global.get 3)))", "unknown global 3");
}

// ---- memory and vector immediates -------------------------------------------------------

TEST(Validator, AlignmentAboveNaturalIsInvalid) {
  expectInvalid("(module (memory 1) (func (drop (i32.load16_s align=4 (i32.const 0)))))",
                "alignment must not be larger than natural");
}

TEST(Validator, NaturalAlignmentIsValid) {
  expectValid("(module (memory 1) (func (drop (i64.load align=8 (i32.const 0)))))");
}

TEST(Validator, MemoryInstructionWithoutMemoryIsUnknownMemory) {
  expectInvalid("(module (func (result i32) (memory.size)))", "unknown memory 0");
}

TEST(Validator, MemoryInitOfMissingSegmentIsUnknownDataSegment) {
  expectInvalid(R"((module (memory 1) (data "x")
    (func (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 0)))))",
                "unknown data segment 1");
}

TEST(Validator, ExtractLaneBeyondLaneCountIsInvalidLaneIndex) {
  expectInvalid("(module (func (result i32) (i32x4.extract_lane 4 (v128.const i64x2 0 0))))", "invalid lane index");
}

TEST(Validator, LoadLaneBeyondLaneCountIsInvalidLaneIndex) {
  expectInvalid(R"((module (memory 1) (func (result v128)
    (v128.load32_lane 4 (i32.const 0) (v128.const i64x2 0 0)))))",
                "invalid lane index");
}

TEST(Validator, ShuffleLaneAbove31IsInvalidLaneIndex) {
  expectInvalid(R"((module (func (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32 (v128.const i64x2 0 0) (v128.const i64x2 0 0)))))",
                "invalid lane index");
}

// ---- tables and references --------------------------------------------------------------

TEST(Validator, TableGetYieldsTheTableElementType) {
  expectValid("(module (table 1 funcref) (table 2 externref) (func (result externref) (table.get 1 (i32.const 0))))");
}

TEST(Validator, TableOpOnMissingTableIsUnknownTable) {
  expectInvalid("(module (func (drop (table.size 0))))", "unknown table 0");
}

TEST(Validator, ElemDropOfMissingSegmentIsUnknownElemSegment) {
  expectInvalid("(module (table 1 funcref) (func (elem.drop 4)))", "unknown elem segment 4");
}

TEST(Validator, TableInitFromSegmentOfOtherTypeIsTypeMismatch) {
  expectInvalid(R"((module (table 1 externref) (elem funcref (ref.null func))
    (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0)))))",
                "type mismatch");
}

TEST(Validator, RefIsNullOfNumberIsTypeMismatch) {
  expectInvalid("(module (func (result i32) (ref.is_null (i32.const 0))))", "type mismatch");
}

TEST(Validator, RefFuncOfUndeclaredFunctionIsInvalid) {
  expectInvalid("(module (func $f) (func (result funcref) (ref.func $f)))", "undeclared function reference");
}

TEST(Validator, RefFuncDeclaredByDeclarativeSegmentIsValid) {
  expectValid("(module (func $f) (elem declare func $f) (func (result funcref) (ref.func $f)))");
}

TEST(Validator, RefFuncDeclaredByExportIsValid) {
  expectValid(R"((module (func $f (export "f")) (func (result funcref) (ref.func $f))))");
}

TEST(Validator, RefFuncDeclaredByGlobalInitializerIsValid) {
  expectValid("(module (func $f) (global funcref (ref.func $f)) (func (result funcref) (ref.func $f)))");
}

}  // namespace
}  // namespace bantam::wasm
