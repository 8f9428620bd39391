/* Ways for a guest to stop abnormally. usage: trap unreachable|div0|oob|recurse|loop */
#include <stdio.h>
#include <string.h>

/* Called through a volatile pointer so that the compiler cannot turn the recursion into a loop;
   no locals in linear memory, so the wasm call stack (not the guest's stack) runs out. */
static int (*volatile again)(int);
__attribute__((noinline)) static int recurse(int n) { return again(n + 1) + 1; }

__attribute__((noinline)) static void crash_here(const char* how) {
  volatile int zero = 0, seven = 7;
  again = recurse;
  if (strcmp(how, "unreachable") == 0) __builtin_trap();
  if (strcmp(how, "div0") == 0) printf("%d\n", seven / zero);
  if (strcmp(how, "oob") == 0) *(volatile int*)0xfffffff0u = 1;
  if (strcmp(how, "recurse") == 0) printf("%d\n", recurse(0));
  if (strcmp(how, "loop") == 0)
    for (volatile unsigned i = 0;; ++i) {
    }
}

int main(int argc, char** argv) {
  printf("about to %s\n", argc > 1 ? argv[1] : "(nothing)");
  fflush(stdout);
  if (argc > 1) crash_here(argv[1]);
  return 0;
}
