// The integer-lane v128 instructions (§4.3.2 applied lanewise, §4.4.3): comparisons giving
// all-ones/zero lanes, wrapping and saturating arithmetic, shifts modulo the lane width,
// min/max, avgr_u, abs/neg/popcnt, all_true/bitmask, and the widening and narrowing family
// (extend, extmul, extadd_pairwise, dot, narrow, q15mulr_sat_s).
#pragma once

#include "interp/semantics/common.h"

namespace bantam::sem {

namespace detail {
// Bool vectors are bit-packed: converting a lane mask to one and reading its bits is the
// bitmask instruction (pmovmskb/movmskps/movmskpd on x86). Lanes past N are padding.
template <int N, class V>
BANTAM_SEM_INLINE uint32_t signBits(V v) {
  using Bools = bool __attribute__((ext_vector_type(N)));
  using Bits = std::conditional_t<(N > 8), uint16_t, uint8_t>;
  Bools m = __builtin_convertvector(v < 0, Bools);
  return static_cast<uint32_t>(__builtin_bit_cast(Bits, m)) & ((1u << N) - 1);
}
template <class V>
BANTAM_SEM_INLINE uint32_t allNonZero(V v) {
  return __builtin_reduce_and(v != 0) != 0;
}
// Clamps signed lanes to [lo, hi] (the saturation of narrow).
template <class V>
BANTAM_SEM_INLINE V clamp(V v, LaneOf<V> lo, LaneOf<V> hi) {
  return __builtin_elementwise_min(__builtin_elementwise_max(v, splat<V>(lo)), splat<V>(hi));
}
}  // namespace detail

// ---- comparisons (§4.4.3.6): each lane all ones when true ---------------------------------
BANTAM_SEM_INLINE V128 I8x16Eq(V128 a, V128 b) { return wrap(view<i8x16>(a) == view<i8x16>(b)); }
BANTAM_SEM_INLINE V128 I8x16Ne(V128 a, V128 b) { return wrap(view<i8x16>(a) != view<i8x16>(b)); }
BANTAM_SEM_INLINE V128 I8x16LtS(V128 a, V128 b) { return wrap(view<i8x16>(a) < view<i8x16>(b)); }
BANTAM_SEM_INLINE V128 I8x16LtU(V128 a, V128 b) { return wrap(view<u8x16>(a) < view<u8x16>(b)); }
BANTAM_SEM_INLINE V128 I8x16GtS(V128 a, V128 b) { return wrap(view<i8x16>(a) > view<i8x16>(b)); }
BANTAM_SEM_INLINE V128 I8x16GtU(V128 a, V128 b) { return wrap(view<u8x16>(a) > view<u8x16>(b)); }
BANTAM_SEM_INLINE V128 I8x16LeS(V128 a, V128 b) { return wrap(view<i8x16>(a) <= view<i8x16>(b)); }
BANTAM_SEM_INLINE V128 I8x16LeU(V128 a, V128 b) { return wrap(view<u8x16>(a) <= view<u8x16>(b)); }
BANTAM_SEM_INLINE V128 I8x16GeS(V128 a, V128 b) { return wrap(view<i8x16>(a) >= view<i8x16>(b)); }
BANTAM_SEM_INLINE V128 I8x16GeU(V128 a, V128 b) { return wrap(view<u8x16>(a) >= view<u8x16>(b)); }

BANTAM_SEM_INLINE V128 I16x8Eq(V128 a, V128 b) { return wrap(view<i16x8>(a) == view<i16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8Ne(V128 a, V128 b) { return wrap(view<i16x8>(a) != view<i16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8LtS(V128 a, V128 b) { return wrap(view<i16x8>(a) < view<i16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8LtU(V128 a, V128 b) { return wrap(view<u16x8>(a) < view<u16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8GtS(V128 a, V128 b) { return wrap(view<i16x8>(a) > view<i16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8GtU(V128 a, V128 b) { return wrap(view<u16x8>(a) > view<u16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8LeS(V128 a, V128 b) { return wrap(view<i16x8>(a) <= view<i16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8LeU(V128 a, V128 b) { return wrap(view<u16x8>(a) <= view<u16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8GeS(V128 a, V128 b) { return wrap(view<i16x8>(a) >= view<i16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8GeU(V128 a, V128 b) { return wrap(view<u16x8>(a) >= view<u16x8>(b)); }

BANTAM_SEM_INLINE V128 I32x4Eq(V128 a, V128 b) { return wrap(view<i32x4>(a) == view<i32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4Ne(V128 a, V128 b) { return wrap(view<i32x4>(a) != view<i32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4LtS(V128 a, V128 b) { return wrap(view<i32x4>(a) < view<i32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4LtU(V128 a, V128 b) { return wrap(view<u32x4>(a) < view<u32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4GtS(V128 a, V128 b) { return wrap(view<i32x4>(a) > view<i32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4GtU(V128 a, V128 b) { return wrap(view<u32x4>(a) > view<u32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4LeS(V128 a, V128 b) { return wrap(view<i32x4>(a) <= view<i32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4LeU(V128 a, V128 b) { return wrap(view<u32x4>(a) <= view<u32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4GeS(V128 a, V128 b) { return wrap(view<i32x4>(a) >= view<i32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4GeU(V128 a, V128 b) { return wrap(view<u32x4>(a) >= view<u32x4>(b)); }

BANTAM_SEM_INLINE V128 I64x2Eq(V128 a, V128 b) { return wrap(view<i64x2>(a) == view<i64x2>(b)); }
BANTAM_SEM_INLINE V128 I64x2Ne(V128 a, V128 b) { return wrap(view<i64x2>(a) != view<i64x2>(b)); }
BANTAM_SEM_INLINE V128 I64x2LtS(V128 a, V128 b) { return wrap(view<i64x2>(a) < view<i64x2>(b)); }
BANTAM_SEM_INLINE V128 I64x2GtS(V128 a, V128 b) { return wrap(view<i64x2>(a) > view<i64x2>(b)); }
BANTAM_SEM_INLINE V128 I64x2LeS(V128 a, V128 b) { return wrap(view<i64x2>(a) <= view<i64x2>(b)); }
BANTAM_SEM_INLINE V128 I64x2GeS(V128 a, V128 b) { return wrap(view<i64x2>(a) >= view<i64x2>(b)); }

// ---- unary: abs (of MIN is MIN), neg, popcnt ----------------------------------------------
// __builtin_elementwise_abs is llvm.abs with int_min_poison=false: abs(MIN) wraps to MIN.
BANTAM_SEM_INLINE V128 I8x16Abs(V128 a) { return wrap(__builtin_elementwise_abs(view<i8x16>(a))); }
BANTAM_SEM_INLINE V128 I16x8Abs(V128 a) { return wrap(__builtin_elementwise_abs(view<i16x8>(a))); }
BANTAM_SEM_INLINE V128 I32x4Abs(V128 a) { return wrap(__builtin_elementwise_abs(view<i32x4>(a))); }
BANTAM_SEM_INLINE V128 I64x2Abs(V128 a) { return wrap(__builtin_elementwise_abs(view<i64x2>(a))); }
BANTAM_SEM_INLINE V128 I8x16Neg(V128 a) { return wrap(-view<u8x16>(a)); }
BANTAM_SEM_INLINE V128 I16x8Neg(V128 a) { return wrap(-view<u16x8>(a)); }
BANTAM_SEM_INLINE V128 I32x4Neg(V128 a) { return wrap(-view<u32x4>(a)); }
BANTAM_SEM_INLINE V128 I64x2Neg(V128 a) { return wrap(-view<u64x2>(a)); }
// Bit-parallel count (clang 19 has no __builtin_elementwise_popcount): pairs, nibbles, bytes.
BANTAM_SEM_INLINE V128 I8x16Popcnt(V128 a) {
  u8x16 v = view<u8x16>(a);
  v = v - ((v >> 1) & 0x55);
  v = (v & 0x33) + ((v >> 2) & 0x33);
  return wrap((v + (v >> 4)) & 0x0f);
}

// ---- all_true / bitmask -------------------------------------------------------------------
BANTAM_SEM_INLINE uint32_t I8x16AllTrue(V128 a) { return detail::allNonZero(view<i8x16>(a)); }
BANTAM_SEM_INLINE uint32_t I16x8AllTrue(V128 a) { return detail::allNonZero(view<i16x8>(a)); }
BANTAM_SEM_INLINE uint32_t I32x4AllTrue(V128 a) { return detail::allNonZero(view<i32x4>(a)); }
BANTAM_SEM_INLINE uint32_t I64x2AllTrue(V128 a) { return detail::allNonZero(view<i64x2>(a)); }
// Bit i of the result is the sign (top) bit of lane i.
BANTAM_SEM_INLINE uint32_t I8x16Bitmask(V128 a) { return detail::signBits<16>(view<i8x16>(a)); }
BANTAM_SEM_INLINE uint32_t I16x8Bitmask(V128 a) { return detail::signBits<8>(view<i16x8>(a)); }
BANTAM_SEM_INLINE uint32_t I32x4Bitmask(V128 a) { return detail::signBits<4>(view<i32x4>(a)); }
BANTAM_SEM_INLINE uint32_t I64x2Bitmask(V128 a) { return detail::signBits<2>(view<i64x2>(a)); }

// ---- shifts: the count is taken modulo the lane width (§4.4.3.7) --------------------------
BANTAM_SEM_INLINE V128 I8x16Shl(V128 a, uint32_t k) { return wrap(view<u8x16>(a) << (k & 7)); }
BANTAM_SEM_INLINE V128 I8x16ShrS(V128 a, uint32_t k) { return wrap(view<i8x16>(a) >> (k & 7)); }
BANTAM_SEM_INLINE V128 I8x16ShrU(V128 a, uint32_t k) { return wrap(view<u8x16>(a) >> (k & 7)); }
BANTAM_SEM_INLINE V128 I16x8Shl(V128 a, uint32_t k) { return wrap(view<u16x8>(a) << (k & 15)); }
BANTAM_SEM_INLINE V128 I16x8ShrS(V128 a, uint32_t k) { return wrap(view<i16x8>(a) >> (k & 15)); }
BANTAM_SEM_INLINE V128 I16x8ShrU(V128 a, uint32_t k) { return wrap(view<u16x8>(a) >> (k & 15)); }
BANTAM_SEM_INLINE V128 I32x4Shl(V128 a, uint32_t k) { return wrap(view<u32x4>(a) << (k & 31)); }
BANTAM_SEM_INLINE V128 I32x4ShrS(V128 a, uint32_t k) { return wrap(view<i32x4>(a) >> (k & 31)); }
BANTAM_SEM_INLINE V128 I32x4ShrU(V128 a, uint32_t k) { return wrap(view<u32x4>(a) >> (k & 31)); }
BANTAM_SEM_INLINE V128 I64x2Shl(V128 a, uint32_t k) { return wrap(view<u64x2>(a) << (k & 63)); }
BANTAM_SEM_INLINE V128 I64x2ShrS(V128 a, uint32_t k) { return wrap(view<i64x2>(a) >> (k & 63)); }
BANTAM_SEM_INLINE V128 I64x2ShrU(V128 a, uint32_t k) { return wrap(view<u64x2>(a) >> (k & 63)); }

// ---- wrapping arithmetic ------------------------------------------------------------------
BANTAM_SEM_INLINE V128 I8x16Add(V128 a, V128 b) { return wrap(view<u8x16>(a) + view<u8x16>(b)); }
BANTAM_SEM_INLINE V128 I8x16Sub(V128 a, V128 b) { return wrap(view<u8x16>(a) - view<u8x16>(b)); }
BANTAM_SEM_INLINE V128 I16x8Add(V128 a, V128 b) { return wrap(view<u16x8>(a) + view<u16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8Sub(V128 a, V128 b) { return wrap(view<u16x8>(a) - view<u16x8>(b)); }
BANTAM_SEM_INLINE V128 I16x8Mul(V128 a, V128 b) { return wrap(view<u16x8>(a) * view<u16x8>(b)); }
BANTAM_SEM_INLINE V128 I32x4Add(V128 a, V128 b) { return wrap(view<u32x4>(a) + view<u32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4Sub(V128 a, V128 b) { return wrap(view<u32x4>(a) - view<u32x4>(b)); }
BANTAM_SEM_INLINE V128 I32x4Mul(V128 a, V128 b) { return wrap(view<u32x4>(a) * view<u32x4>(b)); }
BANTAM_SEM_INLINE V128 I64x2Add(V128 a, V128 b) { return wrap(view<u64x2>(a) + view<u64x2>(b)); }
BANTAM_SEM_INLINE V128 I64x2Sub(V128 a, V128 b) { return wrap(view<u64x2>(a) - view<u64x2>(b)); }
BANTAM_SEM_INLINE V128 I64x2Mul(V128 a, V128 b) { return wrap(view<u64x2>(a) * view<u64x2>(b)); }

// ---- saturating arithmetic (§4.3.2 iadd_sat/isub_sat) -------------------------------------
BANTAM_SEM_INLINE V128 I8x16AddSatS(V128 a, V128 b) { return wrap(__builtin_elementwise_add_sat(view<i8x16>(a), view<i8x16>(b))); }
BANTAM_SEM_INLINE V128 I8x16AddSatU(V128 a, V128 b) { return wrap(__builtin_elementwise_add_sat(view<u8x16>(a), view<u8x16>(b))); }
BANTAM_SEM_INLINE V128 I8x16SubSatS(V128 a, V128 b) { return wrap(__builtin_elementwise_sub_sat(view<i8x16>(a), view<i8x16>(b))); }
BANTAM_SEM_INLINE V128 I8x16SubSatU(V128 a, V128 b) { return wrap(__builtin_elementwise_sub_sat(view<u8x16>(a), view<u8x16>(b))); }
BANTAM_SEM_INLINE V128 I16x8AddSatS(V128 a, V128 b) { return wrap(__builtin_elementwise_add_sat(view<i16x8>(a), view<i16x8>(b))); }
BANTAM_SEM_INLINE V128 I16x8AddSatU(V128 a, V128 b) { return wrap(__builtin_elementwise_add_sat(view<u16x8>(a), view<u16x8>(b))); }
BANTAM_SEM_INLINE V128 I16x8SubSatS(V128 a, V128 b) { return wrap(__builtin_elementwise_sub_sat(view<i16x8>(a), view<i16x8>(b))); }
BANTAM_SEM_INLINE V128 I16x8SubSatU(V128 a, V128 b) { return wrap(__builtin_elementwise_sub_sat(view<u16x8>(a), view<u16x8>(b))); }

// ---- min / max / avgr_u -------------------------------------------------------------------
BANTAM_SEM_INLINE V128 I8x16MinS(V128 a, V128 b) { return wrap(__builtin_elementwise_min(view<i8x16>(a), view<i8x16>(b))); }
BANTAM_SEM_INLINE V128 I8x16MinU(V128 a, V128 b) { return wrap(__builtin_elementwise_min(view<u8x16>(a), view<u8x16>(b))); }
BANTAM_SEM_INLINE V128 I8x16MaxS(V128 a, V128 b) { return wrap(__builtin_elementwise_max(view<i8x16>(a), view<i8x16>(b))); }
BANTAM_SEM_INLINE V128 I8x16MaxU(V128 a, V128 b) { return wrap(__builtin_elementwise_max(view<u8x16>(a), view<u8x16>(b))); }
BANTAM_SEM_INLINE V128 I16x8MinS(V128 a, V128 b) { return wrap(__builtin_elementwise_min(view<i16x8>(a), view<i16x8>(b))); }
BANTAM_SEM_INLINE V128 I16x8MinU(V128 a, V128 b) { return wrap(__builtin_elementwise_min(view<u16x8>(a), view<u16x8>(b))); }
BANTAM_SEM_INLINE V128 I16x8MaxS(V128 a, V128 b) { return wrap(__builtin_elementwise_max(view<i16x8>(a), view<i16x8>(b))); }
BANTAM_SEM_INLINE V128 I16x8MaxU(V128 a, V128 b) { return wrap(__builtin_elementwise_max(view<u16x8>(a), view<u16x8>(b))); }
BANTAM_SEM_INLINE V128 I32x4MinS(V128 a, V128 b) { return wrap(__builtin_elementwise_min(view<i32x4>(a), view<i32x4>(b))); }
BANTAM_SEM_INLINE V128 I32x4MinU(V128 a, V128 b) { return wrap(__builtin_elementwise_min(view<u32x4>(a), view<u32x4>(b))); }
BANTAM_SEM_INLINE V128 I32x4MaxS(V128 a, V128 b) { return wrap(__builtin_elementwise_max(view<i32x4>(a), view<i32x4>(b))); }
BANTAM_SEM_INLINE V128 I32x4MaxU(V128 a, V128 b) { return wrap(__builtin_elementwise_max(view<u32x4>(a), view<u32x4>(b))); }
// (a + b + 1) / 2 without overflow: computed in double-width lanes (this is pavgb/pavgw).
BANTAM_SEM_INLINE V128 I8x16AvgrU(V128 a, V128 b) {
  u16x16 x = __builtin_convertvector(view<u8x16>(a), u16x16), y = __builtin_convertvector(view<u8x16>(b), u16x16);
  return wrap(__builtin_convertvector((x + y + 1) >> 1, u8x16));
}
BANTAM_SEM_INLINE V128 I16x8AvgrU(V128 a, V128 b) {
  u32x8 x = __builtin_convertvector(view<u16x8>(a), u32x8), y = __builtin_convertvector(view<u16x8>(b), u32x8);
  return wrap(__builtin_convertvector((x + y + 1) >> 1, u16x8));
}

// ---- narrow: signed input lanes saturated to the narrower signed or unsigned range ----------
// Lanes 0..n/2-1 come from a, the rest from b.
BANTAM_SEM_INLINE V128 I8x16NarrowI16x8S(V128 a, V128 b) {
  return wrap(concat(__builtin_convertvector(detail::clamp(view<i16x8>(a), -128, 127), i8x8),
                     __builtin_convertvector(detail::clamp(view<i16x8>(b), -128, 127), i8x8)));
}
BANTAM_SEM_INLINE V128 I8x16NarrowI16x8U(V128 a, V128 b) {
  return wrap(concat(__builtin_convertvector(detail::clamp(view<i16x8>(a), 0, 255), u8x8),
                     __builtin_convertvector(detail::clamp(view<i16x8>(b), 0, 255), u8x8)));
}
BANTAM_SEM_INLINE V128 I16x8NarrowI32x4S(V128 a, V128 b) {
  return wrap(concat(__builtin_convertvector(detail::clamp(view<i32x4>(a), -32768, 32767), i16x4),
                     __builtin_convertvector(detail::clamp(view<i32x4>(b), -32768, 32767), i16x4)));
}
BANTAM_SEM_INLINE V128 I16x8NarrowI32x4U(V128 a, V128 b) {
  return wrap(concat(__builtin_convertvector(detail::clamp(view<i32x4>(a), 0, 65535), u16x4),
                     __builtin_convertvector(detail::clamp(view<i32x4>(b), 0, 65535), u16x4)));
}

// ---- extend: the low or high half widened, sign- or zero-extending ------------------------
BANTAM_SEM_INLINE V128 I16x8ExtendLowI8x16S(V128 a) { return wrap(__builtin_convertvector(low(view<i8x16>(a)), i16x8)); }
BANTAM_SEM_INLINE V128 I16x8ExtendHighI8x16S(V128 a) { return wrap(__builtin_convertvector(high(view<i8x16>(a)), i16x8)); }
BANTAM_SEM_INLINE V128 I16x8ExtendLowI8x16U(V128 a) { return wrap(__builtin_convertvector(low(view<u8x16>(a)), u16x8)); }
BANTAM_SEM_INLINE V128 I16x8ExtendHighI8x16U(V128 a) { return wrap(__builtin_convertvector(high(view<u8x16>(a)), u16x8)); }
BANTAM_SEM_INLINE V128 I32x4ExtendLowI16x8S(V128 a) { return wrap(__builtin_convertvector(low(view<i16x8>(a)), i32x4)); }
BANTAM_SEM_INLINE V128 I32x4ExtendHighI16x8S(V128 a) { return wrap(__builtin_convertvector(high(view<i16x8>(a)), i32x4)); }
BANTAM_SEM_INLINE V128 I32x4ExtendLowI16x8U(V128 a) { return wrap(__builtin_convertvector(low(view<u16x8>(a)), u32x4)); }
BANTAM_SEM_INLINE V128 I32x4ExtendHighI16x8U(V128 a) { return wrap(__builtin_convertvector(high(view<u16x8>(a)), u32x4)); }
BANTAM_SEM_INLINE V128 I64x2ExtendLowI32x4S(V128 a) { return wrap(__builtin_convertvector(low(view<i32x4>(a)), i64x2)); }
BANTAM_SEM_INLINE V128 I64x2ExtendHighI32x4S(V128 a) { return wrap(__builtin_convertvector(high(view<i32x4>(a)), i64x2)); }
BANTAM_SEM_INLINE V128 I64x2ExtendLowI32x4U(V128 a) { return wrap(__builtin_convertvector(low(view<u32x4>(a)), u64x2)); }
BANTAM_SEM_INLINE V128 I64x2ExtendHighI32x4U(V128 a) { return wrap(__builtin_convertvector(high(view<u32x4>(a)), u64x2)); }

// ---- extmul: widened halves multiplied. The full product always fits the wide lane
// (|-2^(n-1) * -2^(n-1)| = 2^(2n-2), (2^n - 1)^2 < 2^(2n)), so there is no overflow. --------
namespace detail {
template <class Wide, class Narrow, bool kHigh>
BANTAM_SEM_INLINE V128 extmul(V128 a, V128 b) {
  auto x = view<Narrow>(a), y = view<Narrow>(b);
  if constexpr (kHigh) return wrap(__builtin_convertvector(high(x), Wide) * __builtin_convertvector(high(y), Wide));
  else return wrap(__builtin_convertvector(low(x), Wide) * __builtin_convertvector(low(y), Wide));
}
}  // namespace detail
BANTAM_SEM_INLINE V128 I16x8ExtmulLowI8x16S(V128 a, V128 b) { return detail::extmul<i16x8, i8x16, false>(a, b); }
BANTAM_SEM_INLINE V128 I16x8ExtmulHighI8x16S(V128 a, V128 b) { return detail::extmul<i16x8, i8x16, true>(a, b); }
BANTAM_SEM_INLINE V128 I16x8ExtmulLowI8x16U(V128 a, V128 b) { return detail::extmul<u16x8, u8x16, false>(a, b); }
BANTAM_SEM_INLINE V128 I16x8ExtmulHighI8x16U(V128 a, V128 b) { return detail::extmul<u16x8, u8x16, true>(a, b); }
BANTAM_SEM_INLINE V128 I32x4ExtmulLowI16x8S(V128 a, V128 b) { return detail::extmul<i32x4, i16x8, false>(a, b); }
BANTAM_SEM_INLINE V128 I32x4ExtmulHighI16x8S(V128 a, V128 b) { return detail::extmul<i32x4, i16x8, true>(a, b); }
BANTAM_SEM_INLINE V128 I32x4ExtmulLowI16x8U(V128 a, V128 b) { return detail::extmul<u32x4, u16x8, false>(a, b); }
BANTAM_SEM_INLINE V128 I32x4ExtmulHighI16x8U(V128 a, V128 b) { return detail::extmul<u32x4, u16x8, true>(a, b); }
BANTAM_SEM_INLINE V128 I64x2ExtmulLowI32x4S(V128 a, V128 b) { return detail::extmul<i64x2, i32x4, false>(a, b); }
BANTAM_SEM_INLINE V128 I64x2ExtmulHighI32x4S(V128 a, V128 b) { return detail::extmul<i64x2, i32x4, true>(a, b); }
BANTAM_SEM_INLINE V128 I64x2ExtmulLowI32x4U(V128 a, V128 b) { return detail::extmul<u64x2, u32x4, false>(a, b); }
BANTAM_SEM_INLINE V128 I64x2ExtmulHighI32x4U(V128 a, V128 b) { return detail::extmul<u64x2, u32x4, true>(a, b); }

// ---- extadd_pairwise: adjacent lanes widened and summed (cannot overflow) -----------------
BANTAM_SEM_INLINE V128 I16x8ExtaddPairwiseI8x16S(V128 a) {
  auto v = view<i8x16>(a);
  return wrap(__builtin_convertvector(evens(v), i16x8) + __builtin_convertvector(odds(v), i16x8));
}
BANTAM_SEM_INLINE V128 I16x8ExtaddPairwiseI8x16U(V128 a) {
  auto v = view<u8x16>(a);
  return wrap(__builtin_convertvector(evens(v), u16x8) + __builtin_convertvector(odds(v), u16x8));
}
BANTAM_SEM_INLINE V128 I32x4ExtaddPairwiseI16x8S(V128 a) {
  auto v = view<i16x8>(a);
  return wrap(__builtin_convertvector(evens(v), i32x4) + __builtin_convertvector(odds(v), i32x4));
}
BANTAM_SEM_INLINE V128 I32x4ExtaddPairwiseI16x8U(V128 a) {
  auto v = view<u16x8>(a);
  return wrap(__builtin_convertvector(evens(v), u32x4) + __builtin_convertvector(odds(v), u32x4));
}

// ---- dot and q15mulr ----------------------------------------------------------------------
// i32x4.dot_i16x8_s: each product fits in i32; their sum may not (two (-2^15)^2 make 2^31)
// and wraps, so it is added unsigned.
BANTAM_SEM_INLINE V128 I32x4DotI16x8S(V128 a, V128 b) {
  auto x = view<i16x8>(a), y = view<i16x8>(b);
  i32x4 even = __builtin_convertvector(evens(x), i32x4) * __builtin_convertvector(evens(y), i32x4);
  i32x4 odd = __builtin_convertvector(odds(x), i32x4) * __builtin_convertvector(odds(y), i32x4);
  return wrap(bits<u32x4>(even) + bits<u32x4>(odd));
}
// §4.3.2 iq15mulr_sat_s: (a*b + 2^14) >> 15, saturated. In i32 the product (≤ 2^30) plus 2^14
// cannot overflow; only -2^15 * -2^15 exceeds the i16 range, giving 2^15, clamped to 2^15 - 1.
BANTAM_SEM_INLINE V128 I16x8Q15mulrSatS(V128 a, V128 b) {
  i32x8 x = __builtin_convertvector(view<i16x8>(a), i32x8), y = __builtin_convertvector(view<i16x8>(b), i32x8);
  i32x8 p = (x * y + 0x4000) >> 15;
  return wrap(__builtin_convertvector(__builtin_elementwise_min(p, i32x8{} + 0x7fff), i16x8));
}

}  // namespace bantam::sem
