// Test helpers for the manifest tests: a temporary application folder to write spin.toml and
// other files into, and shorthands for loading it.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "platform/app.h"

namespace bantam::platform::testing {

class AppDir {
 public:
  AppDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "bantam-manifest-XXXXXX").string();
    char* made = mkdtemp(tmpl.data());
    if (made == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = made;
  }
  ~AppDir() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  AppDir(const AppDir&) = delete;
  AppDir& operator=(const AppDir&) = delete;

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path path(const std::string& rel) const { return root_ / rel; }

  void write(const std::string& rel, const std::string& content) const {
    std::filesystem::path p = root_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }
  void manifest(const std::string& content) const { write("spin.toml", content); }

  Result<App> load(bool expandFiles = true) const {
    LoadOptions o;
    o.expandFiles = expandFiles;
    return loadApp(root_, o);
  }

 private:
  std::filesystem::path root_;
};

// A complete, valid manifest head: version and [application].
inline const char* kHead = R"(spin_manifest_version = 2

[application]
name = "test-app"
)";

// The error's text as the CLI prints it ("spin.toml:12: error: ...").
inline std::string errorText(const Result<App>& r) {
  if (r) return "(loaded without error)";
  return r.error().toString();
}

}  // namespace bantam::platform::testing
