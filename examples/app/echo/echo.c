// The example's echo: answers any method on /echo/... with what it received, as plain text: the
// request line, what the router matched, the WAGI arguments, every HTTP_* header variable, the
// component's own environment (ECHO_GREETING, set in spin.toml) and the body.
#include "cgi.h"

extern char** environ;

int main(int argc, char** argv) {
  static char body[1 << 16];
  size_t length = cgi_read_body(body, sizeof body);

  printf("Content-Type: text/plain; charset=utf-8\n\n");
  printf("%s\n\n", cgi_env("ECHO_GREETING"));
  printf("%s %s (%s)\n", cgi_env("REQUEST_METHOD"), cgi_env("X_FULL_URL"), cgi_env("SERVER_PROTOCOL"));
  printf("matched route:  %s\n", cgi_env("X_MATCHED_ROUTE"));
  printf("script name:    %s\n", cgi_env("SCRIPT_NAME"));
  printf("path info:      %s\n", cgi_env("PATH_INFO"));
  printf("query string:   %s\n", cgi_env("QUERY_STRING"));
  printf("client:         %s\n", cgi_env("REMOTE_ADDR"));
  printf("argv:");
  for (int i = 0; i < argc; ++i) printf(" [%s]", argv[i]);
  printf("\n\nheaders:\n");
  for (char** e = environ; *e != NULL; ++e) {
    if (strncmp(*e, "HTTP_", 5) == 0) printf("  %s\n", *e);
  }
  printf("\nbody (%zu bytes):\n", length);
  fwrite(body, 1, length, stdout);
  if (length > 0 && body[length - 1] != '\n') printf("\n");
  return 0;
}
