// The elaborator's types: defined value types, function types, component and instance types
// (type scopes whose (sub resource) declarators bind resource variables), extern types,
// instantiating a type with fresh resources, and the subtype check of instantiation
// arguments and export ascriptions (Explainer "Type Checking").
#include <set>

#include "component/elaborator.h"

namespace bantam::component::elab {

namespace {

void collectResources(ValType t, std::set<uint32_t>& out) {
  if (!t || !t->hasHandle) return;
  switch (t->kind) {
    case ValKind::Own:
    case ValKind::Borrow: out.insert(t->resource.value); return;
    case ValKind::List: collectResources(t->elem, out); return;
    default:
      for (const FieldType& f : t->fields) collectResources(f.type, out);
      for (const CaseType& c : t->cases) collectResources(c.type, out);
      return;
  }
}

void collectDescResources(const ExternTypeDesc& d, std::set<uint32_t>& out);

void collectTypeItemResources(const TypeItem& t, std::set<uint32_t>& out) {
  switch (t.kind) {
    case TypeItem::Kind::Value: collectResources(t.value, out); return;
    case TypeItem::Kind::Func:
      for (const FieldType& p : t.func->params) collectResources(p.type, out);
      collectResources(t.func->result, out);
      return;
    case TypeItem::Kind::Resource: out.insert(t.resource.value); return;
    case TypeItem::Kind::Instance: {
      std::set<uint32_t> inner;
      for (const auto& [n, d] : t.instance->exports) collectDescResources(d, inner);
      for (ResourceId v : t.instance->vars) inner.erase(v.value);
      out.insert(inner.begin(), inner.end());
      return;
    }
    case TypeItem::Kind::Component: {
      std::set<uint32_t> inner;
      for (const auto& [n, d] : t.component->imports) collectDescResources(d, inner);
      for (const auto& [n, d] : t.component->exports) collectDescResources(d, inner);
      for (ResourceId v : t.component->vars) inner.erase(v.value);
      out.insert(inner.begin(), inner.end());
      return;
    }
  }
}

void collectDescResources(const ExternTypeDesc& d, std::set<uint32_t>& out) {
  switch (d.kind) {
    case ExternTypeDesc::Kind::Func:
      for (const FieldType& p : d.func->params) collectResources(p.type, out);
      collectResources(d.func->result, out);
      return;
    case ExternTypeDesc::Kind::Type: collectTypeItemResources(d.type, out); return;
    case ExternTypeDesc::Kind::Instance: {
      TypeItem t;
      t.kind = TypeItem::Kind::Instance;
      t.instance = d.instance;
      collectTypeItemResources(t, out);
      return;
    }
    case ExternTypeDesc::Kind::Component: {
      TypeItem t;
      t.kind = TypeItem::Kind::Component;
      t.component = d.component;
      collectTypeItemResources(t, out);
      return;
    }
    case ExternTypeDesc::Kind::Module: return;
  }
}

const char* typeItemKindName(TypeItem::Kind k) {
  switch (k) {
    case TypeItem::Kind::Value: return "value type";
    case TypeItem::Kind::Func: return "function type";
    case TypeItem::Kind::Resource: return "resource type";
    case TypeItem::Kind::Instance: return "instance type";
    case TypeItem::Kind::Component: return "component type";
  }
  return "?";
}

}  // namespace

ValType Elaborator::subst(ValType t, const Subst& map) {
  if (map.empty() || !t || !t->hasHandle) return t;
  return arena().substitute(t, [&](ResourceId r) {
    auto it = map.find(r.value);
    return it == map.end() ? r : it->second;
  });
}

FuncType Elaborator::subst(FuncType f, const Subst& map) {
  if (map.empty() || !f->hasHandles) return f;
  return arena().substitute(f, [&](ResourceId r) {
    auto it = map.find(r.value);
    return it == map.end() ? r : it->second;
  });
}

bool Elaborator::refersToResources(const TypeItem& t) {
  std::set<uint32_t> rs;
  collectTypeItemResources(t, rs);
  return !rs.empty();
}

ResourceId Elaborator::freshResource(const Origin& origin) {
  PlanResource r;
  r.kind = origin.root ? PlanResource::Kind::Imported : PlanResource::Kind::Abstract;
  r.import = origin.import;
  r.path = origin.path;
  for (size_t i = 0; i < origin.path.size(); ++i) r.name += (i ? "/" : "") + origin.path[i];
  ResourceId id{static_cast<uint32_t>(plan_.resources.size())};
  plan_.resources.push_back(std::move(r));
  return id;
}

Result<ValType> Elaborator::valType(Scope& s, const ValTypeRef& r, uint64_t offset) {
  if (r.isPrimitive) return primType(r.prim);
  if (r.index >= s.types.size()) return invalid(offset, "unknown type " + std::to_string(r.index));
  const TypeItem& t = s.types[r.index];
  if (t.kind != TypeItem::Kind::Value)
    return invalid(offset, "type " + std::to_string(r.index) + " is a " + typeItemKindName(t.kind) + ", not a value type");
  return t.value;
}

Result<TypeItem> Elaborator::typeDef(const std::shared_ptr<Scope>& sp, const TypeDef& t, bool inTypeScope) {
  Scope& s = *sp;
  uint64_t offset = t.offset;
  TypeItem out;
  out.kind = TypeItem::Kind::Value;
  std::set<std::string> keys;
  auto label = [&](const std::string& l, const char* what) -> Result<void> {
    if (!isLabel(l)) return invalid(offset, std::string(what) + " `" + l + "` is not a valid kebab-case label");
    if (!keys.insert(uniquenessKey(l)).second) return invalid(offset, std::string(what) + " `" + l + "` is not unique");
    return {};
  };
  auto nonEmpty = [&](size_t n, const char* what) -> Result<void> {
    if (n == 0) return invalid(offset, std::string(what) + " must have at least one " +
                                           (std::string(what) == "record type" ? "field" : "case"));
    return {};
  };
  switch (t.kind) {
    case TypeDef::Kind::Primitive: out.value = primType(t.prim); break;
    case TypeDef::Kind::Record: {
      BANTAM_TRY(nonEmpty(t.fields.size(), "record type"));
      std::vector<FieldType> fields;
      for (const auto& [name, ref] : t.fields) {
        BANTAM_TRY(label(name, "record field"));
        fields.push_back({name, BANTAM_TRY(valType(s, ref, offset))});
      }
      out.value = arena().record(std::move(fields));
      break;
    }
    case TypeDef::Kind::Variant: {
      BANTAM_TRY(nonEmpty(t.cases.size(), "variant type"));
      std::vector<CaseType> cases;
      for (const auto& [name, ref] : t.cases) {
        BANTAM_TRY(label(name, "variant case"));
        cases.push_back({name, ref ? BANTAM_TRY(valType(s, *ref, offset)) : nullptr});
      }
      out.value = arena().variant(std::move(cases));
      break;
    }
    case TypeDef::Kind::List: out.value = arena().list(BANTAM_TRY(valType(s, *t.elem, offset))); break;
    case TypeDef::Kind::Tuple: {
      if (t.types.empty()) return invalid(offset, "tuple type must have at least one element");
      std::vector<ValType> ts;
      for (const ValTypeRef& r : t.types) ts.push_back(BANTAM_TRY(valType(s, r, offset)));
      out.value = arena().tuple(std::move(ts));
      break;
    }
    case TypeDef::Kind::Flags:
    case TypeDef::Kind::Enum: {
      bool flags = t.kind == TypeDef::Kind::Flags;
      if (t.labels.empty()) return invalid(offset, std::string(flags ? "flags" : "enum") + " type must have at least one label");
      if (flags && t.labels.size() > 32) return invalid(offset, "flags types are limited to 32 labels");
      for (const std::string& l : t.labels) BANTAM_TRY(label(l, flags ? "flag" : "enum case"));
      out.value = flags ? arena().flags(t.labels) : arena().enumType(t.labels);
      break;
    }
    case TypeDef::Kind::Option: out.value = arena().option(BANTAM_TRY(valType(s, *t.elem, offset))); break;
    case TypeDef::Kind::Result: {
      ValType ok = t.elem ? BANTAM_TRY(valType(s, *t.elem, offset)) : nullptr;
      ValType err = t.err ? BANTAM_TRY(valType(s, *t.err, offset)) : nullptr;
      out.value = arena().result(ok, err);
      break;
    }
    case TypeDef::Kind::Own:
    case TypeDef::Kind::Borrow: {
      if (t.index >= s.types.size()) return invalid(offset, "unknown type " + std::to_string(t.index));
      const TypeItem& r = s.types[t.index];
      if (r.kind != TypeItem::Kind::Resource)
        return invalid(offset, "type " + std::to_string(t.index) + " used in a handle is not a resource type");
      out.value = t.kind == TypeDef::Kind::Own ? arena().own(r.resource) : arena().borrow(r.resource);
      break;
    }
    case TypeDef::Kind::Func: {
      std::vector<FieldType> params;
      for (const auto& [name, ref] : t.fields) {
        BANTAM_TRY(label(name, "function parameter"));
        params.push_back({name, BANTAM_TRY(valType(s, ref, offset))});
      }
      ValType result = t.elem ? BANTAM_TRY(valType(s, *t.elem, offset)) : nullptr;
      if (result && result->hasBorrow) return invalid(offset, "function result types cannot contain `borrow`");
      out.kind = TypeItem::Kind::Func;
      out.func = arena().func(std::move(params), result);
      return out;
    }
    case TypeDef::Kind::Component:
    case TypeDef::Kind::Instance: {
      bool component = t.kind == TypeDef::Kind::Component;
      auto ts = std::make_shared<Scope>();
      ts->kind = Scope::Kind::Type;
      ts->parent = sp;
      BANTAM_TRY(typeDecls(ts, t.decls, component));
      if (component) {
        auto desc = std::make_shared<ComponentTypeDesc>();
        desc->imports = std::move(ts->imports);
        desc->exports = std::move(ts->exports);
        desc->vars = std::move(ts->vars);
        out.kind = TypeItem::Kind::Component;
        out.component = std::move(desc);
      } else {
        auto desc = std::make_shared<InstanceTypeDesc>();
        desc->exports = std::move(ts->exports);
        desc->vars = std::move(ts->vars);
        out.kind = TypeItem::Kind::Instance;
        out.instance = std::move(desc);
      }
      return out;
    }
    case TypeDef::Kind::Resource: {
      if (inTypeScope || s.kind != Scope::Kind::Component)
        return invalid(offset, "resource types cannot be defined in component or instance types");
      PlanResource r;
      r.kind = PlanResource::Kind::Defined;
      r.owner = s.instance;
      if (t.dtor) {
        if (*t.dtor >= s.coreFuncs.size()) return invalid(offset, "unknown core func " + std::to_string(*t.dtor));
        const CoreItem& d = s.coreFuncs[*t.dtor];
        if (!(d.type.func == wasm::FuncType{{wasm::ValType::I32}, {}}))
          return invalid(offset, "resource destructor must have type [i32] -> [], found " + d.type.func.toString());
        r.dtor = d.def;
      }
      r.name = "resource";
      out.kind = TypeItem::Kind::Resource;
      out.resource = ResourceId{static_cast<uint32_t>(plan_.resources.size())};
      plan_.resources.push_back(std::move(r));
      s.definedResources.insert(out.resource.value);
      return out;
    }
  }
  if (out.value && out.value->tooLarge)
    return invalid(offset, "type is too large: its size in memory reaches 2^28 bytes");
  if (out.value && out.value->depth > kMaxTypeDepth)
    return failAt(ErrorKind::Limit, offset,
                  "type nesting is too deep: more than " + std::to_string(kMaxTypeDepth) + " levels");
  return out;
}

Result<ExternTypeDesc> Elaborator::externDesc(Scope& s, const ExternDesc& d, uint64_t offset) {
  ExternTypeDesc out;
  auto typeAt = [&](TypeItem::Kind want, const char* what) -> Result<TypeItem> {
    if (d.index >= s.types.size()) return invalid(offset, "unknown type " + std::to_string(d.index));
    const TypeItem& t = s.types[d.index];
    if (t.kind != want)
      return invalid(offset, "type " + std::to_string(d.index) + " is a " + typeItemKindName(t.kind) + ", not a " + what);
    return t;
  };
  switch (d.kind) {
    case ExternDesc::Kind::CoreModule: {
      if (d.index >= s.coreTypes.size() || !s.coreTypes[d.index].isModule)
        return invalid(offset, "core type " + std::to_string(d.index) + " is not a core module type");
      out.kind = ExternTypeDesc::Kind::Module;
      out.module = s.coreTypes[d.index].module;
      return out;
    }
    case ExternDesc::Kind::Func:
      out.kind = ExternTypeDesc::Kind::Func;
      out.func = BANTAM_TRY(typeAt(TypeItem::Kind::Func, "function type")).func;
      return out;
    case ExternDesc::Kind::Type:
      out.kind = ExternTypeDesc::Kind::Type;
      if (d.subResource) {
        out.subResource = true;
        out.type.kind = TypeItem::Kind::Resource;
      } else {
        if (d.index >= s.types.size()) return invalid(offset, "unknown type " + std::to_string(d.index));
        out.type = s.types[d.index];
      }
      return out;
    case ExternDesc::Kind::Component:
      out.kind = ExternTypeDesc::Kind::Component;
      out.component = BANTAM_TRY(typeAt(TypeItem::Kind::Component, "component type")).component;
      return out;
    case ExternDesc::Kind::Instance:
      out.kind = ExternTypeDesc::Kind::Instance;
      out.instance = BANTAM_TRY(typeAt(TypeItem::Kind::Instance, "instance type")).instance;
      return out;
    case ExternDesc::Kind::Value: break;
  }
  return failAt(ErrorKind::Unsupported, offset, "unsupported component feature: value imports and exports (🪙)");
}

Result<void> Elaborator::typeDecls(const std::shared_ptr<Scope>& ts, const std::vector<TypeDecl>& decls, bool component) {
  for (const TypeDecl& decl : decls) {
    uint64_t offset = decl.offset;
    switch (decl.kind) {
      case TypeDecl::Kind::CoreType: BANTAM_TRY(coreTypeDef(*ts, *decl.coreType, offset)); break;
      case TypeDecl::Kind::Type: ts->types.push_back(BANTAM_TRY(typeDef(ts, *decl.type, true))); break;
      case TypeDecl::Kind::Alias: BANTAM_TRY(aliasDef(*ts, decl.alias, offset, true)); break;
      case TypeDecl::Kind::Import:
      case TypeDecl::Kind::Export: {
        bool isImport = decl.kind == TypeDecl::Kind::Import;
        auto parsed = ExternName::parse(decl.name.name);
        if (!parsed) return failAt(parsed.error().kind, offset, parsed.error().message);
        std::set<std::string>& keys = isImport ? ts->importKeys : ts->exportKeys;
        if (!keys.insert(uniquenessKey(parsed->text)).second)
          return invalid(offset, std::string(isImport ? "import" : "export") + " name `" + parsed->text +
                                     "` conflicts with a previous name");
        ExternTypeDesc desc = BANTAM_TRY(externDesc(*ts, decl.desc, offset));
        Origin origin;
        Subst map;
        ExternTypeDesc inst = instantiateDesc(desc, map, &ts->vars, origin);
        Item item = itemFromDesc(inst, origin);
        BANTAM_TRY(checkName(*ts, *parsed, &item, isImport, offset));
        (isImport ? ts->imports : ts->exports).emplace_back(parsed->text, std::move(inst));
        pushItem(*ts, item);
        (void)component;
        break;
      }
    }
  }
  return {};
}

namespace {

TypeItem substItem(Elaborator& e, const TypeItem& t, const Subst& map);

ExternTypeDesc substDesc(Elaborator& e, const ExternTypeDesc& d, const Subst& map) {
  ExternTypeDesc out = d;
  switch (d.kind) {
    case ExternTypeDesc::Kind::Func: out.func = e.subst(d.func, map); break;
    case ExternTypeDesc::Kind::Type: out.type = substItem(e, d.type, map); break;
    case ExternTypeDesc::Kind::Instance: {
      auto inst = std::make_shared<InstanceTypeDesc>(*d.instance);
      for (auto& [n, c] : inst->exports) c = substDesc(e, c, map);
      out.instance = std::move(inst);
      break;
    }
    case ExternTypeDesc::Kind::Component: {
      auto comp = std::make_shared<ComponentTypeDesc>(*d.component);
      for (auto& [n, c] : comp->imports) c = substDesc(e, c, map);
      for (auto& [n, c] : comp->exports) c = substDesc(e, c, map);
      out.component = std::move(comp);
      break;
    }
    case ExternTypeDesc::Kind::Module: break;
  }
  return out;
}

TypeItem substItem(Elaborator& e, const TypeItem& t, const Subst& map) {
  if (map.empty()) return t;
  TypeItem out = t;
  switch (t.kind) {
    case TypeItem::Kind::Value: out.value = e.subst(t.value, map); break;
    case TypeItem::Kind::Func: out.func = e.subst(t.func, map); break;
    case TypeItem::Kind::Resource:
      if (auto it = map.find(t.resource.value); it != map.end()) out.resource = it->second;
      break;
    case TypeItem::Kind::Instance: {
      ExternTypeDesc d;
      d.kind = ExternTypeDesc::Kind::Instance;
      d.instance = t.instance;
      out.instance = substDesc(e, d, map).instance;
      break;
    }
    case TypeItem::Kind::Component: {
      ExternTypeDesc d;
      d.kind = ExternTypeDesc::Kind::Component;
      d.component = t.component;
      out.component = substDesc(e, d, map).component;
      break;
    }
  }
  return out;
}

bool typeItemsEqual(const TypeItem& a, const TypeItem& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case TypeItem::Kind::Value: return typesEqual(a.value, b.value);
    case TypeItem::Kind::Func: return funcTypesEqual(a.func, b.func);
    case TypeItem::Kind::Resource: return a.resource == b.resource;
    case TypeItem::Kind::Instance: return a.instance->exports.size() == b.instance->exports.size();
    case TypeItem::Kind::Component: return true;
  }
  return false;
}

}  // namespace

