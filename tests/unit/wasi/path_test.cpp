// path_* functions: the errno of every case wasi-testsuite and Wasmtime pin down (trailing
// slashes, O_DIRECTORY, O_NOFOLLOW, symlinks, hard links, renames), on every backend.
#include <gtest/gtest.h>

#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

using testing::Backend;
using testing::EnvOptions;
using testing::WasiEnv;

class WasiPath : public ::testing::TestWithParam<Backend> {
 protected:
  WasiEnv w{EnvOptions{.backend = GetParam()}};
};

// --- path_create_directory / path_remove_directory / path_unlink_file ---

TEST_P(WasiPath, CreateDirectory) {
  EXPECT_EQ(w.mkdir("d"), Errno::Success);
  EXPECT_EQ(w.mkdir("d"), Errno::Exist);
  EXPECT_EQ(w.mkdir("d/e/"), Errno::Success);  // a trailing slash is fine
  EXPECT_EQ(w.mkdir("missing/x"), Errno::Noent);
  ASSERT_EQ(w.create("f"), Errno::Success);
  EXPECT_EQ(w.mkdir("f/x"), Errno::Notdir);
  EXPECT_EQ(w.mkdir("f"), Errno::Exist);
  EXPECT_EQ(w.mkdir(""), Errno::Noent);
  Filestat s;
  ASSERT_EQ(w.stat("d/e", &s), Errno::Success);
  EXPECT_EQ(s.type, Filetype::Directory);
}

TEST_P(WasiPath, RemoveDirectory) {
  ASSERT_EQ(w.mkdir("d"), Errno::Success);
  ASSERT_EQ(w.create("d/f"), Errno::Success);
  EXPECT_EQ(w.rmdir("d"), Errno::Notempty);
  EXPECT_EQ(w.rmdir("d/f"), Errno::Notdir);
  EXPECT_EQ(w.rmdir("d/f/"), Errno::Notdir);
  EXPECT_EQ(w.rmdir("nope"), Errno::Noent);
  EXPECT_EQ(w.unlink("d/f"), Errno::Success);
  EXPECT_EQ(w.rmdir("d/"), Errno::Success);  // wasi-testsuite remove_directory_trailing_slashes
  EXPECT_FALSE(w.exists("d"));
  EXPECT_EQ(w.rmdir("."), Errno::Inval);
}

TEST_P(WasiPath, UnlinkFile) {
  ASSERT_EQ(w.mkdir("dir"), Errno::Success);
  ASSERT_EQ(w.create("file"), Errno::Success);
  EXPECT_EQ(w.unlink("dir"), Errno::Isdir);  // wasi-testsuite unlink_file_trailing_slashes (unix)
  EXPECT_EQ(w.unlink("dir/"), Errno::Isdir);
  EXPECT_EQ(w.unlink("file/"), Errno::Notdir);
  EXPECT_EQ(w.unlink("file"), Errno::Success);
  EXPECT_EQ(w.unlink("file"), Errno::Noent);
}

TEST_P(WasiPath, UnlinkedOpenFileStaysReadable) {
  uint32_t fd;
  ASSERT_EQ(w.create("f", "still here"), Errno::Success);
  ASSERT_EQ(w.open("f", &fd, 0, rights::kFdRead), Errno::Success);
  ASSERT_EQ(w.unlink("f"), Errno::Success);
  std::string got;
  ASSERT_EQ(w.read(fd, &got), Errno::Success);
  EXPECT_EQ(got, "still here");
}

// --- path_open ---

TEST_P(WasiPath, OpenMissingIsNoent) {
  uint32_t fd;
  EXPECT_EQ(w.open("missing", &fd), Errno::Noent);
  EXPECT_EQ(w.open("missing/x", &fd, oflags::kCreat), Errno::Noent);
  EXPECT_EQ(w.open("", &fd), Errno::Noent);
}

TEST_P(WasiPath, OpenCreateExclusiveOnExistingIsExist) {
  uint32_t fd;
  ASSERT_EQ(w.create("f"), Errno::Success);
  EXPECT_EQ(w.open("f", &fd, oflags::kCreat | oflags::kExcl), Errno::Exist);
  EXPECT_EQ(w.open("f", &fd, oflags::kCreat), Errno::Success);
}

