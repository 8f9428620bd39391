// One HTTP exchange as the platform sees it, apart from any HTTP library: the server
// (platform/http) fills an HttpRequest and writes back an HttpResponse; executors (WAGI now,
// wasi:http next) and the reserved routes only ever see these.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bantam::platform {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;           // "GET"
  std::string target;           // as received: "/hello/x%20y?a=1&b=2"
  unsigned version = 11;        // 10 or 11 (HTTP/1.0, HTTP/1.1)
  HeaderList headers;           // as received, in order, names as the client wrote them
  std::string body;             // de-chunked
  std::string remoteAddr;       // "127.0.0.1"
  uint16_t remotePort = 0;
  std::string scheme = "http";

  std::string_view path() const {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
  }
  // Without the '?'; empty when there is none.
  std::string_view query() const {
    std::string_view t = target;
    size_t q = t.find('?');
    return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
  }
  // The first header of that name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
            return (a | 0x20) == (b | 0x20);
          }))
        return &v;
    return nullptr;
  }
  std::string versionString() const { return version == 10 ? "HTTP/1.0" : "HTTP/1.1"; }
};

struct HttpResponse {
  uint16_t status = 200;
  HeaderList headers;           // names in lower case (as Spin's hyper sends them)
  std::string body;
  bool chunked = false;         // send with Transfer-Encoding: chunked instead of Content-Length

  static HttpResponse text(uint16_t status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.headers.emplace_back("content-type", "text/plain; charset=utf-8");
    r.body = std::move(body);
    return r;
  }
};

}  // namespace bantam::platform
