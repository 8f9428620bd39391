// decodeModule (§5.5): the header, the section sequence (ids, order, sizes), custom
// sections, the checks that span sections, and the index spaces.
#include "wasm/decoder/decoder.h"

#include <limits>

#include "wasm/decoder/decode_context.h"

namespace bantam::wasm {

namespace decoder {
namespace {

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
constexpr uint8_t kVersion[4] = {0x01, 0x00, 0x00, 0x00};
constexpr uint8_t kMaxSectionId = 12;

// Position of a non-custom section in the required order (§5.5.2): the data count
// section (12) sits between element (9) and code (10).
constexpr int sectionRank(uint8_t id) {
  switch (id) {
    case 12: return 10;
    case 10: return 11;
    case 11: return 12;
    default: return id;
  }
}

Result<void> decodeHeader(std::span<const uint8_t> bytes) {
  if (bytes.size() < 4) return malformedAt(bytes.size(), "unexpected end");
  if (!std::equal(kMagic, kMagic + 4, bytes.begin())) return malformedAt(0, "magic header not detected");
  if (bytes.size() < 8) return malformedAt(bytes.size(), "unexpected end");
  if (!std::equal(kVersion, kVersion + 4, bytes.begin() + 4)) return malformedAt(4, "unknown binary version");
  return {};
}

Result<void> decodeSectionContent(DecodeContext& ctx, uint8_t id, ByteReader& r) {
  switch (id) {
    case 1: return decodeTypeSection(ctx, r);
    case 2: return decodeImportSection(ctx, r);
    case 3: return decodeFunctionSection(ctx, r);
    case 4: return decodeTableSection(ctx, r);
    case 5: return decodeMemorySection(ctx, r);
    case 6: return decodeGlobalSection(ctx, r);
    case 7: return decodeExportSection(ctx, r);
    case 8: return decodeStartSection(ctx, r);
    case 9: return decodeElementSection(ctx, r);
    case 10: return decodeCodeSection(ctx, r);
    case 11: return decodeDataSection(ctx, r);
    case 12: return decodeDataCountSection(ctx, r);
  }
  return {};
}

// A custom section (§5.5.3): a name, then opaque bytes kept as a range of the module.
Result<void> decodeCustomSection(DecodeContext& ctx, uint64_t contentStart, uint32_t size) {
  ByteReader r = ctx.readerFrom(contentStart);
  std::string_view name = BANTAM_TRY(readName(r));
  const uint64_t end = contentStart + size;
  // The size may overshoot the module by up to its own encoded length (see readLength).
  if (end > ctx.bytes.size()) return malformedAt(ctx.bytes.size(), kUnexpectedEnd);
  if (r.offset() > end) return malformedAt(end, kUnexpectedEnd);
  CodeRange content{static_cast<uint32_t>(r.offset()), static_cast<uint32_t>(end - r.offset())};
  ctx.module.customs.push_back(CustomSection{std::string(name), content});
  // Only the first name section counts (§7.4.1 allows at most one).
  if (name == "name" && !ctx.haveNameSection) {
    ctx.haveNameSection = true;
    decodeNameSection(ctx, content);
  }
  return {};
}

Result<void> decodeSections(DecodeContext& ctx) {
  ByteReader top = ctx.readerFrom(8);
  int lastRank = 0;
  while (!top.atEnd()) {
    const uint64_t sectionStart = top.offset();
    const uint8_t id = BANTAM_TRY(top.readByte());
    if (id > kMaxSectionId) return malformedAt(sectionStart, "malformed section id");
    if (id != 0) {
      // A repeated or out-of-order section: the reference decoder stops reading sections
      // at it and then finds bytes left over.
      if (sectionRank(id) <= lastRank) return malformedAt(sectionStart, "unexpected content after last section");
      lastRank = sectionRank(id);
    }
    const uint32_t size = BANTAM_TRY(readLength(top));
    const uint64_t contentStart = top.offset();
    if (id == 0) {
      BANTAM_TRY(decodeCustomSection(ctx, contentStart, size));
    } else {
      ByteReader r = ctx.readerFrom(contentStart);
      BANTAM_TRY(decodeSectionContent(ctx, id, r));
      if (r.offset() != contentStart + size) return malformedAt(contentStart, kSizeMismatch);
    }
    BANTAM_TRY(top.skip(size));
  }
  return {};
}

// Checks that relate sections to each other; the reference makes them after the last
// section, so an error inside a later section takes precedence.
Result<void> checkAcrossSections(DecodeContext& ctx) {
  const Module& m = ctx.module;
  const uint64_t end = ctx.bytes.size();
  if (ctx.funcTypeIndices.size() != m.functions.size())
    return malformedAt(end, "function and code section have inconsistent lengths");
  if (m.dataCount && *m.dataCount != m.datas.size())
    return malformedAt(end, "data count and data section have inconsistent lengths");
  if (!m.dataCount && ctx.codeUsesDataIndex) return malformedAt(end, "data count section required");
  return {};
}

void buildIndexSpaces(DecodeContext& ctx) {
  Module& m = ctx.module;
  for (size_t i = 0; i < m.functions.size(); ++i) m.functions[i].type = ctx.funcTypeIndices[i];
  for (const Import& imp : m.imports) {
    switch (imp.kind) {
      case ExternKind::Func: m.funcSpace.push_back(imp.funcType); break;
      case ExternKind::Table: m.tableSpace.push_back(imp.table); break;
      case ExternKind::Memory: m.memorySpace.push_back(imp.memory); break;
      case ExternKind::Global: m.globalSpace.push_back(imp.global); break;
    }
  }
  m.numImportedFuncs = static_cast<uint32_t>(m.funcSpace.size());
  m.numImportedTables = static_cast<uint32_t>(m.tableSpace.size());
  m.numImportedMemories = static_cast<uint32_t>(m.memorySpace.size());
  m.numImportedGlobals = static_cast<uint32_t>(m.globalSpace.size());
  m.funcSpace.reserve(m.funcSpace.size() + m.functions.size());
  for (const Function& f : m.functions) m.funcSpace.push_back(f.type);
  m.tableSpace.insert(m.tableSpace.end(), m.tables.begin(), m.tables.end());
  m.memorySpace.insert(m.memorySpace.end(), m.memories.begin(), m.memories.end());
  m.globalSpace.reserve(m.globalSpace.size() + m.globals.size());
  for (const Global& g : m.globals) m.globalSpace.push_back(g.type);
}

}  // namespace
}  // namespace decoder

Result<Module> decodeModule(std::span<const uint8_t> bytes) {
  using namespace decoder;
  // CodeRange and Instr offsets are 32-bit.
  if (bytes.size() > std::numeric_limits<uint32_t>::max())
    return fail(ErrorKind::Limit, "module too large (the limit is 4 GiB)");
  BANTAM_TRY(decodeHeader(bytes));

  Module m;
  m.bytes.assign(bytes.begin(), bytes.end());
  {
    DecodeContext ctx(m);
    auto ok = decodeSections(ctx);
    if (!ok) {
      // ByteReader and InstrReader say "unexpected end"; inside a section the spec's
      // interpreter (and so the suite) says which kind of end it was.
      Error e = std::move(ok).error();
      if (e.message == "unexpected end") e.message = kUnexpectedEnd;
      return std::unexpected(std::move(e));
    }
    BANTAM_TRY(checkAcrossSections(ctx));
    buildIndexSpaces(ctx);
  }
  return m;
}

}  // namespace bantam::wasm
