// sock_accept, sock_recv, sock_send, sock_shutdown on pre-opened sockets.
#include "wasi/preview1_util.h"

namespace bantam::wasi::p1 {

namespace {

bool isSocket(const FdEntry& e) {
  return e.file && (e.file->filetype() == Filetype::SocketStream || e.file->filetype() == Filetype::SocketDgram);
}

// A socket descriptor with `rights`; anything else that exists is ENOTSOCK.
WasiResult<File*> socketOf(WasiCtx& ctx, uint32_t fd, uint64_t rights) {
  FdEntry* e = BANTAM_TRY(entryOf(ctx, fd));
  if (!isSocket(*e)) return err(Errno::Notsock);
  BANTAM_TRY(needRights(*e, rights));
  return e->file.get();
}

// What an accepted connection may do.
constexpr uint64_t kConnectionRights = rights::kFdRead | rights::kFdWrite | rights::kSockShutdown |
                                       rights::kPollFdReadwrite | rights::kFdFdstatSetFlags |
                                       rights::kFdFilestatGet;

}  // namespace

Errno sockAccept(WasiCtx& ctx, M mem, uint32_t fd, uint32_t flags, uint32_t fdOut) {
  if (flags & ~uint32_t{fdflags::kAll}) return Errno::Inval;
  File* s = BANTAM_WASI_TRY(socketOf(ctx, fd, rights::kSockAccept));
  BANTAM_WASI_TRY(needOut(mem, fdOut, 4));
  std::unique_ptr<File> conn = BANTAM_WASI_TRY(s->accept(static_cast<uint16_t>(flags)));
  FdEntry e;
  e.file = std::move(conn);
  e.rightsBase = e.rightsInheriting = kConnectionRights;
  uint32_t newFd = BANTAM_WASI_TRY(ctx.fds().push(std::move(e)));
  BANTAM_WASI_TRY(mem.store<uint32_t>(fdOut, newFd));
  return Errno::Success;
}

Errno sockRecv(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t riflags, uint32_t sizeOut,
               uint32_t roflagsOut) {
  if (riflags & ~uint32_t{kRecvPeek | kRecvWaitall}) return Errno::Inval;
  File* s = BANTAM_WASI_TRY(socketOf(ctx, fd, rights::kFdRead));
  BANTAM_WASI_TRY(needOut(mem, sizeOut, 4));
  BANTAM_WASI_TRY(needOut(mem, roflagsOut, 2));
  auto bufs = BANTAM_WASI_TRY(mem.iovecs(iovs, iovsLen));
  auto [n, ro] = BANTAM_WASI_TRY(s->recv(bufs, static_cast<uint16_t>(riflags)));
  BANTAM_WASI_TRY(mem.store<uint32_t>(sizeOut, static_cast<uint32_t>(n)));
  BANTAM_WASI_TRY(mem.store<uint16_t>(roflagsOut, ro));
  return Errno::Success;
}

Errno sockSend(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t siflags, uint32_t sizeOut) {
  if (siflags != 0) return Errno::Inval;  // $siflags defines no flags
  File* s = BANTAM_WASI_TRY(socketOf(ctx, fd, rights::kFdWrite));
  BANTAM_WASI_TRY(needOut(mem, sizeOut, 4));
  auto bufs = BANTAM_WASI_TRY(mem.iovecs(iovs, iovsLen));
  uint64_t n = BANTAM_WASI_TRY(s->send(bufs, 0));
  BANTAM_WASI_TRY(mem.store<uint32_t>(sizeOut, static_cast<uint32_t>(n)));
  return Errno::Success;
}

Errno sockShutdown(WasiCtx& ctx, M mem, uint32_t fd, uint32_t how) {
  if (how == 0 || (how & ~uint32_t{kShutRd | kShutWr})) return Errno::Inval;
  File* s = BANTAM_WASI_TRY(socketOf(ctx, fd, rights::kSockShutdown));
  BANTAM_WASI_TRY(s->shutdown(static_cast<uint8_t>(how)));
  return Errno::Success;
}

}  // namespace bantam::wasi::p1
