// Component values: construction, bulk-list access, equality and debugging text.
#include "component/model/value.h"

#include <bit>
#include <cinttypes>
#include <cstdio>

namespace bantam::component {

uint32_t bulkElemSize(ValKind kind) { return primType(kind)->size; }

Value Value::f32(float v) { return scalar(ValKind::F32, std::bit_cast<uint32_t>(v)); }
Value Value::f64(double v) { return scalar(ValKind::F64, std::bit_cast<uint64_t>(v)); }
float Value::asF32() const { return std::bit_cast<float>(static_cast<uint32_t>(bits_)); }
double Value::asF64() const { return std::bit_cast<double>(bits_); }

Value Value::string(std::string s) {
  Value v = scalar(ValKind::String, 0);
  v.data_ = std::move(s);
  return v;
}

Value Value::stringView(std::string_view s) {
  Value v = scalar(ValKind::String, 0);
  v.view_ = true;
  v.viewData_ = reinterpret_cast<const uint8_t*>(s.data());
  v.viewSize_ = s.size();
  return v;
}

Value Value::list(std::vector<Value> items) {
  Value v = scalar(ValKind::List, 0);
  v.items_ = std::move(items);
  return v;
}

Value Value::bulkList(ValKind elem, std::string bytes) {
  Value v = scalar(ValKind::List, 0);
  v.bulk_ = true;
  v.elem_ = elem;
  v.data_ = std::move(bytes);
  return v;
}

Value Value::bulkListView(ValKind elem, std::span<const uint8_t> bytes) {
  Value v = scalar(ValKind::List, 0);
  v.bulk_ = true;
  v.view_ = true;
  v.elem_ = elem;
  v.viewData_ = bytes.data();
  v.viewSize_ = bytes.size();
  return v;
}

Value Value::bytes(std::span<const uint8_t> data) {
  return bulkList(ValKind::U8, std::string(reinterpret_cast<const char*>(data.data()), data.size()));
}
Value Value::bytes(std::string data) { return bulkList(ValKind::U8, std::move(data)); }

Value Value::record(std::vector<Value> fields) {
  Value v = scalar(ValKind::Record, 0);
  v.items_ = std::move(fields);
  return v;
}

Value Value::tuple(std::vector<Value> items) {
  Value v = scalar(ValKind::Tuple, 0);
  v.items_ = std::move(items);
  return v;
}

Value Value::variant(uint32_t caseIndex, std::optional<Value> payload) {
  Value v = scalar(ValKind::Variant, 0);
  v.small_ = caseIndex;
  if (payload) v.items_.push_back(std::move(*payload));
  return v;
}

Value Value::enumCase(uint32_t caseIndex) {
  Value v = scalar(ValKind::Enum, 0);
  v.small_ = caseIndex;
  return v;
}

Value Value::none() { return scalar(ValKind::Option, 0); }

Value Value::some(Value payload) {
  Value v = scalar(ValKind::Option, 0);
  v.small_ = 1;
  v.items_.push_back(std::move(payload));
  return v;
}

Value Value::ok(std::optional<Value> payload) {
  Value v = scalar(ValKind::Result, 0);
  if (payload) v.items_.push_back(std::move(*payload));
  return v;
}

Value Value::err(std::optional<Value> payload) {
  Value v = scalar(ValKind::Result, 0);
  v.small_ = 1;
  if (payload) v.items_.push_back(std::move(*payload));
  return v;
}

Value Value::flags(uint32_t bits) {
  Value v = scalar(ValKind::Flags, 0);
  v.small_ = bits;
  return v;
}

Value Value::own(const ResourceType* type, uint32_t rep) {
  Value v = scalar(ValKind::Own, 0);
  v.rt_ = type;
  v.small_ = rep;
  return v;
}

Value Value::borrow(const ResourceType* type, uint32_t rep) {
  Value v = scalar(ValKind::Borrow, 0);
  v.rt_ = type;
  v.small_ = rep;
  return v;
}

std::string_view Value::str() const {
  if (view_) return {reinterpret_cast<const char*>(viewData_), viewSize_};
  return data_;
}

std::span<const uint8_t> Value::bytes() const {
  if (view_) return {viewData_, viewSize_};
  return {reinterpret_cast<const uint8_t*>(data_.data()), data_.size()};
}

size_t Value::listSize() const { return bulk_ ? bytes().size() / bulkElemSize(elem_) : items_.size(); }

Value Value::listItem(size_t i) const {
  if (!bulk_) return items_[i];
  uint32_t size = bulkElemSize(elem_);
  uint64_t raw = 0;
  std::memcpy(&raw, bytes().data() + i * size, size);
  switch (elem_) {
    case ValKind::S8: return Value::s8(static_cast<int8_t>(raw));
    case ValKind::S16: return Value::s16(static_cast<int16_t>(raw));
    case ValKind::S32: return Value::s32(static_cast<int32_t>(raw));
    case ValKind::F32: return scalar(ValKind::F32, raw);
    case ValKind::F64: return scalar(ValKind::F64, raw);
    default: return scalar(elem_, raw);
  }
}

Value Value::toOwned() const {
  Value v = *this;
  if (view_) {
    v.view_ = false;
    v.data_.assign(reinterpret_cast<const char*>(viewData_), viewSize_);
    v.viewData_ = nullptr;
    v.viewSize_ = 0;
  }
  for (Value& item : v.items_) item = item.toOwned();
  return v;
}

bool Value::operator==(const Value& o) const {
  if (present_ != o.present_) return false;
  if (!present_) return true;
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case ValKind::String: return str() == o.str();
    case ValKind::List: {
      if (bulk_ && o.bulk_ && elem_ == o.elem_) {
        auto a = bytes(), b = o.bytes();
        return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
      }
      size_t n = listSize();
      if (n != o.listSize()) return false;
      for (size_t i = 0; i < n; ++i)
        if (!(listItem(i) == o.listItem(i))) return false;
      return true;
    }
    case ValKind::Own:
    case ValKind::Borrow: return rt_ == o.rt_ && small_ == o.small_;
    default: return bits_ == o.bits_ && small_ == o.small_ && items_ == o.items_;
  }
}

