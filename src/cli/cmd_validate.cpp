// `bantam validate FILE...`: decode and validate, report the first error of each file.
#include <cstdio>

#include "cli/commands.h"
#include "cli/load.h"
#include "wasm/decoder/decoder.h"
#include "wasm/validator/validator.h"

namespace bantam::cli {

void printError(const Error& e) { std::fprintf(stderr, "bantam: %s\n", e.toString().c_str()); }

int cmdValidate(const std::vector<std::string>& files) {
  int status = 0;
  for (const auto& f : files) {
    auto bytes = loadModuleBytes(f);
    if (!bytes) { printError(bytes.error()); status = 1; continue; }
    auto module = wasm::decodeModule(*bytes);
    if (!module) { printError(std::move(module.error()).withSource(f)); status = 1; continue; }
    auto valid = wasm::validateModule(*module);
    if (!valid) { printError(std::move(valid.error()).withSource(f)); status = 1; continue; }
    std::printf("%s: valid\n", f.c_str());
  }
  return status;
}

}  // namespace bantam::cli
