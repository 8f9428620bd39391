// The validator (§3): type-checks a decoded module with the spec's algorithm (Appendix
// "Validation Algorithm": operand and control stacks, polymorphic stack after unreachable/br).
#pragma once

#include "common/error.h"
#include "wasm/module.h"

namespace bantam::wasm {

// Errors have kind Invalid, the spec's message ("type mismatch", "unknown function 7", ...),
// the offset of the offending instruction and the function in `context`.
Result<void> validateModule(const Module& module);

}  // namespace bantam::wasm
