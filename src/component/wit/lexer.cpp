// The WIT lexer.
#include "component/wit/lexer.h"

#include <algorithm>
#include <array>

#include "common/byte_reader.h"

namespace bantam::wit {

namespace {

constexpr std::array<std::string_view, 42> kKeywords = {
    "as", "async", "bool", "borrow", "char", "constructor", "enum", "export", "f32", "f64", "flags", "from", "func",
    "future", "import", "include", "interface", "list", "map", "option", "own", "package", "record", "resource",
    "result", "s16", "s32", "s64", "s8", "static", "stream", "string", "tuple", "type", "u16", "u32", "u64", "u8",
    "use", "variant", "with", "world"};

bool isIdStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isIdChar(char c) { return isIdStart(c) || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

bool isWitKeyword(std::string_view s) { return std::find(kKeywords.begin(), kKeywords.end(), s) != kKeywords.end(); }

Result<std::vector<Token>> lexWit(std::string_view text, const std::string& file) {
  std::vector<Token> out;
  Pos pos;
  size_t i = 0;
  bool space = true;
  auto error = [&](Pos at, std::string message) {
    Error e = Error::make(ErrorKind::Parse, std::move(message));
    e.source = file;
    e.line = at.line;
    e.column = at.column;
    return std::unexpected(std::move(e));
  };
  auto advance = [&](size_t n) {
    for (size_t k = 0; k < n && i < text.size(); ++k, ++i) {
      if (text[i] == '\n') {
        ++pos.line;
        pos.column = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++pos.column;
      }
    }
    pos.offset = static_cast<uint32_t>(i);
  };
  if (!isValidUtf8(text)) return error(pos, "WIT files must be valid UTF-8");
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      advance(1);
      space = true;
      continue;
    }
    Token t;
    t.pos = pos;
    t.spaceBefore = space;
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      size_t end = text.find('\n', i);
      if (end == std::string_view::npos) end = text.size();
      bool doc = i + 2 < text.size() && text[i + 2] == '/' && !(i + 3 < text.size() && text[i + 3] == '/');
      if (doc) {
        t.kind = Tok::Doc;
        std::string_view body = text.substr(i + 3, end - i - 3);
        if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
        if (!body.empty() && body[0] == ' ') body.remove_prefix(1);
        t.text = std::string(body);
        out.push_back(std::move(t));
      }
      advance(end - i);
      space = true;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      bool doc = i + 2 < text.size() && text[i + 2] == '*' && !(i + 3 < text.size() && text[i + 3] == '/');
      size_t start = i;
      int depth = 0;
      size_t j = i;
      while (j < text.size()) {
        if (text.compare(j, 2, "/*") == 0) {
          ++depth;
          j += 2;
        } else if (text.compare(j, 2, "*/") == 0) {
          --depth;
          j += 2;
          if (depth == 0) break;
        } else {
          ++j;
        }
      }
      if (depth != 0) return error(t.pos, "unterminated block comment");
      if (doc) {
        t.kind = Tok::Doc;
        t.text = std::string(text.substr(start + 3, j - start - 5));
        out.push_back(std::move(t));
      }
      advance(j - i);
      space = true;
      continue;
    }
    space = false;
    if (c == '%' || isIdStart(c)) {
      size_t start = i + (c == '%' ? 1 : 0);
      size_t j = start;
      while (j < text.size() && isIdChar(text[j])) ++j;
      if (j == start) return error(t.pos, "expected an identifier after `%`");
      t.kind = Tok::Id;
      t.escaped = c == '%';
      t.text = std::string(text.substr(start, j - start));
      advance(j - i);
      out.push_back(std::move(t));
      continue;
    }
    if (c >= '0' && c <= '9') {
      size_t j = i;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      t.kind = Tok::Int;
      t.text = std::string(text.substr(i, j - i));
      advance(j - i);
      out.push_back(std::move(t));
      continue;
    }
    if (c == '"') {
      size_t j = i + 1;
      std::string value;
      while (j < text.size() && text[j] != '"') {
        if (text[j] == '\\') {
          if (j + 1 >= text.size()) break;
          char e = text[j + 1];
          if (e == 'n') value += '\n';
          else if (e == 't') value += '\t';
          else if (e == '"' || e == '\\' || e == '\'') value += e;
          else return error(t.pos, std::string("unsupported escape `\\") + e + "` in a string literal");
          j += 2;
          continue;
        }
        if (text[j] == '\n') return error(t.pos, "unterminated string literal");
        value += text[j++];
      }
      if (j >= text.size()) return error(t.pos, "unterminated string literal");
      t.kind = Tok::String;
      t.text = std::move(value);
      advance(j + 1 - i);
      out.push_back(std::move(t));
      continue;
    }
    if (c == '@') {
      if (i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') {
        // A version: [0-9A-Za-z.+-]*, stopping before a '.' that starts `.{` (use lists).
        size_t j = i + 1;
        while (j < text.size()) {
          char v = text[j];
          bool ok = (v >= '0' && v <= '9') || isIdStart(v) || v == '-' || v == '+' || v == '.';
          if (!ok) break;
          if (v == '.' && (j + 1 >= text.size() || text[j + 1] == '{')) break;
          ++j;
        }
        t.kind = Tok::Version;
        t.text = std::string(text.substr(i + 1, j - i - 1));
        advance(j - i);
        out.push_back(std::move(t));
        continue;
      }
      if (i + 1 < text.size() && isIdStart(text[i + 1])) {
        size_t j = i + 1;
        while (j < text.size() && isIdChar(text[j])) ++j;
        t.kind = Tok::Gate;
        t.text = std::string(text.substr(i + 1, j - i - 1));
        advance(j - i);
        out.push_back(std::move(t));
        continue;
      }
    }
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '>') {
      t.kind = Tok::Punct;
      t.text = "->";
      advance(2);
      out.push_back(std::move(t));
      continue;
    }
    if (std::string_view("=,:;(){}<>*/.@_").find(c) != std::string_view::npos) {
      t.kind = Tok::Punct;
      t.text = std::string(1, c);
      advance(1);
      out.push_back(std::move(t));
      continue;
    }
    return error(t.pos, std::string("unexpected character `") + c + "`");
  }
  Token end;
  end.kind = Tok::End;
  end.pos = pos;
  end.spaceBefore = true;
  out.push_back(std::move(end));
  return out;
}

}  // namespace bantam::wit
