// wasi:cli (environment, exit, stdio, terminal-*), wasi:clocks (monotonic, wall) and
// wasi:random (random, insecure, insecure-seed) over the context's injected capabilities.
#include "wasi2/host.h"

namespace bantam::wasi2 {

namespace {

Value stringList(const std::vector<std::string>& items) {
  std::vector<Value> out;
  out.reserve(items.size());
  for (const std::string& s : items) out.push_back(Value::string(s));
  return Value::list(std::move(out));
}

TrapOr<Value> randomBytes(Wasi2Ctx& ctx, uint64_t len) {
  if (len > (uint64_t{1} << 26)) return trapWith("get-random-bytes: more than 64 MiB asked for");
  std::string out(static_cast<size_t>(len), '\0');
  auto r = ctx.random().fill(std::span(reinterpret_cast<uint8_t*>(out.data()), out.size()));
  if (!r) return trapWith("the random source failed");
  return Value::bytes(std::move(out));
}

TrapOr<Value> randomU64(Wasi2Ctx& ctx) {
  uint64_t v = 0;
  auto r = ctx.random().fill(std::span(reinterpret_cast<uint8_t*>(&v), sizeof v));
  if (!r) return trapWith("the random source failed");
  return Value::u64(v);
}

Value datetime(uint64_t ns) {
  return Value::record({Value::u64(ns / 1'000'000'000u), Value::u32(static_cast<uint32_t>(ns % 1'000'000'000u))});
}

TrapOr<Value> deadlinePollable(Wasi2Ctx& ctx, uint64_t at) {
  auto p = std::make_shared<Pollable>();
  p->deadline = at;
  return newOwn(ctx, ctx.host().pollable, std::move(p));
}

TrapOr<Value> exitTrap(Wasi2Ctx& ctx, int32_t code) {
  ctx.exitCode = code;
  runtime::Trap t(runtime::TrapKind::Exit, "exit with status " + std::to_string(code));
  t.exitCode = code;
  return std::unexpected(std::move(t));
}

struct TerminalObject : HostObject {};

}  // namespace

