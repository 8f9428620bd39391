// loadApp on valid manifests: every field of spin.toml (version 2) lands in platform::App.
#include <gtest/gtest.h>

#include "manifest_fixture.h"

namespace bantam::platform {
namespace {

using testing::AppDir;
using testing::errorText;
using testing::kHead;

TEST(Manifest, MinimalAppLoads) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/hello"
component = "hello"

[component.hello]
source = "hello.wasm"
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(app->name, "test-app");
  EXPECT_EQ(app->manifestPath, d.path("spin.toml"));
  EXPECT_EQ(app->root, d.root());
  EXPECT_EQ(app->base, "/");
  ASSERT_EQ(app->httpTriggers.size(), 1u);
  const HttpTrigger& t = app->httpTriggers[0];
  EXPECT_EQ(t.route, "/hello");
  EXPECT_EQ(t.component, "hello");
  EXPECT_FALSE(t.isPrivate);
  EXPECT_EQ(t.executor.kind, ExecutorConfig::Kind::Spin);
  EXPECT_EQ(t.id, "hello-http-trigger");
  EXPECT_EQ(t.line, 6u);
  ASSERT_TRUE(app->components.contains("hello"));
  EXPECT_EQ(app->components.at("hello").source, d.path("hello.wasm"));
  EXPECT_EQ(app->components.at("hello").line, 11u);
  EXPECT_TRUE(app->warnings.empty());
}

TEST(Manifest, LoadsFromTheFileOrItsFolder) {
  AppDir d;
  d.manifest(std::string(kHead) + "[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\n[component.a]\nsource = \"a.wasm\"\n");
  d.write("other.toml", std::string(kHead) +
                            "[[trigger.http]]\nroute = \"/\"\ncomponent = \"b\"\n[component.b]\nsource = \"b.wasm\"\n");
  auto byFolder = loadApp(d.root());
  ASSERT_TRUE(byFolder) << errorText(byFolder);
  EXPECT_TRUE(byFolder->components.contains("a"));
  auto byFile = loadApp(d.path("other.toml"));
  ASSERT_TRUE(byFile) << errorText(byFile);
  EXPECT_TRUE(byFile->components.contains("b"));
  EXPECT_EQ(byFile->manifestPath, d.path("other.toml"));
}

TEST(Manifest, ApplicationFieldsAndBase) {
  AppDir d;
  d.manifest(R"(spin_manifest_version = 2
[application]
name = "shop"
version = "1.2.3"
description = "A shop"
authors = ["Ann <ann@example.com>", "Bob"]
targets = ["spin-up:3.2"]
[application.trigger.http]
base = "/shop"
[application.tool.lint]
level = "high"

[[trigger.http]]
route = "/cart"
component = "cart"
[component.cart]
source = "cart.wasm"
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(app->name, "shop");
  EXPECT_EQ(app->version, "1.2.3");
  EXPECT_EQ(app->description, "A shop");
  EXPECT_EQ(app->authors, (std::vector<std::string>{"Ann <ann@example.com>", "Bob"}));
  EXPECT_EQ(app->base, "/shop");
}

TEST(Manifest, VariablesDefaultRequiredSecret) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[variables]
greeting = { default = "hello" }
api_key = { required = true, secret = true }
mode = { default = "dev", description = "run mode" }

[[trigger.http]]
route = "/"
component = "a"
[component.a]
source = "a.wasm"
variables = { message = "{{ greeting }}, world", key = "{{api_key}}" }
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  ASSERT_EQ(app->variables.size(), 3u);
  EXPECT_EQ(app->variables.at("greeting").defaultValue, "hello");
  EXPECT_FALSE(app->variables.at("greeting").required);
  EXPECT_FALSE(app->variables.at("api_key").defaultValue.has_value());
  EXPECT_TRUE(app->variables.at("api_key").required);
  EXPECT_TRUE(app->variables.at("api_key").secret);
  EXPECT_FALSE(app->variables.at("mode").secret);
  const Component& a = app->components.at("a");
  EXPECT_EQ(a.variables.at("message"), "{{ greeting }}, world");
  EXPECT_EQ(a.variables.at("key"), "{{api_key}}");
}

TEST(Manifest, EveryComponentFieldIsRead) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/..."
component = "api"

[component.api]
source = "target/api.wasm"
description = "The API"
environment = { LOG = "debug", MODE = "test" }
allowed_outbound_hosts = ["https://example.com", "redis://cache:6379"]
key_value_stores = ["default", "user-data", "snake_case"]
sqlite_databases = ["default"]
ai_models = ["llama2-chat"]
exclude_files = ["**/*.bak"]
dependencies_inherit_configuration = false

[component.api.build]
command = "make wasm"
workdir = "api"
watch = ["src/**/*.c", "Makefile"]

[component.api.tool.clean]
command = "make clean"
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  const Component& c = app->components.at("api");
  EXPECT_EQ(c.id, "api");
  EXPECT_EQ(c.source, d.path("target/api.wasm"));
  EXPECT_EQ(c.description, "The API");
  EXPECT_EQ(c.environment, (std::map<std::string, std::string>{{"LOG", "debug"}, {"MODE", "test"}}));
  EXPECT_EQ(c.allowedOutboundHosts, (std::vector<std::string>{"https://example.com", "redis://cache:6379"}));
  EXPECT_EQ(c.keyValueStores, (std::vector<std::string>{"default", "user-data", "snake_case"}));
  EXPECT_EQ(c.sqliteDatabases, (std::vector<std::string>{"default"}));
  EXPECT_EQ(c.aiModels, (std::vector<std::string>{"llama2-chat"}));
  EXPECT_EQ(c.excludeFiles, (std::vector<std::string>{"**/*.bak"}));
  ASSERT_TRUE(c.build.has_value());
  EXPECT_EQ(c.build->command, "make wasm");
  EXPECT_EQ(c.build->commands, (std::vector<std::string>{"make wasm"}));
  EXPECT_EQ(c.build->workdir, d.path("api"));
  EXPECT_EQ(c.build->watch, (std::vector<std::string>{"src/**/*.c", "Makefile"}));
}

