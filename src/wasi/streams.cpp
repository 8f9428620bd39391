// Stdio streams.
#include "wasi/streams.h"

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace bantam::wasi {

HostStream::HostStream(int fd, bool readable, bool writable, bool owned)
    : fd_(fd), readable_(readable), writable_(writable), owned_(owned) {
  type_ = ::isatty(fd) ? Filetype::CharacterDevice : Filetype::Unknown;
}

HostStream::~HostStream() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

WasiResult<uint64_t> HostStream::read(std::span<const IoBuffer> bufs) {
  if (!readable_) return err(Errno::Badf);
  std::vector<struct iovec> iov(bufs.size());
  for (size_t i = 0; i < bufs.size(); ++i) iov[i] = {bufs[i].data(), bufs[i].size()};
  for (;;) {
    ssize_t n = ::readv(fd_, iov.data(), static_cast<int>(iov.size()));
    if (n >= 0) return static_cast<uint64_t>(n);
    if (errno != EINTR) return err(errnoFromHost(errno));
  }
}

WasiResult<uint64_t> HostStream::write(std::span<const IoBuffer> bufs) {
  if (!writable_) return err(Errno::Badf);
  // Everything is written before returning (as Wasmtime's blocking stdio writes): guests
  // printing to a pipe should not have to loop on short writes.
  uint64_t total = 0;
  for (const IoBuffer& b : bufs) {
    size_t done = 0;
    while (done < b.size()) {
      ssize_t n = ::write(fd_, b.data() + done, b.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (total + done > 0) return total + done;
        return err(errnoFromHost(errno));
      }
      done += static_cast<size_t>(n);
    }
    total += done;
  }
  return total;
}

WasiResult<uint64_t> MemoryInput::read(std::span<const IoBuffer> bufs) {
  uint64_t n = 0;
  for (const IoBuffer& b : bufs) {
    size_t k = std::min(b.size(), data_.size() - pos_);
    if (k) std::memcpy(b.data(), data_.data() + pos_, k);
    pos_ += k;
    n += k;
    if (k < b.size()) break;
  }
  return n;
}

Readiness MemoryInput::readiness(bool forWrite) {
  Readiness r{true, 0, false, -1};
  if (!forWrite) {
    r.nbytes = data_.size() - pos_;
    r.hangup = r.nbytes == 0;
  }
  return r;
}

WasiResult<uint64_t> MemoryOutput::write(std::span<const IoBuffer> bufs) {
  std::lock_guard lock(buffer_->mutex);
  uint64_t total = totalLength(bufs);
  if (total > limit_ - std::min(limit_, buffer_->data.size())) return err(Errno::Nospc);
  for (const IoBuffer& b : bufs) buffer_->data.append(reinterpret_cast<const char*>(b.data()), b.size());
  return total;
}

}  // namespace bantam::wasi
