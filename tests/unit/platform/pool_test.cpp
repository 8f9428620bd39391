// The instance pool: every acquired instance is fresh (globals, memory, tables, segments, start
// function), whatever the previous request on the same slot did.
#include <gtest/gtest.h>

#include "interp/interpreter.h"
#include "runtime/host_func.h"
#include "runtime/pool.h"
#include "wasm/text/wat.h"

namespace bantam::runtime {
namespace {

constexpr std::string_view kStateful = R"((module
  (import "host" "note" (func $note (param i32)))
  (memory (export "memory") 1 4)
  (data (i32.const 16) "\05")
  (global $g (mut i32) (i32.const 100))
  (global $started (mut i32) (i32.const 0))
  (table $t 2 10 funcref)
  (elem (i32.const 0) $f0)
  (elem $passive func $f1)
  (data $pd "zz")
  (func $f0 (result i32) (i32.const 7))
  (func $f1 (result i32) (i32.const 8))
  (func $start (global.set $started (i32.add (global.get $started) (i32.const 1))))
  (start $start)
  (func (export "bump") (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (i32.store8 (i32.const 16) (i32.add (i32.load8_u (i32.const 16)) (i32.const 1)))
    (call $note (global.get $g))
    (i32.add (i32.mul (global.get $g) (i32.const 1000)) (i32.load8_u (i32.const 16))))
  (func (export "started") (result i32) (global.get $started))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "write_at") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "read_at") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "table_set") (table.set $t (i32.const 1) (ref.func $f1)))
  (func (export "slot1_is_null") (result i32) (ref.is_null (table.get $t (i32.const 1))))
  (func (export "table_grow") (result i32) (table.grow $t (ref.null func) (i32.const 3)))
  (func (export "table_size") (result i32) (table.size $t))
  (func (export "elem_drop") (elem.drop $passive))
  (func (export "table_init") (table.init $t $passive (i32.const 1) (i32.const 0) (i32.const 1)))
  (func (export "data_drop") (data.drop $pd))
  (func (export "data_init") (memory.init $pd (i32.const 32) (i32.const 0) (i32.const 2)))
))";

class PoolTest : public ::testing::Test {
 protected:
  PoolTest() : engine_(interp::createInterpreter()), hostStore_(engine_) {
    note_ = createTypedHostFunc(hostStore_, "host.note", [this](Caller& caller, int32_t v) {
      notes_.push_back(v);
      callers_.push_back(&caller.store());
    });
  }

  std::unique_ptr<InstancePool> makePool(std::string_view wat, PoolOptions options = {}, StoreLimits limits = {}) {
    auto bytes = wasm::text::parseWat(wat);
    EXPECT_TRUE(bytes) << bytes.error().toString();
    auto module = compileModule(engine_, *bytes, "test");
    EXPECT_TRUE(module) << module.error().toString();
    std::vector<Extern> imports;
    for (const wasm::Import& i : (*module)->module.imports) {
      (void)i;
      imports.push_back(Extern::of(note_));
    }
    auto pre = InstancePre::create(engine_, *module, imports, limits);
    EXPECT_TRUE(pre) << pre.error().toString();
    auto pool = InstancePool::create(*pre, options);
    EXPECT_TRUE(pool) << pool.error().toString();
    return std::move(*pool);
  }

  static int32_t call(PooledInstance& inst, std::string_view name, std::vector<Value> args = {}) {
    FuncInst* f = inst.instance().exportedFunc(name);
    EXPECT_NE(f, nullptr) << name;
    auto r = inst.store().call(*f, args);
    EXPECT_TRUE(r) << name << ": " << r.error().message;
    return r && !r->empty() ? static_cast<int32_t>((*r)[0].raw.i32) : 0;
  }

  static bool traps(PooledInstance& inst, std::string_view name) {
    return !inst.store().call(*inst.instance().exportedFunc(name), std::span<const Value>());
  }

  static Value i32(int32_t v) { return Value::i32(v); }

