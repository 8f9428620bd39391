// Numeric literal syntax and values (§6.3.1).
#include "wasm/text/literals.h"

#include <bit>
#include <charconv>
#include <cstring>
#include <string>
#include <system_error>

namespace bantam::wasm::text {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
unsigned hexValue(char c) {
  if (isDigit(c)) return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  return static_cast<unsigned>(c - 'A' + 10);
}

// Length of the longest prefix of `s` that is a num (hex: hexnum): digit ('_'? digit)*.
template <bool kHex>
size_t scanDigitsT(std::string_view s) {
  auto ok = [](char c) { return kHex ? isHexDigit(c) : isDigit(c); };
  if (s.empty() || !ok(s[0])) return 0;
  size_t i = 1;
  while (i < s.size()) {
    if (ok(s[i])) ++i;
    else if (s[i] == '_' && i + 1 < s.size() && ok(s[i + 1])) i += 2;
    else break;
  }
  return i;
}
size_t scanDigits(std::string_view s, bool hex) {
  return hex ? scanDigitsT<true>(s) : scanDigitsT<false>(s);
}

// Reads a digit string (underscores allowed) into `out`; false on overflow of 64 bits.
bool readDigits(std::string_view s, bool hex, uint64_t& out) {
  uint64_t v = 0;
  const uint64_t base = hex ? 16 : 10;
  for (char c : s) {
    if (c == '_') continue;
    uint64_t d = hex ? hexValue(c) : static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / base) return false;
    v = v * base + d;
  }
  out = v;
  return true;
}

struct Sign {
  bool negative = false;
  std::string_view rest;
};
Sign splitSign(std::string_view s) {
  Sign r{false, s};
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    r.negative = s[0] == '-';
    r.rest = s.substr(1);
  }
  return r;
}

// Rough binary/decimal magnitude of a finite literal's first significant digit, to tell an
// overflow from an underflow when from_chars reports out of range (it does not say which).
int64_t magnitude(std::string_view digits, bool hex) {
  size_t dot = digits.find('.');
  size_t expPos = digits.find_first_of(hex ? "pP" : "eE");
  std::string_view mant = digits.substr(0, expPos);
  int64_t exp = 0;
  if (expPos != std::string_view::npos) {
    std::string_view e = digits.substr(expPos + 1);
    bool neg = false;
    if (!e.empty() && (e[0] == '+' || e[0] == '-')) { neg = e[0] == '-'; e.remove_prefix(1); }
    for (char c : e) {
      if (c == '_') continue;
      if (exp < (int64_t{1} << 40)) exp = exp * 10 + (c - '0');
    }
    if (neg) exp = -exp;
  }
  const int64_t scale = hex ? 4 : 1;
  size_t intLen = dot == std::string_view::npos ? mant.size() : dot;
  int64_t pos = 0;  // digits before the point, counted from the first non-zero one
  for (size_t i = 0; i < mant.size(); ++i) {
    char c = mant[i];
    if (c == '_' || c == '.') continue;
    if (c != '0') {
      if (i < intLen) {
        size_t after = 0;
        for (size_t j = i + 1; j < intLen; ++j) after += mant[j] != '_';
        pos = static_cast<int64_t>(after);
      } else {
        size_t before = 0;
        for (size_t j = intLen + 1; j < i; ++j) before += mant[j] != '_';
        pos = -static_cast<int64_t>(before) - 1;
      }
      return pos * scale + exp;
    }
  }
  return 0;
}

