// Outbound HTTP for wasi:http/outgoing-handler: Spin's allowed_outbound_hosts check and a small
// blocking HTTP/1.1 client over TCP (one connection per request, Connection: close). TLS is
// not built in: https answers an error-code. Name resolution and connecting block the calling
// thread; waiting for the response sleeps through the context's clocks (a fiber's sleep under
// `bantam up`). Timeouts come from request-options (default: the config's). Requests to
// *.spin.internal never come here (service chaining, http_types.cpp).
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <cstring>

#include "wasi2/http.h"

namespace bantam::wasi2 {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool globMatch(std::string_view pattern, std::string_view value) {
  if (pattern == "*") return true;
  if (pattern.starts_with("*.")) return value.size() > pattern.size() - 1 && value.ends_with(pattern.substr(1));
  return pattern == value;
}

// "host:port" -> (host, port) with the scheme's default port.
std::pair<std::string, std::string> splitAuthority(std::string_view authority, std::string_view scheme) {
  std::string_view host = authority, port;
  if (!authority.empty() && authority[0] == '[') {  // [v6]:port
    size_t close = authority.find(']');
    host = authority.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    if (close != std::string_view::npos && close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  std::string p = port.empty() ? (scheme == "https" ? "443" : "80") : std::string(port);
  return {lower(host), p};
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Waits for `fd` without blocking the thread for long: polls, and between polls sleeps through
// the context's clocks (on a fiber under `bantam up`, the fiber sleeps and its loop runs on),
// backing off from 50 us to 2 ms.
bool waitFor(Wasi2Ctx& ctx, int fd, short events, int timeoutMs) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  uint64_t pauseNs = 50'000;
  for (;;) {
    pollfd p{fd, events, 0};
    if (::poll(&p, 1, 0) > 0) return true;
    if (std::chrono::steady_clock::now() >= deadline || ctx.interrupted()) return false;
    if (!ctx.clocks().sleep(pauseNs, [&] { return ctx.interrupted(); })) return false;
    pauseNs = std::min<uint64_t>(pauseNs * 2, 2'000'000);
  }
}

}  // namespace

bool isSpinInternal(std::string_view scheme, std::string_view authority) {
  auto [host, port] = splitAuthority(authority, scheme);
  constexpr std::string_view kSuffix = ".spin.internal";
  return scheme == "http" && host.size() > kSuffix.size() && host.ends_with(kSuffix);
}

std::string spinInternalId(std::string_view authority) {
  auto [host, port] = splitAuthority(authority, "http");
  return host.substr(0, host.size() - std::string_view(".spin.internal").size());
}

bool allowsChaining(const OutboundPolicy& policy, std::string_view authority) {
  OutboundPolicy named;
  for (const std::string& rule : policy.allowed) {
    std::string_view r = rule;
    if (!r.starts_with("http://")) continue;
    auto [host, port] = splitAuthority(r.substr(7), "http");
    while (!host.empty() && host.back() == '/') host.pop_back();
    if (host.ends_with(".spin.internal")) named.allowed.push_back(rule);
  }
  return named.allows("http", authority);
}

bool OutboundPolicy::allows(std::string_view scheme, std::string_view authority) const {
  auto [host, port] = splitAuthority(authority, scheme);
  for (const std::string& rule : allowed) {
    std::string_view r = rule;
    size_t sep = r.find("://");
    if (sep == std::string_view::npos) continue;
    std::string_view rs = r.substr(0, sep), rest = r.substr(sep + 3);
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rs != "*" && rs != scheme) continue;
    auto [rh, rp] = splitAuthority(rest, rs == "*" ? scheme : rs);
    if (rest.find(':') == std::string_view::npos && rest.find(']') == std::string_view::npos)
      rp = rs == "*" ? port : (rs == "https" ? "443" : "80");  // no port in the rule: the scheme's default
    if (globMatch(rh, host) && (rp == "*" || rp == port)) return true;
  }
  return false;
}

OutboundResult sendOutbound(Wasi2Ctx& ctx, const OutgoingRequestObj& req, const RequestOptionsObj* options) {
  OutboundResult out;
  std::string scheme = !req.schemeCase || *req.schemeCase == 1 ? "https" : *req.schemeCase == 0 ? "http" : req.schemeOther;
  if (scheme != "http") {
    out.error = httpErrorCode(kErrTlsProtocol);
    return out;
  }
  auto [host, port] = splitAuthority(*req.authority, scheme);
  int timeoutMs = static_cast<int>(std::min<uint64_t>(ctx.config().outboundTimeoutMs, INT32_MAX));
  if (options && options->connectTimeout) timeoutMs = static_cast<int>(std::min<uint64_t>(*options->connectTimeout / 1'000'000, INT32_MAX));

  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* ai = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &ai) != 0 || !ai) {
    out.error = httpErrorCode(kErrDestinationNotFound);
    return out;
  }
  Fd sock;
  for (addrinfo* a = ai; a; a = a->ai_next) {
    sock.fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (sock.fd < 0) continue;
    if (::connect(sock.fd, a->ai_addr, a->ai_addrlen) == 0) break;
    ::close(sock.fd);
    sock.fd = -1;
  }
  ::freeaddrinfo(ai);
  if (sock.fd < 0) {
    out.error = httpErrorCode(kErrConnectionRefused);
    return out;
  }

  std::string head = methodName(req.methodCase, req.methodOther) + " " + req.pathWithQuery.value_or("/") + " HTTP/1.1\r\n";
  bool hasHost = false;
  for (const auto& [k, v] : req.headers) {
    if (lower(k) == "host") hasHost = true;
    if (lower(k) == "content-length") continue;
    head += k + ": " + v + "\r\n";
  }
  if (!hasHost) head += "host: " + *req.authority + "\r\n";
  head += "content-length: " + std::to_string(req.body->data.size()) + "\r\nconnection: close\r\n\r\n";
  std::string wire = head + req.body->data;
  for (size_t sent = 0; sent < wire.size();) {
    ssize_t n = ::send(sock.fd, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      out.error = httpErrorCode(7);  // connection-terminated
      return out;
    }
    sent += static_cast<size_t>(n);
  }

  std::string resp;
  constexpr size_t kMaxResponse = 64u << 20;
  char buf[16384];
  for (;;) {
    if (!waitFor(ctx, sock.fd, POLLIN, timeoutMs)) {
      out.error = httpErrorCode(33);  // HTTP-response-timeout
      return out;
    }
    ssize_t n = ::recv(sock.fd, buf, sizeof buf, 0);
    if (n < 0) {
      out.error = httpErrorCode(7);
      return out;
    }
    if (n == 0) break;
    resp.append(buf, static_cast<size_t>(n));
    if (resp.size() > kMaxResponse) {
      out.error = httpErrorCode(28, Value::some(Value::u64(resp.size())));  // HTTP-response-body-size
      return out;
    }
  }

  size_t end = resp.find("\r\n\r\n");
  if (end == std::string::npos || !resp.starts_with("HTTP/1.")) {
    out.error = httpErrorCode(end == std::string::npos ? kErrResponseIncomplete : kErrProtocol);
    return out;
  }
  auto r = std::make_shared<IncomingResponseObj>();
  std::string_view status = std::string_view(resp).substr(9, 3);
  unsigned code = 0;
  if (std::from_chars(status.data(), status.data() + status.size(), code).ec != std::errc() || code < 100 || code > 999) {
    out.error = httpErrorCode(kErrProtocol);
    return out;
  }
  r->status = static_cast<uint16_t>(code);
  bool chunked = false;
  size_t pos = resp.find("\r\n") + 2;
  while (pos < end) {
    size_t eol = resp.find("\r\n", pos);
    std::string_view line = std::string_view(resp).substr(pos, eol - pos);
    pos = eol + 2;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name = lower(line.substr(0, colon));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (name == "transfer-encoding" && lower(value).find("chunked") != std::string::npos) chunked = true;
    if (name == "connection" || name == "transfer-encoding" || name == "keep-alive") continue;
    r->headers.emplace_back(std::move(name), std::string(value));
  }
  std::string body = resp.substr(end + 4);
  if (chunked) {  // de-chunk
    std::string plain;
    size_t p = 0;
    for (;;) {
      size_t eol = body.find("\r\n", p);
      if (eol == std::string::npos) break;
      size_t size = 0;
      std::from_chars(body.data() + p, body.data() + eol, size, 16);
      p = eol + 2;
      if (size == 0 || p + size > body.size()) break;
      plain.append(body, p, size);
      p += size + 2;
    }
    body = std::move(plain);
  }
  r->body = std::make_shared<const std::string>(std::move(body));
  out.response = std::move(r);
  return out;
}

}  // namespace bantam::wasi2
