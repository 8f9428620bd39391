// HTTP routing as Spin does it: exact routes, trailing wildcards ("/api/..."), named segments
// ("/users/:id"), the application base, exact matches before the longest wildcard, and the
// reserved "/.well-known/spin/..." paths.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/app.h"

namespace bantam::platform {

struct RouteMatch {
  const HttpTrigger* trigger = nullptr;        // nullptr for a reserved route
  enum class Reserved : uint8_t { None, Health, Info } reserved = Reserved::None;
  std::string matchedRoute;                    // the route as written, with the base: "/api/..."
  std::string componentRoute;                  // the matched prefix without "/...": "/api"
  std::string pathInfo;                        // the rest after the prefix: "/users/1" (may be empty)
  std::map<std::string, std::string> params;   // named segments: {"id": "42"}
};

class Router {
 public:
  // Errors: duplicate routes (as Spin reports them), malformed routes.
  static Result<Router> build(const App& app);
  // `path` is the request path without the query string, as received (not percent-decoded).
  std::optional<RouteMatch> match(std::string_view path) const;

 private:
  // The implementation (platform/router.cpp) chooses the representation.
  struct Entry {
    std::string route;
    const HttpTrigger* trigger = nullptr;
  };
  std::vector<Entry> entries_;
};

}  // namespace bantam::platform
