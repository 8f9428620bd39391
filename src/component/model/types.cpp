// Type nodes, their Canonical ABI layout, equality, substitution and printing.
#include "component/model/types.h"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace bantam::component {

const char* coreTypeName(CoreType t) {
  switch (t) {
    case CoreType::I32: return "i32";
    case CoreType::I64: return "i64";
    case CoreType::F32: return "f32";
    case CoreType::F64: return "f64";
  }
  return "?";
}

const char* valKindName(ValKind k) {
  static const char* names[] = {"bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64",
                                "f32", "f64", "char", "string", "list", "record", "tuple",
                                "variant", "enum", "option", "result", "flags", "own", "borrow"};
  return names[static_cast<size_t>(k)];
}

void FlatTypes::push(CoreType t) {
  if (overflow) return;
  if (count == kCap) {
    overflow = true;
    return;
  }
  types[count++] = t;
}

void FlatTypes::append(const FlatTypes& other) {
  if (other.overflow) overflow = true;
  for (uint8_t i = 0; i < other.count && !overflow; ++i) push(other.types[i]);
}

namespace {

// CanonicalABI.md `join`: the tightest core type both can be bit-cast to.
CoreType join(CoreType a, CoreType b) {
  if (a == b) return a;
  if ((a == CoreType::I32 && b == CoreType::F32) || (a == CoreType::F32 && b == CoreType::I32)) return CoreType::I32;
  return CoreType::I64;
}

void setScalar(ValTypeNode& n, uint32_t size, CoreType flat) {
  n.size = n.align = size;
  n.flat.push(flat);
}

std::array<ValTypeNode, 13> makePrimitives() {
  std::array<ValTypeNode, 13> p;
  for (size_t i = 0; i < p.size(); ++i) p[i].kind = static_cast<ValKind>(i);
  setScalar(p[size_t(ValKind::Bool)], 1, CoreType::I32);
  setScalar(p[size_t(ValKind::S8)], 1, CoreType::I32);
  setScalar(p[size_t(ValKind::U8)], 1, CoreType::I32);
  setScalar(p[size_t(ValKind::S16)], 2, CoreType::I32);
  setScalar(p[size_t(ValKind::U16)], 2, CoreType::I32);
  setScalar(p[size_t(ValKind::S32)], 4, CoreType::I32);
  setScalar(p[size_t(ValKind::U32)], 4, CoreType::I32);
  setScalar(p[size_t(ValKind::S64)], 8, CoreType::I64);
  setScalar(p[size_t(ValKind::U64)], 8, CoreType::I64);
  setScalar(p[size_t(ValKind::F32)], 4, CoreType::F32);
  setScalar(p[size_t(ValKind::F64)], 8, CoreType::F64);
  setScalar(p[size_t(ValKind::Char)], 4, CoreType::I32);
  ValTypeNode& s = p[size_t(ValKind::String)];
  s.size = 8;
  s.align = 4;
  s.flat.push(CoreType::I32);
  s.flat.push(CoreType::I32);
  s.needsMemory = true;
  for (size_t i = size_t(ValKind::S8); i <= size_t(ValKind::F64); ++i) p[i].isBulkScalar = true;
  return p;
}

const std::array<ValTypeNode, 13>& primitives() {
  static const std::array<ValTypeNode, 13> p = makePrimitives();
  return p;
}

void inherit(ValTypeNode& n, ValType child) {
  if (!child) return;
  n.hasHandle |= child->hasHandle;
  n.hasBorrow |= child->hasBorrow;
  n.needsMemory |= child->needsMemory;
  n.tooLarge |= child->tooLarge;
  n.depth = std::max(n.depth, child->depth + 1);
}

void finish(ValTypeNode& n, uint64_t size) {
  if (size > kMaxTypeSize) {
    n.tooLarge = true;
    size = kMaxTypeSize;
  }
  n.size = static_cast<uint32_t>(size);
}

uint64_t align64(uint64_t off, uint32_t align) { return (off + align - 1) / align * align; }

void layoutRecord(ValTypeNode& n) {
  uint64_t off = 0;
  n.align = 1;
  n.fieldOffsets.clear();
  for (const FieldType& f : n.fields) {
    inherit(n, f.type);
    off = align64(off, f.type->align);
    n.fieldOffsets.push_back(static_cast<uint32_t>(std::min<uint64_t>(off, kMaxTypeSize)));
    off += f.type->size;
    n.align = std::max(n.align, f.type->align);
    n.flat.append(f.type->flat);
  }
  finish(n, align64(off, n.align));
}

void layoutVariant(ValTypeNode& n) {
  size_t cases = n.cases.size();
  n.discSize = cases <= 256 ? 1 : cases <= 65536 ? 2 : 4;
  uint32_t maxAlign = 1;
  uint64_t maxSize = 0;
  FlatTypes payload;
  for (const CaseType& c : n.cases) {
    if (!c.type) continue;
    inherit(n, c.type);
    maxAlign = std::max(maxAlign, c.type->align);
    maxSize = std::max<uint64_t>(maxSize, c.type->size);
    const FlatTypes& cf = c.type->flat;
    if (cf.overflow) payload.overflow = true;
    for (uint8_t i = 0; i < cf.count && !payload.overflow; ++i) {
      if (i < payload.count) payload.types[i] = join(payload.types[i], cf.types[i]);
      else payload.push(cf.types[i]);
    }
  }
  n.align = std::max<uint32_t>(n.discSize, maxAlign);
  n.payloadOffset = alignTo(n.discSize, maxAlign);
  n.flat.push(CoreType::I32);
  n.flat.append(payload);
  finish(n, align64(n.payloadOffset + maxSize, n.align));
}

}  // namespace