TEST_P(WasiPath, OpenTruncateEmptiesTheFile) {
  uint32_t fd;
  ASSERT_EQ(w.create("f", "content"), Errno::Success);
  // Truncation works with no rights at all on the new descriptor (wasi-testsuite
  // truncation_rights); it needs path_filestat_set_size on the directory.
  ASSERT_EQ(w.open("f", &fd, oflags::kTrunc, 0), Errno::Success);
  EXPECT_EQ(w.readAll("f"), "");
}

TEST_P(WasiPath, OpenDirectoryFlagOnFileIsNotdir) {
  uint32_t fd;
  ASSERT_EQ(w.create("f"), Errno::Success);
  EXPECT_EQ(w.open("f", &fd, oflags::kDirectory), Errno::Notdir);
  EXPECT_EQ(w.open("f/", &fd), Errno::Notdir);
  EXPECT_EQ(w.open("f///", &fd), Errno::Notdir);
}

TEST_P(WasiPath, OpenDirectoryWithOrWithoutTheFlag) {
  uint32_t fd;
  ASSERT_EQ(w.mkdir("d"), Errno::Success);
  Filetype t;
  ASSERT_EQ(w.open("d", &fd, 0, 0), Errno::Success);  // no O_DIRECTORY, no rights: still a directory
  ASSERT_EQ(w.fdstat(fd, &t), Errno::Success);
  EXPECT_EQ(t, Filetype::Directory);
  EXPECT_EQ(w.open("d/", &fd, oflags::kDirectory, 0), Errno::Success);
  EXPECT_EQ(w.open("d///", &fd, 0, 0), Errno::Success);
  EXPECT_EQ(w.open(".", &fd, oflags::kDirectory, rights::kFdRead), Errno::Success);
}

TEST_P(WasiPath, OpenDirectoryForWritingIsIsdir) {
  uint32_t fd;
  EXPECT_EQ(w.open(".", &fd, oflags::kDirectory, rights::kFdRead | rights::kFdWrite), Errno::Isdir);
  ASSERT_EQ(w.mkdir("d"), Errno::Success);
  EXPECT_EQ(w.open("d", &fd, 0, rights::kFdWrite), Errno::Isdir);
}

TEST_P(WasiPath, OpenDirectoryWithCreateOrTruncateIsInval) {
  uint32_t fd;
  EXPECT_EQ(w.open("d", &fd, oflags::kDirectory | oflags::kCreat), Errno::Inval);
  EXPECT_EQ(w.open("d", &fd, oflags::kDirectory | oflags::kTrunc), Errno::Inval);
  EXPECT_EQ(w.open("d", &fd, oflags::kDirectory | oflags::kExcl), Errno::Inval);
}

TEST_P(WasiPath, OpenCreateWithTrailingSlashIsIsdir) {
  uint32_t fd;
  EXPECT_EQ(w.open("newfile/", &fd, oflags::kCreat), Errno::Isdir);
}

TEST_P(WasiPath, OpenInvalidFlagsAreInval) {
  uint32_t fd;
  EXPECT_EQ(w.open("f", &fd, 0x10), Errno::Inval);
  EXPECT_EQ(w.open("f", &fd, oflags::kCreat, rights::kAll, 0x20), Errno::Inval);
  EXPECT_EQ(w.open("f", &fd, oflags::kCreat, rights::kAll, 0, 2), Errno::Inval);
  EXPECT_EQ(w.open("f", &fd, oflags::kCreat, ~0ull), Errno::Inval);
}

TEST_P(WasiPath, OpenRelativeToAFileIsNotdirAndToAStreamIsBadf) {
  // wasi-testsuite path_open_dirfd_not_dir.
  uint32_t file, fd;
  ASSERT_EQ(w.create("f"), Errno::Success);
  ASSERT_EQ(w.open("f", &file), Errno::Success);
  EXPECT_EQ(w.open("x", &fd, 0, rights::kAll, 0, 1, file), Errno::Notdir);
  EXPECT_EQ(w.open("x", &fd, 0, rights::kAll, 0, 1, 1), Errno::Badf);
  EXPECT_EQ(w.open("x", &fd, 0, rights::kAll, 0, 1, 123), Errno::Badf);
}

