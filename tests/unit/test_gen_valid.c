/*
** test_gen_valid.c -- what the generator promises, on real VMs: 10,000
** generated programs (4,000 portable, 3,000 for 5.3, 3,000 for 5.4; swarm
** features) run on every installed Lua that implements their profile --
** the linked-in reference and lua5.1, lua5.2, lua5.3, lua5.4 and luajit as
** child processes -- and every run must end ok (no load error, runtime
** error or timeout) with the same output on all of them.
**
** A failure names the seed, the profile and the VM: reproduce it with
**   build/ci/bench/bench_gen --emit SEED --profile P > /tmp/p.lua
**   lua5.1 /tmp/p.lua   (and the others)
** LVT_GEN_VALID_N=N changes the number of programs per 10,000 (sanitizer
** builds run 3,000 by default: the reference is several times slower).
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lvt_gen.h"
#include "harness/lvt_vmspec.h"
#include "tests/tap.h"

#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_TOTAL 3000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DEFAULT_TOTAL 3000
#endif
#endif
#ifndef DEFAULT_TOTAL
#define DEFAULT_TOTAL 10000
#endif

static LvtVm *open_one(const char *name, LvtErr *e) {
  LvtVm *vm = NULL;
  if (strcmp(name, "ref") == 0) {
    LvtVmConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = "ref";
    cfg.backend = LVT_BACKEND_REF;
    cfg.dialect = -1;
    if (lvt_vm_open(&vm, &cfg, e) != LVT_OK) return NULL;
  } else {
    LvtVmSpec s;
    char *path = lvt_which(name);
    if (path == NULL) {
      lvt_err_set(e, LVT_ERR_USAGE, "%s is not installed (not on PATH)", name);
      return NULL;
    }
    free(path);
    if (lvt_vmspec_parse(&s, name, NULL, e) != LVT_OK) return NULL;
    if (lvt_vm_open(&vm, &s.cfg, e) != LVT_OK) vm = NULL;
    lvt_vmspec_reset(&s);
    if (vm == NULL) return NULL;
  }
  if (lvt_vm_probe(vm, -1, e) != LVT_OK) {
    lvt_vm_close(vm);
    return NULL;
  }
  return vm;
}

/* One VM's work: every program of every profile it implements, in its own
** thread (the VMs run side by side; each is used by one thread only). */
typedef struct Result {
  uint64_t hash;        /* FNV-1a of the output */
  uint8_t outcome;
  uint8_t ran;
  char why[120];        /* when not ok: the error */
} Result;

typedef struct Job {
  LvtVm *vm;
  unsigned n[LVT_PROFILE__COUNT];
  Result *res[LVT_PROFILE__COUNT];
  LvtErr e;
  int rc;
} Job;

static uint64_t seed_of(unsigned k) { return 0x5eed0000ULL + k; }

static void *run_job(void *ud) {
  Job *j = ud;
  LvtLimits lim;
  LvtBuf prog = LVT_BUF_INIT;
  LvtRun r;
  int p;
  lvt_limits_default(&lim);
  lim.timeout_ms = 10000;
  lim.deterministic = 1;
  lim.allow_binary = 0;
  lvt_run_init(&r);
  for (p = 0; p < LVT_PROFILE__COUNT && j->rc == LVT_OK; p++) {
    LvtGenOpts o;
    unsigned k;
    if (!lvt_profile_runs_on((LvtProfile)p, &j->vm->info, NULL)) continue;
    lvt_gen_opts_init(&o);
    o.profile = (LvtProfile)p;
    for (k = 0; k < j->n[p]; k++) {
      LvtProgram pr;
      Result *x = &j->res[p][k];
      lvt_gen_from_seed(&o, seed_of(k), &prog, &j->e);
      pr.name = "gen.lua";
      pr.src = prog.data;
      pr.len = prog.len;
      if ((j->rc = lvt_vm_run(j->vm, &pr, &lim, &r, &j->e)) != LVT_OK) break;
      x->ran = 1;
      x->outcome = (uint8_t)r.outcome;
      x->hash = lvt_gen_bytes_hash((const uint8_t *)r.out.data, r.out.len);
      if (r.outcome != LVT_RUN_OK)
        snprintf(x->why, sizeof x->why, "%s %s", lvt_buf_str(&r.err_value), lvt_buf_str(&r.detail));
    }
  }
  lvt_run_reset(&r);
  lvt_buf_reset(&prog);
  return NULL;
}