// Instantiates a declared type: each resource variable gets a fresh resource (abstract, or
// imported at its path when `origin` is a root import) and every type is rewritten with it.
ExternTypeDesc Elaborator::instantiateDesc(const ExternTypeDesc& d, Subst& map, std::vector<ResourceId>* vars,
                                           const Origin& origin) {
  ExternTypeDesc out = d;
  switch (d.kind) {
    case ExternTypeDesc::Kind::Func: out.func = subst(d.func, map); break;
    case ExternTypeDesc::Kind::Type:
      if (d.subResource) {
        ResourceId fresh = freshResource(origin);
        if (d.type.resource.valid()) map[d.type.resource.value] = fresh;
        out.type.resource = fresh;
        if (vars) vars->push_back(fresh);
      } else {
        out.type = substItem(*this, d.type, map);
      }
      break;
    case ExternTypeDesc::Kind::Instance: {
      auto inst = std::make_shared<InstanceTypeDesc>();
      std::vector<ResourceId> inner;
      for (const auto& [name, child] : d.instance->exports) {
        Origin o = origin;
        o.path.push_back(name);
        inst->exports.emplace_back(name, instantiateDesc(child, map, &inner, o));
      }
      inst->vars = inner;
      if (vars) vars->insert(vars->end(), inner.begin(), inner.end());
      out.instance = std::move(inst);
      break;
    }
    case ExternTypeDesc::Kind::Component: {
      auto comp = std::make_shared<ComponentTypeDesc>();
      std::vector<ResourceId> inner;
      Origin abstract;  // a component type's resources never come from the host
      for (const auto& [name, child] : d.component->imports)
        comp->imports.emplace_back(name, instantiateDesc(child, map, &inner, abstract));
      for (const auto& [name, child] : d.component->exports)
        comp->exports.emplace_back(name, instantiateDesc(child, map, &inner, abstract));
      comp->vars = inner;
      if (vars) vars->insert(vars->end(), inner.begin(), inner.end());
      out.component = std::move(comp);
      break;
    }
    case ExternTypeDesc::Kind::Module: break;
  }
  return out;
}

