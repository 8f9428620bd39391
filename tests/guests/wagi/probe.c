// A WAGI component whose behaviour the request's PATH_INFO selects, for the platform's
// end-to-end tests: /env (argv and environment), /echo (the body back), /status/CODE,
// /redirect, /chunked, /headers, /file/PATH (a file of its `files`), /stderr, /state (a global
// and a memory cell, incremented), /exit/N, /silent (no output), /noheaders, /trap, /loop,
// /bomb (allocates until the memory limit), /sleep/MS.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char** environ;

static int counter;            // a global in the data segment
static char cell[16] = "0";    // a memory cell with initial contents

static int starts_with(const char* s, const char* prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

int main(int argc, char** argv) {
  const char* path = getenv("PATH_INFO");
  if (path == NULL) path = "";
  if (strcmp(path, "/env") == 0) {
    printf("Content-Type: text/plain\n\n");
    for (int i = 0; i < argc; ++i) printf("ARG%d=%s\n", i, argv[i]);
    for (char** e = environ; *e; ++e) printf("%s\n", *e);
  } else if (strcmp(path, "/echo") == 0) {
    static char buf[65536];
    size_t total = 0, n;
    fputs("Content-Type: application/octet-stream\n\n", stdout);
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
      fwrite(buf, 1, n, stdout);
      total += n;
    }
    fprintf(stderr, "echoed %zu bytes\n", total);
  } else if (starts_with(path, "/status/")) {
    printf("Status: %s\nContent-Type: text/plain\n\nstatus %s\n", path + 8, path + 8);
  } else if (strcmp(path, "/redirect") == 0) {
    printf("Location: /elsewhere\n\n");
  } else if (strcmp(path, "/chunked") == 0) {
    printf("Content-Type: text/plain\nTransfer-Encoding: chunked\n\n");
    for (int i = 0; i < 1000; ++i) printf("line %d\n", i);
  } else if (strcmp(path, "/headers") == 0) {
    printf("Content-Type: text/html\r\nX-Custom: one\r\nX-Other:  two  \r\nbad header line\r\n\r\n<p>hi</p>\n");
  } else if (starts_with(path, "/file/")) {
    FILE* f = fopen(path + 5, "r");
    if (f == NULL) {
      printf("Status: 404\nContent-Type: text/plain\n\nno file %s\n", path + 5);
      return 0;
    }
    printf("Content-Type: text/plain\n\n");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
    fclose(f);
    FILE* w = fopen(path + 5, "a");
    printf("writable=%s\n", w ? "yes" : "no");
  } else if (strcmp(path, "/stderr") == 0) {
    fprintf(stderr, "probe: a line on stderr\n");
    printf("Content-Type: text/plain\n\nlogged\n");
  } else if (strcmp(path, "/state") == 0) {
    counter++;
    cell[0]++;
    printf("Content-Type: text/plain\n\ncounter=%d cell=%c\n", counter, cell[0]);
  } else if (starts_with(path, "/exit/")) {
    printf("Content-Type: text/plain\n\nexiting\n");
    fflush(stdout);
    exit(atoi(path + 6));
  } else if (starts_with(path, "/sleep/")) {
    usleep((useconds_t)atoi(path + 7) * 1000);
    printf("Content-Type: text/plain\n\nslept %s ms\n", path + 7);
  } else if (strcmp(path, "/silent") == 0) {
    return 0;
  } else if (strcmp(path, "/noheaders") == 0) {
    printf("just a body\n");
  } else if (strcmp(path, "/trap") == 0) {
    __builtin_trap();
  } else if (strcmp(path, "/loop") == 0) {
    volatile uint64_t spins = 0;
    for (;;) spins++;
  } else if (strcmp(path, "/bomb") == 0) {
    // Each block is chained to the last through a volatile global: an allocation that is only
    // written and never read would be removed by the optimizer (with the NULL check), leaving
    // an endless loop that allocates nothing.
    static void* volatile chain;
    size_t total = 0;
    for (;;) {
      char* p = malloc(1 << 20);
      if (p == NULL) {
        fprintf(stderr, "probe: out of memory after %zu MiB\n", total >> 20);
        abort();
      }
      memset(p, 1, 1 << 20);
      *(void**)p = chain;
      chain = p;
      total += 1 << 20;
    }
  } else {
    printf("Status: 404\nContent-Type: text/plain\n\nno probe %s\n", path);
  }
  return 0;
}
