// The WIT resolver (WIT.md "Name resolution", "WIT Packages and `use`", "Worlds"): turns parsed
// files into packages of interfaces and worlds whose types are component-model types
// (model/types.h) in one TypeUniverse. Resource methods, statics and constructors are
// desugared to their component-model names ("[method]blob.read"); `use` shares types between
// interfaces (the same ValType, the same ResourceId); @unstable items are dropped unless
// their feature is enabled; worlds expand `include` and gain the interfaces their items
// depend on as imports.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "component/model/interface.h"
#include "component/wit/ast.h"

namespace bantam::wit {

struct ResolveOptions {
  std::set<std::string> features;  // @unstable(feature = ..) items to keep
  bool allFeatures = false;
  // Worlds that refer to packages that are not available are skipped (listed in
  // Resolve::skipped) instead of failing the whole resolve. Interfaces always resolve.
  bool skipUnresolvableWorlds = false;
};

struct NamedTypeInfo {
  std::string name;
  component::ValType value = nullptr;  // a value type, or
  component::ResourceId resource;      // a resource
  uint32_t interface = UINT32_MAX;     // where it is defined (UINT32_MAX: a world)
};

struct ResolvedInterface {
  std::string package;  // "wasi:io@0.2.12"
  std::string name;     // "streams"; empty for an inline world interface
  std::string ns, pkg;  // "wasi", "io"
  std::optional<component::Semver> version;
  std::vector<std::pair<std::string, uint32_t>> types;  // name → Resolve::types, in order
  std::vector<std::pair<std::string, component::FuncType>> funcs;  // component-model names
  std::vector<uint32_t> deps;  // interfaces whose types this one uses
  const Interface* ast = nullptr;

  // "wasi:io/streams@0.2.12" (the name it is imported and exported under).
  std::string fullName() const;
};

struct WorldEntry {
  enum class Kind : uint8_t { Interface, Func, Type } kind = Kind::Interface;
  std::string name;        // the import/export name: an interface's full name or a plain name
  uint32_t interface = 0;  // Interface
  component::FuncType func = nullptr;
  uint32_t type = 0;       // Type: Resolve::types
};

struct ResolvedWorld {
  std::string package;
  std::string name;
  std::vector<WorldEntry> imports, exports;
  std::string fullName() const;  // "wasi:http/proxy@0.2.12"
};

struct Resolve {
  std::shared_ptr<component::TypeUniverse> universe = std::make_shared<component::TypeUniverse>();
  std::vector<ResolvedInterface> interfaces;
  std::vector<ResolvedWorld> worlds;
  std::vector<NamedTypeInfo> types;
  std::vector<std::pair<std::string, Error>> skipped;  // worlds left out (skipUnresolvableWorlds)
  std::vector<File> files;  // the parsed sources (interfaces point into them)

  // "wasi:io/streams@0.2.12" (or without version when the package has none).
  std::optional<uint32_t> findInterface(std::string_view fullName) const;
  std::optional<uint32_t> findWorld(std::string_view fullName) const;
  // Every named interface as host declarations (ComponentLinker::addInterfaces).
  component::InterfaceSet interfaceSet() const;
};

// Resolves parsed files. Files without a `package` declaration take the one of a file of
// the same directory (WIT.md "Root Package: A Directory"). Errors: ErrorKind::Invalid for
// resolution errors (with file, line and column), Unsupported for async/stream/future/map.
Result<Resolve> resolveWit(std::vector<File> files, const ResolveOptions& options = {});

// Reads every *.wit file under `dir` (recursively) and parses it.
Result<std::vector<File>> loadWitFiles(const std::string& dir);

}  // namespace bantam::wit
