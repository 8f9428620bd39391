// The native code of one module, shared by its instances: entry points of its functions, the
// trampolines per signature, and the map from code addresses back to functions.
#pragma once

#include <memory>
#include <vector>

#include "common/error.h"
#include "compiled/elf_loader.h"
#include "runtime/engine.h"
#include "runtime/value.h"
#include "wasm/module.h"

namespace bantam::compiled {

class CompiledCode final : public runtime::EngineCode {
 public:
  using Trampoline = void (*)(const void* code, void* vmctx, runtime::RawVal* cells);

  // Links the objects and finds every symbol the module needs. `perfMap`: also name the
  // functions in /tmp/perf-<pid>.map for `perf` (BANTAM_PERFMAP=1).
  static Result<std::unique_ptr<CompiledCode>> load(const wasm::Module& module,
                                                    std::span<const std::span<const uint8_t>> objects,
                                                    bool explicitBounds, bool perfMap = false);
  ~CompiledCode() override;

  const void* functionCode(uint32_t definedIndex) const override { return funcs_[definedIndex]; }
  const void* hostCallAdapter(uint32_t typeIndex) const override { return adapters_[typeIndex]; }
  bool needsGuardRegion() const override { return !explicitBounds_; }

  Trampoline trampoline(uint32_t typeIndex) const { return trampolines_[typeIndex]; }
  const wasm::Module& module() const { return module_; }
  // The function whose code contains `pc`; false if none.
  bool locate(uintptr_t pc, uint32_t& funcIndex) const;

 private:
  CompiledCode(const wasm::Module& m) : module_(m) {}
  void appendPerfMap() const;
  const wasm::Module& module_;
  std::unique_ptr<CodeImage> image_;
  std::vector<const void*> funcs_;
  std::vector<const void*> adapters_;
  std::vector<Trampoline> trampolines_;
  struct Range {
    uintptr_t begin, end;
    uint32_t funcIndex;
  };
  std::vector<Range> ranges_;  // sorted by address
  uint32_t registration_ = UINT32_MAX;
  bool explicitBounds_ = false;
};

}  // namespace bantam::compiled
