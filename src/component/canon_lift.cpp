// Canonical ABI lifting: core values and linear memory to Values (CanonicalABI.md "Loading",
// "Flat Lifting", lift_flat_values).
#include <bit>
#include <cstring>

#include "component/canon.h"

namespace bantam::component {

namespace {

using runtime::TrapOr;

template <class T>
T read(const CanonContext& cx, uint32_t ptr) {
  T v;
  std::memcpy(&v, cx.memory->base + ptr, sizeof(T));
  return v;
}

uint64_t memorySize(const CanonContext& cx) { return cx.memory ? cx.memory->sizeBytes : 0; }

TrapOr<Value> toChar(uint32_t i) {
  if (i >= 0x110000 || (i >= 0xD800 && i <= 0xDFFF))
    return abiFail<Value>("invalid `char` bit pattern " + std::to_string(i));
  return Value::character(static_cast<char32_t>(i));
}

Value fromBits(ValKind kind, uint64_t bits) {
  switch (kind) {
    case ValKind::Bool: return Value::boolean(bits != 0);
    case ValKind::S8: return Value::s8(static_cast<int8_t>(bits));
    case ValKind::U8: return Value::u8(static_cast<uint8_t>(bits));
    case ValKind::S16: return Value::s16(static_cast<int16_t>(bits));
    case ValKind::U16: return Value::u16(static_cast<uint16_t>(bits));
    case ValKind::S32: return Value::s32(static_cast<int32_t>(bits));
    case ValKind::U32: return Value::u32(static_cast<uint32_t>(bits));
    case ValKind::S64: return Value::s64(static_cast<int64_t>(bits));
    case ValKind::U64: return Value::u64(bits);
    case ValKind::F32: return Value::f32(std::bit_cast<float>(canonicalizeNan32(static_cast<uint32_t>(bits))));
    case ValKind::F64: return Value::f64(std::bit_cast<double>(canonicalizeNan64(bits)));
    default: return Value();
  }
}

Value variantValue(ValType t, uint32_t index, std::optional<Value> payload) {
  switch (t->kind) {
    case ValKind::Enum: return Value::enumCase(index);
    case ValKind::Option: return index ? Value::some(std::move(*payload)) : Value::none();
    case ValKind::Result: return index ? Value::err(std::move(payload)) : Value::ok(std::move(payload));
    default: return Value::variant(index, std::move(payload));
  }
}

uint32_t flagMask(ValType t) {
  size_t n = t->labels.size();
  return n >= 32 ? 0xffffffffu : ((1u << n) - 1);
}

// lift_own: the handle leaves this instance's table (ownership moves to the receiver).
TrapOr<Value> liftOwn(CanonContext& cx, uint32_t i, ValType t) {
  const ResourceType* rt = cx.resource(t->resource);
  HandleEntry* h = BANTAM_TRY(cx.inst->handles.get(i));
  if (h->rt != rt)
    return abiFail<Value>("handle " + std::to_string(i) + " is a `" + h->rt->name + "`, expected a `" +
                          (rt ? rt->name : "?") + "`");
  if (h->numLends != 0) return abiFail<Value>("cannot move handle " + std::to_string(i) + ": it is lent out as a borrow");
  if (!h->own) return abiFail<Value>("handle " + std::to_string(i) + " is a borrow, an owned handle was expected");
  HandleEntry e = BANTAM_TRY(cx.inst->handles.remove(i));
  if (!e.rt->isHost()) const_cast<ResourceType*>(e.rt)->release(e.rep);
  return Value::own(e.rt, e.rep);
}

// lift_borrow: the handle stays, lent to the callee until the lowered call returns.
TrapOr<Value> liftBorrow(CanonContext& cx, uint32_t i, ValType t) {
  const ResourceType* rt = cx.resource(t->resource);
  HandleEntry* h = BANTAM_TRY(cx.inst->handles.get(i));
  if (h->rt != rt)
    return abiFail<Value>("handle " + std::to_string(i) + " is a `" + h->rt->name + "`, expected a `" +
                          (rt ? rt->name : "?") + "`");
  if (!cx.subtask) return abiFail<Value>("a borrow can only be lifted as the argument of a call");
  cx.subtask->addLender(cx.inst->handles, i, *h);
  return Value::borrow(h->rt, h->rep);
}

bool hasNonCanonicalNan(ValKind kind, std::span<const uint8_t> bytes) {
  if (kind == ValKind::F32) {
    for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
      uint32_t b;
      std::memcpy(&b, bytes.data() + i, 4);
      if (canonicalizeNan32(b) != b) return true;
    }
  } else if (kind == ValKind::F64) {
    for (size_t i = 0; i + 8 <= bytes.size(); i += 8) {
      uint64_t b;
      std::memcpy(&b, bytes.data() + i, 8);
      if (canonicalizeNan64(b) != b) return true;
    }
  }
  return false;
}

TrapOr<Value> loadListFromRange(CanonContext& cx, uint32_t ptr, uint32_t length, ValType elem) {
  uint64_t bytes = uint64_t{length} * elem->size;
  if (bytes > kMaxListByteLength) return abiFail<Value>("list of " + std::to_string(length) + " elements is too long");
  if (ptr % elem->align != 0) return abiFail<Value>("list pointer is not aligned");
  if (uint64_t{ptr} + bytes > memorySize(cx)) return abiFail<Value>("list pointer/length out of bounds of memory");
  if (elem->isBulkScalar) {
    std::span<const uint8_t> data(cx.memory->base + ptr, static_cast<size_t>(bytes));
    if (hasNonCanonicalNan(elem->kind, data)) {
      std::string copy(reinterpret_cast<const char*>(data.data()), data.size());
      for (size_t i = 0; i < copy.size(); i += elem->size) {
        if (elem->kind == ValKind::F32) {
          uint32_t b;
          std::memcpy(&b, copy.data() + i, 4);
          b = canonicalizeNan32(b);
          std::memcpy(copy.data() + i, &b, 4);
        } else {
          uint64_t b;
          std::memcpy(&b, copy.data() + i, 8);
          b = canonicalizeNan64(b);
          std::memcpy(copy.data() + i, &b, 8);
        }
      }
      return Value::bulkList(elem->kind, std::move(copy));
    }
    if (cx.views) return Value::bulkListView(elem->kind, data);
    return Value::bulkList(elem->kind, std::string(reinterpret_cast<const char*>(data.data()), data.size()));
  }
  std::vector<Value> items;
  items.reserve(length);
  for (uint32_t i = 0; i < length; ++i) items.push_back(BANTAM_TRY(load(cx, ptr + i * elem->size, elem)));
  return Value::list(std::move(items));
}

}  // namespace

