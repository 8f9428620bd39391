// The capability sandbox: what a hostile guest tries, and that each attempt fails without
// touching anything outside the pre-opened directory. Host directories are tested with both
// resolvers (openat2 and the manual walk); the in-memory filesystem with the same escapes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

using testing::Backend;
using testing::EnvOptions;
using testing::WasiEnv;

TEST(WasiSandbox, KernelHasOpenat2) {
  // Not a requirement (the manual walk covers old kernels), but the "HostOpenat2" tests below
  // only test openat2 when it is there.
  if (!HostResolver(ResolveMode::Auto).usesOpenat2()) GTEST_SKIP() << "kernel without openat2";
  EXPECT_FALSE(HostResolver(ResolveMode::Manual).usesOpenat2());
}

// Escapes every backend must refuse.
class WasiEscape : public ::testing::TestWithParam<Backend> {
 protected:
  WasiEnv w{EnvOptions{.backend = GetParam()}};
};

TEST_P(WasiEscape, DotDotAboveThePreopenIsNotcapable) {
  uint32_t fd;
  EXPECT_EQ(w.open("..", &fd, 0, 0), Errno::Notcapable);
  EXPECT_EQ(w.open("../outside/secret", &fd, 0, rights::kFdRead), Errno::Notcapable);
  ASSERT_EQ(w.mkdir("sub"), Errno::Success);
  // Stepping out and back in is refused too (path-resolution.md: it would reveal what is
  // outside).
  EXPECT_EQ(w.open("sub/../../sandbox/sub", &fd, 0, 0), Errno::Notcapable);
  EXPECT_EQ(w.open("sub/../sub", &fd, 0, 0), Errno::Success);
  EXPECT_EQ(w.stat("../"), Errno::Notcapable);
  EXPECT_EQ(w.mkdir("../x"), Errno::Notcapable);
  EXPECT_EQ(w.mkdir(".."), Errno::Notcapable);
  EXPECT_EQ(w.rmdir(".."), Errno::Notcapable);
  EXPECT_EQ(w.unlink("../x"), Errno::Notcapable);
  EXPECT_EQ(w.symlink("x", "../x"), Errno::Notcapable);
  std::string t;
  EXPECT_EQ(w.readlink("../x", &t), Errno::Notcapable);
}

TEST_P(WasiEscape, AbsolutePathsAreNotcapable) {
  uint32_t fd;
  EXPECT_EQ(w.open("/etc/passwd", &fd, 0, rights::kFdRead), Errno::Notcapable);
  EXPECT_EQ(w.open("/", &fd, 0, 0), Errno::Notcapable);
  EXPECT_EQ(w.stat("/etc"), Errno::Notcapable);
  EXPECT_EQ(w.mkdir("/tmp/bantam-escape"), Errno::Notcapable);
  EXPECT_EQ(w.unlink("/tmp/x"), Errno::Notcapable);
}

TEST_P(WasiEscape, SymlinksMayNotLeadOutside) {
  uint32_t fd;
  ASSERT_EQ(w.symlink("..", "up"), Errno::Success);  // creating is allowed, following is not
  ASSERT_EQ(w.symlink("../outside/secret", "steal"), Errno::Success);
  ASSERT_EQ(w.mkdir("sub"), Errno::Success);
  ASSERT_EQ(w.symlink("../../outside", "sub/deep"), Errno::Success);
  EXPECT_EQ(w.open("up", &fd, 0, 0), Errno::Notcapable);
  EXPECT_EQ(w.open("up/outside/secret", &fd, 0, rights::kFdRead), Errno::Notcapable);
  EXPECT_EQ(w.open("steal", &fd, 0, rights::kFdRead), Errno::Notcapable);
  EXPECT_EQ(w.stat("steal", nullptr, true), Errno::Notcapable);
  EXPECT_EQ(w.stat("steal", nullptr, false), Errno::Success);  // the link itself is inside
  EXPECT_EQ(w.open("sub/deep/secret", &fd, 0, rights::kFdRead), Errno::Notcapable);
  EXPECT_EQ(w.mkdir("up/planted"), Errno::Notcapable);
  EXPECT_EQ(w.create("steal"), Errno::Notcapable);  // O_CREAT through the link
  // A trailing slash follows a final symlink: still beneath.
  EXPECT_EQ(w.stat("up/", nullptr, false), Errno::Notcapable);
  uint32_t p = w.put("up/");
  EXPECT_EQ(p1::pathFilestatSetTimes(*w.ctx, w.mem, 3, 0, p, 3, 0, 0, fstflags::kMtimNow), Errno::Notcapable);
  std::string t;
  EXPECT_EQ(w.readlink("up/", &t), Errno::Notcapable);
  EXPECT_EQ(w.link("up/", "x"), Errno::Notcapable);
}

