// The instantiation plan of a validated component: the component tree flattened (nested
// components inlined, every index resolved) into what the runtime needs to instantiate it
// quickly and repeatedly — core module instantiations in order, lifted and lowered functions
// with their canonical options, canon built-ins, resource types, root imports and exports.
// It is immutable and shared by all instances (like Wasmtime's flattened component info).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "component/ast.h"
#include "component/model/names.h"
#include "component/model/types.h"
#include "wasm/types.h"

namespace bantam::component {

inline constexpr uint32_t kNone = UINT32_MAX;

// Where a core item comes from at run time.
struct CoreDef {
  enum class Kind : uint8_t { Export, Lowering, Builtin } kind = Kind::Export;
  uint32_t index = 0;  // Export: plan core instance; Lowering: lowering; Builtin: builtin
  wasm::ExternKind externKind = wasm::ExternKind::Func;  // Export
  uint32_t item = 0;   // Export: index into that kind's index space of the core instance
};

struct PlanOptions {
  StringEncoding encoding = StringEncoding::Utf8;
  std::optional<CoreDef> memory, realloc, postReturn;
};

// A component-level function: lifted inside this component, or taken from a root import.
struct FuncRef {
  enum class Kind : uint8_t { Lifted, Imported, Abstract } kind = Kind::Abstract;
  uint32_t index = 0;  // Lifted: liftings; Imported: importFuncs
};

// A runtime component instance (the root is 0; each nested instantiation adds one): it owns
// a handle table and the may_enter/may_leave flags (CanonicalABI.md "Component Instances").
struct PlanComponentInstance {
  uint32_t parent = kNone;
  std::string name;  // for messages
};

struct PlanModuleInstance {
  uint32_t module = 0;           // DecodedComponent::allModules index
  std::vector<CoreDef> imports;  // one per import of the module, in order
};

struct PlanLifting {
  CoreDef func;
  FuncType type = nullptr;
  PlanOptions options;
  uint32_t owner = 0;  // runtime component instance
  std::string name;    // for messages and backtraces
};

struct PlanLowering {
  FuncRef callee;
  FuncType type = nullptr;
  PlanOptions options;
  uint32_t owner = 0;
  std::string name;
};

struct PlanBuiltin {
  enum class Kind : uint8_t { ResourceNew, ResourceDrop, ResourceRep } kind = Kind::ResourceNew;
  ResourceId resource;
  uint32_t owner = 0;
};

struct PlanResource {
  enum class Kind : uint8_t { Defined, Imported, Abstract } kind = Kind::Abstract;
  uint32_t owner = 0;             // Defined: the instance that defined it (rt.impl)
  std::optional<CoreDef> dtor;    // Defined
  uint32_t import = kNone;        // Imported: root import
  std::vector<std::string> path;  // Imported: export names inside the import ("input-stream")
  std::string name;               // for messages: "wasi:io/streams@0.2.12/input-stream"
};

// A function taken from a root import: import `import`, then `path` inside it.
struct PlanImportFunc {
  uint32_t import = 0;
  std::vector<std::string> path;
  FuncType type = nullptr;
};

// The declared type of a root import or of a root export, in the plan's type universe.
struct ExternTypeInfo;
struct InstanceTypeInfo {
  std::vector<std::pair<std::string, ExternTypeInfo>> exports;
};
struct ExternTypeInfo {
  enum class Kind : uint8_t { Func, Type, Instance, Component, Module } kind = Kind::Func;
  FuncType func = nullptr;
  ValType value = nullptr;        // Type: a value type (eq)
  ResourceId resource;            // Type: a resource
  std::shared_ptr<const InstanceTypeInfo> instance;
};

struct PlanImport {
  ExternName name;
  ExternNameAst attributes;
  ExternTypeInfo type;
};

// A root export and what it is at run time.
struct PlanExportItem;
struct PlanExportInstance {
  std::vector<std::pair<std::string, PlanExportItem>> exports;
};
struct PlanExportItem {
  ExternTypeInfo::Kind kind = ExternTypeInfo::Kind::Func;
  FuncRef func;               // Func
  FuncType funcType = nullptr;
  ValType value = nullptr;    // Type (value)
  ResourceId resource;        // Type (resource)
  std::shared_ptr<const PlanExportInstance> instance;
};

struct PlanExport {
  ExternName name;
  PlanExportItem item;
};

struct ComponentPlan {
  std::shared_ptr<TypeArena> types;  // owns every type below
  std::vector<PlanComponentInstance> instances;
  std::vector<PlanModuleInstance> coreInstances;  // instantiated in this order
  std::vector<PlanLifting> liftings;
  std::vector<PlanLowering> lowerings;
  std::vector<PlanBuiltin> builtins;
  std::vector<PlanResource> resources;  // ResourceId::value indexes this
  std::vector<PlanImportFunc> importFuncs;
  std::vector<PlanImport> imports;
  std::vector<PlanExport> exports;
};

}  // namespace bantam::component
