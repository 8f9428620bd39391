// defineWasi: all 46 functions with their witx signatures, called as host functions with the
// calling instance's memory; traps for proc_exit, interruption and a missing memory.
#include <gtest/gtest.h>

#include <map>

#include "runtime/instantiate.h"
#include "wasi/wasi_linker.h"
#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

// Host functions need no execution engine.
class NoEngine final : public runtime::ExecutionEngine {
 public:
  std::string_view name() const override { return "none"; }
  Result<std::unique_ptr<runtime::EngineCode>> compile(const wasm::Module&, std::span<const uint32_t>) override {
    return fail(ErrorKind::Unsupported, "no engine");
  }
  runtime::TrapOr<void> invoke(runtime::Store&, runtime::FuncInst&, std::span<runtime::RawVal>) override {
    return std::unexpected(runtime::Trap(runtime::TrapKind::Unreachable));
  }
};

// "params:results" with i = i32, I = i64, from wasi_snapshot_preview1.witx lowered to wasm32.
const std::map<std::string, std::string> kSignatures = {
    {"args_get", "ii:i"},           {"args_sizes_get", "ii:i"},          {"environ_get", "ii:i"},
    {"environ_sizes_get", "ii:i"},  {"clock_res_get", "ii:i"},           {"clock_time_get", "iIi:i"},
    {"fd_advise", "iIIi:i"},        {"fd_allocate", "iII:i"},            {"fd_close", "i:i"},
    {"fd_datasync", "i:i"},         {"fd_fdstat_get", "ii:i"},           {"fd_fdstat_set_flags", "ii:i"},
    {"fd_fdstat_set_rights", "iII:i"}, {"fd_filestat_get", "ii:i"},      {"fd_filestat_set_size", "iI:i"},
    {"fd_filestat_set_times", "iIIi:i"}, {"fd_pread", "iiiIi:i"},        {"fd_prestat_get", "ii:i"},
    {"fd_prestat_dir_name", "iii:i"}, {"fd_pwrite", "iiiIi:i"},          {"fd_read", "iiii:i"},
    {"fd_readdir", "iiiIi:i"},      {"fd_renumber", "ii:i"},             {"fd_seek", "iIii:i"},
    {"fd_sync", "i:i"},             {"fd_tell", "ii:i"},                 {"fd_write", "iiii:i"},
    {"path_create_directory", "iii:i"}, {"path_filestat_get", "iiiii:i"}, {"path_filestat_set_times", "iiiiIIi:i"},
    {"path_link", "iiiiiii:i"},     {"path_open", "iiiiiIIii:i"},        {"path_readlink", "iiiiii:i"},
    {"path_remove_directory", "iii:i"}, {"path_rename", "iiiiii:i"},     {"path_symlink", "iiiii:i"},
    {"path_unlink_file", "iii:i"},  {"poll_oneoff", "iiii:i"},           {"proc_exit", "i:"},
    {"proc_raise", "i:i"},          {"sched_yield", ":i"},               {"random_get", "ii:i"},
    {"sock_accept", "iii:i"},       {"sock_recv", "iiiiii:i"},           {"sock_send", "iiiii:i"},
    {"sock_shutdown", "ii:i"},
};

std::string signatureOf(const wasm::FuncType& t) {
  std::string s;
  for (wasm::ValType v : t.params) s += v == wasm::ValType::I64 ? 'I' : 'i';
  s += ':';
  for (wasm::ValType v : t.results) s += v == wasm::ValType::I64 ? 'I' : 'i';
  return s;
}

class WasiLinker : public ::testing::Test {
 protected:
  WasiLinker() : engine(std::make_unique<NoEngine>()), store(engine) {
    testing::EnvOptions o;
    o.args = {"prog", "arg"};
    env = std::make_unique<testing::WasiEnv>(o);
    defineWasi(store, linker, *env->ctx);
    instance = store.createInstance();
    memory = *store.createMemory(wasm::MemoryType{wasm::Limits{1, std::nullopt}});
    instance->exports.emplace("memory", runtime::Extern::of(memory));
  }
  runtime::FuncInst* func(const std::string& name) {
    auto e = linker.lookup("wasi_snapshot_preview1", name);
    return e ? e->func : nullptr;
  }
  runtime::TrapOr<void> call(const std::string& name, std::vector<uint64_t> args, runtime::ModuleInst* caller,
                             std::vector<runtime::RawVal>* cells) {
    runtime::FuncInst* f = func(name);
    cells->assign(std::max<size_t>(args.size(), 1), runtime::RawVal());
    for (size_t i = 0; i < args.size(); ++i) (*cells)[i].i64 = args[i];
    runtime::Caller c(store, caller);
    return f->host(c, *cells);
  }

  runtime::Engine engine;
  runtime::Store store;
  runtime::Linker linker;
  std::unique_ptr<testing::WasiEnv> env;
  runtime::ModuleInst* instance = nullptr;
  runtime::MemoryInst* memory = nullptr;
};

