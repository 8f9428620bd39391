// The C ABI of libbantam_llvm.so, the WebAssembly → native compiler built on LLVM. The main
// binary does not link LLVM (linking libLLVM costs ~11 ms at every process start): it dlopen()s
// this library only when a module has to be compiled (src/compiled/llvm_loader.cpp). This
// header includes nothing from LLVM; it is the whole contract between the two sides.
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Bumped whenever a struct below or the meaning of a field changes. The library refuses a
// request of another version, so a stale library next to a newer binary fails cleanly.
#define BANTAM_LLVM_ABI_VERSION 3

enum BantamCompileFlags {
  // Every linear-memory access checks its bounds explicitly (for engines that could not
  // reserve the 4 GiB + guard region per memory); otherwise the guard region faults.
  BANTAM_COMPILE_EXPLICIT_BOUNDS = 1u << 0,
  // Print the LLVM IR of each partition to stderr before and after optimisation (debugging).
  BANTAM_COMPILE_DUMP_IR = 1u << 1,
  // Verify the IR of each function as it is translated (debug builds and tests).
  BANTAM_COMPILE_VERIFY = 1u << 2,
  // No epoch checks at loop back-edges (function entries keep theirs): for code that no
  // deadline needs to stop inside a call-free loop (`bantam run` without --timeout or --fuel,
  // as Wasmtime compiles without epoch checks unless asked).
  BANTAM_COMPILE_NO_LOOP_CHECKS = 1u << 3,
};

typedef struct BantamCompileRequest {
  uint32_t abiVersion;  // BANTAM_LLVM_ABI_VERSION
  // A decoded and validated `const bantam::wasm::Module*`. The library is built from the same
  // tree as the binary (the ABI version guards it), so the C++ struct is shared read-only.
  const void* module;
  uint32_t optLevel;     // 0..3
  uint32_t threads;      // worker threads (>= 1)
  uint32_t flags;        // BantamCompileFlags
  const char* cpu;       // LLVM target-cpu ("x86-64"): the ISA baseline
  const char* features;  // LLVM target-features ("+sse4.2,+avx2,-avx512f,..."): exactly the
                         // features the loader checks on the running host
  const char* tuneCpu;   // scheduling model ("znver4"); "" or NULL: LLVM's host CPU
  // Called from worker threads as partitions finish (may be NULL).
  void (*progress)(void* ctx, uint32_t done, uint32_t total);
  void* progressCtx;
} BantamCompileRequest;

typedef struct BantamObject {
  const uint8_t* data;  // an ELF64 relocatable object (x86-64)
  uint64_t size;
} BantamObject;

typedef struct BantamCompileResult {
  uint32_t numObjects;
  const BantamObject* objects;  // one per partition; symbols: f<funcIndex> (defined functions),
                                // t<typeIndex> (host → wasm trampolines), h<typeIndex> (wasm →
                                // host adapters); runtime calls: the bantam_rt_* builtins
  const char* error;            // NULL on success, else a message (the objects are then absent)
  const char* tuneCpu;          // the scheduling model used
  void* internal;               // owned by the library: release with bantam_llvm_free
} BantamCompileResult;

// Returns 0 on success. The result must be released with bantam_llvm_free in any case.
int bantam_llvm_compile(const BantamCompileRequest* request, BantamCompileResult* result);
void bantam_llvm_free(BantamCompileResult* result);
// LLVM's name for the host CPU ("znver4"), for reports.
const char* bantam_llvm_host_cpu(void);

typedef int (*BantamLlvmCompileFn)(const BantamCompileRequest*, BantamCompileResult*);
typedef void (*BantamLlvmFreeFn)(BantamCompileResult*);
typedef const char* (*BantamLlvmHostCpuFn)(void);

#ifdef __cplusplus
}
#endif
