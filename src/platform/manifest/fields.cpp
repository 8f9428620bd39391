// Typed reading of manifest tables with file:line:field errors.
#include "platform/manifest/fields.h"

#include <algorithm>

namespace bantam::platform::manifest {

Error errorAt(const Context& ctx, uint32_t line, std::string message, ErrorKind kind) {
  Error e = Error::make(kind, std::move(message));
  e.source = ctx.file;
  e.line = line;
  return e;
}

std::string_view describeType(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

namespace {

size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string quotedList(std::initializer_list<std::string_view> words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += "`";
    out += w;
    out += "`";
  }
  return out;
}

}  // namespace

namespace {

template <class Range>
std::string closestIn(std::string_view word, const Range& candidates) {
  // Long manifest keys are never close to anything by accident; bound the work on hostile input.
  if (word.size() > 64) return "";
  size_t limit = std::max<size_t>(1, word.size() / 3);
  std::string_view best;
  size_t bestDistance = limit + 1;
  for (std::string_view c : candidates) {
    if (c.size() > 64) continue;
    size_t d = editDistance(word, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return std::string(best);
}

}  // namespace

std::string closestMatch(std::string_view word, std::initializer_list<std::string_view> candidates) {
  return closestIn(word, candidates);
}

std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  return closestIn(word, candidates);
}

std::vector<std::pair<const toml::key*, const toml::node*>> inDocumentOrder(const toml::table& table) {
  std::vector<std::pair<const toml::key*, const toml::node*>> out;
  out.reserve(table.size());
  for (auto&& [k, v] : table) out.emplace_back(&k, &v);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const auto& sa = a.first->source().begin;
    const auto& sb = b.first->source().begin;
    return sa.line != sb.line ? sa.line < sb.line : sa.column < sb.column;
  });
  return out;
}

Result<void> Fields::allowOnly(std::initializer_list<std::string_view> known) const {
  for (auto [key, value] : inDocumentOrder(table_)) {
    std::string_view name = key->str();
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    Error e = error(key->source().begin.line, "unknown field `" + std::string(name) + "` in " + where_);
    std::string close = closestMatch(name, known);
    e.hint = close.empty() ? "expected one of " + quotedList(known) : "did you mean `" + close + "`?";
    return std::unexpected(std::move(e));
  }
  return {};
}

uint32_t Fields::line(std::string_view key) const {
  for (auto&& [k, v] : table_) {
    if (k.str() == key) return k.source().begin.line;
  }
  return tableLine();
}

Error Fields::typeError(std::string_view key, const toml::node& value, std::string_view expected) const {
  return error(line(key), "`" + std::string(key) + "` in " + where_ + " must be " + std::string(expected) +
                              ", not " + std::string(describeType(value)));
}

Error Fields::missing(std::string_view key) const {
  return error(tableLine(), "missing field `" + std::string(key) + "` in " + where_);
}

Result<std::string> Fields::requiredString(std::string_view key, std::string_view meaning) const {
  const toml::node* v = get(key);
  if (v == nullptr) return std::unexpected(missing(key));
  if (!v->is_string()) return std::unexpected(typeError(key, *v, meaning));
  return v->as_string()->get();
}

Result<std::optional<std::string>> Fields::optionalString(std::string_view key, std::string_view meaning) const {
  const toml::node* v = get(key);
  if (v == nullptr) return std::optional<std::string>{};
  if (!v->is_string()) return std::unexpected(typeError(key, *v, meaning));
  return std::optional<std::string>(v->as_string()->get());
}

Result<bool> Fields::optionalBool(std::string_view key, bool fallback) const {
  const toml::node* v = get(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) return std::unexpected(typeError(key, *v, "a boolean (true or false)"));
  return v->as_boolean()->get();
}

Result<std::vector<std::string>> Fields::stringList(std::string_view key) const {
  std::vector<std::string> out;
  const toml::node* v = get(key);
  if (v == nullptr) return out;
  const toml::array* a = v->as_array();
  if (a == nullptr) return std::unexpected(typeError(key, *v, "an array of strings"));
  out.reserve(a->size());
  for (const toml::node& item : *a) {
    if (!item.is_string()) {
      return std::unexpected(error(lineOf(item), "`" + std::string(key) + "` in " + where_ +
                                                     " must be an array of strings, but an item is " +
                                                     std::string(describeType(item))));
    }
    out.push_back(item.as_string()->get());
  }
  return out;
}

Result<std::map<std::string, std::string>> Fields::stringMap(std::string_view key) const {
  std::map<std::string, std::string> out;
  const toml::node* v = get(key);
  if (v == nullptr) return out;
  const toml::table* t = v->as_table();
  if (t == nullptr) return std::unexpected(typeError(key, *v, "a table of strings"));
  for (auto [k, item] : inDocumentOrder(*t)) {
    if (!item->is_string()) {
      return std::unexpected(error(k->source().begin.line, "`" + std::string(key) + "." + std::string(k->str()) +
                                                              "` in " + where_ + " must be a string, not " +
                                                              std::string(describeType(*item))));
    }
    out.emplace(std::string(k->str()), item->as_string()->get());
  }
  return out;
}

}  // namespace bantam::platform::manifest
