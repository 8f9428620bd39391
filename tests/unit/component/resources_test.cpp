// Resources across the component boundary (CanonicalABI.md "Handle types", "Resource state"):
// host resources given to and lent to a guest, a guest-defined resource used by the host, and
// the ownership rules: a dropped or moved handle is invalid, a borrow must end before return.
#include "guest_fixture.h"

namespace bantam::component {
namespace {

using testing::GuestInstance;

class Resources : public ::testing::Test {
 protected:
  void SetUp() override {
    BANTAM_GUEST_OR_SKIP(bytes, "values");
    auto loaded = g.load(bytes);
    ASSERT_TRUE(loaded) << loaded.error().message << " " << loaded.error().context;
  }
  GuestInstance g;
};

TEST_F(Resources, GuestCreatesReadsAndDropsAHostResource) {
  auto r = g.call("blob-roundtrip", {Value::string("payload")});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(std::string(r->bytes().begin(), r->bytes().end()), "payload");
  EXPECT_EQ(g.host.droppedBlobs.size(), 1u);  // the guest's drop ran the host destructor
  EXPECT_TRUE(g.host.blobs.empty());
}

TEST_F(Resources, BorrowedHandleIsLentForTheCall) {
  g.host.blobs[42] = "abc";
  auto r = g.call("blob-size", {Value::borrow(g.host.blob, 42)});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->asU32(), 3u);
  EXPECT_TRUE(g.host.droppedBlobs.empty());  // dropping a borrow never runs the destructor
}

TEST_F(Resources, OwnedHandleMovesIntoTheGuest) {
  g.host.blobs[7] = "four";
  auto r = g.call("take-blob", {Value::own(g.host.blob, 7)});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->asU32(), 4u);
  ASSERT_EQ(g.host.droppedBlobs.size(), 1u);
  EXPECT_EQ(g.host.droppedBlobs[0], 7u);
}

TEST_F(Resources, BorrowKeptPastReturnTraps) {
  g.host.blobs[1] = "x";
  auto r = g.call("leak-borrow", {Value::borrow(g.host.blob, 1)});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("borrow"), std::string::npos) << r.error().message;
}

TEST_F(Resources, DroppedHandleIsInvalid) {
  g.host.blobs[3] = "x";
  auto r = g.call("use-after-drop", {Value::own(g.host.blob, 3)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, runtime::TrapKind::CanonicalAbi) << r.error().message;
}

TEST_F(Resources, MovedHandleIsInvalid) {
  auto r = g.call("move-then-use", {Value::string("moved")});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, runtime::TrapKind::CanonicalAbi) << r.error().message;
  ASSERT_EQ(g.host.consumed.size(), 1u);
}

TEST_F(Resources, TrapPoisonsTheInstance) {
  g.host.blobs[3] = "x";
  ASSERT_FALSE(g.call("use-after-drop", {Value::own(g.host.blob, 3)}));
  EXPECT_TRUE(g.inst->poisoned());
  EXPECT_FALSE(g.call("echo-u32", {Value::u32(1)}));
}

TEST_F(Resources, HostUsesAGuestDefinedResource) {
  auto c = g.call("[constructor]counter", {Value::u32(10)});
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->kind(), ValKind::Own);
  ASSERT_TRUE(c->resourceType());
  EXPECT_FALSE(c->resourceType()->isHost());
  Value self = Value::borrow(c->resourceType(), c->rep());
  auto inc = g.call("[method]counter.increment", {self});
  ASSERT_TRUE(inc) << inc.error().message;
  EXPECT_EQ(inc->asU32(), 11u);
  auto get = g.call("[method]counter.get", {self});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->asU32(), 11u);
  auto dropped = g.inst->dropResource(*c);
  ASSERT_TRUE(dropped) << dropped.error().message;
  auto n = g.call("counters-dropped", {});
  ASSERT_TRUE(n);
  EXPECT_EQ(n->asU32(), 1u);  // the guest's destructor ran
}

TEST_F(Resources, GuestResourceDroppedTwiceIsAnError) {
  auto c = g.call("[constructor]counter", {Value::u32(1)});
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(g.inst->dropResource(*c));
  EXPECT_FALSE(g.inst->dropResource(*c));
}

TEST_F(Resources, HostResourceOfTheWrongTypeIsRejected) {
  ResourceType other;
  other.name = "other";
  EXPECT_FALSE(g.call("blob-size", {Value::borrow(&other, 1)}));
}

TEST(ResourcesDtor, HostDestructorIsToldWhichInstanceDropped) {
  BANTAM_GUEST_OR_SKIP(bytes, "values");
  GuestInstance g;
  g.host.instanceDtor = true;
  ASSERT_TRUE(g.load(bytes));
  ASSERT_TRUE(g.call("blob-roundtrip", {Value::string("abc")}));
  ASSERT_EQ(g.host.droppedIn.size(), 1u);
  EXPECT_EQ(g.host.droppedIn[0], g.inst.get());
}

}  // namespace
}  // namespace bantam::component
