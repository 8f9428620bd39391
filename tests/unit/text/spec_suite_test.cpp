// The official suite (../shared/wasm-testsuite/*.wast) through the text parser: every script
// parses, every text module outside assert_malformed encodes, and every malformed text or
// quoted module fails with a message containing the expected text. Running the modules is the
// WAST runner's business. Skips when the suite is not present.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "wasm/text/wast.h"
#include "wasm/text/wat.h"

namespace bantam::wasm::text {
namespace {

namespace fs = std::filesystem;

fs::path suiteDir() { return fs::path(BANTAM_SOURCE_DIR) / ".." / "shared" / "wasm-testsuite"; }

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> suiteFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".wast") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

struct Tally {
  size_t modules = 0, malformed = 0;
  std::vector<std::string> failures;
};

void checkScript(const fs::path& file, Tally& t) {
  const std::string text = readFile(file);
  auto script = parseWast(text, file.filename().string());
  if (!script) {
    t.failures.push_back(script.error().toString());
    return;
  }
  for (const WastCommand& c : script->commands) {
    const WastModule& m = c.module;
    const bool hasModule = c.kind == WastCommand::Kind::Module ||
                           c.kind == WastCommand::Kind::AssertTrapModule ||
                           c.kind >= WastCommand::Kind::AssertMalformed;
    if (!hasModule || m.form == WastModule::Form::Binary) continue;
    const std::string where = file.filename().string() + ":" + std::to_string(c.line);
    WatOptions options{file.filename().string(), m.line, m.column};
    if (m.form == WastModule::Form::Quote) options = {file.filename().string()};
    auto bytes = parseWat(m.text, options);
    if (c.kind == WastCommand::Kind::AssertMalformed) {
      ++t.malformed;
      if (bytes) t.failures.push_back(where + ": accepted, expected \"" + c.message + "\"");
      else if (bytes.error().message.find(c.message) == std::string::npos)
        t.failures.push_back(where + ": expected \"" + c.message + "\", got " + bytes.error().toString());
    } else {
      ++t.modules;
      if (!bytes) t.failures.push_back(where + ": " + bytes.error().toString());
    }
  }
}

TEST(SpecSuite, EveryCoreScriptAndTextModuleParses) {
  const auto files = suiteFiles(suiteDir());
  if (files.empty()) GTEST_SKIP() << "official suite not found at " << suiteDir();
  Tally t;
  for (const auto& f : files) checkScript(f, t);
  for (const auto& f : t.failures) ADD_FAILURE() << f;
  EXPECT_EQ(files.size(), 147u);
  // The 2.0 suite has 3792 text modules to encode and 1091 malformed text modules.
  EXPECT_GE(t.modules, 3700u);
  EXPECT_GE(t.malformed, 1000u);
  RecordProperty("modules", static_cast<int>(t.modules));
  RecordProperty("malformed", static_cast<int>(t.malformed));
}

TEST(SpecSuite, ProposalScriptsNeverCrashTheParser) {
  // Post-2.0 proposals use syntax Bantam's 2.0 parser rejects; they must fail cleanly.
  const fs::path dir = suiteDir() / "proposals";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "proposal scripts not found at " << dir;
  size_t scripts = 0, parsed = 0;
  for (const auto& sub : fs::directory_iterator(dir)) {
    for (const auto& f : suiteFiles(sub.path())) {
      ++scripts;
      const std::string text = readFile(f);
      auto script = parseWast(text, f.string());
      if (!script) continue;
      ++parsed;
      for (const WastCommand& c : script->commands)
        if (c.module.form != WastModule::Form::Binary && !c.module.text.empty())
          (void)parseWat(c.module.text);
    }
  }
  EXPECT_GT(scripts, 0u);
  EXPECT_GT(parsed, scripts / 2);
}

}  // namespace
}  // namespace bantam::wasm::text
