// Component-level values for host code (the "abstract values" of Explainer "Fundamental value
// types"): what host functions receive and return and what the host passes to and gets from
// a guest export. The type travels separately (a Value is interpreted against a ValType), so
// records and tuples are field lists, variants a case index and an optional payload.
//
// Strings are UTF-8. Lists of fixed-size numbers (list<u8>, list<u32>, list<f64>...) are
// "bulk": one byte buffer in the Canonical ABI's little-endian memory form, copied with one
// memcpy, never element by element. Strings and bulk lists lifted as the arguments of a host
// function are views into guest memory (no copy), valid until the host function returns; a
// host that keeps one copies it (toOwned()).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "component/model/types.h"

namespace bantam::component {

class ResourceType;  // runtime identity of a resource type (component/resources.h)

class Value {
 public:
  Value() = default;  // no value: the result of a function without a result

  static Value boolean(bool b) { return scalar(ValKind::Bool, b ? 1 : 0); }
  static Value s8(int8_t v) { return scalar(ValKind::S8, static_cast<uint64_t>(static_cast<int64_t>(v))); }
  static Value u8(uint8_t v) { return scalar(ValKind::U8, v); }
  static Value s16(int16_t v) { return scalar(ValKind::S16, static_cast<uint64_t>(static_cast<int64_t>(v))); }
  static Value u16(uint16_t v) { return scalar(ValKind::U16, v); }
  static Value s32(int32_t v) { return scalar(ValKind::S32, static_cast<uint64_t>(static_cast<int64_t>(v))); }
  static Value u32(uint32_t v) { return scalar(ValKind::U32, v); }
  static Value s64(int64_t v) { return scalar(ValKind::S64, static_cast<uint64_t>(v)); }
  static Value u64(uint64_t v) { return scalar(ValKind::U64, v); }
  static Value f32(float v);
  static Value f64(double v);
  static Value character(char32_t c) { return scalar(ValKind::Char, c); }

  static Value string(std::string s);
  // A string that is not copied: `s` must outlive every use of the value.
  static Value stringView(std::string_view s);

  static Value list(std::vector<Value> items);
  // A bulk list of `elem` (a fixed-size number kind) from its little-endian bytes.
  static Value bulkList(ValKind elem, std::string bytes);
  static Value bulkListView(ValKind elem, std::span<const uint8_t> bytes);
  static Value bytes(std::span<const uint8_t> data);  // list<u8>, copied
  static Value bytes(std::string data);               // list<u8>, moved
  static Value bytesView(std::span<const uint8_t> data) { return bulkListView(ValKind::U8, data); }

  static Value record(std::vector<Value> fields);
  static Value tuple(std::vector<Value> items);
  static Value variant(uint32_t caseIndex, std::optional<Value> payload = std::nullopt);
  static Value enumCase(uint32_t caseIndex);
  static Value none();
  static Value some(Value v);
  static Value ok(std::optional<Value> v = std::nullopt);
  static Value err(std::optional<Value> v = std::nullopt);
  static Value flags(uint32_t bits);
  // A handle: the resource type and its representation. For host resources the rep is the
  // host's own index (a slot in its table); for guest resources it is the guest's rep.
  static Value own(const ResourceType* type, uint32_t rep);
  static Value borrow(const ResourceType* type, uint32_t rep);

  bool hasValue() const { return present_; }
  ValKind kind() const { return kind_; }

  bool asBool() const { return bits_ != 0; }
  int64_t asS64() const { return static_cast<int64_t>(bits_); }
  uint64_t asU64() const { return bits_; }
  int32_t asS32() const { return static_cast<int32_t>(bits_); }
  uint32_t asU32() const { return static_cast<uint32_t>(bits_); }
  float asF32() const;
  double asF64() const;
  char32_t asChar() const { return static_cast<char32_t>(bits_); }

  std::string_view str() const;  // String
  // List: either bulk (bytes()) or items (items()).
  bool isBulk() const { return bulk_; }
  ValKind bulkElem() const { return elem_; }
  std::span<const uint8_t> bytes() const;  // bulk lists and strings
  size_t listSize() const;
  std::span<const Value> items() const { return items_; }  // list (not bulk), record, tuple
  std::vector<Value>& mutableItems() { return items_; }
  // An element of a list as a Value (bulk lists decode it).
  Value listItem(size_t i) const;

  uint32_t caseIndex() const { return small_; }  // variant, enum, option (0 none, 1 some), result (0 ok, 1 error)
  const Value* payload() const { return items_.empty() ? nullptr : &items_[0]; }
  bool isSome() const { return small_ == 1; }
  bool isOk() const { return small_ == 0; }
  uint32_t flagBits() const { return small_; }
  uint32_t rep() const { return small_; }
  const ResourceType* resourceType() const { return rt_; }

  // A copy that owns every string and bulk list (views into guest memory become copies).
  Value toOwned() const;
  bool isView() const { return view_; }

  // Deep equality of contents (a bulk list equals an item list with the same elements).
  bool operator==(const Value& other) const;
  // Debugging text: 42, "text", [1, 2], (1, "a"), {1, "a"}, case#1(5), none, ok(...), flags(0x3).
  std::string toString() const;

 private:
  static Value scalar(ValKind kind, uint64_t bits) {
    Value v;
    v.present_ = true;
    v.kind_ = kind;
    v.bits_ = bits;
    return v;
  }

  bool present_ = false;
  bool view_ = false;
  bool bulk_ = false;
  ValKind kind_ = ValKind::Bool;
  ValKind elem_ = ValKind::U8;  // bulk lists
  uint32_t small_ = 0;
  uint64_t bits_ = 0;
  const ResourceType* rt_ = nullptr;
  std::string data_;                 // owned string / bulk bytes
  const uint8_t* viewData_ = nullptr;  // view string / bulk bytes
  size_t viewSize_ = 0;
  std::vector<Value> items_;
};

// The size in bytes of one element of a bulk list of `kind`.
uint32_t bulkElemSize(ValKind kind);

}  // namespace bantam::component
