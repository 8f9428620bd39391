// The runtime functions generated code calls (bantam_rt_*, declared by src/llvm/module_env.cpp
// with the same signatures), and the fixed table the loader resolves external symbols from:
// these builtins and the few libc functions LLVM lowers intrinsics to. Anything else
// undefined in an object is refused.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "compiled/activation.h"
#include "compiled/builtins.h"
#include "runtime/store.h"
#include "runtime/vmctx.h"

namespace bantam::compiled {

using runtime::ModuleInst;
using runtime::TrapKind;

namespace {

ModuleInst& instanceOf(void* vmctx) {
  ModuleInst* inst;
  std::memcpy(&inst, static_cast<uint8_t*>(vmctx) + runtime::VMOffsets::kInstance, sizeof inst);
  return *inst;
}

runtime::VMStoreContext& storeOf(void* vmctx) {
  runtime::VMStoreContext* s;
  std::memcpy(&s, static_cast<uint8_t*>(vmctx) + runtime::VMOffsets::kStoreContext, sizeof s);
  return *s;
}

// Runs the host function; false (with the trap left in the activation) when it trapped. Every
// C++ object of the call lives in this frame, which has returned before the unwinding starts.
__attribute__((noinline)) bool callHost(void* callerVmctx, runtime::FuncInst* f, runtime::RawVal* cells) {
  ModuleInst& inst = instanceOf(callerVmctx);
  runtime::Caller caller(*inst.store, &inst);
  const wasm::FuncType& type = *f->type;
  size_t n = std::max(type.params.size(), type.results.size());
  auto r = f->host(caller, std::span<runtime::RawVal>(cells, n));
  if (r) return true;
  currentActivation()->hostTrap = std::move(r.error());
  return false;
}

// The trap of call_indirect's element checks, named by index ("uninitialized element 2", as
// the interpreter says). Its strings are destroyed when it returns, before the unwinding.
__attribute__((noinline)) void setElementTrap(TrapKind kind, uint32_t index) {
  Activation* a = currentActivation();
  if (a == nullptr) std::abort();
  a->hostTrap.emplace(kind, std::string(runtime::trapMessage(kind)) + " " + std::to_string(index));
}

// The store's epoch callback (Store::setEpochCallback) may switch to another fiber of this
// thread, which may run compiled code and change the innermost activation: it is restored
// before this guest goes on.
__attribute__((noinline)) bool epochCallbackSaysGoOn(runtime::Store& store) {
  Activation* mine = currentActivation();
  bool goOn = store.epochDeadlineReached();
  setCurrentActivation(mine);
  return goOn;
}

}  // namespace

extern "C" {

[[noreturn]] void bantam_rt_trap(void* vmctx, uint32_t kind) {
  (void)vmctx;
  raiseTrap(static_cast<TrapKind>(kind));
}

[[noreturn]] void bantam_rt_trap_element(void* vmctx, uint32_t kind, uint32_t index) {
  (void)vmctx;
  setElementTrap(static_cast<TrapKind>(kind), index);
  raiseHostTrap();
}

void bantam_rt_interrupt(void* vmctx, uint32_t cost, uintptr_t sp) {
  // The slow path of both checks. A function entry (sp: its stack pointer) comes here when
  // sp < VMStoreContext::entryLimit: the stack is exhausted, or the limit is UINTPTR_MAX
  // because fuel is on or the epoch reached the deadline. A loop back-edge (sp: UINTPTR_MAX)
  // comes when the epoch reached the cached deadline (0 while fuel is on). As the
  // interpreter's interruptSlow, then the entry limit is recomputed for what remains.
  runtime::VMStoreContext& vs = storeOf(vmctx);
  if (sp < vs.stackLimit) raiseTrap(TrapKind::CallStackExhausted);
  runtime::Store& store = *vs.store;
  if (store.fuelEnabled()) {
    uint64_t& fuel = store.fuel();
    if (fuel < cost) {
      fuel = 0;
      raiseTrap(TrapKind::OutOfFuel);
    }
    fuel -= cost;
  }
  if (store.engine().epoch.load(std::memory_order_relaxed) >= store.epochDeadline() && !epochCallbackSaysGoOn(store))
    raiseTrap(TrapKind::Interrupted);
  store.refreshEntryLimit();
}

// A loop check's slow path: the same, then the deadline the loop compares with from now on
// (generated code keeps it in a register; src/llvm/translate_control.cpp).
uint64_t bantam_rt_loop_interrupt(void* vmctx, uint32_t cost) {
  bantam_rt_interrupt(vmctx, cost, UINTPTR_MAX);  // UINTPTR_MAX: no stack check
  return storeOf(vmctx).epochDeadline;
}

uint32_t bantam_rt_memory_grow(void* vmctx, uint32_t mem, uint32_t delta) {
  return static_cast<uint32_t>(instanceOf(vmctx).memories[mem]->grow(delta));
}

void bantam_rt_memory_init(void* vmctx, uint32_t mem, uint32_t data, uint32_t dst, uint32_t src, uint32_t n) {
  ModuleInst& inst = instanceOf(vmctx);
  runtime::MemoryInst& m = *inst.memories[mem];
  std::span<const uint8_t> bytes = inst.datas[data].bytes;
  if (uint64_t{src} + n > bytes.size() || uint64_t{dst} + n > m.sizeBytes) raiseTrap(TrapKind::OutOfBoundsMemoryAccess);
  if (n) std::memcpy(m.base + dst, bytes.data() + src, n);
}

void bantam_rt_data_drop(void* vmctx, uint32_t data) { instanceOf(vmctx).datas[data].bytes = {}; }

uint32_t bantam_rt_table_grow(void* vmctx, uint32_t table, void* init, uint32_t delta) {
  ModuleInst& inst = instanceOf(vmctx);
  return static_cast<uint32_t>(inst.tables[table]->grow(delta, init, inst.store->limits().maxTableElements));
}

void bantam_rt_table_fill(void* vmctx, uint32_t table, uint32_t i, void* value, uint32_t n) {
  runtime::TableInst& t = *instanceOf(vmctx).tables[table];
  if (uint64_t{i} + n > t.size()) raiseTrap(TrapKind::OutOfBoundsTableAccess);
  std::fill_n(t.elems.begin() + i, n, value);
}

void bantam_rt_table_copy(void* vmctx, uint32_t dst, uint32_t src, uint32_t d, uint32_t s, uint32_t n) {
  ModuleInst& inst = instanceOf(vmctx);
  runtime::TableInst& td = *inst.tables[dst];
  runtime::TableInst& ts = *inst.tables[src];
  if (uint64_t{s} + n > ts.size() || uint64_t{d} + n > td.size()) raiseTrap(TrapKind::OutOfBoundsTableAccess);
  if (n) std::memmove(td.elems.data() + d, ts.elems.data() + s, n * sizeof(void*));
}

void bantam_rt_table_init(void* vmctx, uint32_t table, uint32_t elem, uint32_t d, uint32_t s, uint32_t n) {
  ModuleInst& inst = instanceOf(vmctx);
  runtime::TableInst& t = *inst.tables[table];
  const std::vector<void*>& refs = inst.elems[elem].refs;
  if (uint64_t{s} + n > refs.size() || uint64_t{d} + n > t.size()) raiseTrap(TrapKind::OutOfBoundsTableAccess);
  if (n) std::memcpy(t.elems.data() + d, refs.data() + s, n * sizeof(void*));
}

void bantam_rt_elem_drop(void* vmctx, uint32_t elem) { std::vector<void*>().swap(instanceOf(vmctx).elems[elem].refs); }

void bantam_rt_call_host(void* callerVmctx, void* funcInst, void* cells) {
  if (!callHost(callerVmctx, static_cast<runtime::FuncInst*>(funcInst), static_cast<runtime::RawVal*>(cells)))
    raiseHostTrap();
}

}  // extern "C"

const void* resolveRuntimeSymbol(std::string_view name) {
  struct Entry {
    std::string_view name;
    const void* address;
  };
  // LLVM lowers memory intrinsics and, without SSE4.1, float rounding to these libcalls.
  static const Entry kTable[] = {
      {"bantam_rt_trap", reinterpret_cast<const void*>(&bantam_rt_trap)},
      {"bantam_rt_trap_element", reinterpret_cast<const void*>(&bantam_rt_trap_element)},
      {"bantam_rt_interrupt", reinterpret_cast<const void*>(&bantam_rt_interrupt)},
      {"bantam_rt_loop_interrupt", reinterpret_cast<const void*>(&bantam_rt_loop_interrupt)},
      {"bantam_rt_memory_grow", reinterpret_cast<const void*>(&bantam_rt_memory_grow)},
      {"bantam_rt_memory_init", reinterpret_cast<const void*>(&bantam_rt_memory_init)},
      {"bantam_rt_data_drop", reinterpret_cast<const void*>(&bantam_rt_data_drop)},
      {"bantam_rt_table_grow", reinterpret_cast<const void*>(&bantam_rt_table_grow)},
      {"bantam_rt_table_fill", reinterpret_cast<const void*>(&bantam_rt_table_fill)},
      {"bantam_rt_table_copy", reinterpret_cast<const void*>(&bantam_rt_table_copy)},
      {"bantam_rt_table_init", reinterpret_cast<const void*>(&bantam_rt_table_init)},
      {"bantam_rt_elem_drop", reinterpret_cast<const void*>(&bantam_rt_elem_drop)},
      {"bantam_rt_call_host", reinterpret_cast<const void*>(&bantam_rt_call_host)},
      {"memcpy", reinterpret_cast<const void*>(static_cast<void* (*)(void*, const void*, size_t)>(&std::memcpy))},
      {"memmove", reinterpret_cast<const void*>(static_cast<void* (*)(void*, const void*, size_t)>(&std::memmove))},
      {"memset", reinterpret_cast<const void*>(static_cast<void* (*)(void*, int, size_t)>(&std::memset))},
      {"ceilf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&::ceilf))},
      {"ceil", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&::ceil))},
      {"floorf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&::floorf))},
      {"floor", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&::floor))},
      {"truncf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&::truncf))},
      {"trunc", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&::trunc))},
      {"roundevenf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&::roundevenf))},
      {"roundeven", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&::roundeven))},
      {"nearbyintf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&::nearbyintf))},
      {"nearbyint", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&::nearbyint))},
      {"rintf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&::rintf))},
      {"rint", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&::rint))},
      {"sqrtf", reinterpret_cast<const void*>(static_cast<float (*)(float)>(&::sqrtf))},
      {"sqrt", reinterpret_cast<const void*>(static_cast<double (*)(double)>(&::sqrt))},
      {"fminf", reinterpret_cast<const void*>(static_cast<float (*)(float, float)>(&::fminf))},
      {"fmin", reinterpret_cast<const void*>(static_cast<double (*)(double, double)>(&::fmin))},
      {"fmaxf", reinterpret_cast<const void*>(static_cast<float (*)(float, float)>(&::fmaxf))},
      {"fmax", reinterpret_cast<const void*>(static_cast<double (*)(double, double)>(&::fmax))},
  };
  for (const Entry& e : kTable)
    if (e.name == name) return e.address;
  return nullptr;
}

}  // namespace bantam::compiled
