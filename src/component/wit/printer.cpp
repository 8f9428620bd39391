// The WIT printer: canonical text for a File (two-space indentation, doc comments and gates
// kept, keywords used as names %-escaped).
#include "component/wit/ast.h"

namespace bantam::wit {

namespace {

std::string name(const std::string& n) { return isWitKeyword(n) ? "%" + n : n; }

std::string path(const UsePath& p) {
  if (p.isLocal()) return name(p.name);
  std::string s = p.ns + ":" + p.pkg + "/" + name(p.name);
  if (!p.version.empty()) s += "@" + p.version;
  return s;
}

class Printer {
 public:
  std::string out;

  void line(int indent, const std::string& s) {
    out.append(static_cast<size_t>(indent) * 2, ' ');
    out += s;
    out += '\n';
  }

  void attrs(int indent, const Attrs& a) {
    for (const std::string& d : a.docs) line(indent, d.empty() ? "///" : "/// " + d);
    for (const Gate& g : a.gates) {
      switch (g.kind) {
        case Gate::Kind::Since: line(indent, "@since(version = " + g.value + ")"); break;
        case Gate::Kind::Unstable: line(indent, "@unstable(feature = " + g.value + ")"); break;
        case Gate::Kind::Deprecated: line(indent, "@deprecated(version = " + g.value + ")"); break;
        case Gate::Kind::ExternalId: {
          std::string v;
          for (char c : g.value) {
            if (c == '"' || c == '\\') v += '\\';
            if (c == '\n') v += "\\n";
            else if (c == '\t') v += "\\t";
            else v += c;
          }
          line(indent, "@external-id(\"" + v + "\")");
          break;
        }
      }
    }
  }

  static std::string sig(const FuncSig& s) {
    std::string r = s.isAsync ? "async func(" : "func(";
    for (size_t i = 0; i < s.params.size(); ++i)
      r += (i ? ", " : "") + name(s.params[i].name) + ": " + printType(s.params[i].type);
    r += ")";
    if (s.result) r += " -> " + printType(*s.result);
    return r;
  }

  static std::string use(const UseItem& u) {
    std::string s = "use " + path(u.path) + ".{";
    for (size_t i = 0; i < u.names.size(); ++i) {
      s += (i ? ", " : "") + name(u.names[i].first);
      if (!u.names[i].second.empty()) s += " as " + name(u.names[i].second);
    }
    return s + "};";
  }

  void typeDef(int indent, const TypeDefItem& d) {
    switch (d.kind) {
      case TypeDefItem::Kind::Alias: line(indent, "type " + name(d.name) + " = " + printType(d.alias) + ";"); return;
      case TypeDefItem::Kind::Record:
        line(indent, "record " + name(d.name) + " {");
        for (const auto& [n, t] : d.fields) line(indent + 1, name(n) + ": " + printType(t) + ",");
        line(indent, "}");
        return;
      case TypeDefItem::Kind::Variant:
        line(indent, "variant " + name(d.name) + " {");
        for (const auto& [n, t] : d.cases) line(indent + 1, name(n) + (t ? "(" + printType(*t) + ")" : "") + ",");
        line(indent, "}");
        return;
      case TypeDefItem::Kind::Enum:
      case TypeDefItem::Kind::Flags:
        line(indent, std::string(d.kind == TypeDefItem::Kind::Enum ? "enum " : "flags ") + name(d.name) + " {");
        for (const std::string& l : d.labels) line(indent + 1, name(l) + ",");
        line(indent, "}");
        return;
      case TypeDefItem::Kind::Resource:
        if (!d.resourceBody) {
          line(indent, "resource " + name(d.name) + ";");
          return;
        }
        line(indent, "resource " + name(d.name) + " {");
        for (const ResourceFunc& f : d.funcs) {
          attrs(indent + 1, f.attrs);
          switch (f.kind) {
            case ResourceFunc::Kind::Constructor: {
              std::string s = "constructor(";
              for (size_t i = 0; i < f.sig.params.size(); ++i)
                s += (i ? ", " : "") + name(f.sig.params[i].name) + ": " + printType(f.sig.params[i].type);
              s += ")";
              if (f.sig.result) s += " -> " + printType(*f.sig.result);
              line(indent + 1, s + ";");
              break;
            }
            case ResourceFunc::Kind::Static: line(indent + 1, name(f.name) + ": static " + sig(f.sig) + ";"); break;
            case ResourceFunc::Kind::Method: line(indent + 1, name(f.name) + ": " + sig(f.sig) + ";"); break;
          }
        }
        line(indent, "}");
        return;
    }
  }

  void interfaceItems(int indent, const std::vector<InterfaceItem>& items) {
    for (const InterfaceItem& item : items) {
      attrs(indent, item.attrs);
      switch (item.kind) {
        case InterfaceItem::Kind::Use: line(indent, use(item.use)); break;
        case InterfaceItem::Kind::TypeDef: typeDef(indent, item.typeDef); break;
        case InterfaceItem::Kind::Func: line(indent, name(item.func.name) + ": " + sig(item.func.sig) + ";"); break;
      }
    }
  }

