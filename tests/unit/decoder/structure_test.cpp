// Module structure (§5.5): header, section ids, order, sizes, LEB128 limits, the checks that
// relate sections (function/code counts, data count) and custom sections.
#include "decoder_test_util.h"

namespace bantam::wasm::test {
namespace {

TEST(Decoder, EmptyModuleDecodes) {
  auto m = decode(header());
  ASSERT_TRUE(decodes(m));
  EXPECT_TRUE(m->types.empty());
  EXPECT_TRUE(m->funcSpace.empty());
  EXPECT_EQ(m->bytes, header());
}

TEST(Decoder, TruncatedHeaderIsUnexpectedEnd) {
  EXPECT_TRUE(isMalformed(decode({}), "unexpected end"));
  EXPECT_TRUE(isMalformed(decode({0x00, 0x61, 0x73}), "unexpected end"));
  EXPECT_TRUE(isMalformed(decode({0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00}), "unexpected end"));
}

TEST(Decoder, WrongMagicIsMalformed) {
  EXPECT_TRUE(isMalformed(decode({'a', 's', 'm', 0x00}), "magic header not detected"));
  EXPECT_TRUE(isMalformed(decode({0x00, 'A', 'S', 'M', 0x01, 0x00, 0x00, 0x00}), "magic header not detected"));
}

TEST(Decoder, WrongVersionIsMalformed) {
  EXPECT_TRUE(isMalformed(decode({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}), "unknown binary version"));
  // The component model's layer-1 version is not a core module.
  EXPECT_TRUE(isMalformed(decode({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}), "unknown binary version"));
}

TEST(Decoder, UnknownSectionIdIsMalformed) {
  auto r = decode(module({{0x0d, 0x00}}));
  ASSERT_TRUE(isMalformed(r, "malformed section id"));
  EXPECT_EQ(r.error().offset, 8u);
  EXPECT_TRUE(isMalformed(decode(module({{0x80, 0x00}})), "malformed section id"));
}

TEST(Decoder, DuplicateSectionIsUnexpectedContent) {
  EXPECT_TRUE(isMalformed(decode(module({section(kType, vec({})), section(kType, vec({}))})),
                          "unexpected content after last section"));
}

TEST(Decoder, OutOfOrderSectionIsUnexpectedContent) {
  EXPECT_TRUE(isMalformed(decode(module({section(kImport, vec({})), section(kType, vec({}))})),
                          "unexpected content after last section"));
  EXPECT_TRUE(isMalformed(decode(module({section(kData, vec({})), section(kCode, vec({}))})),
                          "unexpected content after last section"));
}

TEST(Decoder, DataCountSectionGoesBetweenElementAndCode) {
  EXPECT_TRUE(decodes(decode(module({section(kElement, vec({})), section(kDataCount, u32(0)),
                                     section(kCode, vec({})), section(kData, vec({}))}))));
  EXPECT_TRUE(isMalformed(decode(module({section(kCode, vec({})), section(kDataCount, u32(0))})),
                          "unexpected content after last section"));
  EXPECT_TRUE(isMalformed(decode(module({section(kDataCount, u32(0)), section(kElement, vec({}))})),
                          "unexpected content after last section"));
}

TEST(Decoder, CustomSectionsMayAppearAnywhere) {
  Bytes custom = section(kCustom, name("x"));
  auto m = decode(module({custom, section(kType, vec({})), custom, section(kData, vec({})), custom}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->customs.size(), 3u);
}

TEST(Decoder, SectionSizeBeyondModuleIsLengthOutOfBounds) {
  EXPECT_TRUE(isMalformed(decode(module({{kType, 0x07, 0x01, 0x60, 0x00, 0x00}})), "length out of bounds"));
}

TEST(Decoder, SectionLongerThanItsContentIsSizeMismatch) {
  // One type declared, a second one's bytes still inside the section.
  EXPECT_TRUE(isMalformed(decode(module({section(kType, cat({u32(1), kVoidType, kVoidType}))})),
                          "section size mismatch"));
}

TEST(Decoder, SectionShorterThanItsContentIsMalformed) {
  // Two types declared, the section ends after one: like the reference decoder, the second
  // is read from the bytes that follow and the size is checked afterwards.
  Bytes m = module({{kType, 0x04, 0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00}});
  EXPECT_TRUE(isMalformed(decode(m), "section size mismatch"));
  // ... or from nothing at the end of the module.
  EXPECT_TRUE(isMalformed(decode(module({{kMemory, 0x01, 0x01}})), "unexpected end of section or function"));
}

TEST(Decoder, PaddedLebsAreAccepted) {
  // wasm-ld writes section sizes and counts as 5-byte LEB128 numbers.
  Bytes types = cat({u32(1, 5), kVoidType});
  Bytes m = cat({header(), {kType}, u32(types.size(), 5), types});
  auto r = decode(m);
  ASSERT_TRUE(decodes(r));
  EXPECT_EQ(r->types.size(), 1u);
}

TEST(Decoder, OverlongLebIsRepresentationTooLong) {
  Bytes m = cat({header(), {kType}, {0x81, 0x80, 0x80, 0x80, 0x80, 0x00}, {0x00}});
  EXPECT_TRUE(isMalformed(decode(m), "integer representation too long"));
}

TEST(Decoder, LebWithUnusedBitsSetIsTooLarge) {
  Bytes m = module({{kMemory, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x70}});
  EXPECT_TRUE(isMalformed(decode(m), "integer too large"));
}

TEST(Decoder, HugeVectorCountIsLengthOutOfBoundsWithoutAllocating) {
  Bytes m = module({section(kType, u32(0xffffffff))});
  EXPECT_TRUE(isMalformed(decode(m), "length out of bounds"));
}

TEST(Decoder, FunctionWithoutCodeIsInconsistent) {
  EXPECT_TRUE(isMalformed(decode(module({section(kType, vec({kVoidType})), section(kFunction, vec({{0x00}}))})),
                          "function and code section have inconsistent lengths"));
}

TEST(Decoder, CodeWithoutFunctionIsInconsistent) {
  EXPECT_TRUE(isMalformed(decode(module({section(kCode, vec({body({}, kEnd)}))})),
                          "function and code section have inconsistent lengths"));
}

TEST(Decoder, EmptyFunctionAndCodeSectionsAreConsistent) {
  EXPECT_TRUE(decodes(decode(module({section(kFunction, vec({}))}))));
  EXPECT_TRUE(decodes(decode(module({section(kCode, vec({}))}))));
}

TEST(Decoder, DataCountMismatchIsMalformed) {
  Bytes passive = cat({u32(1), vec({})});
  EXPECT_TRUE(isMalformed(decode(module({section(kDataCount, u32(3)), section(kData, vec({passive, passive}))})),
                          "data count and data section have inconsistent lengths"));
  EXPECT_TRUE(isMalformed(decode(module({section(kDataCount, u32(1))})),
                          "data count and data section have inconsistent lengths"));
}

TEST(Decoder, DataCountMatchingDataSectionDecodes) {
  Bytes passive = cat({u32(1), vec({})});
  auto m = decode(module({section(kDataCount, u32(2)), section(kData, vec({passive, passive}))}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->dataCount, 2u);
}

TEST(Decoder, CustomSectionKeepsNameAndContentRange) {
  Bytes content = cat({name("hello"), {1, 2, 3}});
  auto m = decode(module({section(kCustom, content)}));
  ASSERT_TRUE(decodes(m));
  ASSERT_EQ(m->customs.size(), 1u);
  EXPECT_EQ(m->customs[0].name, "hello");
  auto payload = m->range(m->customs[0].content);
  EXPECT_EQ(Bytes(payload.begin(), payload.end()), (Bytes{1, 2, 3}));
}

TEST(Decoder, CustomSectionNameMustBeUtf8) {
  EXPECT_TRUE(isMalformed(decode(module({section(kCustom, {0x01, 0x80})})), "malformed UTF-8 encoding"));
}

TEST(Decoder, CustomSectionWithoutRoomForItsNameIsUnexpectedEnd) {
  EXPECT_TRUE(isMalformed(decode(module({{kCustom, 0x00}})), "unexpected end"));
  // The name runs past the declared size into the next section.
  EXPECT_TRUE(isMalformed(decode(module({{kCustom, 0x01, 0x03, 'a', 'b', 'c'}})), "unexpected end"));
}

TEST(Decoder, ErrorOffsetsAreAbsolute) {
  // The import kind byte is at offset 8 (header) + 2 (section id, size) + 3 (count, two empty names).
  auto r = decode(module({section(kImport, {0x01, 0x00, 0x00, 0x07})}));
  ASSERT_TRUE(isMalformed(r, "malformed import kind"));
  EXPECT_EQ(r.error().offset, 13u);
}

}  // namespace
}  // namespace bantam::wasm::test
