// The WAGI protocol as Spin's wagi executor speaks it (RFC 3875 CGI over WASI preview 1): the
// request becomes the guest's environment and argv, its stdout becomes the response.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "platform/http_types.h"
#include "platform/router.h"

namespace bantam::platform::wagi {

// The CGI meta-variables for one request, as Spin sets them: build_headers (RFC 3875 §4.1 plus
// X_FULL_URL, X_MATCHED_ROUTE, X_RAW_PATH_INFO, HTTP_* for each header but Authorization and
// Connection), then Spin's default headers over them (PATH_INFO, X_FULL_URL, X_MATCHED_ROUTE,
// X_BASE_PATH, X_RAW_COMPONENT_ROUTE, X_COMPONENT_ROUTE, X_CLIENT_ADDR, X_PATH_MATCH_<NAME>).
// Later entries win for a repeated name (a header sent twice: the last value, as Spin).
// One deviation: CONTENT_TYPE is the request's Content-Type (Spin looks up a header named
// "CONTENT_TYPE", which no client sends, and always passes "").
HeaderList buildCgiEnvironment(const HttpRequest& request, const RouteMatch& match);

// Spin's argv: `${SCRIPT_NAME}` becomes the request path, `${ARGS}` the query string with '&'
// replaced by ' ', then the result is split at every ' ' (empty arguments kept, as Spin).
std::vector<std::string> expandArgv(std::string_view argvTemplate, const HttpRequest& request);

// RFC 3875 §6 as Spin's compose_response reads it: header lines (CR ignored) up to the first
// empty line, then the body. Content-Type, Status or Location must be present (else a 500 that
// says so); "Status: CODE [reason]" sets the status (not a valid code: 502); Location without
// Status is a 302. Other headers pass through with lower-case names; invalid names or values are
// dropped. "Transfer-Encoding: chunked" asks the server to send the body chunked.
HttpResponse parseCgiResponse(std::string_view stdoutBytes);

// Percent-decoding as Spin's percent_decode_str(..).decode_utf8_lossy(): invalid escapes are
// kept as written; invalid UTF-8 becomes U+FFFD.
std::string percentDecode(std::string_view text);

}  // namespace bantam::platform::wagi
