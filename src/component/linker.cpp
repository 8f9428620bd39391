// The component linker: host interfaces (declared from WIT, implemented by HostFuncs),
// component-to-component links, and import resolution with version matching and type
// checking (ComponentLinker::prepare).
#include <deque>
#include <map>
#include <set>

#include "component/component.h"
#include "component/prepared.h"

namespace bantam::component {

struct ComponentLinker::State {
  struct HostInterface {
    InterfaceDecl decl;
    std::shared_ptr<const TypeUniverse> universe;
    std::map<std::string, std::shared_ptr<const HostFunc>, std::less<>> impls;
  };
  struct RootFunc {
    std::shared_ptr<const TypeUniverse> universe;
    FuncType type = nullptr;
    std::shared_ptr<const HostFunc> impl;
  };
  struct Provided {
    ComponentInstance* provider = nullptr;
    const PlanExportItem* item = nullptr;
    ExternName name;
  };
  std::deque<HostInterface> interfaces;
  // The run-time resource types of each universe, by ResourceId.
  std::map<const TypeUniverse*, std::vector<std::unique_ptr<ResourceType>>> resourceTypes;
  std::map<std::string, RootFunc, std::less<>> rootFuncs;
  std::vector<Provided> provided;

  // The declaration a host function of `fullName` belongs to: the exact name, else the
  // declaration that serves that version (defining "wasi:cli/stdout@0.2.0" or the
  // unversioned "wasi:cli/stdout" implements the newest declared compatible one).
  HostInterface* find(std::string_view fullName) {
    for (HostInterface& i : interfaces)
      if (i.decl.fullName() == fullName) return &i;
    auto name = ExternName::parse(fullName);
    if (!name || !name->isInterface()) return nullptr;
    if (!name->version) {
      HostInterface* best = nullptr;
      for (HostInterface& i : interfaces)
        if (i.decl.name == name->unversioned() &&
            (!best || (i.decl.version && (!best->decl.version || i.decl.version->compare(*best->decl.version) > 0))))
          best = &i;
      return best;
    }
    return const_cast<HostInterface*>(select(*name));
  }
  const ResourceType* rt(const TypeUniverse* u, ResourceId id) const {
    auto it = resourceTypes.find(u);
    if (it == resourceTypes.end() || id.value >= it->second.size()) return nullptr;
    return it->second[id.value].get();
  }
  // The host interface that serves an import of `name`: same interface, the highest
  // version that serves the requested one (0.2.12 serves 0.2.3).
  const HostInterface* select(const ExternName& name) const {
    const HostInterface* best = nullptr;
    for (const HostInterface& i : interfaces) {
      if (i.decl.name != name.unversioned()) continue;
      if (name.version) {
        if (!i.decl.version || !i.decl.version->serves(*name.version)) continue;
        if (!best || i.decl.version->compare(*best->decl.version) > 0) best = &i;
      } else if (!i.decl.version) {
        best = &i;
      }
    }
    return best;
  }
};

ComponentLinker::ComponentLinker() : state_(std::make_shared<State>()) {}
ComponentLinker::~ComponentLinker() = default;

Result<void> ComponentLinker::addInterfaces(const InterfaceSet& set) {
  auto& rts = state_->resourceTypes[set.universe.get()];
  for (size_t i = rts.size(); i < set.universe->resources.size(); ++i) {
    auto rt = std::make_unique<ResourceType>();
    rt->name = set.universe->resources[i].interface + "#" + set.universe->resources[i].name;
    rts.push_back(std::move(rt));
  }
  for (const InterfaceDecl& d : set.interfaces) {
    if (state_->find(d.fullName())) return fail(ErrorKind::Usage, "interface `" + d.fullName() + "` is declared twice");
    state_->interfaces.push_back({d, set.universe, {}});
  }
  return {};
}

Result<void> ComponentLinker::defineFunc(std::string_view interface, std::string_view func, HostFunc impl) {
  State::HostInterface* i = state_->find(interface);
  if (!i)
    return fail(ErrorKind::Usage, "interface `" + std::string(interface) + "` is not declared (add its WIT first)");
  if (!i->decl.findFunc(func))
    return fail(ErrorKind::Usage, "interface `" + std::string(interface) + "` has no function `" + std::string(func) + "`");
  i->impls.insert_or_assign(std::string(func), std::make_shared<const HostFunc>(std::move(impl)));
  return {};
}

Result<const ResourceType*> ComponentLinker::defineResource(std::string_view interface, std::string_view resource,
                                                            std::function<void(uint32_t)> dtor) {
  State::HostInterface* i = state_->find(interface);
  if (!i) return fail(ErrorKind::Usage, "interface `" + std::string(interface) + "` is not declared");
  const InterfaceDecl::NamedType* t = i->decl.findType(resource);
  if (!t || !t->resource.valid())
    return fail(ErrorKind::Usage, "interface `" + std::string(interface) + "` has no resource `" + std::string(resource) + "`");
  auto* rt = const_cast<ResourceType*>(state_->rt(i->universe.get(), t->resource));
  rt->hostDtor = std::move(dtor);
  rt->hostDtorIn = {};
  return rt;
}

Result<const ResourceType*> ComponentLinker::defineResource(std::string_view interface, std::string_view resource,
                                                            std::function<void(ComponentInstance&, uint32_t)> dtor) {
  const ResourceType* rt = BANTAM_TRY(defineResource(interface, resource, std::function<void(uint32_t)>{}));
  const_cast<ResourceType*>(rt)->hostDtorIn = std::move(dtor);
  return rt;
}

const ResourceType* ComponentLinker::resource(std::string_view interface, std::string_view resource) const {
  State::HostInterface* i = state_->find(interface);
  if (!i) return nullptr;
  const InterfaceDecl::NamedType* t = i->decl.findType(resource);
  if (!t || !t->resource.valid()) return nullptr;
  return state_->rt(i->universe.get(), t->resource);
}

Result<void> ComponentLinker::defineRootFunc(std::string_view name, std::shared_ptr<const TypeUniverse> universe,
                                             FuncType type, HostFunc impl) {
  auto& rts = state_->resourceTypes[universe.get()];
  for (size_t i = rts.size(); i < universe->resources.size(); ++i) {
    auto rt = std::make_unique<ResourceType>();
    rt->name = universe->resources[i].name;
    rts.push_back(std::move(rt));
  }
  state_->rootFuncs.insert_or_assign(std::string(name),
                                     State::RootFunc{std::move(universe), type, std::make_shared<const HostFunc>(std::move(impl))});
  return {};
}

Result<void> ComponentLinker::defineInstance(ComponentInstance& provider, std::string_view exportName,
                                             std::string_view as) {
  std::optional<ExternName> alias;
  if (!as.empty()) {
    if (exportName.empty()) return fail(ErrorKind::Usage, "defineInstance: `as` needs the name of one export");
    alias = BANTAM_TRY(ExternName::parse(as));
  }
  bool any = false;
  for (const PlanExport& e : provider.compiled().plan.exports) {
    if (e.item.kind != ExternTypeInfo::Kind::Instance) continue;
    if (!exportName.empty() && e.name.text != exportName) continue;
    state_->provided.push_back({&provider, &e.item, alias ? *alias : e.name});
    any = true;
  }
  if (!any)
    return fail(ErrorKind::Usage, exportName.empty() ? std::string("the component instance exports no instances")
                                                     : "the component instance has no exported instance `" +
                                                           std::string(exportName) + "`");
  return {};
}

std::vector<std::string> ComponentLinker::missingFuncs(std::string_view interface) const {
  std::vector<std::string> out;
  if (State::HostInterface* i = state_->find(interface))
    for (const auto& [name, type] : i->decl.funcs)
      if (!i->impls.count(name)) out.push_back(name);
  return out;
}

namespace {

std::unexpected<Error> unlinkable(const PlanImport& imp, std::string message) {
  return std::unexpected(Error::make(ErrorKind::Unlinkable, std::move(message)).withContext("import `" + imp.name.text + "`"));
}

bool isOwnResource(const ComponentPlan& plan, ResourceId id, uint32_t import, const std::string& name) {
  const PlanResource& r = plan.resources[id.value];
  return r.kind == PlanResource::Kind::Imported && r.import == import && r.path.size() == 1 && r.path[0] == name;
}

// Binds a resource export of import `i`: the import's own (sub resource) resources take the
// provider's type; an (eq ...) alias of an earlier import's resource must already match.
Result<void> bindResource(ComponentPre& pre, const PlanImport& imp, uint32_t i, const std::string& name, ResourceId id,
                          const ResourceType* rt) {
  const ComponentPlan& plan = pre.compiled->plan;
  if (!rt) return unlinkable(imp, "`" + name + "` is not a resource type of the provider");
  if (isOwnResource(plan, id, i, name) || !pre.resources[id.value]) {
    pre.resources[id.value] = rt;
    return {};
  }
  if (pre.resources[id.value] != rt)
    return unlinkable(imp, "resource `" + name + "` is `" + rt->name + "` in the provider but `" +
                               pre.resources[id.value]->name + "` in the component's other imports");
  return {};
}

}  // namespace

Result<std::shared_ptr<const ComponentPre>> ComponentLinker::prepare(std::shared_ptr<const CompiledComponent> component) const {
  return prepare(std::move(component), true);
}

Result<std::shared_ptr<const ComponentPre>> ComponentLinker::prepare(std::shared_ptr<const CompiledComponent> component,
                                                                     bool prepareCoreState) const {
  auto pre = std::make_shared<ComponentPre>();
  pre->compiled = component;
  pre->keepAlive = state_;
  const ComponentPlan& plan = component->plan;
  pre->funcs.resize(plan.importFuncs.size());
  pre->resources.assign(plan.resources.size(), nullptr);
  // The import functions of each (import, name).
  std::map<std::pair<uint32_t, std::string>, std::vector<uint32_t>> funcsOf;
  for (uint32_t k = 0; k < plan.importFuncs.size(); ++k) {
    const PlanImportFunc& f = plan.importFuncs[k];
    funcsOf[{f.import, f.path.empty() ? std::string() : f.path[0]}].push_back(k);
  }
  auto guestRt = [&](ResourceId g) { return pre->resources[g.value]; };

  for (uint32_t i = 0; i < plan.imports.size(); ++i) {
    const PlanImport& imp = plan.imports[i];
    if (imp.type.kind == ExternTypeInfo::Kind::Func) {
      auto it = state_->rootFuncs.find(imp.name.text);
      if (it == state_->rootFuncs.end()) return unlinkable(imp, "unknown import: the host defines no function `" + imp.name.text + "`");
      const State::RootFunc& rf = it->second;
      ResourceEq same = [&](ResourceId g, ResourceId h) {
        return guestRt(g) && guestRt(g) == state_->rt(rf.universe.get(), h);
      };
      if (!funcTypesEqual(imp.type.func, rf.type, same))
        return unlinkable(imp, "type mismatch: the component imports " + funcTypeToString(imp.type.func) +
                                   ", the host defines " + funcTypeToString(rf.type));
      for (uint32_t k : funcsOf[{i, std::string()}]) pre->funcs[k].host = rf.impl;
      continue;
    }
    if (imp.type.kind != ExternTypeInfo::Kind::Instance)
      return unlinkable(imp, "unsupported import kind: a host provides instances and functions");

    // Another component instance's export?
    const State::Provided* provided = nullptr;
    for (const State::Provided& p : state_->provided) {
      if (p.name.text == imp.name.text) provided = &p;
      else if (!provided && p.name.isInterface() && imp.name.isInterface() && p.name.unversioned() == imp.name.unversioned() &&
               p.name.version && imp.name.version && p.name.version->serves(*imp.name.version))
        provided = &p;
    }
    if (provided) {
      ComponentInstance& prov = *provided->provider;
      ResourceEq same = [&](ResourceId g, ResourceId h) { return guestRt(g) && guestRt(g) == prov.resources()[h.value]; };
      for (const auto& [name, info] : imp.type.instance->exports) {
        const PlanExportItem* item = nullptr;
        for (const auto& [n, it] : provided->item->instance->exports)
          if (n == name) item = &it;
        if (!item) return unlinkable(imp, "the providing component instance does not export `" + name + "`");
        if (info.kind == ExternTypeInfo::Kind::Type && info.resource.valid()) {
          const ResourceType* rt = item->resource.valid() ? prov.resources()[item->resource.value] : nullptr;
          BANTAM_TRY(bindResource(*pre, imp, i, name, info.resource, rt));
        } else if (info.kind == ExternTypeInfo::Kind::Type) {
          if (!item->value || !typesEqual(info.value, item->value, same))
            return unlinkable(imp, "type `" + name + "` differs from the provider's");
        } else if (info.kind == ExternTypeInfo::Kind::Func) {
          if (item->kind != ExternTypeInfo::Kind::Func || !funcTypesEqual(info.func, item->funcType, same))
            return unlinkable(imp, "function `" + name + "` has type " + funcTypeToString(info.func) +
                                       " in the component but " +
                                       (item->funcType ? funcTypeToString(item->funcType) : std::string("no function type")) +
                                       " in the provider");
          for (uint32_t k : funcsOf[{i, name}]) {
            pre->funcs[k].provider = &prov;
            pre->funcs[k].providerRef = item->func;
          }
        } else {
          return unlinkable(imp, "nested instance `" + name + "` cannot be linked");
        }
      }
      continue;
    }

    // A host interface: by name, or by the interface the plain name `implements`.
    ExternName lookup = imp.name;
    if (!lookup.isInterface() && !imp.attributes.implements.empty()) {
      auto parsed = ExternName::parse(imp.attributes.implements);
      if (parsed) lookup = *parsed;
    }
    const State::HostInterface* host = lookup.isInterface() ? state_->select(lookup) : nullptr;
    if (!host) {
      Error e = Error::make(ErrorKind::Unlinkable, "unknown import: the host does not implement `" + imp.name.text + "`")
                    .withContext("import `" + imp.name.text + "`");
      return std::unexpected(std::move(e).withHint("a component can only run where every interface it imports is provided"));
    }
    const TypeUniverse* u = host->universe.get();
    ResourceEq same = [&](ResourceId g, ResourceId h) { return guestRt(g) && guestRt(g) == state_->rt(u, h); };
    for (const auto& [name, info] : imp.type.instance->exports) {
      switch (info.kind) {
        case ExternTypeInfo::Kind::Type: {
          const InterfaceDecl::NamedType* t = host->decl.findType(name);
          if (!t) return unlinkable(imp, "`" + host->decl.fullName() + "` has no type `" + name + "`");
          if (info.resource.valid()) {
            BANTAM_TRY(bindResource(*pre, imp, i, name, info.resource, t->resource.valid() ? state_->rt(u, t->resource) : nullptr));
          } else if (!t->value || !typesEqual(info.value, t->value, same)) {
            return unlinkable(imp, "type `" + name + "` is " + typeToString(info.value) + " in the component but " +
                                       (t->value ? typeToString(t->value) : std::string("a resource")) + " in `" +
                                       host->decl.fullName() + "`");
          }
          break;
        }
        case ExternTypeInfo::Kind::Func: {
          FuncType hostType = host->decl.findFunc(name);
          if (!hostType) return unlinkable(imp, "`" + host->decl.fullName() + "` has no function `" + name + "`");
          if (!funcTypesEqual(info.func, hostType, same))
            return unlinkable(imp, "function `" + name + "` has type " + funcTypeToString(info.func) +
                                       " in the component but " + funcTypeToString(hostType) + " in `" +
                                       host->decl.fullName() + "`");
          auto impl = host->impls.find(name);
          if (impl == host->impls.end())
            return unlinkable(imp, "the host declares but does not implement `" + host->decl.fullName() + "#" + name + "`");
          for (uint32_t k : funcsOf[{i, name}]) pre->funcs[k].host = impl->second;
          break;
        }
        default: return unlinkable(imp, "`" + name + "`: nested instances, components and modules cannot be imported from the host");
      }
    }
  }
  for (uint32_t k = 0; k < plan.importFuncs.size(); ++k)
    if (!pre->funcs[k].host && !pre->funcs[k].provider)
      return fail(ErrorKind::Unlinkable, "import function " + std::to_string(k) + " is not linked");
  if (prepareCoreState && preparedCoreModulesEnabled()) pre->prepared = BANTAM_TRY(prepareCoreModules(*component));
  return std::shared_ptr<const ComponentPre>(std::move(pre));
}

Result<std::unique_ptr<ComponentInstance>> ComponentLinker::instantiate(runtime::Store& store,
                                                                        std::shared_ptr<const CompiledComponent> component) const {
  auto pre = BANTAM_TRY(prepare(std::move(component), false));
  return pre->instantiate(store);
}

}  // namespace bantam::component
