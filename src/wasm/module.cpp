// Module helpers that do not belong to a particular phase.
#include "wasm/module.h"

namespace bantam::wasm {

std::string Module::functionName(FuncIdx f) const {
  auto it = names.functions.find(f.value);
  if (it != names.functions.end()) return it->second;
  for (const auto& e : exports)
    if (e.kind == ExternKind::Func && e.index == f.value) return e.name;
  if (f.value < numImportedFuncs) {
    uint32_t n = 0;
    for (const auto& imp : imports)
      if (imp.kind == ExternKind::Func && n++ == f.value) return imp.module + "." + imp.name;
  }
  return "func[" + std::to_string(f.value) + "]";
}

}  // namespace bantam::wasm
