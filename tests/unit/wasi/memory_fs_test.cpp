// The in-memory filesystem: limits, host-side helpers, one filesystem shared by several
// guests' views, timestamps from the injected clock.
#include "wasi/memory_fs.h"

#include <gtest/gtest.h>

#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

IoBuffer bytesOf(std::string& s) { return IoBuffer(reinterpret_cast<uint8_t*>(s.data()), s.size()); }

TEST(MemFs, WritesPastTheByteLimitAreNospc) {
  MemFilesystem::Options o;
  o.maxBytes = 1000;
  auto fs = MemFilesystem::create(o);
  EXPECT_TRUE(fs->writeFile("a", std::string(600, 'a')).has_value());
  EXPECT_EQ(fs->writeFile("b", std::string(600, 'b')).error(), Errno::Nospc);
  EXPECT_EQ(fs->usedBytes(), 600u);
  auto root = fs->root();
  OpenOptions w;
  w.write = true;
  auto f = root->openAt("a", w);
  ASSERT_TRUE(f.has_value());
  // A hostile size or offset is refused before anything is allocated.
  EXPECT_EQ(f->file->setSize(uint64_t{1} << 60).error(), Errno::Nospc);
  std::string x = "x";
  IoBuffer b = bytesOf(x);
  EXPECT_EQ(f->file->pwrite(std::span<const IoBuffer>(&b, 1), uint64_t{1} << 40).error(), Errno::Nospc);
  EXPECT_EQ(f->file->allocate(0, uint64_t{1} << 40).error(), Errno::Nospc);
  ASSERT_TRUE(f->file->setSize(0).has_value());
  EXPECT_EQ(fs->usedBytes(), 0u);
}

TEST(MemFs, UnlinkedFilesReleaseTheirBytesWhenClosed) {
  auto fs = MemFilesystem::create();
  ASSERT_TRUE(fs->writeFile("big", std::string(5000, 'z')).has_value());
  auto root = fs->root();
  OpenOptions r;
  r.read = true;
  auto f = root->openAt("big", r);
  ASSERT_TRUE(root->unlinkFileAt("big").has_value());
  EXPECT_EQ(fs->usedBytes(), 5000u);  // still open
  f->file.reset();
  EXPECT_EQ(fs->usedBytes(), 0u);
}

TEST(MemFs, NodeLimitIsNospc) {
  MemFilesystem::Options o;
  o.maxNodes = 3;  // the root and two more
  auto fs = MemFilesystem::create(o);
  auto root = fs->root();
  EXPECT_TRUE(root->createDirectoryAt("a").has_value());
  EXPECT_TRUE(root->symlinkAt("a", "b").has_value());
  EXPECT_EQ(root->createDirectoryAt("c").error(), Errno::Nospc);
}

TEST(MemFs, HostHelpersSeedAndReadBack) {
  auto fs = MemFilesystem::create();
  ASSERT_TRUE(fs->writeFile("etc/app/config.toml", "x = 1\n").has_value());
  ASSERT_TRUE(fs->createSymlink("etc/app", "app").has_value());
  EXPECT_EQ(*fs->readFile("app/config.toml"), "x = 1\n");
  EXPECT_EQ(fs->readFile("nope").error(), Errno::Noent);
  EXPECT_EQ(fs->readFile("etc").error(), Errno::Isdir);
  EXPECT_TRUE(fs->createDirectories("a/b/c").has_value());
  EXPECT_TRUE(fs->createDirectories("a/b/c").has_value());  // idempotent
}

TEST(MemFs, TwoViewsOfOneFilesystemSeeEachOther) {
  // The platform gives components views of shared state; a read-only view sees writes made
  // through a writable one.
  auto fs = MemFilesystem::create();
  ASSERT_TRUE(fs->createDirectories("shared").has_value());
  auto writer = fs->root();
  auto reader = fs->root(true);
  ASSERT_TRUE(fs->writeFile("shared/msg", "hi").has_value());
  OpenOptions r;
  r.read = r.followSymlinks = true;
  auto f = reader->openAt("shared/msg", r);
  ASSERT_TRUE(f.has_value());
  OpenOptions w;
  w.write = true;
  EXPECT_EQ(reader->openAt("shared/msg", w).error(), Errno::Notcapable);
  EXPECT_TRUE(writer->openAt("shared/msg", w).has_value());
}

TEST(MemFs, TimestampsComeFromTheInjectedClock) {
  auto clocks = std::make_shared<FakeClocks>(5'000'000'000ull);
  MemFilesystem::Options o;
  o.clocks = clocks;
  auto fs = MemFilesystem::create(o);
  ASSERT_TRUE(fs->writeFile("f", "1").has_value());
  auto st = fs->root()->statAt("f", false);
  EXPECT_EQ(st->mtim, 5'000'000'000ull);
  clocks->advance(7);
  ASSERT_TRUE(fs->writeFile("f", "2").has_value());
  EXPECT_EQ(fs->root()->statAt("f", false)->mtim, 5'000'000'007ull);
}

TEST(MemFs, DirectoryNlinkCountsSubdirectories) {
  auto fs = MemFilesystem::create();
  auto root = fs->root();
  ASSERT_TRUE(root->createDirectoryAt("d").has_value());
  ASSERT_TRUE(root->createDirectoryAt("d/e").has_value());
  ASSERT_TRUE(root->createDirectoryAt("d/f").has_value());
  EXPECT_EQ(root->statAt("d", false)->nlink, 4u);
  ASSERT_TRUE(root->removeDirectoryAt("d/e").has_value());
  EXPECT_EQ(root->statAt("d", false)->nlink, 3u);
}

TEST(MemFs, RemovedDirectoryAcceptsNoNewEntries) {
  auto fs = MemFilesystem::create();
  auto root = fs->root();
  ASSERT_TRUE(root->createDirectoryAt("d").has_value());
  OpenOptions o;
  o.directory = true;
  auto d = root->openAt("d", o);
  ASSERT_TRUE(d.has_value() && d->dir);
  ASSERT_TRUE(root->removeDirectoryAt("d").has_value());
  EXPECT_EQ(d->dir->createDirectoryAt("x").error(), Errno::Noent);
  OpenOptions c;
  c.create = true;
  EXPECT_EQ(d->dir->openAt("f", c).error(), Errno::Noent);
}

TEST(MemFs, CrossFilesystemRenameAndLinkAreXdev) {
  auto a = MemFilesystem::create(), b = MemFilesystem::create();
  ASSERT_TRUE(a->writeFile("f", "x").has_value());
  auto ra = a->root(), rb = b->root();
  EXPECT_EQ(ra->renameAt("f", *rb, "g").error(), Errno::Xdev);
  EXPECT_EQ(ra->linkAt("f", *rb, "g").error(), Errno::Xdev);
  testing::TempDir host;
  auto h = openHostDir(host.path(), false);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(ra->renameAt("f", **h, "g").error(), Errno::Xdev);
  EXPECT_EQ((*h)->renameAt("f", *ra, "g").error(), Errno::Xdev);
}

}  // namespace
}  // namespace bantam::wasi
