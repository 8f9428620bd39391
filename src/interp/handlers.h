// The handlers the lowering emits: named ones (control, variables, tables, memory) and the
// tables of generated ones (numeric, vector, loads and stores, fused compare-and-branch),
// indexed by wasm::Op. Operand layouts are given as {unit, unit, ...} after the handler.
#pragma once

#include <array>

#include "interp/code.h"
#include "wasm/opcode.h"

namespace bantam::interp::h {

// Named handlers: X(name). Layouts in comments; "off" is a branch offset (relative to its unit).
#define BANTAM_INTERP_NAMED_HANDLERS(X)                                          \
  X(Exit)            /* {} leaves the dispatch loop (the frame stack's sentinel) */ \
  X(Unreachable)     /* {} */                                                    \
  X(TrapOutOfBounds) /* {} a memory access whose constant address is out of range */ \
  X(Entry)           /* {frameSlots, localStart, localCount, cost} */            \
  X(Entry0)          /* {frameSlots, cost} no locals to zero */                  \
  X(EntryLeaf)       /* {frameSlots, localStart, localCount, cost} no interruption check: */ \
  X(Entry0Leaf)      /* {frameSlots, cost}  functions without loops or calls always end */ \
  X(Copy64)          /* {d, s} */                                                \
  X(Copy128)         /* {d, s} */                                                \
  X(Copy64x2)        /* {d1, s1, d2, s2} two copies, in order */                 \
  X(AddImm2)         /* {d1, a1, k1, d2, a2, k2} two i32 adds of constants, in order */ \
  X(Const32)         /* {d, v} */                                                \
  X(Const64)         /* {d, v:2} */                                              \
  X(Const128)        /* {d, v:4} */                                              \
  X(Br)              /* {off} */                                                 \
  X(BrCheck)         /* {off, cost} a loop back-edge */                          \
  X(BrIfNZ)          /* {off, c} */                                              \
  X(BrIfZ)           /* {off, c} */                                              \
  X(BrIfNZCheck)     /* {off, cost, c} */                                        \
  X(BrIfZCheck)      /* {off, cost, c} */                                        \
  X(BrIfNZ64)        /* {off, c} i64.eqz fused, negated */                       \
  X(BrIfZ64)         /* {off, c} */                                              \
  X(BrIfNZ64Check)   /* {off, cost, c} */                                        \
  X(BrIfZ64Check)    /* {off, cost, c} */                                        \
  X(BrIfNZAcc)       /* {off} c in the accumulator */                            \
  X(BrIfZAcc)        /* {off} */                                                 \
  X(BrIfNZAccCheck)  /* {off, cost} */                                           \
  X(BrIfZAccCheck)   /* {off, cost} */                                           \
  X(BrIfNZ64Acc)     /* {off} */                                                 \
  X(BrIfZ64Acc)      /* {off} */                                                 \
  X(BrIfNZ64AccCheck) /* {off, cost} */                                          \
  X(BrIfZ64AccCheck) /* {off, cost} */                                           \
  X(BrTable)         /* {idx, n, off * (n + 1)} the last entry is the default */ \
  X(Return)          /* {} results are already in fp[0..) */                     \
  X(ReturnR64)       /* {s} fp[0] = s, return */                                 \
  X(ReturnR128)      /* {s} */                                                   \
  X(ReturnC64)       /* {v:2} */                                                 \
  X(Call)            /* {code:2, argSlot} same-module direct call */             \
  X(CallImport)      /* {funcIdx, argSlot} through FuncInst* */                  \
  X(CallIndirect)    /* {sigId, table, idxSlot, argSlot} */                      \
  X(Select)          /* {d, c, a, b} */                                          \
  X(Select128)       /* {d, c, a, b} */                                          \
  X(GlobalGet)       /* {d, idx} */                                              \
  X(GlobalGet128)    /* {d, idx} */                                              \
  X(GlobalSet)       /* {idx, s} */                                              \
  X(GlobalSet128)    /* {idx, s} */                                              \
  X(RefFunc)         /* {d, funcIdx} */                                          \
  X(TableGet)        /* {d, table, i} */                                         \
  X(TableSet)        /* {table, i, v} */                                         \
  X(TableSize)       /* {d, table} */                                            \
  X(TableGrow)       /* {d, table, init, n} */                                   \
  X(TableFill)       /* {table, i, v, n} */                                      \
  X(TableCopy)       /* {dstTable, srcTable, d, s, n} */                         \
  X(TableInit)       /* {table, elem, d, s, n} */                                \
  X(ElemDrop)        /* {elem} */                                                \
  X(MemorySize)      /* {d} */                                                   \
  X(MemoryGrow)      /* {d, n} */                                                \
  X(MemoryInit)      /* {data, d, s, n} */                                       \
  X(DataDrop)        /* {data} */                                                \
  X(MemoryCopy)      /* {d, s, n} */                                             \
  X(MemoryFill)      /* {d, v, n} */

#define BANTAM_INTERP_DECLARE(name) BANTAM_HANDLER(name);
BANTAM_INTERP_NAMED_HANDLERS(BANTAM_INTERP_DECLARE)
#undef BANTAM_INTERP_DECLARE

// The sentinel code a frame returns to when an invocation ends.
const CodeUnit* exitCode();

}  // namespace bantam::interp::h

