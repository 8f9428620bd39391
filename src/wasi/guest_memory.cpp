// Guest memory access: strings and iovec arrays.
#include "wasi/guest_memory.h"

namespace bantam::wasi {

bool isValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) len = 2, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0) len = 3, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0) len = 4, cp = c & 0x07;
    else return false;
    if (n - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    // Overlong encodings, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

WasiResult<std::string_view> GuestMemory::string(uint32_t ptr, uint32_t len) const {
  if (!contains(ptr, len)) return err(Errno::Fault);
  if (len > kMaxPathBytes) return err(Errno::Nametoolong);
  std::string_view s(reinterpret_cast<const char*>(base_ + ptr), len);
  if (!isValidUtf8(s)) return err(Errno::Ilseq);
  if (s.find('\0') != std::string_view::npos) return err(Errno::Inval);
  return s;
}

WasiResult<std::vector<IoBuffer>> GuestMemory::iovecs(uint32_t ptr, uint32_t count) const {
  // The whole array must be addressable even though only kMaxIovecs entries are used.
  if (!contains(ptr, uint64_t{count} * layout::kIovecSize)) return err(Errno::Fault);
  uint32_t used = count < kMaxIovecs ? count : kMaxIovecs;
  std::vector<IoBuffer> out;
  out.reserve(used);
  uint64_t total = 0;
  for (uint32_t i = 0; i < used; ++i) {
    uint32_t entry = ptr + i * layout::kIovecSize;
    uint32_t buf, len;
    std::memcpy(&buf, base_ + entry, 4);
    std::memcpy(&len, base_ + entry + 4, 4);
    if (!contains(buf, len)) return err(Errno::Fault);
    if (total + len > kMaxIoBytes) {
      uint64_t rest = kMaxIoBytes - total;
      if (rest) out.emplace_back(base_ + buf, rest);
      break;
    }
    total += len;
    out.emplace_back(base_ + buf, len);
  }
  return out;
}

}  // namespace bantam::wasi
