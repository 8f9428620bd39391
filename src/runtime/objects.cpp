// Tables (§4.2.7) and export lookup on module instances.
#include "runtime/objects.h"

#include <new>

namespace bantam::runtime {

TableInst::TableInst(wasm::TableType t, void* init) : elems(t.limits.min, init), type(t) {
  vmElems = elems.data();
  vmSize = elems.size();
}

int64_t TableInst::grow(uint32_t delta, void* init, uint64_t limit) {
  uint64_t oldSize = elems.size();
  uint64_t newSize = oldSize + delta;
  uint64_t max = type.limits.max.value_or(UINT32_MAX);
  if (newSize > max || newSize > limit) return -1;
  try {
    elems.resize(newSize, init);
    vmElems = elems.data();
    vmSize = elems.size();
  } catch (const std::bad_alloc&) {
    return -1;  // the spec lets grow fail for any reason; running out of memory is one
  }
  type.limits.min = newSize;
  return static_cast<int64_t>(oldSize);
}

std::optional<Extern> ModuleInst::findExport(std::string_view exportName) const {
  auto it = exports.find(std::string(exportName));
  if (it == exports.end()) return std::nullopt;
  return it->second;
}

FuncInst* ModuleInst::exportedFunc(std::string_view exportName) const {
  auto e = findExport(exportName);
  return e && e->kind == wasm::ExternKind::Func ? e->func : nullptr;
}

MemoryInst* ModuleInst::exportedMemory(std::string_view exportName) const {
  auto e = findExport(exportName);
  return e && e->kind == wasm::ExternKind::Memory ? e->memory : nullptr;
}

}  // namespace bantam::runtime
