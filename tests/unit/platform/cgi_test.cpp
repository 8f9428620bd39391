// WAGI's CGI environment, argv and response parsing, value by value as Spin's wagi executor.
#include <gtest/gtest.h>

#include "platform/executor/cgi.h"

namespace bantam::platform::wagi {
namespace {

HttpRequest request(std::string method, std::string target, HeaderList headers = {}, std::string body = {}) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers = std::move(headers);
  r.body = std::move(body);
  r.remoteAddr = "127.0.0.1";
  r.remotePort = 54321;
  return r;
}

RouteMatch wildcard(std::string route, std::string prefix, std::string pathInfo) {
  RouteMatch m;
  m.matchedRoute = route;
  m.componentRoute = prefix;
  m.pathInfo = std::move(pathInfo);
  m.rawRoute = route;
  m.rawComponentRoute = prefix;
  return m;
}

std::string get(const HeaderList& env, std::string_view key) {
  for (const auto& [k, v] : env)
    if (k == key) return v;
  return "<unset>";
}

int count(const HeaderList& env, std::string_view key) {
  int n = 0;
  for (const auto& [k, v] : env) n += k == key;
  return n;
}

TEST(CgiEnvironment, CarriesTheRequestLine) {
  auto env = buildCgiEnvironment(request("POST", "/api/users/1?x=1&y=2", {{"Host", "example.com:8080"}}, "abc"),
                                 wildcard("/api/...", "/api", "/users/1"));
  EXPECT_EQ(get(env, "REQUEST_METHOD"), "POST");
  EXPECT_EQ(get(env, "QUERY_STRING"), "x=1&y=2");
  EXPECT_EQ(get(env, "SCRIPT_NAME"), "/api");
  EXPECT_EQ(get(env, "PATH_INFO"), "/users/1");
  EXPECT_EQ(get(env, "X_RAW_PATH_INFO"), "/users/1");
  EXPECT_EQ(get(env, "X_MATCHED_ROUTE"), "/api/...");
  EXPECT_EQ(get(env, "X_COMPONENT_ROUTE"), "/api");
  EXPECT_EQ(get(env, "X_RAW_COMPONENT_ROUTE"), "/api/...");
  EXPECT_EQ(get(env, "X_BASE_PATH"), "/");
  EXPECT_EQ(get(env, "CONTENT_LENGTH"), "3");
  EXPECT_EQ(get(env, "SERVER_PROTOCOL"), "HTTP/1.1");
  EXPECT_EQ(get(env, "SERVER_SOFTWARE"), "WAGI/1");
  EXPECT_EQ(get(env, "GATEWAY_INTERFACE"), "CGI/1.1");
  EXPECT_EQ(get(env, "AUTH_TYPE"), "");
  EXPECT_EQ(get(env, "REMOTE_USER"), "");
}

TEST(CgiEnvironment, ServerNameAndPortComeFromTheHostHeader) {
  auto env = buildCgiEnvironment(request("GET", "/a", {{"Host", "example.com:8080"}}), wildcard("/a", "/a", ""));
  EXPECT_EQ(get(env, "SERVER_NAME"), "example.com");
  EXPECT_EQ(get(env, "SERVER_PORT"), "8080");
  EXPECT_EQ(get(env, "X_FULL_URL"), "http://example.com:8080/a");
}

TEST(CgiEnvironment, WithoutHostHeaderSpinsDefaultsApply) {
  auto env = buildCgiEnvironment(request("GET", "/a?q"), wildcard("/a", "/a", ""));
  EXPECT_EQ(get(env, "SERVER_NAME"), "default_host");
  EXPECT_EQ(get(env, "SERVER_PORT"), "80");
  EXPECT_EQ(get(env, "X_FULL_URL"), "http://localhost/a?q");
}

TEST(CgiEnvironment, ClientAddressesAreSet) {
  auto env = buildCgiEnvironment(request("GET", "/"), wildcard("/...", "", "/"));
  EXPECT_EQ(get(env, "REMOTE_ADDR"), "127.0.0.1");
  EXPECT_EQ(get(env, "REMOTE_HOST"), "127.0.0.1");
  EXPECT_EQ(get(env, "X_CLIENT_ADDR"), "127.0.0.1:54321");
}

TEST(CgiEnvironment, HeadersBecomeHttpVariables) {
  auto env = buildCgiEnvironment(
      request("GET", "/", {{"X-Custom-Thing", "v1"}, {"accept", "*/*"}, {"Content-Type", "text/csv"}}),
      wildcard("/...", "", "/"));
  EXPECT_EQ(get(env, "HTTP_X_CUSTOM_THING"), "v1");
  EXPECT_EQ(get(env, "HTTP_ACCEPT"), "*/*");
  EXPECT_EQ(get(env, "HTTP_CONTENT_TYPE"), "text/csv");
  EXPECT_EQ(get(env, "CONTENT_TYPE"), "text/csv");
}

TEST(CgiEnvironment, AuthorizationAndConnectionAreNotPassed) {
  auto env = buildCgiEnvironment(request("GET", "/", {{"Authorization", "secret"}, {"Connection", "close"}}),
                                 wildcard("/...", "", "/"));
  EXPECT_EQ(get(env, "HTTP_AUTHORIZATION"), "<unset>");
  EXPECT_EQ(get(env, "HTTP_CONNECTION"), "<unset>");
}

TEST(CgiEnvironment, RepeatedHeaderKeepsItsLastValueOnce) {
  auto env = buildCgiEnvironment(request("GET", "/", {{"X-A", "1"}, {"x-a", "2"}}), wildcard("/...", "", "/"));
  EXPECT_EQ(count(env, "HTTP_X_A"), 1);
  EXPECT_EQ(get(env, "HTTP_X_A"), "2");
}

TEST(CgiEnvironment, NonAsciiHeaderValueIsCorrupt) {
  auto env = buildCgiEnvironment(request("GET", "/", {{"X-Name", "caf\xc3\xa9"}}), wildcard("/...", "", "/"));
  EXPECT_EQ(get(env, "HTTP_X_NAME"), "CORRUPT VALUE");
}

TEST(CgiEnvironment, PathTranslatedIsPercentDecodedAndPathInfoIsNot) {
  auto env = buildCgiEnvironment(request("GET", "/f/a%20b%2Fc"), wildcard("/f/...", "/f", "/a%20b%2Fc"));
  EXPECT_EQ(get(env, "PATH_INFO"), "/a%20b%2Fc");
  EXPECT_EQ(get(env, "X_RAW_PATH_INFO"), "/a%20b%2Fc");
  EXPECT_EQ(get(env, "PATH_TRANSLATED"), "/a b/c");
}

TEST(CgiEnvironment, NamedSegmentsBecomePathMatchVariables) {
  RouteMatch m = wildcard("/users/:id", "/users/:id", "");
  m.params = {{"id", "42"}, {"org_name", "acme"}};
  auto env = buildCgiEnvironment(request("GET", "/users/42"), m);
  EXPECT_EQ(get(env, "X_PATH_MATCH_ID"), "42");
  EXPECT_EQ(get(env, "X_PATH_MATCH_ORG_NAME"), "acme");
}

TEST(CgiEnvironment, EveryNameAppearsOnce) {
  auto env = buildCgiEnvironment(request("GET", "/x", {{"Host", "h"}}), wildcard("/x", "/x", ""));
  for (const auto& [k, v] : env) EXPECT_EQ(count(env, k), 1) << k;
}

TEST(PercentDecode, InvalidEscapesStayAndBadUtf8IsReplaced) {
  EXPECT_EQ(percentDecode("%41%zz%4"), "A%zz%4");
  EXPECT_EQ(percentDecode("%ff"), "\xef\xbf\xbd");
  EXPECT_EQ(percentDecode("%C3%A9"), "\xc3\xa9");
}

TEST(CgiArgv, ScriptNameAndArgsAreExpandedAndSplitAtSpaces) {
  auto argv = expandArgv("${SCRIPT_NAME} ${ARGS}", request("GET", "/hello/x?a=1&b=2"));
  EXPECT_EQ(argv, (std::vector<std::string>{"/hello/x", "a=1", "b=2"}));
}

TEST(CgiArgv, EmptyQueryLeavesAnEmptyArgument) {
  auto argv = expandArgv("${SCRIPT_NAME} ${ARGS}", request("GET", "/hello"));
  EXPECT_EQ(argv, (std::vector<std::string>{"/hello", ""}));
}

TEST(CgiArgv, CustomTemplate) {
  auto argv = expandArgv("python app.py ${SCRIPT_NAME}", request("GET", "/p?z"));
  EXPECT_EQ(argv, (std::vector<std::string>{"python", "app.py", "/p"}));
}

TEST(CgiResponse, ContentTypeAndBody) {
  HttpResponse r = parseCgiResponse("Content-Type: text/plain\n\nHello\n");
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"content-type", "text/plain"}));
  EXPECT_EQ(r.body, "Hello\n");
}

