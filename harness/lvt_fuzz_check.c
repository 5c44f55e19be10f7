/*
** lvt_fuzz_check.c -- one program on one worker: run on every VM of its
** profile, then the checks (crashes, divergence across VMs, metamorphic
** variants per VM), each candidate confirmed (run again: deterministic,
** flaky or unconfirmed; the reference noise check) and recorded in the
** store with its evidence.
*/
#include "lvt_fuzz_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (lvt_oracle_same(&w->base, &w->nrun, LVT_FUZZ_CHUNK, &w->f->oo, &same, NULL, &e) != LVT_OK)
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
    lvt_fuzz_fatal(f, &e);
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
  if (lvt_norm_apply(w->f->norm, a->out.data ? a->out.data : "", a->out.len, LVT_FUZZ_CHUNK, &w->t1,
                     &e) != LVT_OK ||
      lvt_norm_apply(w->f->norm, b->out.data ? b->out.data : "", b->out.len, LVT_FUZZ_CHUNK, &w->t2,
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

/* Fills 'fast' with the split form of 'p' (its body into 'body'); 0 when
** it has none. */
static int split_form(Worker *w, const LvtProgram *p, LvtBuf *body, LvtProgram *fast) {
  const LvtFuzzSource *s = &w->f->c->source;
  const char *pre;
  size_t plen;
  if (s->split == NULL || !s->split(s->ud, p->src, p->len, &pre, &plen, body)) return 0;
  fast->name = p->name;
  fast->src = body->data ? body->data : "";
  fast->len = body->len;
  fast->prelude = pre;
  fast->prelude_len = plen;
  return 1;
}

/* What a first run on 'vm' sends: the split form 'fast' (when there is
** one) to a VM that keeps preludes, else the whole program 'p'. */
static const LvtProgram *first_form(const LvtVm *vm, const LvtProgram *p,
                                    const LvtProgram *fast) {
  return fast != NULL && vm != NULL && (vm->info.caps & LVT_CAP_PRELUDE) ? fast : p;
}

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
    ent[m].info = w->set.slot[idx[i]].vm ? &w->set.slot[idx[i]].vm->info : NULL;
    ent[m].run = runs[i];
    m++;
  }
  if (m < 2 || lvt_oracle_compare(ent, m, LVT_FUZZ_CHUNK, &w->f->oo, v, &e) != LVT_OK || v->agree)
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

/* The program being checked: which VMs ran it and their results. */
typedef struct Prog {
  uint64_t index, seed;
  LvtProfile prof;
  LvtProgram p;
  LvtProgram fast;                /* its split form, when 'has_fast' */
  int has_fast;
  int n;                          /* VMs that ran it */
  int idx[LVT_FUZZ_MAXVM];        /* their slots */
  LvtRun *runs[LVT_FUZZ_MAXVM];   /* their results (in w->run) */
  Delta *d;
} Prog;

static const char *label_of(int rerun_ok, int same) {
  return !rerun_ok ? "unconfirmed" : same ? "deterministic" : "flaky";
}

/* One crash finding per VM that crashed, confirmed by running it again. */
static void check_crashes(Worker *w, Prog *pr) {
  int i, j;
  for (i = 0; i < pr->n; i++) {
    LvtFuzzEvidence ev;
    EvArrays a;
    const char *vm = w->set.slot[pr->idx[i]].spec.name;
    int m = 0, rerun_ok;
    if (pr->runs[i]->outcome != LVT_RUN_CRASH) continue;
    lvt_buf_clear(&w->sig);
    lvt_sig_crash(vm, pr->runs[i], &w->sig);
    lvt_buf_clear(&w->sig2);
    rerun_ok = run_one(w, &pr->p, pr->idx[i], &w->rerun) == 0;
    if (rerun_ok && w->rerun.outcome == LVT_RUN_CRASH) lvt_sig_crash(vm, &w->rerun, &w->sig2);
    ev_init(w, &ev, &a, LVT_FINDING_CRASH, pr->index, pr->seed, pr->prof, &pr->p);
    ev.signature = lvt_buf_str(&w->sig);
    ev.label = label_of(rerun_ok, strcmp(lvt_buf_str(&w->sig), lvt_buf_str(&w->sig2)) == 0);
    ev_add(w, &a, &m, pr->idx[i], pr->runs[i], "result");   /* the crashed VM first */
    for (j = 0; j < pr->n; j++)
      if (j != i) ev_add(w, &a, &m, pr->idx[j], pr->runs[j], "result");
    ev.n = m;
    pr->d->crashes++;
    if (strcmp(ev.label, "flaky") == 0) pr->d->flaky++;
    record(w, &ev);
  }
}

/* Records a confirmed divergence of 'v' (signature in w->sig): runs the
** program again on the same VMs, the same signature again means
** deterministic. */
static void record_divergence(Worker *w, Prog *pr, const LvtVerdict *v) {
  LvtFuzzEvidence ev;
  EvArrays a;
  LvtRun *again[LVT_FUZZ_MAXVM];
  LvtRun *store = lvt_xcalloc((size_t)pr->n, sizeof *store);
  LvtVerdict v2;
  int i, m = 0, broke = 0;
  for (i = 0; i < pr->n; i++) {
    lvt_run_init(&store[i]);
    again[i] = &store[i];
  }
  lvt_verdict_init(&v2);
  lvt_buf_clear(&w->sig2);
  for (i = 0; i < pr->n && !broke; i++) broke = run_one(w, &pr->p, pr->idx[i], &store[i]) != 0;
  if (!broke) judge(w, pr->idx, pr->n, again, &v2, &w->sig2);
  lvt_buf_clear(&w->explain);
  lvt_verdict_explain(v, &w->explain);
  ev_init(w, &ev, &a, LVT_FINDING_DIVERGENCE, pr->index, pr->seed, pr->prof, &pr->p);
  ev.signature = lvt_buf_str(&w->sig);
  ev.label = label_of(!broke, strcmp(lvt_buf_str(&w->sig), lvt_buf_str(&w->sig2)) == 0);
  ev.explain = lvt_buf_str(&w->explain);
  ev.noise = lvt_buf_str(&w->noise);
  for (i = 0; i < pr->n; i++) ev_add(w, &a, &m, pr->idx[i], pr->runs[i], "result");
  ev.n = m;
  pr->d->divergences++;
  if (strcmp(ev.label, "flaky") == 0) pr->d->flaky++;
  record(w, &ev);
  for (i = 0; i < pr->n; i++) lvt_run_reset(&store[i]);
  free(store);
  lvt_verdict_reset(&v2);
}

/* The oracle across the VMs (crashed ones aside); a divergence that is not
** unspecified behaviour is confirmed and recorded. */
static void check_divergence(Worker *w, Prog *pr) {
  LvtVerdict v;
  int i, compared = 0;
  for (i = 0; i < pr->n; i++) compared += pr->runs[i]->outcome != LVT_RUN_CRASH;
  if (compared < 2) pr->d->not_compared++;
  lvt_verdict_init(&v);
  judge(w, pr->idx, pr->n, pr->runs, &v, &w->sig);
  if (w->sig.len > 0) {
    if (is_noise(w, &pr->p)) pr->d->dropped_noise++;
    else record_divergence(w, pr, &v);
  }
  lvt_verdict_reset(&v);
}

/* Records a metamorphic mismatch of variant 'vp' (number 'k', made by
** rewrites 'applied', result 'vr') against result 'i' of the original:
** both are run again, the original must repeat itself and the variant its
** difference. */
static void record_metamorphic(Worker *w, Prog *pr, int i, const LvtProgram *vp,
                               const LvtRun *vr, const char *applied, unsigned k) {
  LvtFuzzEvidence ev;
  EvArrays a;
  LvtErr e;
  const char *vm = w->set.slot[pr->idx[i]].spec.name;
  int m = 0, same_var = 1, same_orig = 0, rerun_ok;
  lvt_buf_clear(&w->sig);
  diff_shape(w, pr->runs[i], vr);
  lvt_sig_metamorphic(vm, pr->runs[i], vr, lvt_buf_str(&w->shape), &w->sig);
  rerun_ok = run_one(w, &pr->p, pr->idx[i], &w->rerun) == 0 &&
             run_one(w, vp, pr->idx[i], &w->rerun2) == 0;
  if (rerun_ok) {
    lvt_oracle_same(pr->runs[i], &w->rerun, LVT_FUZZ_CHUNK, &w->f->oo, &same_orig, NULL, &e);
    lvt_oracle_same(vr, &w->rerun2, LVT_FUZZ_CHUNK, &w->f->oo, &same_var, NULL, &e);
  }
  ev_init(w, &ev, &a, LVT_FINDING_METAMORPHIC, pr->index, pr->seed, pr->prof, &pr->p);
  ev.signature = lvt_buf_str(&w->sig);
  ev.label = label_of(rerun_ok, same_var && same_orig);
  ev.variant = vp->src;
  ev.vlen = vp->len;
  ev.applied = applied;
  ev.k = k;
  ev.noise = lvt_buf_str(&w->noise);
  ev_add(w, &a, &m, pr->idx[i], pr->runs[i], "result");
  ev_add(w, &a, &m, pr->idx[i], vr, "variant-result");
  ev.n = m;
  pr->d->metamorphic++;
  if (strcmp(ev.label, "flaky") == 0) pr->d->flaky++;
  record(w, &ev);
}

/* Marks the VM in slot 'idx' broken after 'msg' (it could not be
** restarted), and says so. */
static void broke(Worker *w, int idx, const char *msg) {
  LvtVmSlot *slot = &w->set.slot[idx];
  char what[400];
  lvt_vmset_fail(slot, "broken: %s", msg);
  snprintf(what, sizeof what, "broken (worker %d): %s", w->id, msg);
  pthread_mutex_lock(&w->f->lock);
  w->f->st.vm[idx].broken = 1;
  pthread_mutex_unlock(&w->f->lock);
  lvt_fuzz_emit_vm(w->f, slot->spec.name, what);
}

/* The metamorphic check of the batch's n programs, in rounds k = 1..K:
** variant k of every program that ran (split like the programs, where the
** prelude is intact), then each VM runs the variants of the programs that
** ended normally on it in one batch, then, program by program, a result
** other than the VM's own original is a finding (the first per VM and
** program: that VM runs none of the program's later variants). */
static void check_metamorphic(Worker *w, Prog *pr, size_t n) {
  const LvtFuzzConfig *c = w->f->c;
  unsigned char done[LVT_FUZZ_BATCH][LVT_FUZZ_MAXVM];
  LvtRun *vres[LVT_FUZZ_BATCH][LVT_FUZZ_MAXVM];
  LvtProgram vp[LVT_FUZZ_BATCH], fast[LVT_FUZZ_BATCH];
  int made[LVT_FUZZ_BATCH], has_fast[LVT_FUZZ_BATCH];
  LvtErr e = {0, ""};
  size_t i, s;
  unsigned k;
  if (c->source.variant == NULL || c->metamorphic == 0) return;
  memset(done, 0, sizeof done);
  for (k = 1; k <= c->metamorphic; k++) {
    for (i = 0; i < n; i++) {
      made[i] = 0;
      if (pr[i].n == 0) continue;
      lvt_buf_clear(&w->applied[i]);
      if (c->source.variant(c->source.ud, pr[i].p.src, pr[i].p.len, pr[i].prof, pr[i].seed, k,
                            &w->var[i], &w->applied[i], &e) != LVT_OK) {
        pr[i].d->variant_errors++;
        continue;
      }
      pr[i].d->variants++;
      vp[i].name = LVT_FUZZ_CHUNK;
      vp[i].src = w->var[i].data ? w->var[i].data : "";
      vp[i].len = w->var[i].len;
      vp[i].prelude = NULL;
      vp[i].prelude_len = 0;
      has_fast[i] = split_form(w, &vp[i], &w->vbody[i], &fast[i]);
      made[i] = 1;
    }
    memset(vres, 0, sizeof vres);
    for (s = 0; s < w->set.n; s++) {
      LvtVmSlot *slot = &w->set.slot[s];
      const LvtProgram *list[LVT_FUZZ_BATCH];
      size_t which[LVT_FUZZ_BATCH], at[LVT_FUZZ_BATCH], m = 0, r;
      LvtRun *runs = &w->vruns[s * LVT_FUZZ_BATCH];
      int j;
      if (slot->vm == NULL) continue;
      for (i = 0; i < n; i++) {
        if (!made[i]) continue;
        for (j = 0; j < pr[i].n && pr[i].idx[j] != (int)s; j++) continue;
        if (j == pr[i].n || done[i][j]) continue;
        if (pr[i].runs[j]->outcome != LVT_RUN_OK && pr[i].runs[j]->outcome != LVT_RUN_ERROR &&
            pr[i].runs[j]->outcome != LVT_RUN_EXIT)
          continue;
        list[m] = first_form(slot->vm, &vp[i], has_fast[i] ? &fast[i] : NULL);
        which[m] = i;
        at[m++] = (size_t)j;
      }
      if (m == 0) continue;
      if (lvt_vm_run_batch(slot->vm, list, m, &c->lim, runs, &m, &e) != LVT_OK)
        broke(w, (int)s, e.msg);   /* the results before it count */
      for (r = 0; r < m; r++) vres[which[r]][at[r]] = &runs[r];
    }
    for (i = 0; i < n; i++) {
      int j;
      for (j = 0; j < pr[i].n; j++) {
        LvtRun *vr = vres[i][j];
        int same = 1;
        if (vr == NULL) continue;
        pr[i].d->outcomes[pr[i].idx[j]][vr->outcome]++;
        if (lvt_oracle_same(pr[i].runs[j], vr, LVT_FUZZ_CHUNK, &w->f->oo, &same, NULL, &e) !=
                LVT_OK ||
            same)
          continue;
        done[i][j] = 1;
        if (is_noise(w, &pr[i].p)) pr[i].d->dropped_noise++;
        else record_metamorphic(w, &pr[i], j, &vp[i], vr, lvt_buf_str(&w->applied[i]), k);
      }
    }
  }
}

/* Programs first .. first + n - 1: generated, each VM running those of
** its profiles in one batch (split forms where it keeps preludes), then
** checked one by one in order. */
void lvt_fuzz_do_batch(Worker *w, uint64_t first, size_t n, Delta *const *d) {
  const LvtFuzzConfig *c = w->f->c;
  LvtErr e = {0, ""};
  Prog pr[LVT_FUZZ_BATCH];
  int ok[LVT_FUZZ_BATCH];
  size_t i, s;
  memset(pr, 0, sizeof pr);
  for (i = 0; i < n; i++) {
    Prog *q = &pr[i];
    q->index = first + i;
    q->seed = lvt_fuzz_program_seed(c->seed, q->index);
    q->prof = c->profiles[q->index % c->nprofiles];
    q->d = d[i];
    ok[i] = c->source.program(c->source.ud, q->index, q->seed, q->prof, &w->bsrc[i], &e) ==
            LVT_OK;
    if (!ok[i]) {
      d[i]->gen_errors++;
      continue;
    }
    q->p.name = LVT_FUZZ_CHUNK;
    q->p.src = w->bsrc[i].data ? w->bsrc[i].data : "";
    q->p.len = w->bsrc[i].len;
    q->has_fast = split_form(w, &q->p, &w->bbody[i], &q->fast);
  }
  for (s = 0; s < w->set.n; s++) {
    LvtVmSlot *slot = &w->set.slot[s];
    const LvtProgram *list[LVT_FUZZ_BATCH];
    size_t which[LVT_FUZZ_BATCH], m = 0, k;
    LvtRun *runs = &w->run[s * LVT_FUZZ_BATCH];
    int rc;
    if (slot->vm == NULL) continue;
    for (i = 0; i < n; i++) {
      if (!ok[i] || !c->source.runs_on(c->source.ud, pr[i].prof, pr[i].p.src, pr[i].p.len,
                                       &slot->vm->info))
        continue;
      list[m] = first_form(slot->vm, &pr[i].p, pr[i].has_fast ? &pr[i].fast : NULL);
      which[m++] = i;
    }
    if (m == 0) continue;
    rc = lvt_vm_run_batch(slot->vm, list, m, &c->lim, runs, &m, &e);
    if (rc != LVT_OK) broke(w, (int)s, e.msg);   /* the results before it count */
    for (k = 0; k < m; k++) {
      Prog *q = &pr[which[k]];
      q->idx[q->n] = (int)s;
      q->runs[q->n++] = &runs[k];
      q->d->outcomes[s][runs[k].outcome]++;
    }
  }
  for (i = 0; i < n; i++) {
    if (!ok[i]) continue;
    if (pr[i].n == 0) {
      d[i]->not_compared++;
      continue;
    }
    check_crashes(w, &pr[i]);
    check_divergence(w, &pr[i]);
  }
  check_metamorphic(w, pr, n);
}

static int run_one(Worker *w, const LvtProgram *p, int idx, LvtRun *r) {
  LvtVmSlot *slot = &w->set.slot[idx];
  LvtErr e = {0, ""};
  if (slot->vm == NULL) return -1;
  if (lvt_vm_run(slot->vm, p, &w->f->c->lim, r, &e) == LVT_OK) return 0;
  broke(w, idx, e.msg);
  return -1;
}
