// The component linker (component.h): host interfaces declared from WIT, version matching
// (a newer compatible implementation serves an older import), and named link errors.
#include "guest_fixture.h"

#include "component/wit/builtin.h"

namespace bantam::component {
namespace {

Result<InterfaceSet> declare(std::string text) {
  std::vector<wit::File> files;
  files.push_back(BANTAM_TRY(wit::parseWit(text, "host.wit")));
  auto r = BANTAM_TRY(wit::resolveWit(std::move(files)));
  return r.interfaceSet();
}

const char* kApi = R"(package bantam:lib@VERSION;
interface api {
  resource thing { get: func() -> u32; }
  make: func(v: MAKE) -> thing;
})";

std::string api(std::string version, std::string makeParam = "u32") {
  std::string s = kApi;
  s.replace(s.find("VERSION"), 7, version);
  s.replace(s.find("MAKE"), 4, makeParam);
  return s;
}

struct VersionsHost {
  runtime::Engine engine{interp::createInterpreter()};
  runtime::Store store{engine};
  ComponentLinker linker;
  std::shared_ptr<const CompiledComponent> compiled;
  std::vector<uint32_t> dropped;

  Result<void> declareAndDefine(const InterfaceSet& set, std::string_view iface, bool defineMake = true) {
    BANTAM_TRY(linker.addInterfaces(set));
    const ResourceType* thing = BANTAM_TRY(linker.defineResource(iface, "thing", [this](uint32_t rep) { dropped.push_back(rep); }));
    if (defineMake)
      BANTAM_TRY(linker.defineFunc(iface, "make", [thing](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
        return Value::own(thing, a[0].asU32());
      }));
    BANTAM_TRY(linker.defineFunc(iface, "[method]thing.get", [](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
      return Value::u32(a[0].rep());
    }));
    return {};
  }
};

class Linker : public ::testing::Test {
 protected:
  void SetUp() override {
    BANTAM_GUEST_OR_SKIP(bytes, "versions");
    auto c = compileComponent(h.engine, bytes, "versions.wasm");
    ASSERT_TRUE(c) << c.error().message;
    h.compiled = *c;
  }
  VersionsHost h;
};

TEST_F(Linker, NewerPatchVersionServesOlderImport) {
  auto files = wit::loadWitFiles(std::string(BANTAM_SOURCE_DIR) + "/tests/guests/component/wit-host-versions");
  ASSERT_TRUE(files);
  auto r = wit::resolveWit(std::move(*files));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(h.declareAndDefine(r->interfaceSet(), "bantam:lib/api@0.2.5"));
  auto inst = h.linker.instantiate(h.store, h.compiled);
  ASSERT_TRUE(inst) << inst.error().message << " " << inst.error().context;
  auto run = (*inst)->func("run");
  ASSERT_TRUE(run);
  auto v = (*inst)->call(*run, {});
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->asU32(), 42u);
  ASSERT_EQ(h.dropped.size(), 1u);
  EXPECT_EQ(h.dropped[0], 41u);
}

TEST_F(Linker, NewerMinorVersionDoesNotServeOlderImport) {
  auto set = declare(api("0.3.0"));
  ASSERT_TRUE(set);
  // 0.3 is a different canonical version from 0.2: not compatible.
  ASSERT_TRUE(h.declareAndDefine(*set, "bantam:lib/api@0.3.0"));
  auto pre = h.linker.prepare(h.compiled);
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().kind, ErrorKind::Unlinkable);
  EXPECT_NE(pre.error().message.find("bantam:lib/api@0.2.3"), std::string::npos) << pre.error().message;
}

TEST_F(Linker, OlderImplementationDoesNotServeNewerImport) {
  auto set = declare(api("0.2.1"));
  ASSERT_TRUE(set);
  ASSERT_TRUE(h.declareAndDefine(*set, "bantam:lib/api@0.2.1"));
  auto pre = h.linker.prepare(h.compiled);
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().kind, ErrorKind::Unlinkable);
}

