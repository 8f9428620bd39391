/* The WASI calls wasi-libc hides or never makes, called directly, printing the errno of each:
   args/environ sizes, pre-open discovery, rights, renumbering, fd_readdir cookies and
   truncation, stream positions, flags, readlink truncation, invalid arguments.
   usage: wasi_raw ARG (pre-open: /work, writable and empty; env: GREETING) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"

#define ALL_RIGHTS ((__wasi_rights_t)((1ull << 30) - 1))

static __wasi_fd_t open_file(__wasi_fd_t dir, const char* path, __wasi_oflags_t o, __wasi_rights_t r) {
  __wasi_fd_t fd = 0;
  __wasi_errno_t e = __wasi_path_open(dir, 0, path, o, r, r, 0, &fd);
  if (e) printf("open %s: %s\n", path, errname(e));
  return fd;
}

int main(void) {
  __wasi_size_t count = 0, size = 0;
  RAW("args_sizes_get", __wasi_args_sizes_get(&count, &size));
  printf("args: %lu, %lu bytes\n", (unsigned long)count, (unsigned long)size);
  char* argv_buf = malloc(size);
  uint8_t** argv = malloc(count * sizeof *argv);
  RAW("args_get", __wasi_args_get(argv, (uint8_t*)argv_buf));
  printf("last arg: %s\n", (char*)argv[count - 1]);
  RAW("environ_sizes_get", __wasi_environ_sizes_get(&count, &size));
  char* env_buf = malloc(size);
  uint8_t** env = malloc(count * sizeof *env);
  RAW("environ_get", __wasi_environ_get(env, (uint8_t*)env_buf));
  for (__wasi_size_t i = 0; i < count; ++i)
    if (strncmp((char*)env[i], "GREETING=", 9) == 0) printf("env: %s\n", (char*)env[i]);
  RAW("args_get into unmapped memory", __wasi_args_get((uint8_t**)0xfffffff0u, (uint8_t*)argv_buf));

  /* Pre-opens: numbered from 3, prestat ends with EBADF. */
  __wasi_prestat_t pre;
  char name[64] = {0};
  RAW("fd_prestat_get 3", __wasi_fd_prestat_get(3, &pre));
  RAW("fd_prestat_dir_name", __wasi_fd_prestat_dir_name(3, (uint8_t*)name, pre.u.dir.pr_name_len));
  printf("preopen 3: %s (%lu bytes)\n", name, (unsigned long)pre.u.dir.pr_name_len);
  RAW("fd_prestat_dir_name too small", __wasi_fd_prestat_dir_name(3, (uint8_t*)name, 1));
  RAW("fd_prestat_get 4", __wasi_fd_prestat_get(4, &pre));
  RAW("fd_prestat_get stdout", __wasi_fd_prestat_get(1, &pre));

  __wasi_fdstat_t st;
  RAW("fd_fdstat_get dir", __wasi_fd_fdstat_get(3, &st));
  printf("dir filetype %u, may create files %s, may truncate by fd %s\n", st.fs_filetype,
         (st.fs_rights_base & __WASI_RIGHTS_PATH_CREATE_FILE) ? "yes" : "no",
         (st.fs_rights_base & __WASI_RIGHTS_FD_FILESTAT_SET_SIZE) ? "yes" : "no");
  RAW("fd_fdstat_get stdout", __wasi_fd_fdstat_get(1, &st));
  printf("stdout may seek: %s, may write: %s\n", (st.fs_rights_base & __WASI_RIGHTS_FD_SEEK) ? "yes" : "no",
         (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) ? "yes" : "no");

  /* Streams have no position. */
  __wasi_filesize_t pos = 0;
  __wasi_ciovec_t civ = {(const uint8_t*)"", 0};
  __wasi_size_t n = 0;
  RAW("fd_seek stdout", __wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos));
  RAW("fd_tell stdin", __wasi_fd_tell(0, &pos));
  RAW("fd_pwrite stdout", __wasi_fd_pwrite(1, &civ, 1, 0, &n));
  RAW("fd_sync stdout", __wasi_fd_sync(1));

  /* Files: rights only shrink; renumber; flags; allocate; times. */
  __wasi_fd_t f = open_file(3, "f.txt", __WASI_OFLAGS_CREAT, ALL_RIGHTS);
  __wasi_ciovec_t hello = {(const uint8_t*)"hello", 5};
  RAW("fd_write", __wasi_fd_write(f, &hello, 1, &n));
  RAW("fd_tell", __wasi_fd_tell(f, &pos));
  printf("position: %llu\n", (unsigned long long)pos);
  RAW("fd_advise", __wasi_fd_advise(f, 0, 5, __WASI_ADVICE_WILLNEED));
  RAW("fd_advise bad advice", __wasi_fd_advise(f, 0, 5, 9));
  RAW("fd_allocate", __wasi_fd_allocate(f, 0, 64));
  RAW("fd_datasync", __wasi_fd_datasync(f));
  RAW("fd_fdstat_set_flags append", __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_APPEND));
  RAW("fd_fdstat_get file", __wasi_fd_fdstat_get(f, &st));
  printf("flags: append=%d\n", (st.fs_flags & __WASI_FDFLAGS_APPEND) != 0);
  RAW("fd_fdstat_set_flags sync", __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_SYNC));
  RAW("fd_filestat_set_times", __wasi_fd_filestat_set_times(f, 0, 7000000000ull, __WASI_FSTFLAGS_MTIM));
  RAW("fd_filestat_set_times both", __wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
  __wasi_filestat_t fs;
  RAW("fd_filestat_get", __wasi_fd_filestat_get(f, &fs));
  printf("size %llu, mtim %llu, type %u\n", (unsigned long long)fs.size, (unsigned long long)fs.mtim, fs.filetype);
  RAW("fd_fdstat_set_rights drop write", __wasi_fd_fdstat_set_rights(f, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0));
  RAW("fd_write without the right", __wasi_fd_write(f, &hello, 1, &n));
  RAW("fd_fdstat_set_rights regain", __wasi_fd_fdstat_set_rights(f, ALL_RIGHTS, 0));
  char buf[16] = {0};
  __wasi_iovec_t iov = {(uint8_t*)buf, 5};
  RAW("fd_pread", __wasi_fd_pread(f, &iov, 1, 0, &n));
  printf("pread: %.*s\n", (int)n, buf);
  __wasi_fd_t g = open_file(3, "g.txt", __WASI_OFLAGS_CREAT, ALL_RIGHTS);
  RAW("fd_renumber", __wasi_fd_renumber(f, g));
  RAW("old number closed", __wasi_fd_close(f));
  RAW("fd_pread renumbered", __wasi_fd_pread(g, &iov, 1, 0, &n));
  printf("pread: %.*s\n", (int)n, buf);
  RAW("fd_renumber to a closed number", __wasi_fd_renumber(g, f));

  /* Paths: symlinks, readlink truncation, filestat without following. */
  RAW("path_symlink", __wasi_path_symlink("f.txt", 3, "link"));
  char target[4] = {0};
  RAW("path_readlink", __wasi_path_readlink(3, "link", (uint8_t*)target, 3, &n));
  printf("readlink into 3 bytes: %lu '%.*s'\n", (unsigned long)n, (int)n, target);
  RAW("path_filestat_get nofollow", __wasi_path_filestat_get(3, 0, "link", &fs));
  printf("link type %u size %llu\n", fs.filetype, (unsigned long long)fs.size);
  RAW("path_filestat_get follow", __wasi_path_filestat_get(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", &fs));
  printf("target type %u\n", fs.filetype);
  RAW("path_filestat_set_times", __wasi_path_filestat_set_times(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", 5, 6,
                                                               __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  RAW("path_open directory+create", __wasi_path_open(3, 0, "d", __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_CREAT, 0, 0, 0, &f));
  RAW("path_open bad lookup flags", __wasi_path_open(3, 2, "f.txt", 0, 0, 0, 0, &f));
  RAW("path_create_directory", __wasi_path_create_directory(3, "d"));
  RAW("path_rename", __wasi_path_rename(3, "link", 3, "d/link"));
  RAW("path_link", __wasi_path_link(3, 0, "f.txt", 3, "d/hard"));
  RAW("path_unlink_file dir", __wasi_path_unlink_file(3, "d"));
  RAW("path_remove_directory non-empty", __wasi_path_remove_directory(3, "d"));

  /* fd_readdir: cookies and a buffer that cuts entries. */
  __wasi_fd_t d = open_file(3, "d", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR);
  uint8_t dirbuf[256];
  __wasi_size_t used = 0;
  RAW("fd_readdir", __wasi_fd_readdir(d, dirbuf, sizeof dirbuf, 0, &used));
  int entries = 0;
  for (__wasi_size_t at = 0; at + sizeof(__wasi_dirent_t) <= used;) {
    __wasi_dirent_t* e = (__wasi_dirent_t*)(dirbuf + at);
    at += sizeof *e + e->d_namlen;
    ++entries;
  }
  printf("entries: %d (%s)\n", entries, used < sizeof dirbuf ? "complete" : "more");
  RAW("fd_readdir small buffer", __wasi_fd_readdir(d, dirbuf, 30, 0, &used));
  printf("used %lu of 30\n", (unsigned long)used);
  RAW("fd_readdir from cookie 3", __wasi_fd_readdir(d, dirbuf, sizeof dirbuf, 3, &used));
  printf("one entry left: %s\n", used == sizeof(__wasi_dirent_t) + 4 ? "yes" : "no");
  RAW("fd_readdir on a file", __wasi_fd_readdir(g, dirbuf, sizeof dirbuf, 0, &used));
  RAW("fd_close dir", __wasi_fd_close(d));

  RAW("path_unlink_file d/link", __wasi_path_unlink_file(3, "d/link"));
  RAW("path_unlink_file d/hard", __wasi_path_unlink_file(3, "d/hard"));
  RAW("path_remove_directory", __wasi_path_remove_directory(3, "d"));
  RAW("path_unlink_file f.txt", __wasi_path_unlink_file(3, "f.txt"));
  RAW("path_unlink_file g.txt", __wasi_path_unlink_file(3, "g.txt"));
  RAW("clock_res_get 7", __wasi_clock_res_get(7, &pos));
  RAW("close the pre-open", __wasi_fd_close(3));
  RAW("fd_prestat_get after close", __wasi_fd_prestat_get(3, &pre));
  printf("done\n");
  return 0;
}
