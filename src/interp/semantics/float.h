// The f32 and f64 instructions (§4.3.3 floating-point operations): IEEE 754 arithmetic in the
// default rounding mode, min/max with NaN propagation and -0 < +0, rounding to integral values,
// and the sign operations, which are pure bit manipulation.
//
// NaN results: arithmetic on the host's IEEE unit already follows §4.3.3 (a NaN result is
// canonical when every NaN input is canonical, else some quiet NaN), so +, -, *, /, sqrt and
// rounding use it directly. min/max return the positive canonical NaN, which satisfies the
// rule in every case and makes those results identical on every host.
#pragma once

#include "interp/semantics/common.h"

#ifdef __FAST_MATH__
#error "the WebAssembly float semantics need IEEE arithmetic: do not build with -ffast-math"
#endif

namespace bantam::sem {

namespace detail {
template <class F> struct FloatTraits;
template <> struct FloatTraits<float> {
  using Bits = uint32_t;
  static constexpr Bits kSign = 0x8000'0000u;
  static constexpr Bits kCanonicalNaN = 0x7fc0'0000u;
  static constexpr float kMagic = 0x1p23f;  // 2^(mantissa bits): every float ≥ it is an integer
};
template <> struct FloatTraits<double> {
  using Bits = uint64_t;
  static constexpr Bits kSign = 0x8000'0000'0000'0000u;
  static constexpr Bits kCanonicalNaN = 0x7ff8'0000'0000'0000u;
  static constexpr double kMagic = 0x1p52;
};
template <class F> using FloatBits = typename FloatTraits<F>::Bits;

template <class F> BANTAM_SEM_INLINE FloatBits<F> toBits(F x) { return std::bit_cast<FloatBits<F>>(x); }
template <class F> BANTAM_SEM_INLINE F fromBits(FloatBits<F> b) { return std::bit_cast<F>(b); }

// §4.3.3 fabs/fneg/fcopysign act on the sign bit alone, NaN payloads included.
template <class F> BANTAM_SEM_INLINE F fabs(F x) { return fromBits<F>(toBits(x) & ~FloatTraits<F>::kSign); }
template <class F> BANTAM_SEM_INLINE F fneg(F x) { return fromBits<F>(toBits(x) ^ FloatTraits<F>::kSign); }
template <class F> BANTAM_SEM_INLINE F fcopysign(F x, F y) {
  constexpr auto kSign = FloatTraits<F>::kSign;
  return fromBits<F>((toBits(x) & ~kSign) | (toBits(y) & kSign));
}

// §4.3.3 fmin/fmax: any NaN operand gives NaN; -0 is below +0.
template <class F> BANTAM_SEM_INLINE F fmin(F a, F b) {
  if (a != a || b != b) [[unlikely]] return fromBits<F>(FloatTraits<F>::kCanonicalNaN);
  // Equal operands differ at most in the sign of a zero: OR keeps -0.
  if (a == b) return fromBits<F>(toBits(a) | toBits(b));
  return a < b ? a : b;
}
template <class F> BANTAM_SEM_INLINE F fmax(F a, F b) {
  if (a != a || b != b) [[unlikely]] return fromBits<F>(FloatTraits<F>::kCanonicalNaN);
  if (a == b) return fromBits<F>(toBits(a) & toBits(b));  // AND keeps +0
  return a < b ? b : a;
}

// Rounding to an integral value without SSE4.1. For 0 ≤ a < 2^m (m = mantissa bits), a + 2^m
// lies in [2^m, 2^(m+1)) where the spacing of floats is 1, so the addition rounds a to an
// integer (ties to even: 2^m is even) and the subtraction is exact. Values at or above 2^m,
// infinities and NaNs are already integral and pass through `x + 0`, which also quiets a
// signalling NaN as §4.3.3 requires. Every result takes x's sign (-0.5 rounds to -0).
template <class F> BANTAM_SEM_INLINE F roundMagnitude(F a) {
  return (a + FloatTraits<F>::kMagic) - FloatTraits<F>::kMagic;
}
template <class F> BANTAM_SEM_INLINE F fnearest(F x) {
#if BANTAM_SEM_NATIVE_ROUNDING
  return __builtin_elementwise_roundeven(x);
#else
  F a = fabs(x);
  F r = fcopysign(roundMagnitude(a), x);
  return a < FloatTraits<F>::kMagic ? r : x + F(0);
#endif
}
template <class F> BANTAM_SEM_INLINE F ffloor(F x) {
#if BANTAM_SEM_NATIVE_ROUNDING
  return __builtin_elementwise_floor(x);
#else
  F a = fabs(x);
  F n = fcopysign(roundMagnitude(a), x);
  F r = fcopysign(n > x ? n - F(1) : n, x);
  return a < FloatTraits<F>::kMagic ? r : x + F(0);
#endif
}
template <class F> BANTAM_SEM_INLINE F fceil(F x) {
#if BANTAM_SEM_NATIVE_ROUNDING
  return __builtin_elementwise_ceil(x);
#else
  F a = fabs(x);
  F n = fcopysign(roundMagnitude(a), x);
  F r = fcopysign(n < x ? n + F(1) : n, x);  // ceil(-0.5) is -0, not the +0 of -1 + 1
  return a < FloatTraits<F>::kMagic ? r : x + F(0);
#endif
}
template <class F> BANTAM_SEM_INLINE F ftrunc(F x) {
#if BANTAM_SEM_NATIVE_ROUNDING
  return __builtin_elementwise_trunc(x);
#else
  F a = fabs(x);
  F n = roundMagnitude(a);
  F r = fcopysign(n > a ? n - F(1) : n, x);
  return a < FloatTraits<F>::kMagic ? r : x + F(0);
#endif
}
// __builtin_elementwise_sqrt is llvm.sqrt: one sqrtss/sqrtsd, without the errno check and
// libm call that std::sqrt carries under -fmath-errno (the Linux default).
template <class F> BANTAM_SEM_INLINE F fsqrt(F x) { return __builtin_elementwise_sqrt(x); }
}  // namespace detail

// ---- f32 ----------------------------------------------------------------------------------
BANTAM_SEM_INLINE uint32_t F32Eq(float a, float b) { return a == b; }
BANTAM_SEM_INLINE uint32_t F32Ne(float a, float b) { return a != b; }  // true when either is NaN
BANTAM_SEM_INLINE uint32_t F32Lt(float a, float b) { return a < b; }
BANTAM_SEM_INLINE uint32_t F32Gt(float a, float b) { return a > b; }
BANTAM_SEM_INLINE uint32_t F32Le(float a, float b) { return a <= b; }
BANTAM_SEM_INLINE uint32_t F32Ge(float a, float b) { return a >= b; }

BANTAM_SEM_INLINE float F32Abs(float a) { return detail::fabs(a); }
BANTAM_SEM_INLINE float F32Neg(float a) { return detail::fneg(a); }
BANTAM_SEM_INLINE float F32Ceil(float a) { return detail::fceil(a); }
BANTAM_SEM_INLINE float F32Floor(float a) { return detail::ffloor(a); }
BANTAM_SEM_INLINE float F32Trunc(float a) { return detail::ftrunc(a); }
BANTAM_SEM_INLINE float F32Nearest(float a) { return detail::fnearest(a); }
BANTAM_SEM_INLINE float F32Sqrt(float a) { return detail::fsqrt(a); }
BANTAM_SEM_INLINE float F32Add(float a, float b) { return a + b; }
BANTAM_SEM_INLINE float F32Sub(float a, float b) { return a - b; }
BANTAM_SEM_INLINE float F32Mul(float a, float b) { return a * b; }
BANTAM_SEM_INLINE float F32Div(float a, float b) { return a / b; }
BANTAM_SEM_INLINE float F32Min(float a, float b) { return detail::fmin(a, b); }
BANTAM_SEM_INLINE float F32Max(float a, float b) { return detail::fmax(a, b); }
BANTAM_SEM_INLINE float F32Copysign(float a, float b) { return detail::fcopysign(a, b); }

// ---- f64 ----------------------------------------------------------------------------------
BANTAM_SEM_INLINE uint32_t F64Eq(double a, double b) { return a == b; }
BANTAM_SEM_INLINE uint32_t F64Ne(double a, double b) { return a != b; }
BANTAM_SEM_INLINE uint32_t F64Lt(double a, double b) { return a < b; }
BANTAM_SEM_INLINE uint32_t F64Gt(double a, double b) { return a > b; }
BANTAM_SEM_INLINE uint32_t F64Le(double a, double b) { return a <= b; }
BANTAM_SEM_INLINE uint32_t F64Ge(double a, double b) { return a >= b; }

BANTAM_SEM_INLINE double F64Abs(double a) { return detail::fabs(a); }
BANTAM_SEM_INLINE double F64Neg(double a) { return detail::fneg(a); }
BANTAM_SEM_INLINE double F64Ceil(double a) { return detail::fceil(a); }
BANTAM_SEM_INLINE double F64Floor(double a) { return detail::ffloor(a); }
BANTAM_SEM_INLINE double F64Trunc(double a) { return detail::ftrunc(a); }
BANTAM_SEM_INLINE double F64Nearest(double a) { return detail::fnearest(a); }
BANTAM_SEM_INLINE double F64Sqrt(double a) { return detail::fsqrt(a); }
BANTAM_SEM_INLINE double F64Add(double a, double b) { return a + b; }
BANTAM_SEM_INLINE double F64Sub(double a, double b) { return a - b; }
BANTAM_SEM_INLINE double F64Mul(double a, double b) { return a * b; }
BANTAM_SEM_INLINE double F64Div(double a, double b) { return a / b; }
BANTAM_SEM_INLINE double F64Min(double a, double b) { return detail::fmin(a, b); }
BANTAM_SEM_INLINE double F64Max(double a, double b) { return detail::fmax(a, b); }
BANTAM_SEM_INLINE double F64Copysign(double a, double b) { return detail::fcopysign(a, b); }

}  // namespace bantam::sem
