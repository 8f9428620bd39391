// WebAssembly types (§2.3) and strong index types for the module's index spaces (§2.5.1).
#pragma once

#include <cstdint>
#include <compare>
#include <optional>
#include <string>
#include <vector>

namespace bantam::wasm {

// Value types with their binary encodings (§5.3.1-§5.3.3).
enum class ValType : uint8_t {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
};

inline bool isRefType(ValType t) { return t == ValType::FuncRef || t == ValType::ExternRef; }
inline bool isNumType(ValType t) { return !isRefType(t) && t != ValType::V128; }
// Decodes a value type byte; nullopt for anything else.
std::optional<ValType> valTypeFromByte(uint8_t b);
const char* valTypeName(ValType t);  // "i32", "funcref", ...

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
  std::string toString() const;  // "(func (param i32) (result i64))"
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool operator==(const Limits&) const = default;
};

struct TableType {
  ValType elemType = ValType::FuncRef;
  Limits limits;
  bool operator==(const TableType&) const = default;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
  bool operator==(const MemoryType&) const = default;
};

struct GlobalType {
  ValType type = ValType::I32;
  bool isMutable = false;
  bool operator==(const GlobalType&) const = default;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };
const char* externKindName(ExternKind k);  // "func", "table", "memory", "global"

inline constexpr uint64_t kPageSize = 65536;
inline constexpr uint64_t kMaxPages32 = 65536;  // 4 GiB

// A distinct integer type per index space, so a FuncIdx cannot be passed where a TypeIdx is
// expected (STYLE rule 4).
template <class Tag>
struct StrongIndex {
  uint32_t value = 0;
  constexpr StrongIndex() = default;
  constexpr explicit StrongIndex(uint32_t v) : value(v) {}
  constexpr auto operator<=>(const StrongIndex&) const = default;
};

using TypeIdx = StrongIndex<struct TypeIdxTag>;
using FuncIdx = StrongIndex<struct FuncIdxTag>;
using TableIdx = StrongIndex<struct TableIdxTag>;
using MemIdx = StrongIndex<struct MemIdxTag>;
using GlobalIdx = StrongIndex<struct GlobalIdxTag>;
using ElemIdx = StrongIndex<struct ElemIdxTag>;
using DataIdx = StrongIndex<struct DataIdxTag>;
using LocalIdx = StrongIndex<struct LocalIdxTag>;
using LabelIdx = StrongIndex<struct LabelIdxTag>;

}  // namespace bantam::wasm
