// The v128 instructions that move lanes or bits without arithmetic (§4.4.3): splat,
// extract_lane/replace_lane, shuffle, swizzle, the bitwise operations and any_true.
#pragma once

#if defined(__SSSE3__)
#include <tmmintrin.h>
#endif

#include "interp/semantics/common.h"

namespace bantam::sem {

namespace detail {
// Lane i of a V128 as a T. Lane indices are immediates the validator has checked (< lane
// count); the mask only keeps a broken caller inside the 16 bytes.
template <class T>
BANTAM_SEM_INLINE T getLane(const V128& v, uint32_t lane) {
  T x;
  std::memcpy(&x, v.bytes.data() + (lane & (16 / sizeof(T) - 1)) * sizeof(T), sizeof(T));
  return x;
}
template <class T>
BANTAM_SEM_INLINE V128 setLane(V128 v, uint32_t lane, T x) {
  std::memcpy(v.bytes.data() + (lane & (16 / sizeof(T) - 1)) * sizeof(T), &x, sizeof(T));
  return v;
}
}  // namespace detail

// ---- splat --------------------------------------------------------------------------------
// Float lanes are splatted as bits: a float add or move through x87 could alter a NaN.
BANTAM_SEM_INLINE V128 I8x16Splat(uint32_t x) { return wrap(u8x16{} + static_cast<uint8_t>(x)); }
BANTAM_SEM_INLINE V128 I16x8Splat(uint32_t x) { return wrap(u16x8{} + static_cast<uint16_t>(x)); }
BANTAM_SEM_INLINE V128 I32x4Splat(uint32_t x) { return wrap(u32x4{} + x); }
BANTAM_SEM_INLINE V128 I64x2Splat(uint64_t x) { return wrap(u64x2{} + x); }
BANTAM_SEM_INLINE V128 F32x4Splat(float x) { return wrap(u32x4{} + std::bit_cast<uint32_t>(x)); }
BANTAM_SEM_INLINE V128 F64x2Splat(double x) { return wrap(u64x2{} + std::bit_cast<uint64_t>(x)); }

// ---- extract_lane / replace_lane (the lane index is the trailing parameter) ----------------
BANTAM_SEM_INLINE uint32_t I8x16ExtractLaneS(V128 v, uint32_t lane) {
  return static_cast<uint32_t>(static_cast<int32_t>(detail::getLane<int8_t>(v, lane)));
}
BANTAM_SEM_INLINE uint32_t I8x16ExtractLaneU(V128 v, uint32_t lane) { return detail::getLane<uint8_t>(v, lane); }
BANTAM_SEM_INLINE uint32_t I16x8ExtractLaneS(V128 v, uint32_t lane) {
  return static_cast<uint32_t>(static_cast<int32_t>(detail::getLane<int16_t>(v, lane)));
}
BANTAM_SEM_INLINE uint32_t I16x8ExtractLaneU(V128 v, uint32_t lane) { return detail::getLane<uint16_t>(v, lane); }
BANTAM_SEM_INLINE uint32_t I32x4ExtractLane(V128 v, uint32_t lane) { return detail::getLane<uint32_t>(v, lane); }
BANTAM_SEM_INLINE uint64_t I64x2ExtractLane(V128 v, uint32_t lane) { return detail::getLane<uint64_t>(v, lane); }
BANTAM_SEM_INLINE float F32x4ExtractLane(V128 v, uint32_t lane) { return detail::getLane<float>(v, lane); }
BANTAM_SEM_INLINE double F64x2ExtractLane(V128 v, uint32_t lane) { return detail::getLane<double>(v, lane); }

BANTAM_SEM_INLINE V128 I8x16ReplaceLane(V128 v, uint32_t x, uint32_t lane) {
  return detail::setLane(v, lane, static_cast<uint8_t>(x));
}
BANTAM_SEM_INLINE V128 I16x8ReplaceLane(V128 v, uint32_t x, uint32_t lane) {
  return detail::setLane(v, lane, static_cast<uint16_t>(x));
}
BANTAM_SEM_INLINE V128 I32x4ReplaceLane(V128 v, uint32_t x, uint32_t lane) { return detail::setLane(v, lane, x); }
BANTAM_SEM_INLINE V128 I64x2ReplaceLane(V128 v, uint64_t x, uint32_t lane) { return detail::setLane(v, lane, x); }
BANTAM_SEM_INLINE V128 F32x4ReplaceLane(V128 v, float x, uint32_t lane) { return detail::setLane(v, lane, x); }
BANTAM_SEM_INLINE V128 F64x2ReplaceLane(V128 v, double x, uint32_t lane) { return detail::setLane(v, lane, x); }

// ---- shuffle and swizzle ------------------------------------------------------------------
// i8x16.shuffle: lane i of the result is byte lanes[i] of a‖b. The 16 indices are the
// instruction's immediates, validated < 32; `& 31` keeps a broken caller inside the bytes.
BANTAM_SEM_INLINE V128 I8x16Shuffle(V128 a, V128 b, const uint8_t lanes[16]) {
#if defined(__SSSE3__)
  // pshufb zeroes a lane whose index byte has bit 7 set and otherwise uses its low 4 bits:
  // idx + 0x70 (saturating) selects a's lanes 0..15, idx - 16 (wrapping) b's lanes 16..31.
  __m128i idx = _mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(lanes)), _mm_set1_epi8(31));
  __m128i fromA = _mm_shuffle_epi8(std::bit_cast<__m128i>(a), _mm_adds_epu8(idx, _mm_set1_epi8(0x70)));
  __m128i fromB = _mm_shuffle_epi8(std::bit_cast<__m128i>(b), _mm_sub_epi8(idx, _mm_set1_epi8(16)));
  return std::bit_cast<V128>(_mm_or_si128(fromA, fromB));
