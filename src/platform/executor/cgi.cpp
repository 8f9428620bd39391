// CGI environment, argv expansion and CGI response parsing, following Spin's wagi executor
// (crates/http/src/wagi and crates/trigger-http/src/headers.rs) value by value.
#include "platform/executor/cgi.h"

#include <cctype>
#include <charconv>

namespace bantam::platform::wagi {

namespace {

// Sets `key` (replacing an earlier value, as Spin's HashMap insert does).
void put(HeaderList& env, std::string key, std::string value) {
  for (auto& [k, v] : env)
    if (k == key) {
      v = std::move(value);
      return;
    }
  env.emplace_back(std::move(key), std::move(value));
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// http::HeaderValue::to_str: visible ASCII and tab only.
bool isVisibleAscii(std::string_view v) {
  for (unsigned char c : v)
    if (!(c == '\t' || (c >= 32 && c < 127))) return false;
  return true;
}

// http::HeaderValue::from_str: no control characters but tab, no DEL.
bool isValidHeaderValue(std::string_view v) {
  for (unsigned char c : v)
    if ((c < 32 && c != '\t') || c == 127) return false;
  return true;
}

// RFC 9110 token.
bool isValidHeaderName(std::string_view n) {
  if (n.empty()) return false;
  for (unsigned char c : n) {
    if (std::isalnum(c)) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the valid UTF-8 sequence at s[i], or 0 if there is none.
size_t utf8Sequence(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (n == 0 || (c >= 0xe0 && n == 3 && c > 0xef) || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  unsigned char c1 = byte(i + 1);
  if (c == 0xe0 && c1 < 0xa0) return 0;  // overlong
  if (c == 0xed && c1 > 0x9f) return 0;  // surrogates
  if (c == 0xf0 && c1 < 0x90) return 0;  // overlong
  if (c == 0xf4 && c1 > 0x8f) return 0;  // past U+10FFFF
  return n;
}

}  // namespace

std::string percentDecode(std::string_view text) {
  std::string bytes;
  bytes.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = hexValue(text[i + 1]), lo = hexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        bytes.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    bytes.push_back(text[i]);
  }
  // decode_utf8_lossy: each maximal invalid subsequence becomes U+FFFD (one per bad byte here,
  // which differs from Rust only for truncated multi-byte sequences).
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    size_t n = utf8Sequence(bytes, i);
    if (n == 0) {
      out += "\xef\xbf\xbd";
      ++i;
    } else {
      out.append(bytes, i, n);
      i += n;
    }
  }
  return out;
}

HeaderList buildCgiEnvironment(const HttpRequest& request, const RouteMatch& match) {
  HeaderList env;
  env.reserve(32 + request.headers.size());
  // parse_host_header_uri: "localhost":80, then the configured default host ("default_host"
  // in Spin), then the Host header, each as host[:port].
  std::string host = "default_host", port = "80";
  const std::string* hostHeader = request.header("host");
  if (hostHeader != nullptr) {
    std::string_view h = *hostHeader;
    size_t colon = h.find(':');
    if (colon != 0 && !h.empty()) host = std::string(h.substr(0, colon));
    if (colon != std::string_view::npos && colon + 1 < h.size()) port = std::string(h.substr(colon + 1));
  }
  std::string_view rawPathInfo = match.pathInfo;
  std::string decodedPathInfo = percentDecode(rawPathInfo);
  const std::string* contentType = request.header("content-type");

  put(env, "AUTH_TYPE", "");
  put(env, "CONTENT_LENGTH", std::to_string(request.body.size()));
  put(env, "CONTENT_TYPE", contentType ? *contentType : std::string());
  put(env, "X_FULL_URL", request.scheme + "://" + host + ":" + port + request.target);
  put(env, "GATEWAY_INTERFACE", "CGI/1.1");
  put(env, "X_MATCHED_ROUTE", match.matchedRoute);
  put(env, "QUERY_STRING", std::string(request.query()));
  put(env, "REMOTE_ADDR", request.remoteAddr);
  put(env, "REMOTE_HOST", request.remoteAddr);
  put(env, "REMOTE_USER", "");
  put(env, "REQUEST_METHOD", request.method);
  put(env, "SCRIPT_NAME", match.componentRoute);
  put(env, "X_RAW_PATH_INFO", std::string(rawPathInfo));
  put(env, "PATH_INFO", decodedPathInfo);
  put(env, "PATH_TRANSLATED", decodedPathInfo);
  put(env, "SERVER_NAME", host);
  put(env, "SERVER_PORT", port);
  put(env, "SERVER_PROTOCOL", request.versionString());
  put(env, "SERVER_SOFTWARE", "WAGI/1");
  for (const auto& [name, value] : request.headers) {
    std::string key = "HTTP_" + upper(name);
    for (char& c : key)
      if (c == '-') c = '_';
    if (key == "HTTP_AUTHORIZATION" || key == "HTTP_CONNECTION") continue;  // RFC 3875 §4.1.18
    put(env, std::move(key), isVisibleAscii(value) ? value : std::string("CORRUPT VALUE"));
  }

  // compute_default_headers (the WAGI names), which override the above.
  put(env, "PATH_INFO", std::string(rawPathInfo));
  put(env, "X_FULL_URL", request.scheme + "://" + (hostHeader ? *hostHeader : std::string("localhost")) +
                             request.target);
  put(env, "X_MATCHED_ROUTE", match.matchedRoute);
  put(env, "X_BASE_PATH", match.basePath);
  put(env, "X_RAW_COMPONENT_ROUTE", match.rawRoute);
  put(env, "X_COMPONENT_ROUTE", match.rawComponentRoute);
  put(env, "X_CLIENT_ADDR", request.remoteAddr + ":" + std::to_string(request.remotePort));
  for (const auto& [name, value] : match.params) put(env, "X_PATH_MATCH_" + upper(name), value);
  return env;
}

std::vector<std::string> expandArgv(std::string_view argvTemplate, const HttpRequest& request) {
  std::string args(request.query());
  for (char& c : args)
    if (c == '&') c = ' ';
  auto replaceAll = [](std::string s, std::string_view from, std::string_view to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
      s.replace(at, from.size(), to);
    return s;
  };
  std::string argv = replaceAll(std::string(argvTemplate), "${SCRIPT_NAME}", request.path());
  argv = replaceAll(std::move(argv), "${ARGS}", args);
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t space = argv.find(' ', start);
    out.push_back(argv.substr(start, space - start));
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return out;
}

HttpResponse parseCgiResponse(std::string_view out) {
  // compose_response: the headers end at the first "\n\n", CRs not counted.
  std::string headerBytes;
  size_t bodyStart = out.size();
  bool foundEnd = false;
  char last = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (c == '\r') continue;
    if (c == '\n' && last == '\n') {
      bodyStart = i + 1;
      foundEnd = true;
      break;
    }
    last = c;
    headerBytes.push_back(c);
  }
  HttpResponse response;
  if (!foundEnd) {
    // Everything was body; there are no headers.
    return HttpResponse::text(500, "Exactly one of 'location' or 'content-type' must be specified");
  }
  response.body.assign(out.substr(bodyStart));

  // parse_cgi_headers: "name: value" per line, trimmed; a repeated name keeps its last value.
  HeaderList cgi;
  std::string_view rest = trim(headerBytes);
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // "corrupt header": ignored
    std::string name = lower(trim(line.substr(0, colon)));
    std::string value(trim(line.substr(colon + 1)));
    put(cgi, std::move(name), std::move(value));
  }

