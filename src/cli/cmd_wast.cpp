// `bantam wast FILE...`: runs spec-test scripts and ends with "N passed, M failed".
#include <cstdio>

#include "cli/commands.h"

namespace bantam::cli {

int cmdWast(const std::vector<std::string>& files, const WastOptions& options, const EngineFlags& flags) {
  std::unique_ptr<runtime::Engine> made = makeEngine(flags);
  if (!made) return 1;
  runtime::Engine& engine = *made;
  WastTally tally;
  for (const auto& f : files) runWastFile(engine, f, options, tally, stdout);
  std::printf("%llu passed, %llu failed\n", static_cast<unsigned long long>(tally.passed),
              static_cast<unsigned long long>(tally.failed));
  return tally.failed == 0 ? 0 : 1;
}

}  // namespace bantam::cli
