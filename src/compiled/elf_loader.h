// A small loader for the relocatable ELF objects that libbantam_llvm.so emits (x86-64, PIC,
// small code model), in the manner of WAMR's AOT loader: it maps the sections of every object
// of a module into one region, resolves symbols across the objects and against a fixed table
// of runtime functions, applies the handful of relocation types LLVM uses for such code, and
// makes the code executable. The compiler is never linked for this.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace bantam::compiled {

// The address of a symbol that no object defines (runtime builtins, memcpy, ceilf, ...), or
// nullptr when it is not one the loader allows.
using ExternalResolver = const void* (*)(std::string_view name);

struct LoadedSymbol {
  std::string name;
  uintptr_t address = 0;
  uint64_t size = 0;
};

// The mapped code and data of one compiled module.
class CodeImage {
 public:
  ~CodeImage();
  CodeImage(const CodeImage&) = delete;
  CodeImage& operator=(const CodeImage&) = delete;

  uintptr_t textBegin() const { return reinterpret_cast<uintptr_t>(base_); }
  uintptr_t textEnd() const { return reinterpret_cast<uintptr_t>(base_) + textSize_; }
  // Every global symbol the objects define.
  const std::vector<LoadedSymbol>& symbols() const { return symbols_; }

 private:
  friend Result<std::unique_ptr<CodeImage>> linkObjects(std::span<const std::span<const uint8_t>>, ExternalResolver);
  CodeImage() = default;
  uint8_t* base_ = nullptr;
  size_t mapped_ = 0;
  size_t textSize_ = 0;
  std::vector<LoadedSymbol> symbols_;
  std::vector<void*> unwindTables_;  // each object's .eh_frame, registered with the unwinder
};

Result<std::unique_ptr<CodeImage>> linkObjects(std::span<const std::span<const uint8_t>> objects,
                                               ExternalResolver resolve);

}  // namespace bantam::compiled
