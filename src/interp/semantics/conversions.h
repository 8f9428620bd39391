// The scalar conversion instructions (§4.3.4): wrap/extend, float→int truncation (trapping and
// saturating), int→float conversion, demote/promote and the reinterpretations.
#pragma once

#include <type_traits>

#include "interp/semantics/common.h"

namespace bantam::sem {

namespace detail {
// §4.3.4 trunc: the value truncated toward zero must be representable, i.e. the input lies in
// the open interval (lo - 1, hi). Each op spells its bounds with constants that are exact in
// the source type (e.g. -2^31 - 1 is not an f32: for f32 the test is x >= -2^31).
// NaN fails both comparisons and is reported as an invalid conversion, the rest as overflow.
// Inside the bounds the C++ conversion truncates toward zero and is defined.
template <class To, class From>
BANTAM_SEM_INLINE Checked<To> truncChecked(From x, bool inRange) {
  if (inRange) [[likely]] return okValue(static_cast<To>(x));
  return trapWith<To>(x != x ? runtime::TrapKind::InvalidConversionToInteger
                             : runtime::TrapKind::IntegerOverflow);
}
template <class U>
BANTAM_SEM_INLINE Checked<U> asUnsigned(Checked<std::make_signed_t<U>> c) {
  return {static_cast<U>(c.value), c.trap, c.ok};
}

// §4.3.4 trunc_sat: NaN gives 0, out-of-range values the nearest bound. The conversion is only
// evaluated on the in-range path (an out-of-range float→int cast is undefined in C++).
template <class S, class F>
BANTAM_SEM_INLINE S truncSatS(F x) {
  constexpr F kLimit = F(uint64_t(1) << (sizeof(S) * 8 - 1));  // 2^(N-1), exact in f32 and f64
  if (x != x) return 0;
  if (x < -kLimit) return std::numeric_limits<S>::min();
  if (x >= kLimit) return std::numeric_limits<S>::max();
  return static_cast<S>(x);
}
template <class U, class F>
BANTAM_SEM_INLINE U truncSatU(F x) {
  constexpr F kLimit = F(2) * F(uint64_t(1) << (sizeof(U) * 8 - 1));  // 2^N
  if (!(x > F(-1))) return 0;  // NaN and x ≤ -1; (-1, 0) truncates to 0 below
  if (x >= kLimit) return std::numeric_limits<U>::max();
  return static_cast<U>(x);
}
}  // namespace detail

BANTAM_SEM_INLINE constexpr uint32_t I32WrapI64(uint64_t a) { return static_cast<uint32_t>(a); }
BANTAM_SEM_INLINE constexpr uint64_t I64ExtendI32S(uint32_t a) { return static_cast<uint64_t>(static_cast<int32_t>(a)); }
BANTAM_SEM_INLINE constexpr uint64_t I64ExtendI32U(uint32_t a) { return a; }

// ---- trapping truncation ------------------------------------------------------------------
BANTAM_SEM_INLINE Checked<uint32_t> I32TruncF32S(float x) {
  return detail::asUnsigned<uint32_t>(detail::truncChecked<int32_t>(x, x >= -0x1p31f && x < 0x1p31f));
}
BANTAM_SEM_INLINE Checked<uint32_t> I32TruncF32U(float x) {
  return detail::truncChecked<uint32_t>(x, x > -1.0f && x < 0x1p32f);
}
BANTAM_SEM_INLINE Checked<uint32_t> I32TruncF64S(double x) {
  return detail::asUnsigned<uint32_t>(detail::truncChecked<int32_t>(x, x > -0x1p31 - 1.0 && x < 0x1p31));
}
BANTAM_SEM_INLINE Checked<uint32_t> I32TruncF64U(double x) {
  return detail::truncChecked<uint32_t>(x, x > -1.0 && x < 0x1p32);
}
BANTAM_SEM_INLINE Checked<uint64_t> I64TruncF32S(float x) {
  return detail::asUnsigned<uint64_t>(detail::truncChecked<int64_t>(x, x >= -0x1p63f && x < 0x1p63f));
}
BANTAM_SEM_INLINE Checked<uint64_t> I64TruncF32U(float x) {
  return detail::truncChecked<uint64_t>(x, x > -1.0f && x < 0x1p64f);
}
BANTAM_SEM_INLINE Checked<uint64_t> I64TruncF64S(double x) {
  return detail::asUnsigned<uint64_t>(detail::truncChecked<int64_t>(x, x >= -0x1p63 && x < 0x1p63));
}
BANTAM_SEM_INLINE Checked<uint64_t> I64TruncF64U(double x) {
  return detail::truncChecked<uint64_t>(x, x > -1.0 && x < 0x1p64);
}

// ---- saturating truncation ----------------------------------------------------------------
BANTAM_SEM_INLINE uint32_t I32TruncSatF32S(float x) { return static_cast<uint32_t>(detail::truncSatS<int32_t>(x)); }
BANTAM_SEM_INLINE uint32_t I32TruncSatF32U(float x) { return detail::truncSatU<uint32_t>(x); }
BANTAM_SEM_INLINE uint32_t I32TruncSatF64S(double x) { return static_cast<uint32_t>(detail::truncSatS<int32_t>(x)); }
BANTAM_SEM_INLINE uint32_t I32TruncSatF64U(double x) { return detail::truncSatU<uint32_t>(x); }
BANTAM_SEM_INLINE uint64_t I64TruncSatF32S(float x) { return static_cast<uint64_t>(detail::truncSatS<int64_t>(x)); }
BANTAM_SEM_INLINE uint64_t I64TruncSatF32U(float x) { return detail::truncSatU<uint64_t>(x); }
BANTAM_SEM_INLINE uint64_t I64TruncSatF64S(double x) { return static_cast<uint64_t>(detail::truncSatS<int64_t>(x)); }
BANTAM_SEM_INLINE uint64_t I64TruncSatF64U(double x) { return detail::truncSatU<uint64_t>(x); }

// ---- int → float (§4.3.4 convert): one correctly rounded conversion each --------------------
// Clang lowers each cast to a single rounding from the integer (u64→f32 halves the value
// keeping a sticky bit when the top bit is set), never through an intermediate double, so
// there is no double-rounding error. The tests pin the cases that would expose one.
BANTAM_SEM_INLINE float F32ConvertI32S(uint32_t a) { return static_cast<float>(static_cast<int32_t>(a)); }
BANTAM_SEM_INLINE float F32ConvertI32U(uint32_t a) { return static_cast<float>(a); }
BANTAM_SEM_INLINE float F32ConvertI64S(uint64_t a) { return static_cast<float>(static_cast<int64_t>(a)); }
BANTAM_SEM_INLINE float F32ConvertI64U(uint64_t a) { return static_cast<float>(a); }
BANTAM_SEM_INLINE double F64ConvertI32S(uint32_t a) { return static_cast<double>(static_cast<int32_t>(a)); }
BANTAM_SEM_INLINE double F64ConvertI32U(uint32_t a) { return static_cast<double>(a); }
BANTAM_SEM_INLINE double F64ConvertI64S(uint64_t a) { return static_cast<double>(static_cast<int64_t>(a)); }
BANTAM_SEM_INLINE double F64ConvertI64U(uint64_t a) { return static_cast<double>(a); }

// ---- float ↔ float (§4.3.4 demote/promote) ------------------------------------------------
// The IEEE conversions round to nearest (overflow to ±inf) and keep a NaN's sign and the top
// of its payload with the quiet bit set: canonical in, canonical out, else an arithmetic NaN,
// which is what the spec asks.
BANTAM_SEM_INLINE float F32DemoteF64(double a) { return static_cast<float>(a); }
BANTAM_SEM_INLINE double F64PromoteF32(float a) { return static_cast<double>(a); }

// ---- reinterpretation: bits unchanged, NaN payloads included ------------------------------
BANTAM_SEM_INLINE uint32_t I32ReinterpretF32(float a) { return std::bit_cast<uint32_t>(a); }
BANTAM_SEM_INLINE uint64_t I64ReinterpretF64(double a) { return std::bit_cast<uint64_t>(a); }
BANTAM_SEM_INLINE float F32ReinterpretI32(uint32_t a) { return std::bit_cast<float>(a); }
BANTAM_SEM_INLINE double F64ReinterpretI64(uint64_t a) { return std::bit_cast<double>(a); }

}  // namespace bantam::sem
