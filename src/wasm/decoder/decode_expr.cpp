// Structural walk of instruction sequences (§5.4): function bodies and constant
// expressions. Immediates are decoded by InstrReader; this only tracks block nesting so that
// a sequence ends exactly at the `end` closing depth 0.
#include "wasm/decoder/decode_context.h"

namespace bantam::wasm::decoder {

namespace {

// What an open block is, for deciding whether `else` may appear.
enum Frame : uint8_t { kPlainBlock, kIfBeforeElse };

}  // namespace

Result<uint64_t> walkExpression(DecodeContext& ctx, uint64_t start) {
  const uint64_t moduleEnd = ctx.bytes.size();
  InstrReader in(ctx.bytes, CodeRange{static_cast<uint32_t>(start), static_cast<uint32_t>(moduleEnd - start)});
  auto& frames = ctx.frames;
  frames.clear();
  Instr i;  // decoded in place: building a fresh Instr per instruction dominated the cost
  for (;;) {
    if (in.atEnd()) return malformedAt(in.offset(), kUnexpectedEnd);
    BANTAM_TRY(in.next(i));
    switch (i.op) {
      case Op::Block:
      case Op::Loop:
        frames.push_back(kPlainBlock);
        break;
      case Op::If:
        frames.push_back(kIfBeforeElse);
        break;
      case Op::Else:
        // The reference decoder ends the enclosing sequence at a stray `else` and then
        // expects the `end` of the block (or function) it was reading.
        if (frames.empty() || frames.back() != kIfBeforeElse)
          return malformedAt(i.offset, "END opcode expected");
        frames.back() = kPlainBlock;
        break;
      case Op::End:
        if (frames.empty()) return in.offset();
        frames.pop_back();
        break;
      case Op::MemoryInit:
      case Op::DataDrop:
        ctx.codeUsesDataIndex = true;
        break;
      default:
        break;
    }
  }
}

Result<CodeRange> readConstExpr(DecodeContext& ctx, ByteReader& r) {
  uint64_t start = r.offset();
  // Only function bodies need the data count section (§5.5.13); keep the flag theirs.
  const bool bodiesUseData = ctx.codeUsesDataIndex;
  uint64_t end = BANTAM_TRY(walkExpression(ctx, start));
  ctx.codeUsesDataIndex = bodiesUseData;
  BANTAM_TRY(r.skip(static_cast<size_t>(end - start)));
  return CodeRange{static_cast<uint32_t>(start), static_cast<uint32_t>(end - start)};
}

}  // namespace bantam::wasm::decoder
