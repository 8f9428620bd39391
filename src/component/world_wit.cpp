// componentWorldToWit (world_wit.h): walks the plan's root imports and exports.
#include "component/world_wit.h"

#include <map>
#include <set>

#include "component/wit/lexer.h"

namespace bantam::component {
namespace {

// A name as WIT writes it: keywords need a '%' (a record field called `type`).
std::string id(const std::string& name) { return wit::isWitKeyword(name) ? "%" + name : name; }

struct Printer {
  const ComponentPlan& plan;
  std::map<uint32_t, std::string> resourceNames;  // ResourceId → WIT name
  // The named value types of the interface being printed.
  std::vector<std::pair<std::string, ValType>> named;
  // Value types already defined by an interface printed earlier (the same node: an `eq` alias
  // of another import's type), so a later interface `use`s them instead of repeating them.
  std::map<ValType, std::pair<std::string, std::string>> definedIn;  // type → interface, name

  std::map<uint32_t, std::string> localResources;  // the names in the interface being printed
  std::string resourceName(ResourceId id) {
    if (auto local = localResources.find(id.value); local != localResources.end())
      return bantam::component::id(local->second);
    auto it = resourceNames.find(id.value);
    return it != resourceNames.end() ? bantam::component::id(it->second) : "resource" + std::to_string(id.value);
  }

  std::string type(ValType t, bool top = true) {
    if (!t) return "_";
    if (!top || !isPrimitive(t->kind))
      for (const auto& [n, v] : named)
        if (v == t || (!isPrimitive(t->kind) && typesEqual(v, t))) return id(n);
    switch (t->kind) {
      case ValKind::List: return "list<" + type(t->elem) + ">";
      case ValKind::Option: return "option<" + type(t->cases[1].type) + ">";
      case ValKind::Result: {
        ValType ok = t->cases[0].type, err = t->cases[1].type;
        if (!ok && !err) return "result";
        if (!err) return "result<" + type(ok) + ">";
        return "result<" + type(ok) + ", " + type(err) + ">";
      }
      case ValKind::Tuple: {
        std::string s = "tuple<";
        for (size_t i = 0; i < t->fields.size(); ++i) s += (i ? ", " : "") + type(t->fields[i].type);
        return s + ">";
      }
      case ValKind::Own: return resourceName(t->resource);
      case ValKind::Borrow: return "borrow<" + resourceName(t->resource) + ">";
      case ValKind::Record:
      case ValKind::Variant:
      case ValKind::Enum:
      case ValKind::Flags: return typeToString(t);  // anonymous: not valid WIT, but readable
      default: return valKindName(t->kind);
    }
  }

  // The body of a named type definition: `record point { x: s32, y: s32 }`.
  std::string definition(const std::string& name, ValType t) {
    switch (t->kind) {
      case ValKind::Record: {
        std::string s = "record " + id(name) + " {\n";
        for (const FieldType& f : t->fields) s += "      " + id(f.name) + ": " + type(f.type) + ",\n";
        return s + "    }";
      }
      case ValKind::Variant: {
        std::string s = "variant " + id(name) + " {\n";
        for (const CaseType& c : t->cases) s += "      " + id(c.name) + (c.type ? "(" + type(c.type) + ")" : "") + ",\n";
        return s + "    }";
      }
      case ValKind::Enum: {
        std::string s = "enum " + id(name) + " {\n";
        for (const CaseType& c : t->cases) s += "      " + id(c.name) + ",\n";
        return s + "    }";
      }
      case ValKind::Flags: {
        std::string s = "flags " + id(name) + " {\n";
        for (const std::string& l : t->labels) s += "      " + id(l) + ",\n";
        return s + "    }";
      }
      default:
        // An alias of a primitive names nothing else (two aliases of u64 must not refer to each other).
        return "type " + id(name) + " = " + (isPrimitive(t->kind) ? std::string(valKindName(t->kind)) : type(t, false)) + ";";
    }
  }

  std::string params(FuncType f, size_t skip) {
    std::string s = "(";
    for (size_t i = skip; i < f->params.size(); ++i)
      s += (i > skip ? ", " : "") + id(f->params[i].name) + ": " + type(f->params[i].type);
    return s + ")";
  }
  std::string func(FuncType f, size_t skip = 0) {
    return "func" + params(f, skip) + (f->result ? " -> " + type(f->result) : "") + ";";
  }

