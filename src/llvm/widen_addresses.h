// WidenAddressInductions: 64-bit address inductions for loops whose 32-bit addresses provably do
// not wrap on this entry (src/llvm/widen_addresses.cpp).
#pragma once

#include <llvm/IR/PassManager.h>

namespace bantam::llvmc {

class WidenAddressInductions : public llvm::PassInfoMixin<WidenAddressInductions> {
 public:
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& fam);
};

}  // namespace bantam::llvmc
