// Errors of the public API, and the engine's own error type: Result<T> is std::expected<T,
// Error>. Shared with the engine internals (src/common/error.h includes this header), so an
// error travels from the decoder to the embedder without conversion.
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

  // Field by field rather than aggregate initialisation, so embedders building with
  // -Wmissing-field-initializers get no warning from this header.
  static Error make(ErrorKind kind, std::string message) {
    Error e;
    e.kind = kind;
    e.message = std::move(message);
    return e;
  }
  static Error at(ErrorKind kind, uint64_t offset, std::string message) {
    Error e = make(kind, std::move(message));
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

}  // namespace bantam