TEST_P(WasiPath, OtherPathCallsOnAFileAreBadf) {
  uint32_t file;
  ASSERT_EQ(w.create("f"), Errno::Success);
  ASSERT_EQ(w.open("f", &file), Errno::Success);
  EXPECT_EQ(w.mkdir("x", file), Errno::Badf);
  EXPECT_EQ(w.unlink("x", file), Errno::Badf);
  EXPECT_EQ(w.stat("x", nullptr, true, file), Errno::Badf);
}

TEST_P(WasiPath, InterestingPathsResolve) {
  // wasi-testsuite interesting_paths.
  ASSERT_EQ(w.mkdir("dir"), Errno::Success);
  ASSERT_EQ(w.mkdir("dir/nested"), Errno::Success);
  ASSERT_EQ(w.create("dir/nested/file", "deep"), Errno::Success);
  EXPECT_EQ(w.readAll("dir/.//nested/../../dir/nested/../nested///./file"), "deep");
  uint32_t fd;
  uint32_t p = w.put(std::string_view("dir/nested/file\0", 16)), out = w.alloc(4);
  EXPECT_EQ(p1::pathOpen(*w.ctx, w.mem, 3, 0, p, 16, 0, 0, 0, 0, out), Errno::Inval);  // trailing NUL
  EXPECT_EQ(w.open("dir/nested/", &fd, 0, 0), Errno::Success);
}

TEST_P(WasiPath, InvalidUtf8PathIsIlseq) {
  uint32_t p = w.put("bad\xff"), out = w.alloc(4);
  EXPECT_EQ(p1::pathOpen(*w.ctx, w.mem, 3, 0, p, 4, 0, 0, 0, 0, out), Errno::Ilseq);
  EXPECT_EQ(p1::pathCreateDirectory(*w.ctx, w.mem, 3, p, 4), Errno::Ilseq);
}

TEST_P(WasiPath, PathOutsideMemoryIsFault) {
  uint32_t out = w.alloc(4);
  uint32_t end = static_cast<uint32_t>(w.memory.size());
  EXPECT_EQ(p1::pathOpen(*w.ctx, w.mem, 3, 0, end - 2, 5, 0, 0, 0, 0, out), Errno::Fault);
  EXPECT_EQ(p1::pathUnlinkFile(*w.ctx, w.mem, 3, 0xffffffffu, 2), Errno::Fault);
  uint32_t p = w.put("f");
  EXPECT_EQ(p1::pathOpen(*w.ctx, w.mem, 3, 0, p, 1, oflags::kCreat, 0, 0, 0, end), Errno::Fault);
  EXPECT_FALSE(w.exists("f"));  // nothing happened: the out-pointer is checked first
}

// --- symlinks ---

TEST_P(WasiPath, SymlinkAndReadlink) {
  ASSERT_EQ(w.create("target", "via link"), Errno::Success);
  ASSERT_EQ(w.symlink("target", "link"), Errno::Success);
  std::string t;
  ASSERT_EQ(w.readlink("link", &t), Errno::Success);
  EXPECT_EQ(t, "target");
  ASSERT_EQ(w.readlink("link", &t, 3), Errno::Success);  // cut to the buffer, no error
  EXPECT_EQ(t, "tar");
  EXPECT_EQ(w.readlink("target", &t), Errno::Inval);
  EXPECT_EQ(w.readlink("nope", &t), Errno::Noent);
  EXPECT_EQ(w.readAll("link"), "via link");
  Filestat s;
  ASSERT_EQ(w.stat("link", &s, false), Errno::Success);
  EXPECT_EQ(s.type, Filetype::SymbolicLink);
  EXPECT_EQ(s.size, 6u);
  ASSERT_EQ(w.stat("link", &s, true), Errno::Success);
  EXPECT_EQ(s.type, Filetype::RegularFile);
}

