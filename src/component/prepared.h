// Per-core-module state built once per ComponentPre (ComponentLinker::prepare) so that each
// component instance starts from it instead of from scratch: a copy-on-write image (sealed
// memfd, runtime::MemoryImage) of each defined memory's initial contents.
#pragma once

#include <memory>
#include <vector>

#include "common/error.h"
#include "runtime/instance_pre.h"

namespace bantam::component {

struct CompiledComponent;

struct PreparedCoreModules {
  // By CoreModuleAst::id: one image per defined memory, or empty when the module is
  // instantiated the ordinary way (no defined memory written by a data segment, or a segment
  // whose offset is not a constant or does not fit: instantiation reports that itself).
  std::vector<std::vector<runtime::MemoryImage>> images;

  // The images of `module`, or nullptr: runtime::instantiate's definedMemoryImages.
  const runtime::MemoryImage* imagesOf(uint32_t module) const {
    return module < images.size() && !images[module].empty() ? images[module].data() : nullptr;
  }
};

// Builds the images of every module the plan instantiates.
Result<std::shared_ptr<const PreparedCoreModules>> prepareCoreModules(const CompiledComponent& component);

// Whether ComponentLinker::prepare builds them: on unless BANTAM_COMPONENT_COW=0 is set in the
// environment (kept for measuring the ordinary path against the prepared one).
bool preparedCoreModulesEnabled();

}  // namespace bantam::component
