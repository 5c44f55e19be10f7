/*
** lvt_fuzz.c -- the fuzz loop: workers (generate, run, compare, confirm,
** record), ordered commit of counters, and the coordinating thread (time
** limit, stop flag, state.json, status events).
*/
#define _GNU_SOURCE   /* CPU_SET, pthread_setaffinity_np */
#include "lvt_fuzz_int.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../vm/lvt_ref.h"
#include "lvt_norm.h"
#include "lvt_oracle.h"

#define STATE_MS 1000         /* state.json at least this often */
#define CHUNK "program.lua"   /* chunk name of every program: the name its
                              ** finding directory gives it, so that repro.sh
                              ** sees the same messages */

/* Hash seeds and GC modes of the noise check (after a run with the
** deterministic seed and the incremental collector). */
static const struct {
  unsigned seed;
  LvtRefGc gc;
} noise_runs[] = {
  {0x9e3779b9u, LVT_REF_GC_INC},
  {0x7f4a7c15u, LVT_REF_GC_GEN},
  {0x1b873593u, LVT_REF_GC_INC_STRESS},
  {0xcc9e2d51u, LVT_REF_GC_GEN_STRESS},
};
#define NNOISE (sizeof noise_runs / sizeof noise_runs[0])

void lvt_fuzz_config_init(LvtFuzzConfig *c) {
  size_t i;
  memset(c, 0, sizeof *c);
  for (i = 0; i < LVT_PROFILE__COUNT; i++) c->profiles[i] = (LvtProfile)i;
  c->nprofiles = LVT_PROFILE__COUNT;
  c->metamorphic = 2;
  lvt_limits_default(&c->lim);
  c->lim.timeout_ms = 2000;
  c->lim.deterministic = 1;
  c->lim.allow_binary = 0;
  c->selftest = 1;
  c->selftest_timeout_ms = 300;
  c->pin = 1;
  c->noise_check = 1;
}

/* =====================================================================
** Shared state
** ===================================================================== */

/* Counters of one program, committed in program order. */
typedef struct Delta {
  uint64_t index;
  uint64_t divergences, crashes, metamorphic, flaky, dropped_noise, not_compared;
  uint64_t gen_errors, variant_errors, variants;
  uint64_t outcomes[LVT_FUZZ_MAXVM][LVT_RUN__COUNT];
} Delta;

typedef struct Worker Worker;

typedef struct Fuzz {
  const LvtFuzzConfig *c;
  LvtStore *store;
  LvtNorm *norm;
  LvtOracleOpts oo;
  pthread_mutex_t lock;       /* everything below */
  pthread_cond_t cond;
  pthread_mutex_t ev_lock;    /* serialises event callbacks from workers */
  uint64_t handout;           /* next index to give a worker */
  uint64_t limit;             /* first index not to run */
  int stopping;
  int fatal;                  /* a worker hit a harness error */
  LvtErr fatal_err;
  Delta **pend;               /* done, waiting for lower indices */
  size_t npend;
  LvtFuzzStats st;            /* committed */
  uint64_t start_next;
  int ready, go, running;     /* start-up barrier; workers still running */
  size_t nvm;
} Fuzz;

struct Worker {
  Fuzz *f;
  int id;
  int cpu;                    /* CPU + 1, 0 = not pinned */
  pthread_t thread;
  LvtVmSet set;
  char **spec;                /* [set.n] spec text of each slot (owned) */
  int setup_rc;
  LvtErr setup_err;
  LvtRef *ref;                /* in-process reference for the noise check */
  LvtRun *run;                /* [nvm] the program's results */
  int *ran;                   /* [nvm] */
  LvtRun vrun, rerun, rerun2, base, nrun;
  LvtBuf src, var, applied, sig, sig2, t1, t2, shape, explain, noise;
};

static void fatal(Fuzz *f, const LvtErr *e) {
  pthread_mutex_lock(&f->lock);
  if (!f->fatal) {
    f->fatal = 1;
    f->fatal_err = *e;
  }
  f->stopping = 1;
  pthread_cond_broadcast(&f->cond);
  pthread_mutex_unlock(&f->lock);
}

/* The next program index, or 0 when the campaign is over. */
static int take_index(Fuzz *f, uint64_t *index) {
  int ok;
  pthread_mutex_lock(&f->lock);
  ok = !f->stopping && f->handout < f->limit;
  if (ok) *index = f->handout++;
  pthread_mutex_unlock(&f->lock);
  return ok;
}

