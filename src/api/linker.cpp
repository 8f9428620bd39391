// Linker: host function and store-object definitions, import resolution, instantiation. And
// Caller, the host function's view of its call.
#include <map>
#include <variant>

#include "api/impl.h"

namespace bantam {

namespace detail {

// A host function definition, shared by every store the linker instantiates into.
struct HostDef {
  FuncType type;
  wasm::FuncType runtimeType;
  HostFunction fn;
  std::string name;  // "module.name", for backtraces
};

struct LinkerImpl {
  std::shared_ptr<EngineImpl> engine;
  std::map<std::pair<std::string, std::string>, std::variant<std::shared_ptr<const HostDef>, Extern>> defs;
};

namespace {
// The host function of `def` in `store`, created on first use.
runtime::FuncInst* hostFuncIn(StoreImpl& store, const std::shared_ptr<const HostDef>& def) {
  auto [it, inserted] = store.hostFuncs.try_emplace(def.get(), nullptr);
  if (!inserted) return it->second;
  StoreImpl* s = &store;
  it->second = store.store.createHostFunc(
      def->runtimeType,
      [s, def](runtime::Caller& rc, std::span<runtime::RawVal> io) -> runtime::TrapOr<void> {
        Caller caller = Access::caller(s, rc.instance());
        auto r = def->fn(caller, toPublic(io));
        if (!r) return std::unexpected(toRuntime(r.error()));
        return {};
      },
      def->name);
  return it->second;
}
}  // namespace

}  // namespace detail

using detail::Access;

// --- Caller ---

std::optional<Extern> Caller::getExport(std::string_view name) const {
  if (instance_ == nullptr) return std::nullopt;
  auto e = instance_->findExport(name);
  if (!e) return std::nullopt;
  return detail::toPublic(store_, *e);
}

std::optional<Memory> Caller::memory(std::string_view exportName) const {
  auto e = getExport(exportName);
  if (!e || !std::holds_alternative<Memory>(*e)) return std::nullopt;
  return std::get<Memory>(*e);
}

void* Caller::data() const { return store_->data; }

// --- Linker ---

Linker::Linker(const Engine& engine) : impl_(std::make_unique<detail::LinkerImpl>()) {
  impl_->engine = Access::engineShared(engine);
}
Linker::~Linker() = default;
Linker::Linker(Linker&&) noexcept = default;
Linker& Linker::operator=(Linker&&) noexcept = default;

Linker& Linker::funcRaw(std::string module, std::string name, FuncType type, HostFunction fn) {
  auto def = std::make_shared<detail::HostDef>();
  def->runtimeType = detail::toRuntime(type);
  def->type = std::move(type);
  def->fn = std::move(fn);
  def->name = module + "." + name;
  impl_->defs.insert_or_assign({std::move(module), std::move(name)}, std::shared_ptr<const detail::HostDef>(def));
  return *this;
}

Linker& Linker::define(std::string module, std::string name, const Extern& value) {
  impl_->defs.insert_or_assign({std::move(module), std::move(name)}, value);
  return *this;
}

Linker& Linker::defineInstance(const std::string& module, const Instance& instance) {
  for (const auto& [name, value] : Access::inst(instance)->exports)
    define(module, name, detail::toPublic(Access::storeOf(instance), value));
  return *this;
}

Result<Instance> Linker::instantiate(Store& store, const Module& module) const {
  detail::StoreImpl& s = Access::store(store);
  const detail::ModuleImpl& m = Access::module(module);
  // Signature ids are per engine: a module compiled by another engine would compare them
  // against the wrong registry.
  if (m.engine != s.engine)
    return fail(ErrorKind::Usage, "the module was compiled by another engine than the store's");
  if (impl_->engine != s.engine)
    return fail(ErrorKind::Usage, "the linker belongs to another engine than the store");
  const wasm::Module& wm = m.compiled->module;
  std::vector<runtime::Extern> imports;
  imports.reserve(wm.imports.size());
  for (const wasm::Import& import : wm.imports) {
    auto it = impl_->defs.find({import.module, import.name});
    if (it == impl_->defs.end()) return std::unexpected(runtime::unknownImport(import));
    if (auto* def = std::get_if<std::shared_ptr<const detail::HostDef>>(&it->second)) {
      imports.push_back(runtime::Extern::of(detail::hostFuncIn(s, *def)));
    } else {
      const Extern& e = std::get<Extern>(it->second);
      if (detail::storeOf(e) != &s)
        return std::unexpected(Error::make(ErrorKind::Usage, "import defined in another store")
                                   .withContext(runtime::importDescription(import)));
      imports.push_back(detail::toRuntime(e));
    }
  }
  runtime::ModuleInst* inst = BANTAM_TRY(runtime::instantiate(s.store, m.compiled, imports));
  return Access::instance(&s, inst);
}

}  // namespace bantam
