// Module instantiation (§4.5.4) and import type checking (§4.5.2 extern subtyping).
#include "runtime/instantiate.h"

#include <cstring>

#include "runtime/const_expr.h"
#include "runtime/instance_pre.h"
#include "runtime/vmctx.h"

namespace bantam::runtime {

namespace {

std::string describeType(const wasm::Limits& l) {
  std::string s = std::to_string(l.min);
  if (l.max) s += " " + std::to_string(*l.max);
  return s;
}

// §4.5.2: limits {n1, m1?} match {n2, m2?} iff n1 >= n2 and, if m2 is present, m1 is present
// and m1 <= m2.
bool limitsMatch(const wasm::Limits& actual, const wasm::Limits& expected) {
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}

std::unexpected<Error> incompatible(const wasm::Import& import, std::string detail) {
  return std::unexpected(Error::make(ErrorKind::Unlinkable, "incompatible import type")
                             .withContext(importDescription(import) + ": " + std::move(detail)));
}

// Fills the instance's VMContext (vmctx.h) once its functions, tables, memories and globals
// exist, and points its functions at it.
void buildVmContext(Store& store, const CompiledModule& compiled, ModuleInst& inst) {
  const wasm::Module& m = compiled.module;
  VMOffsets off = VMOffsets::of(m);
  inst.vmctx = std::make_unique<uint64_t[]>(off.size() / 8);
  auto* block = reinterpret_cast<uint8_t*>(inst.vmctx.get());
  auto put = [block](uint32_t offset, const void* value) { std::memcpy(block + offset, &value, sizeof value); };
  put(VMOffsets::kStoreContext, &store.vmStore());
  put(VMOffsets::kInstance, &inst);
  put(VMOffsets::kMemory0Base, inst.memories.empty() ? nullptr : inst.memories[0]->base);
  for (uint32_t i = 0; i < inst.memories.size(); ++i) put(off.memory(i), inst.memories[i]);
  for (uint32_t i = 0; i < inst.globals.size(); ++i) put(off.global(i), inst.globals[i]);
  for (uint32_t i = 0; i < inst.tables.size(); ++i) put(off.table(i), inst.tables[i]);
  for (uint32_t i = 0; i < inst.funcs.size(); ++i) {
    FuncInst* f = inst.funcs[i];
    put(off.funcRef(i), f);
    if (i >= m.numImportedFuncs) {
      f->vmctx = block;
    } else if (f->isHost()) {
      const void* adapter = compiled.code ? compiled.code->hostCallAdapter(m.funcSpace[i].value) : nullptr;
      put(off.funcImport(i), adapter);
      put(off.funcImport(i) + 8, f);
    } else {
      put(off.funcImport(i), f->code);
      put(off.funcImport(i) + 8, f->vmctx);
    }
  }
  if (!compiled.sigIds.empty())
    std::memcpy(block + off.sigId(0), compiled.sigIds.data(), compiled.sigIds.size() * sizeof(uint32_t));
}

std::unexpected<Error> instantiationTrap(const Trap& trap, std::string where) {
  Error e = Error::make(ErrorKind::Uninstantiable, trap.message);
  e.context = std::move(where);
  if (!trap.frames.empty()) e.hint = "backtrace: " + trap.toString();
  return std::unexpected(std::move(e));
}

}  // namespace

std::string importDescription(const wasm::Import& import) {
  return import.module + "." + import.name + " (" + wasm::externKindName(import.kind) + ")";
}

Error unknownImport(const wasm::Import& import) {
  return Error::make(ErrorKind::Unlinkable, "unknown import").withContext(importDescription(import));
}

Result<void> checkImportType(Store& store, const wasm::Module& module, const wasm::Import& import,
                             const Extern& value) {
  if (value.kind != import.kind || value.ptr == nullptr)
    return incompatible(import, std::string("got a ") + wasm::externKindName(value.kind));
  switch (import.kind) {
    case wasm::ExternKind::Func: {
      const wasm::FuncType& expected = module.types.at(import.funcType.value);
      const wasm::FuncType& actual = *value.func->type;
      if (actual != expected)
        return incompatible(import, "expected " + expected.toString() + ", got " + actual.toString());
      return {};
    }
    case wasm::ExternKind::Table: {
      const TableInst& t = *value.table;
      wasm::Limits actual{t.size(), t.type.limits.max};
      if (t.type.elemType != import.table.elemType || !limitsMatch(actual, import.table.limits))
        return incompatible(import, "expected table " + describeType(import.table.limits) + " " +
                                        wasm::valTypeName(import.table.elemType) + ", got table " +
                                        describeType(actual) + " " + wasm::valTypeName(t.type.elemType));
      return {};
    }
    case wasm::ExternKind::Memory: {
      const MemoryInst& m = *value.memory;
      wasm::Limits actual{m.pages(), m.type.limits.max};
      if (!limitsMatch(actual, import.memory.limits))
        return incompatible(import, "expected memory " + describeType(import.memory.limits) +
                                        ", got memory " + describeType(actual));
      return {};
    }
    case wasm::ExternKind::Global: {
      const wasm::GlobalType& actual = value.global->type;
      if (actual != import.global) {
        auto show = [](const wasm::GlobalType& g) {
          return std::string(g.isMutable ? "(mut " : "") + wasm::valTypeName(g.type) + (g.isMutable ? ")" : "");
        };
        return incompatible(import, "expected global " + show(import.global) + ", got global " + show(actual));
      }
      return {};
    }
  }
  return {};
}

Result<ModuleInst*> instantiate(Store& store, std::shared_ptr<const CompiledModule> compiled,
                                std::span<const Extern> imports) {
  return instantiate(store, std::move(compiled), imports, nullptr);
}

Result<ModuleInst*> instantiate(Store& store, std::shared_ptr<const CompiledModule> compiled,
                                std::span<const Extern> imports, const MemoryImage* definedMemoryImages) {
  const wasm::Module& m = compiled->module;
  // §4.5.4 steps 1-4: the external values must match the imports in number and type.
  if (imports.size() != m.imports.size())
    return std::unexpected(Error::make(ErrorKind::Unlinkable, "wrong number of imports")
                               .withContext("expected " + std::to_string(m.imports.size()) + ", got " +
                                            std::to_string(imports.size())));
  for (size_t i = 0; i < imports.size(); ++i) BANTAM_TRY(checkImportType(store, m, m.imports[i], imports[i]));

  ModuleInst* inst = store.createInstance();
  inst->module = compiled;
  inst->sigIds = compiled->sigIds.data();
  inst->name = compiled->name.empty() ? m.names.module : compiled->name;
  inst->funcs.reserve(m.funcSpace.size());
  inst->tables.reserve(m.tableSpace.size());
  inst->memories.reserve(m.memorySpace.size());
  inst->globals.reserve(m.globalSpace.size());
  for (const Extern& e : imports) {
    switch (e.kind) {
      case wasm::ExternKind::Func: inst->funcs.push_back(e.func); break;
      case wasm::ExternKind::Table: inst->tables.push_back(e.table); break;
      case wasm::ExternKind::Memory: inst->memories.push_back(e.memory); break;
      case wasm::ExternKind::Global: inst->globals.push_back(e.global); break;
    }
  }

  // §4.5.3 allocmodule. Functions come first: constant expressions may take ref.func of any
  // function of the module (the spec's auxiliary instance already holds every funcaddr).
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    const wasm::Function& fn = m.functions[i];
    FuncInst* f = store.createFunc();
    f->instance = inst;
    f->funcIndex = m.numImportedFuncs + i;
    f->type = &m.types[fn.type.value];
    f->sigId = compiled->sigIds[fn.type.value];
    f->code = compiled->code ? compiled->code->functionCode(i) : nullptr;
    inst->funcs.push_back(f);
  }
  for (const wasm::TableType& t : m.tables) inst->tables.push_back(BANTAM_TRY(store.createTable(t, nullptr)));
  for (const wasm::MemoryType& t : m.memories) inst->memories.push_back(BANTAM_TRY(store.createMemory(t)));
  if (definedMemoryImages != nullptr) {
    for (size_t i = 0; i < m.memories.size(); ++i) {
      const MemoryImage& image = definedMemoryImages[i];
      MemoryInst& mem = *inst->memories[m.numImportedMemories + i];
      if (image.bytes() != mem.sizeBytes)
        return fail(ErrorKind::Uninstantiable, "memory image does not match the memory");
      BANTAM_TRY(image.mapAt(mem.base));
    }
  }
  if (compiled->code && compiled->code->needsGuardRegion()) {
    for (const MemoryInst* mem : inst->memories)
      if (mem->reservedBytes() < MemoryInst::kGuardedReservation)
        return fail(ErrorKind::Limit, "a memory could not reserve the 8 GiB of address space that compiled code "
                                      "relies on instead of bounds checks (is `ulimit -v` set?)");
  }
  // Globals are initialised in order, so a global.get may read any earlier global (imported in
  // 2.0; extended-const and GC also allow earlier defined ones).
  for (const wasm::Global& g : m.globals) {
    RawVal v = BANTAM_TRY(evalConstExpr(m, g.init, *inst));
    inst->globals.push_back(store.createGlobal(g.type, v));
  }
  buildVmContext(store, *compiled, *inst);
  for (const wasm::Export& e : m.exports) {
    Extern x;
    switch (e.kind) {
      case wasm::ExternKind::Func: x = Extern::of(inst->funcs.at(e.index)); break;
      case wasm::ExternKind::Table: x = Extern::of(inst->tables.at(e.index)); break;
      case wasm::ExternKind::Memory: x = Extern::of(inst->memories.at(e.index)); break;
      case wasm::ExternKind::Global: x = Extern::of(inst->globals.at(e.index)); break;
    }
    inst->exports.emplace(e.name, x);
  }
  inst->elems.resize(m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const wasm::ElemSegment& seg = m.elems[i];
    std::vector<void*>& refs = inst->elems[i].refs;
    refs.reserve(seg.size());
    if (seg.usesExprs) {
      for (wasm::CodeRange expr : seg.exprs) refs.push_back(BANTAM_TRY(evalConstExpr(m, expr, *inst)).ref);
    } else {
      for (uint32_t f : seg.funcIndices) refs.push_back(inst->funcs.at(f));
    }
  }
  inst->datas.resize(m.datas.size());
  for (size_t i = 0; i < m.datas.size(); ++i) inst->datas[i].bytes = m.range(m.datas[i].bytes);

