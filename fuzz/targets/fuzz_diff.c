/*
** fuzz_diff.c -- differential and metamorphic oracles of fuzz_gen_ref.
*/
#include "fuzz/targets/fuzz_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lvt_meta.h"
#include "fuzz/targets/fuzz_common.h"
#include "harness/lvt_norm.h"
#include "harness/lvt_oracle.h"
#include "harness/lvt_vmset.h"

#define MAXVM 16
#define CHUNK "gen"

static LvtVmSet fz_set;
static int fz_opened;
static LvtNorm *fz_norm;

/* ---------------------------------------------------------------------
** Reporting
** --------------------------------------------------------------------- */

/* Prints a finding of 'kind' with 'why' and the program; aborts unless
** LVT_FUZZ_DIVERGENCE=log. */
static void finding(const char *kind, const char *why, const char *src, size_t len) {
  fprintf(stderr, "lvt-fuzz: %s\n%s", kind, why);
  if (*why && why[strlen(why) - 1] != '\n') fputc('\n', stderr);
  fprintf(stderr, "--- program (%zu bytes) ---\n%.*s\n--- end of program ---\n",
          len, (int)len, src);
  fflush(stderr);
  if (!lvt_fz_env_on("LVT_FUZZ_DIVERGENCE") ||
      strcmp(getenv("LVT_FUZZ_DIVERGENCE"), "log") != 0)
    lvt_fz_die("%s (LVT_FUZZ_DIVERGENCE=log to go on)", kind);
}

static void limits_proc(LvtLimits *lim) {
  lvt_fz_limits(lim);
  lim->instr_limit *= 4;           /* other VMs count other instructions */
  lim->mem_limit = (size_t)1 << 30;   /* address space of a process */
}

/* ---------------------------------------------------------------------
** VMs
** --------------------------------------------------------------------- */
void lvt_fz_vms_open(void) {
  const char *env = getenv("LVT_FUZZ_VMS");
  char *list, *tok, *save = NULL;
  const char *sep;
  LvtVmSetOpts o;
  LvtErr e;
  size_t i;
  if (fz_opened) return;
  fz_opened = 1;
  fz_norm = lvt_norm_new(LVT_NORM_DEFAULT);
  lvt_vmset_init(&fz_set);
  if (env == NULL || *env == '\0') return;
  list = lvt_xstrdup(env);
  sep = strchr(env, ';') != NULL ? ";" : ",";   /* specs with key=value,... */
  for (tok = strtok_r(list, sep, &save); tok; tok = strtok_r(NULL, sep, &save)) {
    if (strcmp(tok, "ref") == 0) continue;   /* in process already */
    if (lvt_vmset_add(&fz_set, tok, "/proc/self/exe", &e) != LVT_OK)
      lvt_fz_die("LVT_FUZZ_VMS: %s", e.msg);
  }
  free(list);
  if (fz_set.n > MAXVM) lvt_fz_die("LVT_FUZZ_VMS: at most %d VMs", MAXVM);
  memset(&o, 0, sizeof o);
  o.selftest = 1;
  o.selftest_timeout_ms = 1000;   /* the busy-loop self-test waits this long */
  lvt_vmset_start(&fz_set, &o);
  for (i = 0; i < fz_set.n; i++) {
    if (fz_set.slot[i].failed)
      lvt_fz_die("LVT_FUZZ_VMS: %s cannot be used: %s", fz_set.slot[i].spec.name,
                 fz_set.slot[i].why);
    fprintf(stderr, "lvt-fuzz: comparing with %s (%s)\n", fz_set.slot[i].spec.name,
            fz_set.slot[i].vm->info.version);
  }
}

/* The reference's result again under another hash seed and GC mode:
** 1 when it is the same as 'ref_run' (the program's result is fixed). */
static int ref_stable(const char *src, size_t len, const LvtRun *ref_run) {
  LvtRef *ref = lvt_fz_ref();
  LvtOracleOpts oo = {0, 0, NULL};
  LvtRun again;
  int same = 0, g;
  LvtErr e;
  oo.norm = fz_norm;
  lvt_run_init(&again);
  for (g = 0; g < 2; g++) {
    lvt_ref_set_hash_seed(ref, g == 0 ? 0x1234567u : 0x9abcdefu);
    lvt_ref_set_gc(ref, g == 0 ? LVT_REF_GC_GEN_STRESS : LVT_REF_GC_INC_STRESS);
    lvt_fz_run_src(CHUNK, (const uint8_t *)src, len, &again);
    if (lvt_oracle_same(ref_run, &again, CHUNK, &oo, &same, NULL, &e) != LVT_OK || !same)
      break;
  }
  lvt_ref_set_hash_seed(ref, LVT_REF_DETERMINISTIC_SEED);
  lvt_ref_set_gc(ref, LVT_REF_GC_INC);
  lvt_run_reset(&again);
  return same;
}

/* 1 when VM 'slot' gives the same result for 'p' again (not flaky). */
static int vm_repeats(size_t slot, const LvtProgram *p, const LvtLimits *lim,
                      const LvtRun *first) {
  LvtOracleOpts oo = {0, 0, NULL};
  LvtRun again;
  int same = 0;
  LvtErr e;
  oo.norm = fz_norm;
  lvt_run_init(&again);
  if (lvt_vm_run(fz_set.slot[slot].vm, p, lim, &again, &e) != LVT_OK)
    lvt_fz_die("%s: %s", fz_set.slot[slot].spec.name, e.msg);
  if (lvt_oracle_same(first, &again, CHUNK, &oo, &same, NULL, &e) != LVT_OK) same = 0;
  lvt_run_reset(&again);
  return same;
}