TEST_P(WasiPath, SymlinkWithAbsoluteTargetIsPerm) {
  EXPECT_EQ(w.symlink("/etc/passwd", "link"), Errno::Perm);
  EXPECT_FALSE(w.exists("link"));
  EXPECT_EQ(w.symlink("", "link"), Errno::Noent);
}

TEST_P(WasiPath, SymlinkDestinationRules) {
  // wasi-testsuite path_symlink_trailing_slashes (unix).
  EXPECT_EQ(w.symlink("source", "target/"), Errno::Noent);
  ASSERT_EQ(w.mkdir("target"), Errno::Success);
  EXPECT_EQ(w.symlink("source", "target/"), Errno::Exist);
  EXPECT_EQ(w.symlink("source", "target"), Errno::Exist);
  ASSERT_EQ(w.rmdir("target"), Errno::Success);
  ASSERT_EQ(w.create("target"), Errno::Success);
  Errno e = w.symlink("source", "target/");
  EXPECT_TRUE(e == Errno::Notdir || e == Errno::Exist) << errnoName(e);
  EXPECT_EQ(w.symlink("source", "target"), Errno::Exist);
}

TEST_P(WasiPath, DanglingSymlink) {
  uint32_t fd;
  ASSERT_EQ(w.symlink("nowhere", "dangling"), Errno::Success);
  EXPECT_EQ(w.open("dangling", &fd, 0, rights::kFdRead, 0, kLookupSymlinkFollow), Errno::Noent);
  EXPECT_EQ(w.open("dangling", &fd, 0, rights::kFdRead, 0, 0), Errno::Loop);
  EXPECT_EQ(w.stat("dangling", nullptr, true), Errno::Noent);
  EXPECT_EQ(w.stat("dangling", nullptr, false), Errno::Success);
  // Creating through a dangling symlink creates its target, as open(2) does.
  ASSERT_EQ(w.open("dangling", &fd, oflags::kCreat, rights::kAll, 0, kLookupSymlinkFollow), Errno::Success);
  EXPECT_TRUE(w.exists("nowhere"));
}

TEST_P(WasiPath, NofollowErrors) {
  // wasi-testsuite nofollow_errors.
  uint32_t fd;
  ASSERT_EQ(w.mkdir("target"), Errno::Success);
  ASSERT_EQ(w.symlink("target", "symlink"), Errno::Success);
  Errno e = w.open("symlink", &fd, oflags::kDirectory, 0, 0, 0);
  EXPECT_TRUE(e == Errno::Loop || e == Errno::Notdir) << errnoName(e);
  EXPECT_EQ(w.open("symlink", &fd, 0, 0, 0, 0), Errno::Loop);
  EXPECT_EQ(w.open("symlink", &fd, oflags::kDirectory, 0, 0, kLookupSymlinkFollow), Errno::Success);
  ASSERT_EQ(w.unlink("symlink"), Errno::Success);
  ASSERT_EQ(w.rmdir("target"), Errno::Success);
  ASSERT_EQ(w.create("target"), Errno::Success);
  ASSERT_EQ(w.symlink("target", "symlink"), Errno::Success);
  EXPECT_EQ(w.open("symlink", &fd, 0, 0, 0, 0), Errno::Loop);
  EXPECT_EQ(w.open("symlink", &fd, oflags::kDirectory, 0, 0, kLookupSymlinkFollow), Errno::Notdir);
}

TEST_P(WasiPath, SymlinkLoopIsLoop) {
  uint32_t fd;
  ASSERT_EQ(w.symlink("loop", "loop"), Errno::Success);
  EXPECT_EQ(w.open("loop", &fd, 0, rights::kFdRead, 0, kLookupSymlinkFollow), Errno::Loop);
  ASSERT_EQ(w.symlink("b", "a"), Errno::Success);
  ASSERT_EQ(w.symlink("a", "b"), Errno::Success);
  EXPECT_EQ(w.stat("a/x"), Errno::Loop);
  EXPECT_EQ(w.mkdir("a/x"), Errno::Loop);
}

