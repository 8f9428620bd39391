// The elaborator: validates a decoded component (index spaces, sorts, type checking of
// instantiation arguments, aliases, canonical definitions and options, names) and, for the
// root component, builds its ComponentPlan by inlining every nested instantiation.
//
// Types are checked "in context": a nested component instantiated with arguments is
// elaborated with its imports bound to those arguments, so resource types are concrete plan
// resources and type equality is structural with resource identity. Component definitions
// are also validated once on their own (with fresh abstract imports), so an invalid nested
// component is rejected even when its instantiation would hide the error.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "component/ast.h"
#include "component/plan.h"

namespace bantam::component {

// Validates `decoded` and returns its plan. Errors: ErrorKind::Invalid (validation, with the
// offset of the definition), Unsupported (features named), Limit (elaboration budget).
Result<ComponentPlan> elaborateComponent(const DecodedComponent& decoded);

namespace elab {

struct Scope;
struct Item;

// ---- core items ----
struct CoreExternType {
  wasm::ExternKind kind = wasm::ExternKind::Func;
  wasm::FuncType func;
  wasm::TableType table;
  wasm::MemoryType memory;
  wasm::GlobalType global;
};
struct CoreItem {
  CoreDef def;
  CoreExternType type;
  bool abstract = false;  // from an abstract (imported) core module: no run-time definition
};
struct ModuleTypeDesc {
  std::vector<std::pair<std::pair<std::string, std::string>, CoreExternType>> imports;
  std::vector<std::pair<std::string, CoreExternType>> exports;
};
struct CoreModuleItem {
  const CoreModuleAst* module = nullptr;  // nullptr: an abstract module (only its type)
  std::shared_ptr<const ModuleTypeDesc> type;
};
struct CoreInstanceItem {
  std::shared_ptr<const std::map<std::string, CoreItem>> exports;
};
struct CoreTypeItem {
  bool isModule = false;
  wasm::FuncType func;
  std::shared_ptr<const ModuleTypeDesc> module;
};

// ---- component-level types with bound resource variables ----
struct InstanceTypeDesc;
struct ComponentTypeDesc;

struct TypeItem {
  enum class Kind : uint8_t { Value, Func, Resource, Instance, Component } kind = Kind::Value;
  ValType value = nullptr;
  FuncType func = nullptr;
  ResourceId resource;
  std::shared_ptr<const InstanceTypeDesc> instance;
  std::shared_ptr<const ComponentTypeDesc> component;
};

struct ExternTypeDesc {
  enum class Kind : uint8_t { Module, Func, Type, Instance, Component } kind = Kind::Func;
  std::shared_ptr<const ModuleTypeDesc> module;
  FuncType func = nullptr;
  TypeItem type;             // Type
  bool subResource = false;  // Type: a (sub resource) bound: `type.resource` is a variable
  std::shared_ptr<const InstanceTypeDesc> instance;
  std::shared_ptr<const ComponentTypeDesc> component;
};

// The variables of a type are the resources its (sub resource) declarators introduce, at any
// depth; instantiating the type replaces them with fresh resources.
struct InstanceTypeDesc {
  std::vector<std::pair<std::string, ExternTypeDesc>> exports;
  std::vector<ResourceId> vars;
};
struct ComponentTypeDesc {
  std::vector<std::pair<std::string, ExternTypeDesc>> imports;
  std::vector<std::pair<std::string, ExternTypeDesc>> exports;
  std::vector<ResourceId> vars;
};

// ---- component-level items ----
struct InstanceVal {
  std::vector<std::pair<std::string, Item>> exports;
  const Item* find(std::string_view name) const;
};
struct ComponentVal {
  const ComponentAst* ast = nullptr;        // nullptr: abstract (an imported component)
  std::shared_ptr<Scope> scope;             // the defining scope, for outer aliases
  std::shared_ptr<const ComponentTypeDesc> type;  // abstract components
};

struct Item {
  enum class Kind : uint8_t { Func, Type, Instance, Component, Module } kind = Kind::Func;
  FuncRef func;
  FuncType funcType = nullptr;
  TypeItem type;
  std::shared_ptr<const InstanceVal> instance;
  std::shared_ptr<const ComponentVal> component;
  CoreModuleItem module;
};

// A component definition scope or a component/instance/module type scope, with its index
// spaces. Outer aliases walk `parent`.
struct Scope {
  enum class Kind : uint8_t { Component, Type, ModuleType } kind = Kind::Component;
  std::shared_ptr<Scope> parent;
  uint32_t instance = 0;  // Component: the runtime component instance it elaborates

  std::vector<CoreItem> coreFuncs, coreTables, coreMemories, coreGlobals;
  std::vector<CoreTypeItem> coreTypes;
  std::vector<CoreModuleItem> coreModules;
  std::vector<CoreInstanceItem> coreInstances;
  std::vector<Item> funcs, components, instances;
  std::vector<TypeItem> types;

  // Type scopes: the declarators collected so far.
  std::vector<std::pair<std::string, ExternTypeDesc>> imports, exports;
  std::vector<ResourceId> vars;
  std::set<std::string> importKeys, exportKeys;  // strongly-unique names
  // Resources defined by this component scope (resource.new/rep only accept these).
  std::set<uint32_t> definedResources;
  // Resource types imported or exported under a plain name in this scope, by label, for the
  // [constructor]/[method]/[static] name rules.
  std::map<std::string, ResourceId> resourceNames;
};

}  // namespace elab
}  // namespace bantam::component
