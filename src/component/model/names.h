// Component-model names: labels, import/export names (plainname and interfacename, Explainer
// "Import and Export Definitions"), semantic versions and the version matching a host uses to
// serve `wasi:io/streams@0.2.3` with its 0.2.12 implementation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace bantam::component {

// Semantic Versioning 2.0 (https://semver.org): MAJOR.MINOR.PATCH[-pre][+build].
struct Semver {
  uint64_t major = 0, minor = 0, patch = 0;
  std::string pre;    // without the '-'
  std::string build;  // without the '+'

  static std::optional<Semver> parse(std::string_view text);
  std::string toString() const;
  // Precedence (semver §11); build metadata is ignored.
  int compare(const Semver& other) const;
  bool operator==(const Semver& o) const { return compare(o) == 0; }
  // The component model's canonical version (Explainer "Canonical Interface Name"): "1" for
  // 1.2.3, "0.2" for 0.2.6, "0.0.1" for 0.0.1.
  std::string canonical() const;
  // True when an implementation of version `this` can serve an import of version `wanted`:
  // same canonical version (and no pre-release on either side unless they are equal), and
  // `this` is not older. 0.2.12 serves 0.2.0..0.2.12; 1.3.0 serves 1.0.0..1.3.0.
  bool serves(const Semver& wanted) const;
};

// True for a kebab-case `label` (Explainer): words of [a-z][0-9a-z]* or acronyms of
// [A-Z][0-9A-Z]*, joined by single '-', the first fragment starting with a letter.
bool isLabel(std::string_view s);
// A WIT `words` fragment list: [a-z][0-9a-z]* joined by '-' (namespaces and package names).
bool isWords(std::string_view s);

// A parsed import or export name.
struct ExternName {
  enum class Kind : uint8_t { Label, Constructor, Method, Static, Interface };
  Kind kind = Kind::Label;
  std::string text;  // the whole name as written

  // Label: the label. Constructor: the resource. Method/Static: the resource and the function.
  std::string resource;
  std::string function;

  // Interface: `namespace:package/interface@version`, nested namespaces and projections (🪺)
  // joined back with ':' and '/'.
  std::string ns;         // "wasi"
  std::string package;    // "http"
  std::string interface;  // "types"
  std::optional<Semver> version;

  bool isInterface() const { return kind == Kind::Interface; }
  // "wasi:http/types": the interface name without its version.
  std::string unversioned() const;
  // "wasi:http": the package without version.
  std::string packageName() const { return ns + ":" + package; }

  // Errors (ErrorKind::Invalid) name what is wrong: "`foo_bar` is not a valid kebab-case label".
  static Result<ExternName> parse(std::string_view text);
};

// The strongly-unique canonical form (Explainer "Name Uniqueness"): acronyms lower-cased,
// `[method]l.l`/`[static]l.l` become `l`, other annotations except `[constructor]` stripped.
std::string uniquenessKey(std::string_view name);

}  // namespace bantam::component
