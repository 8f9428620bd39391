// The interpreter engine: compile() lowers every function of a module, invoke() runs one on
// the store's value and frame stacks and turns a trap status into a Trap with a backtrace.
#include "interp/interpreter.h"

#include <algorithm>

#include "interp/exec_call.h"
#include "interp/lower.h"
#include "runtime/instantiate.h"

namespace bantam::interp {

using runtime::Trap;
using runtime::TrapKind;

namespace {

// Host → wasm re-entry nests native frames (invoke, the host function): bound it well below
// what a small fiber stack holds.
constexpr uint32_t kMaxNesting = 200;
// Traps of deep recursion would otherwise carry tens of thousands of identical frames.
constexpr size_t kMaxTraceFrames = 100;

uint32_t slotCount(std::span<const wasm::ValType> types) {
  uint32_t n = 0;
  for (wasm::ValType t : types) n += slotsOf(t);
  return n;
}

runtime::TrapFrame describeFrame(const runtime::ModuleInst* inst, const CodeUnit* pc) {
  runtime::TrapFrame f;
  if (!inst) return f;
  f.module = inst->name;
  if (!inst->module || !inst->module->code) return f;
  const auto* code = dynamic_cast<const ModuleCode*>(inst->module->code.get());
  uint32_t funcIndex = 0, offset = 0;
  if (code && code->locate(pc, funcIndex, offset)) {
    f.funcIndex = funcIndex;
    f.offset = offset;
    f.function = inst->module->module.functionName(wasm::FuncIdx(funcIndex));
  }
  return f;
}

class Interpreter final : public runtime::ExecutionEngine {
 public:
  explicit Interpreter(InterpreterOptions options) : options_(options) {}
  std::string_view name() const override { return "interpreter"; }

  Result<std::unique_ptr<runtime::EngineCode>> compile(const wasm::Module& module,
                                                       std::span<const uint32_t> sigIds) override {
    auto code = std::make_unique<ModuleCode>();
    code->numImportedFuncs = module.numImportedFuncs;
    uint64_t bodyBytes = 0;
    for (const wasm::Function& f : module.functions) bodyBytes += f.body.size;
    // About 1.5 code units per body byte in measured modules: one reservation, rarely a second.
    code->code.reserve(bodyBytes + bodyBytes / 2 + 16);
    code->funcStarts.reserve(module.functions.size());
    Lowerer lowerer(module, sigIds, *code, options_.superInstructions);
    for (uint32_t i = 0; i < module.functions.size(); ++i) {
      auto r = lowerer.lowerFunction(i);
      if (!r) {
        uint32_t index = module.numImportedFuncs + i;
        return std::unexpected(std::move(r.error()).withContext(
            "in function " + std::to_string(index) + " (" + module.functionName(wasm::FuncIdx(index)) + ")"));
      }
    }
    code->code.shrink_to_fit();  // before finish(): it stores pointers into the buffer
    lowerer.finish();
    return code;
  }

  runtime::TrapOr<void> invoke(runtime::Store& store, runtime::FuncInst& func,
                               std::span<runtime::RawVal> argsResults) override {
    std::unique_ptr<runtime::ExecState>& es = store.execState();
    if (!es) {
      const runtime::StoreLimits& limits = store.limits();
      es = InterpState::create(std::max<uint64_t>(limits.maxStackBytes / sizeof(Slot), 64),
                               std::max<uint32_t>(limits.maxCallDepth, 1));
      if (!es)
        return std::unexpected(Trap(TrapKind::CallStackExhausted,
                                    "call stack exhausted: cannot reserve the interpreter's stacks"));
    }
    auto* state = static_cast<InterpState*>(es.get());
    const wasm::FuncType& type = *func.type;
    uint32_t frameArgs = std::max(slotCount(type.params), slotCount(type.results));
    Slot* fp = state->sp;
    Frame* base = state->frameTop;
    if (state->nesting >= kMaxNesting || base == state->frameEnd ||
        static_cast<size_t>(state->stackEnd - fp) < frameArgs)
      return std::unexpected(Trap(TrapKind::CallStackExhausted));
    cellsToSlots(argsResults.data(), type.params, fp);

    Ctx ctx;
    ctx.store = &store;
    ctx.state = state;
    ctx.frameTop = base + 1;
    ctx.frameEnd = state->frameEnd;
    ctx.stackEnd = state->stackEnd;
    ctx.epoch = &store.engine().epoch;
    ctx.epochDeadline = store.fuelEnabled() ? 0 : store.epochDeadline();
    // The invocation's bottom frame returns to the exit code.
    base->retPc = h::exitCode();
    base->fp = nullptr;
    base->inst = func.instance;
    enterInstance(&ctx, func.instance);

    ++state->nesting;
    const auto* pc = static_cast<const CodeUnit*>(func.code);
    Status status = loadHandler(pc)(pc, fp, *ctx.memBase, *ctx.memSize, &ctx, 0, 0.0, 0.0f);
    --state->nesting;

    if (status == kDone) [[likely]] {
      slotsToCells(fp, type.results, argsResults.data());
      return {};
    }
    return std::unexpected(makeTrap(ctx, status, base));
  }

 private:
  InterpreterOptions options_;

  static Trap makeTrap(Ctx& ctx, Status status, Frame* base) {
    Trap trap = ctx.pendingTrap ? std::move(*ctx.pendingTrap) : Trap(static_cast<TrapKind>(status - 1));
    // Innermost first: the trapping function, then each caller at its call instruction.
    trap.frames.push_back(describeFrame(ctx.inst, ctx.trapPc));
    for (Frame* f = ctx.frameTop - 1; f > base && trap.frames.size() < kMaxTraceFrames; --f)
      trap.frames.push_back(describeFrame(f->inst, f->retPc - 1));
    return trap;
  }
};

}  // namespace

bool ModuleCode::locate(const CodeUnit* pc, uint32_t& funcIndex, uint32_t& wasmOffset) const {
  if (!contains(pc) || funcStarts.empty()) return false;
  auto pos = static_cast<uint32_t>(pc - code.data());
  auto fit = std::upper_bound(funcStarts.begin(), funcStarts.end(), pos);
  if (fit == funcStarts.begin()) return false;
  uint32_t defined = static_cast<uint32_t>(fit - funcStarts.begin()) - 1;
  funcIndex = numImportedFuncs + defined;
  wasmOffset = 0;
  auto oit = std::upper_bound(offsets.begin(), offsets.end(), std::make_pair(pos, UINT32_MAX));
  if (oit != offsets.begin() && std::prev(oit)->first >= funcStarts[defined]) wasmOffset = std::prev(oit)->second;
  return true;
}

std::unique_ptr<runtime::ExecutionEngine> createInterpreter(InterpreterOptions options) {
  return std::make_unique<Interpreter>(options);
}

}  // namespace bantam::interp
