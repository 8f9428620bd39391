// `bantam run [OPTIONS] FILE [ARGS...]`: instantiate a module with WASI preview 1 and run its
// command entry `_start` (ARGS become the guest's argv[1..], argv[0] is FILE as given), or
// --invoke an export with ARGS as its arguments and print the results one per line (as
// `wasmtime run --invoke` does).
//
//   --dir HOST[::GUEST][:ro]  pre-open a host directory; the guest sees it as GUEST (default:
//                             HOST as written); ":ro" removes every right that modifies
//                             anything beneath it. "--dir /srv/data::/data:ro".
//   --env KEY=VALUE / KEY     set a variable (KEY alone: the host's value); --inherit-env first
//                             copies the whole host environment.
//   --tcplisten HOST:PORT     a listening socket for sock_accept, numbered after the --dir ones.
//   --max-memory SIZE         per linear memory (bytes, or with K/M/G suffixes: 64M).
//   --timeout DURATION        epoch interruption after 10s / 500ms / 2m (a bare number: seconds).
//   --fuel N                  stop after about N instructions.
//
// Exit status: the guest's proc_exit status (0..125, as Wasmtime: larger ones are an error,
// since 126 and up mean something to shells and 134 is a trap); 0 when _start returns; 134
// after a trap, whose message and backtrace go to stderr; 1 for a usage or load error.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "cli/load.h"
#include "runtime/store.h"
#include "wasi/host_fs.h"
#include "wasi/socket.h"
#include "wasi/streams.h"
#include "wasi/wasi_linker.h"

extern char** environ;

