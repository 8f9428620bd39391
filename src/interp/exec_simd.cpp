// Vector handlers: the lane arithmetic of every Vector row comes from interp/semantics; the
// v128 loads and stores (plain, extending, splat, zero-filling, single-lane) are here.
#include "interp/exec_sem.h"
#include "interp/handlers.h"

namespace bantam::interp {

namespace {

using runtime::V128;
using wasm::Op;

template <Op op>
constexpr Handler vectorHandler() {
  if constexpr (wasm::opInfo(op).category == wasm::OpCategory::Vector && sem::kHasSemantics<op>)
    return &semSlots<op>;
  else
    return nullptr;
}

constexpr std::array<Handler, wasm::kOpCount> buildVectorTable() {
  std::array<Handler, wasm::kOpCount> t{};
#define BANTAM_OP(name, ...) t[static_cast<size_t>(Op::name)] = vectorHandler<Op::name>();
#include "wasm/opcodes.def"
#undef BANTAM_OP
  return t;
}

// ---- v128 memory access (§4.4.7.2) ------------------------------------------------------------
template <Op op>
inline constexpr uint64_t kWidth = wasm::opInfo(op).bytes;

template <class V>
inline V loadRaw(const uint8_t* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The value a v128 load row produces from the kWidth bytes at p.
template <Op op>
inline V128 loadVector(const uint8_t* p) {
  using namespace sem;
  if constexpr (op == Op::V128Load) return loadRaw<V128>(p);
  else if constexpr (op == Op::V128Load8x8S) return wrap(__builtin_convertvector(loadRaw<i8x8>(p), i16x8));
  else if constexpr (op == Op::V128Load8x8U) return wrap(__builtin_convertvector(loadRaw<u8x8>(p), u16x8));
  else if constexpr (op == Op::V128Load16x4S) return wrap(__builtin_convertvector(loadRaw<i16x4>(p), i32x4));
  else if constexpr (op == Op::V128Load16x4U) return wrap(__builtin_convertvector(loadRaw<u16x4>(p), u32x4));
  else if constexpr (op == Op::V128Load32x2S) return wrap(__builtin_convertvector(loadRaw<i32x2>(p), i64x2));
  else if constexpr (op == Op::V128Load32x2U) return wrap(__builtin_convertvector(loadRaw<u32x2>(p), u64x2));
  else if constexpr (op == Op::V128Load8Splat) return I8x16Splat(loadRaw<uint8_t>(p));
  else if constexpr (op == Op::V128Load16Splat) return I16x8Splat(loadRaw<uint16_t>(p));
  else if constexpr (op == Op::V128Load32Splat) return I32x4Splat(loadRaw<uint32_t>(p));
  else if constexpr (op == Op::V128Load64Splat) return I64x2Splat(loadRaw<uint64_t>(p));
  else if constexpr (op == Op::V128Load32Zero || op == Op::V128Load64Zero) {
    V128 v{};
    std::memcpy(v.bytes.data(), p, kWidth<op>);
    return v;
  } else {
    static_assert(op == Op::V128Load, "a v128 load row without a loadVector case");
  }
}

#define BANTAM_VECTOR_EA(addrUnit, offsetUnit)                                    \
  uint64_t ea = uint64_t{rd<uint32_t>(fp, u(pc, addrUnit))} + u(pc, offsetUnit);  \
  if (ea + kWidth<op> > memSize) [[unlikely]] BANTAM_TRAP(OutOfBoundsMemoryAccess);

// {d, addr, offset}
template <Op op>
BANTAM_HANDLER(vectorLoad) {
  BANTAM_VECTOR_EA(1, 2);
  wr(fp, u(pc, 0), loadVector<op>(mem + ea));
  BANTAM_NEXT(kHandlerUnits + 3);
}
// {addr, v, offset}
template <Op op>
BANTAM_HANDLER(vectorStore) {
  BANTAM_VECTOR_EA(0, 2);
  std::memcpy(mem + ea, fp + u(pc, 1), 16);
  BANTAM_NEXT(kHandlerUnits + 3);
}
// {d, addr, v, offset, lane}: v with one lane replaced by memory.
template <Op op>
BANTAM_HANDLER(vectorLoadLane) {
  BANTAM_VECTOR_EA(1, 3);
  V128 v = rd<V128>(fp, u(pc, 2));
  std::memcpy(v.bytes.data() + (u(pc, 4) & (16 / kWidth<op> - 1)) * kWidth<op>, mem + ea, kWidth<op>);
  wr(fp, u(pc, 0), v);
  BANTAM_NEXT(kHandlerUnits + 5);
}
// {addr, v, offset, lane}
template <Op op>
BANTAM_HANDLER(vectorStoreLane) {
  BANTAM_VECTOR_EA(0, 2);
  V128 v = rd<V128>(fp, u(pc, 1));
  std::memcpy(mem + ea, v.bytes.data() + (u(pc, 3) & (16 / kWidth<op> - 1)) * kWidth<op>, kWidth<op>);
  BANTAM_NEXT(kHandlerUnits + 4);
}

template <Op op>
constexpr MemoryHandlers vectorMemoryHandlers() {
  constexpr const wasm::OpInfo& info = wasm::opInfo(op);
  if constexpr (info.category != wasm::OpCategory::Vector) return {};
  else if constexpr (info.imm == wasm::ImmKind::MemArg && info.results.empty())
    return {&vectorStore<op>, nullptr, nullptr};
  else if constexpr (info.imm == wasm::ImmKind::MemArg)
    return {&vectorLoad<op>, nullptr, nullptr};
  else if constexpr (info.imm == wasm::ImmKind::MemArgLane && info.results.empty())
    return {&vectorStoreLane<op>, nullptr, nullptr};
  else if constexpr (info.imm == wasm::ImmKind::MemArgLane)
    return {&vectorLoadLane<op>, nullptr, nullptr};
  else return {};
}

constexpr std::array<MemoryHandlers, wasm::kOpCount> buildVectorMemoryTable() {
  std::array<MemoryHandlers, wasm::kOpCount> t{};
#define BANTAM_OP(name, ...) t[static_cast<size_t>(Op::name)] = vectorMemoryHandlers<Op::name>();
#include "wasm/opcodes.def"
#undef BANTAM_OP
  return t;
}

}  // namespace

const std::array<Handler, wasm::kOpCount> kVector = buildVectorTable();
const std::array<MemoryHandlers, wasm::kOpCount> kMemoryVector = buildVectorMemoryTable();

}  // namespace bantam::interp
