// Tokenizer of the text format (§6.3): white space, comments, annotations, tokens.
#include "wasm/text/lexer.h"

#include <array>
#include <cstring>

#include "wasm/text/literals.h"

namespace bantam::wasm::text {

namespace {

// Character classes, looked up per byte (the lexer is the hot loop of a large script).
enum : uint8_t { kIdChar = 1, kSpace = 2 };
constexpr std::array<uint8_t, 256> kCharClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kIdChar;  // §6.3.2 idchar
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kIdChar;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kIdChar;
  for (char c : std::string_view("!#$%&'*+-./:<=>?@\\^_`|~")) t[static_cast<unsigned char>(c)] = kIdChar;
  for (char c : std::string_view(" \t\n\r")) t[static_cast<unsigned char>(c)] = kSpace;
  return t;
}();

constexpr bool isIdChar(unsigned char c) { return kCharClass[c] & kIdChar; }
constexpr bool isSpace(unsigned char c) { return kCharClass[c] & kSpace; }

class Lexer {
 public:
  explicit Lexer(const SourceInfo& source) : src_(source), s_(source.text) {}

  Result<std::vector<Token>> run() {
    std::vector<Token> tokens;
    tokens.reserve(s_.size() / 4 + 4);
    std::vector<uint32_t> open;  // indices of unmatched LParen tokens
    for (;;) {
      BANTAM_TRY(skipSpace());
      if (pos_ >= s_.size()) break;
      const uint32_t start = static_cast<uint32_t>(pos_);
      const char c = s_[pos_];
      if (c == '(') {
        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '@') {
          BANTAM_TRY(skipAnnotation());
          continue;
        }
        ++pos_;
        open.push_back(static_cast<uint32_t>(tokens.size()));
        tokens.push_back({TokenKind::LParen, start, 1, 0});
      } else if (c == ')') {
        ++pos_;
        if (!open.empty()) {
          tokens[open.back()].match = static_cast<uint32_t>(tokens.size());
          open.pop_back();
        }
        tokens.push_back({TokenKind::RParen, start, 1, 0});
      } else {
        BANTAM_TRY(scanRun());
        tokens.push_back({classify(start), start, static_cast<uint32_t>(pos_ - start), 0});
      }
    }
    const uint32_t eof = static_cast<uint32_t>(tokens.size());
    for (uint32_t i : open) tokens[i].match = eof;
    tokens.push_back({TokenKind::Eof, static_cast<uint32_t>(s_.size()), 0, 0});
    return tokens;
  }

 private:
  Result<void> skipSpace() {
    const size_t n = s_.size();
    const char* p = s_.data();
    while (pos_ < n) {
      const char c = p[pos_];
      if (isSpace(static_cast<unsigned char>(c))) {
        ++pos_;
        while (pos_ < n && isSpace(static_cast<unsigned char>(p[pos_]))) ++pos_;
      } else if (c == ';' && pos_ + 1 < s_.size() && s_[pos_ + 1] == ';') {
        while (pos_ < s_.size() && s_[pos_] != '\n' && s_[pos_] != '\r') ++pos_;
      } else if (c == '(' && pos_ + 1 < s_.size() && s_[pos_ + 1] == ';') {
        BANTAM_TRY(skipBlockComment());
      } else {
        break;
      }
    }
    return {};
  }

  // Block comments nest (§6.3.3).
  Result<void> skipBlockComment() {
    const size_t start = pos_;
    size_t depth = 0;
    while (pos_ + 1 < s_.size()) {
      if (s_[pos_] == '(' && s_[pos_ + 1] == ';') {
        ++depth;
        pos_ += 2;
      } else if (s_[pos_] == ';' && s_[pos_ + 1] == ')') {
        pos_ += 2;
        if (--depth == 0) return {};
      } else {
        ++pos_;
      }
    }
    return std::unexpected(src_.errorAt(static_cast<uint32_t>(start), "unclosed comment"));
  }