Result<void> defineCliClocksRandom(component::ComponentLinker& linker, Wasi2Host& host) {
  // ---- wasi:cli ----
  BANTAM_TRY(def(linker, "wasi:cli/environment", "get-environment", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    std::vector<Value> out;
    for (const std::string& e : ctx.config().env) {
      size_t eq = e.find('=');
      out.push_back(Value::tuple({Value::string(e.substr(0, eq)), Value::string(e.substr(eq + 1))}));
    }
    return Value::list(std::move(out));
  }));
  BANTAM_TRY(def(linker, "wasi:cli/environment", "get-arguments",
                 [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> { return stringList(ctx.config().args); }));
  BANTAM_TRY(def(linker, "wasi:cli/environment", "initial-cwd", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    return ctx.config().cwd ? Value::some(Value::string(*ctx.config().cwd)) : Value::none();
  }));
  BANTAM_TRY(def(linker, "wasi:cli/exit", "exit", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    return exitTrap(ctx, args[0].isOk() ? 0 : 1);
  }));
  // exit-with-code is @unstable in 0.2.12: defined only when the WIT keeps it.
  (void)def(linker, "wasi:cli/exit", "exit-with-code",
            [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> { return exitTrap(ctx, static_cast<int32_t>(args[0].asU32() & 0xff)); });

  BANTAM_TRY(def(linker, "wasi:cli/stdin", "get-stdin", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    return newOwn(ctx, ctx.host().inputStream, std::make_shared<FileInputStream>(ctx.stdinFile, std::nullopt));
  }));
  BANTAM_TRY(def(linker, "wasi:cli/stdout", "get-stdout", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    return newOwn(ctx, ctx.host().outputStream, std::make_shared<FileOutputStream>(ctx.stdoutFile, std::nullopt, false));
  }));
  BANTAM_TRY(def(linker, "wasi:cli/stderr", "get-stderr", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    return newOwn(ctx, ctx.host().outputStream, std::make_shared<FileOutputStream>(ctx.stderrFile, std::nullopt, false));
  }));
  host.terminalInput = BANTAM_TRY(defResource(linker, "wasi:cli/terminal-input", "terminal-input"));
  host.terminalOutput = BANTAM_TRY(defResource(linker, "wasi:cli/terminal-output", "terminal-output"));
  // Guests never see a terminal: a server's components have none, and `bantam run` reports
  // none as Wasmtime does when its stdio is not forwarded as a TTY.
  BANTAM_TRY(def(linker, "wasi:cli/terminal-stdin", "get-terminal-stdin", [](Wasi2Ctx&, auto) -> TrapOr<Value> { return Value::none(); }));
  BANTAM_TRY(def(linker, "wasi:cli/terminal-stdout", "get-terminal-stdout", [](Wasi2Ctx&, auto) -> TrapOr<Value> { return Value::none(); }));
  BANTAM_TRY(def(linker, "wasi:cli/terminal-stderr", "get-terminal-stderr", [](Wasi2Ctx&, auto) -> TrapOr<Value> { return Value::none(); }));

  // ---- wasi:clocks ----
  BANTAM_TRY(def(linker, "wasi:clocks/monotonic-clock", "now", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    auto t = ctx.clocks().now(wasi::ClockId::Monotonic);
    if (!t) return trapWith("the monotonic clock failed");
    return Value::u64(*t);
  }));
  BANTAM_TRY(def(linker, "wasi:clocks/monotonic-clock", "resolution", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    auto t = ctx.clocks().resolution(wasi::ClockId::Monotonic);
    return Value::u64(t ? *t : 1);
  }));
  BANTAM_TRY(def(linker, "wasi:clocks/monotonic-clock", "subscribe-instant",
                 [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> { return deadlinePollable(ctx, args[0].asU64()); }));
  BANTAM_TRY(def(linker, "wasi:clocks/monotonic-clock", "subscribe-duration", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto now = ctx.clocks().now(wasi::ClockId::Monotonic);
    if (!now) return trapWith("the monotonic clock failed");
    uint64_t d = args[0].asU64();
    uint64_t at = *now + d < *now ? UINT64_MAX : *now + d;
    return deadlinePollable(ctx, at);
  }));
  BANTAM_TRY(def(linker, "wasi:clocks/wall-clock", "now", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    auto t = ctx.clocks().now(wasi::ClockId::Realtime);
    if (!t) return trapWith("the wall clock failed");
    return datetime(*t);
  }));
  BANTAM_TRY(def(linker, "wasi:clocks/wall-clock", "resolution", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    auto t = ctx.clocks().resolution(wasi::ClockId::Realtime);
    return datetime(t ? *t : 1);
  }));

  // ---- wasi:random ----
  BANTAM_TRY(def(linker, "wasi:random/random", "get-random-bytes",
                 [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> { return randomBytes(ctx, args[0].asU64()); }));
  BANTAM_TRY(def(linker, "wasi:random/random", "get-random-u64", [](Wasi2Ctx& ctx, auto) { return randomU64(ctx); }));
  BANTAM_TRY(def(linker, "wasi:random/insecure", "get-insecure-random-bytes",
                 [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> { return randomBytes(ctx, args[0].asU64()); }));
  BANTAM_TRY(def(linker, "wasi:random/insecure", "get-insecure-random-u64", [](Wasi2Ctx& ctx, auto) { return randomU64(ctx); }));
  BANTAM_TRY(def(linker, "wasi:random/insecure-seed", "insecure-seed", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    uint64_t v[2] = {0, 0};
    (void)ctx.random().fill(std::span(reinterpret_cast<uint8_t*>(v), sizeof v));
    return Value::tuple({Value::u64(v[0]), Value::u64(v[1])});
  }));
  return {};
}

}  // namespace bantam::wasi2
