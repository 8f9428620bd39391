// `bantam compile FILE [-o OUT]`: compiles a module to native code ahead of time (.cwasm), for
// `bantam run OUT` without compiling at start-up. The artifact runs only on hosts with the CPU
// features it was compiled for (--target portable: any x86-64) and only with this engine version.
#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "cli/load.h"
#ifdef BANTAM_HAVE_COMPILED
#include "compiled/compiled_engine.h"
#endif

namespace bantam::cli {

int cmdCompile(const CompileOptions& options) {
#ifdef BANTAM_HAVE_COMPILED
  EngineFlags flags = options.engine;
  if (flags.engine.empty() || flags.engine == "auto") flags.engine = "compiled";
  if (flags.engine != "compiled") {
    printError(Error::make(ErrorKind::Usage, "`bantam compile` makes native code: it needs --engine compiled"));
    return 1;
  }
  std::unique_ptr<runtime::Engine> engine = makeEngine(flags);
  if (!engine) return 1;
  auto bytes = loadModuleBytes(options.file);
  if (!bytes) {
    printError(bytes.error());
    return 1;
  }
  auto artifact = compiled::precompileModule(*engine, *bytes, options.file);
  if (!artifact) {
    printError(artifact.error());
    return 1;
  }
  std::string out = options.output;
  if (out.empty()) {
    out = options.file;
    size_t dot = out.find_last_of('.');
    if (dot != std::string::npos && out.find('/', dot) == std::string::npos) out.resize(dot);
    out += ".cwasm";
  }
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(artifact->data()), static_cast<std::streamsize>(artifact->size()));
  f.close();
  if (!f) {
    printError(Error::make(ErrorKind::Io, "cannot write the file").withSource(out));
    return 1;
  }
  return 0;
#else
  (void)options;
  printError(Error::make(ErrorKind::Unsupported, "this bantam was built without the compiled engine")
                 .withHint("rebuild with -DBANTAM_LLVM=ON (needs llvm-19-dev)"));
  return 1;
#endif
}

}  // namespace bantam::cli
