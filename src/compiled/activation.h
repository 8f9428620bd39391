// One invocation of compiled code in progress on this thread: where a trap unwinds to. Traps
// (the trap builtin, a host function's error, a fault in generated code) record what
// happened here and siglongjmp to the innermost activation; between it and the trap lie only
// generated frames and builtins without live C++ objects, so nothing needs destructors. Nested
// host → wasm → host → wasm calls stack their activations.
#pragma once

#include <setjmp.h>

#include <cstdint>
#include <optional>

#include "runtime/trap.h"

namespace bantam::compiled {

struct Activation {
  static constexpr uint32_t kMaxFrames = 100;  // innermost wasm frames kept for a backtrace

  sigjmp_buf jump;
  Activation* prev = nullptr;
  runtime::TrapKind kind = runtime::TrapKind::Unreachable;
  std::optional<runtime::Trap> hostTrap;  // a host function's own trap (message, exit code)
  uintptr_t pcs[kMaxFrames];   // return addresses in generated code, innermost first
  uint32_t numPcs = 0;
};

// The innermost activation of this thread (nullptr outside compiled code).
Activation* currentActivation();
void setCurrentActivation(Activation* a);

// Records the wasm frames of the caller's stack in `a` (return addresses, innermost first),
// unwinding with the generated code's DWARF tables. `firstPc`, when not 0, is the faulting
// instruction of a signal (the handler calls this); leading frames outside generated code
// (the builtin that traps, the signal frame) are skipped, and the walk ends at the first
// host frame after the guest's.
void captureFrames(Activation& a, uintptr_t firstPc);

// Ends the innermost activation with a trap of `kind` raised by a builtin (C++ code called
// from generated code). Never returns.
[[noreturn]] void raiseTrap(runtime::TrapKind kind);
// The same for a host function's trap, already stored in the activation's hostTrap.
[[noreturn]] void raiseHostTrap();

// Installs the SIGSEGV/SIGBUS handler (once per process) and this thread's alternate signal
// stack (once per thread).
void prepareThreadForCompiledCode();

}  // namespace bantam::compiled
