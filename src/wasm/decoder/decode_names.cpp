// The "name" custom section (§7.4.1): module, function and local names. Custom sections may
// not make a module malformed, so any defect discards the whole name section silently.
#include "wasm/decoder/decode_context.h"

namespace bantam::wasm::decoder {

namespace {

Result<void> readNameMap(ByteReader& r, std::map<uint32_t, std::string>& out) {
  uint32_t n = BANTAM_TRY(readLength(r));
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t idx = BANTAM_TRY(r.readU32());
    std::string_view name = BANTAM_TRY(readName(r));
    out.try_emplace(idx, name);  // the first association of an index wins
  }
  return {};
}

Result<Names> readNames(ByteReader& r) {
  Names names;
  int lastId = -1;
  while (!r.atEnd()) {
    uint8_t id = BANTAM_TRY(r.readByte());
    uint32_t size = BANTAM_TRY(readLength(r));
    auto content = BANTAM_TRY(r.readBytes(size));
    // Subsections occur at most once each, in increasing id order.
    if (static_cast<int>(id) <= lastId) return malformedAt(r.offset(), "malformed name section");
    lastId = id;
    ByteReader sub(content, r.offset() - size);
    switch (id) {
      case 0:
        names.module = BANTAM_TRY(readName(sub));
        break;
      case 1:
        BANTAM_TRY(readNameMap(sub, names.functions));
        break;
      case 2: {
        uint32_t n = BANTAM_TRY(readLength(sub));
        for (uint32_t i = 0; i < n; ++i) {
          uint32_t func = BANTAM_TRY(sub.readU32());
          BANTAM_TRY(readNameMap(sub, names.locals[func]));
        }
        break;
      }
      default:
        continue;  // later proposals' subsections (labels, types, ...): not ours to read
    }
    if (!sub.atEnd()) return malformedAt(sub.offset(), "malformed name section");
  }
  return names;
}

}  // namespace

void decodeNameSection(DecodeContext& ctx, CodeRange content) {
  ByteReader r(ctx.bytes.subspan(content.offset, content.size), content.offset);
  if (auto names = readNames(r)) ctx.module.names = std::move(*names);
}

}  // namespace bantam::wasm::decoder
