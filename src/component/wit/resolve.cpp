// The WIT resolver (resolve.h): packages from files, interfaces with their types and functions
// in dependency order, worlds with `include` expanded and the interfaces their items need
// imported. WIT.md "Name resolution", "WIT Packages and `use`", "Worlds", "Feature gates".
#include "component/wit/resolve.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace bantam::wit {

using component::FieldType;
using component::CaseType;
using component::ResourceId;
using component::Semver;
using component::ValKind;
using component::ValType;

std::string ResolvedInterface::fullName() const {
  std::string s = ns + ":" + pkg + "/" + name;
  if (version) s += "@" + version->toString();
  return s;
}

std::string ResolvedWorld::fullName() const {
  auto at = package.find('@');
  if (at == std::string::npos) return package + "/" + name;
  return package.substr(0, at) + "/" + name + package.substr(at);
}

std::optional<uint32_t> Resolve::findInterface(std::string_view fullName) const {
  for (uint32_t i = 0; i < interfaces.size(); ++i)
    if (!interfaces[i].name.empty() && interfaces[i].fullName() == fullName) return i;
  return std::nullopt;
}

std::optional<uint32_t> Resolve::findWorld(std::string_view fullName) const {
  for (uint32_t i = 0; i < worlds.size(); ++i)
    if (worlds[i].fullName() == fullName) return i;
  return std::nullopt;
}

component::InterfaceSet Resolve::interfaceSet() const {
  component::InterfaceSet set;
  set.universe = universe;
  for (uint32_t i = 0; i < interfaces.size(); ++i) {
    const ResolvedInterface& ri = interfaces[i];
    if (ri.name.empty()) continue;  // inline world interfaces have no name to implement
    component::InterfaceDecl d;
    d.name = ri.ns + ":" + ri.pkg + "/" + ri.name;
    d.version = ri.version;
    for (const auto& [name, idx] : ri.types) {
      const NamedTypeInfo& t = types[idx];
      d.types.push_back({name, t.value, t.resource, t.resource.valid() && t.interface == i});
    }
    d.funcs = ri.funcs;
    set.interfaces.push_back(std::move(d));
  }
  return set;
}

namespace {

// One package: its interfaces and worlds by name, gathered from every file that declares it.
struct Package {
  PackageName name;
  std::optional<Semver> version;
  std::map<std::string, std::pair<const Interface*, const File*>, std::less<>> interfaces;
  std::map<std::string, std::pair<const World*, const File*>, std::less<>> worlds;
  std::map<std::string, UsePath, std::less<>> topUses;  // `use a:b/c@v as d;` → d
};

bool gatedOut(const Attrs& attrs, const ResolveOptions& o) {
  for (const Gate& g : attrs.gates)
    if (g.kind == Gate::Kind::Unstable && !o.allFeatures && !o.features.count(g.value)) return true;
  return false;
}

class Resolver {
 public:
  Resolver(Resolve& r, const ResolveOptions& o) : r_(r), o_(o) {}

  Result<void> run() {
    BANTAM_TRY(gatherPackages());
    // Every interface first (worlds may be skipped, interfaces never are), then worlds.
    for (uint32_t p = 0; p < pkgs_.size(); ++p)
      for (const auto& [name, iface] : pkgs_[p].interfaces)
        if (!gatedOut(iface.first->attrs, o_)) BANTAM_TRY(interface(p, name, iface.first->pos, *iface.second));
    for (uint32_t p = 0; p < pkgs_.size(); ++p)
      for (const auto& [name, w] : pkgs_[p].worlds) {
        if (gatedOut(w.first->attrs, o_)) continue;
        auto done = world(p, name, w.first->pos, *w.second);
        if (!done) {
          if (!o_.skipUnresolvableWorlds) return std::unexpected(std::move(done).error());
          r_.skipped.push_back({pkgs_[p].name.toString() + "/" + name, std::move(done).error()});
        }
      }
    return {};
  }

 private:
  using Scope = std::map<std::string, uint32_t, std::less<>>;  // name → Resolve::types

  std::unexpected<Error> error(const File& f, const Pos& at, std::string message, ErrorKind kind = ErrorKind::Invalid) {
    Error e = Error::make(kind, std::move(message));
    e.source = f.path;
    e.line = at.line;
    e.column = at.column;
    return std::unexpected(std::move(e));
  }

  static std::string dirOf(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
  }

