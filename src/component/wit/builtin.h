// The WIT packages Bantam's host implements, embedded into the binary at build time from the
// repository's wit/ folder (WASI 0.2.12, Spin): the declarations a host hands to
// ComponentLinker::addInterfaces before defining functions and resources.
#pragma once

#include <span>
#include <string_view>

#include "component/model/interface.h"
#include "component/wit/resolve.h"

namespace bantam::wit {

struct EmbeddedWitFile {
  std::string_view path;  // relative to the repository root: "wit/wasi/io/package.wit"
  std::string_view text;
};

// Every .wit file under wit/ (generated at build time by src/component/wit/embed_wit.cmake).
std::span<const EmbeddedWitFile> embeddedWitFiles();

// The embedded packages, parsed and resolved once (thread-safe, immutable). Interfaces are
// versioned as written ("wasi:io/streams@0.2.12"); the linker serves any compatible import
// version with them. Worlds that need packages not embedded (Spin's rc-2023-10-18 worlds)
// are in `skipped`. The embedded files are tested to resolve; a failure is a build defect,
// reported by builtinResolveResult().
const Result<Resolve>& builtinResolveResult();
const Resolve& builtinResolve();
// builtinResolve().interfaceSet(), computed once.
const component::InterfaceSet& builtinInterfaces();

}  // namespace bantam::wit
