// The public Engine, and the conversions of values, types and traps between the public API
// and the runtime.
#include "api/impl.h"
#include "api/engine_select.h"
#include "interp/interpreter.h"

namespace bantam {

namespace detail {

namespace {
// The execution engine a Config asks for. A Compiled strategy that cannot be had falls back
// to the interpreter (the constructor cannot fail); strategyName() tells which one runs.
std::unique_ptr<runtime::ExecutionEngine> executionEngineFor(const Config& c) {
  engines::EngineSettings s;
  s.kind = c.strategy == Config::Strategy::Interpreter ? engines::EngineKind::Interpreter
           : c.strategy == Config::Strategy::Compiled  ? engines::EngineKind::Compiled
                                                       : engines::EngineKind::Auto;
  s.optLevel = c.optLevel;
  s.portable = c.portable;
  s.cache = c.cache;
  s.progress = false;  // an embedding API prints nothing
  auto e = engines::createExecutionEngine(s);
  if (e) return std::move(*e);
  return interp::createInterpreter();
}
}  // namespace

EngineImpl::EngineImpl(const Config& c) : config(c), engine(executionEngineFor(c)) {}

FuncType toPublic(const wasm::FuncType& t) {
  FuncType out;
  for (auto v : t.params) out.params.push_back(toPublic(v));
  for (auto v : t.results) out.results.push_back(toPublic(v));
  return out;
}

wasm::FuncType toRuntime(const FuncType& t) {
  wasm::FuncType out;
  for (auto v : t.params) out.params.push_back(toRuntime(v));
  for (auto v : t.results) out.results.push_back(toRuntime(v));
  return out;
}

Limits toPublic(const wasm::Limits& l) { return Limits{l.min, l.max}; }

namespace {
// Public TrapCode and runtime TrapKind list the same kinds (traps.def) in the same order;
// this switch fails to compile when traps.def gains a kind that TrapCode lacks.
TrapCode toPublic(runtime::TrapKind k) {
  switch (k) {
#define BANTAM_TRAP(name, message) \
  case runtime::TrapKind::name:    \
    return TrapCode::name;
#include "runtime/traps.def"
#undef BANTAM_TRAP
  }
  return TrapCode::HostError;
}

runtime::TrapKind toRuntime(TrapCode c) {
  switch (c) {
#define BANTAM_TRAP(name, message) \
  case TrapCode::name:             \
    return runtime::TrapKind::name;
#include "runtime/traps.def"
#undef BANTAM_TRAP
    case TrapCode::InvalidCall:
      break;
  }
  return runtime::TrapKind::HostError;
}
}  // namespace

Trap toPublic(const runtime::Trap& t) {
  Trap out{toPublic(t.kind), t.message, {}, t.exitCode};
  out.frames.reserve(t.frames.size());
  for (const auto& f : t.frames) out.frames.push_back(Frame{f.module, f.function, f.funcIndex, f.offset});
  return out;
}

runtime::Trap toRuntime(const Trap& t) {
  runtime::Trap out(toRuntime(t.code), t.message.empty() ? runtime::trapMessage(toRuntime(t.code)) : t.message);
  out.exitCode = t.exitCode;
  for (const auto& f : t.frames) out.frames.push_back(runtime::TrapFrame{f.module, f.function, f.funcIndex, f.offset});
  return out;
}

Trap invalidCall(std::string message) { return Trap{TrapCode::InvalidCall, std::move(message), {}, 0}; }

}  // namespace detail

Engine::Engine() : Engine(Config{}) {}
Engine::Engine(const Config& config) : impl_(std::make_shared<detail::EngineImpl>(config)) {}

void Engine::incrementEpoch() { impl_->engine.incrementEpoch(); }
const Config& Engine::config() const { return impl_->config; }
std::string_view Engine::strategyName() const { return impl_->engine.exec().name(); }

const char* valTypeName(ValType t) { return wasm::valTypeName(detail::toRuntime(t)); }

std::string FuncType::toString() const { return detail::toRuntime(*this).toString(); }

std::string Val::toString() const {
  runtime::Value v;
  v.type = detail::toRuntime(type_);
  v.raw = detail::toRuntime(raw_);
  return v.toString();
}

Val Val::funcref(const Func& f) {
  Val x(ValType::FuncRef);
  x.raw_.ref = detail::Access::inst(f);
  x.store_ = detail::Access::storeOf(f);
  return x;
}

std::optional<Func> Val::asFunc() const {
  if (type_ != ValType::FuncRef || raw_.ref == nullptr || store_ == nullptr) return std::nullopt;
  return detail::Access::func(store_, static_cast<runtime::FuncInst*>(raw_.ref));
}

std::string Trap::toString() const { return detail::toRuntime(*this).toString(); }

}  // namespace bantam
