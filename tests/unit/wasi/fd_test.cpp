// fd_* functions: stdio, descriptor state, rights, positions and metadata, on every backend.
#include <gtest/gtest.h>

#include <thread>

#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

using testing::Backend;
using testing::EnvOptions;
using testing::WasiEnv;

// --- stdio (memory streams) ---

TEST(WasiStdio, WriteToStdoutAndStderr) {
  WasiEnv w;
  uint32_t n = 0;
  EXPECT_EQ(w.write(1, "hello ", &n), Errno::Success);
  EXPECT_EQ(n, 6u);
  EXPECT_EQ(w.write(1, "world\n"), Errno::Success);
  EXPECT_EQ(w.write(2, "oops\n"), Errno::Success);
  EXPECT_EQ(w.out->contents(), "hello world\n");
  EXPECT_EQ(w.err->contents(), "oops\n");
}

TEST(WasiStdio, GatherWriteConcatenatesBuffers) {
  WasiEnv w;
  uint32_t a = w.put("abc"), b = w.put("defg"), arr = w.alloc(24), out = w.alloc(4);
  w.store<uint32_t>(arr, a);
  w.store<uint32_t>(arr + 4, 3);
  w.store<uint32_t>(arr + 8, b);
  w.store<uint32_t>(arr + 12, 0);  // empty buffers are fine
  w.store<uint32_t>(arr + 16, b);
  w.store<uint32_t>(arr + 20, 4);
  ASSERT_EQ(p1::fdWrite(*w.ctx, w.mem, 1, arr, 3, out), Errno::Success);
  EXPECT_EQ(w.load<uint32_t>(out), 7u);
  EXPECT_EQ(w.out->contents(), "abcdefg");
}

TEST(WasiStdio, ReadFromStdinUntilEof) {
  WasiEnv w(EnvOptions{.stdinData = "line one\nline two\n"});
  std::string got;
  ASSERT_EQ(w.read(0, &got, 9), Errno::Success);
  EXPECT_EQ(got, "line one\n");
  ASSERT_EQ(w.read(0, &got), Errno::Success);
  EXPECT_EQ(got, "line two\n");
  ASSERT_EQ(w.read(0, &got), Errno::Success);
  EXPECT_EQ(got, "");
}

TEST(WasiStdio, StreamsHaveNoPosition) {
  WasiEnv w;
  uint32_t out = w.alloc(8);
  EXPECT_EQ(p1::fdSeek(*w.ctx, w.mem, 1, 0, 0, out), Errno::Spipe);
  EXPECT_EQ(p1::fdTell(*w.ctx, w.mem, 0, out), Errno::Spipe);
  uint32_t v = w.iov(w.alloc(8), 8);
  EXPECT_EQ(p1::fdPread(*w.ctx, w.mem, 0, v, 1, 0, out), Errno::Spipe);
  EXPECT_EQ(p1::fdPwrite(*w.ctx, w.mem, 1, v, 1, 0, out), Errno::Spipe);
}

TEST(WasiStdio, SyncAndResizeOnStreamsAreBadf) {
  WasiEnv w;
  EXPECT_EQ(p1::fdSync(*w.ctx, w.mem, 1), Errno::Badf);
  EXPECT_EQ(p1::fdDatasync(*w.ctx, w.mem, 1), Errno::Badf);
  EXPECT_EQ(p1::fdFilestatSetSize(*w.ctx, w.mem, 1, 0), Errno::Badf);
  EXPECT_EQ(p1::fdAdvise(*w.ctx, w.mem, 0, 0, 0, 0), Errno::Badf);
  EXPECT_EQ(p1::fdAllocate(*w.ctx, w.mem, 0, 0, 1), Errno::Badf);
  EXPECT_EQ(p1::fdFilestatSetTimes(*w.ctx, w.mem, 2, 0, 0, fstflags::kMtimNow), Errno::Badf);
}

TEST(WasiStdio, FdstatHasNoSeekRightsSoIsattyWorks) {
  WasiEnv w;
  Filetype t;
  uint64_t base = 0;
  ASSERT_EQ(w.fdstat(1, &t, nullptr, &base), Errno::Success);
  EXPECT_EQ(t, Filetype::Unknown);  // a memory buffer is no terminal
  EXPECT_EQ(base & (rights::kFdSeek | rights::kFdTell), 0u);
  EXPECT_NE(base & rights::kFdWrite, 0u);
  ASSERT_EQ(w.fdstat(0, &t, nullptr, &base), Errno::Success);
  EXPECT_NE(base & rights::kFdRead, 0u);
}