TEST(Manifest, BuildCommandListRunsInOrderAndWorkdirDefaultsToTheAppFolder) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/"
component = "a"
[component.a]
source = "a.wasm"
build = { command = ["mkdir -p target", "cc -o target/a.wasm a.c"] }
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  const BuildConfig& b = *app->components.at("a").build;
  EXPECT_EQ(b.commands, (std::vector<std::string>{"mkdir -p target", "cc -o target/a.wasm a.c"}));
  EXPECT_EQ(b.command, "mkdir -p target && cc -o target/a.wasm a.c");
  EXPECT_EQ(b.workdir, d.root());
}

TEST(Manifest, WagiExecutorWithArgvAndEntrypoint) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/cgi"
component = "cgi"
executor = { type = "wagi", argv = "${SCRIPT_NAME} -v ${ARGS}", entrypoint = "main" }

[[trigger.http]]
route = "/plain"
component = "cgi"
executor = { type = "wagi" }

[[trigger.http]]
route = "/http"
component = "cgi"
executor = { type = "http" }

[component.cgi]
source = "cgi.wasm"
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  ASSERT_EQ(app->httpTriggers.size(), 3u);
  const ExecutorConfig& custom = app->httpTriggers[0].executor;
  EXPECT_EQ(custom.kind, ExecutorConfig::Kind::Wagi);
  EXPECT_EQ(custom.argv, "${SCRIPT_NAME} -v ${ARGS}");
  EXPECT_EQ(custom.entrypoint, "main");
  const ExecutorConfig& plain = app->httpTriggers[1].executor;
  EXPECT_EQ(plain.kind, ExecutorConfig::Kind::Wagi);
  EXPECT_EQ(plain.argv, "${SCRIPT_NAME} ${ARGS}");
  EXPECT_EQ(plain.entrypoint, "_start");
  EXPECT_EQ(app->httpTriggers[2].executor.kind, ExecutorConfig::Kind::Spin);
}

TEST(Manifest, PrivateRouteHasNoPath) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = { private = true }
component = "internal"
[component.internal]
source = "internal.wasm"
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_TRUE(app->httpTriggers[0].isPrivate);
  EXPECT_EQ(app->httpTriggers[0].route, "");
}

TEST(Manifest, InlineComponentGetsSpinsMadeUpId) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/a"
component = { source = "a.wasm", environment = { X = "1" } }

