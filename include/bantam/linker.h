// The linker: host functions and other definitions by (module, name), used to satisfy the
// imports of modules when instantiating them. Host functions are typed C++ callables:
//
//   linker.func("env", "log", [](bantam::Caller& caller, int32_t ptr, int32_t len) { ... });
//
// A host function traps by returning a CallResult holding a Trap (Trap::host("message")), or by
// throwing: an exception never crosses into wasm, it becomes TrapCode::HostError with its
// what() as the message.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "bantam/engine.h"
#include "bantam/instance.h"
#include "bantam/module.h"
#include "bantam/store.h"

namespace bantam {

// What a host function learns about its call.
class Caller {
 public:
  // An export of the calling instance; nullopt when called from the host rather than wasm.
  std::optional<Extern> getExport(std::string_view name) const;
  std::optional<Memory> memory(std::string_view exportName = "memory") const;
  void* data() const;  // Store::data()

 private:
  friend struct detail::Access;
  Caller() = default;
  detail::StoreImpl* store_ = nullptr;
  runtime::ModuleInst* instance_ = nullptr;
};

// A host function over raw cells: arguments in io[0..params), results to io[0..results).
using HostFunction = std::function<CallResult<void>(Caller& caller, std::span<ValRaw> io)>;

namespace detail {
struct LinkerImpl;

template <class R>
struct HostReturn {
  using Value = R;
  static constexpr bool canTrap = false;
};
template <class R>
struct HostReturn<CallResult<R>> {
  using Value = R;
  static constexpr bool canTrap = true;
};

template <class F>
struct Signature : Signature<decltype(&F::operator())> {};
template <class R, class... A>
struct Signature<R (*)(A...)> {
  using Ret = R;
  using Args = std::tuple<A...>;
};
template <class R, class... A>
struct Signature<R (*)(A...) noexcept> : Signature<R (*)(A...)> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...)> : Signature<R (*)(A...)> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...) const> : Signature<R (*)(A...)> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...) noexcept> : Signature<R (*)(A...)> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...) const noexcept> : Signature<R (*)(A...)> {};

template <class Ret, class Args>
struct HostWrap;
// With a leading Caller& parameter.
template <class Ret, class... A>
struct HostWrap<Ret, std::tuple<Caller&, A...>> {
  static constexpr bool withCaller = true;
  using Params = std::tuple<A...>;
};
template <class Ret, class... A>
struct HostWrap<Ret, std::tuple<A...>> {
  static constexpr bool withCaller = false;
  using Params = std::tuple<A...>;
};

template <class Ret, bool WithCaller, class Params>
struct HostCall;
template <class Ret, bool WithCaller, class... A>
struct HostCall<Ret, WithCaller, std::tuple<A...>> {
  using Returned = HostReturn<Ret>;
  using R = typename Returned::Value;
  static_assert((WasmScalar<std::decay_t<A>> && ...),
                "host function parameters must be int32_t, uint32_t, int64_t, uint64_t, float, double or V128");
  static_assert(WasmResults<R>, "host function results must be void, a scalar or a std::tuple of scalars");

  static FuncType type() {
    FuncType t;
    t.params = {WasmValue<std::decay_t<A>>::type...};
    t.results.assign(Results<R>::types.begin(), Results<R>::types.end());
    return t;
  }

  template <class F>
  static CallResult<void> call(F& f, Caller& caller, std::span<ValRaw> io) {
    auto invoke = [&]<size_t... I>(std::index_sequence<I...>) -> Ret {
      if constexpr (WithCaller)
        return f(caller, WasmValue<std::decay_t<A>>::load(io[I])...);
      else
        return f(WasmValue<std::decay_t<A>>::load(io[I])...);
    };
    if constexpr (Returned::canTrap) {
      Ret r = invoke(std::index_sequence_for<A...>{});
      if (!r) return std::unexpected(std::move(r.error()));
      if constexpr (!std::is_void_v<R>) Results<R>::store(io, *r);
    } else if constexpr (std::is_void_v<R>) {
      invoke(std::index_sequence_for<A...>{});
    } else {
      Results<R>::store(io, invoke(std::index_sequence_for<A...>{}));
    }
    return {};
  }
};
}  // namespace detail

class Linker {
 public:
  explicit Linker(const Engine& engine);
  ~Linker();
  Linker(Linker&&) noexcept;
  Linker& operator=(Linker&&) noexcept;

  // Defines a typed host function; its wasm type comes from the C++ signature: parameters and
  // results int32_t/uint32_t (i32), int64_t/uint64_t (i64), float, double, V128, an optional
  // leading Caller&, and a result that is void, a scalar, a std::tuple of scalars, or a
  // CallResult of those to trap. A later definition of the same name replaces an earlier one.
  template <class F>
  Linker& func(std::string module, std::string name, F&& f) {
    using Sig = detail::Signature<std::decay_t<F>>;
    using Wrap = detail::HostWrap<typename Sig::Ret, typename Sig::Args>;
    using Call = detail::HostCall<typename Sig::Ret, Wrap::withCaller, typename Wrap::Params>;
    return funcRaw(std::move(module), std::move(name), Call::type(),
                   [fn = std::forward<F>(f)](Caller& caller, std::span<ValRaw> io) mutable {
                     return Call::call(fn, caller, io);
                   });
  }
  Linker& funcRaw(std::string module, std::string name, FuncType type, HostFunction fn);

  // Defines an object of a store (an export of another instance, a memory...). Such a
  // definition only satisfies imports of instances of that same store.
  Linker& define(std::string module, std::string name, const Extern& value);
  // Makes every export of `instance` available as `module`.`export`.
  Linker& defineInstance(const std::string& module, const Instance& instance);

  // Resolves the module's imports and instantiates it in `store`. Errors: Unlinkable ("unknown
  // import", "incompatible import type", naming the import), Uninstantiable (a trap in a
  // segment or the start function, with the trap's message), Limit, Usage (a definition from
  // another store, a module from another engine).
  Result<Instance> instantiate(Store& store, const Module& module) const;

 private:
  friend struct detail::Access;
  std::unique_ptr<detail::LinkerImpl> impl_;
};

}  // namespace bantam
