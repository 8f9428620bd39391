// The host side of WASI 0.2 without a guest: the resource table, the stream objects behind
// wasi:io, the context's checks and current-context scopes, method names and component
// detection.
#include <gtest/gtest.h>

#include "wasi/streams.h"
#include "wasi2/http.h"
#include "wasi2/runner.h"

namespace bantam::wasi2 {
namespace {

struct Thing : HostObject {
  int n = 0;
};
struct Other : HostObject {};

TEST(ResourceTable, GetChecksTheObjectType) {
  ResourceTable t;
  auto thing = std::make_shared<Thing>();
  thing->n = 7;
  uint32_t rep = t.add(thing);
  ASSERT_NE(t.get<Thing>(rep), nullptr);
  EXPECT_EQ(t.get<Thing>(rep)->n, 7);
  EXPECT_EQ(t.get<Other>(rep), nullptr);
  EXPECT_EQ(t.get<Thing>(rep + 1), nullptr);
}

TEST(ResourceTable, RemovedSlotsAreEmptyAndReused) {
  ResourceTable t;
  uint32_t a = t.add(std::make_shared<Thing>());
  uint32_t b = t.add(std::make_shared<Thing>());
  EXPECT_NE(a, b);
  EXPECT_NE(t.remove(a), nullptr);
  EXPECT_EQ(t.get<Thing>(a), nullptr);
  EXPECT_EQ(t.remove(a), nullptr);  // a second drop finds nothing
  EXPECT_EQ(t.add(std::make_shared<Other>()), a);
  EXPECT_EQ(t.liveCount(), 2u);
}

TEST(ResourceTable, RepsCarryTheTableBase) {
  ResourceTable a(1u << ResourceTable::kIndexBits), b(2u << ResourceTable::kIndexBits);
  uint32_t ra = a.add(std::make_shared<Thing>());
  uint32_t rb = b.add(std::make_shared<Thing>());
  EXPECT_NE(ra, rb);
  EXPECT_NE(a.get<Thing>(ra), nullptr);
  EXPECT_EQ(a.get<Thing>(rb), nullptr);  // another table's rep
  EXPECT_EQ(a.remove(rb), nullptr);
  EXPECT_NE(b.get<Thing>(rb), nullptr);
}

TEST(Wasi2Ctx, ARepNamesItsContext) {
  auto a = Wasi2Ctx::create(nullptr, {});
  auto b = Wasi2Ctx::create(nullptr, {});
  ASSERT_TRUE(a && b);
  uint32_t ra = (*a)->table().add(std::make_shared<Thing>());
  uint32_t rb = (*b)->table().add(std::make_shared<Thing>());
  EXPECT_EQ(Wasi2Ctx::ofRep(ra), a->get());
  EXPECT_EQ(Wasi2Ctx::ofRep(rb), b->get());
  Wasi2Ctx* gone = b->get();
  b->reset();
  EXPECT_NE(Wasi2Ctx::ofRep(rb), gone);  // released with its context
}

TEST(Wasi2Streams, MemoryInputReadsInChunksThenIsClosed) {
  MemoryInputStream s(std::make_shared<const std::string>("hello world"));
  auto a = s.read(5, false);
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, "hello");
  auto b = s.read(100, true);
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, " world");
  auto c = s.read(1, false);
  ASSERT_FALSE(c);
  EXPECT_TRUE(c.error().closed);
}

TEST(Wasi2Streams, FileOutputWritesToTheFile) {
  auto buffer = std::make_shared<wasi::MemoryOutput::Buffer>();
  FileOutputStream s(std::make_shared<wasi::MemoryOutput>(buffer), std::nullopt, false);
  std::string text = "to stdout";
  ASSERT_TRUE(s.write(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
  EXPECT_EQ(buffer->contents(), "to stdout");
}

TEST(Wasi2Streams, OutputWithoutAFileDropsBytes) {
  FileOutputStream s(nullptr, std::nullopt, false);
  uint8_t byte = 1;
  EXPECT_TRUE(s.write(std::span(&byte, 1)));
}

TEST(Wasi2Http, BodyStreamStopsAtTheLimitAndAfterFinish) {
  auto body = std::make_shared<BodyBuffer>();
  body->limit = 4;
  BodyOutputStream s(body);
  std::string abc = "abc", de = "de";
  auto span = [](const std::string& x) { return std::span(reinterpret_cast<const uint8_t*>(x.data()), x.size()); };
  ASSERT_TRUE(s.write(span(abc)));
  auto over = s.write(span(de));
  ASSERT_FALSE(over);
  EXPECT_FALSE(over.error().closed);  // last-operation-failed
  body->finished = true;
  auto closed = s.write(span(abc));
  ASSERT_FALSE(closed);
  EXPECT_TRUE(closed.error().closed);
  EXPECT_EQ(body->data, "abc");
}

TEST(Wasi2Http, MethodsMapToTheirVariantCases) {
  EXPECT_EQ(methodCaseOf("GET"), 0u);
  EXPECT_EQ(methodCaseOf("PATCH"), 8u);
  EXPECT_EQ(methodCaseOf("PURGE"), 9u);  // other(string)
  EXPECT_EQ(methodName(2, ""), "POST");
  EXPECT_EQ(methodName(9, "PURGE"), "PURGE");
}

TEST(Wasi2Ctx, RejectsEnvironmentEntriesThatAreNotKeyValue) {
  Wasi2Config c;
  c.env = {"NOVALUE"};
  EXPECT_FALSE(Wasi2Ctx::create(nullptr, std::move(c)));
  Wasi2Config d;
  d.env = {"=x"};
  EXPECT_FALSE(Wasi2Ctx::create(nullptr, std::move(d)));
}

TEST(Wasi2Ctx, ScopesNestAndRestoreTheCurrentContext) {
  auto a = Wasi2Ctx::create(nullptr, {});
  auto b = Wasi2Ctx::create(nullptr, {});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(Wasi2Ctx::current(), nullptr);
  {
    Wasi2Ctx::Scope sa(**a);
    EXPECT_EQ(Wasi2Ctx::current(), a->get());
    {
      Wasi2Ctx::Scope sb(**b);
      EXPECT_EQ(Wasi2Ctx::current(), b->get());
    }
    EXPECT_EQ(Wasi2Ctx::current(), a->get());
  }
  EXPECT_EQ(Wasi2Ctx::current(), nullptr);
}

TEST(Wasi2Runner, TellsComponentsFromCoreModules) {
  const uint8_t component[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  const uint8_t core[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  EXPECT_TRUE(isComponentBinary(component));
  EXPECT_FALSE(isComponentBinary(core));
  EXPECT_FALSE(isComponentBinary(std::span(component, 4)));
}

}  // namespace
}  // namespace bantam::wasi2