Item Elaborator::itemFromDesc(const ExternTypeDesc& d, const Origin& origin) {
  Item item;
  switch (d.kind) {
    case ExternTypeDesc::Kind::Func:
      item.kind = Item::Kind::Func;
      item.funcType = d.func;
      if (origin.root) {
        item.func.kind = FuncRef::Kind::Imported;
        item.func.index = static_cast<uint32_t>(plan_.importFuncs.size());
        plan_.importFuncs.push_back({origin.import, origin.path, d.func});
      }
      break;
    case ExternTypeDesc::Kind::Type:
      item.kind = Item::Kind::Type;
      item.type = d.type;
      break;
    case ExternTypeDesc::Kind::Instance: {
      item.kind = Item::Kind::Instance;
      auto inst = std::make_shared<InstanceVal>();
      for (const auto& [name, child] : d.instance->exports) {
        Origin o = origin;
        o.path.push_back(name);
        inst->exports.emplace_back(name, itemFromDesc(child, o));
      }
      item.instance = std::move(inst);
      break;
    }
    case ExternTypeDesc::Kind::Component: {
      item.kind = Item::Kind::Component;
      auto comp = std::make_shared<ComponentVal>();
      comp->type = d.component;
      item.component = std::move(comp);
      break;
    }
    case ExternTypeDesc::Kind::Module:
      item.kind = Item::Kind::Module;
      item.module.type = d.module;
      break;
  }
  return item;
}

