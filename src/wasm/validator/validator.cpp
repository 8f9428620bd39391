// Module validation (§3.4): imports, tables, memories, globals, segments, exports and the start
// function, then every function body. Cheap module-level checks run first so a bad module
// fails before any code is read; the function bodies share one FuncValidator.
#include "wasm/validator/validator.h"

#include <algorithm>
#include <string_view>

#include "wasm/validator/const_expr.h"
#include "wasm/validator/func_validator.h"

namespace bantam::wasm {

namespace {

using validation::unknownIndexMessage;

std::unexpected<Error> invalid(std::string message, std::string context) {
  return std::unexpected(Error::make(ErrorKind::Invalid, std::move(message)).withContext(std::move(context)));
}

std::string indexed(const char* what, size_t i) { return std::string(what) + " " + std::to_string(i); }

// Limits (§3.2.1): both bounds within `range`, then min <= max (the reference interpreter's
// order, so that a module breaking both reports the same message as the suite expects).
Result<void> validateLimits(const Limits& l, uint64_t range, const char* rangeMessage, const std::string& ctx) {
  if (l.min > range || (l.max && *l.max > range)) return invalid(rangeMessage, ctx);
  if (l.max && l.min > *l.max) return invalid("size minimum must not be greater than maximum", ctx);
  return {};
}

Result<void> validateTableType(const TableType& t, const std::string& ctx) {
  return validateLimits(t.limits, 0xffffffffu, "table size must be at most 2^32-1", ctx);
}

Result<void> validateMemoryType(const MemoryType& t, const std::string& ctx) {
  return validateLimits(t.limits, kMaxPages32, "memory size must be at most 65536 pages (4GiB)", ctx);
}

Result<void> withContext(Result<void> r, std::string ctx) {
  if (!r) return std::unexpected(std::move(r).error().withContext(std::move(ctx)));
  return {};
}

Result<void> validateTypes(const Module& m) {
  for (size_t i = 0; i < m.types.size(); ++i) {
    const FuncType& t = m.types[i];
    if (t.params.size() > validation::kMaxFuncParams || t.results.size() > validation::kMaxFuncResults)
      return std::unexpected(Error::make(ErrorKind::Limit, "function type has more than " +
                                                               std::to_string(validation::kMaxFuncParams) +
                                                               " parameters or results")
                                 .withContext(indexed("in type", i)));
  }
  return {};
}

Result<void> validateImports(const Module& m) {
  for (size_t i = 0; i < m.imports.size(); ++i) {
    const Import& imp = m.imports[i];
    std::string ctx = "in import " + std::to_string(i) + " (\"" + imp.module + "\" \"" + imp.name + "\")";
    switch (imp.kind) {
      case ExternKind::Func:
        if (imp.funcType.value >= m.types.size())
          return invalid(unknownIndexMessage("type", imp.funcType.value), ctx);
        break;
      case ExternKind::Table: BANTAM_TRY(validateTableType(imp.table, ctx)); break;
      case ExternKind::Memory: BANTAM_TRY(validateMemoryType(imp.memory, ctx)); break;
      case ExternKind::Global: break;
    }
  }
  return {};
}

Result<void> validateDefinitions(const Module& m, std::vector<bool>& refs) {
  for (size_t i = 0; i < m.functions.size(); ++i)
    if (m.functions[i].type.value >= m.types.size())
      return invalid(unknownIndexMessage("type", m.functions[i].type.value),
                     indexed("in function", m.numImportedFuncs + i));
  for (size_t i = 0; i < m.tables.size(); ++i)
    BANTAM_TRY(validateTableType(m.tables[i], indexed("in table", m.numImportedTables + i)));
  for (size_t i = 0; i < m.memories.size(); ++i)
    BANTAM_TRY(validateMemoryType(m.memories[i], indexed("in memory", m.numImportedMemories + i)));
  // Multi-memory is a WebAssembly 3.0 feature; 2.0 allows one memory, imported or defined.
  if (m.memorySpace.size() > 1) return invalid("multiple memories", "");
  for (size_t i = 0; i < m.globals.size(); ++i)
    BANTAM_TRY(withContext(validation::validateConstExpr(m, m.globals[i].init, m.globals[i].type.type, refs),
                           indexed("in global", m.numImportedGlobals + i)));
  return {};
}

// Element segments (§3.4.6): items first, then the mode, as the reference interpreter does.
Result<void> validateElems(const Module& m, std::vector<bool>& refs) {
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    std::string ctx = indexed("in element segment", i);
    if (seg.usesExprs) {
      for (CodeRange e : seg.exprs)
        BANTAM_TRY(withContext(validation::validateConstExpr(m, e, seg.type, refs), ctx));
    } else {
      if (seg.type != ValType::FuncRef) return invalid("type mismatch", ctx);
      for (uint32_t f : seg.funcIndices) {
        if (f >= m.funcSpace.size()) return invalid(unknownIndexMessage("function", f), ctx);
        refs[f] = true;
      }
    }
    if (seg.mode == SegmentMode::Active) {
      if (seg.table.value >= m.tableSpace.size()) return invalid(unknownIndexMessage("table", seg.table.value), ctx);
      if (m.tableSpace[seg.table.value].elemType != seg.type) return invalid("type mismatch", ctx);
      BANTAM_TRY(withContext(validation::validateConstExpr(m, seg.offset, ValType::I32, refs), ctx));
    }
  }
  return {};
}

Result<void> validateDatas(const Module& m, std::vector<bool>& refs) {
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& seg = m.datas[i];
    if (seg.mode != SegmentMode::Active) continue;
    std::string ctx = indexed("in data segment", i);
    if (seg.memory.value >= m.memorySpace.size()) return invalid(unknownIndexMessage("memory", seg.memory.value), ctx);
    BANTAM_TRY(withContext(validation::validateConstExpr(m, seg.offset, ValType::I32, refs), ctx));
  }
  return {};
}

