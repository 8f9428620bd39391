// The C half of the composed C + JavaScript app (../wit-compose-http, world `compose-http`): a
// wasi:http handler that calls bantam:compose/text#shout, an import `bantam up` serves with the
// JavaScript library js/text_lib.js (a Spin dependency). GET /...?text=T (percent-decoded)
// answers "SHOUT(T) (calls: N)" with the header x-bantam-composed: c+js; GET /.../echo?text=T
// answers the library's echo of T ("$NAME": the library's environment variable NAME).
// Hand-written Canonical ABI glue, as in c/http.c.
#pragma clang diagnostic ignored "-Wunused-function"  // cabi.h helpers this guest does not use
#include "cabi.h"

#define HTTP "wasi:http/types@0.2.12"
#define IO "wasi:io/streams@0.2.12"
#define TEXT "bantam:compose/text@0.1.0"

IMPORT(HTTP, "[constructor]fields") int32_t fields_new(void);
IMPORT(HTTP, "[method]fields.append") void fields_append(int32_t, const char*, uint32_t, const char*, uint32_t, uint8_t*);
IMPORT(HTTP, "[constructor]outgoing-response") int32_t response_new(int32_t);
IMPORT(HTTP, "[method]outgoing-response.body") void response_body(int32_t, uint8_t*);
IMPORT(HTTP, "[method]outgoing-body.write") void body_write(int32_t, uint8_t*);
IMPORT(HTTP, "[static]outgoing-body.finish") void body_finish(int32_t, int32_t, int32_t, uint8_t*);
IMPORT(HTTP, "[static]response-outparam.set")
void outparam_set(int32_t, int32_t, int32_t, int32_t, int64_t, int32_t, int32_t, int32_t, int32_t);
IMPORT(HTTP, "[method]incoming-request.path-with-query") void request_path(int32_t, uint8_t*);
IMPORT(IO, "[method]output-stream.blocking-write-and-flush") void stream_write(int32_t, const char*, uint32_t, uint8_t*);
IMPORT(IO, "[resource-drop]output-stream") void output_stream_drop(int32_t);
IMPORT(TEXT, "shout") void lib_shout(const char*, uint32_t, uint8_t*);
IMPORT(TEXT, "calls") int32_t lib_calls(void);
IMPORT(TEXT, "echo") void lib_echo(const char*, uint32_t, uint8_t*);

static _Alignas(8) uint8_t ret[64];

static uint32_t u32at(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static int same(const char* a, const char* b, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return 0;
  return 1;
}
static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
// The percent-decoded value of ?text= in p[0..n) into out; returns its length (or -1: absent).
static int32_t text_param(const char* p, uint32_t n, char* out) {
  for (uint32_t i = 0; i + 6 <= n; ++i) {
    if ((p[i] != '?' && p[i] != '&') || !same(p + i + 1, "text=", 5)) continue;
    uint32_t o = 0;
    for (uint32_t j = i + 6; j < n && p[j] != '&'; ++j) {
      int hi, lo;
      if (p[j] == '%' && j + 2 < n && (hi = hexval(p[j + 1])) >= 0 && (lo = hexval(p[j + 2])) >= 0) {
        out[o++] = (char)(hi * 16 + lo);
        j += 2;
      } else {
        out[o++] = p[j] == '+' ? ' ' : p[j];
      }
    }
    return (int32_t)o;
  }
  return -1;
}
static char* utoa(uint32_t v, char* out) {
  char tmp[12];
  int n = 0;
  do tmp[n++] = (char)('0' + v % 10), v /= 10;
  while (v);
  while (n) *out++ = tmp[--n];
  return out;
}

EXPORT("wasi:http/incoming-handler@0.2.12#handle") void handle(int32_t request, int32_t outparam) {
  request_path(request, ret);
  const char* p = ret[0] ? (const char*)(uintptr_t)u32at(ret + 4) : "/";
  uint32_t n = ret[0] ? u32at(ret + 8) : 1;
  char* text = cabi_realloc(0, 0, 1, n + 1);
  int32_t len = text_param(p, n, text);
  if (len < 0) {
    memcpy(text, "hello from c", 12);
    len = 12;
  }
  uint32_t end = 0;
  while (end < n && p[end] != '?') ++end;
  int echo = end >= 5 && same(p + end - 5, "/echo", 5);
  // The library's answer is written into OUR memory by our cabi_realloc (the Canonical ABI
  // copies it out of the JavaScript component's memory).
  uint8_t got[8];
  if (echo) lib_echo(text, (uint32_t)len, got);
  else lib_shout(text, (uint32_t)len, got);
  uint32_t sp = u32at(got), sn = u32at(got + 4);
  char* msg = cabi_realloc(0, 0, 1, sn + 32);
  memcpy(msg, (const void*)(uintptr_t)sp, sn);
  char* e = msg + sn;
  if (!echo) {
    memcpy(e, " (calls: ", 9), e += 9;
    e = utoa((uint32_t)lib_calls(), e);
    *e++ = ')';
  }
  *e++ = '\n';

  int32_t headers = fields_new();
  fields_append(headers, "content-type", 12, "text/plain", 10, ret);
  fields_append(headers, "x-bantam-composed", 17, "c+js", 4, ret);
  int32_t resp = response_new(headers);
  response_body(resp, ret);
  int32_t body = (int32_t)u32at(ret + 4);
  outparam_set(outparam, 0, resp, 0, 0, 0, 0, 0, 0);
  body_write(body, ret);
  int32_t out = (int32_t)u32at(ret + 4);
  stream_write(out, msg, (uint32_t)(e - msg), ret);
  output_stream_drop(out);
  body_finish(body, 0, 0, ret);
}
