// Traps out of generated code: the frame walk, the unwinding to the innermost activation, and
// the SIGSEGV/SIGBUS handler that turns a fault in generated code (an access beyond a memory's
// size lands on its guard region) into "out of bounds memory access".
#include <signal.h>
#include <unwind.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include "compiled/activation.h"
#include "compiled/code_registry.h"

namespace bantam::compiled {

namespace {

thread_local Activation* tCurrent = nullptr;

struct sigaction gPrevSegv, gPrevBus;

bool inGeneratedCode(uintptr_t pc) { return findCode(pc) != nullptr; }

void handleFault(int sig, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
  auto pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  Activation* a = tCurrent;
  if (a != nullptr && inGeneratedCode(pc)) {
    auto sp = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RSP]);
    auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
    // A probe of a too-large frame hits the stack's guard page; anything else in generated
    // code is a linear-memory access beyond the memory's size (the guard region).
    bool stack = addr < sp + 4096 && addr + (1u << 20) > sp;
    a->kind = stack ? runtime::TrapKind::CallStackExhausted : runtime::TrapKind::OutOfBoundsMemoryAccess;
    a->hostTrap.reset();
    captureFrames(*a, pc);
    siglongjmp(a->jump, 1);
  }
  // Not ours: the previous handler, or the default action (the fault repeats and kills).
  const struct sigaction& prev = sig == SIGSEGV ? gPrevSegv : gPrevBus;
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) {
      prev.sa_sigaction(sig, info, context);
      return;
    }
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
    prev.sa_handler(sig);
    return;
  }
  signal(sig, SIG_DFL);
}

void installHandlers() {
  struct sigaction sa = {};
  sa.sa_sigaction = handleFault;
  sigemptyset(&sa.sa_mask);
  // SA_NODEFER: the handler leaves by siglongjmp without restoring the signal mask (sigsetjmp
  // without savemask is cheaper), so the signal must not stay blocked.
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigaction(SIGSEGV, &sa, &gPrevSegv);
  sigaction(SIGBUS, &sa, &gPrevBus);
}

// The handler must run on its own stack: a fault may come from a frame at the stack's end.
struct AltStack {
  void* mem = nullptr;
  size_t size = 0;
  AltStack() {
    stack_t current;
    if (sigaltstack(nullptr, &current) == 0 && !(current.ss_flags & SS_DISABLE)) return;  // the host has one
    size = 64 * 1024;
    mem = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
      mem = nullptr;
      return;
    }
    stack_t ss = {};
    ss.ss_sp = mem;
    ss.ss_size = size;
    sigaltstack(&ss, nullptr);
  }
  ~AltStack() {
    if (!mem) return;
    stack_t ss = {};
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, nullptr);
    ::munmap(mem, size);
  }
};

}  // namespace

Activation* currentActivation() { return tCurrent; }
void setCurrentActivation(Activation* a) { tCurrent = a; }

namespace {

struct FrameWalk {
  Activation* a;
  uintptr_t firstPc;
  int hostFramesBefore = 0;  // the trap builtin, the signal frame, ... before the first wasm frame
  bool seenWasm = false;
};

_Unwind_Reason_Code collectFrame(_Unwind_Context* ctx, void* arg) {
  auto& w = *static_cast<FrameWalk*>(arg);
  Activation& a = *w.a;
  int beforeInsn = 0;
  uintptr_t ip = _Unwind_GetIPInfo(ctx, &beforeInsn);
  // A faulting frame's ip is the instruction itself: +1 makes it look like the return
  // addresses of the other frames, which consumers look up at -1.
  if (beforeInsn) ip += 1;
  if (ip != 0 && inGeneratedCode(ip - 1)) {
    if (!w.seenWasm && w.firstPc != 0 && ip != w.firstPc + 1) {
      // The unwinder did not come through the signal frame to the faulting instruction:
      // the fault's pc goes first.
      a.pcs[a.numPcs++] = w.firstPc + 1;
    }
    w.seenWasm = true;
    if (a.numPcs == Activation::kMaxFrames) return _URC_END_OF_STACK;
    a.pcs[a.numPcs++] = ip;
    return a.numPcs == Activation::kMaxFrames ? _URC_END_OF_STACK : _URC_NO_REASON;
  }
  // Back in the host after the guest frames, or no guest frame close enough to the trap.
  if (w.seenWasm || ++w.hostFramesBefore > 8) return _URC_END_OF_STACK;
  return _URC_NO_REASON;
}

}  // namespace

void captureFrames(Activation& a, uintptr_t firstPc) {
  a.numPcs = 0;
  FrameWalk walk{&a, firstPc};
  _Unwind_Backtrace(collectFrame, &walk);
  if (a.numPcs == 0 && firstPc != 0) a.pcs[a.numPcs++] = firstPc + 1;
}

[[noreturn]] __attribute__((noinline)) void raiseTrap(runtime::TrapKind kind) {
  Activation* a = tCurrent;
  if (a == nullptr) std::abort();  // a builtin outside compiled code: a bug
  a->kind = kind;
  a->hostTrap.reset();
  captureFrames(*a, 0);
  siglongjmp(a->jump, 1);
}

[[noreturn]] __attribute__((noinline)) void raiseHostTrap() {
  Activation* a = tCurrent;
  if (a == nullptr) std::abort();
  a->kind = a->hostTrap ? a->hostTrap->kind : runtime::TrapKind::HostError;
  captureFrames(*a, 0);
  siglongjmp(a->jump, 1);
}

void prepareThreadForCompiledCode() {
  static std::once_flag once;
  std::call_once(once, installHandlers);
  thread_local AltStack altStack;
  (void)altStack;
}

}  // namespace bantam::compiled
