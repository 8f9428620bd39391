// The WIT parser (WIT.md grammar): packages, top-level use, interfaces, worlds, items, types,
// feature gates and doc comments.
#include "component/model/names.h"
#include "component/wit/ast.h"

namespace bantam::wit {

TypeExpr::TypeExpr(const TypeExpr& o) : kind(o.kind), name(o.name), args(o.args), length(o.length), pos(o.pos) {
  if (o.ok) ok = *o.ok ? std::make_unique<TypeExpr>(**o.ok) : nullptr;
  if (o.err) err = *o.err ? std::make_unique<TypeExpr>(**o.err) : nullptr;
}

TypeExpr& TypeExpr::operator=(const TypeExpr& o) {
  if (this != &o) *this = TypeExpr(o);
  return *this;
}

bool TypeExpr::operator==(const TypeExpr& o) const {
  auto same = [](const std::optional<std::unique_ptr<TypeExpr>>& a, const std::optional<std::unique_ptr<TypeExpr>>& b) {
    if (a.has_value() != b.has_value()) return false;
    if (!a) return true;
    if (bool(*a) != bool(*b)) return false;
    return !*a || **a == **b;
  };
  return kind == o.kind && name == o.name && args == o.args && length == o.length && same(ok, o.ok) && same(err, o.err);
}

bool WorldItem::operator==(const WorldItem& o) const {
  bool inlineSame = bool(inlineInterface) == bool(o.inlineInterface) &&
                    (!inlineInterface || *inlineInterface == *o.inlineInterface);
  return kind == o.kind && externKind == o.externKind && name == o.name && path == o.path && func == o.func &&
         inlineSame && use == o.use && typeDef == o.typeDef && includeWith == o.includeWith && attrs == o.attrs;
}

std::string UsePath::toString() const {
  std::string s = isLocal() ? name : ns + ":" + pkg + "/" + name;
  if (!version.empty()) s += "@" + version;
  return s;
}

std::string PackageName::toString() const { return ns + ":" + name + (version.empty() ? "" : "@" + version); }

namespace {

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string_view text, std::string path)
      : t_(std::move(tokens)), text_(text), path_(std::move(path)) {}

  Result<File> file() {
    File f;
    f.path = path_;
    Attrs attrs = BANTAM_TRY(attributes());
    if (isKeyword("package")) {
      Pos at = peek().pos;
      next();
      PackageName name = BANTAM_TRY(packageName());
      if (isPunct("{")) {
        // A file may start directly with nested package blocks.
        NestedPackage np = BANTAM_TRY(nestedBody(std::move(name), std::move(attrs)));
        f.nested.push_back(std::move(np));
      } else {
        BANTAM_TRY(expect(";"));
        f.package = std::move(name);
        f.packageAttrs = std::move(attrs);
      }
      (void)at;
      attrs = BANTAM_TRY(attributes());
    }
    while (peek().kind != Tok::End) {
      if (isKeyword("package")) {
        next();
        PackageName name = BANTAM_TRY(packageName());
        if (!isPunct("{")) return error("nested packages need a `{ ... }` body; only the first `package` may end with `;`");
        f.nested.push_back(BANTAM_TRY(nestedBody(std::move(name), std::move(attrs))));
      } else {
        f.items.push_back(BANTAM_TRY(packageItem(std::move(attrs))));
      }
      attrs = BANTAM_TRY(attributes());
    }
    if (!attrs.docs.empty() || !attrs.gates.empty()) {
      // trailing doc comments: ignored, like any comment
    }
    return f;
  }

 private:
  const Token& peek(size_t k = 0) const { return t_[std::min(pos_ + k, t_.size() - 1)]; }
  const Token& next() { return t_[std::min(pos_++, t_.size() - 1)]; }
  bool isPunct(std::string_view p, size_t k = 0) const { return peek(k).kind == Tok::Punct && peek(k).text == p; }
  bool isKeyword(std::string_view kw, size_t k = 0) const {
    return peek(k).kind == Tok::Id && !peek(k).escaped && peek(k).text == kw;
  }

