// 64-bit address inductions for loops whose 32-bit addresses provably do not wrap.
//
// Why: wasm32 computes an address in 32 bits and the translator zero-extends it (`zext(p + 36)`
// for a load at p+36, translate_memory.cpp). The add may wrap (valid wasm may rely on it; a
// guest of ours does), so LLVM may not rewrite it as `zext(p) + 36`: in a loop every access
// keeps its own 32-bit induction and zero-extension, and register pressure spills them
// (sha256's message schedule: five 32-bit bases, two spilled, 45% slower than native code,
// which has one pointer and displacements). The guard regions cannot help: a wrapped address
// is a valid access, not a fault.
//
// So an innermost loop with a computable trip count n is versioned. Its address sequences
// {base + offset, +, C} are grouped by base and step (one array's accesses in an unrolled
// loop differ only in the offset); in the preheader, at most two compares per group check
// that zext(base) + offset + C*k stays in [0, 2^32) for every offset of the group and every
// iteration k <= n. If all hold, a copy runs in which each sequence is that 64-bit sum, one
// base per group, which loop strength reduction turns into one induction and addressing-mode
// displacements; otherwise the original loop runs. The copy is exact under the check, so the
// code is correct for every input (a wrapping sequence takes the original loop:
// tests/unit/compiled/widen_addresses_test.cpp). Measured with bench/run (docs/performance.md):
// sha256 0.98 -> 0.89x native, nbody 1.07 -> 1.01x, matmul 2.30 -> 1.94x, the others unchanged.
#include "llvm/widen_addresses.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include <algorithm>
#include <vector>

