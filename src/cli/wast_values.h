// Conversion and comparison of WAST values (arguments and expected results) with runtime
// values, including NaN patterns and per-lane v128 expectations.
#pragma once

#include <deque>
#include <map>
#include <string>

#include "runtime/value.h"
#include "wasm/text/wast.h"

namespace bantam::cli {

// Host values for `ref.extern N`: each N maps to one stable non-null pointer.
class ExternRefs {
 public:
  void* get(uint64_t n);
  bool isOf(void* p, uint64_t n) const;

 private:
  std::map<uint64_t, uint64_t*> byValue_;
  std::deque<uint64_t> storage_;
};

wasm::ValType wastValType(const wasm::text::WastValue& v);
runtime::RawVal toRaw(const wasm::text::WastValue& v, ExternRefs& externs);
bool matches(const wasm::text::WastValue& expected, wasm::ValType type, const runtime::RawVal& got,
             const ExternRefs& externs);
std::string describe(const wasm::text::WastValue& v);
// `like`: an expected value whose v128 shape is used to print the lanes.
std::string describe(wasm::ValType type, const runtime::RawVal& v, const wasm::text::WastValue* like = nullptr);

}  // namespace bantam::cli
