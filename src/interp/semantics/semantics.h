// The exact semantics of every WebAssembly 2.0 numeric and vector instruction (§4.3, §4.4.1,
// §4.4.3), as pure inline functions, plus the compile-time map from opcodes.def rows to them.
// Used by the interpreter's handlers, constant folding (evaluate.h) and differential tests.
//
// THE CONTRACT (the interpreter relies on it; the static_asserts below enforce it):
//
// * Namespace bantam::sem. Every row of src/wasm/opcodes.def whose Category is Numeric or
//   Vector and whose Imm is None, Lane or Shuffle has a function named exactly like the row's
//   enum name (sem::I32Add, sem::F32Nearest, sem::I64TruncF64U, sem::I8x16AddSatS,
//   sem::F64x2PromoteLowF32x4, ...). Not here: the consts (Imm I32/I64/F32/F64/V128) and the
//   memory rows (MemArg/MemArgLane): the interpreter does memory.
// * Parameters and result follow the row's stack-signature letters, in stack order (the first
//   parameter is the deepest operand):  i → uint32_t   I → uint64_t   f → float
//   F → double   v → runtime::V128 (= sem::V128; 16 bytes, lane k at bytes k*w..k*w+w-1).
//   Comparisons return uint32_t 0/1; vector comparisons return all-ones/zero lanes.
// * Lane rows (extract_lane/replace_lane) take the lane index as an extra trailing
//   `uint32_t lane` (validated < lane count by the validator). I8x16Shuffle is
//   (V128 a, V128 b, const uint8_t lanes[16]) with the 16 immediates (each < 32).
// * Instructions that can trap return sem::Checked<T>{T value; runtime::TrapKind trap; bool ok;}
//   (common.h): I32/I64 DivS/DivU/RemS/RemU (IntegerDivideByZero; DivS also IntegerOverflow)
//   and the eight I32/I64 TruncF32/F64 S/U (InvalidConversionToInteger for NaN,
//   IntegerOverflow out of range). `value` is valid only when `ok`. Nothing else traps.
// * NaNs: arithmetic results follow §4.3.3 (canonical when all NaN inputs are canonical, else
//   arithmetic); the payload comes from the host FPU for + - * / sqrt, rounding, demote and
//   promote, and is the positive canonical NaN for min/max. abs/neg/copysign, pmin/pmax,
//   extract/replace/splat and the reinterpretations preserve bits exactly.
// * Host: little-endian, SSE2 or better floats (no x87), no -ffast-math; checked at compile
//   time. SSE4.1 (rounding) and SSSE3 (shuffle/swizzle) are used when the build enables them,
//   with portable fallbacks giving identical results.
//
// Generic use: sem::kHasSemantics<op> (and hasSemantics(op) at run time) says whether an op is
// here; sem::Apply<op>::fn is its function, described by Apply<op>::Params (a std::tuple of
// the C++ parameter types, lane/shuffle immediate included), ::Result, ::kArity and
// ::kCanTrap (Result is a Checked<T>); Apply<op> of any other op fails to compile.
// BANTAM_SEM_IF(cat, imm, ...) keeps `...` only for rows with semantics, for X-macro users of
// opcodes.def. evaluate.h evaluates an op chosen at run time on RawVal cells.
#pragma once

#include <array>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "interp/semantics/common.h"
#include "interp/semantics/conversions.h"
#include "interp/semantics/float.h"
#include "interp/semantics/integer.h"
#include "interp/semantics/simd_float.h"
#include "interp/semantics/simd_int.h"
#include "interp/semantics/simd_lanes.h"
#include "wasm/opcode.h"

// Row filter for opcodes.def X-macros: BANTAM_SEM_IF(cat, imm, text) expands to text only for
// rows this library implements. Every Category and ImmKind must appear below; a new one is an
// undefined macro and fails to compile where it is used.
#define BANTAM_SEM_IF(cat, imm, ...) BANTAM_SEM_CAT_##cat(BANTAM_SEM_IMM_##imm(__VA_ARGS__))
#define BANTAM_SEM_CAT_Numeric(...) __VA_ARGS__
#define BANTAM_SEM_CAT_Vector(...) __VA_ARGS__
#define BANTAM_SEM_CAT_Control(...)
#define BANTAM_SEM_CAT_Parametric(...)
#define BANTAM_SEM_CAT_Variable(...)
#define BANTAM_SEM_CAT_Table(...)
#define BANTAM_SEM_CAT_Memory(...)
#define BANTAM_SEM_CAT_Reference(...)
#define BANTAM_SEM_IMM_None(...) __VA_ARGS__
#define BANTAM_SEM_IMM_Lane(...) __VA_ARGS__
#define BANTAM_SEM_IMM_Shuffle(...) __VA_ARGS__
#define BANTAM_SEM_IMM_BlockType(...)
#define BANTAM_SEM_IMM_Label(...)
#define BANTAM_SEM_IMM_BrTable(...)
#define BANTAM_SEM_IMM_Func(...)
#define BANTAM_SEM_IMM_CallIndirect(...)
#define BANTAM_SEM_IMM_Local(...)
#define BANTAM_SEM_IMM_Global(...)
#define BANTAM_SEM_IMM_Table(...)
#define BANTAM_SEM_IMM_MemArg(...)
#define BANTAM_SEM_IMM_Mem(...)
#define BANTAM_SEM_IMM_I32(...)
#define BANTAM_SEM_IMM_I64(...)
#define BANTAM_SEM_IMM_F32(...)
#define BANTAM_SEM_IMM_F64(...)
#define BANTAM_SEM_IMM_V128(...)
#define BANTAM_SEM_IMM_MemArgLane(...)
#define BANTAM_SEM_IMM_SelectT(...)
#define BANTAM_SEM_IMM_RefType(...)
#define BANTAM_SEM_IMM_Data(...)
#define BANTAM_SEM_IMM_MemInit(...)
#define BANTAM_SEM_IMM_MemCopy(...)
#define BANTAM_SEM_IMM_Elem(...)
#define BANTAM_SEM_IMM_TableInit(...)
#define BANTAM_SEM_IMM_TableCopy(...)

