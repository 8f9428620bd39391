// One decoded instruction and the reader that produces them from a function body or a
// constant expression. Shared by the decoder (structure), the validator (types), the
// interpreter's lowering and the compiler, so immediates are decoded by exactly one piece
// of code, driven by the opcode table.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "common/byte_reader.h"
#include "wasm/opcode.h"
#include "wasm/types.h"

namespace bantam::wasm {

struct MemArg {
  uint32_t alignLog2 = 0;  // the alignment exponent as encoded
  uint64_t offset = 0;
  MemIdx memory;           // always 0 in WebAssembly 2.0
};

struct BlockType {
  enum class Kind : uint8_t { Empty, Value, TypeIndex };
  Kind kind = Kind::Empty;
  ValType value = ValType::I32;  // Kind::Value
  TypeIdx index;                 // Kind::TypeIndex
};

// Which fields are meaningful is decided by opInfo(op).imm:
//   Label Func Local Global Table Data Elem Mem -> index
//   CallIndirect -> index (type), index2 (table)      MemInit -> index (data), index2 (memory)
//   MemCopy / TableCopy -> index (dst), index2 (src)   TableInit -> index (elem), index2 (table)
//   BrTable -> brTargets (without default), index (default)
//   I32 / I64 -> i64 (sign-extended)   F32 -> bits32   F64 -> bits64
//   V128 / Shuffle -> v128    Lane -> lane    MemArg -> memarg    MemArgLane -> memarg, lane
//   BlockType -> block   RefType -> refType   SelectT -> selectTypes
// Spans point into the reader's scratch buffers and stay valid until the next call to next().
struct Instr {
  Op op = Op::Nop;
  uint32_t offset = 0;  // absolute byte offset of the opcode in the module binary
  uint32_t index = 0;
  uint32_t index2 = 0;
  int64_t i64 = 0;
  uint32_t bits32 = 0;
  uint64_t bits64 = 0;
  std::array<uint8_t, 16> v128{};
  uint8_t lane = 0;
  ValType refType = ValType::FuncRef;
  MemArg memarg;
  BlockType block;
  std::span<const uint32_t> brTargets;
  std::span<const ValType> selectTypes;
};

// A byte range of the module binary (a function body, a constant expression, a data payload).
struct CodeRange {
  uint32_t offset = 0;
  uint32_t size = 0;
};

class InstrReader {
 public:
  // `module` is the whole binary, so that offsets in errors and Instr::offset are absolute.
  InstrReader(std::span<const uint8_t> module, CodeRange range)
      : r_(module.subspan(range.offset, range.size), range.offset) {}

  bool atEnd() const { return r_.atEnd(); }
  uint64_t offset() const { return r_.offset(); }

  // Decodes the next instruction. Errors are Malformed ("illegal opcode", "unexpected end",
  // "zero byte expected", "malformed memop flags", "malformed reference type", ...).
  Result<Instr> next();
  // The same, decoding into `out` in place: only the fields meaningful for the new op (see
  // Instr) are written; the others keep whatever they held. For hot loops (validation,
  // lowering), where building and moving a fresh Instr per instruction dominates the cost.
  Result<void> next(Instr& out);

 private:
  Result<void> readImmediates(Instr& in);
  ByteReader r_;
  std::vector<uint32_t> brTargets_;
  std::vector<ValType> selectTypes_;
};

}  // namespace bantam::wasm
