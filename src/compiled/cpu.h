// The host CPU as the compiled engine sees it: the x86-64 features that generated code may use,
// detected with cpuid (no LLVM: cached runs must not load it), named as LLVM names them. Code
// is compiled for exactly this feature set (or the portable baseline), recorded in every
// artifact, and refused on a host that lacks any of it.
#pragma once

#include <cstdint>
#include <string>

namespace bantam::compiled {

struct CpuFeatures {
  uint64_t bits = 0;  // one bit per entry of the feature table (cpu.cpp)

  bool has(const CpuFeatures& needed) const { return (bits & needed.bits) == needed.bits; }
  // "+sse3,+ssse3,...,-avx512f,...": every known feature, on or off (LLVM target-features).
  std::string llvmFeatures() const;
  // "sse3 ssse3 avx2": the features that are on.
  std::string names() const;
  // The features in `needed` that this set lacks, by name.
  std::string missing(const CpuFeatures& needed) const;
};

struct HostCpu {
  CpuFeatures features;
  std::string vendor;       // "AuthenticAMD"
  uint32_t family = 0, model = 0;
};

// Detected once per process.
const HostCpu& hostCpu();
// The x86-64 baseline (SSE2): code for it runs on any x86-64 host.
CpuFeatures portableFeatures();

}  // namespace bantam::compiled