static void apply(LvtFuzzStats *st, const Delta *d, size_t nvm) {
  size_t i;
  int o;
  st->divergences += d->divergences;
  st->crashes += d->crashes;
  st->metamorphic += d->metamorphic;
  st->flaky += d->flaky;
  st->dropped_noise += d->dropped_noise;
  st->not_compared += d->not_compared;
  st->gen_errors += d->gen_errors;
  st->variant_errors += d->variant_errors;
  st->variants += d->variants;
  for (i = 0; i < nvm; i++)
    for (o = 0; o < LVT_RUN__COUNT; o++) st->vm[i].outcomes[o] += d->outcomes[i][o];
}

/* Hands the counters of a finished program over; they are applied once
** every lower index is done, so the committed counters always describe
** programs 0..next-1 exactly. Takes ownership of 'd'. */
static void commit(Fuzz *f, Delta *d) {
  size_t i;
  pthread_mutex_lock(&f->lock);
  f->pend = lvt_xrealloc(f->pend, (f->npend + 1) * sizeof *f->pend);
  f->pend[f->npend++] = d;
  for (i = 0; i < f->npend;) {
    if (f->pend[i]->index == f->st.next) {
      apply(&f->st, f->pend[i], f->nvm);
      f->st.next++;
      f->st.done_now++;
      free(f->pend[i]);
      f->pend[i] = f->pend[--f->npend];
      i = 0;   /* the next one may be anywhere */
    } else {
      i++;
    }
  }
  pthread_mutex_unlock(&f->lock);
}

/* =====================================================================
** Events
** ===================================================================== */
static void emit_vm(Fuzz *f, const char *vm, const char *what) {
  if (f->c->on_vm == NULL) return;
  pthread_mutex_lock(&f->ev_lock);
  f->c->on_vm(f->c->ud, vm, what);
  pthread_mutex_unlock(&f->ev_lock);
}

/* =====================================================================
** Confirming and recording
** ===================================================================== */

/* The noise check: the program on the in-process reference under the
** deterministic seed, then under other seeds and GC modes. Returns 1 when
** a result differs (unspecified behaviour: drop), 0 otherwise; says what
** it did in w->noise. */
static int is_noise(Worker *w, const LvtProgram *p) {
  const LvtFuzzConfig *c = w->f->c;
  LvtErr e = {0, ""};
  size_t i;
  int same = 1, verdict = 0;
  lvt_buf_clear(&w->noise);
  if (!c->noise_check || w->ref == NULL) {
    lvt_buf_adds(&w->noise, "not done");
    return 0;
  }
  lvt_ref_set_hash_seed(w->ref, 0);
  lvt_ref_set_gc(w->ref, LVT_REF_GC_INC);
  if (lvt_ref_run(w->ref, p, &c->lim, &w->base, &e) != LVT_OK ||
      (w->base.outcome != LVT_RUN_OK && w->base.outcome != LVT_RUN_ERROR &&
       w->base.outcome != LVT_RUN_EXIT)) {
    lvt_buf_addf(&w->noise, "skipped: the reference gave %s",
                 e.code ? e.msg : lvt_outcome_name(w->base.outcome));
    return 0;
  }
  for (i = 0; i < NNOISE && same; i++) {
    lvt_ref_set_hash_seed(w->ref, noise_runs[i].seed);
    lvt_ref_set_gc(w->ref, noise_runs[i].gc);
    if (lvt_ref_run(w->ref, p, &c->lim, &w->nrun, &e) != LVT_OK) break;
    if (lvt_oracle_same(&w->base, &w->nrun, CHUNK, &w->f->oo, &same, NULL, &e) != LVT_OK)
      same = 1;
    if (!same) {
      lvt_buf_addf(&w->noise, "the reference's result changed with hash seed 0x%08x, "
                   "GC %s: unspecified behaviour", noise_runs[i].seed,
                   lvt_ref_gc_name(noise_runs[i].gc));
      verdict = 1;
    }
  }
  if (!verdict)
    lvt_buf_addf(&w->noise, "the reference gave the same result under %zu hash seeds "
                 "and the GC modes inc, gen, inc-stress, gen-stress", NNOISE + 1);
  lvt_ref_set_hash_seed(w->ref, 0);
  lvt_ref_set_gc(w->ref, LVT_REF_GC_INC);
  return verdict;
}