namespace bantam::llvmc {
namespace {

// Loops are cloned: larger ones are left alone (code size), as are loops with many groups of
// sequences (up to two compares each at every entry).
constexpr unsigned kMaxLoopInstructions = 400;
constexpr unsigned kMaxGroups = 8;

// A sequence {base + offset, +, step}: accesses to one array in an unrolled loop differ only
// in `offset` and share their group's `base`, and in 64 bits they must stay one base plus
// displacements (as separate zero-extended starts they would each take a register: matmul's
// 12-fold unrolled loop spilled 12 of them).
struct Group {
  const llvm::SCEV* base;
  int64_t step;
  int64_t lo, hi;  // the smallest and largest offset
};

struct Sequence {
  llvm::ZExtInst* zext;
  size_t group;
  int64_t offset;
};

struct Sequences {
  std::vector<Sequence> seqs;
  std::vector<Group> groups;
};

// The zero-extended 32-bit affine sequences of loop `l` with a constant step, grouped by
// base and step; nothing for a loop too large or with too many groups.
Sequences sequencesOf(llvm::Loop& l, llvm::ScalarEvolution& se) {
  Sequences out;
  unsigned size = 0;
  for (llvm::BasicBlock* bb : l.blocks()) {
    for (llvm::Instruction& inst : *bb) {
      if (++size > kMaxLoopInstructions) return {};
      auto* z = llvm::dyn_cast<llvm::ZExtInst>(&inst);
      if (!z || !z->getSrcTy()->isIntegerTy(32) || !z->getDestTy()->isIntegerTy(64)) continue;
      if (!llvm::any_of(z->users(), [](llvm::User* u) { return llvm::isa<llvm::GetElementPtrInst>(u); })) continue;
      auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(se.getSCEV(z->getOperand(0)));
      if (!rec || rec->getLoop() != &l || !rec->isAffine()) continue;
      auto* stepConst = llvm::dyn_cast<llvm::SCEVConstant>(rec->getStepRecurrence(se));
      // Steps up to 16 MiB: with at most 2^32 iterations the check's sums stay far inside i64.
      if (!stepConst || stepConst->getValue()->isZero() || stepConst->getAPInt().abs().getActiveBits() > 24) continue;
      int64_t step = stepConst->getAPInt().getSExtValue();
      // One array's accesses: starts that differ by a constant (SCEV folds the constant into
      // an outer loop's recurrence, so compare by subtraction).
      Sequence q{z, out.groups.size(), 0};
      for (size_t i = 0; i < out.groups.size(); ++i) {
        if (out.groups[i].step != step) continue;
        if (auto* k = llvm::dyn_cast<llvm::SCEVConstant>(se.getMinusSCEV(rec->getStart(), out.groups[i].base))) {
          q.group = i;
          q.offset = k->getAPInt().getSExtValue();
          break;
        }
      }
      if (q.group == out.groups.size()) {
        if (out.groups.size() == kMaxGroups) return {};
        out.groups.push_back({rec->getStart(), step, 0, 0});
      }
      Group& g = out.groups[q.group];
      g.lo = std::min(g.lo, q.offset);
      g.hi = std::max(g.hi, q.offset);
      out.seqs.push_back(q);
    }
  }
  return out;
}

bool widenLoop(llvm::Loop& l, llvm::LoopInfo& li, llvm::DominatorTree& dt, llvm::ScalarEvolution& se) {
  // One exit, left by one branch edge (a br_table with several edges to the exit would need
  // as many PHI entries per copy).
  if (!l.isInnermost() || !l.isLoopSimplifyForm() || !l.getExitingBlock() || !l.getExitBlock() ||
      !llvm::isa<llvm::BranchInst>(l.getExitingBlock()->getTerminator()) || !l.isLCSSAForm(dt))
    return false;
  const llvm::SCEV* btc = se.getBackedgeTakenCount(&l);
  // At most 2^32 - 1 backedges (the products below then fit in 64 bits); loop counters that
  // induction-variable simplification widened to i64 qualify when their range says so.
  if (llvm::isa<llvm::SCEVCouldNotCompute>(btc) || btc->getType()->getIntegerBitWidth() > 64 ||
      se.getUnsignedRangeMax(btc).getActiveBits() > 32)
    return false;
  auto [seqs, groups] = sequencesOf(l, se);
  if (seqs.empty()) return false;

  llvm::BasicBlock* check = l.getLoopPreheader();
  llvm::Instruction* at = check->getTerminator();
  const llvm::DataLayout& dl = check->getDataLayout();
  llvm::SCEVExpander checkExp(se, dl, "widen.check");
  if (!checkExp.isSafeToExpandAt(btc, at)) return false;
  for (const Group& g : groups)
    if (!checkExp.isSafeToExpandAt(g.base, at)) return false;

  // The check: for each group, zext(base) + offset + step*k lies in [0, 2^32) for every offset
  // and every iteration k <= n, so that it equals the 32-bit value the loop computes. The
  // extremes are the lowest offset at its lowest point and the highest at its highest. Signed
  // 64-bit compares: |step| < 2^24 and n < 2^32 keep every sum within +-2^57.
  llvm::Type* i64 = llvm::Type::getInt64Ty(check->getContext());
  const llvm::SCEV* n = se.getNoopOrZeroExtend(btc, i64);
  llvm::IRBuilder<> b(at);
  llvm::Value* ok = nullptr;
  auto require = [&](llvm::Value* cond) { ok = ok ? b.CreateAnd(ok, cond) : cond; };
  for (const Group& g : groups) {
    const llvm::SCEV* base = se.getZeroExtendExpr(g.base, i64);
    const llvm::SCEV* span = se.getMulExpr(n, se.getConstant(i64, static_cast<uint64_t>(g.step < 0 ? -g.step : g.step)));
    const llvm::SCEV* low = se.getAddExpr(base, se.getConstant(i64, static_cast<uint64_t>(g.lo), true));
    const llvm::SCEV* high = se.getAddExpr(base, se.getConstant(i64, static_cast<uint64_t>(g.hi), true));
    if (g.step > 0) high = se.getAddExpr(high, span);
    else low = se.getMinusSCEV(low, span);
    if (g.lo < 0 || g.step < 0)
      require(b.CreateICmpSGE(checkExp.expandCodeFor(low, i64, at), b.getInt64(0), "widen.fits"));
    require(b.CreateICmpSLE(checkExp.expandCodeFor(high, i64, at), b.getInt64(0xffffffffu), "widen.fits"));
  }

  // Version the loop as llvm::LoopVersioning does (which only takes alias and SCEV-predicate
  // checks): the original loop moves behind a fresh preheader; its clone is the fallback.
  llvm::BasicBlock* exiting = l.getExitingBlock();
  llvm::BasicBlock* exit = l.getExitBlock();
  llvm::BasicBlock* preheader = llvm::SplitBlock(check, at, &dt, &li, nullptr, l.getHeader()->getName() + ".wide.ph");
  llvm::ValueToValueMapTy vmap;
  llvm::SmallVector<llvm::BasicBlock*, 8> cloned;
  llvm::Loop* narrow = llvm::cloneLoopWithPreheader(preheader, check, &l, vmap, ".narrow", &li, &dt, cloned);
  llvm::remapInstructionsInBlocks(cloned, vmap);
  llvm::Instruction* branch = check->getTerminator();
  llvm::IRBuilder<>(branch).CreateCondBr(ok, preheader, narrow->getLoopPreheader());
  branch->eraseFromParent();
  dt.changeImmediateDominator(exit, check);
  // LCSSA: the loop's values reach the exit only through its PHIs, one incoming each.
  for (llvm::PHINode& phi : exit->phis()) {
    llvm::Value* v = phi.getIncomingValueForBlock(exiting);
    if (auto it = vmap.find(v); it != vmap.end()) v = it->second;
    phi.addIncoming(v, llvm::cast<llvm::BasicBlock>(vmap[exiting]));
  }
  llvm::formDedicatedExitBlocks(narrow, &dt, &li, nullptr, true);
  llvm::formDedicatedExitBlocks(&l, &dt, &li, nullptr, true);

  // The checked copy: each sequence in 64 bits, from its group's one base.
  se.forgetLoop(&l);
  llvm::SCEVExpander wideExp(se, dl, "widen");
  for (const Sequence& s : seqs) {
    const Group& g = groups[s.group];
    const llvm::SCEV* start = se.getAddExpr(se.getZeroExtendExpr(g.base, i64),
                                            se.getConstant(i64, static_cast<uint64_t>(s.offset), true));
    const llvm::SCEV* wide = se.getAddRecExpr(start, se.getConstant(i64, static_cast<uint64_t>(g.step), true), &l,
                                              llvm::SCEV::FlagAnyWrap);
    llvm::Value* v = wideExp.expandCodeFor(wide, i64, s.zext);
    s.zext->replaceAllUsesWith(v);
    s.zext->eraseFromParent();
  }
  return true;
}

}  // namespace

llvm::PreservedAnalyses WidenAddressInductions::run(llvm::Function& f, llvm::FunctionAnalysisManager& fam) {
  auto& li = fam.getResult<llvm::LoopAnalysis>(f);
  auto& dt = fam.getResult<llvm::DominatorTreeAnalysis>(f);
  auto& se = fam.getResult<llvm::ScalarEvolutionAnalysis>(f);
  std::vector<llvm::Loop*> innermost;
  for (llvm::Loop* l : li.getLoopsInPreorder())
    if (l->isInnermost()) innermost.push_back(l);
  bool changed = false;
  for (llvm::Loop* l : innermost) changed |= widenLoop(*l, li, dt, se);
  return changed ? llvm::PreservedAnalyses::none() : llvm::PreservedAnalyses::all();
}

}  // namespace bantam::llvmc
