// fd_readdir: "." and "..", cookies, truncation of the last entry, thousands of entries.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

using testing::Backend;
using testing::EnvOptions;
using testing::WasiEnv;

struct Entry {
  uint64_t next = 0;
  uint64_t ino = 0;
  Filetype type = Filetype::Unknown;
  std::string name;
};

// Parses the complete entries of a readdir buffer (a cut-off last one is left out).
std::vector<Entry> parse(const WasiEnv& w, uint32_t buf, uint32_t used) {
  std::vector<Entry> out;
  uint32_t at = 0;
  while (used - at >= 24) {
    Entry e;
    e.next = w.load<uint64_t>(buf + at);
    e.ino = w.load<uint64_t>(buf + at + 8);
    uint32_t namlen = w.load<uint32_t>(buf + at + 16);
    e.type = static_cast<Filetype>(w.memory[buf + at + 20]);
    if (used - at - 24 < namlen) break;
    e.name = w.bytes(buf + at + 24, namlen);
    at += 24 + namlen;
    out.push_back(e);
  }
  return out;
}

class WasiReaddir : public ::testing::TestWithParam<Backend> {
 protected:
  Errno readdir(uint32_t fd, uint32_t bufLen, uint64_t cookie, std::vector<Entry>* entries, uint32_t* used) {
    uint32_t buf = w.alloc(bufLen), out = w.alloc(4);
    Errno e = p1::fdReaddir(*w.ctx, w.mem, fd, buf, bufLen, cookie, out);
    if (e != Errno::Success) return e;
    *used = w.load<uint32_t>(out);
    *entries = parse(w, buf, *used);
    return e;
  }
  WasiEnv w{EnvOptions{.backend = GetParam()}};
};

TEST_P(WasiReaddir, EmptyDirectoryHasDotAndDotDot) {
  std::vector<Entry> es;
  uint32_t used;
  ASSERT_EQ(readdir(3, 256, 0, &es, &used), Errno::Success);
  EXPECT_LT(used, 256u);  // less than the buffer: the end was reached
  ASSERT_EQ(es.size(), 2u);
  EXPECT_EQ(es[0].name, ".");
  EXPECT_EQ(es[0].type, Filetype::Directory);
  EXPECT_EQ(es[0].next, 1u);
  EXPECT_EQ(es[1].name, "..");
  EXPECT_EQ(es[1].next, 2u);
  Filestat self;
  ASSERT_EQ(w.stat(".", &self), Errno::Success);
  EXPECT_EQ(es[0].ino, self.ino);
}

TEST_P(WasiReaddir, EntriesCarryTypeAndInode) {
  ASSERT_EQ(w.create("file", "x"), Errno::Success);
  ASSERT_EQ(w.mkdir("sub"), Errno::Success);
  ASSERT_EQ(w.symlink("file", "link"), Errno::Success);
  std::vector<Entry> es;
  uint32_t used;
  ASSERT_EQ(readdir(3, 1024, 0, &es, &used), Errno::Success);
  ASSERT_EQ(es.size(), 5u);
  for (const Entry& e : es) {
    if (e.name == "." || e.name == "..") continue;
    Filestat s;
    ASSERT_EQ(w.stat(e.name, &s, false), Errno::Success);
    EXPECT_EQ(e.ino, s.ino) << e.name;
    EXPECT_EQ(e.type, s.type) << e.name;
  }
}

TEST_P(WasiReaddir, CookieResumesAfterAnEntry) {
  for (const char* n : {"a", "b", "c"}) ASSERT_EQ(w.create(n), Errno::Success);
  std::vector<Entry> all, rest;
  uint32_t used;
  ASSERT_EQ(readdir(3, 1024, 0, &all, &used), Errno::Success);
  ASSERT_EQ(all.size(), 5u);
  ASSERT_EQ(readdir(3, 1024, all[2].next, &rest, &used), Errno::Success);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].name, all[3].name);
  EXPECT_EQ(rest[1].name, all[4].name);
  // A cookie past the end: nothing.
  ASSERT_EQ(readdir(3, 1024, 99, &rest, &used), Errno::Success);
  EXPECT_EQ(used, 0u);
}

