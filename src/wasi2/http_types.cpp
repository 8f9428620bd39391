// wasi:http/types and wasi:http/outgoing-handler: fields, requests, responses, bodies and
// trailers as host objects. Bodies are buffered in memory (a BodyBuffer shared by the body
// resource and its stream) unless the embedder streams them: a response to its ResponseSink
// from response-outparam.set on, a request body from its BodySource. Child resources (the
// headers of a request) are immutable copies.
#include <algorithm>
#include <cctype>
#include <utility>

#include "wasi2/http.h"

namespace bantam::wasi2 {

namespace {

const char* kMethods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower((unsigned char)x) == std::tolower((unsigned char)y); });
}

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c <= 32 || c >= 127 || std::string_view("\"(),/:;<=>?@[\\]{}").find(static_cast<char>(c)) != std::string_view::npos) return false;
  return true;
}

bool isFieldValue(std::span<const uint8_t> v) {
  for (uint8_t c : v)
    if (c == '\r' || c == '\n' || c == 0) return false;
  return true;
}

// Hop-by-hop headers a component may not set (as Wasmtime's default forbidden list).
bool isForbidden(std::string_view name) {
  for (const char* f : {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
                        "transfer-encoding", "upgrade", "http2-settings"})
    if (iequals(name, f)) return true;
  return false;
}

enum HeaderError : uint32_t { InvalidSyntax = 0, Forbidden = 1, Immutable = 2 };
Value headerErr(uint32_t c) { return Value::err(Value::variant(c)); }

// The header-error of setting `name` to `value`, if any.
std::optional<uint32_t> checkField(std::string_view name, std::span<const uint8_t> value) {
  if (!isToken(name) || !isFieldValue(value)) return InvalidSyntax;
  if (isForbidden(name)) return Forbidden;
  return std::nullopt;
}