  void world(int indent, const World& w) {
    line(indent, "world " + name(w.name) + " {");
    for (const WorldItem& item : w.items) {
      attrs(indent + 1, item.attrs);
      switch (item.kind) {
        case WorldItem::Kind::Import:
        case WorldItem::Kind::Export: {
          std::string kw = item.kind == WorldItem::Kind::Import ? "import " : "export ";
          switch (item.externKind) {
            case WorldItem::ExternKind::Path: line(indent + 1, kw + path(item.path) + ";"); break;
            case WorldItem::ExternKind::NamedPath: line(indent + 1, kw + name(item.name) + ": " + path(item.path) + ";"); break;
            case WorldItem::ExternKind::Func: line(indent + 1, kw + name(item.name) + ": " + sig(item.func) + ";"); break;
            case WorldItem::ExternKind::Interface:
              line(indent + 1, kw + name(item.name) + ": interface {");
              interfaceItems(indent + 2, item.inlineInterface->items);
              line(indent + 1, "}");
              break;
          }
          break;
        }
        case WorldItem::Kind::Use: line(indent + 1, use(item.use)); break;
        case WorldItem::Kind::TypeDef: typeDef(indent + 1, item.typeDef); break;
        case WorldItem::Kind::Include: {
          std::string s = "include " + path(item.path);
          if (!item.includeWith.empty()) {
            s += " with { ";
            for (size_t i = 0; i < item.includeWith.size(); ++i)
              s += (i ? ", " : "") + name(item.includeWith[i].first) + " as " + name(item.includeWith[i].second);
            s += " }";
          }
          line(indent + 1, s + ";");
          break;
        }
      }
    }
    line(indent, "}");
  }

  void items(int indent, const std::vector<PackageItem>& items) {
    bool first = true;
    for (const PackageItem& item : items) {
      if (!first && item.kind != PackageItem::Kind::Use) out += '\n';
      first = false;
      switch (item.kind) {
        case PackageItem::Kind::Use:
          line(indent, "use " + path(item.use.path) + (item.use.alias.empty() ? "" : " as " + name(item.use.alias)) + ";");
          break;
        case PackageItem::Kind::Interface:
          attrs(indent, item.interface.attrs);
          line(indent, "interface " + name(item.interface.name) + " {");
          interfaceItems(indent + 1, item.interface.items);
          line(indent, "}");
          break;
        case PackageItem::Kind::World:
          attrs(indent, item.world.attrs);
          world(indent, item.world);
          break;
      }
    }
  }
};

}  // namespace

std::string printType(const TypeExpr& t) {
  switch (t.kind) {
    case TypeExpr::Kind::Primitive: return t.name;
    case TypeExpr::Kind::Named: return name(t.name);
    case TypeExpr::Kind::List: return "list<" + printType(t.args[0]) + ">";
    case TypeExpr::Kind::FixedList: return "list<" + printType(t.args[0]) + ", " + std::to_string(t.length) + ">";
    case TypeExpr::Kind::Option: return "option<" + printType(t.args[0]) + ">";
    case TypeExpr::Kind::Tuple: {
      std::string s = "tuple<";
      for (size_t i = 0; i < t.args.size(); ++i) s += (i ? ", " : "") + printType(t.args[i]);
      return s + ">";
    }
    case TypeExpr::Kind::Result: {
      if (!t.ok && !t.err) return "result";
      std::string ok = t.ok && *t.ok ? printType(**t.ok) : "_";
      if (!t.err) return "result<" + ok + ">";
      return "result<" + ok + ", " + printType(**t.err) + ">";
    }
    case TypeExpr::Kind::Borrow: return "borrow<" + name(t.name) + ">";
    case TypeExpr::Kind::Own: return "own<" + name(t.name) + ">";
    case TypeExpr::Kind::Future:
    case TypeExpr::Kind::Stream: {
      std::string s = t.kind == TypeExpr::Kind::Future ? "future" : "stream";
      if (!t.args.empty()) s += "<" + printType(t.args[0]) + ">";
      return s;
    }
    case TypeExpr::Kind::Map: return "map<" + printType(t.args[0]) + ", " + printType(t.args[1]) + ">";
  }
  return "?";
}

std::string printWit(const File& file) {
  Printer p;
  if (file.package) {
    p.attrs(0, file.packageAttrs);
    p.line(0, "package " + file.package->toString() + ";");
    if (!file.items.empty()) p.out += '\n';
  }
  p.items(0, file.items);
  for (const NestedPackage& np : file.nested) {
    if (!p.out.empty()) p.out += '\n';
    p.attrs(0, np.attrs);
    p.line(0, "package " + np.name.toString() + " {");
    p.items(1, np.items);
    p.line(0, "}");
  }
  return p.out;
}

}  // namespace bantam::wit
