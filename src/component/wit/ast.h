// The WIT syntax tree (WIT.md "Top-level items" onwards), as written: parsed by parseWit,
// printed back by printWit, given meaning by the resolver (resolve.h). Equality ignores
// positions, so parse(print(ast)) == ast is the printer's round-trip property.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "component/wit/lexer.h"

namespace bantam::wit {

// @since(version = ..), @unstable(feature = ..), @deprecated(version = ..), @external-id("..")
struct Gate {
  enum class Kind : uint8_t { Since, Unstable, Deprecated, ExternalId } kind = Kind::Since;
  std::string value;
  bool operator==(const Gate&) const = default;
};

struct Attrs {
  std::vector<std::string> docs;  // doc comment lines
  std::vector<Gate> gates;
  bool operator==(const Attrs&) const = default;
};

// A path to an interface or world: `name` (in this package) or `ns:pkg/name@version`
// (🪺 nested namespaces and packages are joined with ':' and '/').
struct UsePath {
  std::string ns, pkg;  // empty for a local name
  std::string name;
  std::string version;  // empty: none
  bool isLocal() const { return pkg.empty(); }
  std::string toString() const;
  bool operator==(const UsePath&) const = default;
};

struct TypeExpr {
  enum class Kind : uint8_t {
    Primitive, Named, List, FixedList, Option, Result, Tuple, Borrow, Own, Future, Stream, Map,
  } kind = Kind::Primitive;
  std::string name;  // Primitive: "u32", "string"...; Named/Borrow/Own: the type name
  std::vector<TypeExpr> args;  // List/Option/Future/Stream: 1 (or 0); Tuple: n; Map: 2
  std::optional<std::unique_ptr<TypeExpr>> ok, err;  // Result (either may be absent; ok may be `_`)
  uint32_t length = 0;  // FixedList
  Pos pos;

  TypeExpr() = default;
  TypeExpr(const TypeExpr& o);
  TypeExpr& operator=(const TypeExpr& o);
  TypeExpr(TypeExpr&&) = default;
  TypeExpr& operator=(TypeExpr&&) = default;
  bool operator==(const TypeExpr& o) const;
};

struct Param {
  std::string name;
  TypeExpr type;
  bool operator==(const Param&) const = default;
};

struct FuncSig {
  bool isAsync = false;
  std::vector<Param> params;
  std::optional<TypeExpr> result;
  bool operator==(const FuncSig&) const = default;
};

struct ResourceFunc {
  enum class Kind : uint8_t { Method, Static, Constructor } kind = Kind::Method;
  std::string name;  // empty for the constructor
  FuncSig sig;
  Attrs attrs;
  Pos pos;
  bool operator==(const ResourceFunc&) const = default;
};

struct TypeDefItem {
  enum class Kind : uint8_t { Alias, Record, Variant, Enum, Flags, Resource } kind = Kind::Alias;
  std::string name;
  TypeExpr alias;                                        // Alias
  std::vector<std::pair<std::string, TypeExpr>> fields;  // Record
  std::vector<std::pair<std::string, std::optional<TypeExpr>>> cases;  // Variant
  std::vector<std::string> labels;                       // Enum, Flags
  std::vector<ResourceFunc> funcs;                       // Resource
  bool resourceBody = false;                             // Resource written with `{ ... }`
  bool operator==(const TypeDefItem&) const = default;
};

struct UseItem {
  UsePath path;
  std::vector<std::pair<std::string, std::string>> names;  // name, alias (empty: none)
  bool operator==(const UseItem&) const = default;
};

struct FuncItem {
  std::string name;
  FuncSig sig;
  bool operator==(const FuncItem&) const = default;
};

struct InterfaceItem {
  enum class Kind : uint8_t { Use, TypeDef, Func } kind = Kind::Func;
  UseItem use;
  TypeDefItem typeDef;
  FuncItem func;
  Attrs attrs;
  Pos pos;
  bool operator==(const InterfaceItem&) const = default;
};

struct Interface {
  std::string name;  // empty for an inline world interface
  std::vector<InterfaceItem> items;
  Attrs attrs;
  Pos pos;
  bool operator==(const Interface&) const = default;
};

struct WorldItem {
  enum class Kind : uint8_t { Import, Export, Use, TypeDef, Include } kind = Kind::Import;
  // Import/Export: `name: func..`, `name: interface {..}`, `name: use-path`, or `use-path`.
  enum class ExternKind : uint8_t { Path, NamedPath, Func, Interface } externKind = ExternKind::Path;
  std::string name;
  UsePath path;
  FuncSig func;
  std::shared_ptr<Interface> inlineInterface;
  UseItem use;
  TypeDefItem typeDef;
  std::vector<std::pair<std::string, std::string>> includeWith;  // Include: from, to
  Attrs attrs;
  Pos pos;
  bool operator==(const WorldItem& o) const;
};

struct World {
  std::string name;
  std::vector<WorldItem> items;
  Attrs attrs;
  Pos pos;
  bool operator==(const World&) const = default;
};

struct PackageName {
  std::string ns;    // "wasi" (🪺 nested: "a:b")
  std::string name;  // "io" (🪺 nested: "c/d")
  std::string version;
  std::string toString() const;  // "wasi:io@0.2.12"
  std::string unversioned() const { return ns + ":" + name; }
  bool operator==(const PackageName&) const = default;
};

struct TopUse {
  UsePath path;
  std::string alias;
  bool operator==(const TopUse&) const = default;
};

// The items of one package body in file order.
struct PackageItem {
  enum class Kind : uint8_t { Use, Interface, World } kind = Kind::Interface;
  TopUse use;
  Interface interface;
  World world;
  bool operator==(const PackageItem&) const = default;
};

struct NestedPackage {
  PackageName name;
  Attrs attrs;
  std::vector<PackageItem> items;
  bool operator==(const NestedPackage&) const = default;
};

struct File {
  std::string path;  // for messages; not compared
  std::optional<PackageName> package;
  Attrs packageAttrs;
  std::vector<PackageItem> items;
  std::vector<NestedPackage> nested;
  bool operator==(const File& o) const {
    return package == o.package && packageAttrs == o.packageAttrs && items == o.items && nested == o.nested;
  }
};

// Parses one WIT file. Errors: ErrorKind::Parse with file, line and column.
Result<File> parseWit(std::string_view text, const std::string& path);
// Prints a file in canonical form (two-space indentation, one item per line, doc comments
// and gates kept); parseWit(printWit(f)) == f.
std::string printWit(const File& file);
std::string printType(const TypeExpr& t);

}  // namespace bantam::wit
