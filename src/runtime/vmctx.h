// The instance layout that compiled code reads (shared metadata, STYLE rule 6): a VMContext
// block per module instance whose field offsets follow from the module alone, so that a
// compiler can bake them into code that is cached on disk and reused by every instance. The
// runtime fills the block at instantiation; engines never invent their own layout.
//
//   VMContext (8-byte words)
//     [0] VMStoreContext*   the store's interruption and stack-limit state
//     [1] ModuleInst*       the instance itself
//     [2] uint8_t*          base of memory 0 (never moves: MemoryInst reserves its maximum)
//     [3] reserved
//     memories[M]   MemoryInst*          (base at +0, size in bytes at +8)
//     globals[G]    GlobalInst*          (the value at +0). Defined globals are not inline
//                                        (Wasmtime puts them in its vmctx) because GlobalInst is
//                                        the store's object that the interpreter and the embedding
//                                        API read in place; the pointer load is loop-invariant.
//     tables[T]     TableInst*           (vmElems at kTableElems, vmSize at kTableSize)
//     funcImports[I]  {code, vmctx}      an imported function: its code and the vmctx to pass
//                                        (a host function: the engine's adapter and its FuncInst*)
//     funcRefs[F]   FuncInst*            every function (ref.func, host calls, backtraces)
//     sigIds[types] uint32_t             canonical signature id per type index (call_indirect)
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "runtime/objects.h"

namespace bantam::runtime {

class Store;

// Per store: what compiled code checks at function entries and loop back-edges. Lives in the
// Store; every VMContext of the store points at it.
struct VMStoreContext {
  const std::atomic<uint64_t>* epoch = nullptr;  // &Engine::epoch
  uint64_t epochDeadline = UINT64_MAX;           // 0 while fuel is on: every check takes the slow path
  uintptr_t stackLimit = 0;                      // lowest stack address guest code may reach; set by
                                                 // the outermost invocation, constant while code runs
  Store* store = nullptr;
  void* engineState = nullptr;                   // the execution engine's per-store data (not owned)
  // What every compiled function entry compares the stack pointer with: `rsp < entryLimit`
  // takes the slow path (bantam_rt_interrupt), which traps on stack exhaustion, charges fuel
  // and handles the epoch deadline. It is stackLimit normally and UINTPTR_MAX whenever an entry
  // must take the slow path: fuel is on, or the epoch has reached the deadline. Written by the
  // store's thread (Store::refreshEntryLimit) and by the thread that advances the epoch
  // (Engine::incrementEpoch), always through std::atomic_ref; generated code reads it volatile.
  uintptr_t entryLimit = 0;
};

// An imported function as compiled code calls it (like Wasmtime's VMFunctionImport).
struct VMFuncImport {
  const void* code = nullptr;
  void* vmctx = nullptr;
};

// Offsets of the fields of runtime objects that compiled code reads. offsetof on these
// non-standard-layout classes is supported by clang and GCC (checked by the static_asserts).
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winvalid-offsetof"
namespace vmfield {
inline constexpr uint32_t kStoreEpoch = offsetof(VMStoreContext, epoch);
inline constexpr uint32_t kStoreEpochDeadline = offsetof(VMStoreContext, epochDeadline);
inline constexpr uint32_t kStoreEntryLimit = offsetof(VMStoreContext, entryLimit);
inline constexpr uint32_t kMemoryBase = offsetof(MemoryInst, base);
inline constexpr uint32_t kMemorySize = offsetof(MemoryInst, sizeBytes);
inline constexpr uint32_t kGlobalValue = offsetof(GlobalInst, value);
inline constexpr uint32_t kTableElems = offsetof(TableInst, vmElems);
inline constexpr uint32_t kTableSize = offsetof(TableInst, vmSize);
inline constexpr uint32_t kFuncSigId = offsetof(FuncInst, sigId);
inline constexpr uint32_t kFuncCode = offsetof(FuncInst, code);
inline constexpr uint32_t kFuncVmctx = offsetof(FuncInst, vmctx);
}  // namespace vmfield
#pragma clang diagnostic pop
static_assert(sizeof(VMFuncImport) == 16);
static_assert(vmfield::kGlobalValue == 0 && sizeof(RawVal) == 16);

// Field offsets of one module's VMContext, in bytes.
class VMOffsets {
 public:
  static constexpr uint32_t kStoreContext = 0;
  static constexpr uint32_t kInstance = 8;
  static constexpr uint32_t kMemory0Base = 16;
  static constexpr uint32_t kHeaderBytes = 32;

  VMOffsets() = default;
  VMOffsets(uint32_t memories, uint32_t globals, uint32_t tables, uint32_t importedFuncs, uint32_t funcs,
            uint32_t types) {
    memories_ = kHeaderBytes;
    globals_ = memories_ + 8 * memories;
    tables_ = globals_ + 8 * globals;
    funcImports_ = tables_ + 8 * tables;
    funcRefs_ = funcImports_ + 16 * importedFuncs;
    sigIds_ = funcRefs_ + 8 * funcs;
    size_ = sigIds_ + ((4 * types + 7) & ~7u);
  }
  template <class M>  // wasm::Module (a template so that this header needs only its fields)
  static VMOffsets of(const M& m) {
    return VMOffsets(static_cast<uint32_t>(m.memorySpace.size()), static_cast<uint32_t>(m.globalSpace.size()),
                     static_cast<uint32_t>(m.tableSpace.size()), m.numImportedFuncs,
                     static_cast<uint32_t>(m.funcSpace.size()), static_cast<uint32_t>(m.types.size()));
  }

  uint32_t memory(uint32_t i) const { return memories_ + 8 * i; }
  uint32_t global(uint32_t i) const { return globals_ + 8 * i; }
  uint32_t table(uint32_t i) const { return tables_ + 8 * i; }
  uint32_t funcImport(uint32_t i) const { return funcImports_ + 16 * i; }
  uint32_t funcRef(uint32_t i) const { return funcRefs_ + 8 * i; }
  uint32_t sigId(uint32_t typeIndex) const { return sigIds_ + 4 * typeIndex; }
  uint32_t size() const { return size_; }

 private:
  uint32_t memories_ = kHeaderBytes, globals_ = kHeaderBytes, tables_ = kHeaderBytes, funcImports_ = kHeaderBytes,
           funcRefs_ = kHeaderBytes, sigIds_ = kHeaderBytes, size_ = kHeaderBytes;
};

}  // namespace bantam::runtime
