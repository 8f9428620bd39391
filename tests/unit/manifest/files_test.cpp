// `files` and `exclude_files`: glob matching, and expansion into the mounts a component sees.
#include <gtest/gtest.h>

#include <algorithm>

#include "manifest_fixture.h"
#include "platform/manifest/files.h"

namespace bantam::platform {
namespace {

using manifest::globMatch;
using testing::AppDir;
using testing::errorText;
using testing::kHead;

TEST(Glob, StarStaysWithinAComponentWhenExpandingFiles) {
  EXPECT_TRUE(globMatch("*.html", "index.html", true));
  EXPECT_FALSE(globMatch("*.html", "docs/index.html", true));
  EXPECT_TRUE(globMatch("static/*.css", "static/site.css", true));
  EXPECT_FALSE(globMatch("static/*.css", "static/css/site.css", true));
  EXPECT_TRUE(globMatch("?.txt", "a.txt", true));
  EXPECT_FALSE(globMatch("?.txt", "ab.txt", true));
}

TEST(Glob, DoubleStarMatchesAnyNumberOfFolders) {
  EXPECT_TRUE(globMatch("static/**/*.css", "static/site.css", true));
  EXPECT_TRUE(globMatch("static/**/*.css", "static/a/b/site.css", true));
  EXPECT_FALSE(globMatch("static/**/*.css", "other/site.css", true));
  EXPECT_TRUE(globMatch("**/*.txt", "a.txt", true));
  EXPECT_TRUE(globMatch("**/*.txt", "x/y/a.txt", true));
  EXPECT_TRUE(globMatch("static/**", "static/a/b/c.png", true));
  EXPECT_FALSE(globMatch("static/**", "statics/a.png", true));
  EXPECT_TRUE(globMatch("a/**/b/**/c", "a/x/b/y/z/c", true));
}

TEST(Glob, CharacterClasses) {
  EXPECT_TRUE(globMatch("file[0-9].txt", "file7.txt", true));
  EXPECT_FALSE(globMatch("file[0-9].txt", "filex.txt", true));
  EXPECT_TRUE(globMatch("file[!0-9].txt", "filex.txt", true));
  EXPECT_TRUE(globMatch("[ab]c", "bc", true));
  EXPECT_TRUE(globMatch("[a", "[a", true));  // an unclosed class is literal
}

TEST(Glob, ExcludePatternsLetStarCrossFolders) {
  EXPECT_TRUE(globMatch("secrets/*", "secrets/a/b.key", false));
  EXPECT_TRUE(globMatch("**/secret", "secret", false));
  EXPECT_TRUE(globMatch("**/secret", "a/b/secret", false));
  EXPECT_TRUE(globMatch("*.bak", "deep/dir/x.bak", false));
  EXPECT_FALSE(globMatch("*.bak", "x.bak.txt", false));
}

TEST(Glob, ManyStarsStayFast) {
  std::string pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
  std::string path(2000, 'a');
  EXPECT_FALSE(globMatch(pattern, path, false));
}

// Loads an app whose one component has the given `files` / `exclude_files` lines.
Result<App> loadWithFiles(const AppDir& d, const std::string& lines) {
  d.manifest(std::string(kHead) + "[[trigger.http]]\nroute = \"/...\"\ncomponent = \"site\"\n"
                                  "[component.site]\nsource = \"site.wasm\"\n" + lines);
  return d.load();
}

std::vector<std::string> destinations(const App& app) {
  std::vector<std::string> out;
  for (const FileMount& m : app.components.at("site").files) out.push_back(m.destination + (m.isDirectory ? "/" : ""));
  return out;
}

TEST(Files, SingleFileIsMountedAtItsPath) {
  AppDir d;
  d.write("index.html", "<h1>hi</h1>");
  auto app = loadWithFiles(d, "files = [\"index.html\"]\n");
  ASSERT_TRUE(app) << errorText(app);
  const auto& files = app->components.at("site").files;
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].source, d.path("index.html"));
  EXPECT_EQ(files[0].destination, "/index.html");
  EXPECT_FALSE(files[0].isDirectory);
}

TEST(Files, FolderNamedByItselfIsOneDirectoryMount) {
  AppDir d;
  d.write("static/a.css", "");
  d.write("static/img/b.png", "");
  auto app = loadWithFiles(d, "files = [\"static\"]\n");
  ASSERT_TRUE(app) << errorText(app);
  const auto& files = app->components.at("site").files;
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].source, d.path("static"));
  EXPECT_EQ(files[0].destination, "/static");
  EXPECT_TRUE(files[0].isDirectory);
}

TEST(Files, GlobsExpandToEachMatchingFile) {
  AppDir d;
  d.write("static/a.css", "");
  d.write("static/b.js", "");
  d.write("static/deep/c.css", "");
  d.write("top.css", "");
  auto app = loadWithFiles(d, "files = [\"static/**/*.css\", \"./*.css\"]\n");
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(destinations(*app), (std::vector<std::string>{"/static/a.css", "/static/deep/c.css", "/top.css"}));
  EXPECT_EQ(app->components.at("site").files[0].source, d.path("static/a.css"));
}