  Engine engine_;
  Store hostStore_;
  FuncInst* note_ = nullptr;
  std::vector<int32_t> notes_;
  std::vector<Store*> callers_;
};

TEST_F(PoolTest, GlobalAndMemoryCellAreFreshForEveryInstance) {
  auto pool = makePool(kStateful);
  for (int i = 0; i < 5; ++i) {
    auto inst = pool->acquire();
    ASSERT_TRUE(inst);
    ASSERT_TRUE(inst->start());
    EXPECT_EQ(call(*inst, "bump"), 101 * 1000 + 6) << "request " << i;
  }
  EXPECT_EQ(pool->stats().slots, 1u) << "the slot is recycled, not rebuilt";
}

TEST_F(PoolTest, StartFunctionRunsOncePerInstance) {
  auto pool = makePool(kStateful);
  for (int i = 0; i < 3; ++i) {
    auto inst = pool->acquire();
    ASSERT_TRUE(inst->start());
    EXPECT_EQ(call(*inst, "started"), 1);
  }
}

TEST_F(PoolTest, GrownMemoryIsShrunkAndZeroedAgain) {
  auto pool = makePool(kStateful);
  {
    auto inst = pool->acquire();
    EXPECT_EQ(call(*inst, "grow"), 1);
    EXPECT_EQ(call(*inst, "size"), 2);
    call(*inst, "write_at", {i32(70000), i32(1234)});
  }
  auto inst = pool->acquire();
  EXPECT_EQ(call(*inst, "size"), 1);
  EXPECT_TRUE(!inst->store().call(*inst->instance().exportedFunc("read_at"), std::vector<Value>{i32(70000)}))
      << "the grown page is gone";
  EXPECT_EQ(call(*inst, "grow"), 1);
  EXPECT_EQ(call(*inst, "read_at", {i32(70000)}), 0) << "grown again, it reads as zero";
}

TEST_F(PoolTest, WrittenPagesGetTheImageBack) {
  auto pool = makePool(kStateful);
  {
    auto inst = pool->acquire();
    call(*inst, "write_at", {i32(60000), i32(42)});
    call(*inst, "write_at", {i32(12), i32(-1)});
    call(*inst, "write_at", {i32(16), i32(0x01020304)});
  }
  auto inst = pool->acquire();
  EXPECT_EQ(call(*inst, "read_at", {i32(60000)}), 0);
  EXPECT_EQ(call(*inst, "read_at", {i32(12)}), 0);
  EXPECT_EQ(call(*inst, "read_at", {i32(16)}), 5) << "the data segment's byte";
}

TEST_F(PoolTest, ManyWrittenPagesAreDroppedAndStillRestored) {
  // 8 MiB of initial memory with a data segment at the end: writing every page of it takes
  // the madvise path of the reset (more pages than are copied back one by one).
  auto pool = makePool(R"((module
    (memory (export "memory") 128)
    (data (i32.const 8388600) "image")
    (func (export "fill") (local $a i32)
      (loop $l
        (i32.store (local.get $a) (i32.const -1))
        (local.set $a (i32.add (local.get $a) (i32.const 4096)))
        (br_if $l (i32.lt_u (local.get $a) (i32.const 8388608)))))
    (func (export "read_at") (param i32) (result i32) (i32.load (local.get 0)))))");
  {
    auto inst = pool->acquire();
    call(*inst, "fill");
    EXPECT_EQ(call(*inst, "read_at", {i32(4096 * 100)}), -1);
  }
  auto inst = pool->acquire();
  EXPECT_EQ(call(*inst, "read_at", {i32(4096 * 100)}), 0);
  EXPECT_EQ(call(*inst, "read_at", {i32(8388600)}), 0x67616d69) << "\"imag\" from the image";
}

