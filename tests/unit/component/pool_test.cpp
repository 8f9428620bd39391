// The component instance pool (component/instance_pool.h): a returned instance is reset to
// the state instantiation gave it (memories, globals, tables, handles, host data), so no state
// of one request is visible to the next; a trapped instance is destroyed, never reused.
#include <filesystem>

#include "component/instance_pool.h"
#include "component/wit/builtin.h"
#include "guest_fixture.h"
#include "runtime/pool.h"
#include "wasi2/http.h"
#include "wasi2/wasi2.h"

namespace bantam::component {
namespace {

using testing::TestHost;

// Everything of a component instance's core state that a request can change.
struct CoreState {
  std::vector<std::vector<uint8_t>> memories;
  std::vector<uint64_t> globals;
  std::vector<std::vector<void*>> tables;

  static CoreState of(const ComponentInstance& inst) {
    CoreState s;
    for (runtime::ModuleInst* core : inst.coreInstances()) {
      const wasm::Module& m = core->module->module;
      for (size_t i = m.numImportedMemories; i < core->memories.size(); ++i) {
        auto bytes = core->memories[i]->bytes();
        s.memories.emplace_back(bytes.begin(), bytes.end());
      }
      for (size_t i = m.numImportedGlobals; i < core->globals.size(); ++i) s.globals.push_back(core->globals[i]->value.i64);
      for (size_t i = m.numImportedTables; i < core->tables.size(); ++i) s.tables.push_back(core->tables[i]->elems);
    }
    return s;
  }
  bool operator==(const CoreState&) const = default;
};

class Pool : public ::testing::Test {
 protected:
  // A pool of `name` (a component of the test world, or compose_lib) with the test host.
  void make(const std::string& name, ComponentPoolOptions options = {}) {
    auto bytes = testing::guestBytes(name);
    if (!bytes) GTEST_SKIP() << "component guest " << name << ".wasm was not built (needs npm, node, clang-19)";
    auto compiled = compileComponent(engine, *bytes, name + ".wasm");
    ASSERT_TRUE(compiled) << compiled.error().message;
    if (name != "compose_lib") ASSERT_TRUE(host.define(linker));
    auto pre = linker.prepare(*compiled);
    ASSERT_TRUE(pre) << pre.error().message;
    auto p = ComponentPool::create(engine, *pre, {}, options);
    ASSERT_TRUE(p) << p.error().message;
    pool = std::move(*p);
  }
  PooledComponent lease() {
    auto l = pool->acquire();
    EXPECT_TRUE(l) << l.error().message;
    return l ? std::move(*l) : PooledComponent();
  }
  static runtime::TrapOr<Value> call(PooledComponent& l, std::string_view iface, std::string_view fn,
                                     std::vector<Value> args = {}) {
    auto f = l->func(iface, fn);
    EXPECT_TRUE(f) << "no export " << fn;
    if (!f) return abiFail<Value>("no export");
    return l->call(*f, std::span<const Value>(args));
  }