#else
  uint8_t both[32];
  std::memcpy(both, a.bytes.data(), 16);
  std::memcpy(both + 16, b.bytes.data(), 16);
  V128 r;
  for (int i = 0; i < 16; ++i) r.bytes[i] = both[lanes[i] & 31];
  return r;
#endif
}

// i8x16.swizzle: lane i is a[s[i]], or 0 when s[i] ≥ 16 (§4.4.3.5).
BANTAM_SEM_INLINE V128 I8x16Swizzle(V128 a, V128 s) {
#if defined(__SSSE3__)
  // Indices ≥ 16 saturate to ≥ 0x80 and select 0; 0..15 keep their low nibble.
  __m128i idx = _mm_adds_epu8(std::bit_cast<__m128i>(s), _mm_set1_epi8(0x70));
  return std::bit_cast<V128>(_mm_shuffle_epi8(std::bit_cast<__m128i>(a), idx));
#else
  uint8_t table[17];
  std::memcpy(table, a.bytes.data(), 16);
  table[16] = 0;
  V128 r;
  for (int i = 0; i < 16; ++i) r.bytes[i] = table[s.bytes[i] < 16 ? s.bytes[i] : 16];
  return r;
#endif
}

// ---- bitwise (§4.4.3.2) -------------------------------------------------------------------
BANTAM_SEM_INLINE V128 V128Not(V128 a) { return wrap(~view<u64x2>(a)); }
BANTAM_SEM_INLINE V128 V128And(V128 a, V128 b) { return wrap(view<u64x2>(a) & view<u64x2>(b)); }
BANTAM_SEM_INLINE V128 V128AndNot(V128 a, V128 b) { return wrap(view<u64x2>(a) & ~view<u64x2>(b)); }
BANTAM_SEM_INLINE V128 V128Or(V128 a, V128 b) { return wrap(view<u64x2>(a) | view<u64x2>(b)); }
BANTAM_SEM_INLINE V128 V128Xor(V128 a, V128 b) { return wrap(view<u64x2>(a) ^ view<u64x2>(b)); }
// Each result bit comes from a where the mask bit c is 1, from b where it is 0.
BANTAM_SEM_INLINE V128 V128Bitselect(V128 a, V128 b, V128 c) {
  auto m = view<u64x2>(c);
  return wrap((view<u64x2>(a) & m) | (view<u64x2>(b) & ~m));
}
BANTAM_SEM_INLINE uint32_t V128AnyTrue(V128 a) {
  auto v = view<u64x2>(a);
  return (v[0] | v[1]) != 0;
}

}  // namespace bantam::sem
