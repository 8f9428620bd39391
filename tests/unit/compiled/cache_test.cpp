// The disk cache: a second compilation of the same module, even by another engine (another
// process in practice), is a cache hit that asks LLVM for nothing; a cached `bantam run` does
// not even load the compiler library.
#include <gtest/gtest.h>

#ifdef BANTAM_HAVE_COMPILED
#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "compiled/llvm_loader.h"
#include "compiled_env.h"

namespace bantam::compiled {
namespace {

using testing::TempDir;

constexpr const char* kModule = R"((module (memory (export "memory") 1)
  (func (export "_start") (i32.store (i32.const 0) (i32.const 7)))))";

size_t filesIn(const std::string& dir) {
  size_t n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

TEST(DiskCache, SecondCompilationIsACacheHitWithNoLlvmWork) {
  TempDir cache;
  auto bytes = testing::wat(kModule);
  {
    auto engine = testing::compiledEngine(cache.path);
    uint64_t before = compilationsRequested();
    ASSERT_TRUE(runtime::compileModule(*engine, bytes, "m").has_value());
    EXPECT_EQ(compilationsRequested(), before + 1);
  }
  EXPECT_EQ(filesIn(cache.path), 1u);
  auto engine = testing::compiledEngine(cache.path);
  uint64_t before = compilationsRequested();
  auto m = runtime::compileModule(*engine, bytes, "m");
  ASSERT_TRUE(m.has_value()) << m.error().toString();
  EXPECT_EQ(compilationsRequested(), before);
  // ... and the cached code runs.
  runtime::Store store(*engine);
  runtime::Linker linker;
  auto inst = linker.instantiate(store, *m);
  ASSERT_TRUE(inst.has_value());
  ASSERT_TRUE(store.call(*(*inst)->exportedFunc("_start"), std::vector<runtime::Value>{}).has_value());
  EXPECT_EQ((*inst)->memories[0]->base[0], 7);
}

TEST(DiskCache, CorruptEntryIsAMissNotAnError) {
  TempDir cache;
  auto bytes = testing::wat(kModule);
  ASSERT_TRUE(runtime::compileModule(*testing::compiledEngine(cache.path), bytes, "m").has_value());
  for (auto& e : std::filesystem::directory_iterator(cache.path)) std::ofstream(e.path(), std::ios::trunc) << "junk";
  uint64_t before = compilationsRequested();
  EXPECT_TRUE(runtime::compileModule(*testing::compiledEngine(cache.path), bytes, "m").has_value());
  EXPECT_EQ(compilationsRequested(), before + 1);
}

TEST(DiskCache, DisabledCacheWritesNothing) {
  TempDir cache;
  ASSERT_TRUE(runtime::compileModule(*testing::compiledEngine(cache.path, false), testing::wat(kModule), "m"));
  EXPECT_EQ(filesIn(cache.path), 0u);
}

// The CLI: glibc's LD_DEBUG=files lists every library the process loads, dlopen() included.
std::string runCli(const std::string& cacheHome, const std::string& module, bool traceLibraries) {
  std::string cmd = "XDG_CACHE_HOME='" + cacheHome + "' " + (traceLibraries ? "LD_DEBUG=files " : "") + "'" +
                    BANTAM_BINARY_DIR + "/bantam' run --engine compiled '" + module + "' 2>&1";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int status = ::pclose(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) out += "\n(exit status " + std::to_string(status) + ")";
  }
  return out;
}

TEST(DiskCache, CachedRunOfTheCliNeverLoadsTheCompiler) {
  std::string cli = std::string(BANTAM_BINARY_DIR) + "/bantam";
  if (!std::filesystem::exists(cli)) GTEST_SKIP() << cli << " is not built";
  TempDir home;
  std::string module = home.path + "/empty.wat";
  std::ofstream(module) << kModule;
  std::string first = runCli(home.path, module, true);
  ASSERT_EQ(first.find("exit status"), std::string::npos) << first;
  EXPECT_NE(first.find("libbantam_llvm"), std::string::npos) << "the first run compiles:\n" << first;
  std::string second = runCli(home.path, module, true);
  ASSERT_EQ(second.find("exit status"), std::string::npos) << second;
  EXPECT_EQ(second.find("libbantam_llvm"), std::string::npos) << second;
  EXPECT_EQ(second.find("libLLVM"), std::string::npos) << second;
}

}  // namespace
}  // namespace bantam::compiled

#else
TEST(DiskCache, CompiledEngineNotBuilt) { GTEST_SKIP() << "built with -DBANTAM_LLVM=OFF"; }
#endif
