// Spin's identifier rules (spin_serde::id): DELIM-separated words of ASCII letters and digits,
// each word all lowercase or all UPPERCASE, the first starting with a letter.
#include "platform/manifest/ids.h"

namespace bantam::platform::manifest {

namespace {

bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }

std::string quoteChar(char c) { return std::string("'") + c + "'"; }

std::optional<std::string> checkId(std::string_view id, char delim, bool lower) {
  if (id.empty()) return "empty";
  char wrong = delim == '-' ? '_' : '-';
  if (id.find(wrong) != std::string_view::npos) {
    return "words must be separated with " + quoteChar(delim) + ", not " + quoteChar(wrong);
  }
  size_t start = 0;
  for (size_t index = 0;; ++index) {
    size_t end = id.find(delim, start);
    std::string_view word = id.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (word.empty()) return quoteChar(delim) + "-separated words must not be empty";
    char first = word[0];
    if (!(isAlpha(first) || (index > 0 && isDigit(first)))) {
      return quoteChar(delim) + "-separated words must start with an ASCII letter or digit; got " + quoteChar(first);
    }
    bool upper = isUpper(first);
    for (char c : word.substr(1)) {
      if (isDigit(c) || c == ':') continue;
      if (!isAlpha(c)) {
        return quoteChar(delim) +
               "-separated words may only contain alphanumeric ASCII (plus ':' inside words); got " + quoteChar(c);
      }
      if (isUpper(c) != upper) {
        return quoteChar(delim) + "-separated words must be all lowercase or all UPPERCASE; got \"" +
               std::string(word) + "\"";
      }
    }
    if (lower && upper) return "lower-case identifiers must be all lowercase; got \"" + std::string(id) + "\"";
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> checkKebabId(std::string_view id) { return checkId(id, '-', false); }
std::optional<std::string> checkLowerSnakeId(std::string_view id) { return checkId(id, '_', true); }

bool isKebabOrSnakeLabel(std::string_view label) {
  return !checkId(label, '-', false) || !checkId(label, '_', false);
}

std::optional<std::vector<std::string>> templateReferences(std::string_view text, std::string* why) {
  std::vector<std::string> names;
  size_t at = 0;
  while ((at = text.find("{{", at)) != std::string_view::npos) {
    size_t close = text.find("}}", at + 2);
    if (close == std::string_view::npos) {
      *why = "`{{` is not closed by `}}`";
      return std::nullopt;
    }
    std::string_view inner = text.substr(at + 2, close - at - 2);
    while (!inner.empty() && (inner.front() == ' ' || inner.front() == '\t')) inner.remove_prefix(1);
    while (!inner.empty() && (inner.back() == ' ' || inner.back() == '\t')) inner.remove_suffix(1);
    if (inner.empty()) {
      *why = "`{{ }}` names no variable";
      return std::nullopt;
    }
    names.emplace_back(inner);
    at = close + 2;
  }
  return names;
}

}  // namespace bantam::platform::manifest
