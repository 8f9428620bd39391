// A readable listing of lowered code, for looking at what the lowering produced (benchmark
// tuning, debugging). Not used when running code.
#pragma once

#include <span>
#include <string>

#include "common/error.h"
#include "wasm/module.h"

namespace bantam::interp {

// Lowers every function of a validated module and lists the internal code of function
// `funcIndex` (in the module's function space; all defined functions when it is UINT32_MAX).
Result<std::string> disassembleModule(const wasm::Module& module, std::span<const uint32_t> sigIds,
                                      uint32_t funcIndex = UINT32_MAX);

// The name of a handler as listings show it ("i32.add (imm b)", "Copy64"); "?" if unknown.
std::string handlerName(const void* handler);

// BANTAM_INTERP_PROFILE builds: the most frequent executed handler pairs so far, one a line.
std::string profileReport(size_t top = 40);

}  // namespace bantam::interp
