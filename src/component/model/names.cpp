// Labels, extern names and semantic versions.
#include "component/model/names.h"

#include <algorithm>
#include <charconv>

namespace bantam::component {

namespace {

bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// One '-'-separated fragment: all lower-case (with digits) or all upper-case (with digits).
bool isFragment(std::string_view f, bool first, bool wordsOnly) {
  if (f.empty()) return false;
  if (first && !isLower(f[0]) && !isUpper(f[0])) return false;
  bool lower = false, upper = false;
  for (char c : f) {
    if (isLower(c)) lower = true;
    else if (isUpper(c)) upper = true;
    else if (!isDigit(c)) return false;
  }
  if (lower && upper) return false;
  return !(wordsOnly && upper);
}

bool isFragments(std::string_view s, bool wordsOnly) {
  if (s.empty()) return false;
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t dash = s.find('-', start);
    std::string_view frag = s.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    if (!isFragment(frag, first, wordsOnly)) return false;
    if (dash == std::string_view::npos) return true;
    start = dash + 1;
    first = false;
  }
}

// semver numeric identifier: 0 or [1-9][0-9]*.
bool parseNumber(std::string_view s, uint64_t& out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  for (char c : s)
    if (!isDigit(c)) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without leading zeros (pre-release).
bool validIdentifiers(std::string_view s, bool numericRule) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view id = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (id.empty()) return false;
    bool allDigits = true;
    for (char c : id) {
      if (!(isDigit(c) || isLower(c) || isUpper(c) || c == '-')) return false;
      if (!isDigit(c)) allDigits = false;
    }
    if (numericRule && allDigits && id.size() > 1 && id[0] == '0') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::unexpected<Error> invalidName(std::string_view name, std::string why) {
  return fail(ErrorKind::Invalid, "invalid name `" + std::string(name) + "`: " + std::move(why));
}

}  // namespace

bool isLabel(std::string_view s) { return isFragments(s, false); }
bool isWords(std::string_view s) { return isFragments(s, true); }

std::optional<Semver> Semver::parse(std::string_view text) {
  Semver v;
  std::string_view core = text;
  if (size_t plus = core.find('+'); plus != std::string_view::npos) {
    v.build = std::string(core.substr(plus + 1));
    if (!validIdentifiers(v.build, false)) return std::nullopt;
    core = core.substr(0, plus);
  }
  if (size_t dash = core.find('-'); dash != std::string_view::npos) {
    v.pre = std::string(core.substr(dash + 1));
    if (!validIdentifiers(v.pre, true)) return std::nullopt;
    core = core.substr(0, dash);
  }
  size_t d1 = core.find('.');
  if (d1 == std::string_view::npos) return std::nullopt;
  size_t d2 = core.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return std::nullopt;
  if (!parseNumber(core.substr(0, d1), v.major) || !parseNumber(core.substr(d1 + 1, d2 - d1 - 1), v.minor) ||
      !parseNumber(core.substr(d2 + 1), v.patch))
    return std::nullopt;
  return v;
}

std::string Semver::toString() const {
  std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  if (!pre.empty()) s += "-" + pre;
  if (!build.empty()) s += "+" + build;
  return s;
}

int Semver::compare(const Semver& o) const {
  if (major != o.major) return major < o.major ? -1 : 1;
  if (minor != o.minor) return minor < o.minor ? -1 : 1;
  if (patch != o.patch) return patch < o.patch ? -1 : 1;
  // semver §11.3: a version without pre-release has higher precedence.
  if (pre.empty() || o.pre.empty()) return pre.empty() == o.pre.empty() ? 0 : (pre.empty() ? 1 : -1);
  std::string_view a = pre, b = o.pre;
  while (true) {
    size_t da = a.find('.'), db = b.find('.');
    std::string_view ia = a.substr(0, da), ib = b.substr(0, db);
    uint64_t na = 0, nb = 0;
    bool numA = parseNumber(ia, na), numB = parseNumber(ib, nb);
    if (numA && numB) {
      if (na != nb) return na < nb ? -1 : 1;
    } else if (numA != numB) {
      return numA ? -1 : 1;  // numeric identifiers have lower precedence
    } else if (int c = ia.compare(ib); c != 0) {
      return c < 0 ? -1 : 1;
    }
    bool endA = da == std::string_view::npos, endB = db == std::string_view::npos;
    if (endA || endB) return endA == endB ? 0 : (endA ? -1 : 1);
    a = a.substr(da + 1);
    b = b.substr(db + 1);
  }
}

std::string Semver::canonical() const {
  if (major > 0) return std::to_string(major);
  if (minor > 0) return "0." + std::to_string(minor);
  return "0.0." + std::to_string(patch);
}

bool Semver::serves(const Semver& wanted) const {
  if (!pre.empty() || !wanted.pre.empty()) return compare(wanted) == 0;
  if (canonical() != wanted.canonical()) return false;
  return compare(wanted) >= 0;
}

std::string ExternName::unversioned() const { return ns + ":" + package + "/" + interface; }

Result<ExternName> ExternName::parse(std::string_view text) {
  ExternName n;
  n.text = std::string(text);
  auto bracket = [&](std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; };
  if (bracket("[constructor]")) {
    n.kind = Kind::Constructor;
    n.resource = std::string(text.substr(13));
    if (!isLabel(n.resource)) return invalidName(text, "`" + n.resource + "` is not a valid kebab-case label");
    return n;
  }
  if (bracket("[method]") || bracket("[static]")) {
    n.kind = bracket("[method]") ? Kind::Method : Kind::Static;
    std::string_view rest = text.substr(8);
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos) return invalidName(text, "expected `resource.function` after the annotation");
    n.resource = std::string(rest.substr(0, dot));
    n.function = std::string(rest.substr(dot + 1));
    if (!isLabel(n.resource) || !isLabel(n.function))
      return invalidName(text, "resource and function must be kebab-case labels");
    return n;
  }
  if (!text.empty() && text[0] == '[') {
    if (bracket("[async"))
      return fail(ErrorKind::Unsupported, "`" + std::string(text) +
                                              "`: async functions (component-model concurrency) are not supported");
    return invalidName(text, "unknown annotation");
  }
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    if (!isLabel(text)) return invalidName(text, "not a kebab-case label or an interface name");
    n.kind = Kind::Label;
    return n;
  }
  // interfacename ::= namespace+ words projection+ interfaceversion?
  n.kind = Kind::Interface;
  std::string_view body = text;
  if (size_t at = body.find('@'); at != std::string_view::npos) {
    auto v = Semver::parse(body.substr(at + 1));
    if (!v) {
      // A bare canonversion ("0.2", "1") is also allowed (🔗).
      std::string_view cv = body.substr(at + 1);
      std::string padded(cv);
      size_t dots = std::count(cv.begin(), cv.end(), '.');
      if (dots == 0) padded += ".0.0";
      else if (dots == 1) padded += ".0";
      v = dots <= 2 ? Semver::parse(padded) : std::nullopt;
      if (!v) return invalidName(text, "`" + std::string(cv) + "` is not a valid semantic version");
    }
    n.version = *v;
    body = body.substr(0, at);
  }
  size_t slash = body.find('/');
  if (slash == std::string_view::npos) return invalidName(text, "an interface name needs `/interface`");
  std::string_view pkgPart = body.substr(0, slash), ifacePart = body.substr(slash + 1);
  size_t lastColon = pkgPart.rfind(':');
  std::string_view nsPart = pkgPart.substr(0, lastColon), pkg = pkgPart.substr(lastColon + 1);
  for (size_t s = 0;;) {
    size_t c = nsPart.find(':', s);
    if (!isWords(nsPart.substr(s, c == std::string_view::npos ? std::string_view::npos : c - s)))
      return invalidName(text, "namespaces must be lower-case kebab-case words");
    if (c == std::string_view::npos) break;
    s = c + 1;
  }
  if (!isWords(pkg)) return invalidName(text, "the package must be lower-case kebab-case words");
  for (size_t s = 0;;) {
    size_t c = ifacePart.find('/', s);
    if (!isLabel(ifacePart.substr(s, c == std::string_view::npos ? std::string_view::npos : c - s)))
      return invalidName(text, "the interface must be a kebab-case label");
    if (c == std::string_view::npos) break;
    s = c + 1;
  }
  n.ns = std::string(nsPart);
  n.package = std::string(pkg);
  n.interface = std::string(ifacePart);
  return n;
}

std::string uniquenessKey(std::string_view name) {
  std::string s(name);
  for (char& c : s)
    if (isUpper(c)) c = static_cast<char>(c - 'A' + 'a');
  auto strip = [&](std::string_view prefix) -> bool {
    if (s.compare(0, prefix.size(), prefix) != 0) return false;
    std::string rest = s.substr(prefix.size());
    size_t dot = rest.find('.');
    if (dot != std::string::npos && rest.substr(0, dot) == rest.substr(dot + 1)) rest = rest.substr(0, dot);
    s = rest;
    return true;
  };
  if (!strip("[method]") && !strip("[static]")) {
    if (s.size() > 1 && s[0] == '[' && s.compare(0, 13, "[constructor]") != 0) {
      size_t close = s.find(']');
      if (close != std::string::npos) s = s.substr(close + 1);
    }
  }
  return s;
}

}  // namespace bantam::component
