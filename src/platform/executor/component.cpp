// Preparing a component at start-up, its log sinks and its files view.
#include "platform/executor/component.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "wasi/streams.h"

namespace bantam::platform {

namespace {

std::unexpected<Error> ioError(std::string message, const std::string& componentId) {
  Error e = Error::make(ErrorKind::Io, std::move(message));
  e.context = "component \"" + componentId + "\"";
  return std::unexpected(std::move(e));
}

Result<std::string> readWholeFile(const std::filesystem::path& path, const std::string& componentId) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ioError("cannot read " + path.string() + ": " + std::strerror(errno), componentId);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

// A WASI stdout/stderr that appends to a component's LogSink.
class LogFile final : public wasi::File {
 public:
  explicit LogFile(std::shared_ptr<LogSink> sink) : sink_(std::move(sink)) {}
  wasi::Filetype filetype() const override { return wasi::Filetype::Unknown; }
  wasi::WasiResult<uint64_t> write(std::span<const wasi::IoBuffer> bufs) override {
    uint64_t total = 0;
    for (const wasi::IoBuffer& b : bufs) {
      if (sink_) sink_->write(b.data(), b.size());
      total += b.size();
    }
    return total;
  }

 private:
  std::shared_ptr<LogSink> sink_;
};

void writeAll(int fd, const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // a full disk or a closed console must not fail the guest's write
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}

std::string guestRelative(std::string_view destination) {
  while (!destination.empty() && destination.front() == '/') destination.remove_prefix(1);
  return std::string(destination);
}

}  // namespace

std::unique_ptr<wasi::File> logSinkFile(std::shared_ptr<LogSink> sink) {
  return std::make_unique<LogFile>(std::move(sink));
}

LogSink::~LogSink() {
  if (fileFd_ >= 0) ::close(fileFd_);
}

void LogSink::write(const void* data, size_t size) {
  std::lock_guard lock(mutex_);
  if (fileFd_ >= 0) writeAll(fileFd_, data, size);
  if (consoleFd_ >= 0) writeAll(consoleFd_, data, size);
}

Result<void> loadFiles(wasi::MemFilesystem& fs, const std::vector<FileMount>& mounts, const std::string& componentId) {
  auto place = [&](const std::filesystem::path& source, const std::string& dest) -> Result<void> {
    std::string contents = BANTAM_TRY(readWholeFile(source, componentId));
    if (auto w = fs.writeFile(dest, contents); !w)
      return ioError("cannot place " + source.string() + " at /" + dest + " in the component's files: " +
                         std::string(wasi::errnoName(w.error())),
                     componentId);
    return {};
  };
  for (const FileMount& mount : mounts) {
    std::string dest = guestRelative(mount.destination);
    if (!mount.isDirectory) {
      BANTAM_TRY(place(mount.source, dest));
      continue;
    }
    std::error_code ec;
    std::filesystem::recursive_directory_iterator it(mount.source, ec), end;
    if (ec) return ioError("cannot read directory " + mount.source.string() + ": " + ec.message(), componentId);
    if (!dest.empty()) fs.createDirectories(dest);
    for (; it != end; it.increment(ec)) {
      if (ec) return ioError("cannot read directory " + mount.source.string() + ": " + ec.message(), componentId);
      std::string rel = std::filesystem::relative(it->path(), mount.source).generic_string();
      std::string target = dest.empty() ? rel : dest + "/" + rel;
      if (it->is_directory()) {
        fs.createDirectories(target);
      } else if (it->is_regular_file()) {
        BANTAM_TRY(place(it->path(), target));
      }
    }
  }
  return {};
}

Result<std::unique_ptr<PreparedComponent>> PreparedComponent::prepare(runtime::Engine& engine, const WasiHost& host,
                                                                      const Component& component,
                                                                      const ComponentOptions& options) {
  std::unique_ptr<PreparedComponent> c(new PreparedComponent());
  c->id_ = component.id;
  auto named = [&](Error e) {
    if (e.context.empty()) e.context = "component \"" + component.id + "\"";
    return std::unexpected(std::move(e).withSource(component.source.string()));
  };

  if (!component.dependencies.empty()) {
    // Dependencies link component-model imports: a core module (WAGI) has none to link.
    Error e = Error::make(ErrorKind::Unsupported, "`dependencies` need a component run by the wasi:http executor; "
                                                  "this trigger runs a WASI preview 1 module (WAGI)");
    e.hint = "remove `executor = { type = \"wagi\" }` and build the component for the wasi:http/proxy world";
    return named(std::move(e));
  }
  std::string bytes = BANTAM_TRY(readWholeFile(component.source, component.id));
  auto compiled = runtime::compileModule(
      engine, std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), component.source.string());
  if (!compiled) return named(std::move(compiled.error()));
  auto imports = host.resolve((*compiled)->module);
  if (!imports)
    return named(std::move(imports.error())
                     .withHint("a WAGI component may import wasi_snapshot_preview1 functions only"));
  auto pre = runtime::InstancePre::create(engine, *compiled, std::move(*imports), options.limits);
  if (!pre) return named(std::move(pre.error()));
  c->pre_ = std::move(*pre);
  auto pool = runtime::InstancePool::create(c->pre_, options.pool);
  if (!pool) return named(std::move(pool.error()));
  c->pool_ = std::move(*pool);

  if (!component.files.empty()) {
    wasi::MemFilesystem::Options fsOptions;
    fsOptions.maxBytes = options.maxFilesBytes;
    c->files_ = wasi::MemFilesystem::create(fsOptions);
    BANTAM_TRY(loadFiles(*c->files_, component.files, component.id));
  }

  std::map<std::string, std::string> env = component.environment;
  for (const auto& [k, v] : options.env) env[k] = v;
  for (const auto& [k, v] : env) {
    c->env_.push_back(k + "=" + v);
    c->envKeys_.push_back(k);
  }

  std::error_code ec;
  std::filesystem::create_directories(options.logDir, ec);
  if (ec) return ioError("cannot create the log directory " + options.logDir.string() + ": " + ec.message(), c->id_);
  auto open = [&](const char* stream) -> Result<int> {
    std::filesystem::path p = options.logDir / (component.id + "_" + stream + ".txt");
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return ioError("cannot open " + p.string() + ": " + std::strerror(errno), c->id_);
    return fd;
  };
  c->stdout_ = std::make_shared<LogSink>(BANTAM_TRY(open("stdout")), options.console ? 1 : -1);
  c->stderr_ = std::make_shared<LogSink>(BANTAM_TRY(open("stderr")), options.console ? 2 : -1);
  c->clocks_ = std::make_shared<wasi::HostClocks>();
  c->random_ = std::make_shared<wasi::HostRandom>();
  return c;
}

std::unique_ptr<wasi::File> PreparedComponent::stdoutLog() const { return std::make_unique<LogFile>(stdout_); }
std::unique_ptr<wasi::File> PreparedComponent::stderrLog() const { return std::make_unique<LogFile>(stderr_); }

}  // namespace bantam::platform
