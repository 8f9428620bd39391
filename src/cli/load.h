// Reading module files for the CLI: binary (.wasm) or text (.wat), told apart by the magic.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "runtime/instantiate.h"

namespace bantam::cli {

Result<std::vector<uint8_t>> readFile(const std::string& path);
// The module's binary: the file itself, or the encoding of its WAT text.
Result<std::vector<uint8_t>> loadModuleBytes(const std::string& path);
Result<std::shared_ptr<runtime::CompiledModule>> loadModule(runtime::Engine& engine, const std::string& path);

}  // namespace bantam::cli