TrapOr<Value> load(CanonContext& cx, uint32_t ptr, ValType t) {
  switch (t->kind) {
    case ValKind::Bool: return Value::boolean(read<uint8_t>(cx, ptr) != 0);
    case ValKind::S8:
    case ValKind::U8: return fromBits(t->kind, read<uint8_t>(cx, ptr));
    case ValKind::S16:
    case ValKind::U16: return fromBits(t->kind, read<uint16_t>(cx, ptr));
    case ValKind::S32:
    case ValKind::U32:
    case ValKind::F32: return fromBits(t->kind, read<uint32_t>(cx, ptr));
    case ValKind::S64:
    case ValKind::U64:
    case ValKind::F64: return fromBits(t->kind, read<uint64_t>(cx, ptr));
    case ValKind::Char: return toChar(read<uint32_t>(cx, ptr));
    case ValKind::String: return loadStringFromRange(cx, read<uint32_t>(cx, ptr), read<uint32_t>(cx, ptr + 4));
    case ValKind::List: return loadListFromRange(cx, read<uint32_t>(cx, ptr), read<uint32_t>(cx, ptr + 4), t->elem);
    case ValKind::Record:
    case ValKind::Tuple: {
      std::vector<Value> fields;
      fields.reserve(t->fields.size());
      for (size_t i = 0; i < t->fields.size(); ++i)
        fields.push_back(BANTAM_TRY(load(cx, ptr + t->fieldOffsets[i], t->fields[i].type)));
      return t->kind == ValKind::Record ? Value::record(std::move(fields)) : Value::tuple(std::move(fields));
    }
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result: {
      uint32_t index = t->discSize == 1   ? read<uint8_t>(cx, ptr)
                       : t->discSize == 2 ? read<uint16_t>(cx, ptr)
                                          : read<uint32_t>(cx, ptr);
      if (index >= t->cases.size()) return abiFail<Value>("invalid variant discriminant " + std::to_string(index));
      std::optional<Value> payload;
      if (ValType pt = t->cases[index].type) payload = BANTAM_TRY(load(cx, ptr + t->payloadOffset, pt));
      return variantValue(t, index, std::move(payload));
    }
    case ValKind::Flags: {
      uint32_t bits = t->discSize == 1 ? read<uint8_t>(cx, ptr) : t->discSize == 2 ? read<uint16_t>(cx, ptr) : read<uint32_t>(cx, ptr);
      return Value::flags(bits & flagMask(t));
    }
    case ValKind::Own: return liftOwn(cx, read<uint32_t>(cx, ptr), t);
    case ValKind::Borrow: return liftBorrow(cx, read<uint32_t>(cx, ptr), t);
  }
  return Value();
}

