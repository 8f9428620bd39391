// `[component.<id>.dependencies]`: Spin's component dependencies (spin-manifest's
// ComponentDependency / DependencyName and ComponentDependencies::validate). A key names the
// import ("ns:pkg/iface@1.0.0", "ns:pkg@1.0.0" for every interface of the package, or a plain
// "kebab-name"); a value is a local `{ path, export }` or an app `{ component, export }`.
// Registry and URL forms are refused by name: Bantam has no registry client.
#include <charconv>

#include "platform/manifest/decode.h"
#include "platform/manifest/ids.h"

namespace bantam::platform::manifest {

namespace fs = std::filesystem;

namespace {

struct SemVer {
  uint64_t major = 0, minor = 0, patch = 0;
  std::string pre;  // build metadata is dropped: it never affects compatibility
};

bool parseNumber(std::string_view s, uint64_t& out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::optional<SemVer> parseSemVer(std::string_view s) {
  SemVer v;
  if (size_t plus = s.find('+'); plus != std::string_view::npos) s = s.substr(0, plus);
  if (size_t dash = s.find('-'); dash != std::string_view::npos) {
    v.pre = std::string(s.substr(dash + 1));
    if (v.pre.empty()) return std::nullopt;
    s = s.substr(0, dash);
  }
  size_t a = s.find('.');
  size_t b = a == std::string_view::npos ? a : s.find('.', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  if (!parseNumber(s.substr(0, a), v.major) || !parseNumber(s.substr(a + 1, b - a - 1), v.minor) ||
      !parseNumber(s.substr(b + 1), v.patch))
    return std::nullopt;
  return v;
}

// Spin's normalize_compatible_version: versions that semver says are compatible compare equal.
std::string compatibleKey(const SemVer& v) {
  if (!v.pre.empty())
    return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch) + "-" + v.pre;
  if (v.major > 0) return std::to_string(v.major);
  if (v.minor > 0) return "0." + std::to_string(v.minor);
  return "0.0." + std::to_string(v.patch);
}

struct ParsedName {
  ComponentDependency::NameKind kind = ComponentDependency::NameKind::Plain;
  std::string package;    // "ns:pkg"
  std::string interface;  // "iface" or empty
  std::optional<SemVer> version;
};

// DependencyName::from_str: "ns:pkg[/iface][@version]" or a kebab-case plain name.
std::expected<ParsedName, std::string> parseName(std::string_view key) {
  ParsedName out;
  if (key.find(':') == std::string_view::npos) {
    if (auto why = checkKebabId(key)) return std::unexpected("a plain import name must be kebab-case: " + *why);
    return out;
  }
  std::string_view name = key;
  if (size_t at = key.find('@'); at != std::string_view::npos) {
    out.version = parseSemVer(key.substr(at + 1));
    if (!out.version)
      return std::unexpected("`" + std::string(key.substr(at + 1)) + "` is not a semantic version (MAJOR.MINOR.PATCH)");
    name = key.substr(0, at);
  }
  std::string_view pkg = name;
  if (size_t slash = name.find('/'); slash != std::string_view::npos) {
    pkg = name.substr(0, slash);
    out.interface = std::string(name.substr(slash + 1));
    if (auto why = checkKebabId(out.interface))
      return std::unexpected("the interface name `" + out.interface + "`: " + *why);
  }
  size_t colon = pkg.find(':');
  std::string_view ns = pkg.substr(0, colon), pn = pkg.substr(colon + 1);
  if (auto why = checkKebabId(ns)) return std::unexpected("the package namespace `" + std::string(ns) + "`: " + *why);
  if (auto why = checkKebabId(pn)) return std::unexpected("the package name `" + std::string(pn) + "`: " + *why);
  out.package = std::string(pkg);
  out.kind = out.interface.empty() ? ComponentDependency::NameKind::Package : ComponentDependency::NameKind::Interface;
  return out;
}

Error registryError(const Fields& f, uint32_t line, const std::string& key) {
  Error e = f.error(line,
                    "dependency `" + key + "` in " + f.where() +
                        ": fetching dependencies from a registry is not supported; build the dependency locally",
                    ErrorKind::Unsupported);
  e.hint = "write `\"" + key + "\" = { path = \"path/to/dependency.wasm\" }` or `{ component = \"<id>\" }`";
  return e;
}

// ComponentDependencies::check_disjoint: two names of one package conflict unless their
// versions are incompatible or they name different interfaces.
bool conflict(const ParsedName& a, const ParsedName& b) {
  if (a.package != b.package) return false;
  if (a.version && b.version && compatibleKey(*a.version) != compatibleKey(*b.version)) return false;
  if (!a.interface.empty() && !b.interface.empty() && a.interface != b.interface) return false;
  return true;
}

}  // namespace

Result<std::vector<ComponentDependency>> decodeDependencies(const Fields& f, const fs::path& root,
                                                            bool inheritDefault) {
  std::vector<ComponentDependency> out;
  const toml::node* deps = f.get("dependencies");
  if (deps == nullptr) return out;
  const toml::table* t = deps->as_table();
  if (t == nullptr) return std::unexpected(f.typeError("dependencies", *deps, "a table of import names"));
  std::vector<ParsedName> names;
  for (auto [k, v] : inDocumentOrder(*t)) {
    ComponentDependency d;
    d.name = std::string(k->str());
    d.line = k->source().begin.line ? k->source().begin.line : f.line("dependencies");
    d.inheritConfiguration = inheritDefault;
    auto parsed = parseName(d.name);
    if (!parsed) {
      return std::unexpected(f.error(d.line, "invalid dependency name `" + d.name + "` in `dependencies` of " +
                                                 f.where() + ": " + parsed.error()));
    }
    d.nameKind = parsed->kind;
    if (v->is_string()) {
      // `"ns:pkg/iface" = "1.0.0"`: a version from the default registry.
      if (d.nameKind == ComponentDependency::NameKind::Plain) {
        return std::unexpected(
            f.error(d.line, "dependency `" + d.name + "` in " + f.where() + " must specify a package name"));
      }
      return std::unexpected(registryError(f, d.line, d.name));
    }
    const toml::table* value = v->as_table();
    if (value == nullptr) {
      return std::unexpected(f.error(d.line, "dependency `" + d.name + "` in " + f.where() +
                                                 " must be a table ({ path, export } or { component, export }) or a "
                                                 "version (a string), not " +
                                                 std::string(describeType(*v))));
    }
    Fields dep(f.context(), *value, "dependency `" + d.name + "` of " + f.where());
    BANTAM_TRY(dep.allowOnly(
        {"path", "component", "export", "inherit_configuration", "version", "registry", "package", "url", "digest"}));
    if (dep.has("url") || dep.has("digest")) {
      Error e = dep.error(dep.line(dep.has("url") ? "url" : "digest"),
                          "dependency `" + d.name + "` in " + f.where() +
                              ": downloading dependencies is not supported; download the component and give its path",
                          ErrorKind::Unsupported);
      e.hint = "write `\"" + d.name + "\" = { path = \"path/to/dependency.wasm\" }`";
      return std::unexpected(std::move(e));
    }
    if (dep.has("version") || dep.has("registry") || dep.has("package")) {
      if (d.nameKind == ComponentDependency::NameKind::Plain && !dep.has("package")) {
        return std::unexpected(
            f.error(d.line, "dependency `" + d.name + "` in " + f.where() + " must specify a package name"));
      }
      return std::unexpected(registryError(f, d.line, d.name));
    }
    bool hasPath = dep.has("path"), hasComponent = dep.has("component");
    if (hasPath == hasComponent) {
      return std::unexpected(f.error(d.line, "dependency `" + d.name + "` in " + f.where() +
                                                 (hasPath ? " has both `path` and `component`: give one"
                                                          : " needs `path = \"x.wasm\"` or `component = \"<id>\"`")));
    }
    if (hasPath) {
      std::string p = BANTAM_TRY(dep.requiredString("path", "a path to a .wasm file (a string)"));
      if (p.empty()) return std::unexpected(dep.error(dep.line("path"), "`path` of " + dep.where() + " is empty"));
      d.path = (root / p).lexically_normal();
    } else {
      d.component = BANTAM_TRY(dep.requiredString("component", "a component id (a string)"));
      if (auto why = checkKebabId(d.component)) {
        return std::unexpected(dep.error(dep.line("component"),
                                         "invalid component id `" + d.component + "` in " + dep.where() + ": " + *why));
      }
    }
    d.exportName = BANTAM_TRY(dep.optionalString("export", "an export name (a string)")).value_or("");
    if (dep.has("export") && d.exportName.empty()) {
      return std::unexpected(dep.error(dep.line("export"), "`export` of " + dep.where() + " is empty"));
    }
    if (!d.exportName.empty() && d.nameKind == ComponentDependency::NameKind::Package) {
      Error e = dep.error(dep.line("export"), "using an export to satisfy the package dependency `" + d.name +
                                                  "` is not permitted (as in Spin)");
      e.hint = "name one interface in the key (`ns:pkg/iface@version`) to map it to an export";
      return std::unexpected(std::move(e));
    }
    if (const toml::node* inherit = dep.get("inherit_configuration")) {
      if (const auto* b = inherit->as_boolean()) {
        d.inheritConfiguration = b->get();
      } else if (inherit->is_array()) {
        return std::unexpected(
            dep.error(dep.line("inherit_configuration"),
                      "`inherit_configuration` of " + dep.where() +
                          ": inheriting a list of capabilities is not supported yet; use true or false",
                      ErrorKind::Unsupported));
      } else {
        return std::unexpected(dep.typeError("inherit_configuration", *inherit, "a boolean"));
      }
    }
    for (size_t i = 0; i < names.size(); ++i) {
      if (parsed->kind != ComponentDependency::NameKind::Plain &&
          names[i].kind != ComponentDependency::NameKind::Plain && conflict(*parsed, names[i])) {
        Error e = f.error(d.line, "dependency `" + d.name + "` in " + f.where() + " conflicts with `" + out[i].name +
                                      "` (line " + std::to_string(out[i].line) + ")");
        e.hint = "one import can be served by one dependency: remove one, or make their interfaces or versions differ";
        return std::unexpected(std::move(e));
      }
    }
    names.push_back(std::move(*parsed));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace bantam::platform::manifest
