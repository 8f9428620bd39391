// Real toolchain output: a C program built by clang-19 for wasm32-wasi decodes, with its
// WASI imports, exports and function names. Linked without -O so that wasm-opt does not
// rewrite it: raw wasm-ld output, with its 5-byte padded LEB128 fields. Skips when clang-19
// or the WASI sysroot is not installed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "wasm/decoder/decoder.h"

namespace bantam::wasm {
namespace {

namespace fs = std::filesystem;

constexpr char kProgram[] = R"(
#include <stdio.h>
#include <stdlib.h>
static int compare(const void* a, const void* b) { return *(const int*)a - *(const int*)b; }
int main(int argc, char** argv) {
  int v[64];
  for (int i = 0; i < 64; ++i) v[i] = (i * 7919) % 67;
  qsort(v, 64, sizeof v[0], compare);
  printf("median %d of %d args\n", v[32], argc);
  return 0;
}
)";

TEST(DecoderToolchain, Clang19WasiProgramDecodes) {
  fs::path dir = fs::path(::testing::TempDir()) / "bantam_decoder_toolchain";
  fs::create_directories(dir);
  std::ofstream(dir / "prog.c") << kProgram;
  const std::string d = dir.string();
  const std::string cc = "clang-19 --target=wasm32-wasi --sysroot=/usr";
  const std::string cmd = cc + " -O2 -c " + d + "/prog.c -o " + d + "/prog.o 2>/dev/null && " + cc + " " + d +
                          "/prog.o -Wl,--strip-debug -o " + d + "/prog.wasm 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "clang-19 with a wasm32-wasi sysroot is not available";

  std::ifstream in(dir / "prog.wasm", std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(bytes.empty());
  auto m = decodeModule(bytes);
  ASSERT_TRUE(m) << m.error().toString();

  EXPECT_GT(m->numImportedFuncs, 0u);
  EXPECT_TRUE(std::all_of(m->imports.begin(), m->imports.end(),
                          [](const Import& i) { return i.module == "wasi_snapshot_preview1"; }));
  EXPECT_TRUE(std::any_of(m->exports.begin(), m->exports.end(), [](const Export& e) { return e.name == "_start"; }));
  EXPECT_TRUE(std::any_of(m->exports.begin(), m->exports.end(),
                          [](const Export& e) { return e.name == "memory" && e.kind == ExternKind::Memory; }));
  EXPECT_EQ(m->funcSpace.size(), m->numImportedFuncs + m->functions.size());
  EXPECT_FALSE(m->datas.empty());
  // --strip-debug keeps the name section.
  EXPECT_TRUE(std::any_of(m->names.functions.begin(), m->names.functions.end(),
                          [](const auto& kv) { return kv.second == "main"; }));
  for (const Function& f : m->functions) {
    ASSERT_GT(f.body.size, 0u);
    EXPECT_EQ(m->bytes[f.body.offset + f.body.size - 1], 0x0b);  // every body ends with `end`
  }
}

}  // namespace
}  // namespace bantam::wasm
