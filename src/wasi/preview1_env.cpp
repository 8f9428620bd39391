// args_*, environ_*, clock_*, random_get, proc_exit, proc_raise, sched_yield.
#include <sched.h>

#include "wasi/preview1_util.h"

namespace bantam::wasi::p1 {

namespace {

// The strings' count and their total size with a NUL after each; EOVERFLOW past $size.
WasiResult<std::pair<uint32_t, uint32_t>> sizesOf(const std::vector<std::string>& strings) {
  uint64_t bytes = 0;
  for (const std::string& s : strings) bytes += s.size() + 1;
  if (strings.size() > UINT32_MAX || bytes > UINT32_MAX) return err(Errno::Overflow);
  return std::pair{static_cast<uint32_t>(strings.size()), static_cast<uint32_t>(bytes)};
}

// Writes the pointer array and the NUL-terminated strings (args_get, environ_get). Both areas
// are checked before anything is written.
Errno writeStrings(const std::vector<std::string>& strings, M mem, uint32_t array, uint32_t buf) {
  auto [count, bytes] = BANTAM_WASI_TRY(sizesOf(strings));
  BANTAM_WASI_TRY(needOut(mem, array, uint64_t{count} * 4));
  BANTAM_WASI_TRY(needOut(mem, buf, bytes));
  uint32_t at = buf;
  for (uint32_t i = 0; i < count; ++i) {
    BANTAM_WASI_TRY(mem.store<uint32_t>(array + 4 * i, at));
    BANTAM_WASI_TRY(mem.write(at, strings[i]));
    at += static_cast<uint32_t>(strings[i].size());
    BANTAM_WASI_TRY(mem.store<uint8_t>(at, 0));
    at += 1;
  }
  return Errno::Success;
}

Errno writeSizes(const std::vector<std::string>& strings, M mem, uint32_t countOut, uint32_t bytesOut) {
  auto [count, bytes] = BANTAM_WASI_TRY(sizesOf(strings));
  BANTAM_WASI_TRY(needOut(mem, countOut, 4));
  BANTAM_WASI_TRY(needOut(mem, bytesOut, 4));
  BANTAM_WASI_TRY(mem.store<uint32_t>(countOut, count));
  BANTAM_WASI_TRY(mem.store<uint32_t>(bytesOut, bytes));
  return Errno::Success;
}

}  // namespace

Errno argsGet(WasiCtx& ctx, M mem, uint32_t argv, uint32_t argvBuf) {
  return writeStrings(ctx.args(), mem, argv, argvBuf);
}

Errno argsSizesGet(WasiCtx& ctx, M mem, uint32_t argcOut, uint32_t bufSizeOut) {
  return writeSizes(ctx.args(), mem, argcOut, bufSizeOut);
}

Errno environGet(WasiCtx& ctx, M mem, uint32_t environ, uint32_t environBuf) {
  return writeStrings(ctx.env(), mem, environ, environBuf);
}

Errno environSizesGet(WasiCtx& ctx, M mem, uint32_t countOut, uint32_t bufSizeOut) {
  return writeSizes(ctx.env(), mem, countOut, bufSizeOut);
}

Errno clockResGet(WasiCtx& ctx, M mem, uint32_t id, uint32_t resolutionOut) {
  if (id >= kClockIdCount) return Errno::Inval;
  BANTAM_WASI_TRY(needOut(mem, resolutionOut, 8));
  uint64_t res = BANTAM_WASI_TRY(ctx.clocks().resolution(static_cast<ClockId>(id)));
  BANTAM_WASI_TRY(mem.store<uint64_t>(resolutionOut, res));
  return Errno::Success;
}

Errno clockTimeGet(WasiCtx& ctx, M mem, uint32_t id, uint64_t precision, uint32_t timeOut) {
  if (id >= kClockIdCount) return Errno::Inval;
  BANTAM_WASI_TRY(needOut(mem, timeOut, 8));
  uint64_t now = BANTAM_WASI_TRY(ctx.clocks().now(static_cast<ClockId>(id)));
  BANTAM_WASI_TRY(mem.store<uint64_t>(timeOut, now));
  return Errno::Success;
}

Errno randomGet(WasiCtx& ctx, M mem, uint32_t buf, uint32_t bufLen) {
  IoBuffer out = BANTAM_WASI_TRY(mem.slice(buf, bufLen));
  BANTAM_WASI_TRY(ctx.random().fill(out));  // straight into guest memory: no host copy
  return Errno::Success;
}

runtime::Trap procExit(WasiCtx& ctx, M mem, uint32_t code) {
  runtime::Trap t(runtime::TrapKind::Exit, "exit with status " + std::to_string(code));
  t.exitCode = static_cast<int32_t>(code);
  ctx.exitCode = t.exitCode;
  return t;
}

Errno procRaise(WasiCtx& ctx, M mem, uint32_t signal) {
  if (signal > kSignalMax) return Errno::Inval;
  // As Wasmtime: there is no way to deliver a signal to a guest. (wasi-libc's raise() with
  // emulated signals handles default actions itself and exits with 128+signal.)
  return Errno::Notsup;
}

Errno schedYield(WasiCtx& ctx, M mem) {
  ::sched_yield();
  return Errno::Success;
}

}  // namespace bantam::wasi::p1
