// Runs every binary module of the official suite (../shared/wasm-testsuite/*.wast) through
// the decoder: modules inside assert_malformed must fail with a message containing the
// expected text, every other binary module must decode. Text modules are the text parser's
// and the WAST runner's business. Skips when the suite is not present.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "wasm/decoder/decoder.h"

namespace {

namespace fs = std::filesystem;

// A minimal S-expression reader, just enough for WAST scripts: lists, atoms, strings.
struct SExpr {
  enum Kind { List, Atom, String } kind = List;
  std::string text;  // Atom: the token; String: the decoded bytes
  std::vector<SExpr> items;
  size_t line = 0;
};

class WastReader {
 public:
  explicit WastReader(std::string src) : s_(std::move(src)) {}

  // Parses all top-level forms; returns false (with error()) on a lexical problem.
  bool parseAll(std::vector<SExpr>& out) {
    for (;;) {
      skipSpace();
      if (pos_ >= s_.size()) return true;
      SExpr e;
      if (!parse(e)) return false;
      out.push_back(std::move(e));
    }
  }
  const std::string& error() const { return error_; }

 private:
  void skipSpace() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (c == '\n') ++line_;
        ++pos_;
      } else if (s_.compare(pos_, 2, ";;") == 0) {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (s_.compare(pos_, 2, "(;") == 0) {
        int depth = 0;
        do {
          if (s_.compare(pos_, 2, "(;") == 0) { ++depth; pos_ += 2; }
          else if (s_.compare(pos_, 2, ";)") == 0) { --depth; pos_ += 2; }
          else { if (s_[pos_] == '\n') ++line_; ++pos_; }
        } while (depth > 0 && pos_ < s_.size());
      } else {
        return;
      }
    }
  }

  static int hexVal(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool parseString(std::string& out) {
    ++pos_;  // opening quote
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c != '\\') { out += c; continue; }
      if (pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'u': {  // \u{hex}: UTF-8 encode
          if (pos_ >= s_.size() || s_[pos_] != '{') return fail("bad \\u escape");
          ++pos_;
          uint32_t cp = 0;
          while (pos_ < s_.size() && s_[pos_] != '}') cp = cp * 16 + hexVal(s_[pos_++]);
          ++pos_;
          if (cp < 0x80) out += char(cp);
          else if (cp < 0x800) { out += char(0xc0 | cp >> 6); out += char(0x80 | (cp & 0x3f)); }
          else if (cp < 0x10000) {
            out += char(0xe0 | cp >> 12); out += char(0x80 | ((cp >> 6) & 0x3f)); out += char(0x80 | (cp & 0x3f));
          } else {
            out += char(0xf0 | cp >> 18); out += char(0x80 | ((cp >> 12) & 0x3f));
            out += char(0x80 | ((cp >> 6) & 0x3f)); out += char(0x80 | (cp & 0x3f));
          }
          break;
        }
        default: {
          int hi = hexVal(e), lo = pos_ < s_.size() ? hexVal(s_[pos_]) : -1;
          if (hi < 0 || lo < 0) return fail("bad string escape");
          ++pos_;
          out += char(hi * 16 + lo);
        }
      }
    }
    if (pos_ >= s_.size()) return fail("unterminated string");
    ++pos_;
    return true;
  }

  bool parse(SExpr& e) {
    skipSpace();
    e.line = line_;
    if (pos_ >= s_.size()) return fail("unexpected end of script");
    char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      e.kind = SExpr::List;
      for (;;) {
        skipSpace();
        if (pos_ >= s_.size()) return fail("unclosed list");
        if (s_[pos_] == ')') { ++pos_; return true; }
        SExpr child;
        if (!parse(child)) return false;
        e.items.push_back(std::move(child));
      }
    }
    if (c == ')') return fail("unexpected )");
    if (c == '"') {
      e.kind = SExpr::String;
      return parseString(e.text);
    }
    e.kind = SExpr::Atom;
    while (pos_ < s_.size()) {
      char d = s_[pos_];
      if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '(' || d == ')' || d == '"' || d == ';') break;
      e.text += d;
      ++pos_;
    }
    return true;
  }

  bool fail(std::string msg) {
    error_ = std::move(msg) + " at line " + std::to_string(line_ + 1);
    return false;
  }

  std::string s_;
  size_t pos_ = 0;
  size_t line_ = 0;
  std::string error_;
};

