// Instruction immediates (§6.5): every immediate kind of the opcode table, encoded as parsed.
#include <bit>

#include "wasm/text/literals.h"
#include "wasm/text/numbers.h"
#include "wasm/text/wat_parser.h"

namespace bantam::wasm::text {

void WatParser::writeOp(ByteWriter& w, Op op) {
  const OpInfo& info = opInfo(op);
  if (info.prefix) {
    w.u8(info.prefix);
    w.u32(info.code);
  } else {
    w.u8(static_cast<uint8_t>(info.code));
  }
}

Result<uint32_t> WatParser::parseLocal(const CodeContext& cx) {
  const Token& t = ts_.peek();
  if (t.kind == TokenKind::Nat) return readU32(ts_);
  if (t.kind != TokenKind::Id) return ts_.unexpected(t, "a local");
  const std::string_view name = ts_.text(t);
  if (auto index = cx.findLocal(name)) {
    ts_.next();
    return *index;
  }
  return ts_.errorAt(t, "unknown local " + std::string(name));
}

// memarg (§6.5.6): "offset=n? align=n?"; the default alignment is the natural one. A memory
// index before it (multi-memory proposal) is encoded with flag bit 6 when it is not 0.
Result<void> WatParser::parseMemArg(const OpInfo& info, ByteWriter& w) {
  uint32_t memory = 0;
  const bool lane = info.imm == ImmKind::MemArgLane;
  if (ts_.is(TokenKind::Id) ||
      (ts_.is(TokenKind::Nat) &&
       (!lane || ts_.is(TokenKind::Nat, 1) ||
        (ts_.is(TokenKind::Keyword, 1) && (ts_.text(ts_.peek(1)).starts_with("offset=") ||
                                           ts_.text(ts_.peek(1)).starts_with("align="))))))
    memory = BANTAM_TRY(parseIndex(Space::Memory));
  uint64_t offset = 0;
  uint32_t alignLog2 = static_cast<uint32_t>(std::countr_zero(static_cast<unsigned>(info.bytes)));
  if (ts_.is(TokenKind::Keyword) && ts_.text(ts_.peek()).starts_with("offset=")) {
    const Token& t = ts_.peek();
    const std::string_view v = ts_.text(t).substr(7);
    if (classifyNumber(v) != NumberKind::Nat) return ts_.unexpected(t);
    if (parseUnsigned(v, 32, offset) != LitStatus::Ok)
      return ts_.errorAt(t, "i32 constant out of range");
    ts_.next();
  }
  if (ts_.is(TokenKind::Keyword) && ts_.text(ts_.peek()).starts_with("align=")) {
    const Token& t = ts_.peek();
    const std::string_view v = ts_.text(t).substr(6);
    if (classifyNumber(v) != NumberKind::Nat) return ts_.unexpected(t);
    uint64_t align = 0;
    if (parseUnsigned(v, 32, align) != LitStatus::Ok || !std::has_single_bit(align))
      return ts_.errorAt(t, "alignment must be a power of two");
    alignLog2 = static_cast<uint32_t>(std::countr_zero(align));
    ts_.next();
  }
  if (memory != 0) {
    w.u32(alignLog2 | 0x40);
    w.u32(memory);
  } else {
    w.u32(alignLog2);
  }
  w.u32(offset);
  return {};
}

Result<void> WatParser::parseImmediates(Op op, CodeContext& cx, ByteWriter& w) {
  const OpInfo& info = opInfo(op);
  switch (info.imm) {
    case ImmKind::None:
      if (op == Op::Select && ts_.isParenKeyword("result")) {
        // "select (result t*)*": the typed select (§6.5.3).
        std::vector<ValType> types;
        while (ts_.isParenKeyword("result")) {
          ts_.next();
          ts_.next();
          while (!ts_.is(TokenKind::RParen)) types.push_back(BANTAM_TRY(parseValType()));
          BANTAM_TRY(ts_.expectRParen());
        }
        writeOp(w, Op::SelectT);
        w.u32(types.size());
        for (ValType t : types) w.u8(static_cast<uint8_t>(t));
        return {};
      }
      writeOp(w, op);
      return {};
    case ImmKind::BlockType:
    case ImmKind::SelectT:
      return ts_.unexpected(ts_.peek());  // reached only through other syntax
    case ImmKind::Label: {
      const uint32_t label = BANTAM_TRY(parseLabel(cx));
      writeOp(w, op);
      w.u32(label);
      return {};
    }
    case ImmKind::BrTable: {
      std::vector<uint32_t> labels;
      while (ts_.isIndex()) labels.push_back(BANTAM_TRY(parseLabel(cx)));
      if (labels.empty()) return ts_.unexpected(ts_.peek(), "a label");
      writeOp(w, op);
      w.u32(labels.size() - 1);
      for (uint32_t l : labels) w.u32(l);
      return {};
    }
    case ImmKind::Func: {
      const uint32_t f = BANTAM_TRY(parseIndex(Space::Func));
      writeOp(w, op);
      w.u32(f);
      return {};
    }
    case ImmKind::CallIndirect: {
      uint32_t table = 0;
      if (ts_.isIndex()) table = BANTAM_TRY(parseIndex(Space::Table));
      TypeUse use = BANTAM_TRY(parseTypeUse(false));
      const uint32_t type = BANTAM_TRY(resolveTypeUse(use));
      writeOp(w, op);
      w.u32(type);
      w.u32(table);
      return {};
    }
    case ImmKind::Local: {
      const uint32_t l = BANTAM_TRY(parseLocal(cx));
      writeOp(w, op);
      w.u32(l);
      return {};
    }
    case ImmKind::Global: {
      const uint32_t g = BANTAM_TRY(parseIndex(Space::Global));
      writeOp(w, op);
      w.u32(g);
      return {};
    }
    case ImmKind::Table: {
      uint32_t table = 0;
      if (ts_.isIndex()) table = BANTAM_TRY(parseIndex(Space::Table));
      writeOp(w, op);
      w.u32(table);
      return {};
    }
    case ImmKind::MemArg:
      writeOp(w, op);
      return parseMemArg(info, w);
    case ImmKind::Mem: {
      uint32_t memory = 0;  // a multi-memory index is accepted where 2.0 has the zero byte
      if (ts_.isIndex()) memory = BANTAM_TRY(parseIndex(Space::Memory));
      writeOp(w, op);
      w.u32(memory);
      return {};
    }
    case ImmKind::I32: {
      const uint32_t v = BANTAM_TRY(readI32(ts_));
      writeOp(w, op);
      w.s64(static_cast<int32_t>(v));
      return {};
    }
    case ImmKind::I64: {
      const uint64_t v = BANTAM_TRY(readI64(ts_));
      writeOp(w, op);
      w.s64(static_cast<int64_t>(v));
      return {};
    }
    case ImmKind::F32: {
      const uint32_t v = BANTAM_TRY(readF32(ts_));
      writeOp(w, op);
      w.fixed32(v);
      return {};
    }
    case ImmKind::F64: {
      const uint64_t v = BANTAM_TRY(readF64(ts_));
      writeOp(w, op);
      w.fixed64(v);
      return {};
    }
    case ImmKind::V128: {
      const V128Literal lit = BANTAM_TRY(readV128(ts_, false));
      writeOp(w, op);
      w.append(lit.bytes.data(), lit.bytes.size());
      return {};
    }
    case ImmKind::Shuffle: {
      // Count first: the suite expects "invalid lane length" before any lane's own error.
      size_t n = 0;
      while (ts_.isNumber(n)) ++n;
      if (n != 16) return ts_.errorAt(ts_.peek(n < 16 ? n : 16), "invalid lane length");
      uint8_t lanes[16];
      for (uint8_t& lane : lanes) {
        const Token& t = ts_.next();
        uint64_t v = 0;
        if (t.kind != TokenKind::Nat || parseUnsigned(ts_.text(t), 8, v) != LitStatus::Ok)
          return ts_.errorAt(t, "malformed lane index");
        lane = static_cast<uint8_t>(v);
      }
      writeOp(w, op);
      w.append(lanes, 16);
      return {};
    }
    case ImmKind::MemArgLane:
    case ImmKind::Lane: {
      if (info.imm == ImmKind::MemArgLane) {
        writeOp(w, op);
        BANTAM_TRY(parseMemArg(info, w));
      }
      const Token& t = ts_.peek();
      if (t.kind != TokenKind::Nat) return ts_.unexpected(t, "a lane index");
      uint64_t lane = 0;
      if (parseUnsigned(ts_.text(t), 8, lane) != LitStatus::Ok)
        return ts_.errorAt(t, "malformed lane index");
      ts_.next();
      if (info.imm == ImmKind::Lane) writeOp(w, op);
      w.u8(static_cast<uint8_t>(lane));
      return {};
    }
    case ImmKind::RefType: {
      const Token& t = ts_.peek();
      uint8_t heap = 0;
      if (ts_.isKeyword("func")) heap = static_cast<uint8_t>(ValType::FuncRef);
      else if (ts_.isKeyword("extern")) heap = static_cast<uint8_t>(ValType::ExternRef);
      else return ts_.unexpected(t, "a heap type (func or extern)");
      ts_.next();
      writeOp(w, op);
      w.u8(heap);
      return {};
    }
    case ImmKind::Data: {
      const uint32_t d = BANTAM_TRY(parseIndex(Space::Data));
      usesDataIndex_ = true;
      writeOp(w, op);
      w.u32(d);
      return {};
    }
    case ImmKind::MemInit: {
      uint32_t memory = 0;
      if (ts_.isIndex() && ts_.isIndex(1)) memory = BANTAM_TRY(parseIndex(Space::Memory));
      const uint32_t d = BANTAM_TRY(parseIndex(Space::Data));
      usesDataIndex_ = true;
      writeOp(w, op);
      w.u32(d);
      w.u32(memory);
      return {};
    }
    case ImmKind::MemCopy: {
      uint32_t dst = 0, src = 0;
      if (ts_.isIndex()) {
        dst = BANTAM_TRY(parseIndex(Space::Memory));
        src = BANTAM_TRY(parseIndex(Space::Memory));
      }
      writeOp(w, op);
      w.u32(dst);
      w.u32(src);
      return {};
    }
    case ImmKind::Elem: {
      const uint32_t e = BANTAM_TRY(parseIndex(Space::Elem));
      writeOp(w, op);
      w.u32(e);
      return {};
    }
    case ImmKind::TableInit: {
      uint32_t table = 0;
      if (ts_.isIndex() && ts_.isIndex(1)) table = BANTAM_TRY(parseIndex(Space::Table));
      const uint32_t e = BANTAM_TRY(parseIndex(Space::Elem));
      writeOp(w, op);
      w.u32(e);
      w.u32(table);
      return {};
    }
    case ImmKind::TableCopy: {
      uint32_t dst = 0, src = 0;
      if (ts_.isIndex()) {
        dst = BANTAM_TRY(parseIndex(Space::Table));
        src = BANTAM_TRY(parseIndex(Space::Table));
      }
      writeOp(w, op);
      w.u32(dst);
      w.u32(src);
      return {};
    }
  }
  return ts_.unexpected(ts_.peek());
}

}  // namespace bantam::wasm::text
