// Element and data segments (§5.5.12, §5.5.14): the eight element forms selected by flags
// 0-7 and the three data forms selected by flags 0-2.
#include "wasm/decoder/decode_context.h"

namespace bantam::wasm::decoder {

namespace {

// elemkind (§5.5.12): only 0x00 (funcref) exists in WebAssembly 2.0.
Result<ValType> readElemKind(ByteReader& r) {
  uint64_t at = r.offset();
  uint8_t b = BANTAM_TRY(r.readByte());
  if (b != 0x00) return malformedAt(at, "malformed element kind");
  return ValType::FuncRef;
}

Result<ElemSegment> readElemSegment(DecodeContext& ctx, ByteReader& r) {
  uint64_t at = r.offset();
  uint32_t flags = BANTAM_TRY(r.readU32());
  if (flags > 7) return malformedAt(at, "malformed elements segment kind");
  // Bit 0: passive or declarative (else active); bit 1: explicit table index when active,
  // declarative when not; bit 2: element expressions instead of function indices.
  const bool notActive = flags & 1, bit1 = flags & 2, exprs = flags & 4;
  ElemSegment seg;
  if (notActive) {
    seg.mode = bit1 ? SegmentMode::Declarative : SegmentMode::Passive;
  } else {
    seg.mode = SegmentMode::Active;
    if (bit1) seg.table = TableIdx(BANTAM_TRY(r.readU32()));
    seg.offset = BANTAM_TRY(readConstExpr(ctx, r));
  }
  // Forms 0 and 4 have an implicit funcref type; the others spell it out.
  const bool typeImplicit = !notActive && !bit1;
  seg.usesExprs = exprs;
  if (exprs) {
    seg.type = typeImplicit ? ValType::FuncRef : BANTAM_TRY(readRefType(r));
    auto [n, hint] = BANTAM_TRY(readVecCount(r, 2));
    seg.exprs.reserve(hint);
    for (uint32_t i = 0; i < n; ++i) seg.exprs.push_back(BANTAM_TRY(readConstExpr(ctx, r)));
  } else {
    seg.type = typeImplicit ? ValType::FuncRef : BANTAM_TRY(readElemKind(r));
    auto [n, hint] = BANTAM_TRY(readVecCount(r));
    seg.funcIndices.reserve(hint);
    for (uint32_t i = 0; i < n; ++i) seg.funcIndices.push_back(BANTAM_TRY(r.readU32()));
  }
  return seg;
}

Result<DataSegment> readDataSegment(DecodeContext& ctx, ByteReader& r) {
  uint64_t at = r.offset();
  uint32_t flags = BANTAM_TRY(r.readU32());
  DataSegment seg;
  switch (flags) {
    case 0:
      seg.mode = SegmentMode::Active;
      seg.offset = BANTAM_TRY(readConstExpr(ctx, r));
      break;
    case 1:
      seg.mode = SegmentMode::Passive;
      break;
    case 2:
      seg.mode = SegmentMode::Active;
      seg.memory = MemIdx(BANTAM_TRY(r.readU32()));
      seg.offset = BANTAM_TRY(readConstExpr(ctx, r));
      break;
    default:
      return malformedAt(at, "malformed data segment kind");
  }
  uint32_t size = BANTAM_TRY(readLength(r));
  uint64_t start = r.offset();
  BANTAM_TRY(r.skip(size));
  seg.bytes = CodeRange{static_cast<uint32_t>(start), size};
  return seg;
}

}  // namespace

Result<void> decodeElementSection(DecodeContext& ctx, ByteReader& r) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r, 3));
  ctx.module.elems.reserve(hint);
  for (uint32_t i = 0; i < n; ++i) ctx.module.elems.push_back(BANTAM_TRY(readElemSegment(ctx, r)));
  return {};
}

Result<void> decodeDataSection(DecodeContext& ctx, ByteReader& r) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r, 2));
  ctx.module.datas.reserve(hint);
  for (uint32_t i = 0; i < n; ++i) ctx.module.datas.push_back(BANTAM_TRY(readDataSegment(ctx, r)));
  return {};
}

}  // namespace bantam::wasm::decoder
