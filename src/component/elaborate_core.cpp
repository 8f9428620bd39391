// The elaborator's core definitions: core modules and their types, core instances
// (instantiation with import matching, or a bag of exports), core types (function and module
// types), core index spaces.
#include "component/elaborator.h"

namespace bantam::component::elab {

namespace {

CoreExternType externOf(const wasm::Module& m, wasm::ExternKind kind, uint32_t index) {
  CoreExternType t;
  t.kind = kind;
  switch (kind) {
    case wasm::ExternKind::Func: t.func = m.funcType(wasm::FuncIdx(index)); break;
    case wasm::ExternKind::Table: t.table = m.tableSpace[index]; break;
    case wasm::ExternKind::Memory: t.memory = m.memorySpace[index]; break;
    case wasm::ExternKind::Global: t.global = m.globalSpace[index]; break;
  }
  return t;
}

std::string describe(const CoreExternType& t) {
  switch (t.kind) {
    case wasm::ExternKind::Func: return t.func.toString();
    case wasm::ExternKind::Table: return std::string("table of ") + wasm::valTypeName(t.table.elemType);
    case wasm::ExternKind::Memory: return "memory";
    case wasm::ExternKind::Global: return std::string("global ") + wasm::valTypeName(t.global.type);
  }
  return "?";
}

// Core WebAssembly limits subtyping (§4.5.2).
bool limitsMatch(const wasm::Limits& actual, const wasm::Limits& expected) {
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}

}  // namespace

std::shared_ptr<const ModuleTypeDesc> Elaborator::moduleType(const CoreModuleAst& m) {
  if (auto it = moduleTypes_.find(&m); it != moduleTypes_.end()) return it->second;
  auto t = std::make_shared<ModuleTypeDesc>();
  const wasm::Module& mod = m.module;
  for (const wasm::Import& imp : mod.imports) {
    CoreExternType e;
    e.kind = imp.kind;
    e.func = imp.kind == wasm::ExternKind::Func ? mod.types[imp.funcType.value] : wasm::FuncType{};
    e.table = imp.table;
    e.memory = imp.memory;
    e.global = imp.global;
    t->imports.push_back({{imp.module, imp.name}, e});
  }
  for (const wasm::Export& exp : mod.exports) t->exports.emplace_back(exp.name, externOf(mod, exp.kind, exp.index));
  moduleTypes_.emplace(&m, t);
  return t;
}

void Elaborator::pushCoreItem(Scope& s, const CoreItem& item) {
  switch (item.type.kind) {
    case wasm::ExternKind::Func: s.coreFuncs.push_back(item); break;
    case wasm::ExternKind::Table: s.coreTables.push_back(item); break;
    case wasm::ExternKind::Memory: s.coreMemories.push_back(item); break;
    case wasm::ExternKind::Global: s.coreGlobals.push_back(item); break;
  }
}

Result<CoreItem> Elaborator::coreItemAt(Scope& s, SortIdx si, uint64_t offset) {
  const std::vector<CoreItem>* space = nullptr;
  switch (si.sort) {
    case Sort::CoreFunc: space = &s.coreFuncs; break;
    case Sort::CoreTable: space = &s.coreTables; break;
    case Sort::CoreMemory: space = &s.coreMemories; break;
    case Sort::CoreGlobal: space = &s.coreGlobals; break;
    default:
      return invalid(offset, std::string("a core instance can only export functions, tables, memories and globals, not a ") +
                                 sortName(si.sort));
  }
  if (si.index >= space->size())
    return invalid(offset, std::string("unknown ") + sortName(si.sort) + " " + std::to_string(si.index));
  return (*space)[si.index];
}

Result<void> Elaborator::checkCoreImport(const CoreExternType& actual, const CoreExternType& expected,
                                         const std::string& what, uint64_t offset) {
  bool ok = actual.kind == expected.kind;
  if (ok) {
    switch (expected.kind) {
      case wasm::ExternKind::Func: ok = actual.func == expected.func; break;
      case wasm::ExternKind::Table:
        ok = actual.table.elemType == expected.table.elemType && limitsMatch(actual.table.limits, expected.table.limits);
        break;
      case wasm::ExternKind::Memory: ok = limitsMatch(actual.memory.limits, expected.memory.limits); break;
      case wasm::ExternKind::Global: ok = actual.global == expected.global; break;
    }
  }
  if (!ok) return invalid(offset, what + ": expected " + describe(expected) + ", found " + describe(actual));
  return {};
}

Result<void> Elaborator::coreInstanceDef(Scope& s, const CoreInstanceDef& d, uint64_t offset) {
  auto exports = std::make_shared<std::map<std::string, CoreItem>>();
  if (d.instantiate) {
    if (d.module >= s.coreModules.size()) return invalid(offset, "unknown core module " + std::to_string(d.module));
    CoreModuleItem m = s.coreModules[d.module];
    std::map<std::string, const CoreInstanceItem*> args;
    for (const auto& [name, idx] : d.args) {
      if (idx >= s.coreInstances.size()) return invalid(offset, "unknown core instance " + std::to_string(idx));
      if (!args.emplace(name, &s.coreInstances[idx]).second)
        return invalid(offset, "duplicate core instantiation argument `" + name + "`");
    }
    PlanModuleInstance planned;
    bool abstract = m.module == nullptr;
    planned.module = abstract ? 0 : m.module->id;
    for (const auto& [names, expected] : m.type->imports) {
      const auto& [modName, fieldName] = names;
      std::string what = "core instantiation import `" + modName + "` `" + fieldName + "`";
      auto arg = args.find(modName);
      if (arg == args.end()) return invalid(offset, what + ": missing instantiation argument `" + modName + "`");
      auto exp = arg->second->exports->find(fieldName);
      if (exp == arg->second->exports->end())
        return invalid(offset, what + ": the argument instance has no export named `" + fieldName + "`");
      BANTAM_TRY(checkCoreImport(exp->second.type, expected, what, offset));
      abstract |= exp->second.abstract;
      planned.imports.push_back(exp->second.def);
    }
    uint32_t index = static_cast<uint32_t>(plan_.coreInstances.size());
    if (!abstract) plan_.coreInstances.push_back(std::move(planned));
    if (m.module) {
      for (const wasm::Export& e : m.module->module.exports) {
        CoreItem item;
        item.def.kind = CoreDef::Kind::Export;
        item.def.index = index;
        item.def.externKind = e.kind;
        item.def.item = e.index;
        item.type = externOf(m.module->module, e.kind, e.index);
        item.abstract = abstract;
        exports->emplace(e.name, item);
      }
    } else {
      for (const auto& [name, type] : m.type->exports) {
        CoreItem item;
        item.type = type;
        item.abstract = true;
        exports->emplace(name, item);
      }
    }
  } else {
    for (const auto& [name, si] : d.exports) {
      CoreItem item = BANTAM_TRY(coreItemAt(s, si, offset));
      if (!exports->emplace(name, item).second)
        return invalid(offset, "duplicate export `" + name + "` in a core instance");
    }
  }
  s.coreInstances.push_back({std::move(exports)});
  return {};
}

Result<void> Elaborator::coreTypeDef(Scope& s, const CoreTypeDef& t, uint64_t offset) {
  CoreTypeItem item;
  if (t.kind == CoreTypeDef::Kind::Func) {
    item.func = t.func;
    s.coreTypes.push_back(std::move(item));
    return {};
  }
  // A module type: its own (initially empty) core type space; outer aliases reach the
  // enclosing scopes' core types.
  auto scope = std::make_shared<Scope>();
  scope->kind = Scope::Kind::ModuleType;
  auto desc = std::make_shared<ModuleTypeDesc>();
  std::set<std::string> exportNames;
  auto funcType = [&](uint32_t idx) -> Result<wasm::FuncType> {
    if (idx >= scope->coreTypes.size() || scope->coreTypes[idx].isModule)
      return invalid(offset, "core type " + std::to_string(idx) + " in a module type is not a function type");
    return scope->coreTypes[idx].func;
  };
  auto externType = [&](const CoreExternDesc& d) -> Result<CoreExternType> {
    CoreExternType e;
    e.kind = d.kind;
    if (d.kind == wasm::ExternKind::Func) e.func = BANTAM_TRY(funcType(d.funcType));
    e.table = d.table;
    e.memory = d.memory;
    e.global = d.global;
    return e;
  };
  for (const CoreModuleDecl& decl : t.decls) {
    switch (decl.kind) {
      case CoreModuleDecl::Kind::Import:
        desc->imports.push_back({{decl.module, decl.name}, BANTAM_TRY(externType(decl.desc))});
        break;
      case CoreModuleDecl::Kind::Type: {
        CoreTypeItem f;
        f.func = decl.funcType;
        scope->coreTypes.push_back(std::move(f));
        break;
      }
      case CoreModuleDecl::Kind::Alias: {
        // Count 0 is the module type itself, 1 the scope that defines it, and so on.
        Scope* target = scope.get();
        if (decl.outerCount > 0) {
          bool crosses = false;
          target = outerScope(s, decl.outerCount - 1, offset, crosses);
        }
        if (!target || decl.outerIndex >= target->coreTypes.size())
          return invalid(offset, "outer alias in a module type refers to an unknown core type");
        if (target->coreTypes[decl.outerIndex].isModule)
          return invalid(offset, "module types cannot alias core module types");
        scope->coreTypes.push_back(target->coreTypes[decl.outerIndex]);
        break;
      }
      case CoreModuleDecl::Kind::Export:
        if (!exportNames.insert(decl.name).second)
          return invalid(offset, "duplicate export `" + decl.name + "` in a module type");
        desc->exports.emplace_back(decl.name, BANTAM_TRY(externType(decl.desc)));
        break;
    }
  }
  item.isModule = true;
  item.module = std::move(desc);
  s.coreTypes.push_back(std::move(item));
  return {};
}

}  // namespace bantam::component::elab
