// A component's `files`: glob patterns and { source, destination } placements, expanded at load
// time against the application's folder (minus `exclude_files`) into the mounts the executors
// give the guest, with Spin's rules (crates/loader/src/local.rs).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "platform/app.h"
#include "platform/manifest/context.h"

namespace bantam::platform::manifest {

struct FilesEntry {
  enum class Kind : uint8_t { Pattern, Placement } kind = Kind::Pattern;
  std::string pattern;      // Pattern: "static/**/*.css", "index.html", "assets"
  std::string source;       // Placement: a host file or folder, relative to the app's folder
  std::string destination;  // Placement: absolute guest path
  uint32_t line = 0;
};

// Glob matching of a '/'-separated relative path. `*`, `?` and `[...]` (with `!` negation and
// ranges) match within one path component when `literalSeparator` is set (expanding `files`),
// and across '/' when it is not (`exclude_files`, as Spin's glob::Pattern::matches_path). A
// `**` component matches any number of components, none included ("**/x" matches "x"); a
// trailing `**` matches everything below ("static/**" matches every file under static/).
bool globMatch(std::string_view pattern, std::string_view path, bool literalSeparator);
bool looksLikeGlob(std::string_view text);

// At most this many files in one component's mounts: a pattern that matches more is an error
// rather than a start-up that never ends.
inline constexpr size_t kMaxMountedFiles = 100000;

// Expands `entries` in order. A folder named by a pattern or placement becomes one directory
// mount when nothing is excluded, and its individual files otherwise.
Result<std::vector<FileMount>> expandFiles(const Context& ctx, const std::filesystem::path& root,
                                           const std::vector<FilesEntry>& entries,
                                           const std::vector<std::string>& exclude);

}  // namespace bantam::platform::manifest