ValType primType(ValKind kind) { return &primitives()[static_cast<size_t>(kind)]; }

ValTypeNode& TypeArena::make(ValKind kind) {
  ValTypeNode& n = nodes_.emplace_back();
  n.kind = kind;
  return n;
}

ValType TypeArena::record(std::vector<FieldType> fields) {
  ValTypeNode& n = make(ValKind::Record);
  n.fields = std::move(fields);
  layoutRecord(n);
  return &n;
}

ValType TypeArena::tuple(std::vector<ValType> types) {
  ValTypeNode& n = make(ValKind::Tuple);
  for (ValType t : types) n.fields.push_back({{}, t});
  layoutRecord(n);
  return &n;
}

ValType TypeArena::variant(std::vector<CaseType> cases) {
  ValTypeNode& n = make(ValKind::Variant);
  n.cases = std::move(cases);
  layoutVariant(n);
  return &n;
}

ValType TypeArena::enumType(std::vector<std::string> labels) {
  ValTypeNode& n = make(ValKind::Enum);
  for (std::string& l : labels) n.cases.push_back({std::move(l), nullptr});
  layoutVariant(n);
  return &n;
}

ValType TypeArena::option(ValType t) {
  ValTypeNode& n = make(ValKind::Option);
  n.elem = t;
  n.cases = {{"none", nullptr}, {"some", t}};
  layoutVariant(n);
  return &n;
}

ValType TypeArena::result(ValType ok, ValType err) {
  ValTypeNode& n = make(ValKind::Result);
  n.cases = {{"ok", ok}, {"error", err}};
  layoutVariant(n);
  return &n;
}

ValType TypeArena::flags(std::vector<std::string> labels) {
  ValTypeNode& n = make(ValKind::Flags);
  n.labels = std::move(labels);
  size_t count = n.labels.size();
  n.discSize = count <= 8 ? 1 : count <= 16 ? 2 : 4;
  n.size = n.align = n.discSize;
  n.flat.push(CoreType::I32);
  return &n;
}

ValType TypeArena::list(ValType elem) {
  ValTypeNode& n = make(ValKind::List);
  n.elem = elem;
  inherit(n, elem);
  n.tooLarge = elem->tooLarge;
  n.needsMemory = true;
  n.size = 8;
  n.align = 4;
  n.flat.push(CoreType::I32);
  n.flat.push(CoreType::I32);
  return &n;
}

ValType TypeArena::own(ResourceId r) {
  ValTypeNode& n = make(ValKind::Own);
  n.resource = r;
  n.size = n.align = 4;
  n.flat.push(CoreType::I32);
  n.hasHandle = true;
  return &n;
}

ValType TypeArena::borrow(ResourceId r) {
  ValTypeNode& n = make(ValKind::Borrow);
  n.resource = r;
  n.size = n.align = 4;
  n.flat.push(CoreType::I32);
  n.hasHandle = n.hasBorrow = true;
  return &n;
}

