// loadApp on broken manifests: every error names the file, the line and the field, as Spin's do
// ("spin.toml:12: error: unknown field `sorce` in [component.hello]").
#include <gtest/gtest.h>

#include "manifest_fixture.h"

namespace bantam::platform {
namespace {

using testing::AppDir;
using testing::errorText;
using testing::kHead;

// Loads `manifest` and returns the printed error ("" if it loaded).
std::string loadError(const std::string& manifest) {
  AppDir d;
  d.manifest(manifest);
  auto app = d.load();
  if (app) return "";
  return app.error().toString();
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE((haystack).find(needle), std::string::npos) << "in: " << (haystack)

const std::string kTrigger = "\n[[trigger.http]]\nroute = \"/\"\ncomponent = \"hello\"\n";

TEST(ManifestErrors, UnknownComponentFieldNamesFileLineAndTable) {
  std::string e = loadError(std::string(kHead) + kTrigger + "\n[component.hello]\nsorce = \"hello.wasm\"\n");
  EXPECT_CONTAINS(e, "spin.toml:11: error: unknown field `sorce` in [component.hello]");
  EXPECT_CONTAINS(e, "hint: did you mean `source`?");
}

TEST(ManifestErrors, UnknownFieldFarFromAnyListsTheKnownOnes) {
  std::string e = loadError(std::string(kHead) + kTrigger +
                            "\n[component.hello]\nsource = \"a.wasm\"\nwhatever_this_is = 1\n");
  EXPECT_CONTAINS(e, "spin.toml:12: error: unknown field `whatever_this_is` in [component.hello]");
  EXPECT_CONTAINS(e, "expected one of `source`, `description`");
}

TEST(ManifestErrors, UnknownTopLevelField) {
  std::string e = loadError("spin_manifest_version = 2\ncolour = \"red\"\n[application]\nname = \"x\"\n" + kTrigger);
  EXPECT_CONTAINS(e, "spin.toml:2: error: unknown field `colour` in the manifest");
}

TEST(ManifestErrors, UnknownApplicationField) {
  std::string e = loadError("spin_manifest_version = 2\n[application]\nname = \"x\"\nverison = \"1\"\n" + kTrigger);
  EXPECT_CONTAINS(e, "spin.toml:4: error: unknown field `verison` in [application]");
  EXPECT_CONTAINS(e, "did you mean `version`?");
}

TEST(ManifestErrors, UnknownTriggerField) {
  std::string e = loadError(std::string(kHead) + "[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\nrout = \"/x\"\n");
  EXPECT_CONTAINS(e, "spin.toml:8: error: unknown field `rout` in [[trigger.http]]");
}

TEST(ManifestErrors, UnknownExecutorFieldAndType) {
  std::string e = loadError(std::string(kHead) +
                            "[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\nexecutor = { type = \"wagi\", args = \"x\" }\n");
  EXPECT_CONTAINS(e, "spin.toml:8: error: unknown field `args` in `executor` of [[trigger.http]]");
  e = loadError(std::string(kHead) + "[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\nexecutor = { type = \"cgi\" }\n");
  EXPECT_CONTAINS(e, "spin.toml:8: error: unknown executor type `cgi`");
  e = loadError(std::string(kHead) +
                "[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\nexecutor = { type = \"spin\", argv = \"x\" }\n");
  EXPECT_CONTAINS(e, "unknown field `argv` in `executor` of [[trigger.http]]");
}

TEST(ManifestErrors, UnknownBuildAndVariableFields) {
  std::string e = loadError(std::string(kHead) + kTrigger +
                            "[component.hello]\nsource = \"a.wasm\"\n[component.hello.build]\ncommand = \"make\"\ncwd = \"x\"\n");
  EXPECT_CONTAINS(e, "spin.toml:13: error: unknown field `cwd` in [component.hello.build]");
  e = loadError(std::string(kHead) + "[variables]\nx = { default = \"1\", secrets = true }\n" + kTrigger);
  EXPECT_CONTAINS(e, "spin.toml:6: error: unknown field `secrets` in variable `x`");
}

TEST(ManifestErrors, WrongTypeNamesTheFieldAndBothTypes) {
  std::string e = loadError(std::string(kHead) + kTrigger + "[component.hello]\nsource = 5\n");
  EXPECT_CONTAINS(e, "spin.toml:10: error: `source` in [component.hello] must be a path to a .wasm file (a string), "
                     "not an integer");
  e = loadError("spin_manifest_version = 2\n[application]\nname = \"x\"\nauthors = \"me\"\n" + kTrigger);
  EXPECT_CONTAINS(e, "spin.toml:4: error: `authors` in [application] must be an array of strings, not a string");
  e = loadError(std::string(kHead) + "[[trigger.http]]\nroute = 42\ncomponent = \"a\"\n");
  EXPECT_CONTAINS(e, "spin.toml:6: error: `route` in [[trigger.http]] must be a route (a string) or `{ private = true }`");
  e = loadError(std::string(kHead) + kTrigger + "[component.hello]\nsource = \"a.wasm\"\nenvironment = { A = 1 }\n");
  EXPECT_CONTAINS(e, "spin.toml:11: error: `environment.A` in [component.hello] must be a string, not an integer");
  e = loadError(std::string(kHead) + kTrigger + "[component.hello]\nsource = \"a.wasm\"\nfiles = [\"a\", 3]\n");
  EXPECT_CONTAINS(e, "spin.toml:11: error: each item of `files` in [component.hello] must be a glob pattern");
  e = loadError(std::string(kHead) + kTrigger + "[component.hello]\nsource = \"a.wasm\"\nkey_value_stores = [true]\n");
  EXPECT_CONTAINS(e, "`key_value_stores` in [component.hello] must be an array of strings, but an item is a boolean");
  e = loadError(std::string(kHead) + "[variables]\nx = { required = \"yes\" }\n" + kTrigger);
  EXPECT_CONTAINS(e, "`required` in variable `x` must be a boolean (true or false), not a string");
}

TEST(ManifestErrors, MissingRequiredFields) {
  EXPECT_CONTAINS(loadError("spin_manifest_version = 2\n[application]\nversion = \"1\"\n" + kTrigger),
                  "spin.toml:2: error: missing field `name` in [application]");
  EXPECT_CONTAINS(loadError("spin_manifest_version = 2\n" + kTrigger), "missing field `application` in the manifest");
  EXPECT_CONTAINS(loadError(std::string(kHead)), "missing field `trigger` in the manifest");
  EXPECT_CONTAINS(loadError(std::string(kHead) + "[[trigger.http]]\ncomponent = \"a\"\n"),
                  "spin.toml:5: error: missing field `route` in [[trigger.http]]");
  EXPECT_CONTAINS(loadError(std::string(kHead) + "[[trigger.http]]\nroute = \"/\"\n"),
                  "missing field `component` in [[trigger.http]]");
  EXPECT_CONTAINS(loadError(std::string(kHead) + kTrigger + "[component.hello]\ndescription = \"x\"\n"),
                  "spin.toml:9: error: missing field `source` in [component.hello]");
}

TEST(ManifestErrors, UrlSourceIsNotDownloaded) {
  std::string e = loadError(std::string(kHead) + kTrigger +
                            "[component.hello]\nsource = { url = \"https://example.com/a.wasm\", digest = \"sha256:00\" }\n");
  EXPECT_CONTAINS(e, "spin.toml:10: unsupported: downloading component sources is not supported yet; build the "
                     "component locally and give its path");
}

TEST(ManifestErrors, RegistrySourceIsNotFetched) {
  std::string e = loadError(std::string(kHead) + kTrigger +
                            "[component.hello]\nsource = { registry = \"ttl.sh\", package = \"a:b\", version = \"1.0.0\" }\n");
  EXPECT_CONTAINS(e, "unsupported: fetching component sources from a registry is not supported yet");
}

TEST(ManifestErrors, VersionOneIsRefusedWithAPointerToMigrating) {
  std::string e = loadError("spin_manifest_version = \"1\"\nname = \"old\"\ntrigger = { type = \"http\" }\n"
                            "[[component]]\nid = \"a\"\nsource = \"a.wasm\"\n");
  EXPECT_CONTAINS(e, "spin.toml:1: unsupported: manifest version 1 is not supported; see https://spinframework.dev/");
  EXPECT_CONTAINS(e, "migrating");
  e = loadError("spin_version = \"1\"\nname = \"older\"\n");
  EXPECT_CONTAINS(e, "manifest version 1 is not supported");
}

TEST(ManifestErrors, OtherVersionsAndNoVersion) {
  EXPECT_CONTAINS(loadError("spin_manifest_version = 3\n[application]\nname = \"x\"\n"),
                  "spin.toml:1: unsupported: unsupported manifest version 3; Bantam reads version 2");
  EXPECT_CONTAINS(loadError("[application]\nname = \"x\"\n"), "spin.toml:1: error: missing field `spin_manifest_version`");
}

TEST(ManifestErrors, TomlSyntaxErrorHasLineAndColumn) {
  std::string e = loadError("spin_manifest_version = 2\n[application]\nname = \"x\n");
  EXPECT_CONTAINS(e, "spin.toml:3:");
  EXPECT_CONTAINS(e, "syntax error:");
  e = loadError("spin_manifest_version = 2\nspin_manifest_version = 2\n");
  EXPECT_CONTAINS(e, "spin.toml:2:");
}

TEST(ManifestErrors, UndefinedComponentSuggestsTheClosestOne) {
  std::string e = loadError(std::string(kHead) + "[[trigger.http]]\nroute = \"/\"\ncomponent = \"helo\"\n"
                                                 "[component.hello]\nsource = \"a.wasm\"\n");
  EXPECT_CONTAINS(e, "spin.toml:7: error: [[trigger.http]] refers to component `helo`, which is not defined");
  EXPECT_CONTAINS(e, "did you mean `hello`?");
  e = loadError(std::string(kHead) + "[[trigger.http]]\nroute = \"/\"\ncomponent = \"zzz\"\n");
  EXPECT_CONTAINS(e, "define it with a [component.zzz] section");
}

TEST(ManifestErrors, InvalidIdsUseSpinsRules) {
  EXPECT_CONTAINS(loadError(std::string(kHead) + kTrigger + "[component.hello_world]\nsource = \"a.wasm\"\n"),
                  "spin.toml:9: error: invalid component id `hello_world` in [component.hello_world]: words must be "
                  "separated with '-', not '_'");
  EXPECT_CONTAINS(loadError(std::string(kHead) + kTrigger + "[component.Hello]\nsource = \"a.wasm\"\n"),
                  "invalid component id `Hello`");
  EXPECT_CONTAINS(loadError(std::string(kHead) + "[variables]\napi-key = { default = \"x\" }\n" + kTrigger),
                  "spin.toml:6: error: invalid variable name `api-key` in [variables]: words must be separated with "
                  "'_', not '-'");
  EXPECT_CONTAINS(loadError(std::string(kHead) + kTrigger + "[component.hello]\nsource = \"a.wasm\"\n"
                                                            "key_value_stores = [\"b@d\"]\n"),
                  "label `b@d`: expected kebab-case or snake_case");
}

TEST(ManifestErrors, VariableNeedsRequiredXorDefault) {
  EXPECT_CONTAINS(loadError(std::string(kHead) + "[variables]\nx = { secret = true }\n" + kTrigger),
                  "spin.toml:6: error: variable `x` must be `required` OR have a `default`");
  EXPECT_CONTAINS(loadError(std::string(kHead) + "[variables]\nx = { required = true, default = \"1\" }\n" + kTrigger),
                  "variable `x` must be `required` OR have a `default`");
  EXPECT_CONTAINS(loadError(std::string(kHead) + "[variables]\nx = \"1\"\n" + kTrigger),
                  "variable `x` in [variables] must be a table, not a string");
}

TEST(ManifestErrors, ComponentVariableMustReferToAnAppVariable) {
  std::string e = loadError(std::string(kHead) + kTrigger +
                            "[component.hello]\nsource = \"a.wasm\"\nvariables = { url = \"https://{{ host }}/\" }\n");
  EXPECT_CONTAINS(e, "spin.toml:11: error: `variables.url` in [component.hello] refers to the application variable "
                     "`host`, which is not defined");
  e = loadError(std::string(kHead) + kTrigger + "[component.hello]\nsource = \"a.wasm\"\nvariables = { a = \"{{ x\" }\n");
  EXPECT_CONTAINS(e, "`{{` is not closed by `}}`");
}

TEST(ManifestErrors, PrivateFalseIsNotARoute) {
  std::string e = loadError(std::string(kHead) + "[[trigger.http]]\nroute = { private = false }\ncomponent = \"a\"\n");
  EXPECT_CONTAINS(e, "spin.toml:6: error: route must be a string pattern or `{ private = true }`");
}

TEST(ManifestErrors, UnsupportedFeaturesSayWhat) {
  EXPECT_CONTAINS(loadError(std::string(kHead) + "[[trigger.redis]]\nchannel = \"x\"\ncomponent = \"a\"\n"),
                  "spin.toml:5: unsupported: trigger type `redis` is not supported yet");
  EXPECT_CONTAINS(loadError(std::string(kHead) + kTrigger + "[component.hello]\nsource = \"a.wasm\"\n"
                                                            "dependencies = { \"a:b/c\" = \"1.0.0\" }\n"),
                  "unsupported: dependency `a:b/c` in [component.hello]: fetching dependencies from a registry is not "
                  "supported");
  EXPECT_CONTAINS(loadError(std::string(kHead) + "[[trigger.http]]\nroute = \"/\"\nstatic_response = { body = \"x\" }\n"),
                  "unsupported: `static_response` in [[trigger.http]] is not supported yet");
}

TEST(ManifestErrors, TriggerHttpMustBeAnArrayOfTables) {
  std::string e = loadError(std::string(kHead) + "[trigger.http]\nroute = \"/\"\ncomponent = \"a\"\n");
  EXPECT_CONTAINS(e, "`trigger.http` must be an array of tables, not a table");
  EXPECT_CONTAINS(e, "[[trigger.http]] section (two brackets)");
}

TEST(ManifestErrors, DuplicateRoutesNameBothTriggers) {
  std::string e = loadError(std::string(kHead) + "[[trigger.http]]\nroute = \"/hello\"\ncomponent = \"a\"\n"
                                                 "[[trigger.http]]\nroute = \"/hello/\"\ncomponent = \"b\"\n"
                                                 "[component.a]\nsource = \"a.wasm\"\n[component.b]\nsource = \"b.wasm\"\n");
  EXPECT_CONTAINS(e, "spin.toml:8: error: duplicate route `/hello`: the [[trigger.http]] at line 5 (component `a`) "
                     "already answers the same requests");
}

TEST(ManifestErrors, MalformedRoutes) {
  auto routeError = [](const std::string& route) {
    return loadError(std::string(kHead) + "[[trigger.http]]\nroute = \"" + route + "\"\ncomponent = \"a\"\n"
                                          "[component.a]\nsource = \"a.wasm\"\n");
  };
  EXPECT_CONTAINS(routeError("/a/.../b"), "spin.toml:5: error: malformed route `/a/.../b` (component `a`): a wildcard");
  EXPECT_CONTAINS(routeError("/a//b"), "empty segment");
  EXPECT_CONTAINS(routeError("/users/:"), "`:` must be followed by a parameter name");
  EXPECT_CONTAINS(routeError("/:id/:id"), "parameter `:id` appears twice");
  EXPECT_EQ(routeError("/users/:id/..."), "");
  EXPECT_EQ(routeError("no-leading-slash"), "");
}

TEST(ManifestErrors, BaseMustBeAbsolute) {
  std::string e = loadError("spin_manifest_version = 2\n[application]\nname = \"x\"\n[application.trigger.http]\n"
                            "base = \"api\"\n" + kTrigger);
  EXPECT_CONTAINS(e, "spin.toml:5: error: `base` in [application.trigger.http] must start with `/`");
}

TEST(ManifestErrors, OutboundHostNeedsAScheme) {
  std::string e = loadError(std::string(kHead) + kTrigger + "[component.hello]\nsource = \"a.wasm\"\n"
                                                            "allowed_outbound_hosts = [\"example.com\"]\n");
  EXPECT_CONTAINS(e, "spin.toml:11: error: `allowed_outbound_hosts` entry `example.com` in [component.hello] has no scheme");
  EXPECT_CONTAINS(e, "https://example.com");
}

TEST(ManifestErrors, DuplicateTriggerIds) {
  std::string e = loadError(std::string(kHead) + "[[trigger.http]]\nid = \"t\"\nroute = \"/a\"\ncomponent = \"a\"\n"
                                                 "[[trigger.http]]\nid = \"t\"\nroute = \"/b\"\ncomponent = \"a\"\n"
                                                 "[component.a]\nsource = \"a.wasm\"\n");
  EXPECT_CONTAINS(e, "spin.toml:9: error: duplicate trigger id `t`");
}

TEST(ManifestErrors, NoManifestInTheFolder) {
  AppDir d;
  auto app = loadApp(d.root());
  ASSERT_FALSE(app);
  EXPECT_CONTAINS(app.error().toString(), "no spin.toml in " + d.root().string());
  auto file = loadApp(d.path("missing.toml"));
  ASSERT_FALSE(file);
  EXPECT_CONTAINS(file.error().toString(), "cannot open");
}

TEST(ManifestErrors, HugeFileIsNotAManifest) {
  AppDir d;
  d.manifest(std::string(17u << 20, '#'));
  auto app = d.load();
  ASSERT_FALSE(app);
  EXPECT_CONTAINS(app.error().toString(), "larger than 16 MiB");
}

}  // namespace
}  // namespace bantam::platform
