// The float-lane v128 instructions (§4.3.3 applied lanewise, §4.4.3): f32x4/f64x2 arithmetic,
// comparisons, min/max and pmin/pmax, rounding, and the lane conversions (convert, trunc_sat,
// demote/promote). NaN results follow float.h: hardware arithmetic; min/max give the positive
// canonical NaN.
#pragma once

#include "interp/semantics/common.h"
#include "interp/semantics/float.h"

namespace bantam::sem {

namespace detail {
// The integer view, sign mask and constants that go with each float lane type.
template <class F> struct FloatLanes;
template <> struct FloatLanes<f32x4> {
  using Bits = u32x4;
  static constexpr uint32_t kSign = FloatTraits<float>::kSign;
  static constexpr uint32_t kCanonicalNaN = FloatTraits<float>::kCanonicalNaN;
  static constexpr float kMagic = FloatTraits<float>::kMagic;
};
template <> struct FloatLanes<f64x2> {
  using Bits = u64x2;
  static constexpr uint64_t kSign = FloatTraits<double>::kSign;
  static constexpr uint64_t kCanonicalNaN = FloatTraits<double>::kCanonicalNaN;
  static constexpr double kMagic = FloatTraits<double>::kMagic;
};

template <class F> BANTAM_SEM_INLINE V128 vabs(V128 a) {
  return wrap(view<typename FloatLanes<F>::Bits>(a) & ~FloatLanes<F>::kSign);
}
template <class F> BANTAM_SEM_INLINE V128 vneg(V128 a) {
  return wrap(view<typename FloatLanes<F>::Bits>(a) ^ FloatLanes<F>::kSign);
}
// Magnitude of m with the sign of s, lanewise.
template <class F> BANTAM_SEM_INLINE F vcopysign(F m, F s) {
  using B = typename FloatLanes<F>::Bits;
  constexpr auto kSign = FloatLanes<F>::kSign;
  return bits<F>((bits<B>(m) & ~kSign) | (bits<B>(s) & kSign));
}

// As fmin/fmax in float.h, lanewise: NaN lanes become canonical NaN, equal lanes (±0) take
// the OR (min: -0) or AND (max: +0) of the bits.
template <class F, bool kMax> BANTAM_SEM_INLINE V128 vminmax(V128 a, V128 b) {
  using B = typename FloatLanes<F>::Bits;
  F x = view<F>(a), y = view<F>(b);
  B xb = view<B>(a), yb = view<B>(b);
  B r;
  if constexpr (kMax) r = x < y ? yb : (y < x ? xb : (xb & yb));
  else r = x < y ? xb : (y < x ? yb : (xb | yb));
  auto nan = (x != x) | (y != y);
  return wrap(nan ? splat<B>(FloatLanes<F>::kCanonicalNaN) : r);
}
// §4.4.3 pmin: b < a ? b : a; pmax: a < b ? b : a. Pure selects: the chosen lane's bits, NaN
// payloads included, are returned unchanged.
template <class F> BANTAM_SEM_INLINE V128 vpmin(V128 a, V128 b) {
  using B = typename FloatLanes<F>::Bits;
  return wrap(view<F>(b) < view<F>(a) ? view<B>(b) : view<B>(a));
}
template <class F> BANTAM_SEM_INLINE V128 vpmax(V128 a, V128 b) {
  using B = typename FloatLanes<F>::Bits;
  return wrap(view<F>(a) < view<F>(b) ? view<B>(b) : view<B>(a));
}

// Rounding to integral lanes; the SSE2 sequence is the one explained in float.h.
enum class Rounding { Ceil, Floor, Trunc, Nearest };
template <class F, Rounding kMode> BANTAM_SEM_INLINE V128 vround(V128 a) {
  F x = view<F>(a);
#if BANTAM_SEM_NATIVE_ROUNDING
  if constexpr (kMode == Rounding::Ceil) return wrap(__builtin_elementwise_ceil(x));
  else if constexpr (kMode == Rounding::Floor) return wrap(__builtin_elementwise_floor(x));
  else if constexpr (kMode == Rounding::Trunc) return wrap(__builtin_elementwise_trunc(x));
  else return wrap(__builtin_elementwise_roundeven(x));
#else
  using B = typename FloatLanes<F>::Bits;
  constexpr auto kMagic = FloatLanes<F>::kMagic;
  F ax = bits<F>(view<B>(a) & ~FloatLanes<F>::kSign);
  F n = (ax + kMagic) - kMagic;  // nearest(|x|), ties to even
  F r;
  if constexpr (kMode == Rounding::Nearest) {
    r = vcopysign(n, x);
  } else if constexpr (kMode == Rounding::Trunc) {
    r = vcopysign(n > ax ? n - 1 : n, x);
  } else {
    n = vcopysign(n, x);
    if constexpr (kMode == Rounding::Floor) r = vcopysign(n > x ? n - 1 : n, x);
    else r = vcopysign(n < x ? n + 1 : n, x);
  }
  // Lanes at or above 2^m, infinities and NaNs: x + 0 (quiets a signalling NaN).
  return wrap(ax < kMagic ? bits<B>(r) : bits<B>(x + 0));
#endif
}
}  // namespace detail

// ---- f32x4 --------------------------------------------------------------------------------
BANTAM_SEM_INLINE V128 F32x4Eq(V128 a, V128 b) { return wrap(view<f32x4>(a) == view<f32x4>(b)); }
BANTAM_SEM_INLINE V128 F32x4Ne(V128 a, V128 b) { return wrap(view<f32x4>(a) != view<f32x4>(b)); }
BANTAM_SEM_INLINE V128 F32x4Lt(V128 a, V128 b) { return wrap(view<f32x4>(a) < view<f32x4>(b)); }
BANTAM_SEM_INLINE V128 F32x4Gt(V128 a, V128 b) { return wrap(view<f32x4>(a) > view<f32x4>(b)); }
BANTAM_SEM_INLINE V128 F32x4Le(V128 a, V128 b) { return wrap(view<f32x4>(a) <= view<f32x4>(b)); }
BANTAM_SEM_INLINE V128 F32x4Ge(V128 a, V128 b) { return wrap(view<f32x4>(a) >= view<f32x4>(b)); }

BANTAM_SEM_INLINE V128 F32x4Abs(V128 a) { return detail::vabs<f32x4>(a); }
BANTAM_SEM_INLINE V128 F32x4Neg(V128 a) { return detail::vneg<f32x4>(a); }
BANTAM_SEM_INLINE V128 F32x4Sqrt(V128 a) { return wrap(__builtin_elementwise_sqrt(view<f32x4>(a))); }
BANTAM_SEM_INLINE V128 F32x4Add(V128 a, V128 b) { return wrap(view<f32x4>(a) + view<f32x4>(b)); }
BANTAM_SEM_INLINE V128 F32x4Sub(V128 a, V128 b) { return wrap(view<f32x4>(a) - view<f32x4>(b)); }
BANTAM_SEM_INLINE V128 F32x4Mul(V128 a, V128 b) { return wrap(view<f32x4>(a) * view<f32x4>(b)); }
BANTAM_SEM_INLINE V128 F32x4Div(V128 a, V128 b) { return wrap(view<f32x4>(a) / view<f32x4>(b)); }
BANTAM_SEM_INLINE V128 F32x4Min(V128 a, V128 b) { return detail::vminmax<f32x4, false>(a, b); }
BANTAM_SEM_INLINE V128 F32x4Max(V128 a, V128 b) { return detail::vminmax<f32x4, true>(a, b); }
BANTAM_SEM_INLINE V128 F32x4Pmin(V128 a, V128 b) { return detail::vpmin<f32x4>(a, b); }
BANTAM_SEM_INLINE V128 F32x4Pmax(V128 a, V128 b) { return detail::vpmax<f32x4>(a, b); }
BANTAM_SEM_INLINE V128 F32x4Ceil(V128 a) { return detail::vround<f32x4, detail::Rounding::Ceil>(a); }
BANTAM_SEM_INLINE V128 F32x4Floor(V128 a) { return detail::vround<f32x4, detail::Rounding::Floor>(a); }
BANTAM_SEM_INLINE V128 F32x4Trunc(V128 a) { return detail::vround<f32x4, detail::Rounding::Trunc>(a); }
BANTAM_SEM_INLINE V128 F32x4Nearest(V128 a) { return detail::vround<f32x4, detail::Rounding::Nearest>(a); }

// ---- f64x2 --------------------------------------------------------------------------------
BANTAM_SEM_INLINE V128 F64x2Eq(V128 a, V128 b) { return wrap(view<f64x2>(a) == view<f64x2>(b)); }
BANTAM_SEM_INLINE V128 F64x2Ne(V128 a, V128 b) { return wrap(view<f64x2>(a) != view<f64x2>(b)); }
BANTAM_SEM_INLINE V128 F64x2Lt(V128 a, V128 b) { return wrap(view<f64x2>(a) < view<f64x2>(b)); }
BANTAM_SEM_INLINE V128 F64x2Gt(V128 a, V128 b) { return wrap(view<f64x2>(a) > view<f64x2>(b)); }
BANTAM_SEM_INLINE V128 F64x2Le(V128 a, V128 b) { return wrap(view<f64x2>(a) <= view<f64x2>(b)); }
BANTAM_SEM_INLINE V128 F64x2Ge(V128 a, V128 b) { return wrap(view<f64x2>(a) >= view<f64x2>(b)); }

BANTAM_SEM_INLINE V128 F64x2Abs(V128 a) { return detail::vabs<f64x2>(a); }
BANTAM_SEM_INLINE V128 F64x2Neg(V128 a) { return detail::vneg<f64x2>(a); }
BANTAM_SEM_INLINE V128 F64x2Sqrt(V128 a) { return wrap(__builtin_elementwise_sqrt(view<f64x2>(a))); }
BANTAM_SEM_INLINE V128 F64x2Add(V128 a, V128 b) { return wrap(view<f64x2>(a) + view<f64x2>(b)); }
BANTAM_SEM_INLINE V128 F64x2Sub(V128 a, V128 b) { return wrap(view<f64x2>(a) - view<f64x2>(b)); }
BANTAM_SEM_INLINE V128 F64x2Mul(V128 a, V128 b) { return wrap(view<f64x2>(a) * view<f64x2>(b)); }
BANTAM_SEM_INLINE V128 F64x2Div(V128 a, V128 b) { return wrap(view<f64x2>(a) / view<f64x2>(b)); }
BANTAM_SEM_INLINE V128 F64x2Min(V128 a, V128 b) { return detail::vminmax<f64x2, false>(a, b); }
BANTAM_SEM_INLINE V128 F64x2Max(V128 a, V128 b) { return detail::vminmax<f64x2, true>(a, b); }
BANTAM_SEM_INLINE V128 F64x2Pmin(V128 a, V128 b) { return detail::vpmin<f64x2>(a, b); }
BANTAM_SEM_INLINE V128 F64x2Pmax(V128 a, V128 b) { return detail::vpmax<f64x2>(a, b); }
BANTAM_SEM_INLINE V128 F64x2Ceil(V128 a) { return detail::vround<f64x2, detail::Rounding::Ceil>(a); }
BANTAM_SEM_INLINE V128 F64x2Floor(V128 a) { return detail::vround<f64x2, detail::Rounding::Floor>(a); }
BANTAM_SEM_INLINE V128 F64x2Trunc(V128 a) { return detail::vround<f64x2, detail::Rounding::Trunc>(a); }
BANTAM_SEM_INLINE V128 F64x2Nearest(V128 a) { return detail::vround<f64x2, detail::Rounding::Nearest>(a); }

// ---- conversions --------------------------------------------------------------------------
// int→float lanes round once, correctly (LLVM's u32→f32 lowering on SSE2 splits the value in
// 16-bit halves whose recombination is exact until the single final addition).
BANTAM_SEM_INLINE V128 F32x4ConvertI32x4S(V128 a) { return wrap(__builtin_convertvector(view<i32x4>(a), f32x4)); }
BANTAM_SEM_INLINE V128 F32x4ConvertI32x4U(V128 a) { return wrap(__builtin_convertvector(view<u32x4>(a), f32x4)); }
BANTAM_SEM_INLINE V128 F64x2ConvertLowI32x4S(V128 a) { return wrap(__builtin_convertvector(low(view<i32x4>(a)), f64x2)); }
BANTAM_SEM_INLINE V128 F64x2ConvertLowI32x4U(V128 a) { return wrap(__builtin_convertvector(low(view<u32x4>(a)), f64x2)); }

// trunc_sat lanes: NaN → 0 and out-of-range lanes saturate. The input is clamped into the
// range first so the vector conversion only sees representable values (an out-of-range
// float→int conversion is undefined in C++ and poison in LLVM); the top bound of f32 lanes is
// the largest float below 2^31 or 2^32, and lanes at or above the limit are fixed up after.
BANTAM_SEM_INLINE V128 I32x4TruncSatF32x4S(V128 a) {
  f32x4 x = view<f32x4>(a);
  f32x4 c = x == x ? x : 0;
  c = c < -0x1p31f ? -0x1p31f : c;
  c = c > 0x1.fffffep30f ? 0x1.fffffep30f : c;
  i32x4 r = __builtin_convertvector(c, i32x4);
  return wrap(x >= 0x1p31f ? splat<i32x4>(0x7fff'ffff) : r);
}
BANTAM_SEM_INLINE V128 I32x4TruncSatF32x4U(V128 a) {
  f32x4 x = view<f32x4>(a);
  f32x4 c = x > 0 ? x : 0;  // NaN and negative lanes; (-1, 0) truncates to 0 anyway
  c = c > 0x1.fffffep31f ? 0x1.fffffep31f : c;
  u32x4 r = __builtin_convertvector(c, u32x4);
  return wrap(x >= 0x1p32f ? splat<u32x4>(0xffff'ffffu) : r);
}
// The f64 bounds 2^31 - 1 and 2^32 - 1 are exact, so clamping alone saturates.
BANTAM_SEM_INLINE V128 I32x4TruncSatF64x2SZero(V128 a) {
  f64x2 x = view<f64x2>(a);
  f64x2 c = x == x ? x : 0;
  c = c < -0x1p31 ? -0x1p31 : c;
  c = c > 0x1p31 - 1 ? 0x1p31 - 1 : c;
  return wrap(concat(__builtin_convertvector(c, i32x2), i32x2{}));
}
BANTAM_SEM_INLINE V128 I32x4TruncSatF64x2UZero(V128 a) {
  f64x2 x = view<f64x2>(a);
  f64x2 c = x > 0 ? x : 0;
  c = c > 0x1p32 - 1 ? 0x1p32 - 1 : c;
  return wrap(concat(__builtin_convertvector(c, u32x2), u32x2{}));
}

BANTAM_SEM_INLINE V128 F32x4DemoteF64x2Zero(V128 a) {
  return wrap(concat(__builtin_convertvector(view<f64x2>(a), f32x2), f32x2{}));
}
BANTAM_SEM_INLINE V128 F64x2PromoteLowF32x4(V128 a) { return wrap(__builtin_convertvector(low(view<f32x4>(a)), f64x2)); }

}  // namespace bantam::sem