/* Records a confirmed finding and tells the listener. */
static void record(Worker *w, LvtFuzzEvidence *ev) {
  Fuzz *f = w->f;
  LvtOccurrence oc;
  LvtRecorded what;
  LvtErr e = {0, ""};
  LvtBuf vms = LVT_BUF_INIT;
  char *dir = NULL;
  int i;
  for (i = 0; i < ev->n; i++) {
    if (i && strcmp(ev->vm[i], ev->vm[i - 1]) == 0) continue;   /* metamorphic */
    if (vms.len) lvt_buf_addc(&vms, ',');
    lvt_buf_adds(&vms, ev->vm[i]);
  }
  memset(&oc, 0, sizeof oc);
  oc.kind = ev->kind;
  oc.index = ev->index;
  oc.seed = ev->seed;
  oc.profile = lvt_fuzz_profile_name(ev->profile);
  oc.signature = ev->signature;
  oc.label = ev->label;
  oc.vms = lvt_buf_str(&vms);
  if (lvt_store_record(f->store, &oc, lvt_fuzz_fill, ev, &what, &dir, &e) != LVT_OK) {
    fatal(f, &e);
  } else if (what != LVT_REC_KNOWN && f->c->on_finding != NULL) {
    LvtFuzzFinding ff;
    ff.kind = ev->kind;
    ff.signature = ev->signature;
    ff.label = ev->label;
    ff.index = ev->index;
    ff.seed = ev->seed;
    ff.profile = ev->profile;
    ff.recorded = what;
    ff.dir = dir;
    pthread_mutex_lock(&f->ev_lock);
    f->c->on_finding(f->c->ud, &ff);
    pthread_mutex_unlock(&f->ev_lock);
  }
  free(dir);
  lvt_buf_reset(&vms);
}

/* The shape of the first output line where 'a' and 'b' differ
** (normalised), into w->shape ("" when the outputs are the same). */
static void diff_shape(Worker *w, const LvtRun *a, const LvtRun *b) {
  const char *line;
  size_t n;
  LvtErr e;
  lvt_buf_clear(&w->shape);
  if (lvt_norm_apply(w->f->norm, a->out.data ? a->out.data : "", a->out.len, CHUNK, &w->t1,
                     &e) != LVT_OK ||
      lvt_norm_apply(w->f->norm, b->out.data ? b->out.data : "", b->out.len, CHUNK, &w->t2,
                     &e) != LVT_OK)
    return;
  if (lvt_first_diff_line(w->t1.data ? w->t1.data : "", w->t1.len,
                          w->t2.data ? w->t2.data : "", w->t2.len, &line, &n) == 0)
    return;
  lvt_sig_shape(line, n, &w->shape);
}

/* Runs 'p' on the VM in slot 'slot' into 'r'. Returns 0, or -1 when the
** VM is broken (it could not be restarted: marked failed, reported). */
static int run_one(Worker *w, const LvtProgram *p, int slot, LvtRun *r);

/* The oracle over the non-crash results of 'runs' on VMs 'idx' into 'v'
** and the divergence signature into 'sig' (empty when they agree or fewer
** than two compared). */
static void judge(Worker *w, const int *idx, int n, LvtRun *const *runs, LvtVerdict *v,
                  LvtBuf *sig) {
  LvtOracleEntry ent[LVT_FUZZ_MAXVM];
  int i, m = 0, anchor, other = -1;
  LvtErr e;
  lvt_buf_clear(sig);
  for (i = 0; i < n; i++) {
    if (runs[i]->outcome == LVT_RUN_CRASH) continue;
    ent[m].vm = w->set.slot[idx[i]].spec.name;
    ent[m].info = &w->set.slot[idx[i]].vm->info;
    ent[m].run = runs[i];
    m++;
  }
  if (m < 2 || lvt_oracle_compare(ent, m, CHUNK, &w->f->oo, v, &e) != LVT_OK || v->agree)
    return;
  anchor = lvt_sig_anchor(v);
  for (i = 0; i < v->nclasses && other < 0; i++)
    if (i != anchor) other = i;
  lvt_buf_clear(&w->shape);
  if (anchor >= 0 && other >= 0)
    diff_shape(w, ent[v->classes[anchor].first].run, ent[v->classes[other].first].run);
  lvt_sig_divergence(v, lvt_buf_str(&w->shape), sig);
}

/* Fills the evidence arrays for the VMs 'idx' with results 'runs'. */
typedef struct EvArrays {
  const char *vm[LVT_FUZZ_MAXVM * 2];
  const char *spec[LVT_FUZZ_MAXVM * 2];
  const LvtRun *run[LVT_FUZZ_MAXVM * 2];
  const char *file[LVT_FUZZ_MAXVM * 2];
  char names[LVT_FUZZ_MAXVM * 2][96];
} EvArrays;

