// Host CPU feature detection with cpuid/xgetbv (AVX and AVX-512 also need the OS to save
// their registers, which XCR0 tells).
#include "compiled/cpu.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace bantam::compiled {

namespace {

// LLVM's names for the features that change what LLVM may emit for wasm code. Order is the
// bit number: append only (artifacts record the bits).
constexpr std::array<const char*, 27> kFeatureNames = {
    "sse3",   "ssse3",  "sse4.1",   "sse4.2",   "popcnt",   "avx",          "avx2",
    "fma",    "bmi",    "bmi2",     "lzcnt",    "movbe",    "f16c",         "cx16",
    "sahf",   "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd",    "avx512vbmi",
    "avx512vbmi2", "avx512bitalg", "avx512vpopcntdq", "avx512vnni", "xsave", "prfchw"};

enum Bit : uint32_t {
  kSse3, kSsse3, kSse41, kSse42, kPopcnt, kAvx, kAvx2, kFma, kBmi, kBmi2, kLzcnt, kMovbe, kF16c, kCx16,
  kSahf, kAvx512f, kAvx512dq, kAvx512bw, kAvx512vl, kAvx512cd, kAvx512vbmi, kAvx512vbmi2, kAvx512bitalg,
  kAvx512vpopcntdq, kAvx512vnni, kXsave, kPrfchw,
};

HostCpu detect() {
  HostCpu cpu;
#if defined(__x86_64__)
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(0, &a, &b, &c, &d)) return cpu;
  unsigned maxLeaf = a;
  char vendor[13] = {};
  std::memcpy(vendor, &b, 4);
  std::memcpy(vendor + 4, &d, 4);
  std::memcpy(vendor + 8, &c, 4);
  cpu.vendor = vendor;
  uint64_t bits = 0;
  auto set = [&](uint32_t bit, bool on) {
    if (on) bits |= uint64_t{1} << bit;
  };
  __get_cpuid(1, &a, &b, &c, &d);
  uint32_t family = (a >> 8) & 0xf, model = (a >> 4) & 0xf;
  if (family == 0xf) family += (a >> 20) & 0xff;
  if (family == 0x6 || family >= 0xf) model |= ((a >> 16) & 0xf) << 4;
  cpu.family = family;
  cpu.model = model;
  set(kSse3, c & bit_SSE3);
  set(kSsse3, c & bit_SSSE3);
  set(kSse41, c & bit_SSE4_1);
  set(kSse42, c & bit_SSE4_2);
  set(kPopcnt, c & bit_POPCNT);
  set(kMovbe, c & bit_MOVBE);
  set(kCx16, c & bit_CMPXCHG16B);
  set(kXsave, c & bit_XSAVE);
  bool osxsave = c & bit_OSXSAVE;
  uint64_t xcr0 = 0;
  if (osxsave) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    xcr0 = (uint64_t{hi} << 32) | lo;
  }
  bool avxOs = (xcr0 & 0x6) == 0x6;             // XMM and YMM state
  bool avx512Os = avxOs && (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM
  bool avx = (c & bit_AVX) && avxOs;
  set(kAvx, avx);
  set(kFma, avx && (c & bit_FMA));
  set(kF16c, avx && (c & bit_F16C));
  if (maxLeaf >= 7) {
    __get_cpuid_count(7, 0, &a, &b, &c, &d);
    set(kAvx2, avx && (b & bit_AVX2));
    set(kBmi, b & bit_BMI);
    set(kBmi2, b & bit_BMI2);
    bool f = avx512Os && (b & bit_AVX512F);
    set(kAvx512f, f);
    set(kAvx512dq, f && (b & bit_AVX512DQ));
    set(kAvx512bw, f && (b & bit_AVX512BW));
    set(kAvx512vl, f && (b & bit_AVX512VL));
    set(kAvx512cd, f && (b & bit_AVX512CD));
    set(kAvx512vbmi, f && (c & bit_AVX512VBMI));
    set(kAvx512vbmi2, f && (c & bit_AVX512VBMI2));
    set(kAvx512bitalg, f && (c & bit_AVX512BITALG));
    set(kAvx512vpopcntdq, f && (c & bit_AVX512VPOPCNTDQ));
    set(kAvx512vnni, f && (c & bit_AVX512VNNI));
  }
  if (__get_cpuid(0x80000000, &a, &b, &c, &d) && a >= 0x80000001) {
    __get_cpuid(0x80000001, &a, &b, &c, &d);
    set(kLzcnt, c & bit_LZCNT);
    set(kSahf, c & bit_LAHF_LM);
    set(kPrfchw, c & bit_PRFCHW);
  }
  cpu.features.bits = bits;
#endif
  return cpu;
}

}  // namespace

std::string CpuFeatures::llvmFeatures() const {
  std::string s;
  for (size_t i = 0; i < kFeatureNames.size(); ++i) {
    if (!s.empty()) s += ',';
    s += (bits >> i) & 1 ? '+' : '-';
    s += kFeatureNames[i];
  }
  return s;
}

std::string CpuFeatures::names() const {
  std::string s;
  for (size_t i = 0; i < kFeatureNames.size(); ++i) {
    if (!((bits >> i) & 1)) continue;
    if (!s.empty()) s += ' ';
    s += kFeatureNames[i];
  }
  return s.empty() ? "x86-64 baseline" : s;
}

std::string CpuFeatures::missing(const CpuFeatures& needed) const {
  CpuFeatures lack{needed.bits & ~bits};
  return lack.bits ? lack.names() : std::string();
}

const HostCpu& hostCpu() {
  static const HostCpu cpu = detect();
  return cpu;
}

CpuFeatures portableFeatures() { return CpuFeatures{0}; }

}  // namespace bantam::compiled
