// The component model's embedding API: compile a component, link it against host interfaces
// (declared from WIT) and other component instances, instantiate it in a runtime::Store, call
// its exports with component Values. docs/component-model.md describes it with examples.
//
//   auto compiled = BANTAM_TRY(compileComponent(engine, bytes, "app.wasm"));
//   ComponentLinker linker;
//   BANTAM_TRY(linker.addInterfaces(wit::builtinInterfaces()));       // declared types
//   BANTAM_TRY(linker.defineFunc("wasi:cli/environment@0.2.12", "get-arguments",
//       [](HostCall& call, std::span<const Value> args) -> runtime::TrapOr<Value> { ... }));
//   auto pre = BANTAM_TRY(linker.prepare(compiled));     // imports resolved and type-checked once
//   auto inst = BANTAM_TRY(pre->instantiate(store));     // per request: cheap
//   auto run = inst->func("wasi:cli/run@0.2.12", "run");
//   auto result = inst->call(*run, {});
//
// Threading: a ComponentInstance belongs to one Store (one thread at a time). A
// CompiledComponent and a ComponentPre are immutable and shareable across threads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "component/ast.h"
#include "component/model/interface.h"
#include "component/model/value.h"
#include "component/plan.h"
#include "component/resources.h"
#include "runtime/instantiate.h"

namespace bantam::component {

// A decoded, validated, flattened component whose core modules are compiled by the engine.
struct CompiledComponent {
  DecodedComponent decoded;
  ComponentPlan plan;
  std::vector<std::shared_ptr<const runtime::CompiledModule>> modules;  // by CoreModuleAst::id
  std::string name;  // file name, for messages
};

// Decode + validate + elaborate + compile core modules. Errors: Malformed, Invalid,
// Unsupported (named feature), Limit; offsets are byte offsets in `bytes`.
Result<std::shared_ptr<const CompiledComponent>> compileComponent(runtime::Engine& engine,
                                                                  std::span<const uint8_t> bytes,
                                                                  std::string name = {});

class ComponentInstance;

// What a host function gets besides its arguments.
class HostCall {
 public:
  HostCall(runtime::Store& store, ComponentInstance& caller) : store_(store), caller_(caller) {}
  runtime::Store& store() { return store_; }
  ComponentInstance& caller() { return caller_; }

 private:
  runtime::Store& store_;
  ComponentInstance& caller_;
};

// A host implementation of a component function. Arguments are lifted from the guest:
// strings and byte lists are views into guest memory, valid until the function returns
// (Value::toOwned() keeps them); own<T> arguments transfer ownership to the host; borrow<T>
// arguments are valid during the call. The result (an empty Value for a function without a
// result) is lowered into the guest; a trap or a thrown exception fails the guest's call.
using HostFunc = std::function<runtime::TrapOr<Value>(HostCall& call, std::span<const Value> args)>;

// A function exported by a component instance.
struct ComponentFunc {
  const ComponentInstance* instance = nullptr;
  FuncRef ref;
  FuncType type = nullptr;
  std::string name;
};

struct ComponentPre;
struct PreparedCoreModules;  // prepared.h

class ComponentInstance {
 public:
  ~ComponentInstance();
  ComponentInstance(const ComponentInstance&) = delete;
  ComponentInstance& operator=(const ComponentInstance&) = delete;

  // An exported function: top level ("run"), or `name` inside the exported instance
  // `instance`. `instance` may omit the version ("wasi:http/incoming-handler") to match any.
  std::optional<ComponentFunc> func(std::string_view name) const;
  std::optional<ComponentFunc> func(std::string_view instance, std::string_view name) const;
  // The run-time type of a resource exported inside `instance` (for Value::own/borrow).
  const ResourceType* resourceType(std::string_view instance, std::string_view name) const;
  // The names of the top-level exports.
  std::vector<std::string> exportNames() const;

  // Calls an export: arguments are lowered into the guest, the result lifted (owned copies),
  // then post-return runs. Traps leave the instance unusable (Component Invariant #1).
  runtime::TrapOr<Value> call(const ComponentFunc& f, std::span<const Value> args);
  runtime::TrapOr<Value> call(const ComponentFunc& f, std::initializer_list<Value> args) {
    return call(f, std::span<const Value>(args.begin(), args.size()));
  }
  // Drops an owned handle the host holds of a resource a component defined (runs its dtor).
  runtime::TrapOr<void> dropResource(const Value& own);

  runtime::Store& store() const { return store_; }
  const CompiledComponent& compiled() const { return *compiled_; }
  bool poisoned() const { return poisoned_; }
  // Host data for the embedder (the WASI context of this instance...). Not owned.
  void* hostData = nullptr;

  // ---- internal (the linker and canonical definitions use these) ----
  runtime::TrapOr<Value> callRef(FuncRef ref, std::span<const Value> args, RuntimeInstance* caller);
  const std::vector<const ResourceType*>& resources() const { return resources_; }
  const ResourceType* exportedResource(ResourceId id) const { return resources_[id.value]; }
  // The core module instances, in the plan's order (the instance pool snapshots and resets
  // their state; tests inspect it).
  std::span<runtime::ModuleInst* const> coreInstances() const { return core_; }