TEST_P(WasiEscape, SymlinkLoopsEndWithLoop) {
  uint32_t fd;
  ASSERT_EQ(w.symlink("self/x", "self"), Errno::Success);
  EXPECT_EQ(w.open("self", &fd, 0, 0), Errno::Loop);
  ASSERT_EQ(w.symlink("ping", "pong"), Errno::Success);
  ASSERT_EQ(w.symlink("pong", "ping"), Errno::Success);
  EXPECT_EQ(w.open("ping/a/b", &fd, 0, 0), Errno::Loop);
}

TEST_P(WasiEscape, SubdirectoryDescriptorIsItsOwnSandbox) {
  uint32_t sub, fd;
  ASSERT_EQ(w.create("top-secret", "x"), Errno::Success);
  ASSERT_EQ(w.mkdir("sub"), Errno::Success);
  ASSERT_EQ(w.open("sub", &sub, oflags::kDirectory, rights::kDirectoryBase), Errno::Success);
  EXPECT_EQ(w.open("../top-secret", &fd, 0, rights::kFdRead, 0, 1, sub), Errno::Notcapable);
  ASSERT_EQ(w.symlink("../top-secret", "sub/link"), Errno::Success);
  EXPECT_EQ(w.open("link", &fd, 0, rights::kFdRead, 0, 1, sub), Errno::Notcapable);
  EXPECT_EQ(w.rename("top-secret", "../x", WasiEnv::kRoot, sub), Errno::Notcapable);
}

TEST_P(WasiEscape, RenameAndLinkOutAreRefused) {
  ASSERT_EQ(w.create("mine", "data"), Errno::Success);
  EXPECT_EQ(w.rename("mine", "../stolen"), Errno::Notcapable);
  EXPECT_EQ(w.rename("../outside/secret", "mine2"), Errno::Notcapable);
  EXPECT_EQ(w.link("mine", "../hardlink"), Errno::Notcapable);
  EXPECT_EQ(w.link("../outside/secret", "copy"), Errno::Notcapable);
  ASSERT_EQ(w.symlink("..", "up"), Errno::Success);
  EXPECT_EQ(w.rename("mine", "up/stolen"), Errno::Notcapable);
  EXPECT_EQ(w.link("up/outside/secret", "copy"), Errno::Notcapable);
  EXPECT_EQ(w.readAll("mine"), "data");
}

INSTANTIATE_TEST_SUITE_P(Backends, WasiEscape,
                         ::testing::Values(Backend::Memory, Backend::HostOpenat2, Backend::HostManual),
                         testing::backendName);

// Host directories: the files outside must stay untouched and unread.
class WasiHostSandbox : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    outside = w.host->path() + "/outside";
    std::filesystem::create_directory(outside);
    testing::writeHostFile(outside + "/secret", "SECRET");
  }
  WasiEnv w{EnvOptions{.backend = GetParam()}};
  std::string outside;
};

TEST_P(WasiHostSandbox, HostSymlinkToAbsolutePathIsNotFollowed) {
  // Symlinks the host (or another process) put inside are checked when followed.
  std::filesystem::create_symlink("/etc", w.host->path() + "/sandbox/etc");
  std::filesystem::create_symlink(outside + "/secret", w.host->path() + "/sandbox/abs");
  uint32_t fd;
  EXPECT_EQ(w.open("etc/passwd", &fd, 0, rights::kFdRead), Errno::Notcapable);
  EXPECT_EQ(w.open("abs", &fd, 0, rights::kFdRead), Errno::Notcapable);
  EXPECT_EQ(w.stat("etc/"), Errno::Notcapable);
  std::string t;
  EXPECT_EQ(w.readlink("abs", &t), Errno::Success);  // reading the link's text is fine
  EXPECT_EQ(t, outside + "/secret");
}

