// Transparent huge pages for large linear memories (StoreLimits::hugePagesFromBytes): a memory
// that reaches the threshold marks its whole reservation MADV_HUGEPAGE, once; smaller ones and
// a zero threshold leave the kernel's default alone. Checked in /proc/self/smaps, where the
// kernel shows the mark ("hg" in VmFlags) and whether it will use huge pages ("THPeligible").
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "runtime/objects.h"
#include "runtime/store.h"

namespace bantam::runtime {
namespace {

constexpr uint64_t kPage = wasm::kPageSize;
constexpr uint64_t kMiB = uint64_t{1} << 20;

// The smaps block of the mapping that contains `addr` ("" if none).
std::string smapsOf(const void* addr) {
  auto at = reinterpret_cast<uintptr_t>(addr);
  std::ifstream in("/proc/self/smaps");
  std::string line, block;
  bool inside = false;
  while (std::getline(in, line)) {
    uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    bool isHeader = (head >> std::hex >> lo >> dash >> hi) && dash == '-' && line.find(':') > line.find(' ');
    if (isHeader) {
      if (inside) return block;
      inside = at >= lo && at < hi;
      block.clear();
    }
    if (inside) block += line + "\n";
  }
  return inside ? block : std::string();
}

// The value of one smaps field of the mapping at `addr` ("" if absent).
std::string field(const void* addr, const std::string& name) {
  std::string s = smapsOf(addr);
  size_t at = s.find("\n" + name + ":");
  if (at == std::string::npos) return {};
  at += name.size() + 2;
  std::string v = s.substr(at, s.find('\n', at) - at);
  v.erase(0, v.find_first_not_of(' '));
  return v;
}

bool markedHuge(const void* addr) {
  std::string s = smapsOf(addr);
  size_t flags = s.find("VmFlags:");
  if (flags == std::string::npos) return false;
  std::string line = s.substr(flags, s.find('\n', flags) - flags);
  return (" " + line + " ").find(" hg ") != std::string::npos;
}

std::string thpMode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string s;
  std::getline(in, s);
  size_t a = s.find('['), b = s.find(']');
  return a == std::string::npos || b == std::string::npos ? std::string() : s.substr(a + 1, b - a - 1);
}

std::unique_ptr<MemoryInst> memory(uint64_t pages, uint64_t hugeFrom) {
  auto m = MemoryInst::create(wasm::MemoryType{{pages, std::nullopt}}, uint64_t{4} << 30, hugeFrom);
  EXPECT_TRUE(m.has_value()) << m.error().toString();
  return std::move(*m);
}

TEST(HugePages, TheDefaultThresholdIs32MiB) {
  EXPECT_EQ(StoreLimits{}.hugePagesFromBytes, 32 * kMiB);
}

TEST(HugePages, AMemoryBelowTheThresholdKeepsOrdinaryPages) {
  auto m = memory(16, 32 * kMiB);  // 1 MiB
  EXPECT_FALSE(m->hugePagesAdvised());
  EXPECT_FALSE(markedHuge(m->base));
  EXPECT_EQ(m->grow(400), 16);  // 26 MiB: still below
  EXPECT_FALSE(m->hugePagesAdvised());
  EXPECT_FALSE(markedHuge(m->base));
}

TEST(HugePages, GrowingToTheThresholdMarksTheWholeReservationOnceAndKeepsTheData) {
  if (thpMode().empty()) GTEST_SKIP() << "this kernel has no transparent huge pages";
  auto m = memory(1, 4 * kMiB);
  m->base[10] = 42;
  EXPECT_EQ(m->grow(62), 1);  // 4 MiB - 64 KiB
  EXPECT_FALSE(m->hugePagesAdvised());
  EXPECT_EQ(m->grow(1), 63);  // 4 MiB
  EXPECT_TRUE(m->hugePagesAdvised());
  EXPECT_EQ(m->base[10], 42);
  EXPECT_TRUE(markedHuge(m->base));                         // the accessible pages
  EXPECT_TRUE(markedHuge(m->base + 64 * kPage));            // the rest of the 4 GiB
  EXPECT_TRUE(markedHuge(m->base + (uint64_t{5} << 30)));  // the guard region
  for (uint64_t i = 0; i < 4 * kMiB; i += 4096) m->base[i] = 1;  // writable throughout
  EXPECT_EQ(m->grow(64), 64);
  EXPECT_TRUE(m->hugePagesAdvised());
  EXPECT_TRUE(markedHuge(m->base + 100 * kPage));  // grown pages join the marked mapping
}

TEST(HugePages, AMemoryCreatedAtTheThresholdIsMarkedAtOnce) {
  if (thpMode().empty()) GTEST_SKIP() << "this kernel has no transparent huge pages";
  auto m = memory(64, 4 * kMiB);
  EXPECT_TRUE(m->hugePagesAdvised());
  EXPECT_TRUE(markedHuge(m->base));
}

TEST(HugePages, ZeroNeverAsks) {
  auto m = memory(1, 0);
  EXPECT_EQ(m->grow(1023), 1);  // 64 MiB
  EXPECT_FALSE(m->hugePagesAdvised());
  EXPECT_FALSE(markedHuge(m->base));
}

TEST(HugePages, TheKernelWillBackAMarkedMemoryWithHugePages) {
  std::string mode = thpMode();
  if (mode != "madvise" && mode != "always")
    GTEST_SKIP() << "transparent huge pages are '" << mode << "' on this host (not madvise or always)";
  auto m = memory(1024, 32 * kMiB);  // 64 MiB
  ASSERT_TRUE(m->hugePagesAdvised());
  EXPECT_EQ(field(m->base, "THPeligible"), "1") << smapsOf(m->base);
  auto small = memory(16, 32 * kMiB);
  if (mode == "madvise") EXPECT_EQ(field(small->base, "THPeligible"), "0") << smapsOf(small->base);
}

}  // namespace
}  // namespace bantam::runtime
