// Instruction decoding (§5.4), driven by the immediate kinds of the opcode table.
#include "wasm/instr.h"

#include <cstdio>

namespace bantam::wasm {

namespace {

Result<ValType> readValType(ByteReader& r) {
  uint64_t at = r.offset();
  uint8_t b = BANTAM_TRY(r.readByte());
  auto t = valTypeFromByte(b);
  if (!t) return failAt(ErrorKind::Malformed, at, "malformed value type");
  return *t;
}

Result<void> readZeroByte(ByteReader& r) {
  uint64_t at = r.offset();
  uint8_t b = BANTAM_TRY(r.readByte());
  if (b != 0) return failAt(ErrorKind::Malformed, at, "zero byte expected");
  return {};
}

Result<MemArg> readMemArg(ByteReader& r) {
  MemArg m;
  uint64_t at = r.offset();
  uint32_t flags = BANTAM_TRY(r.readU32());
  // Alignment exponents of 32 and more cannot describe an alignment; bit 6 is reserved for
  // the multi-memory proposal's memory index, which WebAssembly 2.0 does not have.
  if (flags >= 32) return failAt(ErrorKind::Malformed, at, "malformed memop flags");
  m.alignLog2 = flags;
  m.offset = BANTAM_TRY(r.readU32());
  return m;
}

}  // namespace

Result<Instr> InstrReader::next() {
  Instr in;
  BANTAM_TRY(next(in));
  return in;
}

Result<void> InstrReader::next(Instr& in) {
  in.offset = static_cast<uint32_t>(r_.offset());
  uint8_t b;
  if (!r_.tryReadByte(b)) [[unlikely]] return r_.unexpectedEnd();
  if (!isPrefixByte(b)) {
    // Fast path: one-byte opcode with no immediates or a small index/constant.
    uint16_t v = detail::kDecodeSingle[b];
    if (v != detail::kNoOp) {
      in.op = static_cast<Op>(v);
      switch (opInfo(in.op).imm) {
        case ImmKind::None:
          return {};
        case ImmKind::Label: case ImmKind::Func: case ImmKind::Local: case ImmKind::Global:
          if (r_.tryReadSmallU32(in.index)) return {};
          break;
        case ImmKind::I32: case ImmKind::I64:
          if (r_.tryReadSmallS64(in.i64)) return {};
          break;
        default:
          break;
      }
      return readImmediates(in);
    }
  }
  std::optional<Op> op;
  if (isPrefixByte(b)) {
    uint32_t sub = BANTAM_TRY(r_.readU32());
    op = decodeOpcode(b, sub);
    if (!op) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "illegal opcode 0x%02x 0x%x", b, sub);
      return failAt(ErrorKind::Malformed, in.offset, buf);
    }
  } else {
    op = decodeOpcode(0, b);
    if (!op) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "illegal opcode 0x%02x", b);
      return failAt(ErrorKind::Malformed, in.offset, buf);
    }
  }
  in.op = *op;
  return readImmediates(in);
}

Result<void> InstrReader::readImmediates(Instr& in) {
  switch (opInfo(in.op).imm) {
    case ImmKind::None:
      return {};
    case ImmKind::BlockType: {
      uint8_t b = BANTAM_TRY(r_.peekByte());
      if (b == 0x40) {
        (void)r_.readByte();
        in.block.kind = BlockType::Kind::Empty;
      } else if (auto t = valTypeFromByte(b)) {
        (void)r_.readByte();
        in.block.kind = BlockType::Kind::Value;
        in.block.value = *t;
      } else {
        uint64_t at = r_.offset();
        int64_t idx = BANTAM_TRY(r_.readS33());
        if (idx < 0) return failAt(ErrorKind::Malformed, at, "malformed block type");
        in.block.kind = BlockType::Kind::TypeIndex;
        in.block.index = TypeIdx(static_cast<uint32_t>(idx));
      }
      return {};
    }
    case ImmKind::Label: case ImmKind::Func: case ImmKind::Local: case ImmKind::Global:
    case ImmKind::Table: case ImmKind::Data: case ImmKind::Elem:
      in.index = BANTAM_TRY(r_.readU32());
      return {};
    case ImmKind::BrTable: {
      uint32_t n = BANTAM_TRY(r_.readU32());
      // Each target takes at least one byte: reject absurd counts before allocating.
      if (n > r_.remaining()) return r_.unexpectedEnd();
      brTargets_.resize(n);
      for (uint32_t i = 0; i < n; ++i) brTargets_[i] = BANTAM_TRY(r_.readU32());
      in.index = BANTAM_TRY(r_.readU32());
      in.brTargets = brTargets_;
      return {};
    }
    case ImmKind::CallIndirect: case ImmKind::TableInit: case ImmKind::TableCopy:
      in.index = BANTAM_TRY(r_.readU32());
      in.index2 = BANTAM_TRY(r_.readU32());
      return {};
    case ImmKind::MemArg:
      in.memarg = BANTAM_TRY(readMemArg(r_));
      return {};
    case ImmKind::MemArgLane:
      in.memarg = BANTAM_TRY(readMemArg(r_));
      in.lane = BANTAM_TRY(r_.readByte());
      return {};
    case ImmKind::Mem:
      BANTAM_TRY(readZeroByte(r_));
      in.index = 0;
      return {};
    case ImmKind::MemInit:
      in.index = BANTAM_TRY(r_.readU32());
      BANTAM_TRY(readZeroByte(r_));
      in.index2 = 0;
      return {};
    case ImmKind::MemCopy:
      BANTAM_TRY(readZeroByte(r_));
      BANTAM_TRY(readZeroByte(r_));
      in.index = in.index2 = 0;
      return {};
    case ImmKind::I32:
      in.i64 = BANTAM_TRY(r_.readS32());
      return {};
    case ImmKind::I64:
      in.i64 = BANTAM_TRY(r_.readS64());
      return {};
    case ImmKind::F32:
      in.bits32 = BANTAM_TRY(r_.readFixedU32());
      return {};
    case ImmKind::F64:
      in.bits64 = BANTAM_TRY(r_.readFixedU64());
      return {};
    case ImmKind::V128: case ImmKind::Shuffle: {
      auto bytes = BANTAM_TRY(r_.readBytes(16));
      std::copy(bytes.begin(), bytes.end(), in.v128.begin());
      return {};
    }
    case ImmKind::Lane:
      in.lane = BANTAM_TRY(r_.readByte());
      return {};
    case ImmKind::SelectT: {
      uint32_t n = BANTAM_TRY(r_.readU32());
      if (n > r_.remaining()) return r_.unexpectedEnd();
      selectTypes_.resize(n);
      for (uint32_t i = 0; i < n; ++i) selectTypes_[i] = BANTAM_TRY(readValType(r_));
      in.selectTypes = selectTypes_;
      return {};
    }
    case ImmKind::RefType: {
      uint64_t at = r_.offset();
      uint8_t b = BANTAM_TRY(r_.readByte());
      if (b != 0x70 && b != 0x6f) return failAt(ErrorKind::Malformed, at, "malformed reference type");
      in.refType = static_cast<ValType>(b);
      return {};
    }
  }
  return {};
}

}  // namespace bantam::wasm
