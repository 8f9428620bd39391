// The decoded form of a component binary (Binary.md): its definitions in order, with every
// index still an index. Produced by decodeComponent, checked and given meaning by the
// elaborator (elaborate.h). Core modules are decoded (and validated) with the core decoder;
// nested components are decoded recursively.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "component/model/types.h"
#include "wasm/module.h"

namespace bantam::component {

// Binary.md `sort` and `core:sort`, as one enumeration.
enum class Sort : uint8_t {
  CoreFunc, CoreTable, CoreMemory, CoreGlobal, CoreTag, CoreType, CoreModule, CoreInstance,
  Func, Value, Type, Component, Instance,
};
const char* sortName(Sort s);  // "core func", "func", "type", ...
inline bool isCoreSort(Sort s) { return s <= Sort::CoreInstance; }

struct SortIdx {
  Sort sort = Sort::Func;
  uint32_t index = 0;
};

// A value type reference in a type definition: a primitive, or a type index.
struct ValTypeRef {
  bool isPrimitive = true;
  ValKind prim = ValKind::Bool;
  uint32_t index = 0;
};

// ---- core types (Binary.md core:type, core:moduletype) ----

struct CoreExternDesc {  // core:importdesc / core:externtype
  wasm::ExternKind kind = wasm::ExternKind::Func;
  uint32_t funcType = 0;  // type index in the enclosing core type space
  wasm::TableType table;
  wasm::MemoryType memory;
  wasm::GlobalType global;
};

struct CoreModuleDecl {
  enum class Kind : uint8_t { Import, Type, Alias, Export } kind = Kind::Import;
  std::string module, name;  // Import: module and field; Export: name
  CoreExternDesc desc;       // Import, Export
  wasm::FuncType funcType;   // Type (only function types are allowed in module types)
  uint32_t outerCount = 0, outerIndex = 0;  // Alias (outer type)
};

struct CoreTypeDef {
  enum class Kind : uint8_t { Func, Module } kind = Kind::Func;
  wasm::FuncType func;
  std::vector<CoreModuleDecl> decls;
};

// ---- component types ----

struct ExternDesc;  // externtype
struct TypeDecl;    // componentdecl / instancedecl

struct TypeDef {
  enum class Kind : uint8_t {
    Primitive, Record, Variant, List, Tuple, Flags, Enum, Option, Result, Own, Borrow,
    Func, Component, Instance, Resource,
  } kind = Kind::Primitive;
  ValKind prim = ValKind::Bool;                               // Primitive
  std::vector<std::pair<std::string, ValTypeRef>> fields;     // Record; Func params
  std::vector<std::pair<std::string, std::optional<ValTypeRef>>> cases;  // Variant
  std::vector<ValTypeRef> types;                              // Tuple
  std::vector<std::string> labels;                            // Flags, Enum
  std::optional<ValTypeRef> elem;                             // List, Option; Result ok; Func result
  std::optional<ValTypeRef> err;                              // Result error
  uint32_t index = 0;                                         // Own, Borrow: resource type index
  std::vector<TypeDecl> decls;                                // Component, Instance
  std::optional<uint32_t> dtor;                               // Resource: core func index
  uint64_t offset = 0;
};

struct ExternDesc {
  enum class Kind : uint8_t { CoreModule, Func, Value, Type, Component, Instance } kind = Kind::Func;
  uint32_t index = 0;         // the type index (core type index for CoreModule)
  bool subResource = false;   // Type: (sub resource); otherwise (eq index)
};

struct Alias {
  Sort sort = Sort::Func;
  enum class Target : uint8_t { Export, CoreExport, Outer } target = Target::Export;
  uint32_t instance = 0;  // Export, CoreExport
  std::string name;       // Export, CoreExport
  uint32_t outerCount = 0, outerIndex = 0;  // Outer
};

struct ExternNameAst {
  std::string name;
  std::string implements;     // 🏷️ (implements "...")
  std::string versionSuffix;  // 🔗
  std::string externalId;     // 🏷️
};

struct TypeDecl {
  enum class Kind : uint8_t { CoreType, Type, Alias, Export, Import } kind = Kind::Type;
  std::unique_ptr<CoreTypeDef> coreType;
  std::unique_ptr<TypeDef> type;
  Alias alias;
  ExternNameAst name;  // Export, Import
  ExternDesc desc;     // Export, Import
  uint64_t offset = 0;
};

// ---- definitions ----

enum class StringEncoding : uint8_t { Utf8, Utf16, Latin1Utf16 };
const char* stringEncodingName(StringEncoding e);

struct CanonOptions {
  StringEncoding encoding = StringEncoding::Utf8;
  bool encodingSet = false;
  std::optional<uint32_t> memory, realloc, postReturn;  // core memory / core func indices
};

struct Canon {
  enum class Kind : uint8_t { Lift, Lower, ResourceNew, ResourceDrop, ResourceRep } kind = Kind::Lift;
  uint32_t func = 0;   // Lift: core func index; Lower: func index
  uint32_t type = 0;   // Lift: func type index; resource.*: resource type index
  CanonOptions options;
};

struct CoreInstanceDef {
  bool instantiate = true;
  uint32_t module = 0;
  std::vector<std::pair<std::string, uint32_t>> args;  // name → core instance index
  std::vector<std::pair<std::string, SortIdx>> exports;  // inline exports (core sorts)
};

struct InstanceDef {
  bool instantiate = true;
  uint32_t component = 0;
  std::vector<std::pair<std::string, SortIdx>> args;
  std::vector<std::pair<ExternNameAst, SortIdx>> exports;
};

struct ImportDef {
  ExternNameAst name;
  ExternDesc desc;
};

struct ExportDef {
  ExternNameAst name;
  SortIdx item;
  std::optional<ExternDesc> ascribed;
};

struct ComponentAst;

// One definition, in binary order. `index` selects the entry of the matching vector of the
// ComponentAst (modules, components, coreTypes, types).
struct Definition {
  enum class Kind : uint8_t {
    CoreModule, CoreInstance, CoreType, Component, Instance, Alias, Type, Canon, Import, Export,
  } kind = Kind::Alias;
  uint64_t offset = 0;  // of the definition in the binary, for error messages
  uint32_t index = 0;   // CoreModule, Component, CoreType, Type: index into the vectors below
  CoreInstanceDef coreInstance;
  InstanceDef instance;
  Alias alias;
  Canon canon;
  ImportDef import;
  ExportDef exportDef;
};

struct CoreModuleAst {
  wasm::Module module;  // decoded and validated
  uint64_t offset = 0;  // of the module's preamble in the component binary
  size_t size = 0;      // its length
  uint32_t id = 0;      // index in the root's flat list of every core module (see allModules)
};

struct ComponentAst {
  std::vector<Definition> defs;
  std::vector<std::shared_ptr<CoreModuleAst>> modules;
  std::vector<std::unique_ptr<ComponentAst>> components;
  std::vector<std::unique_ptr<CoreTypeDef>> coreTypes;
  std::vector<std::unique_ptr<TypeDef>> types;
  std::string name;  // from the component-name subsection of the "component-name" section
  uint64_t offset = 0;
  uint32_t depth = 0;  // nesting depth (root: 0)
};

// The decoded root component, which also owns the bytes every core module points into.
struct DecodedComponent {
  std::vector<uint8_t> bytes;
  std::unique_ptr<ComponentAst> root;
  // Every core module of the component tree, in binary order (CoreModuleAst::id).
  std::vector<std::shared_ptr<CoreModuleAst>> allModules;
};

}  // namespace bantam::component