std::string toString(std::span<const uint8_t> b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

Value entriesValue(const Headers& h) {
  std::vector<Value> out;
  out.reserve(h.size());
  for (const auto& [k, v] : h) out.push_back(Value::tuple({Value::string(k), Value::bytes(v)}));
  return Value::list(std::move(out));
}

TrapOr<Value> newFields(Wasi2Ctx& ctx, Headers entries, bool immutable) {
  auto f = std::make_shared<Fields>();
  f->entries = std::move(entries);
  f->immutable = immutable;
  return newOwn(ctx, ctx.host().fields, std::move(f));
}

Value methodValue(uint32_t c, const std::string& other) {
  return c == 9 ? Value::variant(9, Value::string(other)) : Value::variant(c);
}
Value schemeValue(uint32_t c, const std::string& other) {
  return c == 2 ? Value::variant(2, Value::string(other)) : Value::variant(c);
}
Value optString(const std::optional<std::string>& s) { return s ? Value::some(Value::string(*s)) : Value::none(); }
std::optional<std::string> optStringArg(const Value& v) {
  if (!v.isSome()) return std::nullopt;
  return std::string(v.payload()->str());
}

TrapOr<Value> bodyStream(Wasi2Ctx& ctx, std::shared_ptr<const std::string> data) {
  return newOwn(ctx, ctx.host().inputStream, std::make_shared<MemoryInputStream>(std::move(data)));
}

// A request body's input-stream while the body is still arriving.
struct SourceInputStream final : InputStream {
  explicit SourceInputStream(std::shared_ptr<BodySource> s) : source(std::move(s)) {}
  StreamResult<std::string> read(uint64_t len, bool blocking) override {
    for (;;) {
      auto r = source->read(std::min<uint64_t>(len, 1u << 20));
      if (!r || !r->empty() || !blocking || len == 0) return r;
      if (!source->wait()) return streamFailed("the request body did not arrive in time");
    }
  }
  std::function<bool()> readiness() override {
    return [s = source] { return s->ready(); };
  }
  std::shared_ptr<BodySource> source;
};

// incoming-body.finish on an arriving body: the trailers come after the rest of it, which is
// read and dropped (the guest gave up its stream).
std::optional<Headers> trailersAfter(BodySource& source) {
  for (;;) {
    auto r = source.read(1u << 20);
    if (!r) break;
    if (r->empty() && !source.wait()) return std::nullopt;
  }
  Headers t = source.trailers();
  if (t.empty()) return std::nullopt;
  return t;
}

TrapOr<Value> readyPollable(Wasi2Ctx& ctx) { return newOwn(ctx, ctx.host().pollable, std::make_shared<Pollable>()); }

// A child resource handed out once (consume, body, stream, write): ok(own) the first time,
// err afterwards, as wasi:http says. `make` builds the handle.
template <class Make>
TrapOr<Value> takeOnce(bool& taken, Make&& make) {
  if (taken) return Value::err();
  taken = true;
  Value h = BANTAM_TRY(make());
  return Value::ok(std::move(h));
}

// An outgoing-body resource writing into `body` (a request's or a response's).
TrapOr<Value> newOutgoingBody(Wasi2Ctx& ctx, std::shared_ptr<BodyBuffer> body) {
  auto b = std::make_shared<OutgoingBodyObj>();
  b->body = std::move(body);
  return newOwn(ctx, ctx.host().outgoingBody, std::move(b));
}

const char* kErrorNames[] = {
    "DNS-timeout", "DNS-error", "destination-not-found", "destination-unavailable", "destination-IP-prohibited",
    "destination-IP-unroutable", "connection-refused", "connection-terminated", "connection-timeout",
    "connection-read-timeout", "connection-write-timeout", "connection-limit-reached", "TLS-protocol-error",
    "TLS-certificate-error", "TLS-alert-received", "HTTP-request-denied", "HTTP-request-length-required",
    "HTTP-request-body-size", "HTTP-request-method-invalid", "HTTP-request-URI-invalid", "HTTP-request-URI-too-long",
    "HTTP-request-header-section-size", "HTTP-request-header-size", "HTTP-request-trailer-section-size",
    "HTTP-request-trailer-size", "HTTP-response-incomplete", "HTTP-response-header-section-size",
    "HTTP-response-header-size", "HTTP-response-body-size", "HTTP-response-trailer-section-size",
    "HTTP-response-trailer-size", "HTTP-response-transfer-coding", "HTTP-response-content-coding",
    "HTTP-response-timeout", "HTTP-upgrade-failed", "HTTP-protocol-error", "loop-detected", "configuration-error",
    "internal-error"};

}  // namespace

uint32_t methodCaseOf(std::string_view method) {
  for (uint32_t i = 0; i < 9; ++i)
    if (method == kMethods[i]) return i;
  return 9;
}

std::string methodName(uint32_t c, const std::string& other) { return c < 9 ? kMethods[c] : other; }

Value httpErrorCode(uint32_t c, std::optional<Value> payload) { return Value::variant(c, std::move(payload)); }

std::string errorCodeText(const Value& code) {
  uint32_t c = code.caseIndex();
  std::string s = c < std::size(kErrorNames) ? kErrorNames[c] : "unknown";
  if (c == kErrInternal && code.payload() && code.payload()->isSome()) s += ": " + std::string(code.payload()->payload()->str());
  return s;
}

