// Element and data segments (§6.6.8, §6.6.9) and their binary encodings (§5.5.12, §5.5.14).
#include "wasm/text/numbers.h"
#include "wasm/text/wat_parser.h"

namespace bantam::wasm::text {

namespace {

// Whether `expr` (with its end byte) is exactly "ref.func x"; sets x.
bool isRefFunc(const std::vector<uint8_t>& expr, uint32_t& index) {
  if (expr.size() < 3 || expr[0] != 0xd2) return false;
  uint64_t v = 0;
  size_t i = 1;
  for (unsigned shift = 0; i < expr.size(); shift += 7) {
    const uint8_t b = expr[i++];
    if (shift < 64) v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  if (i + 1 != expr.size() || expr[i] != 0x0b) return false;
  index = static_cast<uint32_t>(v);
  return true;
}

}  // namespace

// elemexpr*: "(item instr*)" or one folded instruction each.
Result<void> WatParser::parseElemExprs(ElemItems& items) {
  ByteWriter expr;
  while (ts_.is(TokenKind::LParen)) {
    expr.clear();
    CodeContext cx;
    if (ts_.isParenKeyword("item")) {
      ts_.next();
      ts_.next();
      BANTAM_TRY(parseExpr(cx, expr));
      BANTAM_TRY(ts_.expectRParen());
    } else {
      BANTAM_TRY(parseFoldedInstr(cx, expr));
      expr.u8(0x0b);
    }
    uint32_t func = 0;
    if (items.allRefFunc && isRefFunc(expr.bytes(), func)) items.indices.u32(func);
    else items.allRefFunc = false;
    items.exprs.append(expr.bytes());
    ++items.count;
  }
  return {};
}

// funcidx*
Result<void> WatParser::parseElemIndices(ElemItems& items) {
  while (ts_.isIndex()) {
    const uint32_t func = BANTAM_TRY(parseIndex(Space::Func));
    items.indices.u32(func);
    items.exprs.u8(0xd2);
    items.exprs.u32(func);
    items.exprs.u8(0x0b);
    ++items.count;
  }
  return {};
}

// "(offset instr*)" or one folded instruction (§6.6.8 abbreviation).
Result<void> WatParser::parseOffset(ByteWriter& w) {
  CodeContext cx;
  if (ts_.isParenKeyword("offset")) {
    ts_.next();
    ts_.next();
    BANTAM_TRY(parseExpr(cx, w));
    return ts_.expectRParen();
  }
  if (!ts_.is(TokenKind::LParen)) return ts_.unexpected(ts_.peek(), "an offset expression");
  BANTAM_TRY(parseFoldedInstr(cx, w));
  w.u8(0x0b);
  return {};
}

// The flags field of §5.5.12: bit 0 passive/declarative, bit 1 explicit table index or
// declarative, bit 2 expressions instead of function indices.
void WatParser::encodeElemSegment(ElemMode mode, uint32_t table, const ByteWriter& offset,
                                  ValType type, const ElemItems& items) {
  ByteWriter& w = elems_.w;
  const bool indexForm = items.allRefFunc && type == ValType::FuncRef;
  uint32_t flags = indexForm ? 0 : 4;
  if (mode == ElemMode::Passive) flags |= 1;
  else if (mode == ElemMode::Declare) flags |= 3;
  else if (table != 0 || type != ValType::FuncRef) flags |= 2;
  w.u32(flags);
  if (mode == ElemMode::Active) {
    if (flags & 2) w.u32(table);
    w.append(offset.bytes());
  }
  if (flags & 3) {
    if (indexForm) w.u8(0x00);  // elemkind funcref
    else w.u8(static_cast<uint8_t>(type));
  }
  w.u32(items.count);
  w.append(indexForm ? items.indices.bytes() : items.exprs.bytes());
  ++elems_.count;
}

// (elem id? elemlist)                                    passive
// (elem id? declare elemlist)                            declarative
// (elem id? (table x)? offset elemlist)                  active
// (elem id? offset funcidx*)                             active, table 0 (abbreviation)
// elemlist: reftype elemexpr* | func funcidx*
Result<void> WatParser::parseElemField() {
  ts_.next();
  ts_.next();
  maybeId();
  ++next_[static_cast<size_t>(Space::Elem)];
  ElemMode mode = ElemMode::Passive;
  uint32_t table = 0;
  ByteWriter offset;
  if (ts_.isKeyword("declare")) {
    ts_.next();
    mode = ElemMode::Declare;
  } else {
    if (ts_.isParenKeyword("table")) {
      ts_.next();
      ts_.next();
      table = BANTAM_TRY(parseIndex(Space::Table));
      BANTAM_TRY(ts_.expectRParen());
      mode = ElemMode::Active;
    } else if (ts_.isIndex() && ts_.peek(1).kind == TokenKind::LParen) {
      table = BANTAM_TRY(parseIndex(Space::Table));  // the 1.0 form "(elem x (offset ..) ..)"
      mode = ElemMode::Active;
    }
    if (mode == ElemMode::Active || ts_.is(TokenKind::LParen)) {
      mode = ElemMode::Active;
      BANTAM_TRY(parseOffset(offset));
    }
  }
  ElemItems items;
  ValType type = ValType::FuncRef;
  if (ts_.isKeyword("func")) {
    ts_.next();
    BANTAM_TRY(parseElemIndices(items));
  } else if (ts_.isKeyword("funcref") || ts_.isKeyword("externref")) {
    type = BANTAM_TRY(parseRefType());
    BANTAM_TRY(parseElemExprs(items));
  } else if (mode == ElemMode::Active) {
    BANTAM_TRY(parseElemIndices(items));
  } else {
    return ts_.unexpected(ts_.peek(), "\"func\" or a reference type");
  }
  BANTAM_TRY(ts_.expectRParen());
  encodeElemSegment(mode, table, offset, type, items);
  return {};
}

// (data id? string*)                                     passive
// (data id? (memory x)? offset string*)                  active
Result<void> WatParser::parseDataField() {
  ts_.next();
  ts_.next();
  maybeId();
  ++next_[static_cast<size_t>(Space::Data)];
  bool active = false;
  uint32_t memory = 0;
  if (ts_.isParenKeyword("memory")) {
    ts_.next();
    ts_.next();
    memory = BANTAM_TRY(parseIndex(Space::Memory));
    BANTAM_TRY(ts_.expectRParen());
    active = true;
  } else if (ts_.isIndex() && ts_.peek(1).kind == TokenKind::LParen) {
    memory = BANTAM_TRY(parseIndex(Space::Memory));  // the 1.0 form "(data x (offset ..) ..)"
    active = true;
  }
  ByteWriter& w = datas_.w;
  if (active || ts_.is(TokenKind::LParen)) {
    ByteWriter offset;
    BANTAM_TRY(parseOffset(offset));
    w.u8(memory == 0 ? 0x00 : 0x02);
    if (memory != 0) w.u32(memory);
    w.append(offset.bytes());
  } else {
    w.u8(0x01);
  }
  std::string bytes;
  while (ts_.is(TokenKind::String)) bytes += BANTAM_TRY(ts_.readString());
  w.name(bytes);
  ++datas_.count;
  return ts_.expectRParen();
}

}  // namespace bantam::wasm::text
