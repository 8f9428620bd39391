// The binary format decoder (§5): bytes to a Module. Checks everything the spec calls
// "malformed" (structure, encodings, section order and sizes, LEB128 limits, UTF-8 names,
// function/code and data-count consistency, illegal opcodes, block nesting), and nothing the
// spec calls "invalid" (index ranges and typing are the validator's).
#pragma once

#include <span>

#include "common/error.h"
#include "wasm/module.h"

namespace bantam::wasm {

// Errors have kind Malformed, the spec's message and the absolute byte offset.
Result<Module> decodeModule(std::span<const uint8_t> bytes);

}  // namespace bantam::wasm
