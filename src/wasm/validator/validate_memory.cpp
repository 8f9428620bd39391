// Memory instructions (§3.3.7): the memory index, alignment and data-segment immediates. Their
// stack signatures are fixed in opcodes.def and typed by the generic path.
#include <bit>

#include "wasm/validator/func_validator.h"

namespace bantam::wasm::validation {

bool FuncValidator::checkMemory(const Instr& in, uint32_t mem) {
  if (mem >= m_.memorySpace.size()) return failUnknown(in, "memory", mem);
  return true;
}

// Loads and stores (scalar and vector): the alignment hint may not exceed the access width.
bool FuncValidator::checkMemArg(const Instr& in) {
  if (!checkMemory(in, in.memarg.memory.value)) return false;
  uint32_t natural = static_cast<uint32_t>(std::countr_zero(static_cast<unsigned>(opInfo(in.op).bytes)));
  if (in.memarg.alignLog2 > natural) return fail(in, "alignment must not be larger than natural");
  return true;
}

// memory.init and data.drop (§3.3.7): C.datas has one entry per data segment.
bool FuncValidator::checkData(const Instr& in, uint32_t data) {
  if (data >= m_.datas.size()) return failUnknown(in, "data segment", data);
  return true;
}

}  // namespace bantam::wasm::validation
