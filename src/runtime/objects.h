// The runtime objects of the store (§4.2): functions, tables, memories, globals and module
// instances. Their layout is shared metadata: the interpreter and the compiled engine read the
// same fields (STYLE rule 6), so fields marked "hot" must stay plain data.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/trap.h"
#include "runtime/value.h"
#include "wasm/module.h"

namespace bantam::runtime {

class Store;
class Caller;
struct ModuleInst;
struct CompiledModule;

// A host function receives its arguments in argsResults[0..params) and writes its results to
// argsResults[0..results); the span has max(params, results) cells.
using HostCallback = std::function<TrapOr<void>(Caller& caller, std::span<RawVal> argsResults)>;

struct FuncInst {
  // hot
  uint32_t sigId = 0;                  // canonical signature id (TypeRegistry): call_indirect compares these
  ModuleInst* instance = nullptr;      // the defining instance; nullptr for host functions
  const void* code = nullptr;          // engine code of a wasm function (EngineCode::functionCode)
  uint32_t funcIndex = 0;              // index in the defining module's function space
  void* vmctx = nullptr;               // wasm functions: the defining instance's VMContext (vmctx.h)
  // cold
  const wasm::FuncType* type = nullptr;  // owned by the module, or by `hostType` below
  HostCallback host;                     // host functions only
  std::unique_ptr<wasm::FuncType> hostType;
  std::string hostName;                  // "module.name" of a host function, for backtraces

  bool isHost() const { return instance == nullptr; }
};

class TableInst {
 public:
  TableInst(wasm::TableType type, void* init);
  // hot
  std::vector<void*> elems;  // FuncInst* or externref pointers; nullptr is the null reference
  // hot, for compiled code (vmctx.h): elems.data() and elems.size(), kept in step by the
  // constructor and grow(), the only places that resize `elems`
  void** vmElems = nullptr;
  uint64_t vmSize = 0;
  // cold
  wasm::TableType type;      // limits.min tracks the current size

  uint32_t size() const { return static_cast<uint32_t>(elems.size()); }
  // table.grow (§4.4.6): returns the old size, or -1 when the maximum or `limit` forbids it.
  int64_t grow(uint32_t delta, void* init, uint64_t limit);
};

class MemoryInst {
 public:
  // Reserves the address space for the maximum (4 GiB plus a 4 GiB guard region for 32-bit
  // memories) and commits the initial pages, so `base` never moves when the memory grows.
  // Once the memory is at least `hugePagesFromBytes` large (0: never), its reservation asks
  // the kernel for transparent huge pages (StoreLimits::hugePagesFromBytes).
  static Result<std::unique_ptr<MemoryInst>> create(const wasm::MemoryType& type, uint64_t limitBytes,
                                                    uint64_t hugePagesFromBytes = 0);
  ~MemoryInst();
  MemoryInst(const MemoryInst&) = delete;
  MemoryInst& operator=(const MemoryInst&) = delete;

  // hot: engines cache these and reload them after any call or memory.grow
  uint8_t* base = nullptr;
  uint64_t sizeBytes = 0;
  // cold
  wasm::MemoryType type;     // limits.min tracks the current size in pages
  uint64_t limitBytes = 0;   // configured cap (StoreLimits::maxMemoryBytes)

  uint64_t pages() const { return sizeBytes / wasm::kPageSize; }
  // memory.grow (§4.4.7): returns the old size in pages, or -1.
  int64_t grow(uint64_t deltaPages);
  std::span<uint8_t> bytes() { return {base, sizeBytes}; }
  // The address space reserved at `base`: 8 GiB (4 GiB + guard) unless the host refused it.
  uint64_t reservedBytes() const { return reserved_; }
  static constexpr uint64_t kGuardedReservation = uint64_t{8} << 30;
  // Whether the reservation has asked for transparent huge pages (see create).
  bool hugePagesAdvised() const { return hugeAdvised_; }

 private:
  MemoryInst() = default;
  void adviseHugePagesIfLarge();
  size_t reserved_ = 0;
  uint64_t hugePagesFrom_ = 0;
  bool hugeAdvised_ = false;
};

struct GlobalInst {
  RawVal value;  // hot
  wasm::GlobalType type;
};

struct Extern {
  wasm::ExternKind kind = wasm::ExternKind::Func;
  union {
    FuncInst* func;
    TableInst* table;
    MemoryInst* memory;
    GlobalInst* global;
    void* ptr = nullptr;
  };
  static Extern of(FuncInst* f) { Extern e; e.kind = wasm::ExternKind::Func; e.func = f; return e; }
  static Extern of(TableInst* t) { Extern e; e.kind = wasm::ExternKind::Table; e.table = t; return e; }
  static Extern of(MemoryInst* m) { Extern e; e.kind = wasm::ExternKind::Memory; e.memory = m; return e; }
  static Extern of(GlobalInst* g) { Extern e; e.kind = wasm::ExternKind::Global; e.global = g; return e; }
};

// Passive segments after instantiation; a dropped segment is empty (§4.5.3).
struct ElemInst {
  std::vector<void*> refs;
};
struct DataInst {
  std::span<const uint8_t> bytes;
};

struct ModuleInst {
  // hot: engines index these directly
  std::vector<FuncInst*> funcs;
  std::vector<TableInst*> tables;
  std::vector<MemoryInst*> memories;
  std::vector<GlobalInst*> globals;
  std::vector<ElemInst> elems;
  std::vector<DataInst> datas;
  const uint32_t* sigIds = nullptr;  // canonical signature id of each type index of the module
  std::unique_ptr<uint64_t[]> vmctx; // the VMContext block (runtime/vmctx.h), filled by instantiate()
  // cold
  std::shared_ptr<const CompiledModule> module;
  Store* store = nullptr;
  std::string name;  // registration name or the name section's module name, for backtraces
  std::unordered_map<std::string, Extern> exports;

  std::optional<Extern> findExport(std::string_view name) const;
  FuncInst* exportedFunc(std::string_view name) const;
  MemoryInst* exportedMemory(std::string_view name) const;
};

}  // namespace bantam::runtime
