/*
** vm_fixture.h -- what the unit tests that run programs on real VMs share
** (the sandbox's and the fuzz/ modules'): the source tree, reading a file
** of it, opening a real VM by name (probed or not), comparing two results,
** and whether this is a sanitizer build (where the in-process reference
** stops on Lua 5.4.4's own undefined behaviour with some generated
** programs, so those tests run the system Luas instead).
**
** Header-only (static inline: a test uses what it needs); include it once.
*/
#ifndef LVT_VM_FIXTURE_H
#define LVT_VM_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lvt_vmspec.h"
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

/* Opens 'ref' or a command on PATH as a VM and probes it (dialect and
** capabilities in vm->info); NULL when it cannot, with why in 'e' ("...
** is not installed (not on PATH)" when it is not there). */
static inline LvtVm *open_probed_vm(const char *name, LvtErr *e) {
  LvtVm *vm;
  if (strcmp(name, "ref") != 0) {
    char *path = lvt_which(name);
    if (path == NULL) {
      lvt_err_set(e, LVT_ERR_USAGE, "%s is not installed (not on PATH)", name);
      return NULL;
    }
    free(path);
  }
  if ((vm = open_vm(name)) == NULL) {
    lvt_err_set(e, LVT_ERR_VM, "%s does not start", name);
    return NULL;
  }
  if (lvt_vm_probe(vm, -1, e) != LVT_OK) {
    lvt_vm_close(vm);
    return NULL;
  }
  return vm;
}

/* 1 when two runs gave the same result: outcome, output, error type and
** value, exit code. */
static inline int runs_equal(const LvtRun *a, const LvtRun *b) {
  return a->outcome == b->outcome && a->out.len == b->out.len &&
         (a->out.len == 0 || memcmp(a->out.data, b->out.data, a->out.len) == 0) &&
         strcmp(a->err_type, b->err_type) == 0 && a->err_value.len == b->err_value.len &&
         (a->err_value.len == 0 ||
          memcmp(a->err_value.data, b->err_value.data, a->err_value.len) == 0) &&
         a->exit_code == b->exit_code;
}

/* Shows run 'r' on TAP comment lines, labelled 'what'. */
static inline void show_run(const char *what, const LvtRun *r) {
  LvtBuf b = LVT_BUF_INIT;
  lvt_buf_addf(&b, "#   %s: %s", what, lvt_outcome_name(r->outcome));
  if (r->err_type[0]) lvt_buf_addf(&b, " (%s) ", r->err_type);
  lvt_buf_add_escaped(&b, r->err_value.data, r->err_value.len, 200, 0);
  lvt_buf_adds(&b, "; out ");
  lvt_buf_add_escaped(&b, r->out.data, r->out.len, 300, 0);
  if (r->detail.len) lvt_buf_addf(&b, "; detail %s", lvt_buf_str(&r->detail));
  printf("%s\n", lvt_buf_str(&b));
  lvt_buf_reset(&b);
}

#endif
