// Internal to the elaborator (elaborate.h): the class whose member functions are split over
// elaborate.cpp (components, instances, aliases, imports, exports), elaborate_core.cpp (core
// modules, instances and types), elaborate_types.cpp (type definitions and type checking)
// and elaborate_canon.cpp (canonical definitions).
#pragma once

#include <span>
#include <unordered_map>

#include "component/elaborate.h"

namespace bantam::component::elab {

// How the imports of a component being elaborated are satisfied.
struct ImportBinding {
  enum class Mode : uint8_t { Root, Generic, Args } mode = Mode::Generic;
  const std::vector<std::pair<std::string, Item>>* args = nullptr;  // Args
};

// Where fresh resources and imported functions come from while instantiating a type.
struct Origin {
  bool root = false;              // a root import (plan imports) rather than abstract
  uint32_t import = kNone;
  std::vector<std::string> path;  // export names inside the import
};

using Subst = std::unordered_map<uint32_t, ResourceId>;

class Elaborator {
 public:
  Elaborator(const DecodedComponent& decoded, ComponentPlan& plan);

  Result<void> root();

  // ---- components (elaborate.cpp) ----
  Result<std::shared_ptr<const InstanceVal>> component(const ComponentAst& ast, std::shared_ptr<Scope> outer,
                                                       const ImportBinding& binding, uint32_t parentInstance,
                                                       std::string name);
  Result<void> validateDefinition(const ComponentAst& ast, const std::shared_ptr<Scope>& outer);
  Result<void> definition(const std::shared_ptr<Scope>& s, const ComponentAst& ast, const Definition& d,
                          const ImportBinding& binding, std::vector<std::pair<std::string, Item>>& exports);
  Result<void> importDef(Scope& s, const ImportDef& d, const ImportBinding& binding, uint64_t offset);
  Result<void> exportDef(Scope& s, const ExportDef& d, std::vector<std::pair<std::string, Item>>& exports,
                         uint64_t offset);
  Result<void> instanceDef(const std::shared_ptr<Scope>& s, const InstanceDef& d, uint64_t offset);
  Result<void> aliasDef(Scope& s, const Alias& a, uint64_t offset, bool inTypeScope);
  Result<Item> itemAt(Scope& s, SortIdx si, uint64_t offset);
  void pushItem(Scope& s, const Item& item);
  Result<void> checkName(Scope& s, const ExternName& name, const Item* item, bool isImport, uint64_t offset);

  // ---- core (elaborate_core.cpp) ----
  Result<void> coreInstanceDef(Scope& s, const CoreInstanceDef& d, uint64_t offset);
  Result<void> coreTypeDef(Scope& s, const CoreTypeDef& t, uint64_t offset);
  std::shared_ptr<const ModuleTypeDesc> moduleType(const CoreModuleAst& m);
  Result<CoreItem> coreItemAt(Scope& s, SortIdx si, uint64_t offset);
  void pushCoreItem(Scope& s, const CoreItem& item);
  Result<void> checkCoreImport(const CoreExternType& actual, const CoreExternType& expected,
                               const std::string& what, uint64_t offset);

  // ---- types (elaborate_types.cpp) ----
  Result<TypeItem> typeDef(const std::shared_ptr<Scope>& s, const TypeDef& t, bool inTypeScope);
  Result<ValType> valType(Scope& s, const ValTypeRef& r, uint64_t offset);
  Result<ExternTypeDesc> externDesc(Scope& s, const ExternDesc& d, uint64_t offset);
  Result<void> typeDecls(const std::shared_ptr<Scope>& typeScope, const std::vector<TypeDecl>& decls, bool component);
  ExternTypeDesc instantiateDesc(const ExternTypeDesc& d, Subst& map, std::vector<ResourceId>* vars, const Origin& origin);
  Item itemFromDesc(const ExternTypeDesc& d, const Origin& origin);
  Result<void> checkSubtype(const Item& actual, const ExternTypeDesc& declared, Subst& map, const std::string& what,
                            uint64_t offset);
  ExternTypeInfo typeInfo(const ExternTypeDesc& d);
  bool refersToResources(const TypeItem& t);
  ResourceId freshResource(const Origin& origin);
  ValType subst(ValType t, const Subst& map);
  FuncType subst(FuncType f, const Subst& map);

  // ---- canon (elaborate_canon.cpp) ----
  Result<void> canonDef(Scope& s, const Canon& c, uint64_t offset);

  // ---- shared ----
  std::unexpected<Error> invalid(uint64_t offset, std::string message) const;
  Result<void> spend(uint64_t offset, uint64_t units = 1);
  Scope* outerScope(Scope& s, uint32_t count, uint64_t offset, bool& crossesComponent);
  ComponentPlan& plan() { return plan_; }
  TypeArena& arena() { return *plan_.types; }

 private:
  const DecodedComponent& decoded_;
  ComponentPlan& plan_;
  std::set<const ComponentAst*> validated_;
  std::unordered_map<const CoreModuleAst*, std::shared_ptr<const ModuleTypeDesc>> moduleTypes_;
  uint64_t budget_ = 4'000'000;
  uint32_t depth_ = 0;
};

}  // namespace bantam::component::elab
