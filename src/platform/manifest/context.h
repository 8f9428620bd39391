// Where manifest errors point: the file as the user named it, and a line in it.
#pragma once

#include <cstdint>
#include <string>

#include "common/error.h"

namespace bantam::platform::manifest {

struct Context {
  std::string file;  // "examples/app/spin.toml"
};

// "FILE:LINE: error: MESSAGE" once printed (Error::toString).
Error errorAt(const Context& ctx, uint32_t line, std::string message, ErrorKind kind = ErrorKind::Usage);

}  // namespace bantam::platform::manifest