[[trigger.http]]
id = "named"
route = "/b"
component = { source = "b.wasm" }
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  ASSERT_EQ(app->httpTriggers.size(), 2u);
  EXPECT_EQ(app->httpTriggers[0].id, "http-trigger1");
  EXPECT_EQ(app->httpTriggers[0].component, "http-trigger1-component");
  EXPECT_EQ(app->httpTriggers[1].component, "named-component");
  const Component& a = app->components.at("http-trigger1-component");
  EXPECT_EQ(a.source, d.path("a.wasm"));
  EXPECT_EQ(a.environment.at("X"), "1");
  EXPECT_EQ(app->components.at("named-component").source, d.path("b.wasm"));
}

TEST(Manifest, TriggerIdsAreNaturalThenCounted) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/one"
component = "a"
[[trigger.http]]
route = "/two"
component = "a"
[[trigger.http]]
id = "mine"
route = "/three"
component = "a"
[component.a]
source = "a.wasm"
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(app->httpTriggers[0].id, "a-http-trigger");
  EXPECT_EQ(app->httpTriggers[1].id, "http-trigger1");
  EXPECT_EQ(app->httpTriggers[2].id, "mine");
}

TEST(Manifest, AbsoluteAndDottedSourcePaths) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/"
component = "a"
[component.a]
source = "./build/../out/a.wasm"
[component.b]
source = "/opt/wasm/b.wasm"
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(app->components.at("a").source, d.path("out/a.wasm"));
  EXPECT_EQ(app->components.at("b").source, std::filesystem::path("/opt/wasm/b.wasm"));
}

TEST(Manifest, DeprecatedAllowedHttpHostsAreConvertedWithAWarning) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/"
component = "a"
[component.a]
source = "a.wasm"
allowed_http_hosts = ["example.com", "https://api.example.com:8443"]
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(app->components.at("a").allowedOutboundHosts,
            (std::vector<std::string>{"http://example.com", "https://example.com", "http://api.example.com:8443",
                                      "https://api.example.com:8443"}));
  ASSERT_EQ(app->warnings.size(), 1u);
  EXPECT_NE(app->warnings[0].find("spin.toml:11: `allowed_http_hosts` is deprecated"), std::string::npos)
      << app->warnings[0];
}

TEST(Manifest, AllowAllHttpHosts) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/"
component = "a"
[component.a]
source = "a.wasm"
allowed_http_hosts = ["insecure:allow-all"]
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(app->components.at("a").allowedOutboundHosts,
            (std::vector<std::string>{"http://*:*", "https://*:*", "http://self"}));
}

TEST(Manifest, UnusedComponentsAreKept) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/"
component = "a"
[component.a]
source = "a.wasm"
[component.spare]
source = "spare.wasm"
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(app->components.size(), 2u);
}

TEST(Manifest, RouteUnderWellKnownSpinIsAWarning) {
  AppDir d;
  d.manifest(std::string(kHead) + R"(
[[trigger.http]]
route = "/.well-known/spin/mine"
component = "a"
[component.a]
source = "a.wasm"
)");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  ASSERT_EQ(app->warnings.size(), 1u);
  EXPECT_NE(app->warnings[0].find("will never be reached"), std::string::npos) << app->warnings[0];
}

TEST(Manifest, CheckSourcesAcceptsExistingFiles) {
  AppDir d;
  d.manifest(std::string(kHead) + "[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\n[component.a]\nsource = \"a.wasm\"\n");
  d.write("a.wasm", std::string("\0asm\1\0\0\0", 8));
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_TRUE(checkSources(*app));
}

TEST(Manifest, CheckSourcesNamesTheMissingFileAndItsLine) {
  AppDir d;
  d.manifest(std::string(kHead) +
             "[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\n[component.a]\nsource = \"target/a.wasm\"\n"
             "build = { command = \"make\" }\n");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  auto r = checkSources(*app);
  ASSERT_FALSE(r);
  std::string text = r.error().toString();
  EXPECT_NE(text.find("spin.toml:9: error: the source of component `a`, target/a.wasm, does not exist"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("bantam build"), std::string::npos) << text;
}

TEST(Manifest, CheckSourcesRefusesAFolder) {
  AppDir d;
  d.manifest(std::string(kHead) + "[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\n[component.a]\nsource = \"dir\"\n");
  d.write("dir/x", "");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  auto r = checkSources(*app);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().toString().find("is not a file"), std::string::npos);
}

}  // namespace
}  // namespace bantam::platform
