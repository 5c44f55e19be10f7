/*
** lvt_vmset.c -- building and starting the set of VMs.
*/
#define _GNU_SOURCE   /* CPU_SET, sched_getaffinity, pthread_setaffinity_np */
#include "lvt_vmset.h"

#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lvt_vmset_init(LvtVmSet *s) {
  s->slot = NULL;
  s->n = 0;
  s->absent = NULL;
  s->nabsent = 0;
}

void lvt_vmset_reset(LvtVmSet *s) {
  size_t i;
  for (i = 0; i < s->n; i++) {
    lvt_vm_close(s->slot[i].vm);
    lvt_vmspec_reset(&s->slot[i].spec);
    lvt_strv_free(s->slot[i].aliases);
  }
  free(s->slot);
  free(s->absent);
  lvt_vmset_init(s);
}

void lvt_vmset_fail(LvtVmSlot *slot, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(slot->why, sizeof slot->why, fmt, ap);
  va_end(ap);
  slot->failed = 1;
  lvt_vm_close(slot->vm);
  slot->vm = NULL;
}

static int has_name(const LvtVmSet *s, const char *name) {
  size_t i;
  for (i = 0; i < s->n; i++)
    if (strcmp(s->slot[i].spec.name, name) == 0) return 1;
  return 0;
}

static LvtVmSlot *push_slot(LvtVmSet *s) {
  LvtVmSlot *slot;
  s->slot = lvt_xrealloc(s->slot, (s->n + 1) * sizeof *s->slot);
  slot = &s->slot[s->n++];
  memset(slot, 0, sizeof *slot);
  return slot;
}

/* Copies a NULL-terminated string vector. */
static char **strv_dup(char *const *v) {
  size_t n = 0, i;
  char **r;
  if (v == NULL) return NULL;
  while (v[n] != NULL) n++;
  r = lvt_xcalloc(n + 1, sizeof *r);
  for (i = 0; i < n; i++) r[i] = lvt_xstrdup(v[i]);
  return r;
}

/* The peers (LuaJIT modes, gopher-lua, fengari, wasmoon): each one that
** is installed is added, each one that is not is listed as absent. */
static void add_peers(LvtVmSet *s) {
  size_t i;
  for (i = 0; i < LVT_NPEERS; i++) {
    const char *name = lvt_peer_names[i];
    LvtErr e = {0, ""};
    LvtVmSpec spec;
    if (has_name(s, name)) continue;
    if (lvt_vmspec_peer(&spec, name, &e) == LVT_OK) {
      push_slot(s)->spec = spec;
    } else {
      LvtVmAbsent *a;
      size_t k;
      for (k = 0; k < s->nabsent; k++)
        if (strcmp(s->absent[k].name, name) == 0) break;
      if (k < s->nabsent) continue;
      s->absent = lvt_xrealloc(s->absent, (s->nabsent + 1) * sizeof *s->absent);
      a = &s->absent[s->nabsent++];
      snprintf(a->name, sizeof a->name, "%s", name);
      snprintf(a->why, sizeof a->why, "%s", e.msg);
    }
  }
}

static void add_group(LvtVmSet *s, int with_ref, const char *self_exe) {
  LvtFound *f;
  size_t n, i;
  if (with_ref && !has_name(s, "ref")) lvt_vmspec_ref(&push_slot(s)->spec, self_exe);
  n = lvt_discover(NULL, &f);
  for (i = 0; i < n; i++) {
    LvtVmSlot *slot;
    LvtVmSpec spec;
    if (has_name(s, f[i].name)) continue;
    if (lvt_vmspec_parse(&spec, f[i].path, self_exe, NULL) != LVT_OK) continue;
    free(spec.name);
    spec.name = lvt_xstrdup(f[i].name);
    spec.cfg.name = spec.name;
    slot = push_slot(s);
    slot->spec = spec;
    slot->aliases = strv_dup(f[i].aliases);
  }
  lvt_found_free(f, n);
  if (with_ref) add_peers(s);
}

