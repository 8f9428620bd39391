// Trap messages (from traps.def) and the printed form of a trap with its backtrace.
#include "runtime/trap.h"

#include <cstdio>

namespace bantam::runtime {

const char* trapMessage(TrapKind kind) {
  switch (kind) {
#define BANTAM_TRAP(name, message) \
  case TrapKind::name:             \
    return message;
#include "runtime/traps.def"
#undef BANTAM_TRAP
  }
  return "trap";
}

std::string Trap::toString() const {
  std::string out = message.empty() ? trapMessage(kind) : message;
  // A runaway recursion has a hundred identical frames: the innermost 20 tell the story.
  constexpr size_t kShownFrames = 20;
  size_t shown = frames.size() > kShownFrames + 1 ? kShownFrames : frames.size();
  for (size_t i = 0; i < shown; ++i) {
    const TrapFrame& f = frames[i];
    char buf[48];
    out += "\n  ";
    out += std::to_string(i);
    out += ": ";
    out += f.function.empty() ? "func[" + std::to_string(f.funcIndex) + "]" : f.function;
    std::string where;
    if (!f.module.empty()) where = "module " + f.module;
    if (f.offset != 0) {
      std::snprintf(buf, sizeof buf, "offset 0x%x", f.offset);
      if (!where.empty()) where += ", ";
      where += buf;
    }
    if (!where.empty()) out += " (" + where + ")";
  }
  if (shown < frames.size()) out += "\n  ... " + std::to_string(frames.size() - shown) + " more frames";
  return out;
}

}  // namespace bantam::runtime
