// WASI 0.2 for components: wasi:io, wasi:clocks, wasi:random, wasi:cli, wasi:filesystem and
// wasi:http implemented as ComponentLinker host functions over the same injected capabilities
// as WASI preview 1 (wasi::Dir/File sandbox, Clocks, RandomSource). docs/wasi-0.2.md.
//
//   ComponentLinker linker;                          // with the WASI 0.2 interfaces declared
//   auto host = BANTAM_TRY(wasi2::defineWasi2(linker));
//   auto pre = BANTAM_TRY(linker.prepare(compiled));
//   // per instance:
//   auto ctx = BANTAM_TRY(wasi2::Wasi2Ctx::create(host, std::move(config)));
//   auto inst = BANTAM_TRY(pre->instantiate(store));
//   inst->hostData = ctx.get();
//   // destroy `inst` before `ctx` (its handles name the context's resources)
//
// One Wasi2Ctx per component instance: its host resources (streams, pollables, descriptors,
// HTTP fields, requests, responses, bodies) live in its ResourceTable and die with it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "component/component.h"
#include "wasi/filesystem.h"
#include "wasi/system.h"
#include "wasi/wasi_ctx.h"
#include "wasi2/table.h"

namespace bantam::wasi2 {

// The interface version the host declares and implements; imports of any 0.2.x are served by
// it (the linker's version matching).
inline constexpr const char* kWasiVersion = "0.2.12";
// "wasi:io/streams" -> "wasi:io/streams@0.2.12".
std::string versioned(std::string_view iface);

// What an outbound request may reach (Spin's allowed_outbound_hosts): "http://host:port",
// "https://*.example.com", "*://*:*", ... Empty: nothing.
struct OutboundPolicy {
  std::vector<std::string> allowed;
  bool allows(std::string_view scheme, std::string_view authority) const;
};

struct ChainRequest;
struct OutboundResult;

struct Wasi2Config {
  std::vector<std::string> args;                 // args[0] is the program name
  std::vector<std::string> env;                  // "KEY=VALUE"
  std::optional<std::string> cwd;                // wasi:cli/environment#initial-cwd
  std::vector<wasi::PreopenDir> preopens;        // wasi:filesystem/preopens
  std::unique_ptr<wasi::File> stdinFile;         // null: empty input
  std::unique_ptr<wasi::File> stdoutFile;        // null: output dropped
  std::unique_ptr<wasi::File> stderrFile;        // null: output dropped
  std::shared_ptr<wasi::Clocks> clocks;          // null: HostClocks
  std::shared_ptr<wasi::RandomSource> random;    // null: HostRandom
  OutboundPolicy outbound;
  uint64_t outboundTimeoutMs = 30000;
  // Asked while blocking (poll, sleep, blocking reads): true means stop (the request timed out).
  wasi::InterruptCheck interrupted;
  // Spin's service chaining (http.h): answers an allowed request to http://<id>.spin.internal
  // in-process. Unset: such a request fails as an unknown host would.
  std::function<OutboundResult(const std::string& id, ChainRequest request)> chain;
};

// The run-time resource types the host defined in a linker (shared by every instance).
struct Wasi2Host;

// The state of one component instance.
class Wasi2Ctx {
 public:
  static Result<std::unique_ptr<Wasi2Ctx>> create(std::shared_ptr<const Wasi2Host> host, Wasi2Config config);
  ~Wasi2Ctx();

  const Wasi2Host& host() const { return *host_; }
  Wasi2Config& config() { return config_; }
  ResourceTable& table() { return table_; }
  wasi::Clocks& clocks() { return *config_.clocks; }
  wasi::RandomSource& random() { return *config_.random; }
  bool interrupted() const { return config_.interrupted && config_.interrupted(); }

  // Set by wasi:cli/exit (the trap carries it too).
  std::optional<int32_t> exitCode;

  // Makes `ctx` the current one on this thread (host calls of an instance whose hostData is not
  // set find their context through it). Nests. Resource destructors do not need it: a rep
  // names its context.
  class Scope {
   public:
    explicit Scope(Wasi2Ctx& ctx);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Wasi2Ctx* previous_;
  };
  static Wasi2Ctx* current();

  // At most this many contexts exist at once (each owns a range of reps).
  static constexpr uint32_t kMaxContexts = 1u << (32 - ResourceTable::kIndexBits);
  // The context whose table a rep belongs to, or nullptr.
  static Wasi2Ctx* ofRep(uint32_t rep);

  // The stdio streams (created on first use; later calls give new handles to the same stream).
  std::shared_ptr<wasi::File> stdinFile, stdoutFile, stderrFile;

 private:
  explicit Wasi2Ctx(uint32_t slot) : table_(slot << ResourceTable::kIndexBits), slot_(slot) {}
  std::shared_ptr<const Wasi2Host> host_;
  Wasi2Config config_;
  ResourceTable table_;
  uint32_t slot_;
};

// Implements every WASI 0.2 function (io, clocks, random, cli, filesystem, http types and
// outgoing-handler) in `linker`, whose interfaces must already be declared. Functions of a
// declared interface that Bantam does not implement answer `unsupported` where their result
// has an error code, and trap with a named message otherwise.
Result<std::shared_ptr<const Wasi2Host>> defineWasi2(component::ComponentLinker& linker);

// The context of the instance that made a host call.
Wasi2Ctx& ctxOf(component::HostCall& call);

}  // namespace bantam::wasi2
