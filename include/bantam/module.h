// A compiled module: decoded, validated and prepared for the engine once, then instantiated
// any number of times in any store of the same engine.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bantam/engine.h"
#include "bantam/error.h"
#include "bantam/value.h"

namespace bantam {

namespace detail {
struct ModuleImpl;
struct Access;
}  // namespace detail

class Module {
 public:
  // A binary module. Errors: ErrorKind::Malformed or Invalid, with the spec's message, the
  // byte offset, and `name` as the source.
  static Result<Module> fromBinary(const Engine& engine, std::span<const uint8_t> bytes, std::string name = {});
  // A module in the text format, "(module ...)". Errors: ErrorKind::Parse with line and
  // column, or those of fromBinary.
  static Result<Module> fromText(const Engine& engine, std::string_view wat, std::string name = {});
  // A file holding either format (a binary starts with "\0asm"). Errors also: ErrorKind::Io.
  static Result<Module> fromFile(const Engine& engine, const std::string& path);

  const std::string& name() const;
  std::vector<ImportType> imports() const;
  std::vector<ExportType> exports() const;

 private:
  friend struct detail::Access;
  Module() = default;
  std::shared_ptr<const detail::ModuleImpl> impl_;
};

}  // namespace bantam
