/*
** vm_fixture.h -- what the unit tests that run programs on real VMs share
** (the sandbox's and the fuzz/ modules'): the source tree, reading a file
** of it, opening a real VM by name, and whether this is a
** sanitizer build (where the in-process reference stops on Lua 5.4.4's own
** undefined behaviour with some generated programs, so those tests run the
** system Luas instead).
**
** Header-only (static inline: a test uses what it needs); include it once.
*/
#ifndef LVT_VM_FIXTURE_H
#define LVT_VM_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/lvt_base.h"
#include "vm/lvt_vm.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

/* The source tree ($LVT_SOURCE_DIR, set by ctest; else "."). */
static inline const char *srcdir(void) {
  const char *s = getenv("LVT_SOURCE_DIR");
  return s != NULL ? s : ".";
}

/* Reads 'path' into 'b' (cleared first). Returns 1, or 0 when it cannot. */
static inline int read_file(const char *path, LvtBuf *b) {
  FILE *f = fopen(path, "rb");
  char tmp[65536];
  size_t n;
  if (f == NULL) return 0;
  lvt_buf_clear(b);
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) lvt_buf_add(b, tmp, n);
  fclose(f);
  return 1;
}

/* Opens 'ref' or a command on PATH as a VM (not probed); NULL, said on a
** TAP comment line, when it cannot. */
static inline LvtVm *open_vm(const char *name) {
  char *argv[] = {(char *)name, NULL};
  LvtVmConfig cfg;
  LvtVm *vm = NULL;
  LvtErr e = {0, ""};
  memset(&cfg, 0, sizeof cfg);
  cfg.name = name;
  cfg.dialect = -1;
  if (strcmp(name, "ref") == 0) cfg.backend = LVT_BACKEND_REF;
  else cfg.argv = argv;
  if (lvt_vm_open(&vm, &cfg, &e) != LVT_OK) {
    printf("# %s: %s\n", name, e.msg);
    return NULL;
  }
  return vm;
}

#endif