TEST_F(PoolTest, TablesAndSegmentsAreReset) {
  auto pool = makePool(kStateful);
  {
    auto inst = pool->acquire();
    call(*inst, "table_set");
    EXPECT_EQ(call(*inst, "slot1_is_null"), 0);
    EXPECT_EQ(call(*inst, "table_grow"), 2);
    EXPECT_EQ(call(*inst, "table_size"), 5);
    call(*inst, "elem_drop");
    call(*inst, "data_drop");
    EXPECT_TRUE(traps(*inst, "table_init")) << "a dropped segment has no elements";
  }
  auto inst = pool->acquire();
  EXPECT_EQ(call(*inst, "slot1_is_null"), 1);
  EXPECT_EQ(call(*inst, "table_size"), 2);
  EXPECT_FALSE(traps(*inst, "table_init")) << "the passive element segment is back";
  EXPECT_FALSE(traps(*inst, "data_init")) << "the passive data segment is back";
}

TEST_F(PoolTest, InstancesInFlightTogetherAreIsolated) {
  auto pool = makePool(kStateful);
  auto a = pool->acquire();
  auto b = pool->acquire();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(call(*a, "bump"), 101006);
  EXPECT_EQ(call(*a, "bump"), 102007);
  EXPECT_EQ(call(*b, "bump"), 101006);
  EXPECT_EQ(pool->stats().inFlight, 2u);
}

TEST_F(PoolTest, HostFunctionsAreSharedAndSeeTheCallingStore) {
  auto pool = makePool(kStateful);
  auto a = pool->acquire();
  auto b = pool->acquire();
  call(*a, "bump");
  call(*b, "bump");
  ASSERT_EQ(callers_.size(), 2u);
  EXPECT_EQ(callers_[0], &a->store());
  EXPECT_EQ(callers_[1], &b->store());
  EXPECT_NE(callers_[0], callers_[1]);
}

TEST_F(PoolTest, MaxInstancesInFlightIsALimit) {
  PoolOptions options;
  options.maxInstances = 2;
  auto pool = makePool(kStateful, options);
  auto a = pool->acquire();
  auto b = pool->acquire();
  auto c = pool->acquire();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::Limit);
  a->reset();
  EXPECT_TRUE(pool->acquire()) << "a returned instance can be had again";
}

TEST_F(PoolTest, PrewarmBuildsSlotsUpFront) {
  PoolOptions options;
  options.prewarm = 3;
  auto pool = makePool(kStateful, options);
  EXPECT_EQ(pool->stats().slots, 3u);
  EXPECT_EQ(pool->stats().inFlight, 0u);
}

TEST_F(PoolTest, MemoryMinimumAboveTheLimitFailsAtPrepare) {
  auto bytes = wasm::text::parseWat("(module (memory 2))");
  auto module = compileModule(engine_, *bytes, "big");
  StoreLimits limits;
  limits.maxMemoryBytes = 65536;
  auto pre = InstancePre::create(engine_, *module, {}, limits);
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().kind, ErrorKind::Limit);
}

TEST_F(PoolTest, GrowingPastTheLimitFails) {
  StoreLimits limits;
  limits.maxMemoryBytes = 2 * 65536;
  auto pool = makePool(kStateful, {}, limits);
  auto inst = pool->acquire();
  EXPECT_EQ(call(*inst, "grow"), 1);
  EXPECT_EQ(call(*inst, "grow"), -1);
}

TEST_F(PoolTest, ImportedMemoryIsUnsupported) {
  auto bytes = wasm::text::parseWat(R"((module (import "env" "memory" (memory 1))))");
  auto module = compileModule(engine_, *bytes, "imports-memory");
  auto memory = hostStore_.createMemory(wasm::MemoryType{wasm::Limits{1, std::nullopt}});
  ASSERT_TRUE(memory);
  auto pre = InstancePre::create(engine_, *module, {Extern::of(*memory)}, {});
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().kind, ErrorKind::Unsupported);
}

TEST_F(PoolTest, DataSegmentOutsideTheMemoryFailsAtPrepare) {
  auto bytes = wasm::text::parseWat(R"((module (memory 1) (data (i32.const 65535) "ab")))");
  auto module = compileModule(engine_, *bytes, "oob");
  auto pre = InstancePre::create(engine_, *module, {}, {});
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().message, "out of bounds memory access");
}

}  // namespace
}  // namespace bantam::runtime
