// Host sockets.
#include "wasi/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "wasi/host_fs.h"

namespace bantam::wasi {

namespace {

std::vector<struct iovec> hostIovecs(std::span<const IoBuffer> bufs) {
  std::vector<struct iovec> iov(bufs.size());
  for (size_t i = 0; i < bufs.size(); ++i) iov[i] = {bufs[i].data(), bufs[i].size()};
  return iov;
}

}  // namespace

WasiResult<uint64_t> HostSocket::read(std::span<const IoBuffer> bufs) {
  auto r = BANTAM_TRY(recv(bufs, 0));
  return r.first;
}

WasiResult<uint64_t> HostSocket::write(std::span<const IoBuffer> bufs) { return send(bufs, 0); }

WasiResult<Filestat> HostSocket::stat() {
  struct stat st;
  if (::fstat(fd_.get(), &st) != 0) return err(errnoFromHost(errno));
  Filestat s = filestatFromHost(st);
  s.type = type_;
  return s;
}

WasiResult<void> HostSocket::setFdflags(uint16_t flags) {
  if (flags & ~fdflags::kNonblock) return err(Errno::Inval);  // only NONBLOCK means anything here
  int fl = ::fcntl(fd_.get(), F_GETFL);
  if (fl < 0) return err(errnoFromHost(errno));
  fl = (flags & fdflags::kNonblock) ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
  if (::fcntl(fd_.get(), F_SETFL, fl) != 0) return err(errnoFromHost(errno));
  flags_ = flags;
  return {};
}

WasiResult<std::unique_ptr<File>> HostSocket::accept(uint16_t fdflags) {
  if (!listener_) return err(Errno::Inval);  // accept(2) on a connected socket: EINVAL
  if (fdflags & ~fdflags::kNonblock) return err(Errno::Inval);
  int f = SOCK_CLOEXEC | ((fdflags & fdflags::kNonblock) ? SOCK_NONBLOCK : 0);
  for (;;) {
    int fd = ::accept4(fd_.get(), nullptr, nullptr, f);
    if (fd >= 0) {
      auto s = std::make_unique<HostSocket>(UniqueFd(fd), false, type_);
      s->flags_ = fdflags;
      return std::unique_ptr<File>(std::move(s));
    }
    if (errno != EINTR) return err(errnoFromHost(errno));
  }
}

WasiResult<std::pair<uint64_t, uint16_t>> HostSocket::recv(std::span<const IoBuffer> bufs, uint16_t riflags) {
  if (riflags & ~(kRecvPeek | kRecvWaitall)) return err(Errno::Inval);
  if (listener_) return err(Errno::Notconn);
  auto iov = hostIovecs(bufs);
  struct msghdr msg = {};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  int f = ((riflags & kRecvPeek) ? MSG_PEEK : 0) | ((riflags & kRecvWaitall) ? MSG_WAITALL : 0);
  for (;;) {
    ssize_t n = ::recvmsg(fd_.get(), &msg, f);
    if (n >= 0) {
      uint16_t ro = (msg.msg_flags & MSG_TRUNC) ? kRecvDataTruncated : 0;
      return std::pair<uint64_t, uint16_t>{static_cast<uint64_t>(n), ro};
    }
    if (errno != EINTR) return err(errnoFromHost(errno));
  }
}

WasiResult<uint64_t> HostSocket::send(std::span<const IoBuffer> bufs, uint16_t siflags) {
  if (siflags != 0) return err(Errno::Inval);  // $siflags has no flags defined
  if (listener_) return err(Errno::Notconn);
  auto iov = hostIovecs(bufs);
  struct msghdr msg = {};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  for (;;) {
    // MSG_NOSIGNAL: a closed peer is EPIPE for the guest, never SIGPIPE for the host.
    ssize_t n = ::sendmsg(fd_.get(), &msg, MSG_NOSIGNAL);
    if (n >= 0) return static_cast<uint64_t>(n);
    if (errno != EINTR) return err(errnoFromHost(errno));
  }
}

WasiResult<void> HostSocket::shutdown(uint8_t how) {
  int h;
  switch (how) {
    case kShutRd: h = SHUT_RD; break;
    case kShutWr: h = SHUT_WR; break;
    case kShutRd | kShutWr: h = SHUT_RDWR; break;
    default: return err(Errno::Inval);
  }
  if (::shutdown(fd_.get(), h) != 0) return err(errnoFromHost(errno));
  return {};
}

Result<std::unique_ptr<HostSocket>> listenTcp(const std::string& address) {
  auto bad = [&](std::string why) {
    Error e = Error::make(ErrorKind::Usage, "cannot listen on \"" + address + "\": " + why);
    e.hint = "--tcplisten takes HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:0";
    return std::unexpected(std::move(e));
  };
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) return bad("no port");
  std::string host = address.substr(0, colon), port = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  struct addrinfo hints = {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  struct addrinfo* res = nullptr;
  int g = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &res);
  if (g != 0) return bad(::gai_strerror(g));
  std::string lastError = "no address";
  for (struct addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    UniqueFd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
    if (!fd) {
      lastError = std::strerror(errno);
      continue;
    }
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd.get(), 128) != 0) {
      lastError = std::strerror(errno);
      continue;
    }
    ::freeaddrinfo(res);
    return std::make_unique<HostSocket>(std::move(fd), true, Filetype::SocketStream);
  }
  ::freeaddrinfo(res);
  return bad(lastError);
}

std::string localAddress(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<struct sockaddr*>(&ss), &len) != 0) return "?";
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<struct sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    port = ntohs(a->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  auto* a = reinterpret_cast<struct sockaddr_in6*>(&ss);
  ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
  port = ntohs(a->sin6_port);
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

}  // namespace bantam::wasi