TEST_P(WasiPath, SymlinkInTheMiddleOfAPathIsFollowed) {
  ASSERT_EQ(w.mkdir("real"), Errno::Success);
  ASSERT_EQ(w.create("real/f", "ok"), Errno::Success);
  ASSERT_EQ(w.symlink("real", "alias"), Errno::Success);
  ASSERT_EQ(w.mkdir("real/sub"), Errno::Success);
  ASSERT_EQ(w.symlink("../f", "real/sub/up"), Errno::Success);
  EXPECT_EQ(w.readAll("alias/f"), "ok");
  EXPECT_EQ(w.readAll("alias/sub/up"), "ok");
  EXPECT_EQ(w.mkdir("alias/new"), Errno::Success);
  EXPECT_TRUE(w.exists("real/new"));
}

// --- path_link ---

TEST_P(WasiPath, HardLinkSharesTheInode) {
  ASSERT_EQ(w.create("file", "shared"), Errno::Success);
  ASSERT_EQ(w.link("file", "link"), Errno::Success);
  Filestat a, b;
  ASSERT_EQ(w.stat("file", &a), Errno::Success);
  ASSERT_EQ(w.stat("link", &b), Errno::Success);
  EXPECT_EQ(a.ino, b.ino);
  EXPECT_EQ(b.nlink, 2u);
  EXPECT_EQ(w.readAll("link"), "shared");
  ASSERT_EQ(w.unlink("file"), Errno::Success);
  EXPECT_EQ(w.readAll("link"), "shared");
}

TEST_P(WasiPath, HardLinkErrors) {
  // wasi-testsuite path_link.
  ASSERT_EQ(w.create("file"), Errno::Success);
  ASSERT_EQ(w.create("other"), Errno::Success);
  EXPECT_EQ(w.link("file", "other"), Errno::Exist);
  EXPECT_EQ(w.link("file", "file"), Errno::Exist);
  ASSERT_EQ(w.mkdir("dir"), Errno::Success);
  EXPECT_EQ(w.link("file", "dir"), Errno::Exist);
  Errno e = w.link("dir", "dirlink");
  EXPECT_TRUE(e == Errno::Perm || e == Errno::Acces) << errnoName(e);
  EXPECT_EQ(w.link("file", "link/"), Errno::Noent);
  EXPECT_EQ(w.link("missing", "x"), Errno::Noent);
  ASSERT_EQ(w.symlink("nowhere", "dangling"), Errno::Success);
  EXPECT_EQ(w.link("dangling", "hard"), Errno::Success);  // the symlink itself is linked
  EXPECT_EQ(w.link("file", "dangling"), Errno::Exist);
  EXPECT_EQ(w.link("dangling", "x", WasiEnv::kRoot, WasiEnv::kRoot, kLookupSymlinkFollow), Errno::Inval);
}

TEST_P(WasiPath, HardLinkIntoASubdirectoryDescriptor) {
  uint32_t sub;
  ASSERT_EQ(w.create("file", "x"), Errno::Success);
  ASSERT_EQ(w.mkdir("subdir"), Errno::Success);
  ASSERT_EQ(w.open("subdir", &sub, oflags::kDirectory, rights::kDirectoryBase), Errno::Success);
  ASSERT_EQ(w.link("file", "link", WasiEnv::kRoot, sub), Errno::Success);
  EXPECT_EQ(w.readAll("subdir/link"), "x");
}

// --- path_rename ---

TEST_P(WasiPath, RenameFiles) {
  ASSERT_EQ(w.create("source", "S"), Errno::Success);
  ASSERT_EQ(w.rename("source", "target"), Errno::Success);
  EXPECT_FALSE(w.exists("source"));
  EXPECT_EQ(w.readAll("target"), "S");
  ASSERT_EQ(w.create("source", "T"), Errno::Success);
  ASSERT_EQ(w.rename("source", "target"), Errno::Success);  // replaces
  EXPECT_EQ(w.readAll("target"), "T");
  ASSERT_EQ(w.mkdir("dir"), Errno::Success);
  EXPECT_EQ(w.rename("target", "dir"), Errno::Isdir);
  EXPECT_EQ(w.rename("missing", "x"), Errno::Noent);
  EXPECT_EQ(w.rename("target", "target/"), Errno::Notdir);
  EXPECT_EQ(w.rename("target/", "x"), Errno::Notdir);
  EXPECT_EQ(w.rename("target", "target"), Errno::Success);
}