  // The items of one instance type as an interface body.
  std::string interfaceBody(const std::vector<std::pair<std::string, ExternTypeInfo>>& items, uint32_t import,
                            const std::string& self) {
    named.clear();
    localResources.clear();
    for (const auto& [name, info] : items)
      if (info.kind == ExternTypeInfo::Kind::Type && info.resource.valid()) localResources.emplace(info.resource.value, name);
    std::string out;
    std::map<std::string, std::vector<std::string>> resourceFuncs;
    for (const auto& [name, info] : items)
      if (info.kind == ExternTypeInfo::Kind::Type && !info.resource.valid() && info.value) named.push_back({name, info.value});
    for (const auto& [name, info] : items) {
      if (info.kind != ExternTypeInfo::Kind::Type) continue;
      if (info.resource.valid()) {
        const PlanResource& r = plan.resources[info.resource.value];
        bool own = import == kNone ? r.kind == PlanResource::Kind::Defined
                                   : (r.kind == PlanResource::Kind::Imported && r.import == import);
        if (own) out += "    resource " + id(name) + "@@" + name + "@@\n";
        else if (r.kind == PlanResource::Kind::Imported && r.import < plan.imports.size() && !r.path.empty())
          out += "    use " + plan.imports[r.import].name.text + ".{" +
                 (r.path.back() == name ? id(name) : id(r.path.back()) + " as " + id(name)) + "};\n";
        else out += "    resource " + id(name) + ";\n";
      } else if (info.value && !isPrimitive(info.value->kind) && definedIn.count(info.value) &&
                 definedIn[info.value].first != self) {
        const auto& [from, orig] = definedIn[info.value];
        out += "    use " + from + ".{" + (orig == name ? id(name) : id(orig) + " as " + id(name)) + "};\n";
      } else if (info.value) {
        if (!isPrimitive(info.value->kind)) definedIn.emplace(info.value, std::pair{self, name});
        // Print the definition without naming itself.
        auto saved = named;
        std::erase_if(named, [&](const auto& e) { return e.first == name; });
        out += "    " + definition(name, info.value) + "\n";
        named = saved;
      }
    }
    for (const auto& [name, info] : items) {
      if (info.kind != ExternTypeInfo::Kind::Func || !info.func) continue;
      ExternName n = ExternName::parse(name).value_or(ExternName{});
      switch (n.kind) {
        case ExternName::Kind::Constructor:
          resourceFuncs[n.resource].push_back("constructor" + params(info.func, 0) + ";");
          break;
        case ExternName::Kind::Method:
          resourceFuncs[n.resource].push_back(id(n.function) + ": " + func(info.func, 1));
          break;
        case ExternName::Kind::Static:
          resourceFuncs[n.resource].push_back(id(n.function) + ": static " + func(info.func));
          break;
        default: out += "    " + id(name) + ": " + func(info.func) + "\n";
      }
    }
    // Resource bodies go where the resource was declared.
    for (const auto& [name, info] : items) {
      std::string marker = "@@" + name + "@@";
      size_t at = out.find(marker);
      if (at == std::string::npos) continue;
      auto it = resourceFuncs.find(name);
      std::string body = ";";
      if (it != resourceFuncs.end()) {
        body = " {\n";
        for (const std::string& f : it->second) body += "      " + f + "\n";
        body += "    }";
      }
      out.replace(at, marker.size(), body);
    }
    return out;
  }
};

std::vector<std::pair<std::string, ExternTypeInfo>> exportItems(const PlanExportInstance& inst) {
  std::vector<std::pair<std::string, ExternTypeInfo>> out;
  for (const auto& [name, item] : inst.exports) {
    ExternTypeInfo info;
    info.kind = item.kind;
    info.func = item.funcType;
    info.value = item.value;
    info.resource = item.resource;
    out.push_back({name, info});
  }
  return out;
}

}  // namespace

std::string componentWorldToWit(const ComponentPlan& plan) {
  Printer p{plan, {}, {}};
  // Resource names: the export name each resource has in its interface.
  for (const PlanImport& imp : plan.imports)
    if (imp.type.instance)
      for (const auto& [name, info] : imp.type.instance->exports)
        if (info.kind == ExternTypeInfo::Kind::Type && info.resource.valid()) p.resourceNames.emplace(info.resource.value, name);
  for (const PlanExport& e : plan.exports)
    if (e.item.instance)
      for (const auto& [name, item] : e.item.instance->exports)
        if (item.kind == ExternTypeInfo::Kind::Type && item.resource.valid()) p.resourceNames.emplace(item.resource.value, name);

  // Interfaces grouped by package.
  std::map<std::string, std::string> packages;  // "ns:pkg@version" → body
  std::string world;
  for (uint32_t i = 0; i < plan.imports.size(); ++i) {
    const PlanImport& imp = plan.imports[i];
    if (imp.type.kind == ExternTypeInfo::Kind::Func) {
      world += "  import " + imp.name.text + ": " + p.func(imp.type.func) + "\n";
    } else if (imp.type.kind == ExternTypeInfo::Kind::Instance && imp.type.instance) {
      std::string body = p.interfaceBody(imp.type.instance->exports, i, imp.name.text);
      if (imp.name.isInterface()) {
        std::string pkg = imp.name.packageName() + (imp.name.version ? "@" + imp.name.version->toString() : "");
        packages[pkg] += "  interface " + id(imp.name.interface) + " {\n" + body + "  }\n";
        world += "  import " + imp.name.text + ";\n";
      } else {
        world += "  import " + imp.name.text + ": interface {\n" + body + "  }\n";
      }
    } else {
      world += "  // import " + imp.name.text + " (a component, module or type: not expressible in a world)\n";
    }
  }
  for (const PlanExport& e : plan.exports) {
    if (e.item.kind == ExternTypeInfo::Kind::Func && e.item.funcType) {
      world += "  export " + e.name.text + ": " + p.func(e.item.funcType) + "\n";
    } else if (e.item.kind == ExternTypeInfo::Kind::Instance && e.item.instance) {
      std::string body = p.interfaceBody(exportItems(*e.item.instance), kNone, e.name.text);
      if (e.name.isInterface()) {
        std::string pkg = e.name.packageName() + (e.name.version ? "@" + e.name.version->toString() : "");
        packages[pkg] += "  interface " + id(e.name.interface) + " {\n" + body + "  }\n";
        world += "  export " + e.name.text + ";\n";
      } else {
        world += "  export " + e.name.text + ": interface {\n" + body + "  }\n";
      }
    }
  }
  std::string out = "package root:component;\n\nworld root {\n" + world + "}\n";
  for (const auto& [pkg, body] : packages) out += "\npackage " + pkg + " {\n" + body + "}\n";
  return out;
}

}  // namespace bantam::component
