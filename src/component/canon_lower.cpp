// Canonical ABI lowering: Values to core values and linear memory (CanonicalABI.md
// "Storing", "Flat Lowering", lower_flat_values), and realloc calls.
#include <bit>
#include <cstring>

#include "component/canon.h"

namespace bantam::component {

namespace {

using runtime::TrapOr;

template <class T>
void write(CanonContext& cx, uint32_t ptr, T v) {
  std::memcpy(cx.memory->base + ptr, &v, sizeof(T));
}

uint64_t memorySize(const CanonContext& cx) { return cx.memory ? cx.memory->sizeBytes : 0; }

// A host (or the embedder) handed over a value that is not of the declared type: the host's
// bug, reported as a host error naming both.
TrapOr<void> mismatch(const Value& v, ValType t) {
  return std::unexpected(runtime::Trap(runtime::TrapKind::HostError,
                                       "value " + v.toString() + " does not have type " + typeToString(t)));
}

bool kindMatches(const Value& v, ValType t) {
  if (!v.hasValue()) return false;
  if (isPrimitive(t->kind)) return v.kind() == t->kind;
  return v.kind() == t->kind;
}

TrapOr<uint32_t> charBits(const Value& v) {
  uint32_t c = static_cast<uint32_t>(v.asChar());
  if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF))
    return std::unexpected(runtime::Trap(runtime::TrapKind::HostError, "value is not a Unicode scalar value"));
  return c;
}

TrapOr<uint32_t> lowerOwn(CanonContext& cx, const Value& v, ValType t) {
  const ResourceType* rt = cx.resource(t->resource);
  if (v.resourceType() != rt)
    return std::unexpected(runtime::Trap(runtime::TrapKind::HostError,
                                         std::string("handle of resource `") +
                                             (v.resourceType() ? v.resourceType()->name : "?") + "` passed as a `" +
                                             (rt ? rt->name : "?") + "`"));
  if (!rt->isHost() && !const_cast<ResourceType*>(rt)->reclaim(v.rep()))
    return abiFail<uint32_t>("owned handle of `" + rt->name + "` (rep " + std::to_string(v.rep()) +
                             ") is not held by the caller: it was dropped or passed on already");
  HandleEntry h;
  h.rt = rt;
  h.rep = v.rep();
  h.own = true;
  return cx.inst->handles.add(h);
}

// lower_borrow: a borrow of a resource the receiving instance implements is just its rep.
TrapOr<uint32_t> lowerBorrow(CanonContext& cx, const Value& v, ValType t) {
  const ResourceType* rt = cx.resource(t->resource);
  if (v.resourceType() != rt)
    return std::unexpected(runtime::Trap(runtime::TrapKind::HostError,
                                         std::string("borrowed handle of resource `") +
                                             (v.resourceType() ? v.resourceType()->name : "?") + "` passed as a `" +
                                             (rt ? rt->name : "?") + "`"));
  if (rt->impl == cx.inst) return v.rep();
  if (!cx.task) return abiFail<uint32_t>("a borrow can only be passed as an argument of a call");
  HandleEntry h;
  h.rt = rt;
  h.rep = v.rep();
  h.own = false;
  h.borrowScope = cx.task;
  ++cx.task->numBorrows;
  return cx.inst->handles.add(h);
}

TrapOr<std::pair<uint32_t, uint32_t>> storeListIntoRange(CanonContext& cx, const Value& v, ValType elem) {
  size_t n = v.listSize();
  uint64_t bytes = uint64_t{n} * elem->size;
  if (bytes > UINT32_MAX) return abiFail<std::pair<uint32_t, uint32_t>>("list is too long for a 32-bit memory");
  uint32_t ptr = BANTAM_TRY(allocate(cx, elem->align, static_cast<uint32_t>(bytes)));
  if (v.isBulk() && elem->isBulkScalar && v.bulkElem() == elem->kind) {
    std::span<const uint8_t> src = v.bytes();
    if (!src.empty()) std::memcpy(cx.memory->base + ptr, src.data(), src.size());
  } else if (v.isBulk()) {
    for (size_t i = 0; i < n; ++i) BANTAM_TRY(store(cx, v.listItem(i), elem, ptr + static_cast<uint32_t>(i) * elem->size));
  } else {
    std::span<const Value> items = v.items();
    for (size_t i = 0; i < n; ++i) BANTAM_TRY(store(cx, items[i], elem, ptr + static_cast<uint32_t>(i) * elem->size));
  }
  return std::pair<uint32_t, uint32_t>{ptr, static_cast<uint32_t>(n)};
}

}  // namespace

