// WASI 0.2 host: every declared WASI function is implemented, the outbound policy follows
// Spin's allowed_outbound_hosts, and real components (built by componentize-js) run: the
// JavaScript wasi:http hello answers requests through callIncomingHandler.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "api/engine_select.h"
#include "component/wit/builtin.h"
#include "runtime/store.h"
#include "wasi/streams.h"
#include "wasi2/http.h"
#include "wasi2/runner.h"

namespace bantam::wasi2 {
namespace {

using component::ComponentLinker;

std::unique_ptr<runtime::Engine> interpEngine() {
  engines::EngineSettings s;
  s.kind = engines::EngineKind::Interpreter;
  auto exec = engines::createExecutionEngine(s);
  EXPECT_TRUE(exec.has_value());
  return std::make_unique<runtime::Engine>(std::move(*exec));
}

std::vector<uint8_t> readBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

TEST(Wasi2, EveryStableWasiFunctionIsImplemented) {
  ComponentLinker linker;
  ASSERT_TRUE(linker.addInterfaces(wit::builtinInterfaces()));
  auto host = defineWasi2(linker);
  ASSERT_TRUE(host) << host.error().message;
  for (const char* iface : {"wasi:io/error", "wasi:io/poll", "wasi:io/streams", "wasi:clocks/monotonic-clock",
                            "wasi:clocks/wall-clock", "wasi:random/random", "wasi:random/insecure",
                            "wasi:random/insecure-seed", "wasi:cli/environment", "wasi:cli/exit", "wasi:cli/stdin",
                            "wasi:cli/stdout", "wasi:cli/stderr", "wasi:cli/terminal-stdin", "wasi:cli/terminal-stdout",
                            "wasi:cli/terminal-stderr", "wasi:filesystem/types", "wasi:filesystem/preopens",
                            "wasi:http/types", "wasi:http/outgoing-handler"}) {
    auto missing = linker.missingFuncs(versioned(iface));
    EXPECT_TRUE(missing.empty()) << iface << " lacks " << (missing.empty() ? "" : missing[0]);
  }
}

TEST(Wasi2, OutboundPolicyFollowsAllowedOutboundHosts) {
  OutboundPolicy p{{"http://localhost:3000", "https://*.example.com", "http://api.test"}};
  EXPECT_TRUE(p.allows("http", "localhost:3000"));
  EXPECT_FALSE(p.allows("http", "localhost:3001"));
  EXPECT_FALSE(p.allows("https", "localhost:3000"));
  EXPECT_TRUE(p.allows("https", "a.example.com"));
  EXPECT_FALSE(p.allows("https", "example.com"));
  EXPECT_TRUE(p.allows("http", "api.test"));      // default port 80
  EXPECT_TRUE(p.allows("http", "api.test:80"));
  EXPECT_FALSE(p.allows("http", "api.test:8080"));
  EXPECT_TRUE(OutboundPolicy{{"*://*:*"}}.allows("http", "anything:1"));
  EXPECT_FALSE(OutboundPolicy{}.allows("http", "localhost"));
}

class JsHello : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::path(BANTAM_BINARY_DIR) / "tests/guests/component/js/hello_http.wasm";
    if (!std::filesystem::exists(path_)) GTEST_SKIP() << path_ << " was not built (node/npm missing?)";
  }
  std::filesystem::path path_;
};

TEST_F(JsHello, ImportsAreUnlinkableWithoutTheWasiHost) {
  auto engine = interpEngine();
  auto bytes = readBytes(path_);
  auto compiled = component::compileComponent(*engine, bytes, "hello_http.wasm");
  ASSERT_TRUE(compiled) << compiled.error().message;
  ComponentLinker linker;  // declarations, no implementations
  ASSERT_TRUE(linker.addInterfaces(wit::builtinInterfaces()));
  auto pre = linker.prepare(*compiled);
  ASSERT_FALSE(pre);
  EXPECT_EQ(pre.error().kind, ErrorKind::Unlinkable);
  EXPECT_NE(pre.error().message.find("does not implement"), std::string::npos) << pre.error().message;
}

