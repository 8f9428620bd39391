/* What a hostile guest tries, with raw WASI calls so that the host's errno is seen exactly:
   "..", absolute paths, absolute and escaping symlinks, symlink loops, renames and hard links
   out of the sandbox, writes beneath a read-only directory. The e2e test then checks that
   nothing outside changed. usage: sandbox (pre-opens: /sandbox, /ro read-only) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest.h"

#define ALL_RIGHTS ((__wasi_rights_t)((1ull << 30) - 1))

static __wasi_errno_t try_open(int dir, const char* path, __wasi_oflags_t oflags, __wasi_rights_t rights,
                               __wasi_lookupflags_t lookup, __wasi_fd_t* out) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  __wasi_errno_t e = __wasi_path_open((__wasi_fd_t)dir, lookup, path, oflags, rights, rights, 0, &fd);
  if (out) *out = fd;
  else if (e == 0) (void)__wasi_fd_close(fd);
  return e;
}

int main(void) {
  int sb = preopen_fd("/sandbox"), ro = preopen_fd("/ro");
  printf("preopens found: %s\n", sb > 2 && ro > 2 ? "yes" : "no");
  const __wasi_lookupflags_t F = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;

  RAW("open ../outside/secret", try_open(sb, "../outside/secret", 0, __WASI_RIGHTS_FD_READ, F, 0));
  RAW("open ..", try_open(sb, "..", 0, 0, F, 0));
  RAW("open /etc/passwd", try_open(sb, "/etc/passwd", 0, __WASI_RIGHTS_FD_READ, F, 0));
  RAW("open sub/../../outside/secret", try_open(sb, "sub/../../outside/secret", 0, __WASI_RIGHTS_FD_READ, F, 0));
  RAW("mkdir ../planted", __wasi_path_create_directory(sb, "../planted"));
  RAW("symlink /etc/passwd", __wasi_path_symlink("/etc/passwd", sb, "abs"));
  RAW("symlink ..", __wasi_path_symlink("..", sb, "up"));
  RAW("open up/outside/secret", try_open(sb, "up/outside/secret", 0, __WASI_RIGHTS_FD_READ, F, 0));
  RAW("create up/outside/new", try_open(sb, "up/outside/new", __WASI_OFLAGS_CREAT, ALL_RIGHTS, F, 0));
  RAW("open host symlink etc/passwd", try_open(sb, "etc/passwd", 0, __WASI_RIGHTS_FD_READ, F, 0));
  RAW("symlink loop", __wasi_path_symlink("loop", sb, "loop"));
  RAW("open loop", try_open(sb, "loop", 0, __WASI_RIGHTS_FD_READ, F, 0));
  RAW("open symlink nofollow", try_open(sb, "up", 0, 0, 0, 0));

  __wasi_fd_t mine;
  RAW("create mine", try_open(sb, "mine", __WASI_OFLAGS_CREAT, ALL_RIGHTS, F, &mine));
  RAW("close mine", __wasi_fd_close(mine));
  RAW("rename mine ../stolen", __wasi_path_rename(sb, "mine", sb, "../stolen"));
  RAW("rename mine up/outside/stolen", __wasi_path_rename(sb, "mine", sb, "up/outside/stolen"));
  RAW("rename ../outside/secret in", __wasi_path_rename(sb, "../outside/secret", sb, "taken"));
  RAW("link mine ../hard", __wasi_path_link(sb, 0, "mine", sb, "../hard"));
  RAW("link up/outside/secret in", __wasi_path_link(sb, 0, "up/outside/secret", sb, "copy"));
  RAW("unlink up/outside/secret", __wasi_path_unlink_file(sb, "up/outside/secret"));
  RAW("stat up/", __wasi_path_filestat_get(sb, 0, "up/", &(__wasi_filestat_t){0}));
  RAW("set times up/outside", __wasi_path_filestat_set_times(sb, F, "up/outside", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));

  /* The read-only directory: reading works, nothing else. */
  __wasi_fd_t data;
  RAW("open ro/data.txt for writing", try_open(ro, "data.txt", 0, ALL_RIGHTS, F, &data));
  char buf[64] = {0};
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf - 1};
  __wasi_size_t n = 0;
  RAW("read ro/data.txt", __wasi_fd_read(data, &iov, 1, &n));
  printf("contents: %s", buf);
  __wasi_ciovec_t civ = {(const uint8_t*)"X", 1};
  RAW("write ro/data.txt", __wasi_fd_write(data, &civ, 1, &n));
  RAW("truncate ro/data.txt", __wasi_fd_filestat_set_size(data, 0));
  RAW("open ro/data.txt truncating", try_open(ro, "data.txt", __WASI_OFLAGS_TRUNC, 0, F, 0));
  RAW("create ro/new", try_open(ro, "new", __WASI_OFLAGS_CREAT, ALL_RIGHTS, F, 0));
  RAW("mkdir ro/dir", __wasi_path_create_directory(ro, "dir"));
  RAW("unlink ro/data.txt", __wasi_path_unlink_file(ro, "data.txt"));
  RAW("rename ro/data.txt", __wasi_path_rename(ro, "data.txt", ro, "moved"));
  RAW("rename ro/data.txt to sandbox", __wasi_path_rename(ro, "data.txt", sb, "moved"));
  RAW("symlink in ro", __wasi_path_symlink("data.txt", ro, "l"));
  RAW("set times in ro", __wasi_path_filestat_set_times(ro, 0, "data.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  __wasi_fdstat_t st;
  (void)__wasi_fd_fdstat_get(data, &st);
  printf("ro file may write: %s\n", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) ? "yes" : "no");
  FILE* f = fopen("/ro/data.txt", "w");
  printf("fopen /ro/data.txt w: %s\n", f ? "OK" : errname(errno));
  f = fopen("/etc/passwd", "r");  /* no pre-open matches: wasi-libc itself answers */
  printf("fopen /etc/passwd: %s\n", f ? "OK" : errname(errno));

  /* Descriptors the guest was not given. */
  RAW("fd_close 99", __wasi_fd_close(99));
  RAW("path_open with a file as directory", try_open(data, "x", 0, 0, F, 0));
  RAW("path_open relative to stdout", try_open(1, "x", 0, 0, F, 0));
  RAW("fd_read from a directory", __wasi_fd_read(sb, &iov, 1, &n));
  printf("done\n");
  return 0;
}
