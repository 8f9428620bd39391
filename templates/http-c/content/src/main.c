// {{project-name}}: an HTTP component in C, run by the WAGI executor. Every request starts a
// fresh instance and runs main(): the request arrives as CGI environment variables
// (REQUEST_METHOD, PATH_INFO, QUERY_STRING, CONTENT_TYPE, HTTP_* for each header) with the body
// on stdin, and whatever main() prints is the response: header lines, a blank line, the body.
// A "Status: 404" header sets the status code (200 otherwise).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* env(const char* name) {
  const char* value = getenv(name);
  return value != NULL ? value : "";
}

int main(void) {
  const char* method = env("REQUEST_METHOD");

  // The body: CONTENT_LENGTH bytes on stdin (read at most 64 KiB here).
  static char body[65536];
  size_t length = (size_t)strtoul(env("CONTENT_LENGTH"), NULL, 10);
  if (length > sizeof body) length = sizeof body;
  size_t got = fread(body, 1, length, stdin);

  if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0) {
    printf("Status: 405\nAllow: GET, POST\nContent-Type: text/plain\n\nmethod %s is not allowed\n", method);
    return 0;
  }

  printf("Content-Type: text/plain; charset=utf-8\n\n");
  printf("Hello from {{project-name}}!\n\n");
  printf("method:     %s\n", method);
  printf("route:      %s\n", env("X_MATCHED_ROUTE"));
  printf("path info:  %s\n", env("PATH_INFO"));
  printf("query:      %s\n", env("QUERY_STRING"));
  printf("user agent: %s\n", env("HTTP_USER_AGENT"));
  if (got > 0) printf("body (%zu bytes):\n%.*s\n", got, (int)got, body);
  return 0;
}
