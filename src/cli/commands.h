// The subcommands of `bantam`. Each returns the process exit status.
#pragma once

#include <string>
#include <vector>

#include "cli/wast_runner.h"

namespace bantam::cli {

struct RunOptions {
  std::string file;
  std::string invoke;               // export to call; empty: the WASI command entry `_start`
  std::vector<std::string> args;    // --invoke: the function's arguments
  uint64_t fuel = 0;                // 0: unlimited
  // WASI (see cmd_run.cpp for the syntax of each)
  std::vector<std::string> dirs;    // --dir HOST[::GUEST][:ro]
  std::vector<std::string> env;     // --env KEY=VALUE (or KEY: the host's value)
  bool inheritEnv = false;          // --inherit-env
  std::vector<std::string> tcpListen;  // --tcplisten HOST:PORT
  std::string maxMemory;            // --max-memory BYTES[K|M|G]
  std::string timeout;              // --timeout DURATION (10s, 500ms, 2m; a bare number is seconds)
};

int cmdRun(const RunOptions& options);
int cmdWast(const std::vector<std::string>& files, const WastOptions& options);
int cmdValidate(const std::vector<std::string>& files);
int cmdInspect(const std::string& file);

// Prints an error for the user ("bantam: error: ...") to stderr.
void printError(const Error& e);

}  // namespace bantam::cli
