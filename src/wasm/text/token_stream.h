// A cursor over the token array, with the error wording the test suite expects: a token that
// is no token of the language (or an unknown keyword) is an "unknown operator", a real token
// in the wrong place is an "unexpected token".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "wasm/text/lexer.h"

namespace bantam::wasm::text {

// Whether `kw` is a keyword of the text or script grammar (instruction mnemonics included).
bool isKnownKeyword(std::string_view kw);

class TokenStream {
 public:
  TokenStream(const SourceInfo& source, const std::vector<Token>& tokens, size_t pos = 0)
      : src_(source), toks_(tokens), pos_(pos) {}

  const SourceInfo& source() const { return src_; }
  size_t pos() const { return pos_; }
  void seek(size_t p) { pos_ = p < toks_.size() ? p : toks_.size() - 1; }

  const Token& peek(size_t k = 0) const {
    size_t i = pos_ + k;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  const Token& at(size_t i) const { return i < toks_.size() ? toks_[i] : toks_.back(); }
  const Token& next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  std::string_view text(const Token& t) const { return src_.text.substr(t.offset, t.size); }

  bool is(TokenKind k, size_t ahead = 0) const { return peek(ahead).kind == k; }
  bool isKeyword(std::string_view kw, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == TokenKind::Keyword && text(t) == kw;
  }
  // "(" followed by keyword `kw`.
  bool isParenKeyword(std::string_view kw) const {
    return is(TokenKind::LParen) && isKeyword(kw, 1);
  }
  // The keyword after "(" or "" when the next tokens are not "(" keyword.
  std::string_view parenKeyword() const {
    return is(TokenKind::LParen) && is(TokenKind::Keyword, 1) ? text(peek(1)) : std::string_view{};
  }
  bool isIndex(size_t ahead = 0) const {
    TokenKind k = peek(ahead).kind;
    return k == TokenKind::Nat || k == TokenKind::Id;
  }
  bool isNumber(size_t ahead = 0) const {
    TokenKind k = peek(ahead).kind;
    return k == TokenKind::Nat || k == TokenKind::Int || k == TokenKind::Float;
  }

  std::unexpected<Error> errorAt(const Token& t, std::string message) const {
    return std::unexpected(src_.errorAt(t.offset, std::move(message)));
  }
  // The error for token `t` where something else was expected (`what`, may be empty).
  std::unexpected<Error> unexpected(const Token& t, std::string_view what = {}) const;

  Result<void> expect(TokenKind k, std::string_view what);
  Result<void> expectLParen() { return expect(TokenKind::LParen, "\"(\""); }
  Result<void> expectRParen() { return expect(TokenKind::RParen, "\")\""); }
  Result<void> expectKeyword(std::string_view kw);
  // "(" kw
  Result<void> expectParenKeyword(std::string_view kw);

  // Reads a String token and resolves its escapes.
  Result<std::string> readString();
  // Reads a String token that must be valid UTF-8 (a name, §6.3.4).
  Result<std::string> readName();

 private:
  const SourceInfo& src_;
  const std::vector<Token>& toks_;
  size_t pos_;
};

}  // namespace bantam::wasm::text
