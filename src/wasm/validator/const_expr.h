// Internal to the validator: constant expressions (§3.3.10), the initialisers of globals and
// the offsets and items of segments.
#pragma once

#include <vector>

#include "common/error.h"
#include "wasm/module.h"

namespace bantam::wasm::validation {

// Checks that `expr` (final `end` included) is constant and yields exactly one `expected`.
// In WebAssembly 2.0 a constant expression sees only imported globals, and only immutable
// ones. Functions named by ref.func are marked in `refs` (C.refs, §3.4.10).
Result<void> validateConstExpr(const Module& m, CodeRange expr, ValType expected, std::vector<bool>& refs);

}  // namespace bantam::wasm::validation
