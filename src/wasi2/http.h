// wasi:http for embedders: hand one HTTP request to a component's
// wasi:http/incoming-handler#handle and collect the response it sets (bantam serve, the
// wasi:http executor of bantam up), and the host objects behind wasi:http/types resources.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wasi2/host.h"

namespace bantam::wasi2 {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Where a streamed response goes (the embedder's server end): set on an IncomingHttpRequest,
// the response starts at response-outparam.set and every body write goes here as it happens.
// Called on the guest's thread; the embedder chooses when bytes reach the client.
struct ResponseSink {
  virtual ~ResponseSink() = default;
  virtual void start(uint16_t status, Headers headers) = 0;  // names in lower case; once
  virtual void data(std::string bytes) = 0;
  virtual void end(Headers trailers) = 0;                     // outgoing-body.finish
  // A blocking flush: wait while the client is far behind. False: give up (the request ended).
  virtual bool waitForRoom() { return true; }
  // How many more bytes may be written before the guest must wait (check-write, and the
  // output stream's pollable): bounds what the host holds for a slow or absent client.
  virtual uint64_t room() const { return UINT64_MAX; }
};

// A request body that arrives while the guest runs (bantam up): read() gives what is there
// (empty: nothing yet), closed after the end.
struct BodySource {
  virtual ~BodySource() = default;
  virtual StreamResult<std::string> read(uint64_t max) = 0;
  virtual bool ready() = 0;        // read() would not be empty
  virtual bool wait() = 0;         // until ready(); false: give up (the request's deadline)
  virtual Headers trailers() = 0;  // once read() said closed
};

struct IncomingHttpRequest {
  std::string method = "GET";
  std::string scheme = "http";
  std::string authority;      // "localhost:3000"
  std::string pathWithQuery;  // "/a/b?c=d"
  Headers headers;
  std::string body;
  std::optional<Headers> trailers;      // the request's trailers (incoming-body.finish)
  std::shared_ptr<BodySource> bodySource;  // set: the body arrives through it (`body` unused)
  std::shared_ptr<ResponseSink> sink;   // null: the response is buffered
};

struct OutgoingHttpResponse {
  uint16_t status = 200;
  Headers headers;  // names in lower case
  std::string body;
  Headers trailers;
  bool streamed = false;  // the response went to the request's sink (status and headers are copies)
  bool finished = false;  // outgoing-body.finish was called
};

// What went wrong when the component gave no response: it trapped (the trap), set an
// error-code (`message` names it) or returned without setting one.
struct HandlerFailure {
  std::optional<runtime::Trap> trap;
  std::string message;
};

// Calls `handle` (the instance's wasi:http/incoming-handler#handle) with `request`, inside a
// Wasi2Ctx::Scope. Without a sink in `request` the body is buffered: the response is complete
// when the guest finished its body or when handle returned; with one, it streams from
// response-outparam.set on (the result has `streamed` set and no body).
std::expected<OutgoingHttpResponse, HandlerFailure> callIncomingHandler(component::ComponentInstance& instance,
                                                                        Wasi2Ctx& ctx,
                                                                        const component::ComponentFunc& handle,
                                                                        IncomingHttpRequest request);

// ---- host objects (http_types.cpp) ----

struct Fields : HostObject {
  Headers entries;  // names as given (compared case-insensitively)
  bool immutable = false;
};

struct BodyBuffer {
  std::string data;
  bool finished = false;
  std::optional<Headers> trailers;
  uint64_t limit = uint64_t{1} << 30;
  uint64_t written = 0;                // in all, for the limit
  std::shared_ptr<ResponseSink> sink;  // streaming: writes go there, `data` stays empty
};

struct BodyOutputStream final : OutputStream {
  explicit BodyOutputStream(std::shared_ptr<BodyBuffer> b) : body(std::move(b)) {}
  StreamResult<uint64_t> checkWrite() override;
  StreamResult<void> write(std::span<const uint8_t> bytes) override;
  StreamResult<void> flush() override;
  std::function<bool()> readiness() override;
  std::shared_ptr<BodyBuffer> body;
};

struct IncomingRequestObj : HostObject {
  uint32_t methodCase = 0;  // wasi:http method variant
  std::string methodOther;
  uint32_t schemeCase = 0;
  std::string schemeOther;
  std::string authority, pathWithQuery;
  Headers headers;
  std::shared_ptr<const std::string> body;
  std::shared_ptr<BodySource> source;  // or the body as it arrives
  std::optional<Headers> trailers;
  bool consumed = false;
};

struct IncomingBodyObj : HostObject {
  std::shared_ptr<const std::string> data;
  std::shared_ptr<BodySource> source;  // or this
  bool streamTaken = false;
  std::optional<Headers> trailers;
};

struct FutureTrailersObj : HostObject {
  std::optional<Headers> trailers;
  bool taken = false;
};

struct OutgoingResponseObj : HostObject {
  uint16_t status = 200;
  Headers headers;
  std::shared_ptr<BodyBuffer> body = std::make_shared<BodyBuffer>();
  bool bodyTaken = false;
};

struct OutgoingBodyObj : HostObject {
  std::shared_ptr<BodyBuffer> body;
  bool streamTaken = false;
};

// Where response-outparam.set puts the response.
struct ResponseSlot {
  std::shared_ptr<ResponseSink> sink;  // the request's, if it streams
  bool set = false;
  std::shared_ptr<OutgoingResponseObj> response;  // or
  std::string error;                               // an error-code, as text
};

struct ResponseOutparamObj : HostObject {
  std::shared_ptr<ResponseSlot> slot;
};

struct OutgoingRequestObj : HostObject {
  uint32_t methodCase = 0;
  std::string methodOther;
  std::optional<uint32_t> schemeCase;
  std::string schemeOther;
  std::optional<std::string> authority, pathWithQuery;
  Headers headers;
  std::shared_ptr<BodyBuffer> body = std::make_shared<BodyBuffer>();
  bool bodyTaken = false;
};

struct RequestOptionsObj : HostObject {
  std::optional<uint64_t> connectTimeout, firstByteTimeout, betweenBytesTimeout;
};

struct IncomingResponseObj : HostObject {
  uint16_t status = 200;
  Headers headers;
  std::shared_ptr<const std::string> body;
  bool consumed = false;
};

struct FutureIncomingResponseObj : HostObject {
  std::shared_ptr<IncomingResponseObj> response;  // or
  std::optional<Value> error;                      // an error-code value
  bool taken = false;
};

// The method variant case of "GET", "post"... (9: other).
uint32_t methodCaseOf(std::string_view method);
std::string methodName(uint32_t methodCase, const std::string& other);

// Sends an outgoing request (outbound.cpp): the policy is checked by the caller. Plain
// HTTP/1.1 over TCP; https answers an error-code.
struct OutboundResult {
  std::shared_ptr<IncomingResponseObj> response;
  std::optional<Value> error;
};
OutboundResult sendOutbound(Wasi2Ctx& ctx, const OutgoingRequestObj& request, const RequestOptionsObj* options);

// Spin's service chaining: a request to http://<id>.spin.internal/... is answered in-process by
// the app's component <id> (Wasi2Config::chain), never through a socket.
bool isSpinInternal(std::string_view scheme, std::string_view authority);
// "<id>" of "<id>.spin.internal[:port]".
std::string spinInternalId(std::string_view authority);
// Whether `policy` lets a request reach `authority` (a *.spin.internal host) by chaining: only
// a rule naming `http://<id>.spin.internal` or `http://*.spin.internal` does (Spin's SIP 017).
bool allowsChaining(const OutboundPolicy& policy, std::string_view authority);
// The request as the chained component sees it (the URL's path, method, headers, body).
struct ChainRequest {
  std::string method, scheme, authority, pathWithQuery;
  Headers headers;
  std::string body;
};

// error-code values, and their names for messages ("HTTP-request-denied").
std::string errorCodeText(const Value& code);
Value httpErrorCode(uint32_t caseIndex, std::optional<Value> payload = std::nullopt);
inline constexpr uint32_t kErrDestinationNotFound = 2, kErrConnectionRefused = 6, kErrConnectionTimeout = 8,
                          kErrTlsProtocol = 12, kErrRequestDenied = 15, kErrUriInvalid = 19,
                          kErrResponseIncomplete = 25, kErrProtocol = 35, kErrInternal = 38;

}  // namespace bantam::wasi2
