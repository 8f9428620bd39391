// Handlers for control flow (branches, calls, returns, function entry), copies, constants,
// select and globals.
#include <bit>

#include "interp/exec_call.h"
#include "interp/handlers.h"

namespace bantam::interp::h {

namespace {
alignas(8) const Handler kExitCode[1] = {&Exit};
}  // namespace

const CodeUnit* exitCode() { return reinterpret_cast<const CodeUnit*>(kExitCode); }

BANTAM_HANDLER(Exit) { return kDone; }
BANTAM_HANDLER(Unreachable) { BANTAM_TRAP(Unreachable); }
BANTAM_HANDLER(TrapOutOfBounds) { BANTAM_TRAP(OutOfBoundsMemoryAccess); }

// Function entry: the frame must fit the value stack (the caller only checked the frame
// stack), locals start at zero (§4.4.10 invocation), and the epoch/fuel check of entries.
// no_builtin: the zeroing loop must stay a loop, not become a call to memset (a call would
// make the handler save its registers on every entry).
__attribute__((no_builtin("memset"))) BANTAM_HANDLER(Entry) {
  if (static_cast<size_t>(ctx->stackEnd - fp) < u(pc, 0)) [[unlikely]] BANTAM_TRAP(CallStackExhausted);
  Slot* locals = fp + u(pc, 1);
  for (uint32_t i = 0, n = u(pc, 2); i < n; ++i) locals[i] = 0;
  BANTAM_CHECK_INTERRUPT_THEN(u(pc, 3), pc + kHandlerUnits + 4);
  BANTAM_NEXT(kHandlerUnits + 4);
}
__attribute__((no_builtin("memset"))) BANTAM_HANDLER(EntryLeaf) {
  if (static_cast<size_t>(ctx->stackEnd - fp) < u(pc, 0)) [[unlikely]] BANTAM_TRAP(CallStackExhausted);
  Slot* locals = fp + u(pc, 1);
  for (uint32_t i = 0, n = u(pc, 2); i < n; ++i) locals[i] = 0;
  BANTAM_NEXT(kHandlerUnits + 4);
}
BANTAM_HANDLER(Entry0Leaf) {
  if (static_cast<size_t>(ctx->stackEnd - fp) < u(pc, 0)) [[unlikely]] BANTAM_TRAP(CallStackExhausted);
  BANTAM_NEXT(kHandlerUnits + 2);
}
BANTAM_HANDLER(Entry0) {
  if (static_cast<size_t>(ctx->stackEnd - fp) < u(pc, 0)) [[unlikely]] BANTAM_TRAP(CallStackExhausted);
  BANTAM_CHECK_INTERRUPT_THEN(u(pc, 1), pc + kHandlerUnits + 2);
  BANTAM_NEXT(kHandlerUnits + 2);
}

// ---- copies and constants -------------------------------------------------------------------
BANTAM_HANDLER(Copy64) {
  wr(fp, u(pc, 0), rd<uint64_t>(fp, u(pc, 1)));
  BANTAM_NEXT(kHandlerUnits + 2);
}
// Register shuffles of compiled code come in runs of copies (measured: 10% of the handler
// pairs of sha256 are copy -> copy); two per dispatch.
BANTAM_HANDLER(Copy64x2) {
  wr(fp, u(pc, 0), rd<uint64_t>(fp, u(pc, 1)));
  wr(fp, u(pc, 2), rd<uint64_t>(fp, u(pc, 3)));
  BANTAM_NEXT(kHandlerUnits + 4);
}
// Loops step several induction variables at once (p += 4; q += 4; n -= 1): measured 13% of
// the handler pairs of fannkuch. The second add may read the first's result.
BANTAM_HANDLER(AddImm2) {
  wr(fp, u(pc, 0), rd<uint32_t>(fp, u(pc, 1)) + u(pc, 2));
  uint32_t r = rd<uint32_t>(fp, u(pc, 4)) + u(pc, 5);
  wr(fp, u(pc, 3), r);
  acc = r;
  BANTAM_NEXT(kHandlerUnits + 6);
}
BANTAM_HANDLER(Copy128) {
  std::memmove(fp + u(pc, 0), fp + u(pc, 1), 16);
  BANTAM_NEXT(kHandlerUnits + 2);
}
BANTAM_HANDLER(Const32) {
  wr(fp, u(pc, 0), u(pc, 1));
  BANTAM_NEXT(kHandlerUnits + 2);
}
BANTAM_HANDLER(Const64) {
  wr(fp, u(pc, 0), u64(pc, 1));
  BANTAM_NEXT(kHandlerUnits + 3);
}
BANTAM_HANDLER(Const128) {
  std::memcpy(fp + u(pc, 0), pc + kHandlerUnits + 1, 16);
  BANTAM_NEXT(kHandlerUnits + 5);
}

// ---- branches -------------------------------------------------------------------------------
BANTAM_HANDLER(Br) { BANTAM_JUMP(branchTarget(pc, 0)); }
BANTAM_HANDLER(BrCheck) {
  BANTAM_CHECK_INTERRUPT_THEN(u(pc, 1), branchTarget(pc, 0));
  BANTAM_JUMP(branchTarget(pc, 0));
}

// {off, [cost,] c}: branch when c is non-zero (or zero); the Acc forms take c from the
// accumulator: {off, [cost]}.
#define BANTAM_BR_IF(T, kZero, kCheck, kAcc)                                          \
  constexpr int kC = (kCheck) ? 2 : 1;                                                \
  T c_;                                                                               \
  if constexpr (kAcc) c_ = BANTAM_ACC(T);                                             \
  else c_ = rd<T>(fp, u(pc, kC));                                                     \
  if ((c_ == 0) == (kZero)) {                                                         \
    if constexpr (kCheck) BANTAM_CHECK_INTERRUPT_THEN(u(pc, 1), branchTarget(pc, 0));  \
    BANTAM_JUMP(branchTarget(pc, 0));                                                 \
  }                                                                                   \
  BANTAM_NEXT(kHandlerUnits + kC + ((kAcc) ? 0 : 1));

BANTAM_HANDLER(BrIfNZ) { BANTAM_BR_IF(uint32_t, false, false, false) }
BANTAM_HANDLER(BrIfZ) { BANTAM_BR_IF(uint32_t, true, false, false) }
BANTAM_HANDLER(BrIfNZCheck) { BANTAM_BR_IF(uint32_t, false, true, false) }
BANTAM_HANDLER(BrIfZCheck) { BANTAM_BR_IF(uint32_t, true, true, false) }
BANTAM_HANDLER(BrIfNZ64) { BANTAM_BR_IF(uint64_t, false, false, false) }
BANTAM_HANDLER(BrIfZ64) { BANTAM_BR_IF(uint64_t, true, false, false) }
BANTAM_HANDLER(BrIfNZ64Check) { BANTAM_BR_IF(uint64_t, false, true, false) }
BANTAM_HANDLER(BrIfZ64Check) { BANTAM_BR_IF(uint64_t, true, true, false) }
BANTAM_HANDLER(BrIfNZAcc) { BANTAM_BR_IF(uint32_t, false, false, true) }
BANTAM_HANDLER(BrIfZAcc) { BANTAM_BR_IF(uint32_t, true, false, true) }
BANTAM_HANDLER(BrIfNZAccCheck) { BANTAM_BR_IF(uint32_t, false, true, true) }
BANTAM_HANDLER(BrIfZAccCheck) { BANTAM_BR_IF(uint32_t, true, true, true) }
BANTAM_HANDLER(BrIfNZ64Acc) { BANTAM_BR_IF(uint64_t, false, false, true) }
BANTAM_HANDLER(BrIfZ64Acc) { BANTAM_BR_IF(uint64_t, true, false, true) }
BANTAM_HANDLER(BrIfNZ64AccCheck) { BANTAM_BR_IF(uint64_t, false, true, true) }
BANTAM_HANDLER(BrIfZ64AccCheck) { BANTAM_BR_IF(uint64_t, true, true, true) }

// {idx, n, off * (n + 1)}: an index past the table takes the default (the last entry).
BANTAM_HANDLER(BrTable) {
  uint32_t i = rd<uint32_t>(fp, u(pc, 0));
  uint32_t n = u(pc, 1);
  if (i > n) i = n;
  BANTAM_JUMP(branchTarget(pc, 2 + static_cast<int>(i)));
}

// ---- returns --------------------------------------------------------------------------------
// Results are in fp[0..). The frame stack's bottom entry of each invocation returns to the
// exit code, so a return needs no "is this the last frame" test.
#define BANTAM_RETURN()                                                      \
  do {                                                                       \
    Frame* f_ = ctx->frameTop - 1;                                           \
    if (f_->inst != ctx->inst) [[unlikely]]                                  \
      [[clang::musttail]] return returnToOtherInstance(BANTAM_ARGS);         \
    ctx->frameTop = f_;                                                      \
    fp = f_->fp;                                                             \
    BANTAM_RELOAD_MEM_SIZE();                                                \
    BANTAM_JUMP(f_->retPc);                                                  \
  } while (0)

namespace {
// The return of a call that went to another instance (kept out of line: it calls a helper).
BANTAM_HANDLER(returnToOtherInstance) {
  Frame* f = ctx->frameTop - 1;
  ctx->frameTop = f;
  fp = f->fp;
  enterInstance(ctx, f->inst);
  BANTAM_ACC_DEAD();
  BANTAM_RELOAD_MEM();
  BANTAM_JUMP(f->retPc);
}
}  // namespace

// A single scalar result is also left in the accumulators (every single-result return does:
// Return follows the instruction that computed fp[0], which set its accumulator), so the
// caller's next instruction can take it from a register.
#define BANTAM_RESULT_TO_ACC(v)                                  \
  do {                                                           \
    acc = (v);                                                   \
    fa = std::bit_cast<double>(uint64_t{v});                     \
    fs = std::bit_cast<float>(static_cast<uint32_t>(v));         \
  } while (0)

BANTAM_HANDLER(Return) { BANTAM_RETURN(); }
BANTAM_HANDLER(ReturnR64) {
  uint64_t v = fp[u(pc, 0)];
  fp[0] = v;
  BANTAM_RESULT_TO_ACC(v);
  BANTAM_RETURN();
}
BANTAM_HANDLER(ReturnR128) {
  std::memmove(fp, fp + u(pc, 0), 16);
  BANTAM_RETURN();
}
BANTAM_HANDLER(ReturnC64) {
  uint64_t v = u64(pc, 0);
  fp[0] = v;
  BANTAM_RESULT_TO_ACC(v);
  BANTAM_RETURN();
}

// ---- calls ----------------------------------------------------------------------------------
// The callee's frame starts at the caller's argument slots (they become its parameters) and
// its results come back in the same place, so a call copies nothing.
#define BANTAM_PUSH_FRAME(ret)                                                      \
  Frame* f_ = ctx->frameTop;                                                        \
  if (f_ == ctx->frameEnd) [[unlikely]] BANTAM_TRAP(CallStackExhausted);            \
  f_->retPc = (ret);                                                                \
  f_->fp = fp;                                                                      \
  f_->inst = ctx->inst;                                                             \
  ctx->frameTop = f_ + 1;

BANTAM_HANDLER(Call) {
  BANTAM_PUSH_FRAME(pc + kHandlerUnits + 3);
  const CodeUnit* target;
  std::memcpy(&target, pc + kHandlerUnits, sizeof target);
  fp += u(pc, 2);
  BANTAM_JUMP(target);
}

// A call through a FuncInst: same instance (direct), host function, or another instance.
#define BANTAM_CALL_FUNC(fn, argSlot, size)                                         \
  do {                                                                              \
    if ((fn)->instance == ctx->inst) [[likely]] {                                   \
      BANTAM_PUSH_FRAME(pc + (size));                                               \
      fp += (argSlot);                                                              \
      BANTAM_JUMP(static_cast<const CodeUnit*>((fn)->code));                        \
    }                                                                               \
    if ((fn)->isHost()) {                                                           \
      if (Status st_ = callHost(ctx, (fn), fp + (argSlot))) [[unlikely]]           \
        BANTAM_TRAP_STATUS(st_);                                                    \
      BANTAM_ACC_DEAD();                                                            \
      BANTAM_RELOAD_MEM_SIZE();                                                     \
      BANTAM_NEXT(size);                                                            \
    }                                                                               \
    BANTAM_PUSH_FRAME(pc + (size));                                                 \
    fp += (argSlot);                                                                \
    enterInstance(ctx, (fn)->instance);                                             \
    BANTAM_ACC_DEAD();                                                              \
    BANTAM_RELOAD_MEM();                                                            \
    BANTAM_JUMP(static_cast<const CodeUnit*>((fn)->code));                          \
  } while (0)

BANTAM_HANDLER(CallImport) {
  runtime::FuncInst* fn = ctx->funcs[u(pc, 0)];
  BANTAM_CALL_FUNC(fn, u(pc, 1), kHandlerUnits + 2);
}

// §4.4.8 call_indirect: bounds, then null, then the signature (canonical ids compare).
BANTAM_HANDLER(CallIndirect) {
  runtime::TableInst* t = ctx->tables[u(pc, 1)];
  uint32_t i = rd<uint32_t>(fp, u(pc, 2));
  if (i >= t->elems.size()) [[unlikely]]
    BANTAM_TRAP_STATUS(trapAtElement(ctx, runtime::TrapKind::UndefinedElement, i));
  auto* fn = static_cast<runtime::FuncInst*>(t->elems[i]);
  if (!fn) [[unlikely]] BANTAM_TRAP_STATUS(trapAtElement(ctx, runtime::TrapKind::UninitializedElement, i));
  if (fn->sigId != u(pc, 0)) [[unlikely]] BANTAM_TRAP(IndirectCallTypeMismatch);
  BANTAM_CALL_FUNC(fn, u(pc, 3), kHandlerUnits + 4);
}

// ---- select and globals ---------------------------------------------------------------------
BANTAM_HANDLER(Select) {
  uint64_t v = rd<uint32_t>(fp, u(pc, 1)) ? rd<uint64_t>(fp, u(pc, 2)) : rd<uint64_t>(fp, u(pc, 3));
  wr(fp, u(pc, 0), v);
  BANTAM_NEXT(kHandlerUnits + 4);
}
BANTAM_HANDLER(Select128) {
  uint32_t src = rd<uint32_t>(fp, u(pc, 1)) ? u(pc, 2) : u(pc, 3);
  std::memmove(fp + u(pc, 0), fp + src, 16);
  BANTAM_NEXT(kHandlerUnits + 4);
}

BANTAM_HANDLER(GlobalGet) {
  wr(fp, u(pc, 0), ctx->globals[u(pc, 1)]->value.i64);
  BANTAM_NEXT(kHandlerUnits + 2);
}
BANTAM_HANDLER(GlobalGet128) {
  std::memcpy(fp + u(pc, 0), &ctx->globals[u(pc, 1)]->value.v128, 16);
  BANTAM_NEXT(kHandlerUnits + 2);
}
BANTAM_HANDLER(GlobalSet) {
  ctx->globals[u(pc, 0)]->value.i64 = rd<uint64_t>(fp, u(pc, 1));
  BANTAM_NEXT(kHandlerUnits + 2);
}
BANTAM_HANDLER(GlobalSet128) {
  std::memcpy(&ctx->globals[u(pc, 0)]->value.v128, fp + u(pc, 1), 16);
  BANTAM_NEXT(kHandlerUnits + 2);
}

BANTAM_HANDLER(RefFunc) {
  wr<void*>(fp, u(pc, 0), ctx->funcs[u(pc, 1)]);
  BANTAM_NEXT(kHandlerUnits + 2);
}

}  // namespace bantam::interp::h
