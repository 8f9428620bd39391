// Token cursor helpers and the classification of unexpected tokens.
#include "wasm/text/token_stream.h"

#include <algorithm>
#include <iterator>

#include "wasm/opcode.h"
#include "wasm/text/literals.h"

namespace bantam::wasm::text {

namespace {

// Keywords of the module and script grammar that are not instruction mnemonics.
constexpr std::string_view kGrammarKeywords[] = {
    "module", "type", "func", "param", "result", "local", "import", "export", "table",
    "memory", "global", "mut", "elem", "data", "start", "offset", "item", "declare", "then",
    "else", "end", "funcref", "externref", "extern", "ref", "null", "i32", "i64", "f32",
    "f64", "v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2", "binary", "quote",
    "definition", "instance", "register", "invoke", "get", "assert_return", "assert_trap",
    "assert_exhaustion", "assert_malformed", "assert_invalid", "assert_unlinkable",
    "assert_uninstantiable", "nan:canonical", "nan:arithmetic", "script", "input", "output",
    "either", "shared", "i8", "i16",
};

bool isMemArgKeyword(std::string_view kw) {
  for (std::string_view prefix : {std::string_view("offset="), std::string_view("align=")}) {
    if (kw.starts_with(prefix)) return classifyNumber(kw.substr(prefix.size())) == NumberKind::Nat;
  }
  return false;
}

std::string describe(const TokenStream& ts, const Token& t) {
  if (t.kind == TokenKind::Eof) return "end of input";
  std::string_view s = ts.text(t);
  if (s.size() > 40) return "\"" + std::string(s.substr(0, 37)) + "...\"";
  return "\"" + std::string(s) + "\"";
}

}  // namespace

bool isKnownKeyword(std::string_view kw) {
  if (opFromName(kw)) return true;
  if (std::find(std::begin(kGrammarKeywords), std::end(kGrammarKeywords), kw) !=
      std::end(kGrammarKeywords))
    return true;
  return isMemArgKeyword(kw);
}

std::unexpected<Error> TokenStream::unexpected(const Token& t, std::string_view what) const {
  std::string_view s = text(t);
  if (t.kind == TokenKind::Reserved) {
    if (auto bad = illegalCharacter(s))
      return std::unexpected(src_.errorAt(t.offset + bad->offset, bad->message));
    if (s == "$") return errorAt(t, "empty identifier");
    return errorAt(t, "unknown operator " + std::string(s));
  }
  if (t.kind == TokenKind::Keyword && !isKnownKeyword(s))
    return errorAt(t, "unknown operator " + std::string(s));
  std::string msg = "unexpected token " + describe(*this, t);
  if (!what.empty()) {
    msg += ", expected ";
    msg += what;
  }
  return errorAt(t, std::move(msg));
}

Result<void> TokenStream::expect(TokenKind k, std::string_view what) {
  if (peek().kind != k) return unexpected(peek(), what);
  next();
  return {};
}

Result<void> TokenStream::expectKeyword(std::string_view kw) {
  if (!isKeyword(kw)) return unexpected(peek(), "\"" + std::string(kw) + "\"");
  next();
  return {};
}

Result<void> TokenStream::expectParenKeyword(std::string_view kw) {
  BANTAM_TRY(expectLParen());
  return expectKeyword(kw);
}

Result<std::string> TokenStream::readString() {
  const Token& t = peek();
  if (t.kind != TokenKind::String) return unexpected(t, "a string");
  next();
  std::string out, error;
  uint32_t errorOffset = 0;
  if (!decodeString(text(t), out, error, errorOffset))
    return std::unexpected(src_.errorAt(t.offset + errorOffset, std::move(error)));
  return out;
}

Result<std::string> TokenStream::readName() {
  const Token& t = peek();
  std::string s = BANTAM_TRY(readString());
  if (!isValidUtf8(s)) return errorAt(t, "malformed UTF-8 encoding");
  return s;
}

}  // namespace bantam::wasm::text
