// Traps are values (STYLE rule 2): a kind, the spec's message, and the wasm frames that were
// active, innermost first.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

namespace bantam::runtime {

enum class TrapKind : uint8_t {
#define BANTAM_TRAP(name, message) name,
#include "runtime/traps.def"
#undef BANTAM_TRAP
};

const char* trapMessage(TrapKind kind);

struct TrapFrame {
  std::string module;     // module name from the name section or the registration name
  std::string function;   // function name (name section, export name or "func[N]")
  uint32_t funcIndex = 0;
  uint32_t offset = 0;    // byte offset of the trapping/calling instruction in the module, 0 if unknown
};

struct Trap {
  TrapKind kind = TrapKind::Unreachable;
  std::string message;            // defaults to trapMessage(kind); host errors add detail
  std::vector<TrapFrame> frames;  // innermost first
  int32_t exitCode = 0;           // TrapKind::Exit: the guest's exit status (WASI proc_exit)

  Trap() = default;
  explicit Trap(TrapKind k) : kind(k), message(trapMessage(k)) {}
  Trap(TrapKind k, std::string msg) : kind(k), message(std::move(msg)) {}

  // "out of bounds memory access\n  0: $store (module m, offset 0x1f3)\n  1: ..."
  std::string toString() const;
};

template <class T>
using TrapOr = std::expected<T, Trap>;

}  // namespace bantam::runtime
