// Handlers for scalar loads and stores (generated from the Memory rows of opcodes.def) and for
// memory.size/grow/init/copy/fill and data.drop. Every access costs one compare:
// (u64)addr + offset + width > size traps (§4.4.7); base and size live in registers.
#include <bit>
#include <type_traits>

#include "interp/handlers.h"

namespace bantam::interp {

namespace {

using wasm::Op;

template <size_t kBytes, bool kSigned>
using IntOf = std::conditional_t<
    kBytes == 1, std::conditional_t<kSigned, int8_t, uint8_t>,
    std::conditional_t<kBytes == 2, std::conditional_t<kSigned, int16_t, uint16_t>,
                       std::conditional_t<kBytes == 4, std::conditional_t<kSigned, int32_t, uint32_t>,
                                          std::conditional_t<kSigned, int64_t, uint64_t>>>>;

// The slot type of a value of signature letter `l` (floats travel as bits).
template <char l>
using SlotType = std::conditional_t<l == 'i' || l == 'f', uint32_t, uint64_t>;

// Access<op>: the memory type, the value's slot type and the extension of a load or store row.
template <Op op>
struct Access {
  static constexpr const wasm::OpInfo& kInfo = wasm::opInfo(op);
  static constexpr bool kStore = kInfo.results.empty();
  static constexpr char kLetter = kStore ? kInfo.params[1] : kInfo.results[0];
  static constexpr bool kSigned = kInfo.text.ends_with("_s");
  using Val = SlotType<kLetter>;
  using Mem = IntOf<kInfo.bytes, kSigned>;
  // Sign or zero extension to the value's width happens in the conversion Mem → Ext.
  using Ext = std::conditional_t<kSigned, std::make_signed_t<Val>, Val>;
};

template <class Mem>
inline Mem loadAt(const uint8_t* p) {
  Mem m;
  std::memcpy(&m, p, sizeof m);
  return m;
}

// The accumulator a loaded value goes to, and where a stored value comes from.
template <Op op>
inline void setLoadAcc(typename Access<op>::Val v, uint64_t& acc, double& fa, float& fs) {
  if constexpr (Access<op>::kLetter == 'f') fs = std::bit_cast<float>(v);
  else if constexpr (Access<op>::kLetter == 'F') fa = std::bit_cast<double>(v);
  else acc = v;
}
template <Op op>
inline typename Access<op>::Val storeAcc(uint64_t acc, double fa, float fs) {
  if constexpr (Access<op>::kLetter == 'f') return std::bit_cast<uint32_t>(fs);
  else if constexpr (Access<op>::kLetter == 'F') return std::bit_cast<uint64_t>(fa);
  else return static_cast<typename Access<op>::Val>(acc);
}

// The one bounds check, then the access; `ea` is the effective address (64-bit: it cannot wrap).
#define BANTAM_LOAD(eaExpr, units)                                                              \
  using A = Access<op>;                                                                         \
  uint64_t ea = (eaExpr);                                                                       \
  if (ea + sizeof(typename A::Mem) > memSize) [[unlikely]] BANTAM_TRAP(OutOfBoundsMemoryAccess); \
  auto v = static_cast<typename A::Val>(static_cast<typename A::Ext>(loadAt<typename A::Mem>(mem + ea))); \
  wr(fp, u(pc, 0), v);                                                                          \
  setLoadAcc<op>(v, acc, fa, fs);                                                               \
  BANTAM_NEXT(units);

#define BANTAM_STORE(eaExpr, valueExpr, units)                                                  \
  using A = Access<op>;                                                                         \
  uint64_t ea = (eaExpr);                                                                       \
  if (ea + sizeof(typename A::Mem) > memSize) [[unlikely]] BANTAM_TRAP(OutOfBoundsMemoryAccess); \
  auto m = static_cast<typename A::Mem>(valueExpr);                                             \
  std::memcpy(mem + ea, &m, sizeof m);                                                          \
  BANTAM_NEXT(units);

// An i32 address from a slot, and the sums that address-mode fusion folds in.
#define BANTAM_ADDR(k) uint64_t{rd<uint32_t>(fp, u(pc, k))}
#define BANTAM_ADDR_ACC() uint64_t{static_cast<uint32_t>(acc)}

template <class V>
inline V immAt(const CodeUnit* pc, int k) {
  V v;
  std::memcpy(&v, pc + kHandlerUnits + k, sizeof v);
  return v;
}

// ---- loads ----
// reg {d, addr, offset}
template <Op op> BANTAM_HANDLER(loadReg) { BANTAM_LOAD(BANTAM_ADDR(1) + u(pc, 2), kHandlerUnits + 3) }
// abs {d, ea}: a constant address folded with the offset
template <Op op> BANTAM_HANDLER(loadAbs) { BANTAM_LOAD(uint64_t{u(pc, 1)}, kHandlerUnits + 2) }
// addImm {d, a, k, offset}: base + constant, the common C address `p + field`
template <Op op> BANTAM_HANDLER(loadAddImm) {
  BANTAM_LOAD(uint64_t{rd<uint32_t>(fp, u(pc, 1)) + u(pc, 2)} + u(pc, 3), kHandlerUnits + 4)
}
// addReg {d, a, b, offset}: base + index
template <Op op> BANTAM_HANDLER(loadAddReg) {
  BANTAM_LOAD(uint64_t{rd<uint32_t>(fp, u(pc, 1)) + rd<uint32_t>(fp, u(pc, 2))} + u(pc, 3), kHandlerUnits + 4)
}
// accAddr {d, offset}: the address is the accumulator
template <Op op> BANTAM_HANDLER(loadAccAddr) { BANTAM_LOAD(BANTAM_ADDR_ACC() + u(pc, 1), kHandlerUnits + 2) }
// addImmAcc {d, k, offset}: accumulator + constant
template <Op op> BANTAM_HANDLER(loadAddImmAcc) {
  BANTAM_LOAD(uint64_t{static_cast<uint32_t>(acc) + u(pc, 1)} + u(pc, 2), kHandlerUnits + 3)
}

// ---- stores ----
// reg {addr, v, offset}
template <Op op> BANTAM_HANDLER(storeReg) {
  BANTAM_STORE(BANTAM_ADDR(0) + u(pc, 2), rd<typename A::Val>(fp, u(pc, 1)), kHandlerUnits + 3)
}
// abs {v, ea}
template <Op op> BANTAM_HANDLER(storeAbs) {
  BANTAM_STORE(uint64_t{u(pc, 1)}, rd<typename A::Val>(fp, u(pc, 0)), kHandlerUnits + 2)
}
// imm {addr, offset, value}: storing a constant (zeroing, flags)
template <Op op> BANTAM_HANDLER(storeImm) {
  BANTAM_STORE(BANTAM_ADDR(0) + u(pc, 1), immAt<typename A::Val>(pc, 2),
               kHandlerUnits + 2 + sizeof(typename A::Val) / 4)
}
// addImm {a, k, v, offset}
template <Op op> BANTAM_HANDLER(storeAddImm) {
  BANTAM_STORE(uint64_t{rd<uint32_t>(fp, u(pc, 0)) + u(pc, 1)} + u(pc, 3), rd<typename A::Val>(fp, u(pc, 2)),
               kHandlerUnits + 4)
}
// addReg {a, b, v, offset}
template <Op op> BANTAM_HANDLER(storeAddReg) {
  BANTAM_STORE(uint64_t{rd<uint32_t>(fp, u(pc, 0)) + rd<uint32_t>(fp, u(pc, 1))} + u(pc, 3),
               rd<typename A::Val>(fp, u(pc, 2)), kHandlerUnits + 4)
}
// addImmImm {a, k, offset, value}: a constant to base + constant (field initialisation)
template <Op op> BANTAM_HANDLER(storeAddImmImm) {
  BANTAM_STORE(uint64_t{rd<uint32_t>(fp, u(pc, 0)) + u(pc, 1)} + u(pc, 2), immAt<typename A::Val>(pc, 3),
               kHandlerUnits + 3 + sizeof(typename A::Val) / 4)
}
// accAddr {v, offset}: the address is the accumulator
template <Op op> BANTAM_HANDLER(storeAccAddr) {
  BANTAM_STORE(BANTAM_ADDR_ACC() + u(pc, 1), rd<typename A::Val>(fp, u(pc, 0)), kHandlerUnits + 2)
}
// accAddrImm {offset, value}
template <Op op> BANTAM_HANDLER(storeAccAddrImm) {
  BANTAM_STORE(BANTAM_ADDR_ACC() + u(pc, 0), immAt<typename A::Val>(pc, 1),
               kHandlerUnits + 1 + sizeof(typename A::Val) / 4)
}
// accVal {addr, offset}: the value is the accumulator
template <Op op> BANTAM_HANDLER(storeAccVal) {
  BANTAM_STORE(BANTAM_ADDR(0) + u(pc, 1), (storeAcc<op>(acc, fa, fs)), kHandlerUnits + 2)
}
// absAccVal {ea}
template <Op op> BANTAM_HANDLER(storeAbsAccVal) {
  BANTAM_STORE(uint64_t{u(pc, 0)}, (storeAcc<op>(acc, fa, fs)), kHandlerUnits + 1)
}

// move: load then store of the same width, the value never reaching a slot.
template <uint32_t kWidth, MoveForm kForm>
BANTAM_HANDLER(move) {
  constexpr int kSrcOff = kForm == MoveForm::Reg ? 1 : kForm == MoveForm::Acc ? 0 : 2;
  uint64_t src;
  if constexpr (kForm == MoveForm::Reg) src = BANTAM_ADDR(0);
  else if constexpr (kForm == MoveForm::Acc) src = BANTAM_ADDR_ACC();
  else src = uint64_t{rd<uint32_t>(fp, u(pc, 0)) + u(pc, 1)};
  src += u(pc, kSrcOff);
  if (src + kWidth > memSize) [[unlikely]] BANTAM_TRAP(OutOfBoundsMemoryAccess);
  uint64_t dst = BANTAM_ADDR(kSrcOff + 1) + u(pc, kSrcOff + 2);
  if (dst + kWidth > memSize) [[unlikely]] {
    ctx->trapPc = pc + 1;  // the store's offset is recorded there
    return trapStatus(runtime::TrapKind::OutOfBoundsMemoryAccess);
  }
  uint8_t bytes[kWidth];
  std::memcpy(bytes, mem + src, kWidth);
  std::memcpy(mem + dst, bytes, kWidth);
  BANTAM_NEXT(kHandlerUnits + kSrcOff + 3);
}

template <Op op>
constexpr MemoryHandlers memoryHandlers() {
  constexpr const wasm::OpInfo& info = wasm::opInfo(op);
  if constexpr (info.category == wasm::OpCategory::Memory && info.imm == wasm::ImmKind::MemArg) {
    MemoryHandlers m;
    if constexpr (Access<op>::kStore) {
      m.reg = &storeReg<op>;
      m.abs = &storeAbs<op>;
      m.imm = &storeImm<op>;
      m.addImm = &storeAddImm<op>;
      m.addReg = &storeAddReg<op>;
      m.addImmImm = &storeAddImmImm<op>;
      m.accAddr = &storeAccAddr<op>;
      m.accAddrImm = &storeAccAddrImm<op>;
      m.accVal = &storeAccVal<op>;
      m.absAccVal = &storeAbsAccVal<op>;
    } else {
      m.reg = &loadReg<op>;
      m.abs = &loadAbs<op>;
      m.addImm = &loadAddImm<op>;
      m.addReg = &loadAddReg<op>;
      m.accAddr = &loadAccAddr<op>;
      m.addImmAcc = &loadAddImmAcc<op>;
    }
    return m;
  } else {
    return {};
  }
}

constexpr std::array<MemoryHandlers, wasm::kOpCount> buildMemoryTable() {
  std::array<MemoryHandlers, wasm::kOpCount> t{};
#define BANTAM_OP(name, ...) t[static_cast<size_t>(Op::name)] = memoryHandlers<Op::name>();
#include "wasm/opcodes.def"
#undef BANTAM_OP
  return t;
}

}  // namespace

const std::array<MemoryHandlers, wasm::kOpCount> kMemory = buildMemoryTable();

Handler moveHandler(uint32_t width, MoveForm form) {
  switch (width) {
#define BANTAM_MOVE_WIDTH(w)                                                                  \
  case w:                                                                                     \
    return form == MoveForm::Reg ? &move<w, MoveForm::Reg>                                    \
           : form == MoveForm::Acc ? &move<w, MoveForm::Acc> : &move<w, MoveForm::AddImm>;
    BANTAM_MOVE_WIDTH(1)
    BANTAM_MOVE_WIDTH(2)
    BANTAM_MOVE_WIDTH(4)
    BANTAM_MOVE_WIDTH(8)
#undef BANTAM_MOVE_WIDTH
    default:
      return nullptr;
  }
}

namespace h {

BANTAM_HANDLER(MemorySize) {
  wr<uint64_t>(fp, u(pc, 0), memSize / wasm::kPageSize);
  BANTAM_NEXT(kHandlerUnits + 1);
}

// §4.4.7.4: the old size in pages, or -1; base and size are reloaded (the memory may be
// shared with other instances, which see the new size through the same MemoryInst).
BANTAM_HANDLER(MemoryGrow) {
  int64_t old = ctx->memory->grow(rd<uint32_t>(fp, u(pc, 1)));
  BANTAM_ACC_DEAD();
  wr<uint64_t>(fp, u(pc, 0), static_cast<uint32_t>(old));
  BANTAM_RELOAD_MEM();
  BANTAM_NEXT(kHandlerUnits + 2);
}

// Bulk operations check the whole range before writing anything; a zero-length access at the
// end is in bounds (§4.4.7.5-8).
BANTAM_HANDLER(MemoryInit) {
  std::span<const uint8_t> data = ctx->inst->datas[u(pc, 0)].bytes;
  uint64_t d = rd<uint32_t>(fp, u(pc, 1)), s = rd<uint32_t>(fp, u(pc, 2)), n = rd<uint32_t>(fp, u(pc, 3));
  if (s + n > data.size() || d + n > memSize) [[unlikely]] BANTAM_TRAP(OutOfBoundsMemoryAccess);
  if (n) std::memcpy(mem + d, data.data() + s, n);
  BANTAM_ACC_DEAD();
  BANTAM_NEXT(kHandlerUnits + 4);
}
BANTAM_HANDLER(DataDrop) {
  ctx->inst->datas[u(pc, 0)].bytes = {};
  BANTAM_NEXT(kHandlerUnits + 1);
}
BANTAM_HANDLER(MemoryCopy) {
  uint64_t d = rd<uint32_t>(fp, u(pc, 0)), s = rd<uint32_t>(fp, u(pc, 1)), n = rd<uint32_t>(fp, u(pc, 2));
  if (s + n > memSize || d + n > memSize) [[unlikely]] BANTAM_TRAP(OutOfBoundsMemoryAccess);
  if (n) std::memmove(mem + d, mem + s, n);
  BANTAM_ACC_DEAD();
  BANTAM_NEXT(kHandlerUnits + 3);
}
BANTAM_HANDLER(MemoryFill) {
  uint64_t d = rd<uint32_t>(fp, u(pc, 0)), n = rd<uint32_t>(fp, u(pc, 2));
  uint8_t v = static_cast<uint8_t>(rd<uint32_t>(fp, u(pc, 1)));
  if (d + n > memSize) [[unlikely]] BANTAM_TRAP(OutOfBoundsMemoryAccess);
  if (n) std::memset(mem + d, v, n);
  BANTAM_ACC_DEAD();
  BANTAM_NEXT(kHandlerUnits + 3);
}

}  // namespace h
}  // namespace bantam::interp
