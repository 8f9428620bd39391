// Section contents (§5.5.4-§5.5.14): types, imports and the index spaces, tables, memories,
// globals, exports, start, element and data segments.
#include "decoder_test_util.h"

namespace bantam::wasm::test {
namespace {

constexpr uint8_t kI32 = 0x7f, kI64 = 0x7e, kF32 = 0x7d, kF64 = 0x7c, kV128 = 0x7b;
constexpr uint8_t kFuncRef = 0x70, kExternRef = 0x6f;

TEST(Decoder, FunctionTypesDecode) {
  Bytes t = cat({{0x60}, vec({{kI32}, {kI64}, {kV128}}), vec({{kF32}, {kF64}, {kExternRef}})});
  auto m = decode(module({section(kType, vec({t, kVoidType}))}));
  ASSERT_TRUE(decodes(m));
  ASSERT_EQ(m->types.size(), 2u);
  EXPECT_EQ(m->types[0].params, (std::vector<ValType>{ValType::I32, ValType::I64, ValType::V128}));
  EXPECT_EQ(m->types[0].results, (std::vector<ValType>{ValType::F32, ValType::F64, ValType::ExternRef}));
  EXPECT_TRUE(m->types[1].params.empty());
}

TEST(Decoder, FunctionTypeFormOtherThan0x60IsMalformed) {
  EXPECT_TRUE(isMalformed(decode(module({section(kType, vec({{0x61, 0x00, 0x00}}))})), "malformed function type"));
}

TEST(Decoder, UnknownValueTypeIsMalformed) {
  EXPECT_TRUE(isMalformed(decode(module({section(kType, vec({{0x60, 0x01, 0x40, 0x00}}))})), "malformed"));
}

TEST(Decoder, ImportsOfEveryKindDecode) {
  Bytes imports = vec({
      cat({name("m"), name("f"), {0x00}, u32(0)}),
      cat({name("m"), name("t"), {0x01, kFuncRef, 0x01}, u32(1), u32(10)}),
      cat({name("m"), name("mem"), {0x02, 0x00}, u32(2)}),
      cat({name("m"), name("g"), {0x03, kI64, 0x01}}),
      cat({name("m"), name("f2"), {0x00}, u32(0)}),
  });
  auto m = decode(module({section(kType, vec({kVoidType})), section(kImport, imports)}));
  ASSERT_TRUE(decodes(m));
  ASSERT_EQ(m->imports.size(), 5u);
  EXPECT_EQ(m->imports[1].kind, ExternKind::Table);
  EXPECT_EQ(m->imports[1].table, (TableType{ValType::FuncRef, Limits{1, 10}}));
  EXPECT_EQ(m->imports[2].memory, (MemoryType{Limits{2, std::nullopt}}));
  EXPECT_EQ(m->imports[3].global, (GlobalType{ValType::I64, true}));
  EXPECT_EQ(m->numImportedFuncs, 2u);
  EXPECT_EQ(m->numImportedTables, 1u);
  EXPECT_EQ(m->numImportedMemories, 1u);
  EXPECT_EQ(m->numImportedGlobals, 1u);
}

TEST(Decoder, ImportKindAbove3IsMalformed) {
  EXPECT_TRUE(isMalformed(decode(module({section(kImport, cat({u32(1), name(""), name(""), {0x04}}))})),
                          "malformed import kind"));
}

TEST(Decoder, ImportNamesMustBeUtf8) {
  // An overlong encoding of '/' (0xc0 0xaf).
  EXPECT_TRUE(isMalformed(decode(module({section(kImport, cat({u32(1), {0x02, 0xc0, 0xaf}, name("x"), {0x00, 0x00}}))})),
                          "malformed UTF-8 encoding"));
}

TEST(Decoder, IndexSpacesListImportsBeforeDefinitions) {
  Bytes types = vec({kVoidType, {0x60, 0x01, kI32, 0x00}});
  Bytes imports = vec({cat({name("m"), name("f"), {0x00}, u32(1)}),
                       cat({name("m"), name("t"), {0x01, kExternRef, 0x00}, u32(0)}),
                       cat({name("m"), name("g"), {0x03, kI32, 0x00}})});
  Bytes globals = vec({cat({{kF32, 0x01}, {0x43, 0, 0, 0, 0}, kEnd})});
  auto m = decode(module({section(kType, types), section(kImport, imports), section(kFunction, vec({u32(0), u32(1)})),
                          section(kTable, vec({{kFuncRef, 0x00, 0x05}})), section(kMemory, vec({{0x00, 0x01}})),
                          section(kGlobal, globals), section(kCode, vec({body({}, kEnd), body({}, kEnd)}))}));
  ASSERT_TRUE(decodes(m));
  ASSERT_EQ(m->funcSpace.size(), 3u);
  EXPECT_EQ(m->funcSpace[0], TypeIdx(1));  // the import
  EXPECT_EQ(m->funcSpace[1], TypeIdx(0));
  EXPECT_EQ(m->funcSpace[2], TypeIdx(1));
  EXPECT_EQ(m->functions[1].type, TypeIdx(1));
  EXPECT_EQ(m->funcType(FuncIdx(0)).params, (std::vector<ValType>{ValType::I32}));
  EXPECT_TRUE(m->isImportedFunc(FuncIdx(0)));
  EXPECT_FALSE(m->isImportedFunc(FuncIdx(1)));
  ASSERT_EQ(m->tableSpace.size(), 2u);
  EXPECT_EQ(m->tableSpace[0].elemType, ValType::ExternRef);
  EXPECT_EQ(m->tableSpace[1].limits.min, 5u);
  ASSERT_EQ(m->memorySpace.size(), 1u);
  EXPECT_EQ(m->numImportedMemories, 0u);
  ASSERT_EQ(m->globalSpace.size(), 2u);
  EXPECT_EQ(m->globalSpace[0], (GlobalType{ValType::I32, false}));
  EXPECT_EQ(m->globalSpace[1], (GlobalType{ValType::F32, true}));
}

TEST(Decoder, OutOfRangeIndicesAreLeftToTheValidator) {
  // Type index 7 does not exist: invalid, not malformed.
  auto m = decode(module({section(kFunction, vec({u32(7)})), section(kCode, vec({body({}, kEnd)}))}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->functions[0].type, TypeIdx(7));
}

TEST(Decoder, LimitsFlagAbove1IsTooLarge) {
  EXPECT_TRUE(isMalformed(decode(module({section(kMemory, vec({{0x02, 0x00}}))})), "integer too large"));
  EXPECT_TRUE(isMalformed(decode(module({section(kTable, vec({{kFuncRef, 0x02, 0x00}}))})), "integer too large"));
}

TEST(Decoder, LimitsWithMaximumDecode) {
  auto m = decode(module({section(kMemory, vec({cat({{0x01}, u32(1), u32(65536)})}))}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->memories[0].limits, (Limits{1, 65536}));
}

TEST(Decoder, TableElementTypeMustBeAReferenceType) {
  EXPECT_TRUE(isMalformed(decode(module({section(kTable, vec({{kI32, 0x00, 0x00}}))})), "malformed reference type"));
}

TEST(Decoder, GlobalMutabilityAbove1IsMalformed) {
  EXPECT_TRUE(isMalformed(decode(module({section(kGlobal, vec({cat({{kI32, 0x02}, i32Const(0), kEnd})}))})),
                          "malformed mutability"));
}

TEST(Decoder, GlobalInitializerIsKeptAsARange) {
  Bytes init = cat({i32Const(-5), kEnd});
  auto m = decode(module({section(kGlobal, vec({cat({{kI32, 0x00}, init})}))}));
  ASSERT_TRUE(decodes(m));
  auto r = m->range(m->globals[0].init);
  EXPECT_EQ(Bytes(r.begin(), r.end()), init);
}

TEST(Decoder, ConstantExpressionWithoutEndIsMalformed) {
  // The expression runs into the next section's id (0x0a), which is no instruction.
  Bytes m = module({{kGlobal, 0x05, 0x01, kI32, 0x00, 0x41, 0x00}, section(kCode, vec({}))});
  EXPECT_TRUE(isMalformed(decode(m), "illegal opcode"));
}

TEST(Decoder, ExportsDecode) {
  Bytes exports = vec({cat({name("f"), {0x00}, u32(0)}), cat({name("mem"), {0x02}, u32(0)})});
  auto m = decode(module({section(kExport, exports)}));
  ASSERT_TRUE(decodes(m));
  ASSERT_EQ(m->exports.size(), 2u);
  EXPECT_EQ(m->exports[1].name, "mem");
  EXPECT_EQ(m->exports[1].kind, ExternKind::Memory);
}

TEST(Decoder, ExportKindAbove3IsMalformed) {
  EXPECT_TRUE(isMalformed(decode(module({section(kExport, vec({cat({name("x"), {0x04}, u32(0)})}))})),
                          "malformed export kind"));
}

TEST(Decoder, StartSectionDecodes) {
  auto m = decode(module({section(kStart, u32(3))}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->start, FuncIdx(3));
}

// Element segments (§5.5.12): flags 0-7.
Result<Module> decodeElem(const Bytes& segment) { return decode(module({section(kElement, vec({segment}))})); }

TEST(Decoder, ElemForm0IsActiveOnTable0WithFunctionIndices) {
  auto m = decodeElem(cat({u32(0), i32Const(1), kEnd, vec({u32(4), u32(5)})}));
  ASSERT_TRUE(decodes(m));
  const ElemSegment& e = m->elems[0];
  EXPECT_EQ(e.mode, SegmentMode::Active);
  EXPECT_EQ(e.table, TableIdx(0));
  EXPECT_EQ(e.type, ValType::FuncRef);
  EXPECT_FALSE(e.usesExprs);
  EXPECT_EQ(e.funcIndices, (std::vector<uint32_t>{4, 5}));
  EXPECT_EQ(e.offset.size, 3u);
}

TEST(Decoder, ElemForm1IsPassiveWithElemKind) {
  auto m = decodeElem(cat({u32(1), {0x00}, vec({u32(2)})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Passive);
  EXPECT_EQ(m->elems[0].size(), 1u);
}

TEST(Decoder, ElemForm2HasAnExplicitTable) {
  auto m = decodeElem(cat({u32(2), u32(3), i32Const(0), kEnd, {0x00}, vec({u32(1)})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Active);
  EXPECT_EQ(m->elems[0].table, TableIdx(3));
}

TEST(Decoder, ElemForm3IsDeclarative) {
  auto m = decodeElem(cat({u32(3), {0x00}, vec({u32(0)})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Declarative);
}

TEST(Decoder, ElemForm4HasExpressions) {
  Bytes refFunc = {0xd2, 0x00, 0x0b}, refNull = {0xd0, kFuncRef, 0x0b};
  auto m = decodeElem(cat({u32(4), i32Const(0), kEnd, vec({refFunc, refNull})}));
  ASSERT_TRUE(decodes(m));
  const ElemSegment& e = m->elems[0];
  EXPECT_TRUE(e.usesExprs);
  EXPECT_EQ(e.type, ValType::FuncRef);
  ASSERT_EQ(e.exprs.size(), 2u);
  auto r = m->range(e.exprs[1]);
  EXPECT_EQ(Bytes(r.begin(), r.end()), refNull);
}

TEST(Decoder, ElemForm5IsPassiveWithAReferenceType) {
  auto m = decodeElem(cat({u32(5), {kExternRef}, vec({{0xd0, kExternRef, 0x0b}})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Passive);
  EXPECT_EQ(m->elems[0].type, ValType::ExternRef);
}

TEST(Decoder, ElemForm6HasTableAndReferenceType) {
  auto m = decodeElem(cat({u32(6), u32(1), i32Const(0), kEnd, {kFuncRef}, vec({{0xd2, 0x01, 0x0b}})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->elems[0].table, TableIdx(1));
  EXPECT_TRUE(m->elems[0].usesExprs);
}

TEST(Decoder, ElemForm7IsDeclarativeWithExpressions) {
  auto m = decodeElem(cat({u32(7), {kFuncRef}, vec({{0xd2, 0x00, 0x0b}})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Declarative);
  EXPECT_TRUE(m->elems[0].usesExprs);
}

TEST(Decoder, ElemFlagsAbove7AreMalformed) {
  EXPECT_TRUE(isMalformed(decodeElem(cat({u32(8), {0x00}, vec({})})), "malformed elements segment kind"));
}

TEST(Decoder, ElemKindOtherThanFuncrefIsMalformed) {
  EXPECT_TRUE(isMalformed(decodeElem(cat({u32(1), {0x01}, vec({})})), "malformed element kind"));
}

TEST(Decoder, ElemExpressionTypeMustBeAReferenceType) {
  EXPECT_TRUE(isMalformed(decodeElem(cat({u32(5), {kI32}, vec({{0xd2, 0x00, 0x0b}})})), "malformed reference type"));
}

// Data segments (§5.5.14): flags 0-2.
Result<Module> decodeData(const Bytes& segment) { return decode(module({section(kData, vec({segment}))})); }

TEST(Decoder, DataForm0IsActiveOnMemory0) {
  auto m = decodeData(cat({u32(0), i32Const(8), kEnd, vec({{'h'}, {'i'}})}));
  ASSERT_TRUE(decodes(m));
  const DataSegment& d = m->datas[0];
  EXPECT_EQ(d.mode, SegmentMode::Active);
  EXPECT_EQ(d.memory, MemIdx(0));
  auto bytes = m->range(d.bytes);
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), "hi");
}

TEST(Decoder, DataForm1IsPassive) {
  auto m = decodeData(cat({u32(1), vec({{0x2a}})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->datas[0].mode, SegmentMode::Passive);
  EXPECT_EQ(m->datas[0].bytes.size, 1u);
}

TEST(Decoder, DataForm2HasAnExplicitMemory) {
  auto m = decodeData(cat({u32(2), u32(1), i32Const(0), kEnd, vec({})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->datas[0].memory, MemIdx(1));
}

TEST(Decoder, DataFlagsAbove2AreMalformed) {
  EXPECT_TRUE(isMalformed(decodeData(cat({u32(3), vec({})})), "malformed data segment kind"));
}

TEST(Decoder, DataPayloadBeyondModuleIsLengthOutOfBounds) {
  EXPECT_TRUE(isMalformed(decodeData(cat({u32(1), u32(100), {1, 2}})), "length out of bounds"));
}

}  // namespace
}  // namespace bantam::wasm::test
