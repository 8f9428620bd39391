// The interpreter execution engine: validated function bodies are lowered once to an internal
// register-slot code and run by a tail-calling dispatch loop. Portable and small (the
// interpreter-only build is Bantam's edge/IoT configuration).
#pragma once

#include <memory>

#include "runtime/engine.h"

namespace bantam::interp {

std::unique_ptr<runtime::ExecutionEngine> createInterpreter();

}  // namespace bantam::interp
