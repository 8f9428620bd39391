// Mnemonic lookup for the instruction table.
#include "wasm/opcode.h"

#include <string>
#include <unordered_map>

namespace bantam::wasm {

std::optional<Op> opFromName(std::string_view text) {
  // Built once on first use; a function-local static is immutable shared data, not state.
  static const std::unordered_map<std::string_view, Op> table = [] {
    std::unordered_map<std::string_view, Op> m;
    for (size_t i = 0; i < kOpCount; ++i) m.emplace(kOpInfo[i].text, static_cast<Op>(i));
    return m;
  }();
  auto it = table.find(text);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

}  // namespace bantam::wasm
