// Component binary decoding of type definitions (Binary.md "Type Definitions"): defined value
// types, function, component, instance and resource types, core function and module types,
// extern types.
#include "component/decode_reader.h"

namespace bantam::component {

namespace {

std::optional<ValKind> primitiveFromByte(uint8_t b) {
  if (b >= 0x73 && b <= 0x7f) return static_cast<ValKind>(0x7f - b);  // 0x7f bool .. 0x73 string
  return std::nullopt;
}

Result<wasm::Limits> limits(ByteReader& r, bool memory) {
  uint8_t flags = BANTAM_TRY(r.readByte());
  if (flags == 0x02 || flags == 0x03)
    return failAt(ErrorKind::Unsupported, r.offset() - 1, "unsupported component feature: shared memories (threads)");
  if (memory && flags >= 0x04 && flags <= 0x07)
    return failAt(ErrorKind::Unsupported, r.offset() - 1, "unsupported component feature: 64-bit memories (memory64)");
  if (flags > 0x01) return ComponentDecoder::invalidByte(r, flags, "limits");
  wasm::Limits l;
  l.min = BANTAM_TRY(r.readU32());
  if (flags == 0x01) l.max = BANTAM_TRY(r.readU32());
  return l;
}

Result<wasm::ValType> coreValType(ByteReader& r) {
  uint8_t b = BANTAM_TRY(r.readByte());
  auto t = wasm::valTypeFromByte(b);
  if (!t) return ComponentDecoder::invalidByte(r, b, "core value type");
  return *t;
}

}  // namespace

Result<ValTypeRef> ComponentDecoder::valType(ByteReader& r) {
  ValTypeRef ref;
  uint8_t b = BANTAM_TRY(r.peekByte());
  if (auto prim = primitiveFromByte(b)) {
    (void)r.readByte();
    ref.prim = *prim;
    return ref;
  }
  if (b == 0x64) return unsupported(r, "error-context (📝)");
  // Binary.md: type opcodes are negative SLEB128s; non-negative ones are type indices.
  int64_t v = BANTAM_TRY(r.readS33());
  if (v < 0) return failAt(ErrorKind::Malformed, r.offset() - 1, "invalid value type");
  if (v > UINT32_MAX) return r.error("integer too large");
  ref.isPrimitive = false;
  ref.index = static_cast<uint32_t>(v);
  return ref;
}

Result<CoreExternDesc> ComponentDecoder::coreExternDesc(ByteReader& r) {
  CoreExternDesc d;
  uint8_t b = BANTAM_TRY(r.readByte());
  switch (b) {
    case 0x00:
      d.kind = wasm::ExternKind::Func;
      d.funcType = BANTAM_TRY(r.readU32());
      break;
    case 0x01: {
      d.kind = wasm::ExternKind::Table;
      wasm::ValType t = BANTAM_TRY(coreValType(r));
      if (!wasm::isRefType(t)) return failAt(ErrorKind::Malformed, r.offset() - 1, "malformed reference type");
      d.table.elemType = t;
      d.table.limits = BANTAM_TRY(limits(r, false));
      break;
    }
    case 0x02:
      d.kind = wasm::ExternKind::Memory;
      d.memory.limits = BANTAM_TRY(limits(r, true));
      break;
    case 0x03: {
      d.kind = wasm::ExternKind::Global;
      d.global.type = BANTAM_TRY(coreValType(r));
      uint8_t m = BANTAM_TRY(r.readByte());
      if (m > 1) return invalidByte(r, m, "global mutability");
      d.global.isMutable = m == 1;
      break;
    }
    case 0x04: return unsupported(r, "core tags (exception handling)");
    default: return invalidByte(r, b, "core extern type");
  }
  return d;
}

Result<std::unique_ptr<CoreTypeDef>> ComponentDecoder::coreTypeDef(ByteReader& r, bool inModuleType) {
  auto t = std::make_unique<CoreTypeDef>();
  uint8_t b = BANTAM_TRY(r.readByte());
  if (b == 0x60) {
    t->kind = CoreTypeDef::Kind::Func;
    uint32_t np = BANTAM_TRY(count(r, 1));
    for (uint32_t i = 0; i < np; ++i) t->func.params.push_back(BANTAM_TRY(coreValType(r)));
    uint32_t nr = BANTAM_TRY(count(r, 1));
    for (uint32_t i = 0; i < nr; ++i) t->func.results.push_back(BANTAM_TRY(coreValType(r)));
    return t;
  }
  if (b == 0x50) {
    if (inModuleType)
      return failAt(ErrorKind::Invalid, r.offset() - 1, "core module types cannot define core module types");
    t->kind = CoreTypeDef::Kind::Module;
    uint32_t n = BANTAM_TRY(count(r, 2));
    for (uint32_t i = 0; i < n; ++i) {
      BANTAM_TRY(countDefinition(r));
      CoreModuleDecl d;
      uint8_t k = BANTAM_TRY(r.readByte());
      switch (k) {
        case 0x00:
          d.kind = CoreModuleDecl::Kind::Import;
          d.module = BANTAM_TRY(name(r));
          d.name = BANTAM_TRY(name(r));
          d.desc = BANTAM_TRY(coreExternDesc(r));
          break;
        case 0x01: {
          d.kind = CoreModuleDecl::Kind::Type;
          auto inner = BANTAM_TRY(coreTypeDef(r, true));
          d.funcType = std::move(inner->func);
          break;
        }
        case 0x02: {
          d.kind = CoreModuleDecl::Kind::Alias;
          uint8_t s = BANTAM_TRY(r.readByte());
          if (s != 0x10) return invalidByte(r, s, "core alias sort (only type)");
          uint8_t target = BANTAM_TRY(r.readByte());
          if (target != 0x01) return invalidByte(r, target, "core alias target (only outer)");
          d.outerCount = BANTAM_TRY(r.readU32());
          d.outerIndex = BANTAM_TRY(r.readU32());
          break;
        }
        case 0x03:
          d.kind = CoreModuleDecl::Kind::Export;
          d.name = BANTAM_TRY(name(r));
          d.desc = BANTAM_TRY(coreExternDesc(r));
          break;
        default: return invalidByte(r, k, "core module type declaration");
      }
      t->decls.push_back(std::move(d));
    }
    return t;
  }
  if (b == 0x4e || b == 0x4f || b == 0x00 || b == 0x5e || b == 0x5f)
    return unsupported(r, "core GC types (recursion groups, subtypes, structs and arrays)");
  return invalidByte(r, b, "core type");
}

Result<ExternDesc> ComponentDecoder::externDesc(ByteReader& r) {
  ExternDesc d;
  uint8_t b = BANTAM_TRY(r.readByte());
  switch (b) {
    case 0x00: {
      uint8_t s = BANTAM_TRY(r.readByte());
      if (s != 0x11) return invalidByte(r, s, "core extern type (only core module)");
      d.kind = ExternDesc::Kind::CoreModule;
      d.index = BANTAM_TRY(r.readU32());
      return d;
    }
    case 0x01: d.kind = ExternDesc::Kind::Func; break;
    case 0x02: return unsupported(r, "value imports and exports (🪙)");
    case 0x03: {
      d.kind = ExternDesc::Kind::Type;
      uint8_t bound = BANTAM_TRY(r.readByte());
      if (bound == 0x00) {
        d.index = BANTAM_TRY(r.readU32());
      } else if (bound == 0x01) {
        d.subResource = true;
      } else {
        return invalidByte(r, bound, "type bound");
      }
      return d;
    }
    case 0x04: d.kind = ExternDesc::Kind::Component; break;
    case 0x05: d.kind = ExternDesc::Kind::Instance; break;
    default: return invalidByte(r, b, "extern type");
  }
  d.index = BANTAM_TRY(r.readU32());
  return d;
}

Result<void> ComponentDecoder::typeDecls(ByteReader& r, std::vector<TypeDecl>& decls, bool component, uint32_t depth) {
  uint32_t n = BANTAM_TRY(count(r, 2));
  for (uint32_t i = 0; i < n; ++i) {
    BANTAM_TRY(countDefinition(r));
    TypeDecl d;
    d.offset = r.offset();
    uint8_t k = BANTAM_TRY(r.readByte());
    switch (k) {
      case 0x00:
        d.kind = TypeDecl::Kind::CoreType;
        d.coreType = BANTAM_TRY(coreTypeDef(r, false));
        break;
      case 0x01:
        d.kind = TypeDecl::Kind::Type;
        d.type = BANTAM_TRY(typeDef(r, depth + 1));
        break;
      case 0x02:
        d.kind = TypeDecl::Kind::Alias;
        d.alias = BANTAM_TRY(alias(r));
        break;
      case 0x03:
        if (!component) return invalidByte(r, k, "instance type declaration (imports are only allowed in component types)");
        d.kind = TypeDecl::Kind::Import;
        d.name = BANTAM_TRY(externName(r));
        d.desc = BANTAM_TRY(externDesc(r));
        break;
      case 0x04:
        d.kind = TypeDecl::Kind::Export;
        d.name = BANTAM_TRY(externName(r));
        d.desc = BANTAM_TRY(externDesc(r));
        break;
      default: return invalidByte(r, k, component ? "component type declaration" : "instance type declaration");
    }
    decls.push_back(std::move(d));
  }
  return {};
}

Result<std::unique_ptr<TypeDef>> ComponentDecoder::typeDef(ByteReader& r, uint32_t depth) {
  if (depth > limits_.maxNesting * 4)
    return failAt(ErrorKind::Limit, r.offset(), "component types nested too deeply");
  auto t = std::make_unique<TypeDef>();
  t->offset = r.offset();
  uint8_t b = BANTAM_TRY(r.readByte());
  if (auto prim = primitiveFromByte(b)) {
    t->kind = TypeDef::Kind::Primitive;
    t->prim = *prim;
    return t;
  }
  auto label = [&]() -> Result<std::string> { return name(r); };
  switch (b) {
    case 0x72: {
      t->kind = TypeDef::Kind::Record;
      uint32_t n = BANTAM_TRY(count(r, 2));
      for (uint32_t i = 0; i < n; ++i) {
        std::string l = BANTAM_TRY(label());
        t->fields.emplace_back(std::move(l), BANTAM_TRY(valType(r)));
      }
      return t;
    }
    case 0x71: {
      t->kind = TypeDef::Kind::Variant;
      uint32_t n = BANTAM_TRY(count(r, 3));
      for (uint32_t i = 0; i < n; ++i) {
        std::string l = BANTAM_TRY(label());
        std::optional<ValTypeRef> payload;
        uint8_t has = BANTAM_TRY(r.readByte());
        if (has == 0x01) payload = BANTAM_TRY(valType(r));
        else if (has != 0x00) return invalidByte(r, has, "optional case type");
        uint8_t refines = BANTAM_TRY(r.readByte());
        if (refines == 0x01) return unsupported(r, "variant case refinements");
        if (refines != 0x00) return invalidByte(r, refines, "variant case");
        t->cases.emplace_back(std::move(l), payload);
      }
      return t;
    }
    case 0x70:
      t->kind = TypeDef::Kind::List;
      t->elem = BANTAM_TRY(valType(r));
      return t;
    case 0x67: return unsupported(r, "fixed-length lists (🔧)");
    case 0x6f: {
      t->kind = TypeDef::Kind::Tuple;
      uint32_t n = BANTAM_TRY(count(r, 1));
      for (uint32_t i = 0; i < n; ++i) t->types.push_back(BANTAM_TRY(valType(r)));
      return t;
    }
    case 0x6e:
    case 0x6d: {
      t->kind = b == 0x6e ? TypeDef::Kind::Flags : TypeDef::Kind::Enum;
      uint32_t n = BANTAM_TRY(count(r, 1));
      for (uint32_t i = 0; i < n; ++i) t->labels.push_back(BANTAM_TRY(label()));
      return t;
    }
    case 0x6b:
      t->kind = TypeDef::Kind::Option;
      t->elem = BANTAM_TRY(valType(r));
      return t;
    case 0x6a: {
      t->kind = TypeDef::Kind::Result;
      for (std::optional<ValTypeRef>* slot : {&t->elem, &t->err}) {
        uint8_t has = BANTAM_TRY(r.readByte());
        if (has == 0x01) *slot = BANTAM_TRY(valType(r));
        else if (has != 0x00) return invalidByte(r, has, "optional result type");
      }
      return t;
    }
    case 0x69:
    case 0x68:
      t->kind = b == 0x69 ? TypeDef::Kind::Own : TypeDef::Kind::Borrow;
      t->index = BANTAM_TRY(r.readU32());
      return t;
    case 0x66: return unsupported(r, "stream types (component-model concurrency)");
    case 0x65: return unsupported(r, "future types (component-model concurrency)");
    case 0x64: return unsupported(r, "error-context (📝)");
    case 0x63: return unsupported(r, "map types (🗺️)");
    case 0x43: return unsupported(r, "async function types (component-model concurrency)");
    case 0x40: {
      t->kind = TypeDef::Kind::Func;
      uint32_t n = BANTAM_TRY(count(r, 2));
      for (uint32_t i = 0; i < n; ++i) {
        std::string l = BANTAM_TRY(label());
        t->fields.emplace_back(std::move(l), BANTAM_TRY(valType(r)));
      }
      uint8_t results = BANTAM_TRY(r.readByte());
      if (results == 0x00) {
        t->elem = BANTAM_TRY(valType(r));
      } else if (results == 0x01) {
        uint32_t named = BANTAM_TRY(r.readU32());
        if (named != 0) return unsupported(r, "named function results (removed from the component model before 0.2)");
      } else {
        return invalidByte(r, results, "function result list");
      }
      return t;
    }
    case 0x41:
    case 0x42:
      t->kind = b == 0x41 ? TypeDef::Kind::Component : TypeDef::Kind::Instance;
      BANTAM_TRY(typeDecls(r, t->decls, b == 0x41, depth));
      return t;
    case 0x3f: {
      t->kind = TypeDef::Kind::Resource;
      uint8_t rep = BANTAM_TRY(r.readByte());
      if (rep == 0x7e) return unsupported(r, "64-bit resource representations (🐘)");
      if (rep != 0x7f) return invalidByte(r, rep, "resource representation (only i32)");
      uint8_t has = BANTAM_TRY(r.readByte());
      if (has == 0x01) t->dtor = BANTAM_TRY(r.readU32());
      else if (has != 0x00) return invalidByte(r, has, "optional resource destructor");
      return t;
    }
    default: return invalidByte(r, b, "type definition");
  }
}

}  // namespace bantam::component
