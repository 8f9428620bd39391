// Reading one table of spin.toml: typed fields whose errors name the file, the line and the
// field ("spin.toml:12: unknown field `sorce` in [component.hello]"), as Spin's serde-based reader
// does, and the check that a table has no field Spin would not know.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "platform/manifest/context.h"
#include "platform/manifest/toml_config.h"

namespace bantam::platform::manifest {

// "a string", "an integer", "a table"... for "must be X, not Y" messages.
std::string_view describeType(const toml::node& node);

inline uint32_t lineOf(const toml::node& node) { return node.source().begin.line; }

// The closest of `candidates` to `word` (edit distance at most a third of its length, at least
// 1), or "" if none is close: for "did you mean `source`?" hints.
std::string closestMatch(std::string_view word, std::initializer_list<std::string_view> candidates);
std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates);

class Fields {
 public:
  // `where` names the table in messages: "[component.hello]", "[[trigger.http]]".
  Fields(const Context& ctx, const toml::table& table, std::string where)
      : ctx_(ctx), table_(table), where_(std::move(where)) {}

  // Fails on the first field (in document order) not in `known`, suggesting a close one.
  Result<void> allowOnly(std::initializer_list<std::string_view> known) const;

  const toml::node* get(std::string_view key) const { return table_.get(key); }
  bool has(std::string_view key) const { return table_.contains(key); }
  // The line of `key` (of the table when it is absent).
  uint32_t line(std::string_view key) const;
  uint32_t tableLine() const { return lineOf(table_); }
  const std::string& where() const { return where_; }
  const Context& context() const { return ctx_; }

  Result<std::string> requiredString(std::string_view key, std::string_view meaning = "a string") const;
  Result<std::optional<std::string>> optionalString(std::string_view key, std::string_view meaning = "a string") const;
  Result<bool> optionalBool(std::string_view key, bool fallback) const;
  // An array of strings; absent: empty.
  Result<std::vector<std::string>> stringList(std::string_view key) const;
  // An inline or standard table of strings; absent: empty.
  Result<std::map<std::string, std::string>> stringMap(std::string_view key) const;

  // "`key` in [where] must be <expected>, not <actual>" at the key's line.
  Error typeError(std::string_view key, const toml::node& value, std::string_view expected) const;
  Error error(uint32_t line, std::string message, ErrorKind kind = ErrorKind::Usage) const {
    return errorAt(ctx_, line, std::move(message), kind);
  }
  Error missing(std::string_view key) const;

 private:
  const Context& ctx_;
  const toml::table& table_;
  std::string where_;
};

// The keys of a table in document order (toml++ keeps them sorted by name).
std::vector<std::pair<const toml::key*, const toml::node*>> inDocumentOrder(const toml::table& table);

}  // namespace bantam::platform::manifest
