// Composition (ComponentLinker::defineInstance): a component's import satisfied by another
// component instance's export, each instance with its own memory — what Spin's
// `[component.<id>.dependencies]` build on. Guests: c/compose_lib.c and c/compose_app.c.
#include "guest_fixture.h"

namespace bantam::component {
namespace {

struct Composed {
  runtime::Engine engine{interp::createInterpreter()};
  runtime::Store store{engine};
  std::unique_ptr<ComponentInstance> lib, app;

  Result<void> load(std::span<const uint8_t> libBytes, std::span<const uint8_t> appBytes) {
    auto libC = BANTAM_TRY(compileComponent(engine, libBytes, "compose_lib.wasm"));
    auto appC = BANTAM_TRY(compileComponent(engine, appBytes, "compose_app.wasm"));
    ComponentLinker libLinker;
    lib = BANTAM_TRY(libLinker.instantiate(store, libC));
    ComponentLinker appLinker;
    BANTAM_TRY(appLinker.defineInstance(*lib, "bantam:compose/text@0.1.0"));
    app = BANTAM_TRY(appLinker.instantiate(store, appC));
    return {};
  }
};

class Compose : public ::testing::Test {
 protected:
  void SetUp() override {
    BANTAM_GUEST_OR_SKIP(libBytes, "compose_lib");
    BANTAM_GUEST_OR_SKIP(appBytes, "compose_app");
    auto loaded = c.load(libBytes, appBytes);
    ASSERT_TRUE(loaded) << loaded.error().message << " " << loaded.error().context;
  }
  uint32_t libCalls() {
    auto f = c.lib->func("bantam:compose/text@0.1.0", "calls");
    auto r = c.lib->call(*f, {});
    return r ? r->asU32() : 0xffffffffu;
  }
  Composed c;
};

TEST_F(Compose, ImportIsServedByAnotherComponentInstance) {
  auto run = c.app->func("run");
  ASSERT_TRUE(run);
  auto r = c.app->call(*run, {Value::string("hello")});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->str(), "HELLO!");
  EXPECT_EQ(libCalls(), 1u);
}

TEST_F(Compose, EachComponentKeepsItsOwnMemory) {
  std::string big(3000, 'a');
  auto run = c.app->func("run");
  for (int i = 0; i < 50; ++i) {  // post-return resets each side's allocator: no growth, no sharing
    auto r = c.app->call(*run, {Value::string(big)});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->str().size(), big.size() + 1);
    EXPECT_EQ(r->str()[0], 'A');
  }
  EXPECT_EQ(libCalls(), 50u);
}

TEST_F(Compose, TheLibraryStaysCallableFromTheHost) {
  auto shout = c.lib->func("bantam:compose/text", "shout");  // version may be omitted
  ASSERT_TRUE(shout);
  auto r = c.lib->call(*shout, {Value::string("direct")});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->str(), "DIRECT");
}

TEST(ComposeLink, ExportCanServeAnImportOfAnotherCompatibleName) {
  BANTAM_GUEST_OR_SKIP(libBytes, "compose_lib");
  BANTAM_GUEST_OR_SKIP(appBytes, "compose_app");
  runtime::Engine engine{interp::createInterpreter()};
  runtime::Store store{engine};
  auto libC = compileComponent(engine, libBytes, "compose_lib.wasm");
  auto appC = compileComponent(engine, appBytes, "compose_app.wasm");
  ASSERT_TRUE(libC && appC);
  ComponentLinker libLinker;
  auto lib = libLinker.instantiate(store, *libC);
  ASSERT_TRUE(lib);
  ComponentLinker appLinker;
  // Registered as 0.1.5: it serves the app's import of 0.1.0.
  ASSERT_TRUE(appLinker.defineInstance(**lib, "bantam:compose/text@0.1.0", "bantam:compose/text@0.1.5"));
  auto app = appLinker.instantiate(store, *appC);
  ASSERT_TRUE(app) << app.error().message;
  auto r = (*app)->call(*(*app)->func("run"), {Value::string("ok")});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->str(), "OK!");
}

TEST(ComposeLink, ProviderOfAnIncompatibleVersionIsNotUsed) {
  BANTAM_GUEST_OR_SKIP(libBytes, "compose_lib");
  BANTAM_GUEST_OR_SKIP(appBytes, "compose_app");
  runtime::Engine engine{interp::createInterpreter()};
  runtime::Store store{engine};
  auto libC = compileComponent(engine, libBytes, "compose_lib.wasm");
  auto appC = compileComponent(engine, appBytes, "compose_app.wasm");
  ASSERT_TRUE(libC && appC);
  ComponentLinker libLinker;
  auto lib = libLinker.instantiate(store, *libC);
  ASSERT_TRUE(lib);
  ComponentLinker appLinker;
  ASSERT_TRUE(appLinker.defineInstance(**lib, "bantam:compose/text@0.1.0", "bantam:compose/text@0.2.0"));
  auto pre = appLinker.prepare(*appC);
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().kind, ErrorKind::Unlinkable);
}

TEST(ComposeLink, MissingProviderExportIsNamed) {
  BANTAM_GUEST_OR_SKIP(libBytes, "compose_lib");
  runtime::Engine engine{interp::createInterpreter()};
  runtime::Store store{engine};
  auto libC = compileComponent(engine, libBytes, "compose_lib.wasm");
  ASSERT_TRUE(libC);
  ComponentLinker libLinker;
  auto lib = libLinker.instantiate(store, *libC);
  ASSERT_TRUE(lib);
  ComponentLinker appLinker;
  auto r = appLinker.defineInstance(**lib, "bantam:compose/other@0.1.0");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("bantam:compose/other@0.1.0"), std::string::npos);
}

}  // namespace
}  // namespace bantam::component
