// Finding and loading libbantam_llvm.so, only when a module must be compiled: linking libLLVM
// costs ~11 ms at process start, so cached runs never touch it (shared/TOOLCHAIN.md).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "compiled/cpu.h"
#include "wasm/module.h"

namespace bantam::compiled {

// $BANTAM_LLVM_LIBRARY, else libbantam_llvm.so next to the executable (/proc/self/exe), else
// the build tree's copy. Empty when none exists. Checks the file only: loads nothing.
std::string compilerLibraryPath();
bool compilerAvailable();
// A cheap identity of the library file (size and modification time), for cache keys: a
// rebuilt compiler never reuses code of the previous one. Empty when there is none.
std::string compilerLibraryIdentity();

struct CompileJob {
  const wasm::Module* module = nullptr;
  uint32_t optLevel = 2;
  uint32_t threads = 1;
  bool explicitBounds = false;
  bool loopChecks = true;
  bool verify = false;
  bool dumpIr = false;
  bool progress = true;      // a progress line on stderr once compiling takes over a second
  std::string cpu = "x86-64";
  CpuFeatures features;
  std::string what;          // the module's name for the progress line
};

struct CompileOutput {
  std::vector<std::vector<uint8_t>> objects;
  std::string tuneCpu;
};

// dlopen()s the library (once per process) and compiles.
Result<CompileOutput> compileWithLlvm(const CompileJob& job);

// How many compilations this process asked the library for, and whether it has been loaded:
// a cache hit must leave both alone (tests/unit/compiled).
uint64_t compilationsRequested();
bool compilerLoaded();

}  // namespace bantam::compiled
