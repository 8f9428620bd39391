// Values and types of the embedding API: value types, function types, and Val, a typed value
// for dynamic calls. Typed calls (Func::call<R>(args...)) use plain C++ types instead.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bantam {

namespace runtime {
struct FuncInst;  // opaque: the engine's function object
}
namespace detail {
struct StoreImpl;
struct Access;
}  // namespace detail

// WebAssembly value types, with their binary encodings.
enum class ValType : uint8_t {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
};
const char* valTypeName(ValType t);  // "i32", "funcref", ...

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
  std::string toString() const;  // "(func (param i32) (result i64))"
};

enum class ExternKind : uint8_t { Func, Table, Memory, Global };

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool operator==(const Limits&) const = default;
};

// What an import expects or an export provides. Which fields are meaningful depends on kind:
// Func -> func; Table -> valType (element type), limits; Memory -> limits (in 64 KiB pages);
// Global -> valType, isMutable.
struct ExternType {
  ExternKind kind = ExternKind::Func;
  FuncType func;
  ValType valType = ValType::I32;
  bool isMutable = false;
  Limits limits;
};

struct ImportType {
  std::string module;
  std::string name;
  ExternType type;
};

struct ExportType {
  std::string name;
  ExternType type;
};

struct V128 {
  alignas(16) std::array<uint8_t, 16> bytes{};
  bool operator==(const V128&) const = default;
};

// One untyped 16-byte value cell, the layout the engine uses internally (like Wasmtime's
// ValRaw). Raw host functions and Func::callRaw exchange arguments and results in these.
// Floats travel as bit patterns so NaN payloads survive.
union ValRaw {
  uint32_t i32;
  uint64_t i64;
  uint32_t f32;
  uint64_t f64;
  V128 v128;
  void* ref;  // funcref: engine function object; externref: the host pointer; null: nullptr
  ValRaw() : v128{} {}
};
static_assert(sizeof(ValRaw) == 16);

class Func;

// A value with its type.
class Val {
 public:
  Val() = default;
  static Val i32(int32_t v) { Val x(ValType::I32); x.raw_.i32 = static_cast<uint32_t>(v); return x; }
  static Val i64(int64_t v) { Val x(ValType::I64); x.raw_.i64 = static_cast<uint64_t>(v); return x; }
  static Val f32(float v) { Val x(ValType::F32); x.raw_.f32 = std::bit_cast<uint32_t>(v); return x; }
  static Val f64(double v) { Val x(ValType::F64); x.raw_.f64 = std::bit_cast<uint64_t>(v); return x; }
  static Val v128(const V128& v) { Val x(ValType::V128); x.raw_.v128 = v; return x; }
  static Val externref(void* p) { Val x(ValType::ExternRef); x.raw_.ref = p; return x; }
  static Val funcref(const Func& f);
  static Val nullRef(ValType refType) { Val x(refType); x.raw_.ref = nullptr; return x; }
  // From a raw cell whose type is known (results of callRaw, arguments of raw host functions).
  static Val fromRaw(ValType t, const ValRaw& raw, detail::StoreImpl* store = nullptr) {
    Val x(t);
    x.raw_ = raw;
    x.store_ = store;
    return x;
  }

  ValType type() const { return type_; }
  int32_t i32() const { return static_cast<int32_t>(raw_.i32); }
  int64_t i64() const { return static_cast<int64_t>(raw_.i64); }
  float f32() const { return std::bit_cast<float>(raw_.f32); }
  double f64() const { return std::bit_cast<double>(raw_.f64); }
  const V128& v128() const { return raw_.v128; }
  void* externref() const { return raw_.ref; }
  bool isNull() const { return raw_.ref == nullptr; }
  // A funcref as a callable handle; nullopt for null, for other types, and for a raw value
  // that does not say which store it belongs to.
  std::optional<Func> asFunc() const;
  const ValRaw& raw() const { return raw_; }

  std::string toString() const;  // "i32:42", "f64:0x1.8p+1", "funcref:null", ...

 private:
  friend struct detail::Access;
  explicit Val(ValType t) : type_(t) {}
  ValType type_ = ValType::I32;
  ValRaw raw_;
  detail::StoreImpl* store_ = nullptr;  // funcrefs only: the store of the function
};

namespace detail {
// How a C++ type travels through a ValRaw cell in typed calls and typed host functions.
template <class T>
struct WasmValue;
#define BANTAM_API_WASM_VALUE(CppType, Vt, field)                                      \
  template <>                                                                          \
  struct WasmValue<CppType> {                                                          \
    static constexpr ValType type = ValType::Vt;                                       \
    static CppType load(const ValRaw& v) { return std::bit_cast<CppType>(v.field); }   \
    static void store(ValRaw& v, CppType x) {                                          \
      v.i64 = 0;                                                                       \
      v.field = std::bit_cast<decltype(v.field)>(x);                                   \
    }                                                                                  \
  };
BANTAM_API_WASM_VALUE(int32_t, I32, i32)
BANTAM_API_WASM_VALUE(uint32_t, I32, i32)
BANTAM_API_WASM_VALUE(int64_t, I64, i64)
BANTAM_API_WASM_VALUE(uint64_t, I64, i64)
BANTAM_API_WASM_VALUE(float, F32, f32)
BANTAM_API_WASM_VALUE(double, F64, f64)
#undef BANTAM_API_WASM_VALUE
template <>
struct WasmValue<V128> {
  static constexpr ValType type = ValType::V128;
  static V128 load(const ValRaw& v) { return v.v128; }
  static void store(ValRaw& v, const V128& x) { v.v128 = x; }
};
}  // namespace detail

}  // namespace bantam