  uint32_t packageIndex(const PackageName& n) {
    std::string key = n.toString();
    for (uint32_t i = 0; i < pkgs_.size(); ++i)
      if (pkgs_[i].name.toString() == key) return i;
    Package p;
    p.name = n;
    if (!n.version.empty()) p.version = Semver::parse(n.version);
    pkgs_.push_back(std::move(p));
    return static_cast<uint32_t>(pkgs_.size() - 1);
  }

  Result<void> addItems(uint32_t p, const std::vector<PackageItem>& items, const File& f) {
    for (const PackageItem& it : items) {
      switch (it.kind) {
        case PackageItem::Kind::Interface:
          if (!pkgs_[p].interfaces.emplace(it.interface.name, std::pair{&it.interface, &f}).second)
            return error(f, it.interface.pos, "interface `" + it.interface.name + "` is defined twice in package `" +
                                                 pkgs_[p].name.toString() + "`");
          break;
        case PackageItem::Kind::World:
          if (!pkgs_[p].worlds.emplace(it.world.name, std::pair{&it.world, &f}).second)
            return error(f, it.world.pos, "world `" + it.world.name + "` is defined twice in package `" +
                                             pkgs_[p].name.toString() + "`");
          break;
        case PackageItem::Kind::Use:
          pkgs_[p].topUses[it.use.alias.empty() ? it.use.path.name : it.use.alias] = it.use.path;
          break;
      }
    }
    return {};
  }

  Result<void> gatherPackages() {
    // WIT.md "Root Package: A Directory": files without `package` take their directory's.
    std::map<std::string, PackageName> byDir;
    for (const File& f : r_.files)
      if (f.package) byDir.emplace(dirOf(f.path), *f.package);
    for (const File& f : r_.files) {
      if (!f.items.empty()) {
        std::optional<PackageName> name = f.package;
        if (!name) {
          auto it = byDir.find(dirOf(f.path));
          if (it == byDir.end())
            return error(f, Pos{}, "no `package` declaration in this file or its directory");
          name = it->second;
        }
        BANTAM_TRY(addItems(packageIndex(*name), f.items, f));
      }
      for (const NestedPackage& np : f.nested) BANTAM_TRY(addItems(packageIndex(np.name), np.items, f));
    }
    return {};
  }

  // The package a path names from package `p`: a local name, a top-level `use` alias, or a
  // foreign package. A foreign version is matched like a host serves imports: the exact
  // version, else the newest compatible one (0.2.12 serves `@0.2.0`).
  Result<std::pair<uint32_t, std::string>> target(uint32_t p, const UsePath& path, const File& f, const Pos& at,
                                                  bool world) {
    if (path.isLocal()) {
      bool own = world ? (pkgs_[p].worlds.count(path.name) != 0) : (pkgs_[p].interfaces.count(path.name) != 0);
      if (own) return std::pair{p, path.name};
      auto alias = pkgs_[p].topUses.find(path.name);
      if (alias != pkgs_[p].topUses.end()) return target(p, alias->second, f, at, world);
      return error(f, at, std::string(world ? "world" : "interface") + " `" + path.name + "` does not exist in package `" +
                              pkgs_[p].name.toString() + "`");
    }
    std::string unversioned = path.ns + ":" + path.pkg;
    std::optional<Semver> wanted = path.version.empty() ? std::nullopt : Semver::parse(path.version);
    std::optional<uint32_t> best;
    for (uint32_t i = 0; i < pkgs_.size(); ++i) {
      const Package& c = pkgs_[i];
      if (c.name.unversioned() != unversioned) continue;
      bool exact = c.name.version == path.version;
      bool ok = exact || !wanted || (c.version && c.version->serves(*wanted));
      if (!ok) continue;
      if (exact) { best = i; break; }
      if (!best || (c.version && pkgs_[*best].version && c.version->compare(*pkgs_[*best].version) > 0)) best = i;
    }
    if (!best)
      return error(f, at, "package `" + unversioned + (path.version.empty() ? "" : "@" + path.version) +
                              "` is not available (referenced by `" + path.toString() + "`)");
    const Package& c = pkgs_[*best];
    if (world ? !c.worlds.count(path.name) : !c.interfaces.count(path.name))
      return error(f, at, std::string(world ? "world" : "interface") + " `" + path.name + "` does not exist in package `" +
                              c.name.toString() + "`");
    return std::pair{*best, path.name};
  }