TEST_F(WasiLinker, DefinesAll46FunctionsWithWitxSignatures) {
  EXPECT_EQ(preview1FunctionNames().size(), 46u);
  EXPECT_EQ(kSignatures.size(), 46u);
  for (std::string_view n : preview1FunctionNames()) {
    std::string name(n);
    runtime::FuncInst* f = func(name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_TRUE(f->isHost());
    EXPECT_EQ(signatureOf(*f->type), kSignatures.at(name)) << name;
    EXPECT_EQ(f->hostName, "wasi_snapshot_preview1." + name);
  }
}

TEST_F(WasiLinker, CallsUseTheCallersExportedMemory) {
  std::memcpy(memory->base + 100, "\x00\x02\x00\x00\x05\x00\x00\x00", 8);  // iovec {512, 5}
  std::memcpy(memory->base + 512, "hello", 5);
  std::vector<runtime::RawVal> cells;
  ASSERT_TRUE(call("fd_write", {1, 100, 1, 200}, instance, &cells).has_value());
  EXPECT_EQ(cells[0].i32, 0u);
  uint32_t n;
  std::memcpy(&n, memory->base + 200, 4);
  EXPECT_EQ(n, 5u);
  EXPECT_EQ(env->out->contents(), "hello");
  ASSERT_TRUE(call("args_sizes_get", {300, 304}, instance, &cells).has_value());
  std::memcpy(&n, memory->base + 300, 4);
  EXPECT_EQ(n, 2u);
}

TEST_F(WasiLinker, ErrnoIsTheResult) {
  std::vector<runtime::RawVal> cells;
  ASSERT_TRUE(call("fd_close", {99}, instance, &cells).has_value());
  EXPECT_EQ(cells[0].i32, static_cast<uint32_t>(Errno::Badf));
  ASSERT_TRUE(call("fd_write", {1, 0xfffffff0u, 1, 0}, instance, &cells).has_value());
  EXPECT_EQ(cells[0].i32, static_cast<uint32_t>(Errno::Fault));
}

TEST_F(WasiLinker, MissingMemoryTrapsOnlyWhereMemoryIsNeeded) {
  runtime::ModuleInst* bare = store.createInstance();
  std::vector<runtime::RawVal> cells;
  auto r = call("fd_write", {1, 0, 0, 0}, bare, &cells);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, runtime::TrapKind::HostError);
  EXPECT_NE(r.error().message.find("memory"), std::string::npos);
  ASSERT_TRUE(call("sched_yield", {}, bare, &cells).has_value());
  ASSERT_TRUE(call("fd_close", {2}, nullptr, &cells).has_value());  // called by the host itself
  EXPECT_EQ(cells[0].i32, 0u);
}

TEST_F(WasiLinker, ProcExitTrapsWithTheStatus) {
  std::vector<runtime::RawVal> cells;
  auto r = call("proc_exit", {3}, instance, &cells);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, runtime::TrapKind::Exit);
  EXPECT_EQ(r.error().exitCode, 3);
}

TEST_F(WasiLinker, PollGivesUpWhenTheEpochDeadlinePassed) {
  // A one-hour sleep, with the store's deadline already reached: poll_oneoff traps.
  uint8_t sub[48] = {};
  uint64_t timeout = 3'600'000'000'000ull;
  sub[8] = 0;
  uint32_t id = 1;
  std::memcpy(sub + 16, &id, 4);
  std::memcpy(sub + 24, &timeout, 8);
  std::memcpy(memory->base + 1024, sub, sizeof sub);
  store.setEpochDeadline(1);
  engine.incrementEpoch();
  std::vector<runtime::RawVal> cells;
  auto r = call("poll_oneoff", {1024, 2048, 1, 4096}, instance, &cells);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, runtime::TrapKind::Interrupted);
}

TEST_F(WasiLinker, OnlyPreview1NamesAreDefined) {
  EXPECT_TRUE(linker.lookup("wasi_snapshot_preview1", "fd_write").has_value());
  EXPECT_FALSE(linker.lookup("wasi_snapshot_preview1", "fd_nonsense").has_value());
  EXPECT_FALSE(linker.lookup("wasi_unstable", "fd_write").has_value());
}


// `bantam run` defines only what the module imports (start-up: building all 46 host functions
// was a fifth of an empty run); what it defines is the same as defineWasi's.
TEST(WasiLinkerImports, DefinesOnlyTheImportedFunctions) {
  runtime::Engine engine(std::make_unique<NoEngine>());
  runtime::Store store(engine);
  runtime::Linker linker;
  testing::WasiEnv env;
  wasm::Module module;
  for (const char* name : {"fd_write", "proc_exit", "fd_write", "fd_nonsense"})
    module.imports.push_back(wasm::Import{"wasi_snapshot_preview1", name});
  module.imports.push_back(wasm::Import{"env", "args_get"});
  defineWasiImports(store, linker, *env.ctx, module);
  auto fdWrite = linker.lookup("wasi_snapshot_preview1", "fd_write");
  ASSERT_TRUE(fdWrite.has_value());
  EXPECT_EQ(signatureOf(*fdWrite->func->type), kSignatures.at("fd_write"));
  EXPECT_EQ(fdWrite->func->hostName, "wasi_snapshot_preview1.fd_write");
  EXPECT_TRUE(linker.lookup("wasi_snapshot_preview1", "proc_exit").has_value());
  EXPECT_FALSE(linker.lookup("wasi_snapshot_preview1", "args_get").has_value());
  EXPECT_FALSE(linker.lookup("wasi_snapshot_preview1", "fd_nonsense").has_value());
  EXPECT_FALSE(linker.lookup("env", "args_get").has_value());
}

}  // namespace
}  // namespace bantam::wasi