Result<void> Elaborator::checkSubtype(const Item& actual, const ExternTypeDesc& declared, Subst& map,
                                      const std::string& what, uint64_t offset) {
  auto mismatch = [&](std::string detail) { return invalid(offset, what + ": type mismatch: " + std::move(detail)); };
  switch (declared.kind) {
    case ExternTypeDesc::Kind::Func: {
      if (actual.kind != Item::Kind::Func) return mismatch("expected a func");
      FuncType expected = subst(declared.func, map);
      if (!funcTypesEqual(actual.funcType, expected))
        return mismatch("expected " + funcTypeToString(expected) + ", found " + funcTypeToString(actual.funcType));
      return {};
    }
    case ExternTypeDesc::Kind::Type: {
      if (actual.kind != Item::Kind::Type) return mismatch("expected a type");
      if (declared.subResource) {
        if (actual.type.kind != TypeItem::Kind::Resource) return mismatch("expected a resource type");
        if (declared.type.resource.valid()) map[declared.type.resource.value] = actual.type.resource;
        return {};
      }
      TypeItem expected = substItem(*this, declared.type, map);
      if (!typeItemsEqual(actual.type, expected)) return mismatch("the types are not equal");
      return {};
    }
    case ExternTypeDesc::Kind::Instance: {
      if (actual.kind != Item::Kind::Instance) return mismatch("expected an instance");
      for (const auto& [name, child] : declared.instance->exports) {
        const Item* a = actual.instance->find(name);
        if (!a) return mismatch("the instance has no export named `" + name + "`");
        BANTAM_TRY(checkSubtype(*a, child, map, what + " (export `" + name + "`)", offset));
      }
      return {};
    }
    case ExternTypeDesc::Kind::Component:
      if (actual.kind != Item::Kind::Component) return mismatch("expected a component");
      return {};
    case ExternTypeDesc::Kind::Module: {
      if (actual.kind != Item::Kind::Module) return mismatch("expected a core module");
      const ModuleTypeDesc& have = *actual.module.type;
      for (const auto& [name, t] : declared.module->exports) {
        const CoreExternType* found = nullptr;
        for (const auto& [n, e] : have.exports)
          if (n == name) found = &e;
        if (!found) return mismatch("the core module has no export named `" + name + "`");
        BANTAM_TRY(checkCoreImport(*found, t, what + " (export `" + name + "`)", offset));
      }
      for (const auto& [names, t] : have.imports) {
        bool declaredImport = false;
        for (const auto& [n, e] : declared.module->imports)
          if (n == names) declaredImport = true;
        if (!declaredImport)
          return mismatch("the core module imports `" + names.first + "` `" + names.second + "`, which the type does not");
      }
      return {};
    }
  }
  return {};
}

ExternTypeInfo Elaborator::typeInfo(const ExternTypeDesc& d) {
  ExternTypeInfo out;
  switch (d.kind) {
    case ExternTypeDesc::Kind::Func:
      out.kind = ExternTypeInfo::Kind::Func;
      out.func = d.func;
      break;
    case ExternTypeDesc::Kind::Type:
      out.kind = ExternTypeInfo::Kind::Type;
      if (d.type.kind == TypeItem::Kind::Resource) out.resource = d.type.resource;
      else if (d.type.kind == TypeItem::Kind::Value) out.value = d.type.value;
      break;
    case ExternTypeDesc::Kind::Instance: {
      out.kind = ExternTypeInfo::Kind::Instance;
      auto inst = std::make_shared<InstanceTypeInfo>();
      for (const auto& [name, child] : d.instance->exports) inst->exports.emplace_back(name, typeInfo(child));
      out.instance = std::move(inst);
      break;
    }
    case ExternTypeDesc::Kind::Component: out.kind = ExternTypeInfo::Kind::Component; break;
    case ExternTypeDesc::Kind::Module: out.kind = ExternTypeInfo::Kind::Module; break;
  }
  return out;
}

}  // namespace bantam::component::elab
