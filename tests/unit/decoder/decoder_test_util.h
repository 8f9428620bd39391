// Helpers for the decoder tests: build binary modules from readable pieces (LEB128 numbers,
// names, vectors, sections) and check decode results.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "wasm/decoder/decoder.h"

namespace bantam::wasm::test {

using Bytes = std::vector<uint8_t>;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Unsigned LEB128, optionally padded to `width` bytes as wasm-ld does.
inline Bytes u32(uint64_t v, int width = 0) {
  Bytes out;
  do {
    out.push_back(static_cast<uint8_t>((v & 0x7f) | 0x80));
    v >>= 7;
  } while (v);
  while (static_cast<int>(out.size()) < width) out.push_back(0x80);
  out.back() &= 0x7f;
  return out;
}

inline Bytes s64(int64_t v) {
  Bytes out;
  for (;;) {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
      out.push_back(b);
      return out;
    }
    out.push_back(b | 0x80);
  }
}

inline Bytes name(std::string_view s) { return cat({u32(s.size()), Bytes(s.begin(), s.end())}); }

inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = u32(items.size());
  for (const auto& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

inline Bytes section(uint8_t id, const Bytes& content) { return cat({{id}, u32(content.size()), content}); }

inline Bytes header() { return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; }

inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = header();
  for (const auto& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Section ids (§5.5.2).
enum : uint8_t {
  kCustom = 0, kType = 1, kImport = 2, kFunction = 3, kTable = 4, kMemory = 5, kGlobal = 6,
  kExport = 7, kStart = 8, kElement = 9, kCode = 10, kData = 11, kDataCount = 12,
};

// Common pieces.
inline const Bytes kVoidType = {0x60, 0x00, 0x00};  // (func)
inline const Bytes kEnd = {0x0b};
inline Bytes i32Const(int32_t v) { return cat({{0x41}, s64(v)}); }

// A code-section entry: size, local declarations (count, type) pairs, instructions.
inline Bytes body(std::initializer_list<std::pair<uint32_t, uint8_t>> locals, const Bytes& instrs) {
  Bytes decls = u32(locals.size());
  for (auto [n, t] : locals) {
    Bytes c = u32(n);
    decls.insert(decls.end(), c.begin(), c.end());
    decls.push_back(t);
  }
  Bytes content = cat({decls, instrs});
  return cat({u32(content.size()), content});
}

// A module of one `(func)` with the given body entry.
inline Bytes oneFunction(const Bytes& entry) {
  return module({section(kType, vec({kVoidType})), section(kFunction, vec({{0x00}})),
                 section(kCode, vec({entry}))});
}

inline Result<Module> decode(const Bytes& b) { return decodeModule(std::span<const uint8_t>(b)); }

inline ::testing::AssertionResult isMalformed(const Result<Module>& r, std::string_view message) {
  if (r) return ::testing::AssertionFailure() << "decoded, expected \"" << message << "\"";
  if (r.error().kind != ErrorKind::Malformed)
    return ::testing::AssertionFailure() << "error kind is not Malformed: " << r.error().toString();
  if (r.error().message.find(message) == std::string::npos)
    return ::testing::AssertionFailure() << "got \"" << r.error().message << "\", expected \"" << message << "\"";
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult decodes(const Result<Module>& r) {
  if (!r) return ::testing::AssertionFailure() << r.error().toString();
  return ::testing::AssertionSuccess();
}

}  // namespace bantam::wasm::test
