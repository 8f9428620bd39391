// One HTTP exchange as the platform sees it, apart from any HTTP library: the server
// (platform/http) fills an HttpRequest and writes back an HttpResponse; executors (WAGI now,
// wasi:http next) and the reserved routes only ever see these.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bantam::platform {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse;

// A response body sent while it is produced (wasi:http streaming): the producer (an executor,
// on any thread) pushes bytes and finally ends it with trailers, or aborts it; the server
// writes each push as an HTTP/1.1 chunk, the end as the last chunk with the trailers, and
// closes the connection on an abort (the client sees an incomplete body, never a hang).
class BodyStream {
 public:
  // ---- producer ----
  void push(std::string bytes) {
    if (bytes.empty()) return;
    std::function<void()> wake;
    {
      std::lock_guard lock(mutex_);
      if (ended_ || discard_) return;
      pushed_ += bytes.size();
      queue_ += bytes;
      wake = wake_;
    }
    if (wake) wake();
  }
  void end(HeaderList trailers = {}) { close(false, std::move(trailers)); }
  void abort() { close(true, {}); }
  // Bytes pushed but not yet written to the socket: the producer waits while this is large.
  uint64_t pending() const {
    std::lock_guard lock(mutex_);
    return discard_ ? 0 : queue_.size() + inFlight_;
  }
  uint64_t bytesPushed() const {
    std::lock_guard lock(mutex_);
    return pushed_;
  }

  // ---- server ----
  struct Taken {
    std::string data;
    bool ended = false, aborted = false;
    HeaderList trailers;
  };
  // Called, from the producer's thread, after each push and at the end.
  void setWake(std::function<void()> wake) {
    bool now;
    {
      std::lock_guard lock(mutex_);
      wake_ = wake;
      now = !queue_.empty() || ended_;
    }
    if (now && wake) wake();
  }
  // What is queued (and whether it ended); `inFlight` bytes stay pending until written().
  Taken take() {
    std::lock_guard lock(mutex_);
    Taken t;
    t.data.swap(queue_);
    inFlight_ += t.data.size();
    t.ended = ended_ && !endTaken_;
    t.aborted = aborted_;
    if (t.ended) {
      endTaken_ = true;
      t.trailers = std::move(trailers_);
    }
    return t;
  }
  void written(uint64_t n) {
    std::lock_guard lock(mutex_);
    inFlight_ -= std::min(inFlight_, n);
  }
  // The body is not sent (HEAD, 204, a closed connection): pushes are dropped.
  void discard() {
    std::lock_guard lock(mutex_);
    discard_ = true;
    queue_.clear();
    inFlight_ = 0;
  }

 private:
  void close(bool aborted, HeaderList trailers) {
    std::function<void()> wake;
    {
      std::lock_guard lock(mutex_);
      if (ended_) return;
      ended_ = true;
      aborted_ = aborted;
      trailers_ = std::move(trailers);
      wake = wake_;
    }
    if (wake) wake();
  }
  mutable std::mutex mutex_;
  std::string queue_;
  uint64_t inFlight_ = 0, pushed_ = 0;
  bool ended_ = false, endTaken_ = false, aborted_ = false, discard_ = false;
  HeaderList trailers_;
  std::function<void()> wake_;
};

// A request body read while the handler runs (ServerOptions::streamBody): the server pushes
// what arrives and stops reading while `kMaxQueued` bytes wait; the consumer takes them (from
// any thread), which lets the server read on. The end carries the chunked body's trailers.
class RequestBody {
 public:
  static constexpr size_t kMaxQueued = 1u << 20;
  struct Chunk {
    std::string data;
    bool ended = false;   // nothing more will come (all taken)
    bool failed = false;  // the body was cut (a read error, over the size limit)
  };
  // ---- consumer ----
  Chunk take(size_t max) {
    std::function<void()> wake;
    Chunk c;
    {
      std::lock_guard lock(mutex_);
      size_t n = std::min(max, queue_.size() - pos_);
      c.data = queue_.substr(pos_, n);
      pos_ += n;
      if (pos_ == queue_.size()) queue_.clear(), pos_ = 0;
      c.ended = ended_ && queue_.empty();
      c.failed = failed_ && queue_.empty();
      if (n) wake = wake_;
    }
    if (wake) wake();
    return c;
  }
  bool ready() const {
    std::lock_guard lock(mutex_);
    return queue_.size() > pos_ || ended_ || failed_;
  }
  HeaderList trailers() const {
    std::lock_guard lock(mutex_);
    return trailers_;
  }
  // ---- server ----
  void push(std::string bytes) {
    std::lock_guard lock(mutex_);
    queue_ += bytes;
  }
  void end(HeaderList trailers) {
    std::lock_guard lock(mutex_);
    ended_ = true;
    trailers_ = std::move(trailers);
  }
  void fail() {
    std::lock_guard lock(mutex_);
    failed_ = true;
  }
  size_t queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size() - pos_;
  }
  // Called (on the consumer's thread) when it took bytes: the server may read on.
  void setWake(std::function<void()> wake) {
    std::lock_guard lock(mutex_);
    wake_ = std::move(wake);
  }

 private:
  mutable std::mutex mutex_;
  std::string queue_;
  size_t pos_ = 0;
  bool ended_ = false, failed_ = false;
  HeaderList trailers_;
  std::function<void()> wake_;
};

struct HttpRequest {
  std::string method;           // "GET"
  std::string target;           // as received: "/hello/x%20y?a=1&b=2"
  unsigned version = 11;        // 10 or 11 (HTTP/1.0, HTTP/1.1)
  HeaderList headers;           // as received, in order, names as the client wrote them
  std::string body;             // de-chunked
  HeaderList trailers;          // a chunked body's trailer fields
  // Set instead of `body` and `trailers` when the body is read while the handler runs
  // (ServerOptions::streamBody said so for this request).
  std::shared_ptr<RequestBody> bodyStream;
  std::string remoteAddr;       // "127.0.0.1"
  uint16_t remotePort = 0;
  std::string scheme = "http";
  // Set by whoever runs the handler (serve()): an executor that streams its response answers
  // through it while handle() still runs, with the body in HttpResponse::stream, at most once.
  std::function<void(HttpResponse)> respondEarly;
  unsigned chainDepth = 0;      // Spin's service chaining: requests that led to this one in-process

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
  // Set: the body (after `body`, usually empty) comes from this stream as it is produced, sent
  // with Transfer-Encoding: chunked (HTTP/1.0: until the connection closes) and trailers.
  std::shared_ptr<BodyStream> stream;

  static HttpResponse text(uint16_t status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.headers.emplace_back("content-type", "text/plain; charset=utf-8");
    r.body = std::move(body);
    return r;
  }
};

}  // namespace bantam::platform
