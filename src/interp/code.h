// The interpreter's internal code and execution state: what lowering produces and what the
// handlers run. Shared by every lower_*.cpp and exec_*.cpp file.
//
// Code is a stream of 32-bit units. An instruction is an 8-byte handler pointer followed by
// its operands (slot indices, immediates, branch offsets), each one unit or two. Values live in
// 8-byte slots of a frame (a v128 takes two); an operand names a slot by its index from the
// frame pointer, so `local.get` costs nothing and x86 addressing scales the index for free.
//
// Dispatch is wasm3's: every handler ends by tail-calling the next one ([[clang::musttail]]),
// with the hot state in argument registers. The preserve_none convention passes the first
// four arguments in r12-r15, which ordinary C++ functions preserve, so a handler that calls a
// cold helper spills nothing (checked with objdump; see bench/kernels/README.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <optional>
#include <type_traits>

#include "runtime/objects.h"
#include "runtime/store.h"
#include "runtime/trap.h"

namespace bantam::interp {

using Slot = uint64_t;
using CodeUnit = uint32_t;

struct Ctx;

// AddressSanitizer turns stack variables into dynamic allocas, which clang-19 cannot combine
// with preserve_none ("Stack realignment in presence of dynamic allocas is not supported"), so
// sanitizer and fuzzing builds use the default convention.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BANTAM_INTERP_NO_PRESERVE_NONE 1
#endif
#endif
#if defined(__clang__) && (defined(__x86_64__) || defined(__aarch64__)) && !defined(BANTAM_INTERP_NO_PRESERVE_NONE)
#define BANTAM_INTERP_CC __attribute__((preserve_none))
#else
#define BANTAM_INTERP_CC
#endif

// A handler returns only when execution leaves the dispatch loop: kDone, or 1 + TrapKind.
using Status = uint64_t;
inline constexpr Status kDone = 0;
inline constexpr Status trapStatus(runtime::TrapKind k) { return 1 + static_cast<Status>(k); }

// The last three arguments are the accumulators: every handler that computes a scalar value
// stores it to its slot and also leaves it in `acc` (integers), `fa` (f64) or `fs` (f32), so a
// handler that consumes the value right after it reads a register instead of the slot. That
// takes the store-to-load forwarding delay (several cycles) out of dependency chains. Handlers
// that do not touch them pass them on in the same registers, which costs nothing.
typedef Status (*Handler)(const CodeUnit* pc, Slot* fp, uint8_t* mem, uint64_t memSize,
                          Ctx* ctx, uint64_t acc, double fa, float fs) BANTAM_INTERP_CC;

inline constexpr uint32_t kHandlerUnits = 2;

inline Handler loadHandler(const CodeUnit* pc) {
  Handler h;
  std::memcpy(&h, pc, sizeof h);
  return h;
}

// One activation record of the interpreter's own call stack (calls never recurse natively).
// `inst` is the caller's instance: a return switches back when the callee ran in another one.
struct Frame {
  const CodeUnit* retPc;
  Slot* fp;
  runtime::ModuleInst* inst;
};

// Per-store execution state: the value stack and frame stack, shared by nested invocations
// (host → wasm re-entry continues above the outer invocation's top).
class InterpState : public runtime::ExecState {
 public:
  // Null when the address space for the stacks cannot be reserved.
  static std::unique_ptr<InterpState> create(uint64_t stackSlots, uint32_t maxFrames);
  ~InterpState() override;
  Slot* stack = nullptr;
  Frame* frames = nullptr;
  Slot* stackEnd = nullptr;
  Frame* frameEnd = nullptr;
  Slot* sp = nullptr;          // first free slot (valid while no invocation is running code)
  Frame* frameTop = nullptr;   // first free frame
  uint32_t nesting = 0;        // active invoke() calls on this store