TEST(WasiStdio, FlagsOfAStreamAreRememberedButSyncIsInval) {
  WasiEnv w;
  uint16_t flags = 0;
  EXPECT_EQ(p1::fdFdstatSetFlags(*w.ctx, w.mem, 0, fdflags::kNonblock), Errno::Success);
  ASSERT_EQ(w.fdstat(0, nullptr, &flags), Errno::Success);
  EXPECT_EQ(flags, fdflags::kNonblock);
  EXPECT_EQ(p1::fdFdstatSetFlags(*w.ctx, w.mem, 1, fdflags::kDsync), Errno::Inval);
}

TEST(WasiStdio, FilestatOfAStreamIsZeroesWithItsType) {
  WasiEnv w;
  uint32_t out = w.alloc(64);
  ASSERT_EQ(p1::fdFilestatGet(*w.ctx, w.mem, 1, out), Errno::Success);
  Filestat s = w.filestatAt(out);
  EXPECT_EQ(s.size, 0u);
  EXPECT_EQ(s.type, Filetype::Unknown);
}

TEST(WasiStdio, HostStreamWritesEverythingToAPipe) {
  // A pipe takes 64 KiB at a time: the stream keeps writing until all 100000 bytes are out.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string got;
  std::thread reader([&] {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
  });
  {
    HostStream s(fds[1], false, true);
    std::string data(100000, 'x');
    IoBuffer b(reinterpret_cast<uint8_t*>(data.data()), data.size());
    auto n = s.write(std::span<const IoBuffer>(&b, 1));
    EXPECT_EQ(n.value_or(0), 100000u);
    EXPECT_EQ(s.read(std::span<const IoBuffer>(&b, 1)).error(), Errno::Badf);  // write-only
  }
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  EXPECT_EQ(got.size(), 100000u);
}

// --- descriptor table ---

TEST(WasiFdTable, BadDescriptorsAreBadf) {
  WasiEnv w;
  uint32_t out = w.alloc(64);
  EXPECT_EQ(p1::fdClose(*w.ctx, w.mem, 77), Errno::Badf);
  EXPECT_EQ(p1::fdFdstatGet(*w.ctx, w.mem, 77, out), Errno::Badf);
  EXPECT_EQ(p1::fdFilestatGet(*w.ctx, w.mem, 0xffffffffu, out), Errno::Badf);
  EXPECT_EQ(w.write(9, "x"), Errno::Badf);
  EXPECT_EQ(w.read(9, nullptr), Errno::Badf);
}

TEST(WasiFdTable, ClosedDescriptorIsBadfAndItsNumberIsReused) {
  WasiEnv w;
  uint32_t a, b, c;
  ASSERT_EQ(w.open("a", &a, oflags::kCreat), Errno::Success);
  ASSERT_EQ(w.open("b", &b, oflags::kCreat), Errno::Success);
  EXPECT_EQ(a, 4u);
  EXPECT_EQ(b, 5u);
  EXPECT_EQ(p1::fdClose(*w.ctx, w.mem, a), Errno::Success);
  EXPECT_EQ(p1::fdClose(*w.ctx, w.mem, a), Errno::Badf);
  ASSERT_EQ(w.open("c", &c, oflags::kCreat), Errno::Success);
  EXPECT_EQ(c, a);
}

TEST(WasiFdTable, PreopenCanBeClosed) {
  WasiEnv w;
  EXPECT_EQ(p1::fdClose(*w.ctx, w.mem, 3), Errno::Success);
  EXPECT_EQ(w.fdstat(3, nullptr), Errno::Badf);
  uint32_t out = w.alloc(8);
  EXPECT_EQ(p1::fdPrestatGet(*w.ctx, w.mem, 3, out), Errno::Badf);
}