int lvt_vmset_add(LvtVmSet *s, const char *spec, const char *self_exe, LvtErr *e) {
  LvtVmSpec vs;
  int with_ref, rc;
  if (lvt_vmspec_is_group(spec, &with_ref)) {
    add_group(s, with_ref, self_exe);
    return LVT_OK;
  }
  rc = lvt_vmspec_parse(&vs, spec, self_exe, e);
  if (rc != LVT_OK) return rc;
  if (has_name(s, vs.name)) {
    rc = lvt_err_set(e, LVT_ERR_USAGE,
                     "--vm %s: a VM named '%s' is already in the list (give it another name=)",
                     spec, vs.name);
    lvt_vmspec_reset(&vs);
    return rc;
  }
  push_slot(s)->spec = vs;
  return LVT_OK;
}

void lvt_vmset_add_default(LvtVmSet *s, const char *self_exe) {
  add_group(s, 1, self_exe);
}

/* =====================================================================
** Starting: one thread per VM (start-up is dominated by waiting)
** ===================================================================== */
typedef struct StartJob {
  LvtVmSlot *slot;
  const LvtVmSetOpts *o;
  pthread_t thread;
  int started;
} StartJob;

static void *start_one(void *arg) {
  StartJob *job = arg;
  LvtVmSlot *slot = job->slot;
  LvtVmConfig cfg = slot->spec.cfg;
  LvtErr e = {0, ""};
  double t0 = lvt_now_ms();
  if (cfg.restart_every == 0) cfg.restart_every = job->o->restart_every;
  cfg.tmp_dir = job->o->tmp_dir;
  cfg.pin_cpu = slot->pin_cpu;
  lvt_vmset_pin_thread(slot);
  if (lvt_vm_open(&slot->vm, &cfg, &e) != LVT_OK) {
    lvt_vmset_fail(slot, "cannot start: %s", e.msg);
  } else if (lvt_vm_probe(slot->vm, cfg.dialect, &e) != LVT_OK) {
    lvt_vmset_fail(slot, "%s", e.msg);
  } else if (job->o->selftest &&
             lvt_vm_selftest(slot->vm, job->o->selftest_timeout_ms, &e) != LVT_OK) {
    lvt_vmset_fail(slot, "%s", e.msg);
  } else {
    slot->selftested = job->o->selftest;
  }
  slot->start_ms = lvt_now_ms() - t0;
  return NULL;
}

void lvt_vmset_pin_thread(const LvtVmSlot *slot) {
  cpu_set_t set;
  if (slot->pin_cpu <= 0) return;
  CPU_ZERO(&set);
  CPU_SET(slot->pin_cpu - 1, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

/* Gives every slot a CPU, round-robin over the CPUs this process may use. */
static void assign_cpus(LvtVmSet *s) {
  cpu_set_t set;
  int cpus[CPU_SETSIZE], n = 0, c;
  size_t i;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return;
  for (c = 0; c < CPU_SETSIZE; c++)
    if (CPU_ISSET(c, &set)) cpus[n++] = c;
  if (n == 0) return;
  for (i = 0; i < s->n; i++) s->slot[i].pin_cpu = cpus[i % (size_t)n] + 1;
}

void lvt_vmset_start(LvtVmSet *s, const LvtVmSetOpts *o) {
  StartJob *jobs = lvt_xcalloc(s->n ? s->n : 1, sizeof *jobs);
  size_t i;
  if (o->pin) assign_cpus(s);
  for (i = 0; i < s->n; i++) {
    jobs[i].slot = &s->slot[i];
    jobs[i].o = o;
    if (s->slot[i].failed || s->slot[i].vm != NULL) continue;
    jobs[i].started = pthread_create(&jobs[i].thread, NULL, start_one, &jobs[i]) == 0;
    if (!jobs[i].started) start_one(&jobs[i]);  /* no thread: do it here */
  }
  for (i = 0; i < s->n; i++)
    if (jobs[i].started) pthread_join(jobs[i].thread, NULL);
  free(jobs);
}

size_t lvt_vmset_ready(const LvtVmSet *s) {
  size_t i, n = 0;
  for (i = 0; i < s->n; i++)
    if (s->slot[i].vm != NULL) n++;
  return n;
}
