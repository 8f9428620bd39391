// The access log: one line per request in Apache's combined format plus the duration in seconds
// and the component id:
//   127.0.0.1 - - [27/Nov/2026:09:41:02 +0000] "GET /hello HTTP/1.1" 200 14 "-" "curl/8.0" 0.000412 hello
// Lines are buffered and written by a background thread every 100 ms (or when 64 KiB are
// waiting), so the request path never waits on the disk.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "common/error.h"

namespace bantam::platform {

struct AccessEntry {
  std::string_view remoteAddr;
  std::string_view method;
  std::string_view target;
  std::string_view version;  // "HTTP/1.1"
  unsigned status = 0;
  uint64_t bytes = 0;        // response body bytes
  std::string_view referer;  // empty: "-"
  std::string_view userAgent;
  uint64_t durationNs = 0;
  std::string_view component;  // empty: "-"
};

// Formats one line (with its newline) at wall-clock time `when`.
std::string formatAccessLine(const AccessEntry& entry, std::chrono::system_clock::time_point when);

class AccessLog {
 public:
  // `path` "-": standard output. Appends to an existing file.
  static Result<std::unique_ptr<AccessLog>> open(const std::filesystem::path& path);
  ~AccessLog();  // flushes
  void write(const AccessEntry& entry);
  void flush();

 private:
  explicit AccessLog(int fd, bool owned);
  void run();
  int fd_;
  bool owned_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string pending_;
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace bantam::platform
