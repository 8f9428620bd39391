// The linker: definitions by (module, name), resolved against a module's imports.
#include "runtime/instantiate.h"

namespace bantam::runtime {

void Linker::define(std::string module, std::string name, Extern value) {
  // A later definition replaces an earlier one, as WAST `register` of the same name does.
  defs_.insert_or_assign({std::move(module), std::move(name)}, value);
}

void Linker::defineInstance(const std::string& module, const ModuleInst& instance) {
  for (const auto& [name, value] : instance.exports) define(module, name, value);
}

std::optional<Extern> Linker::lookup(const std::string& module, const std::string& name) const {
  auto it = defs_.find({module, name});
  if (it == defs_.end()) return std::nullopt;
  return it->second;
}

Result<std::vector<Extern>> Linker::resolveImports(Store& store, const wasm::Module& module) const {
  std::vector<Extern> out;
  out.reserve(module.imports.size());
  for (const wasm::Import& import : module.imports) {
    auto value = lookup(import.module, import.name);
    if (!value) return std::unexpected(unknownImport(import));
    BANTAM_TRY(checkImportType(store, module, import, *value));
    out.push_back(*value);
  }
  return out;
}

Result<ModuleInst*> Linker::instantiate(Store& store, std::shared_ptr<const CompiledModule> module) const {
  auto imports = BANTAM_TRY(resolveImports(store, module->module));
  return runtime::instantiate(store, std::move(module), imports);
}

}  // namespace bantam::runtime
