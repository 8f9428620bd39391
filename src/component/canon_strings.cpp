// Canonical ABI strings (CanonicalABI.md load_string_from_range, store_string_into_range):
// UTF-8 moves as one validated bulk copy (or a view); UTF-16 and latin1+utf16 are transcoded
// to and from the UTF-8 of Values with the spec's realloc strategy (allocate from the source
// length, reallocate once when the guess was wrong, shrink at the end).
#include <cstring>

#include "common/byte_reader.h"
#include "component/canon.h"

namespace bantam::component {

namespace {

using runtime::TrapOr;

constexpr uint32_t kUtf16Tag = 1u << 31;

// UTF-8 validation with an ASCII fast path, 8 bytes at a time: the byte-wise validator was a
// third of the instructions of a 1 KiB cross-component string call (bench/component,
// callgrind). A run of ASCII bytes ends on a character boundary, so the byte-wise check can
// start there.
bool validUtf8(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) break;
  }
  while (i < n && static_cast<unsigned char>(p[i]) < 0x80) ++i;
  return i == n || isValidUtf8(s.substr(i));
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the next code point of (already valid) UTF-8.
uint32_t nextCodePoint(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  int n = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
  uint32_t cp = b & (0x3F >> n);
  for (int k = 0; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + 1 + k]) & 0x3F);
  i += n + 1;
  return cp;
}

// Writes `cp` as UTF-16LE at `dst`; returns the number of code units (1 or 2).
uint32_t putUtf16(uint8_t* dst, uint32_t cp) {
  auto put = [&](uint32_t at, uint16_t u) { std::memcpy(dst + 2 * at, &u, 2); };
  if (cp < 0x10000) {
    put(0, static_cast<uint16_t>(cp));
    return 1;
  }
  cp -= 0x10000;
  put(0, static_cast<uint16_t>(0xD800 | (cp >> 10)));
  put(1, static_cast<uint16_t>(0xDC00 | (cp & 0x3FF)));
  return 2;
}

TrapOr<std::string> decodeUtf16(const uint8_t* p, uint32_t units) {
  std::string out;
  out.reserve(units);
  for (uint32_t i = 0; i < units; ++i) {
    uint16_t u;
    std::memcpy(&u, p + 2 * i, 2);
    uint32_t cp = u;
    if (u >= 0xD800 && u <= 0xDBFF) {
      uint16_t lo = 0;
      if (i + 1 < units) std::memcpy(&lo, p + 2 * (i + 1), 2);
      if (i + 1 >= units || lo < 0xDC00 || lo > 0xDFFF) return abiFail<std::string>("invalid utf-16: unpaired surrogate");
      cp = 0x10000 + ((uint32_t{u} - 0xD800) << 10) + (uint32_t{lo} - 0xDC00);
      ++i;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return abiFail<std::string>("invalid utf-16: unpaired surrogate");
    }
    appendUtf8(out, cp);
  }
  return out;
}

uint64_t memorySize(const CanonContext& cx) { return cx.memory ? cx.memory->sizeBytes : 0; }

TrapOr<void> checkRange(const CanonContext& cx, uint32_t ptr, uint64_t bytes) {
  if (uint64_t{ptr} + bytes > memorySize(cx)) return abiFail("string content out of bounds of memory");
  return {};
}

}  // namespace

