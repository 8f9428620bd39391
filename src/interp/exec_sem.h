// Handler templates generated from the numeric and vector semantics (interp/semantics): one
// template per operand form, instantiated for every opcodes.def row that has a sem:: function.
#pragma once

#include <tuple>
#include <utility>

#include "interp/code.h"
#include "interp/semantics/semantics.h"

namespace bantam::interp {

template <wasm::Op op>
using Sem = sem::Apply<op>;
template <wasm::Op op, size_t i>
using SemParam = std::tuple_element_t<i, typename Sem<op>::Params>;

// Code units taken by an immediate of type T.
template <class T>
inline constexpr int kUnitsOf = static_cast<int>(sizeof(T) / sizeof(CodeUnit));

template <class T>
inline T imm(const CodeUnit* pc, int k) {
  T v;
  std::memcpy(&v, pc + kHandlerUnits + k, sizeof v);
  return v;
}

// Stores a result (or traps with the kind a Checked result carries) into slot u(pc, 0), and
// leaves a scalar result in its accumulator too.
#define BANTAM_SEM_STORE(op, r)                                                   \
  do {                                                                            \
    if constexpr (Sem<op>::kCanTrap) {                                            \
      if (!(r).ok) [[unlikely]] BANTAM_TRAP_STATUS(trapStatus((r).trap));         \
      wr(fp, u(pc, 0), (r).value);                                                \
      BANTAM_SET_ACC((r).value);                                                  \
    } else {                                                                      \
      wr(fp, u(pc, 0), (r));                                                      \
      BANTAM_SET_ACC(r);                                                          \
    }                                                                             \
  } while (0)

// Every operand in a slot: {d, a[, b[, c]]} then the lane index (one unit) or the shuffle's 16
// lane indices (four units) for the rows that have them. Operands are read before d is written,
// so d may be any of them.
template <wasm::Op op>
BANTAM_HANDLER(semSlots) {
  constexpr const wasm::OpInfo& kInfo = wasm::opInfo(op);
  constexpr int kN = static_cast<int>(kInfo.params.size());
  auto r = [&]<size_t... I>(std::index_sequence<I...>) {
    if constexpr (kInfo.imm == wasm::ImmKind::Lane)
      return Sem<op>::fn(rd<SemParam<op, I>>(fp, u(pc, 1 + I))..., u(pc, 1 + kN));
    else if constexpr (kInfo.imm == wasm::ImmKind::Shuffle)
      return Sem<op>::fn(rd<SemParam<op, I>>(fp, u(pc, 1 + I))...,
                         reinterpret_cast<const uint8_t*>(pc + kHandlerUnits + 1 + kN));
    else
      return Sem<op>::fn(rd<SemParam<op, I>>(fp, u(pc, 1 + I))...);
  }(std::make_index_sequence<kN>{});
  BANTAM_SEM_STORE(op, r);
  constexpr int kExtra = kInfo.imm == wasm::ImmKind::Lane ? 1 : kInfo.imm == wasm::ImmKind::Shuffle ? 4 : 0;
  BANTAM_NEXT(kHandlerUnits + 1 + kN + kExtra);
}

// {d, a, imm}: the second operand is a constant.
template <wasm::Op op>
BANTAM_HANDLER(semRI) {
  auto r = Sem<op>::fn(rd<SemParam<op, 0>>(fp, u(pc, 1)), imm<SemParam<op, 1>>(pc, 2));
  BANTAM_SEM_STORE(op, r);
  BANTAM_NEXT((kHandlerUnits + 2 + kUnitsOf<SemParam<op, 1>>));
}

// {d, b, imm}: the first operand is a constant.
template <wasm::Op op>
BANTAM_HANDLER(semIR) {
  auto r = Sem<op>::fn(imm<SemParam<op, 0>>(pc, 2), rd<SemParam<op, 1>>(fp, u(pc, 1)));
  BANTAM_SEM_STORE(op, r);
  BANTAM_NEXT((kHandlerUnits + 2 + kUnitsOf<SemParam<op, 0>>));
}

// Forms with an operand in the accumulator (the previous instruction's result).
// unary {d}
template <wasm::Op op>
BANTAM_HANDLER(semAcc) {
  auto r = Sem<op>::fn(BANTAM_ACC(SemParam<op, 0>));
  BANTAM_SEM_STORE(op, r);
  BANTAM_NEXT(kHandlerUnits + 1);
}
// {d, b}: a is the accumulator.
template <wasm::Op op>
BANTAM_HANDLER(semAccA) {
  auto r = Sem<op>::fn(BANTAM_ACC(SemParam<op, 0>), rd<SemParam<op, 1>>(fp, u(pc, 1)));
  BANTAM_SEM_STORE(op, r);
  BANTAM_NEXT(kHandlerUnits + 2);
}
// {d, imm}: a is the accumulator, b a constant.
template <wasm::Op op>
BANTAM_HANDLER(semAccAI) {
  auto r = Sem<op>::fn(BANTAM_ACC(SemParam<op, 0>), imm<SemParam<op, 1>>(pc, 1));
  BANTAM_SEM_STORE(op, r);
  BANTAM_NEXT((kHandlerUnits + 1 + kUnitsOf<SemParam<op, 1>>));
}
// {d, a}: b is the accumulator.
template <wasm::Op op>
BANTAM_HANDLER(semAccB) {
  auto r = Sem<op>::fn(rd<SemParam<op, 0>>(fp, u(pc, 1)), BANTAM_ACC(SemParam<op, 1>));
  BANTAM_SEM_STORE(op, r);
  BANTAM_NEXT(kHandlerUnits + 2);
}

// The scalar comparisons (i32/i64/f32/f64 eq ... ge), which fuse with br_if and if.
constexpr bool isCompare(wasm::Op op) {
  const wasm::OpInfo& info = wasm::opInfo(op);
  if (info.category != wasm::OpCategory::Numeric || info.params.size() != 2 || info.results != "i" ||
      info.params[0] != info.params[1])
    return false;
  std::string_view name = info.text.substr(info.text.find('.') + 1);
  for (std::string_view c : {"eq", "ne", "lt", "gt", "le", "ge", "lt_s", "lt_u", "gt_s", "gt_u",
                             "le_s", "le_u", "ge_s", "ge_u"})
    if (name == c) return true;
  return false;
}

}  // namespace bantam::interp
