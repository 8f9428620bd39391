// From bytes to a running instance: compile (decode + validate + engine preparation) and
// instantiate (§4.5.4: resolve imports, allocate, initialise segments, run start).
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/store.h"

namespace bantam::runtime {

// A decoded, validated and engine-prepared module, shared by all its instances.
struct CompiledModule {
  wasm::Module module;
  std::vector<uint32_t> sigIds;        // canonical signature id per type index
  std::unique_ptr<EngineCode> code;
  std::string name;                    // file name or registration name, for messages
};

// Decodes, validates and prepares `bytes` with the engine's execution engine.
Result<std::shared_ptr<CompiledModule>> compileModule(Engine& engine, std::span<const uint8_t> bytes,
                                                      std::string name = {});

// §4.5.4. `imports` are in the order of module.imports. Errors: Unlinkable ("incompatible
// import type", "unknown import" is the Linker's), Uninstantiable (a trap while initialising
// segments or in the start function; the message is the trap's).
Result<ModuleInst*> instantiate(Store& store, std::shared_ptr<const CompiledModule> module,
                                std::span<const Extern> imports);

class MemoryImage;  // instance_pre.h
// The same, with each defined memory i mapped copy-on-write from `definedMemoryImages[i]`
// (one per defined memory, each of the memory's minimum size) instead of being written by the
// active data segments that target it: the caller guarantees the image holds exactly what those
// segments would write (evaluated and bounds-checked when the image was built). Segments that
// target imported memories are still written here, in order.
Result<ModuleInst*> instantiate(Store& store, std::shared_ptr<const CompiledModule> module,
                                std::span<const Extern> imports, const MemoryImage* definedMemoryImages);

// Checks an external value against an import's type (§4.5.2, extern subtyping).
Result<void> checkImportType(Store& store, const wasm::Module& module, const wasm::Import& import,
                             const Extern& value);

// "env.log (func)": how errors name an import.
std::string importDescription(const wasm::Import& import);
// The Unlinkable error for an import that no definition satisfies: message "unknown import",
// the import named in the context.
Error unknownImport(const wasm::Import& import);

// Resolves imports by (module, name) from definitions and registered instances.
class Linker {
 public:
  void define(std::string module, std::string name, Extern value);
  // Makes every export of `instance` available as `module`.`export`.
  void defineInstance(const std::string& module, const ModuleInst& instance);
  std::optional<Extern> lookup(const std::string& module, const std::string& name) const;

  Result<std::vector<Extern>> resolveImports(Store& store, const wasm::Module& module) const;
  Result<ModuleInst*> instantiate(Store& store, std::shared_ptr<const CompiledModule> module) const;

 private:
  std::map<std::pair<std::string, std::string>, Extern> defs_;
};

// The `spectest` host module used by the official test suite: print* functions, global_i32
// (666), global_i64 (666), global_f32 (666.6), global_f64 (666.6), table (10..20 funcref),
// memory (1..2 pages).
void defineSpectest(Store& store, Linker& linker);

}  // namespace bantam::runtime
