// The i32 and i64 instructions (§4.3.2 integer operations, §4.4.1 numeric instructions):
// wrapping arithmetic, bit counting, shifts and rotations with the count taken modulo the
// width, comparisons giving i32 0/1, and the division family, which traps.
#pragma once

#include <bit>
#include <type_traits>

#include "interp/semantics/common.h"

namespace bantam::sem {

namespace detail {
template <class U>
using Signed = std::make_signed_t<U>;
template <class U>
inline constexpr U kWidthMask = sizeof(U) * 8 - 1;

// Values are unsigned; signed interpretations go through make_signed (modular since C++20).
template <class U> BANTAM_SEM_INLINE constexpr U shl(U a, U k) { return a << (k & kWidthMask<U>); }
template <class U> BANTAM_SEM_INLINE constexpr U shrU(U a, U k) { return a >> (k & kWidthMask<U>); }
// >> of a negative value is an arithmetic shift since C++20.
template <class U> BANTAM_SEM_INLINE constexpr U shrS(U a, U k) {
  return static_cast<U>(static_cast<Signed<U>>(a) >> (k & kWidthMask<U>));
}
template <class U> BANTAM_SEM_INLINE constexpr U rotl(U a, U k) {
  return std::rotl(a, static_cast<int>(k & kWidthMask<U>));
}
template <class U> BANTAM_SEM_INLINE constexpr U rotr(U a, U k) {
  return std::rotr(a, static_cast<int>(k & kWidthMask<U>));
}

// §4.3.2 idiv_s: trap on 0; the one quotient that does not fit (MIN / -1) is an overflow.
template <class U> BANTAM_SEM_INLINE constexpr Checked<U> divS(U a, U b) {
  constexpr U kMin = U(1) << kWidthMask<U>;
  if (b == 0) [[unlikely]] return trapWith<U>(runtime::TrapKind::IntegerDivideByZero);
  if (a == kMin && b == U(-1)) [[unlikely]] return trapWith<U>(runtime::TrapKind::IntegerOverflow);
  return okValue(static_cast<U>(static_cast<Signed<U>>(a) / static_cast<Signed<U>>(b)));
}
template <class U> BANTAM_SEM_INLINE constexpr Checked<U> divU(U a, U b) {
  if (b == 0) [[unlikely]] return trapWith<U>(runtime::TrapKind::IntegerDivideByZero);
  return okValue(static_cast<U>(a / b));
}
// §4.3.2 irem_s: MIN rem -1 is 0, not a trap (and undefined in C++, a #DE fault on x86).
template <class U> BANTAM_SEM_INLINE constexpr Checked<U> remS(U a, U b) {
  if (b == 0) [[unlikely]] return trapWith<U>(runtime::TrapKind::IntegerDivideByZero);
  if (b == U(-1)) [[unlikely]] return okValue(U(0));
  return okValue(static_cast<U>(static_cast<Signed<U>>(a) % static_cast<Signed<U>>(b)));
}
template <class U> BANTAM_SEM_INLINE constexpr Checked<U> remU(U a, U b) {
  if (b == 0) [[unlikely]] return trapWith<U>(runtime::TrapKind::IntegerDivideByZero);
  return okValue(static_cast<U>(a % b));
}
template <class U> BANTAM_SEM_INLINE constexpr Signed<U> s(U a) { return static_cast<Signed<U>>(a); }
}  // namespace detail

// ---- i32 ----------------------------------------------------------------------------------
BANTAM_SEM_INLINE constexpr uint32_t I32Eqz(uint32_t a) { return a == 0; }
BANTAM_SEM_INLINE constexpr uint32_t I32Eq(uint32_t a, uint32_t b) { return a == b; }
BANTAM_SEM_INLINE constexpr uint32_t I32Ne(uint32_t a, uint32_t b) { return a != b; }
BANTAM_SEM_INLINE constexpr uint32_t I32LtS(uint32_t a, uint32_t b) { return detail::s(a) < detail::s(b); }
BANTAM_SEM_INLINE constexpr uint32_t I32LtU(uint32_t a, uint32_t b) { return a < b; }
BANTAM_SEM_INLINE constexpr uint32_t I32GtS(uint32_t a, uint32_t b) { return detail::s(a) > detail::s(b); }
BANTAM_SEM_INLINE constexpr uint32_t I32GtU(uint32_t a, uint32_t b) { return a > b; }
BANTAM_SEM_INLINE constexpr uint32_t I32LeS(uint32_t a, uint32_t b) { return detail::s(a) <= detail::s(b); }
BANTAM_SEM_INLINE constexpr uint32_t I32LeU(uint32_t a, uint32_t b) { return a <= b; }
BANTAM_SEM_INLINE constexpr uint32_t I32GeS(uint32_t a, uint32_t b) { return detail::s(a) >= detail::s(b); }
BANTAM_SEM_INLINE constexpr uint32_t I32GeU(uint32_t a, uint32_t b) { return a >= b; }

// countl_zero/countr_zero give the width for 0, as iclz/ictz require.
BANTAM_SEM_INLINE constexpr uint32_t I32Clz(uint32_t a) { return static_cast<uint32_t>(std::countl_zero(a)); }
BANTAM_SEM_INLINE constexpr uint32_t I32Ctz(uint32_t a) { return static_cast<uint32_t>(std::countr_zero(a)); }
BANTAM_SEM_INLINE constexpr uint32_t I32Popcnt(uint32_t a) { return static_cast<uint32_t>(std::popcount(a)); }
BANTAM_SEM_INLINE constexpr uint32_t I32Add(uint32_t a, uint32_t b) { return a + b; }
BANTAM_SEM_INLINE constexpr uint32_t I32Sub(uint32_t a, uint32_t b) { return a - b; }
BANTAM_SEM_INLINE constexpr uint32_t I32Mul(uint32_t a, uint32_t b) { return a * b; }
BANTAM_SEM_INLINE constexpr Checked<uint32_t> I32DivS(uint32_t a, uint32_t b) { return detail::divS(a, b); }
BANTAM_SEM_INLINE constexpr Checked<uint32_t> I32DivU(uint32_t a, uint32_t b) { return detail::divU(a, b); }
BANTAM_SEM_INLINE constexpr Checked<uint32_t> I32RemS(uint32_t a, uint32_t b) { return detail::remS(a, b); }
BANTAM_SEM_INLINE constexpr Checked<uint32_t> I32RemU(uint32_t a, uint32_t b) { return detail::remU(a, b); }
BANTAM_SEM_INLINE constexpr uint32_t I32And(uint32_t a, uint32_t b) { return a & b; }
BANTAM_SEM_INLINE constexpr uint32_t I32Or(uint32_t a, uint32_t b) { return a | b; }
BANTAM_SEM_INLINE constexpr uint32_t I32Xor(uint32_t a, uint32_t b) { return a ^ b; }
BANTAM_SEM_INLINE constexpr uint32_t I32Shl(uint32_t a, uint32_t b) { return detail::shl(a, b); }
BANTAM_SEM_INLINE constexpr uint32_t I32ShrS(uint32_t a, uint32_t b) { return detail::shrS(a, b); }
BANTAM_SEM_INLINE constexpr uint32_t I32ShrU(uint32_t a, uint32_t b) { return detail::shrU(a, b); }
BANTAM_SEM_INLINE constexpr uint32_t I32Rotl(uint32_t a, uint32_t b) { return detail::rotl(a, b); }
BANTAM_SEM_INLINE constexpr uint32_t I32Rotr(uint32_t a, uint32_t b) { return detail::rotr(a, b); }

// ---- i64 ----------------------------------------------------------------------------------
BANTAM_SEM_INLINE constexpr uint32_t I64Eqz(uint64_t a) { return a == 0; }
BANTAM_SEM_INLINE constexpr uint32_t I64Eq(uint64_t a, uint64_t b) { return a == b; }
BANTAM_SEM_INLINE constexpr uint32_t I64Ne(uint64_t a, uint64_t b) { return a != b; }
BANTAM_SEM_INLINE constexpr uint32_t I64LtS(uint64_t a, uint64_t b) { return detail::s(a) < detail::s(b); }
BANTAM_SEM_INLINE constexpr uint32_t I64LtU(uint64_t a, uint64_t b) { return a < b; }
BANTAM_SEM_INLINE constexpr uint32_t I64GtS(uint64_t a, uint64_t b) { return detail::s(a) > detail::s(b); }
BANTAM_SEM_INLINE constexpr uint32_t I64GtU(uint64_t a, uint64_t b) { return a > b; }
BANTAM_SEM_INLINE constexpr uint32_t I64LeS(uint64_t a, uint64_t b) { return detail::s(a) <= detail::s(b); }
BANTAM_SEM_INLINE constexpr uint32_t I64LeU(uint64_t a, uint64_t b) { return a <= b; }
BANTAM_SEM_INLINE constexpr uint32_t I64GeS(uint64_t a, uint64_t b) { return detail::s(a) >= detail::s(b); }
BANTAM_SEM_INLINE constexpr uint32_t I64GeU(uint64_t a, uint64_t b) { return a >= b; }

BANTAM_SEM_INLINE constexpr uint64_t I64Clz(uint64_t a) { return static_cast<uint64_t>(std::countl_zero(a)); }
BANTAM_SEM_INLINE constexpr uint64_t I64Ctz(uint64_t a) { return static_cast<uint64_t>(std::countr_zero(a)); }
BANTAM_SEM_INLINE constexpr uint64_t I64Popcnt(uint64_t a) { return static_cast<uint64_t>(std::popcount(a)); }
BANTAM_SEM_INLINE constexpr uint64_t I64Add(uint64_t a, uint64_t b) { return a + b; }
BANTAM_SEM_INLINE constexpr uint64_t I64Sub(uint64_t a, uint64_t b) { return a - b; }
BANTAM_SEM_INLINE constexpr uint64_t I64Mul(uint64_t a, uint64_t b) { return a * b; }
BANTAM_SEM_INLINE constexpr Checked<uint64_t> I64DivS(uint64_t a, uint64_t b) { return detail::divS(a, b); }
BANTAM_SEM_INLINE constexpr Checked<uint64_t> I64DivU(uint64_t a, uint64_t b) { return detail::divU(a, b); }
BANTAM_SEM_INLINE constexpr Checked<uint64_t> I64RemS(uint64_t a, uint64_t b) { return detail::remS(a, b); }
BANTAM_SEM_INLINE constexpr Checked<uint64_t> I64RemU(uint64_t a, uint64_t b) { return detail::remU(a, b); }
BANTAM_SEM_INLINE constexpr uint64_t I64And(uint64_t a, uint64_t b) { return a & b; }
BANTAM_SEM_INLINE constexpr uint64_t I64Or(uint64_t a, uint64_t b) { return a | b; }
BANTAM_SEM_INLINE constexpr uint64_t I64Xor(uint64_t a, uint64_t b) { return a ^ b; }
BANTAM_SEM_INLINE constexpr uint64_t I64Shl(uint64_t a, uint64_t b) { return detail::shl(a, b); }
BANTAM_SEM_INLINE constexpr uint64_t I64ShrS(uint64_t a, uint64_t b) { return detail::shrS(a, b); }
BANTAM_SEM_INLINE constexpr uint64_t I64ShrU(uint64_t a, uint64_t b) { return detail::shrU(a, b); }
BANTAM_SEM_INLINE constexpr uint64_t I64Rotl(uint64_t a, uint64_t b) { return detail::rotl(a, b); }
BANTAM_SEM_INLINE constexpr uint64_t I64Rotr(uint64_t a, uint64_t b) { return detail::rotr(a, b); }

// ---- sign extension (§4.3.2 iextendN_s) ---------------------------------------------------
BANTAM_SEM_INLINE constexpr uint32_t I32Extend8S(uint32_t a) { return static_cast<uint32_t>(static_cast<int8_t>(a)); }
BANTAM_SEM_INLINE constexpr uint32_t I32Extend16S(uint32_t a) { return static_cast<uint32_t>(static_cast<int16_t>(a)); }
BANTAM_SEM_INLINE constexpr uint64_t I64Extend8S(uint64_t a) { return static_cast<uint64_t>(static_cast<int8_t>(a)); }
BANTAM_SEM_INLINE constexpr uint64_t I64Extend16S(uint64_t a) { return static_cast<uint64_t>(static_cast<int16_t>(a)); }
BANTAM_SEM_INLINE constexpr uint64_t I64Extend32S(uint64_t a) { return static_cast<uint64_t>(static_cast<int32_t>(a)); }

}  // namespace bantam::sem