int main(void) {
  static const char *const names[] = {"ref", "lua5.1", "lua5.2", "lua5.3", "lua5.4", "luajit"};
  Job jobs[6];
  pthread_t th[6];
  size_t nvm = 0, i;
  unsigned total = DEFAULT_TOTAL, n[LVT_PROFILE__COUNT];
  const char *env = getenv("LVT_GEN_VALID_N");
  int p;
  double t0 = lvt_now_ms();

  (void)tap_diag_mem;
  if (env && atoi(env) > 0) total = (unsigned)atoi(env);
  n[0] = total * 4 / 10;
  n[1] = n[2] = total * 3 / 10;
  memset(jobs, 0, sizeof jobs);
  for (i = 0; i < sizeof names / sizeof *names; i++) {
    LvtErr e = {0, ""};
    LvtVm *vm = open_one(names[i], &e);
    if (vm == NULL) {
      printf("# SKIP %s: %s\n", names[i], e.msg);
      continue;
    }
    printf("# %s: %s (dialect %s)\n", names[i], vm->info.version, lvt_dialect_name(vm->info.dialect));
    jobs[nvm].vm = vm;
    for (p = 0; p < LVT_PROFILE__COUNT; p++) {
      jobs[nvm].n[p] = n[p];
      jobs[nvm].res[p] = calloc(n[p], sizeof(Result));
    }
    nvm++;
  }
  if (!TAP_OK(nvm >= 2, "at least two VMs to compare (%zu started)", nvm)) return tap_done();
  for (i = 0; i < nvm; i++) pthread_create(&th[i], NULL, run_job, &jobs[i]);
  for (i = 0; i < nvm; i++) pthread_join(th[i], NULL);
  for (i = 0; i < nvm; i++)
    if (!TAP_OK(jobs[i].rc == LVT_OK, "lvtest ran every program on %s", jobs[i].vm->name))
      printf("#   %s\n", jobs[i].e.msg);

  for (p = 0; p < LVT_PROFILE__COUNT; p++) {
    unsigned k, failed = 0;
    unsigned long runs = 0;
    size_t on = 0;
    for (i = 0; i < nvm; i++)
      if (lvt_profile_runs_on((LvtProfile)p, &jobs[i].vm->info, NULL)) on++;
    if (on < 1) {
      printf("# SKIP profile %s: no VM implements it\n", lvt_profile_name((LvtProfile)p));
      continue;
    }
    for (k = 0; k < n[p]; k++) {
      const Result *first = NULL;
      const char *first_name = NULL;
      for (i = 0; i < nvm; i++) {
        const Result *x = &jobs[i].res[p][k];
        if (!x->ran) continue;
        runs++;
        if (x->outcome != LVT_RUN_OK) {
          if (failed++ < 10)
            printf("#   seed=0x%llx profile=%s: %s: outcome %s: %s\n",
                   (unsigned long long)seed_of(k), lvt_profile_name((LvtProfile)p),
                   jobs[i].vm->name, lvt_outcome_name((LvtOutcome)x->outcome), x->why);
          break;
        }
        if (first == NULL) {
          first = x;
          first_name = jobs[i].vm->name;
        } else if (x->hash != first->hash) {
          if (failed++ < 10)
            printf("#   seed=0x%llx profile=%s: %s and %s print different output\n",
                   (unsigned long long)seed_of(k), lvt_profile_name((LvtProfile)p),
                   first_name, jobs[i].vm->name);
          break;
        }
      }
    }
    TAP_IS_INT(failed, 0, "profile %s: %u programs on %zu VMs (%lu runs) ok and identical",
               lvt_profile_name((LvtProfile)p), n[p], on, runs);
  }
  printf("# %.1f s\n", (lvt_now_ms() - t0) / 1000.0);
  for (i = 0; i < nvm; i++) {
    lvt_vm_close(jobs[i].vm);
    for (p = 0; p < LVT_PROFILE__COUNT; p++) free(jobs[i].res[p]);
  }
  return tap_done();
}
