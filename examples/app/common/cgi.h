// Small helpers shared by the example's WAGI components: the request comes in as CGI environment
// variables plus the body on stdin; the response goes out on stdout as header lines, a blank
// line and the body ("Status: 404" sets the status; 200 otherwise).
#ifndef EXAMPLE_CGI_H
#define EXAMPLE_CGI_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// A CGI variable, "" when unset.
static inline const char* cgi_env(const char* name) {
  const char* value = getenv(name);
  return value != NULL ? value : "";
}

// Reads the request body (CONTENT_LENGTH bytes) into a NUL-terminated buffer of at most `cap`
// bytes; returns its length.
static inline size_t cgi_read_body(char* buf, size_t cap) {
  size_t want = (size_t)strtoul(cgi_env("CONTENT_LENGTH"), NULL, 10);
  if (want > cap - 1) want = cap - 1;
  size_t got = fread(buf, 1, want, stdin);
  buf[got] = '\0';
  return got;
}

static inline int cgi_method_is(const char* method) { return strcmp(cgi_env("REQUEST_METHOD"), method) == 0; }

// Writes `s` as the inside of a JSON string.
static inline void json_escape(const char* s) {
  for (; *s != '\0'; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      printf("\\%c", c);
    } else if (c < 0x20) {
      printf("\\u%04x", c);
    } else {
      putchar(c);
    }
  }
}

// A JSON error response: {"error": "..."} with the given status.
static inline void json_error(int status, const char* message) {
  printf("Status: %d\nContent-Type: application/json\n\n{\"error\": \"", status);
  json_escape(message);
  printf("\"}\n");
}

#endif