namespace bantam::sem {

namespace detail {
// The signature letter of a parameter or result type ('s' marks the shuffle immediates).
template <class T> struct Letter;
template <> struct Letter<uint32_t> { static constexpr char kValue = 'i'; };
template <> struct Letter<uint64_t> { static constexpr char kValue = 'I'; };
template <> struct Letter<float> { static constexpr char kValue = 'f'; };
template <> struct Letter<double> { static constexpr char kValue = 'F'; };
template <> struct Letter<V128> { static constexpr char kValue = 'v'; };
template <> struct Letter<const uint8_t*> { static constexpr char kValue = 's'; };
template <class T> struct Letter<Checked<T>> : Letter<T> {};

template <class T> inline constexpr bool kIsChecked = false;
template <class T> inline constexpr bool kIsChecked<Checked<T>> = true;

template <auto Fn> struct FunctionInfo;
template <class R, class... A, R (*Fn)(A...)>
struct FunctionInfo<Fn> {
  using Result = R;
  using Params = std::tuple<A...>;
  static constexpr size_t kArity = sizeof...(A);
  static constexpr bool kCanTrap = kIsChecked<R>;
  static constexpr char kParamLetters[sizeof...(A) + 1] = {Letter<A>::kValue..., '\0'};
  static constexpr char kResultLetter = Letter<R>::kValue;
};

// Does Fn's C++ type spell the row's params/results (plus the trailing lane or shuffle
// immediate)?
template <auto Fn>
constexpr bool signatureMatches(const wasm::OpInfo& info) {
  using Info = FunctionInfo<Fn>;
  std::string_view got(Info::kParamLetters, Info::kArity);
  std::string_view want = info.params;
  if (info.imm == wasm::ImmKind::Lane || info.imm == wasm::ImmKind::Shuffle) {
    if (got.empty() || got.back() != (info.imm == wasm::ImmKind::Lane ? 'i' : 's')) return false;
    got.remove_suffix(1);
  }
  return got == want && info.results.size() == 1 && info.results[0] == Info::kResultLetter;
}

template <auto Fn>
struct ApplyFn : FunctionInfo<Fn> {
  static constexpr auto fn = Fn;
};
}  // namespace detail

// kHasSemantics<op>: true exactly for the rows this library implements.
template <wasm::Op op>
inline constexpr bool kHasSemantics = false;

// Apply<op>::fn is sem::<Name>; using Apply on any other op is a compile error.
template <wasm::Op op>
struct Apply {
  static_assert(kHasSemantics<op>, "this instruction has no numeric/vector semantics in bantam::sem");
};

// One specialization per row; a row whose function is missing fails here with
// "no member named '<Name>' in namespace 'bantam::sem'", one whose C++ types disagree with its
// letters with the message below.
#define BANTAM_SEM_DEFINE(name)                                                                \
  template <> inline constexpr bool kHasSemantics<wasm::Op::name> = true;                     \
  template <> struct Apply<wasm::Op::name> : detail::ApplyFn<&sem::name> {};                  \
  static_assert(detail::signatureMatches<&sem::name>(wasm::opInfo(wasm::Op::name)),           \
                "sem::" #name " does not have the signature of its opcodes.def row");
#define BANTAM_OP(name, text, prefix, code, imm, cat, params, results, bytes) \
  BANTAM_SEM_IF(cat, imm, BANTAM_SEM_DEFINE(name))
#include "wasm/opcodes.def"
#undef BANTAM_OP
#undef BANTAM_SEM_DEFINE

// kHasSemantics as a table indexed by Op, for code that has the op only at run time.
inline constexpr std::array<bool, wasm::kOpCount> kSemanticsTable = [] {
  std::array<bool, wasm::kOpCount> t{};
#define BANTAM_OP(name, ...) t[static_cast<size_t>(wasm::Op::name)] = kHasSemantics<wasm::Op::name>;
#include "wasm/opcodes.def"
#undef BANTAM_OP
  return t;
}();
constexpr bool hasSemantics(wasm::Op op) { return kSemanticsTable[static_cast<size_t>(op)]; }

// The rule, restated from the table's data rather than the macro filter: a change to either
// that makes them disagree (a row silently without semantics) fails here.
static_assert([] {
  using wasm::ImmKind;
  using wasm::OpCategory;
  for (size_t i = 0; i < wasm::kOpCount; ++i) {
    const auto& info = wasm::kOpInfo[i];
    bool want = (info.category == OpCategory::Numeric || info.category == OpCategory::Vector) &&
                (info.imm == ImmKind::None || info.imm == ImmKind::Lane || info.imm == ImmKind::Shuffle);
    if (want != kSemanticsTable[i]) return false;
  }
  return true;
}(), "every Numeric/Vector row with Imm None/Lane/Shuffle must have a bantam::sem function");

}  // namespace bantam::sem