TEST(WasiFdTable, RenumberMovesAndClosesTheTarget) {
  WasiEnv w;
  uint32_t a, b;
  ASSERT_EQ(w.create("f1", "one"), Errno::Success);
  ASSERT_EQ(w.create("f2", "two"), Errno::Success);
  ASSERT_EQ(w.open("f1", &a, 0, rights::kFdRead), Errno::Success);
  ASSERT_EQ(w.open("f2", &b, 0, rights::kFdRead), Errno::Success);
  ASSERT_EQ(p1::fdRenumber(*w.ctx, w.mem, a, b), Errno::Success);
  EXPECT_EQ(p1::fdClose(*w.ctx, w.mem, a), Errno::Badf);
  std::string got;
  ASSERT_EQ(w.read(b, &got), Errno::Success);
  EXPECT_EQ(got, "one");
  // Renumbering onto a closed descriptor is EBADF (wasi-testsuite renumber).
  EXPECT_EQ(p1::fdRenumber(*w.ctx, w.mem, b, a), Errno::Badf);
  EXPECT_EQ(p1::fdRenumber(*w.ctx, w.mem, 99, b), Errno::Badf);
  EXPECT_EQ(p1::fdRenumber(*w.ctx, w.mem, b, b), Errno::Success);
}

TEST(WasiFdTable, TooManyOpenDescriptorsIsMfile) {
  WasiConfig c;
  c.maxOpenFds = 5;
  auto fs = MemFilesystem::create();
  c.preopens.push_back(PreopenDir{"/", fs->root(), false});
  auto ctx = *WasiCtx::create(std::move(c));
  std::vector<uint8_t> bytes(4096);
  GuestMemory mem(bytes);
  std::memcpy(bytes.data() + 100, "f", 1);
  EXPECT_EQ(p1::pathOpen(*ctx, mem, 3, 0, 100, 1, oflags::kCreat, 0, 0, 0, 200), Errno::Success);
  EXPECT_EQ(p1::pathOpen(*ctx, mem, 3, 0, 100, 1, 0, 0, 0, 0, 200), Errno::Mfile);
}

TEST(WasiPrestat, DescribesThePreopen) {
  WasiEnv w(EnvOptions{.guestPath = "/data"});
  uint32_t out = w.alloc(8);
  ASSERT_EQ(p1::fdPrestatGet(*w.ctx, w.mem, 3, out), Errno::Success);
  EXPECT_EQ(w.memory[out], 0);  // preopentype::dir
  EXPECT_EQ(w.load<uint32_t>(out + 4), 5u);
  uint32_t name = w.alloc(16);
  ASSERT_EQ(p1::fdPrestatDirName(*w.ctx, w.mem, 3, name, 16), Errno::Success);
  EXPECT_EQ(w.bytes(name, 5), "/data");
  EXPECT_EQ(p1::fdPrestatDirName(*w.ctx, w.mem, 3, name, 4), Errno::Nametoolong);
  EXPECT_EQ(p1::fdPrestatDirName(*w.ctx, w.mem, 3, 0xfffffffeu, 16), Errno::Fault);
}

TEST(WasiPrestat, NonPreopensAreBadfOrNotdir) {
  WasiEnv w;
  uint32_t out = w.alloc(8);
  EXPECT_EQ(p1::fdPrestatGet(*w.ctx, w.mem, 1, out), Errno::Badf);
  EXPECT_EQ(p1::fdPrestatGet(*w.ctx, w.mem, 4, out), Errno::Badf);  // past the last: wasi-libc stops here
  EXPECT_EQ(p1::fdPrestatDirName(*w.ctx, w.mem, 1, out, 8), Errno::Notdir);
  EXPECT_EQ(p1::fdPrestatDirName(*w.ctx, w.mem, 4, out, 8), Errno::Badf);
}

// --- files, on every backend ---

class WasiFile : public ::testing::TestWithParam<Backend> {
 protected:
  WasiEnv w{EnvOptions{.backend = GetParam()}};
};

TEST_P(WasiFile, WriteThenReadBack) {
  uint32_t fd;
  ASSERT_EQ(w.open("f.txt", &fd, oflags::kCreat), Errno::Success);
  ASSERT_EQ(w.write(fd, "hello, file"), Errno::Success);
  EXPECT_EQ(w.readAll("f.txt"), "hello, file");
}

