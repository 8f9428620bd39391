// platform::Router: Spin's HTTP routing (crates/http/src/routes.rs over routefinder). A request
// path is compared with every route segment by segment; among the routes that match, the most
// specific wins: at the first position where they differ, a literal segment beats a `:param`,
// which beats the trailing wildcard, and a route that ends exactly there beats a wildcard that
// matches nothing. So exact routes win over wildcards, and the longest wildcard prefix wins.
// Routes are few (tens), so a linear scan costs well under a microsecond per request.
#include <algorithm>

#include "platform/manifest/context.h"
#include "platform/router.h"

namespace bantam::platform {

namespace {

// Spin's sanitize(): strip one trailing slash.
std::string stripOneSlash(std::string s) {
  if (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// Spin's sanitize_with_base(): base without its trailing slash + the route made absolute,
// without its trailing slash. Base "/" and route "/" give "".
std::string withBase(const std::string& base, const std::string& route) {
  std::string absolute = route.starts_with('/') ? route : "/" + route;
  return stripOneSlash(base) + stripOneSlash(absolute);
}

bool isParamChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Ranks of what a route has at one position (higher is more specific).
enum Rank : uint8_t { kWildcard = 1, kParam = 2, kLiteral = 3, kEnd = 4 };

struct PathSegments {
  std::vector<std::string_view> parts;
  std::vector<size_t> ends;  // offset just after each part in the path
};

PathSegments splitPath(std::string_view path) {
  PathSegments out;
  out.parts.reserve(8);
  out.ends.reserve(8);
  size_t at = path.starts_with('/') ? 1 : 0;
  if (at >= path.size()) return out;  // "/" or "": no segments
  while (true) {
    size_t slash = path.find('/', at);
    size_t end = slash == std::string_view::npos ? path.size() : slash;
    out.parts.push_back(path.substr(at, end - at));
    out.ends.push_back(end);
    if (slash == std::string_view::npos) break;
    at = slash + 1;
    // A trailing slash is not a segment: "/hello/" matches "/hello", as in routefinder.
    if (at == path.size()) break;
  }
  return out;
}

}  // namespace

Result<Router> Router::build(const App& app) {
  Router r;
  r.base_ = app.base.empty() ? "/" : app.base;
  manifest::Context ctx{app.displayPath};
  // The shape of a route (literals, parameter positions, wildcard) -> the trigger that has it.
  std::map<std::string, const HttpTrigger*> shapes;
  for (const HttpTrigger& t : app.httpTriggers) {
    if (t.isPrivate) continue;
    Entry e;
    e.trigger = &t;
    e.rawRoute = t.route;
    e.route = withBase(r.base_, t.route);
    std::string body = e.route;
    if (body.ends_with("/...") || body == "...") {
      e.wildcard = true;
      body.resize(body.size() >= 4 ? body.size() - 4 : 0);
    } else if (body.ends_with("/*")) {
      e.wildcard = true;
      body.resize(body.size() - 2);
    }
    e.prefix = body;
    auto malformed = [&](const std::string& why) {
      Error err = manifest::errorAt(ctx, t.line, "malformed route `" + t.route + "` (component `" + t.component +
                                                     "`): " + why);
      err.hint = "routes look like \"/hello\", \"/api/...\" (a trailing wildcard) or \"/users/:id\"";
      return std::unexpected(std::move(err));
    };
    std::string shape;
    size_t at = body.starts_with('/') ? 1 : 0;
    while (at < body.size() || (at == body.size() && at > 0 && body[at - 1] == '/')) {
      size_t slash = body.find('/', at);
      std::string seg = body.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
      if (seg.empty()) return malformed("it has an empty segment (`//`)");
      if (seg == "..." || seg == "*") return malformed("a wildcard (`...`) may only end a route");
      Segment s;
      if (seg.front() == ':') {
        std::string name = seg.substr(1);
        if (name.empty()) return malformed("`:` must be followed by a parameter name");
        for (char c : name) {
          if (!isParamChar(c)) return malformed("parameter `:" + name + "` may only use letters, digits, `_` and `-`");
        }
        for (const Segment& other : e.segments) {
          if (other.kind == Segment::Kind::Param && other.text == name) {
            return malformed("parameter `:" + name + "` appears twice");
          }
        }
        s.kind = Segment::Kind::Param;
        s.text = std::move(name);
        shape += "/:";
      } else {
        s.text = std::move(seg);
        shape += "/" + s.text;
      }
      e.segments.push_back(std::move(s));
      if (slash == std::string::npos) break;
      at = slash + 1;
    }
    if (e.wildcard) shape += "/...";
    auto [it, fresh] = shapes.emplace(shape, &t);
    if (!fresh) {
      const HttpTrigger& first = *it->second;
      Error err = manifest::errorAt(
          ctx, t.line,
          "duplicate route `" + (e.route.empty() ? std::string("/") : e.route) + "`: the [[trigger.http]] at line " +
              std::to_string(first.line) + " (component `" + first.component + "`) already answers the same requests" +
              (first.route != t.route ? " with `" + first.route + "`" : std::string()));
      err.hint = "give each trigger its own route; component `" + t.component + "` cannot share it";
      return std::unexpected(std::move(err));
    }
    if (e.route.starts_with(kWellKnownPrefix)) {
      r.warnings_.push_back(app.displayPath + ":" + std::to_string(t.line) + ": route `" + e.route +
                            "` (component `" + t.component + "`) is under " + std::string(kWellKnownPrefix) +
                            ", which the runtime answers itself: it will never be reached");
    }
    r.entries_.push_back(std::move(e));
  }
  return r;
}

std::optional<RouteMatch> Router::match(std::string_view path) const {
  if (path.starts_with(kWellKnownPrefix)) {
    std::string_view rest = path.substr(kWellKnownPrefix.size());
    RouteMatch m;
    if (rest == "health") {
      m.reserved = RouteMatch::Reserved::Health;
    } else if (rest == "info") {
      m.reserved = RouteMatch::Reserved::Info;
    } else {
      return std::nullopt;
    }
    m.matchedRoute = std::string(path);
    m.componentRoute = m.matchedRoute;
    m.basePath = base_;
    return m;
  }

  PathSegments segs = splitPath(path);
  const Entry* best = nullptr;
  auto rankAt = [](const Entry& e, size_t i) -> uint8_t {
    if (i < e.segments.size()) return e.segments[i].kind == Segment::Kind::Literal ? kLiteral : kParam;
    return e.wildcard ? kWildcard : kEnd;
  };
  for (const Entry& e : entries_) {
    size_t n = e.segments.size();
    if (e.wildcard ? segs.parts.size() < n : segs.parts.size() != n) continue;
    bool ok = true;
    for (size_t i = 0; i < n && ok; ++i) {
      const Segment& s = e.segments[i];
      ok = s.kind == Segment::Kind::Literal ? segs.parts[i] == s.text : !segs.parts[i].empty();
    }
    if (!ok) continue;
    if (best != nullptr) {
      size_t limit = std::max(n, best->segments.size()) + 1;
      int cmp = 0;
      for (size_t i = 0; i < limit && cmp == 0; ++i) cmp = int(rankAt(e, i)) - int(rankAt(*best, i));
      if (cmp <= 0) continue;  // equal shapes cannot both exist (duplicates are refused)
    }
    best = &e;
  }
  if (best == nullptr) return std::nullopt;

  RouteMatch m;
  m.trigger = best->trigger;
  m.matchedRoute = best->route;
  m.componentRoute = best->prefix;
  m.rawRoute = best->rawRoute;
  m.rawComponentRoute = best->rawRoute.ends_with("/...") ? best->rawRoute.substr(0, best->rawRoute.size() - 4)
                                                         : best->rawRoute;
  m.basePath = base_;
  size_t n = best->segments.size();
  for (size_t i = 0; i < n; ++i) {
    if (best->segments[i].kind == Segment::Kind::Param) m.params.emplace(best->segments[i].text, segs.parts[i]);
  }
  if (best->wildcard) {
    // Spin's trailing_wildcard(): everything after the matched prefix, slashes included
    // ("/foo/..." on "/foo" -> "", "/foo/" -> "/", "/foo/bar/" -> "/bar/").
    size_t offset = n == 0 ? 0 : segs.ends[n - 1];
    m.pathInfo = std::string(path.substr(offset));
  }
  return m;
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) {
    RouteInfo info;
    info.route = e.route.empty() ? "/" : e.route;
    info.trigger = e.trigger;
    info.wildcard = e.wildcard;
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace bantam::platform
