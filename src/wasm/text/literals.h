// Numeric literals of the text format (§6.3.1): which token text is a number, and its value
// with the spec's range rules. Floats are rounded to nearest, ties to even, directly to the
// target precision (no double rounding through f64).
#pragma once

#include <cstdint>
#include <string_view>

namespace bantam::wasm::text {

enum class NumberKind : uint8_t { None, Nat, Int, Float };

// Classifies an idchar run: unsigned (Nat), signed (Int), float syntax (Float) or not a
// number at all (None). Underscores are allowed only between digits.
NumberKind classifyNumber(std::string_view s);

enum class LitStatus : uint8_t { Ok, OutOfRange, Malformed };

// An unsigned literal (Nat token) of at most `bits` bits.
LitStatus parseUnsigned(std::string_view s, unsigned bits, uint64_t& out);

// An integer literal (Nat or Int token) of `bits` bits (8, 16, 32 or 64), returned as the
// two's-complement bit pattern. Accepts -2^(N-1) .. 2^N-1; a '+' sign reads like no sign, as in
// the reference interpreter and wabt.
LitStatus parseInteger(std::string_view s, unsigned bits, uint64_t& out);

// A float literal (Nat, Int or Float token) to its IEEE bit pattern.
LitStatus parseF32(std::string_view s, uint32_t& bits);
LitStatus parseF64(std::string_view s, uint64_t& bits);

}  // namespace bantam::wasm::text
