// wasi:http streaming and chaining on the host side, without a guest: a response body's output
// stream forwards to the request's sink once the response streams, blocking flushes wait on
// it, and http://<id>.spin.internal names the app's component <id> (Spin's service chaining).
#include <gtest/gtest.h>

#include "wasi2/http.h"

namespace bantam::wasi2 {
namespace {

struct RecordingSink final : ResponseSink {
  void start(uint16_t s, Headers h) override {
    status = s;
    headers = std::move(h);
  }
  void data(std::string bytes) override { body += bytes; ++writes; }
  void end(Headers t) override {
    ended = true;
    trailers = std::move(t);
  }
  bool waitForRoom() override { return canWait; }
  uint64_t room() const override { return space; }
  uint16_t status = 0;
  Headers headers, trailers;
  std::string body;
  int writes = 0;
  bool ended = false, canWait = true;
  uint64_t space = UINT64_MAX;
};

std::span<const uint8_t> bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(HttpStream, BodyWritesGoToTheSinkOnceStreaming) {
  auto body = std::make_shared<BodyBuffer>();
  BodyOutputStream out(body);
  ASSERT_TRUE(out.write(bytes("before ")));
  EXPECT_EQ(body->data, "before ");
  auto sink = std::make_shared<RecordingSink>();
  body->sink = sink;
  ASSERT_TRUE(out.write(bytes("after")));
  EXPECT_EQ(sink->body, "after");
  EXPECT_EQ(body->data, "before ");  // moved to the sink by response-outparam.set, not by write
}

TEST(HttpStream, BodyLimitCountsStreamedBytes) {
  auto body = std::make_shared<BodyBuffer>();
  body->limit = 8;
  body->sink = std::make_shared<RecordingSink>();
  BodyOutputStream out(body);
  ASSERT_TRUE(out.write(bytes("12345")));
  auto r = out.write(bytes("6789"));
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().closed);
}

TEST(HttpStream, CheckWriteIsBoundedByTheSinksRoom) {
  // A guest that writes without flushing is held by check-write and the stream's pollable,
  // not by host memory: the sink says how much its client is behind.
  auto body = std::make_shared<BodyBuffer>();
  BodyOutputStream out(body);
  EXPECT_EQ(out.checkWrite().value(), uint64_t{1} << 20);  // buffered: up to a write's maximum
  EXPECT_FALSE(out.readiness());                         // and always ready
  auto sink = std::make_shared<RecordingSink>();
  body->sink = sink;
  sink->space = 1000;
  EXPECT_EQ(out.checkWrite().value(), 1000u);
  auto ready = out.readiness();
  ASSERT_TRUE(ready);
  EXPECT_TRUE(ready());
  sink->space = 0;
  EXPECT_EQ(out.checkWrite().value(), 0u);
  EXPECT_FALSE(ready());
  sink->space = 5;
  EXPECT_TRUE(ready());
  body->finished = true;
  EXPECT_FALSE(out.checkWrite());
}

TEST(HttpStream, WriteAfterFinishIsClosed) {
  auto body = std::make_shared<BodyBuffer>();
  body->finished = true;
  BodyOutputStream out(body);
  auto r = out.write(bytes("x"));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().closed);
}

TEST(HttpStream, BlockingFlushFailsWhenTheSinkGivesUp) {
  auto body = std::make_shared<BodyBuffer>();
  auto sink = std::make_shared<RecordingSink>();
  body->sink = sink;
  BodyOutputStream out(body);
  EXPECT_TRUE(out.flush());
  sink->canWait = false;
  EXPECT_FALSE(out.flush());
}

TEST(HttpStream, SpinInternalHostsAreHttpOnly) {
  EXPECT_TRUE(isSpinInternal("http", "backend.spin.internal"));
  EXPECT_TRUE(isSpinInternal("http", "Backend.Spin.Internal:80"));
  EXPECT_FALSE(isSpinInternal("https", "backend.spin.internal"));
  EXPECT_FALSE(isSpinInternal("http", "spin.internal"));
  EXPECT_FALSE(isSpinInternal("http", "backend.spin.internal.example.com"));
  EXPECT_EQ(spinInternalId("my-backend.spin.internal:80"), "my-backend");
}

TEST(HttpStream, ChainingFollowsSpinsAllowedHostsRule) {
  OutboundPolicy one{{"http://backend.spin.internal"}};
  EXPECT_TRUE(allowsChaining(one, "backend.spin.internal"));
  EXPECT_FALSE(allowsChaining(one, "other.spin.internal"));
  OutboundPolicy all{{"http://*.spin.internal"}};
  EXPECT_TRUE(allowsChaining(all, "backend.spin.internal"));
  EXPECT_TRUE(allowsChaining(all, "other.spin.internal"));
  EXPECT_FALSE(allowsChaining(OutboundPolicy{}, "backend.spin.internal"));
}

TEST(HttpStream, AllowAllDoesNotAllowChaining) {
  OutboundPolicy any{{"*://*:*", "http://*:*", "https://*.spin.internal"}};
  EXPECT_TRUE(any.allows("http", "backend.spin.internal"));  // as an ordinary host it would be
  EXPECT_FALSE(allowsChaining(any, "backend.spin.internal"));
}

}  // namespace
}  // namespace bantam::wasi2
