// The `bantam` command.
#include <cstdio>
int main(int argc, char** argv) {
  std::fprintf(stderr, "bantam: not built yet\n");
  return 1;
}
