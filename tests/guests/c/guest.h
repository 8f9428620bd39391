/* Helpers shared by the C guest programs: errno names (wasi-libc's errno values are WASI's),
   raw imports wasi-libc does not declare, and finding pre-opened directories by name. */
#ifndef BANTAM_GUEST_H
#define BANTAM_GUEST_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static inline const char* errname(int e) {
  switch (e) {
    case 0: return "OK";
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EFBIG: return "EFBIG";
    case EILSEQ: return "EILSEQ";
    case EINVAL: return "EINVAL";
    case EIO: return "EIO";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case EMFILE: return "EMFILE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOENT: return "ENOENT";
    case ENOSPC: return "ENOSPC";
    case ENOSYS: return "ENOSYS";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTSOCK: return "ENOTSOCK";
    case ENOTSUP: return "ENOTSUP";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case EOVERFLOW: return "EOVERFLOW";
    case EPERM: return "EPERM";
    case EPIPE: return "EPIPE";
    case ESPIPE: return "ESPIPE";
    case EXDEV: return "EXDEV";
    default: {
      static char buf[32];
      snprintf(buf, sizeof buf, "errno %d", e);
      return buf;
    }
  }
}

/* Prints "what: OK" or "what: ENAME" for a libc call that sets errno on failure. */
#define REPORT(what, expr)                                        \
  do {                                                            \
    errno = 0;                                                    \
    int report_ok_ = (expr) >= 0;                                 \
    printf("%s: %s\n", what, report_ok_ ? "OK" : errname(errno)); \
  } while (0)

/* Prints "what: ENAME" for a raw WASI call (which returns the errno). */
#define RAW(what, expr) printf("%s: %s\n", what, errname((int)(expr)))

/* proc_raise is not declared by Debian's wasi-libc. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) uint16_t
guest_proc_raise(uint32_t sig);

/* The descriptor of the pre-opened directory the guest knows as `name`, or -1. */
static inline int preopen_fd(const char* name) {
  for (__wasi_fd_t fd = 3; fd < 64; ++fd) {
    __wasi_prestat_t st;
    if (__wasi_fd_prestat_get(fd, &st) != 0) break;
    char buf[256];
    if (st.u.dir.pr_name_len >= sizeof buf) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t*)buf, st.u.dir.pr_name_len) != 0) continue;
    buf[st.u.dir.pr_name_len] = 0;
    if (strcmp(buf, name) == 0) return (int)fd;
  }
  return -1;
}

#endif