  bool sufficient = false, explicitStatus = false;
  bool hasLocation = false;
  for (auto& [name, value] : cgi) {
    if (name == "content-type") {
      sufficient = true;
      if (isValidHeaderValue(value)) response.headers.emplace_back("content-type", value);
    } else if (name == "status") {
      sufficient = true;
      explicitStatus = true;
      std::string_view code = value;
      code = code.substr(0, code.find(' '));
      unsigned n = 0;
      auto [p, ec] = std::from_chars(code.data(), code.data() + code.size(), n);
      bool valid = ec == std::errc() && p == code.data() + code.size() && code.size() == 3 && n >= 100 && n <= 999;
      response.status = valid ? static_cast<uint16_t>(n) : 502;
    } else if (name == "location") {
      sufficient = true;
      if (isValidHeaderValue(value)) response.headers.emplace_back("location", value);
      hasLocation = true;
    } else if (name == "transfer-encoding" && lower(value) == "chunked") {
      response.chunked = true;
    } else if (name == "content-length" || name == "transfer-encoding" || name == "connection") {
      // Framing is the server's business: the body's real length is what gets sent.
    } else if (isValidHeaderName(name) && isValidHeaderValue(value)) {
      response.headers.emplace_back(name, value);
    }
  }
  if (hasLocation && !explicitStatus) response.status = 302;
  if (!sufficient) return HttpResponse::text(500, "Exactly one of 'location' or 'content-type' must be specified");
  return response;
}

}  // namespace bantam::platform::wagi
