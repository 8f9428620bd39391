// Component-model value and function types (Explainer "Type Definitions") with their
// Canonical ABI layout (CanonicalABI.md "Alignment", "Element Size", "Flattening") computed
// once when a type is made, so lifting and lowering never recompute it.
//
// Types are immutable nodes owned by a TypeArena; a ValType is a pointer to one. Primitive
// types are shared singletons (primType()). Equality is structural (the specialised types —
// tuple, enum, option, result, flags, string — are distinct from their expansions), except
// for handles, whose resource is an identity: a ResourceId in the universe of the arena's
// owner (a compiled component's resource table, or the resources of a WIT resolve).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bantam::component {

// The core value types a component value flattens to (memory32 only: pointers are i32).
enum class CoreType : uint8_t { I32, I64, F32, F64 };
const char* coreTypeName(CoreType t);

enum class ValKind : uint8_t {
  Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String,
  List, Record, Tuple, Variant, Enum, Option, Result, Flags, Own, Borrow,
};
const char* valKindName(ValKind k);  // "bool", "list", "own", ...
inline bool isPrimitive(ValKind k) { return k <= ValKind::String; }
// Record-like (a sequence of fields) and variant-like (a discriminant and a payload) kinds
// share their Canonical ABI; these are the spec's `despecialize` classes.
inline bool isRecordLike(ValKind k) { return k == ValKind::Record || k == ValKind::Tuple; }
inline bool isVariantLike(ValKind k) {
  return k == ValKind::Variant || k == ValKind::Enum || k == ValKind::Option || k == ValKind::Result;
}

inline constexpr uint32_t kMaxFlatParams = 16;
inline constexpr uint32_t kMaxFlatResults = 1;
// CanonicalABI.md: elem_size of any defined value type must stay below 2^28.
inline constexpr uint64_t kMaxTypeSize = (uint64_t{1} << 28) - 1;
// Nesting depth of a value type (list<list<...>>): lifting, lowering, comparing and printing
// recurse on it, so a hostile binary or WIT file could otherwise exhaust the stack. Real
// interfaces nest a handful of levels (wasmparser uses the same limit of 100).
inline constexpr uint32_t kMaxTypeDepth = 100;

// A resource type's identity inside one type universe (see the header comment).
struct ResourceId {
  uint32_t value = UINT32_MAX;
  bool valid() const { return value != UINT32_MAX; }
  bool operator==(const ResourceId&) const = default;
};

// A flattening, kept only up to kMaxFlatParams + 1 entries: past that only "too many"
// matters (every user of a longer flattening spills to memory).
struct FlatTypes {
  static constexpr uint32_t kCap = kMaxFlatParams + 1;
  CoreType types[kCap] = {};
  uint8_t count = 0;
  bool overflow = false;

  uint32_t size() const { return overflow ? kCap + 1 : count; }
  void push(CoreType t);
  void append(const FlatTypes& other);
};

struct ValTypeNode;
using ValType = const ValTypeNode*;

struct FieldType {
  std::string name;  // tuples: empty
  ValType type = nullptr;
};
struct CaseType {
  std::string name;
  ValType type = nullptr;  // nullptr: no payload
};

struct ValTypeNode {
  ValKind kind = ValKind::Bool;
  // Children. Record-like kinds use `fields` (tuples with empty names); variant-like kinds
  // use `cases` in their despecialised form (option: none/some, result: ok/error, enum:
  // payload-less cases); flags use `labels`; list uses `elem`; handles use `resource`.
  std::vector<FieldType> fields;
  std::vector<CaseType> cases;
  std::vector<std::string> labels;
  ValType elem = nullptr;
  ResourceId resource;

  // Canonical ABI layout.
  uint32_t size = 0;           // elem_size
  uint32_t align = 1;          // alignment
  uint8_t discSize = 0;        // variant-like: discriminant bytes (1, 2 or 4); flags: 1, 2 or 4
  uint32_t payloadOffset = 0;  // variant-like: offset of the payload
  std::vector<uint32_t> fieldOffsets;  // record-like
  FlatTypes flat;
  bool tooLarge = false;       // elem_size reached kMaxTypeSize
  uint32_t depth = 1;          // nesting depth (a primitive or handle: 1)
  bool hasHandle = false;      // transitively contains own or borrow
  bool hasBorrow = false;      // transitively contains borrow
  bool needsMemory = false;    // transitively contains a string or list (needs memory/realloc)
  // Lists of these elements are bulk copies: fixed-size numbers whose memory form is the
  // value (no bool normalisation, no char validation). NaNs are canonicalised in a pass.
  bool isBulkScalar = false;
};

// The shared primitive type nodes (kind <= String).
ValType primType(ValKind kind);

struct FuncTypeNode {
  std::vector<FieldType> params;
  ValType result = nullptr;  // nullptr: no result

  // Flattened signature pieces (CanonicalABI.md flatten_functype, sync, memory32).
  FlatTypes flatParams, flatResults;
  bool paramsSpill = false;   // more than 16 flat params: passed through memory
  bool resultSpill = false;   // more than 1 flat result: returned through memory
  uint32_t paramsSize = 0, paramsAlign = 1;  // the params as a tuple in memory
  std::vector<uint32_t> paramOffsets;        // their offsets in that tuple
  bool paramsNeedMemory = false, resultNeedsMemory = false;
  bool hasBorrowParam = false;
  bool hasHandles = false;

  // The core signature of `canon lift` (the core callee) and `canon lower` (the core func).
  std::vector<CoreType> liftParams() const;
  std::vector<CoreType> liftResults() const;
  std::vector<CoreType> lowerParams() const;
  std::vector<CoreType> lowerResults() const;
};
using FuncType = const FuncTypeNode*;

// Owns type nodes. Never shrinks; types live as long as the arena.
class TypeArena {
 public:
  ValType record(std::vector<FieldType> fields);
  ValType tuple(std::vector<ValType> types);
  ValType variant(std::vector<CaseType> cases);
  ValType enumType(std::vector<std::string> labels);
  ValType option(ValType t);
  ValType result(ValType ok, ValType err);  // either may be nullptr
  ValType flags(std::vector<std::string> labels);
  ValType list(ValType elem);
  ValType own(ResourceId r);
  ValType borrow(ResourceId r);
  FuncType func(std::vector<FieldType> params, ValType result);

  // A copy of `t` (from any arena) with each resource replaced by map(resource); `t` itself
  // when it has no handles or nothing changes.
  ValType substitute(ValType t, const std::function<ResourceId(ResourceId)>& map);
  FuncType substitute(FuncType f, const std::function<ResourceId(ResourceId)>& map);

  size_t nodeCount() const { return nodes_.size(); }

 private:
  ValTypeNode& make(ValKind kind);
  std::deque<ValTypeNode> nodes_;
  std::deque<FuncTypeNode> funcs_;
};

// Structural equality. Handles compare resources through `same` (default: equal ids, for
// types of one universe).
using ResourceEq = std::function<bool(ResourceId a, ResourceId b)>;
bool typesEqual(ValType a, ValType b, const ResourceEq& same = {});
bool funcTypesEqual(FuncType a, FuncType b, const ResourceEq& same = {});

// WIT-like text for messages: "list<u8>", "record { x: s32 }", "own<#3>".
std::string typeToString(ValType t);
std::string funcTypeToString(FuncType f);
std::string coreSignature(const std::vector<CoreType>& params, const std::vector<CoreType>& results);

inline uint32_t alignTo(uint32_t offset, uint32_t align) { return (offset + align - 1) & ~(align - 1); }

}  // namespace bantam::component
