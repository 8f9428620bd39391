// Which address ranges hold generated code: the signal handler asks it whether a fault came
// from wasm (lock-free and async-signal-safe), backtraces ask it which module a return
// address belongs to.
#pragma once

#include <cstdint>

namespace bantam::compiled {

class CompiledCode;

// Returns a handle for unregisterCode.
uint32_t registerCode(uintptr_t begin, uintptr_t end, const CompiledCode* code);
void unregisterCode(uint32_t handle);
// The code containing `pc`, or nullptr. Safe in a signal handler.
const CompiledCode* findCode(uintptr_t pc);

}  // namespace bantam::compiled