TrapOr<Value> liftFlat(CanonContext& cx, FlatValues& in, ValType t) {
  auto next = [&]() -> runtime::RawVal& { return in.cells[in.pos++]; };
  switch (t->kind) {
    case ValKind::Bool: return Value::boolean(next().i32 != 0);
    case ValKind::S8:
    case ValKind::U8:
    case ValKind::S16:
    case ValKind::U16:
    case ValKind::S32:
    case ValKind::U32: return fromBits(t->kind, next().i32);
    case ValKind::F32: return fromBits(t->kind, next().f32);
    case ValKind::S64:
    case ValKind::U64:
    case ValKind::F64: return fromBits(t->kind, next().i64);
    case ValKind::Char: return toChar(next().i32);
    case ValKind::String: {
      uint32_t ptr = next().i32;
      return loadStringFromRange(cx, ptr, next().i32);
    }
    case ValKind::List: {
      uint32_t ptr = next().i32;
      return loadListFromRange(cx, ptr, next().i32, t->elem);
    }
    case ValKind::Record:
    case ValKind::Tuple: {
      std::vector<Value> fields;
      fields.reserve(t->fields.size());
      for (const FieldType& f : t->fields) fields.push_back(BANTAM_TRY(liftFlat(cx, in, f.type)));
      return t->kind == ValKind::Record ? Value::record(std::move(fields)) : Value::tuple(std::move(fields));
    }
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result: {
      uint32_t index = next().i32;
      if (index >= t->cases.size()) return abiFail<Value>("invalid variant discriminant " + std::to_string(index));
      // The payload's cells hold the variant's joined types; reading the payload's own type
      // from a cell is the spec's coercion (bit reinterpretation and i64 wrapping), because
      // RawVal overlays i32/f32 on the low half of i64/f64 (CanonicalABI.md lift_flat_variant).
      size_t end = in.pos + (t->flat.count - 1);
      std::optional<Value> payload;
      if (ValType pt = t->cases[index].type) payload = BANTAM_TRY(liftFlat(cx, in, pt));
      in.pos = end;
      return variantValue(t, index, std::move(payload));
    }
    case ValKind::Flags: return Value::flags(next().i32 & flagMask(t));
    case ValKind::Own: return liftOwn(cx, next().i32, t);
    case ValKind::Borrow: return liftBorrow(cx, next().i32, t);
  }
  return Value();
}

TrapOr<void> liftFlatValues(CanonContext& cx, uint32_t maxFlat, FlatValues& in, std::span<const FieldType> types,
                            std::vector<Value>& out) {
  FlatTypes flat;
  for (const FieldType& f : types) flat.append(f.type->flat);
  out.reserve(out.size() + types.size());
  if (flat.size() <= maxFlat) {
    for (const FieldType& f : types) out.push_back(BANTAM_TRY(liftFlat(cx, in, f.type)));
    return {};
  }
  uint32_t ptr = in.cells[in.pos++].i32;
  // The values as a tuple in memory.
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
  if (ptr % align != 0) return abiFail("spilled values pointer is not aligned");
  if (uint64_t{ptr} + size > memorySize(cx)) return abiFail("spilled values out of bounds of memory");
  for (size_t i = 0; i < types.size(); ++i) out.push_back(BANTAM_TRY(load(cx, ptr + offsets[i], types[i].type)));
  return {};
}

TrapOr<Value> liftFlatResult(CanonContext& cx, FlatValues& in, ValType type) {
  if (!type) return Value();
  if (type->flat.size() <= kMaxFlatResults) return liftFlat(cx, in, type);
  uint32_t ptr = in.cells[in.pos++].i32;
  if (ptr % type->align != 0) return abiFail<Value>("result pointer is not aligned");
  if (uint64_t{ptr} + type->size > memorySize(cx)) return abiFail<Value>("result pointer out of bounds of memory");
  return load(cx, ptr, type);
}

}  // namespace bantam::component
