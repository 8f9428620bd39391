// Handles to the objects of a store: instances and their exports (functions, memories,
// globals, tables). Handles are small values that stay valid as long as their Store; using one
// after its store is destroyed is undefined behaviour, as with a dangling pointer.
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "bantam/error.h"
#include "bantam/trap.h"
#include "bantam/value.h"

namespace bantam {

namespace runtime {
class MemoryInst;
class TableInst;
struct GlobalInst;
struct ModuleInst;
}  // namespace runtime
namespace detail {
struct Access;
}

// A C++ type that maps to one wasm value type in typed calls and typed host functions:
// int32_t/uint32_t (i32), int64_t/uint64_t (i64), float, double, V128.
template <class T>
concept WasmScalar = requires { detail::WasmValue<T>::type; };

namespace detail {
// The results of a typed call or host function: void, one scalar or a std::tuple of them.
template <class R>
struct Results;
template <>
struct Results<void> {
  static constexpr std::array<ValType, 0> types{};
  static void load(std::span<const ValRaw>) {}
};
template <WasmScalar R>
struct Results<R> {
  static constexpr std::array<ValType, 1> types{WasmValue<R>::type};
  static R load(std::span<const ValRaw> io) { return WasmValue<R>::load(io[0]); }
  static void store(std::span<ValRaw> io, const R& r) { WasmValue<R>::store(io[0], r); }
};
template <WasmScalar... Ts>
struct Results<std::tuple<Ts...>> {
  static constexpr std::array<ValType, sizeof...(Ts)> types{WasmValue<Ts>::type...};
  static std::tuple<Ts...> load(std::span<const ValRaw> io) {
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return std::tuple<Ts...>{WasmValue<Ts>::load(io[I])...};
    }(std::index_sequence_for<Ts...>{});
  }
  static void store(std::span<ValRaw> io, const std::tuple<Ts...>& r) {
    [&]<size_t... I>(std::index_sequence<I...>) {
      (WasmValue<Ts>::store(io[I], std::get<I>(r)), ...);
    }(std::index_sequence_for<Ts...>{});
  }
};
template <class R>
concept WasmResults = requires { Results<R>::types; };

Trap invalidCall(std::string message);
}  // namespace detail

template <class Sig>
class TypedFunc;

class Func {
 public:
  FuncType type() const;

  // Typed call: the C++ types must be exactly the function's (checked; a mismatch returns
  // TrapCode::InvalidCall without running anything). R is void, a scalar or a std::tuple.
  //   auto r = func.call<int32_t>(30);   // CallResult<int32_t>
  template <detail::WasmResults R = void, WasmScalar... A>
  CallResult<R> call(A... args) const {
    constexpr std::array<ValType, sizeof...(A)> params{detail::WasmValue<A>::type...};
    if (!hasType(params, detail::Results<R>::types)) return std::unexpected(typeMismatch(params, detail::Results<R>::types));
    return callUnchecked<R>(args...);
  }

  // Dynamic call with typed values; the argument types are checked.
  CallResult<std::vector<Val>> call(std::span<const Val> args) const;
  CallResult<std::vector<Val>> call(std::initializer_list<Val> args) const {
    return call(std::span<const Val>(args.begin(), args.size()));
  }

  // Checks the signature once, so calls through the result skip the check.
  template <class Sig>
  Result<TypedFunc<Sig>> typed() const;

  bool hasType(std::span<const ValType> params, std::span<const ValType> results) const;

  // Low level: arguments in io[0..params), results written to io[0..results); io must have
  // max(params, results) cells holding values of the function's parameter types.
  CallResult<void> callRaw(std::span<ValRaw> io) const;

 private:
  template <class Sig>
  friend class TypedFunc;
  friend struct detail::Access;

  template <class R, class... A>
  CallResult<R> callUnchecked(A... args) const {
    constexpr size_t n = std::max(sizeof...(A), detail::Results<R>::types.size());
    std::array<ValRaw, n> io{};
    [&]<size_t... I>(std::index_sequence<I...>) {
      (detail::WasmValue<A>::store(io[I], args), ...);
    }(std::index_sequence_for<A...>{});
    if (auto r = callRaw(io); !r) return std::unexpected(std::move(r.error()));
    if constexpr (std::is_void_v<R>) return {};
    else return detail::Results<R>::load(io);
  }
  Trap typeMismatch(std::span<const ValType> params, std::span<const ValType> results) const;

  Func() = default;  // handles come from the API, never from nothing
  detail::StoreImpl* store_ = nullptr;
  runtime::FuncInst* func_ = nullptr;
};

