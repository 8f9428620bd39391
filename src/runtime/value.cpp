// Printing of runtime values, for tools, test failures and the embedding API.
#include "runtime/value.h"

#include <cstdio>

namespace bantam::runtime {

std::string Value::toString() const {
  char buf[96];
  switch (type) {
    case wasm::ValType::I32:
      std::snprintf(buf, sizeof buf, "i32:%d", asI32());
      return buf;
    case wasm::ValType::I64:
      std::snprintf(buf, sizeof buf, "i64:%lld", static_cast<long long>(asI64()));
      return buf;
    case wasm::ValType::F32:
      // Hex floats print every bit of a finite value; NaNs show their payload bits too.
      if (asF32() != asF32())
        std::snprintf(buf, sizeof buf, "f32:nan(0x%08x)", raw.f32);
      else
        std::snprintf(buf, sizeof buf, "f32:%a", static_cast<double>(asF32()));
      return buf;
    case wasm::ValType::F64:
      if (asF64() != asF64())
        std::snprintf(buf, sizeof buf, "f64:nan(0x%016llx)", static_cast<unsigned long long>(raw.f64));
      else
        std::snprintf(buf, sizeof buf, "f64:%a", asF64());
      return buf;
    case wasm::ValType::V128: {
      uint32_t lanes[4];
      std::memcpy(lanes, raw.v128.bytes.data(), sizeof lanes);
      std::snprintf(buf, sizeof buf, "v128:i32x4 0x%08x 0x%08x 0x%08x 0x%08x", lanes[0], lanes[1],
                    lanes[2], lanes[3]);
      return buf;
    }
    case wasm::ValType::FuncRef:
    case wasm::ValType::ExternRef: {
      std::string s = wasm::valTypeName(type);
      if (raw.ref == nullptr) return s + ":null";
      std::snprintf(buf, sizeof buf, ":%p", raw.ref);
      return s + buf;
    }
  }
  return "?";
}

}  // namespace bantam::runtime
