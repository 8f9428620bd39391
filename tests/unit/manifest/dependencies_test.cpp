// `[component.<id>.dependencies]`: Spin's forms (an interface, a package or a plain import name,
// served by a local `{ path }` or an app `{ component }`), its validation rules, and the forms
// Bantam refuses by name (registries, URLs).
#include <gtest/gtest.h>

#include "manifest_fixture.h"

namespace bantam::platform {
namespace {

using testing::AppDir;
using testing::errorText;
using testing::kHead;

#define EXPECT_CONTAINS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << "in: " << (haystack)

// kHead is 4 lines; the trigger 5-8; [component.app] 9; source 10; dependencies from line 11.
const std::string kApp = std::string(kHead) +
                         "\n[[trigger.http]]\nroute = \"/...\"\ncomponent = \"app\"\n"
                         "[component.app]\nsource = \"app.wasm\"\n";

Result<App> load(const std::string& tail) {
  AppDir d;
  d.manifest(kApp + tail);
  return d.load();
}
std::string loadError(const std::string& tail) { return errorText(load(tail)); }

TEST(ManifestDependencies, InterfacePathDependencyIsResolvedAgainstTheAppFolder) {
  AppDir d;
  d.manifest(kApp + "dependencies = { \"bantam:compose/text@0.1.0\" = { path = \"lib/text.wasm\" } }\n");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  const auto& deps = app->components.at("app").dependencies;
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].name, "bantam:compose/text@0.1.0");
  EXPECT_EQ(deps[0].nameKind, ComponentDependency::NameKind::Interface);
  EXPECT_EQ(deps[0].path, d.path("lib/text.wasm"));
  EXPECT_TRUE(deps[0].component.empty());
  EXPECT_TRUE(deps[0].exportName.empty());
  EXPECT_FALSE(deps[0].inheritConfiguration);
  EXPECT_EQ(deps[0].line, 11u);
}

TEST(ManifestDependencies, TableFormWithExportAndComponentReference) {
  AppDir d;
  d.manifest(kApp +
             "dependencies_inherit_configuration = true\n"
             "[component.app.dependencies]\n"
             "\"bantam:compose/text\" = { component = \"lib\", export = \"their:impl/text@2.0.0\" }\n"
             "\"bantam:other@1.0.0\" = { path = \"other.wasm\", inherit_configuration = false }\n"
             "my-import = { path = \"plain.wasm\" }\n"
             "[component.lib]\nsource = \"target/lib.wasm\"\n");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);
  const Component& c = app->components.at("app");
  EXPECT_TRUE(c.dependenciesInheritConfiguration);
  ASSERT_EQ(c.dependencies.size(), 3u);
  EXPECT_EQ(c.dependencies[0].nameKind, ComponentDependency::NameKind::Interface);
  EXPECT_EQ(c.dependencies[0].component, "lib");
  EXPECT_EQ(c.dependencies[0].path, d.path("target/lib.wasm"));  // the component's source
  EXPECT_EQ(c.dependencies[0].exportName, "their:impl/text@2.0.0");
  EXPECT_TRUE(c.dependencies[0].inheritConfiguration);  // the component's default
  EXPECT_EQ(c.dependencies[1].nameKind, ComponentDependency::NameKind::Package);
  EXPECT_FALSE(c.dependencies[1].inheritConfiguration);  // its own setting wins
  EXPECT_EQ(c.dependencies[2].nameKind, ComponentDependency::NameKind::Plain);
  EXPECT_EQ(c.dependencies[2].line, 15u);
}

TEST(ManifestDependencies, RegistryVersionIsRefusedByName) {
  std::string e = loadError("dependencies = { \"a:b/c\" = \"1.0.0\" }\n");
  EXPECT_CONTAINS(e,
                  "spin.toml:11: unsupported: dependency `a:b/c` in [component.app]: fetching dependencies from a "
                  "registry is not supported");
  EXPECT_CONTAINS(e, "hint: write `\"a:b/c\" = { path = \"path/to/dependency.wasm\" }`");
  EXPECT_CONTAINS(loadError("dependencies = { \"a:b/c\" = { version = \"1.0.0\", registry = \"example.com\" } }\n"),
                  "spin.toml:11: unsupported: dependency `a:b/c` in [component.app]: fetching dependencies from a "
                  "registry is not supported");
}

TEST(ManifestDependencies, UrlIsRefusedByName) {
  EXPECT_CONTAINS(
      loadError("[component.app.dependencies]\n\"a:b/c\" = { url = \"https://x/c.wasm\", digest = \"sha256:0\" }\n"),
      "spin.toml:12: unsupported: dependency `a:b/c` in [component.app]: downloading dependencies is not "
      "supported");
}

TEST(ManifestDependencies, PlainNameWithAVersionMustNameAPackage) {
  EXPECT_CONTAINS(loadError("dependencies = { plain-name = \"0.1.0\" }\n"),
                  "spin.toml:11: error: dependency `plain-name` in [component.app] must specify a package name");
}

TEST(ManifestDependencies, PackageDependencyCannotNameAnExport) {
  std::string e =
      loadError("[component.app.dependencies]\n\"foo:baz@0.1.0\" = { path = \"foo.wasm\", export = \"foo\" }\n");
  EXPECT_CONTAINS(e,
                  "spin.toml:12: error: using an export to satisfy the package dependency `foo:baz@0.1.0` is not "
                  "permitted");
}

