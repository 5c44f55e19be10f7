/*
** lvt_suite_script.c -- the engine of the whole-script suites (see
** lvt_suite_script.h): VM commands, private copies, a pool of --jobs
** threads over the runs, judging under one lock.
*/
#define _GNU_SOURCE
#include "lvt_suite_script.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/lvt_spawn.h"
#include "../vm/lvt_ref.h"
#include "lvt_vmspec.h"

/* Output kept per run: beyond it, the run's output is cut (and says so). */
#define OUT_MAX ((size_t)16 << 20)

const LvtScriptKind *lvt_script_kind(LvtSuiteKind k) {
  switch (k) {
    case LVT_SUITE_OFFICIAL: return &lvt_script_official;
    case LVT_SUITE_HARNESS: return &lvt_script_harness;
    case LVT_SUITE_LJTESTS: return &lvt_script_ljt;
    default: return NULL;
  }
}

void lvt_script_cmd_add(LvtScriptCmd *c, const char *arg) {
  c->argv = lvt_xrealloc(c->argv, (c->argc + 2) * sizeof *c->argv);
  c->argv[c->argc++] = lvt_xstrdup(arg);
  c->argv[c->argc] = NULL;
}

void lvt_script_cmd_env(LvtScriptCmd *c, const char *name, const char *value) {
  LvtBuf b = LVT_BUF_INIT;
  lvt_buf_addf(&b, "%s=%s", name, value);
  c->env = lvt_xrealloc(c->env, (c->nenv + 2) * sizeof *c->env);
  c->env[c->nenv++] = b.data;
  c->env[c->nenv] = NULL;
}

static void cmd_reset(LvtScriptCmd *c) {
  size_t i;
  for (i = 0; i < c->argc; i++) free(c->argv[i]);
  for (i = 0; i < c->nenv; i++) free(c->env[i]);
  free(c->argv);
  free(c->env);
  memset(c, 0, sizeof *c);
}

int lvt_script_has(const char *dir, const char *name) {
  LvtBuf b = LVT_BUF_INIT;
  int r;
  lvt_buf_addf(&b, "%s/%s", dir, name);
  r = access(b.data, F_OK) == 0;
  lvt_buf_reset(&b);
  return r;
}

/* =====================================================================
** Opening
** ===================================================================== */

int lvt_script_open(LvtScriptSuite *s, const LvtSuiteOpts *o, const char *root, LvtErr *e) {
  memset(s, 0, sizeof *s);
  s->o = o;
  s->kind = lvt_script_kind(o->kind);
  s->root = root;
  lvt_buf_init(&s->notes);
  if (s->kind == NULL)
    return lvt_err_set(e, LVT_ERR_USAGE, "suite %s does not run scripts",
                       lvt_suite_kind_name(o->kind));
  return s->kind->open(s, e);
}

void lvt_script_close(LvtScriptSuite *s) {
  size_t i;
  if (s->kind != NULL && s->kind->close != NULL) s->kind->close(s);
  for (i = 0; i < s->nfiles; i++) free(s->files[i]);
  free(s->files);
  free(s->src);
  lvt_buf_reset(&s->notes);
  memset(s, 0, sizeof *s);
}

int lvt_script_load_lists(LvtSuiteRun *ru, size_t v, LvtErr *e) {
  const char *names[2];
  size_t i;
  int rc = LVT_OK;
  if (ru->o->lists_root == NULL) return LVT_OK;
  names[0] = ru->r->vms[v].info.dialect == LVT_DIALECT_UNKNOWN
                 ? NULL
                 : lvt_dialect_name(ru->r->vms[v].info.dialect);
  names[1] = ru->r->vms[v].name;
  for (i = 0; i < 2 && rc == LVT_OK; i++) {
    LvtBuf path = LVT_BUF_INIT, shown = LVT_BUF_INIT;
    const char *sub = ru->o->kind == LVT_SUITE_OFFICIAL && ru->o->official_mode == LVT_OFFICIAL_ALL
                          ? "/all"
                      : ru->o->kind == LVT_SUITE_OFFICIAL ? (ru->o->soft_assert ? "/soft" : "/per-file")
                                                          : "";
    if (names[i] == NULL) continue;
    lvt_buf_addf(&shown, "expect/%s%s/%s.txt", lvt_suite_kind_name(ru->o->kind), sub, names[i]);
    lvt_buf_addf(&path, "%s/%s", ru->o->lists_root, shown.data);
    if (access(path.data, F_OK) == 0) rc = lvt_expect_load(&ru->expect[v], path.data, shown.data, NULL, e);
    lvt_buf_reset(&path);
    lvt_buf_reset(&shown);
  }
  return rc;
}

