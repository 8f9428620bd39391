/* Files and directories through wasi-libc: create, write, read, seek/tell, pread/pwrite,
   truncate, allocate, advise, sync, append mode, stat, symlinks, hard links, rename, times,
   directory listing, removal, and the errno of common mistakes. Leaves DIR/keep.txt behind.
   usage: files DIR */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"

static char path_buf[4][512];
static const char* P(int slot, const char* dir, const char* rel) {
  snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", dir, rel);
  return path_buf[slot];
}

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char* root = argv[1];
  char work[512];
  snprintf(work, sizeof work, "%s/work", root);
  REPORT("mkdir work", mkdir(work, 0755));

  /* stdio */
  FILE* f = fopen(P(0, work, "a.txt"), "w");
  printf("fopen w: %s\n", f ? "OK" : errname(errno));
  fputs("hello from stdio\n", f);
  fclose(f);
  f = fopen(P(0, work, "a.txt"), "r");
  char line[128] = {0};
  fgets(line, sizeof line, f);
  fclose(f);
  printf("read back: %s", line);

  /* descriptors, positions */
  int fd = open(P(0, work, "b.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644);
  printf("open rw: %s\n", fd >= 0 ? "OK" : errname(errno));
  printf("write: %zd\n", write(fd, "0123456789", 10));
  printf("lseek set 3: %lld\n", (long long)lseek(fd, 3, SEEK_SET));
  char two[3] = {0};
  printf("read 2: %zd '%s'\n", read(fd, two, 2), two);
  printf("tell: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("lseek end -2: %lld\n", (long long)lseek(fd, -2, SEEK_END));
  long long bad = lseek(fd, -100, SEEK_CUR);
  printf("lseek before start: %lld %s\n", bad, errname(errno));
  printf("pwrite: %zd\n", pwrite(fd, "XY", 2, 1));
  char four[5] = {0};
  printf("pread: %zd '%s'\n", pread(fd, four, 4, 0), four);
  printf("tell after pread: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  struct stat st;
  REPORT("ftruncate 4", ftruncate(fd, 4));
  fstat(fd, &st);
  printf("size: %lld\n", (long long)st.st_size);
  REPORT("ftruncate 6", ftruncate(fd, 6));
  fstat(fd, &st);
  printf("size: %lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));
  printf("posix_fallocate: %s\n", errname(posix_fallocate(fd, 0, 100)));
  fstat(fd, &st);
  printf("size: %lld\n", (long long)st.st_size);
  printf("posix_fadvise: %s\n", errname(posix_fadvise(fd, 0, 100, POSIX_FADV_SEQUENTIAL)));
  REPORT("fsync", fsync(fd));
  REPORT("fdatasync", fdatasync(fd));
  close(fd);
  ssize_t got = read(fd, two, 1);
  printf("read closed: %zd %s\n", got, errname(errno));

  /* append mode, switched with fcntl */
  fd = open(P(0, work, "c.txt"), O_WRONLY | O_CREAT | O_APPEND, 0644);
  write(fd, "1", 1);
  printf("append flag: %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
  lseek(fd, 0, SEEK_SET);
  write(fd, "2", 1);
  REPORT("fcntl setfl 0", fcntl(fd, F_SETFL, 0));
  lseek(fd, 0, SEEK_SET);
  write(fd, "3", 1);
  close(fd);
  f = fopen(P(0, work, "c.txt"), "r");
  memset(line, 0, sizeof line);
  fgets(line, sizeof line, f);
  fclose(f);
  printf("c.txt: %s\n", line);

  /* symlinks and hard links */
  REPORT("symlink", symlink("b.bin", P(0, work, "link")));
  char target[64] = {0};
  printf("readlink: %zd '%s'\n", readlink(P(0, work, "link"), target, sizeof target - 1), target);
  stat(P(0, work, "link"), &st);
  printf("stat link: regular=%d size=%lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
  lstat(P(0, work, "link"), &st);
  printf("lstat link: symlink=%d size=%lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
  fd = open(P(0, work, "link"), O_RDONLY);
  memset(four, 0, sizeof four);
  read(fd, four, 4);
  close(fd);
  printf("through link: '%s'\n", four);
  REPORT("open nofollow", open(P(0, work, "link"), O_RDONLY | O_NOFOLLOW));
  REPORT("link", link(P(0, work, "b.bin"), P(1, work, "hard")));
  struct stat a, b;
  stat(P(0, work, "b.bin"), &a);
  stat(P(0, work, "hard"), &b);
  printf("hard link: nlink=%lld same_ino=%d\n", (long long)a.st_nlink, a.st_ino == b.st_ino);

  /* rename, times */
  REPORT("rename", rename(P(0, work, "a.txt"), P(1, work, "renamed.txt")));
  printf("old name: %s\n", access(P(0, work, "a.txt"), F_OK) == 0 ? "exists" : errname(errno));
  struct timespec ts[2] = {{1000, 0}, {2000, 500}};
  REPORT("utimensat", utimensat(AT_FDCWD, P(0, work, "renamed.txt"), ts, 0));
  stat(P(0, work, "renamed.txt"), &st);
  printf("times: atime=%lld mtime=%lld mtime_ns=%ld\n", (long long)st.st_atim.tv_sec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  fd = open(P(0, work, "renamed.txt"), O_RDWR);
  struct timespec ts2[2] = {{0, UTIME_OMIT}, {3000, 0}};
  REPORT("futimens", futimens(fd, ts2));
  close(fd);
  stat(P(0, work, "renamed.txt"), &st);
  printf("times: atime=%lld mtime=%lld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);

  /* directories */
  REPORT("mkdir sub", mkdir(P(0, work, "sub"), 0755));
  REPORT("mkdir sub/deeper", mkdir(P(0, work, "sub/deeper"), 0755));
  DIR* d = opendir(work);
  char* names[64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL && n < 64) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("listing:");
  for (int i = 0; i < n; ++i) printf(" %s", names[i]);
  printf("\n");

  /* mistakes */
  REPORT("open missing", open(P(0, work, "missing"), O_RDONLY));
  REPORT("open under a file", open(P(0, work, "b.bin/x"), O_RDONLY));
  REPORT("mkdir existing", mkdir(P(0, work, "sub"), 0755));
  REPORT("create exclusive existing", open(P(0, work, "b.bin"), O_WRONLY | O_CREAT | O_EXCL, 0644));
  REPORT("open directory for writing", open(P(0, work, "sub"), O_WRONLY));
  REPORT("rmdir non-empty", rmdir(P(0, work, "sub")));
  REPORT("unlink a directory", unlink(P(0, work, "sub")));
  REPORT("rmdir a file", rmdir(P(0, work, "b.bin")));
  REPORT("rename file onto directory", rename(P(0, work, "b.bin"), P(1, work, "sub")));

  /* clean up everything but keep.txt */
  const char* files[] = {"renamed.txt", "b.bin", "c.txt", "link", "hard"};
  for (int i = 0; i < 5; ++i) REPORT(files[i], unlink(P(0, work, files[i])));
  REPORT("rmdir deeper", rmdir(P(0, work, "sub/deeper")));
  REPORT("rmdir sub", rmdir(P(0, work, "sub")));
  REPORT("rmdir work", rmdir(work));
  f = fopen(P(0, root, "keep.txt"), "w");
  fputs("kept by files.wasm\n", f);
  fclose(f);
  printf("isatty(stdout)=%d\n", isatty(1));
  printf("done\n");
  return 0;
}
