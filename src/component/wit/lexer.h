// The WIT lexer (WIT.md "Lexical structure"): identifiers (kebab-case, %-escaped), keywords,
// operators, integers, string literals, semantic versions after '@', doc comments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace bantam::wit {

struct Pos {
  uint32_t offset = 0, line = 1, column = 1;
  // Positions never take part in AST equality (a round trip through the printer moves them).
  bool operator==(const Pos&) const { return true; }
};

enum class Tok : uint8_t {
  Id,        // `text` without the '%'; `escaped` when written %name
  Int,       // digits
  String,    // `text` is the decoded string
  Version,   // after '@' followed by a digit: a semver; `text` is the version
  Gate,      // '@' followed by a letter: @since, @unstable, @deprecated, @external-id
  Doc,       // a `///` line or a `/** */` block; `text` is its content
  Punct,     // one of = , : ; ( ) { } < > * -> / . @ (text is the operator)
  End,
};

struct Token {
  Tok kind = Tok::End;
  std::string text;
  Pos pos;
  bool escaped = false;       // Id: written with '%'
  bool spaceBefore = false;   // whitespace or a comment came right before it
};

bool isWitKeyword(std::string_view s);

// Errors: ErrorKind::Parse with file name, line and column.
Result<std::vector<Token>> lexWit(std::string_view text, const std::string& file);

}  // namespace bantam::wit
