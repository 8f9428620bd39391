// Access log lines and their background writer.
#include "platform/metrics/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace bantam::platform {

namespace {

constexpr size_t kFlushBytes = 64 * 1024;

// "[27/Nov/2026:09:41:02 +0000]" for the current second, formatted once per second per thread.
std::string_view timestamp(std::chrono::system_clock::time_point when) {
  thread_local time_t cachedSecond = -1;
  thread_local char cached[40];
  time_t now = std::chrono::system_clock::to_time_t(when);
  if (now != cachedSecond) {
    struct tm tm;
    gmtime_r(&now, &tm);
    std::strftime(cached, sizeof cached, "[%d/%b/%Y:%H:%M:%S +0000]", &tm);
    cachedSecond = now;
  }
  return cached;
}

// Quoted fields: '"' and '\' escaped, control characters as \xHH (as Apache does).
void appendQuoted(std::string& out, std::string_view v) {
  out.push_back('"');
  if (v.empty()) out.push_back('-');
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 32 || c == 127) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
}

void writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

std::string formatAccessLine(const AccessEntry& e, std::chrono::system_clock::time_point when) {
  std::string line;
  line.reserve(160 + e.target.size() + e.userAgent.size());
  line.append(e.remoteAddr.empty() ? "-" : e.remoteAddr).append(" - - ").append(timestamp(when)).push_back(' ');
  std::string request;
  request.append(e.method).append(" ").append(e.target).append(" ").append(e.version);
  appendQuoted(line, request);
  line.push_back(' ');
  line += std::to_string(e.status);
  line.push_back(' ');
  line += e.bytes == 0 ? std::string("-") : std::to_string(e.bytes);
  line.push_back(' ');
  appendQuoted(line, e.referer);
  line.push_back(' ');
  appendQuoted(line, e.userAgent);
  char duration[32];
  std::snprintf(duration, sizeof duration, " %.6f ", static_cast<double>(e.durationNs) / 1e9);
  line += duration;
  line.append(e.component.empty() ? "-" : e.component).push_back('\n');
  return line;
}

Result<std::unique_ptr<AccessLog>> AccessLog::open(const std::filesystem::path& path) {
  if (path == "-") return std::unique_ptr<AccessLog>(new AccessLog(1, false));
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return fail(ErrorKind::Io, "cannot open the access log " + path.string() + ": " + std::strerror(errno));
  return std::unique_ptr<AccessLog>(new AccessLog(fd, true));
}

AccessLog::AccessLog(int fd, bool owned) : fd_(fd), owned_(owned) { writer_ = std::thread([this] { run(); }); }

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
  if (owned_) ::close(fd_);
}

void AccessLog::write(const AccessEntry& entry) {
  std::string line = formatAccessLine(entry, std::chrono::system_clock::now());
  bool wake;
  {
    std::lock_guard lock(mutex_);
    pending_ += line;
    wake = pending_.size() >= kFlushBytes;
  }
  if (wake) wake_.notify_one();
}

void AccessLog::flush() {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out.swap(pending_);
  }
  writeAll(fd_, out);
}

void AccessLog::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_ || pending_.size() >= kFlushBytes; });
    std::string out;
    out.swap(pending_);
    bool stopping = stop_;
    lock.unlock();
    writeAll(fd_, out);
    if (stopping) return;
    lock.lock();
  }
}

}  // namespace bantam::platform
