// WAST scripts (the spec test-suite format): modules, actions and assertions. The script
// parser finds the commands and parses values; module text is kept as source and turned into
// binary by parseWat when the runner reaches it, so one bad module fails one command, not the
// whole file.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace bantam::wasm::text {

enum class NanPattern : uint8_t { None, Canonical, Arithmetic };

// An argument or an expected result.
struct WastValue {
  enum class Type : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };
  enum class Shape : uint8_t { I8x16, I16x8, I32x4, I64x2, F32x4, F64x2 };
  Type type = Type::I32;
  uint64_t bits = 0;                 // I32/I64/F32/F64: the bit pattern; ExternRef: the payload
  std::array<uint8_t, 16> v128{};    // V128, little-endian lanes
  Shape shape = Shape::I32x4;        // V128: how the lanes were written
  NanPattern nan = NanPattern::None; // F32/F64 expectations: nan:canonical / nan:arithmetic
  std::array<NanPattern, 4> laneNan{};  // V128 F32x4/F64x2 expectations, per lane
  bool isNull = false;               // (ref.null func|extern)
  bool anyNonNull = false;           // expectation "(ref.func)" / "(ref.extern)" without payload
};

struct WastModule {
  enum class Form : uint8_t { Text, Binary, Quote };
  Form form = Form::Text;
  std::string name;            // "$id" or empty
  std::string text;            // Text: "(module ...)" source; Quote: the concatenated strings
  std::vector<uint8_t> binary; // Binary: the concatenated strings
  uint32_t line = 0;           // line of "(module" in the script
  uint32_t column = 0;
};

struct WastAction {
  enum class Kind : uint8_t { Invoke, Get };
  Kind kind = Kind::Invoke;
  std::string module;  // "$id" or empty for the most recent module
  std::string name;    // export name (UTF-8, escapes resolved)
  std::vector<WastValue> args;
};

struct WastCommand {
  enum class Kind : uint8_t {
    Module,               // (module ...)
    Register,             // (register "name" $id?)
    Action,               // a bare (invoke ...) or (get ...)
    AssertReturn,         // action + expected
    AssertTrap,           // action + message
    AssertTrapModule,     // (assert_trap (module ...) "msg"): instantiation traps
    AssertExhaustion,     // action + message
    AssertMalformed,      // module + message
    AssertInvalid,        // module + message
    AssertUnlinkable,     // module + message
    AssertUninstantiable, // module + message
  };
  Kind kind = Kind::Module;
  uint32_t line = 0;
  WastModule module;
  WastAction action;
  std::vector<WastValue> expected;
  std::string message;
  std::string registerName;    // Register: the name given
  std::string registerModule;  // Register: "$id" or empty for the most recent module
};

struct WastScript {
  std::string fileName;
  std::vector<WastCommand> commands;
};

// Errors have kind Parse with file:line:column.
Result<WastScript> parseWast(std::string_view text, std::string fileName);

}  // namespace bantam::wasm::text
