/*
** lvt_fuzz.c -- the fuzz loop: workers (each with its own VMs; one program
** at a time through lvt_fuzz_do_program), ordered commit of counters, and
** the coordinating thread (time limit, stop flag, state.json, status).
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

#define STATE_MS 1000         /* state.json at least this often */

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
  c->lim.no_peak_mem = 1;
  c->selftest = 1;
  c->selftest_timeout_ms = 100;
  c->pin = 1;
  c->noise_check = 1;
}

/* =====================================================================
** Shared state
** ===================================================================== */

void lvt_fuzz_fatal(Fuzz *f, const LvtErr *e) {
  pthread_mutex_lock(&f->lock);
  if (!f->fatal) {
    f->fatal = 1;
    f->fatal_err = *e;
  }
  f->stopping = 1;
  pthread_cond_broadcast(&f->cond);
  pthread_mutex_unlock(&f->lock);
}

/* The next programs: up to LVT_FUZZ_BATCH indices from '*first'; 0 when
** the campaign is over. */
static size_t take_batch(Fuzz *f, uint64_t *first) {
  size_t n = 0;
  pthread_mutex_lock(&f->lock);
  if (!f->stopping && f->handout < f->limit) {
    uint64_t left = f->limit - f->handout;
    n = left < LVT_FUZZ_BATCH ? (size_t)left : LVT_FUZZ_BATCH;
    *first = f->handout;
    f->handout += n;
  }
  pthread_mutex_unlock(&f->lock);
  return n;
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
void lvt_fuzz_emit_vm(Fuzz *f, const char *vm, const char *what) {
  if (f->c->on_vm == NULL) return;
  pthread_mutex_lock(&f->ev_lock);
  f->c->on_vm(f->c->ud, vm, what);
  pthread_mutex_unlock(&f->ev_lock);
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
  uint64_t first;
  size_t i, n;
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
    w->run = lvt_xcalloc(w->set.n * LVT_FUZZ_BATCH + 1, sizeof *w->run);
    w->vruns = lvt_xcalloc(w->set.n * LVT_FUZZ_BATCH + 1, sizeof *w->vruns);
    for (i = 0; i < w->set.n * LVT_FUZZ_BATCH; i++) {
      lvt_run_init(&w->run[i]);
      lvt_run_init(&w->vruns[i]);
    }
  }
  pthread_mutex_lock(&f->lock);
  f->ready++;
  pthread_cond_broadcast(&f->cond);
  while (!f->go) pthread_cond_wait(&f->cond, &f->lock);
  pthread_mutex_unlock(&f->lock);
  while (w->setup_rc == LVT_OK && (n = take_batch(f, &first)) > 0) {
    Delta *d[LVT_FUZZ_BATCH];
    for (i = 0; i < n; i++) {
      d[i] = lvt_xcalloc(1, sizeof *d[i]);
      d[i]->index = first + i;
    }
    lvt_fuzz_do_batch(w, first, n, d);
    for (i = 0; i < n; i++) commit(f, d[i]);
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
  lvt_run_init(&w->rerun);
  lvt_run_init(&w->rerun2);
  lvt_run_init(&w->base);
  lvt_run_init(&w->nrun);
}

static void worker_reset(Worker *w) {
  size_t i;
  if (w->run != NULL)
    for (i = 0; i < w->set.n * LVT_FUZZ_BATCH; i++) {
      lvt_run_reset(&w->run[i]);
      lvt_run_reset(&w->vruns[i]);
    }
  if (w->spec != NULL)
    for (i = 0; i < w->set.n; i++) free(w->spec[i]);
  free(w->spec);
  free(w->run);
  free(w->vruns);
  lvt_vmset_reset(&w->set);
  lvt_ref_close(w->ref);
  lvt_run_reset(&w->rerun);
  lvt_run_reset(&w->rerun2);
  lvt_run_reset(&w->base);
  lvt_run_reset(&w->nrun);
  lvt_buf_reset(&w->sig);
  lvt_buf_reset(&w->sig2);
  lvt_buf_reset(&w->t1);
  lvt_buf_reset(&w->t2);
  lvt_buf_reset(&w->shape);
  lvt_buf_reset(&w->explain);
  lvt_buf_reset(&w->noise);
  for (i = 0; i < LVT_FUZZ_BATCH; i++) {
    lvt_buf_reset(&w->bsrc[i]);
    lvt_buf_reset(&w->bbody[i]);
    lvt_buf_reset(&w->var[i]);
    lvt_buf_reset(&w->vbody[i]);
    lvt_buf_reset(&w->applied[i]);
  }
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
      lvt_fuzz_emit_vm(f, f->st.vm[i].name, msg);
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
        if (lvt_fuzz_state_save(c, &st, f.store, &se) != LVT_OK) lvt_fuzz_fatal(&f, &se);
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