template <class F, class Bits>
LitStatus parseFloat(std::string_view s, Bits& out) {
  constexpr unsigned kMantBits = sizeof(F) == 4 ? 23 : 52;
  constexpr Bits kSign = Bits{1} << (sizeof(F) * 8 - 1);
  constexpr Bits kMantMask = (Bits{1} << kMantBits) - 1;
  constexpr Bits kExpMask = static_cast<Bits>(~kSign & ~kMantMask);

  Sign sg = splitSign(s);
  Bits sign = sg.negative ? kSign : 0;
  std::string_view r = sg.rest;
  if (r == "inf") { out = sign | kExpMask; return LitStatus::Ok; }
  if (r == "nan") { out = sign | kExpMask | (Bits{1} << (kMantBits - 1)); return LitStatus::Ok; }
  if (r.starts_with("nan:0x")) {
    uint64_t payload = 0;
    if (!readDigits(r.substr(6), true, payload)) return LitStatus::OutOfRange;
    if (payload == 0 || payload > kMantMask) return LitStatus::OutOfRange;
    out = sign | kExpMask | static_cast<Bits>(payload);
    return LitStatus::Ok;
  }
  bool hex = r.starts_with("0x");
  if (hex) r.remove_prefix(2);
  // from_chars rejects underscores; literals are short, so a local copy is cheap.
  char small[64];
  std::string big;
  char* buf = small;
  if (r.size() > sizeof small) { big.resize(r.size()); buf = big.data(); }
  size_t n = 0;
  for (char c : r)
    if (c != '_') buf[n++] = c;
  F value{};
  auto res = std::from_chars(buf, buf + n, value,
                             hex ? std::chars_format::hex : std::chars_format::general);
  if (res.ec == std::errc::result_out_of_range) {
    if (magnitude(r, hex) >= 0) return LitStatus::OutOfRange;
    value = 0;  // underflow rounds to zero
  } else if (res.ec != std::errc{} || res.ptr != buf + n) {
    return LitStatus::Malformed;
  }
  Bits bits = std::bit_cast<Bits>(value);
  if ((bits & kExpMask) == kExpMask) return LitStatus::OutOfRange;
  out = (bits & ~kSign) | sign;
  return LitStatus::Ok;
}

}  // namespace

NumberKind classifyNumber(std::string_view s) {
  // Fast exit for keywords: a number starts with a digit, a sign, "inf" or "nan".
  if (s.empty()) return NumberKind::None;
  if (const char c = s[0]; c >= 'a' && c <= 'z' && c != 'i' && c != 'n') return NumberKind::None;
  Sign sg = splitSign(s);
  std::string_view r = sg.rest;
  if (r == "inf" || r == "nan") return NumberKind::Float;
  if (r.starts_with("nan:0x")) {
    std::string_view p = r.substr(6);
    return !p.empty() && scanDigits(p, true) == p.size() ? NumberKind::Float : NumberKind::None;
  }
  bool hex = r.starts_with("0x");
  std::string_view p = hex ? r.substr(2) : r;
  size_t j = scanDigits(p, hex);
  if (j == 0) return NumberKind::None;
  if (j == p.size()) return sg.rest.size() == s.size() ? NumberKind::Nat : NumberKind::Int;
  if (p[j] == '.') {
    ++j;
    j += scanDigits(p.substr(j), hex);
  }
  if (j < p.size() && (hex ? (p[j] == 'p' || p[j] == 'P') : (p[j] == 'e' || p[j] == 'E'))) {
    ++j;
    if (j < p.size() && (p[j] == '+' || p[j] == '-')) ++j;
    size_t e = scanDigits(p.substr(j), false);
    if (e == 0) return NumberKind::None;
    j += e;
  }
  return j == p.size() ? NumberKind::Float : NumberKind::None;
}

LitStatus parseUnsigned(std::string_view s, unsigned bits, uint64_t& out) {
  bool hex = s.starts_with("0x");
  uint64_t v = 0;
  if (!readDigits(hex ? s.substr(2) : s, hex, v)) return LitStatus::OutOfRange;
  if (bits < 64 && v >> bits) return LitStatus::OutOfRange;
  out = v;
  return LitStatus::Ok;
}

LitStatus parseInteger(std::string_view s, unsigned bits, uint64_t& out) {
  Sign sg = splitSign(s);
  std::string_view r = sg.rest;
  bool hex = r.starts_with("0x");
  uint64_t v = 0;
  if (!readDigits(hex ? r.substr(2) : r, hex, v)) return LitStatus::OutOfRange;
  const uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  if (sg.negative) {
    if (v > (uint64_t{1} << (bits - 1))) return LitStatus::OutOfRange;
    out = (0 - v) & mask;
  } else {
    if (v > mask) return LitStatus::OutOfRange;
    out = v;
  }
  return LitStatus::Ok;
}

LitStatus parseF32(std::string_view s, uint32_t& bits) { return parseFloat<float>(s, bits); }
LitStatus parseF64(std::string_view s, uint64_t& bits) { return parseFloat<double>(s, bits); }

}  // namespace bantam::wasm::text
