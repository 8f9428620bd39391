// Building the copy-on-write memory images of a component's core modules (prepared.h).
#include "component/prepared.h"

#include <cstdlib>
#include <cstring>

#include "component/component.h"
#include "runtime/const_expr.h"

namespace bantam::component {

namespace {

// Below this many bytes of active data segments a module's memories are written by copying.
constexpr uint64_t kMinImageBytes = 64 * 1024;

// The images of one module, or an empty vector when the module must be instantiated the
// ordinary way. Every active segment into a defined memory must have an offset that is a
// constant without imports (global.get of an imported global is not known here) and must fit
// the memory's minimum size: then writing them here, in order, gives exactly the bytes
// instantiation would (a later segment overwrites an earlier one the same way), and no
// segment can trap. Segments into imported memories are left to instantiation.
Result<std::vector<runtime::MemoryImage>> imagesOf(const wasm::Module& m) {
  std::vector<runtime::MemoryImage> none;
  if (m.memories.empty()) return none;
  uint64_t written = 0;
  for (const wasm::DataSegment& seg : m.datas)
    if (seg.mode == wasm::SegmentMode::Active && seg.memory.value >= m.numImportedMemories) written += seg.bytes.size;
  // Mapping an image costs a syscall and a fault per page touched; copying a few KiB of
  // segments is cheaper (bantam_component_bench: compose_lib, ~1 KB of data, instantiated in
  // 3.4 us by copying, 4.1 us by mapping).
  if (written < kMinImageBytes) return none;
  for (const wasm::MemoryType& type : m.memories)
    if (type.limits.min > wasm::kMaxPages32) return none;
  runtime::ModuleInst noImports;
  std::vector<uint32_t> offsets(m.datas.size(), 0);
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const wasm::DataSegment& seg = m.datas[i];
    if (seg.mode != wasm::SegmentMode::Active || seg.memory.value < m.numImportedMemories) continue;
    auto offset = runtime::evalConstExpr(m, seg.offset, noImports);
    if (!offset) return none;
    uint64_t bytes = m.memories[seg.memory.value - m.numImportedMemories].limits.min * wasm::kPageSize;
    if (uint64_t{offset->i32} + seg.bytes.size > bytes) return none;  // traps at instantiation
    offsets[i] = offset->i32;
  }
  std::vector<runtime::MemoryImage> images;
  images.reserve(m.memories.size());
  for (const wasm::MemoryType& type : m.memories)
    images.push_back(BANTAM_TRY(runtime::MemoryImage::create(type.limits.min * wasm::kPageSize)));
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const wasm::DataSegment& seg = m.datas[i];
    if (seg.mode != wasm::SegmentMode::Active || seg.memory.value < m.numImportedMemories) continue;
    BANTAM_TRY(images[seg.memory.value - m.numImportedMemories].write(offsets[i], m.range(seg.bytes)));
  }
  for (runtime::MemoryImage& image : images) BANTAM_TRY(image.seal());
  return images;
}

}  // namespace

bool preparedCoreModulesEnabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("BANTAM_COMPONENT_COW");
    return v == nullptr || std::strcmp(v, "0") != 0;
  }();
  return enabled;
}

Result<std::shared_ptr<const PreparedCoreModules>> prepareCoreModules(const CompiledComponent& component) {
  auto prepared = std::make_shared<PreparedCoreModules>();
  prepared->images.resize(component.modules.size());
  for (const PlanModuleInstance& mi : component.plan.coreInstances) {
    if (mi.module >= component.modules.size() || !component.modules[mi.module]) continue;
    if (!prepared->images[mi.module].empty()) continue;  // instantiated more than once
    prepared->images[mi.module] = BANTAM_TRY(imagesOf(component.modules[mi.module]->module));
  }
  return std::shared_ptr<const PreparedCoreModules>(std::move(prepared));
}

}  // namespace bantam::component
