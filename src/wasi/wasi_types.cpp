// The errno table: witx names and the mapping from host (Linux) errno values.
#include "wasi/wasi_types.h"

#include <cerrno>
#include <iterator>

namespace bantam::wasi {

std::string_view errnoName(Errno e) {
  static constexpr std::string_view kNames[] = {
#define BANTAM_WASI_ERRNO_NAME(name, text) text,
      BANTAM_WASI_ERRNOS(BANTAM_WASI_ERRNO_NAME)
#undef BANTAM_WASI_ERRNO_NAME
  };
  auto i = static_cast<size_t>(e);
  return i < std::size(kNames) ? kNames[i] : std::string_view("unknown");
}

Errno errnoFromHost(int e) {
  switch (e) {
    case 0: return Errno::Success;
    case E2BIG: return Errno::TooBig;
    case EACCES: return Errno::Acces;
    case EADDRINUSE: return Errno::Addrinuse;
    case EADDRNOTAVAIL: return Errno::Addrnotavail;
    case EAFNOSUPPORT: return Errno::Afnosupport;
    case EAGAIN: return Errno::Again;
    case EALREADY: return Errno::Already;
    case EBADF: return Errno::Badf;
    case EBADMSG: return Errno::Badmsg;
    case EBUSY: return Errno::Busy;
    case ECANCELED: return Errno::Canceled;
    case ECHILD: return Errno::Child;
    case ECONNABORTED: return Errno::Connaborted;
    case ECONNREFUSED: return Errno::Connrefused;
    case ECONNRESET: return Errno::Connreset;
    case EDEADLK: return Errno::Deadlk;
    case EDESTADDRREQ: return Errno::Destaddrreq;
    case EDOM: return Errno::Dom;
    case EDQUOT: return Errno::Dquot;
    case EEXIST: return Errno::Exist;
    case EFAULT: return Errno::Fault;
    case EFBIG: return Errno::Fbig;
    case EHOSTUNREACH: return Errno::Hostunreach;
    case EIDRM: return Errno::Idrm;
    case EILSEQ: return Errno::Ilseq;
    case EINPROGRESS: return Errno::Inprogress;
    case EINTR: return Errno::Intr;
    case EINVAL: return Errno::Inval;
    case EIO: return Errno::Io;
    case EISCONN: return Errno::Isconn;
    case EISDIR: return Errno::Isdir;
    case ELOOP: return Errno::Loop;
    case EMFILE: return Errno::Mfile;
    case EMLINK: return Errno::Mlink;
    case EMSGSIZE: return Errno::Msgsize;
    case EMULTIHOP: return Errno::Multihop;
    case ENAMETOOLONG: return Errno::Nametoolong;
    case ENETDOWN: return Errno::Netdown;
    case ENETRESET: return Errno::Netreset;
    case ENETUNREACH: return Errno::Netunreach;
    case ENFILE: return Errno::Nfile;
    case ENOBUFS: return Errno::Nobufs;
    case ENODEV: return Errno::Nodev;
    case ENOENT: return Errno::Noent;
    case ENOEXEC: return Errno::Noexec;
    case ENOLCK: return Errno::Nolck;
    case ENOLINK: return Errno::Nolink;
    case ENOMEM: return Errno::Nomem;
    case ENOMSG: return Errno::Nomsg;
    case ENOPROTOOPT: return Errno::Noprotoopt;
    case ENOSPC: return Errno::Nospc;
    case ENOSYS: return Errno::Nosys;
    case ENOTCONN: return Errno::Notconn;
    case ENOTDIR: return Errno::Notdir;
    case ENOTEMPTY: return Errno::Notempty;
    case ENOTRECOVERABLE: return Errno::Notrecoverable;
    case ENOTSOCK: return Errno::Notsock;
    case ENOTSUP: return Errno::Notsup;  // == EOPNOTSUPP on Linux
    case ENOTTY: return Errno::Notty;
    case ENXIO: return Errno::Nxio;
    case EOVERFLOW: return Errno::Overflow;
    case EOWNERDEAD: return Errno::Ownerdead;
    case EPERM: return Errno::Perm;
    case EPIPE: return Errno::Pipe;
    case EPROTO: return Errno::Proto;
    case EPROTONOSUPPORT: return Errno::Protonosupport;
    case EPROTOTYPE: return Errno::Prototype;
    case ERANGE: return Errno::Range;
    case EROFS: return Errno::Rofs;
    case ESPIPE: return Errno::Spipe;
    case ESRCH: return Errno::Srch;
    case ESTALE: return Errno::Stale;
    case ETIMEDOUT: return Errno::Timedout;
    case ETXTBSY: return Errno::Txtbsy;
    case EXDEV: return Errno::Xdev;
    default: return Errno::Io;
  }
}

}  // namespace bantam::wasi
