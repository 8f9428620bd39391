// The Canonical ABI's lifting and lowering of values (CanonicalABI.md "Loading", "Storing",
// "Flat Lifting", "Flat Lowering", "Lifting and Lowering Values"), memory32, synchronous.
//
// Lifting reads core values and linear memory into Values; lowering writes Values into core
// values and linear memory, allocating with the component's realloc. Strings and lists of
// fixed-size numbers move as single bulk copies (or, when lifting host-function arguments,
// as views into guest memory).
#pragma once

#include <span>

#include "component/ast.h"
#include "component/resources.h"
#include "runtime/objects.h"
#include "runtime/store.h"

namespace bantam::component {

// The spec's LiftLowerContext: options, instance and borrow scope of one lift or lower.
struct CanonContext {
  runtime::Store* store = nullptr;
  runtime::MemoryInst* memory = nullptr;
  runtime::FuncInst* realloc = nullptr;
  StringEncoding encoding = StringEncoding::Utf8;
  RuntimeInstance* inst = nullptr;
  Task* task = nullptr;        // lowering into `inst` (a lifted call): borrow handles it receives
  Subtask* subtask = nullptr;  // lifting out of `inst` (a lowered call): handles it lends
  // The run-time resource type of each resource id in the types being lifted or lowered.
  const std::vector<const ResourceType*>* resources = nullptr;
  // Lift strings and bulk lists as views into memory (host-function arguments) instead of
  // copies (results that outlive post-return).
  bool views = false;

  const ResourceType* resource(ResourceId id) const { return (*resources)[id.value]; }
};

// Core values with their types: arguments or results of a core function.
struct FlatValues {
  runtime::RawVal* cells = nullptr;
  size_t count = 0;
  size_t pos = 0;
};

inline constexpr uint32_t kMaxStringByteLength = (1u << 28) - 1;
inline constexpr uint32_t kMaxListByteLength = (1u << 28) - 1;

// lift_flat_values / lower_flat_values for a parameter list (MAX_FLAT_PARAMS) or a result
// (MAX_FLAT_RESULTS). `types` are the value types in order.
runtime::TrapOr<void> liftFlatValues(CanonContext& cx, uint32_t maxFlat, FlatValues& in,
                                     std::span<const FieldType> types, std::vector<Value>& out);
runtime::TrapOr<Value> liftFlatResult(CanonContext& cx, FlatValues& in, ValType type);
// Lowers `values`; when they spill, into memory allocated with realloc (outParam == nullptr)
// or at the address in *outParam (a lowered import's result area).
runtime::TrapOr<void> lowerFlatValues(CanonContext& cx, uint32_t maxFlat, std::span<const Value> values,
                                      std::span<const FieldType> types, FlatValues& out);
runtime::TrapOr<void> lowerFlatResult(CanonContext& cx, const Value& value, ValType type, FlatValues& out,
                                      const runtime::RawVal* outParam);

// Single values, for the pieces above and for tests.
runtime::TrapOr<Value> liftFlat(CanonContext& cx, FlatValues& in, ValType t);
runtime::TrapOr<void> lowerFlat(CanonContext& cx, const Value& v, ValType t, FlatValues& out);
runtime::TrapOr<Value> load(CanonContext& cx, uint32_t ptr, ValType t);
runtime::TrapOr<void> store(CanonContext& cx, const Value& v, ValType t, uint32_t ptr);

// cx.realloc(0, 0, align, size), checked (CanonicalABI.md LiftLowerContext.allocate).
runtime::TrapOr<uint32_t> allocate(CanonContext& cx, uint32_t align, uint32_t size);
runtime::TrapOr<uint32_t> reallocate(CanonContext& cx, uint32_t old, uint32_t oldSize, uint32_t align, uint32_t size);

// Strings (canon_strings.cpp).
runtime::TrapOr<Value> loadStringFromRange(CanonContext& cx, uint32_t ptr, uint32_t taggedCodeUnits);
runtime::TrapOr<std::pair<uint32_t, uint32_t>> storeStringIntoRange(CanonContext& cx, std::string_view utf8);

// The canonical NaNs (CanonicalABI.md CANONICAL_FLOAT32_NAN / CANONICAL_FLOAT64_NAN).
inline constexpr uint32_t kCanonicalNan32 = 0x7fc00000;
inline constexpr uint64_t kCanonicalNan64 = 0x7ff8000000000000;
inline uint32_t canonicalizeNan32(uint32_t bits) {
  return ((bits & 0x7f800000) == 0x7f800000 && (bits & 0x007fffff)) ? kCanonicalNan32 : bits;
}
inline uint64_t canonicalizeNan64(uint64_t bits) {
  return ((bits & 0x7ff0000000000000) == 0x7ff0000000000000 && (bits & 0x000fffffffffffff)) ? kCanonicalNan64 : bits;
}

}  // namespace bantam::component