/* =====================================================================
** VMs: how each runs a script
** ===================================================================== */

/* Fills 'sv' for slot 'slot' ('refbin': the directory whose 'lua' is the
** reference, or NULL when it could not be made). */
static void script_vm(LvtScriptSuite *s, const LvtVmSlot *slot, const LvtSuiteVm *rv,
                      const char *refbin, const char *refbin_why, LvtScriptVm *sv) {
  char buf[320];
  const char *why;
  size_t n = 0, i;
  char *path;
  memset(sv, 0, sizeof *sv);
  sv->name = slot->spec.name;
  sv->info = &rv->info;
  sv->env = slot->spec.env;
  if (slot->spec.is_ref) {
    LvtBuf b = LVT_BUF_INIT;
    if (refbin == NULL) {
      sv->skip = lvt_xstrdup(refbin_why);
      return;
    }
    lvt_buf_addf(&b, "%s/lua", refbin);
    sv->cmd = lvt_xcalloc(2, sizeof *sv->cmd);
    sv->cmd[0] = b.data;
    path = realpath(s->o->self_exe, NULL);
  } else if (slot->spec.cfg.speaks_lvx) {
    snprintf(buf, sizeof buf, "%s runs programs only through LVX: it has no interpreter command "
             "to run a suite's scripts with", slot->spec.name);
    sv->skip = lvt_xstrdup(buf);
    return;
  } else {
    while (slot->spec.argv[n] != NULL) n++;
    path = slot->spec.resolved ? lvt_xstrdup(slot->spec.resolved) : lvt_which(slot->spec.argv[0]);
    if (path == NULL) {
      snprintf(buf, sizeof buf, "%s: no such command", slot->spec.argv[0]);
      sv->skip = lvt_xstrdup(buf);
      return;
    }
    sv->cmd = lvt_xcalloc(n + 1, sizeof *sv->cmd);
    /* the path as found, not the realpath: lua-Harness derives luac from it */
    sv->cmd[0] = strchr(slot->spec.argv[0], '/') ? realpath(slot->spec.argv[0], NULL) : NULL;
    if (sv->cmd[0] == NULL) {
      char *found = lvt_which(slot->spec.argv[0]);
      sv->cmd[0] = found ? found : lvt_xstrdup(path);
    }
    for (i = 1; i < n; i++) sv->cmd[i] = lvt_xstrdup(slot->spec.argv[i]);
  }
  sv->asan = path != NULL && lvt_file_contains(path, "__asan_init");
  free(path);
  if ((why = s->kind->skip(s, sv, buf, sizeof buf)) != NULL) sv->skip = lvt_xstrdup(why);
}

static void script_vm_reset(LvtScriptVm *sv) {
  lvt_strv_free(sv->cmd);
  free(sv->skip);
  memset(sv, 0, sizeof *sv);
}

/* =====================================================================
** One run
** ===================================================================== */

typedef struct Pool {
  LvtSuiteRun *ru;
  LvtScriptSuite *s;
  LvtScriptVm *vms;
  const char *dir;          /* the run's private directory */
  size_t *todo;             /* cells (f * nvms + v) to run */
  size_t ntodo, next;
  unsigned timeout_ms;
  pthread_mutex_t lock;
} Pool;