  // ---- interfaces ----

  Result<uint32_t> interface(uint32_t p, const std::string& name, const Pos& at, const File& from) {
    auto key = std::pair{p, name};
    if (auto it = done_.find(key); it != done_.end()) return it->second;
    if (resolving_.count(key))
      return error(from, at, "interface `" + name + "` depends on itself through `use`");
    auto found = pkgs_[p].interfaces.find(name);
    if (found == pkgs_[p].interfaces.end())
      return error(from, at, "interface `" + name + "` does not exist in package `" + pkgs_[p].name.toString() + "`");
    const auto [ast, file] = found->second;
    if (gatedOut(ast->attrs, o_))
      return error(from, at, "interface `" + name + "` is @unstable and its feature is not enabled");
    resolving_.insert(key);
    ResolvedInterface ri;
    ri.package = pkgs_[p].name.toString();
    ri.name = name;
    ri.ns = pkgs_[p].name.ns;
    ri.pkg = pkgs_[p].name.name;
    ri.version = pkgs_[p].version;
    ri.ast = ast;
    BANTAM_TRY(body(p, *ast, *file, ri));
    resolving_.erase(key);
    // Dependencies were pushed while resolving `use`s, so the index is known only now.
    uint32_t index = static_cast<uint32_t>(r_.interfaces.size());
    for (auto& [n, t] : ri.types)
      if (r_.types[t].interface == UINT32_MAX - 1) r_.types[t].interface = index;
    r_.interfaces.push_back(std::move(ri));
    done_[key] = index;
    return index;
  }

  // Resolves the items of an interface body (a named interface or a world's inline one).
  // Types defined here are marked with interface UINT32_MAX - 1 until the caller knows the
  // interface's index.
  Result<void> body(uint32_t p, const Interface& ast, const File& f, ResolvedInterface& ri) {
    Scope scope;
    std::string owner = ri.name.empty() ? ri.package : ri.fullName();
    // `use` first: they may appear after the types that refer to them.
    for (const InterfaceItem& it : ast.items) {
      if (it.kind != InterfaceItem::Kind::Use || gatedOut(it.attrs, o_)) continue;
      BANTAM_TRY(useItem(p, it.use, f, it.pos, scope, ri.deps));
    }
    // Then every type name, so that definitions may come in any order.
    std::map<std::string, const InterfaceItem*, std::less<>> defs;
    for (const InterfaceItem& it : ast.items) {
      if (it.kind != InterfaceItem::Kind::TypeDef || gatedOut(it.attrs, o_)) continue;
      if (scope.count(it.typeDef.name) || !defs.emplace(it.typeDef.name, &it).second)
        return error(f, it.pos, "type `" + it.typeDef.name + "` is defined twice");
    }
    TypeCtx ctx{p, f, scope, defs, owner, {}};
    for (const InterfaceItem& it : ast.items) {
      if (gatedOut(it.attrs, o_)) continue;
      if (it.kind == InterfaceItem::Kind::Use) {
        for (const auto& [n, alias] : it.use.names) {
          const std::string& local = alias.empty() ? n : alias;
          ri.types.push_back({local, scope.at(local)});
        }
      } else if (it.kind == InterfaceItem::Kind::TypeDef) {
        uint32_t t = BANTAM_TRY(namedType(ctx, it.typeDef.name, it.pos));
        ri.types.push_back({it.typeDef.name, t});
      }
    }
    // Functions in source order; a resource's functions right after it.
    std::set<std::string> seen;
    auto addFunc = [&](std::string fname, const FuncSig& sig, const Pos& at,
                       std::optional<FieldType> self, ValType ctorResult) -> Result<void> {
      if (sig.isAsync) return error(f, at, "`async` functions are not supported", ErrorKind::Unsupported);
      if (!seen.insert(fname).second) return error(f, at, "function `" + fname + "` is defined twice");
      std::vector<FieldType> params;
      if (self) params.push_back(*self);
      for (const Param& prm : sig.params) params.push_back({prm.name, BANTAM_TRY(valType(ctx, prm.type))});
      ValType result = ctorResult;
      if (sig.result) result = BANTAM_TRY(valType(ctx, *sig.result));
      ri.funcs.push_back({std::move(fname), r_.universe->arena->func(std::move(params), result)});
      return {};
    };
    for (const InterfaceItem& it : ast.items) {
      if (gatedOut(it.attrs, o_)) continue;
      if (it.kind == InterfaceItem::Kind::Func) {
        BANTAM_TRY(addFunc(it.func.name, it.func.sig, it.pos, std::nullopt, nullptr));
      } else if (it.kind == InterfaceItem::Kind::TypeDef && it.typeDef.kind == TypeDefItem::Kind::Resource) {
        const std::string& res = it.typeDef.name;
        ResourceId id = r_.types[scope.at(res)].resource;
        for (const ResourceFunc& rf : it.typeDef.funcs) {
          if (gatedOut(rf.attrs, o_)) continue;
          switch (rf.kind) {
            case ResourceFunc::Kind::Constructor:
              BANTAM_TRY(addFunc("[constructor]" + res, rf.sig, rf.pos, std::nullopt, r_.universe->arena->own(id)));
              break;
            case ResourceFunc::Kind::Method:
              BANTAM_TRY(addFunc("[method]" + res + "." + rf.name, rf.sig, rf.pos,
                                 FieldType{"self", r_.universe->arena->borrow(id)}, nullptr));
              break;
            case ResourceFunc::Kind::Static:
              BANTAM_TRY(addFunc("[static]" + res + "." + rf.name, rf.sig, rf.pos, std::nullopt, nullptr));
              break;
          }
        }
      }
    }
    return {};
  }