FuncType TypeArena::func(std::vector<FieldType> params, ValType result) {
  FuncTypeNode& f = funcs_.emplace_back();
  f.params = std::move(params);
  f.result = result;
  uint64_t off = 0;
  for (const FieldType& p : f.params) {
    f.flatParams.append(p.type->flat);
    off = align64(off, p.type->align);
    f.paramOffsets.push_back(static_cast<uint32_t>(std::min<uint64_t>(off, kMaxTypeSize)));
    off += p.type->size;
    f.paramsAlign = std::max(f.paramsAlign, p.type->align);
    f.paramsNeedMemory |= p.type->needsMemory;
    f.hasBorrowParam |= p.type->hasBorrow;
    f.hasHandles |= p.type->hasHandle;
  }
  f.paramsSize = static_cast<uint32_t>(std::min<uint64_t>(align64(off, f.paramsAlign), kMaxTypeSize));
  if (result) {
    f.flatResults = result->flat;
    f.resultNeedsMemory = result->needsMemory;
    f.hasHandles |= result->hasHandle;
  }
  f.paramsSpill = f.flatParams.size() > kMaxFlatParams;
  f.resultSpill = f.flatResults.size() > kMaxFlatResults;
  return &f;
}

std::vector<CoreType> FuncTypeNode::liftParams() const {
  if (paramsSpill) return {CoreType::I32};
  return {flatParams.types, flatParams.types + flatParams.count};
}
std::vector<CoreType> FuncTypeNode::liftResults() const {
  if (resultSpill) return {CoreType::I32};
  return {flatResults.types, flatResults.types + flatResults.count};
}
std::vector<CoreType> FuncTypeNode::lowerParams() const {
  std::vector<CoreType> p = liftParams();
  if (resultSpill) p.push_back(CoreType::I32);
  return p;
}
std::vector<CoreType> FuncTypeNode::lowerResults() const {
  if (resultSpill) return {};
  return {flatResults.types, flatResults.types + flatResults.count};
}

namespace {

using Memo = std::unordered_map<ValType, ValType>;

ValType subst(TypeArena& arena, ValType t, const std::function<ResourceId(ResourceId)>& map, Memo& memo) {
  if (!t || !t->hasHandle) return t;
  if (auto it = memo.find(t); it != memo.end()) return it->second;
  ValType out = t;
  switch (t->kind) {
    case ValKind::Own:
    case ValKind::Borrow: {
      ResourceId r = map(t->resource);
      if (!(r == t->resource)) out = t->kind == ValKind::Own ? arena.own(r) : arena.borrow(r);
      break;
    }
    case ValKind::List: {
      ValType e = subst(arena, t->elem, map, memo);
      if (e != t->elem) out = arena.list(e);
      break;
    }
    case ValKind::Record:
    case ValKind::Tuple: {
      std::vector<FieldType> fields = t->fields;
      bool changed = false;
      for (FieldType& f : fields) {
        ValType n = subst(arena, f.type, map, memo);
        changed |= n != f.type;
        f.type = n;
      }
      if (changed) {
        if (t->kind == ValKind::Record) {
          out = arena.record(std::move(fields));
        } else {
          std::vector<ValType> ts;
          for (const FieldType& f : fields) ts.push_back(f.type);
          out = arena.tuple(std::move(ts));
        }
      }
      break;
    }
    case ValKind::Variant: {
      std::vector<CaseType> cases = t->cases;
      bool changed = false;
      for (CaseType& c : cases) {
        ValType n = subst(arena, c.type, map, memo);
        changed |= n != c.type;
        c.type = n;
      }
      if (changed) out = arena.variant(std::move(cases));
      break;
    }
    case ValKind::Option: {
      ValType e = subst(arena, t->elem, map, memo);
      if (e != t->elem) out = arena.option(e);
      break;
    }
    case ValKind::Result: {
      ValType ok = subst(arena, t->cases[0].type, map, memo);
      ValType err = subst(arena, t->cases[1].type, map, memo);
      if (ok != t->cases[0].type || err != t->cases[1].type) out = arena.result(ok, err);
      break;
    }
    default: break;
  }
  memo.emplace(t, out);
  return out;
}

}  // namespace

ValType TypeArena::substitute(ValType t, const std::function<ResourceId(ResourceId)>& map) {
  Memo memo;
  return subst(*this, t, map, memo);
}

FuncType TypeArena::substitute(FuncType f, const std::function<ResourceId(ResourceId)>& map) {
  if (!f->hasHandles) return f;
  Memo memo;
  std::vector<FieldType> params = f->params;
  bool changed = false;
  for (FieldType& p : params) {
    ValType n = subst(*this, p.type, map, memo);
    changed |= n != p.type;
    p.type = n;
  }
  ValType r = subst(*this, f->result, map, memo);
  changed |= r != f->result;
  return changed ? func(std::move(params), r) : f;
}

