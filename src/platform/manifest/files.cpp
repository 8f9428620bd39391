// Expansion of `files` and `exclude_files` into mounts.
#include "platform/manifest/files.h"

#include <algorithm>
#include <system_error>

namespace bantam::platform::manifest {

namespace fs = std::filesystem;

namespace {

// Matches one `[...]` class at p[pi] against c; `next` receives the index after the `]`.
// Returns false with next = npos when the class is not closed (then '[' is a literal).
bool matchClass(std::string_view p, size_t pi, char c, size_t& next, bool& matched) {
  size_t i = pi + 1;
  bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  bool any = false;
  bool first = true;
  for (; i < p.size(); ++i) {
    if (p[i] == ']' && !first) {
      next = i + 1;
      matched = any != negate;
      return true;
    }
    first = false;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      if (c >= p[i] && c <= p[i + 2]) any = true;
      i += 2;
    } else if (p[i] == c) {
      any = true;
    }
  }
  next = std::string_view::npos;
  return false;
}

// Memoised backtracking over (pattern index, path index): linear in |p|·|s| whatever the stars.
class Matcher {
 public:
  Matcher(std::string_view p, std::string_view s, bool literalSeparator)
      : p_(p), s_(s), sep_(literalSeparator), memo_((p.size() + 1) * (s.size() + 1), -1) {}

  bool run() { return match(0, 0); }

 private:
  bool isDoubleStarComponent(size_t pi) const {
    return p_.compare(pi, 2, "**") == 0 && (pi == 0 || p_[pi - 1] == '/') &&
           (pi + 2 == p_.size() || p_[pi + 2] == '/');
  }

  bool match(size_t pi, size_t si) {
    int8_t& m = memo_[pi * (s_.size() + 1) + si];
    if (m < 0) m = compute(pi, si) ? 1 : 0;
    return m == 1;
  }

  bool compute(size_t pi, size_t si) {
    if (pi == p_.size()) return si == s_.size();
    if (isDoubleStarComponent(pi)) {
      if (pi + 2 == p_.size()) return true;  // trailing "**": everything below
      // "**/": zero components, or one whole component (with its '/') and then the same again.
      if (match(pi + 3, si)) return true;
      size_t slash = s_.find('/', si);
      return slash != std::string_view::npos && match(pi, slash + 1);
    }
    char c = p_[pi];
    if (c == '*') {  // nothing, or one more character and the same star again
      if (match(pi + 1, si)) return true;
      return si < s_.size() && !(sep_ && s_[si] == '/') && match(pi, si + 1);
    }
    if (si == s_.size()) return false;
    if (c == '?') return !(sep_ && s_[si] == '/') && match(pi + 1, si + 1);
    if (c == '[') {
      size_t next = 0;
      bool matched = false;
      if (matchClass(p_, pi, s_[si], next, matched)) {
        return matched && !(sep_ && s_[si] == '/') && match(next, si + 1);
      }
    }
    return c == s_[si] && match(pi + 1, si + 1);
  }

  std::string_view p_, s_;
  bool sep_;
  std::vector<int8_t> memo_;
};

std::string stripDotSlash(std::string_view s) {
  while (s.starts_with("./")) s.remove_prefix(2);
  return std::string(s);
}

bool hasParentComponent(std::string_view s) {
  size_t start = 0;
  while (true) {
    size_t end = s.find('/', start);
    std::string_view part = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part == "..") return true;
    if (end == std::string_view::npos) return false;
    start = end + 1;
  }
}

std::string learnMore() { return "see https://spinframework.dev/writing-apps#including-files-with-components"; }

class Expander {
 public:
  Expander(const Context& ctx, const fs::path& root, const std::vector<std::string>& exclude)
      : ctx_(ctx), root_(root), exclude_(exclude) {}

  Result<void> add(const FilesEntry& entry) {
    line_ = entry.line;
    if (entry.kind == FilesEntry::Kind::Pattern) return addPattern(entry.pattern);
    return addPlacement(entry.source, entry.destination);
  }

  std::vector<FileMount> take() { return std::move(mounts_); }

 private:
  Error fail(std::string message) {
    Error e = errorAt(ctx_, line_, std::move(message));
    e.hint = learnMore();
    return e;
  }

  bool excluded(std::string_view rootRelative) const {
    return std::any_of(exclude_.begin(), exclude_.end(),
                       [&](const std::string& x) { return globMatch(stripDotSlash(x), rootRelative, false); });
  }

  Result<void> push(FileMount m) {
    if (++count_ > kMaxMountedFiles) {
      return std::unexpected(fail("`files` names more than " + std::to_string(kMaxMountedFiles) + " files"));
    }
    mounts_.push_back(std::move(m));
    return {};
  }

