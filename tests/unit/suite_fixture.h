/*
** suite_fixture.h -- a temp directory for the suite engine's tests
** (test_suite.c, test_junit.c): files written into it by relative path,
** directories created on the way, everything removed at the end.
** Header-only (static inline: a test uses what it needs); include it once
** per test program.
*/
#ifndef LVT_SUITE_FIXTURE_H
#define LVT_SUITE_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char tmp[64];

/* Creates the temp dir ('what' names it); returns 0 when it could not. */
static inline int fixture_open(const char *what) {
  snprintf(tmp, sizeof tmp, "/tmp/lvt-%s-XXXXXX", what);
  return mkdtemp(tmp) != NULL;
}

static inline void fixture_close(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
  if (system(cmd) != 0) printf("# could not remove %s\n", tmp);
}

/* Writes 'text[0..len)' to tmp/'rel', creating directories. */
static inline void put_n(const char *rel, const char *text, size_t len) {
  char path[512], *p;
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", tmp, rel);
  for (p = path + strlen(tmp) + 1; (p = strchr(p, '/')) != NULL; p++) {
    *p = '\0';
    mkdir(path, 0755);
    *p = '/';
  }
  f = fopen(path, "wb");
  if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0)
    printf("# cannot write %s: %s\n", path, strerror(errno));
}

static inline void put(const char *rel, const char *text) { put_n(rel, text, strlen(text)); }

/* A literal that may hold NULs. */
#define PUT(rel, lit) put_n(rel, lit, sizeof(lit) - 1)

/* tmp/'rel' (in one of a few rotating buffers: callers keep several). */
static inline const char *at(const char *rel) {
  static char path[8][512];
  static int next = 0;
  char *p = path[next++ % 8];
  snprintf(p, 512, "%s/%s", tmp, rel);
  return p;
}

#endif