TEST_F(JsHello, CommandWritesToStdoutAndExitsZero) {
  auto cli = path_.parent_path() / "cli.wasm";
  if (!std::filesystem::exists(cli)) GTEST_SKIP() << cli << " was not built";
  auto engine = interpEngine();
  auto prepared = prepareWasi2(*engine, readBytes(cli), "cli.wasm");
  ASSERT_TRUE(prepared) << prepared.error().message;
  auto out = std::make_shared<wasi::MemoryOutput::Buffer>();
  Wasi2Config c;
  c.stdoutFile = std::make_unique<wasi::MemoryOutput>(out);
  runtime::Store store(*engine);
  auto status = runCommand(store, *prepared, std::move(c));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 0);
  EXPECT_EQ(out->contents(), "Hello from a JavaScript command!\n");
}

TEST_F(JsHello, AnswersThroughIncomingHandler) {
  auto engine = interpEngine();
  auto bytes = readBytes(path_);
  auto compiled = component::compileComponent(*engine, bytes, "hello_http.wasm");
  ASSERT_TRUE(compiled) << compiled.error().message;
  ComponentLinker linker;
  ASSERT_TRUE(linker.addInterfaces(wit::builtinInterfaces()));
  auto host = defineWasi2(linker);
  ASSERT_TRUE(host) << host.error().message;
  auto pre = linker.prepare(*compiled);
  ASSERT_TRUE(pre) << pre.error().message;

  for (int i = 0; i < 2; ++i) {  // a fresh instance per request
    runtime::Store store(*engine);
    auto ctx = Wasi2Ctx::create(*host, {});
    ASSERT_TRUE(ctx);
    auto inst = (*pre)->instantiate(store);
    ASSERT_TRUE(inst) << inst.error().message;
    auto handle = (*inst)->func("wasi:http/incoming-handler", "handle");
    ASSERT_TRUE(handle);
    IncomingHttpRequest req;
    req.authority = "localhost:3000";
    req.pathWithQuery = i == 0 ? "/hello" : "/echo";
    req.method = i == 0 ? "GET" : "POST";
    req.body = i == 0 ? "" : "ping";
    auto resp = callIncomingHandler(**inst, **ctx, *handle, std::move(req));
    ASSERT_TRUE(resp) << (resp.error().trap ? resp.error().trap->message : resp.error().message);
    if (i == 0) {
      EXPECT_EQ(resp->status, 200);
      EXPECT_EQ(resp->body, "Hello from JavaScript!\n");
    } else {
      EXPECT_EQ(resp->status, 201);
      EXPECT_EQ(resp->body, "ping");
    }
  }
}

}  // namespace
}  // namespace bantam::wasi2

namespace bantam::wasi2 {
namespace {

// Timings for docs/performance.md, run only when asked (BANTAM_BENCH=1): instantiation of the
// prepared hello component, and one whole request (instantiate + handle).
TEST_F(JsHello, BenchInstantiateAndHandle) {
  if (!std::getenv("BANTAM_BENCH")) GTEST_SKIP() << "set BANTAM_BENCH=1 to measure";
  auto engine = interpEngine();
  auto bytes = readBytes(path_);
  auto compiled = component::compileComponent(*engine, bytes, "hello_http.wasm");
  ASSERT_TRUE(compiled);
  ComponentLinker linker;
  ASSERT_TRUE(linker.addInterfaces(wit::builtinInterfaces()));
  auto host = defineWasi2(linker);
  ASSERT_TRUE(host);
  auto pre = linker.prepare(*compiled);
  ASSERT_TRUE(pre);
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::vector<double> inst, whole;
  for (int i = 0; i < 50; ++i) {
    runtime::Store store(*engine);
    auto t0 = std::chrono::steady_clock::now();
    auto in = (*pre)->instantiate(store);
    auto t1 = std::chrono::steady_clock::now();
    ASSERT_TRUE(in);
    inst.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  for (int i = 0; i < 50; ++i) {
    runtime::Store store(*engine);
    PreparedWasi2 p{*compiled, *pre, *host, "hello"};
    IncomingHttpRequest req;
    req.pathWithQuery = "/hello";
    req.authority = "localhost";
    auto t0 = std::chrono::steady_clock::now();
    HttpRun r = handleHttp(store, p, {}, std::move(req));
    auto t1 = std::chrono::steady_clock::now();
    ASSERT_TRUE(r.result) << r.result.error().message;
    whole.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::printf("instantiate (median of 50): %.1f us\nrequest (instantiate + handle, median of 50): %.1f us\n",
              median(inst), median(whole));
}

}  // namespace
}  // namespace bantam::wasi2
