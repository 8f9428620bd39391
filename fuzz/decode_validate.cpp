// Fuzz target: arbitrary bytes through the decoder and validator. Any input must give a
// module or an error: never a crash, a hang, or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <span>

#include "wasm/decoder/decoder.h"
#include "wasm/validator/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto module = bantam::wasm::decodeModule(std::span<const uint8_t>(data, size));
  if (module) (void)bantam::wasm::validateModule(*module);
  return 0;
}
