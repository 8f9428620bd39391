// BodyStream and RequestBody (platform/http_types.h), the hand-over of streamed response and
// request bodies between an executor and the server; StreamingSink (executor/wasi_http_stream.h),
// which decides when a wasi:http response starts streaming, and RequestBodySource, a request
// body as the guest reads it.
#include <gtest/gtest.h>

#include "platform/executor/wasi_http_stream.h"

namespace bantam::platform {
namespace {

TEST(BodyStream, TakeGivesWhatWasPushedAndTheEnd) {
  BodyStream s;
  int wakes = 0;
  s.setWake([&] { ++wakes; });
  s.push("ab");
  s.push("cd");
  s.end({{"x-sum", "1"}});
  EXPECT_EQ(wakes, 3);
  BodyStream::Taken t = s.take();
  EXPECT_EQ(t.data, "abcd");
  EXPECT_TRUE(t.ended);
  EXPECT_FALSE(t.aborted);
  ASSERT_EQ(t.trailers.size(), 1u);
  EXPECT_EQ(t.trailers[0].first, "x-sum");
  EXPECT_FALSE(s.take().ended);  // the end is handed over once
  EXPECT_EQ(s.bytesPushed(), 4u);
}

TEST(BodyStream, PendingCountsBytesUntilWritten) {
  BodyStream s;
  s.push(std::string(100, 'x'));
  EXPECT_EQ(s.pending(), 100u);
  BodyStream::Taken t = s.take();
  EXPECT_EQ(s.pending(), 100u);  // taken, not yet on the socket
  s.written(t.data.size());
  EXPECT_EQ(s.pending(), 0u);
}

TEST(BodyStream, AbortIsReportedAndLaterPushesAreDropped) {
  BodyStream s;
  s.abort();
  s.push("late");
  BodyStream::Taken t = s.take();
  EXPECT_TRUE(t.aborted);
  EXPECT_TRUE(t.data.empty());
}

TEST(BodyStream, DiscardDropsEverythingAndReleasesBackpressure) {
  BodyStream s;
  s.push(std::string(10, 'x'));
  s.discard();
  s.push("more");
  EXPECT_EQ(s.pending(), 0u);
  EXPECT_TRUE(s.take().data.empty());
}

TEST(BodyStream, SetWakeCallsAtOnceWhenSomethingIsQueued) {
  BodyStream s;
  s.push("x");
  int wakes = 0;
  s.setWake([&] { ++wakes; });
  EXPECT_EQ(wakes, 1);
}

struct Responses {
  std::vector<HttpResponse> sent;
  std::function<void(HttpResponse)> fn() {
    return [this](HttpResponse r) { sent.push_back(std::move(r)); };
  }
};

TEST(StreamingSink, AShortResponseStaysBuffered) {
  Responses r;
  StreamingSink sink(r.fn(), std::make_shared<wasi::HostClocks>());
  sink.start(200, {{"content-type", "text/plain"}});
  sink.data("hello");
  sink.end({});
  EXPECT_TRUE(r.sent.empty());
  EXPECT_FALSE(sink.streaming());
  HttpResponse whole = sink.buffered();
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, "hello");
}

TEST(StreamingSink, FlushSendsTheHeadAndStreamsTheRest) {
  Responses r;
  StreamingSink sink(r.fn(), std::make_shared<wasi::HostClocks>());
  sink.start(201, {});
  sink.data("first ");
  sink.flush();  // the guest is about to wait
  ASSERT_EQ(r.sent.size(), 1u);
  EXPECT_EQ(r.sent[0].status, 201);
  ASSERT_TRUE(r.sent[0].stream);
  sink.data("second");
  sink.end({{"x-t", "v"}});
  BodyStream::Taken t = r.sent[0].stream->take();
  EXPECT_EQ(t.data, "first second");
  EXPECT_TRUE(t.ended);
  EXPECT_EQ(t.trailers.size(), 1u);
}

TEST(StreamingSink, TrailersForceStreaming) {
  Responses r;
  StreamingSink sink(r.fn(), std::make_shared<wasi::HostClocks>());
  sink.start(200, {});
  sink.data("body");
  sink.end({{"x-checksum", "abc"}});
  ASSERT_EQ(r.sent.size(), 1u);
  BodyStream::Taken t = r.sent[0].stream->take();
  EXPECT_EQ(t.data, "body");
  EXPECT_TRUE(t.ended);
}

TEST(StreamingSink, ALargeBodyStartsStreamingBeforeItEnds) {
  Responses r;
  StreamingSink sink(r.fn(), std::make_shared<wasi::HostClocks>());
  sink.start(200, {});
  sink.data(std::string(kStreamAfterBytes, 'x'));
  EXPECT_TRUE(sink.streaming());
  EXPECT_EQ(r.sent.size(), 1u);
}

TEST(StreamingSink, RoomShrinksWhileTheClientIsBehind) {
  // What a streamed response may still queue (check-write): 2 MiB of unsent bytes at most, back
  // as the server writes them to the socket.
  Responses r;
  StreamingSink sink(r.fn(), std::make_shared<wasi::HostClocks>());
  sink.start(200, {});
  EXPECT_EQ(sink.room(), UINT64_MAX);  // buffering: bounded by kStreamAfterBytes
  sink.flush();
  ASSERT_EQ(r.sent.size(), 1u);
  EXPECT_EQ(sink.room(), 2 * kMaxUnsentBytes);
  sink.data(std::string(2 * kMaxUnsentBytes, 'x'));
  EXPECT_EQ(sink.room(), 0u);
  BodyStream::Taken t = r.sent[0].stream->take();  // the server takes it and writes it
  EXPECT_EQ(sink.room(), 0u);                       // in flight: still unsent
  r.sent[0].stream->written(t.data.size());
  EXPECT_EQ(sink.room(), 2 * kMaxUnsentBytes);
}

TEST(StreamingSink, ATrapAfterStreamingAbortsTheBody) {
  Responses r;
  StreamingSink sink(r.fn(), std::make_shared<wasi::HostClocks>());
  sink.start(200, {});
  sink.flush();
  sink.finishAfterReturn(false);
  EXPECT_TRUE(r.sent[0].stream->take().aborted);
}

TEST(StreamingSink, NothingIsSentBeforeTheResponseIsSet) {
  Responses r;
  StreamingSink sink(r.fn(), std::make_shared<wasi::HostClocks>());
  sink.flush();
  EXPECT_TRUE(r.sent.empty());
}

TEST(RequestBody, TakeGivesArrivedBytesThenTheEnd) {
  RequestBody b;
  int wakes = 0;
  b.setWake([&] { ++wakes; });
  EXPECT_FALSE(b.ready());
  b.push("hello world");
  EXPECT_TRUE(b.ready());
  RequestBody::Chunk c = b.take(5);
  EXPECT_EQ(c.data, "hello");
  EXPECT_FALSE(c.ended);
  EXPECT_EQ(wakes, 1);  // the server may read on
  EXPECT_EQ(b.queued(), 6u);
  b.end({{"x-trailer", "v"}});
  c = b.take(100);
  EXPECT_EQ(c.data, " world");
  EXPECT_TRUE(c.ended);
  EXPECT_EQ(b.trailers().size(), 1u);
}

TEST(RequestBody, AFailureIsReportedAfterTheQueuedBytes) {
  RequestBody b;
  b.push("ab");
  b.fail();
  RequestBody::Chunk c = b.take(1);
  EXPECT_FALSE(c.failed);
  c = b.take(10);
  EXPECT_EQ(c.data, "b");
  EXPECT_TRUE(c.failed);
}

TEST(RequestBodySource, ReadsAsTheBodyArrivesAndClosesAtTheEnd) {
  auto body = std::make_shared<RequestBody>();
  RequestBodySource src(body, std::make_shared<wasi::HostClocks>());
  auto r = src.read(10);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());  // nothing yet: not the end
  body->push("abc");
  r = src.read(10);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "abc");
  body->end({});
  EXPECT_TRUE(src.wait());
  r = src.read(10);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().closed);
}

TEST(RequestBodySource, ACutBodyIsAStreamFailure) {
  auto body = std::make_shared<RequestBody>();
  RequestBodySource src(body, std::make_shared<wasi::HostClocks>());
  body->fail();
  auto r = src.read(10);
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().closed);
}

}  // namespace
}  // namespace bantam::platform
