// Memories, globals and tables through the public API.
#include <gtest/gtest.h>

#include "bantam/bantam.h"

namespace {

using namespace bantam;

struct Env {
  explicit Env(std::string_view wat, StoreLimits limits = {}) : store(engine, limits), linker(engine) {
    auto m = Module::fromText(engine, wat);
    EXPECT_TRUE(m.has_value()) << m.error().toString();
    auto i = linker.instantiate(store, *m);
    EXPECT_TRUE(i.has_value()) << i.error().toString();
    instance = *i;
  }
  Engine engine;
  Store store;
  Linker linker;
  std::optional<Instance> instance;
};

TEST(ApiMemory, ReadAndWriteWithinBounds) {
  Env env(R"((module (memory (export "memory") 1) (data (i32.const 4) "abc")))");
  Memory mem = *env.instance->memory();
  EXPECT_EQ(mem.size(), 65536u);
  EXPECT_EQ(mem.pages(), 1u);
  EXPECT_EQ(*mem.readString(4, 3), "abc");
  const uint8_t bytes[] = {1, 2, 3};
  ASSERT_TRUE(mem.write(65533, bytes).has_value());  // ends exactly at the end
  uint8_t back[3];
  ASSERT_TRUE(mem.read(65533, back).has_value());
  EXPECT_EQ(back[2], 3);
}

TEST(ApiMemory, OutOfBoundsAccessIsAnError) {
  Env env(R"((module (memory (export "memory") 1)))");
  Memory mem = *env.instance->memory();
  uint8_t buf[4];
  auto r = mem.read(65533, buf);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "out of bounds memory access");
  EXPECT_FALSE(mem.writeString(UINT64_MAX, "x").has_value());  // no overflow of offset + length
  EXPECT_FALSE(mem.readString(0, UINT64_MAX).has_value());      // checked before allocating
}

TEST(ApiMemory, GrowRespectsTheStoreLimit) {
  StoreLimits limits;
  limits.maxMemoryBytes = 2 * 65536;
  Env env(R"((module (memory (export "memory") 1)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))))", limits);
  Memory mem = *env.instance->memory();
  EXPECT_EQ(mem.grow(1), 1u);
  EXPECT_EQ(mem.grow(1), std::nullopt);
  EXPECT_EQ(*env.instance->call<int32_t>("grow", 1), -1);  // the guest sees memory.grow fail
  EXPECT_EQ(mem.size(), 2 * 65536u);
}

TEST(ApiMemory, GuestWritesAreVisibleToTheHost) {
  Env env(R"((module (memory (export "memory") 1)
             (func (export "poke") (i32.store (i32.const 100) (i32.const 0x01020304)))))");
  ASSERT_TRUE(env.instance->call("poke").has_value());
  Memory mem = *env.instance->memory();
  EXPECT_EQ(mem.data()[100], 0x04);  // little-endian
}

TEST(ApiGlobal, GetAndSet) {
  Env env(R"((module (global (export "g") (mut i32) (i32.const 5)) (global (export "c") f64 (f64.const 1.5))
             (func (export "read") (result i32) (global.get 0))))");
  Global g = *env.instance->global("g");
  EXPECT_EQ(g.get().i32(), 5);
  ASSERT_TRUE(g.set(Val::i32(9)).has_value());
  EXPECT_EQ(*env.instance->call<int32_t>("read"), 9);
  EXPECT_FALSE(g.set(Val::i64(1)).has_value());  // wrong type
  Global c = *env.instance->global("c");
  EXPECT_EQ(c.get().f64(), 1.5);
  EXPECT_FALSE(c.set(Val::f64(2)).has_value());  // immutable
}

TEST(ApiTable, FuncrefsAreCallable) {
  Env env(R"((module (table (export "t") 2 funcref)
             (func $seven (result i32) (i32.const 7))
             (elem (i32.const 1) $seven)))");
  Table t = *env.instance->table("t");
  EXPECT_EQ(t.size(), 2u);
  EXPECT_TRUE(t.get(0)->isNull());
  auto f = t.get(1)->asFunc();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(*f->call<int32_t>(), 7);
  EXPECT_FALSE(t.get(2).has_value());
  ASSERT_TRUE(t.set(0, Val::funcref(*f)).has_value());
  EXPECT_EQ(t.grow(3, Val::nullRef(ValType::FuncRef)), 2u);
  EXPECT_EQ(t.size(), 5u);
  EXPECT_FALSE(t.set(0, Val::externref(nullptr)).has_value());  // wrong reference type
}

TEST(ApiInstance, ExportsAreListedInOrder) {
  Env env(R"((module (func (export "b")) (memory (export "a") 1)))");
  auto exports = env.instance->exports();
  ASSERT_EQ(exports.size(), 2u);
  EXPECT_EQ(exports[0].name, "b");
  EXPECT_EQ(exports[1].name, "a");
  EXPECT_FALSE(env.instance->func("a").has_value());  // wrong kind
  EXPECT_TRUE(env.instance->getExport("a").has_value());
}

TEST(ApiVal, ToString) {
  EXPECT_EQ(Val::i32(-1).toString(), "i32:-1");
  EXPECT_EQ(Val::nullRef(ValType::ExternRef).toString(), "externref:null");
  EXPECT_STREQ(valTypeName(ValType::V128), "v128");
}

}  // namespace
