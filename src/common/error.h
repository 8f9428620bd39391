// Errors as values: every fallible engine operation returns Result<T> (std::expected) and
// callers propagate with BANTAM_TRY. No exception crosses the engine boundary.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <utility>

namespace bantam {

// The phase an error comes from. The WAST runner relies on it: `assert_malformed` expects
// Malformed (binary) or Parse (text), `assert_invalid` expects Invalid, and so on.
enum class ErrorKind : uint8_t {
  Malformed,      // binary format violated (§5): decoder
  Parse,          // text format violated (§6): WAT/WAST parser
  Invalid,        // validation failed (§3): validator
  Unlinkable,     // imports could not be resolved or have the wrong type (§4.5.4)
  Uninstantiable, // a trap during instantiation (segment initialisation, start function)
  Limit,          // an implementation or configured limit was exceeded
  Unsupported,    // a feature Bantam does not implement (named in the message)
  Io,             // reading or writing a file failed
  Usage,          // the user asked for something that makes no sense (CLI, API misuse)
};

const char* errorKindName(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::Usage;
  std::string message;             // the spec's wording where the spec has one
  std::optional<uint64_t> offset;  // byte offset in the binary, when known
  std::string source;              // file name, when known
  uint32_t line = 0, column = 0;   // position in a text source, when known
  std::string context;             // e.g. "in function 7 ($main)"
  std::string hint;                // what the user can do about it

  static Error make(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }
  static Error at(ErrorKind kind, uint64_t offset, std::string message) {
    Error e{kind, std::move(message)};
    e.offset = offset;
    return e;
  }

  Error&& withSource(std::string s) && { if (source.empty()) source = std::move(s); return std::move(*this); }
  Error&& withContext(std::string c) && { if (context.empty()) context = std::move(c); return std::move(*this); }
  Error&& withHint(std::string h) && { if (hint.empty()) hint = std::move(h); return std::move(*this); }

  // "file.wasm:0x1a3: malformed: unexpected end (in function 3)\n  hint: ..."
  std::string toString() const;
};

template <class T>
using Result = std::expected<T, Error>;

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
