// The 46 functions of wasi_snapshot_preview1, one C++ function each, taking the guest's raw
// argument values (pointers and lengths unchecked: every one is checked here) and returning
// the errno the guest sees. Results go to the guest's out-pointers only on success. These are
// what the linker glue (wasi_linker.h) calls and what the unit tests call directly.
//
// Errno rules beyond the spec follow Wasmtime: EBADF for a descriptor of the wrong kind
// (path_open on a file: ENOTDIR), ESPIPE for positions on streams, EINVAL for invalid enum or
// flag values; rights are enforced as the spec describes (ENOTCAPABLE), and any guest pointer
// outside memory is EFAULT.
#pragma once

#include <cstdint>

#include "runtime/trap.h"
#include "wasi/guest_memory.h"
#include "wasi/system.h"
#include "wasi/wasi_ctx.h"

namespace bantam::wasi::p1 {

using M = const GuestMemory&;

// Arguments, environment, clocks, randomness, process (preview1_env.cpp).
Errno argsGet(WasiCtx& ctx, M mem, uint32_t argv, uint32_t argvBuf);
Errno argsSizesGet(WasiCtx& ctx, M mem, uint32_t argcOut, uint32_t bufSizeOut);
Errno environGet(WasiCtx& ctx, M mem, uint32_t environ, uint32_t environBuf);
Errno environSizesGet(WasiCtx& ctx, M mem, uint32_t countOut, uint32_t bufSizeOut);
Errno clockResGet(WasiCtx& ctx, M mem, uint32_t id, uint32_t resolutionOut);
Errno clockTimeGet(WasiCtx& ctx, M mem, uint32_t id, uint64_t precision, uint32_t timeOut);
Errno randomGet(WasiCtx& ctx, M mem, uint32_t buf, uint32_t bufLen);
// Never returns normally: the trap (TrapKind::Exit) unwinds the guest with the status.
runtime::Trap procExit(WasiCtx& ctx, M mem, uint32_t code);
Errno procRaise(WasiCtx& ctx, M mem, uint32_t signal);
Errno schedYield(WasiCtx& ctx, M mem);

// Descriptors (preview1_fd.cpp, preview1_fd_io.cpp).
Errno fdAdvise(WasiCtx& ctx, M mem, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice);
Errno fdAllocate(WasiCtx& ctx, M mem, uint32_t fd, uint64_t offset, uint64_t len);
Errno fdClose(WasiCtx& ctx, M mem, uint32_t fd);
Errno fdDatasync(WasiCtx& ctx, M mem, uint32_t fd);
Errno fdFdstatGet(WasiCtx& ctx, M mem, uint32_t fd, uint32_t statOut);
Errno fdFdstatSetFlags(WasiCtx& ctx, M mem, uint32_t fd, uint32_t flags);
Errno fdFdstatSetRights(WasiCtx& ctx, M mem, uint32_t fd, uint64_t base, uint64_t inheriting);
Errno fdFilestatGet(WasiCtx& ctx, M mem, uint32_t fd, uint32_t statOut);
Errno fdFilestatSetSize(WasiCtx& ctx, M mem, uint32_t fd, uint64_t size);
Errno fdFilestatSetTimes(WasiCtx& ctx, M mem, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fstFlags);
Errno fdPread(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint64_t offset, uint32_t nreadOut);
Errno fdPrestatGet(WasiCtx& ctx, M mem, uint32_t fd, uint32_t prestatOut);
Errno fdPrestatDirName(WasiCtx& ctx, M mem, uint32_t fd, uint32_t path, uint32_t pathLen);
Errno fdPwrite(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint64_t offset,
               uint32_t nwrittenOut);
Errno fdRead(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t nreadOut);
Errno fdReaddir(WasiCtx& ctx, M mem, uint32_t fd, uint32_t buf, uint32_t bufLen, uint64_t cookie, uint32_t usedOut);
Errno fdRenumber(WasiCtx& ctx, M mem, uint32_t fd, uint32_t to);
Errno fdSeek(WasiCtx& ctx, M mem, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newOffsetOut);
Errno fdSync(WasiCtx& ctx, M mem, uint32_t fd);
Errno fdTell(WasiCtx& ctx, M mem, uint32_t fd, uint32_t offsetOut);
Errno fdWrite(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t nwrittenOut);

// Paths (preview1_path.cpp).
Errno pathCreateDirectory(WasiCtx& ctx, M mem, uint32_t fd, uint32_t path, uint32_t pathLen);
Errno pathFilestatGet(WasiCtx& ctx, M mem, uint32_t fd, uint32_t flags, uint32_t path, uint32_t pathLen,
                      uint32_t statOut);
Errno pathFilestatSetTimes(WasiCtx& ctx, M mem, uint32_t fd, uint32_t flags, uint32_t path, uint32_t pathLen,
                           uint64_t atim, uint64_t mtim, uint32_t fstFlags);
Errno pathLink(WasiCtx& ctx, M mem, uint32_t oldFd, uint32_t oldFlags, uint32_t oldPath, uint32_t oldPathLen,
               uint32_t newFd, uint32_t newPath, uint32_t newPathLen);
Errno pathOpen(WasiCtx& ctx, M mem, uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t pathLen, uint32_t oflags,
               uint64_t rightsBase, uint64_t rightsInheriting, uint32_t fdflags, uint32_t fdOut);
Errno pathReadlink(WasiCtx& ctx, M mem, uint32_t fd, uint32_t path, uint32_t pathLen, uint32_t buf, uint32_t bufLen,
                   uint32_t usedOut);
Errno pathRemoveDirectory(WasiCtx& ctx, M mem, uint32_t fd, uint32_t path, uint32_t pathLen);
Errno pathRename(WasiCtx& ctx, M mem, uint32_t fd, uint32_t oldPath, uint32_t oldPathLen, uint32_t newFd,
                 uint32_t newPath, uint32_t newPathLen);
Errno pathSymlink(WasiCtx& ctx, M mem, uint32_t oldPath, uint32_t oldPathLen, uint32_t fd, uint32_t newPath,
                  uint32_t newPathLen);
Errno pathUnlinkFile(WasiCtx& ctx, M mem, uint32_t fd, uint32_t path, uint32_t pathLen);

// poll_oneoff (preview1_poll.cpp): clock and fd subscriptions. Blocking waits ask
// `interrupted` every few milliseconds and trap with TrapKind::Interrupted when it says so.
runtime::TrapOr<Errno> pollOneoff(WasiCtx& ctx, M mem, uint32_t in, uint32_t out, uint32_t nsubscriptions,
                                  uint32_t neventsOut, const InterruptCheck& interrupted = {});

// Sockets (preview1_sock.cpp).
Errno sockAccept(WasiCtx& ctx, M mem, uint32_t fd, uint32_t flags, uint32_t fdOut);
Errno sockRecv(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t riflags, uint32_t sizeOut,
               uint32_t roflagsOut);
Errno sockSend(WasiCtx& ctx, M mem, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t siflags, uint32_t sizeOut);
Errno sockShutdown(WasiCtx& ctx, M mem, uint32_t fd, uint32_t how);

}  // namespace bantam::wasi::p1
