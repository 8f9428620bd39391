// Declarations of the interfaces a host implements: names, versions, named types (value
// types and resources) and functions, in one type universe. The WIT resolver produces them
// from the .wit files in wit/ (wit::toInterfaceDecls); the ComponentLinker type-checks
// component imports against them and binds host implementations to their functions by name.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "component/model/names.h"
#include "component/model/types.h"

namespace bantam::component {

// The types of one set of declarations: the arena owning them and the resources they
// declare (ResourceId::value indexes `resources`).
struct TypeUniverse {
  std::shared_ptr<TypeArena> arena = std::make_shared<TypeArena>();
  struct Resource {
    std::string interface;  // "wasi:io/streams@0.2.12"
    std::string name;       // "input-stream"
  };
  std::vector<Resource> resources;

  ResourceId addResource(std::string interface, std::string name) {
    resources.push_back({std::move(interface), std::move(name)});
    return ResourceId{static_cast<uint32_t>(resources.size() - 1)};
  }
};

struct InterfaceDecl {
  std::string name;  // "wasi:io/streams" (no version); a plain name for an inline world interface
  std::optional<Semver> version;

  struct NamedType {
    std::string name;
    ValType value = nullptr;  // a value type, or
    ResourceId resource;      // a resource (defined here, or `use`d from another interface)
    bool definedHere = false; // resources: declared by this interface (not `use`d)
  };
  std::vector<NamedType> types;
  // Functions with their component-model names: "[method]input-stream.read", "get-stdout".
  std::vector<std::pair<std::string, FuncType>> funcs;

  std::string fullName() const { return version ? name + "@" + version->toString() : name; }
  const NamedType* findType(std::string_view n) const {
    for (const NamedType& t : types)
      if (t.name == n) return &t;
    return nullptr;
  }
  FuncType findFunc(std::string_view n) const {
    for (const auto& [fn, ft] : funcs)
      if (fn == n) return ft;
    return nullptr;
  }
};

// A set of interfaces in one universe (for instance all of WASI 0.2.12).
struct InterfaceSet {
  std::shared_ptr<TypeUniverse> universe = std::make_shared<TypeUniverse>();
  std::vector<InterfaceDecl> interfaces;
};

}  // namespace bantam::component