/* The environment of every run: PATH, HOME (the run's directory), LANG=C,
** TZ when lvtest has one, the VM's and the suite's extras. No LUA_INIT,
** LUA_PATH or LUA_CPATH unless the suite sets them. */
static char **make_env(const char *home, char *const *vm_env, char *const *extra) {
  const char *path = getenv("PATH"), *tz = getenv("TZ");
  size_t n = 0, i;
  char **env = lvt_xcalloc(64, sizeof *env);
  LvtBuf b = LVT_BUF_INIT;
  for (i = 0; extra != NULL && extra[i] != NULL && n < 40; i++) env[n++] = lvt_xstrdup(extra[i]);
  for (i = 0; vm_env != NULL && vm_env[i] != NULL && n < 56; i++) env[n++] = lvt_xstrdup(vm_env[i]);
  lvt_buf_addf(&b, "PATH=%s", path ? path : "/usr/local/bin:/usr/bin:/bin");
  env[n++] = lvt_xstrdup(b.data);
  lvt_buf_clear(&b);
  lvt_buf_addf(&b, "HOME=%s", home);
  env[n++] = lvt_xstrdup(b.data);
  env[n++] = lvt_xstrdup("LANG=C");
  if (tz != NULL) {
    lvt_buf_clear(&b);
    lvt_buf_addf(&b, "TZ=%s", tz);
    env[n++] = lvt_xstrdup(b.data);
  }
  lvt_buf_reset(&b);
  return env;
}

/* Turns what the spawn said into the run record the judges read. */
static void to_run(const LvtSpawnResult *sr, unsigned timeout_ms, LvtScriptCell *c) {
  LvtRun *run = &c->cell.run;
  LvtBuf line = LVT_BUF_INIT;
  run->wall_ms = sr->wall_ms;
  if (sr->timed_out) {
    run->outcome = LVT_RUN_TIMEOUT;
    lvt_buf_addf(&run->detail, "no end after %u ms: killed", timeout_ms);
  } else if (!sr->exited) {
    run->outcome = LVT_RUN_CRASH;
    run->signal = sr->signal;
  } else if (sr->code != 0) {
    run->outcome = LVT_RUN_ERROR;
    snprintf(run->err_type, sizeof run->err_type, "exit %d", sr->code);
    if (lvt_script_error_line(run->errout.data ? run->errout.data : "", run->errout.len, &line))
      lvt_buf_set(&run->err_value, line.data, line.len);
    else
      lvt_buf_adds(&run->err_value, "(nothing on stderr)");
  } else {
    run->outcome = LVT_RUN_OK;
  }
  lvt_buf_reset(&line);
}

/* Runs file 'f' on VM 'v' into 'c' (the caller judges and frees it). */
static void run_one(Pool *p, size_t f, size_t v, LvtScriptCell *c, LvtBuf *dir) {
  LvtScriptSuite *s = p->s;
  const LvtScriptVm *vm = &p->vms[v];
  LvtScriptCmd cmd;
  LvtSpawn sp;
  LvtSpawnResult sr;
  LvtBuf copy = LVT_BUF_INIT, out = LVT_BUF_INIT, err = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  char **env = NULL;
  int trunc = 0, trunc2 = 0;
  memset(&cmd, 0, sizeof cmd);
  lvt_buf_clear(dir);
  lvt_buf_addf(dir, "%s/r%zu-%zu", p->dir, f, v);
  lvt_buf_addf(&copy, "%s/suite", dir->data);
  lvt_buf_addf(&out, "%s/stdout", dir->data);
  lvt_buf_addf(&err, "%s/stderr", dir->data);
  c->dir = dir->data;
  c->copy = NULL;
  if (mkdir(dir->data, 0700) < 0) {
    lvt_err_set(&e, LVT_ERR_IO, "mkdir %s: %s", dir->data, strerror(errno));
    goto fail;
  }
  if (lvt_copy_tree(s->src, copy.data, &e) != LVT_OK) goto fail;
  if (s->kind->prepare(s, vm, s->files[f], copy.data, &cmd, &e) != LVT_OK) goto fail;
  env = make_env(dir->data, vm->env, cmd.env);
  lvt_spawn_init(&sp);
  sp.argv = cmd.argv;
  sp.env = env;
  sp.cwd = copy.data;
  sp.out_path = out.data;
  sp.err_path = err.data;
  sp.timeout_ms = p->timeout_ms;
  sp.as_limit = vm->asan ? 0 : p->ru->o->lim.mem_limit;
  sp.stack_soft = cmd.stack_soft;
  if (lvt_spawn_run(&sp, &sr, &e) != LVT_OK) goto fail;
  c->cell.ran = 1;
  lvt_read_file(out.data, OUT_MAX, &c->cell.run.out, &trunc, NULL);
  lvt_read_file(err.data, OUT_MAX, &c->cell.run.errout, &trunc2, NULL);
  c->cell.run.out_truncated = trunc;
  c->copy = lvt_xstrdup(copy.data);
  to_run(&sr, p->timeout_ms, c);
  goto done;
fail:
  snprintf(c->cell.note, sizeof c->cell.note, "could not run: %s", e.msg);
done:
  lvt_strv_free(env);
  cmd_reset(&cmd);
  lvt_buf_reset(&copy);
  lvt_buf_reset(&out);
  lvt_buf_reset(&err);
}

