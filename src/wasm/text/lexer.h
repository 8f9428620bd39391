// Tokens of the WebAssembly text format (§6.3) and the source positions of errors. The whole
// text is tokenized once into a flat array: parsing then works on indices, which makes the
// two passes of module parsing (collect names, then encode) cheap.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace bantam::wasm::text {

enum class TokenKind : uint8_t {
  LParen,
  RParen,
  Keyword,   // starts with a-z: mnemonics, grammar keywords, "offset=4", "nan:canonical"...
  Id,        // "$name"
  Nat,       // unsigned integer literal
  Int,       // signed integer literal ("+1", "-0x10")
  Float,     // any other number: "1.5", "1e3", "0x1p-2", "inf", "-nan:0x1"
  String,    // "..." with its quotes; escapes are resolved on demand (decodeString)
  Reserved,  // anything else (§6.3.2 reserved): "0x", "1x", "data\"a\"", stray characters
  Eof,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  uint32_t offset = 0;  // byte offset in the text
  uint32_t size = 0;
  // LParen: index of the matching RParen, or of the Eof token when unbalanced.
  uint32_t match = 0;
};

// Where the text came from, to turn byte offsets into file:line:column.
struct SourceInfo {
  std::string_view text;
  std::string_view fileName;
  uint32_t firstLine = 1;    // line of text[0]
  uint32_t firstColumn = 1;  // column of text[0]

  void position(uint32_t offset, uint32_t& line, uint32_t& column) const;
  Error errorAt(uint32_t offset, std::string message) const;

  // Positions are asked for in increasing order (WAST commands), so the scan resumes from the
  // previous answer instead of restarting at the top of a large script.
  mutable uint32_t cacheOffset_ = 0, cacheLine_ = 0, cacheLineStart_ = 0;
};

// Splits `text` into tokens, skipping white space, comments and annotations "(@id ...)".
// The last token is always Eof. Fails only where no token structure can be recovered (an
// unterminated string, block comment or annotation); everything else that is not a valid
// token becomes Reserved so that the parser reports it where it is used.
Result<std::vector<Token>> tokenize(const SourceInfo& source);

// Decodes a String token's text (with quotes) to bytes: \t \n \r \" \' \\ \hh \u{hex}.
// On failure returns false and sets `error` to the message and `errorOffset` to the offset of
// the offending character relative to the token.
bool decodeString(std::string_view quoted, std::string& out, std::string& error,
                  uint32_t& errorOffset);

bool isValidUtf8(std::string_view bytes);

// The first character of `s` that may not appear in source text outside comments: a control
// character other than tab, line feed and carriage return, or malformed UTF-8.
struct IllegalCharacter {
  uint32_t offset;
  const char* message;  // "illegal character" or "malformed UTF-8 encoding"
};
std::optional<IllegalCharacter> illegalCharacter(std::string_view s);

}  // namespace bantam::wasm::text
