// platform::Router: Spin's route precedence, parameters, wildcards, the base, private routes,
// reserved paths, and the fields the WAGI executor turns into CGI variables.
#include <gtest/gtest.h>

#include "platform/router.h"

namespace bantam::platform {
namespace {

// An app with one trigger per route, routed to components named after their index ("c0", ...).
App appWith(std::vector<std::string> routes, std::string base = "/") {
  App app;
  app.displayPath = "spin.toml";
  app.base = std::move(base);
  uint32_t line = 1;
  for (size_t i = 0; i < routes.size(); ++i) {
    HttpTrigger t;
    t.route = routes[i];
    t.component = "c" + std::to_string(i);
    t.line = line;
    line += 3;
    app.httpTriggers.push_back(t);
  }
  return app;
}

// The component a path routes to, "-" for none, "reserved" for Spin's own paths.
std::string routeOf(const Router& r, std::string_view path) {
  auto m = r.match(path);
  if (!m) return "-";
  if (m->trigger == nullptr) return "reserved";
  return m->trigger->component;
}

TEST(Router, ExactRoutes) {
  App app = appWith({"/foo", "/foo/bar"});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/foo"), "c0");
  EXPECT_EQ(routeOf(*r, "/foo/bar"), "c1");
  EXPECT_EQ(routeOf(*r, "/foo/"), "c0");  // a trailing slash is ignored
  EXPECT_EQ(routeOf(*r, "/foo/baz"), "-");
  EXPECT_EQ(routeOf(*r, "/fo"), "-");
  EXPECT_EQ(routeOf(*r, "/"), "-");
}

TEST(Router, RootRouteMatchesOnlyTheRoot) {
  App app = appWith({"/"});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/"), "c0");
  EXPECT_EQ(routeOf(*r, ""), "c0");
  EXPECT_EQ(routeOf(*r, "/x"), "-");
}

TEST(Router, RootWildcardMatchesEverything) {
  App app = appWith({"/..."});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/"), "c0");
  EXPECT_EQ(routeOf(*r, "/foo/bar"), "c0");
  EXPECT_EQ(routeOf(*r, "/abc/"), "c0");
  EXPECT_EQ(r->match("/1/2/3")->pathInfo, "/1/2/3");
  EXPECT_EQ(r->match("/")->pathInfo, "/");
}

TEST(Router, TrailingWildcardPathInfoKeepsSlashesAsSpinDoes) {
  App app = appWith({"/test/..."});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->match("/test")->pathInfo, "");
  EXPECT_EQ(r->match("/test/")->pathInfo, "/");
  EXPECT_EQ(r->match("/test/hello")->pathInfo, "/hello");
  EXPECT_EQ(r->match("/test/hello/")->pathInfo, "/hello/");
  EXPECT_EQ(r->match("/test/a/b/c")->pathInfo, "/a/b/c");
  EXPECT_EQ(routeOf(*r, "/testing"), "-");
}

TEST(Router, StarIsAWildcardToo) {
  App app = appWith({"/static/*"});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/static/a/b.css"), "c0");
  EXPECT_EQ(r->match("/static/a/b.css")->pathInfo, "/a/b.css");
  EXPECT_EQ(r->match("/static/a/b.css")->componentRoute, "/static");
}

TEST(Router, ExactBeatsWildcard) {
  App app = appWith({"/...", "/one"});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/one"), "c1");
  EXPECT_EQ(routeOf(*r, "/one/"), "c1");
  EXPECT_EQ(routeOf(*r, "/two"), "c0");
  EXPECT_EQ(routeOf(*r, "/one/more"), "c0");
}

TEST(Router, ExactBeatsAWildcardOnTheSamePrefix) {
  App app = appWith({"/api/...", "/api"});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/api"), "c1");
  EXPECT_EQ(routeOf(*r, "/api/x"), "c0");
}

TEST(Router, LongestWildcardWinsWhateverTheOrder) {
  for (bool reversed : {false, true}) {
    std::vector<std::string> routes{"/one/...", "/one/two/...", "/one/two/three/..."};
    if (reversed) std::reverse(routes.begin(), routes.end());
    App app = appWith(routes);
    auto r = Router::build(app);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->match("/one/two/three/four")->trigger->route, "/one/two/three/...");
    EXPECT_EQ(r->match("/one/two/x")->trigger->route, "/one/two/...");
    EXPECT_EQ(r->match("/one/x")->trigger->route, "/one/...");
  }
}

TEST(Router, NamedSegmentsAreCaptured) {
  App app = appWith({"/users/:id", "/1/:two/3", "/files/:owner/..."});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  auto m = r->match("/users/42");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->trigger->component, "c0");
  EXPECT_EQ(m->params, (std::map<std::string, std::string>{{"id", "42"}}));
  EXPECT_EQ(r->match("/1/2/3")->params.at("two"), "2");
  auto w = r->match("/files/ann/docs/a.txt");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->params.at("owner"), "ann");
  EXPECT_EQ(w->pathInfo, "/docs/a.txt");
  EXPECT_EQ(w->componentRoute, "/files/:owner");
  EXPECT_EQ(routeOf(*r, "/users"), "-");
  EXPECT_EQ(routeOf(*r, "/users/42/x"), "-");
  EXPECT_EQ(routeOf(*r, "/users//"), "-");  // a parameter does not match an empty segment
}

TEST(Router, ParamsAreNotPercentDecoded) {
  App app = appWith({"/users/:id"});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->match("/users/a%20b")->params.at("id"), "a%20b");
}

