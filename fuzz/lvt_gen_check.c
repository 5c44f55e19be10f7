/*
** lvt_gen_check.c -- the generator's own oracle: a generated program must
** run to completion (outcome ok) on every VM of its profile and print the
** same bytes on all of them. Used by the validity test and by bench_gen's
** 100,000-program check; the fuzz loop has the full oracle.
*/
#include "lvt_gen.h"

#include <string.h>

int lvt_gen_check_program(LvtVm *const *vms, size_t n, LvtProfile profile,
                          const char *src, size_t len, const LvtLimits *lim,
                          LvtBuf *why, size_t *ran, LvtErr *e) {
  LvtRun first, r;
  LvtProgram prog;
  const char *first_name = NULL;
  size_t i, used = 0;
  int ok = 1, rc = LVT_OK;

  prog.name = "gen.lua";
  prog.src = src;
  prog.len = len;
  lvt_run_init(&first);
  lvt_run_init(&r);
  for (i = 0; i < n && ok; i++) {
    LvtVm *vm = vms[i];
    if (vm == NULL || !lvt_profile_runs_on(profile, &vm->info, NULL)) continue;
    rc = lvt_vm_run(vm, &prog, lim, &r, e);
    if (rc != LVT_OK) break;
    used++;
    if (r.outcome != LVT_RUN_OK) {
      if (why) {
        lvt_buf_addf(why, "%s: outcome %s", vm->name, lvt_outcome_name(r.outcome));
        if (r.err_value.len) {
          lvt_buf_adds(why, ": ");
          lvt_buf_add_escaped(why, r.err_value.data, r.err_value.len, 300, 0);
        }
        if (r.detail.len) lvt_buf_addf(why, " (%s)", lvt_buf_str(&r.detail));
      }
      ok = 0;
      break;
    }
    if (first_name == NULL) {
      lvt_run_copy(&first, &r);
      first_name = vm->name;
    } else if (r.out.len != first.out.len || memcmp(r.out.data, first.out.data, r.out.len) != 0) {
      if (why) {
        size_t k = 0, line = 1, m = r.out.len < first.out.len ? r.out.len : first.out.len;
        while (k < m && r.out.data[k] == first.out.data[k]) {
          if (r.out.data[k] == '\n') line++;
          k++;
        }
        lvt_buf_addf(why, "%s and %s differ from output line %zu", first_name, vm->name, line);
      }
      ok = 0;
    }
  }
  lvt_run_reset(&first);
  lvt_run_reset(&r);
  if (ran) *ran = used;
  if (rc != LVT_OK) return -1;
  return ok;
}