  std::unexpected<Error> errorAt(const Pos& at, std::string message) const {
    Error e = Error::make(ErrorKind::Parse, std::move(message));
    e.source = path_;
    e.line = at.line;
    e.column = at.column;
    return std::unexpected(std::move(e));
  }
  std::unexpected<Error> error(std::string message) const { return errorAt(peek().pos, std::move(message)); }
  std::string describe(const Token& t) const {
    switch (t.kind) {
      case Tok::End: return "end of file";
      case Tok::Id: return "`" + t.text + "`";
      case Tok::Punct: return "`" + t.text + "`";
      case Tok::String: return "a string";
      case Tok::Int: return "`" + t.text + "`";
      case Tok::Version: return "`@" + t.text + "`";
      case Tok::Gate: return "`@" + t.text + "`";
      case Tok::Doc: return "a doc comment";
    }
    return "?";
  }

  Result<void> expect(std::string_view p) {
    if (!isPunct(p)) return error("expected `" + std::string(p) + "`, found " + describe(peek()));
    next();
    return {};
  }
  Result<void> expectKeyword(std::string_view kw) {
    if (!isKeyword(kw)) return error("expected `" + std::string(kw) + "`, found " + describe(peek()));
    next();
    return {};
  }

  // An identifier (kebab-case label); keywords only when %-escaped.
  Result<std::string> id() {
    const Token& t = peek();
    if (t.kind != Tok::Id) return error("expected an identifier, found " + describe(t));
    if (!t.escaped && isWitKeyword(t.text))
      return error("`" + t.text + "` is a keyword: write `%" + t.text + "` to use it as a name");
    if (!component::isLabel(t.text)) return error("`" + t.text + "` is not a valid kebab-case identifier");
    next();
    return t.text;
  }

  Result<std::string> rawUntil(std::string_view stop) {
    // The text of the source between the current token and `stop` (gate values are semvers
    // and feature names that the lexer splits into several tokens).
    if (isPunct(stop)) return error("expected a value before `" + std::string(stop) + "`");
    size_t start = peek().pos.offset;
    while (!isPunct(stop) && peek().kind != Tok::End) next();
    size_t end = peek().pos.offset;
    std::string s(text_.substr(start, end - start));
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  }

  Result<Attrs> attributes() {
    Attrs a;
    while (true) {
      if (peek().kind == Tok::Doc) {
        a.docs.push_back(next().text);
        continue;
      }
      if (peek().kind == Tok::Gate) {
        Token g = next();
        Gate gate;
        BANTAM_TRY(expect("("));
        if (g.text == "external-id") {
          if (peek().kind != Tok::String) return error("@external-id expects a string literal");
          gate.kind = Gate::Kind::ExternalId;
          gate.value = next().text;
        } else {
          std::string field = BANTAM_TRY(id());
          BANTAM_TRY(expect("="));
          if (g.text == "since" || g.text == "deprecated") {
            if (field != "version") return errorAt(g.pos, "@" + g.text + " takes `version = <semver>`");
            gate.kind = g.text == "since" ? Gate::Kind::Since : Gate::Kind::Deprecated;
            gate.value = BANTAM_TRY(rawUntil(")"));
            if (!component::Semver::parse(gate.value))
              return errorAt(g.pos, "`" + gate.value + "` is not a valid semantic version");
          } else if (g.text == "unstable") {
            if (field != "feature") return errorAt(g.pos, "@unstable takes `feature = <name>`");
            gate.kind = Gate::Kind::Unstable;
            gate.value = BANTAM_TRY(id());
          } else {
            return errorAt(g.pos, "unknown attribute `@" + g.text + "`");
          }
        }
        BANTAM_TRY(expect(")"));
        a.gates.push_back(std::move(gate));
        continue;
      }
      return a;
    }
  }

  Result<PackageName> packageName() {
    PackageName p;
    // ( id ':' )+ id ( '/' id )* ('@' version)?
    std::vector<std::string> parts;
    parts.push_back(BANTAM_TRY(id()));
    if (!isPunct(":")) return error("a package name is `namespace:name`");
    while (isPunct(":")) {
      next();
      parts.push_back(BANTAM_TRY(id()));
    }
    for (size_t i = 0; i + 1 < parts.size(); ++i) p.ns += (i ? ":" : "") + parts[i];
    p.name = parts.back();
    while (isPunct("/")) {
      next();
      p.name += "/" + BANTAM_TRY(id());
    }
    if (peek().kind == Tok::Version) p.version = BANTAM_TRY(version());
    return p;
  }