Result<void> validateStart(const Module& m) {
  if (!m.start) return {};
  uint32_t f = m.start->value;
  if (f >= m.funcSpace.size()) return invalid(unknownIndexMessage("function", f), "in start section");
  uint32_t typeIdx = m.funcSpace[f].value;
  if (typeIdx >= m.types.size()) return invalid(unknownIndexMessage("type", typeIdx), "in start section");
  const FuncType& t = m.types[typeIdx];
  if (!t.params.empty() || !t.results.empty()) return invalid("start function", "in start section");
  return {};
}

// Exports (§3.4.8): indices in range and names unique. Exported functions join C.refs.
Result<void> validateExports(const Module& m, std::vector<bool>& refs) {
  for (const Export& e : m.exports) {
    std::string_view what;
    size_t limit = 0;
    switch (e.kind) {
      case ExternKind::Func: what = "function"; limit = m.funcSpace.size(); break;
      case ExternKind::Table: what = "table"; limit = m.tableSpace.size(); break;
      case ExternKind::Memory: what = "memory"; limit = m.memorySpace.size(); break;
      case ExternKind::Global: what = "global"; limit = m.globalSpace.size(); break;
    }
    if (e.index >= limit) return invalid(unknownIndexMessage(what, e.index), "in export \"" + e.name + "\"");
    if (e.kind == ExternKind::Func) refs[e.index] = true;
  }
  // Sorting views is O(n log n) with one allocation; a hash set would allocate per name.
  std::vector<std::string_view> names;
  names.reserve(m.exports.size());
  for (const Export& e : m.exports) names.push_back(e.name);
  std::ranges::sort(names);
  auto dup = std::ranges::adjacent_find(names);
  if (dup != names.end()) return invalid("duplicate export name", "in export \"" + std::string(*dup) + "\"");
  return {};
}

// The decoder fills the index spaces; a Module built by hand with inconsistent ones would
// make every later lookup unsafe, so check the invariant once.
Result<void> checkIndexSpaces(const Module& m) {
  if (m.funcSpace.size() != m.numImportedFuncs + m.functions.size() ||
      m.tableSpace.size() != m.numImportedTables + m.tables.size() ||
      m.memorySpace.size() != m.numImportedMemories + m.memories.size() ||
      m.globalSpace.size() != m.numImportedGlobals + m.globals.size())
    return std::unexpected(Error::make(ErrorKind::Usage, "module index spaces are inconsistent with its imports and definitions"));
  return {};
}

}  // namespace

Result<void> validateModule(const Module& module) {
  BANTAM_TRY(checkIndexSpaces(module));
  BANTAM_TRY(validateTypes(module));
  BANTAM_TRY(validateImports(module));
  validation::ModuleContext ctx{module, std::vector<bool>(module.funcSpace.size(), false)};
  BANTAM_TRY(validateDefinitions(module, ctx.declaredFuncRefs));
  BANTAM_TRY(validateElems(module, ctx.declaredFuncRefs));
  BANTAM_TRY(validateDatas(module, ctx.declaredFuncRefs));
  BANTAM_TRY(validateStart(module));
  BANTAM_TRY(validateExports(module, ctx.declaredFuncRefs));

  validation::FuncValidator fv(ctx);
  for (uint32_t i = 0; i < module.functions.size(); ++i) BANTAM_TRY(fv.validateFunction(i));
  return {};
}

}  // namespace bantam::wasm
