// A WASI preview 1 context: what one guest instance is given (arguments, environment, stdio,
// pre-opened directories and sockets, clocks, randomness) and its descriptor table. Built
// from a WasiConfig; every capability in it is an injected object (STYLE rule 7).
//
// Descriptor numbers: 0 stdin, 1 stdout, 2 stderr, then the pre-opened directories in
// configuration order (3, 4, ...), then the pre-opened sockets. Sockets come last because
// wasi-libc stops scanning for pre-opened directories at the first descriptor that is not one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "wasi/filesystem.h"
#include "wasi/system.h"

namespace bantam::wasi {

struct PreopenDir {
  std::string guestPath;     // the name the guest sees (fd_prestat_dir_name), e.g. "/data" or "."
  std::unique_ptr<Dir> dir;  // host or in-memory directory
  bool readOnly = false;     // no rights that modify anything, here or beneath
};

struct WasiConfig {
  std::vector<std::string> args;  // args[0] is the program name
  std::vector<std::string> env;   // "KEY=VALUE"
  std::vector<PreopenDir> preopens;
  std::vector<std::unique_ptr<File>> sockets;  // pre-opened sockets (listening or connected)
  std::unique_ptr<File> stdinFile;             // null: empty input
  std::unique_ptr<File> stdoutFile;            // null: output dropped
  std::unique_ptr<File> stderrFile;            // null: output dropped
  std::shared_ptr<Clocks> clocks;              // null: HostClocks
  std::shared_ptr<RandomSource> random;        // null: HostRandom
  uint32_t maxOpenFds = 16384;                 // path_open/sock_accept past this: EMFILE
};

// One descriptor: a file or a directory, its rights, and for directories what fd_readdir
// listed last (cookies index into it, so a listing stays stable while it is read in pieces).
struct FdEntry {
  std::unique_ptr<File> file;
  std::unique_ptr<Dir> dir;
  uint64_t rightsBase = 0;
  uint64_t rightsInheriting = 0;
  std::optional<std::string> preopenPath;
  std::optional<std::vector<DirEntry>> listing;

  bool isDir() const { return dir != nullptr; }
};

class FdTable {
 public:
  explicit FdTable(uint32_t maxFds) : maxFds_(maxFds) {}
  FdEntry* get(uint32_t fd);
  // Inserts at the most recently freed number, or one past the highest (as Wasmtime).
  WasiResult<uint32_t> push(FdEntry entry);
  WasiResult<void> close(uint32_t fd);
  WasiResult<void> renumber(uint32_t from, uint32_t to);
  size_t size() const { return used_.size(); }

 private:
  std::map<uint32_t, FdEntry> used_;
  std::set<uint32_t> free_;
  uint32_t maxFds_;
};

class WasiCtx {
 public:
  // Checks the configuration: arguments and environment without NUL bytes, "KEY=VALUE"
  // entries with a non-empty key, non-empty guest paths.
  static Result<std::unique_ptr<WasiCtx>> create(WasiConfig config);

  const std::vector<std::string>& args() const { return args_; }
  const std::vector<std::string>& env() const { return env_; }
  FdTable& fds() { return fds_; }
  Clocks& clocks() { return *clocks_; }
  RandomSource& random() { return *random_; }

  // Set by proc_exit (the trap also carries it).
  std::optional<int32_t> exitCode;

 private:
  explicit WasiCtx(uint32_t maxFds) : fds_(maxFds) {}
  std::vector<std::string> args_;
  std::vector<std::string> env_;
  FdTable fds_;
  std::shared_ptr<Clocks> clocks_;
  std::shared_ptr<RandomSource> random_;
};

// The rights a pre-opened directory starts with (and may pass on).
uint64_t preopenRightsBase(bool readOnly);
uint64_t preopenRightsInheriting(bool readOnly);

}  // namespace bantam::wasi
