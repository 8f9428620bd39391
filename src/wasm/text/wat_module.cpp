// Module fields (§6.6): the two passes over the fields and the assembly of the binary.
#include "wasm/text/wat.h"

#include <cstdint>

#include "wasm/text/numbers.h"
#include "wasm/text/wat_parser.h"

namespace bantam::wasm::text {

namespace {

constexpr std::string_view kDuplicateName[kSpaceCount] = {"type",   "func", "table", "memory",
                                                          "global", "elem", "data"};
constexpr std::string_view kUnknownName[kSpaceCount] = {
    "type", "function", "table", "memory", "global", "elem segment", "data segment"};

std::optional<Space> importSpace(std::string_view kind) {
  if (kind == "func") return Space::Func;
  if (kind == "table") return Space::Table;
  if (kind == "memory") return Space::Memory;
  if (kind == "global") return Space::Global;
  return std::nullopt;
}

void writeSection(std::vector<uint8_t>& out, uint8_t id, const SectionBuf& s) {
  if (s.count == 0) return;
  ByteWriter head;
  head.u32(s.count);
  out.push_back(id);
  ByteWriter size;
  size.u32(head.size() + s.w.size());
  out.insert(out.end(), size.bytes().begin(), size.bytes().end());
  out.insert(out.end(), head.bytes().begin(), head.bytes().end());
  out.insert(out.end(), s.w.bytes().begin(), s.w.bytes().end());
}

}  // namespace

// ---- shared helpers -----------------------------------------------------------------------

const Token* WatParser::maybeId() {
  if (!ts_.is(TokenKind::Id)) return nullptr;
  return &ts_.next();
}

Result<uint32_t> WatParser::parseIndex(Space space) {
  const Token& t = ts_.peek();
  if (t.kind == TokenKind::Nat) return readU32(ts_);
  if (t.kind == TokenKind::Id) {
    const NameMap& m = names_[static_cast<size_t>(space)];
    auto it = m.ids.find(ts_.text(t));
    if (it == m.ids.end())
      return ts_.errorAt(t, "unknown " + std::string(kUnknownName[static_cast<size_t>(space)]) +
                                " " + std::string(ts_.text(t)));
    ts_.next();
    return it->second;
  }
  return ts_.unexpected(t, "an index");
}

Result<void> WatParser::defineName(Space space, const Token* id) {
  NameMap& m = names_[static_cast<size_t>(space)];
  const uint32_t index = m.count++;
  if (id && !m.ids.emplace(ts_.text(*id), index).second)
    return ts_.errorAt(*id, "duplicate " + std::string(kDuplicateName[static_cast<size_t>(space)]) +
                                " " + std::string(ts_.text(*id)));
  return {};
}

// Imports must precede every definition of a function, table, memory or global (§6.6.13).
Result<void> WatParser::checkImportOrder(const Token& at) {
  switch (firstDef_) {
    case DefKind::None: return {};
    case DefKind::Func: return ts_.errorAt(at, "import after function");
    case DefKind::Table: return ts_.errorAt(at, "import after table");
    case DefKind::Memory: return ts_.errorAt(at, "import after memory");
    case DefKind::Global: return ts_.errorAt(at, "import after global");
  }
  return {};
}

// ---- the module ---------------------------------------------------------------------------

Result<std::vector<uint8_t>> WatParser::parseModule() {
  const bool wrapped = ts_.isParenKeyword("module");
  if (wrapped) {
    ts_.next();
    ts_.next();
    maybeId();
  }
  const size_t fieldsStart = ts_.pos();
  // A first-pass error is reported only after the fields before it have been encoded, so
  // that the first error in the text is the one reported (as a one-pass parser would).
  Result<void> collected;
  size_t stop = SIZE_MAX;
  while (ts_.is(TokenKind::LParen)) {
    const size_t field = ts_.pos();
    Result<void> r = collectField();
    if (!r && collected) {
      collected = std::move(r);
      stop = field;
    }
    if (ts_.pos() == field) break;  // a field without structure: nothing after it is known
  }
  if (collected) {
    stop = ts_.pos();
    if (wrapped) collected = ts_.expectRParen();
    if (collected && !ts_.is(TokenKind::Eof))
      collected = ts_.unexpected(ts_.peek(), wrapped ? "end of input" : "a module field");
  }

  ts_.seek(fieldsStart);
  while (ts_.pos() < stop && ts_.is(TokenKind::LParen)) BANTAM_TRY(encodeField());
  if (!collected) return std::unexpected(std::move(collected).error());
  return assemble();
}

// First pass: indices and names of every definition, and the explicit type definitions.
Result<void> WatParser::collectField() {
  const Token& open = ts_.peek();
  const Token& kwTok = ts_.peek(1);
  if (kwTok.kind != TokenKind::Keyword) return ts_.unexpected(kwTok, "a module field");
  const size_t end = open.match;
  if (ts_.at(end).kind != TokenKind::RParen) return ts_.unexpected(ts_.at(end), "\")\"");
  // The field is skipped whole whatever its content, so that the names of later fields are
  // still collected after an error here.
  Result<void> r = collectFieldContent(open, kwTok);
  ts_.seek(end + 1);
  return r;
}

Result<void> WatParser::collectFieldContent(const Token& open, const Token& kwTok) {
  const std::string_view kw = ts_.text(kwTok);
  if (kw == "type") return parseTypeField();
  ts_.next();
  ts_.next();
  if (kw == "import") {
    // (import "module" "name" (kind id? ...))
    // A malformed import is reported with its exact position by the second pass.
    auto space = ts_.peek(2).kind == TokenKind::LParen && ts_.peek(3).kind == TokenKind::Keyword
                     ? importSpace(ts_.text(ts_.peek(3)))
                     : std::nullopt;
    if (space) {
      BANTAM_TRY(checkImportOrder(open));
      ts_.seek(ts_.pos() + 4);
      BANTAM_TRY(defineName(*space, maybeId()));
    }
  } else if (kw == "func" || kw == "table" || kw == "memory" || kw == "global") {
    const Space space = kw == "func" ? Space::Func
                        : kw == "table" ? Space::Table
                        : kw == "memory" ? Space::Memory
                                         : Space::Global;
    const Token* id = maybeId();
    while (ts_.isParenKeyword("export")) ts_.seek(ts_.peek().match + 1);
    const bool isImport = ts_.isParenKeyword("import");
    if (isImport) {
      BANTAM_TRY(checkImportOrder(open));
    } else if (firstDef_ == DefKind::None) {
      firstDef_ = space == Space::Func ? DefKind::Func
                  : space == Space::Table ? DefKind::Table
                  : space == Space::Memory ? DefKind::Memory
                                           : DefKind::Global;
    }
    BANTAM_TRY(defineName(space, id));
    // The inline segment abbreviations define an element / data segment too (§6.6.6, §6.6.7).
    if (!isImport && space == Space::Table && ts_.is(TokenKind::Keyword) &&
        ts_.peek(1).kind == TokenKind::LParen && ts_.isKeyword("elem", 2))
      BANTAM_TRY(defineName(Space::Elem, nullptr));
    if (!isImport && space == Space::Memory && ts_.isParenKeyword("data"))
      BANTAM_TRY(defineName(Space::Data, nullptr));
  } else if (kw == "elem") {
    BANTAM_TRY(defineName(Space::Elem, maybeId()));
  } else if (kw == "data") {
    BANTAM_TRY(defineName(Space::Data, maybeId()));
  } else if (kw != "export" && kw != "start") {
    return ts_.unexpected(kwTok, "a module field");
  }
  return {};
}

// Second pass: each field parsed in full and encoded.
Result<void> WatParser::encodeField() {
  const std::string_view kw = ts_.text(ts_.peek(1));
  if (kw == "type") {
    ts_.seek(ts_.peek().match + 1);  // done in the first pass
    return {};
  }
  if (kw == "import") return parseImportField();
  if (kw == "func") return parseFuncField();
  if (kw == "table") return parseTableField();
  if (kw == "memory") return parseMemoryField();
  if (kw == "global") return parseGlobalField();
  if (kw == "export") return parseExportField();
  if (kw == "start") return parseStartField();
  if (kw == "elem") return parseElemField();
  return parseDataField();
}

// (type id? (func param* result*))
Result<void> WatParser::parseTypeField() {
  ts_.next();
  ts_.next();
  BANTAM_TRY(defineName(Space::Type, maybeId()));
  FuncType sig;
  BANTAM_TRY(parseFuncType(sig));
  addExplicitType(std::move(sig));
  return ts_.expectRParen();
}

Result<void> WatParser::parseInlineExports(ExternKind kind, uint32_t index) {
  while (ts_.isParenKeyword("export")) {
    ts_.next();
    ts_.next();
    std::string name = BANTAM_TRY(ts_.readName());
    BANTAM_TRY(ts_.expectRParen());
    exports_.w.name(name);
    exports_.w.u8(static_cast<uint8_t>(kind));
    exports_.w.u32(index);
    ++exports_.count;
  }
  return {};
}

Result<bool> WatParser::parseInlineImport(std::string& module, std::string& field) {
  if (!ts_.isParenKeyword("import")) return false;
  ts_.next();
  ts_.next();
  module = BANTAM_TRY(ts_.readName());
  field = BANTAM_TRY(ts_.readName());
  BANTAM_TRY(ts_.expectRParen());
  return true;
}

// (import "module" "name" importdesc)
Result<void> WatParser::parseImportField() {
  ts_.next();
  ts_.next();
  std::string module = BANTAM_TRY(ts_.readName());
  std::string field = BANTAM_TRY(ts_.readName());
  BANTAM_TRY(ts_.expectLParen());
  const Token& kindTok = ts_.peek();
  auto space = kindTok.kind == TokenKind::Keyword ? importSpace(ts_.text(kindTok)) : std::nullopt;
  if (!space) return ts_.unexpected(kindTok, "an import kind");
  ts_.next();
  maybeId();
  ByteWriter& w = imports_.w;
  switch (*space) {
    case Space::Func: {
      TypeUse use = BANTAM_TRY(parseTypeUse(true));
      const uint32_t typeIndex = BANTAM_TRY(resolveTypeUse(use));
      w.name(module);
      w.name(field);
      w.u8(0x00);
      w.u32(typeIndex);
      break;
    }
    case Space::Table: {
      Limits limits = BANTAM_TRY(parseLimits());
      ValType type = BANTAM_TRY(parseRefType());
      w.name(module);
      w.name(field);
      w.u8(0x01);
      w.u8(static_cast<uint8_t>(type));
      writeLimits(w, limits);
      break;
    }
    case Space::Memory: {
      Limits limits = BANTAM_TRY(parseLimits());
      w.name(module);
      w.name(field);
      w.u8(0x02);
      writeLimits(w, limits);
      break;
    }
    default: {
      GlobalType type;
      BANTAM_TRY(parseGlobalType(type));
      w.name(module);
      w.name(field);
      w.u8(0x03);
      w.u8(static_cast<uint8_t>(type.type));
      w.u8(type.isMutable ? 1 : 0);
      break;
    }
  }
  ++imports_.count;
  ++next_[static_cast<size_t>(*space)];
  BANTAM_TRY(ts_.expectRParen());
  return ts_.expectRParen();
}

// (func id? (export ..)* (import ..)? typeuse local* instr*)
Result<void> WatParser::parseFuncField() {
  ts_.next();
  ts_.next();
  maybeId();
  const uint32_t index = next_[static_cast<size_t>(Space::Func)]++;
  BANTAM_TRY(parseInlineExports(ExternKind::Func, index));
  std::string module, field;
  const bool isImport = BANTAM_TRY(parseInlineImport(module, field));
  TypeUse use = BANTAM_TRY(parseTypeUse(true));
  const uint32_t typeIndex = BANTAM_TRY(resolveTypeUse(use));
  if (isImport) {
    imports_.w.name(module);
    imports_.w.name(field);
    imports_.w.u8(0x00);
    imports_.w.u32(typeIndex);
    ++imports_.count;
    return ts_.expectRParen();
  }
  funcs_.w.u32(typeIndex);
  ++funcs_.count;
  return parseFuncBody(use, typeIndex);
}

Result<void> WatParser::parseFuncBody(const TypeUse& use, uint32_t typeIndex) {
  CodeContext cx;
  // Parameter names come only from inline declarations; "(type x)" alone names none (§6.6.3).
  if (use.index && !use.hasInline) {
    const FuncType* def = typeAt(typeIndex);
    cx.localCount = def ? static_cast<uint32_t>(def->params.size()) : 0;
  } else {
    cx.localCount = static_cast<uint32_t>(use.sig.params.size());
    for (const auto& [name, index] : use.paramNames) cx.addLocalName(name, index);
  }
  std::vector<ValType> locals;
  while (ts_.isParenKeyword("local")) {
    ts_.next();
    ts_.next();
    if (const Token* id = maybeId()) {
      std::string_view name = ts_.text(*id);
      if (!cx.addLocalName(name, cx.localCount + static_cast<uint32_t>(locals.size())))
        return ts_.errorAt(*id, "duplicate local " + std::string(name));
      locals.push_back(BANTAM_TRY(parseValType()));
    } else {
      while (!ts_.is(TokenKind::RParen)) locals.push_back(BANTAM_TRY(parseValType()));
    }
    BANTAM_TRY(ts_.expectRParen());
  }
  cx.localCount += static_cast<uint32_t>(locals.size());

  ByteWriter& body = scratch_;
  body.clear();
  // Runs of equal types share one entry (§5.5.13).
  uint32_t groups = 0;
  for (size_t i = 0; i < locals.size(); ++i)
    if (i == 0 || locals[i] != locals[i - 1]) ++groups;
  body.u32(groups);
  for (size_t i = 0; i < locals.size();) {
    size_t j = i;
    while (j < locals.size() && locals[j] == locals[i]) ++j;
    body.u32(j - i);
    body.u8(static_cast<uint8_t>(locals[i]));
    i = j;
  }
  BANTAM_TRY(parseInstrs(cx, body));
  BANTAM_TRY(ts_.expectRParen());
  body.u8(0x0b);
  code_.w.u32(body.size());
  code_.w.append(body.bytes());
  ++code_.count;
  return {};
}

// (table id? (export ..)* (import ..)? tabletype) | (table id? (export ..)* reftype (elem ..))
Result<void> WatParser::parseTableField() {
  ts_.next();
  ts_.next();
  maybeId();
  const uint32_t index = next_[static_cast<size_t>(Space::Table)]++;
  BANTAM_TRY(parseInlineExports(ExternKind::Table, index));
  std::string module, field;
  const bool isImport = BANTAM_TRY(parseInlineImport(module, field));
  if (!isImport && ts_.is(TokenKind::Keyword)) {
    // The inline element segment: limits are its length, min and max (§6.6.6).
    const ValType type = BANTAM_TRY(parseRefType());
    BANTAM_TRY(ts_.expectParenKeyword("elem"));
    ElemItems items;
    if (ts_.is(TokenKind::LParen)) BANTAM_TRY(parseElemExprs(items));
    else BANTAM_TRY(parseElemIndices(items));
    BANTAM_TRY(ts_.expectRParen());
    tables_.w.u8(static_cast<uint8_t>(type));
    writeLimits(tables_.w, Limits{items.count, items.count});
    ++tables_.count;
    ByteWriter offset;
    offset.u8(0x41);  // i32.const 0
    offset.u8(0x00);
    offset.u8(0x0b);
    ++next_[static_cast<size_t>(Space::Elem)];
    encodeElemSegment(ElemMode::Active, index, offset, type, items);
    return ts_.expectRParen();
  }
  Limits limits = BANTAM_TRY(parseLimits());
  const ValType type = BANTAM_TRY(parseRefType());
  ByteWriter& w = isImport ? imports_.w : tables_.w;
  if (isImport) {
    w.name(module);
    w.name(field);
    w.u8(0x01);
    ++imports_.count;
  } else {
    ++tables_.count;
  }
  w.u8(static_cast<uint8_t>(type));
  writeLimits(w, limits);
  return ts_.expectRParen();
}

// (memory id? (export ..)* (import ..)? memtype) | (memory id? (export ..)* (data string*))
Result<void> WatParser::parseMemoryField() {
  ts_.next();
  ts_.next();
  maybeId();
  const uint32_t index = next_[static_cast<size_t>(Space::Memory)]++;
  BANTAM_TRY(parseInlineExports(ExternKind::Memory, index));
  std::string module, field;
  const bool isImport = BANTAM_TRY(parseInlineImport(module, field));
  if (!isImport && ts_.isParenKeyword("data")) {
    ts_.next();
    ts_.next();
    std::string bytes;
    while (ts_.is(TokenKind::String)) bytes += BANTAM_TRY(ts_.readString());
    BANTAM_TRY(ts_.expectRParen());
    // The inline data segment: the memory is exactly large enough (§6.6.7).
    const uint64_t pages = (bytes.size() + kPageSize - 1) / kPageSize;
    writeLimits(memories_.w, Limits{pages, pages});
    ++memories_.count;
    ++next_[static_cast<size_t>(Space::Data)];
    datas_.w.u8(index == 0 ? 0x00 : 0x02);
    if (index != 0) datas_.w.u32(index);
    datas_.w.u8(0x41);  // i32.const 0
    datas_.w.u8(0x00);
    datas_.w.u8(0x0b);
    datas_.w.name(bytes);
    ++datas_.count;
    return ts_.expectRParen();
  }
  Limits limits = BANTAM_TRY(parseLimits());
  if (isImport) {
    imports_.w.name(module);
    imports_.w.name(field);
    imports_.w.u8(0x02);
    writeLimits(imports_.w, limits);
    ++imports_.count;
  } else {
    writeLimits(memories_.w, limits);
    ++memories_.count;
  }
  return ts_.expectRParen();
}

// (global id? (export ..)* (import ..)? globaltype expr?)
Result<void> WatParser::parseGlobalField() {
  ts_.next();
  ts_.next();
  maybeId();
  const uint32_t index = next_[static_cast<size_t>(Space::Global)]++;
  BANTAM_TRY(parseInlineExports(ExternKind::Global, index));
  std::string module, field;
  const bool isImport = BANTAM_TRY(parseInlineImport(module, field));
  GlobalType type;
  BANTAM_TRY(parseGlobalType(type));
  if (isImport) {
    imports_.w.name(module);
    imports_.w.name(field);
    imports_.w.u8(0x03);
    imports_.w.u8(static_cast<uint8_t>(type.type));
    imports_.w.u8(type.isMutable ? 1 : 0);
    ++imports_.count;
    return ts_.expectRParen();
  }
  globals_.w.u8(static_cast<uint8_t>(type.type));
  globals_.w.u8(type.isMutable ? 1 : 0);
  CodeContext cx;
  BANTAM_TRY(parseExpr(cx, globals_.w));
  ++globals_.count;
  return ts_.expectRParen();
}

// (export "name" (kind index))
Result<void> WatParser::parseExportField() {
  ts_.next();
  ts_.next();
  std::string name = BANTAM_TRY(ts_.readName());
  BANTAM_TRY(ts_.expectLParen());
  const Token& kindTok = ts_.peek();
  auto space = kindTok.kind == TokenKind::Keyword ? importSpace(ts_.text(kindTok)) : std::nullopt;
  if (!space) return ts_.unexpected(kindTok, "an export kind");
  ts_.next();
  const uint32_t index = BANTAM_TRY(parseIndex(*space));
  BANTAM_TRY(ts_.expectRParen());
  exports_.w.name(name);
  exports_.w.u8(static_cast<uint8_t>(*space) - 1);  // Func=1.. in Space, 0.. in ExternKind
  exports_.w.u32(index);
  ++exports_.count;
  return ts_.expectRParen();
}

// (start funcidx)
Result<void> WatParser::parseStartField() {
  const Token& open = ts_.peek();
  ts_.next();
  ts_.next();
  const uint32_t index = BANTAM_TRY(parseIndex(Space::Func));
  if (start_) return ts_.errorAt(open, "multiple start sections");
  start_ = index;
  return ts_.expectRParen();
}

std::vector<uint8_t> WatParser::assemble() {
  std::vector<uint8_t> out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  SectionBuf types;
  types.count = static_cast<uint32_t>(types_.size());
  for (const FuncType& t : types_) {
    types.w.u8(0x60);
    types.w.u32(t.params.size());
    for (ValType v : t.params) types.w.u8(static_cast<uint8_t>(v));
    types.w.u32(t.results.size());
    for (ValType v : t.results) types.w.u8(static_cast<uint8_t>(v));
  }
  writeSection(out, 1, types);
  writeSection(out, 2, imports_);
  writeSection(out, 3, funcs_);
  writeSection(out, 4, tables_);
  writeSection(out, 5, memories_);
  writeSection(out, 6, globals_);
  writeSection(out, 7, exports_);
  if (start_) {
    ByteWriter body;
    body.u32(*start_);
    out.push_back(8);
    ByteWriter size;
    size.u32(body.size());
    out.insert(out.end(), size.bytes().begin(), size.bytes().end());
    out.insert(out.end(), body.bytes().begin(), body.bytes().end());
  }
  writeSection(out, 9, elems_);
  // The data count section exactly when code refers to data segments, as the reference
  // interpreter's encoder does (wabt also omits it when there are no segments).
  if (usesDataIndex_) {
    ByteWriter body;
    body.u32(datas_.count);
    out.push_back(12);
    ByteWriter size;
    size.u32(body.size());
    out.insert(out.end(), size.bytes().begin(), size.bytes().end());
    out.insert(out.end(), body.bytes().begin(), body.bytes().end());
  }
  writeSection(out, 10, code_);
  writeSection(out, 11, datas_);
  return out;
}

Result<std::vector<uint8_t>> parseWat(std::string_view text, const WatOptions& options) {
  SourceInfo source{text, options.fileName, options.firstLine, options.firstColumn};
  std::vector<Token> tokens = BANTAM_TRY(tokenize(source));
  WatParser parser(source, tokens);
  return parser.parseModule();
}

}  // namespace bantam::wasm::text
