// Tokens of the text format (§6.3): token boundaries, comments, strings and their escapes,
// and file:line:column positions.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wasm/text/lexer.h"

namespace bantam::wasm::text {
namespace {

struct Lexed {
  std::vector<TokenKind> kinds;
  std::vector<std::string> texts;
};

Lexed lex(std::string_view text) {
  SourceInfo src{text, "t.wat", 1, 1};
  auto tokens = tokenize(src);
  EXPECT_TRUE(tokens) << (tokens ? "" : tokens.error().toString());
  Lexed out;
  if (!tokens) return out;
  for (const Token& t : *tokens) {
    if (t.kind == TokenKind::Eof) break;
    out.kinds.push_back(t.kind);
    out.texts.emplace_back(text.substr(t.offset, t.size));
  }
  return out;
}

std::string decoded(std::string_view quoted) {
  std::string out, error;
  uint32_t at = 0;
  EXPECT_TRUE(decodeString(quoted, out, error, at)) << quoted << ": " << error;
  return out;
}

using K = TokenKind;

TEST(Lexer, ParenthesesDelimitTokens) {
  Lexed l = lex("(func(nop)nop)");
  EXPECT_EQ(l.kinds, (std::vector<K>{K::LParen, K::Keyword, K::LParen, K::Keyword, K::RParen,
                                     K::Keyword, K::RParen}));
  EXPECT_EQ(l.texts[1], "func");
}

TEST(Lexer, TokenKindsFollowTheGrammar) {
  Lexed l = lex("$x 42 -7 1.5 inf nan:0x1 \"s\" i32.add offset=8 0x 1x $ I32");
  EXPECT_EQ(l.kinds, (std::vector<K>{K::Id, K::Nat, K::Int, K::Float, K::Float, K::Float,
                                     K::String, K::Keyword, K::Keyword, K::Reserved,
                                     K::Reserved, K::Reserved, K::Reserved}));
}

TEST(Lexer, StringsGluedToOtherCharactersAreReserved) {
  // §6.3.2: tokens must be separated; "a"x or $l"a" is one reserved token.
  Lexed l = lex("$l\"a\" \"a\"\"b\" \"a\"0 data\"a\"");
  EXPECT_EQ(l.kinds, (std::vector<K>{K::Reserved, K::Reserved, K::Reserved, K::Reserved}));
}

TEST(Lexer, IdsMayContainDollarSigns) {
  Lexed l = lex("$l$l $l0");
  EXPECT_EQ(l.kinds, (std::vector<K>{K::Id, K::Id}));
  EXPECT_EQ(l.texts[0], "$l$l");
}

TEST(Lexer, LineCommentsEndAtLineFeedOrCarriageReturn) {
  Lexed l = lex("a ;; comment\nb ;; comment\rc ;;");
  EXPECT_EQ(l.texts, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Lexer, LineCommentDelimitsAToken) {
  Lexed l = lex("(func;;bla\n)");
  EXPECT_EQ(l.texts, (std::vector<std::string>{"(", "func", ")"}));
}

TEST(Lexer, BlockCommentsNest) {
  // A quote inside a comment starts no string.
  Lexed l = lex("a (; x (; y ;) z ;) b (;;) c (; \" ;) d");
  EXPECT_EQ(l.texts, (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(Lexer, UnclosedBlockCommentIsAnError) {
  SourceInfo src{"(module (; open", "t.wat", 1, 1};
  auto tokens = tokenize(src);
  ASSERT_FALSE(tokens);
  EXPECT_EQ(tokens.error().kind, ErrorKind::Parse);
  EXPECT_EQ(tokens.error().column, 9u);
}

TEST(Lexer, UnclosedStringIsAnError) {
  SourceInfo src{"(data \"abc", "t.wat", 1, 1};
  EXPECT_FALSE(tokenize(src));
}

TEST(Lexer, AnnotationsAreSkipped) {
  Lexed l = lex("(module (@name \"m\" (nested \")\")) (func))");
  EXPECT_EQ(l.texts, (std::vector<std::string>{"(", "module", "(", "func", ")", ")"}));
}

TEST(Lexer, AnnotationsNeedAnIdAndLegalCharacters) {
  for (std::string_view bad : {"(@)", "(@ x)", "(@\"\")", "(@a \x01)", "(@a \xff)", "(@a (b)"}) {
    SourceInfo src{bad, "t.wat", 1, 1};
    EXPECT_FALSE(tokenize(src)) << bad;
  }
  SourceInfo src{"(@a \"\xc3\xa9\" x-y$z \t\r\n)", "t.wat", 1, 1};
  EXPECT_TRUE(tokenize(src));
}

TEST(Lexer, IllegalCharactersAreFoundOutsideStrings) {
  EXPECT_EQ(illegalCharacter("abc"), std::nullopt);
  EXPECT_EQ(illegalCharacter("a\"\xc3\xa9\"b"), std::nullopt);  // UTF-8 inside a string
  auto ctrl = illegalCharacter("ab\x01");
  ASSERT_TRUE(ctrl);
  EXPECT_EQ(ctrl->offset, 2u);
  EXPECT_STREQ(ctrl->message, "illegal character");
  auto nonAscii = illegalCharacter("x\xc3\xa9");
  ASSERT_TRUE(nonAscii);
  EXPECT_STREQ(nonAscii->message, "illegal character");
  auto badUtf8 = illegalCharacter("x\xff");
  ASSERT_TRUE(badUtf8);
  EXPECT_STREQ(badUtf8->message, "malformed UTF-8 encoding");
}

TEST(Lexer, RawStringCharactersMustBeValidUtf8) {
  std::string out, error;
  uint32_t at = 0;
  EXPECT_FALSE(decodeString("\"ab\xff\"", out, error, at));
  EXPECT_EQ(error, "malformed UTF-8 encoding");
  EXPECT_EQ(at, 3u);
  EXPECT_TRUE(decodeString("\"\\ff\"", out, error, at));  // escaped bytes may be anything
  EXPECT_EQ(out, "\xff");
}

TEST(Lexer, ParenthesesAreMatched) {
  SourceInfo src{"(a (b) c)", "t.wat", 1, 1};
  auto tokens = tokenize(src);
  ASSERT_TRUE(tokens);
  EXPECT_EQ((*tokens)[0].match, 6u);
  EXPECT_EQ((*tokens)[2].match, 4u);
}

TEST(Lexer, StringEscapesAreResolved) {
  EXPECT_EQ(decoded(R"("a\tb\nc\rd\"e\'f\\g")"), "a\tb\nc\rd\"e'f\\g");
  EXPECT_EQ(decoded(R"("\00\ff\7F")"), std::string("\x00\xff\x7f", 3));
  EXPECT_EQ(decoded(R"("\u{41}\u{e9}\u{20AC}\u{1F600}")"), "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  EXPECT_EQ(decoded(R"("\u{10_FFFF}")"), "\xf4\x8f\xbf\xbf");
  EXPECT_EQ(decoded("\"\xe2\x82\xac raw UTF-8\""), "\xe2\x82\xac raw UTF-8");
}

TEST(Lexer, InvalidEscapesAreRejected) {
  for (std::string_view s : {R"("\q")", R"("\u{}")", R"("\u{D800}")", R"("\u{110000}")",
                             R"("\u{41")", R"("\4")", "\"tab\there\""}) {
    std::string out, error;
    uint32_t at = 0;
    EXPECT_FALSE(decodeString(s, out, error, at)) << s;
  }
}

TEST(Lexer, Utf8ValidationRejectsOverlongAndSurrogateEncodings) {
  EXPECT_TRUE(isValidUtf8("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(isValidUtf8("\x80"));
  EXPECT_FALSE(isValidUtf8("\xc0\x80"));          // overlong NUL
  EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(isValidUtf8("\xe2\x82"));          // truncated
}

TEST(Lexer, PositionsCountLinesAndColumnsFromTheFirstLine) {
  SourceInfo src{"ab\ncd\r\nef\rgh", "t.wat", 10, 5};
  uint32_t line = 0, column = 0;
  src.position(1, line, column);
  EXPECT_EQ(line, 10u);
  EXPECT_EQ(column, 6u);  // the first line starts at column 5
  src.position(4, line, column);
  EXPECT_EQ(line, 11u);
  EXPECT_EQ(column, 2u);
  src.position(7, line, column);
  EXPECT_EQ(line, 12u);
  EXPECT_EQ(column, 1u);
  src.position(10, line, column);  // after a lone CR
  EXPECT_EQ(line, 13u);
  EXPECT_EQ(column, 1u);
  src.position(0, line, column);  // going back restarts the scan
  EXPECT_EQ(line, 10u);
  EXPECT_EQ(column, 5u);
}

}  // namespace
}  // namespace bantam::wasm::text
