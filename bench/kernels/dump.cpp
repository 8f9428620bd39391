// Lists the interpreter's lowered code of a module: kernels-dump FILE.wasm [FUNC_INDEX]
// With --time: how long decoding, validation and lowering take (start-up of large modules).
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

#include "interp/disasm.h"
#include "interp/interpreter.h"
#include "runtime/engine.h"
#include "wasm/decoder/decoder.h"
#include "wasm/validator/validator.h"

namespace {
double now() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

int timeStages(const char* file) {
  using namespace bantam;
  std::ifstream in(file, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  double t0 = now();
  auto m = wasm::decodeModule(bytes);
  if (!m) return std::fprintf(stderr, "%s\n", m.error().toString().c_str()), 1;
  double t1 = now();
  if (auto v = wasm::validateModule(*m); !v) return std::fprintf(stderr, "%s\n", v.error().toString().c_str()), 1;
  double t2 = now();
  auto exec = interp::createInterpreter();
  std::vector<uint32_t> sigIds(m->types.size());
  for (uint32_t i = 0; i < sigIds.size(); ++i) sigIds[i] = i;
  double lower = 1e9;
  for (int i = 0; i < 5; ++i) {  // the best of five: this machine is shared
    double t = now();
    auto code = exec->compile(*m, sigIds);
    if (!code) return std::fprintf(stderr, "%s\n", code.error().toString().c_str()), 1;
    lower = std::min(lower, now() - t);
  }
  double t3 = t2 + lower;
  uint64_t bodies = 0;
  for (const auto& f : m->functions) bodies += f.body.size;
  double mb = double(bytes.size()) / 1e6;
  std::printf("%s: %.1f MB, %zu functions, %.1f MB of code\n", file, mb, m->functions.size(), bodies / 1e6);
  std::printf("decode %.1f ms, validate %.1f ms, lower %.1f ms (%.0f MB/s of code)\n", (t1 - t0) * 1e3,
              (t2 - t1) * 1e3, (t3 - t2) * 1e3, bodies / 1e6 / (t3 - t2));
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace bantam;
  if (argc == 3 && std::string(argv[1]) == "--time") return timeStages(argv[2]);
  if (argc < 2) {
    std::fprintf(stderr, "usage: kernels-dump FILE.wasm [FUNC_INDEX]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto m = wasm::decodeModule(bytes);
  if (!m) return std::fprintf(stderr, "%s\n", m.error().toString().c_str()), 1;
  if (auto v = wasm::validateModule(*m); !v) return std::fprintf(stderr, "%s\n", v.error().toString().c_str()), 1;
  std::vector<uint32_t> sigIds(m->types.size());
  for (uint32_t i = 0; i < sigIds.size(); ++i) sigIds[i] = i;
  auto text = interp::disassembleModule(*m, sigIds, argc > 2 ? static_cast<uint32_t>(std::atoi(argv[2])) : UINT32_MAX);
  if (!text) return std::fprintf(stderr, "%s\n", text.error().toString().c_str()), 1;
  std::fputs(text->c_str(), stdout);
  return 0;
}
