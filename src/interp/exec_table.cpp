// Handlers for table instructions (§4.4.6) and elem.drop. Bounds are checked before any write;
// a zero-length access at the end of a table is in bounds.
#include <algorithm>

#include "interp/handlers.h"

namespace bantam::interp::h {

BANTAM_HANDLER(TableGet) {
  runtime::TableInst* t = ctx->tables[u(pc, 1)];
  uint32_t i = rd<uint32_t>(fp, u(pc, 2));
  if (i >= t->elems.size()) [[unlikely]] BANTAM_TRAP(OutOfBoundsTableAccess);
  wr<void*>(fp, u(pc, 0), t->elems[i]);
  BANTAM_NEXT(kHandlerUnits + 3);
}

BANTAM_HANDLER(TableSet) {
  runtime::TableInst* t = ctx->tables[u(pc, 0)];
  uint32_t i = rd<uint32_t>(fp, u(pc, 1));
  if (i >= t->elems.size()) [[unlikely]] BANTAM_TRAP(OutOfBoundsTableAccess);
  t->elems[i] = rd<void*>(fp, u(pc, 2));
  BANTAM_NEXT(kHandlerUnits + 3);
}

BANTAM_HANDLER(TableSize) {
  wr<uint64_t>(fp, u(pc, 0), ctx->tables[u(pc, 1)]->size());
  BANTAM_NEXT(kHandlerUnits + 2);
}

// {d, table, init, n}: the old size, or -1 when the maximum or the store's limit forbids it.
BANTAM_HANDLER(TableGrow) {
  runtime::TableInst* t = ctx->tables[u(pc, 1)];
  int64_t old = t->grow(rd<uint32_t>(fp, u(pc, 3)), rd<void*>(fp, u(pc, 2)),
                        ctx->store->limits().maxTableElements);
  BANTAM_ACC_DEAD();
  wr<uint64_t>(fp, u(pc, 0), static_cast<uint32_t>(old));
  BANTAM_NEXT(kHandlerUnits + 4);
}

BANTAM_HANDLER(TableFill) {
  runtime::TableInst* t = ctx->tables[u(pc, 0)];
  uint64_t i = rd<uint32_t>(fp, u(pc, 1)), n = rd<uint32_t>(fp, u(pc, 3));
  void* v = rd<void*>(fp, u(pc, 2));
  if (i + n > t->elems.size()) [[unlikely]] BANTAM_TRAP(OutOfBoundsTableAccess);
  std::fill_n(t->elems.begin() + static_cast<ptrdiff_t>(i), n, v);
  BANTAM_ACC_DEAD();
  BANTAM_NEXT(kHandlerUnits + 4);
}

BANTAM_HANDLER(TableCopy) {
  runtime::TableInst* dst = ctx->tables[u(pc, 0)];
  runtime::TableInst* src = ctx->tables[u(pc, 1)];
  uint64_t d = rd<uint32_t>(fp, u(pc, 2)), s = rd<uint32_t>(fp, u(pc, 3)), n = rd<uint32_t>(fp, u(pc, 4));
  if (s + n > src->elems.size() || d + n > dst->elems.size()) [[unlikely]]
    BANTAM_TRAP(OutOfBoundsTableAccess);
  if (n) std::memmove(dst->elems.data() + d, src->elems.data() + s, n * sizeof(void*));
  BANTAM_ACC_DEAD();
  BANTAM_NEXT(kHandlerUnits + 5);
}

BANTAM_HANDLER(TableInit) {
  runtime::TableInst* t = ctx->tables[u(pc, 0)];
  const std::vector<void*>& refs = ctx->inst->elems[u(pc, 1)].refs;
  uint64_t d = rd<uint32_t>(fp, u(pc, 2)), s = rd<uint32_t>(fp, u(pc, 3)), n = rd<uint32_t>(fp, u(pc, 4));
  if (s + n > refs.size() || d + n > t->elems.size()) [[unlikely]] BANTAM_TRAP(OutOfBoundsTableAccess);
  if (n) std::memmove(t->elems.data() + d, refs.data() + s, n * sizeof(void*));
  BANTAM_ACC_DEAD();
  BANTAM_NEXT(kHandlerUnits + 5);
}

BANTAM_HANDLER(ElemDrop) {
  ctx->inst->elems[u(pc, 0)].refs = {};
  BANTAM_NEXT(kHandlerUnits + 1);
}

}  // namespace bantam::interp::h
