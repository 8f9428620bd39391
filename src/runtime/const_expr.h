// Evaluation of constant expressions (§3.3.10, §4.5.4): global initialisers, element
// expressions and segment offsets all go through this one evaluator.
#pragma once

#include "common/error.h"
#include "runtime/objects.h"
#include "wasm/module.h"

namespace bantam::runtime {

// Evaluates `expr` (final `end` included) in the context of `instance`, whose `funcs` and the
// globals referenced by global.get must already be allocated. Accepts the WebAssembly 2.0
// constant instructions plus the extended-constant arithmetic (i32/i64 add, sub, mul); the
// validator decides which are allowed. Errors only for a module that did not validate.
Result<RawVal> evalConstExpr(const wasm::Module& module, wasm::CodeRange expr, const ModuleInst& instance);

}  // namespace bantam::runtime
