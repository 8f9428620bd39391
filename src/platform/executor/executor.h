// How a routed request reaches a component: one Executor per HTTP trigger. WAGI is the first;
// the wasi:http executor (component model) implements the same interface over the same
// PreparedComponent and instance pool.
#pragma once

#include <cstdint>

#include "platform/http_types.h"
#include "platform/router.h"

namespace bantam::platform {

struct Outcome {
  enum class Kind : uint8_t {
    Ok,         // the component answered (whatever status it chose)
    Trap,       // it trapped or exited with a failure status: a 500
    Timeout,    // the request timeout interrupted it: a 504
    Overloaded, // no instance could be had (every slot in flight): a 503
    Error,      // the host failed (bad CGI output, a WASI set-up error): a 500
  };
  Kind kind = Kind::Ok;
  HttpResponse response;
  uint64_t instantiateNs = 0;  // acquiring a fresh instance
  // The response was already sent through HttpRequest::respondEarly (a streamed body):
  // `response` holds only its status, for the logs; `streamedBytes` its body's size.
  bool responded = false;
  uint64_t streamedBytes = 0;
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Runs the component for one request on the calling thread. Never throws.
  virtual Outcome handle(HttpRequest& request, const RouteMatch& match) = 0;
  // Whether handle() may run on an event loop's thread, on a fiber (fiber.h): the executor
  // then suspends its guest when it sleeps or runs past a preemption slice, and never blocks
  // the thread. Otherwise the server runs it on a worker thread.
  virtual bool runsOnLoop() const { return false; }
  // Whether handle() takes the request body as it arrives (HttpRequest::bodyStream) rather
  // than whole: the server then calls it once the head is read.
  virtual bool streamsRequestBody() const { return false; }
};

}  // namespace bantam::platform