TrapOr<uint32_t> reallocate(CanonContext& cx, uint32_t old, uint32_t oldSize, uint32_t align, uint32_t size) {
  if (!cx.realloc || !cx.memory) return abiFail<uint32_t>("lowering needs memory allocation but there is no `realloc`");
  runtime::RawVal cells[4];
  cells[0].i32 = old;
  cells[1].i32 = oldSize;
  cells[2].i32 = align;
  cells[3].i32 = size;
  // realloc runs with may_leave cleared: it may not call imports (CanonicalABI.md reallocate).
  bool mayLeave = cx.inst->mayLeave;
  cx.inst->mayLeave = false;
  auto r = cx.store->call(*cx.realloc, std::span<runtime::RawVal>(cells, 4));
  cx.inst->mayLeave = mayLeave;
  if (!r) return std::unexpected(std::move(r.error()));
  uint32_t ptr = cells[0].i32;
  if (ptr % align != 0) return abiFail<uint32_t>("realloc returned a misaligned pointer");
  if (uint64_t{ptr} + size > memorySize(cx)) return abiFail<uint32_t>("realloc returned a pointer out of bounds of memory");
  return ptr;
}

TrapOr<uint32_t> allocate(CanonContext& cx, uint32_t align, uint32_t size) { return reallocate(cx, 0, 0, align, size); }

TrapOr<void> store(CanonContext& cx, const Value& v, ValType t, uint32_t ptr) {
  if (!kindMatches(v, t)) return mismatch(v, t);
  switch (t->kind) {
    case ValKind::Bool: write<uint8_t>(cx, ptr, v.asBool() ? 1 : 0); return {};
    case ValKind::S8:
    case ValKind::U8: write<uint8_t>(cx, ptr, static_cast<uint8_t>(v.asU64())); return {};
    case ValKind::S16:
    case ValKind::U16: write<uint16_t>(cx, ptr, static_cast<uint16_t>(v.asU64())); return {};
    case ValKind::S32:
    case ValKind::U32:
    case ValKind::F32: write<uint32_t>(cx, ptr, static_cast<uint32_t>(v.asU64())); return {};
    case ValKind::S64:
    case ValKind::U64:
    case ValKind::F64: write<uint64_t>(cx, ptr, v.asU64()); return {};
    case ValKind::Char: write<uint32_t>(cx, ptr, BANTAM_TRY(charBits(v))); return {};
    case ValKind::String: {
      auto [p, units] = BANTAM_TRY(storeStringIntoRange(cx, v.str()));
      write<uint32_t>(cx, ptr, p);
      write<uint32_t>(cx, ptr + 4, units);
      return {};
    }
    case ValKind::List: {
      auto [p, n] = BANTAM_TRY(storeListIntoRange(cx, v, t->elem));
      write<uint32_t>(cx, ptr, p);
      write<uint32_t>(cx, ptr + 4, n);
      return {};
    }
    case ValKind::Record:
    case ValKind::Tuple: {
      std::span<const Value> items = v.items();
      if (items.size() != t->fields.size()) return mismatch(v, t);
      for (size_t i = 0; i < items.size(); ++i) BANTAM_TRY(store(cx, items[i], t->fields[i].type, ptr + t->fieldOffsets[i]));
      return {};
    }
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result: {
      uint32_t index = v.caseIndex();
      if (index >= t->cases.size()) return mismatch(v, t);
      if (t->discSize == 1) write<uint8_t>(cx, ptr, static_cast<uint8_t>(index));
      else if (t->discSize == 2) write<uint16_t>(cx, ptr, static_cast<uint16_t>(index));
      else write<uint32_t>(cx, ptr, index);
      if (ValType pt = t->cases[index].type) {
        if (!v.payload()) return mismatch(v, t);
        BANTAM_TRY(store(cx, *v.payload(), pt, ptr + t->payloadOffset));
      }
      return {};
    }
    case ValKind::Flags:
      if (t->discSize == 1) write<uint8_t>(cx, ptr, static_cast<uint8_t>(v.flagBits()));
      else if (t->discSize == 2) write<uint16_t>(cx, ptr, static_cast<uint16_t>(v.flagBits()));
      else write<uint32_t>(cx, ptr, v.flagBits());
      return {};
    case ValKind::Own: write<uint32_t>(cx, ptr, BANTAM_TRY(lowerOwn(cx, v, t))); return {};
    case ValKind::Borrow: write<uint32_t>(cx, ptr, BANTAM_TRY(lowerBorrow(cx, v, t))); return {};
  }
  return {};
}

