// The code section (§5.5.13) and instruction streams (§5.4): locals, body ranges, block
// structure, malformed instructions, the data count requirement.
#include "decoder_test_util.h"

namespace bantam::wasm::test {
namespace {

constexpr uint8_t kI32 = 0x7f, kI64 = 0x7e, kF64 = 0x7c;

TEST(Decoder, LocalsAreRunLengthDeclarations) {
  auto m = decode(oneFunction(body({{2, kI32}, {0, kI64}, {3, kF64}}, kEnd)));
  ASSERT_TRUE(decodes(m));
  const Function& f = m->functions[0];
  ASSERT_EQ(f.locals.size(), 3u);
  EXPECT_EQ(f.locals[2].count, 3u);
  EXPECT_EQ(f.locals[2].type, ValType::F64);
  EXPECT_EQ(f.numLocals, 5u);
}

TEST(Decoder, BodyStartsAfterLocalsAndIncludesTheFinalEnd) {
  Bytes instrs = cat({i32Const(7), {0x1a}, kEnd});
  Bytes m = oneFunction(body({{1, kI32}}, instrs));
  auto r = decode(m);
  ASSERT_TRUE(decodes(r));
  const Function& f = r->functions[0];
  auto b = r->range(f.body);
  EXPECT_EQ(Bytes(b.begin(), b.end()), instrs);
  EXPECT_EQ(f.body.offset + f.body.size, m.size());
  EXPECT_EQ(m[f.entryOffset], f.body.size + 3);  // the entry's size field: 3 bytes of locals
}

TEST(Decoder, BodyIsARangeOfTheModulesOwnCopy) {
  Bytes m = oneFunction(body({}, kEnd));
  auto r = decode(m);
  ASSERT_TRUE(decodes(r));
  EXPECT_EQ(r->bytes, m);
  EXPECT_EQ(r->range(r->functions[0].body).data(), r->bytes.data() + r->functions[0].body.offset);
}

TEST(Decoder, LocalCountAboveU32IsTooLarge) {
  Bytes entry = cat({u32(9), {0x01}, {0x80, 0x80, 0x80, 0x80, 0x10, kI32}, kEnd});
  EXPECT_TRUE(isMalformed(decode(oneFunction(entry)), "integer too large"));
}

TEST(Decoder, TooManyLocalsIsMalformed) {
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({{0xffffffff, kI32}, {2, kI64}}, kEnd))), "too many locals"));
  // The cap is on the total, not on each declaration.
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({{30000, kI32}, {30000, kI64}}, kEnd))), "too many locals"));
}

TEST(Decoder, FiftyThousandLocalsAreAllowed) {
  auto m = decode(oneFunction(body({{25000, kI32}, {25000, kI64}}, kEnd)));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->functions[0].numLocals, 50000u);
}

TEST(Decoder, MissingEndBeforeNextFunctionIsEndExpected) {
  // Function 0 has no `end`; its reading runs on into function 1, whose size byte 0x05
  // reads as a stray `else`.
  Bytes m = module({section(kType, vec({kVoidType})), section(kFunction, vec({{0x00}, {0x00}})),
                    section(kCode, cat({u32(2), {0x04, 0x00, 0x41, 0x01, 0x1a}, {0x05, 0x00, 0x41, 0x01, 0x1a, 0x0b}}))});
  EXPECT_TRUE(isMalformed(decode(m), "END opcode expected"));
}

TEST(Decoder, MissingEndAtEndOfModuleIsUnexpectedEnd) {
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, {0x41, 0x01, 0x1a}))), "unexpected end of section or function"));
}

TEST(Decoder, BytesAfterTheFinalEndAreSizeMismatch) {
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, {0x0b, 0x01}))), "section size mismatch"));
}

TEST(Decoder, UnclosedBlockAtEndOfModuleIsUnexpectedEnd) {
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, {0x02, 0x40, 0x0b}))), "unexpected end"));
}

TEST(Decoder, NestedBlocksDecode) {
  // block, loop, if/else, each closed; then the function's end.
  Bytes instrs = {0x02, 0x40, 0x03, 0x40, 0x41, 0x01, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, 0x0b, 0x0b, 0x0b};
  EXPECT_TRUE(decodes(decode(oneFunction(body({}, instrs)))));
}

TEST(Decoder, ElseOutsideIfIsEndExpected) {
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, {0x05, 0x0b}))), "END opcode expected"));
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, {0x02, 0x40, 0x05, 0x0b, 0x0b}))), "END opcode expected"));
}

TEST(Decoder, SecondElseIsEndExpected) {
  Bytes instrs = {0x41, 0x01, 0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b};
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, instrs))), "END opcode expected"));
}

TEST(Decoder, IllegalOpcodeIsMalformedAtItsOffset) {
  Bytes m = oneFunction(body({}, {0x01, 0x06, 0x0b}));
  auto r = decode(m);
  ASSERT_TRUE(isMalformed(r, "illegal opcode"));
  EXPECT_EQ(r.error().offset, m.size() - 2);
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, {0xfc, 0x7f, 0x0b}))), "illegal opcode"));
}

