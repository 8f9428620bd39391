// Vector instructions (§3.3.3): lane-index immediates. Every vector row has a fixed stack
// signature in opcodes.def and is typed by the generic path.
#include "wasm/validator/func_validator.h"

namespace bantam::wasm::validation {

// extract_lane / replace_lane (lane count from the table) and load/store_lane (16 / width).
bool FuncValidator::checkLane(const Instr& in, uint32_t laneCount) {
  if (in.lane >= laneCount) return fail(in, "invalid lane index");
  return true;
}

// i8x16.shuffle picks each result byte from the 32 bytes of its two operands.
bool FuncValidator::checkShuffle(const Instr& in) {
  for (uint8_t lane : in.v128)
    if (lane >= 32) return fail(in, "invalid lane index");
  return true;
}

}  // namespace bantam::wasm::validation