bool typesEqual(ValType a, ValType b, const ResourceEq& same) {
  if (a == b) return true;
  if (!a || !b || a->kind != b->kind) return false;
  switch (a->kind) {
    case ValKind::Own:
    case ValKind::Borrow: return same ? same(a->resource, b->resource) : a->resource == b->resource;
    case ValKind::List: return typesEqual(a->elem, b->elem, same);
    case ValKind::Record:
    case ValKind::Tuple:
      if (a->fields.size() != b->fields.size()) return false;
      for (size_t i = 0; i < a->fields.size(); ++i)
        if (a->fields[i].name != b->fields[i].name || !typesEqual(a->fields[i].type, b->fields[i].type, same))
          return false;
      return true;
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result:
      if (a->cases.size() != b->cases.size()) return false;
      for (size_t i = 0; i < a->cases.size(); ++i)
        if (a->cases[i].name != b->cases[i].name || !typesEqual(a->cases[i].type, b->cases[i].type, same))
          return false;
      return true;
    case ValKind::Flags: return a->labels == b->labels;
    default: return true;  // the same primitive kind
  }
}

bool funcTypesEqual(FuncType a, FuncType b, const ResourceEq& same) {
  if (a == b) return true;
  if (a->params.size() != b->params.size()) return false;
  for (size_t i = 0; i < a->params.size(); ++i)
    if (a->params[i].name != b->params[i].name || !typesEqual(a->params[i].type, b->params[i].type, same))
      return false;
  return typesEqual(a->result, b->result, same);
}

std::string typeToString(ValType t) {
  if (!t) return "_";
  switch (t->kind) {
    case ValKind::List: return "list<" + typeToString(t->elem) + ">";
    case ValKind::Option: return "option<" + typeToString(t->elem) + ">";
    case ValKind::Result: {
      ValType ok = t->cases[0].type, err = t->cases[1].type;
      if (!ok && !err) return "result";
      if (!err) return "result<" + typeToString(ok) + ">";
      return "result<" + typeToString(ok) + ", " + typeToString(err) + ">";
    }
    case ValKind::Tuple: {
      std::string s = "tuple<";
      for (size_t i = 0; i < t->fields.size(); ++i) s += (i ? ", " : "") + typeToString(t->fields[i].type);
      return s + ">";
    }
    case ValKind::Record: {
      std::string s = "record { ";
      for (size_t i = 0; i < t->fields.size(); ++i)
        s += (i ? ", " : "") + t->fields[i].name + ": " + typeToString(t->fields[i].type);
      return s + " }";
    }
    case ValKind::Variant: {
      std::string s = "variant { ";
      for (size_t i = 0; i < t->cases.size(); ++i) {
        s += (i ? ", " : "") + t->cases[i].name;
        if (t->cases[i].type) s += "(" + typeToString(t->cases[i].type) + ")";
      }
      return s + " }";
    }
    case ValKind::Enum: {
      std::string s = "enum { ";
      for (size_t i = 0; i < t->cases.size(); ++i) s += (i ? ", " : "") + t->cases[i].name;
      return s + " }";
    }
    case ValKind::Flags: {
      std::string s = "flags { ";
      for (size_t i = 0; i < t->labels.size(); ++i) s += (i ? ", " : "") + t->labels[i];
      return s + " }";
    }
    case ValKind::Own: return "own<#" + std::to_string(t->resource.value) + ">";
    case ValKind::Borrow: return "borrow<#" + std::to_string(t->resource.value) + ">";
    default: return valKindName(t->kind);
  }
}

std::string funcTypeToString(FuncType f) {
  std::string s = "func(";
  for (size_t i = 0; i < f->params.size(); ++i)
    s += (i ? ", " : "") + f->params[i].name + ": " + typeToString(f->params[i].type);
  s += ")";
  if (f->result) s += " -> " + typeToString(f->result);
  return s;
}

std::string coreSignature(const std::vector<CoreType>& params, const std::vector<CoreType>& results) {
  std::string s = "(func";
  if (!params.empty()) {
    s += " (param";
    for (CoreType t : params) s += std::string(" ") + coreTypeName(t);
    s += ")";
  }
  if (!results.empty()) {
    s += " (result";
    for (CoreType t : results) s += std::string(" ") + coreTypeName(t);
    s += ")";
  }
  return s + ")";
}

}  // namespace bantam::component