  runtime::Engine engine{interp::createInterpreter()};
  TestHost host;
  ComponentLinker linker;
  std::unique_ptr<ComponentPool> pool;
};

constexpr const char* kText = "bantam:compose/text@0.1.0";
constexpr const char* kValues = "bantam:test/values@0.1.0";

TEST_F(Pool, ReturnedInstanceIsReusedWithItsGuestStateReset) {
  make("compose_lib");
  if (!pool) return;
  ComponentInstance* first = nullptr;
  {
    PooledComponent l = lease();
    first = &l.instance();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(call(l, kText, "shout", {Value::string("hi")}));
    auto calls = call(l, kText, "calls");
    ASSERT_TRUE(calls);
    EXPECT_EQ(calls->asU32(), 3u);
  }
  PooledComponent l = lease();
  EXPECT_EQ(&l.instance(), first);  // no new instantiation
  auto calls = call(l, kText, "calls");
  ASSERT_TRUE(calls);
  EXPECT_EQ(calls->asU32(), 0u);  // the static counter of the last request is gone
  EXPECT_EQ(pool->stats().slots, 1u);
}

TEST_F(Pool, MemoryWrittenByARequestIsRestored) {
  make("compose_lib");
  if (!pool) return;
  CoreState fresh;
  {
    PooledComponent l = lease();
    fresh = CoreState::of(l.instance());
    ASSERT_FALSE(fresh.memories.empty());
    runtime::MemoryInst* mem = nullptr;
    for (runtime::ModuleInst* core : l->coreInstances())
      if (!core->memories.empty()) mem = core->memories[0];
    ASSERT_NE(mem, nullptr);
    mem->base[0] = 0x5a;                    // a few pages: copied back from the image
    mem->base[mem->sizeBytes - 1] = 0x5a;
  }
  {
    PooledComponent l = lease();
    EXPECT_TRUE(CoreState::of(l.instance()) == fresh);
    for (runtime::ModuleInst* core : l->coreInstances())  // every page: dropped with madvise
      for (runtime::MemoryInst* m : core->memories) std::memset(m->base, 0xa5, m->sizeBytes);
  }
  PooledComponent l = lease();
  EXPECT_TRUE(CoreState::of(l.instance()) == fresh);
}

TEST_F(Pool, GrownMemoryShrinksBackToItsSizeAfterInstantiation) {
  make("compose_lib");
  if (!pool) return;
  uint64_t size = 0;
  {
    PooledComponent l = lease();
    runtime::MemoryInst* mem = nullptr;
    for (runtime::ModuleInst* core : l->coreInstances())
      if (!core->memories.empty()) mem = core->memories[0];
    ASSERT_NE(mem, nullptr);
    size = mem->sizeBytes;
    ASSERT_GE(mem->grow(2), 0);
    mem->base[size + 5] = 1;
  }
  PooledComponent l = lease();
  for (runtime::ModuleInst* core : l->coreInstances())
    if (!core->memories.empty()) {
      EXPECT_EQ(core->memories[0]->sizeBytes, size);
      EXPECT_EQ(core->memories[0]->grow(2), static_cast<int64_t>(size / wasm::kPageSize));
      EXPECT_EQ(core->memories[0]->base[size + 5], 0);  // the grown pages come back zeroed
    }
}

// Mutable globals are tested with the JS component below (the C guests have none).
void scribble(ComponentInstance& inst) {
  for (runtime::ModuleInst* core : inst.coreInstances()) {
    const wasm::Module& m = core->module->module;
    for (size_t i = m.numImportedGlobals; i < core->globals.size(); ++i)
      if (core->globals[i]->type.isMutable) core->globals[i]->value.i64 = 0x0badf00d;
    for (size_t i = m.numImportedTables; i < core->tables.size(); ++i) {
      runtime::TableInst* t = core->tables[i];
      if (t->size() > 0) t->elems[0] = t->elems[0] ? nullptr : core->funcs.at(0);
      t->grow(3, nullptr, UINT64_MAX);
    }
    for (size_t i = m.numImportedMemories; i < core->memories.size(); ++i) {
      runtime::MemoryInst* mem = core->memories[i];
      for (uint64_t at = 0; at < mem->sizeBytes; at += 64 * 1024) mem->base[at] ^= 0xff;
    }
  }
}

TEST_F(Pool, TablesAreRestored) {
  make("values");  // its shim and fixup core instances fill a table the main module imports
  if (!pool) return;
  CoreState fresh;
  {
    PooledComponent l = lease();
    fresh = CoreState::of(l.instance());
    ASSERT_FALSE(fresh.tables.empty());
    scribble(l.instance());
    EXPECT_FALSE(CoreState::of(l.instance()) == fresh);
  }
  PooledComponent l = lease();
  CoreState again = CoreState::of(l.instance());
  EXPECT_EQ(again.globals, fresh.globals);
  EXPECT_EQ(again.tables, fresh.tables);
  auto r = call(l, kValues, "greet", {Value::string("pool")});  // calls through the table still work
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->str(), "Hello, pool!");
}

TEST_F(Pool, HandlesHeldByTheHostDoNotOutliveTheRequest) {
  make("values");
  if (!pool) return;
  Value counter;
  {
    PooledComponent l = lease();
    auto c = call(l, kValues, "[constructor]counter", {Value::u32(41)});
    ASSERT_TRUE(c) << c.error().message;
    counter = *c;
    ASSERT_TRUE(call(l, kValues, "[method]counter.increment", {Value::borrow(counter.resourceType(), counter.rep())}));
  }  // given back while the host still owns the counter
  PooledComponent l = lease();
  auto dropped = l->dropResource(counter);
  EXPECT_FALSE(dropped);  // the handle belonged to the last request
  auto n = call(l, kValues, "counters-dropped");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->asU32(), 0u);
  auto c = call(l, kValues, "[constructor]counter", {Value::u32(1)});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(l->dropResource(*c));
}