  // `use path.{a, b as c}`: the names join `scope`, the interface joins `deps`.
  Result<void> useItem(uint32_t p, const UseItem& use, const File& f, const Pos& at, Scope& scope,
                       std::vector<uint32_t>& deps) {
    auto [tp, tname] = BANTAM_TRY(target(p, use.path, f, at, false));
    uint32_t dep = BANTAM_TRY(interface(tp, tname, at, f));
    if (std::find(deps.begin(), deps.end(), dep) == deps.end()) deps.push_back(dep);
    const ResolvedInterface& from = r_.interfaces[dep];
    for (const auto& [n, alias] : use.names) {
      auto it = std::find_if(from.types.begin(), from.types.end(), [&](const auto& e) { return e.first == n; });
      if (it == from.types.end())
        return error(f, at, "type `" + n + "` does not exist in interface `" + from.fullName() + "`");
      const std::string& local = alias.empty() ? n : alias;
      if (!scope.emplace(local, it->second).second) return error(f, at, "name `" + local + "` is used twice");
    }
    return {};
  }

  struct TypeCtx {
    uint32_t pkg;
    const File& file;
    Scope& scope;
    std::map<std::string, const InterfaceItem*, std::less<>>& defs;
    std::string owner;  // the interface's full name (resources are named after it)
    std::set<std::string> resolving;
  };

  // The Resolve::types index of a name in scope, resolving its definition on first use.
  Result<uint32_t> namedType(TypeCtx& c, const std::string& name, const Pos& at) {
    if (auto it = c.scope.find(name); it != c.scope.end()) return it->second;
    auto d = c.defs.find(name);
    if (d == c.defs.end()) return error(c.file, at, "type `" + name + "` does not exist");
    if (!c.resolving.insert(name).second)
      return error(c.file, at, "type `" + name + "` depends on itself");
    if (c.resolving.size() > component::kMaxTypeDepth)  // a chain of definitions: bounded recursion
      return error(c.file, at, "type definitions nest too deep (more than " + std::to_string(component::kMaxTypeDepth) +
                                   " levels)", ErrorKind::Limit);
    const TypeDefItem& td = d->second->typeDef;
    NamedTypeInfo info;
    info.name = name;
    info.interface = UINT32_MAX - 1;
    auto& arena = *r_.universe->arena;
    switch (td.kind) {
      case TypeDefItem::Kind::Resource:
        info.resource = r_.universe->addResource(c.owner, name);
        break;
      case TypeDefItem::Kind::Alias:
        if (td.alias.kind == TypeExpr::Kind::Named) {
          uint32_t target = BANTAM_TRY(namedType(c, td.alias.name, td.alias.pos));
          info.resource = r_.types[target].resource;
          info.value = r_.types[target].value;
        } else {
          info.value = BANTAM_TRY(valType(c, td.alias));
        }
        break;
      case TypeDefItem::Kind::Record: {
        if (td.fields.empty()) return error(c.file, d->second->pos, "record `" + name + "` has no fields");
        std::vector<FieldType> fields;
        for (const auto& [fn, ft] : td.fields) fields.push_back({fn, BANTAM_TRY(valType(c, ft))});
        info.value = arena.record(std::move(fields));
        break;
      }
      case TypeDefItem::Kind::Variant: {
        if (td.cases.empty()) return error(c.file, d->second->pos, "variant `" + name + "` has no cases");
        std::vector<CaseType> cases;
        for (const auto& [cn, ct] : td.cases) cases.push_back({cn, ct ? BANTAM_TRY(valType(c, *ct)) : nullptr});
        info.value = arena.variant(std::move(cases));
        break;
      }
      case TypeDefItem::Kind::Enum:
        if (td.labels.empty()) return error(c.file, d->second->pos, "enum `" + name + "` has no cases");
        info.value = arena.enumType(td.labels);
        break;
      case TypeDefItem::Kind::Flags:
        if (td.labels.size() > 32)
          return error(c.file, d->second->pos, "flags `" + name + "` has more than 32 labels", ErrorKind::Unsupported);
        info.value = arena.flags(td.labels);
        break;
    }
    c.resolving.erase(name);
    uint32_t index = static_cast<uint32_t>(r_.types.size());
    r_.types.push_back(std::move(info));
    c.scope.emplace(name, index);
    return index;
  }

