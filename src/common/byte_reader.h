// A bounds-checked cursor over bytes with the LEB128 rules of the WebAssembly binary format
// (§5.2.2). Hand-written rather than taken from a library because the error messages must be
// the spec's ("unexpected end", "integer representation too long", "integer too large") and
// the one-byte fast path matters for decoding speed.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "common/error.h"

namespace bantam {

class ByteReader {
 public:
  ByteReader() = default;
  // `base` is the absolute offset of bytes[0] in the enclosing binary, used in error offsets.
  explicit ByteReader(std::span<const uint8_t> bytes, uint64_t base = 0)
      : begin_(bytes.data()), pos_(bytes.data()), end_(bytes.data() + bytes.size()), base_(base) {}

  uint64_t offset() const { return base_ + static_cast<uint64_t>(pos_ - begin_); }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  bool atEnd() const { return pos_ == end_; }
  const uint8_t* position() const { return pos_; }

  std::unexpected<Error> error(std::string message) const {
    return failAt(ErrorKind::Malformed, offset(), std::move(message));
  }
  std::unexpected<Error> unexpectedEnd() const { return error("unexpected end"); }

  Result<uint8_t> readByte() {
    if (pos_ == end_) [[unlikely]] return unexpectedEnd();
    return *pos_++;
  }
  Result<uint8_t> peekByte() const {
    if (pos_ == end_) [[unlikely]] return unexpectedEnd();
    return *pos_;
  }

  // Fast paths for the hot loops of the decoder, validator and lowering: they consume and
  // return true only for a complete one-byte item, and consume nothing otherwise, so the caller
  // falls back to the checked reader (which produces the error). Callgrind on a 1M-instruction
  // module showed the Result-returning reads as the largest cost of reading instructions.
  bool tryReadByte(uint8_t& out) {
    if (pos_ == end_) [[unlikely]] return false;
    out = *pos_++;
    return true;
  }
  bool tryReadSmallU32(uint32_t& out) {
    if (pos_ == end_ || *pos_ >= 0x80) return false;
    out = *pos_++;
    return true;
  }
  bool tryReadSmallS64(int64_t& out) {
    if (pos_ == end_ || *pos_ >= 0x80) return false;
    out = static_cast<int8_t>(*pos_++ << 1) >> 1;  // sign-extend the 7 value bits
    return true;
  }

  Result<uint32_t> readU32() {
    if (pos_ != end_ && *pos_ < 0x80) [[likely]] return *pos_++;
    uint64_t v = 0;
    BANTAM_TRY(readLeb(32, false, v));
    return static_cast<uint32_t>(v);
  }
  Result<uint64_t> readU64() {
    uint64_t v = 0;
    BANTAM_TRY(readLeb(64, false, v));
    return v;
  }
  Result<int32_t> readS32() {
    uint64_t v = 0;
    BANTAM_TRY(readLeb(32, true, v));
    return static_cast<int32_t>(v);
  }
  Result<int64_t> readS33() {
    uint64_t v = 0;
    BANTAM_TRY(readLeb(33, true, v));
    return static_cast<int64_t>(v);
  }
  Result<int64_t> readS64() {
    uint64_t v = 0;
    BANTAM_TRY(readLeb(64, true, v));
    return static_cast<int64_t>(v);
  }

  Result<uint32_t> readFixedU32() {
    if (remaining() < 4) return unexpectedEnd();
    uint32_t v;
    std::memcpy(&v, pos_, 4);  // the binary format is little-endian, as is every host we target
    pos_ += 4;
    return v;
  }
  Result<uint64_t> readFixedU64() {
    if (remaining() < 8) return unexpectedEnd();
    uint64_t v;
    std::memcpy(&v, pos_, 8);
    pos_ += 8;
    return v;
  }

  Result<std::span<const uint8_t>> readBytes(size_t n) {
    if (remaining() < n) return unexpectedEnd();
    std::span<const uint8_t> out(pos_, n);
    pos_ += n;
    return out;
  }
  Result<void> skip(size_t n) {
    if (remaining() < n) return unexpectedEnd();
    pos_ += n;
    return {};
  }

  // A length-prefixed UTF-8 name (§5.2.4). Errors: "unexpected end", "length out of bounds",
  // "malformed UTF-8 encoding".
  Result<std::string_view> readName();

  // General LEB128 reader for `bits`-wide integers (§5.2.2). Signed results are sign-extended
  // to 64 bits.
  Result<void> readLeb(unsigned bits, bool isSigned, uint64_t& out);

 private:
  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  uint64_t base_ = 0;
};

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool isValidUtf8(std::string_view s);

}  // namespace bantam
