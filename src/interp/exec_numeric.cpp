// Numeric handlers: every Numeric row of opcodes.def with a sem:: function gets its unary or
// binary handlers (both operands in slots, or either one an immediate). A row without one is
// a compile error in semantics.h, and the lowering refuses an op whose entry here is empty.
#include "interp/exec_sem.h"
#include "interp/handlers.h"

namespace bantam::interp {

namespace {

template <wasm::Op op>
constexpr NumericHandlers numericHandlers() {
  constexpr const wasm::OpInfo& info = wasm::opInfo(op);
  if constexpr (info.category == wasm::OpCategory::Numeric && sem::kHasSemantics<op>) {
    NumericHandlers h;
    h.traps = Sem<op>::kCanTrap;
    if constexpr (info.params.size() == 1) {
      h.r = &semSlots<op>;
      h.acc = &semAcc<op>;
    } else {
      h.rr = &semSlots<op>;
      h.ri = &semRI<op>;
      h.ir = &semIR<op>;
      h.accA = &semAccA<op>;
      h.accAI = &semAccAI<op>;
      h.accB = &semAccB<op>;
    }
    return h;
  } else {
    return {};
  }
}

constexpr std::array<NumericHandlers, wasm::kOpCount> buildNumericTable() {
  std::array<NumericHandlers, wasm::kOpCount> t{};
#define BANTAM_OP(name, ...) t[static_cast<size_t>(wasm::Op::name)] = numericHandlers<wasm::Op::name>();
#include "wasm/opcodes.def"
#undef BANTAM_OP
  return t;
}

}  // namespace

const std::array<NumericHandlers, wasm::kOpCount> kNumeric = buildNumericTable();

}  // namespace bantam::interp