TEST_F(Linker, DefineAcceptsUnversionedAndCompatibleNames) {
  auto set = declare(api("0.2.9"));
  ASSERT_TRUE(set);
  ASSERT_TRUE(h.declareAndDefine(*set, "bantam:lib/api"));  // the newest declared
  ASSERT_TRUE(h.linker.defineFunc("bantam:lib/api@0.2.0", "make", [](HostCall&, std::span<const Value> a) -> runtime::TrapOr<Value> {
    return Value::u32(0);
  }));
  EXPECT_TRUE(h.linker.missingFuncs("bantam:lib/api@0.2.9").empty());
  EXPECT_TRUE(h.linker.prepare(h.compiled));
}

TEST_F(Linker, UnimplementedFunctionIsNamed) {
  auto set = declare(api("0.2.5"));
  ASSERT_TRUE(set);
  ASSERT_TRUE(h.declareAndDefine(*set, "bantam:lib/api@0.2.5", /*defineMake=*/false));
  EXPECT_EQ(h.linker.missingFuncs("bantam:lib/api@0.2.5"), std::vector<std::string>{"make"});
  auto pre = h.linker.prepare(h.compiled);
  ASSERT_FALSE(pre);
  EXPECT_NE(pre.error().message.find("does not implement `bantam:lib/api@0.2.5#make`"), std::string::npos)
      << pre.error().message;
}

TEST_F(Linker, TypeMismatchIsUnlinkable) {
  auto set = declare(api("0.2.5", "u64"));
  ASSERT_TRUE(set);
  ASSERT_TRUE(h.declareAndDefine(*set, "bantam:lib/api@0.2.5"));
  auto pre = h.linker.prepare(h.compiled);
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().kind, ErrorKind::Unlinkable);
  EXPECT_NE(pre.error().message.find("type"), std::string::npos) << pre.error().message;
}

TEST_F(Linker, MissingInterfaceIsUnlinkableWithAHint) {
  auto pre = h.linker.prepare(h.compiled);
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().kind, ErrorKind::Unlinkable);
  EXPECT_NE(pre.error().message.find("bantam:lib/api@0.2.3"), std::string::npos);
  EXPECT_FALSE(pre.error().hint.empty());
}

TEST(LinkerBuiltin, WasiInterfacesCanBeDefinedUnderAnyCompatibleVersion) {
  ComponentLinker linker;
  ASSERT_TRUE(linker.addInterfaces(wit::builtinInterfaces()));
  auto noop = [](HostCall&, std::span<const Value>) -> runtime::TrapOr<Value> { return Value(); };
  EXPECT_TRUE(linker.defineFunc("wasi:cli/stdout@0.2.12", "get-stdout", noop));
  EXPECT_TRUE(linker.defineFunc("wasi:cli/stdout@0.2.0", "get-stdout", noop));
  EXPECT_TRUE(linker.defineFunc("wasi:cli/stdout", "get-stdout", noop));
  EXPECT_TRUE(linker.defineResource("wasi:io/streams@0.2.3", "output-stream"));
  EXPECT_FALSE(linker.defineFunc("wasi:cli/stdout@0.3.0", "get-stdout", noop));
  EXPECT_FALSE(linker.defineFunc("wasi:cli/stdout@0.2.12", "no-such-function", noop));
  EXPECT_EQ(linker.resource("wasi:io/streams@0.2.12", "output-stream"),
            linker.resource("wasi:http/types@0.2.12", "output-stream"));
}

TEST(LinkerBuiltin, InterfacesDeclaredTwiceAreAnError) {
  ComponentLinker linker;
  ASSERT_TRUE(linker.addInterfaces(wit::builtinInterfaces()));
  EXPECT_FALSE(linker.addInterfaces(wit::builtinInterfaces()));
}

}  // namespace
}  // namespace bantam::component
