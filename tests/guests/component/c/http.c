// The C wasi:http test guest (../wit-http, world `http-guest`), hand-written Canonical ABI
// glue. Routes (by the path's last segment):
//   hello        "Hello, Fermyon!\n" (the benchmark's hello)
//   stream       ?n=N&ms=M: N lines "chunk I\n", M ms apart (a streamed response)
//   trailers     a body, then outgoing-body.finish with trailers x-checksum and x-count
//   trap         writes a line, waits 100 ms (the response has started), then traps
//   echo         reads the request body as it comes; answers "bytes=N sum=S trailer=T\n"
//                (S: FNV-1a of the body in hex, T: the x-trailer request trailer or "none")
//   chain        ?to=ID&path=P: GET http://ID.spin.internal/P; answers "STATUS BODY" or 502
//   first        reads what has arrived of the request body (one blocking read) and answers
//                "first=N\n" without waiting for the rest
#pragma clang diagnostic ignored "-Wunused-function"  // cabi.h helpers this guest does not use
#include "cabi.h"

#define HTTP "wasi:http/types@0.2.12"
#define IO "wasi:io/streams@0.2.12"
#define POLL "wasi:io/poll@0.2.12"

IMPORT(HTTP, "[constructor]fields") int32_t fields_new(void);
IMPORT(HTTP, "[method]fields.append") void fields_append(int32_t, const char*, uint32_t, const char*, uint32_t, uint8_t*);
IMPORT(HTTP, "[method]fields.get") void fields_get(int32_t, const char*, uint32_t, uint8_t*);
IMPORT(HTTP, "[constructor]outgoing-response") int32_t response_new(int32_t);
IMPORT(HTTP, "[method]outgoing-response.set-status-code") int32_t response_set_status(int32_t, int32_t);
IMPORT(HTTP, "[method]outgoing-response.body") void response_body(int32_t, uint8_t*);
IMPORT(HTTP, "[method]outgoing-body.write") void body_write(int32_t, uint8_t*);
IMPORT(HTTP, "[static]outgoing-body.finish") void body_finish(int32_t, int32_t, int32_t, uint8_t*);
IMPORT(HTTP, "[static]response-outparam.set")
void outparam_set(int32_t, int32_t, int32_t, int32_t, int64_t, int32_t, int32_t, int32_t, int32_t);
IMPORT(HTTP, "[method]incoming-request.path-with-query") void request_path(int32_t, uint8_t*);
IMPORT(HTTP, "[method]incoming-request.consume") void request_consume(int32_t, uint8_t*);
IMPORT(HTTP, "[method]incoming-body.stream") void incoming_body_stream(int32_t, uint8_t*);
IMPORT(HTTP, "[static]incoming-body.finish") int32_t incoming_body_finish(int32_t);
IMPORT(HTTP, "[method]future-trailers.get") void future_trailers_get(int32_t, uint8_t*);
IMPORT(HTTP, "[constructor]outgoing-request") int32_t request_new(int32_t);
IMPORT(HTTP, "[method]outgoing-request.set-scheme") int32_t request_set_scheme(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT(HTTP, "[method]outgoing-request.set-authority") int32_t request_set_authority(int32_t, int32_t, const char*, uint32_t);
IMPORT(HTTP, "[method]outgoing-request.set-path-with-query") int32_t request_set_path(int32_t, int32_t, const char*, uint32_t);
IMPORT(HTTP, "[method]future-incoming-response.get") void future_response_get(int32_t, uint8_t*);
IMPORT(HTTP, "[method]incoming-response.status") int32_t incoming_response_status(int32_t);
IMPORT(HTTP, "[method]incoming-response.consume") void incoming_response_consume(int32_t, uint8_t*);
IMPORT("wasi:http/outgoing-handler@0.2.12", "handle") void outgoing_handle(int32_t, int32_t, int32_t, uint8_t*);
IMPORT(IO, "[method]output-stream.blocking-write-and-flush") void stream_write(int32_t, const char*, uint32_t, uint8_t*);
IMPORT(IO, "[method]input-stream.blocking-read") void stream_read(int32_t, int64_t, uint8_t*);
IMPORT(IO, "[resource-drop]output-stream") void output_stream_drop(int32_t);
IMPORT(IO, "[resource-drop]input-stream") void input_stream_drop(int32_t);
IMPORT("wasi:clocks/monotonic-clock@0.2.12", "subscribe-duration") int32_t subscribe_duration(int64_t);
IMPORT(POLL, "[method]pollable.block") void pollable_block(int32_t);
IMPORT(POLL, "[resource-drop]pollable") void pollable_drop(int32_t);

static _Alignas(8) uint8_t ret[64];

static uint32_t u32at(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static uint32_t slen(const char* s) {
  uint32_t n = 0;
  while (s[n]) ++n;
  return n;
}
static int starts(const char* s, uint32_t n, const char* prefix) {
  uint32_t m = slen(prefix);
  if (n < m) return 0;
  for (uint32_t i = 0; i < m; ++i)
    if (s[i] != prefix[i]) return 0;
  return 1;
}
// The value of ?key= in the query (NUL-terminated copy), or 0.
static char* query(const char* p, uint32_t n, const char* key) {
  uint32_t k = slen(key);
  for (uint32_t i = 0; i < n; ++i) {
    if ((p[i] == '?' || p[i] == '&') && i + 1 + k < n && starts(p + i + 1, n - i - 1, key) && p[i + 1 + k] == '=') {
      uint32_t b = i + 2 + k, e = b;
      while (e < n && p[e] != '&') ++e;
      char* out = cabi_realloc(0, 0, 1, e - b + 1);
      memcpy(out, p + b, e - b);
      out[e - b] = 0;
      return out;
    }
  }
  return 0;
}
static uint32_t atou(const char* s) {
  uint32_t v = 0;
  while (s && *s >= '0' && *s <= '9') v = v * 10 + (uint32_t)(*s++ - '0');
  return v;
}
static char* utoa(uint32_t v, char* out) {  // writes digits, returns the end
  char tmp[12];
  int n = 0;
  do tmp[n++] = (char)('0' + v % 10), v /= 10;
  while (v);
  while (n) *out++ = tmp[--n];
  return out;
}
static char* hex(uint32_t v, char* out) {
  for (int i = 7; i >= 0; --i) *out++ = "0123456789abcdef"[(v >> (i * 4)) & 15];
  return out;
}

static void sleep_ms(uint32_t ms) {
  int32_t p = subscribe_duration((int64_t)ms * 1000000);
  pollable_block(p);
  pollable_drop(p);
}

// A response with a content-type, set on the outparam; returns its body's output stream and
// leaves the body in *body.
static int32_t respond(int32_t outparam, int32_t status, int32_t* body) {
  int32_t headers = fields_new();
  fields_append(headers, "content-type", 12, "text/plain", 10, ret);
  int32_t resp = response_new(headers);
  response_set_status(resp, status);
  response_body(resp, ret);
  *body = (int32_t)u32at(ret + 4);
  outparam_set(outparam, 0, resp, 0, 0, 0, 0, 0, 0);
  body_write(*body, ret);
  return (int32_t)u32at(ret + 4);
}
static void put(int32_t stream, const char* s, uint32_t n) { stream_write(stream, s, n, ret); }
static void finish(int32_t body, int32_t stream, int32_t trailers) {
  output_stream_drop(stream);
  body_finish(body, trailers >= 0, trailers >= 0 ? trailers : 0, ret);
}
static void answer(int32_t outparam, int32_t status, const char* s, uint32_t n) {
  int32_t body, out = respond(outparam, status, &body);
  put(out, s, n);
  finish(body, out, -1);
}

static void stream_route(int32_t outparam, const char* p, uint32_t n) {
  uint32_t count = atou(query(p, n, "n")), ms = atou(query(p, n, "ms"));
  int32_t body, out = respond(outparam, 200, &body);
  char line[32];
  for (uint32_t i = 0; i < count; ++i) {
    if (i) sleep_ms(ms);
    char* e = utoa(i, line + 6);
    memcpy(line, "chunk ", 6);
    *e++ = '\n';
    put(out, line, (uint32_t)(e - line));
  }
  finish(body, out, -1);
}

static void trailers_route(int32_t outparam) {
  int32_t body, out = respond(outparam, 200, &body);
  put(out, "with trailers\n", 14);
  int32_t t = fields_new();
  fields_append(t, "x-checksum", 10, "abc123", 6, ret);
  fields_append(t, "x-count", 7, "1", 1, ret);
  finish(body, out, t);
}

static void trap_route(int32_t outparam) {
  int32_t body, out = respond(outparam, 200, &body);
  put(out, "partial\n", 8);
  sleep_ms(100);
  __builtin_trap();
}

static void echo_route(int32_t request, int32_t outparam) {
  request_consume(request, ret);
  int32_t in_body = (int32_t)u32at(ret + 4);
  incoming_body_stream(in_body, ret);
  int32_t in = (int32_t)u32at(ret + 4);
  uint32_t bytes = 0, sum = 2166136261u;
  for (;;) {
    uintptr_t mark = heap_top;
    stream_read(in, 65536, ret);
    if (ret[0]) break;  // closed (or failed): the end
    const uint8_t* d = (const uint8_t*)(uintptr_t)u32at(ret + 4);
    uint32_t len = u32at(ret + 8);
    for (uint32_t i = 0; i < len; ++i) sum = (sum ^ d[i]) * 16777619u;
    bytes += len;
    heap_top = mark;  // the chunk is consumed: its memory is free again
  }
  input_stream_drop(in);
  int32_t future = incoming_body_finish(in_body);
  future_trailers_get(future, ret);
  const char* tv = "none";
  uint32_t tn = 4;
  // option<result<result<option<own<trailers>>, error-code>>>: some, ok, ok, some
  if (ret[0] == 1 && ret[8] == 0 && ret[16] == 0 && ret[24] == 1) {
    int32_t t = (int32_t)u32at(ret + 28);
    fields_get(t, "x-trailer", 9, ret);
    if (u32at(ret + 4) > 0) {
      const uint8_t* e = (const uint8_t*)(uintptr_t)u32at(ret);  // list<list<u8>>: the first value
      tv = (const char*)(uintptr_t)u32at(e);
      tn = u32at(e + 4);
    }
  }
  char msg[128], *e = msg;
  memcpy(e, "bytes=", 6), e += 6;
  e = utoa(bytes, e);
  memcpy(e, " sum=", 5), e += 5;
  e = hex(sum, e);
  memcpy(e, " trailer=", 9), e += 9;
  if (tn > 32) tn = 32;
  memcpy(e, tv, tn), e += tn;
  *e++ = '\n';
  answer(outparam, 200, msg, (uint32_t)(e - msg));
}

static void first_route(int32_t request, int32_t outparam) {
  request_consume(request, ret);
  int32_t in_body = (int32_t)u32at(ret + 4);
  incoming_body_stream(in_body, ret);
  stream_read((int32_t)u32at(ret + 4), 65536, ret);
  uint32_t n = ret[0] ? 0 : u32at(ret + 8);
  char msg[32], *e = msg;
  memcpy(e, "first=", 6), e += 6;
  e = utoa(n, e);
  *e++ = '\n';
  answer(outparam, 200, msg, (uint32_t)(e - msg));
}

static void chain_route(int32_t outparam, const char* p, uint32_t n) {
  char* to = query(p, n, "to");
  char* path = query(p, n, "path");
  if (!to) return answer(outparam, 400, "no ?to=\n", 8);
  uint32_t tl = slen(to);
  char* authority = cabi_realloc(0, 0, 1, tl + 14);
  memcpy(authority, to, tl);
  memcpy(authority + tl, ".spin.internal", 14);
  int32_t req = request_new(fields_new());
  request_set_scheme(req, 1, 0, 0, 0);  // some(HTTP)
  request_set_authority(req, 1, authority, tl + 14);
  if (path) request_set_path(req, 1, path, slen(path));
  outgoing_handle(req, 0, 0, ret);
  if (ret[0] != 0) return answer(outparam, 502, "outbound request refused\n", 25);
  int32_t future = (int32_t)u32at(ret + 8);
  future_response_get(future, ret);
  if (ret[0] != 1 || ret[8] != 0 || ret[16] != 0) return answer(outparam, 502, "outbound request failed\n", 24);
  int32_t resp = (int32_t)u32at(ret + 24);
  uint32_t status = (uint32_t)incoming_response_status(resp);
  incoming_response_consume(resp, ret);
  int32_t rb = (int32_t)u32at(ret + 4);
  incoming_body_stream(rb, ret);
  int32_t in = (int32_t)u32at(ret + 4);
  char* msg = cabi_realloc(0, 0, 1, 4096);
  char* e = utoa(status, msg);
  *e++ = ' ';
  for (;;) {
    stream_read(in, 1024, ret);
    if (ret[0]) break;
    uint32_t len = u32at(ret + 8);
    if (e + len > msg + 4096) len = (uint32_t)(msg + 4096 - e);
    memcpy(e, (const void*)(uintptr_t)u32at(ret + 4), len);
    e += len;
  }
  answer(outparam, 200, msg, (uint32_t)(e - msg));
}

EXPORT("wasi:http/incoming-handler@0.2.12#handle") void handle(int32_t request, int32_t outparam) {
  request_path(request, ret);
  const char* p = ret[0] ? (const char*)(uintptr_t)u32at(ret + 4) : "/";
  uint32_t n = ret[0] ? u32at(ret + 8) : 1;
  uint32_t end = 0;
  while (end < n && p[end] != '?') ++end;
  uint32_t seg = end;
  while (seg > 0 && p[seg - 1] != '/') --seg;
  const char* last = p + seg;
  uint32_t ln = end - seg;
#define IS(name) (ln == sizeof(name) - 1 && starts(last, ln, name))
  if (IS("stream")) return stream_route(outparam, p, n);
  if (IS("trailers")) return trailers_route(outparam);
  if (IS("trap")) return trap_route(outparam);
  if (IS("echo")) return echo_route(request, outparam);
  if (IS("chain")) return chain_route(outparam, p, n);
  if (IS("first")) return first_route(request, outparam);
  answer(outparam, 200, "Hello, Fermyon!\n", 16);
}