void lvt_fz_differential(LvtProfile profile, const char *src, size_t len,
                         const LvtRun *ref_run) {
  static LvtRun runs[MAXVM];
  static int ready;
  LvtOracleEntry ent[MAXVM + 1];
  size_t slot[MAXVM + 1];
  LvtOracleOpts oo = {0, 0, NULL};
  LvtProgram p;
  LvtVmInfo refinfo;
  LvtVerdict v;
  LvtLimits lim;
  LvtBuf why = LVT_BUF_INIT;
  LvtErr e;
  int n = 0, k, flaky = 0;
  size_t i;
  if (fz_set.n == 0 || ref_run->outcome == LVT_RUN_TIMEOUT ||
      ref_run->outcome == LVT_RUN_NOMEM)
    return;
  if (!ready) {
    for (i = 0; i < MAXVM; i++) lvt_run_init(&runs[i]);
    ready = 1;
  }
  p.name = CHUNK;
  p.src = src;
  p.len = len;
  p.prelude = NULL;
  memset(&refinfo, 0, sizeof refinfo);
  snprintf(refinfo.version, sizeof refinfo.version, "Lua %s", lvt_ref_lua_version());
  refinfo.dialect = LVT_DIALECT_54;
  ent[n].vm = "ref";
  ent[n].info = &refinfo;
  ent[n++].run = ref_run;
  limits_proc(&lim);
  for (i = 0; i < fz_set.n; i++) {
    LvtVm *vm = fz_set.slot[i].vm;
    if (!lvt_gen_runs_on(src, len, profile, &vm->info, NULL)) continue;
    if (lvt_vm_run(vm, &p, &lim, &runs[i], &e) != LVT_OK)
      lvt_fz_die("%s: %s", fz_set.slot[i].spec.name, e.msg);
    slot[n] = i;
    ent[n].vm = fz_set.slot[i].spec.name;
    ent[n].info = &vm->info;
    ent[n++].run = &runs[i];
  }
  if (n < 2) return;
  oo.norm = fz_norm;
  lvt_verdict_init(&v);
  if (lvt_oracle_compare(ent, n, CHUNK, &oo, &v, &e) != LVT_OK)
    lvt_fz_die("oracle: %s", e.msg);
  if (!v.agree) {
    lvt_verdict_explain(&v, &why);
    for (k = 1; k < n; k++)   /* the VMs outside the reference's class */
      if (v.cls[k] != v.cls[0] && !vm_repeats(slot[k], &p, &lim, ent[k].run)) flaky = 1;
    if (!ref_stable(src, len, ref_run)) {
      if (lvt_fz_env_on("LVT_FUZZ_VERBOSE"))
        fprintf(stderr, "lvt-fuzz: dropped: the reference's result depends on the "
                        "hash seed or GC mode\n");
    } else if (flaky) {
      fprintf(stderr, "lvt-fuzz: flaky divergence (a VM gave another result when re-run), "
                      "not kept:\n%s", lvt_buf_str(&why));
    } else {
      char kind[64];
      snprintf(kind, sizeof kind, "divergence (profile %s)", lvt_profile_name(profile));
      finding(kind, lvt_buf_str(&why), src, len);
    }
  }
  lvt_verdict_reset(&v);
  lvt_buf_reset(&why);
}

void lvt_fz_metamorphic(LvtProfile profile, const char *src, size_t len,
                        const LvtRun *ref_run, uint64_t seed) {
  static LvtBuf var, applied;
  static LvtRun vrun;
  static int ready, kmax = -1;
  LvtOracleOpts oo = {0, 0, NULL};
  LvtBuf why = LVT_BUF_INIT;
  LvtErr e;
  int k, same;
  if (kmax < 0) {
    const char *v = getenv("LVT_FUZZ_META");
    kmax = v && *v ? atoi(v) : 2;
  }
  if (kmax <= 0 || ref_run->outcome == LVT_RUN_TIMEOUT || ref_run->outcome == LVT_RUN_NOMEM)
    return;
  if (!ready) {
    lvt_run_init(&vrun);
    ready = 1;
  }
  oo.norm = fz_norm;
  for (k = 1; k <= kmax; k++) {
    if (lvt_meta_variant(src, len, profile, 0, seed, (unsigned)k, &var, &applied, &e) != LVT_OK) {
      lvt_buf_addf(&why, "the rewriter cannot parse a generated program: %s\n", e.msg);
      finding("metamorphic: generated program does not parse", lvt_buf_str(&why), src, len);
      break;
    }
    lvt_fz_run_src(CHUNK, (const uint8_t *)var.data, var.len, &vrun);
    if (vrun.outcome == LVT_RUN_TIMEOUT || vrun.outcome == LVT_RUN_NOMEM) continue;
    if (lvt_oracle_same(ref_run, &vrun, CHUNK, &oo, &same, &why, &e) != LVT_OK)
      lvt_fz_die("oracle: %s", e.msg);
    if (!same) {
      lvt_buf_addf(&why, "\nvariant %d (%s):\n", k, lvt_buf_str(&applied));
      lvt_buf_add(&why, var.data, var.len);
      finding("metamorphic: a variant's result differs on the reference (a = original, b = variant)",
              lvt_buf_str(&why), src, len);
      break;
    }
  }
  lvt_buf_reset(&why);
}