  Result<std::string> version() {
    Token v = next();
    if (!component::Semver::parse(v.text)) return errorAt(v.pos, "`" + v.text + "` is not a valid semantic version");
    return v.text;
  }

  // use-path ::= id | id ':' id '/' id ('@' version)? (🪺: more ':' and '/')
  Result<UsePath> usePath() {
    UsePath p;
    std::string first = BANTAM_TRY(id());
    if (!isPunct(":")) {
      p.name = std::move(first);
      if (peek().kind == Tok::Version) return error("a local interface name cannot have a version");
      return p;
    }
    std::vector<std::string> nsParts{first};
    while (isPunct(":")) {
      next();
      nsParts.push_back(BANTAM_TRY(id()));
    }
    p.pkg = nsParts.back();
    nsParts.pop_back();
    for (size_t i = 0; i < nsParts.size(); ++i) p.ns += (i ? ":" : "") + nsParts[i];
    if (!isPunct("/")) return error("expected `/` and an interface name in `" + p.ns + ":" + p.pkg + "`");
    std::vector<std::string> proj;
    while (isPunct("/")) {
      next();
      proj.push_back(BANTAM_TRY(id()));
    }
    p.name = proj.back();
    proj.pop_back();
    for (const std::string& s : proj) p.pkg += "/" + s;
    if (peek().kind == Tok::Version) p.version = BANTAM_TRY(version());
    return p;
  }

  // A use-path in an import/export: `a:b/c` must be written without spaces around ':'
  // (WIT.md: `import a: b;` names an import `a` of interface `b`).
  bool pathAhead() const {
    return peek().kind == Tok::Id && isPunct(":", 1) && !peek(1).spaceBefore && peek(2).kind == Tok::Id &&
           !peek(2).spaceBefore && (isPunct("/", 3) || isPunct(":", 3));
  }

  Result<NestedPackage> nestedBody(PackageName name, Attrs attrs) {
    NestedPackage np;
    np.name = std::move(name);
    np.attrs = std::move(attrs);
    BANTAM_TRY(expect("{"));
    while (!isPunct("}")) {
      if (peek().kind == Tok::End) return error("unterminated package body");
      Attrs a = BANTAM_TRY(attributes());
      if (isKeyword("package")) return error("packages cannot be nested inside nested packages");
      np.items.push_back(BANTAM_TRY(packageItem(std::move(a))));
    }
    next();
    return np;
  }

  Result<PackageItem> packageItem(Attrs attrs) {
    PackageItem item;
    if (isKeyword("use")) {
      next();
      item.kind = PackageItem::Kind::Use;
      item.use.path = BANTAM_TRY(usePath());
      if (isKeyword("as")) {
        next();
        item.use.alias = BANTAM_TRY(id());
      }
      BANTAM_TRY(expect(";"));
      return item;
    }
    if (isKeyword("interface")) {
      item.kind = PackageItem::Kind::Interface;
      item.interface.pos = peek().pos;
      next();
      item.interface.name = BANTAM_TRY(id());
      item.interface.attrs = std::move(attrs);
      BANTAM_TRY(interfaceBody(item.interface));
      return item;
    }
    if (isKeyword("world")) {
      item.kind = PackageItem::Kind::World;
      item.world.pos = peek().pos;
      next();
      item.world.name = BANTAM_TRY(id());
      item.world.attrs = std::move(attrs);
      BANTAM_TRY(worldBody(item.world));
      return item;
    }
    return error("expected `interface`, `world`, `use` or `package`, found " + describe(peek()));
  }

