// BANTAM_PERFMAP: loading compiled code with CompilerOptions::perfMap names every function in
// /tmp/perf-<pid>.map (perf's map for generated code), one "START SIZE module!function" line each.
#include <gtest/gtest.h>

#ifdef BANTAM_HAVE_COMPILED
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "compiled_env.h"

namespace bantam::compiled {
namespace {

TEST(CompiledPerfMap, EveryLoadedFunctionIsNamedWithItsAddressAndSize) {
  testing::TempDir cache;
  CompilerOptions o;
  o.cacheDir = cache.path;
  o.progress = false;
  o.threads = 1;
  o.perfMap = true;
  runtime::Engine engine(createCompiledEngine(o));
  std::string path = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
  std::remove(path.c_str());
  testing::Instance m(engine, R"((module
    (func $double (export "double") (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
    (func $square (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))))");
  ASSERT_NE(m.inst, nullptr);
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << path;
  std::string line;
  int named = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string start, size, name;
    fields >> std::hex >> start >> size >> name;
    EXPECT_GT(std::stoull(start, nullptr, 16), 0u) << line;
    EXPECT_GT(std::stoull(size, nullptr, 16), 0u) << line;
    // The module's name from its name section, or "wasm" (Bantam's text parser writes none).
    if (name == "wasm!double" || name == "wasm!square") ++named;
    else ADD_FAILURE() << "unexpected line: " << line;
  }
  EXPECT_EQ(named, 2);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace bantam::compiled
#endif
