// Module file loading for the CLI.
#include "cli/load.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasm/text/wat.h"
#ifdef BANTAM_HAVE_COMPILED
#include "compiled/compiled_engine.h"
#endif

namespace bantam::cli {

// POSIX reads, not std::ifstream: the stream's locale set-up alone was ~41 K instructions of
// an empty `bantam run` (callgrind), and istreambuf_iterator copies byte by byte.
Result<std::vector<uint8_t>> readFile(const std::string& path) {
  auto fail = [&](const char* what) {
    Error e = Error::make(ErrorKind::Io, std::string(what) + std::strerror(errno));
    e.source = path;
    e.hint = "check the path and that the file is readable";
    return std::unexpected(std::move(e));
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail("cannot open the file: ");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return fail("cannot open the file: ");
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    errno = EISDIR;
    return fail("cannot read the file: ");
  }
  std::vector<uint8_t> bytes;
  bytes.resize(S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) : 0);
  size_t used = 0;
  for (;;) {  // a regular file in one read; pipes and files that grow in chunks
    if (used == bytes.size()) bytes.resize(bytes.size() < 4096 ? 4096 : bytes.size() * 2);
    ssize_t n = ::read(fd, bytes.data() + used, bytes.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      ::close(fd);
      errno = saved;
      return fail("read failed: ");
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  bytes.resize(used);
  return bytes;
}

namespace {
// The module's binary from a file's content: the content itself, or the encoding of its text.
Result<std::vector<uint8_t>> moduleBytesOf(const std::string& path, std::vector<uint8_t> bytes) {
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), kMagic, 4) == 0) return bytes;
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  auto binary = wasm::text::parseWat(text, {path, 1});
  if (!binary) {
    Error e = std::move(binary.error());
    if (e.source.empty()) e.source = path;
    if (e.hint.empty())
      e.hint = "the file is neither a WebAssembly binary (it does not start with \\0asm) nor valid WAT text";
    return std::unexpected(std::move(e));
  }
  return binary;
}
}  // namespace

Result<std::vector<uint8_t>> loadModuleBytes(const std::string& path) {
  return moduleBytesOf(path, BANTAM_TRY(readFile(path)));
}

Result<std::shared_ptr<runtime::CompiledModule>> loadModule(runtime::Engine& engine, const std::string& path) {
#ifdef BANTAM_HAVE_COMPILED
  // A precompiled module (`bantam compile`): native code, no compilation.
  auto raw = BANTAM_TRY(readFile(path));
  if (compiled::isPrecompiled(raw)) return compiled::loadPrecompiled(engine, raw, path);
  auto bytes = BANTAM_TRY(moduleBytesOf(path, std::move(raw)));
#else
  auto bytes = BANTAM_TRY(loadModuleBytes(path));
#endif
  auto module = runtime::compileModule(engine, bytes, path);
  if (!module) {
    Error e = std::move(module.error());
    if (e.source.empty()) e.source = path;
    return std::unexpected(std::move(e));
  }
  return module;
}

}  // namespace bantam::cli