TEST_P(WasiPath, RenameDirectories) {
  // wasi-testsuite path_rename, path_rename_dir_trailing_slashes.
  ASSERT_EQ(w.mkdir("source"), Errno::Success);
  ASSERT_EQ(w.rename("source/", "target"), Errno::Success);
  ASSERT_EQ(w.rename("target", "source/"), Errno::Success);
  ASSERT_EQ(w.rename("source/", "target/"), Errno::Success);
  ASSERT_EQ(w.mkdir("empty"), Errno::Success);
  EXPECT_EQ(w.rename("target", "empty"), Errno::Success);  // onto an empty directory
  ASSERT_EQ(w.mkdir("full"), Errno::Success);
  ASSERT_EQ(w.create("full/file"), Errno::Success);
  EXPECT_EQ(w.rename("empty", "full"), Errno::Notempty);
  EXPECT_EQ(w.rename("empty", "full/file"), Errno::Notdir);
  EXPECT_EQ(w.rename("full", "full/inside"), Errno::Inval);  // beneath itself
}

TEST_P(WasiPath, RenameBetweenDirectoryDescriptors) {
  uint32_t sub;
  ASSERT_EQ(w.mkdir("sub"), Errno::Success);
  ASSERT_EQ(w.open("sub", &sub, oflags::kDirectory, rights::kDirectoryBase), Errno::Success);
  ASSERT_EQ(w.create("f", "moved"), Errno::Success);
  ASSERT_EQ(w.rename("f", "g", WasiEnv::kRoot, sub), Errno::Success);
  EXPECT_EQ(w.readAll("sub/g"), "moved");
}

// --- path_filestat_* ---

TEST_P(WasiPath, FilestatSetTimesByPath) {
  ASSERT_EQ(w.create("f"), Errno::Success);
  Filestat s;
  ASSERT_EQ(w.stat("f", &s), Errno::Success);
  uint64_t m = s.mtim - 100;
  uint32_t p = w.put("f");
  ASSERT_EQ(p1::pathFilestatSetTimes(*w.ctx, w.mem, 3, 0, p, 1, 0, m, fstflags::kMtim), Errno::Success);
  ASSERT_EQ(w.stat("f", &s), Errno::Success);
  EXPECT_EQ(s.mtim, m);
  EXPECT_EQ(p1::pathFilestatSetTimes(*w.ctx, w.mem, 3, 0, p, 1, 0, m, fstflags::kMtim | fstflags::kMtimNow),
            Errno::Inval);
  EXPECT_EQ(p1::pathFilestatSetTimes(*w.ctx, w.mem, 3, 2, p, 1, 0, m, fstflags::kMtim), Errno::Inval);
  uint32_t q = w.put("missing");
  EXPECT_EQ(p1::pathFilestatSetTimes(*w.ctx, w.mem, 3, 0, q, 7, 0, m, fstflags::kMtim), Errno::Noent);
}

TEST_P(WasiPath, SetTimesWithoutFollowingChangesTheLinkItself) {
  ASSERT_EQ(w.create("f"), Errno::Success);
  ASSERT_EQ(w.symlink("f", "l"), Errno::Success);
  Filestat target;
  ASSERT_EQ(w.stat("f", &target), Errno::Success);
  const uint64_t t = 1'111'111'111'000'000'000ull;
  uint32_t p = w.put("l");
  ASSERT_EQ(p1::pathFilestatSetTimes(*w.ctx, w.mem, 3, 0, p, 1, 0, t, fstflags::kMtim), Errno::Success);
  Filestat link, after;
  ASSERT_EQ(w.stat("l", &link, false), Errno::Success);
  ASSERT_EQ(w.stat("f", &after), Errno::Success);
  EXPECT_EQ(link.mtim, t);
  EXPECT_EQ(after.mtim, target.mtim);
  // Following the link sets the target's times instead.
  ASSERT_EQ(p1::pathFilestatSetTimes(*w.ctx, w.mem, 3, 1, p, 1, 0, t + 1, fstflags::kMtim), Errno::Success);
  ASSERT_EQ(w.stat("f", &after), Errno::Success);
  EXPECT_EQ(after.mtim, t + 1);
}

