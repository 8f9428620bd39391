// Internals shared by the WASI 0.2 implementation files: the resource types the host defined,
// the host objects behind wasi:io resources (errors, pollables, streams), and helpers to
// define functions and build component Values.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "component/component.h"
#include "wasi2/wasi2.h"

namespace bantam::wasi2 {

using component::Value;
using runtime::TrapOr;
using HostFn = std::function<TrapOr<Value>(Wasi2Ctx& ctx, std::span<const Value> args)>;

// The run-time resource types, by name, once the linker defined them.
struct Wasi2Host {
  const component::ResourceType* error = nullptr;
  const component::ResourceType* pollable = nullptr;
  const component::ResourceType* inputStream = nullptr;
  const component::ResourceType* outputStream = nullptr;
  const component::ResourceType* terminalInput = nullptr;
  const component::ResourceType* terminalOutput = nullptr;
  const component::ResourceType* descriptor = nullptr;
  const component::ResourceType* dirStream = nullptr;
  const component::ResourceType* fields = nullptr;
  const component::ResourceType* incomingRequest = nullptr;
  const component::ResourceType* outgoingRequest = nullptr;
  const component::ResourceType* requestOptions = nullptr;
  const component::ResourceType* responseOutparam = nullptr;
  const component::ResourceType* incomingResponse = nullptr;
  const component::ResourceType* incomingBody = nullptr;
  const component::ResourceType* futureTrailers = nullptr;
  const component::ResourceType* outgoingResponse = nullptr;
  const component::ResourceType* outgoingBody = nullptr;
  const component::ResourceType* futureIncomingResponse = nullptr;
};

// ---- definitions ----

// Defines `func` of interface `iface` (unversioned: "wasi:io/streams").
Result<void> def(component::ComponentLinker& linker, std::string_view iface, std::string_view func, HostFn fn);
// Defines a resource with a destructor that removes the rep from the current context's table.
Result<const component::ResourceType*> defResource(component::ComponentLinker& linker, std::string_view iface,
                                                   std::string_view name);

Result<void> defineIo(component::ComponentLinker& linker, Wasi2Host& host);
Result<void> defineCliClocksRandom(component::ComponentLinker& linker, Wasi2Host& host);
Result<void> defineFilesystem(component::ComponentLinker& linker, Wasi2Host& host);
Result<void> defineHttp(component::ComponentLinker& linker, Wasi2Host& host);

// ---- values ----

inline runtime::Trap hostTrap(std::string message) {
  return runtime::Trap(runtime::TrapKind::HostError, std::move(message));
}
template <class T = Value>
TrapOr<T> trapWith(std::string message) {
  return std::unexpected(hostTrap(std::move(message)));
}

// A new own<rt> handle for `obj` in the context's table (traps when the table is full).
TrapOr<Value> newOwn(Wasi2Ctx& ctx, const component::ResourceType* rt, std::shared_ptr<HostObject> obj);
// The object behind a handle argument (own or borrow), or a trap naming `what`.
template <class T>
TrapOr<T*> self(Wasi2Ctx& ctx, const Value& handle, const char* what) {
  T* obj = ctx.table().get<T>(handle.rep());
  if (!obj) return std::unexpected(hostTrap(std::string("unknown ") + what + " handle"));
  return obj;
}
// An own<T> argument moved into the host: removed from the table.
template <class T>
TrapOr<std::shared_ptr<T>> take(Wasi2Ctx& ctx, const Value& handle, const char* what) {
  std::shared_ptr<T> obj = ctx.table().getShared<T>(handle.rep());
  if (!obj) return std::unexpected(hostTrap(std::string("unknown ") + what + " handle"));
  ctx.table().remove(handle.rep());
  return obj;
}

// ---- wasi:io objects ----

struct ErrorObject : HostObject {
  explicit ErrorObject(std::string m) : message(std::move(m)) {}
  std::string message;
  std::optional<uint32_t> filesystemCode;  // wasi:filesystem error-code case, when it came from a file
};

struct Pollable : HostObject {
  // Monotonic nanoseconds at which it becomes ready; nullopt: ready now (unless `ready` is set).
  std::optional<uint64_t> deadline;
  // Ready when this says so (a request body that is still arriving); waited for by polling
  // with short sleeps through the context's clocks.
  std::function<bool()> ready;
};

// A stream error: closed, or the last operation failed with a message.
struct StreamError {
  bool closed = true;
  std::string message;
  std::optional<uint32_t> filesystemCode;
};
template <class T>
using StreamResult = std::expected<T, StreamError>;
inline std::unexpected<StreamError> streamClosed() { return std::unexpected(StreamError{}); }
inline std::unexpected<StreamError> streamFailed(std::string m) { return std::unexpected(StreamError{false, std::move(m)}); }

struct InputStream : HostObject {
  // Up to `len` bytes; an empty result means nothing available yet (never at the end: closed).
  virtual StreamResult<std::string> read(uint64_t len, bool blocking) = 0;
  // What subscribe's pollable asks; empty: always ready.
  virtual std::function<bool()> readiness() { return {}; }
};

struct OutputStream : HostObject {
  virtual StreamResult<uint64_t> checkWrite() { return uint64_t{1} << 20; }
  virtual StreamResult<void> write(std::span<const uint8_t> bytes) = 0;
  virtual StreamResult<void> flush() { return {}; }
  // What subscribe's pollable asks (check-write would permit a write); empty: always ready.
  virtual std::function<bool()> readiness() { return {}; }
};

// Input from a byte string (request and response bodies, empty stdin).
struct MemoryInputStream final : InputStream {
  explicit MemoryInputStream(std::shared_ptr<const std::string> d) : data(std::move(d)) {}
  StreamResult<std::string> read(uint64_t len, bool blocking) override;
  std::shared_ptr<const std::string> data;
  size_t pos = 0;
};

// Input from a WASI file (stdin, or a file at an offset).
struct FileInputStream final : InputStream {
  FileInputStream(std::shared_ptr<wasi::File> f, std::optional<uint64_t> off) : file(std::move(f)), offset(off) {}
  StreamResult<std::string> read(uint64_t len, bool blocking) override;
  std::shared_ptr<wasi::File> file;
  std::optional<uint64_t> offset;  // nullopt: a stream
};

// Output to a WASI file (stdout/stderr logs, or a file at an offset / appending).
struct FileOutputStream final : OutputStream {
  FileOutputStream(std::shared_ptr<wasi::File> f, std::optional<uint64_t> off, bool app)
      : file(std::move(f)), offset(off), append(app) {}
  StreamResult<void> write(std::span<const uint8_t> bytes) override;
  std::shared_ptr<wasi::File> file;
  std::optional<uint64_t> offset;
  bool append = false;
};

// The value of a stream-error (variant { last-operation-failed(own<error>), closed }).
TrapOr<Value> streamErrorValue(Wasi2Ctx& ctx, const StreamError& e);

// The lifted list<u8> argument as bytes.
inline std::span<const uint8_t> bytesArg(const Value& v) { return v.bytes(); }

}  // namespace bantam::wasi2
