// Names and encodings of WebAssembly types.
#include "wasm/types.h"

namespace bantam::wasm {

std::optional<ValType> valTypeFromByte(uint8_t b) {
  switch (b) {
    case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x7b: case 0x70: case 0x6f:
      return static_cast<ValType>(b);
    default:
      return std::nullopt;
  }
}

const char* valTypeName(ValType t) {
  switch (t) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
  }
  return "?";
}

const char* externKindName(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "?";
}

std::string FuncType::toString() const {
  std::string s = "(func";
  if (!params.empty()) {
    s += " (param";
    for (auto t : params) { s += ' '; s += valTypeName(t); }
    s += ')';
  }
  if (!results.empty()) {
    s += " (result";
    for (auto t : results) { s += ' '; s += valTypeName(t); }
    s += ')';
  }
  return s + ')';
}

}  // namespace bantam::wasm
