// LEB128 and name decoding for ByteReader.
#include "common/byte_reader.h"

namespace bantam {

Result<void> ByteReader::readLeb(unsigned bits, bool isSigned, uint64_t& out) {
  const unsigned maxBytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  for (unsigned i = 0;; ++i) {
    if (pos_ == end_) return unexpectedEnd();
    uint8_t byte = *pos_++;
    if (i == maxBytes - 1) {
      // Last permitted byte: no continuation, and the bits beyond `bits` must be zero
      // (unsigned) or a sign extension of the top value bit (signed).
      if (byte & 0x80) return error("integer representation too long");
      unsigned usedBits = bits - shift;  // value bits carried by this byte
      if (isSigned) {
        // The byte's 7 bits, viewed as signed, must fit in `usedBits` signed bits.
        int8_t sbyte = static_cast<int8_t>(byte << 1) >> 1;  // sign-extend 7 bits
        int64_t lo = -(int64_t{1} << (usedBits - 1)), hi = (int64_t{1} << (usedBits - 1)) - 1;
        if (sbyte < lo || sbyte > hi) return error("integer too large");
      } else if (usedBits < 7 && (byte >> usedBits) != 0) {
        return error("integer too large");
      }
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      shift += 7;
      if (isSigned && shift < 64 && (byte & 0x40)) result |= ~uint64_t{0} << shift;
      break;
    }
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) {
      if (isSigned && shift < 64 && (byte & 0x40)) result |= ~uint64_t{0} << shift;
      break;
    }
  }
  if (!isSigned && bits < 64) result &= (uint64_t{1} << bits) - 1;
  out = result;
  return {};
}

Result<std::string_view> ByteReader::readName() {
  uint32_t len = BANTAM_TRY(readU32());
  if (remaining() < len) return error("length out of bounds");
  std::string_view s(reinterpret_cast<const char*>(pos_), len);
  if (!isValidUtf8(s)) return error("malformed UTF-8 encoding");
  pos_ += len;
  return s;
}

bool isValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    uint8_t c = *p;
    if (c < 0x80) { ++p; continue; }
    size_t n;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) { n = 2; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { n = 3; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { n = 4; cp = c & 0x07; }
    else return false;
    if (static_cast<size_t>(end - p) < n) return false;
    for (size_t i = 1; i < n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return false;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    p += n;
  }
  return true;
}

}  // namespace bantam
