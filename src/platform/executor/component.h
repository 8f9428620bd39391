// A component ready to serve: its module compiled, its imports resolved against the host APIs
// it may use, its InstancePre (copy-on-write memory images) and instance pool built, its files
// loaded into a read-only in-memory view, and its log files open. Shared by every executor kind.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "platform/app.h"
#include "platform/executor/wasi_imports.h"
#include "runtime/pool.h"
#include "wasi/memory_fs.h"
#include "wasi/system.h"

namespace bantam::platform {

struct ComponentOptions {
  std::filesystem::path logDir;               // <id>_stdout.txt and <id>_stderr.txt go here
  bool console = false;                       // also copy the component's output to our stdout/stderr
  std::map<std::string, std::string> env;     // added to (and overriding) the manifest's environment
  runtime::StoreLimits limits;                // per instance
  runtime::PoolOptions pool;
  uint64_t maxFilesBytes = uint64_t{1} << 30; // the in-memory view of `files`
};

// Where a component's stdout or stderr goes: its log file (appended, as Spin's
// .spin/logs/<id>_<stream>.txt) and, when followed, the console.
class LogSink {
 public:
  LogSink(int fileFd, int consoleFd) : fileFd_(fileFd), consoleFd_(consoleFd) {}
  ~LogSink();
  void write(const void* data, size_t size);

 private:
  std::mutex mutex_;
  int fileFd_;
  int consoleFd_;  // -1: not followed
};

// A WASI stdout/stderr that appends to a LogSink (null: written nowhere). Used by the WAGI and
// wasi:http executors and for a component's dependencies.
std::unique_ptr<wasi::File> logSinkFile(std::shared_ptr<LogSink> sink);

class PreparedComponent {
 public:
  static Result<std::unique_ptr<PreparedComponent>> prepare(runtime::Engine& engine, const WasiHost& host,
                                                            const Component& component,
                                                            const ComponentOptions& options);
  const std::string& id() const { return id_; }
  runtime::InstancePool& pool() { return *pool_; }
  const runtime::CompiledModule& module() const { return *pre_->module(); }
  // "KEY=VALUE" for the manifest's environment with the server's additions; keys alongside.
  const std::vector<std::string>& environment() const { return env_; }
  const std::vector<std::string>& environmentKeys() const { return envKeys_; }
  // A read-only root of the component's files, or nullptr when it has none.
  std::unique_ptr<wasi::Dir> filesRoot() const { return files_ ? files_->root(true) : nullptr; }
  // WASI stdio for a request: appends to the log (and console).
  std::unique_ptr<wasi::File> stdoutLog() const;
  std::unique_ptr<wasi::File> stderrLog() const;
  const std::shared_ptr<wasi::Clocks>& clocks() const { return clocks_; }
  const std::shared_ptr<wasi::RandomSource>& random() const { return random_; }

 private:
  PreparedComponent() = default;
  std::string id_;
  std::shared_ptr<const runtime::InstancePre> pre_;
  std::unique_ptr<runtime::InstancePool> pool_;
  std::shared_ptr<wasi::MemFilesystem> files_;
  std::vector<std::string> env_, envKeys_;
  std::shared_ptr<LogSink> stdout_, stderr_;
  std::shared_ptr<wasi::Clocks> clocks_;
  std::shared_ptr<wasi::RandomSource> random_;
};

// Loads `mounts` into `fs` (files copied, directories recursively), for a component's view.
Result<void> loadFiles(wasi::MemFilesystem& fs, const std::vector<FileMount>& mounts, const std::string& componentId);

}  // namespace bantam::platform
