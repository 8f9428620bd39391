// Module-level validation (§3.4): limits, memories and tables, constant expressions, element
// and data segments, exports and the start function. Modules are written in WAT and built
// with our own text parser.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "wasm/decoder/decoder.h"
#include "wasm/text/wat.h"
#include "wasm/validator/validator.h"

namespace bantam::wasm {
namespace {

// Parses, decodes and validates; parsing and decoding must succeed, as these tests are
// about validation only.
Result<void> validateWat(std::string_view wat) {
  auto bytes = text::parseWat(wat);
  if (!bytes) {
    ADD_FAILURE() << "parse: " << bytes.error().toString();
    return std::unexpected(bytes.error());
  }
  auto module = decodeModule(*bytes);
  if (!module) {
    ADD_FAILURE() << "decode: " << module.error().toString();
    return std::unexpected(module.error());
  }
  return validateModule(*module);
}

void expectValid(std::string_view wat) {
  auto r = validateWat(wat);
  EXPECT_TRUE(r) << r.error().toString();
}

void expectInvalid(std::string_view wat, std::string_view message) {
  auto r = validateWat(wat);
  ASSERT_FALSE(r) << "expected \"" << message << "\"";
  EXPECT_EQ(r.error().kind, ErrorKind::Invalid);
  EXPECT_EQ(r.error().message, message);
}

// ---- memories, tables and limits --------------------------------------------------------

TEST(ValidatorModule, TwoMemoriesAreInvalid) {
  expectInvalid(R"((module (import "m" "mem" (memory 1)) (memory 1)))", "multiple memories");
}

TEST(ValidatorModule, TwoTablesAreValid) {
  expectValid("(module (table 1 funcref) (table 2 externref))");
}

TEST(ValidatorModule, MemoryAbove65536PagesIsInvalid) {
  expectInvalid("(module (memory 65537))", "memory size must be at most 65536 pages (4GiB)");
}

TEST(ValidatorModule, MemoryMaximumAbove65536PagesIsInvalid) {
  expectInvalid("(module (memory 0 65537))", "memory size must be at most 65536 pages (4GiB)");
}

TEST(ValidatorModule, MemoryOf65536PagesIsValid) {
  expectValid("(module (memory 65536 65536))");
}

TEST(ValidatorModule, LimitsMinimumAboveMaximumIsInvalid) {
  expectInvalid("(module (table 2 1 funcref))", "size minimum must not be greater than maximum");
}

TEST(ValidatorModule, ImportedMemoryLimitsAreChecked) {
  expectInvalid(R"((module (import "m" "mem" (memory 2 1))))", "size minimum must not be greater than maximum");
}

TEST(ValidatorModule, ImportOfUnknownTypeNamesTheIndex) {
  expectInvalid(R"((module (import "m" "f" (func (type 3)))))", "unknown type 3");
}

TEST(ValidatorModule, FunctionTypeWithMoreThan1000ParamsIsALimitError) {
  std::string wat = "(module (type (func (param";
  for (int i = 0; i < 1001; ++i) wat += " i32";
  wat += "))))";
  auto r = validateWat(wat);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Limit) << r.error().toString();
}

TEST(ValidatorModule, FunctionTypeWith1000ResultsIsValid) {
  std::string wat = "(module (type (func (result";
  for (int i = 0; i < 1000; ++i) wat += " i64";
  wat += "))))";
  expectValid(wat);
}

// ---- constant expressions ---------------------------------------------------------------

TEST(ValidatorModule, OperatorInConstantExpressionIsInvalid) {
  expectInvalid("(module (global i32 (i32.add (i32.const 1) (i32.const 2))))", "constant expression required");
}

TEST(ValidatorModule, ConstantExpressionOfWrongTypeIsTypeMismatch) {
  expectInvalid("(module (global i64 (i32.const 0)))", "type mismatch");
}

TEST(ValidatorModule, ConstantExpressionWithTwoValuesIsTypeMismatch) {
  expectInvalid("(module (global i32 (i32.const 0) (i32.const 1)))", "type mismatch");
}

TEST(ValidatorModule, EmptyConstantExpressionIsTypeMismatch) {
  expectInvalid("(module (global i32))", "type mismatch");
}

TEST(ValidatorModule, ConstantExpressionSeesOnlyImportedGlobals) {
  expectInvalid("(module (global i32 (i32.const 0)) (global i32 (global.get 0)))", "unknown global 0");
}

TEST(ValidatorModule, ConstantExpressionMayReadImmutableImportedGlobal) {
  expectValid(R"((module (import "m" "g" (global i32)) (global i32 (global.get 0))))");
}

TEST(ValidatorModule, ConstantExpressionMayNotReadMutableGlobal) {
  expectInvalid(R"((module (import "m" "g" (global (mut i32))) (global i32 (global.get 0))))",
                "constant expression required");
}

TEST(ValidatorModule, RefFuncInConstantExpressionMustNameAFunction) {
  expectInvalid("(module (global funcref (ref.func 2)))", "unknown function 2");
}

// ---- element and data segments ----------------------------------------------------------

TEST(ValidatorModule, ActiveElementSegmentForMissingTableIsUnknownTable) {
  expectInvalid("(module (func $f) (elem (i32.const 0) $f))", "unknown table 0");
}

TEST(ValidatorModule, ElementSegmentOfOtherTypeThanItsTableIsTypeMismatch) {
  expectInvalid("(module (table 1 externref) (func $f) (elem (table 0) (i32.const 0) func $f))", "type mismatch");
}

TEST(ValidatorModule, ElementSegmentOffsetMustBeI32) {
  expectInvalid("(module (table 1 funcref) (func $f) (elem (i64.const 0) $f))", "type mismatch");
}

TEST(ValidatorModule, ElementExpressionMustMatchSegmentType) {
  expectInvalid("(module (elem externref (ref.null func)))", "type mismatch");
}

TEST(ValidatorModule, ElementSegmentOfUnknownFunctionNamesTheIndex) {
  expectInvalid("(module (table 1 funcref) (elem (i32.const 0) 4))", "unknown function 4");
}

TEST(ValidatorModule, ActiveDataSegmentWithoutMemoryIsUnknownMemory) {
  expectInvalid(R"((module (data (i32.const 0) "x")))", "unknown memory 0");
}

TEST(ValidatorModule, PassiveDataSegmentNeedsNoMemory) {
  expectValid(R"((module (data "x")))");
}

// ---- exports and start ------------------------------------------------------------------

TEST(ValidatorModule, DuplicateExportNameIsInvalid) {
  expectInvalid(R"((module (func) (export "a" (func 0)) (export "a" (func 0))))", "duplicate export name");
}

TEST(ValidatorModule, ExportOfUnknownGlobalNamesTheIndex) {
  expectInvalid(R"((module (export "g" (global 1))))", "unknown global 1");
}

TEST(ValidatorModule, StartFunctionWithParamsIsInvalid) {
  expectInvalid("(module (func $f (param i32)) (start $f))", "start function");
}

TEST(ValidatorModule, StartFunctionWithResultsIsInvalid) {
  expectInvalid("(module (func $f (result i32) (i32.const 0)) (start $f))", "start function");
}

TEST(ValidatorModule, UnknownStartFunctionNamesTheIndex) {
  expectInvalid("(module (start 3))", "unknown function 3");
}

}  // namespace
}  // namespace bantam::wasm