namespace bantam::cli {

namespace {

// Exit status for a trap, as Wasmtime reports one (128 + SIGABRT).
constexpr int kTrapExit = 134;
// proc_exit statuses from here on are refused (Wasmtime: "outside of [0..126)").
constexpr uint32_t kMaxExitStatus = 126;

Result<runtime::RawVal> parseArg(const std::string& text, wasm::ValType type) {
  runtime::RawVal v;
  const char* s = text.c_str();
  char* end = nullptr;
  errno = 0;
  switch (type) {
    case wasm::ValType::I32: {
      long long x = std::strtoll(s, &end, 0);
      if (*end || errno || x < INT32_MIN || x > UINT32_MAX) break;
      v.i64 = 0;
      v.i32 = static_cast<uint32_t>(x);
      return v;
    }
    case wasm::ValType::I64: {
      if (text.starts_with("-")) {
        long long x = std::strtoll(s, &end, 0);
        if (*end || errno) break;
        v.i64 = static_cast<uint64_t>(x);
      } else {
        unsigned long long x = std::strtoull(s, &end, 0);
        if (*end || errno) break;
        v.i64 = x;
      }
      return v;
    }
    case wasm::ValType::F32: {
      float x = std::strtof(s, &end);
      if (*end || end == s) break;
      v.i64 = 0;
      std::memcpy(&v.f32, &x, 4);
      return v;
    }
    case wasm::ValType::F64: {
      double x = std::strtod(s, &end);
      if (*end || end == s) break;
      std::memcpy(&v.f64, &x, 8);
      return v;
    }
    default:
      return fail(ErrorKind::Usage, std::string("--invoke cannot pass ") + wasm::valTypeName(type) +
                                        " arguments from the command line");
  }
  return fail(ErrorKind::Usage, "argument \"" + text + "\" is not a valid " + wasm::valTypeName(type));
}

void printResult(wasm::ValType type, const runtime::RawVal& v) {
  switch (type) {
    case wasm::ValType::I32: std::printf("%" PRId32 "\n", static_cast<int32_t>(v.i32)); break;
    case wasm::ValType::I64: std::printf("%" PRId64 "\n", static_cast<int64_t>(v.i64)); break;
    case wasm::ValType::F32: {
      float f;
      std::memcpy(&f, &v.f32, 4);
      std::printf("%.9g\n", static_cast<double>(f));
      break;
    }
    case wasm::ValType::F64: {
      double d;
      std::memcpy(&d, &v.f64, 8);
      std::printf("%.17g\n", d);
      break;
    }
    case wasm::ValType::V128: {
      std::printf("0x");
      for (int i = 15; i >= 0; --i) std::printf("%02x", v.v128.bytes[i]);
      std::printf("\n");
      break;
    }
    case wasm::ValType::FuncRef:
    case wasm::ValType::ExternRef:
      std::printf("%s\n", v.ref ? "<ref>" : "null");
      break;
  }
}

std::unexpected<Error> usage(std::string message, std::string hint = {}) {
  Error e = Error::make(ErrorKind::Usage, std::move(message));
  e.hint = std::move(hint);
  return std::unexpected(std::move(e));
}

struct DirSpec {
  std::string host;
  std::string guest;
  bool readOnly = false;
};

// HOST[::GUEST][:ro]. A trailing ":ro" is the read-only mark unless it is the "::ro" of a
// guest path named "ro".
Result<DirSpec> parseDirSpec(std::string_view spec) {
  DirSpec d;
  if (spec.size() > 3 && spec.ends_with(":ro") && spec[spec.size() - 4] != ':') {
    d.readOnly = true;
    spec.remove_suffix(3);
  }
  size_t sep = spec.find("::");
  d.host = std::string(spec.substr(0, sep));
  d.guest = sep == std::string_view::npos ? d.host : std::string(spec.substr(sep + 2));
  if (d.host.empty() || d.guest.empty())
    return usage("--dir \"" + std::string(spec) + "\" names no directory", "--dir takes HOST[::GUEST][:ro]");
  return d;
}

// 1048576, 64K, 64M, 1G (powers of 1024; "KiB"-style suffixes and a trailing "B" accepted).
Result<uint64_t> parseSize(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  std::string suffix(end);
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (suffix.ends_with("IB")) suffix.erase(suffix.size() - 2, 1);
  if (suffix.size() > 1 && suffix.back() == 'B') suffix.pop_back();
  unsigned shift = suffix.empty() || suffix == "B" ? 0 : suffix == "K" ? 10 : suffix == "M" ? 20 : suffix == "G" ? 30 : 99;
  if (end == text.c_str() || errno || shift == 99 || (shift && n > (UINT64_MAX >> shift)))
    return usage("--max-memory \"" + text + "\" is not a size", "give bytes, or a number with K, M or G");
  return uint64_t{n} << shift;
}

// 10s, 500ms, 2m, 1.5h, 100us, 7 (seconds).
Result<std::chrono::nanoseconds> parseDuration(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  std::string unit(end);
  double scale = unit.empty() || unit == "s" ? 1e9 : unit == "ms" ? 1e6 : unit == "us" ? 1e3 : unit == "ns" ? 1
                 : unit == "m"                 ? 60e9
                 : unit == "h"                 ? 3600e9
                                               : -1;
  if (end == text.c_str() || errno || scale < 0 || !(v >= 0) || v * scale > 9e18)
    return usage("--timeout \"" + text + "\" is not a duration", "e.g. 10s, 500ms, 2m");
  return std::chrono::nanoseconds(static_cast<int64_t>(v * scale));
}

Result<std::unique_ptr<wasi::WasiCtx>> buildWasi(const RunOptions& options) {
  wasi::WasiConfig c;
  c.args.push_back(options.file);
  if (options.invoke.empty()) c.args.insert(c.args.end(), options.args.begin(), options.args.end());
  if (options.inheritEnv)
    for (char** e = environ; *e != nullptr; ++e) c.env.emplace_back(*e);
  for (const std::string& e : options.env) {
    std::string entry = e;
    if (e.find('=') == std::string::npos) {
      const char* host = std::getenv(e.c_str());
      if (host == nullptr) continue;  // as Wasmtime: an unset host variable is left unset
      entry = e + "=" + host;
    }
    std::string key = entry.substr(0, entry.find('='));
    std::erase_if(c.env, [&](const std::string& x) { return x.substr(0, x.find('=')) == key; });
    c.env.push_back(std::move(entry));
  }
  for (const std::string& spec : options.dirs) {
    DirSpec d = BANTAM_TRY(parseDirSpec(spec));
    auto dir = BANTAM_TRY(wasi::openHostDir(d.host, d.readOnly));
    c.preopens.push_back(wasi::PreopenDir{d.guest, std::move(dir), d.readOnly});
  }
  for (const std::string& addr : options.tcpListen) c.sockets.push_back(BANTAM_TRY(wasi::listenTcp(addr)));
  c.stdinFile = std::make_unique<wasi::HostStream>(0, true, false);
  c.stdoutFile = std::make_unique<wasi::HostStream>(1, false, true);
  c.stderrFile = std::make_unique<wasi::HostStream>(2, false, true);
  return wasi::WasiCtx::create(std::move(c));
}

// --timeout: waits on its own thread, then ticks the engine's epoch once; the store's
// deadline of one tick makes the running code trap with TrapKind::Interrupted.
class Watchdog {
 public:
  Watchdog(runtime::Engine& engine, std::chrono::nanoseconds timeout)
      : thread_([this, &engine, timeout] {
          std::unique_lock lock(mutex_);
          if (!cv_.wait_for(lock, timeout, [this] { return done_; })) engine.incrementEpoch();
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

int reportTrap(const runtime::Trap& trap) {
  std::fprintf(stderr, "bantam: trap: %s\n", trap.toString().c_str());
  return kTrapExit;
}

}  // namespace

int cmdRun(const RunOptions& options) {
  // A guest writing to a closed pipe gets EPIPE, not a dead host.
  ::signal(SIGPIPE, SIG_IGN);
  // A component (preamble version 0x0d, layer 1) runs as a wasi:cli/command (cmd_serve.cpp).
  if (int fd = ::open(options.file.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    unsigned char head[8] = {};
    ssize_t n = ::read(fd, head, sizeof head);
    ::close(fd);
    if (n == 8 && head[0] == 0 && head[1] == 'a' && head[2] == 's' && head[3] == 'm' && head[4] == 0x0d && head[6] == 1)
      return cmdRunComponent(options);
  }

  runtime::StoreLimits limits;
  if (!options.maxMemory.empty()) {
    auto bytes = parseSize(options.maxMemory);
    if (!bytes) {
      printError(bytes.error());
      return 1;
    }
    limits.maxMemoryBytes = *bytes;
  }
  std::optional<std::chrono::nanoseconds> timeout;
  if (!options.timeout.empty()) {
    auto t = parseDuration(options.timeout);
    if (!t) {
      printError(t.error());
      return 1;
    }
    timeout = *t;
  }
  auto ctx = buildWasi(options);
  if (!ctx) {
    printError(ctx.error());
    return 1;
  }

  // Nothing can interrupt the guest without a deadline or fuel: its code needs no epoch checks
  // in loops (Wasmtime's `run` compiles without them unless given a timeout, too). A loaded
  // .cwasm keeps the checks it was compiled with (`bantam compile` keeps them).
  EngineFlags engineFlags = options.engine;
  engineFlags.loopChecks = timeout.has_value() || options.fuel != 0;
  std::unique_ptr<runtime::Engine> made = makeEngine(engineFlags);
  if (!made) return 1;
  runtime::Engine& engine = *made;
  auto module = loadModule(engine, options.file);
  if (!module) {
    printError(module.error());
    return 1;
  }
  runtime::Store store(engine, limits);
  if (options.fuel) store.setFuel(options.fuel);
  std::optional<Watchdog> watchdog;
  if (timeout) {
    store.setEpochDeadline(1);
    watchdog.emplace(engine, *timeout);
  }
  runtime::Linker linker;
  wasi::defineWasiImports(store, linker, **ctx, (*module)->module);

  auto finish = [&](const runtime::Trap& trap) {
    if (trap.kind != runtime::TrapKind::Exit) return reportTrap(trap);
    auto status = static_cast<uint32_t>(trap.exitCode);
    if (status >= kMaxExitStatus) {
      std::fprintf(stderr, "bantam: error: the guest exited with status %" PRIu32 ", outside of [0..126)\n", status);
      return 1;
    }
    return static_cast<int>(status);
  };

  auto instance = linker.instantiate(store, *module);
  if (!instance) {
    printError(std::move(instance.error()).withSource(options.file));
    return instance.error().kind == ErrorKind::Uninstantiable ? kTrapExit : 1;
  }
  std::string entry = options.invoke.empty() ? "_start" : options.invoke;
  runtime::FuncInst* func = (*instance)->exportedFunc(entry);
  if (!func) {
    Error e = Error::make(ErrorKind::Usage, "the module exports no function \"" + entry + "\"");
    e.source = options.file;
    e.hint = options.invoke.empty() ? "name the function to call with --invoke NAME"
                                    : "run `bantam inspect " + options.file + "` to list the exports";
    printError(e);
    return 1;
  }
  const wasm::FuncType& type = *func->type;
  std::vector<std::string> noArgs;
  const std::vector<std::string>& callArgs = options.invoke.empty() ? noArgs : options.args;
  if (callArgs.size() != type.params.size()) {
    Error e = Error::make(ErrorKind::Usage, "\"" + entry + "\" takes " + std::to_string(type.params.size()) +
                                                " argument(s), " + std::to_string(callArgs.size()) +
                                                " given: " + type.toString());
    printError(e);
    return 1;
  }
  std::vector<runtime::RawVal> cells(std::max(type.params.size(), type.results.size()));
  for (size_t i = 0; i < callArgs.size(); ++i) {
    auto v = parseArg(callArgs[i], type.params[i]);
    if (!v) {
      printError(v.error());
      return 1;
    }
    cells[i] = *v;
  }
  // A reactor (a module with `_initialize`) is initialised before an export is invoked, as
  // Wasmtime does; a command's `_start` does its own initialisation.
  if (!options.invoke.empty() && entry != "_initialize") {
    if (runtime::FuncInst* init = (*instance)->exportedFunc("_initialize"); init && init->type->params.empty()) {
      std::vector<runtime::RawVal> none(init->type->results.size());
      if (auto r = store.call(*init, none); !r) return finish(r.error());
    }
  }
  auto r = store.call(*func, cells);
  // $BANTAM_DUMP_MEMORY=FILE: the exported memory as the guest left it, for the differential
  // test of the two engines (tests/e2e/engines), which compares it byte for byte.
  if (const char* dump = std::getenv("BANTAM_DUMP_MEMORY"); dump && *dump) {
    if (runtime::MemoryInst* mem = (*instance)->exportedMemory("memory")) {
      if (FILE* f = std::fopen(dump, "wb")) {
        std::fwrite(mem->base, 1, mem->sizeBytes, f);
        std::fclose(f);
      }
    }
  }
  if (!r) return finish(r.error());
  for (size_t i = 0; i < type.results.size(); ++i) printResult(type.results[i], cells[i]);
  return 0;
}

}  // namespace bantam::cli