TEST(CgiResponse, CrLfLinesAndCrInTheBody) {
  HttpResponse r = parseCgiResponse("Content-Type: text/plain\r\n\r\na\r\nb");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "a\r\nb");
}

TEST(CgiResponse, StatusLineSetsTheCode) {
  HttpResponse r = parseCgiResponse("Status: 418 I'm a teapot\nContent-Type: text/plain\n\n");
  EXPECT_EQ(r.status, 418);
  EXPECT_EQ(r.body, "");
}

TEST(CgiResponse, StatusAloneIsEnough) {
  EXPECT_EQ(parseCgiResponse("Status: 204\n\n").status, 204);
}

TEST(CgiResponse, InvalidStatusIsBadGateway) {
  EXPECT_EQ(parseCgiResponse("Status: abc\nContent-Type: text/plain\n\n").status, 502);
  EXPECT_EQ(parseCgiResponse("Status: 42\nContent-Type: text/plain\n\n").status, 502);
}

TEST(CgiResponse, LocationWithoutStatusIsAFound) {
  HttpResponse r = parseCgiResponse("Location: /elsewhere\n\n");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"location", "/elsewhere"}));
}

TEST(CgiResponse, ExplicitStatusWinsOverLocation) {
  EXPECT_EQ(parseCgiResponse("Location: /x\nStatus: 301\n\n").status, 301);
  EXPECT_EQ(parseCgiResponse("Status: 307\nLocation: /x\n\n").status, 307);
}

