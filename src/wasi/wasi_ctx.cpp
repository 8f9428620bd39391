// The WASI context and its descriptor table.
#include "wasi/wasi_ctx.h"

#include "wasi/streams.h"

namespace bantam::wasi {

uint64_t preopenRightsBase(bool readOnly) {
  return rights::kDirectoryBase & ~(readOnly ? rights::kMutating : 0);
}

uint64_t preopenRightsInheriting(bool readOnly) {
  return (rights::kDirectoryBase | rights::kRegularFileBase) & ~(readOnly ? rights::kMutating : 0);
}

namespace {

// Stdio rights as Wasmtime reports them (read or write only, no seek/tell, which is what makes
// wasi-libc's isatty() true on a terminal), plus polling, flags and fd_filestat_get.
constexpr uint64_t kStdioCommon = rights::kPollFdReadwrite | rights::kFdFdstatSetFlags | rights::kFdFilestatGet;
constexpr uint64_t kStdinRights = rights::kFdRead | kStdioCommon;
constexpr uint64_t kStdoutRights = rights::kFdWrite | kStdioCommon;

uint64_t socketRights(const File& f) {
  if (f.isListener()) return rights::kSockAccept | kStdioCommon;
  return rights::kFdRead | rights::kFdWrite | rights::kSockShutdown | kStdioCommon;
}

}  // namespace

FdEntry* FdTable::get(uint32_t fd) {
  auto it = used_.find(fd);
  return it == used_.end() ? nullptr : &it->second;
}

WasiResult<uint32_t> FdTable::push(FdEntry entry) {
  if (used_.size() >= maxFds_) return err(Errno::Mfile);
  uint32_t fd;
  if (!free_.empty()) {
    fd = *free_.rbegin();
    free_.erase(std::prev(free_.end()));
  } else if (used_.empty()) {
    fd = 0;
  } else {
    uint32_t last = used_.rbegin()->first;
    if (last == INT32_MAX) return err(Errno::Mfile);  // descriptors stay below 2**31 (spec)
    fd = last + 1;
  }
  used_.emplace(fd, std::move(entry));
  return fd;
}

WasiResult<void> FdTable::close(uint32_t fd) {
  auto it = used_.find(fd);
  if (it == used_.end()) return err(Errno::Badf);
  used_.erase(it);
  free_.insert(fd);
  return {};
}

WasiResult<void> FdTable::renumber(uint32_t from, uint32_t to) {
  auto f = used_.find(from);
  auto t = used_.find(to);
  if (f == used_.end() || t == used_.end()) return err(Errno::Badf);
  if (from == to) return {};
  t->second = std::move(f->second);  // closes what `to` held
  used_.erase(f);
  free_.insert(from);
  return {};
}

Result<std::unique_ptr<WasiCtx>> WasiCtx::create(WasiConfig config) {
  auto bad = [](std::string message) { return fail(ErrorKind::Usage, std::move(message)); };
  for (const std::string& a : config.args)
    if (a.find('\0') != std::string::npos) return bad("a WASI argument contains a NUL byte");
  for (const std::string& e : config.env) {
    size_t eq = e.find('=');
    if (eq == std::string::npos || eq == 0)
      return bad("environment entry \"" + e + "\" is not KEY=VALUE with a non-empty KEY");
    if (e.find('\0') != std::string::npos) return bad("an environment entry contains a NUL byte");
  }
  for (const PreopenDir& p : config.preopens) {
    if (p.guestPath.empty()) return bad("a pre-opened directory needs a non-empty guest path");
    if (!p.dir) return bad("pre-opened directory \"" + p.guestPath + "\" has no directory");
  }

  std::unique_ptr<WasiCtx> ctx(new WasiCtx(std::max<uint32_t>(config.maxOpenFds, 3)));
  ctx->args_ = std::move(config.args);
  ctx->env_ = std::move(config.env);
  ctx->clocks_ = config.clocks ? std::move(config.clocks) : std::make_shared<HostClocks>();
  ctx->random_ = config.random ? std::move(config.random) : std::make_shared<HostRandom>();

  auto pushFile = [&](std::unique_ptr<File> f, uint64_t rights) -> Result<void> {
    FdEntry e;
    e.file = std::move(f);
    e.rightsBase = e.rightsInheriting = rights;
    if (!ctx->fds_.push(std::move(e))) return bad("too many pre-opened descriptors");
    return {};
  };
  BANTAM_TRY(pushFile(config.stdinFile ? std::move(config.stdinFile) : std::make_unique<MemoryInput>(""),
                      kStdinRights));
  BANTAM_TRY(pushFile(config.stdoutFile ? std::move(config.stdoutFile) : std::make_unique<NullOutput>(),
                      kStdoutRights));
  BANTAM_TRY(pushFile(config.stderrFile ? std::move(config.stderrFile) : std::make_unique<NullOutput>(),
                      kStdoutRights));
  for (PreopenDir& p : config.preopens) {
    FdEntry e;
    e.dir = std::move(p.dir);
    e.rightsBase = preopenRightsBase(p.readOnly);
    e.rightsInheriting = preopenRightsInheriting(p.readOnly);
    e.preopenPath = std::move(p.guestPath);
    if (!ctx->fds_.push(std::move(e))) return bad("too many pre-opened descriptors");
  }
  for (auto& s : config.sockets) {
    if (!s) continue;
    uint64_t r = socketRights(*s);
    BANTAM_TRY(pushFile(std::move(s), r));
  }
  return ctx;
}

}  // namespace bantam::wasi