  // A string starting at pos_ ('"'); leaves pos_ after the closing quote. Escapes are checked
  // later, where the string is used.
  Result<void> skipString() {
    const size_t start = pos_++;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return {};
      }
      if (c == '\n') break;  // strings cannot span lines; report at the opening quote
      pos_ += c == '\\' ? 2 : 1;
    }
    return std::unexpected(src_.errorAt(static_cast<uint32_t>(start), "unclosed string literal"));
  }

  // A maximal run of idchars, strings and other non-delimiters (§6.3.2 reserved).
  Result<void> scanRun() {
    const size_t start = pos_;
    hasString_ = false;
    pureIdChars_ = true;
    const size_t n = s_.size();
    const char* p = s_.data();
    for (;;) {
      while (pos_ < n && isIdChar(static_cast<unsigned char>(p[pos_]))) ++pos_;
      if (pos_ >= n || atDelimiter()) break;
      if (p[pos_] == '"') {
        if (pos_ != start) pureIdChars_ = false;
        hasString_ = true;
        BANTAM_TRY(skipString());
        if (pos_ < n && !atDelimiter()) pureIdChars_ = false;
        continue;
      }
      pureIdChars_ = false;  // a character that is neither idchar nor delimiter
      ++pos_;
    }
    return {};
  }

  // White space, a parenthesis or a line comment ends a token.
  bool atDelimiter() const {
    const unsigned char c = static_cast<unsigned char>(s_[pos_]);
    return isSpace(c) || c == '(' || c == ')' ||
           (c == ';' && pos_ + 1 < s_.size() && s_[pos_ + 1] == ';');
  }

  TokenKind classify(uint32_t start) const {
    std::string_view t = s_.substr(start, pos_ - start);
    if (hasString_) return pureIdChars_ && t.size() >= 2 && t[0] == '"' ? TokenKind::String
                                                                         : TokenKind::Reserved;
    if (!pureIdChars_) return TokenKind::Reserved;
    if (t[0] == '$') return t.size() > 1 ? TokenKind::Id : TokenKind::Reserved;
    switch (classifyNumber(t)) {
      case NumberKind::Nat: return TokenKind::Nat;
      case NumberKind::Int: return TokenKind::Int;
      case NumberKind::Float: return TokenKind::Float;
      case NumberKind::None: break;
    }
    if (t[0] >= 'a' && t[0] <= 'z') return TokenKind::Keyword;
    return TokenKind::Reserved;
  }

  // Annotations "(@id ...)" (annotations proposal) are skipped with their balanced contents.
  Result<void> skipAnnotation() {
    const size_t start = pos_;
    pos_ += 2;
    // The annotation id: idchars or a non-empty string (annotations proposal).
    const size_t idStart = pos_;
    BANTAM_TRY(scanRun());
    const std::string_view id = s_.substr(idStart, pos_ - idStart);
    if (id.empty() || id == "\"\"" || (id[0] == '"' && !hasString_))
      return std::unexpected(src_.errorAt(static_cast<uint32_t>(start), "empty annotation id"));
    if (auto bad = illegalCharacter(id))
      return std::unexpected(src_.errorAt(static_cast<uint32_t>(idStart + bad->offset), bad->message));
    if (id[0] == '"') {
      std::string name, error;
      uint32_t at = 0;
      if (!decodeString(id, name, error, at))
        return std::unexpected(src_.errorAt(static_cast<uint32_t>(idStart + at), error));
      if (name.empty())
        return std::unexpected(src_.errorAt(static_cast<uint32_t>(start), "empty annotation id"));
      if (!isValidUtf8(name))
        return std::unexpected(src_.errorAt(static_cast<uint32_t>(idStart), "malformed UTF-8 encoding"));
    }
    size_t depth = 1;
    while (depth > 0) {
      BANTAM_TRY(skipSpace());
      if (pos_ >= s_.size())
        return std::unexpected(src_.errorAt(static_cast<uint32_t>(start), "unclosed annotation"));
      const char c = s_[pos_];
      if (c == '(') {
        ++depth;
        ++pos_;
      } else if (c == ')') {
        --depth;
        ++pos_;
      } else {
        // Skipped text must still be made of legal characters.
        const size_t runStart = pos_;
        BANTAM_TRY(scanRun());
        if (auto bad = illegalCharacter(s_.substr(runStart, pos_ - runStart)))
          return std::unexpected(
              src_.errorAt(static_cast<uint32_t>(runStart + bad->offset), bad->message));
      }
    }
    return {};
  }

  const SourceInfo& src_;
  std::string_view s_;
  size_t pos_ = 0;
  bool hasString_ = false;
  bool pureIdChars_ = true;
};

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

}  // namespace

void SourceInfo::position(uint32_t offset, uint32_t& line, uint32_t& column) const {
  if (offset > text.size()) offset = static_cast<uint32_t>(text.size());
  uint32_t l = 0;
  size_t lineStart = 0, i = 0;
  if (offset >= cacheOffset_) {
    l = cacheLine_;
    lineStart = cacheLineStart_;
    i = cacheOffset_;
  }
  // Lines end at LF, CR LF or a lone CR (§6.3.3 newline); memchr finds the LFs quickly.
  const char* p = text.data();
  for (;;) {
    const void* nl = std::memchr(p + i, '\n', offset - i);
    const size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - p) : offset;
    if (const void* cr = std::memchr(p + i, '\r', end - i)) {
      for (size_t k = static_cast<size_t>(static_cast<const char*>(cr) - p); k < end; ++k) {
        if (p[k] == '\r' && k + 1 < text.size() && p[k + 1] != '\n') {
          ++l;
          lineStart = k + 1;
        }
      }
    }
    if (!nl) break;
    ++l;
    lineStart = end + 1;
    i = end + 1;
  }
  cacheOffset_ = offset;
  cacheLine_ = l;
  cacheLineStart_ = static_cast<uint32_t>(lineStart);
  line = firstLine + l;
  column = static_cast<uint32_t>(offset - lineStart) + (l == 0 ? firstColumn : 1);
}

