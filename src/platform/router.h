// HTTP routing as Spin does it: exact routes, trailing wildcards ("/api/..."), named segments
// ("/users/:id"), the application base, exact matches before the longest wildcard, and the
// reserved "/.well-known/spin/..." paths.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/app.h"

namespace bantam::platform {

// Spin answers these itself, before routing: GET /.well-known/spin/health ("OK") and
// /.well-known/spin/info (the app's name, version...). Anything else under the prefix is a 404.
inline constexpr std::string_view kWellKnownPrefix = "/.well-known/spin/";

struct RouteMatch {
  const HttpTrigger* trigger = nullptr;        // nullptr for a reserved route
  enum class Reserved : uint8_t { None, Health, Info } reserved = Reserved::None;
  std::string matchedRoute;                    // the route as written, with the base: "/api/..."
  std::string componentRoute;                  // the matched prefix without "/...": "/api"
  std::string pathInfo;                        // the rest after the prefix: "/users/1" (may be empty)
  std::map<std::string, std::string> params;   // named segments: {"id": "42"}
  // Added for the executors' headers (Spin's SPIN_RAW_COMPONENT_ROUTE / X_RAW_COMPONENT_ROUTE,
  // SPIN_COMPONENT_ROUTE / X_COMPONENT_ROUTE and SPIN_BASE_PATH / X_BASE_PATH):
  std::string rawRoute;                        // the route as written in the manifest: "/api/..."
  std::string rawComponentRoute;               // rawRoute without a trailing "/...": "/api"
  std::string basePath = "/";                  // the application base
};

// A routable entry, for listing ("Available Routes" at start-up).
struct RouteInfo {
  std::string route;                 // with the base, as written: "/api/..."
  const HttpTrigger* trigger = nullptr;
  bool wildcard = false;             // ends in "/..." (or "/*")
};

class Router {
 public:
  // Errors: duplicate routes (two triggers answering the same requests), malformed routes; both
  // name the manifest line of the trigger. The router points into `app`, which must outlive it.
  static Result<Router> build(const App& app);
  // `path` is the request path without the query string, as received (not percent-decoded).
  // nullopt: no route matches (a 404).
  std::optional<RouteMatch> match(std::string_view path) const;

  // In manifest order, private routes left out.
  std::vector<RouteInfo> routes() const;
  // Things worth telling the user that do not stop the app (a route under the reserved
  // /.well-known/spin/ prefix can never be reached).
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct Segment {
    enum class Kind : uint8_t { Literal, Param } kind = Kind::Literal;
    std::string text;  // the literal, or the parameter's name
  };
  struct Entry {
    std::string route;       // with the base, as written: "/base/api/..."
    std::string prefix;      // route without "/...": "/base/api"
    std::string rawRoute;    // as written in the manifest
    const HttpTrigger* trigger = nullptr;
    std::vector<Segment> segments;  // the base's segments, then the route's
    bool wildcard = false;
  };
  std::vector<Entry> entries_;
  std::string base_ = "/";
  std::vector<std::string> warnings_;
};

}  // namespace bantam::platform