bool isAtom(const SExpr& e, std::string_view text) { return e.kind == SExpr::Atom && e.text == text; }

// The bytes of `(module $id? binary "..."*)`, or nullopt for text and quoted modules.
std::optional<std::string> binaryModule(const SExpr& e) {
  if (e.kind != SExpr::List || e.items.empty() || !isAtom(e.items[0], "module")) return std::nullopt;
  size_t i = 1;
  if (i < e.items.size() && e.items[i].kind == SExpr::Atom && e.items[i].text.starts_with("$")) ++i;
  if (i >= e.items.size() || !isAtom(e.items[i], "binary")) return std::nullopt;
  std::string bytes;
  for (++i; i < e.items.size(); ++i) bytes += e.items[i].text;
  return bytes;
}

fs::path suiteDir() { return fs::path(BANTAM_SOURCE_DIR) / ".." / "shared" / "wasm-testsuite"; }

struct Tally {
  int malformedOk = 0, validOk = 0;
  std::vector<std::string> failures;
};

void checkFile(const fs::path& file, Tally& tally) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  WastReader reader(ss.str());
  std::vector<SExpr> forms;
  if (!reader.parseAll(forms)) {
    tally.failures.push_back(file.filename().string() + ": cannot read script: " + reader.error());
    return;
  }
  auto where = [&](const SExpr& e) { return file.filename().string() + ":" + std::to_string(e.line + 1); };
  for (const SExpr& form : forms) {
    if (form.kind != SExpr::List || form.items.empty()) continue;
    const SExpr* mod = &form;
    const SExpr* expected = nullptr;
    if (isAtom(form.items[0], "assert_malformed")) {
      if (form.items.size() < 3) continue;
      mod = &form.items[1];
      expected = &form.items[2];
    } else if (!isAtom(form.items[0], "module") && form.items.size() >= 2) {
      mod = &form.items[1];  // assert_invalid, assert_unlinkable, ...: must decode
    }
    auto bytes = binaryModule(*mod);
    if (!bytes) continue;
    auto span = std::span(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
    auto result = bantam::wasm::decodeModule(span);
    if (expected) {
      if (result) {
        tally.failures.push_back(where(form) + ": decoded, expected \"" + expected->text + "\"");
      } else if (result.error().kind != bantam::ErrorKind::Malformed ||
                 result.error().message.find(expected->text) == std::string::npos) {
        tally.failures.push_back(where(form) + ": got \"" + result.error().message + "\", expected \"" +
                                 expected->text + "\"");
      } else {
        ++tally.malformedOk;
      }
    } else if (!result) {
      tally.failures.push_back(where(form) + ": failed to decode: " + result.error().toString());
    } else {
      ++tally.validOk;
    }
  }
}

TEST(DecoderSpecSuite, EveryBinaryModuleDecodesOrFailsWithTheExpectedMessage) {
  fs::path dir = suiteDir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "official suite not found at " << dir;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".wast") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());

  Tally tally;
  for (const auto& f : files) checkFile(f, tally);
  for (const auto& failure : tally.failures) ADD_FAILURE() << failure;
  std::printf("decoder spec suite: %zu files, %d malformed modules rejected as expected, %d modules decoded\n",
              files.size(), tally.malformedOk, tally.validOk);
  // The 2.0 suite has hundreds of each; guard against the scanner silently finding none.
  EXPECT_GT(tally.malformedOk, 500);
  EXPECT_GT(tally.validOk, 50);
}

}  // namespace
