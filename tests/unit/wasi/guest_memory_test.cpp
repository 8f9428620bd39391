// Guest memory access: every pointer and length checked, hostile sizes refused.
#include "wasi/guest_memory.h"

#include <gtest/gtest.h>

#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

TEST(GuestMemory, AccessPastTheEndIsFault) {
  std::vector<uint8_t> bytes(100);
  GuestMemory mem(bytes);
  EXPECT_TRUE(mem.load<uint32_t>(96).has_value());
  EXPECT_EQ(mem.load<uint32_t>(97).error(), Errno::Fault);
  EXPECT_EQ(mem.store<uint64_t>(0xffffffffu, 1).error(), Errno::Fault);
  EXPECT_EQ(mem.slice(50, 51).error(), Errno::Fault);
  EXPECT_TRUE(mem.slice(100, 0).has_value());
  EXPECT_EQ(mem.slice(101, 0).error(), Errno::Fault);
}

TEST(GuestMemory, EmptyMemoryFaultsEverything) {
  GuestMemory mem;
  EXPECT_EQ(mem.load<uint8_t>(0).error(), Errno::Fault);
  EXPECT_EQ(mem.string(0, 1).error(), Errno::Fault);
}

TEST(GuestMemory, StringsMustBeUtf8WithoutNul) {
  std::vector<uint8_t> bytes(64);
  GuestMemory mem(bytes);
  std::memcpy(bytes.data(), "h\xc3\xa9llo", 6);
  EXPECT_EQ(*mem.string(0, 6), "h\xc3\xa9llo");
  bytes[1] = 0xc3;
  bytes[2] = 0x28;  // invalid continuation
  EXPECT_EQ(mem.string(0, 6).error(), Errno::Ilseq);
  std::memcpy(bytes.data(), "ab\0cd", 5);
  EXPECT_EQ(mem.string(0, 5).error(), Errno::Inval);
}

TEST(GuestMemory, Utf8RejectsOverlongAndSurrogates) {
  EXPECT_TRUE(isValidUtf8("\xf0\x9f\x98\x80"));
  EXPECT_FALSE(isValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(isValidUtf8("\xe2\x82"));          // truncated
}

TEST(GuestMemory, HugePathIsNameTooLongBeforeCopying) {
  std::vector<uint8_t> bytes(kMaxPathBytes + 10, 'a');
  GuestMemory mem(bytes);
  EXPECT_EQ(mem.string(0, kMaxPathBytes + 1).error(), Errno::Nametoolong);
  EXPECT_TRUE(mem.string(0, kMaxPathBytes).has_value());
}

TEST(GuestMemory, IovecArrayOutsideMemoryIsFault) {
  std::vector<uint8_t> bytes(64);
  GuestMemory mem(bytes);
  EXPECT_EQ(mem.iovecs(60, 1).error(), Errno::Fault);
  // A count whose array would wrap around 32 bits.
  EXPECT_EQ(mem.iovecs(8, 0x20000000u).error(), Errno::Fault);
}

TEST(GuestMemory, IovecBufferOutsideMemoryIsFault) {
  std::vector<uint8_t> bytes(64);
  GuestMemory mem(bytes);
  uint32_t buf = 40, len = 30;  // 40 + 30 > 64
  std::memcpy(bytes.data(), &buf, 4);
  std::memcpy(bytes.data() + 4, &len, 4);
  EXPECT_EQ(mem.iovecs(0, 1).error(), Errno::Fault);
  len = 24;
  std::memcpy(bytes.data() + 4, &len, 4);
  auto v = mem.iovecs(0, 1);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ((*v)[0].size(), 24u);
}

TEST(GuestMemory, IovecCountIsCappedAtIovMax) {
  std::vector<uint8_t> bytes(64 * 1024);
  GuestMemory mem(bytes);  // all-zero iovecs: {0, 0}
  auto v = mem.iovecs(0, 4000);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->size(), kMaxIovecs);
}

TEST(GuestMemory, OverlappingIovecsAreCappedInTotal) {
  // 1024 iovecs each covering all 4 MiB of memory add up to 4 GiB, which would not fit the
  // $size result: the list is cut at kMaxIoBytes.
  std::vector<uint8_t> bytes(4 << 20);
  GuestMemory mem(bytes);
  for (uint32_t i = 0; i < 1024; ++i) {
    uint32_t b = 0, l = 4 << 20;
    std::memcpy(bytes.data() + 8 * i, &b, 4);
    std::memcpy(bytes.data() + 8 * i + 4, &l, 4);
  }
  auto v = mem.iovecs(0, 1024);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(totalLength(*v), kMaxIoBytes);
}

TEST(Errno, NamesAndHostMapping) {
  EXPECT_EQ(errnoName(Errno::Success), "success");
  EXPECT_EQ(errnoName(Errno::Notcapable), "notcapable");
  EXPECT_EQ(static_cast<int>(Errno::Notcapable), 76);
  EXPECT_EQ(static_cast<int>(Errno::Noent), 44);
  EXPECT_EQ(errnoFromHost(ENOENT), Errno::Noent);
  EXPECT_EQ(errnoFromHost(EXDEV), Errno::Xdev);
  EXPECT_EQ(errnoFromHost(12345), Errno::Io);
}

}  // namespace
}  // namespace bantam::wasi
