// Component instantiation (the plan's core instances in order, with lowered functions and
// resource built-ins created on first use) and compiling a component.
#include "component/canon.h"
#include "component/component.h"
#include "component/decode.h"
#include "component/elaborate.h"
#include "component/prepared.h"

namespace bantam::component {

namespace {

wasm::FuncType coreFuncType(const std::vector<CoreType>& params, const std::vector<CoreType>& results) {
  auto toCore = [](CoreType t) {
    switch (t) {
      case CoreType::I32: return wasm::ValType::I32;
      case CoreType::I64: return wasm::ValType::I64;
      case CoreType::F32: return wasm::ValType::F32;
      case CoreType::F64: return wasm::ValType::F64;
    }
    return wasm::ValType::I32;
  };
  wasm::FuncType f;
  for (CoreType t : params) f.params.push_back(toCore(t));
  for (CoreType t : results) f.results.push_back(toCore(t));
  return f;
}

}  // namespace

Result<std::shared_ptr<const CompiledComponent>> compileComponent(runtime::Engine& engine,
                                                                  std::span<const uint8_t> bytes, std::string name) {
  auto named = [&](Error e) { return std::unexpected(std::move(e).withSource(name)); };
  auto compiled = std::make_shared<CompiledComponent>();
  compiled->name = name;
  auto decoded = decodeComponent(bytes);
  if (!decoded) return named(std::move(decoded.error()));
  compiled->decoded = std::move(*decoded);
  auto plan = elaborateComponent(compiled->decoded);
  if (!plan) return named(std::move(plan.error()));
  compiled->plan = std::move(*plan);
  // Only the modules the plan instantiates are compiled (a nested component that is never
  // instantiated costs nothing at run time).
  compiled->modules.resize(compiled->decoded.allModules.size());
  for (const PlanModuleInstance& mi : compiled->plan.coreInstances) {
    if (compiled->modules[mi.module]) continue;
    const CoreModuleAst& m = *compiled->decoded.allModules[mi.module];
    std::string moduleName = (name.empty() ? std::string("component") : name) + "#module" + std::to_string(m.id);
    auto cm = runtime::compileModule(engine, m.module.bytes, moduleName);
    if (!cm) {
      Error e = std::move(cm.error());
      if (e.offset) *e.offset += m.offset;
      e.source.clear();
      return named(std::move(e));
    }
    compiled->modules[mi.module] = std::move(*cm);
  }
  return std::shared_ptr<const CompiledComponent>(std::move(compiled));
}

ComponentInstance::ComponentInstance(runtime::Store& store, std::shared_ptr<const CompiledComponent> compiled,
                                     std::shared_ptr<const ComponentPre> pre)
    : store_(store), compiled_(std::move(compiled)), pre_(std::move(pre)) {}

ComponentInstance::~ComponentInstance() = default;

Result<std::unique_ptr<ComponentInstance>> ComponentPre::instantiate(runtime::Store& store) const {
  std::unique_ptr<ComponentInstance> inst(new ComponentInstance(store, compiled, shared_from_this()));
  BANTAM_TRY(inst->instantiate());
  return inst;
}

Result<void> ComponentInstance::instantiate() {
  const ComponentPlan& plan = compiled_->plan;
  instances_.reserve(plan.instances.size());
  for (const PlanComponentInstance& pi : plan.instances) {
    auto ri = std::make_unique<RuntimeInstance>();
    ri->parent = pi.parent == kNone ? nullptr : instances_[pi.parent].get();
    ri->component = this;
    ri->name = pi.name;
    instances_.push_back(std::move(ri));
  }
  resources_.assign(plan.resources.size(), nullptr);
  for (size_t i = 0; i < plan.resources.size(); ++i) {
    const PlanResource& r = plan.resources[i];
    if (r.kind == PlanResource::Kind::Defined) {
      auto rt = std::make_unique<ResourceType>();
      rt->name = r.name;
      rt->impl = instances_[r.owner].get();
      resources_[i] = rt.get();
      ownResources_.push_back(std::move(rt));
    } else if (r.kind == PlanResource::Kind::Imported) {
      resources_[i] = pre_->resources[i];
      if (!resources_[i])
        return fail(ErrorKind::Unlinkable, "imported resource `" + r.name + "` was not resolved by the linker");
    }
  }
  lowered_.resize(plan.lowerings.size());
  builtins_.assign(plan.builtins.size(), nullptr);
  lifted_.resize(plan.liftings.size());
  core_.reserve(plan.coreInstances.size());
  for (size_t i = 0; i < plan.coreInstances.size(); ++i) {
    const PlanModuleInstance& mi = plan.coreInstances[i];
    std::vector<runtime::Extern> imports;
    imports.reserve(mi.imports.size());
    for (const CoreDef& d : mi.imports) imports.push_back(BANTAM_TRY(coreDef(d)));
    const runtime::MemoryImage* images = pre_->prepared ? pre_->prepared->imagesOf(mi.module) : nullptr;
    auto inst = runtime::instantiate(store_, compiled_->modules[mi.module], imports, images);
    if (!inst) {
      Error e = std::move(inst.error());
      if (e.context.empty()) e.context = "while instantiating core instance " + std::to_string(i) + " of the component";
      return std::unexpected(std::move(e).withSource(compiled_->name));
    }
    core_.push_back(*inst);
  }
  for (size_t i = 0; i < plan.resources.size(); ++i) {
    const PlanResource& r = plan.resources[i];
    if (r.kind == PlanResource::Kind::Defined && r.dtor) {
      runtime::Extern d = BANTAM_TRY(coreDef(*r.dtor));
      const_cast<ResourceType*>(resources_[i])->dtor = d.func;
    }
  }
  for (uint32_t i = 0; i < plan.liftings.size(); ++i) BANTAM_TRY(resolveLifting(i));
  return {};
}

Result<runtime::Extern> ComponentInstance::coreDef(const CoreDef& def) {
  switch (def.kind) {
    case CoreDef::Kind::Export: {
      if (def.index >= core_.size())
        return fail(ErrorKind::Uninstantiable, "core instance " + std::to_string(def.index) + " is used before it exists");
      runtime::ModuleInst* m = core_[def.index];
      switch (def.externKind) {
        case wasm::ExternKind::Func: return runtime::Extern::of(m->funcs.at(def.item));
        case wasm::ExternKind::Table: return runtime::Extern::of(m->tables.at(def.item));
        case wasm::ExternKind::Memory: return runtime::Extern::of(m->memories.at(def.item));
        case wasm::ExternKind::Global: return runtime::Extern::of(m->globals.at(def.item));
      }
      break;
    }
    case CoreDef::Kind::Lowering: return runtime::Extern::of(BANTAM_TRY(loweredFunc(def.index)));
    case CoreDef::Kind::Builtin: return runtime::Extern::of(BANTAM_TRY(builtinFunc(def.index)));
  }
  return fail(ErrorKind::Uninstantiable, "bad core definition");
}

Result<runtime::FuncInst*> ComponentInstance::loweredFunc(uint32_t index) {
  Lowered& lw = lowered_[index];
  if (lw.func) return lw.func;
  const PlanLowering& l = compiled_->plan.lowerings[index];
  if (l.options.memory) lw.memory = BANTAM_TRY(coreDef(*l.options.memory)).memory;
  if (l.options.realloc) lw.realloc = BANTAM_TRY(coreDef(*l.options.realloc)).func;
  std::string name = "canon lower " + (l.name.empty() ? std::to_string(index) : l.name);
  lw.func = store_.createHostFunc(
      coreFuncType(l.type->lowerParams(), l.type->lowerResults()),
      [this, index](runtime::Caller&, std::span<runtime::RawVal> io) { return callLowered(index, io); },
      std::move(name));
  return lw.func;
}

Result<runtime::FuncInst*> ComponentInstance::builtinFunc(uint32_t index) {
  if (builtins_[index]) return builtins_[index];
  const PlanBuiltin& b = compiled_->plan.builtins[index];
  wasm::FuncType type = b.kind == PlanBuiltin::Kind::ResourceDrop
                            ? wasm::FuncType{{wasm::ValType::I32}, {}}
                            : wasm::FuncType{{wasm::ValType::I32}, {wasm::ValType::I32}};
  static const char* names[] = {"resource.new", "resource.drop", "resource.rep"};
  builtins_[index] = store_.createHostFunc(
      std::move(type), [this, index](runtime::Caller&, std::span<runtime::RawVal> io) { return callBuiltin(index, io); },
      std::string("canon ") + names[static_cast<int>(b.kind)]);
  return builtins_[index];
}

Result<void> ComponentInstance::resolveLifting(uint32_t index) {
  Lifted& lf = lifted_[index];
  if (lf.resolved) return {};
  const PlanLifting& l = compiled_->plan.liftings[index];
  lf.func = BANTAM_TRY(coreDef(l.func)).func;
  if (l.options.memory) lf.memory = BANTAM_TRY(coreDef(*l.options.memory)).memory;
  if (l.options.realloc) lf.realloc = BANTAM_TRY(coreDef(*l.options.realloc)).func;
  if (l.options.postReturn) lf.postReturn = BANTAM_TRY(coreDef(*l.options.postReturn)).func;
  lf.resolved = true;
  return {};
}

const PlanExportItem* ComponentInstance::findExport(std::string_view name) const {
  const auto& exports = compiled_->plan.exports;
  for (const PlanExport& e : exports)
    if (e.name.text == name) return &e.item;
  // An unversioned name matches any version of that interface (the newest if several).
  if (name.find('@') == std::string_view::npos) {
    const PlanExport* best = nullptr;
    for (const PlanExport& e : exports) {
      if (!e.name.isInterface() || e.name.unversioned() != name) continue;
      if (!best || (e.name.version && best->name.version && e.name.version->compare(*best->name.version) > 0)) best = &e;
    }
    if (best) return &best->item;
  }
  return nullptr;
}

std::optional<ComponentFunc> ComponentInstance::func(std::string_view name) const {
  const PlanExportItem* item = findExport(name);
  if (!item || item->kind != ExternTypeInfo::Kind::Func) return std::nullopt;
  return ComponentFunc{this, item->func, item->funcType, std::string(name)};
}

std::optional<ComponentFunc> ComponentInstance::func(std::string_view instance, std::string_view name) const {
  const PlanExportItem* item = findExport(instance);
  if (!item || item->kind != ExternTypeInfo::Kind::Instance) return std::nullopt;
  for (const auto& [n, child] : item->instance->exports)
    if (n == name && child.kind == ExternTypeInfo::Kind::Func)
      return ComponentFunc{this, child.func, child.funcType, std::string(instance) + "#" + std::string(name)};
  return std::nullopt;
}

const ResourceType* ComponentInstance::resourceType(std::string_view instance, std::string_view name) const {
  const PlanExportItem* item = findExport(instance);
  if (!item || item->kind != ExternTypeInfo::Kind::Instance) return nullptr;
  for (const auto& [n, child] : item->instance->exports)
    if (n == name && child.kind == ExternTypeInfo::Kind::Type && child.resource.valid())
      return resources_[child.resource.value];
  return nullptr;
}

std::vector<std::string> ComponentInstance::exportNames() const {
  std::vector<std::string> names;
  for (const PlanExport& e : compiled_->plan.exports) names.push_back(e.name.text);
  return names;
}

}  // namespace bantam::component