  Result<void> interfaceBody(Interface& iface) {
    BANTAM_TRY(expect("{"));
    while (!isPunct("}")) {
      if (peek().kind == Tok::End) return error("unterminated interface body");
      InterfaceItem item;
      item.attrs = BANTAM_TRY(attributes());
      item.pos = peek().pos;
      if (isKeyword("use")) {
        item.kind = InterfaceItem::Kind::Use;
        item.use = BANTAM_TRY(useItem());
      } else if (typeDefAhead()) {
        item.kind = InterfaceItem::Kind::TypeDef;
        item.typeDef = BANTAM_TRY(typeDef());
      } else {
        item.kind = InterfaceItem::Kind::Func;
        item.func.name = BANTAM_TRY(id());
        BANTAM_TRY(expect(":"));
        item.func.sig = BANTAM_TRY(funcSig());
        BANTAM_TRY(expect(";"));
      }
      iface.items.push_back(std::move(item));
    }
    next();
    return {};
  }

  bool typeDefAhead() const {
    for (std::string_view kw : {"type", "record", "variant", "enum", "flags", "resource"})
      if (isKeyword(kw)) return true;
    return false;
  }

  Result<UseItem> useItem() {
    UseItem u;
    BANTAM_TRY(expectKeyword("use"));
    u.path = BANTAM_TRY(usePath());
    BANTAM_TRY(expect("."));
    BANTAM_TRY(expect("{"));
    while (true) {
      std::string n = BANTAM_TRY(id());
      std::string alias;
      if (isKeyword("as")) {
        next();
        alias = BANTAM_TRY(id());
      }
      u.names.emplace_back(std::move(n), std::move(alias));
      if (isPunct(",")) {
        next();
        if (isPunct("}")) break;
        continue;
      }
      break;
    }
    BANTAM_TRY(expect("}"));
    BANTAM_TRY(expect(";"));
    return u;
  }

  template <class F>
  Result<void> commaList(std::string_view close, F&& each) {
    // Doc comments on fields, cases, flags and parameters are allowed (WASI and Spin WIT use
    // them) and not kept in the tree.
    auto skipDocs = [&] {
      while (peek().kind == Tok::Doc) next();
    };
    skipDocs();
    while (!isPunct(close)) {
      BANTAM_TRY(each());
      skipDocs();
      if (isPunct(",")) {
        next();
        skipDocs();
        continue;
      }
      if (!isPunct(close)) return error("expected `,` or `" + std::string(close) + "`, found " + describe(peek()));
    }
    next();
    return {};
  }

  Result<TypeDefItem> typeDef() {
    TypeDefItem d;
    std::string kw = next().text;
    d.name = BANTAM_TRY(id());
    if (kw == "type") {
      d.kind = TypeDefItem::Kind::Alias;
      BANTAM_TRY(expect("="));
      d.alias = BANTAM_TRY(type());
      BANTAM_TRY(expect(";"));
      return d;
    }
    if (kw == "resource") {
      d.kind = TypeDefItem::Kind::Resource;
      if (isPunct(";")) {
        next();
        return d;
      }
      d.resourceBody = true;
      BANTAM_TRY(expect("{"));
      while (!isPunct("}")) {
        if (peek().kind == Tok::End) return error("unterminated resource body");
        ResourceFunc f;
        f.attrs = BANTAM_TRY(attributes());
        f.pos = peek().pos;
        if (isKeyword("constructor")) {
          next();
          f.kind = ResourceFunc::Kind::Constructor;
          f.sig.params = BANTAM_TRY(params());
          if (isPunct("->")) {
            next();
            f.sig.result = BANTAM_TRY(type());
          }
        } else {
          f.name = BANTAM_TRY(id());
          BANTAM_TRY(expect(":"));
          if (isKeyword("static")) {
            next();
            f.kind = ResourceFunc::Kind::Static;
          }
          f.sig = BANTAM_TRY(funcSig());
        }
        BANTAM_TRY(expect(";"));
        d.funcs.push_back(std::move(f));
      }
      next();
      return d;
    }
    BANTAM_TRY(expect("{"));
    if (kw == "record") {
      d.kind = TypeDefItem::Kind::Record;
      BANTAM_TRY(commaList("}", [&]() -> Result<void> {
        std::string n = BANTAM_TRY(id());
        BANTAM_TRY(expect(":"));
        d.fields.emplace_back(std::move(n), BANTAM_TRY(type()));
        return {};
      }));
    } else if (kw == "variant") {
      d.kind = TypeDefItem::Kind::Variant;
      BANTAM_TRY(commaList("}", [&]() -> Result<void> {
        std::string n = BANTAM_TRY(id());
        std::optional<TypeExpr> payload;
        if (isPunct("(")) {
          next();
          payload = BANTAM_TRY(type());
          BANTAM_TRY(expect(")"));
        }
        d.cases.emplace_back(std::move(n), std::move(payload));
        return {};
      }));
    } else {
      d.kind = kw == "enum" ? TypeDefItem::Kind::Enum : TypeDefItem::Kind::Flags;
      BANTAM_TRY(commaList("}", [&]() -> Result<void> {
        d.labels.push_back(BANTAM_TRY(id()));
        return {};
      }));
    }
    return d;
  }

