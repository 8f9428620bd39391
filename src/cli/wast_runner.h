// Runs WAST scripts (the official test-suite format) against the engine: every command is
// executed and checked, and each failing assertion is reported with file:line, what was
// expected and what happened.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "runtime/engine.h"

namespace bantam::cli {

struct WastOptions {
  bool verbose = false;        // print every command, not only failures
  bool laxMessages = false;    // accept a malformed/invalid/unlinkable error with another message
  std::string emitModules;     // if set, write every module binary here (fuzzing seed corpus)
};

struct WastTally {
  uint64_t passed = 0;
  uint64_t failed = 0;
};

// Runs one script file with a fresh store; adds to `tally`; reports to `out`.
void runWastFile(runtime::Engine& engine, const std::string& path, const WastOptions& options,
                 WastTally& tally, std::FILE* out);

}  // namespace bantam::cli