namespace bantam::interp {

// Numeric instructions (exec_numeric.cpp), by operand form:
//   r  {d, a}          unary, and conversions
//   rr {d, a, b}       both operands in slots
//   ri {d, a, imm}     the second is an immediate (one unit for 32-bit types, two for 64-bit)
//   ir {d, b, imm}     the first is an immediate
// With an operand in the accumulator (the value the previous instruction computed):
//   acc {d} unary   accA {d, b}   accAI {d, imm}   accB {d, a}  (which operand is the accumulator)
struct NumericHandlers {
  Handler r = nullptr, rr = nullptr, ri = nullptr, ir = nullptr;
  Handler acc = nullptr, accA = nullptr, accAI = nullptr, accB = nullptr;
  bool traps = false;  // may trap (division, truncation): the lowering records its offset
};
extern const std::array<NumericHandlers, wasm::kOpCount> kNumeric;

// Compare fused with a conditional branch (exec_branch.cpp), for every compare op:
// [form: 0 = rr {off, [cost,] a, b}, 1 = ri {off, [cost,] a, imm}][negate][check interrupt].
// hAcc: the same with a in the accumulator: {off, [cost,] b | imm}.
// add (i32 compares only): an i32.add fused in front, t = a + b stored to d and compared:
// [b imm][c imm][negate][check] {off, [cost,] d, a, b | imm, c | imm}.
struct BranchHandlers {
  Handler h[2][2][2] = {};
  Handler hAcc[2][2][2] = {};
  Handler add[2][2][2][2] = {};
};
extern const std::array<BranchHandlers, wasm::kOpCount> kBranchCmp;

// Two dependent binary operations (exec_pair.cpp): t = op1(a, b); then d = op2(c, t)
// (CRight), op2(t, c) (CLeft) or op2(t, imm) (CImm). Layout {d, [a,] b | imm, c | imm}, no a
// when aAcc. Null when the pair has no handler.
enum class PairForm : uint8_t { CRight, CLeft, CImm };
Handler pairHandler(wasm::Op op1, wasm::Op op2, PairForm form, bool aAcc, bool bImm);

// An operation whose result is stored at once (exec_opstore.cpp): mem[addr + offset] = op(a, b),
// layout {addr, offset, [a,] [b | imm]} (an operand in the accumulator is omitted; bAcc: b is,
// a is in a slot). Null when op and store have no such handler.
Handler opStoreHandler(wasm::Op op, wasm::Op store, bool aAcc, bool bImm, bool bAcc = false);

// A load whose value is stored at once (exec_memory.cpp): `width` bytes from the source
// address to the destination. Layouts: Reg {src, srcOffset, dst, dstOffset}, Acc (the source
// address is the accumulator) {srcOffset, dst, dstOffset}, AddImm {a, k, srcOffset, dst,
// dstOffset}. A destination out of bounds traps with ctx->trapPc one unit into the instruction.
enum class MoveForm : uint8_t { Reg, Acc, AddImm };
Handler moveHandler(uint32_t width, MoveForm form);

// A load whose value a binary operation consumes at once (exec_loadop.cpp): t = load(addr);
// d = op(c, t) (CRight), op(t, c) (CLeft) or op(t, imm) (CImm). Layout {d, address, c | imm}
// with the address as {a, offset} (Reg), {offset} (Acc) or {a, k, offset} (AddImm). Null when
// the load and the operation have no such handler.
Handler loadOpHandler(wasm::Op load, wasm::Op op, MoveForm addr, PairForm form);

// Loads and stores (exec_memory.cpp, exec_simd.cpp for v128). The address is a slot, a
// constant folded with the offset (abs), or the sum of a slot and a constant or of two slots
// (the i32.add that computed it, fused: the sum wraps at 32 bits before the offset is added):
//   load  reg {d, addr, offset}   abs {d, ea}   addImm {d, a, k, offset}   addReg {d, a, b, offset}
//   store reg {addr, v, offset}   abs {v, ea}   imm {addr, offset, value (1 or 2 units)}
//         addImm {a, k, v, offset}   addReg {a, b, v, offset}   addImmImm {a, k, offset, value}
//   lane load {d, addr, v, offset, lane}   lane store {addr, v, offset, lane}
// With the accumulator: load accAddr {d, offset}  addImmAcc {d, k, offset} (a = accumulator)
//   store accAddr {v, offset}  accAddrImm {offset, value}  accVal {addr, offset}  absAccVal {ea}
struct MemoryHandlers {
  Handler reg = nullptr, abs = nullptr, imm = nullptr;
  Handler addImm = nullptr, addReg = nullptr, addImmImm = nullptr;
  Handler accAddr = nullptr, addImmAcc = nullptr, accAddrImm = nullptr, accVal = nullptr, absAccVal = nullptr;
};
extern const std::array<MemoryHandlers, wasm::kOpCount> kMemory;        // scalar
extern const std::array<MemoryHandlers, wasm::kOpCount> kMemoryVector;  // v128

// Vector instructions other than memory ones (exec_simd.cpp), by signature:
//   {d, a} {d, a, b} {d, a, b, c} with `lane` appended for lane ops, 4 units of lane indices
//   for i8x16.shuffle and of value for v128.const.
extern const std::array<Handler, wasm::kOpCount> kVector;

}  // namespace bantam::interp
