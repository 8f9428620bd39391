// 64-bit address inductions for loops whose 32-bit addresses provably do not wrap.
//
// Why: wasm32 computes an address in 32 bits and the translator zero-extends it (`zext(p + 36)`
// for a load at p+36, translate_memory.cpp). The add may wrap (valid wasm may rely on it; a
// guest of ours does), so LLVM may not rewrite it as `zext(p) + 36`: in a loop every access
// keeps its own 32-bit induction and zero-extension, and register pressure spills them
// (sha256's message schedule: five 32-bit bases, two spilled, 45% slower than native code,
// which has one pointer and displacements). Native code has no such problem; the guard
// regions cannot help either, since a wrapped address is a valid access, not a fault.
//
// So an innermost loop is versioned: in its preheader, one compare per address sequence
// {S,+,C} checks that the sequence stays below 2^32 over the loop's trip count (S + C*n <=
// 2^32-1, or S >= |C|*n for a descending one); if all hold, the loop runs a copy in which
// each zero-extended sequence is the same sequence in 64 bits, which loop strength reduction
// folds into one induction and addressing-mode displacements; otherwise the original loop runs.
// The copy is exact under the check, so the code is correct for every input (a wrapping
// sequence takes the original loop: tests/unit/compiled/widen_addresses_test.cpp).
#include "llvm/widen_addresses.h"

#include <llvm/ADT/SmallPtrSet.h>
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

#include <vector>

namespace bantam::llvmc {
namespace {

// Loops are cloned: larger ones are left alone (code size), as are loops with many distinct
// sequences (a compare each at every entry; an unrolled loop has one per access and copy).
constexpr unsigned kMaxLoopInstructions = 400;
constexpr unsigned kMaxSequences = 32;

struct Sequence {
  llvm::ZExtInst* zext;
  const llvm::SCEVAddRecExpr* rec;
  int64_t step;
};

// The zero-extended 32-bit affine sequences of loop `l` with a constant step.
std::vector<Sequence> sequencesOf(llvm::Loop& l, llvm::ScalarEvolution& se) {
  std::vector<Sequence> seqs;
  unsigned size = 0;
  for (llvm::BasicBlock* bb : l.blocks()) {
    for (llvm::Instruction& inst : *bb) {
      if (++size > kMaxLoopInstructions) return {};
      auto* z = llvm::dyn_cast<llvm::ZExtInst>(&inst);
      if (!z || !z->getSrcTy()->isIntegerTy(32) || !z->getDestTy()->isIntegerTy(64)) continue;
      if (!llvm::any_of(z->users(), [](llvm::User* u) { return llvm::isa<llvm::GetElementPtrInst>(u); })) continue;
      auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(se.getSCEV(z->getOperand(0)));
      if (!rec || rec->getLoop() != &l || !rec->isAffine()) continue;
      auto* step = llvm::dyn_cast<llvm::SCEVConstant>(rec->getStepRecurrence(se));
      if (!step || step->getValue()->isZero()) continue;
      seqs.push_back({z, rec, step->getAPInt().getSExtValue()});
    }
  }
  llvm::SmallPtrSet<const llvm::SCEV*, 16> distinct;
  for (const Sequence& q : seqs) distinct.insert(q.rec);
  if (distinct.size() > kMaxSequences) return {};
  return seqs;
}

bool widenLoop(llvm::Loop& l, llvm::LoopInfo& li, llvm::DominatorTree& dt, llvm::ScalarEvolution& se) {
  if (!l.isInnermost() || !l.isLoopSimplifyForm() || !l.getExitingBlock() || !l.getExitBlock() ||
      !l.isLCSSAForm(dt))
    return false;
  const llvm::SCEV* btc = se.getBackedgeTakenCount(&l);
  // At most 2^32 - 1 backedges (the product below then fits in 64 bits); loop counters that
  // induction-variable simplification widened to i64 qualify when their range says so.
  if (llvm::isa<llvm::SCEVCouldNotCompute>(btc) || btc->getType()->getIntegerBitWidth() > 64 ||
      se.getUnsignedRangeMax(btc).getActiveBits() > 32)
    return false;
  std::vector<Sequence> seqs = sequencesOf(l, se);
  if (seqs.empty()) return false;

  llvm::BasicBlock* check = l.getLoopPreheader();
  llvm::Instruction* at = check->getTerminator();
  const llvm::DataLayout& dl = check->getDataLayout();
  llvm::SCEVExpander checkExp(se, dl, "widen.check");
  if (!checkExp.isSafeToExpandAt(btc, at)) return false;
  for (const Sequence& s : seqs)
    if (!checkExp.isSafeToExpandAt(s.rec->getStart(), at)) return false;

  // The check: every sequence's last value (first, for a descending one) is in range.
  llvm::Type* i64 = llvm::Type::getInt64Ty(check->getContext());
  const llvm::SCEV* n = se.getNoopOrZeroExtend(btc, i64);
  llvm::IRBuilder<> b(at);
  llvm::Value* ok = nullptr;
  llvm::SmallPtrSet<const llvm::SCEV*, 16> checked;
  for (const Sequence& s : seqs) {
    if (!checked.insert(s.rec).second) continue;
    const llvm::SCEV* start = se.getZeroExtendExpr(s.rec->getStart(), i64);
    const llvm::SCEV* span = se.getMulExpr(n, se.getConstant(i64, static_cast<uint64_t>(s.step < 0 ? -s.step : s.step)));
    llvm::Value* cond;
    if (s.step > 0) {
      llvm::Value* last = checkExp.expandCodeFor(se.getAddExpr(start, span), i64, at);
      cond = b.CreateICmpULE(last, b.getInt64(0xffffffffu), "widen.fits");
    } else {
      cond = b.CreateICmpUGE(checkExp.expandCodeFor(start, i64, at), checkExp.expandCodeFor(span, i64, at),
                             "widen.fits");
    }
    ok = ok ? b.CreateAnd(ok, cond) : cond;
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

  // The checked copy: each sequence in 64 bits.
  se.forgetLoop(&l);
  llvm::SCEVExpander wideExp(se, dl, "widen");
  for (const Sequence& s : seqs) {
    const llvm::SCEV* wide = se.getAddRecExpr(se.getZeroExtendExpr(s.rec->getStart(), i64),
                                              se.getConstant(i64, static_cast<uint64_t>(s.step), true), &l,
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