TrapOr<void> lowerFlat(CanonContext& cx, const Value& v, ValType t, FlatValues& out) {
  if (!kindMatches(v, t)) return mismatch(v, t);
  // Cells are zeroed before they are written, so a narrower value written into a variant's
  // joined cell is zero-extended, as lower_flat_variant requires.
  auto next = [&]() -> runtime::RawVal& {
    runtime::RawVal& c = out.cells[out.pos++];
    c = runtime::RawVal();
    return c;
  };
  switch (t->kind) {
    case ValKind::Bool: next().i32 = v.asBool() ? 1 : 0; return {};
    case ValKind::S8:
    case ValKind::U8:
    case ValKind::S16:
    case ValKind::U16:
    case ValKind::S32:
    case ValKind::U32: next().i32 = static_cast<uint32_t>(v.asU64()); return {};
    case ValKind::F32: next().f32 = static_cast<uint32_t>(v.asU64()); return {};
    case ValKind::S64:
    case ValKind::U64:
    case ValKind::F64: next().i64 = v.asU64(); return {};
    case ValKind::Char: next().i32 = BANTAM_TRY(charBits(v)); return {};
    case ValKind::String: {
      auto [p, units] = BANTAM_TRY(storeStringIntoRange(cx, v.str()));
      next().i32 = p;
      next().i32 = units;
      return {};
    }
    case ValKind::List: {
      auto [p, n] = BANTAM_TRY(storeListIntoRange(cx, v, t->elem));
      next().i32 = p;
      next().i32 = n;
      return {};
    }
    case ValKind::Record:
    case ValKind::Tuple: {
      std::span<const Value> items = v.items();
      if (items.size() != t->fields.size()) return mismatch(v, t);
      for (size_t i = 0; i < items.size(); ++i) BANTAM_TRY(lowerFlat(cx, items[i], t->fields[i].type, out));
      return {};
    }
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result: {
      uint32_t index = v.caseIndex();
      if (index >= t->cases.size()) return mismatch(v, t);
      next().i32 = index;
      size_t start = out.pos, end = out.pos + (t->flat.count - 1);
      for (size_t i = start; i < end; ++i) out.cells[i] = runtime::RawVal();
      if (ValType pt = t->cases[index].type) {
        if (!v.payload()) return mismatch(v, t);
        BANTAM_TRY(lowerFlat(cx, *v.payload(), pt, out));
      }
      out.pos = end;
      return {};
    }
    case ValKind::Flags: next().i32 = v.flagBits(); return {};
    case ValKind::Own: next().i32 = BANTAM_TRY(lowerOwn(cx, v, t)); return {};
    case ValKind::Borrow: next().i32 = BANTAM_TRY(lowerBorrow(cx, v, t)); return {};
  }
  return {};
}

TrapOr<void> lowerFlatValues(CanonContext& cx, uint32_t maxFlat, std::span<const Value> values,
                             std::span<const FieldType> types, FlatValues& out) {
  if (values.size() != types.size())
    return std::unexpected(runtime::Trap(runtime::TrapKind::HostError,
                                         "expected " + std::to_string(types.size()) + " values, got " +
                                             std::to_string(values.size())));
  FlatTypes flat;
  for (const FieldType& f : types) flat.append(f.type->flat);
  if (flat.size() <= maxFlat) {
    for (size_t i = 0; i < values.size(); ++i) BANTAM_TRY(lowerFlat(cx, values[i], types[i].type, out));
    return {};
  }
  uint32_t align = 1;
  uint64_t size = 0;
  std::vector<uint32_t> offsets;
  for (const FieldType& f : types) {
    size = (size + f.type->align - 1) / f.type->align * f.type->align;
    offsets.push_back(static_cast<uint32_t>(size));
    size += f.type->size;
    align = std::max(align, f.type->align);
  }
  size = (size + align - 1) / align * align;
  uint32_t ptr = BANTAM_TRY(allocate(cx, align, static_cast<uint32_t>(size)));
  for (size_t i = 0; i < values.size(); ++i) BANTAM_TRY(store(cx, values[i], types[i].type, ptr + offsets[i]));
  runtime::RawVal& c = out.cells[out.pos++];
  c = runtime::RawVal();
  c.i32 = ptr;
  return {};
}

TrapOr<void> lowerFlatResult(CanonContext& cx, const Value& value, ValType type, FlatValues& out,
                             const runtime::RawVal* outParam) {
  if (!type) return {};
  if (type->flat.size() <= kMaxFlatResults) return lowerFlat(cx, value, type, out);
  uint32_t ptr;
  if (outParam) {
    ptr = outParam->i32;
    if (ptr % type->align != 0) return abiFail("result pointer is not aligned");
    if (uint64_t{ptr} + type->size > memorySize(cx)) return abiFail("result pointer out of bounds of memory");
  } else {
    ptr = BANTAM_TRY(allocate(cx, type->align, type->size));
  }
  BANTAM_TRY(store(cx, value, type, ptr));
  if (!outParam) {
    runtime::RawVal& c = out.cells[out.pos++];
    c = runtime::RawVal();
    c.i32 = ptr;
  }
  return {};
}

}  // namespace bantam::component
