// Composition across languages: the C component compose_app.wasm imports bantam:compose/text,
// served by text_lib.wasm, the same interface written in JavaScript (componentize-js), linked
// with ComponentLinker::defineInstance; the JavaScript library's own imports (WASI 0.2) come
// from the host. The other direction (JavaScript importing C) runs under `bantam up` in
// tests/e2e/compose.
#include "guest_fixture.h"
#include "wasi2/runner.h"

namespace bantam::component {
namespace {

std::optional<std::vector<uint8_t>> jsGuest(const std::string& name) {
  return testing::readFile(std::string(BANTAM_BINARY_DIR) + "/tests/guests/component/js/" + name + ".wasm");
}

// Members in destruction order: the app before the library it calls, the library before the
// WASI context its handles name, everything before the store.
struct JsLibAndCApp {
  runtime::Engine engine{interp::createInterpreter()};
  runtime::Store store{engine};
  std::unique_ptr<wasi2::Wasi2Ctx> libCtx;
  std::unique_ptr<ComponentInstance> lib, app;

  Result<void> load(std::span<const uint8_t> libBytes, std::span<const uint8_t> appBytes) {
    wasi2::PreparedWasi2 prepared = BANTAM_TRY(wasi2::prepareWasi2(engine, libBytes, "text_lib.wasm"));
    libCtx = BANTAM_TRY(wasi2::Wasi2Ctx::create(prepared.host, wasi2::Wasi2Config{}));
    lib = BANTAM_TRY(prepared.pre->instantiate(store));
    lib->hostData = libCtx.get();
    auto appCompiled = BANTAM_TRY(compileComponent(engine, appBytes, "compose_app.wasm"));
    ComponentLinker appLinker;
    BANTAM_TRY(appLinker.defineInstance(*lib, "bantam:compose/text@0.1.0"));
    app = BANTAM_TRY(appLinker.instantiate(store, appCompiled));
    return {};
  }
  ~JsLibAndCApp() {
    app.reset();
    lib.reset();
  }
};

TEST(ComposeJs, CComponentCallsTheJavaScriptExport) {
  BANTAM_GUEST_OR_SKIP(appBytes, "compose_app");
  auto libBytes = jsGuest("text_lib");
  if (!libBytes) GTEST_SKIP() << "text_lib.wasm was not built (needs node and npm: componentize-js)";
  JsLibAndCApp c;
  auto loaded = c.load(*libBytes, appBytes);
  ASSERT_TRUE(loaded) << loaded.error().toString();

  // run: the C app calls the library's shout and appends "!". JavaScript's toUpperCase also
  // maps "é" (the C library would leave it): the answer came from the JavaScript instance.
  auto run = c.app->func("run");
  ASSERT_TRUE(run);
  auto r = c.app->call(*run, {Value::string("héllo, wörld")});
  ASSERT_TRUE(r) << r.error().toString();
  EXPECT_EQ(r->str(), "HÉLLO, WÖRLD!");

  // relay: the string crosses C -> JS -> C memory unchanged.
  auto relay = c.app->func("relay");
  ASSERT_TRUE(relay);
  auto e = c.app->call(*relay, {Value::string("relayed ✓")});
  ASSERT_TRUE(e) << e.error().toString();
  EXPECT_EQ(e->str(), "relayed ✓");

  // The JavaScript instance kept its own state: one shout so far.
  auto calls = c.lib->func("bantam:compose/text@0.1.0", "calls");
  ASSERT_TRUE(calls);
  auto n = c.lib->call(*calls, {});
  ASSERT_TRUE(n) << n.error().toString();
  EXPECT_EQ(n->asU32(), 1u);
}

}  // namespace
}  // namespace bantam::component
