// Fuzz target: arbitrary text through the WAT and WAST parsers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wasm/text/wast.h"
#include "wasm/text/wat.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)bantam::wasm::text::parseWat(text);
  (void)bantam::wasm::text::parseWast(text, "fuzz.wast");
  return 0;
}