TEST_F(Pool, HandlesLeftInTheGuestsTableAreGone) {
  make("values");
  if (!pool) return;
  const ResourceType* rt = nullptr;
  {
    PooledComponent l = lease();
    auto c = call(l, kValues, "[constructor]counter", {Value::u32(1)});
    ASSERT_TRUE(c) << c.error().message;
    rt = c->resourceType();
    ASSERT_NE(rt->impl, nullptr);
    // A handle the guest kept in its table past the request (as a guest holding a resource
    // in a global would), plus a borrow of a host blob.
    HandleEntry kept;
    kept.rt = rt;
    kept.rep = c->rep();
    kept.own = true;
    ASSERT_TRUE(rt->impl->handles.add(kept));
    HandleEntry blob;
    blob.rt = host.blob;
    blob.rep = 9;
    ASSERT_TRUE(rt->impl->handles.add(blob));
    EXPECT_EQ(rt->impl->handles.liveCount(), 2u);
  }
  PooledComponent l = lease();
  auto c = call(l, kValues, "[constructor]counter", {Value::u32(1)});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->resourceType(), rt);  // the same instance
  EXPECT_EQ(rt->impl->handles.liveCount(), 0u);
  EXPECT_FALSE(rt->impl->handles.get(1));  // index 1 again unknown: numbering starts afresh
}

TEST_F(Pool, TrappedInstanceIsDestroyedNotReused) {
  make("values");
  if (!pool) return;
  {
    PooledComponent l = lease();
    host.blobs[3] = "x";
    auto r = call(l, kValues, "use-after-drop", {Value::own(host.blob, 3)});
    ASSERT_FALSE(r);
    EXPECT_TRUE(l->poisoned());
  }
  EXPECT_EQ(pool->stats().discarded, 1u);
  EXPECT_EQ(pool->stats().slots, 0u);
  PooledComponent l = lease();  // a new instance
  EXPECT_FALSE(l->poisoned());
  EXPECT_EQ(pool->stats().slots, 1u);
  auto r = call(l, kValues, "echo-u32", {Value::u32(7)});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->asU32(), 7u);
}

TEST_F(Pool, HostDataAndStoreSettingsAreCleared) {
  make("compose_lib");
  if (!pool) return;
  int ctx = 0;
  {
    PooledComponent l = lease();
    l->hostData = &ctx;
    l.store().userData = &ctx;
    l.store().setEpochDeadline(5);
  }
  PooledComponent l = lease();
  EXPECT_EQ(l->hostData, nullptr);
  EXPECT_EQ(l.store().userData, nullptr);
  EXPECT_EQ(l.store().epochDeadline(), UINT64_MAX);
}

TEST_F(Pool, AcquireBeyondMaxInstancesIsALimitError) {
  make("compose_lib", ComponentPoolOptions{.maxInstances = 2, .prewarm = 0});
  if (!pool) return;
  PooledComponent a = lease(), b = lease();
  auto c = pool->acquire();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::Limit);
  EXPECT_NE(&a.instance(), &b.instance());
  EXPECT_EQ(pool->stats().inFlight, 2u);
}

TEST_F(Pool, ImportsFromAnotherComponentInstanceCannotBePooled) {
  auto lib = testing::guestBytes("compose_lib");
  auto app = testing::guestBytes("compose_app");
  if (!lib || !app) GTEST_SKIP() << "component guests were not built";
  auto libC = compileComponent(engine, *lib, "compose_lib.wasm");
  auto appC = compileComponent(engine, *app, "compose_app.wasm");
  ASSERT_TRUE(libC && appC);
  runtime::Store store(engine);
  ComponentLinker libLinker;
  auto provider = libLinker.instantiate(store, *libC);
  ASSERT_TRUE(provider);
  ASSERT_TRUE(linker.defineInstance(**provider, kText));
  auto pre = linker.prepare(*appC);
  ASSERT_TRUE(pre) << pre.error().message;
  auto p = ComponentPool::create(engine, *pre);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().kind, ErrorKind::Unsupported);
}

