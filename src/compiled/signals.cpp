// Traps out of generated code: the frame walk, the unwinding to the innermost activation, and
// the SIGSEGV/SIGBUS handler that turns a fault in generated code (an access beyond a memory's
// size lands on its guard region) into "out of bounds memory access".
#include <signal.h>
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
    captureFrames(*a, pc, reinterpret_cast<const uintptr_t*>(uc->uc_mcontext.gregs[REG_RBP]));
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

void captureFrames(Activation& a, uintptr_t firstPc, const uintptr_t* fp) {
  a.numPcs = 0;
  if (firstPc != 0) a.pcs[a.numPcs++] = firstPc;
  bool seenWasm = firstPc != 0;
  // Generated code keeps frame pointers: [fp] is the caller's fp, [fp + 8] the return address.
  // The chain is followed only upwards and below the activation, so a stray value ends it.
  for (int skipped = 0; fp != nullptr && a.numPcs < Activation::kMaxFrames;) {
    auto at = reinterpret_cast<uintptr_t>(fp);
    if (at >= a.stackTop || (at & 7) != 0) break;
    uintptr_t ret = fp[1];
    auto next = reinterpret_cast<const uintptr_t*>(fp[0]);
    if (inGeneratedCode(ret)) {
      a.pcs[a.numPcs++] = ret;
      seenWasm = true;
    } else if (seenWasm || ++skipped > 4) {
      break;  // back in the host (the trampoline's caller)
    }
    if (reinterpret_cast<uintptr_t>(next) <= at) break;
    fp = next;
  }
}

[[noreturn]] __attribute__((noinline)) void raiseTrap(runtime::TrapKind kind) {
  Activation* a = tCurrent;
  if (a == nullptr) std::abort();  // a builtin outside compiled code: a bug
  a->kind = kind;
  a->hostTrap.reset();
  captureFrames(*a, 0, static_cast<const uintptr_t*>(__builtin_frame_address(0)));
  siglongjmp(a->jump, 1);
}

[[noreturn]] __attribute__((noinline)) void raiseHostTrap() {
  Activation* a = tCurrent;
  if (a == nullptr) std::abort();
  a->kind = a->hostTrap ? a->hostTrap->kind : runtime::TrapKind::HostError;
  captureFrames(*a, 0, static_cast<const uintptr_t*>(__builtin_frame_address(0)));
  siglongjmp(a->jump, 1);
}

void prepareThreadForCompiledCode() {
  static std::once_flag once;
  std::call_once(once, installHandlers);
  thread_local AltStack altStack;
  (void)altStack;
}

}  // namespace bantam::compiled
