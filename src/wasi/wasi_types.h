// The types of wasi_snapshot_preview1 (typenames.witx): errno, rights and flag bits, enums, and
// the byte layout of every record the guest reads or writes in its linear memory (wasm32).
#pragma once

#include <cstdint>
#include <expected>
#include <string_view>

#include "common/error.h"  // BANTAM_TRY works for WasiResult too

namespace bantam::wasi {

// $errno, in witx order (the value is the index).
#define BANTAM_WASI_ERRNOS(X)                                                                      \
  X(Success, "success") X(TooBig, "2big") X(Acces, "acces") X(Addrinuse, "addrinuse")              \
  X(Addrnotavail, "addrnotavail") X(Afnosupport, "afnosupport") X(Again, "again")                   \
  X(Already, "already") X(Badf, "badf") X(Badmsg, "badmsg") X(Busy, "busy")                         \
  X(Canceled, "canceled") X(Child, "child") X(Connaborted, "connaborted")                           \
  X(Connrefused, "connrefused") X(Connreset, "connreset") X(Deadlk, "deadlk")                       \
  X(Destaddrreq, "destaddrreq") X(Dom, "dom") X(Dquot, "dquot") X(Exist, "exist")                   \
  X(Fault, "fault") X(Fbig, "fbig") X(Hostunreach, "hostunreach") X(Idrm, "idrm")                   \
  X(Ilseq, "ilseq") X(Inprogress, "inprogress") X(Intr, "intr") X(Inval, "inval") X(Io, "io")       \
  X(Isconn, "isconn") X(Isdir, "isdir") X(Loop, "loop") X(Mfile, "mfile") X(Mlink, "mlink")         \
  X(Msgsize, "msgsize") X(Multihop, "multihop") X(Nametoolong, "nametoolong")                       \
  X(Netdown, "netdown") X(Netreset, "netreset") X(Netunreach, "netunreach") X(Nfile, "nfile")       \
  X(Nobufs, "nobufs") X(Nodev, "nodev") X(Noent, "noent") X(Noexec, "noexec") X(Nolck, "nolck")     \
  X(Nolink, "nolink") X(Nomem, "nomem") X(Nomsg, "nomsg") X(Noprotoopt, "noprotoopt")               \
  X(Nospc, "nospc") X(Nosys, "nosys") X(Notconn, "notconn") X(Notdir, "notdir")                     \
  X(Notempty, "notempty") X(Notrecoverable, "notrecoverable") X(Notsock, "notsock")                 \
  X(Notsup, "notsup") X(Notty, "notty") X(Nxio, "nxio") X(Overflow, "overflow")                     \
  X(Ownerdead, "ownerdead") X(Perm, "perm") X(Pipe, "pipe") X(Proto, "proto")                       \
  X(Protonosupport, "protonosupport") X(Prototype, "prototype") X(Range, "range") X(Rofs, "rofs")   \
  X(Spipe, "spipe") X(Srch, "srch") X(Stale, "stale") X(Timedout, "timedout") X(Txtbsy, "txtbsy")   \
  X(Xdev, "xdev") X(Notcapable, "notcapable")

enum class Errno : uint16_t {
#define BANTAM_WASI_ERRNO_ENUM(name, text) name,
  BANTAM_WASI_ERRNOS(BANTAM_WASI_ERRNO_ENUM)
#undef BANTAM_WASI_ERRNO_ENUM
};

// "badf", "notcapable", ...: the witx name, for messages and test output.
std::string_view errnoName(Errno e);
// Maps a host errno value (Linux) to the WASI one; unknown values become Io.
Errno errnoFromHost(int hostErrno);

// Results inside the WASI implementation: a value or the errno returned to the guest.
template <class T>
using WasiResult = std::expected<T, Errno>;
inline std::unexpected<Errno> err(Errno e) { return std::unexpected(e); }

// $filetype
enum class Filetype : uint8_t {
  Unknown = 0,
  BlockDevice = 1,
  CharacterDevice = 2,
  Directory = 3,
  RegularFile = 4,
  SocketDgram = 5,
  SocketStream = 6,
  SymbolicLink = 7,
};

// $clockid
enum class ClockId : uint32_t { Realtime = 0, Monotonic = 1, ProcessCputime = 2, ThreadCputime = 3 };
constexpr uint32_t kClockIdCount = 4;

// $whence
enum class Whence : uint8_t { Set = 0, Cur = 1, End = 2 };

// $advice
enum class Advice : uint8_t { Normal = 0, Sequential = 1, Random = 2, WillNeed = 3, DontNeed = 4, NoReuse = 5 };

// $rights (u64 flags)
namespace rights {
constexpr uint64_t kFdDatasync = 1ull << 0;
constexpr uint64_t kFdRead = 1ull << 1;
constexpr uint64_t kFdSeek = 1ull << 2;
constexpr uint64_t kFdFdstatSetFlags = 1ull << 3;
constexpr uint64_t kFdSync = 1ull << 4;
constexpr uint64_t kFdTell = 1ull << 5;
constexpr uint64_t kFdWrite = 1ull << 6;
constexpr uint64_t kFdAdvise = 1ull << 7;
constexpr uint64_t kFdAllocate = 1ull << 8;
constexpr uint64_t kPathCreateDirectory = 1ull << 9;
constexpr uint64_t kPathCreateFile = 1ull << 10;
constexpr uint64_t kPathLinkSource = 1ull << 11;
constexpr uint64_t kPathLinkTarget = 1ull << 12;
constexpr uint64_t kPathOpen = 1ull << 13;
constexpr uint64_t kFdReaddir = 1ull << 14;
constexpr uint64_t kPathReadlink = 1ull << 15;
constexpr uint64_t kPathRenameSource = 1ull << 16;
constexpr uint64_t kPathRenameTarget = 1ull << 17;
constexpr uint64_t kPathFilestatGet = 1ull << 18;
constexpr uint64_t kPathFilestatSetSize = 1ull << 19;
constexpr uint64_t kPathFilestatSetTimes = 1ull << 20;
constexpr uint64_t kFdFilestatGet = 1ull << 21;
constexpr uint64_t kFdFilestatSetSize = 1ull << 22;
constexpr uint64_t kFdFilestatSetTimes = 1ull << 23;
constexpr uint64_t kPathSymlink = 1ull << 24;
constexpr uint64_t kPathRemoveDirectory = 1ull << 25;
constexpr uint64_t kPathUnlinkFile = 1ull << 26;
constexpr uint64_t kPollFdReadwrite = 1ull << 27;
constexpr uint64_t kSockShutdown = 1ull << 28;
constexpr uint64_t kSockAccept = 1ull << 29;
constexpr uint64_t kAll = (1ull << 30) - 1;

// What applies to a directory descriptor itself (the rest is dropped when a directory is
// opened: the spec lets path_open return fewer rights "if those rights do not apply").
constexpr uint64_t kDirectoryBase =
    kFdFdstatSetFlags | kFdSync | kFdAdvise | kPathCreateDirectory | kPathCreateFile | kPathLinkSource |
    kPathLinkTarget | kPathOpen | kFdReaddir | kPathReadlink | kPathRenameSource | kPathRenameTarget |
    kPathFilestatGet | kPathFilestatSetSize | kPathFilestatSetTimes | kFdFilestatGet | kFdFilestatSetTimes |
    kPathSymlink | kPathRemoveDirectory | kPathUnlinkFile;
// What applies to a regular file.
constexpr uint64_t kRegularFileBase = kFdDatasync | kFdRead | kFdSeek | kFdFdstatSetFlags | kFdSync | kFdTell |
                                      kFdWrite | kFdAdvise | kFdAllocate | kFdFilestatGet | kFdFilestatSetSize |
                                      kFdFilestatSetTimes | kPollFdReadwrite;
// Rights that modify the filesystem: removed from read-only preopens (and everything opened
// beneath them).
constexpr uint64_t kMutating = kFdDatasync | kFdWrite | kFdAllocate | kPathCreateDirectory | kPathCreateFile |
                               kPathLinkSource | kPathLinkTarget | kPathRenameSource | kPathRenameTarget |
                               kPathFilestatSetSize | kPathFilestatSetTimes | kFdFilestatSetSize |
                               kFdFilestatSetTimes | kPathSymlink | kPathRemoveDirectory | kPathUnlinkFile;
}  // namespace rights

// $fdflags (u16)
namespace fdflags {
constexpr uint16_t kAppend = 1 << 0;
constexpr uint16_t kDsync = 1 << 1;
constexpr uint16_t kNonblock = 1 << 2;
constexpr uint16_t kRsync = 1 << 3;
constexpr uint16_t kSync = 1 << 4;
constexpr uint16_t kAll = 0x1f;
}  // namespace fdflags

// $oflags (u16)
namespace oflags {
constexpr uint16_t kCreat = 1 << 0;
constexpr uint16_t kDirectory = 1 << 1;
constexpr uint16_t kExcl = 1 << 2;
constexpr uint16_t kTrunc = 1 << 3;
constexpr uint16_t kAll = 0xf;
}  // namespace oflags

// $lookupflags (u32)
constexpr uint32_t kLookupSymlinkFollow = 1;

// $fstflags (u16)
namespace fstflags {
constexpr uint16_t kAtim = 1 << 0;
constexpr uint16_t kAtimNow = 1 << 1;
constexpr uint16_t kMtim = 1 << 2;
constexpr uint16_t kMtimNow = 1 << 3;
constexpr uint16_t kAll = 0xf;
}  // namespace fstflags

// $eventtype, $subclockflags, $eventrwflags
enum class EventType : uint8_t { Clock = 0, FdRead = 1, FdWrite = 2 };
constexpr uint16_t kSubscriptionClockAbstime = 1;
constexpr uint16_t kEventFdReadwriteHangup = 1;

// $riflags, $roflags, $sdflags
constexpr uint16_t kRecvPeek = 1 << 0;
constexpr uint16_t kRecvWaitall = 1 << 1;
constexpr uint16_t kRecvDataTruncated = 1 << 0;
constexpr uint8_t kShutRd = 1 << 0;
constexpr uint8_t kShutWr = 1 << 1;

// $signal: the highest value ($sys).
constexpr uint32_t kSignalMax = 30;

// $preopentype
constexpr uint8_t kPreopenTypeDir = 0;

// Guest record layouts (wasm32: pointers and $size are 4 bytes, natural alignment).
namespace layout {
constexpr uint32_t kIovecSize = 8;  // buf u32 @0, buf_len u32 @4
constexpr uint32_t kFdstatSize = 24;
constexpr uint32_t kFdstatFiletype = 0, kFdstatFlags = 2, kFdstatRightsBase = 8, kFdstatRightsInheriting = 16;
constexpr uint32_t kFilestatSize = 64;
constexpr uint32_t kFilestatDev = 0, kFilestatIno = 8, kFilestatFiletype = 16, kFilestatNlink = 24,
                   kFilestatSize_ = 32, kFilestatAtim = 40, kFilestatMtim = 48, kFilestatCtim = 56;
constexpr uint32_t kDirentSize = 24;  // d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20
constexpr uint32_t kPrestatSize = 8;  // tag u8 @0, pr_name_len u32 @4
constexpr uint32_t kSubscriptionSize = 48;
constexpr uint32_t kSubUserdata = 0, kSubTag = 8, kSubClockId = 16, kSubClockTimeout = 24,
                   kSubClockPrecision = 32, kSubClockFlags = 40, kSubFd = 16;
constexpr uint32_t kEventSize = 32;
constexpr uint32_t kEventUserdata = 0, kEventError = 8, kEventType = 10, kEventNbytes = 16, kEventFlags = 24;
}  // namespace layout

}  // namespace bantam::wasi