StreamResult<void> BodyOutputStream::write(std::span<const uint8_t> bytes) {
  if (body->finished) return streamClosed();
  if (body->written + bytes.size() > body->limit) return streamFailed("the body is larger than the limit");
  body->written += bytes.size();
  if (body->sink) body->sink->data(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  else body->data.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return {};
}

// A streamed body permits what the sink has room for (at most 1 MiB a write); the guest then
// waits on the stream's pollable until the client has taken enough.
StreamResult<uint64_t> BodyOutputStream::checkWrite() {
  if (body->finished) return streamClosed();
  uint64_t cap = uint64_t{1} << 20;
  return body->sink ? std::min(cap, body->sink->room()) : cap;
}

std::function<bool()> BodyOutputStream::readiness() {
  if (!body->sink) return {};
  return [b = body] { return b->finished || !b->sink || b->sink->room() > 0; };
}

StreamResult<void> BodyOutputStream::flush() {
  if (body->sink && !body->sink->waitForRoom()) return streamFailed("the response could not be sent in time");
  return {};
}

namespace {

// response-outparam.set on a request that streams: the head goes to the sink now, and the body
// (what was written so far, then every write) follows it.
void startStreaming(ResponseSlot& slot) {
  OutgoingResponseObj& r = *slot.response;
  Headers headers = r.headers;
  for (auto& [k, v] : headers)
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  slot.sink->start(r.status, std::move(headers));
  BodyBuffer& body = *r.body;
  body.sink = slot.sink;
  if (!body.data.empty()) slot.sink->data(std::exchange(body.data, {}));
  if (body.finished) slot.sink->end(body.trailers.value_or(Headers{}));
}

}  // namespace

Result<void> defineHttp(component::ComponentLinker& linker, Wasi2Host& host) {
  const char* T = "wasi:http/types";
  host.fields = BANTAM_TRY(defResource(linker, T, "fields"));
  host.incomingRequest = BANTAM_TRY(defResource(linker, T, "incoming-request"));
  host.outgoingRequest = BANTAM_TRY(defResource(linker, T, "outgoing-request"));
  host.requestOptions = BANTAM_TRY(defResource(linker, T, "request-options"));
  host.responseOutparam = BANTAM_TRY(defResource(linker, T, "response-outparam"));
  host.incomingResponse = BANTAM_TRY(defResource(linker, T, "incoming-response"));
  host.incomingBody = BANTAM_TRY(defResource(linker, T, "incoming-body"));
  host.futureTrailers = BANTAM_TRY(defResource(linker, T, "future-trailers"));
  host.outgoingResponse = BANTAM_TRY(defResource(linker, T, "outgoing-response"));
  host.outgoingBody = BANTAM_TRY(defResource(linker, T, "outgoing-body"));
  host.futureIncomingResponse = BANTAM_TRY(defResource(linker, T, "future-incoming-response"));

  BANTAM_TRY(def(linker, T, "http-error-code", [](Wasi2Ctx&, auto) -> TrapOr<Value> { return Value::none(); }));

  // ---- fields ----
  BANTAM_TRY(def(linker, T, "[constructor]fields", [](Wasi2Ctx& ctx, auto) { return newFields(ctx, {}, false); }));
  BANTAM_TRY(def(linker, T, "[static]fields.from-list", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Headers h;
    const Value& list = args[0];
    for (size_t i = 0; i < list.listSize(); ++i) {
      Value e = list.listItem(i);
      std::string_view name = e.items()[0].str();
      auto value = e.items()[1].bytes();
      if (auto bad = checkField(name, value)) return headerErr(*bad);
      h.emplace_back(std::string(name), toString(value));
    }
    Value f = BANTAM_TRY(newFields(ctx, std::move(h), false));
    return Value::ok(std::move(f));
  }));
  BANTAM_TRY(def(linker, T, "[method]fields.get", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Fields* f = BANTAM_TRY(self<Fields>(ctx, args[0], "fields"));
    std::vector<Value> out;
    for (const auto& [k, v] : f->entries)
      if (iequals(k, args[1].str())) out.push_back(Value::bytes(v));
    return Value::list(std::move(out));
  }));
  BANTAM_TRY(def(linker, T, "[method]fields.has", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Fields* f = BANTAM_TRY(self<Fields>(ctx, args[0], "fields"));
    for (const auto& [k, v] : f->entries)
      if (iequals(k, args[1].str())) return Value::boolean(true);
    return Value::boolean(false);
  }));
  BANTAM_TRY(def(linker, T, "[method]fields.set", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Fields* f = BANTAM_TRY(self<Fields>(ctx, args[0], "fields"));
    if (f->immutable) return headerErr(Immutable);
    std::string_view name = args[1].str();
    const Value& values = args[2];
    std::vector<std::string> vs;
    for (size_t i = 0; i < values.listSize(); ++i) {
      Value v = values.listItem(i);
      if (auto bad = checkField(name, v.bytes())) return headerErr(*bad);
      vs.push_back(toString(v.bytes()));
    }
    if (!isToken(name)) return headerErr(InvalidSyntax);
    if (isForbidden(name)) return headerErr(Forbidden);
    std::erase_if(f->entries, [&](const auto& e) { return iequals(e.first, name); });
    for (std::string& v : vs) f->entries.emplace_back(std::string(name), std::move(v));
    return Value::ok();
  }));
  BANTAM_TRY(def(linker, T, "[method]fields.delete", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Fields* f = BANTAM_TRY(self<Fields>(ctx, args[0], "fields"));
    if (f->immutable) return headerErr(Immutable);
    std::string_view name = args[1].str();
    if (!isToken(name)) return headerErr(InvalidSyntax);
    if (isForbidden(name)) return headerErr(Forbidden);
    std::erase_if(f->entries, [&](const auto& e) { return iequals(e.first, name); });
    return Value::ok();
  }));
  BANTAM_TRY(def(linker, T, "[method]fields.append", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Fields* f = BANTAM_TRY(self<Fields>(ctx, args[0], "fields"));
    if (f->immutable) return headerErr(Immutable);
    std::string_view name = args[1].str();
    if (auto bad = checkField(name, args[2].bytes())) return headerErr(*bad);
    f->entries.emplace_back(std::string(name), toString(args[2].bytes()));
    return Value::ok();
  }));
  BANTAM_TRY(def(linker, T, "[method]fields.entries", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Fields* f = BANTAM_TRY(self<Fields>(ctx, args[0], "fields"));
    return entriesValue(f->entries);
  }));
  BANTAM_TRY(def(linker, T, "[method]fields.clone", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Fields* f = BANTAM_TRY(self<Fields>(ctx, args[0], "fields"));
    return newFields(ctx, f->entries, false);
  }));

  // ---- incoming-request ----
  BANTAM_TRY(def(linker, T, "[method]incoming-request.method", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<IncomingRequestObj>(ctx, args[0], "incoming-request"));
    return methodValue(r->methodCase, r->methodOther);
  }));
  BANTAM_TRY(def(linker, T, "[method]incoming-request.path-with-query", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<IncomingRequestObj>(ctx, args[0], "incoming-request"));
    return Value::some(Value::string(r->pathWithQuery));
  }));
  BANTAM_TRY(def(linker, T, "[method]incoming-request.scheme", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<IncomingRequestObj>(ctx, args[0], "incoming-request"));
    return Value::some(schemeValue(r->schemeCase, r->schemeOther));
  }));
  BANTAM_TRY(def(linker, T, "[method]incoming-request.authority", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<IncomingRequestObj>(ctx, args[0], "incoming-request"));
    return r->authority.empty() ? Value::none() : Value::some(Value::string(r->authority));
  }));
  BANTAM_TRY(def(linker, T, "[method]incoming-request.headers", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<IncomingRequestObj>(ctx, args[0], "incoming-request"));
    return newFields(ctx, r->headers, true);
  }));
  BANTAM_TRY(def(linker, T, "[method]incoming-request.consume", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<IncomingRequestObj>(ctx, args[0], "incoming-request"));
    return takeOnce(r->consumed, [&] {
      auto b = std::make_shared<IncomingBodyObj>();
      b->data = r->body;
      b->source = r->source;
      b->trailers = r->trailers;
      return newOwn(ctx, ctx.host().incomingBody, std::move(b));
    });
  }));

  // ---- incoming-body, future-trailers ----
  BANTAM_TRY(def(linker, T, "[method]incoming-body.stream", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* b = BANTAM_TRY(self<IncomingBodyObj>(ctx, args[0], "incoming-body"));
    return takeOnce(b->streamTaken, [&] {
      return b->source ? newOwn(ctx, ctx.host().inputStream, std::make_shared<SourceInputStream>(b->source))
                       : bodyStream(ctx, b->data);
    });
  }));
  BANTAM_TRY(def(linker, T, "[static]incoming-body.finish", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto b = BANTAM_TRY(take<IncomingBodyObj>(ctx, args[0], "incoming-body"));
    auto t = std::make_shared<FutureTrailersObj>();
    t->trailers = b->source ? trailersAfter(*b->source) : b->trailers;
    return newOwn(ctx, ctx.host().futureTrailers, std::move(t));
  }));
  BANTAM_TRY(def(linker, T, "[method]future-trailers.subscribe", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    BANTAM_TRY(self<FutureTrailersObj>(ctx, args[0], "future-trailers"));
    return readyPollable(ctx);
  }));
  BANTAM_TRY(def(linker, T, "[method]future-trailers.get", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* t = BANTAM_TRY(self<FutureTrailersObj>(ctx, args[0], "future-trailers"));
    if (t->taken) return Value::some(Value::err());
    t->taken = true;
    Value trailers = Value::none();
    if (t->trailers) trailers = Value::some(BANTAM_TRY(newFields(ctx, *t->trailers, true)));
    return Value::some(Value::ok(Value::ok(std::move(trailers))));
  }));

  // ---- outgoing-response, outgoing-body, response-outparam ----
  BANTAM_TRY(def(linker, T, "[constructor]outgoing-response", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto f = BANTAM_TRY(take<Fields>(ctx, args[0], "fields"));
    auto r = std::make_shared<OutgoingResponseObj>();
    r->headers = std::move(f->entries);
    return newOwn(ctx, ctx.host().outgoingResponse, std::move(r));
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-response.status-code", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingResponseObj>(ctx, args[0], "outgoing-response"));
    return Value::u16(r->status);
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-response.set-status-code", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingResponseObj>(ctx, args[0], "outgoing-response"));
    uint32_t s = args[1].asU32();
    if (s < 100 || s > 999) return Value::err();
    r->status = static_cast<uint16_t>(s);
    return Value::ok();
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-response.headers", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingResponseObj>(ctx, args[0], "outgoing-response"));
    return newFields(ctx, r->headers, true);
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-response.body", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingResponseObj>(ctx, args[0], "outgoing-response"));
    return takeOnce(r->bodyTaken, [&] { return newOutgoingBody(ctx, r->body); });
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-body.write", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* b = BANTAM_TRY(self<OutgoingBodyObj>(ctx, args[0], "outgoing-body"));
    return takeOnce(b->streamTaken, [&] {
      return newOwn(ctx, ctx.host().outputStream, std::make_shared<BodyOutputStream>(b->body));
    });
  }));
  BANTAM_TRY(def(linker, T, "[static]outgoing-body.finish", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto b = BANTAM_TRY(take<OutgoingBodyObj>(ctx, args[0], "outgoing-body"));
    b->body->finished = true;
    if (args[1].isSome()) {
      auto t = BANTAM_TRY(take<Fields>(ctx, *args[1].payload(), "fields"));
      b->body->trailers = std::move(t->entries);
    }
    if (b->body->sink) b->body->sink->end(b->body->trailers.value_or(Headers{}));
    return Value::ok();
  }));
  BANTAM_TRY(def(linker, T, "[static]response-outparam.set", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto p = BANTAM_TRY(take<ResponseOutparamObj>(ctx, args[0], "response-outparam"));
    if (p->slot->set) return trapWith("response-outparam.set called twice");
    p->slot->set = true;
    const Value& res = args[1];
    if (res.isOk()) {
      p->slot->response = BANTAM_TRY(take<OutgoingResponseObj>(ctx, *res.payload(), "outgoing-response"));
      if (p->slot->sink) startStreaming(*p->slot);
    } else {
      p->slot->error = errorCodeText(*res.payload());
    }
    return Value();
  }));
  // send-informational is @unstable in 0.2.12: defined when the WIT keeps it.
  (void)def(linker, T, "[method]response-outparam.send-informational",
            [](Wasi2Ctx&, auto) -> TrapOr<Value> { return Value::err(httpErrorCode(kErrInternal, Value::some(Value::string("informational responses are not supported")))); });

  // ---- outgoing-request, request-options ----
  BANTAM_TRY(def(linker, T, "[constructor]outgoing-request", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto f = BANTAM_TRY(take<Fields>(ctx, args[0], "fields"));
    auto r = std::make_shared<OutgoingRequestObj>();
    r->headers = std::move(f->entries);
    return newOwn(ctx, ctx.host().outgoingRequest, std::move(r));
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-request.body", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    return takeOnce(r->bodyTaken, [&] { return newOutgoingBody(ctx, r->body); });
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-request.method", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    return methodValue(r->methodCase, r->methodOther);
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-request.set-method", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    const Value& m = args[1];
    if (m.caseIndex() == 9 && !isToken(m.payload()->str())) return Value::err();
    r->methodCase = m.caseIndex();
    r->methodOther = m.caseIndex() == 9 ? std::string(m.payload()->str()) : std::string();
    return Value::ok();
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-request.path-with-query", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    return optString(r->pathWithQuery);
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-request.set-path-with-query", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    auto p = optStringArg(args[1]);
    if (p && (p->find_first_of(" \r\n") != std::string::npos || (!p->empty() && (*p)[0] != '/' && (*p)[0] != '?' && *p != "*")))
      return Value::err();
    r->pathWithQuery = std::move(p);
    return Value::ok();
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-request.scheme", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    return r->schemeCase ? Value::some(schemeValue(*r->schemeCase, r->schemeOther)) : Value::none();
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-request.set-scheme", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    if (!args[1].isSome()) {
      r->schemeCase.reset();
      return Value::ok();
    }
    const Value& s = *args[1].payload();
    if (s.caseIndex() == 2 && !isToken(s.payload()->str())) return Value::err();
    r->schemeCase = s.caseIndex();
    r->schemeOther = s.caseIndex() == 2 ? std::string(s.payload()->str()) : std::string();
    return Value::ok();
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-request.authority", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    return optString(r->authority);
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-request.set-authority", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    auto a = optStringArg(args[1]);
    if (a && a->find_first_of(" /?#\r\n@") != std::string::npos) return Value::err();
    r->authority = std::move(a);
    return Value::ok();
  }));
  BANTAM_TRY(def(linker, T, "[method]outgoing-request.headers", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    return newFields(ctx, r->headers, true);
  }));
  BANTAM_TRY(def(linker, T, "[constructor]request-options", [](Wasi2Ctx& ctx, auto) {
    return newOwn(ctx, ctx.host().requestOptions, std::make_shared<RequestOptionsObj>());
  }));
  using Member = std::optional<uint64_t> RequestOptionsObj::*;
  for (auto [name, member] : {std::pair<const char*, Member>{"connect-timeout", &RequestOptionsObj::connectTimeout},
                              {"first-byte-timeout", &RequestOptionsObj::firstByteTimeout},
                              {"between-bytes-timeout", &RequestOptionsObj::betweenBytesTimeout}}) {
    BANTAM_TRY(def(linker, T, std::string("[method]request-options.") + name, [member](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
      auto* o = BANTAM_TRY(self<RequestOptionsObj>(ctx, args[0], "request-options"));
      auto v = o->*member;
      return v ? Value::some(Value::u64(*v)) : Value::none();
    }));
    BANTAM_TRY(def(linker, T, std::string("[method]request-options.set-") + name, [member](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
      auto* o = BANTAM_TRY(self<RequestOptionsObj>(ctx, args[0], "request-options"));
      o->*member = args[1].isSome() ? std::optional<uint64_t>(args[1].payload()->asU64()) : std::nullopt;
      return Value::ok();
    }));
  }

  // ---- incoming-response, future-incoming-response ----
  BANTAM_TRY(def(linker, T, "[method]incoming-response.status", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<IncomingResponseObj>(ctx, args[0], "incoming-response"));
    return Value::u16(r->status);
  }));
  BANTAM_TRY(def(linker, T, "[method]incoming-response.headers", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<IncomingResponseObj>(ctx, args[0], "incoming-response"));
    return newFields(ctx, r->headers, true);
  }));
  BANTAM_TRY(def(linker, T, "[method]incoming-response.consume", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* r = BANTAM_TRY(self<IncomingResponseObj>(ctx, args[0], "incoming-response"));
    return takeOnce(r->consumed, [&] {
      auto b = std::make_shared<IncomingBodyObj>();
      b->data = r->body;
      return newOwn(ctx, ctx.host().incomingBody, std::move(b));
    });
  }));
  BANTAM_TRY(def(linker, T, "[method]future-incoming-response.subscribe", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    BANTAM_TRY(self<FutureIncomingResponseObj>(ctx, args[0], "future-incoming-response"));
    return readyPollable(ctx);
  }));
  BANTAM_TRY(def(linker, T, "[method]future-incoming-response.get", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* f = BANTAM_TRY(self<FutureIncomingResponseObj>(ctx, args[0], "future-incoming-response"));
    if (f->taken) return Value::some(Value::err());
    f->taken = true;
    if (f->error) return Value::some(Value::ok(Value::err(*f->error)));
    Value h = BANTAM_TRY(newOwn(ctx, ctx.host().incomingResponse, f->response));
    return Value::some(Value::ok(Value::ok(std::move(h))));
  }));

  // ---- outgoing-handler ----
  BANTAM_TRY(def(linker, "wasi:http/outgoing-handler", "handle", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto req = BANTAM_TRY(take<OutgoingRequestObj>(ctx, args[0], "outgoing-request"));
    std::shared_ptr<RequestOptionsObj> options;
    if (args[1].isSome()) options = BANTAM_TRY(take<RequestOptionsObj>(ctx, *args[1].payload(), "request-options"));
    std::string scheme = !req->schemeCase || *req->schemeCase == 1 ? "https" : *req->schemeCase == 0 ? "http" : req->schemeOther;
    if (!req->authority || req->authority->empty()) return Value::err(httpErrorCode(kErrUriInvalid));
    bool internal = isSpinInternal(scheme, *req->authority);
    // Chaining needs its own grant (Spin: `*://*:*` and `self` do not give it).
    bool allowed = internal ? allowsChaining(ctx.config().outbound, *req->authority)
                            : ctx.config().outbound.allows(scheme, *req->authority);
    if (!allowed) return Value::err(httpErrorCode(kErrRequestDenied));
    OutboundResult r;
    if (internal) {
      if (!ctx.config().chain) {
        r.error = httpErrorCode(kErrDestinationNotFound);
      } else {
        ChainRequest c{methodName(req->methodCase, req->methodOther), scheme, *req->authority,
                       req->pathWithQuery.value_or("/"), req->headers, std::move(req->body->data)};
        r = ctx.config().chain(spinInternalId(*req->authority), std::move(c));
      }
    } else {
      r = sendOutbound(ctx, *req, options.get());
    }
    auto fut = std::make_shared<FutureIncomingResponseObj>();
    fut->response = std::move(r.response);
    fut->error = std::move(r.error);
    Value h = BANTAM_TRY(newOwn(ctx, ctx.host().futureIncomingResponse, std::move(fut)));
    return Value::ok(std::move(h));
  }));
  return {};
}

}  // namespace bantam::wasi2
