// Linear memories and tables: reservation, growth, limits (§4.2.7, §4.2.8, §4.4.6, §4.4.7).
#include <gtest/gtest.h>

#include "runtime/objects.h"

namespace bantam::runtime {
namespace {

constexpr uint64_t kPage = wasm::kPageSize;

std::unique_ptr<MemoryInst> memory(uint64_t min, std::optional<uint64_t> max = {},
                                   uint64_t limit = uint64_t{4} << 30) {
  auto m = MemoryInst::create(wasm::MemoryType{{min, max}}, limit);
  EXPECT_TRUE(m.has_value()) << m.error().toString();
  return std::move(*m);
}

TEST(Memory, InitialPagesAreCommittedAndZero) {
  auto m = memory(2);
  ASSERT_EQ(m->sizeBytes, 2 * kPage);
  EXPECT_EQ(m->pages(), 2u);
  EXPECT_EQ(m->base[0], 0);
  EXPECT_EQ(m->base[2 * kPage - 1], 0);
  m->base[2 * kPage - 1] = 7;  // writable up to the last byte
  EXPECT_EQ(m->bytes().back(), 7);
}

TEST(Memory, EmptyMemoryHasAStableBase) {
  auto m = memory(0);
  EXPECT_NE(m->base, nullptr);
  EXPECT_EQ(m->sizeBytes, 0u);
}

TEST(Memory, GrowReturnsOldSizeAndAddsZeroPages) {
  auto m = memory(1);
  uint8_t* base = m->base;
  EXPECT_EQ(m->grow(3), 1);
  EXPECT_EQ(m->pages(), 4u);
  EXPECT_EQ(m->type.limits.min, 4u);  // the type tracks the current size
  EXPECT_EQ(m->base, base);           // the reservation never moves
  for (uint64_t i = kPage; i < 4 * kPage; i += 4096) EXPECT_EQ(m->base[i], 0);
  m->base[4 * kPage - 1] = 1;
}

TEST(Memory, GrowByZeroReturnsCurrentSize) {
  auto m = memory(3);
  EXPECT_EQ(m->grow(0), 3);
  EXPECT_EQ(m->pages(), 3u);
}

TEST(Memory, GrowPastTheTypesMaximumFails) {
  auto m = memory(1, 2);
  EXPECT_EQ(m->grow(2), -1);
  EXPECT_EQ(m->pages(), 1u);
  EXPECT_EQ(m->grow(1), 1);
  EXPECT_EQ(m->grow(1), -1);
}

TEST(Memory, GrowPast4GiBFails) {
  auto m = memory(0);
  EXPECT_EQ(m->grow(wasm::kMaxPages32 + 1), -1);
  EXPECT_EQ(m->grow(UINT64_MAX), -1);
  EXPECT_EQ(m->pages(), 0u);
}

TEST(Memory, GrowToTheFull4GiBSucceeds) {
  // Committing is lazy (MAP_NORESERVE), so this costs address space, not memory.
  auto m = memory(0);
  EXPECT_EQ(m->grow(wasm::kMaxPages32), 0);
  EXPECT_EQ(m->sizeBytes, uint64_t{4} << 30);
  m->base[m->sizeBytes - 1] = 1;
}

TEST(Memory, GrowPastTheStoreLimitFails) {
  auto m = memory(1, std::nullopt, 4 * kPage);
  EXPECT_EQ(m->grow(3), 1);
  EXPECT_EQ(m->grow(1), -1);
  EXPECT_EQ(m->pages(), 4u);
}

TEST(Memory, InitialSizeAboveTheStoreLimitIsALimitError) {
  auto m = MemoryInst::create(wasm::MemoryType{{5, std::nullopt}}, 4 * kPage);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().kind, ErrorKind::Limit);
}

TEST(Table, StartsWithMinimumElementsOfTheInitValue) {
  int marker = 0;
  TableInst t(wasm::TableType{wasm::ValType::ExternRef, {3, std::nullopt}}, &marker);
  ASSERT_EQ(t.size(), 3u);
  for (void* e : t.elems) EXPECT_EQ(e, &marker);
}

TEST(Table, GrowReturnsOldSizeAndFillsWithInit) {
  TableInst t(wasm::TableType{wasm::ValType::FuncRef, {1, std::nullopt}}, nullptr);
  int marker = 0;
  EXPECT_EQ(t.grow(2, &marker, 100), 1);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.elems[0], nullptr);
  EXPECT_EQ(t.elems[2], &marker);
  EXPECT_EQ(t.type.limits.min, 3u);
}

TEST(Table, GrowPastTheMaximumFails) {
  TableInst t(wasm::TableType{wasm::ValType::FuncRef, {1, 2}}, nullptr);
  EXPECT_EQ(t.grow(2, nullptr, 100), -1);
  EXPECT_EQ(t.grow(1, nullptr, 100), 1);
  EXPECT_EQ(t.size(), 2u);
}

TEST(Table, GrowPastTheStoreLimitFails) {
  TableInst t(wasm::TableType{wasm::ValType::FuncRef, {0, std::nullopt}}, nullptr);
  EXPECT_EQ(t.grow(11, nullptr, 10), -1);
}

TEST(Table, GrowPastTwoToThe32MinusOneElementsFails) {
  TableInst t(wasm::TableType{wasm::ValType::FuncRef, {1, std::nullopt}}, nullptr);
  EXPECT_EQ(t.grow(UINT32_MAX, nullptr, UINT64_MAX), -1);
  EXPECT_EQ(t.size(), 1u);
}

}  // namespace
}  // namespace bantam::runtime