Error SourceInfo::errorAt(uint32_t offset, std::string message) const {
  Error e = Error::make(ErrorKind::Parse, std::move(message));
  e.source = std::string(fileName);
  position(offset, e.line, e.column);
  return e;
}

Result<std::vector<Token>> tokenize(const SourceInfo& source) {
  if (source.text.size() >= UINT32_MAX)
    return fail(ErrorKind::Limit, "text too large (4 GiB or more)");
  return Lexer(source).run();
}

bool decodeString(std::string_view q, std::string& out, std::string& error,
                  uint32_t& errorOffset) {
  out.clear();
  const size_t end = q.size() - 1;  // the closing quote
  for (size_t i = 1; i < end;) {
    const unsigned char c = static_cast<unsigned char>(q[i]);
    if (c != '\\') {
      if (c < 0x20 || c == 0x7f) {
        error = "illegal control character in string";
        errorOffset = static_cast<uint32_t>(i);
        return false;
      }
      if (c >= 0x80) {
        // Raw (unescaped) characters are source text and must be valid UTF-8.
        size_t j = i;
        while (j < end && static_cast<unsigned char>(q[j]) >= 0x80) ++j;
        if (!isValidUtf8(q.substr(i, j - i))) {
          error = "malformed UTF-8 encoding";
          errorOffset = static_cast<uint32_t>(i);
          return false;
        }
        out.append(q.substr(i, j - i));
        i = j;
        continue;
      }
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    errorOffset = static_cast<uint32_t>(i);
    if (i + 1 >= end) {
      error = "illegal escape";
      return false;
    }
    const char e = q[i + 1];
    switch (e) {
      case 't': out += '\t'; i += 2; continue;
      case 'n': out += '\n'; i += 2; continue;
      case 'r': out += '\r'; i += 2; continue;
      case '"': out += '"'; i += 2; continue;
      case '\'': out += '\''; i += 2; continue;
      case '\\': out += '\\'; i += 2; continue;
      case 'u': {
        // \u{hexnum}: a Unicode scalar value, encoded as UTF-8.
        size_t j = i + 2;
        if (j >= end || q[j] != '{') { error = "illegal escape"; return false; }
        ++j;
        uint64_t cp = 0;
        size_t digits = 0;
        bool lastUnderscore = false;
        while (j < end && q[j] != '}') {
          if (q[j] == '_' && digits > 0 && !lastUnderscore) {
            lastUnderscore = true;
          } else {
            int d = hexDigit(q[j]);
            if (d < 0) { error = "illegal escape"; return false; }
            cp = cp * 16 + static_cast<uint64_t>(d);
            if (cp > 0x10ffff) cp = 0x110000;  // saturate: rejected below
            ++digits;
            lastUnderscore = false;
          }
          ++j;
        }
        if (j >= end || digits == 0 || lastUnderscore || cp >= 0x110000 ||
            (cp >= 0xd800 && cp < 0xe000)) {
          error = "illegal escape";
          return false;
        }
        appendUtf8(out, static_cast<uint32_t>(cp));
        i = j + 1;
        continue;
      }
      default: {
        int hi = hexDigit(e);
        int lo = i + 2 < end ? hexDigit(q[i + 2]) : -1;
        if (hi < 0 || lo < 0) { error = "illegal escape"; return false; }
        out += static_cast<char>(hi * 16 + lo);
        i += 3;
        continue;
      }
    }
  }
  return true;
}

bool isValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
      return false;
    i += len;
  }
  return true;
}

std::optional<IllegalCharacter> illegalCharacter(std::string_view s) {
  bool inString = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (inString && c == '\\') {
      ++i;  // an escape; checked where the string is decoded
      continue;
    }
    if (c == '"') inString = !inString;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
      return IllegalCharacter{static_cast<uint32_t>(i), "illegal character"};
    if (c >= 0x80) {
      size_t j = i;
      while (j < s.size() && static_cast<unsigned char>(s[j]) >= 0x80) ++j;
      if (!isValidUtf8(s.substr(i, j - i)))
        return IllegalCharacter{static_cast<uint32_t>(i), "malformed UTF-8 encoding"};
      // Outside strings only ASCII is allowed (§6.3: idchars and delimiters).
      if (!inString) return IllegalCharacter{static_cast<uint32_t>(i), "illegal character"};
      i = j - 1;
    }
  }
  return std::nullopt;
}

}  // namespace bantam::wasm::text
