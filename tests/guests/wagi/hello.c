// The hello-world WAGI component of the platform benchmarks and tests: CGI headers, an empty
// line, the body. (bench/platform compares it with the server's native answer of these bytes.)
#include <stdio.h>

int main(void) {
  fputs("Content-Type: text/plain\n\nHello, Fermyon!\n", stdout);
  return 0;
}
