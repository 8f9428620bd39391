// Test modules for the runtime tests, in the text format (assembled by wasm::text::parseWat).
#pragma once

#include <string_view>

namespace bantam::runtime::test {

inline constexpr std::string_view kImportEverything = R"wat(
(module
  (import "env" "f" (func (param i32) (result i32)))
  (import "env" "t" (table 2 10 funcref))
  (import "env" "m" (memory 1 4))
  (import "env" "g" (global i32))
  (import "env" "mg" (global (mut i64)))))wat";

inline constexpr std::string_view kGlobals = R"wat(
(module
  (import "env" "base" (global i32))
  (global (export "copy") i32 (global.get 0))
  (global (export "f64") f64 (f64.const 1.5))
  (global (export "fref") funcref (ref.func $f))
  (global (export "mut") (mut i64) (i64.const -7))
  (func $f (export "f"))))wat";

inline constexpr std::string_view kExports = R"wat(
(module
  (func (export "a"))
  (memory (export "m") 1)
  (table (export "t") 1 funcref)
  (global (export "g") i32 (i32.const 3))))wat";

inline constexpr std::string_view kSegmentModes = R"wat(
(module
  (table (export "tab") 4 funcref)
  (memory (export "mem") 1)
  (func $f) (func $g)
  (elem (i32.const 1) $f $g)
  (elem funcref (ref.func $g) (ref.null func))
  (elem declare func $f)
  (data (i32.const 16) "ab")
  (data "passive")))wat";

inline constexpr std::string_view kElemPartlyOutOfBounds = R"wat(
(module
  (import "env" "tab" (table 10 funcref))
  (func $f)
  (elem (i32.const 7) $f)
  (elem (i32.const 8) $f $f $f)))wat";

inline constexpr std::string_view kDataPartlyOutOfBounds = R"wat(
(module
  (import "env" "mem" (memory 1))
  (data (i32.const 0) "hello")
  (data (i32.const 65534) "xyz")))wat";

inline constexpr std::string_view kElemTrapSkipsData = R"wat(
(module
  (import "env" "tab" (table 1 funcref))
  (import "env" "mem" (memory 1))
  (func $f)
  (elem (i32.const 1) $f)
  (data (i32.const 0) "x")))wat";

inline constexpr std::string_view kEmptySegmentPastEnd = R"wat(
(module
  (table 0 funcref)
  (elem (i32.const 1))))wat";

inline constexpr std::string_view kStart = R"wat(
(module
  (func $s)
  (func $other)
  (start $s)))wat";

inline constexpr std::string_view kStartHost = R"wat(
(module
  (import "env" "h" (func))
  (start 0)))wat";

inline constexpr std::string_view kTwoPages = R"wat(
(module (memory 2)))wat";

inline constexpr std::string_view kInvalid = R"wat(
(module (func (result i32) (i64.const 1))))wat";

inline constexpr std::string_view kSpectestImports = R"wat(
(module
  (import "spectest" "print" (func))
  (import "spectest" "print_i32" (func (param i32)))
  (import "spectest" "print_i64" (func (param i64)))
  (import "spectest" "print_f32" (func (param f32)))
  (import "spectest" "print_f64" (func (param f64)))
  (import "spectest" "print_i32_f32" (func (param i32 f32)))
  (import "spectest" "print_f64_f64" (func (param f64 f64)))
  (import "spectest" "global_i32" (global i32))
  (import "spectest" "global_i64" (global i64))
  (import "spectest" "global_f32" (global f32))
  (import "spectest" "global_f64" (global f64))
  (import "spectest" "table" (table 10 20 funcref))
  (import "spectest" "memory" (memory 1 2))))wat";
}  // namespace bantam::runtime::test