TEST_P(WasiFile, SeekTellAndWhence) {
  uint32_t fd;
  ASSERT_EQ(w.create("f", "0123456789"), Errno::Success);
  ASSERT_EQ(w.open("f", &fd, 0, rights::kFdRead | rights::kFdSeek | rights::kFdTell), Errno::Success);
  uint32_t out = w.alloc(8);
  ASSERT_EQ(p1::fdSeek(*w.ctx, w.mem, fd, 3, 0, out), Errno::Success);
  EXPECT_EQ(w.load<uint64_t>(out), 3u);
  ASSERT_EQ(p1::fdSeek(*w.ctx, w.mem, fd, static_cast<uint64_t>(int64_t{2}), 1, out), Errno::Success);
  EXPECT_EQ(w.load<uint64_t>(out), 5u);
  std::string got;
  ASSERT_EQ(w.read(fd, &got, 2), Errno::Success);
  EXPECT_EQ(got, "56");
  ASSERT_EQ(p1::fdTell(*w.ctx, w.mem, fd, out), Errno::Success);
  EXPECT_EQ(w.load<uint64_t>(out), 7u);
  ASSERT_EQ(p1::fdSeek(*w.ctx, w.mem, fd, static_cast<uint64_t>(int64_t{-4}), 2, out), Errno::Success);
  EXPECT_EQ(w.load<uint64_t>(out), 6u);
  // Past the end is allowed; before the start is EINVAL; an unknown whence is EINVAL.
  ASSERT_EQ(p1::fdSeek(*w.ctx, w.mem, fd, 100, 0, out), Errno::Success);
  EXPECT_EQ(p1::fdSeek(*w.ctx, w.mem, fd, static_cast<uint64_t>(int64_t{-1}), 0, out), Errno::Inval);
  EXPECT_EQ(p1::fdSeek(*w.ctx, w.mem, fd, 0, 3, out), Errno::Inval);
}

TEST_P(WasiFile, SeekRequiresTheSeekRightButTellOnlyNeedsTell) {
  uint32_t fd;
  ASSERT_EQ(w.create("f", "abc"), Errno::Success);
  ASSERT_EQ(w.open("f", &fd, 0, rights::kFdRead | rights::kFdTell), Errno::Success);
  uint32_t out = w.alloc(8);
  EXPECT_EQ(p1::fdSeek(*w.ctx, w.mem, fd, 1, 0, out), Errno::Notcapable);
  EXPECT_EQ(p1::fdSeek(*w.ctx, w.mem, fd, 0, 1, out), Errno::Success);  // fd_tell's right covers this
  EXPECT_EQ(p1::fdTell(*w.ctx, w.mem, fd, out), Errno::Success);
}

TEST_P(WasiFile, PreadAndPwriteLeaveThePosition) {
  uint32_t fd;
  ASSERT_EQ(w.open("f", &fd, oflags::kCreat), Errno::Success);
  ASSERT_EQ(w.write(fd, "abcdef"), Errno::Success);
  uint32_t data = w.put("XY"), v = w.iov(data, 2), out = w.alloc(8);
  ASSERT_EQ(p1::fdPwrite(*w.ctx, w.mem, fd, v, 1, 1, out), Errno::Success);
  EXPECT_EQ(w.load<uint32_t>(out), 2u);
  ASSERT_EQ(p1::fdTell(*w.ctx, w.mem, fd, out), Errno::Success);
  EXPECT_EQ(w.load<uint64_t>(out), 6u);
  uint32_t buf = w.alloc(4), rv = w.iov(buf, 4);
  ASSERT_EQ(p1::fdPread(*w.ctx, w.mem, fd, rv, 1, 0, out), Errno::Success);
  EXPECT_EQ(w.bytes(buf, w.load<uint32_t>(out)), "aXYd");
  ASSERT_EQ(p1::fdPread(*w.ctx, w.mem, fd, rv, 1, 100, out), Errno::Success);
  EXPECT_EQ(w.load<uint32_t>(out), 0u);  // past the end: nothing, no error
}