static void ev_add(Worker *w, EvArrays *a, int *n, int slot, const LvtRun *r, const char *file) {
  a->vm[*n] = w->set.slot[slot].spec.name;
  a->spec[*n] = w->spec[slot];
  a->run[*n] = r;
  snprintf(a->names[*n], sizeof a->names[*n], "%s-%s.json", file, w->set.slot[slot].spec.name);
  a->file[*n] = a->names[*n];
  (*n)++;
}

static void ev_init(Worker *w, LvtFuzzEvidence *ev, EvArrays *a, LvtFindingKind kind,
                    uint64_t index, uint64_t seed, LvtProfile prof, const LvtProgram *p) {
  memset(ev, 0, sizeof *ev);
  ev->c = w->f->c;
  ev->kind = kind;
  ev->index = index;
  ev->seed = seed;
  ev->profile = prof;
  ev->src = p->src;
  ev->len = p->len;
  ev->vm = a->vm;
  ev->spec = a->spec;
  ev->run = a->run;
  ev->run_file = a->file;
}

/* =====================================================================
** One program
** ===================================================================== */
static void do_program(Worker *w, uint64_t index, Delta *d) {
  Fuzz *f = w->f;
  const LvtFuzzConfig *c = f->c;
  uint64_t seed = lvt_fuzz_program_seed(c->seed, index);
  LvtProfile prof = c->profiles[index % c->nprofiles];
  LvtProgram p;
  LvtErr e = {0, ""};
  int idx[LVT_FUZZ_MAXVM], n = 0, i;
  LvtRun *runs[LVT_FUZZ_MAXVM];
  LvtVerdict v;
  size_t s;
  unsigned k;
  int meta_done[LVT_FUZZ_MAXVM] = {0};

  if (c->source.program(c->source.ud, index, seed, prof, &w->src, &e) != LVT_OK) {
    d->gen_errors++;
    return;
  }
  p.name = CHUNK;
  p.src = w->src.data ? w->src.data : "";
  p.len = w->src.len;
  for (s = 0; s < w->set.n; s++) {
    LvtVmSlot *slot = &w->set.slot[s];
    if (slot->vm == NULL) continue;
    if (!c->source.runs_on(c->source.ud, prof, &slot->vm->info)) continue;
    idx[n++] = (int)s;
  }
  if (n == 0) {
    d->not_compared++;
    return;
  }
  for (i = 0; i < n; i++) {
    runs[i] = &w->run[idx[i]];
    run_one(w, &p, idx[i], runs[i]);
  }
  /* VMs that broke in this run are left out of the comparison */
  for (i = 0; i < n;) {
    if (w->set.slot[idx[i]].vm == NULL) {
      memmove(&idx[i], &idx[i + 1], (size_t)(n - i - 1) * sizeof *idx);
      n--;
      for (k = 0; k < (unsigned)n; k++) runs[k] = &w->run[idx[k]];
    } else {
      d->outcomes[idx[i]][w->run[idx[i]].outcome]++;
      i++;
    }
  }
  lvt_verdict_init(&v);

  /* crashes: one finding per VM that crashed */
  for (i = 0; i < n; i++) {
    LvtFuzzEvidence ev;
    EvArrays a;
    int m = 0, j;
    if (runs[i]->outcome != LVT_RUN_CRASH) continue;
    lvt_buf_clear(&w->sig);
    lvt_sig_crash(w->set.slot[idx[i]].spec.name, runs[i], &w->sig);
    lvt_buf_clear(&w->sig2);
    if (run_one(w, &p, idx[i], &w->rerun) == 0 && w->rerun.outcome == LVT_RUN_CRASH)
      lvt_sig_crash(w->set.slot[idx[i]].spec.name, &w->rerun, &w->sig2);
    ev_init(w, &ev, &a, LVT_FINDING_CRASH, index, seed, prof, &p);
    ev.signature = lvt_buf_str(&w->sig);
    ev.label = strcmp(lvt_buf_str(&w->sig), lvt_buf_str(&w->sig2)) == 0 ? "deterministic"
                                                                        : "flaky";
    ev_add(w, &a, &m, idx[i], runs[i], "result");
    for (j = 0; j < n; j++)
      if (j != i) ev_add(w, &a, &m, idx[j], runs[j], "result");
    ev.n = m;
    d->crashes++;
    if (strcmp(ev.label, "flaky") == 0) d->flaky++;
    record(w, &ev);
  }

  /* divergence across VMs */
  {
    int compared = 0;
    for (i = 0; i < n; i++) compared += runs[i]->outcome != LVT_RUN_CRASH;
    if (compared < 2) d->not_compared++;
  }
  judge(w, idx, n, runs, &v, &w->sig);
  if (w->sig.len > 0) {
    if (is_noise(w, &p)) {
      d->dropped_noise++;
    } else {
      LvtFuzzEvidence ev;
      EvArrays a;
      LvtRun *again[LVT_FUZZ_MAXVM];
      LvtRun *store = lvt_xcalloc((size_t)n, sizeof *store);
      LvtVerdict v2;
      int m = 0;
      for (i = 0; i < n; i++) {
        lvt_run_init(&store[i]);
        again[i] = &store[i];
      }
      lvt_verdict_init(&v2);
      /* run again: the same signature means deterministic */
      {
        int broke = 0;
        for (i = 0; i < n && !broke; i++) broke = run_one(w, &p, idx[i], &store[i]) != 0;
        if (!broke) judge(w, idx, n, again, &v2, &w->sig2);
        else lvt_buf_clear(&w->sig2);
      }
      lvt_buf_clear(&w->explain);
      lvt_verdict_explain(&v, &w->explain);
      ev_init(w, &ev, &a, LVT_FINDING_DIVERGENCE, index, seed, prof, &p);
      ev.signature = lvt_buf_str(&w->sig);
      ev.label = strcmp(lvt_buf_str(&w->sig), lvt_buf_str(&w->sig2)) == 0 ? "deterministic"
                                                                          : "flaky";
      ev.explain = lvt_buf_str(&w->explain);
      ev.noise = lvt_buf_str(&w->noise);
      for (i = 0; i < n; i++) ev_add(w, &a, &m, idx[i], runs[i], "result");
      ev.n = m;
      d->divergences++;
      if (strcmp(ev.label, "flaky") == 0) d->flaky++;
      record(w, &ev);
      for (i = 0; i < n; i++) lvt_run_reset(&store[i]);
      free(store);
      lvt_verdict_reset(&v2);
    }
  }
  lvt_verdict_reset(&v);

  /* metamorphic: each variant must give each VM's own result */
  if (c->source.variant == NULL) return;
  for (k = 1; k <= c->metamorphic; k++) {
    LvtProgram vp;
    lvt_buf_clear(&w->applied);
    if (c->source.variant(c->source.ud, p.src, p.len, prof, seed, k, &w->var, &w->applied,
                          &e) != LVT_OK) {
      d->variant_errors++;
      continue;
    }
    d->variants++;
    vp.name = CHUNK;
    vp.src = w->var.data ? w->var.data : "";
    vp.len = w->var.len;
    for (i = 0; i < n; i++) {
      LvtOutcome o = runs[i]->outcome;
      int same = 1;
      if (meta_done[i] || w->set.slot[idx[i]].vm == NULL) continue;
      if (o != LVT_RUN_OK && o != LVT_RUN_ERROR && o != LVT_RUN_EXIT) continue;
      if (run_one(w, &vp, idx[i], &w->vrun) != 0) continue;
      d->outcomes[idx[i]][w->vrun.outcome]++;
      if (lvt_oracle_same(runs[i], &w->vrun, CHUNK, &f->oo, &same, NULL, &e) != LVT_OK || same)
        continue;
      meta_done[i] = 1;
      if (is_noise(w, &p)) {
        d->dropped_noise++;
        continue;
      }
      {
        LvtFuzzEvidence ev;
        EvArrays a;
        const char *vm = w->set.slot[idx[i]].spec.name;
        int m = 0, same2 = 1, same3 = 0;
        lvt_buf_clear(&w->sig);
        diff_shape(w, runs[i], &w->vrun);
        lvt_sig_metamorphic(vm, runs[i], &w->vrun, lvt_buf_str(&w->shape), &w->sig);
        /* again: the original must repeat itself, the variant its difference */
        if (run_one(w, &p, idx[i], &w->rerun) == 0 &&
            run_one(w, &vp, idx[i], &w->rerun2) == 0) {
          lvt_oracle_same(runs[i], &w->rerun, CHUNK, &f->oo, &same3, NULL, &e);
          lvt_oracle_same(&w->vrun, &w->rerun2, CHUNK, &f->oo, &same2, NULL, &e);
        }
        ev_init(w, &ev, &a, LVT_FINDING_METAMORPHIC, index, seed, prof, &p);
        ev.signature = lvt_buf_str(&w->sig);
        ev.label = same2 && same3 ? "deterministic" : "flaky";
        ev.variant = vp.src;
        ev.vlen = vp.len;
        ev.applied = lvt_buf_str(&w->applied);
        ev.k = k;
        ev.noise = lvt_buf_str(&w->noise);
        ev_add(w, &a, &m, idx[i], runs[i], "result");
        ev_add(w, &a, &m, idx[i], &w->vrun, "variant-result");
        ev.n = m;
        d->metamorphic++;
        if (!(same2 && same3)) d->flaky++;
        record(w, &ev);
      }
    }
  }
}