TEST(Decoder, MemorySizeReservedByteMustBeZero) {
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, {0x3f, 0x01, 0x1a, 0x0b}))), "zero byte expected"));
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, {0x3f, 0x80, 0x00, 0x1a, 0x0b}))), "zero byte expected"));
}

TEST(Decoder, AlignmentExponentOf32IsMalformedMemopFlags) {
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, {0x41, 0x00, 0x28, 0x20, 0x00, 0x1a, 0x0b}))),
                          "malformed memop flags"));
  // Exponent 31 is structurally fine; the validator rejects it.
  EXPECT_TRUE(decodes(decode(oneFunction(body({}, {0x41, 0x00, 0x28, 0x1f, 0x00, 0x1a, 0x0b})))));
}

TEST(Decoder, MemoryInitWithoutDataCountIsMalformed) {
  Bytes instrs = {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b};
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, instrs))), "data count section required"));
}

TEST(Decoder, DataDropWithoutDataCountIsMalformed) {
  EXPECT_TRUE(isMalformed(decode(oneFunction(body({}, {0xfc, 0x09, 0x00, 0x0b}))), "data count section required"));
}

TEST(Decoder, DataDropWithDataCountDecodes) {
  Bytes m = module({section(kType, vec({kVoidType})), section(kFunction, vec({{0x00}})), section(kDataCount, u32(1)),
                    section(kCode, vec({body({}, {0xfc, 0x09, 0x00, 0x0b})})), section(kData, vec({{0x01, 0x00}}))});
  EXPECT_TRUE(decodes(decode(m)));
}

TEST(Decoder, BodySizeBeyondModuleIsLengthOutOfBounds) {
  Bytes m = module({section(kType, vec({kVoidType})), section(kFunction, vec({{0x00}})),
                    section(kCode, cat({u32(1), u32(50), {0x00, 0x0b}}))});
  EXPECT_TRUE(isMalformed(decode(m), "length out of bounds"));
}

TEST(Decoder, ErrorsInBodiesNameTheFunction) {
  auto r = decode(oneFunction(body({}, {0x06, 0x0b})));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().context, "in function 0");
}

TEST(Decoder, EveryTruncationOfAValidModuleIsAnError) {
  // A module touching every section; each proper prefix must fail cleanly (no crash, an
  // offset inside the prefix), except the cuts between the leading sections and before the
  // trailing custom section, which leave a smaller module that is well-formed on its own.
  Bytes typeSec = section(kType, vec({kVoidType, {0x60, 0x01, kI32, 0x01, kI32}}));
  Bytes importSec = section(kImport, vec({cat({name("env"), name("f"), {0x00}, u32(1)})}));
  Bytes nameSec = section(kCustom, cat({name("name"), {0x01}, u32(6), vec({cat({u32(1), name("run")})})}));
  Bytes full = module({
      typeSec,
      importSec,
      section(kFunction, vec({u32(0), u32(1)})),
      section(kTable, vec({{0x70, 0x00, 0x02}})),
      section(kMemory, vec({{0x01, 0x01, 0x02}})),
      section(kGlobal, vec({cat({{kI32, 0x01}, i32Const(42), kEnd})})),
      section(kExport, vec({cat({name("run"), {0x00}, u32(1)}), cat({name("mem"), {0x02}, u32(0)})})),
      section(kStart, u32(1)),
      section(kElement, vec({cat({u32(0), i32Const(0), kEnd, vec({u32(1), u32(2)})})})),
      section(kDataCount, u32(1)),
      section(kCode, vec({body({{1, kI32}}, {0x02, 0x40, 0x20, 0x00, 0x0d, 0x00, 0x0b, 0xfc, 0x09, 0x00, 0x0b}),
                          body({}, {0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b})})),
      section(kData, vec({cat({u32(0), i32Const(16), kEnd, vec({{1}, {2}, {3}})})})),
      nameSec,
  });
  ASSERT_TRUE(decodes(decode(full)));
  const size_t wellFormedCuts[] = {8, 8 + typeSec.size(), 8 + typeSec.size() + importSec.size(),
                                   full.size() - nameSec.size()};
  for (size_t n = 0; n < full.size(); ++n) {
    auto r = decode(Bytes(full.begin(), full.begin() + n));
    if (std::find(std::begin(wellFormedCuts), std::end(wellFormedCuts), n) != std::end(wellFormedCuts)) {
      EXPECT_TRUE(decodes(r)) << "prefix " << n;
      continue;
    }
    ASSERT_FALSE(r) << "prefix " << n << " decoded";
    EXPECT_EQ(r.error().kind, ErrorKind::Malformed) << "prefix " << n;
    ASSERT_TRUE(r.error().offset.has_value()) << "prefix " << n;
    EXPECT_LE(*r.error().offset, n) << "prefix " << n;
  }
}

}  // namespace
}  // namespace bantam::wasm::test
