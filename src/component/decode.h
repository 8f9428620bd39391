// The component binary decoder (Binary.md): bytes to a DecodedComponent. Checks the
// structure and encodings (malformed input gives ErrorKind::Malformed with the offset), decodes
// and validates embedded core modules with the core decoder and validator, and rejects
// features Bantam does not implement with ErrorKind::Unsupported naming the feature (async,
// streams, futures, error-context, threads, value definitions, start functions, fixed-length
// lists, maps, 64-bit resource representations, GC core types).
#pragma once

#include <span>

#include "common/error.h"
#include "component/ast.h"

namespace bantam::component {

// True when `bytes` start with the component preamble (layer 1), false for a core module.
bool isComponentBinary(std::span<const uint8_t> bytes);

struct DecodeLimits {
  uint32_t maxNesting = 64;          // nested component depth
  uint64_t maxDefinitions = 1 << 20;  // definitions and type declarators, all components together
};

Result<DecodedComponent> decodeComponent(std::span<const uint8_t> bytes, const DecodeLimits& limits = {});

}  // namespace bantam::component
