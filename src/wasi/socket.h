// Pre-opened host sockets for sock_accept/recv/send/shutdown. Preview 1 cannot create or
// connect sockets: the embedder opens them (`bantam run --tcplisten ADDR`), the guest gets a
// listening descriptor and accepts connections from it.
#pragma once

#include <memory>
#include <string>

#include "common/error.h"
#include "wasi/filesystem.h"
#include "wasi/host_path.h"

namespace bantam::wasi {

class HostSocket final : public File {
 public:
  HostSocket(UniqueFd fd, bool listener, Filetype type) : fd_(std::move(fd)), listener_(listener), type_(type) {}

  Filetype filetype() const override { return type_; }
  WasiResult<uint64_t> read(std::span<const IoBuffer> bufs) override;
  WasiResult<uint64_t> write(std::span<const IoBuffer> bufs) override;
  WasiResult<Filestat> stat() override;
  WasiResult<void> setFdflags(uint16_t flags) override;
  Readiness readiness(bool forWrite) override { return Readiness{false, 0, false, fd_.get()}; }

  WasiResult<std::unique_ptr<File>> accept(uint16_t fdflags) override;
  WasiResult<std::pair<uint64_t, uint16_t>> recv(std::span<const IoBuffer> bufs, uint16_t riflags) override;
  WasiResult<uint64_t> send(std::span<const IoBuffer> bufs, uint16_t siflags) override;
  WasiResult<void> shutdown(uint8_t how) override;
  bool isListener() const override { return listener_; }

  int fd() const { return fd_.get(); }

 private:
  UniqueFd fd_;
  bool listener_;
  Filetype type_;
};

// Binds and listens on "HOST:PORT" (IPv4 or [IPv6]; port 0 picks a free one).
Result<std::unique_ptr<HostSocket>> listenTcp(const std::string& address);
// The "HOST:PORT" a socket is bound to (for reporting a port-0 listener's port).
std::string localAddress(int fd);

}  // namespace bantam::wasi
