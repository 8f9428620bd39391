// The lowered code of one module (the interpreter's EngineCode): one code buffer for all
// functions, the function boundaries, and the side table from code positions to wasm byte
// offsets used for trap backtraces.
#pragma once

#include <cstdint>
#include <vector>

#include "interp/code.h"
#include "runtime/engine.h"
#include "wasm/module.h"

namespace bantam::interp {

class ModuleCode final : public runtime::EngineCode {
 public:
  std::vector<CodeUnit> code;
  std::vector<uint32_t> funcStarts;  // code position of each defined function's Entry
  // (code position of an instruction that can trap or call, wasm byte offset), ascending.
  std::vector<std::pair<uint32_t, uint32_t>> offsets;
  uint32_t numImportedFuncs = 0;

  const void* functionCode(uint32_t definedIndex) const override {
    return code.data() + funcStarts[definedIndex];
  }

  bool contains(const CodeUnit* pc) const {
    return pc >= code.data() && pc < code.data() + code.size();
  }
  // The function (index in the module's function space) and wasm offset of the instruction
  // at or before `pc`. False when `pc` is not in this module's code.
  bool locate(const CodeUnit* pc, uint32_t& funcIndex, uint32_t& wasmOffset) const;
};

}  // namespace bantam::interp
