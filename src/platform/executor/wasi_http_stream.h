// Streaming between a wasi:http component and the HTTP server (bantam up's wasi:http executor
// and bantam serve): a wasi2::ResponseSink that buffers until there is a reason to send, then
// hands the head and a BodyStream to the server; clocks that send before the guest sleeps; and
// the request body as it arrives, as a wasi2::BodySource.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "platform/http_types.h"
#include "wasi/system.h"
#include "wasi2/http.h"

namespace bantam::platform {

// The response goes to the client once there is a reason not to wait for the rest: the guest
// waits (a sleep, a pollable) or is preempted, has written this much, or ends with trailers.
// A response complete before any of these is sent whole, with a Content-Length.
inline constexpr size_t kStreamAfterBytes = 64 * 1024;
// A blocking flush waits while the client has this much unsent (backpressure).
inline constexpr uint64_t kMaxUnsentBytes = 1u << 20;

// The request's end of a streamed response (wasi2::ResponseSink): buffers until flush(), then
// hands the head and a BodyStream to the server through `respond` (request.respondEarly).
class StreamingSink final : public wasi2::ResponseSink {
 public:
  StreamingSink(std::function<void(HttpResponse)> respond, std::shared_ptr<wasi::Clocks> clocks)
      : respond_(std::move(respond)), clocks_(std::move(clocks)) {}

  void start(uint16_t status, wasi2::Headers headers) override {
    status_ = status;
    headers_ = std::move(headers);
    started_ = true;
  }
  void data(std::string bytes) override {
    if (stream_) return stream_->push(std::move(bytes));
    buffered_ += bytes;
    if (buffered_.size() >= kStreamAfterBytes) flush();
  }
  void end(wasi2::Headers trailers) override {
    if (stream_) return stream_->end(std::move(trailers));
    ended_ = true;
    trailers_ = std::move(trailers);
    if (!trailers_.empty()) flush();  // trailers need the chunked framing
  }
  bool waitForRoom() override {
    while (stream_ && stream_->pending() > kMaxUnsentBytes)
      if (!clocks_->sleep(1'000'000, {})) return false;  // on a fiber: the request's deadline
    return true;
  }
  // Before streaming, writes are buffered up to kStreamAfterBytes and then sent; after, the
  // client's unsent bytes stay under 2 * kMaxUnsentBytes (a guest that writes without flushing
  // is held by check-write, not by host memory).
  uint64_t room() const override {
    if (!stream_) return UINT64_MAX;
    uint64_t pending = stream_->pending();
    return pending >= 2 * kMaxUnsentBytes ? 0 : 2 * kMaxUnsentBytes - pending;
  }

  // Starts sending (once the guest set its response): the head now, the body as it comes.
  void flush() {
    if (!started_ || stream_) return;
    stream_ = std::make_shared<BodyStream>();
    HttpResponse r;
    r.status = status_;
    r.headers = headers_;
    r.stream = stream_;
    respond_(std::move(r));
    stream_->push(std::exchange(buffered_, {}));
    if (ended_) stream_->end(std::move(trailers_));
  }
  bool streaming() const { return stream_ != nullptr; }
  // After the guest returned: a streamed body ends (a guest that never called finish gets the
  // bytes it wrote); a trap cuts it.
  void finishAfterReturn(bool ok) {
    if (!stream_) return;
    if (ok) stream_->end();  // no-op when the guest ended it
    else stream_->abort();
  }
  // Not streamed: the whole response, for the ordinary path.
  HttpResponse buffered() {
    HttpResponse r;
    r.status = status_;
    r.headers = std::move(headers_);
    r.body = std::move(buffered_);
    return r;
  }
  uint64_t bytesSent() const { return stream_ ? stream_->bytesPushed() : 0; }

 private:
  std::function<void(HttpResponse)> respond_;
  std::shared_ptr<wasi::Clocks> clocks_;
  bool started_ = false, ended_ = false;
  uint16_t status_ = 200;
  wasi2::Headers headers_, trailers_;
  std::string buffered_;
  std::shared_ptr<BodyStream> stream_;
};

// Clocks whose sleeps first send what the guest has written (it is about to wait).
class FlushingClocks final : public wasi::Clocks {
 public:
  FlushingClocks(std::shared_ptr<wasi::Clocks> inner, StreamingSink* sink) : inner_(std::move(inner)), sink_(sink) {}
  wasi::WasiResult<uint64_t> resolution(wasi::ClockId id) override { return inner_->resolution(id); }
  wasi::WasiResult<uint64_t> now(wasi::ClockId id) override { return inner_->now(id); }
  bool sleep(uint64_t ns, const wasi::InterruptCheck& interrupted) override {
    sink_->flush();
    return inner_->sleep(ns, interrupted);
  }

 private:
  std::shared_ptr<wasi::Clocks> inner_;
  StreamingSink* sink_;
};

// A request body the server reads while the guest runs (HttpRequest::bodyStream), as the
// guest's incoming-body stream: reads take what has arrived; a blocking read waits through
// `clocks` (a fiber's sleep under `bantam up`), polling from 50 us up to 2 ms.
class RequestBodySource final : public wasi2::BodySource {
 public:
  RequestBodySource(std::shared_ptr<RequestBody> body, std::shared_ptr<wasi::Clocks> clocks)
      : body_(std::move(body)), clocks_(std::move(clocks)) {}
  wasi2::StreamResult<std::string> read(uint64_t max) override {
    RequestBody::Chunk c = body_->take(static_cast<size_t>(max));
    if (!c.data.empty()) return std::move(c.data);
    if (c.failed) return wasi2::streamFailed("the request body was cut short");
    if (c.ended) return wasi2::streamClosed();
    return std::string();
  }
  bool ready() override { return body_->ready(); }
  bool wait() override {
    uint64_t pauseNs = 50'000;
    while (!body_->ready()) {
      if (!clocks_->sleep(pauseNs, {})) return false;
      pauseNs = std::min<uint64_t>(pauseNs * 2, 2'000'000);
    }
    return true;
  }
  wasi2::Headers trailers() override { return body_->trailers(); }

 private:
  std::shared_ptr<RequestBody> body_;
  std::shared_ptr<wasi::Clocks> clocks_;
};

}  // namespace bantam::platform
