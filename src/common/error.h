// Errors as values: every fallible engine operation returns Result<T> (std::expected) and
// callers propagate with BANTAM_TRY. No exception crosses the engine boundary.
#pragma once

#include <expected>
#include <string>
#include <utility>

// ErrorKind, Error and Result are public (include/bantam/error.h): the embedding API returns
// the engine's errors unchanged.
#include "bantam/error.h"

namespace bantam {

inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return std::unexpected(Error::make(kind, std::move(message)));
}
inline std::unexpected<Error> failAt(ErrorKind kind, uint64_t offset, std::string message) {
  return std::unexpected(Error::at(kind, offset, std::move(message)));
}

}  // namespace bantam

// Evaluates a Result-returning expression; on error returns the error from the enclosing
// function (which must return a std::expected with a compatible error type), otherwise
// yields the value. Works for Result<void> too. Uses a GNU statement expression (clang).
#define BANTAM_TRY(expr)                                                   \
  ({                                                                       \
    auto&& bantam_try_result_ = (expr);                                    \
    if (!bantam_try_result_) [[unlikely]]                                  \
      return std::unexpected(std::move(bantam_try_result_).error());       \
    *std::move(bantam_try_result_);                                        \
  })