TEST_P(WasiFile, ScatterReadFillsBuffersInOrder) {
  uint32_t fd;
  ASSERT_EQ(w.create("f", "abcdefgh"), Errno::Success);
  ASSERT_EQ(w.open("f", &fd, 0, rights::kFdRead), Errno::Success);
  uint32_t a = w.alloc(3), b = w.alloc(10), arr = w.alloc(16), out = w.alloc(4);
  w.store<uint32_t>(arr, a);
  w.store<uint32_t>(arr + 4, 3);
  w.store<uint32_t>(arr + 8, b);
  w.store<uint32_t>(arr + 12, 10);
  ASSERT_EQ(p1::fdRead(*w.ctx, w.mem, fd, arr, 2, out), Errno::Success);
  EXPECT_EQ(w.load<uint32_t>(out), 8u);
  EXPECT_EQ(w.bytes(a, 3), "abc");
  EXPECT_EQ(w.bytes(b, 5), "defgh");
}

TEST_P(WasiFile, AppendModeWritesAtTheEnd) {
  uint32_t fd;
  ASSERT_EQ(w.create("log", "start;"), Errno::Success);
  ASSERT_EQ(w.open("log", &fd, 0, rights::kAll, fdflags::kAppend), Errno::Success);
  uint32_t out = w.alloc(8);
  ASSERT_EQ(p1::fdSeek(*w.ctx, w.mem, fd, 0, 0, out), Errno::Success);
  ASSERT_EQ(w.write(fd, "more;"), Errno::Success);
  EXPECT_EQ(w.readAll("log"), "start;more;");
  uint16_t flags = 0;
  ASSERT_EQ(w.fdstat(fd, nullptr, &flags), Errno::Success);
  EXPECT_EQ(flags, fdflags::kAppend);
  // Turning append off makes writes go to the position again (wasi-testsuite fd_flags_set).
  ASSERT_EQ(p1::fdFdstatSetFlags(*w.ctx, w.mem, fd, 0), Errno::Success);
  ASSERT_EQ(p1::fdSeek(*w.ctx, w.mem, fd, 0, 0, out), Errno::Success);
  ASSERT_EQ(w.write(fd, "S"), Errno::Success);
  EXPECT_EQ(w.readAll("log"), "Start;more;");
}

TEST_P(WasiFile, SetFlagsRejectsSyncFlagsAndUnknownBits) {
  uint32_t fd;
  ASSERT_EQ(w.open("f", &fd, oflags::kCreat), Errno::Success);
  EXPECT_EQ(p1::fdFdstatSetFlags(*w.ctx, w.mem, fd, fdflags::kSync), Errno::Inval);
  EXPECT_EQ(p1::fdFdstatSetFlags(*w.ctx, w.mem, fd, 0x20), Errno::Inval);
  EXPECT_EQ(p1::fdFdstatSetFlags(*w.ctx, w.mem, fd, fdflags::kNonblock), Errno::Success);
  EXPECT_EQ(p1::fdFdstatSetFlags(*w.ctx, w.mem, 3, 0), Errno::Badf);  // a directory
}

TEST_P(WasiFile, RightsCanOnlyBeDropped) {
  uint32_t fd;
  ASSERT_EQ(w.open("f", &fd, oflags::kCreat, rights::kFdRead | rights::kFdWrite | rights::kFdSeek), Errno::Success);
  uint64_t base;
  ASSERT_EQ(w.fdstat(fd, nullptr, nullptr, &base), Errno::Success);
  EXPECT_EQ(base, rights::kFdRead | rights::kFdWrite | rights::kFdSeek);
  ASSERT_EQ(p1::fdFdstatSetRights(*w.ctx, w.mem, fd, rights::kFdSeek, 0), Errno::Success);
  EXPECT_EQ(w.write(fd, "x"), Errno::Notcapable);
  EXPECT_EQ(w.read(fd, nullptr), Errno::Notcapable);
  EXPECT_EQ(p1::fdFdstatSetRights(*w.ctx, w.mem, fd, rights::kFdSeek | rights::kFdRead, 0), Errno::Notcapable);
  EXPECT_EQ(p1::fdFdstatSetRights(*w.ctx, w.mem, fd, 1ull << 40, 0), Errno::Inval);
}

