// The interpreter's out-of-line runtime: execution state, instance switches, the slow path of
// interruption checks and calls into host functions.
#include <sys/mman.h>

#include <exception>
#include <vector>

#include "interp/exec_call.h"
#include "interp/lower.h"

namespace bantam::interp {

using runtime::RawVal;
using runtime::TrapKind;
using wasm::ValType;

namespace {
// Anonymous mappings without reserve: pages are committed only when the stacks reach them, so
// a generous limit costs address space, not memory.
void* mapZeroed(size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}
}  // namespace

std::unique_ptr<InterpState> InterpState::create(uint64_t stackSlots, uint32_t maxFrames) {
  std::unique_ptr<InterpState> s(new InterpState());
  s->stackBytes_ = stackSlots * sizeof(Slot);
  s->frameBytes_ = uint64_t{maxFrames} * sizeof(Frame);
  s->stack = static_cast<Slot*>(mapZeroed(s->stackBytes_));
  s->frames = static_cast<Frame*>(mapZeroed(s->frameBytes_));
  if (!s->stack || !s->frames) return nullptr;
  s->stackEnd = s->stack + stackSlots;
  s->frameEnd = s->frames + maxFrames;
  s->sp = s->stack;
  s->frameTop = s->frames;
  return s;
}

InterpState::~InterpState() {
  if (stack) ::munmap(stack, stackBytes_);
  if (frames) ::munmap(frames, frameBytes_);
}

namespace {
uint8_t* const kNoMemoryBase = nullptr;
const uint64_t kNoMemorySize = 0;
}  // namespace

void enterInstance(Ctx* ctx, runtime::ModuleInst* inst) {
  ctx->inst = inst;
  ctx->globals = inst->globals.data();
  ctx->funcs = inst->funcs.data();
  ctx->tables = inst->tables.data();
  if (!inst->memories.empty()) {
    ctx->memory = inst->memories[0];
    ctx->memBase = &ctx->memory->base;
    ctx->memSize = &ctx->memory->sizeBytes;
  } else {
    ctx->memory = nullptr;
    ctx->memBase = &kNoMemoryBase;
    ctx->memSize = &kNoMemorySize;
  }
}

// Reached when the epoch reached the cached deadline, or at every check while fuel is on
// (the cached deadline is 0 then).
Status interruptSlow(Ctx* ctx, uint32_t cost) {
  runtime::Store& store = *ctx->store;
  if (store.fuelEnabled()) {
    uint64_t& fuel = store.fuel();
    if (fuel < cost) {
      fuel = 0;
      return trapStatus(TrapKind::OutOfFuel);
    }
    fuel -= cost;
  }
  if (ctx->epoch->load(std::memory_order_relaxed) >= store.epochDeadline() && !store.epochDeadlineReached())
    return trapStatus(TrapKind::Interrupted);
  ctx->epochDeadline = store.fuelEnabled() ? 0 : store.epochDeadline();
  return kDone;
}

Status trapAtElement(Ctx* ctx, TrapKind kind, uint32_t index) {
  ctx->pendingTrap = runtime::Trap(kind, std::string(runtime::trapMessage(kind)) + " " + std::to_string(index));
  return trapStatus(kind);
}

BANTAM_INTERP_CC Status interruptThenContinue(const CodeUnit* pc, Slot* fp, uint8_t* mem, uint64_t memSize,
                                              Ctx* ctx, uint64_t acc, double fa, float fs) {
  if (Status st = interruptSlow(ctx, static_cast<uint32_t>(acc))) return st;  // trapPc is set
  BANTAM_ACC_DEAD();
  [[clang::musttail]] return loadHandler(pc)(BANTAM_ARGS);
}

void slotsToCells(const Slot* slots, std::span<const ValType> types, RawVal* cells) {
  uint32_t s = 0;
  for (size_t i = 0; i < types.size(); ++i) {
    RawVal& c = cells[i];
    c = RawVal();
    switch (types[i]) {
      case ValType::I32: case ValType::F32: c.i32 = rd<uint32_t>(slots, s); break;
      case ValType::I64: case ValType::F64: c.i64 = rd<uint64_t>(slots, s); break;
      case ValType::V128: std::memcpy(&c.v128, slots + s, 16); break;
      case ValType::FuncRef: case ValType::ExternRef: c.ref = rd<void*>(slots, s); break;
    }
    s += slotsOf(types[i]);
  }
}

void cellsToSlots(const RawVal* cells, std::span<const ValType> types, Slot* slots) {
  uint32_t s = 0;
  for (size_t i = 0; i < types.size(); ++i) {
    const RawVal& c = cells[i];
    switch (types[i]) {
      case ValType::I32: case ValType::F32: wr<uint64_t>(slots, s, c.i32); break;
      case ValType::I64: case ValType::F64: wr<uint64_t>(slots, s, c.i64); break;
      case ValType::V128: std::memcpy(slots + s, &c.v128, 16); break;
      case ValType::FuncRef: case ValType::ExternRef: wr<void*>(slots, s, c.ref); break;
    }
    s += slotsOf(types[i]);
  }
}

Status callHost(Ctx* ctx, runtime::FuncInst* fn, Slot* args) {
  const wasm::FuncType& type = *fn->type;
  size_t n = std::max(type.params.size(), type.results.size());
  RawVal small[8];
  std::vector<RawVal> large;
  RawVal* cells = small;
  if (n > std::size(small)) {
    large.resize(n);
    cells = large.data();
  }
  slotsToCells(args, type.params, cells);
  // A host function may call back into wasm: that invocation continues above this frame.
  InterpState* state = ctx->state;
  Slot* savedSp = state->sp;
  Frame* savedTop = state->frameTop;
  state->sp = args;
  state->frameTop = ctx->frameTop;
  runtime::Caller caller(*ctx->store, ctx->inst);
  runtime::TrapOr<void> r;
  // Host functions that throw become traps at the boundary (no exception crosses the engine).
  try {
    r = fn->host(caller, std::span<RawVal>(cells, n));
  } catch (const std::exception& e) {
    r = std::unexpected(runtime::Trap(TrapKind::HostError, std::string("host function failed: ") + e.what()));
  } catch (...) {
    r = std::unexpected(runtime::Trap(TrapKind::HostError));
  }
  state->sp = savedSp;
  state->frameTop = savedTop;
  // The host may have changed the deadline or the fuel.
  ctx->epochDeadline = ctx->store->fuelEnabled() ? 0 : ctx->store->epochDeadline();
  if (!r) {
    TrapKind kind = r.error().kind;
    ctx->pendingTrap = std::move(r.error());
    return trapStatus(kind);
  }
  cellsToSlots(cells, type.results, args);
  return kDone;
}

}  // namespace bantam::interp