TEST_P(WasiReaddir, FullBufferCutsTheLastEntry) {
  ASSERT_EQ(w.create("a_rather_long_file_name"), Errno::Success);
  // "." (25) + ".." (26) = 51 bytes; 60 leaves 9 bytes of the third entry's header.
  uint32_t buf = w.alloc(60), out = w.alloc(4);
  ASSERT_EQ(p1::fdReaddir(*w.ctx, w.mem, 3, buf, 60, 0, out), Errno::Success);
  EXPECT_EQ(w.load<uint32_t>(out), 60u);  // all of the buffer: not the end
  EXPECT_EQ(parse(w, buf, 60).size(), 2u);
  // 51 + 24 + 5: the header and part of the name.
  ASSERT_EQ(p1::fdReaddir(*w.ctx, w.mem, 3, buf, 80, 0, out), Errno::Success);
  EXPECT_EQ(w.load<uint32_t>(out), 80u);
  EXPECT_EQ(w.bytes(buf + 75, 5), "a_rat");
  // Exactly big enough for everything is also "full" (a caller asks again and gets 0).
  ASSERT_EQ(p1::fdReaddir(*w.ctx, w.mem, 3, buf, 51 + 24 + 23, 0, out), Errno::Success);
  EXPECT_EQ(w.load<uint32_t>(out), 98u);
}

TEST_P(WasiReaddir, ThousandsOfEntriesReadInSmallPieces) {
  const int kCount = 3000;
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(w.create("file." + std::to_string(i)), Errno::Success);
  std::set<std::string> seen;
  uint64_t cookie = 0;
  int calls = 0;
  for (;;) {
    std::vector<Entry> es;
    uint32_t used;
    ASSERT_EQ(readdir(3, 256, cookie, &es, &used), Errno::Success);
    ++calls;
    for (const Entry& e : es) EXPECT_TRUE(seen.insert(e.name).second) << "repeated " << e.name;
    if (used < 256) break;
    ASSERT_FALSE(es.empty());
    cookie = es.back().next;
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kCount + 2));
  EXPECT_GT(calls, 100);
}

TEST_P(WasiReaddir, NeedsAReadableDirectory) {
  uint32_t fd;
  ASSERT_EQ(w.create("f"), Errno::Success);
  ASSERT_EQ(w.open("f", &fd, 0, rights::kFdRead), Errno::Success);
  uint32_t buf = w.alloc(64), out = w.alloc(4);
  EXPECT_EQ(p1::fdReaddir(*w.ctx, w.mem, fd, buf, 64, 0, out), Errno::Badf);
  EXPECT_EQ(p1::fdReaddir(*w.ctx, w.mem, 1, buf, 64, 0, out), Errno::Badf);
  uint32_t dir;
  ASSERT_EQ(w.mkdir("d"), Errno::Success);
  ASSERT_EQ(w.open("d", &dir, oflags::kDirectory, rights::kPathOpen), Errno::Success);
  EXPECT_EQ(p1::fdReaddir(*w.ctx, w.mem, dir, buf, 64, 0, out), Errno::Notcapable);
  EXPECT_EQ(p1::fdReaddir(*w.ctx, w.mem, 3, 0xfffffff0u, 64, 0, out), Errno::Fault);
}

TEST_P(WasiReaddir, CookieZeroSeesNewEntries) {
  std::vector<Entry> es;
  uint32_t used;
  ASSERT_EQ(readdir(3, 1024, 0, &es, &used), Errno::Success);
  ASSERT_EQ(es.size(), 2u);
  ASSERT_EQ(w.create("new"), Errno::Success);
  ASSERT_EQ(readdir(3, 1024, 0, &es, &used), Errno::Success);
  EXPECT_EQ(es.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Backends, WasiReaddir,
                         ::testing::Values(Backend::Memory, Backend::HostOpenat2, Backend::HostManual),
                         testing::backendName);

}  // namespace
}  // namespace bantam::wasi
