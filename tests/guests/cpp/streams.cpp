// C++ over WASI with Debian's wasm32 libc++ (built without <filesystem> and <fstream>, no
// threads, no exceptions): iostreams on stdio, RAII around C files and directories,
// containers and algorithms, std::random_device, std::chrono, the environment.
// usage: streams DIR (stdin: numbers to add up; env: USER_NAME)
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;
struct DirCloser {
  void operator()(DIR* d) const { closedir(d); }
};
using Dir = std::unique_ptr<DIR, DirCloser>;

File open(const std::string& path, const char* mode) { return File(std::fopen(path.c_str(), mode)); }

std::vector<std::string> list(const std::string& path) {
  std::vector<std::string> names;
  Dir d(opendir(path.c_str()));
  if (!d) return names;
  while (dirent* e = readdir(d.get())) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n + (e->d_type == DT_DIR ? "/" : ""));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string root = std::string(argv[1]) + "/cpp";
  std::cout << "mkdir: " << (mkdir(root.c_str(), 0755) == 0 ? "ok" : "failed") << "\n";
  {
    File out = open(root + "/numbers.txt", "w");
    for (int i = 1; i <= 10; ++i) std::fprintf(out.get(), "%d\n", i * i);
  }
  long sum = 0;
  {
    File in = open(root + "/numbers.txt", "r");
    for (long v; std::fscanf(in.get(), "%ld", &v) == 1;) sum += v;
  }
  std::cout << "sum of squares: " << sum << "\n";
  struct stat st;
  stat((root + "/numbers.txt").c_str(), &st);
  std::cout << "size: " << st.st_size << "\n";

  std::vector<std::string> words = {"wasm", "bantam", "wasi", "c++"};
  for (const auto& w : words) {
    File f = open(root + "/" + w + ".txt", "w");
    std::fputs(w.c_str(), f.get());
  }
  std::rename((root + "/c++.txt").c_str(), (root + "/cpp.txt").c_str());
  std::ostringstream tree;
  for (const auto& n : list(root)) tree << " " << n;
  std::cout << "listing:" << tree.str() << "\n";
  for (const auto& n : list(root)) std::remove((root + "/" + n).c_str());
  std::cout << "rmdir: " << (rmdir(root.c_str()) == 0 ? "ok" : "failed") << "\n";

  std::random_device rd;
  unsigned a = rd(), b = rd();
  std::cout << "random_device gives different values: " << (a != b ? "yes" : "no") << "\n";
  std::mt19937 gen(1234);
  std::cout << "mt19937(1234) first: " << gen() << "\n";
  auto t0 = std::chrono::steady_clock::now();
  auto t1 = std::chrono::steady_clock::now();
  std::cout << "steady_clock is monotonic: " << (t1 >= t0 ? "yes" : "no") << "\n";
  auto wall = std::chrono::system_clock::now().time_since_epoch();
  std::cout << "system_clock after 2020: "
            << (std::chrono::duration_cast<std::chrono::seconds>(wall).count() > 1577836800 ? "yes" : "no") << "\n";

  const char* user = std::getenv("USER_NAME");
  std::cout << "hello, " << (user ? user : "nobody") << "\n";
  long total = 0;
  for (long v; std::cin >> v;) total += v;
  std::cout << "stdin total: " << total << std::endl;
  std::cerr << "to stderr\n";
  return total == 0 ? 1 : 0;
}