  Result<std::vector<Param>> params() {
    std::vector<Param> ps;
    BANTAM_TRY(expect("("));
    BANTAM_TRY(commaList(")", [&]() -> Result<void> {
      Param p;
      p.name = BANTAM_TRY(id());
      BANTAM_TRY(expect(":"));
      p.type = BANTAM_TRY(type());
      ps.push_back(std::move(p));
      return {};
    }));
    return ps;
  }

  Result<FuncSig> funcSig() {
    FuncSig s;
    if (isKeyword("async")) {
      next();
      s.isAsync = true;
    }
    BANTAM_TRY(expectKeyword("func"));
    s.params = BANTAM_TRY(params());
    if (isPunct("->")) {
      next();
      if (isPunct("(")) return error("named or multiple results are no longer part of WIT: return a tuple or a record");
      s.result = BANTAM_TRY(type());
    }
    return s;
  }

  // The parser recurses on nested types: a hostile file must not exhaust the stack.
  static constexpr uint32_t kMaxNesting = 200;
  uint32_t nesting_ = 0;

  Result<TypeExpr> type() {
    if (nesting_ >= kMaxNesting) return error("type nesting is too deep");
    ++nesting_;
    auto t = typeUnguarded();
    --nesting_;
    return t;
  }

  Result<TypeExpr> typeUnguarded() {
    TypeExpr t;
    t.pos = peek().pos;
    const Token& tok = peek();
    if (tok.kind != Tok::Id) return error("expected a type, found " + describe(tok));
    static const char* prims[] = {"bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64",
                                  "f32", "f64", "char", "string"};
    if (!tok.escaped) {
      for (const char* p : prims) {
        if (tok.text == p) {
          next();
          t.kind = TypeExpr::Kind::Primitive;
          t.name = p;
          return t;
        }
      }
      auto angle = [&](size_t n) -> Result<void> {
        BANTAM_TRY(expect("<"));
        for (size_t i = 0; i < n; ++i) {
          if (i) BANTAM_TRY(expect(","));
          t.args.push_back(BANTAM_TRY(type()));
        }
        return expect(">");
      };
      const std::string& kw = tok.text;
      if (kw == "list") {
        next();
        BANTAM_TRY(expect("<"));
        t.args.push_back(BANTAM_TRY(type()));
        t.kind = TypeExpr::Kind::List;
        if (isPunct(",")) {
          next();
          if (peek().kind != Tok::Int) return error("expected a list length");
          t.kind = TypeExpr::Kind::FixedList;
          t.length = static_cast<uint32_t>(std::stoul(next().text));
        }
        BANTAM_TRY(expect(">"));
        return t;
      }
      if (kw == "option") {
        next();
        t.kind = TypeExpr::Kind::Option;
        BANTAM_TRY(angle(1));
        return t;
      }
      if (kw == "tuple") {
        next();
        t.kind = TypeExpr::Kind::Tuple;
        BANTAM_TRY(expect("<"));
        BANTAM_TRY(commaList(">", [&]() -> Result<void> {
          t.args.push_back(BANTAM_TRY(type()));
          return {};
        }));
        if (t.args.empty()) return error("a tuple needs at least one type");
        return t;
      }
      if (kw == "result") {
        next();
        t.kind = TypeExpr::Kind::Result;
        if (!isPunct("<")) return t;
        next();
        if (isPunct("_")) {
          next();
          t.ok = std::unique_ptr<TypeExpr>();
          BANTAM_TRY(expect(","));
          t.err = std::make_unique<TypeExpr>(BANTAM_TRY(type()));
        } else {
          t.ok = std::make_unique<TypeExpr>(BANTAM_TRY(type()));
          if (isPunct(",")) {
            next();
            t.err = std::make_unique<TypeExpr>(BANTAM_TRY(type()));
          }
        }
        BANTAM_TRY(expect(">"));
        return t;
      }
      if (kw == "borrow" || kw == "own") {
        next();
        t.kind = kw == "borrow" ? TypeExpr::Kind::Borrow : TypeExpr::Kind::Own;
        BANTAM_TRY(expect("<"));
        t.name = BANTAM_TRY(id());
        BANTAM_TRY(expect(">"));
        return t;
      }
      if (kw == "future" || kw == "stream") {
        next();
        t.kind = kw == "future" ? TypeExpr::Kind::Future : TypeExpr::Kind::Stream;
        if (isPunct("<")) BANTAM_TRY(angle(1));
        return t;
      }
      if (kw == "map") {
        next();
        t.kind = TypeExpr::Kind::Map;
        BANTAM_TRY(angle(2));
        return t;
      }
    }
    t.kind = TypeExpr::Kind::Named;
    t.name = BANTAM_TRY(id());
    return t;
  }

