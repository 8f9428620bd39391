// Typed host functions: wrap a C++ callable as a HostCallback and derive its wasm FuncType
// from the C++ signature, so host APIs (spectest, WASI, the platform) never unpack RawVal
// cells by hand. Exceptions thrown by the callable become HostError traps in
// Store::createHostFunc, the single boundary every host function goes through.
//
//   auto f = createTypedHostFunc(store, "env.add",
//       [](Caller&, int32_t a, int32_t b) -> int32_t { return a + b; });
//
// Parameters: int32_t uint32_t int64_t uint64_t float double V128 FuncInst* ExternRef, with an
// optional leading Caller&. Results: void, one of those types, a std::tuple of them, or
// TrapOr<any of these> to trap.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "runtime/store.h"

namespace bantam::runtime {

// An externref passed to or returned from a typed host function; nullptr is ref.null extern.
struct ExternRef {
  void* ptr = nullptr;
};

// How one C++ type travels in a RawVal cell.
template <class T>
struct WasmValue;

#define BANTAM_WASM_VALUE(CppType, Vt, field)                                          \
  template <>                                                                          \
  struct WasmValue<CppType> {                                                          \
    static constexpr wasm::ValType type = wasm::ValType::Vt;                           \
    static CppType load(const RawVal& v) { return std::bit_cast<CppType>(v.field); }   \
    static void store(RawVal& v, CppType x) {                                          \
      v.i64 = 0;                                                                       \
      v.field = std::bit_cast<decltype(v.field)>(x);                                   \
    }                                                                                  \
  };
BANTAM_WASM_VALUE(int32_t, I32, i32)
BANTAM_WASM_VALUE(uint32_t, I32, i32)
BANTAM_WASM_VALUE(int64_t, I64, i64)
BANTAM_WASM_VALUE(uint64_t, I64, i64)
BANTAM_WASM_VALUE(float, F32, f32)
BANTAM_WASM_VALUE(double, F64, f64)
#undef BANTAM_WASM_VALUE

template <>
struct WasmValue<V128> {
  static constexpr wasm::ValType type = wasm::ValType::V128;
  static V128 load(const RawVal& v) { return v.v128; }
  static void store(RawVal& v, const V128& x) { v.v128 = x; }
};
template <>
struct WasmValue<FuncInst*> {
  static constexpr wasm::ValType type = wasm::ValType::FuncRef;
  static FuncInst* load(const RawVal& v) { return static_cast<FuncInst*>(v.ref); }
  static void store(RawVal& v, FuncInst* x) { v.ref = x; }
};
template <>
struct WasmValue<ExternRef> {
  static constexpr wasm::ValType type = wasm::ValType::ExternRef;
  static ExternRef load(const RawVal& v) { return {v.ref}; }
  static void store(RawVal& v, ExternRef x) { v.ref = x.ptr; }
};

namespace detail {

// The results of a host function: void, one value or a tuple of values.
template <class R>
struct HostResults {
  static std::vector<wasm::ValType> types() { return {WasmValue<R>::type}; }
  static void store(std::span<RawVal> out, R&& r) { WasmValue<R>::store(out[0], r); }
};
template <>
struct HostResults<void> {
  static std::vector<wasm::ValType> types() { return {}; }
};
template <class... Ts>
struct HostResults<std::tuple<Ts...>> {
  static std::vector<wasm::ValType> types() { return {WasmValue<Ts>::type...}; }
  static void store(std::span<RawVal> out, std::tuple<Ts...>&& r) {
    [&]<size_t... I>(std::index_sequence<I...>) {
      (WasmValue<Ts>::store(out[I], std::get<I>(r)), ...);
    }(std::index_sequence_for<Ts...>{});
  }
};

// Peels TrapOr<R> off a return type.
template <class R>
struct HostReturn {
  using Value = R;
  static constexpr bool canTrap = false;
};
template <class R>
struct HostReturn<TrapOr<R>> {
  using Value = R;
  static constexpr bool canTrap = true;
};

// The signature of a callable: lambdas, function objects and function pointers.
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

template <class Ret, bool WithCaller, class Params>
struct Wrap;
template <class Ret, bool WithCaller, class... Params>
struct Wrap<Ret, WithCaller, std::tuple<Params...>> {
  using Returned = HostReturn<Ret>;
  using Results = HostResults<typename Returned::Value>;

  static wasm::FuncType type() {
    return wasm::FuncType{{WasmValue<std::decay_t<Params>>::type...}, Results::types()};
  }

  template <class F>
  static TrapOr<void> call(F& f, Caller& caller, std::span<RawVal> io) {
    auto invoke = [&]<size_t... I>(std::index_sequence<I...>) -> Ret {
      if constexpr (WithCaller)
        return f(caller, WasmValue<std::decay_t<Params>>::load(io[I])...);
      else
        return f(WasmValue<std::decay_t<Params>>::load(io[I])...);
    };
    using Value = typename Returned::Value;
    if constexpr (Returned::canTrap) {
      Ret r = invoke(std::index_sequence_for<Params...>{});
      if (!r) return std::unexpected(std::move(r.error()));
      if constexpr (!std::is_void_v<Value>) Results::store(io, std::move(*r));
    } else if constexpr (std::is_void_v<Value>) {
      invoke(std::index_sequence_for<Params...>{});
    } else {
      Results::store(io, invoke(std::index_sequence_for<Params...>{}));
    }
    return {};
  }
};

template <class Tuple>
struct DropFirst {
  using Type = Tuple;  // only instantiated for the branch that is not taken
};
template <class First, class... Rest>
struct DropFirst<std::tuple<First, Rest...>> {
  using Type = std::tuple<Rest...>;
};

template <class Args>
constexpr bool takesCaller() {
  if constexpr (std::tuple_size_v<Args> == 0) return false;
  else return std::is_same_v<std::tuple_element_t<0, Args>, Caller&>;
}

}  // namespace detail

struct TypedHostFunc {
  wasm::FuncType type;
  HostCallback callback;
};

// Derives the FuncType of `f` and wraps it as a HostCallback.
template <class F>
TypedHostFunc wrapHostFunc(F&& f) {
  using Sig = detail::Signature<std::decay_t<F>>;
  constexpr bool withCaller = detail::takesCaller<typename Sig::Args>();
  using Params = std::conditional_t<withCaller, typename detail::DropFirst<typename Sig::Args>::Type,
                                    typename Sig::Args>;
  using W = detail::Wrap<typename Sig::Ret, withCaller, Params>;
  return TypedHostFunc{W::type(), [fn = std::forward<F>(f)](Caller& caller, std::span<RawVal> io) mutable {
                         return W::call(fn, caller, io);
                       }};
}

// Allocates a typed host function in `store`.
template <class F>
FuncInst* createTypedHostFunc(Store& store, std::string name, F&& f) {
  TypedHostFunc h = wrapHostFunc(std::forward<F>(f));
  return store.createHostFunc(std::move(h.type), std::move(h.callback), std::move(name));
}

}  // namespace bantam::runtime