  Result<ValType> valType(TypeCtx& c, const TypeExpr& t) {
    ValType v = BANTAM_TRY(valTypeOf(c, t));
    if (v && v->depth > component::kMaxTypeDepth)
      return error(c.file, t.pos, "type nesting is too deep: more than " + std::to_string(component::kMaxTypeDepth) + " levels",
                   ErrorKind::Limit);
    return v;
  }

  Result<ValType> valTypeOf(TypeCtx& c, const TypeExpr& t) {
    auto& arena = *r_.universe->arena;
    switch (t.kind) {
      case TypeExpr::Kind::Primitive: {
        static const std::pair<const char*, ValKind> prims[] = {
            {"bool", ValKind::Bool}, {"s8", ValKind::S8},   {"u8", ValKind::U8},   {"s16", ValKind::S16},
            {"u16", ValKind::U16},   {"s32", ValKind::S32}, {"u32", ValKind::U32}, {"s64", ValKind::S64},
            {"u64", ValKind::U64},   {"f32", ValKind::F32}, {"f64", ValKind::F64}, {"char", ValKind::Char},
            {"string", ValKind::String}};
        for (const auto& [n, k] : prims)
          if (t.name == n) return component::primType(k);
        return error(c.file, t.pos, "unknown primitive type `" + t.name + "`");
      }
      case TypeExpr::Kind::Named: {
        const NamedTypeInfo& info = r_.types[BANTAM_TRY(namedType(c, t.name, t.pos))];
        if (info.resource.valid()) return arena.own(info.resource);  // a bare resource name is own<r>
        return info.value;
      }
      case TypeExpr::Kind::Own:
      case TypeExpr::Kind::Borrow: {
        const NamedTypeInfo& info = r_.types[BANTAM_TRY(namedType(c, t.name, t.pos))];
        if (!info.resource.valid()) return error(c.file, t.pos, "`" + t.name + "` is not a resource type");
        return t.kind == TypeExpr::Kind::Own ? arena.own(info.resource) : arena.borrow(info.resource);
      }
      case TypeExpr::Kind::List: return arena.list(BANTAM_TRY(valType(c, t.args.at(0))));
      case TypeExpr::Kind::Option: return arena.option(BANTAM_TRY(valType(c, t.args.at(0))));
      case TypeExpr::Kind::Tuple: {
        std::vector<ValType> items;
        for (const TypeExpr& a : t.args) items.push_back(BANTAM_TRY(valType(c, a)));
        return arena.tuple(std::move(items));
      }
      case TypeExpr::Kind::Result: {
        ValType ok = nullptr, err = nullptr;
        if (t.ok && *t.ok) ok = BANTAM_TRY(valType(c, **t.ok));
        if (t.err && *t.err) err = BANTAM_TRY(valType(c, **t.err));
        return arena.result(ok, err);
      }
      case TypeExpr::Kind::FixedList:
        return error(c.file, t.pos, "fixed-length lists (`list<T, N>`) are not supported", ErrorKind::Unsupported);
      case TypeExpr::Kind::Future:
        return error(c.file, t.pos, "`future` types (component-model async) are not supported", ErrorKind::Unsupported);
      case TypeExpr::Kind::Stream:
        return error(c.file, t.pos, "`stream` types (component-model async) are not supported", ErrorKind::Unsupported);
      case TypeExpr::Kind::Map:
        return error(c.file, t.pos, "`map` types are not supported", ErrorKind::Unsupported);
    }
    return error(c.file, t.pos, "unknown type");
  }

