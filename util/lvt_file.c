/*
** lvt_file.c -- small questions about files.
*/
#define _GNU_SOURCE   /* memmem */
#include "lvt_base.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int lvt_file_contains(const char *path, const char *needle) {
  struct stat st;
  void *map;
  int fd, found = 0;
  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) return 0;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      found = memmem(map, (size_t)st.st_size, needle, strlen(needle)) != NULL;
      munmap(map, (size_t)st.st_size);
    }
  }
  close(fd);
  return found;
}
