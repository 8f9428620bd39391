// The validator against the official suite (../shared/wasm-testsuite/*.wast), one test per
// file: every module of an assert_invalid must fail validation with a message containing the
// expected text, and every other module that parses and decodes must validate. Modules are
// turned into binaries by our own WAST/WAT parser (which, unlike wabt, reads every file).
// Skips when the suite is not present (set BANTAM_SPEC_SUITE to point elsewhere).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "wasm/decoder/decoder.h"
#include "wasm/text/wast.h"
#include "wasm/text/wat.h"
#include "wasm/validator/validator.h"

namespace bantam::wasm {
namespace {

namespace fs = std::filesystem;
using text::WastCommand;
using text::WastModule;

fs::path suiteDir() {
  if (const char* env = std::getenv("BANTAM_SPEC_SUITE")) return env;
  return fs::path(BANTAM_SOURCE_DIR) / ".." / "shared" / "wasm-testsuite";
}

std::vector<std::string> suiteFiles() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(suiteDir(), ec))
    if (entry.path().extension() == ".wast") names.push_back(entry.path().stem().string());
  std::ranges::sort(names);
  return names;
}

// Commands whose module the validator must accept: everything that is not expected to be
// malformed or invalid (unlinkable and uninstantiable modules are valid by definition).
bool expectsValid(WastCommand::Kind k) {
  return k == WastCommand::Kind::Module || k == WastCommand::Kind::AssertUnlinkable ||
         k == WastCommand::Kind::AssertUninstantiable || k == WastCommand::Kind::AssertTrapModule;
}

Result<std::vector<uint8_t>> moduleBytes(const WastModule& m, const std::string& file) {
  if (m.form == WastModule::Form::Binary) return m.binary;
  return text::parseWat(m.text, {file, m.line, m.column ? m.column : 1});
}

class ValidatorSpecSuite : public testing::TestWithParam<std::string> {};

TEST_P(ValidatorSpecSuite, InvalidModulesFailWithTheSpecMessageAndOthersValidate) {
  fs::path path = suiteDir() / (GetParam() + ".wast");
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  auto script = text::parseWast(ss.str(), path.string());
  ASSERT_TRUE(script) << script.error().toString();

  int checked = 0;
  for (const WastCommand& cmd : script->commands) {
    bool invalid = cmd.kind == WastCommand::Kind::AssertInvalid;
    if (!invalid && !expectsValid(cmd.kind)) continue;
    auto bytes = moduleBytes(cmd.module, path.string());
    // assert_invalid modules are well-formed, so our parser and decoder must take them.
    if (!bytes) {
      if (invalid) ADD_FAILURE() << "line " << cmd.line << ": " << bytes.error().toString();
      continue;
    }
    auto module = decodeModule(*bytes);
    if (!module) {
      if (invalid) ADD_FAILURE() << "line " << cmd.line << ": " << module.error().toString();
      continue;
    }
    auto result = validateModule(*module);
    ++checked;
    if (invalid) {
      if (result) {
        ADD_FAILURE() << "line " << cmd.line << ": expected invalid \"" << cmd.message << "\", got valid";
      } else {
        EXPECT_EQ(result.error().kind, ErrorKind::Invalid) << "line " << cmd.line;
        EXPECT_NE(result.error().message.find(cmd.message), std::string::npos)
            << "line " << cmd.line << ": expected \"" << cmd.message << "\", got " << result.error().toString();
      }
    } else {
      EXPECT_TRUE(result) << "line " << cmd.line << ": " << result.error().toString();
    }
  }
  RecordProperty("modules_validated", checked);
}

INSTANTIATE_TEST_SUITE_P(Suite, ValidatorSpecSuite, testing::ValuesIn(suiteFiles()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           std::ranges::replace_if(n, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                           return n;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ValidatorSpecSuite);

TEST(ValidatorSpecSuite, SuiteIsPresent) {
  if (suiteFiles().empty()) GTEST_SKIP() << "official suite not found at " << suiteDir();
  SUCCEED();
}

}  // namespace
}  // namespace bantam::wasm