 private:
  friend struct ComponentPre;
  friend class ComponentPool;  // instance_pool.h
  // Pooling (instance_pool.cpp): whether no call is in progress on any of its instances, and
  // forgetting what a request left in the component-level state (handles, host data).
  bool idle() const;
  void clearRequestState();
  ComponentInstance(runtime::Store& store, std::shared_ptr<const CompiledComponent> compiled,
                    std::shared_ptr<const ComponentPre> pre);
  Result<void> instantiate();
  Result<runtime::Extern> coreDef(const CoreDef& def);
  Result<runtime::FuncInst*> loweredFunc(uint32_t index);
  Result<runtime::FuncInst*> builtinFunc(uint32_t index);
  Result<void> resolveLifting(uint32_t index);
  runtime::TrapOr<void> callLowered(uint32_t index, std::span<runtime::RawVal> io);
  runtime::TrapOr<void> callBuiltin(uint32_t index, std::span<runtime::RawVal> io);
  runtime::TrapOr<Value> callLifted(uint32_t index, std::span<const Value> args, RuntimeInstance* caller);
  runtime::TrapOr<void> dropOwn(const ResourceType* rt, uint32_t rep, RuntimeInstance* caller);
  const PlanExportItem* findExport(std::string_view name) const;

  struct Lifted {
    runtime::FuncInst* func = nullptr;
    runtime::MemoryInst* memory = nullptr;
    runtime::FuncInst* realloc = nullptr;
    runtime::FuncInst* postReturn = nullptr;
    bool resolved = false;
  };
  struct Lowered {
    runtime::FuncInst* func = nullptr;
    runtime::MemoryInst* memory = nullptr;
    runtime::FuncInst* realloc = nullptr;
  };

  runtime::Store& store_;
  std::shared_ptr<const CompiledComponent> compiled_;
  std::shared_ptr<const ComponentPre> pre_;
  std::vector<std::unique_ptr<RuntimeInstance>> instances_;
  std::vector<std::unique_ptr<ResourceType>> ownResources_;
  std::vector<const ResourceType*> resources_;
  std::vector<runtime::ModuleInst*> core_;
  std::vector<Lowered> lowered_;
  std::vector<runtime::FuncInst*> builtins_;
  std::vector<Lifted> lifted_;
  bool poisoned_ = false;
};

// A component with its imports resolved and type-checked against a linker: instantiating it
// does no name lookup (the per-request path).
struct ComponentPre : std::enable_shared_from_this<ComponentPre> {
  struct Import {  // how one PlanImportFunc is served
    std::shared_ptr<const HostFunc> host;
    ComponentInstance* provider = nullptr;  // or a function of another component instance
    FuncRef providerRef;
  };
  std::shared_ptr<const CompiledComponent> compiled;
  std::vector<Import> funcs;                        // by PlanImportFunc index
  std::vector<const ResourceType*> resources;       // by plan resource id (imported ones)
  std::shared_ptr<const void> keepAlive;            // the linker's host definitions
  // Built once by ComponentLinker::prepare: copy-on-write images of the core modules' initial
  // memories (nullptr: every core module is instantiated from scratch).
  std::shared_ptr<const PreparedCoreModules> prepared;

  Result<std::unique_ptr<ComponentInstance>> instantiate(runtime::Store& store) const;
};

// Resolves component imports: host interfaces (declared from WIT, implemented by HostFuncs)
// and the exports of other component instances.
class ComponentLinker {
 public:
  ComponentLinker();
  ~ComponentLinker();

  // Declares interfaces the host may implement (their WIT types). Interfaces of the same
  // name and version may be declared once.
  Result<void> addInterfaces(const InterfaceSet& set);
  // Implements a declared function. `interface` is the versioned name
  // ("wasi:cli/stdout@0.2.12"), `func` the component-model name ("get-stdout",
  // "[method]output-stream.write", "[constructor]fields", "[static]fields.from-list").
  Result<void> defineFunc(std::string_view interface, std::string_view func, HostFunc impl);
  // The run-time type of a declared resource, with its destructor (called with the rep when a
  // guest drops its last owning handle). Host functions use it in Value::own/borrow.
  Result<const ResourceType*> defineResource(std::string_view interface, std::string_view resource,
                                             std::function<void(uint32_t rep)> dtor = {});
  // The same, with a destructor that is also given the component instance whose guest (or
  // whose dropResource caller) dropped the last owning handle: hosts that keep per-instance
  // tables find theirs through instance.hostData.
  Result<const ResourceType*> defineResource(std::string_view interface, std::string_view resource,
                                             std::function<void(ComponentInstance& instance, uint32_t rep)> dtor);
  // The resource's run-time type (every declared resource has one, with or without dtor).
  const ResourceType* resource(std::string_view interface, std::string_view resource) const;
  // A top-level function import with a plain name ("log"), of the given type.
  Result<void> defineRootFunc(std::string_view name, std::shared_ptr<const TypeUniverse> universe, FuncType type,
                              HostFunc impl);
  // Serves imports with the exports of another component instance: the exported instance
  // `exportName` (all of them when empty), under its own name, or under `as` when given (an
  // interface name such as "my:pkg/api@1.0.0": Spin's `dependencies` map an import name to
  // another component's export of a different name). Versions match as for host interfaces.
  // Both instances must live in the same Store and `provider` must outlive its users.
  Result<void> defineInstance(ComponentInstance& provider, std::string_view exportName = {}, std::string_view as = {});
  // Lists declared functions of `interface` that have no implementation.
  std::vector<std::string> missingFuncs(std::string_view interface) const;

  Result<std::shared_ptr<const ComponentPre>> prepare(std::shared_ptr<const CompiledComponent> component) const;
  Result<std::unique_ptr<ComponentInstance>> instantiate(runtime::Store& store,
                                                         std::shared_ptr<const CompiledComponent> component) const;

  struct State;  // linker.cpp

 private:
  // prepare(), with or without the prepared core-module state (a one-shot instantiate()
  // would build images only to use them once).
  Result<std::shared_ptr<const ComponentPre>> prepare(std::shared_ptr<const CompiledComponent> component,
                                                      bool prepareCoreState) const;
  std::shared_ptr<State> state_;
};

}  // namespace bantam::component