TEST_P(WasiHostSandbox, EscapesLeaveTheOutsideUntouched) {
  ASSERT_EQ(w.symlink("../outside", "out"), Errno::Success);
  EXPECT_EQ(w.create("out/secret", "pwned"), Errno::Notcapable);
  EXPECT_EQ(w.unlink("out/secret"), Errno::Notcapable);
  EXPECT_EQ(w.rename("out/secret", "mine"), Errno::Notcapable);
  EXPECT_EQ(w.symlink("x", "out/planted"), Errno::Notcapable);
  uint32_t p = w.put("out/secret");
  EXPECT_EQ(p1::pathFilestatSetTimes(*w.ctx, w.mem, 3, 1, p, 10, 0, 0, fstflags::kMtim), Errno::Notcapable);
  EXPECT_EQ(testing::readHostFile(outside + "/secret"), "SECRET");
  EXPECT_FALSE(std::filesystem::exists(outside + "/planted"));
  EXPECT_FALSE(std::filesystem::exists(w.host->path() + "/sandbox/mine"));
  struct stat st;
  ASSERT_EQ(::stat((outside + "/secret").c_str(), &st), 0);
  EXPECT_NE(st.st_mtim.tv_sec, 0);
}

TEST_P(WasiHostSandbox, RacingSymlinkSwapNeverReadsOutside) {
  // Another process swaps sandbox/sub between a real directory and a symlink to the outside
  // while the guest keeps opening sub/secret: it sees the inside file or an error, never the
  // outside one (openat2 and the O_NOFOLLOW walk both resolve each component exactly once).
  std::string sub = w.host->path() + "/sandbox/sub", real = w.host->path() + "/sandbox/real";
  std::filesystem::create_directory(real);
  testing::writeHostFile(real + "/secret", "inside");
  std::filesystem::create_symlink("real", sub);
  std::atomic<bool> stop{false};
  std::thread swapper([&] {
    std::string tmp = sub + ".tmp";
    for (int i = 0; !stop; ++i) {
      ::unlink(tmp.c_str());
      ::symlink(i % 2 ? "real" : "../outside", tmp.c_str());
      ::rename(tmp.c_str(), sub.c_str());  // atomic replace
    }
  });
  int inside = 0, refused = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string got = w.readAll("sub/secret");
    ASSERT_NE(got, "SECRET") << "escaped after " << i << " attempts";
    if (got == "inside") ++inside;
    else ++refused;
  }
  stop = true;
  swapper.join();
  EXPECT_GT(inside + refused, 0);
}

TEST_P(WasiHostSandbox, DescriptorKeepsItsDirectoryWhenThePathIsSwapped) {
  uint32_t sub, fd;
  std::string subPath = w.host->path() + "/sandbox/sub";
  std::filesystem::create_directory(subPath);
  testing::writeHostFile(subPath + "/f", "original");
  ASSERT_EQ(w.open("sub", &sub, oflags::kDirectory, rights::kDirectoryBase), Errno::Success);
  std::filesystem::rename(subPath, w.host->path() + "/sandbox/moved");
  std::filesystem::create_symlink("../outside", subPath);
  ASSERT_EQ(w.open("f", &fd, 0, rights::kFdRead, 0, 1, sub), Errno::Success);
  std::string got;
  ASSERT_EQ(w.read(fd, &got), Errno::Success);
  EXPECT_EQ(got, "original");
  EXPECT_EQ(w.open("secret", &fd, 0, rights::kFdRead, 0, 1, sub), Errno::Noent);
}

INSTANTIATE_TEST_SUITE_P(Resolvers, WasiHostSandbox, ::testing::Values(Backend::HostOpenat2, Backend::HostManual),
                         testing::backendName);

// Read-only pre-opens: nothing beneath may be modified, everything may be read.
class WasiReadOnly : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::Memory) {
      ASSERT_TRUE(w.memfs->writeFile("f", "read me").has_value());
      ASSERT_TRUE(w.memfs->createDirectories("d/e").has_value());
    } else {
      testing::writeHostFile(w.host->path() + "/sandbox/f", "read me");
      std::filesystem::create_directories(w.host->path() + "/sandbox/d/e");
    }
  }
  WasiEnv w{EnvOptions{.backend = GetParam(), .readOnly = true}};
};

