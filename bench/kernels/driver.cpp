// Times each kernel natively and in Bantam's interpreter, alternately, and prints the best
// times (thread CPU time), the ratio and the geometric mean of the ratios. Also reports how fast each module
// lowers (compile = decode + validate + lowering).
//   kernels [--runs N] [--only NAME] [--scale X] [--dir WASM_DIR]
#include <algorithm>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "interp/disasm.h"
#include "interp/interpreter.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"

extern "C" {
uint64_t kernel_fib(uint32_t);
uint64_t kernel_sieve(uint32_t);
uint64_t kernel_nbody(uint32_t);
uint64_t kernel_fannkuch(uint32_t);
uint64_t kernel_sha256(uint32_t);
uint64_t kernel_hashtable(uint32_t);
}

namespace {

struct Kernel {
  const char* name;
  uint64_t (*native)(uint32_t);
  uint32_t arg;  // about 0.2-0.4 s natively on the reference VM
};

const Kernel kKernels[] = {
    {"fib", kernel_fib, 35},        {"sieve", kernel_sieve, 20},      {"nbody", kernel_nbody, 2000000},
    {"fannkuch", kernel_fannkuch, 10}, {"sha256", kernel_sha256, 100}, {"hashtable", kernel_hashtable, 8},
};

// CPU time of this thread: other work on the (2-core) machine disturbs it much less than
// wall-clock time.
double seconds(auto f) {
  timespec t0, t1;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
  f();
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
  return double(t1.tv_sec - t0.tv_sec) + double(t1.tv_nsec - t0.tv_nsec) * 1e-9;
}

// The fastest of the runs: noise only ever adds time.
double best(std::vector<double> v) { return *std::min_element(v.begin(), v.end()); }

}  // namespace

int main(int argc, char** argv) {
  using namespace bantam;
  int runs = 3;
  double scale = 1;
  runtime::StoreLimits limits;
  std::string only, dir = KERNELS_WASM_DIR;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) runs = std::atoi(argv[++i]);
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else if (a == "--scale" && i + 1 < argc) scale = std::atof(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    // A smaller memory limit lets memories fall back to a small reservation when address
    // space is restricted (valgrind: run under `ulimit -v`).
    else if (a == "--mem-limit-mb" && i + 1 < argc) limits.maxMemoryBytes = uint64_t(std::atoi(argv[++i])) << 20;
    else {
      std::fprintf(stderr, "usage: kernels [--runs N] [--only NAME] [--scale X] [--dir WASM_DIR] [--mem-limit-mb N]\n");
      return 2;
    }
  }
  runtime::Engine engine(interp::createInterpreter());
  std::printf("%-10s %10s %10s %8s %12s\n", "kernel", "native s", "bantam s", "ratio", "lower MB/s");
  double logSum = 0;
  int count = 0;
  bool ok = true;
  for (const Kernel& k : kKernels) {
    if (!only.empty() && only != k.name) continue;
    std::ifstream in(dir + "/" + k.name + ".wasm", std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty()) {
      std::fprintf(stderr, "%s: cannot read %s/%s.wasm\n", k.name, dir.c_str(), k.name);
      return 1;
    }
    std::shared_ptr<runtime::CompiledModule> compiled;
    double compileTime = seconds([&] {
      auto c = runtime::compileModule(engine, bytes, k.name);
      if (!c) {
        std::fprintf(stderr, "%s: %s\n", k.name, c.error().toString().c_str());
        std::exit(1);
      }
      compiled = *c;
    });
    runtime::Store store(engine, limits);
    runtime::Linker linker;
    auto inst = linker.instantiate(store, compiled);
    if (!inst) {
      std::fprintf(stderr, "%s: %s\n", k.name, inst.error().toString().c_str());
      return 1;
    }
    runtime::FuncInst* run = (*inst)->exportedFunc("run");
    // fib and fannkuch grow exponentially with their argument: --scale leaves them alone.
    bool exponential = std::string(k.name) == "fib" || std::string(k.name) == "fannkuch";
    uint32_t arg = exponential ? k.arg : static_cast<uint32_t>(std::max(1.0, k.arg * scale));
    std::vector<double> tn, tw;
    uint64_t expect = 0, got = 0;
    for (int r = 0; r < runs; ++r) {
      tn.push_back(seconds([&] { expect = k.native(arg); }));
      tw.push_back(seconds([&] {
        std::vector<runtime::RawVal> cells(1);
        cells[0].i32 = arg;
        auto res = store.call(*run, std::span<runtime::RawVal>(cells));
        if (!res) {
          std::fprintf(stderr, "%s: trap: %s\n", k.name, res.error().toString().c_str());
          std::exit(1);
        }
        got = cells[0].i64;
      }));
      if (got != expect) {
        std::fprintf(stderr, "%s: checksum %llx, native %llx\n", k.name, (unsigned long long)got,
                     (unsigned long long)expect);
        ok = false;
        break;
      }
    }
    double n = best(tn), w = best(tw);
    std::printf("%-10s %10.3f %10.3f %7.2fx %12.1f\n", k.name, n, w, w / n, bytes.size() / compileTime / 1e6);
    logSum += std::log(w / n);
    ++count;
  }
  if (count) std::printf("geometric mean: %.2fx native\n", std::exp(logSum / count));
  std::fputs(interp::profileReport().c_str(), stdout);  // empty unless BANTAM_INTERP_PROFILE
  return ok ? 0 : 1;
}
