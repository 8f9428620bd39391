// The interpreter execution engine: validated function bodies are lowered once to an internal
// register-slot code and run by a tail-calling dispatch loop. Portable and small (the
// interpreter-only build is Bantam's edge/IoT configuration).
#pragma once

#include <memory>

#include "runtime/engine.h"

namespace bantam::interp {

struct InterpreterOptions {
  // Super-instructions, the accumulator and the other lowering fusions. Off, every wasm
  // instruction runs as its own handler: slower, and the reference differential tests use.
  bool superInstructions = true;
};

std::unique_ptr<runtime::ExecutionEngine> createInterpreter(InterpreterOptions options = {});

}  // namespace bantam::interp