TEST(CgiResponse, WithoutContentTypeStatusOrLocationIsAnError) {
  HttpResponse r = parseCgiResponse("X-Only: this\n\nbody");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "Exactly one of 'location' or 'content-type' must be specified");
}

TEST(CgiResponse, OutputWithoutAnEmptyLineIsAnError) {
  EXPECT_EQ(parseCgiResponse("just a body\n").status, 500);
}

TEST(CgiResponse, OtherHeadersPassLowerCasedAndTrimmed) {
  HttpResponse r = parseCgiResponse("Content-Type: text/html\nX-Custom:   spaced  \nbroken line\n\n");
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[1], (std::pair<std::string, std::string>{"x-custom", "spaced"}));
}

TEST(CgiResponse, RepeatedHeaderKeepsTheLastValue) {
  HttpResponse r = parseCgiResponse("Content-Type: a\nContent-Type: b\n\n");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "b");
}

TEST(CgiResponse, InvalidHeaderNamesAreDropped) {
  HttpResponse r = parseCgiResponse("Content-Type: a\nBad Name: x\n\n");
  EXPECT_EQ(r.headers.size(), 1u);
}

TEST(CgiResponse, FramingHeadersAreTheServers) {
  HttpResponse r = parseCgiResponse("Content-Type: a\nContent-Length: 999\nTransfer-Encoding: chunked\n\nbody");
  EXPECT_TRUE(r.chunked);
  EXPECT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.body, "body");
}

}  // namespace
}  // namespace bantam::platform::wagi
