// Loading a module's objects into CompiledCode: symbols f<funcIndex>, t<typeIndex> and
// h<typeIndex> (src/llvm/bantam_llvm.h) become entry points, trampolines and host adapters.
#include "compiled/compiled_code.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>

#include <unistd.h>

#include "compiled/builtins.h"
#include "compiled/code_registry.h"

namespace bantam::compiled {

Result<std::unique_ptr<CompiledCode>> CompiledCode::load(const wasm::Module& module,
                                                         std::span<const std::span<const uint8_t>> objects,
                                                         bool explicitBounds, bool perfMap) {
  std::unique_ptr<CompiledCode> code(new CompiledCode(module));
  code->explicitBounds_ = explicitBounds;
  code->image_ = BANTAM_TRY(linkObjects(objects, &resolveRuntimeSymbol));
  code->funcs_.assign(module.functions.size(), nullptr);
  code->adapters_.assign(module.types.size(), nullptr);
  code->trampolines_.assign(module.types.size(), nullptr);
  for (const LoadedSymbol& s : code->image_->symbols()) {
    if (s.name.size() < 2) continue;
    uint32_t n = 0;
    auto [end, ec] = std::from_chars(s.name.data() + 1, s.name.data() + s.name.size(), n);
    if (ec != std::errc() || end != s.name.data() + s.name.size()) continue;
    const void* addr = reinterpret_cast<const void*>(s.address);
    switch (s.name[0]) {
      case 'f':
        if (n >= module.numImportedFuncs && n - module.numImportedFuncs < code->funcs_.size()) {
          code->funcs_[n - module.numImportedFuncs] = addr;
          code->ranges_.push_back(Range{s.address, s.address + std::max<uint64_t>(s.size, 1), n});
        }
        break;
      case 't':
        if (n < code->trampolines_.size()) code->trampolines_[n] = reinterpret_cast<Trampoline>(s.address);
        break;
      case 'h':
        if (n < code->adapters_.size()) code->adapters_[n] = addr;
        break;
      default:
        break;
    }
  }
  for (size_t i = 0; i < code->funcs_.size(); ++i)
    if (!code->funcs_[i])
      return fail(ErrorKind::Malformed, "compiled code lacks function " + std::to_string(module.numImportedFuncs + i));
  for (size_t t = 0; t < module.types.size(); ++t)
    if (!code->trampolines_[t] || !code->adapters_[t])
      return fail(ErrorKind::Malformed, "compiled code lacks the adapters of type " + std::to_string(t));
  std::sort(code->ranges_.begin(), code->ranges_.end(), [](const Range& a, const Range& b) { return a.begin < b.begin; });
  if (code->image_->textEnd() > code->image_->textBegin())
    code->registration_ = registerCode(code->image_->textBegin(), code->image_->textEnd(), code.get());
  if (perfMap) code->appendPerfMap();
  return code;
}

void CompiledCode::appendPerfMap() const {
  // perf's map for generated code (tools/perf/Documentation/jit-interface.txt): one
  // "START SIZE NAME" line per function in /tmp/perf-<pid>.map, so that `perf report` names
  // guest functions. Appended per module: a process may load many.
  std::string path = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
  FILE* f = std::fopen(path.c_str(), "a");
  if (!f) return;  // profiling aid only: a read-only /tmp must not fail the load
  std::string moduleName = module_.names.module.empty() ? "wasm" : module_.names.module;
  for (const Range& r : ranges_)
    std::fprintf(f, "%zx %zx %s!%s\n", static_cast<size_t>(r.begin), static_cast<size_t>(r.end - r.begin),
                 moduleName.c_str(), module_.functionName(wasm::FuncIdx(r.funcIndex)).c_str());
  std::fclose(f);
}

CompiledCode::~CompiledCode() { unregisterCode(registration_); }

bool CompiledCode::locate(uintptr_t pc, uint32_t& funcIndex) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), pc, [](uintptr_t p, const Range& r) { return p < r.begin; });
  if (it == ranges_.begin()) return false;
  --it;
  if (pc >= it->end) return false;
  funcIndex = it->funcIndex;
  return true;
}

}  // namespace bantam::compiled