static int run_one(Worker *w, const LvtProgram *p, int idx, LvtRun *r) {
  LvtVmSlot *slot = &w->set.slot[idx];
  LvtErr e = {0, ""};
  char what[400];
  if (slot->vm == NULL) return -1;
  if (lvt_vm_run(slot->vm, p, &w->f->c->lim, r, &e) == LVT_OK) return 0;
  lvt_vmset_fail(slot, "broken: %s", e.msg);
  snprintf(what, sizeof what, "broken (worker %d): %s", w->id, e.msg);
  pthread_mutex_lock(&w->f->lock);
  w->f->st.vm[idx].broken = 1;
  pthread_mutex_unlock(&w->f->lock);
  emit_vm(w->f, slot->spec.name, what);
  return -1;
}

/* =====================================================================
** Workers
** ===================================================================== */

/* Builds this worker's VM set from the specs, remembering each slot's
** spec text ('system' and 'all' expand to VMs named by their name). */
static int build_set(Worker *w, LvtErr *e) {
  const LvtFuzzConfig *c = w->f->c;
  size_t i, before, k;
  lvt_vmset_init(&w->set);
  for (i = 0; i < c->nvms; i++) {
    int with_ref;
    before = w->set.n;
    if (lvt_vmset_add(&w->set, c->vms[i], c->self_exe, e) != LVT_OK) return e->code;
    w->spec = lvt_xrealloc(w->spec, (w->set.n + 1) * sizeof *w->spec);
    for (k = before; k < w->set.n; k++)
      w->spec[k] = lvt_xstrdup(lvt_vmspec_is_group(c->vms[i], &with_ref)
                                   ? w->set.slot[k].spec.name : c->vms[i]);
  }
  if (w->set.n > LVT_FUZZ_MAXVM)
    return lvt_err_set(e, LVT_ERR_USAGE, "%zu VMs: at most %d can be fuzzed together",
                       w->set.n, LVT_FUZZ_MAXVM);
  return LVT_OK;
}

