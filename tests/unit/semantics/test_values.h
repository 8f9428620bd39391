// Test support: deterministic streams of operands that hit the edges semantics get wrong
// (zeros, extremes, NaNs, halves near rounding limits, conversion boundaries) mixed with
// uniformly random bits, for the differential tests against straightforward references.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <type_traits>

#include "runtime/value.h"

namespace bantam::sem::testing {

class Values {
 public:
  explicit Values(uint64_t seed = 0x5eed) : rng_(seed) {}

  uint64_t bits() { return rng_(); }

  // An integer of T's width: a boundary value, a random value of random magnitude, or noise.
  template <class T>
  T integer() {
    using U = std::make_unsigned_t<T>;
    constexpr int kBits = sizeof(T) * 8;
    switch (rng_() % 4) {
      case 0: {
        const U specials[] = {0, 1, U(-1), U(U(1) << (kBits - 1)), U((U(1) << (kBits - 1)) - 1),
                              U((U(1) << (kBits - 1)) + 1), U(-2), 2, U(U(-1) >> 1 >> 1)};
        return static_cast<T>(specials[rng_() % std::size(specials)]);
      }
      case 1: {  // random magnitude, random sign
        U v = static_cast<U>(rng_()) >> (rng_() % kBits);
        return static_cast<T>(rng_() & 1 ? U(0) - v : v);
      }
      default: return static_cast<T>(rng_());
    }
  }

  float f32() {
    switch (rng_() % 5) {
      case 0: {
        const uint32_t specials[] = {
            0x0000'0000, 0x8000'0000, 0x7f80'0000, 0xff80'0000,  // ±0, ±inf
            0x7fc0'0000, 0xffc0'0000, 0x7fa0'0001, 0xff80'0001,  // canonical, signalling NaNs
            0x7fc0'1234, 0x0000'0001, 0x8000'0001, 0x007f'ffff,  // payload NaN, subnormals
            0x7f7f'ffff, 0xff7f'ffff, 0x3f00'0000, 0xbf00'0000,  // ±max, ±0.5
            0x4b00'0000, 0x4aff'ffff, 0xcaff'ffff, 0x4f00'0000,  // 2^23, 2^23-0.5, 2^31
            0xcf00'0000, 0x4f80'0000, 0x5f00'0000, 0x5f80'0000,  // -2^31, 2^32, 2^63, 2^64
            0xdf00'0000, 0x4effffff, 0xbf7f'ffff, 0x3f7f'ffff};  // -2^63, below 2^31, ±(1-ulp)
        return std::bit_cast<float>(specials[rng_() % std::size(specials)]);
      }
      case 1: return std::bit_cast<float>(static_cast<uint32_t>(rng_()));
      case 2: {  // integers and halves, where rounding decides
        float v = static_cast<float>(rng_() % (1u << 25)) * 0.5f;
        return rng_() & 1 ? -v : v;
      }
      case 3: {  // near the int conversion limits
        float v = std::ldexp(1.0f + static_cast<float>(rng_() % 64) * 0x1p-23f, 29 + int(rng_() % 37));
        return rng_() & 1 ? -v : v;
      }
      default: {
        float v = std::ldexp(static_cast<float>(rng_() % 4096) / 512.0f, int(rng_() % 40) - 20);
        return rng_() & 1 ? -v : v;
      }
    }
  }

  double f64() {
    switch (rng_() % 5) {
      case 0: {
        const uint64_t specials[] = {
            0x0000'0000'0000'0000, 0x8000'0000'0000'0000, 0x7ff0'0000'0000'0000, 0xfff0'0000'0000'0000,
            0x7ff8'0000'0000'0000, 0xfff8'0000'0000'0000, 0x7ff4'0000'0000'0001, 0xfff0'0000'0000'0001,
            0x7ff8'0000'0000'1234, 0x0000'0000'0000'0001, 0x8000'0000'0000'0001, 0x7fef'ffff'ffff'ffff,
            0x3fe0'0000'0000'0000, 0xbfe0'0000'0000'0000, 0x4330'0000'0000'0000, 0x432f'ffff'ffff'ffff,
            0x41e0'0000'0000'0000, 0xc1e0'0000'0000'0000, 0x41df'ffff'ffff'ffff, 0x41f0'0000'0000'0000,
            0x41ef'ffff'ffff'ffff, 0x43e0'0000'0000'0000, 0xc3e0'0000'0000'0000, 0x43f0'0000'0000'0000,
            0xc1e0'0000'0020'0000, 0xbfef'ffff'ffff'ffff, 0x47ef'ffff'e000'0000, 0x47ef'ffff'f000'0000};
        return std::bit_cast<double>(specials[rng_() % std::size(specials)]);
      }
      case 1: return std::bit_cast<double>(rng_());
      case 2: {
        double v = static_cast<double>(rng_() % (uint64_t(1) << 54)) * 0.5;
        return rng_() & 1 ? -v : v;
      }
      case 3: {
        double v = std::ldexp(1.0 + static_cast<double>(rng_() % 4096) * 0x1p-52, 29 + int(rng_() % 37));
        return rng_() & 1 ? -v : v;
      }
      default: {
        double v = std::ldexp(static_cast<double>(rng_() % 4096) / 512.0, int(rng_() % 40) - 20);
        return rng_() & 1 ? -v : v;
      }
    }
  }

  // A V128 whose lanes of type T are drawn by integer<T>(), f32() or f64().
  template <class T>
  runtime::V128 v128() {
    std::array<T, 16 / sizeof(T)> lanes;
    for (auto& l : lanes) {
      if constexpr (std::is_same_v<T, float>) l = f32();
      else if constexpr (std::is_same_v<T, double>) l = f64();
      else l = integer<T>();
    }
    return std::bit_cast<runtime::V128>(lanes);
  }

 private:
  std::mt19937_64 rng_;
};

template <class T>
std::array<T, 16 / sizeof(T)> lanesOf(const runtime::V128& v) {
  return std::bit_cast<std::array<T, 16 / sizeof(T)>>(v);
}
template <class T, size_t N>
runtime::V128 v128Of(const std::array<T, N>& lanes) {
  static_assert(sizeof(T) * N == 16);
  return std::bit_cast<runtime::V128>(lanes);
}

}  // namespace bantam::sem::testing