TEST(Router, LiteralBeatsParamBeatsWildcard) {
  App app = appWith({"/users/...", "/users/:id", "/users/me"});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/users/me"), "c2");
  EXPECT_EQ(routeOf(*r, "/users/42"), "c1");
  EXPECT_EQ(routeOf(*r, "/users/42/posts"), "c0");
  EXPECT_EQ(routeOf(*r, "/users"), "c0");
}

TEST(Router, EarlierLiteralWinsOverLaterLiteral) {
  App app = appWith({"/:a/b", "/a/:b"});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/a/b"), "c1");
}

TEST(Router, PrivateRoutesAreNotRoutable) {
  App app = appWith({"/...", "/internal"});
  app.httpTriggers[1].isPrivate = true;
  app.httpTriggers[1].route.clear();
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/internal"), "c0");
  EXPECT_EQ(r->routes().size(), 1u);
}

TEST(Router, TheBaseIsPrefixedToEveryRoute) {
  App app = appWith({"/foo", "/foo/bar", "/api/..."}, "/base");
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/base/foo"), "c0");
  EXPECT_EQ(routeOf(*r, "/base/foo/bar"), "c1");
  EXPECT_EQ(routeOf(*r, "/foo"), "-");
  EXPECT_EQ(routeOf(*r, "/base/api/x/y"), "c2");
  auto m = r->match("/base/api/x/y");
  EXPECT_EQ(m->matchedRoute, "/base/api/...");
  EXPECT_EQ(m->componentRoute, "/base/api");
  EXPECT_EQ(m->rawRoute, "/api/...");
  EXPECT_EQ(m->rawComponentRoute, "/api");
  EXPECT_EQ(m->basePath, "/base");
  EXPECT_EQ(m->pathInfo, "/x/y");
}

TEST(Router, BaseWithATrailingSlash) {
  App app = appWith({"/foo"}, "/base/");
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/base/foo"), "c0");
}

TEST(Router, MatchFieldsForTheWagiExecutor) {
  App app = appWith({"/foo/:userid/...", "/hello"});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  auto m = r->match("/foo/42/bar");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->matchedRoute, "/foo/:userid/...");      // X_MATCHED_ROUTE
  EXPECT_EQ(m->componentRoute, "/foo/:userid");        // SCRIPT_NAME
  EXPECT_EQ(m->rawRoute, "/foo/:userid/...");          // X_RAW_COMPONENT_ROUTE
  EXPECT_EQ(m->rawComponentRoute, "/foo/:userid");     // X_COMPONENT_ROUTE
  EXPECT_EQ(m->pathInfo, "/bar");                      // PATH_INFO
  EXPECT_EQ(m->params.at("userid"), "42");             // X_PATH_MATCH_USERID
  EXPECT_EQ(m->basePath, "/");
  auto exact = r->match("/hello");
  EXPECT_EQ(exact->matchedRoute, "/hello");
  EXPECT_EQ(exact->componentRoute, "/hello");
  EXPECT_EQ(exact->pathInfo, "");
}

TEST(Router, RouteWithoutLeadingSlashIsMadeAbsolute) {
  App app = appWith({"hello"});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  EXPECT_EQ(routeOf(*r, "/hello"), "c0");
}

TEST(Router, ReservedPathsAreAnsweredBeforeRouting) {
  App app = appWith({"/..."});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  auto health = r->match("/.well-known/spin/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->reserved, RouteMatch::Reserved::Health);
  EXPECT_EQ(health->trigger, nullptr);
  EXPECT_EQ(r->match("/.well-known/spin/info")->reserved, RouteMatch::Reserved::Info);
  EXPECT_EQ(routeOf(*r, "/.well-known/spin/other"), "-");
  EXPECT_EQ(routeOf(*r, "/.well-known/spin"), "c0");  // not under the prefix
  EXPECT_EQ(routeOf(*r, "/.well-known/other"), "c0");
}

TEST(Router, RoutesUnderTheReservedPrefixWarn) {
  App app = appWith({"/.well-known/spin/...", "/.well-known/spindle/..."});
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->warnings().size(), 1u);
  EXPECT_NE(r->warnings()[0].find("/.well-known/spin/..."), std::string::npos);
}

TEST(Router, DuplicateRoutesAreErrors) {
  App app = appWith({"/foo", "/bar", "/foo"});
  auto r = Router::build(app);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().line, 7u);
  EXPECT_NE(r.error().message.find("duplicate route `/foo`: the [[trigger.http]] at line 1 (component `c0`)"),
            std::string::npos)
      << r.error().message;
}

TEST(Router, SameShapeWithOtherParamNamesIsADuplicate) {
  App app = appWith({"/users/:id", "/users/:name"});
  auto r = Router::build(app);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("with `/users/:id`"), std::string::npos) << r.error().message;
}

TEST(Router, WildcardSpellingsAreDuplicates) {
  App app = appWith({"/static/...", "/static/*"});
  EXPECT_FALSE(Router::build(app));
}

TEST(Router, RoutesListsBasedRoutesInOrder) {
  App app = appWith({"/", "/api/..."}, "/v1");
  auto r = Router::build(app);
  ASSERT_TRUE(r);
  auto routes = r->routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].route, "/v1");
  EXPECT_FALSE(routes[0].wildcard);
  EXPECT_EQ(routes[1].route, "/v1/api/...");
  EXPECT_TRUE(routes[1].wildcard);
  EXPECT_EQ(routes[1].trigger, &app.httpTriggers[1]);
}

}  // namespace
}  // namespace bantam::platform
