/* Prints what the guest was given: arguments, environment variables, standard input; then
   exits with the status asked for.
   usage: hello [--env NAME]... [--stdin] [--stderr TEXT] [--alloc BYTES] [--exit N] [words...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char** environ;

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  int count = 0;
  for (char** e = environ; *e; ++e) ++count;
  printf("environ has %d entries\n", count);
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--env") == 0 && i + 1 < argc) {
      const char* v = getenv(argv[++i]);
      printf("env %s=%s\n", argv[i], v ? v : "(unset)");
    } else if (strcmp(argv[i], "--stdin") == 0) {
      char buf[4096];
      size_t total = 0, n;
      int lines = 0;
      while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        for (size_t k = 0; k < n; ++k) lines += buf[k] == '\n';
        total += n;
        fwrite(buf, 1, n, stdout);  /* echo */
      }
      printf("stdin: %zu bytes, %d lines\n", total, lines);
    } else if (strcmp(argv[i], "--stderr") == 0 && i + 1 < argc) {
      fprintf(stderr, "%s\n", argv[++i]);
    } else if (strcmp(argv[i], "--alloc") == 0 && i + 1 < argc) {
      size_t bytes = strtoul(argv[++i], NULL, 10);
      char* p = malloc(bytes);
      if (!p) {
        printf("malloc(%zu) failed\n", bytes);
        fflush(stdout);
        return 3;
      }
      memset(p, 1, bytes);
      /* Using the memory keeps the compiler from eliding the allocation. */
      printf("malloc(%zu) ok, last byte %d\n", bytes, bytes ? p[bytes - 1] : 1);
      free(p);
    } else if (strcmp(argv[i], "--exit") == 0 && i + 1 < argc) {
      int status = atoi(argv[++i]);
      printf("exiting with %d\n", status);
      exit(status); /* flushes stdio, then proc_exit */
    }
  }
  return 0;
}
