/* A large directory: creates N files, lists them with readdir (which reads fd_readdir in
   pieces and resumes from cookies), checks telldir/seekdir and rewinddir, and removes them.
   usage: readdir DIR N */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"

static int count(DIR* d, int* files, int* dots) {
  struct dirent* e;
  int total = 0;
  *files = *dots = 0;
  while ((e = readdir(d)) != NULL) {
    ++total;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) ++*dots;
    else if (strncmp(e->d_name, "f", 1) == 0 && e->d_type == DT_REG) ++*files;
  }
  return total;
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  int n = atoi(argv[2]);
  char dir[512], path[600];
  snprintf(dir, sizeof dir, "%s/big", argv[1]);
  if (mkdir(dir, 0755) != 0) {
    printf("mkdir: %s\n", errname(errno));
    return 1;
  }
  for (int i = 0; i < n; ++i) {
    snprintf(path, sizeof path, "%s/f%05d-with-a-longer-name-to-fill-buffers", dir, i);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
      printf("create %d: %s\n", i, errname(errno));
      return 1;
    }
    close(fd);
  }
  printf("created %d\n", n);

  DIR* d = opendir(dir);
  int files, dots;
  int total = count(d, &files, &dots);
  printf("listed %d entries: %d files, %d dot entries\n", total, files, dots);

  /* telldir/seekdir: remember a place, read on, come back, read the same names again. */
  rewinddir(d);
  for (int i = 0; i < n / 2; ++i) readdir(d);
  long here = telldir(d);
  char first[10][256];
  for (int i = 0; i < 10; ++i) {
    struct dirent* e = readdir(d);
    strcpy(first[i], e ? e->d_name : "(end)");
  }
  seekdir(d, here);
  int same = 1;
  for (int i = 0; i < 10; ++i) {
    struct dirent* e = readdir(d);
    same &= e && strcmp(first[i], e->d_name) == 0;
  }
  printf("seekdir returns to the same entries: %s\n", same ? "yes" : "no");
  rewinddir(d);
  printf("after rewinddir: %d entries\n", count(d, &files, &dots));
  closedir(d);

  int removed = 0;
  for (int i = 0; i < n; ++i) {
    snprintf(path, sizeof path, "%s/f%05d-with-a-longer-name-to-fill-buffers", dir, i);
    removed += unlink(path) == 0;
  }
  printf("removed %d\n", removed);
  d = opendir(dir);
  printf("left: %d entries\n", count(d, &files, &dots));
  closedir(d);
  REPORT("rmdir", rmdir(dir));
  return 0;
}