TrapOr<Value> loadStringFromRange(CanonContext& cx, uint32_t ptr, uint32_t tagged) {
  uint32_t alignment = 1;
  uint64_t bytes = tagged;
  enum { Utf8, Utf16, Latin1 } enc = Utf8;
  switch (cx.encoding) {
    case StringEncoding::Utf8: break;
    case StringEncoding::Utf16:
      alignment = 2;
      bytes = uint64_t{tagged} * 2;
      enc = Utf16;
      break;
    case StringEncoding::Latin1Utf16:
      alignment = 2;
      if (tagged & kUtf16Tag) {
        bytes = uint64_t{tagged ^ kUtf16Tag} * 2;
        enc = Utf16;
      } else {
        enc = Latin1;
      }
      break;
  }
  if (bytes > kMaxStringByteLength) return abiFail<Value>("string of " + std::to_string(bytes) + " bytes is too long");
  if (ptr % alignment != 0) return abiFail<Value>("string pointer is not aligned");
  BANTAM_TRY(checkRange(cx, ptr, bytes));
  const uint8_t* p = cx.memory->base + ptr;
  switch (enc) {
    case Utf8: {
      std::string_view s(reinterpret_cast<const char*>(p), static_cast<size_t>(bytes));
      if (!validUtf8(s)) return abiFail<Value>("invalid utf-8 in string");
      return cx.views ? Value::stringView(s) : Value::string(std::string(s));
    }
    case Utf16: return Value::string(BANTAM_TRY(decodeUtf16(p, static_cast<uint32_t>(bytes / 2))));
    case Latin1: {
      std::string out;
      out.reserve(bytes);
      for (uint64_t i = 0; i < bytes; ++i) appendUtf8(out, p[i]);
      return Value::string(std::move(out));
    }
  }
  return Value();
}

TrapOr<std::pair<uint32_t, uint32_t>> storeStringIntoRange(CanonContext& cx, std::string_view s) {
  using Out = std::pair<uint32_t, uint32_t>;
  if (s.size() > kMaxStringByteLength) return abiFail<Out>("string of " + std::to_string(s.size()) + " bytes is too long");
  uint32_t len = static_cast<uint32_t>(s.size());
  if (!validUtf8(s))
    return std::unexpected(runtime::Trap(runtime::TrapKind::HostError, "string value is not valid UTF-8"));
  switch (cx.encoding) {
    case StringEncoding::Utf8: {
      uint32_t ptr = BANTAM_TRY(allocate(cx, 1, len));
      if (len) std::memcpy(cx.memory->base + ptr, s.data(), len);
      return Out{ptr, len};
    }
    case StringEncoding::Utf16: {
      // store_utf8_to_utf16: at most one UTF-16 code unit per UTF-8 byte.
      uint32_t worst = 2 * len;
      uint32_t ptr = BANTAM_TRY(allocate(cx, 2, worst));
      uint32_t units = 0;
      for (size_t i = 0; i < s.size();) units += putUtf16(cx.memory->base + ptr + 2 * units, nextCodePoint(s, i));
      if (2 * units < worst) ptr = BANTAM_TRY(reallocate(cx, ptr, worst, 2, 2 * units));
      return Out{ptr, units};
    }
    case StringEncoding::Latin1Utf16: {
      // store_string_to_latin1_or_utf16: guess Latin-1; on the first code point above
      // U+00FF inflate what was written to UTF-16 in place and continue in UTF-16.
      uint32_t ptr = BANTAM_TRY(allocate(cx, 2, len));
      uint32_t dst = 0;
      for (size_t i = 0; i < s.size();) {
        size_t at = i;
        uint32_t cp = nextCodePoint(s, i);
        if (cp < 0x100) {
          cx.memory->base[ptr + dst++] = static_cast<uint8_t>(cp);
          continue;
        }
        uint32_t worst = 2 * len;
        ptr = BANTAM_TRY(reallocate(cx, ptr, len, 2, worst));
        uint8_t* base = cx.memory->base + ptr;
        for (uint32_t j = dst; j-- > 0;) {
          base[2 * j] = base[j];
          base[2 * j + 1] = 0;
        }
        uint32_t units = dst;
        for (size_t k = at; k < s.size();) units += putUtf16(base + 2 * units, nextCodePoint(s, k));
        if (2 * units < worst) ptr = BANTAM_TRY(reallocate(cx, ptr, worst, 2, 2 * units));
        return Out{ptr, units | kUtf16Tag};
      }
      if (dst < len) ptr = BANTAM_TRY(reallocate(cx, ptr, len, 2, dst));
      return Out{ptr, dst};
    }
  }
  return Out{0, 0};
}

}  // namespace bantam::component
