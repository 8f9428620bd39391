// The HTTP/1.1 server under `bantam up`: Boost.Beast over Asio, one event loop (io_context and
// thread) per core, keep-alive, chunked bodies both ways, "Expect: 100-continue", request size
// limits (413 for the body, 431 for the header) and a graceful drain. It knows nothing of
// components: each request goes to a Handler, which answers through a Respond callback from
// any thread, with the whole body or a BodyStream sent as chunks while it is produced. Beast is included only by
// server.cpp (it compiles slowly).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/error.h"
#include "platform/http_types.h"

namespace bantam::platform {

// Answers a request; call it exactly once, from any thread.
using Respond = std::function<void(HttpResponse)>;
// Called on an event loop thread for each complete request.
using Handler = std::function<void(HttpRequest&& request, Respond respond)>;

struct ServerOptions {
  std::string listen = "127.0.0.1:3000";  // host:port; port 0 picks a free one
  std::string adminListen;                // empty: no admin listener
  unsigned threads = 0;                   // event loops; 0: one per core
  uint64_t maxBodyBytes = 16ull << 20;    // 413 beyond
  uint32_t maxHeaderBytes = 64 * 1024;    // 431 beyond
  // Asked once a request's head is read: true hands the request to the handler at once, its
  // body arriving in HttpRequest::bodyStream (at most RequestBody::kMaxQueued bytes waiting;
  // over the size limit the stream fails). Unset or false: the handler gets the whole body.
  std::function<bool(const HttpRequest& head)> streamBody;
  // Requests the server answers itself (413, 431, 400) without calling a handler, for logs
  // and metrics: what could be read of the request, the status, and the time it took.
  std::function<void(const HttpRequest& partial, unsigned status)> onRejected;
};

class HttpServer {
 public:
  // Binds the listeners (errors: an address in use, an unknown host) and starts the loops.
  static Result<std::unique_ptr<HttpServer>> start(ServerOptions options, Handler main, Handler admin);
  ~HttpServer();  // drains with no deadline if still running

  uint16_t port() const { return port_; }
  uint16_t adminPort() const { return adminPort_; }
  std::string host() const { return host_; }

  // Stops accepting, closes idle connections, lets in-flight requests finish and be written
  // (with "Connection: close"), then stops the loops. Past `deadline`, closes what is left.
  // Returns true if everything finished in time. Call once, from any thread but a loop's.
  bool drain(std::chrono::milliseconds deadline);

  struct Impl;

 private:
  HttpServer() = default;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0, adminPort_ = 0;
  std::string host_;
};

// The calling thread's event loop, for a Handler that suspends work (a guest on a fiber) and
// resumes it on the loop it started on. Both return false on a thread that runs no loop.
// `fn(arg)` runs on this loop after what is already queued (a yield) ...
bool postToThisLoop(void (*fn)(void*), void* arg);
// ... or once `delay` has passed (a sleep).
bool runOnThisLoopAfter(std::chrono::nanoseconds delay, void (*fn)(void*), void* arg);

// "host:port" (host may be "[v6]"); errors name the text.
Result<std::pair<std::string, uint16_t>> parseListenAddress(const std::string& text);

}  // namespace bantam::platform