TEST_P(WasiFile, OpenGetsOnlyTheRightsTheDirectoryPassesOn) {
  // Drop FD_WRITE from what the pre-opened directory may pass on: files opened beneath it
  // silently lack it (the spec lets path_open return fewer rights).
  uint64_t base, inh;
  ASSERT_EQ(w.fdstat(3, nullptr, nullptr, &base, &inh), Errno::Success);
  ASSERT_EQ(p1::fdFdstatSetRights(*w.ctx, w.mem, 3, base, inh & ~rights::kFdWrite), Errno::Success);
  uint32_t fd;
  ASSERT_EQ(w.open("f", &fd, oflags::kCreat), Errno::Success);
  uint64_t got;
  ASSERT_EQ(w.fdstat(fd, nullptr, nullptr, &got), Errno::Success);
  EXPECT_EQ(got & rights::kFdWrite, 0u);
  EXPECT_NE(got & rights::kFdRead, 0u);
  EXPECT_EQ(w.write(fd, "x"), Errno::Notcapable);
}

TEST_P(WasiFile, FilestatOfFileAndDirectory) {
  uint32_t fd;
  ASSERT_EQ(w.create("f", "12345"), Errno::Success);
  ASSERT_EQ(w.open("f", &fd, 0, rights::kFdRead | rights::kFdFilestatGet), Errno::Success);
  uint32_t out = w.alloc(64);
  ASSERT_EQ(p1::fdFilestatGet(*w.ctx, w.mem, fd, out), Errno::Success);
  Filestat s = w.filestatAt(out);
  EXPECT_EQ(s.type, Filetype::RegularFile);
  EXPECT_EQ(s.size, 5u);
  EXPECT_EQ(s.nlink, 1u);
  Filestat byPath;
  ASSERT_EQ(w.stat("f", &byPath), Errno::Success);
  EXPECT_EQ(byPath.ino, s.ino);
  EXPECT_EQ(byPath.dev, s.dev);
  ASSERT_EQ(p1::fdFilestatGet(*w.ctx, w.mem, 3, out), Errno::Success);
  EXPECT_EQ(w.filestatAt(out).type, Filetype::Directory);
  EXPECT_EQ(p1::fdFilestatGet(*w.ctx, w.mem, fd, static_cast<uint32_t>(w.memory.size()) - 8), Errno::Fault);
}

TEST_P(WasiFile, SetSizeTruncatesAndExtendsWithZeros) {
  uint32_t fd;
  ASSERT_EQ(w.create("f", "abcdef"), Errno::Success);
  ASSERT_EQ(w.open("f", &fd, 0), Errno::Success);
  ASSERT_EQ(p1::fdFilestatSetSize(*w.ctx, w.mem, fd, 3), Errno::Success);
  EXPECT_EQ(w.readAll("f"), "abc");
  ASSERT_EQ(p1::fdFilestatSetSize(*w.ctx, w.mem, fd, 5), Errno::Success);
  EXPECT_EQ(w.readAll("f"), std::string("abc\0\0", 5));
  EXPECT_EQ(p1::fdFilestatSetSize(*w.ctx, w.mem, 3, 0), Errno::Badf);  // directory
}

TEST_P(WasiFile, SetTimesValidatesFlags) {
  uint32_t fd;
  ASSERT_EQ(w.open("f", &fd, oflags::kCreat), Errno::Success);
  EXPECT_EQ(p1::fdFilestatSetTimes(*w.ctx, w.mem, fd, 0, 0, fstflags::kAtim | fstflags::kAtimNow), Errno::Inval);
  EXPECT_EQ(p1::fdFilestatSetTimes(*w.ctx, w.mem, fd, 0, 0, fstflags::kMtim | fstflags::kMtimNow), Errno::Inval);
  EXPECT_EQ(p1::fdFilestatSetTimes(*w.ctx, w.mem, fd, 0, 0, 0x10), Errno::Inval);
  const uint64_t t = 1'234'567'890'123'456'789ull;
  ASSERT_EQ(p1::fdFilestatSetTimes(*w.ctx, w.mem, fd, t, t + 1000, fstflags::kAtim | fstflags::kMtim),
            Errno::Success);
  Filestat s;
  ASSERT_EQ(w.stat("f", &s), Errno::Success);
  EXPECT_EQ(s.atim, t);
  EXPECT_EQ(s.mtim, t + 1000);
  // Only mtim: atim stays.
  ASSERT_EQ(p1::fdFilestatSetTimes(*w.ctx, w.mem, fd, 0, t + 5, fstflags::kMtim), Errno::Success);
  ASSERT_EQ(w.stat("f", &s), Errno::Success);
  EXPECT_EQ(s.atim, t);
  EXPECT_EQ(s.mtim, t + 5);
  // The directory itself.
  ASSERT_EQ(p1::fdFilestatSetTimes(*w.ctx, w.mem, 3, 0, t, fstflags::kMtim), Errno::Success);
  ASSERT_EQ(w.stat(".", &s), Errno::Success);
  EXPECT_EQ(s.mtim, t);
}

