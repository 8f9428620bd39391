// Evaluation of one numeric or vector instruction on untyped runtime cells, selected by its
// Op at run time: the entry point for constant folding, tools and differential tests. The
// interpreter's handlers call the typed functions (semantics.h) directly instead.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <tuple>
#include <utility>

#include "interp/semantics/semantics.h"

namespace bantam::sem {

struct Outcome {
  runtime::RawVal value;  // valid when ok; scalars in the low bytes, the rest zero
  runtime::TrapKind trap = runtime::TrapKind::Unreachable;
  bool ok = true;
};

namespace detail {
template <class T>
BANTAM_SEM_INLINE T fromRaw(const runtime::RawVal& r) {
  if constexpr (std::is_same_v<T, uint32_t>) return r.i32;
  else if constexpr (std::is_same_v<T, uint64_t>) return r.i64;
  else if constexpr (std::is_same_v<T, float>) return std::bit_cast<float>(r.f32);
  else if constexpr (std::is_same_v<T, double>) return std::bit_cast<double>(r.f64);
  else return r.v128;
}
template <class T>
BANTAM_SEM_INLINE runtime::RawVal toRaw(T x) {
  runtime::RawVal r;  // zeroed
  if constexpr (std::is_same_v<T, uint32_t>) r.i32 = x;
  else if constexpr (std::is_same_v<T, uint64_t>) r.i64 = x;
  else if constexpr (std::is_same_v<T, float>) r.f32 = std::bit_cast<uint32_t>(x);
  else if constexpr (std::is_same_v<T, double>) r.f64 = std::bit_cast<uint64_t>(x);
  else r.v128 = x;
  return r;
}

template <wasm::Op op, size_t... I>
std::optional<Outcome> evaluateWith(std::span<const runtime::RawVal> args, uint32_t lane,
                                    const uint8_t* shuffle, std::index_sequence<I...>) {
  using A = Apply<op>;
  using Params = typename A::Params;
  constexpr auto imm = wasm::opInfo(op).imm;
  auto call = [&] {
    if constexpr (imm == wasm::ImmKind::Lane)
      return A::fn(fromRaw<std::tuple_element_t<I, Params>>(args[I])..., lane);
    else if constexpr (imm == wasm::ImmKind::Shuffle)
      return A::fn(fromRaw<std::tuple_element_t<I, Params>>(args[I])..., shuffle);
    else
      return A::fn(fromRaw<std::tuple_element_t<I, Params>>(args[I])...);
  };
  auto r = call();
  if constexpr (A::kCanTrap) {
    if (!r.ok) return Outcome{runtime::RawVal{}, r.trap, false};
    return Outcome{toRaw(r.value)};
  } else {
    return Outcome{toRaw(r)};
  }
}

template <wasm::Op op>
std::optional<Outcome> evaluateAs(std::span<const runtime::RawVal> args, uint32_t lane,
                                  const uint8_t* shuffle) {
  if constexpr (!kHasSemantics<op>) {
    return std::nullopt;
  } else {
    constexpr auto& info = wasm::opInfo(op);
    if (args.size() != info.params.size()) return std::nullopt;
    if (info.imm == wasm::ImmKind::Lane && lane >= info.bytes) return std::nullopt;
    if (info.imm == wasm::ImmKind::Shuffle && shuffle == nullptr) return std::nullopt;
    return evaluateWith<op>(args, lane, shuffle, std::make_index_sequence<info.params.size()>());
  }
}
}  // namespace detail

// The result of `op` applied to `args` (deepest operand first, each in the RawVal field of its
// type: i32/i64/f32 bits/f64 bits/v128), with `lane` for Lane rows and the 16 `shuffle`
// immediates for i8x16.shuffle. A trap is an Outcome with ok == false. nullopt when the op
// is not a numeric/vector instruction here, the operand count is wrong or the lane index is
// out of range (so hostile input cannot reach undefined behaviour).
inline std::optional<Outcome> evaluate(wasm::Op op, std::span<const runtime::RawVal> args,
                                       uint32_t lane = 0, const uint8_t* shuffle = nullptr) {
  switch (op) {
#define BANTAM_OP(name, ...) \
  case wasm::Op::name: return detail::evaluateAs<wasm::Op::name>(args, lane, shuffle);
#include "wasm/opcodes.def"
#undef BANTAM_OP
  }
  return std::nullopt;
}

}  // namespace bantam::sem
