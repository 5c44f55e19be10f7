/*
** lvt_gen_check.c -- the generator's own oracle: a generated program must
** run to completion (outcome ok) on every VM of its profile and print the
** same bytes on all of them. Used by the validity test and by bench_gen's
** 100,000-program check; the fuzz loop has the full oracle.
** lvt_gen_check_program runs one program on the VMs in turn;
** lvt_gen_check_batch runs many, each VM in a thread of its own.
*/
#include "lvt_gen.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
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
  prog.prelude = NULL;
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

/* =====================================================================
** Batches: every VM in its own thread
** ===================================================================== */

typedef struct Result {
  uint64_t hash;        /* FNV-1a of the output */
  uint8_t outcome;
  uint8_t ran;
  char why[160];        /* when not ok: the error value and detail */
} Result;

typedef struct Job {
  LvtVm *vm;
  const LvtGenOpts *o;
  const LvtLimits *lim;
  uint64_t seed0;
  unsigned n;
  Result *res;
  LvtErr e;
  int rc;
} Job;

static void *run_job(void *ud) {
  Job *j = ud;
  LvtBuf prog = LVT_BUF_INIT;
  LvtRun r;
  unsigned k;
  lvt_run_init(&r);
  for (k = 0; k < j->n; k++) {
    LvtProgram pr;
    Result *x = &j->res[k];
    if ((j->rc = lvt_gen_from_seed(j->o, j->seed0 + k, &prog, &j->e)) != LVT_OK) break;
    pr.name = "gen.lua";
    pr.src = prog.data;
    pr.len = prog.len;
    pr.prelude = NULL;
    if ((j->rc = lvt_vm_run(j->vm, &pr, j->lim, &r, &j->e)) != LVT_OK) break;
    x->ran = 1;
    x->outcome = (uint8_t)r.outcome;
    x->hash = lvt_gen_bytes_hash((const uint8_t *)r.out.data, r.out.len);
    if (r.outcome != LVT_RUN_OK)
      snprintf(x->why, sizeof x->why, "%s%s%s", lvt_buf_str(&r.err_value),
               r.detail.len ? " " : "", lvt_buf_str(&r.detail));
  }
  lvt_run_reset(&r);
  lvt_buf_reset(&prog);
  return NULL;
}

long lvt_gen_check_batch(LvtVm *const *vms, size_t nvm, const LvtGenOpts *o,
                         uint64_t seed0, unsigned n, const LvtLimits *lim,
                         LvtGenFailFn fail, void *ud, unsigned long *runs,
                         LvtErr *e) {
  Job *jobs = lvt_xcalloc(nvm ? nvm : 1, sizeof *jobs);
  pthread_t *th = lvt_xcalloc(nvm ? nvm : 1, sizeof *th);
  int *started = lvt_xcalloc(nvm ? nvm : 1, sizeof *started);
  size_t i, nj = 0;
  unsigned k;
  long failed = 0;
  unsigned long nruns = 0;
  int rc = LVT_OK;
  char what[400];

  for (i = 0; i < nvm; i++) {
    if (vms[i] == NULL || !lvt_profile_runs_on(o->profile, &vms[i]->info, NULL)) continue;
    jobs[nj].vm = vms[i];
    jobs[nj].o = o;
    jobs[nj].lim = lim;
    jobs[nj].seed0 = seed0;
    jobs[nj].n = n;
    jobs[nj].res = lvt_xcalloc(n ? n : 1, sizeof(Result));
    nj++;
  }
  for (i = 0; i < nj; i++)
    started[i] = pthread_create(&th[i], NULL, run_job, &jobs[i]) == 0;
  for (i = 0; i < nj; i++) {
    if (started[i]) pthread_join(th[i], NULL);
    else run_job(&jobs[i]);   /* no thread: run it here */
  }
  for (i = 0; i < nj && rc == LVT_OK; i++)
    if (jobs[i].rc != LVT_OK) {
      rc = lvt_err_set(e, jobs[i].rc, "%s: %s", jobs[i].vm->name, jobs[i].e.msg);
    }
  for (k = 0; k < n && rc == LVT_OK; k++) {
    const Result *first = NULL;
    const char *first_name = NULL;
    for (i = 0; i < nj; i++) {
      const Result *x = &jobs[i].res[k];
      if (!x->ran) continue;
      nruns++;
      if (x->outcome != LVT_RUN_OK) {
        snprintf(what, sizeof what, "%s: outcome %s: %s", jobs[i].vm->name,
                 lvt_outcome_name((LvtOutcome)x->outcome), x->why);
        failed++;
        if (fail) fail(ud, o->profile, seed0 + k, what);
        break;
      }
      if (first == NULL) {
        first = x;
        first_name = jobs[i].vm->name;
      } else if (x->hash != first->hash) {
        snprintf(what, sizeof what, "%s and %s print different output", first_name,
                 jobs[i].vm->name);
        failed++;
        if (fail) fail(ud, o->profile, seed0 + k, what);
        break;
      }
    }
  }
  for (i = 0; i < nj; i++) free(jobs[i].res);
  free(jobs);
  free(th);
  free(started);
  if (runs) *runs = nruns;
  return rc == LVT_OK ? failed : -1;
}
