/*
** lvt_exec.c -- the program x VM matrix.
*/
#include "lvt_exec.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int lvt_source_load(LvtSource *src, const char *path, LvtErr *e) {
  FILE *f;
  char chunk[65536];
  size_t n;
  struct stat st;
  src->name = NULL;
  lvt_buf_init(&src->text);
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return lvt_err_set(e, LVT_ERR_IO, "%s: is a directory, not a Lua program", path);
  if ((f = fopen(path, "rb")) == NULL)
    return lvt_err_set(e, LVT_ERR_IO, "%s: %s", path, strerror(errno));
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) lvt_buf_add(&src->text, chunk, n);
  if (ferror(f)) {
    int err = errno;
    fclose(f);
    lvt_buf_reset(&src->text);
    return lvt_err_set(e, LVT_ERR_IO, "%s: read error: %s", path, strerror(err));
  }
  fclose(f);
  src->name = lvt_xstrdup(path);
  return LVT_OK;
}

void lvt_source_reset(LvtSource *src) {
  free(src->name);
  src->name = NULL;
  lvt_buf_reset(&src->text);
}

void lvt_matrix_reset(LvtMatrix *m) {
  size_t i;
  for (i = 0; i < m->nprog * m->nvm; i++) lvt_run_reset(&m->cell[i].run);
  free(m->cell);
  m->cell = NULL;
  m->nprog = m->nvm = 0;
}

typedef struct VmJob {
  LvtVmSet *set;
  size_t vm;
  const LvtProgram *progs;
  size_t nprog;
  const LvtLimits *lim;
  LvtMatrix *m;
  LvtExecProgress progress;
  void *ud;
  pthread_mutex_t *lock;
  pthread_t thread;
  int started;
} VmJob;

static void *run_vm(void *arg) {
  VmJob *job = arg;
  LvtVmSlot *slot = &job->set->slot[job->vm];
  size_t p;
  lvt_vmset_pin_thread(slot);   /* beside its child: ~2x faster round trips */
  for (p = 0; p < job->nprog; p++) {
    LvtCell *c = LVT_CELL(job->m, p, job->vm);
    LvtErr e = {0, ""};
    if (slot->vm == NULL) {
      snprintf(c->note, sizeof c->note, "not run: %s", slot->why);
      continue;
    }
    if (lvt_vm_run(slot->vm, &job->progs[p], job->lim, &c->run, &e) != LVT_OK) {
      /* lvtest could not do its job with this VM (e.g. it cannot be
      ** restarted): the VM is out from here on, and every cell says so. */
      pthread_mutex_lock(job->lock);
      lvt_vmset_fail(slot, "stopped at program %zu (%s): %s", p + 1,
                     job->progs[p].name, e.msg);
      pthread_mutex_unlock(job->lock);
      snprintf(c->note, sizeof c->note, "not run: %s", slot->why);
      continue;
    }
    c->ran = 1;
    if (job->progress != NULL) {
      pthread_mutex_lock(job->lock);
      job->progress(job->ud, p, job->vm, &c->run);
      pthread_mutex_unlock(job->lock);
    }
  }
  return NULL;
}

int lvt_exec_matrix(LvtVmSet *set, const LvtProgram *progs, size_t nprog,
                    const LvtLimits *lim, LvtMatrix *m, LvtExecProgress progress,
                    void *ud) {
  pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  VmJob *jobs;
  size_t i;
  m->nprog = nprog;
  m->nvm = set->n;
  m->cell = lvt_xcalloc(nprog * set->n + 1, sizeof *m->cell);
  for (i = 0; i < nprog * set->n; i++) lvt_run_init(&m->cell[i].run);
  jobs = lvt_xcalloc(set->n + 1, sizeof *jobs);
  for (i = 0; i < set->n; i++) {
    VmJob *j = &jobs[i];
    j->set = set;
    j->vm = i;
    j->progs = progs;
    j->nprog = nprog;
    j->lim = lim;
    j->m = m;
    j->progress = progress;
    j->ud = ud;
    j->lock = &lock;
    j->started = pthread_create(&j->thread, NULL, run_vm, j) == 0;
    if (!j->started) run_vm(j);
  }
  for (i = 0; i < set->n; i++)
    if (jobs[i].started) pthread_join(jobs[i].thread, NULL);
  free(jobs);
  pthread_mutex_destroy(&lock);
  return LVT_OK;
}
