// Traps as values: what a failed call returns. The message is the WebAssembly spec's wording
// ("integer divide by zero", "out of bounds memory access"...), frames are the wasm functions
// that were active, innermost first.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

namespace bantam {

enum class TrapCode : uint8_t {
  Unreachable,
  IntegerDivideByZero,
  IntegerOverflow,
  InvalidConversionToInteger,
  OutOfBoundsMemoryAccess,
  OutOfBoundsTableAccess,
  UndefinedElement,
  UninitializedElement,
  IndirectCallTypeMismatch,
  CallStackExhausted,
  Interrupted,     // the store's epoch deadline was reached
  OutOfFuel,       // the store's fuel ran out
  HostError,       // a host function failed (returned a trap or threw)
  Exit,            // the guest asked to exit (WASI proc_exit); see exitCode
  CanonicalAbi,    // a component broke a Canonical ABI rule (bad handle, invalid string...)
  // Not raised by wasm code: the embedder called a missing export, or with argument or result
  // types that are not the function's. Nothing ran.
  InvalidCall,
};

struct Frame {
  std::string module;    // module name (name section or the name given when loading)
  std::string function;  // function name (name section, export name or "func[N]")
  uint32_t funcIndex = 0;
  uint32_t offset = 0;   // byte offset of the instruction in the module binary, 0 if unknown
};

struct Trap {
  TrapCode code = TrapCode::HostError;
  std::string message;
  std::vector<Frame> frames;  // innermost first
  int32_t exitCode = 0;       // TrapCode::Exit only

  // For host functions: fail the call with `message` (TrapCode::HostError).
  static Trap host(std::string message) { return Trap{TrapCode::HostError, std::move(message), {}, 0}; }
  // For host functions: end the guest with an exit status (TrapCode::Exit).
  static Trap exit(int32_t status) { return Trap{TrapCode::Exit, "exit", {}, status}; }

  // The message followed by one line per frame.
  std::string toString() const;
};

// The result of calling into wasm: the function's results, or the trap that stopped it.
template <class T>
using CallResult = std::expected<T, Trap>;

}  // namespace bantam