  // §4.5.4 steps 13-14: element segments, then data segments, in order. Each active segment
  // is table.init/memory.init followed by a drop; a trap stops instantiation but leaves the
  // writes of earlier segments in place (shared tables and memories show them).
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const wasm::ElemSegment& seg = m.elems[i];
    std::vector<void*>& refs = inst->elems[i].refs;
    if (seg.mode == wasm::SegmentMode::Active) {
      uint32_t offset = BANTAM_TRY(evalConstExpr(m, seg.offset, *inst)).i32;
      TableInst& table = *inst->tables.at(seg.table.value);
      if (uint64_t{offset} + refs.size() > table.size())
        return instantiationTrap(Trap(TrapKind::OutOfBoundsTableAccess), "element segment " + std::to_string(i));
      std::copy(refs.begin(), refs.end(), table.elems.begin() + offset);
    }
    if (seg.mode != wasm::SegmentMode::Passive) std::vector<void*>().swap(refs);  // elem.drop
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const wasm::DataSegment& seg = m.datas[i];
    if (seg.mode != wasm::SegmentMode::Active) continue;
    if (definedMemoryImages != nullptr && seg.memory.value >= m.numImportedMemories) {
      inst->datas[i].bytes = {};  // already in the image; data.drop
      continue;
    }
    uint32_t offset = BANTAM_TRY(evalConstExpr(m, seg.offset, *inst)).i32;
    MemoryInst& mem = *inst->memories.at(seg.memory.value);
    std::span<const uint8_t> bytes = inst->datas[i].bytes;
    if (uint64_t{offset} + bytes.size() > mem.sizeBytes)
      return instantiationTrap(Trap(TrapKind::OutOfBoundsMemoryAccess), "data segment " + std::to_string(i));
    if (!bytes.empty()) std::memcpy(mem.base + offset, bytes.data(), bytes.size());
    inst->datas[i].bytes = {};  // data.drop
  }

  if (m.start) {
    FuncInst& start = *inst->funcs.at(m.start->value);
    if (auto r = store.call(start, std::span<RawVal>()); !r) return instantiationTrap(r.error(), "start function");
  }
  return inst;
}

}  // namespace bantam::runtime
