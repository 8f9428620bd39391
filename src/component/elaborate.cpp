// The elaborator's driver: component scopes and their definitions, component instances,
// aliases, imports and exports (Explainer "Instance Definitions", "Alias Definitions",
// "Import and Export Definitions").
#include "component/elaborate.h"

#include "component/elaborator.h"

namespace bantam::component {

namespace elab {

const Item* InstanceVal::find(std::string_view name) const {
  for (const auto& [n, item] : exports)
    if (n == name) return &item;
  return nullptr;
}

namespace {

const char* itemKindName(Item::Kind k) {
  switch (k) {
    case Item::Kind::Func: return "func";
    case Item::Kind::Type: return "type";
    case Item::Kind::Instance: return "instance";
    case Item::Kind::Component: return "component";
    case Item::Kind::Module: return "core module";
  }
  return "?";
}

bool sortMatches(Sort sort, Item::Kind kind) {
  switch (sort) {
    case Sort::Func: return kind == Item::Kind::Func;
    case Sort::Type: return kind == Item::Kind::Type;
    case Sort::Instance: return kind == Item::Kind::Instance;
    case Sort::Component: return kind == Item::Kind::Component;
    case Sort::CoreModule: return kind == Item::Kind::Module;
    default: return false;
  }
}

template <class T>
Result<T> at(const std::vector<T>& v, uint32_t i, const char* what, uint64_t offset, const Elaborator& e) {
  if (i >= v.size())
    return e.invalid(offset, std::string("unknown ") + what + " " + std::to_string(i) + " (there are " +
                                 std::to_string(v.size()) + ")");
  return v[i];
}

PlanExportItem exportItem(const Item& item) {
  PlanExportItem out;
  switch (item.kind) {
    case Item::Kind::Func:
      out.kind = ExternTypeInfo::Kind::Func;
      out.func = item.func;
      out.funcType = item.funcType;
      break;
    case Item::Kind::Type:
      out.kind = ExternTypeInfo::Kind::Type;
      out.value = item.type.kind == TypeItem::Kind::Value ? item.type.value : nullptr;
      out.resource = item.type.kind == TypeItem::Kind::Resource ? item.type.resource : ResourceId{};
      break;
    case Item::Kind::Instance: {
      out.kind = ExternTypeInfo::Kind::Instance;
      auto inst = std::make_shared<PlanExportInstance>();
      for (const auto& [name, child] : item.instance->exports) inst->exports.emplace_back(name, exportItem(child));
      out.instance = std::move(inst);
      break;
    }
    case Item::Kind::Component: out.kind = ExternTypeInfo::Kind::Component; break;
    case Item::Kind::Module: out.kind = ExternTypeInfo::Kind::Module; break;
  }
  return out;
}

}  // namespace

Elaborator::Elaborator(const DecodedComponent& decoded, ComponentPlan& plan) : decoded_(decoded), plan_(plan) {
  if (!plan_.types) plan_.types = std::make_shared<TypeArena>();
}

std::unexpected<Error> Elaborator::invalid(uint64_t offset, std::string message) const {
  return failAt(ErrorKind::Invalid, offset, std::move(message));
}

Result<void> Elaborator::spend(uint64_t offset, uint64_t units) {
  if (budget_ < units)
    return failAt(ErrorKind::Limit, offset,
                  "component elaboration budget exhausted (too many nested instantiations of nested components)");
  budget_ -= units;
  return {};
}

Scope* Elaborator::outerScope(Scope& s, uint32_t count, uint64_t offset, bool& crossesComponent) {
  Scope* target = &s;
  crossesComponent = false;
  for (uint32_t i = 0; i < count; ++i) {
    if (target->kind == Scope::Kind::Component) crossesComponent = true;
    if (!target->parent) return nullptr;
    target = target->parent.get();
  }
  return target;
}

Result<void> Elaborator::root() {
  ImportBinding binding;
  binding.mode = ImportBinding::Mode::Root;
  auto inst = BANTAM_TRY(component(*decoded_.root, nullptr, binding, kNone, decoded_.root->name));
  for (const auto& [name, item] : inst->exports) {
    PlanExport e;
    e.name = BANTAM_TRY(ExternName::parse(name));
    e.item = exportItem(item);
    plan_.exports.push_back(std::move(e));
  }
  return {};
}

Result<std::shared_ptr<const InstanceVal>> Elaborator::component(const ComponentAst& ast, std::shared_ptr<Scope> outer,
                                                                 const ImportBinding& binding, uint32_t parentInstance,
                                                                 std::string name) {
  BANTAM_TRY(spend(ast.offset, 1 + ast.defs.size()));
  if (depth_ >= 256) return failAt(ErrorKind::Limit, ast.offset, "component instantiations nested too deeply");
  ++depth_;
  auto s = std::make_shared<Scope>();
  s->kind = Scope::Kind::Component;
  s->parent = std::move(outer);
  s->instance = static_cast<uint32_t>(plan_.instances.size());
  plan_.instances.push_back({parentInstance, name.empty() ? "component instance " + std::to_string(s->instance) : name});
  std::vector<std::pair<std::string, Item>> exports;
  for (const Definition& d : ast.defs) {
    auto r = definition(s, ast, d, binding, exports);
    if (!r) {
      --depth_;
      return std::unexpected(std::move(r.error()));
    }
  }
  --depth_;
  auto inst = std::make_shared<InstanceVal>();
  inst->exports = std::move(exports);
  return inst;
}

// Validates a component definition on its own, its imports bound to fresh abstract items.
// What this adds to the plan is dropped (resources stay: their ids must remain unique).
Result<void> Elaborator::validateDefinition(const ComponentAst& ast, const std::shared_ptr<Scope>& outer) {
  if (!validated_.insert(&ast).second) return {};
  size_t instances = plan_.instances.size(), coreInstances = plan_.coreInstances.size(),
         liftings = plan_.liftings.size(), lowerings = plan_.lowerings.size(), builtins = plan_.builtins.size(),
         importFuncs = plan_.importFuncs.size();
  ImportBinding generic;
  auto r = component(ast, outer, generic, kNone, ast.name);
  plan_.instances.resize(instances);
  plan_.coreInstances.resize(coreInstances);
  plan_.liftings.resize(liftings);
  plan_.lowerings.resize(lowerings);
  plan_.builtins.resize(builtins);
  plan_.importFuncs.resize(importFuncs);
  if (!r) return std::unexpected(std::move(r.error()));
  return {};
}

Result<void> Elaborator::definition(const std::shared_ptr<Scope>& s, const ComponentAst& ast, const Definition& d,
                                    const ImportBinding& binding, std::vector<std::pair<std::string, Item>>& exports) {
  switch (d.kind) {
    case Definition::Kind::CoreModule: {
      const CoreModuleAst& m = *ast.modules[d.index];
      s->coreModules.push_back({&m, moduleType(m)});
      return {};
    }
    case Definition::Kind::CoreInstance: return coreInstanceDef(*s, d.coreInstance, d.offset);
    case Definition::Kind::CoreType: return coreTypeDef(*s, *ast.coreTypes[d.index], d.offset);
    case Definition::Kind::Component: {
      const ComponentAst& c = *ast.components[d.index];
      BANTAM_TRY(validateDefinition(c, s));
      Item item;
      item.kind = Item::Kind::Component;
      auto val = std::make_shared<ComponentVal>();
      val->ast = &c;
      val->scope = s;
      item.component = std::move(val);
      s->components.push_back(std::move(item));
      return {};
    }
    case Definition::Kind::Instance: return instanceDef(s, d.instance, d.offset);
    case Definition::Kind::Alias: return aliasDef(*s, d.alias, d.offset, false);
    case Definition::Kind::Type: {
      TypeItem t = BANTAM_TRY(typeDef(s, *ast.types[d.index], false));
      s->types.push_back(std::move(t));
      return {};
    }
    case Definition::Kind::Canon: return canonDef(*s, d.canon, d.offset);
    case Definition::Kind::Import: return importDef(*s, d.import, binding, d.offset);
    case Definition::Kind::Export: return exportDef(*s, d.exportDef, exports, d.offset);
  }
  return {};
}

Result<Item> Elaborator::itemAt(Scope& s, SortIdx si, uint64_t offset) {
  switch (si.sort) {
    case Sort::Func: return at(s.funcs, si.index, "func", offset, *this);
    case Sort::Instance: return at(s.instances, si.index, "instance", offset, *this);
    case Sort::Component: return at(s.components, si.index, "component", offset, *this);
    case Sort::Type: {
      Item item;
      item.kind = Item::Kind::Type;
      item.type = BANTAM_TRY(at(s.types, si.index, "type", offset, *this));
      return item;
    }
    case Sort::CoreModule: {
      Item item;
      item.kind = Item::Kind::Module;
      item.module = BANTAM_TRY(at(s.coreModules, si.index, "core module", offset, *this));
      return item;
    }
    default:
      return invalid(offset, std::string("a ") + sortName(si.sort) +
                                 " cannot be exported from or passed to a component (only core modules among core sorts)");
  }
}

void Elaborator::pushItem(Scope& s, const Item& item) {
  switch (item.kind) {
    case Item::Kind::Func: s.funcs.push_back(item); break;
    case Item::Kind::Type: s.types.push_back(item.type); break;
    case Item::Kind::Instance: s.instances.push_back(item); break;
    case Item::Kind::Component: s.components.push_back(item); break;
    case Item::Kind::Module: s.coreModules.push_back(item.module); break;
  }
}

// Binary.md: [constructor]/[method]/[static] names only on functions of a preceding resource
// of the same scope, with the constructor's result and the method's `self` checked.
Result<void> Elaborator::checkName(Scope& s, const ExternName& name, const Item* item, bool isImport, uint64_t offset) {
  using K = ExternName::Kind;
  if (name.kind == K::Label && item && item->kind == Item::Kind::Type && item->type.kind == TypeItem::Kind::Resource) {
    s.resourceNames[name.text] = item->type.resource;
    PlanResource& r = plan_.resources[item->type.resource.value];
    if (r.kind == PlanResource::Kind::Defined && r.name == "resource") r.name = name.text;
    return {};
  }
  if (name.kind != K::Constructor && name.kind != K::Method && name.kind != K::Static) return {};
  if (!item || item->kind != Item::Kind::Func)
    return invalid(offset, "`" + name.text + "` is annotated as a function of a resource but is not a function");
  auto res = s.resourceNames.find(name.resource);
  if (res == s.resourceNames.end())
    return invalid(offset, "`" + name.text + "` refers to resource `" + name.resource +
                               "`, which is not a preceding resource " + (isImport ? "import" : "export"));
  FuncType f = item->funcType;
  if (name.kind == K::Constructor) {
    ValType r = f->result;
    if (r && r->kind == ValKind::Result) r = r->cases[0].type;
    if (!r || r->kind != ValKind::Own || !(r->resource == res->second))
      return invalid(offset, "`" + name.text + "` must return `own<" + name.resource + ">` or a result of it");
  } else if (name.kind == K::Method) {
    if (f->params.empty() || f->params[0].name != "self" || f->params[0].type->kind != ValKind::Borrow ||
        !(f->params[0].type->resource == res->second))
      return invalid(offset, "`" + name.text + "` must take `self: borrow<" + name.resource + ">` first");
  }
  return {};
}

Result<void> Elaborator::importDef(Scope& s, const ImportDef& d, const ImportBinding& binding, uint64_t offset) {
  auto parsed = ExternName::parse(d.name.name);
  if (!parsed) return failAt(parsed.error().kind, offset, parsed.error().message);
  ExternName name = std::move(*parsed);
  ExternTypeDesc desc = BANTAM_TRY(externDesc(s, d.desc, offset));
  if (!s.importKeys.insert(uniquenessKey(name.text)).second)
    return invalid(offset, "import name `" + name.text + "` conflicts with a previous import name");
  Item item;
  switch (binding.mode) {
    case ImportBinding::Mode::Args: {
      const Item* arg = nullptr;
      for (const auto& [argName, argItem] : *binding.args)
        if (argName == name.text) arg = &argItem;
      if (!arg) return invalid(offset, "missing instantiation argument for import `" + name.text + "`");
      Subst map;
      BANTAM_TRY(checkSubtype(*arg, desc, map, "instantiation argument `" + name.text + "`", offset));
      item = *arg;
      break;
    }
    case ImportBinding::Mode::Root: {
      if (desc.kind == ExternTypeDesc::Kind::Component || desc.kind == ExternTypeDesc::Kind::Module)
        return failAt(ErrorKind::Unsupported, offset,
                      "unsupported component feature: importing a " +
                          std::string(desc.kind == ExternTypeDesc::Kind::Module ? "core module" : "component") +
                          " (`" + name.text + "`) into the root component; a host provides instances, functions and types");
      Origin origin;
      origin.root = true;
      origin.import = static_cast<uint32_t>(plan_.imports.size());
      Subst map;
      ExternTypeDesc inst = instantiateDesc(desc, map, nullptr, origin);
      item = itemFromDesc(inst, origin);
      PlanImport imp;
      imp.name = name;
      imp.attributes = d.name;
      imp.type = typeInfo(inst);
      plan_.imports.push_back(std::move(imp));
      break;
    }
    case ImportBinding::Mode::Generic: {
      Origin origin;
      Subst map;
      item = itemFromDesc(instantiateDesc(desc, map, nullptr, origin), origin);
      break;
    }
  }
  BANTAM_TRY(checkName(s, name, &item, true, offset));
  pushItem(s, item);
  return {};
}

Result<void> Elaborator::exportDef(Scope& s, const ExportDef& d, std::vector<std::pair<std::string, Item>>& exports,
                                   uint64_t offset) {
  auto parsed = ExternName::parse(d.name.name);
  if (!parsed) return failAt(parsed.error().kind, offset, parsed.error().message);
  ExternName name = std::move(*parsed);
  if (!s.exportKeys.insert(uniquenessKey(name.text)).second)
    return invalid(offset, "export name `" + name.text + "` conflicts with a previous export name");
  Item item = BANTAM_TRY(itemAt(s, d.item, offset));
  if (d.ascribed) {
    ExternTypeDesc desc = BANTAM_TRY(externDesc(s, *d.ascribed, offset));
    Subst map;
    BANTAM_TRY(checkSubtype(item, desc, map, "export `" + name.text + "`", offset));
    // An ascribed function type replaces the inferred one: its types name the exported
    // (externally visible) resources and records.
    if (item.kind == Item::Kind::Func && desc.kind == ExternTypeDesc::Kind::Func) item.funcType = desc.func;
  }
  BANTAM_TRY(checkName(s, name, &item, false, offset));
  if (item.kind == Item::Kind::Func && item.func.kind == FuncRef::Kind::Lifted &&
      plan_.liftings[item.func.index].name.empty())
    plan_.liftings[item.func.index].name = name.text;
  exports.emplace_back(name.text, item);
  pushItem(s, item);
  return {};
}

Result<void> Elaborator::instanceDef(const std::shared_ptr<Scope>& s, const InstanceDef& d, uint64_t offset) {
  Item result;
  result.kind = Item::Kind::Instance;
  if (d.instantiate) {
    Item comp = BANTAM_TRY(at(s->components, d.component, "component", offset, *this));
    std::vector<std::pair<std::string, Item>> args;
    std::set<std::string> seen;
    for (const auto& [argName, si] : d.args) {
      if (!seen.insert(argName).second) return invalid(offset, "duplicate instantiation argument `" + argName + "`");
      args.emplace_back(argName, BANTAM_TRY(itemAt(*s, si, offset)));
    }
    const ComponentVal& cv = *comp.component;
    if (cv.ast) {
      ImportBinding binding;
      binding.mode = ImportBinding::Mode::Args;
      binding.args = &args;
      auto r = component(*cv.ast, cv.scope, binding, s->instance, cv.ast->name);
      if (!r) {
        Error e = std::move(r.error());
        if (e.context.empty()) e.context = "while instantiating component " + std::to_string(d.component);
        return std::unexpected(std::move(e));
      }
      result.instance = *r;
    } else {
      // An abstract (imported) component: check the arguments against its type and give
      // the instance fresh abstract exports.
      Subst map;
      for (const auto& [impName, desc] : cv.type->imports) {
        const Item* arg = nullptr;
        for (const auto& [argName, argItem] : args)
          if (argName == impName) arg = &argItem;
        if (!arg) return invalid(offset, "missing instantiation argument for import `" + impName + "`");
        BANTAM_TRY(checkSubtype(*arg, desc, map, "instantiation argument `" + impName + "`", offset));
      }
      auto inst = std::make_shared<InstanceVal>();
      Origin origin;
      for (const auto& [expName, desc] : cv.type->exports)
        inst->exports.emplace_back(expName, itemFromDesc(instantiateDesc(desc, map, nullptr, origin), origin));
      result.instance = std::move(inst);
    }
  } else {
    auto inst = std::make_shared<InstanceVal>();
    std::set<std::string> keys;
    for (const auto& [n, si] : d.exports) {
      auto parsed = ExternName::parse(n.name);
      if (!parsed) return failAt(parsed.error().kind, offset, parsed.error().message);
      if (!keys.insert(uniquenessKey(n.name)).second)
        return invalid(offset, "export name `" + n.name + "` conflicts with a previous export name");
      inst->exports.emplace_back(n.name, BANTAM_TRY(itemAt(*s, si, offset)));
    }
    result.instance = std::move(inst);
  }
  s->instances.push_back(std::move(result));
  return {};
}

Result<void> Elaborator::aliasDef(Scope& s, const Alias& a, uint64_t offset, bool inTypeScope) {
  switch (a.target) {
    case Alias::Target::Export: {
      if (inTypeScope && a.sort != Sort::Instance && a.sort != Sort::Type)
        return invalid(offset, "export aliases in component and instance types may only alias instances and types");
      Item inst = BANTAM_TRY(at(s.instances, a.instance, "instance", offset, *this));
      const Item* item = inst.instance->find(a.name);
      if (!item) return invalid(offset, "instance " + std::to_string(a.instance) + " has no export named `" + a.name + "`");
      if (!sortMatches(a.sort, item->kind))
        return invalid(offset, "export `" + a.name + "` of instance " + std::to_string(a.instance) + " is a " +
                                   itemKindName(item->kind) + ", not a " + sortName(a.sort));
      pushItem(s, *item);
      return {};
    }
    case Alias::Target::CoreExport: {
      if (inTypeScope) return invalid(offset, "core export aliases are not allowed in component and instance types");
      CoreInstanceItem inst = BANTAM_TRY(at(s.coreInstances, a.instance, "core instance", offset, *this));
      auto it = inst.exports->find(a.name);
      if (it == inst.exports->end())
        return invalid(offset, "core instance " + std::to_string(a.instance) + " has no export named `" + a.name + "`");
      static const Sort kinds[] = {Sort::CoreFunc, Sort::CoreTable, Sort::CoreMemory, Sort::CoreGlobal};
      if (a.sort != kinds[static_cast<int>(it->second.type.kind)])
        return invalid(offset, "export `" + a.name + "` of core instance " + std::to_string(a.instance) + " is a core " +
                                   wasm::externKindName(it->second.type.kind) + ", not a " + sortName(a.sort));
      pushCoreItem(s, it->second);
      return {};
    }
    case Alias::Target::Outer: {
      bool allowed = inTypeScope ? (a.sort == Sort::CoreType || a.sort == Sort::Type)
                                 : (a.sort == Sort::CoreModule || a.sort == Sort::CoreType ||
                                    a.sort == Sort::Component || a.sort == Sort::Type);
      if (!allowed) return invalid(offset, std::string("outer aliases cannot alias a ") + sortName(a.sort));
      bool crosses = false;
      Scope* target = outerScope(s, a.outerCount, offset, crosses);
      if (!target) return invalid(offset, "outer alias count " + std::to_string(a.outerCount) + " exceeds the enclosing scopes");
      switch (a.sort) {
        case Sort::CoreModule:
          s.coreModules.push_back(BANTAM_TRY(at(target->coreModules, a.outerIndex, "core module", offset, *this)));
          return {};
        case Sort::CoreType:
          s.coreTypes.push_back(BANTAM_TRY(at(target->coreTypes, a.outerIndex, "core type", offset, *this)));
          return {};
        case Sort::Component:
          s.components.push_back(BANTAM_TRY(at(target->components, a.outerIndex, "component", offset, *this)));
          return {};
        default: {
          TypeItem t = BANTAM_TRY(at(target->types, a.outerIndex, "type", offset, *this));
          if (crosses && a.outerCount > 0 && refersToResources(t))
            return invalid(offset, "outer alias of type " + std::to_string(a.outerIndex) +
                                       " crosses a component boundary but refers to a resource type");
          s.types.push_back(std::move(t));
          return {};
        }
      }
    }
  }
  return {};
}

}  // namespace elab

Result<ComponentPlan> elaborateComponent(const DecodedComponent& decoded) {
  ComponentPlan plan;
  elab::Elaborator e(decoded, plan);
  BANTAM_TRY(e.root());
  return plan;
}

}  // namespace bantam::component