  // Every regular file below `dir`, mounted under `destination` with its path relative to
  // `dir`, minus the excluded ones (matched by their path relative to the app's folder).
  Result<void> addTree(const fs::path& dir, const std::string& destination) {
    std::vector<fs::path> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::error_code fileEc;
      if (it->is_regular_file(fileEc)) files.push_back(it->path());
      if (files.size() > kMaxMountedFiles) break;
    }
    if (ec) return std::unexpected(fail("cannot list `" + dir.string() + "`: " + ec.message()));
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::string fromRoot = f.lexically_relative(root_).generic_string();
      if (excluded(fromRoot)) continue;
      std::string rel = f.lexically_relative(dir).generic_string();
      BANTAM_TRY(push({f, joinGuest(destination, rel), false}));
    }
    return {};
  }

  static std::string joinGuest(const std::string& dir, const std::string& rel) {
    if (dir.empty() || dir == "/") return "/" + rel;
    return dir.back() == '/' ? dir + rel : dir + "/" + rel;
  }

  Result<void> addPattern(const std::string& written) {
    std::string pattern = stripDotSlash(written);
    if (pattern == ".." || pattern.ends_with("/..") || pattern == "." || pattern.ends_with("/.") || pattern.empty()) {
      return std::unexpected(fail("`files` pattern `" + written +
                                  "` names a directory by `.` or `..`; to include a directory, use the { source, "
                                  "destination } form or a pattern ending in `**/*`"));
    }
    if (pattern.front() == '/' || hasParentComponent(pattern)) {
      return std::unexpected(
          fail("`files` pattern `" + written + "` leaves the application's folder; files must be inside it"));
    }
    fs::path literal = root_ / pattern;
    std::error_code ec;
    fs::file_status st = fs::status(literal, ec);
    if (!ec && fs::is_directory(st)) {
      if (exclude_.empty()) return push({literal, "/" + pattern, true});
      return addTree(literal, "/" + pattern);
    }
    if (!ec && fs::exists(st)) {
      if (excluded(pattern)) return {};
      return push({literal, "/" + pattern, false});
    }
    if (!looksLikeGlob(pattern)) {
      return std::unexpected(
          fail("`files` entry `" + written + "` does not exist and doesn't appear to be a glob pattern"));
    }
    // Walk from the longest literal folder prefix and match every file's root-relative path.
    std::string prefix;
    size_t start = 0;
    while (true) {
      size_t slash = pattern.find('/', start);
      if (slash == std::string::npos) break;
      std::string_view part(pattern.data() + start, slash - start);
      if (looksLikeGlob(part)) break;
      prefix = pattern.substr(0, slash);
      start = slash + 1;
    }
    fs::path base = prefix.empty() ? root_ : root_ / prefix;
    if (!fs::is_directory(base, ec)) return {};  // nothing can match
    std::vector<fs::path> files;
    fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied, ec), end;
    size_t walked = 0;
    for (; !ec && it != end; it.increment(ec)) {
      if (++walked > 10 * kMaxMountedFiles) {
        return std::unexpected(fail("`files` pattern `" + written + "` walks more than " +
                                    std::to_string(10 * kMaxMountedFiles) + " entries"));
      }
      std::error_code fileEc;
      if (!it->is_regular_file(fileEc)) continue;
      std::string rel = it->path().lexically_relative(root_).generic_string();
      if (globMatch(pattern, rel, true)) files.push_back(it->path());
    }
    if (ec) return std::unexpected(fail("cannot list `" + base.string() + "`: " + ec.message()));
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::string rel = f.lexically_relative(root_).generic_string();
      if (excluded(rel)) continue;
      BANTAM_TRY(push({f, "/" + rel, false}));
    }
    return {};
  }

  Result<void> addPlacement(const std::string& source, const std::string& destination) {
    if (destination.empty() || destination.front() != '/') {
      return std::unexpected(fail("`files` destination `" + destination + "` must be an absolute guest path (start with `/`)"));
    }
    fs::path src = (root_ / source).lexically_normal();
    std::error_code ec;
    fs::file_status st = fs::status(src, ec);
    if (ec || !fs::exists(st)) {
      return std::unexpected(fail("`files` source `" + source + "` does not exist (looked for " + src.string() + ")"));
    }
    if (fs::is_directory(st)) {
      if (exclude_.empty()) return push({src, destination, true});
      return addTree(src, destination);
    }
    if (destination.back() == '/') {
      return std::unexpected(fail("`files` destination `" + destination + "` is not a valid file name for the file `" + source + "`"));
    }
    std::string fromRoot = src.lexically_relative(root_).generic_string();
    if (excluded(fromRoot)) return {};
    return push({src, destination, false});
  }

  const Context& ctx_;
  const fs::path& root_;
  const std::vector<std::string>& exclude_;
  std::vector<FileMount> mounts_;
  size_t count_ = 0;
  uint32_t line_ = 0;
};

}  // namespace

bool looksLikeGlob(std::string_view text) { return text.find_first_of("*?[") != std::string_view::npos; }

bool globMatch(std::string_view pattern, std::string_view path, bool literalSeparator) {
  // The memo is |pattern|·|path| bytes: refuse absurd sizes rather than allocate them.
  if (pattern.size() > 4096 || path.size() > 4096) return false;
  return Matcher(pattern, path, literalSeparator).run();
}

Result<std::vector<FileMount>> expandFiles(const Context& ctx, const fs::path& root,
                                           const std::vector<FilesEntry>& entries,
                                           const std::vector<std::string>& exclude) {
  Expander x(ctx, root, exclude);
  for (const FilesEntry& e : entries) BANTAM_TRY(x.add(e));
  return x.take();
}

}  // namespace bantam::platform::manifest
