// The elaborator's canonical definitions (CanonicalABI.md "Canonical Definitions"): canon
// lift and lower with their option rules, and the resource built-ins.
#include "component/elaborator.h"

namespace bantam::component::elab {

namespace {

wasm::ValType toCore(CoreType t) {
  switch (t) {
    case CoreType::I32: return wasm::ValType::I32;
    case CoreType::I64: return wasm::ValType::I64;
    case CoreType::F32: return wasm::ValType::F32;
    case CoreType::F64: return wasm::ValType::F64;
  }
  return wasm::ValType::I32;
}

wasm::FuncType coreFuncType(const std::vector<CoreType>& params, const std::vector<CoreType>& results) {
  wasm::FuncType f;
  for (CoreType t : params) f.params.push_back(toCore(t));
  for (CoreType t : results) f.results.push_back(toCore(t));
  return f;
}

}  // namespace

Result<void> Elaborator::canonDef(Scope& s, const Canon& c, uint64_t offset) {
  auto coreFunc = [&](uint32_t idx) -> Result<CoreItem> {
    if (idx >= s.coreFuncs.size()) return invalid(offset, "unknown core func " + std::to_string(idx));
    return s.coreFuncs[idx];
  };
  // canonopt validation: memory is a 32-bit memory, realloc has the realloc type.
  auto options = [&](const CanonOptions& o, bool lift) -> Result<PlanOptions> {
    PlanOptions p;
    p.encoding = o.encoding;
    if (o.memory) {
      if (*o.memory >= s.coreMemories.size()) return invalid(offset, "unknown core memory " + std::to_string(*o.memory));
      p.memory = s.coreMemories[*o.memory].def;
    }
    if (o.realloc) {
      CoreItem f = BANTAM_TRY(coreFunc(*o.realloc));
      wasm::FuncType want{{wasm::ValType::I32, wasm::ValType::I32, wasm::ValType::I32, wasm::ValType::I32},
                          {wasm::ValType::I32}};
      if (!(f.type.func == want))
        return invalid(offset, "canonical option `realloc` must have type " + want.toString() + ", found " +
                                   f.type.func.toString());
      if (!o.memory) return invalid(offset, "canonical option `realloc` requires the `memory` option");
      p.realloc = f.def;
    }
    if (o.postReturn && !lift) return invalid(offset, "canonical option `post-return` is only allowed on `canon lift`");
    return p;
  };
  auto resourceAt = [&](uint32_t idx) -> Result<ResourceId> {
    if (idx >= s.types.size()) return invalid(offset, "unknown type " + std::to_string(idx));
    if (s.types[idx].kind != TypeItem::Kind::Resource)
      return invalid(offset, "type " + std::to_string(idx) + " is not a resource type");
    return s.types[idx].resource;
  };
  switch (c.kind) {
    case Canon::Kind::Lift: {
      CoreItem callee = BANTAM_TRY(coreFunc(c.func));
      if (c.type >= s.types.size() || s.types[c.type].kind != TypeItem::Kind::Func)
        return invalid(offset, "canon lift: type " + std::to_string(c.type) + " is not a function type");
      FuncType ft = s.types[c.type].func;
      PlanOptions opts = BANTAM_TRY(options(c.options, true));
      wasm::FuncType want = coreFuncType(ft->liftParams(), ft->liftResults());
      if (!(callee.type.func == want))
        return invalid(offset, "canon lift: the core function has type " + callee.type.func.toString() +
                                   " but `" + funcTypeToString(ft) + "` lifts from " + want.toString());
      if ((ft->paramsNeedMemory || ft->paramsSpill) && !c.options.realloc)
        return invalid(offset, "canon lift: `" + funcTypeToString(ft) + "` needs the `realloc` option");
      if ((ft->resultNeedsMemory || ft->resultSpill) && !c.options.memory)
        return invalid(offset, "canon lift: `" + funcTypeToString(ft) + "` needs the `memory` option");
      if (c.options.postReturn) {
        CoreItem pr = BANTAM_TRY(coreFunc(*c.options.postReturn));
        wasm::FuncType prWant = coreFuncType(ft->liftResults(), {});
        if (!(pr.type.func == prWant))
          return invalid(offset, "canonical option `post-return` must have type " + prWant.toString() + ", found " +
                                     pr.type.func.toString());
        opts.postReturn = pr.def;
      }
      PlanLifting l;
      l.func = callee.def;
      l.type = ft;
      l.options = std::move(opts);
      l.owner = s.instance;
      Item item;
      item.kind = Item::Kind::Func;
      item.funcType = ft;
      item.func.kind = callee.abstract ? FuncRef::Kind::Abstract : FuncRef::Kind::Lifted;
      item.func.index = static_cast<uint32_t>(plan_.liftings.size());
      if (!callee.abstract) plan_.liftings.push_back(std::move(l));
      s.funcs.push_back(std::move(item));
      return {};
    }
    case Canon::Kind::Lower: {
      if (c.func >= s.funcs.size()) return invalid(offset, "unknown func " + std::to_string(c.func));
      const Item& callee = s.funcs[c.func];
      FuncType ft = callee.funcType;
      PlanOptions opts = BANTAM_TRY(options(c.options, false));
      if ((ft->paramsNeedMemory || ft->paramsSpill || ft->resultSpill) && !c.options.memory)
        return invalid(offset, "canon lower: `" + funcTypeToString(ft) + "` needs the `memory` option");
      if (ft->resultNeedsMemory && !c.options.realloc)
        return invalid(offset, "canon lower: `" + funcTypeToString(ft) + "` needs the `realloc` option");
      PlanLowering l;
      l.callee = callee.func;
      l.type = ft;
      l.options = std::move(opts);
      l.owner = s.instance;
      CoreItem item;
      item.def.kind = CoreDef::Kind::Lowering;
      item.def.index = static_cast<uint32_t>(plan_.lowerings.size());
      item.type.kind = wasm::ExternKind::Func;
      item.type.func = coreFuncType(ft->lowerParams(), ft->lowerResults());
      plan_.lowerings.push_back(std::move(l));
      s.coreFuncs.push_back(std::move(item));
      return {};
    }
    case Canon::Kind::ResourceNew:
    case Canon::Kind::ResourceDrop:
    case Canon::Kind::ResourceRep: {
      ResourceId r = BANTAM_TRY(resourceAt(c.type));
      if (c.kind != Canon::Kind::ResourceDrop && !s.definedResources.count(r.value))
        return invalid(offset, std::string("canon resource.") + (c.kind == Canon::Kind::ResourceNew ? "new" : "rep") +
                                   ": type " + std::to_string(c.type) + " is not a resource defined by this component");
      PlanBuiltin b;
      b.kind = c.kind == Canon::Kind::ResourceNew    ? PlanBuiltin::Kind::ResourceNew
               : c.kind == Canon::Kind::ResourceDrop ? PlanBuiltin::Kind::ResourceDrop
                                                     : PlanBuiltin::Kind::ResourceRep;
      b.resource = r;
      b.owner = s.instance;
      CoreItem item;
      item.def.kind = CoreDef::Kind::Builtin;
      item.def.index = static_cast<uint32_t>(plan_.builtins.size());
      item.type.kind = wasm::ExternKind::Func;
      if (c.kind == Canon::Kind::ResourceDrop) item.type.func = wasm::FuncType{{wasm::ValType::I32}, {}};
      else item.type.func = wasm::FuncType{{wasm::ValType::I32}, {wasm::ValType::I32}};
      plan_.builtins.push_back(b);
      s.coreFuncs.push_back(std::move(item));
      return {};
    }
  }
  return {};
}

}  // namespace bantam::component::elab
