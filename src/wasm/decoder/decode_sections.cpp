// The module-level sections that declare things (§5.5.4-§5.5.11, §5.5.13): types, imports,
// functions, tables, memories, globals, exports, start, data count.
#include "wasm/decoder/decode_context.h"

namespace bantam::wasm::decoder {

namespace {

Result<void> readResultType(ByteReader& r, std::vector<ValType>& out) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r));
  out.reserve(hint);
  for (uint32_t i = 0; i < n; ++i) out.push_back(BANTAM_TRY(readValType(r)));
  return {};
}

Result<FuncType> readFuncType(ByteReader& r) {
  uint64_t at = r.offset();
  uint8_t form = BANTAM_TRY(readTypeCode(r));
  if (form != 0x60) return malformedAt(at, "malformed function type");
  FuncType ft;
  BANTAM_TRY(readResultType(r, ft.params));
  BANTAM_TRY(readResultType(r, ft.results));
  return ft;
}

}  // namespace

Result<void> decodeTypeSection(DecodeContext& ctx, ByteReader& r) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r, 3));
  auto& types = ctx.module.types;
  types.reserve(hint);
  for (uint32_t i = 0; i < n; ++i) types.push_back(BANTAM_TRY(readFuncType(r)));
  return {};
}

Result<void> decodeImportSection(DecodeContext& ctx, ByteReader& r) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r, 4));
  auto& imports = ctx.module.imports;
  imports.reserve(hint);
  for (uint32_t i = 0; i < n; ++i) {
    Import imp;
    imp.module = BANTAM_TRY(readName(r));
    imp.name = BANTAM_TRY(readName(r));
    uint64_t at = r.offset();
    uint8_t kind = BANTAM_TRY(r.readByte());
    switch (kind) {
      case 0x00:
        imp.kind = ExternKind::Func;
        imp.funcType = TypeIdx(BANTAM_TRY(r.readU32()));
        break;
      case 0x01:
        imp.kind = ExternKind::Table;
        imp.table = BANTAM_TRY(readTableType(r));
        break;
      case 0x02:
        imp.kind = ExternKind::Memory;
        imp.memory = BANTAM_TRY(readMemoryType(r));
        break;
      case 0x03:
        imp.kind = ExternKind::Global;
        imp.global = BANTAM_TRY(readGlobalType(r));
        break;
      default:
        return malformedAt(at, "malformed import kind");
    }
    imports.push_back(std::move(imp));
  }
  return {};
}

Result<void> decodeFunctionSection(DecodeContext& ctx, ByteReader& r) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r));
  ctx.funcTypeIndices.reserve(hint);
  for (uint32_t i = 0; i < n; ++i) ctx.funcTypeIndices.push_back(TypeIdx(BANTAM_TRY(r.readU32())));
  return {};
}

Result<void> decodeTableSection(DecodeContext& ctx, ByteReader& r) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r, 3));
  ctx.module.tables.reserve(hint);
  for (uint32_t i = 0; i < n; ++i) ctx.module.tables.push_back(BANTAM_TRY(readTableType(r)));
  return {};
}

Result<void> decodeMemorySection(DecodeContext& ctx, ByteReader& r) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r, 2));
  ctx.module.memories.reserve(hint);
  for (uint32_t i = 0; i < n; ++i) ctx.module.memories.push_back(BANTAM_TRY(readMemoryType(r)));
  return {};
}

Result<void> decodeGlobalSection(DecodeContext& ctx, ByteReader& r) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r, 3));
  ctx.module.globals.reserve(hint);
  for (uint32_t i = 0; i < n; ++i) {
    Global g;
    g.type = BANTAM_TRY(readGlobalType(r));
    g.init = BANTAM_TRY(readConstExpr(ctx, r));
    ctx.module.globals.push_back(g);
  }
  return {};
}

Result<void> decodeExportSection(DecodeContext& ctx, ByteReader& r) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r, 3));
  auto& exports = ctx.module.exports;
  exports.reserve(hint);
  for (uint32_t i = 0; i < n; ++i) {
    Export e;
    e.name = BANTAM_TRY(readName(r));
    uint64_t at = r.offset();
    uint8_t kind = BANTAM_TRY(r.readByte());
    if (kind > 0x03) return malformedAt(at, "malformed export kind");
    e.kind = static_cast<ExternKind>(kind);
    e.index = BANTAM_TRY(r.readU32());
    exports.push_back(std::move(e));
  }
  return {};
}

Result<void> decodeStartSection(DecodeContext& ctx, ByteReader& r) {
  ctx.module.start = FuncIdx(BANTAM_TRY(r.readU32()));
  return {};
}

Result<void> decodeDataCountSection(DecodeContext& ctx, ByteReader& r) {
  ctx.module.dataCount = BANTAM_TRY(r.readU32());
  return {};
}

}  // namespace bantam::wasm::decoder