 private:
  InterpState() = default;
  size_t stackBytes_ = 0, frameBytes_ = 0;
};

// The execution context of one invoke(): what handlers reach through `ctx`. Hot fields first.
struct Ctx {
  runtime::GlobalInst* const* globals = nullptr;
  runtime::FuncInst* const* funcs = nullptr;
  runtime::TableInst* const* tables = nullptr;
  uint8_t* const* memBase = nullptr;     // points at MemoryInst::base (or a null pointer)
  const uint64_t* memSize = nullptr;     // points at MemoryInst::sizeBytes (or a zero)
  Frame* frameTop = nullptr;
  Frame* frameEnd = nullptr;
  Slot* stackEnd = nullptr;
  const std::atomic<uint64_t>* epoch = nullptr;
  uint64_t epochDeadline = UINT64_MAX;   // 0 while fuel is on: every check takes the slow path
  runtime::ModuleInst* inst = nullptr;
  runtime::MemoryInst* memory = nullptr;
  // cold
  runtime::Store* store = nullptr;
  InterpState* state = nullptr;
  const CodeUnit* trapPc = nullptr;      // the instruction that trapped (for the backtrace)
  std::optional<runtime::Trap> pendingTrap;  // a trap with its own message (host functions)
};

// Makes `inst` the current instance (its globals, functions, tables and memory).
void enterInstance(Ctx* ctx, runtime::ModuleInst* inst);

// ---- operand access -------------------------------------------------------------------------
template <class T>
inline T rd(const Slot* fp, uint32_t slot) {
  T v;
  std::memcpy(&v, fp + slot, sizeof(T));
  return v;
}
template <class T>
inline void wr(Slot* fp, uint32_t slot, T v) {
  std::memcpy(fp + slot, &v, sizeof(T));
}
// Operand unit k of the instruction at pc (after the handler).
inline uint32_t u(const CodeUnit* pc, int k) { return pc[kHandlerUnits + k]; }
inline uint64_t u64(const CodeUnit* pc, int k) {
  uint64_t v;
  std::memcpy(&v, pc + kHandlerUnits + k, 8);
  return v;
}
// A branch offset is relative to its own unit, so every format can place it anywhere.
inline const CodeUnit* branchTarget(const CodeUnit* pc, int k) {
  const CodeUnit* at = pc + kHandlerUnits + k;
  return at + static_cast<int32_t>(*at);
}

// The accumulator of a value of type T (integers are zero-extended in `acc`).
template <class T>
inline void setAcc(T v, uint64_t& acc, double& fa, float& fs) {
  if constexpr (std::is_same_v<T, float>) fs = v;
  else if constexpr (std::is_same_v<T, double>) fa = v;
  else if constexpr (std::is_integral_v<T> && sizeof(T) <= 8) acc = static_cast<std::make_unsigned_t<T>>(v);
}
template <class T>
inline T getAcc(uint64_t acc, double fa, float fs) {
  if constexpr (std::is_same_v<T, float>) return fs;
  else if constexpr (std::is_same_v<T, double>) return fa;
  else return static_cast<T>(acc);
}

// ---- handler definitions --------------------------------------------------------------------
#define BANTAM_HANDLER_ARGS                                                                         \
  const ::bantam::interp::CodeUnit *pc, ::bantam::interp::Slot *fp, uint8_t *mem, uint64_t memSize, \
      ::bantam::interp::Ctx *ctx, uint64_t acc, double fa, float fs
#define BANTAM_ARGS pc, fp, mem, memSize, ctx, acc, fa, fs
#define BANTAM_HANDLER(name) BANTAM_INTERP_CC ::bantam::interp::Status name(BANTAM_HANDLER_ARGS)
#define BANTAM_SET_ACC(v) ::bantam::interp::setAcc((v), acc, fa, fs)
#define BANTAM_ACC(...) ::bantam::interp::getAcc<__VA_ARGS__>(acc, fa, fs)

// Development builds configured with -DBANTAM_INTERP_PROFILE count executed pairs of handlers
// (which super-instructions would pay off); see bench/kernels/README.md. Off: no cost at all.
#ifdef BANTAM_INTERP_PROFILE
void profileDispatch(const CodeUnit* from, const CodeUnit* to);
#define BANTAM_PROFILE(from, to) ::bantam::interp::profileDispatch(from, to)
#else
#define BANTAM_PROFILE(from, to) ((void)0)
#endif

// Jumps to the instruction `units` after this one's start.
#define BANTAM_NEXT(units)                                                          \
  do {                                                                              \
    BANTAM_PROFILE(pc, pc + (units));                                               \
    pc += (units);                                                                  \
    [[clang::musttail]] return ::bantam::interp::loadHandler(pc)(BANTAM_ARGS);      \
  } while (0)
// Continues at `target`.
#define BANTAM_JUMP(target)                                                         \
  do {                                                                              \
    BANTAM_PROFILE(pc, (target));                                                   \
    pc = (target);                                                                  \
    [[clang::musttail]] return ::bantam::interp::loadHandler(pc)(BANTAM_ARGS);      \
  } while (0)
#define BANTAM_TRAP(kind)                                              \
  do {                                                                 \
    ctx->trapPc = pc;                                                  \
    return ::bantam::interp::trapStatus(::bantam::runtime::TrapKind::kind); \
  } while (0)
#define BANTAM_TRAP_STATUS(status) \
  do {                             \
    ctx->trapPc = pc;              \
    return (status);               \
  } while (0)

// Reloads the memory size after anything that may have grown the memory (a call, a host
// call). The base never moves while the instance stays the same (MemoryInst reserves its
// maximum up front), so only an instance switch reloads both (BANTAM_RELOAD_MEM).
#define BANTAM_RELOAD_MEM_SIZE() \
  do {                           \
    memSize = *ctx->memSize;     \
  } while (0)
// Reloads the memory registers (instance switches, memory.grow).
#define BANTAM_RELOAD_MEM()   \
  do {                        \
    mem = *ctx->memBase;      \
    memSize = *ctx->memSize;  \
  } while (0)

// After a call out of line. Only value-producing handlers leave the accumulators live, and they
// call nothing; every other handler may drop them, which spares it saving them around a call.
#define BANTAM_ACC_DEAD() ((void)(acc = 0, fa = 0, fs = 0))

// Interruption (epoch deadline, fuel): one load and compare on the fast path. The slow path
// is a separate handler reached by a tail call (so the handler that checks makes no call and
// saves nothing): it gets the instruction to continue at as its pc, the fuel cost in `acc`
// (dead at every check) and the checking instruction in ctx->trapPc.
Status interruptSlow(Ctx* ctx, uint32_t cost);
BANTAM_INTERP_CC Status interruptThenContinue(const CodeUnit* pc, Slot* fp, uint8_t* mem, uint64_t memSize,
                                              Ctx* ctx, uint64_t acc, double fa, float fs);
#define BANTAM_CHECK_INTERRUPT_THEN(cost, next)                                             \
  do {                                                                                      \
    if (ctx->epoch->load(std::memory_order_relaxed) >= ctx->epochDeadline) [[unlikely]] {   \
      ctx->trapPc = pc;                                                                     \
      acc = (cost);                                                                         \
      pc = (next);                                                                          \
      [[clang::musttail]] return ::bantam::interp::interruptThenContinue(BANTAM_ARGS);      \
    }                                                                                       \
  } while (0)

}  // namespace bantam::interp