// The componentize-js hello component (12 MB, StarlingMonkey), pooled with the WASI 0.2 host.
class PoolJs : public ::testing::Test {
 protected:
  void SetUp() override {
    auto path = std::filesystem::path(BANTAM_BINARY_DIR) / "tests/guests/component/js/hello_http.wasm";
    auto bytes = testing::readFile(path.string());
    if (!bytes) GTEST_SKIP() << path << " was not built (node/npm missing?)";
    auto compiled = compileComponent(engine, *bytes, "hello_http.wasm");
    ASSERT_TRUE(compiled) << compiled.error().message;
    ASSERT_TRUE(linker.addInterfaces(wit::builtinInterfaces()));
    auto h = wasi2::defineWasi2(linker);
    ASSERT_TRUE(h) << h.error().message;
    host = *h;
    auto pre = linker.prepare(*compiled);
    ASSERT_TRUE(pre) << pre.error().message;
    auto p = ComponentPool::create(engine, *pre);
    ASSERT_TRUE(p) << p.error().message;
    pool = std::move(*p);
  }
  runtime::Engine engine{interp::createInterpreter()};
  ComponentLinker linker;
  std::shared_ptr<const wasi2::Wasi2Host> host;
  std::unique_ptr<ComponentPool> pool;
};

// Requests served by one pooled instance, whose whole core state after each request equals
// its state after instantiation.
TEST_F(PoolJs, RequestsThroughOnePooledInstanceLeaveNoState) {
  CoreState fresh;
  const char* paths[] = {"/hello", "/echo", "/hello"};
  for (int i = 0; i < 3; ++i) {
    auto l = pool->acquire();
    ASSERT_TRUE(l) << l.error().message;
    if (i == 0) fresh = CoreState::of(l->instance());
    else EXPECT_TRUE(CoreState::of(l->instance()) == fresh) << "state left by request " << i - 1;
    auto ctx = wasi2::Wasi2Ctx::create(host, {});
    ASSERT_TRUE(ctx);
    auto handle = (*l)->func("wasi:http/incoming-handler", "handle");
    ASSERT_TRUE(handle);
    wasi2::IncomingHttpRequest req;
    req.authority = "localhost:3000";
    req.pathWithQuery = paths[i];
    req.method = i == 1 ? "POST" : "GET";
    req.body = i == 1 ? "ping" : "";
    auto resp = wasi2::callIncomingHandler(l->instance(), **ctx, *handle, std::move(req));
    ASSERT_TRUE(resp) << (resp.error().trap ? resp.error().trap->message : resp.error().message);
    EXPECT_EQ(resp->status, i == 1 ? 201 : 200);
    EXPECT_EQ(resp->body, i == 1 ? "ping" : "Hello from JavaScript!\n");
    l->reset();  // the instance's handles die before the context that backs them
  }
  EXPECT_EQ(pool->stats().slots, 1u);
  EXPECT_EQ(pool->stats().acquired, 3u);
}

TEST_F(PoolJs, GlobalsTablesAndMemoriesAreRestored) {
  CoreState fresh;
  {
    auto l = pool->acquire();
    ASSERT_TRUE(l);
    fresh = CoreState::of(l->instance());
    scribble(l->instance());
    CoreState dirty = CoreState::of(l->instance());
    EXPECT_NE(dirty.globals, fresh.globals);
    EXPECT_NE(dirty.tables, fresh.tables);
    EXPECT_NE(dirty.memories, fresh.memories);
  }
  auto l = pool->acquire();
  ASSERT_TRUE(l);
  CoreState again = CoreState::of(l->instance());
  EXPECT_EQ(again.globals, fresh.globals);
  EXPECT_EQ(again.tables, fresh.tables);
  EXPECT_TRUE(again.memories == fresh.memories);
}

}  // namespace
}  // namespace bantam::component
