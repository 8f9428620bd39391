// Shared ground of the numeric and vector semantics headers: the trap-or-value result type,
// the clang vector types through which a V128 is seen as lanes, and the host assumptions that
// make every result exact and identical on every supported host.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "runtime/trap.h"
#include "runtime/value.h"

// Every semantic function is a leaf on the interpreter's hot path: force it inline even where
// the inliner's cost model hesitates (e.g. the lane loops of shuffle and swizzle).
#define BANTAM_SEM_INLINE [[gnu::always_inline]] inline

namespace bantam::sem {

// A V128 keeps lane 0 in bytes 0..k (§4.2.9, little-endian lanes). Viewing those bytes as a
// host vector gives lane i at element i only on a little-endian host.
static_assert(std::endian::native == std::endian::little,
              "the SIMD semantics view V128 bytes as host vectors: big-endian hosts need byte swaps");
// x87 arithmetic rounds twice (to 80 bits, then to the type); only single rounding is exact.
static_assert(__FLT_EVAL_METHOD__ == 0, "float arithmetic must be evaluated in its own type (SSE2, not x87)");
static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559);

// The result of an instruction that can trap (§4.3.2 idiv/irem, §4.3.3 trunc): `value` is
// meaningful only when `ok`; otherwise `trap` is the spec's trap kind. Two registers wide, so
// it is returned in registers.
using runtime::V128;

template <class T>
struct Checked {
  T value;
  runtime::TrapKind trap;
  bool ok;
};

template <class T>
BANTAM_SEM_INLINE constexpr Checked<T> okValue(T v) {
  return {v, runtime::TrapKind::Unreachable, true};
}
template <class T>
BANTAM_SEM_INLINE constexpr Checked<T> trapWith(runtime::TrapKind kind) {
  return {T{}, kind, false};
}

// The vector types that view a V128's bytes as lanes (clang vector extensions). Signedness
// picks the meaning of comparisons, shifts, min/max, saturation and conversions; wrapping
// arithmetic is done on the unsigned types because signed overflow is undefined behaviour.
#define BANTAM_SEM_VEC(name, T, bytes) using name = T __attribute__((vector_size(bytes)));
BANTAM_SEM_VEC(i8x16, int8_t, 16)
BANTAM_SEM_VEC(u8x16, uint8_t, 16)
BANTAM_SEM_VEC(i16x8, int16_t, 16)
BANTAM_SEM_VEC(u16x8, uint16_t, 16)
BANTAM_SEM_VEC(i32x4, int32_t, 16)
BANTAM_SEM_VEC(u32x4, uint32_t, 16)
BANTAM_SEM_VEC(i64x2, int64_t, 16)
BANTAM_SEM_VEC(u64x2, uint64_t, 16)
BANTAM_SEM_VEC(f32x4, float, 16)
BANTAM_SEM_VEC(f64x2, double, 16)
// Halves (the source of extend/extmul/convert_low) and doubles (intermediate precision).
BANTAM_SEM_VEC(i8x8, int8_t, 8)
BANTAM_SEM_VEC(u8x8, uint8_t, 8)
BANTAM_SEM_VEC(i16x4, int16_t, 8)
BANTAM_SEM_VEC(u16x4, uint16_t, 8)
BANTAM_SEM_VEC(i32x2, int32_t, 8)
BANTAM_SEM_VEC(u32x2, uint32_t, 8)
BANTAM_SEM_VEC(f32x2, float, 8)
BANTAM_SEM_VEC(u16x16, uint16_t, 32)
BANTAM_SEM_VEC(i32x8, int32_t, 32)
BANTAM_SEM_VEC(u32x8, uint32_t, 32)
#undef BANTAM_SEM_VEC

// The V128 bytes seen as lanes of vector type V, and back.
template <class V>
BANTAM_SEM_INLINE V view(const runtime::V128& v) {
  static_assert(sizeof(V) == 16);
  return __builtin_bit_cast(V, v);
}
template <class V>
BANTAM_SEM_INLINE runtime::V128 wrap(V v) {
  static_assert(sizeof(V) == 16);
  return __builtin_bit_cast(runtime::V128, v);
}
// The lane type of a vector type, and a vector with every lane x.
template <class V>
using LaneOf = std::remove_cvref_t<decltype(std::declval<V&>()[0])>;
template <class V, class T>
BANTAM_SEM_INLINE V splat(T x) {
  return V{} + static_cast<LaneOf<V>>(x);
}
// Same-size reinterpretation between vector types (comparison masks to lanes and so on).
template <class To, class From>
BANTAM_SEM_INLINE To bits(From v) {
  static_assert(sizeof(To) == sizeof(From));
  return __builtin_bit_cast(To, v);
}

// The low and high halves of a 16-byte vector: lanes 0..n/2-1 and n/2..n-1.
template <class V>
BANTAM_SEM_INLINE auto low(V v) {
  if constexpr (sizeof(v[0]) == 1) return __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7);
  else if constexpr (sizeof(v[0]) == 2) return __builtin_shufflevector(v, v, 0, 1, 2, 3);
  else return __builtin_shufflevector(v, v, 0, 1);
}
template <class V>
BANTAM_SEM_INLINE auto high(V v) {
  if constexpr (sizeof(v[0]) == 1) return __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  else if constexpr (sizeof(v[0]) == 2) return __builtin_shufflevector(v, v, 4, 5, 6, 7);
  else return __builtin_shufflevector(v, v, 2, 3);
}
// Even and odd lanes (the pairs of extadd_pairwise and dot).
template <class V>
BANTAM_SEM_INLINE auto evens(V v) {
  if constexpr (sizeof(v[0]) == 1) return __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14);
  else return __builtin_shufflevector(v, v, 0, 2, 4, 6);
}
template <class V>
BANTAM_SEM_INLINE auto odds(V v) {
  if constexpr (sizeof(v[0]) == 1) return __builtin_shufflevector(v, v, 1, 3, 5, 7, 9, 11, 13, 15);
  else return __builtin_shufflevector(v, v, 1, 3, 5, 7);
}
// Two halves joined into one 16-byte vector (narrow, and the "_zero" conversions).
template <class H>
BANTAM_SEM_INLINE auto concat(H a, H b) {
  if constexpr (sizeof(a[0]) == 1)
    return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  else if constexpr (sizeof(a[0]) == 2) return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7);
  else return __builtin_shufflevector(a, b, 0, 1, 2, 3);
}
// Rounding to integral values: SSE4.1 (roundss/roundps), AArch64 (frint*) and most other
// targets have it in hardware and clang's builtins compile to one instruction. Baseline x86-64
// (SSE2) does not, and the builtins there become libm calls (one per lane for vectors), so the
// headers use an exact add-and-subtract-2^(mantissa bits) sequence instead (see float.h).
#if defined(__SSE4_1__) || !(defined(__x86_64__) || defined(__i386__))
#define BANTAM_SEM_NATIVE_ROUNDING 1
#else
#define BANTAM_SEM_NATIVE_ROUNDING 0
#endif

}  // namespace bantam::sem
