// Calls across the component boundary (CanonicalABI.md canon_lift, canon_lower and the
// resource built-ins, synchronous): host → export, core → import (host function or another
// component's export), resource.new/drop/rep.
#include "component/canon.h"
#include "component/component.h"

namespace bantam::component {

namespace {

using runtime::TrapOr;

size_t liftParamCount(FuncType f) { return f->paramsSpill ? 1 : f->flatParams.count; }
size_t liftResultCount(FuncType f) { return f->resultSpill ? 1 : f->flatResults.count; }

}  // namespace

TrapOr<Value> ComponentInstance::call(const ComponentFunc& f, std::span<const Value> args) {
  if (f.instance != this) return abiFail<Value>("function `" + f.name + "` belongs to another component instance");
  return callRef(f.ref, args, nullptr);
}

TrapOr<Value> ComponentInstance::callRef(FuncRef ref, std::span<const Value> args, RuntimeInstance* caller) {
  switch (ref.kind) {
    case FuncRef::Kind::Lifted: return callLifted(ref.index, args, caller);
    case FuncRef::Kind::Imported: {
      const ComponentPre::Import& imp = pre_->funcs[ref.index];
      if (imp.host) {
        HostCall call(store_, *this);
        return (*imp.host)(call, args);
      }
      if (imp.provider) return imp.provider->callRef(imp.providerRef, args, caller);
      return abiFail<Value>("imported function " + std::to_string(ref.index) + " is not linked");
    }
    case FuncRef::Kind::Abstract: break;
  }
  return abiFail<Value>("call of an abstract function");
}

// canon_lift, synchronous: lower the arguments into the callee, call the core function,
// lift the result (owned copies, since post-return may free their memory), post-return.
TrapOr<Value> ComponentInstance::callLifted(uint32_t index, std::span<const Value> args, RuntimeInstance* caller) {
  if (poisoned_) return abiFail<Value>("component instance is unusable after an earlier trap");
  const PlanLifting& l = compiled_->plan.liftings[index];
  const Lifted& lf = lifted_[index];
  RuntimeInstance* inst = instances_[l.owner].get();
  if (!inst->mayEnterFrom(caller))
    return abiFail<Value>("cannot enter component instance `" + inst->name + "`: it is already on the call stack");
  inst->enterFrom(caller);
  FuncType ft = l.type;
  Task task;
  CanonContext cx;
  cx.store = &store_;
  cx.memory = lf.memory;
  cx.realloc = lf.realloc;
  cx.encoding = l.options.encoding;
  cx.inst = inst;
  cx.task = &task;
  cx.resources = &resources_;
  size_t np = liftParamCount(ft), nr = liftResultCount(ft);
  runtime::RawVal small[kMaxFlatParams + 1];
  std::vector<runtime::RawVal> big;
  size_t cellCount = std::max<size_t>({np, nr, 1});
  runtime::RawVal* cells = small;
  if (cellCount > std::size(small)) {
    big.resize(cellCount);
    cells = big.data();
  }
  auto failed = [&](runtime::Trap t) -> TrapOr<Value> {
    poisoned_ = true;
    return std::unexpected(std::move(t));
  };
  FlatValues out{cells, np, 0};
  if (auto r = lowerFlatValues(cx, kMaxFlatParams, args, ft->params, out); !r) return failed(std::move(r.error()));
  if (auto r = store_.call(*lf.func, std::span<runtime::RawVal>(cells, cellCount)); !r) return failed(std::move(r.error()));
  FlatValues in{cells, nr, 0};
  auto result = liftFlatResult(cx, in, ft->result);
  if (!result) return failed(std::move(result.error()));
  if (task.numBorrows > 0)
    return failed(abiTrap("borrow handles still remain at the end of the call to `" + l.name + "`"));
  if (lf.postReturn) {
    inst->mayLeave = false;
    auto r = store_.call(*lf.postReturn, std::span<runtime::RawVal>(cells, nr));
    inst->mayLeave = true;
    if (!r) return failed(std::move(r.error()));
  }
  inst->leaveTo(caller);
  return result;
}

// canon_lower, synchronous: lift the core arguments (strings and byte lists as views), call
// the callee, give back lent handles, lower the result into the caller's memory.
TrapOr<void> ComponentInstance::callLowered(uint32_t index, std::span<runtime::RawVal> io) {
  const PlanLowering& l = compiled_->plan.lowerings[index];
  const Lowered& lw = lowered_[index];
  RuntimeInstance* inst = instances_[l.owner].get();
  if (!inst->mayLeave)
    return abiFail("cannot leave component instance `" + inst->name + "` during realloc or post-return");
  FuncType ft = l.type;
  size_t np = liftParamCount(ft);
  runtime::RawVal outParam;
  if (ft->resultSpill) outParam = io[np];
  Subtask subtask;
  CanonContext cx;
  cx.store = &store_;
  cx.memory = lw.memory;
  cx.realloc = lw.realloc;
  cx.encoding = l.options.encoding;
  cx.inst = inst;
  cx.subtask = &subtask;
  cx.resources = &resources_;
  cx.views = true;
  std::vector<Value> args;
  FlatValues in{io.data(), np, 0};
  BANTAM_TRY(liftFlatValues(cx, kMaxFlatParams, in, ft->params, args));
  Value result = BANTAM_TRY(callRef(l.callee, args, inst));
  subtask.deliverResolve();
  if (ft->result) {
    cx.subtask = nullptr;
    cx.views = false;
    FlatValues out{io.data(), io.size(), 0};
    BANTAM_TRY(lowerFlatResult(cx, result, ft->result, out, ft->resultSpill ? &outParam : nullptr));
  }
  return {};
}

TrapOr<void> ComponentInstance::dropOwn(const ResourceType* rt, uint32_t rep, RuntimeInstance* caller) {
  if (rt->isHost()) {
    if (rt->hostDtorIn) rt->hostDtorIn(*this, rep);
    else if (rt->hostDtor) rt->hostDtor(rep);
    return {};
  }
  if (!rt->dtor) return {};
  RuntimeInstance* impl = rt->impl;
  if (!impl->mayEnterFrom(caller))
    return abiFail("cannot enter component instance `" + impl->name + "` to run the destructor of `" + rt->name + "`");
  impl->enterFrom(caller);
  runtime::RawVal cell;
  cell.i32 = rep;
  auto r = impl->component->store_.call(*rt->dtor, std::span<runtime::RawVal>(&cell, 1));
  if (!r) {
    impl->component->poisoned_ = true;
    return std::unexpected(std::move(r.error()));
  }
  impl->leaveTo(caller);
  return {};
}

TrapOr<void> ComponentInstance::dropResource(const Value& own) {
  if (own.kind() != ValKind::Own || !own.resourceType())
    return std::unexpected(runtime::Trap(runtime::TrapKind::HostError, "dropResource needs an owned handle"));
  auto* rt = const_cast<ResourceType*>(own.resourceType());
  if (!rt->isHost() && !rt->reclaim(own.rep()))
    return abiFail("owned handle of `" + rt->name + "` (rep " + std::to_string(own.rep()) +
                   ") is not held by the host: it was dropped or passed on already");
  return dropOwn(rt, own.rep(), nullptr);
}

TrapOr<void> ComponentInstance::callBuiltin(uint32_t index, std::span<runtime::RawVal> io) {
  const PlanBuiltin& b = compiled_->plan.builtins[index];
  RuntimeInstance* inst = instances_[b.owner].get();
  const ResourceType* rt = resources_[b.resource.value];
  uint32_t arg = io[0].i32;
  switch (b.kind) {
    case PlanBuiltin::Kind::ResourceNew: {
      if (!inst->mayLeave) return abiFail("resource.new during realloc or post-return");
      HandleEntry h;
      h.rt = rt;
      h.rep = arg;
      h.own = true;
      uint32_t handle = BANTAM_TRY(inst->handles.add(h));
      io[0] = runtime::RawVal();
      io[0].i32 = handle;
      return {};
    }
    case PlanBuiltin::Kind::ResourceDrop: {
      if (!inst->mayLeave) return abiFail("resource.drop during realloc or post-return");
      HandleEntry* h = BANTAM_TRY(inst->handles.get(arg));
      if (h->rt != rt)
        return abiFail("resource.drop: handle " + std::to_string(arg) + " is a `" + h->rt->name + "`, not a `" +
                       (rt ? rt->name : "?") + "`");
      if (h->numLends != 0) return abiFail("resource.drop: handle " + std::to_string(arg) + " is lent out as a borrow");
      HandleEntry e = BANTAM_TRY(inst->handles.remove(arg));
      if (e.own) return dropOwn(e.rt, e.rep, inst);
      if (e.borrowScope && e.borrowScope->numBorrows > 0) --e.borrowScope->numBorrows;
      return {};
    }
    case PlanBuiltin::Kind::ResourceRep: {
      HandleEntry* h = BANTAM_TRY(inst->handles.get(arg));
      if (h->rt != rt)
        return abiFail("resource.rep: handle " + std::to_string(arg) + " is a `" + h->rt->name + "`, not a `" +
                       (rt ? rt->name : "?") + "`");
      uint32_t rep = h->rep;
      io[0] = runtime::RawVal();
      io[0].i32 = rep;
      return {};
    }
  }
  return {};
}

}  // namespace bantam::component