TEST(Files, ExcludeFilesRemovesMatches) {
  AppDir d;
  d.write("static/a.css", "");
  d.write("static/a.css.bak", "");
  d.write("static/secrets/key.pem", "");
  auto app = loadWithFiles(d, "files = [\"static/**/*\"]\nexclude_files = [\"**/*.bak\", \"static/secrets/*\"]\n");
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(destinations(*app), (std::vector<std::string>{"/static/a.css"}));
}

TEST(Files, ExcludedFolderContentsAreListedFileByFile) {
  AppDir d;
  d.write("static/a.css", "");
  d.write("static/b.tmp", "");
  auto app = loadWithFiles(d, "files = [\"static\"]\nexclude_files = [\"*.tmp\"]\n");
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(destinations(*app), (std::vector<std::string>{"/static/a.css"}));
}

TEST(Files, PlacementMapsAFolderToADestination) {
  AppDir d;
  d.write("site/static/index.html", "");
  auto app = loadWithFiles(d, "files = [{ source = \"site/static\", destination = \"/\" }]\n");
  ASSERT_TRUE(app) << errorText(app);
  const auto& files = app->components.at("site").files;
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].source, d.path("site/static"));
  EXPECT_EQ(files[0].destination, "/");
  EXPECT_TRUE(files[0].isDirectory);
}

TEST(Files, PlacementWithExclusionsListsFiles) {
  AppDir d;
  d.write("assets/a.txt", "");
  d.write("assets/sub/b.txt", "");
  d.write("assets/sub/c.log", "");
  auto app = loadWithFiles(d, "files = [{ source = \"assets\", destination = \"/data\" }]\nexclude_files = [\"*.log\"]\n");
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(destinations(*app), (std::vector<std::string>{"/data/a.txt", "/data/sub/b.txt"}));
}

TEST(Files, PlacementOfOneFile) {
  AppDir d;
  d.write("conf/prod.json", "{}");
  auto app = loadWithFiles(d, "files = [{ source = \"conf/prod.json\", destination = \"/etc/config.json\" }]\n");
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_EQ(destinations(*app), (std::vector<std::string>{"/etc/config.json"}));
}

TEST(Files, GlobMatchingNothingIsFine) {
  AppDir d;
  auto app = loadWithFiles(d, "files = [\"static/*.css\"]\n");
  ASSERT_TRUE(app) << errorText(app);
  EXPECT_TRUE(app->components.at("site").files.empty());
}

TEST(Files, ErrorsNameTheLine) {
  AppDir d;
  auto missing = loadWithFiles(d, "files = [\"nope.txt\"]\n");
  ASSERT_FALSE(missing);
  EXPECT_NE(errorText(missing).find("spin.toml:10: error: `files` entry `nope.txt` does not exist and doesn't appear "
                                    "to be a glob pattern"),
            std::string::npos)
      << errorText(missing);
  auto parent = loadWithFiles(d, "files = [\"../outside/*\"]\n");
  ASSERT_FALSE(parent);
  EXPECT_NE(errorText(parent).find("leaves the application's folder"), std::string::npos) << errorText(parent);
  auto dot = loadWithFiles(d, "files = [\".\"]\n");
  ASSERT_FALSE(dot);
  EXPECT_NE(errorText(dot).find("names a directory by `.` or `..`"), std::string::npos) << errorText(dot);
  d.write("dir/x", "");
  auto relative = loadWithFiles(d, "files = [{ source = \"dir\", destination = \"data\" }]\n");
  ASSERT_FALSE(relative);
  EXPECT_NE(errorText(relative).find("`files` destination `data` must be an absolute guest path"), std::string::npos);
  auto noSource = loadWithFiles(d, "files = [{ source = \"gone\", destination = \"/\" }]\n");
  ASSERT_FALSE(noSource);
  EXPECT_NE(errorText(noSource).find("`files` source `gone` does not exist"), std::string::npos);
  auto badKey = loadWithFiles(d, "files = [{ source = \"dir\", dest = \"/\" }]\n");
  ASSERT_FALSE(badKey);
  EXPECT_NE(errorText(badKey).find("unknown field `dest` in `files` of [component.site]"), std::string::npos);
}

TEST(Files, BuildLoadsWithoutExpanding) {
  AppDir d;
  d.manifest(std::string(kHead) + "[[trigger.http]]\nroute = \"/...\"\ncomponent = \"site\"\n"
                                  "[component.site]\nsource = \"site.wasm\"\nfiles = [\"generated/index.html\"]\n");
  auto forBuild = d.load(false);
  ASSERT_TRUE(forBuild) << errorText(forBuild);
  EXPECT_TRUE(forBuild->components.at("site").files.empty());
  EXPECT_FALSE(d.load(true));
}

}  // namespace
}  // namespace bantam::platform