TEST_P(WasiFile, AllocateExtendsButNeverShrinks) {
  uint32_t fd;
  ASSERT_EQ(w.open("f", &fd, oflags::kCreat), Errno::Success);
  ASSERT_EQ(p1::fdAllocate(*w.ctx, w.mem, fd, 0, 100), Errno::Success);
  Filestat s;
  ASSERT_EQ(w.stat("f", &s), Errno::Success);
  EXPECT_EQ(s.size, 100u);
  ASSERT_EQ(p1::fdAllocate(*w.ctx, w.mem, fd, 10, 10), Errno::Success);
  ASSERT_EQ(w.stat("f", &s), Errno::Success);
  EXPECT_EQ(s.size, 100u);
  ASSERT_EQ(p1::fdAllocate(*w.ctx, w.mem, fd, 90, 20), Errno::Success);
  ASSERT_EQ(w.stat("f", &s), Errno::Success);
  EXPECT_EQ(s.size, 110u);
  EXPECT_EQ(p1::fdAllocate(*w.ctx, w.mem, 3, 0, 1), Errno::Badf);
}

TEST_P(WasiFile, AdviseSyncAndDatasync) {
  uint32_t fd;
  ASSERT_EQ(w.open("f", &fd, oflags::kCreat), Errno::Success);
  EXPECT_EQ(p1::fdAdvise(*w.ctx, w.mem, fd, 0, 100, static_cast<uint32_t>(Advice::Sequential)), Errno::Success);
  EXPECT_EQ(p1::fdAdvise(*w.ctx, w.mem, fd, 0, 100, 6), Errno::Inval);
  EXPECT_EQ(p1::fdSync(*w.ctx, w.mem, fd), Errno::Success);
  EXPECT_EQ(p1::fdDatasync(*w.ctx, w.mem, fd), Errno::Success);
  EXPECT_EQ(p1::fdSync(*w.ctx, w.mem, 3), Errno::Badf);  // directories: Wasmtime's EBADF
}

TEST_P(WasiFile, DirectoryDescriptorRefusesFileOperations) {
  // wasi-testsuite dir_fd_op_failures.
  std::string got;
  EXPECT_EQ(w.read(3, &got), Errno::Badf);
  EXPECT_EQ(w.write(3, "x"), Errno::Badf);
  uint32_t out = w.alloc(8);
  EXPECT_EQ(p1::fdSeek(*w.ctx, w.mem, 3, 0, 1, out), Errno::Badf);
  EXPECT_EQ(p1::fdTell(*w.ctx, w.mem, 3, out), Errno::Badf);
  uint32_t v = w.iov(w.alloc(8), 8);
  EXPECT_EQ(p1::fdPread(*w.ctx, w.mem, 3, v, 1, 0, out), Errno::Badf);
}

TEST_P(WasiFile, ReadIntoMemoryPastTheEndIsFault) {
  uint32_t fd;
  ASSERT_EQ(w.create("f", "data"), Errno::Success);
  ASSERT_EQ(w.open("f", &fd, 0, rights::kFdRead), Errno::Success);
  uint32_t v = w.iov(static_cast<uint32_t>(w.memory.size()) - 2, 4), out = w.alloc(4);
  EXPECT_EQ(p1::fdRead(*w.ctx, w.mem, fd, v, 1, out), Errno::Fault);
  EXPECT_EQ(p1::fdRead(*w.ctx, w.mem, fd, 0xfffffff8u, 2, out), Errno::Fault);
}

INSTANTIATE_TEST_SUITE_P(Backends, WasiFile,
                         ::testing::Values(Backend::Memory, Backend::HostOpenat2, Backend::HostManual),
                         testing::backendName);

}  // namespace
}  // namespace bantam::wasi
