// Formatting of user-facing errors.
#include "common/error.h"

#include <cstdio>

namespace bantam {

const char* errorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed module";
    case ErrorKind::Parse: return "syntax error";
    case ErrorKind::Invalid: return "invalid module";
    case ErrorKind::Unlinkable: return "unlinkable module";
    case ErrorKind::Uninstantiable: return "instantiation failed";
    case ErrorKind::Limit: return "limit exceeded";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Io: return "i/o error";
    case ErrorKind::Usage: return "error";
  }
  return "error";
}

std::string Error::toString() const {
  std::string out;
  if (!source.empty()) {
    out += source;
    if (line) out += ":" + std::to_string(line) + (column ? ":" + std::to_string(column) : "");
    out += ": ";
  }
  if (offset) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "at byte 0x%llx: ", static_cast<unsigned long long>(*offset));
    out += buf;
  }
  out += errorKindName(kind);
  out += ": ";
  out += message;
  if (!context.empty()) out += " (" + context + ")";
  if (!hint.empty()) out += "\n  hint: " + hint;
  return out;
}

}  // namespace bantam
