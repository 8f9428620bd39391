// The .cwasm artifact of `bantam compile`: it loads and runs, and it is refused, with a message
// that says what to do, when it comes from another engine version or needs CPU features the
// host lacks.
#include <gtest/gtest.h>

#ifdef BANTAM_HAVE_COMPILED
#include "compiled/artifact.h"
#include "compiled/cpu.h"
#include "compiled_env.h"

namespace bantam::compiled {
namespace {

using testing::TempDir;

constexpr const char* kAdd = R"((module (func (export "add") (param i32 i32) (result i32)
  (i32.add (local.get 0) (local.get 1)))))";

struct Precompiled {
  TempDir cache;
  std::unique_ptr<runtime::Engine> engine = testing::compiledEngine(cache.path);
  std::vector<uint8_t> artifact;
  Precompiled() {
    auto a = precompileModule(*engine, testing::wat(kAdd), "add.wasm");
    EXPECT_TRUE(a.has_value()) << (a ? "" : a.error().toString());
    if (a) artifact = std::move(*a);
  }
  // The same code with a different header.
  std::vector<uint8_t> rewritten(void (*edit)(ArtifactInfo&)) {
    auto owner = std::make_shared<std::vector<uint8_t>>(artifact);
    auto parsed = Artifact::parse(owner, *owner);
    EXPECT_TRUE(parsed.has_value());
    ArtifactInfo info = parsed->info();
    edit(info);
    return Artifact::serialize(info, parsed->wasm(), parsed->objects());
  }
};

TEST(Artifact, PrecompiledModuleLoadsAndRuns) {
  Precompiled p;
  ASSERT_TRUE(isPrecompiled(p.artifact));
  auto m = loadPrecompiled(*p.engine, p.artifact, "add.cwasm");
  ASSERT_TRUE(m.has_value()) << m.error().toString();
  runtime::Store store(*p.engine);
  runtime::Linker linker;
  auto inst = linker.instantiate(store, *m);
  ASSERT_TRUE(inst.has_value()) << inst.error().toString();
  std::vector<runtime::Value> args = {runtime::Value::i32(40), runtime::Value::i32(2)};
  auto r = store.call(*(*inst)->exportedFunc("add"), args);
  ASSERT_TRUE(r.has_value()) << r.error().toString();
  EXPECT_EQ((*r)[0].raw.i32, 42u);
}

TEST(Artifact, ArtifactOfAnotherEngineVersionIsRefusedWithAHint) {
  Precompiled p;
  auto old = p.rewritten([](ArtifactInfo& i) { i.engineVersion = "bantam 0.0.1, compiled format 0"; });
  auto m = loadPrecompiled(*p.engine, old, "old.cwasm");
  ASSERT_FALSE(m.has_value());
  std::string text = m.error().toString();
  EXPECT_NE(text.find("old.cwasm was compiled by bantam 0.0.1, compiled format 0"), std::string::npos) << text;
  EXPECT_NE(text.find(engineVersion()), std::string::npos) << text;
  EXPECT_NE(text.find("bantam compile"), std::string::npos) << text;
}

TEST(Artifact, ArtifactForCpuFeaturesTheHostLacksIsRefusedNamingThem) {
  if (hostCpu().features.bits == UINT64_MAX) GTEST_SKIP() << "this host has every feature the engine knows";
  Precompiled p;
  auto alien = p.rewritten([](ArtifactInfo& i) { i.features.bits = UINT64_MAX; });
  auto m = loadPrecompiled(*p.engine, alien, "alien.cwasm");
  ASSERT_FALSE(m.has_value());
  std::string text = m.error().toString();
  EXPECT_NE(text.find("CPU features this host lacks"), std::string::npos) << text;
  CpuFeatures all{UINT64_MAX};
  std::string missing = hostCpu().features.missing(all);
  ASSERT_FALSE(missing.empty());
  EXPECT_NE(text.find(missing.substr(0, missing.find(' '))), std::string::npos) << text;
}

TEST(Artifact, TruncatedArtifactIsAnErrorNotACrash) {
  Precompiled p;
  // (The last part is padded to 16 bytes: cutting 17 always cuts into the code.)
  for (size_t n : {size_t{8}, size_t{64}, p.artifact.size() / 2, p.artifact.size() - 17}) {
    std::vector<uint8_t> cut(p.artifact.begin(), p.artifact.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(loadPrecompiled(*p.engine, cut, "cut.cwasm").has_value()) << n << " bytes";
  }
}

}  // namespace
}  // namespace bantam::compiled

#else
TEST(Artifact, CompiledEngineNotBuilt) { GTEST_SKIP() << "built with -DBANTAM_LLVM=OFF"; }
#endif