  Result<void> worldBody(World& w) {
    BANTAM_TRY(expect("{"));
    while (!isPunct("}")) {
      if (peek().kind == Tok::End) return error("unterminated world body");
      WorldItem item;
      item.attrs = BANTAM_TRY(attributes());
      item.pos = peek().pos;
      if (isKeyword("import") || isKeyword("export")) {
        item.kind = next().text == "import" ? WorldItem::Kind::Import : WorldItem::Kind::Export;
        if (pathAhead() || (peek().kind == Tok::Id && !isPunct(":", 1))) {
          item.externKind = WorldItem::ExternKind::Path;
          item.path = BANTAM_TRY(usePath());
          BANTAM_TRY(expect(";"));
        } else {
          item.name = BANTAM_TRY(id());
          BANTAM_TRY(expect(":"));
          if (isKeyword("func") || isKeyword("async")) {
            item.externKind = WorldItem::ExternKind::Func;
            item.func = BANTAM_TRY(funcSig());
            BANTAM_TRY(expect(";"));
          } else if (isKeyword("interface")) {
            next();
            item.externKind = WorldItem::ExternKind::Interface;
            item.inlineInterface = std::make_shared<Interface>();
            BANTAM_TRY(interfaceBody(*item.inlineInterface));
          } else {
            item.externKind = WorldItem::ExternKind::NamedPath;
            item.path = BANTAM_TRY(usePath());
            BANTAM_TRY(expect(";"));
          }
        }
      } else if (isKeyword("use")) {
        item.kind = WorldItem::Kind::Use;
        item.use = BANTAM_TRY(useItem());
      } else if (isKeyword("include")) {
        next();
        item.kind = WorldItem::Kind::Include;
        item.path = BANTAM_TRY(usePath());
        if (isKeyword("with")) {
          next();
          BANTAM_TRY(expect("{"));
          BANTAM_TRY(commaList("}", [&]() -> Result<void> {
            std::string from = BANTAM_TRY(id());
            BANTAM_TRY(expectKeyword("as"));
            item.includeWith.emplace_back(std::move(from), BANTAM_TRY(id()));
            return {};
          }));
        }
        BANTAM_TRY(expect(";"));
      } else if (typeDefAhead()) {
        item.kind = WorldItem::Kind::TypeDef;
        item.typeDef = BANTAM_TRY(typeDef());
      } else {
        return error("expected `import`, `export`, `use`, `include` or a type definition, found " + describe(peek()));
      }
      w.items.push_back(std::move(item));
    }
    next();
    return {};
  }

  std::vector<Token> t_;
  std::string_view text_;
  std::string path_;
  size_t pos_ = 0;
};

}  // namespace

Result<File> parseWit(std::string_view text, const std::string& path) {
  auto tokens = BANTAM_TRY(lexWit(text, path));
  Parser p(std::move(tokens), text, path);
  return p.file();
}

}  // namespace bantam::wit
