/*
** file_fixture.h -- file helpers the unit tests share: reading a whole file
** and counting the entries of a directory.
**
** Header-only (static inline: a test uses what it needs); include it once.
*/
#ifndef LVT_FILE_FIXTURE_H
#define LVT_FILE_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file at 'path', NUL-terminated (malloc'd; its length in '*n'),
** or NULL when it cannot be opened. */
static inline char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  char *b;
  long len;
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  len = ftell(f);
  fseek(f, 0, SEEK_SET);
  b = malloc((size_t)len + 1);
  *n = fread(b, 1, (size_t)len, f);
  b[*n] = '\0';
  fclose(f);
  return b;
}

/* Entries of 'dir' besides . and .. whose name starts with 'prefix' (NULL:
** every entry); -1 when 'dir' cannot be read. */
static inline int dir_entries(const char *dir, const char *prefix) {
  DIR *d = opendir(dir);
  struct dirent *de;
  int n = 0;
  if (d == NULL) return -1;
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    if (prefix == NULL || strncmp(de->d_name, prefix, strlen(prefix)) == 0) n++;
  }
  closedir(d);
  return n;
}

#endif
