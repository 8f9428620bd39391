// The instruction set as data, generated from opcodes.def: the Op enum, per-op metadata and
// the encoding lookup tables. Nothing else in Bantam lists instructions by hand.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bantam::wasm {

enum class Op : uint16_t {
#define BANTAM_OP(name, text, prefix, code, imm, cat, params, results, bytes) name,
#include "wasm/opcodes.def"
#undef BANTAM_OP
};

inline constexpr size_t kOpCount = 0
#define BANTAM_OP(...) +1
#include "wasm/opcodes.def"
#undef BANTAM_OP
    ;

// Kinds of immediate operands (§5.4). See instr.h for where each is stored.
enum class ImmKind : uint8_t {
  None,
  BlockType,     // blocktype
  Label,         // labelidx
  BrTable,       // vec(labelidx) labelidx
  Func,          // funcidx
  CallIndirect,  // typeidx tableidx
  Local,         // localidx
  Global,        // globalidx
  Table,         // tableidx
  MemArg,        // align offset
  Mem,           // memidx (a reserved 0x00 byte in WebAssembly 2.0)
  I32, I64, F32, F64,
  V128,          // 16 bytes
  Shuffle,       // 16 lane indices
  Lane,          // laneidx
  MemArgLane,    // memarg laneidx
  SelectT,       // vec(valtype)
  RefType,       // reftype
  Data,          // dataidx
  MemInit,       // dataidx memidx
  MemCopy,       // memidx memidx
  Elem,          // elemidx
  TableInit,     // elemidx tableidx
  TableCopy,     // tableidx tableidx
};

// Which engine source file implements an instruction (STYLE rule 5).
enum class OpCategory : uint8_t { Control, Parametric, Variable, Table, Memory, Numeric, Reference, Vector };

struct OpInfo {
  std::string_view text;     // the text-format mnemonic
  uint8_t prefix;            // 0, 0xfc or 0xfd
  uint32_t code;             // the opcode byte, or the LEB128 sub-opcode after a prefix
  ImmKind imm;
  OpCategory category;
  std::string_view params;   // stack signature letters (i I f F v), or "*" when contextual
  std::string_view results;
  uint8_t bytes;             // memory ops: access width; Lane ops: lane count; else 0
};

inline constexpr std::array<OpInfo, kOpCount> kOpInfo = {{
#define BANTAM_OP(name, text, prefix, code, imm, cat, params, results, bytes) \
  {text, prefix, code, ImmKind::imm, OpCategory::cat, params, results, bytes},
#include "wasm/opcodes.def"
#undef BANTAM_OP
}};

constexpr const OpInfo& opInfo(Op op) { return kOpInfo[static_cast<size_t>(op)]; }
constexpr std::string_view opName(Op op) { return opInfo(op).text; }

// Encoding lookup: nullopt means "illegal opcode".
namespace detail {
inline constexpr uint16_t kNoOp = 0xffff;
template <uint8_t Prefix, size_t N>
constexpr std::array<uint16_t, N> buildDecodeTable() {
  std::array<uint16_t, N> t{};
  for (auto& e : t) e = kNoOp;
  for (size_t i = 0; i < kOpCount; ++i)
    if (kOpInfo[i].prefix == Prefix && kOpInfo[i].code < N && t[kOpInfo[i].code] == kNoOp)
      t[kOpInfo[i].code] = static_cast<uint16_t>(i);
  return t;
}
inline constexpr auto kDecodeSingle = buildDecodeTable<0x00, 256>();
inline constexpr auto kDecodeFC = buildDecodeTable<0xfc, 32>();
inline constexpr auto kDecodeFD = buildDecodeTable<0xfd, 256>();
}  // namespace detail

constexpr std::optional<Op> decodeOpcode(uint8_t prefix, uint32_t code) {
  uint16_t v = detail::kNoOp;
  if (prefix == 0x00) v = code < 256 ? detail::kDecodeSingle[code] : detail::kNoOp;
  else if (prefix == 0xfc) v = code < 32 ? detail::kDecodeFC[code] : detail::kNoOp;
  else if (prefix == 0xfd) v = code < 256 ? detail::kDecodeFD[code] : detail::kNoOp;
  if (v == detail::kNoOp) return std::nullopt;
  return static_cast<Op>(v);
}

constexpr bool isPrefixByte(uint8_t b) { return b == 0xfc || b == 0xfd; }

// Text mnemonic to Op (for the text parser and tools). "select" maps to Op::Select.
std::optional<Op> opFromName(std::string_view text);

// Every row's encoding is unique, and every (prefix, code) decodes back to its row.
static_assert([] {
  for (size_t i = 0; i < kOpCount; ++i) {
    auto op = decodeOpcode(kOpInfo[i].prefix, kOpInfo[i].code);
    if (!op || static_cast<size_t>(*op) != i) return false;
  }
  return true;
}(), "opcodes.def has a duplicate encoding");

}  // namespace bantam::wasm