static void cell_reset(LvtScriptCell *c) {
  lvt_run_reset(&c->cell.run);
  free((char *)c->copy);
  memset(c, 0, sizeof *c);
}

/* Judges a cell and reports progress; under the pool's lock. */
static void judged(Pool *p, size_t f, size_t v, LvtScriptCell *c) {
  LvtSuiteRun *ru = p->ru;
  LvtSuiteResult *res = LVT_SUITE_RES(ru->r, f, v);
  LvtSuiteEvent ev;
  if (c->cell.ran) {
    p->s->kind->judge(ru, f, v, c);
  } else {
    lvt_suite_judge_not_run(res, &c->cell);
  }
  ru->done++;
  if (ru->o->progress == NULL) return;
  ev.done = ru->done;
  ev.total = ru->total;
  ev.file = ru->r->files[f];
  ev.vm = ru->r->vms[v].name;
  ev.run = &c->cell.run;
  ev.res = res;
  ru->o->progress(ru->o->ud, &ev);
}

static void *worker(void *arg) {
  Pool *p = arg;
  LvtBuf dir = LVT_BUF_INIT;
  for (;;) {
    LvtScriptCell c;
    size_t k, nv = p->ru->r->nvms;
    pthread_mutex_lock(&p->lock);
    k = p->next < p->ntodo ? p->todo[p->next++] : (size_t)-1;
    pthread_mutex_unlock(&p->lock);
    if (k == (size_t)-1) break;
    memset(&c, 0, sizeof c);
    lvt_run_init(&c.cell.run);
    run_one(p, k / nv, k % nv, &c, &dir);
    pthread_mutex_lock(&p->lock);
    judged(p, k / nv, k % nv, &c);
    pthread_mutex_unlock(&p->lock);
    if (!p->ru->o->keep) lvt_remove_tree(dir.data);
    cell_reset(&c);
  }
  lvt_buf_reset(&dir);
  return NULL;
}

/* A skipped file record for every file of a VM the suite does not run on. */
static void skip_vm(LvtSuiteRun *ru, size_t v, const char *why) {
  size_t f;
  for (f = 0; f < ru->r->nfiles; f++) {
    LvtSuiteResult *res = LVT_SUITE_RES(ru->r, f, v);
    res->tests = lvt_xcalloc(1, sizeof *res->tests);
    lvt_suite_add_file_test(res, LVT_TS_SKIP, why);
    lvt_suite_settle(res, 1);
    res->ran = 1;   /* decided, not lost */
  }
}

static unsigned online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1;
}