static void pin_self(int cpu) {
  cpu_set_t set;
  if (cpu <= 0) return;
  CPU_ZERO(&set);
  CPU_SET(cpu - 1, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *worker_main(void *arg) {
  Worker *w = arg;
  Fuzz *f = w->f;
  const LvtFuzzConfig *c = f->c;
  uint64_t index;
  size_t i;
  w->setup_rc = build_set(w, &w->setup_err);
  if (w->setup_rc == LVT_OK) {
    LvtVmSetOpts so;
    memset(&so, 0, sizeof so);
    so.selftest = c->selftest;
    so.selftest_timeout_ms = c->selftest_timeout_ms;
    so.pin = 0;   /* all of this worker's VMs go on its CPU */
    for (i = 0; i < w->set.n; i++) w->set.slot[i].pin_cpu = w->cpu;
    lvt_vmset_start(&w->set, &so);
    pin_self(w->cpu);
    if (c->noise_check && lvt_ref_open(&w->ref, NULL, &w->setup_err) != LVT_OK) {
      w->setup_rc = w->setup_err.code;
    }
    w->run = lvt_xcalloc(w->set.n + 1, sizeof *w->run);
    w->ran = lvt_xcalloc(w->set.n + 1, sizeof *w->ran);
    for (i = 0; i < w->set.n; i++) lvt_run_init(&w->run[i]);
  }
  pthread_mutex_lock(&f->lock);
  f->ready++;
  pthread_cond_broadcast(&f->cond);
  while (!f->go) pthread_cond_wait(&f->cond, &f->lock);
  pthread_mutex_unlock(&f->lock);
  while (w->setup_rc == LVT_OK && take_index(f, &index)) {
    Delta *d = lvt_xcalloc(1, sizeof *d);
    d->index = index;
    do_program(w, index, d);
    commit(f, d);
  }
  pthread_mutex_lock(&f->lock);
  f->running--;
  pthread_cond_broadcast(&f->cond);
  pthread_mutex_unlock(&f->lock);
  return NULL;
}

static void worker_init(Worker *w) {
  memset(w, 0, sizeof *w);
  lvt_vmset_init(&w->set);
  lvt_run_init(&w->vrun);
  lvt_run_init(&w->rerun);
  lvt_run_init(&w->rerun2);
  lvt_run_init(&w->base);
  lvt_run_init(&w->nrun);
}

static void worker_reset(Worker *w) {
  size_t i;
  if (w->run != NULL)
    for (i = 0; i < w->set.n; i++) lvt_run_reset(&w->run[i]);
  if (w->spec != NULL)
    for (i = 0; i < w->set.n; i++) free(w->spec[i]);
  free(w->spec);
  free(w->run);
  free(w->ran);
  lvt_vmset_reset(&w->set);
  lvt_ref_close(w->ref);
  lvt_run_reset(&w->vrun);
  lvt_run_reset(&w->rerun);
  lvt_run_reset(&w->rerun2);
  lvt_run_reset(&w->base);
  lvt_run_reset(&w->nrun);
  lvt_buf_reset(&w->src);
  lvt_buf_reset(&w->var);
  lvt_buf_reset(&w->applied);
  lvt_buf_reset(&w->sig);
  lvt_buf_reset(&w->sig2);
  lvt_buf_reset(&w->t1);
  lvt_buf_reset(&w->t2);
  lvt_buf_reset(&w->shape);
  lvt_buf_reset(&w->explain);
  lvt_buf_reset(&w->noise);
}

/* The CPUs this process may run on, as CPU + 1. */
static int allowed_cpus(int *cpus, int max) {
  cpu_set_t set;
  int c, n = 0;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  for (c = 0; c < CPU_SETSIZE && n < max; c++)
    if (CPU_ISSET(c, &set)) cpus[n++] = c + 1;
  return n;
}

/* =====================================================================
** The coordinator
** ===================================================================== */

/* After start-up: a VM that failed in one worker is left out in all (so
** every program is compared on the same VMs); tells the listener. Returns
** the number of usable VMs. */
static size_t unify_vms(Fuzz *f, Worker *w, unsigned nw) {
  size_t i, usable = 0;
  unsigned j;
  f->nvm = w[0].set.n;
  f->st.nvm = f->nvm;
  for (i = 0; i < f->nvm; i++) {
    const char *why = NULL;
    snprintf(f->st.vm[i].name, sizeof f->st.vm[i].name, "%s", w[0].set.slot[i].spec.name);
    for (j = 0; j < nw && why == NULL; j++)
      if (i >= w[j].set.n || w[j].set.slot[i].vm == NULL)
        why = i < w[j].set.n ? w[j].set.slot[i].why : "not started";
    if (why != NULL) {
      char msg[400];
      snprintf(msg, sizeof msg, "%s", why);
      for (j = 0; j < nw; j++)
        if (i < w[j].set.n && w[j].set.slot[i].vm != NULL)
          lvt_vmset_fail(&w[j].set.slot[i], "%s", msg);
      f->st.vm[i].failed = 1;
      emit_vm(f, f->st.vm[i].name, msg);
    } else {
      usable++;
    }
  }
  return usable;
}

static void snapshot(Fuzz *f, LvtFuzzStats *st, double t0) {
  pthread_mutex_lock(&f->lock);
  *st = f->st;
  pthread_mutex_unlock(&f->lock);
  st->unique = lvt_store_unique(f->store);
  st->elapsed_ms = lvt_now_ms() - t0;
  st->rate = st->elapsed_ms > 0 ? (double)st->done_now * 1000.0 / st->elapsed_ms : 0;
}

static int timed_wait(Fuzz *f, unsigned ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += (long)(ms % 1000) * 1000000L;
  ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  return pthread_cond_timedwait(&f->cond, &f->lock, &ts);
}

int lvt_fuzz_run(const LvtFuzzConfig *c, LvtFuzzStats *out, LvtErr *e) {
  Fuzz f;
  Worker *w;
  unsigned nw = c->jobs, j;
  int cpus[1024], ncpu, rc = LVT_OK, found = 0;
  double t0, last_state, last_status;
  LvtFuzzStats st;
  unsigned status_ms = c->status_ms ? c->status_ms : 1000;

  if (c->out_dir == NULL || c->source.program == NULL || c->source.runs_on == NULL ||
      c->nprofiles == 0 || c->nvms == 0)
    return lvt_err_set(e, LVT_ERR_USAGE, "fuzz: no %s given",
                       c->out_dir == NULL ? "--out directory" :
                       c->nvms == 0 ? "VM" : c->nprofiles == 0 ? "profile" : "program source");
  memset(&f, 0, sizeof f);
  f.c = c;
  pthread_mutex_init(&f.lock, NULL);
  pthread_mutex_init(&f.ev_lock, NULL);
  pthread_cond_init(&f.cond, NULL);
  /* fail fast: the directory must take data before anything starts */
  rc = lvt_store_open(&f.store, c->out_dir, 64 * 1024, c->keep, e);
  if (rc != LVT_OK) {
    lvt_err_prefix(e, "--out %s", c->out_dir);
    goto out_sync;
  }
  f.norm = lvt_norm_new(LVT_NORM_DEFAULT);
  if (c->norm_rules != NULL && (rc = lvt_norm_load_rules(f.norm, c->norm_rules, e)) != LVT_OK)
    goto out_store;
  f.oo.norm = f.norm;
  ncpu = allowed_cpus(cpus, 1024);
  if (nw == 0) nw = ncpu > 0 ? (unsigned)ncpu : 1;
  w = lvt_xcalloc(nw, sizeof *w);
  f.running = (int)nw;
  for (j = 0; j < nw; j++) {
    worker_init(&w[j]);
    w[j].f = &f;
    w[j].id = (int)j;
    w[j].cpu = c->pin && ncpu > 0 ? cpus[j % (unsigned)ncpu] : 0;
  }
  for (j = 0; j < nw; j++)
    if (pthread_create(&w[j].thread, NULL, worker_main, &w[j]) != 0) {
      /* cannot happen in practice; run with fewer workers */
      f.running--;
      w[j].setup_rc = LVT_ERR_INTERNAL;
      f.ready++;
      w[j].thread = 0;
    }
  pthread_mutex_lock(&f.lock);
  while (f.ready < (int)nw) pthread_cond_wait(&f.cond, &f.lock);
  pthread_mutex_unlock(&f.lock);
  for (j = 0; j < nw && rc == LVT_OK; j++)
    if (w[j].thread != 0 && w[j].setup_rc != LVT_OK) {
      *e = w[j].setup_err;
      rc = w[j].setup_rc;
    }
  if (rc == LVT_OK && unify_vms(&f, w, nw) == 0)
    rc = lvt_err_set(e, LVT_ERR_VM, "no usable VM: nothing was fuzzed");
  if (rc == LVT_OK) rc = lvt_fuzz_state_load(c->out_dir, &f.st, &found, e);
  f.st.done_now = 0;
  f.start_next = f.st.next;
  f.handout = f.st.next;
  f.limit = c->runs ? c->runs : UINT64_MAX;
  /* the state exists before any finding can: a resume always finds it */
  if (rc == LVT_OK) {
    snapshot(&f, &st, lvt_now_ms());
    rc = lvt_fuzz_state_save(c, &st, f.store, e);
  }
  if (rc != LVT_OK) f.stopping = 1;
  t0 = last_state = last_status = lvt_now_ms();
  pthread_mutex_lock(&f.lock);
  f.go = 1;
  pthread_cond_broadcast(&f.cond);
  while (f.running > 0) {
    double now;
    timed_wait(&f, 100);
    now = lvt_now_ms();
    if ((c->stop != NULL && *c->stop) ||
        (c->time_ms > 0 && now - t0 >= (double)c->time_ms))
      f.stopping = 1;
    if (now - last_state >= STATE_MS || now - last_status >= status_ms) {
      int save = now - last_state >= STATE_MS && rc == LVT_OK && !f.fatal;
      int status = now - last_status >= status_ms;
      pthread_mutex_unlock(&f.lock);
      snapshot(&f, &st, t0);
      if (save) {
        LvtErr se = {0, ""};
        if (lvt_fuzz_state_save(c, &st, f.store, &se) != LVT_OK) fatal(&f, &se);
        last_state = now;
      }
      if (status && c->on_status) c->on_status(c->ud, &st);
      if (status) last_status = now;
      pthread_mutex_lock(&f.lock);
    }
  }
  pthread_mutex_unlock(&f.lock);
  for (j = 0; j < nw; j++)
    if (w[j].thread != 0) pthread_join(w[j].thread, NULL);
  snapshot(&f, &st, t0);
  if (rc == LVT_OK && f.fatal) {
    *e = f.fatal_err;
    rc = e->code ? e->code : LVT_ERR_IO;
  }
  if (rc == LVT_OK || f.fatal) {
    LvtErr se = {0, ""};
    int src = lvt_fuzz_state_save(c, &st, f.store, &se);
    if (rc == LVT_OK && src != LVT_OK) {
      *e = se;
      rc = src;
    }
  }
  if (out != NULL) *out = st;
  for (j = 0; j < f.npend; j++) free(f.pend[j]);
  free(f.pend);
  for (j = 0; j < nw; j++) worker_reset(&w[j]);
  free(w);
out_store:
  lvt_norm_free(f.norm);
  lvt_store_close(f.store);
out_sync:
  pthread_mutex_destroy(&f.lock);
  pthread_mutex_destroy(&f.ev_lock);
  pthread_cond_destroy(&f.cond);
  return rc;
}
