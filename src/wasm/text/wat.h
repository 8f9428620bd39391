// The WebAssembly text format (§6): a WAT module to its binary encoding. Text is encoded to
// binary (as Wasmtime's `wast` crate does) so the decoder stays the single way into a Module.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace bantam::wasm::text {

struct WatOptions {
  std::string fileName;    // for error messages
  uint32_t firstLine = 1;  // line number of text[0] in that file (for modules inside a .wast)
  uint32_t firstColumn = 1;  // column of text[0] on that line
};

// Parses one module: either "(module ...)" or a bare sequence of module fields. Errors have
// kind Parse, the spec's message where the test suite names one ("unknown operator",
// "unexpected token", "constant out of range", "alignment must be a power of two",
// "unknown label", "duplicate func", "inline function type", ...), and file:line:column.
Result<std::vector<uint8_t>> parseWat(std::string_view text, const WatOptions& options = {});

}  // namespace bantam::wasm::text