int lvt_script_run(LvtSuiteRun *ru, LvtScriptSuite *s, LvtErr *e) {
  LvtSuiteReport *r = ru->r;
  const LvtSuiteOpts *o = ru->o;
  Pool p;
  LvtBuf dir = LVT_BUF_INIT;
  LvtErr be = {0, ""};
  char *refbin = NULL, refwhy[300] = "";
  pthread_t *th;
  size_t f, v, i, nth;
  int rc = LVT_OK;
  memset(&p, 0, sizeof p);
  p.ru = ru;
  p.s = s;
  p.timeout_ms = o->timeout_ms ? o->timeout_ms : s->kind->timeout_ms;
  lvt_buf_addf(&dir, "%s/lvt-suite-XXXXXX",
               o->tmp_dir ? o->tmp_dir : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (mkdtemp(dir.data) == NULL) {
    rc = lvt_err_set(e, LVT_ERR_IO, "mkdtemp %s: %s", dir.data, strerror(errno));
    lvt_buf_reset(&dir);
    return rc;
  }
  p.dir = dir.data;
  if (o->self_exe == NULL)
    snprintf(refwhy, sizeof refwhy, "the reference needs the lvtest binary to run as 'lua'");
  else if (lvt_ref_bin_dir(o->self_exe, dir.data, &refbin, &be) != LVT_OK)
    snprintf(refwhy, sizeof refwhy, "cannot make the reference's 'lua': %s", be.msg);
  p.vms = lvt_xcalloc(r->nvms + 1, sizeof *p.vms);
  p.todo = lvt_xcalloc(r->nfiles * r->nvms + 1, sizeof *p.todo);
  for (v = 0; v < r->nvms; v++) {
    const LvtVmSlot *slot = &ru->set->slot[v];
    if (slot->vm == NULL) continue;
    script_vm(s, slot, &r->vms[v], refbin, refwhy, &p.vms[v]);
  }
  for (f = 0; f < r->nfiles; f++)
    for (v = 0; v < r->nvms; v++)
      if (ru->set->slot[v].vm != NULL && p.vms[v].skip == NULL) p.todo[p.ntodo++] = f * r->nvms + v;
  for (v = 0; v < r->nvms; v++) {
    if (ru->set->slot[v].vm == NULL) {
      LvtCell c;
      memset(&c, 0, sizeof c);
      snprintf(c.note, sizeof c.note, "%s", ru->set->slot[v].why[0] ? ru->set->slot[v].why : "not usable");
      for (f = 0; f < r->nfiles; f++) lvt_suite_judge_not_run(LVT_SUITE_RES(r, f, v), &c);
    } else if (p.vms[v].skip != NULL) {
      skip_vm(ru, v, p.vms[v].skip);
      lvt_buf_addf(&r->notes, "%s skipped: %s\n", r->vms[v].name, p.vms[v].skip);
    }
  }
  ru->total = p.ntodo;
  nth = o->jobs ? o->jobs : online_cpus();
  if (nth > p.ntodo) nth = p.ntodo;
  pthread_mutex_init(&p.lock, NULL);
  th = lvt_xcalloc(nth + 1, sizeof *th);
  for (i = 0; i < nth; i++)
    if (pthread_create(&th[i], NULL, worker, &p) != 0) break;
  if (i == 0 && nth > 0) worker(&p);   /* no thread at all: do it here */
  nth = i;
  for (i = 0; i < nth; i++) pthread_join(th[i], NULL);
  pthread_mutex_destroy(&p.lock);
  free(th);
  for (v = 0; v < r->nvms; v++) script_vm_reset(&p.vms[v]);
  free(p.vms);
  free(p.todo);
  free(refbin);
  if (!o->keep) lvt_remove_tree(dir.data);
  else lvt_buf_addf(&r->notes, "run directories kept in %s\n", dir.data);
  lvt_buf_reset(&dir);
  return rc;
}

/* =====================================================================
** Helpers for the kinds
** ===================================================================== */

/* 1 when 'p[0..n)' is noise on an interpreter's stderr: blank, progress
** dots, "Lua warning: ...", ">>> closing state <<<". */
static int noise(const char *p, size_t n) {
  size_t i;
  for (i = 0; i < n && (p[i] == '.' || p[i] == ' ' || p[i] == '\t' || p[i] == '\r'); i++) {}
  if (i == n) return 1;
  return (n >= 12 && memcmp(p, "Lua warning:", 12) == 0) ||
         (n >= 3 && memcmp(p, ">>>", 3) == 0);
}

int lvt_script_error_line(const char *err, size_t len, LvtBuf *out) {
  const char *tb = NULL, *p = err, *end = err + len, *best = NULL, *best_end = NULL;
  lvt_buf_clear(out);
  /* the last "stack traceback:" line */
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    if ((size_t)(le - p) >= 16 && memcmp(p, "stack traceback:", 16) == 0) tb = p;
    p = nl ? nl + 1 : end;
  }
  /* the last line that is not noise, before the traceback (or at all) */
  for (p = err; p < (tb ? tb : end);) {
    const char *nl = memchr(p, '\n', (size_t)((tb ? tb : end) - p));
    const char *le = nl ? nl : (tb ? tb : end);
    if (!noise(p, (size_t)(le - p))) {
      best = p;
      best_end = le;
    }
    p = nl ? nl + 1 : le;
  }
  if (best == NULL) return 0;
  /* progress dots glued to the front of the message */
  while (best < best_end && *best == '.') best++;
  lvt_buf_add_escaped(out, best, (size_t)(best_end - best), 400, 0);
  return 1;
}

void lvt_script_judge_tap(LvtSuiteRun *ru, size_t f, size_t v, LvtScriptCell *c) {
  lvt_suite_judge_own(ru, f, v, &c->cell);
}
