// An append-only byte buffer with the LEB128 encodings of the binary format (§5.2.2), used by
// the text parser to emit module binaries.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

namespace bantam::wasm::text {

class ByteWriter {
 public:
  std::vector<uint8_t>& bytes() { return buf_; }
  const std::vector<uint8_t>& bytes() const { return buf_; }
  size_t size() const { return buf_.size(); }
  void clear() { buf_.clear(); }

  void u8(uint8_t b) { buf_.push_back(b); }
  void u32(uint64_t v) {  // unsigned LEB128 (minimal)
    do {
      uint8_t b = v & 0x7f;
      v >>= 7;
      buf_.push_back(v ? (b | 0x80) : b);
    } while (v);
  }
  void s64(int64_t v) {  // signed LEB128 (minimal); also s32 and s33
    for (;;) {
      uint8_t b = v & 0x7f;
      v >>= 7;  // arithmetic shift
      if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
        buf_.push_back(b);
        return;
      }
      buf_.push_back(b | 0x80);
    }
  }
  void fixed32(uint32_t v) { append(&v, 4); }  // little-endian hosts only, as the decoder
  void fixed64(uint64_t v) { append(&v, 8); }
  void append(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    buf_.insert(buf_.end(), b, b + n);
  }
  void append(std::span<const uint8_t> s) { buf_.insert(buf_.end(), s.begin(), s.end()); }
  void name(std::string_view s) {  // vec(byte)
    u32(s.size());
    append(s.data(), s.size());
  }

 private:
  std::vector<uint8_t> buf_;
};

}  // namespace bantam::wasm::text