// A function whose signature was checked once: R(A...) with the scalar types of Func::call.
template <detail::WasmResults R, WasmScalar... A>
class TypedFunc<R(A...)> {
 public:
  CallResult<R> call(A... args) const { return func_.template callUnchecked<R>(args...); }
  const Func& func() const { return func_; }

 private:
  friend class Func;
  explicit TypedFunc(Func f) : func_(f) {}
  Func func_;
};

template <class Sig>
Result<TypedFunc<Sig>> Func::typed() const {
  return []<detail::WasmResults R, WasmScalar... A>(const Func& f, R (*)(A...)) -> Result<TypedFunc<Sig>> {
    constexpr std::array<ValType, sizeof...(A)> params{detail::WasmValue<A>::type...};
    if (!f.hasType(params, detail::Results<R>::types))
      return std::unexpected(Error::make(ErrorKind::Usage, f.typeMismatch(params, detail::Results<R>::types).message));
    return TypedFunc<Sig>(f);
  }(*this, static_cast<Sig*>(nullptr));
}

class Memory {
 public:
  uint64_t size() const;   // in bytes
  uint64_t pages() const;  // in 64 KiB pages
  // memory.grow: the old size in pages, or nullopt when the type's maximum or the store's
  // memory limit forbids it.
  std::optional<uint64_t> grow(uint64_t deltaPages) const;

  // Bounds-checked copies. Errors: "out of bounds memory access" (ErrorKind::Usage).
  Result<void> read(uint64_t offset, std::span<uint8_t> out) const;
  Result<void> write(uint64_t offset, std::span<const uint8_t> bytes) const;
  Result<std::string> readString(uint64_t offset, uint64_t length) const;
  Result<void> writeString(uint64_t offset, std::string_view s) const;

  // Direct access. The address stays fixed when the memory grows (it is a reservation of
  // the maximum size); the span's length does not follow a later grow.
  std::span<uint8_t> data() const;

 private:
  friend struct detail::Access;
  Memory() = default;  // handles come from the API, never from nothing
  detail::StoreImpl* store_ = nullptr;
  runtime::MemoryInst* memory_ = nullptr;
};

class Global {
 public:
  ExternType type() const;
  Val get() const;
  // Errors: the global is immutable, or the value has another type (ErrorKind::Usage).
  Result<void> set(const Val& value) const;

 private:
  friend struct detail::Access;
  Global() = default;  // handles come from the API, never from nothing
  detail::StoreImpl* store_ = nullptr;
  runtime::GlobalInst* global_ = nullptr;
};

class Table {
 public:
  ExternType type() const;
  uint32_t size() const;
  std::optional<Val> get(uint32_t index) const;  // nullopt when out of bounds
  Result<void> set(uint32_t index, const Val& value) const;
  // table.grow: the old size, or nullopt when the maximum or the store's limit forbids it.
  std::optional<uint32_t> grow(uint32_t delta, const Val& init) const;

 private:
  friend struct detail::Access;
  Table() = default;  // handles come from the API, never from nothing
  detail::StoreImpl* store_ = nullptr;
  runtime::TableInst* table_ = nullptr;
};

// An external value: what a module exports and what an import is satisfied with.
using Extern = std::variant<Func, Table, Memory, Global>;

class Instance {
 public:
  std::optional<Extern> getExport(std::string_view name) const;
  std::optional<Func> func(std::string_view name) const;
  std::optional<Memory> memory(std::string_view name = "memory") const;
  std::optional<Global> global(std::string_view name) const;
  std::optional<Table> table(std::string_view name) const;
  std::vector<ExportType> exports() const;  // in the module's order

  // Calls exported function `name`: instance.call<int32_t>("fib", 30). A missing export or
  // wrong types return TrapCode::InvalidCall.
  template <detail::WasmResults R = void, WasmScalar... A>
  CallResult<R> call(std::string_view name, A... args) const {
    auto f = func(name);
    if (!f) return std::unexpected(detail::invalidCall("no exported function named \"" + std::string(name) + "\""));
    return f->template call<R>(args...);
  }

  template <class Sig>
  Result<TypedFunc<Sig>> typedFunc(std::string_view name) const {
    auto f = func(name);
    if (!f) return std::unexpected(Error::make(ErrorKind::Usage, "no exported function named \"" + std::string(name) + "\""));
    return f->template typed<Sig>();
  }

 private:
  friend struct detail::Access;
  Instance() = default;  // handles come from the API, never from nothing
  detail::StoreImpl* store_ = nullptr;
  runtime::ModuleInst* instance_ = nullptr;
};

}  // namespace bantam