std::string Value::toString() const {
  if (!present_) return "<none>";
  char buf[64];
  auto joined = [&](char open, char close) {
    std::string s(1, open);
    for (size_t i = 0; i < items_.size(); ++i) s += (i ? ", " : "") + items_[i].toString();
    return s + close;
  };
  switch (kind_) {
    case ValKind::Bool: return asBool() ? "true" : "false";
    case ValKind::S8:
    case ValKind::S16:
    case ValKind::S32:
    case ValKind::S64: return std::to_string(asS64());
    case ValKind::U8:
    case ValKind::U16:
    case ValKind::U32:
    case ValKind::U64: return std::to_string(asU64());
    case ValKind::F32: std::snprintf(buf, sizeof buf, "%g", static_cast<double>(asF32())); return buf;
    case ValKind::F64: std::snprintf(buf, sizeof buf, "%g", asF64()); return buf;
    case ValKind::Char: std::snprintf(buf, sizeof buf, "'\\u{%x}'", static_cast<unsigned>(asChar())); return buf;
    case ValKind::String: return "\"" + std::string(str()) + "\"";
    case ValKind::List: {
      std::string s = "[";
      for (size_t i = 0, n = listSize(); i < n; ++i) s += (i ? ", " : "") + listItem(i).toString();
      return s + "]";
    }
    case ValKind::Record: return joined('{', '}');
    case ValKind::Tuple: return joined('(', ')');
    case ValKind::Variant:
    case ValKind::Enum: return "case#" + std::to_string(small_) + (items_.empty() ? "" : joined('(', ')'));
    case ValKind::Option: return small_ ? "some" + joined('(', ')') : "none";
    case ValKind::Result: return (small_ ? "err" : "ok") + (items_.empty() ? std::string() : joined('(', ')'));
    case ValKind::Flags: std::snprintf(buf, sizeof buf, "flags(0x%x)", small_); return buf;
    case ValKind::Own: return "own(" + std::to_string(small_) + ")";
    case ValKind::Borrow: return "borrow(" + std::to_string(small_) + ")";
  }
  return "?";
}

}  // namespace bantam::component
