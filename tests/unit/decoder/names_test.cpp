// The "name" custom section (§7.4.1): module, function and local names, parsed leniently.
#include "decoder_test_util.h"

namespace bantam::wasm::test {
namespace {

Bytes subsection(uint8_t id, const Bytes& content) { return cat({{id}, u32(content.size()), content}); }
Bytes nameSection(std::initializer_list<Bytes> subsections) {
  Bytes content = name("name");
  for (const auto& s : subsections) content.insert(content.end(), s.begin(), s.end());
  return section(kCustom, content);
}
Bytes assoc(uint32_t idx, std::string_view n) { return cat({u32(idx), name(n)}); }

TEST(DecoderNames, ModuleFunctionAndLocalNamesAreParsed) {
  auto m = decode(module({nameSection({
      subsection(0, name("demo")),
      subsection(1, vec({assoc(0, "main"), assoc(2, "helper")})),
      subsection(2, vec({cat({u32(0), vec({assoc(0, "argc"), assoc(1, "argv")})}), cat({u32(2), vec({assoc(0, "x")})})})),
  })}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->names.module, "demo");
  EXPECT_EQ(m->names.functions.at(0), "main");
  EXPECT_EQ(m->names.functions.at(2), "helper");
  EXPECT_EQ(m->names.locals.at(0).at(1), "argv");
  EXPECT_EQ(m->names.locals.at(2).at(0), "x");
  EXPECT_EQ(m->functionName(FuncIdx(2)), "helper");
}

TEST(DecoderNames, NameSectionIsAlsoKeptAsACustomSection) {
  auto m = decode(module({nameSection({subsection(0, name("demo"))})}));
  ASSERT_TRUE(decodes(m));
  ASSERT_EQ(m->customs.size(), 1u);
  EXPECT_EQ(m->customs[0].name, "name");
}

TEST(DecoderNames, UnknownSubsectionsAreSkipped) {
  // Subsection 4 (type names in the extended-name-section proposal) is not ours to read.
  auto m = decode(module({nameSection({subsection(1, vec({assoc(0, "f")})), subsection(4, {0xff, 0xff})})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->names.functions.at(0), "f");
}

TEST(DecoderNames, TruncatedNameSectionIsIgnoredNotAnError) {
  Bytes content = cat({name("name"), {0x01, 0x10, 0x01}});  // subsection claims 16 bytes
  auto m = decode(module({section(kCustom, content)}));
  ASSERT_TRUE(decodes(m));
  EXPECT_TRUE(m->names.functions.empty());
}

TEST(DecoderNames, InvalidUtf8InANameDiscardsTheWholeSection) {
  auto m = decode(module({nameSection({subsection(0, name("ok")), subsection(1, vec({cat({u32(0), {0x01, 0xff}})}))})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_TRUE(m->names.module.empty());
  EXPECT_TRUE(m->names.functions.empty());
}

TEST(DecoderNames, TrailingBytesInASubsectionDiscardTheSection) {
  auto m = decode(module({nameSection({subsection(0, cat({name("m"), {0x00}}))})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_TRUE(m->names.module.empty());
}

TEST(DecoderNames, SubsectionsOutOfOrderDiscardTheSection) {
  auto m = decode(module({nameSection({subsection(1, vec({assoc(0, "f")})), subsection(0, name("m"))})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_TRUE(m->names.functions.empty());
}

TEST(DecoderNames, OnlyTheFirstNameSectionCounts) {
  auto m = decode(module({nameSection({subsection(0, name("first"))}), nameSection({subsection(0, name("second"))})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_EQ(m->names.module, "first");
}

TEST(DecoderNames, HugeCountInNameMapIsIgnored) {
  auto m = decode(module({nameSection({subsection(1, u32(0xffffffff))})}));
  ASSERT_TRUE(decodes(m));
  EXPECT_TRUE(m->names.functions.empty());
}

}  // namespace
}  // namespace bantam::wasm::test
