// Primitive decoders shared by the sections: lengths, names, value/reference types, limits,
// table, memory and global types (§5.2, §5.3).
#include "wasm/decoder/decode_context.h"

namespace bantam::wasm::decoder {

Result<uint32_t> readLength(ByteReader& r) {
  uint64_t at = r.offset();
  size_t before = r.remaining();
  uint32_t n = BANTAM_TRY(r.readU32());
  // Measured from the start of the length field, as the reference decoder does, so that a
  // count that only overshoots by its own encoding still reads on to "unexpected end".
  if (n > before) return malformedAt(at, kLengthOutOfBounds);
  return n;
}

Result<VecCount> readVecCount(ByteReader& r, size_t minElemBytes) {
  uint32_t n = BANTAM_TRY(readLength(r));
  size_t fit = r.remaining() / (minElemBytes ? minElemBytes : 1);
  return VecCount{n, n < fit ? n : fit};
}

Result<std::string_view> readName(ByteReader& r) {
  uint64_t at = r.offset();
  uint32_t n = BANTAM_TRY(readLength(r));
  auto raw = BANTAM_TRY(r.readBytes(n));
  std::string_view s(reinterpret_cast<const char*>(raw.data()), raw.size());
  if (!isValidUtf8(s)) return malformedAt(at, "malformed UTF-8 encoding");
  return s;
}

// Type constructors are one-byte signed LEB128 numbers (vs7) in the reference decoder, so a
// padded encoding such as 0xe0 0x7f is "integer representation too long", not a bad type.
Result<uint8_t> readTypeCode(ByteReader& r) {
  uint64_t v = 0;
  BANTAM_TRY(r.readLeb(7, true, v));
  return static_cast<uint8_t>(v & 0x7f);
}

Result<ValType> readValType(ByteReader& r) {
  uint64_t at = r.offset();
  uint8_t b = BANTAM_TRY(readTypeCode(r));
  if (auto t = valTypeFromByte(b)) return *t;
  // The reference decoder dispatches on the byte's range: number types at the top, then
  // vector types, then reference types; report the class the byte fell into.
  if (b >= 0x7c) return malformedAt(at, "malformed number type");
  if (b > 0x70) return malformedAt(at, "malformed vector type");
  return malformedAt(at, "malformed reference type");
}

Result<ValType> readRefType(ByteReader& r) {
  uint64_t at = r.offset();
  uint8_t b = BANTAM_TRY(readTypeCode(r));
  if (b == static_cast<uint8_t>(ValType::FuncRef)) return ValType::FuncRef;
  if (b == static_cast<uint8_t>(ValType::ExternRef)) return ValType::ExternRef;
  return malformedAt(at, "malformed reference type");
}

Result<Limits> readLimits(ByteReader& r) {
  // The flag is a 1-bit LEB128 (vu1) in WebAssembly 2.0: 0x02 is "integer too large" and
  // 0x81 0x00 is "integer representation too long", as binary.wast expects.
  uint64_t hasMax = 0;
  BANTAM_TRY(r.readLeb(1, false, hasMax));
  Limits lim;
  lim.min = BANTAM_TRY(r.readU32());
  if (hasMax) lim.max = BANTAM_TRY(r.readU32());
  return lim;
}

Result<TableType> readTableType(ByteReader& r) {
  TableType t;
  t.elemType = BANTAM_TRY(readRefType(r));
  t.limits = BANTAM_TRY(readLimits(r));
  return t;
}

Result<MemoryType> readMemoryType(ByteReader& r) {
  MemoryType m;
  m.limits = BANTAM_TRY(readLimits(r));
  return m;
}

Result<GlobalType> readGlobalType(ByteReader& r) {
  GlobalType g;
  g.type = BANTAM_TRY(readValType(r));
  uint64_t at = r.offset();
  uint8_t mut = BANTAM_TRY(r.readByte());
  if (mut > 1) return malformedAt(at, "malformed mutability");
  g.isMutable = mut == 1;
  return g;
}

}  // namespace bantam::wasm::decoder
