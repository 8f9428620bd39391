// Internal to the decoder: the state shared by the per-section decoders and the primitive
// readers (lengths, names, types, limits, expressions) that every section uses.
//
// Reading model. The reference interpreter reads every section, function body and
// constant expression from one stream that runs to the end of the module and only then
// checks that the declared size was consumed exactly ("section size mismatch"). The suite's
// expected messages follow from that model (a function missing its `end` reports "END opcode
// expected" when the next function's bytes follow, "section size mismatch" when the next
// section's id happens to be 0x0b), so the decoder reads the same way: each reader runs from
// its start to the end of the module and the caller compares the end position with the
// declared size. For a well-formed module this reads exactly the same bytes as bounded
// readers would; it only changes which message a malformed one gets.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/byte_reader.h"
#include "common/error.h"
#include "wasm/module.h"

namespace bantam::wasm::decoder {

inline constexpr char kUnexpectedEnd[] = "unexpected end of section or function";
inline constexpr char kSizeMismatch[] = "section size mismatch";
inline constexpr char kLengthOutOfBounds[] = "length out of bounds";

// Wasmtime's limit. The spec only requires the total to fit in u32; capping it keeps
// interpreter frames bounded and numLocals meaningful.
inline constexpr uint64_t kMaxLocals = 50000;

inline std::unexpected<Error> malformedAt(uint64_t offset, std::string message) {
  return failAt(ErrorKind::Malformed, offset, std::move(message));
}

struct DecodeContext {
  explicit DecodeContext(Module& m) : module(m), bytes(m.bytes) {}

  Module& module;
  std::span<const uint8_t> bytes;  // the module's own copy: every CodeRange points into it

  // Decoded sections that are only paired up after the last section (§5.5.16).
  std::vector<TypeIdx> funcTypeIndices;  // the function section
  bool codeUsesDataIndex = false;  // memory.init or data.drop seen in a body
  bool haveNameSection = false;

  // Scratch for expression walking, reused to keep decoding allocation-light.
  std::vector<uint8_t> frames;

  // A reader from absolute offset `from` to the end of the module (see the reading model).
  ByteReader readerFrom(uint64_t from) const {
    return ByteReader(bytes.subspan(static_cast<size_t>(from)), from);
  }
};

// len32 of the reference decoder: a u32 that may not exceed the bytes left in the module,
// counted from the start of the length itself. Used for vector counts, name lengths,
// section sizes and body sizes, so absurd counts fail before anything is allocated.
Result<uint32_t> readLength(ByteReader& r);

// A vector count (len32); `reserveHint` is the count capped by what the remaining bytes can
// hold at `minElemBytes` each, for reserve() calls that cannot be inflated by a lying count.
struct VecCount {
  uint32_t count;
  size_t reserveHint;
};
Result<VecCount> readVecCount(ByteReader& r, size_t minElemBytes = 1);

// A name (§5.2.4): len32, then bytes that must be valid UTF-8.
Result<std::string_view> readName(ByteReader& r);

// A type constructor byte, read as the one-byte signed LEB128 (vs7) it is; returns the byte.
Result<uint8_t> readTypeCode(ByteReader& r);
Result<ValType> readValType(ByteReader& r);
Result<ValType> readRefType(ByteReader& r);
Result<Limits> readLimits(ByteReader& r);
Result<TableType> readTableType(ByteReader& r);
Result<MemoryType> readMemoryType(ByteReader& r);
Result<GlobalType> readGlobalType(ByteReader& r);

// Walks an instruction sequence starting at absolute offset `start` up to and including the
// `end` that closes depth 0, checking block structure (`else` only directly inside `if`).
// Returns the offset just past that `end`. Sets ctx.codeUsesDataIndex on memory.init and
// data.drop.
Result<uint64_t> walkExpression(DecodeContext& ctx, uint64_t start);

// A constant expression at the reader's position; the reader is moved past it.
Result<CodeRange> readConstExpr(DecodeContext& ctx, ByteReader& r);

// Each decodes one non-custom section's content. `r` starts at the content and runs to the
// end of the module; the caller checks that exactly the declared size was consumed.
Result<void> decodeTypeSection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeImportSection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeFunctionSection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeTableSection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeMemorySection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeGlobalSection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeExportSection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeStartSection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeElementSection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeDataCountSection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeCodeSection(DecodeContext& ctx, ByteReader& r);
Result<void> decodeDataSection(DecodeContext& ctx, ByteReader& r);

// The "name" custom section (§7.4.1). Never fails: a malformed name section leaves
// Module::names empty.
void decodeNameSection(DecodeContext& ctx, CodeRange content);

}  // namespace bantam::wasm::decoder
