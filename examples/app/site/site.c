// The example's web site: serves the files the manifest gives the component (site/static,
// mounted at / in the guest) through WASI, with a content type from the extension. It answers
// the catch-all route "/...", so PATH_INFO is the whole request path ("/" means /index.html).
#include "cgi.h"

static const char* content_type(const char* path) {
  const char* dot = strrchr(path, '.');
  if (dot == NULL) return "application/octet-stream";
  if (strcmp(dot, ".html") == 0) return "text/html; charset=utf-8";
  if (strcmp(dot, ".css") == 0) return "text/css; charset=utf-8";
  if (strcmp(dot, ".js") == 0) return "text/javascript; charset=utf-8";
  if (strcmp(dot, ".json") == 0) return "application/json";
  if (strcmp(dot, ".svg") == 0) return "image/svg+xml";
  if (strcmp(dot, ".png") == 0) return "image/png";
  if (strcmp(dot, ".txt") == 0) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

static void not_found(const char* path) {
  printf("Status: 404\nContent-Type: text/html; charset=utf-8\n\n");
  printf("<!doctype html><title>Not found</title><link rel=\"stylesheet\" href=\"/style.css\">\n");
  printf("<main><h1>Not found</h1><p>Nothing is served at <code>");
  for (const char* p = path; *p != '\0'; ++p) {  // escape what could be markup
    if (*p == '<') printf("&lt;"); else if (*p == '&') printf("&amp;"); else putchar(*p);
  }
  printf("</code>. <a href=\"/\">Back to the start</a>.</p></main>\n");
}

int main(void) {
  const char* path = cgi_env("PATH_INFO");
  if (!cgi_method_is("GET") && !cgi_method_is("HEAD")) {
    printf("Status: 405\nAllow: GET, HEAD\nContent-Type: text/plain\n\nuse GET\n");
    return 0;
  }
  char file[512];
  if (*path == '\0' || strcmp(path, "/") == 0) path = "/index.html";
  if (strstr(path, "..") != NULL || strlen(path) >= sizeof file) {  // WASI would refuse it anyway
    not_found(path);
    return 0;
  }
  snprintf(file, sizeof file, "%s", path);
  FILE* f = fopen(file, "rb");
  if (f == NULL) {
    not_found(path);
    return 0;
  }
  printf("Content-Type: %s\n\n", content_type(file));
  if (cgi_method_is("GET")) {
    char buf[16384];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
  }
  fclose(f);
  return 0;
}