TEST(ManifestDependencies, CompatibleVersionsOfOnePackageConflict) {
  std::string e = loadError(
      "[component.app.dependencies]\n\"foo:bar@0.2.1\" = { path = \"a.wasm\" }\n"
      "\"foo:bar@0.2.2\" = { path = \"b.wasm\" }\n");
  EXPECT_CONTAINS(
      e, "spin.toml:13: error: dependency `foo:bar@0.2.2` in [component.app] conflicts with `foo:bar@0.2.1` (line 12)");
  EXPECT_CONTAINS(loadError("[component.app.dependencies]\n\"foo:bar/baz@0.1.0\" = { path = \"a.wasm\" }\n"
                            "\"foo:bar@0.1.0\" = { path = \"b.wasm\" }\n"),
                  "conflicts with `foo:bar/baz@0.1.0`");
}

TEST(ManifestDependencies, DisjointVersionsAndInterfacesDoNotConflict) {
  auto app = load(
      "[component.app.dependencies]\n\"foo:bar@0.1.0\" = { path = \"a.wasm\" }\n"
      "\"foo:bar@0.2.0\" = { path = \"b.wasm\" }\n\"foo:baz/x\" = { path = \"c.wasm\" }\n"
      "\"foo:baz/y\" = { path = \"d.wasm\" }\n");
  EXPECT_TRUE(app) << errorText(app);
}

TEST(ManifestDependencies, InvalidNamesSayWhy) {
  EXPECT_CONTAINS(
      loadError("dependencies = { \"a:b/c@1.0\" = { path = \"x.wasm\" } }\n"),
      "spin.toml:11: error: invalid dependency name `a:b/c@1.0` in `dependencies` of [component.app]: `1.0` "
      "is not a semantic version");
  EXPECT_CONTAINS(loadError("dependencies = { \"Bad_Name\" = { path = \"x.wasm\" } }\n"),
                  "invalid dependency name `Bad_Name`");
}

TEST(ManifestDependencies, UnknownFieldAndMissingSource) {
  EXPECT_CONTAINS(loadError("[component.app.dependencies]\n\"a:b/c\" = { pth = \"x.wasm\" }\n"),
                  "spin.toml:12: error: unknown field `pth` in dependency `a:b/c` of [component.app]");
  EXPECT_CONTAINS(loadError("[component.app.dependencies]\n\"a:b/c\" = { export = \"x\" }\n"),
                  "spin.toml:12: error: dependency `a:b/c` in [component.app] needs `path = \"x.wasm\"` or "
                  "`component = \"<id>\"`");
  EXPECT_CONTAINS(loadError("[component.app.dependencies]\n\"a:b/c\" = 3\n"),
                  "spin.toml:12: error: dependency `a:b/c` in [component.app] must be a table");
}

TEST(ManifestDependencies, ComponentReferenceMustExistAndNotBeItself) {
  std::string e =
      loadError("dependencies = { \"a:b/c\" = { component = \"lid\" } }\n[component.lib]\nsource = \"l.wasm\"\n");
  EXPECT_CONTAINS(e,
                  "spin.toml:11: error: dependency `a:b/c` of component `app` refers to component `lid`, which is "
                  "not defined");
  EXPECT_CONTAINS(e, "did you mean `lib`?");
  EXPECT_CONTAINS(loadError("dependencies = { \"a:b/c\" = { component = \"app\" } }\n"),
                  "spin.toml:11: error: component `app` cannot be its own dependency");
}

TEST(ManifestDependencies, DependencyWithDependenciesIsRefusedByName) {
  EXPECT_CONTAINS(
      loadError("dependencies = { \"a:b/c\" = { component = \"lib\" } }\n[component.lib]\nsource = \"l.wasm\"\n"
                "dependencies = { \"x:y/z\" = { path = \"z.wasm\" } }\n"),
      "spin.toml:11: unsupported: dependency `a:b/c` of component `app` is component `lib`, which has "
      "dependencies of its own: dependencies of a dependency are not supported");
}

TEST(ManifestDependencies, InheritConfigurationListIsRefusedByName) {
  EXPECT_CONTAINS(loadError("[component.app.dependencies]\n\"a:b/c\" = { path = \"x.wasm\", inherit_configuration = "
                            "[\"ai_models\"] }\n"),
                  "spin.toml:12: unsupported: `inherit_configuration` of dependency `a:b/c` of [component.app]");
}

TEST(ManifestDependencies, MissingDependencyFileIsReportedAtStart) {
  AppDir d;
  d.write("app.wasm", "x");
  d.manifest(kApp + "dependencies = { \"a:b/c\" = { path = \"lib/missing.wasm\" } }\n");
  auto app = d.load();
  ASSERT_TRUE(app) << errorText(app);  // loading does not need built files
  auto checked = checkSources(*app);
  ASSERT_FALSE(checked);
  EXPECT_CONTAINS(checked.error().toString(),
                  "spin.toml:11: error: the `path` of dependency `a:b/c` of component `app`, "
                  "lib/missing.wasm, does not exist");
}

}  // namespace
}  // namespace bantam::platform