TEST_P(WasiPath, FilestatGetValidatesLookupFlags) {
  uint32_t p = w.put("."), out = w.alloc(64);
  EXPECT_EQ(p1::pathFilestatGet(*w.ctx, w.mem, 3, 4, p, 1, out), Errno::Inval);
  EXPECT_EQ(p1::pathFilestatGet(*w.ctx, w.mem, 3, 0, p, 1, out), Errno::Success);
}

// --- rights ---

TEST_P(WasiPath, PathCallsNeedTheirRights) {
  uint32_t d;
  ASSERT_EQ(w.mkdir("d"), Errno::Success);
  ASSERT_EQ(w.create("d/f"), Errno::Success);
  ASSERT_EQ(w.open("d", &d, oflags::kDirectory, rights::kPathOpen | rights::kFdReaddir), Errno::Success);
  uint32_t fd;
  EXPECT_EQ(w.open("f", &fd, 0, rights::kFdRead, 0, 1, d), Errno::Success);
  EXPECT_EQ(w.open("g", &fd, oflags::kCreat, rights::kFdRead, 0, 1, d), Errno::Notcapable);
  EXPECT_EQ(w.open("f", &fd, oflags::kTrunc, 0, 0, 1, d), Errno::Notcapable);
  EXPECT_EQ(w.mkdir("x", d), Errno::Notcapable);
  EXPECT_EQ(w.unlink("f", d), Errno::Notcapable);
  EXPECT_EQ(w.rmdir("x", d), Errno::Notcapable);
  EXPECT_EQ(w.stat("f", nullptr, true, d), Errno::Notcapable);
  EXPECT_EQ(w.symlink("f", "l", d), Errno::Notcapable);
  EXPECT_EQ(w.rename("f", "g", d, d), Errno::Notcapable);
  EXPECT_EQ(w.link("f", "g", d, d), Errno::Notcapable);
  EXPECT_EQ(w.link("f", "g", WasiEnv::kRoot, d), Errno::Notcapable);  // link target right
}

TEST_P(WasiPath, PreopenRightsAreWhatUserlandsExpect) {
  // wasi-testsuite path_open_preopen: the rights every userland relies on.
  uint64_t base, inh;
  ASSERT_EQ(w.fdstat(3, nullptr, nullptr, &base, &inh), Errno::Success);
  const uint64_t needBase = rights::kPathCreateDirectory | rights::kPathCreateFile | rights::kPathLinkSource |
                            rights::kPathLinkTarget | rights::kPathOpen | rights::kFdReaddir |
                            rights::kPathReadlink | rights::kPathRenameSource | rights::kPathRenameTarget |
                            rights::kPathSymlink | rights::kPathRemoveDirectory | rights::kPathUnlinkFile |
                            rights::kPathFilestatGet | rights::kPathFilestatSetTimes | rights::kFdFilestatGet |
                            rights::kFdFilestatSetTimes;
  EXPECT_EQ(base & needBase, needBase);
  EXPECT_EQ(base & rights::kFdFilestatSetSize, 0u);  // wasi-testsuite truncation_rights
  const uint64_t needInh = needBase | rights::kFdDatasync | rights::kFdRead | rights::kFdSeek |
                           rights::kFdFdstatSetFlags | rights::kFdSync | rights::kFdTell | rights::kFdWrite |
                           rights::kFdAdvise | rights::kFdAllocate | rights::kFdFilestatSetSize |
                           rights::kPollFdReadwrite;
  EXPECT_EQ(inh & needInh, needInh);
  uint32_t fd;
  EXPECT_EQ(w.open(".", &fd, 0, base, 0, 0, WasiEnv::kRoot, inh), Errno::Success);
}

INSTANTIATE_TEST_SUITE_P(Backends, WasiPath,
                         ::testing::Values(Backend::Memory, Backend::HostOpenat2, Backend::HostManual),
                         testing::backendName);

}  // namespace
}  // namespace bantam::wasi