  // ---- worlds ----

  static void addEntry(std::vector<WorldEntry>& to, WorldEntry e) {
    for (const WorldEntry& x : to)
      if (x.name == e.name) return;  // WIT.md: an include's duplicate of the same item is one item
    to.push_back(std::move(e));
  }

  // Imports `dep` and, first, everything it depends on (WIT.md "Worlds": a world implicitly
  // imports the interfaces its items use).
  void importWithDeps(ResolvedWorld& w, uint32_t iface, const std::set<std::string>& exported) {
    for (uint32_t d : r_.interfaces[iface].deps) importWithDeps(w, d, exported);
    std::string n = r_.interfaces[iface].fullName();
    if (!exported.count(n)) addEntry(w.imports, {WorldEntry::Kind::Interface, n, iface, nullptr, 0});
  }

  Result<uint32_t> world(uint32_t p, const std::string& name, const Pos& at, const File& from) {
    auto key = std::pair{p, name};
    if (auto it = worldsDone_.find(key); it != worldsDone_.end()) return it->second;
    if (worldsResolving_.count(key)) return error(from, at, "world `" + name + "` includes itself");
    auto found = pkgs_[p].worlds.find(name);
    if (found == pkgs_[p].worlds.end())
      return error(from, at, "world `" + name + "` does not exist in package `" + pkgs_[p].name.toString() + "`");
    const auto [ast, file] = found->second;
    const File& f = *file;
    worldsResolving_.insert(key);
    ResolvedWorld w;
    w.package = pkgs_[p].name.toString();
    w.name = name;
    Scope scope;
    std::vector<uint32_t> typeDeps;
    std::map<std::string, const InterfaceItem*, std::less<>> noDefs;
    std::vector<WorldEntry> imports, exports;
    // World-level types: `use` and type definitions, visible to the world's functions.
    std::vector<InterfaceItem> typeItems;
    for (const WorldItem& it : ast->items) {
      if (gatedOut(it.attrs, o_)) continue;
      if (it.kind == WorldItem::Kind::Use) {
        BANTAM_TRY(useItem(p, it.use, f, it.pos, scope, typeDeps));
        for (const auto& [n, alias] : it.use.names) {
          const std::string& local = alias.empty() ? n : alias;
          imports.push_back({WorldEntry::Kind::Type, local, 0, nullptr, scope.at(local)});
        }
      } else if (it.kind == WorldItem::Kind::TypeDef) {
        InterfaceItem ii;
        ii.kind = InterfaceItem::Kind::TypeDef;
        ii.typeDef = it.typeDef;
        ii.pos = it.pos;
        typeItems.push_back(std::move(ii));
      }
    }
    std::map<std::string, const InterfaceItem*, std::less<>> defs;
    for (const InterfaceItem& ii : typeItems) defs.emplace(ii.typeDef.name, &ii);
    TypeCtx ctx{p, f, scope, defs, w.package + "/" + name, {}};
    for (const InterfaceItem& ii : typeItems) {
      uint32_t t = BANTAM_TRY(namedType(ctx, ii.typeDef.name, ii.pos));
      r_.types[t].interface = UINT32_MAX;
      imports.push_back({WorldEntry::Kind::Type, ii.typeDef.name, 0, nullptr, t});
    }
    for (const WorldItem& it : ast->items) {
      if (gatedOut(it.attrs, o_)) continue;
      bool isImport = it.kind == WorldItem::Kind::Import;
      if (it.kind == WorldItem::Kind::Include) {
        auto [tp, tname] = BANTAM_TRY(target(p, it.path, f, it.pos, true));
        uint32_t inc = BANTAM_TRY(world(tp, tname, it.pos, f));
        auto rename = [&](std::string n) {
          for (const auto& [fromName, to] : it.includeWith)
            if (fromName == n) return to;
          return n;
        };
        for (WorldEntry e : r_.worlds[inc].imports) {
          if (e.kind != WorldEntry::Kind::Interface || r_.interfaces[e.interface].name.empty()) e.name = rename(e.name);
          imports.push_back(e);
        }
        for (WorldEntry e : r_.worlds[inc].exports) {
          if (e.kind != WorldEntry::Kind::Interface || r_.interfaces[e.interface].name.empty()) e.name = rename(e.name);
          exports.push_back(e);
        }
        continue;
      }
      if (!isImport && it.kind != WorldItem::Kind::Export) continue;
      auto& to = isImport ? imports : exports;
      switch (it.externKind) {
        case WorldItem::ExternKind::Path:
        case WorldItem::ExternKind::NamedPath: {
          auto [tp, tname] = BANTAM_TRY(target(p, it.path, f, it.pos, false));
          uint32_t i = BANTAM_TRY(interface(tp, tname, it.pos, f));
          std::string n = it.externKind == WorldItem::ExternKind::NamedPath ? it.name : r_.interfaces[i].fullName();
          to.push_back({WorldEntry::Kind::Interface, n, i, nullptr, 0});
          break;
        }
        case WorldItem::ExternKind::Func: {
          std::vector<FieldType> params;
          for (const Param& prm : it.func.params) params.push_back({prm.name, BANTAM_TRY(valType(ctx, prm.type))});
          ValType result = it.func.result ? BANTAM_TRY(valType(ctx, *it.func.result)) : nullptr;
          to.push_back({WorldEntry::Kind::Func, it.name, 0, r_.universe->arena->func(std::move(params), result), 0});
          break;
        }
        case WorldItem::ExternKind::Interface: {
          ResolvedInterface ri;
          ri.package = w.package;
          ri.ns = pkgs_[p].name.ns;
          ri.pkg = pkgs_[p].name.name;
          ri.version = pkgs_[p].version;
          ri.ast = it.inlineInterface.get();
          BANTAM_TRY(body(p, *it.inlineInterface, f, ri));
          uint32_t index = static_cast<uint32_t>(r_.interfaces.size());
          for (auto& [n, t] : ri.types)
            if (r_.types[t].interface == UINT32_MAX - 1) r_.types[t].interface = index;
          r_.interfaces.push_back(std::move(ri));
          to.push_back({WorldEntry::Kind::Interface, it.name, index, nullptr, 0});
          break;
        }
      }
    }
    // Implicit imports: what used types and imported/exported interfaces depend on.
    std::set<std::string> exported;
    for (const WorldEntry& e : exports)
      if (e.kind == WorldEntry::Kind::Interface) exported.insert(e.name);
    for (uint32_t d : typeDeps) importWithDeps(w, d, exported);
    for (const WorldEntry& e : imports) {
      if (e.kind == WorldEntry::Kind::Interface) {
        for (uint32_t d : r_.interfaces[e.interface].deps) importWithDeps(w, d, exported);
      }
      addEntry(w.imports, e);
    }
    for (const WorldEntry& e : exports) {
      if (e.kind == WorldEntry::Kind::Interface)
        for (uint32_t d : r_.interfaces[e.interface].deps) importWithDeps(w, d, exported);
      addEntry(w.exports, e);
    }
    worldsResolving_.erase(key);
    uint32_t index = static_cast<uint32_t>(r_.worlds.size());
    r_.worlds.push_back(std::move(w));
    worldsDone_[key] = index;
    return index;
  }

  Resolve& r_;
  const ResolveOptions& o_;
  std::vector<Package> pkgs_;
  std::map<std::pair<uint32_t, std::string>, uint32_t> done_, worldsDone_;
  std::set<std::pair<uint32_t, std::string>> resolving_, worldsResolving_;
};

}  // namespace

Result<Resolve> resolveWit(std::vector<File> files, const ResolveOptions& options) {
  Resolve r;
  r.files = std::move(files);
  Resolver resolver(r, options);
  BANTAM_TRY(resolver.run());
  return r;
}

Result<std::vector<File>> loadWitFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(ErrorKind::Io, "`" + dir + "` is not a directory");
  std::vector<std::string> paths;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".wit") paths.push_back(it->path().string());
  if (ec) return fail(ErrorKind::Io, "cannot read `" + dir + "`: " + ec.message());
  std::sort(paths.begin(), paths.end());
  std::vector<File> files;
  for (const std::string& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return fail(ErrorKind::Io, "cannot open `" + p + "`");
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back(BANTAM_TRY(parseWit(ss.str(), p)));
  }
  return files;
}

}  // namespace bantam::wit
