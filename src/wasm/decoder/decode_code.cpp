// The code section (§5.5.13): per function, its size, the run-length local declarations and
// the body, which stays a byte range of the module (never copied).
#include "wasm/decoder/decode_context.h"

namespace bantam::wasm::decoder {

namespace {

Result<Function> readCode(DecodeContext& ctx, ByteReader& r) {
  Function f;
  f.entryOffset = static_cast<uint32_t>(r.offset());
  uint32_t size = BANTAM_TRY(readLength(r));
  const uint64_t start = r.offset();

  const uint64_t localsAt = r.offset();
  auto [n, hint] = BANTAM_TRY(readVecCount(r, 2));
  f.locals.reserve(hint);
  uint64_t total = 0;  // 64-bit: 2^32 declarations of 2^32-1 locals each cannot overflow it
  for (uint32_t i = 0; i < n; ++i) {
    LocalDecl d;
    d.count = BANTAM_TRY(r.readU32());
    d.type = BANTAM_TRY(readValType(r));
    total += d.count;
    f.locals.push_back(d);
  }
  // Checked after the declarations, as the reference does, so a malformed type in a later
  // declaration wins; nothing proportional to `total` was allocated.
  if (total > kMaxLocals) return malformedAt(localsAt, "too many locals");
  f.numLocals = static_cast<uint32_t>(total);

  const uint64_t bodyStart = r.offset();
  const uint64_t bodyEnd = BANTAM_TRY(walkExpression(ctx, bodyStart));
  if (bodyEnd != start + size) return malformedAt(start, kSizeMismatch);
  BANTAM_TRY(r.skip(static_cast<size_t>(bodyEnd - bodyStart)));
  f.body = CodeRange{static_cast<uint32_t>(bodyStart), static_cast<uint32_t>(bodyEnd - bodyStart)};
  return f;
}

}  // namespace

Result<void> decodeCodeSection(DecodeContext& ctx, ByteReader& r) {
  auto [n, hint] = BANTAM_TRY(readVecCount(r, 3));
  auto& functions = ctx.module.functions;
  functions.reserve(hint);
  uint32_t numImported = 0;  // for naming the function in errors by its index
  for (const auto& imp : ctx.module.imports) numImported += imp.kind == ExternKind::Func;
  for (uint32_t i = 0; i < n; ++i) {
    auto f = readCode(ctx, r);
    if (!f) [[unlikely]]
      return std::unexpected(std::move(f).error().withContext("in function " + std::to_string(numImported + i)));
    functions.push_back(std::move(*f));
  }
  return {};
}

}  // namespace bantam::wasm::decoder