TEST_P(WasiReadOnly, ReadingWorks) {
  EXPECT_EQ(w.readAll("f"), "read me");
  Filestat s;
  EXPECT_EQ(w.stat("d/e", &s), Errno::Success);
}

TEST_P(WasiReadOnly, RightsReportNoWriting) {
  uint64_t base, inh;
  ASSERT_EQ(w.fdstat(3, nullptr, nullptr, &base, &inh), Errno::Success);
  EXPECT_EQ(base & rights::kMutating, 0u);
  EXPECT_EQ(inh & rights::kMutating, 0u);
}

TEST_P(WasiReadOnly, EveryModificationIsNotcapable) {
  uint32_t fd;
  EXPECT_EQ(w.create("new"), Errno::Notcapable);
  EXPECT_EQ(w.open("f", &fd, oflags::kTrunc, 0), Errno::Notcapable);
  EXPECT_EQ(w.mkdir("x"), Errno::Notcapable);
  EXPECT_EQ(w.rmdir("d/e"), Errno::Notcapable);
  EXPECT_EQ(w.unlink("f"), Errno::Notcapable);
  EXPECT_EQ(w.rename("f", "g"), Errno::Notcapable);
  EXPECT_EQ(w.symlink("f", "l"), Errno::Notcapable);
  EXPECT_EQ(w.link("f", "l"), Errno::Notcapable);
  uint32_t p = w.put("f");
  EXPECT_EQ(p1::pathFilestatSetTimes(*w.ctx, w.mem, 3, 0, p, 1, 0, 0, fstflags::kMtimNow), Errno::Notcapable);
  EXPECT_EQ(p1::fdFilestatSetTimes(*w.ctx, w.mem, 3, 0, 0, fstflags::kMtimNow), Errno::Notcapable);
  EXPECT_EQ(w.readAll("f"), "read me");
}

TEST_P(WasiReadOnly, FileOpenedForWritingCannotWrite) {
  // Asking for FD_WRITE silently gets a descriptor without it (what wasi-libc does for
  // O_WRONLY); every write is then refused.
  uint32_t fd;
  ASSERT_EQ(w.open("f", &fd, 0, rights::kFdRead | rights::kFdWrite | rights::kFdFilestatSetSize), Errno::Success);
  EXPECT_EQ(w.write(fd, "x"), Errno::Notcapable);
  EXPECT_EQ(p1::fdFilestatSetSize(*w.ctx, w.mem, fd, 0), Errno::Notcapable);
  EXPECT_EQ(p1::fdAllocate(*w.ctx, w.mem, fd, 0, 100), Errno::Notcapable);
  EXPECT_EQ(w.readAll("f"), "read me");
}

TEST_P(WasiReadOnly, SubdirectoriesStayReadOnly) {
  uint32_t d;
  ASSERT_EQ(w.open("d", &d, oflags::kDirectory, rights::kAll & ~rights::kFdWrite, 0, 1, WasiEnv::kRoot),
            Errno::Success);
  EXPECT_EQ(w.mkdir("new", d), Errno::Notcapable);
  EXPECT_EQ(w.rmdir("e", d), Errno::Notcapable);
  uint64_t base;
  ASSERT_EQ(w.fdstat(d, nullptr, nullptr, &base), Errno::Success);
  EXPECT_EQ(base & rights::kMutating, 0u);
}

TEST_P(WasiReadOnly, TheDirectoryItselfRefusesEvenWithRights) {
  // Belt and braces: the Dir object refuses modifications whatever rights say.
  PreopenDir p;
  OpenOptions o;
  o.create = true;
  o.write = true;
  auto& entry = *w.ctx->fds().get(3);
  EXPECT_EQ(entry.dir->openAt("new", o).error(), Errno::Notcapable);
  EXPECT_EQ(entry.dir->createDirectoryAt("x").error(), Errno::Notcapable);
  EXPECT_EQ(entry.dir->unlinkFileAt("f").error(), Errno::Notcapable);
}

INSTANTIATE_TEST_SUITE_P(Backends, WasiReadOnly,
                         ::testing::Values(Backend::Memory, Backend::HostOpenat2, Backend::HostManual),
                         testing::backendName);

}  // namespace
}  // namespace bantam::wasi
