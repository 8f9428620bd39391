// The embedded WIT packages (builtin.h), parsed and resolved on first use.
#include "component/wit/builtin.h"

#include <cstdio>
#include <cstdlib>

namespace bantam::wit {

const Result<Resolve>& builtinResolveResult() {
  static const Result<Resolve> resolved = []() -> Result<Resolve> {
    std::vector<File> files;
    for (const EmbeddedWitFile& f : embeddedWitFiles())
      files.push_back(BANTAM_TRY(parseWit(f.text, std::string(f.path))));
    ResolveOptions options;
    options.skipUnresolvableWorlds = true;
    return resolveWit(std::move(files), options);
  }();
  return resolved;
}

const Resolve& builtinResolve() {
  const Result<Resolve>& r = builtinResolveResult();
  if (!r) {
    // The files are compiled in and covered by tests (wit_builtin_test.cpp): this is a defect
    // of the build, not of any input.
    std::fprintf(stderr, "bantam: the embedded WIT files do not resolve: %s (%s:%u)\n", r.error().message.c_str(),
                 r.error().source.c_str(), r.error().line);
    std::abort();
  }
  return *r;
}

const component::InterfaceSet& builtinInterfaces() {
  static const component::InterfaceSet set = builtinResolve().interfaceSet();
  return set;
}

}  // namespace bantam::wit
