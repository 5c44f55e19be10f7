/*
** main.c -- the lvtest command: usage, dispatch and exit codes. The only
** file that talks to the terminal and decides how lvtest exits:
**   0  all pass / all agree      2  usage error
**   1  a failure or divergence   3  internal error
*/
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz/lvt_gen.h"
#include "fuzz/lvt_meta.h"
#include "harness/lvt_exec.h"
#include "harness/lvt_fuzz.h"
#include "harness/lvt_opts.h"
#include "harness/lvt_oracle.h"
#include "harness/lvt_suite.h"
#include "harness/lvt_vmset.h"
#include "reports/lvt_console.h"
#include "reports/lvt_json.h"
#include "reports/lvt_junit.h"
#include "reports/lvt_matrix.h"
#include "vm/lvt_ref.h"
#include "vm/ref/lvt_ref_lua.h"

enum { EXIT_PASS = 0, EXIT_FOUND = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

/* The lvtest binary itself, for the reference worker. */
static char self_exe[PATH_MAX];

static void find_self(const char *argv0) {
  ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
  if (n > 0) {
    self_exe[n] = '\0';
  } else if (realpath(argv0, self_exe) == NULL) {
    snprintf(self_exe, sizeof self_exe, "%s", argv0);
  }
}

static int use_color(FILE *f) {
  const char *nc = getenv("NO_COLOR");
  if (nc != NULL && *nc != '\0') return 0;
  return isatty(fileno(f));
}

static void console_init(LvtConsole *c, FILE *f, const LvtOpts *o) {
  c->f = f;
  c->color = use_color(f);
  c->verbose = o->verbose;
}

/* Builds and starts the VM set of a command. Returns an exit code, or -1
** to go on. */
static int start_vms(const LvtOpts *o, LvtVmSet *set, int default_all) {
  LvtVmSetOpts so;
  size_t i;
  lvt_vmset_init(set);
  if (o->nvms == 0 || default_all) lvt_vmset_add_default(set, self_exe);
  for (i = 0; i < o->nvms; i++) {
    LvtErr e = {0, ""};
    if (lvt_vmset_add(set, o->vms[i], self_exe, &e) != LVT_OK) {
      /* In 'vms' a name already listed by discovery is not an error. */
      if (default_all && strstr(e.msg, "already in the list") != NULL) continue;
      fprintf(stderr, "lvtest: %s\n", e.msg);
      lvt_vmset_reset(set);
      return e.code == LVT_ERR_USAGE ? EXIT_USAGE : EXIT_INTERNAL;
    }
  }
  memset(&so, 0, sizeof so);
  so.restart_every = o->restart_every;
  so.selftest = !o->no_selftest;
  so.selftest_timeout_ms = o->selftest_timeout_ms;
  so.pin = !o->no_pin;
  lvt_vmset_start(set, &so);
  return -1;
}

/* =====================================================================
** lvtest vms
** ===================================================================== */
static int cmd_vms(const LvtOpts *o) {
  LvtVmSet set;
  LvtConsole con;
  int rc = start_vms(o, &set, 1);
  if (rc >= 0) return rc;
  console_init(&con, stdout, o);
  lvt_console_vms(&con, &set, lvt_ref_lua_version());
  if (!o->quiet)
    printf("\n%zu VM%s usable, %zu failed. Name them with --vm NAME; "
           "'lvtest help' shows the other forms.\n",
           lvt_vmset_ready(&set), lvt_vmset_ready(&set) == 1 ? "" : "s",
           set.n - lvt_vmset_ready(&set));
  lvt_vmset_reset(&set);
  return EXIT_PASS;
}

/* =====================================================================
** lvtest run / compare: shared set-up
** ===================================================================== */
typedef struct Job {
  LvtSource *src;
  LvtProgram *progs;
  size_t n;
} Job;

static void job_reset(Job *j) {
  size_t i;
  for (i = 0; i < j->n; i++) lvt_source_reset(&j->src[i]);
  free(j->src);
  free(j->progs);
}

/* Loads every program first: a missing file is a usage error before any
** VM is started. */
static int load_programs(const LvtOpts *o, Job *j) {
  size_t i;
  j->src = lvt_xcalloc(o->nfiles, sizeof *j->src);
  j->progs = lvt_xcalloc(o->nfiles, sizeof *j->progs);
  j->n = 0;
  for (i = 0; i < o->nfiles; i++) {
    LvtErr e = {0, ""};
    if (lvt_source_load(&j->src[i], o->files[i], &e) != LVT_OK) {
      fprintf(stderr, "lvtest: %s\n", e.msg);
      return EXIT_USAGE;
    }
    j->n++;
    j->progs[i].name = j->src[i].name;
    j->progs[i].src = j->src[i].text.data ? j->src[i].text.data : "";
    j->progs[i].len = j->src[i].text.len;
  }
  return -1;
}

/* The live status line on a TTY. */
typedef struct Progress {
  int tty;
  size_t done, total;
} Progress;

static void on_progress(void *ud, size_t prog, size_t vm, const LvtRun *r) {
  Progress *p = ud;
  (void)prog;
  (void)vm;
  (void)r;
  p->done++;
  if (p->tty) fprintf(stderr, "\r\033[K[%zu/%zu runs]", p->done, p->total);
}

static void progress_end(Progress *p) {
  if (p->tty) fprintf(stderr, "\r\033[K");
}

/* =====================================================================
** JSON results (--json)
** ===================================================================== */

/* A report with the VMs of 'set'. */
static LvtJsonReport *report_new(const char *command, const LvtVmSet *set) {
  LvtJsonReport *r = lvt_jreport_new(command);
  size_t i;
  for (i = 0; i < set->n; i++) {
    const LvtVmSlot *s = &set->slot[i];
    LvtJsonVm jv;
    memset(&jv, 0, sizeof jv);
    jv.name = s->spec.name;
    jv.backend = s->spec.is_ref ? "ref" : "proc";
    jv.how = s->spec.how;
    if (s->vm != NULL) jv.info = s->vm->info;
    jv.usable = s->vm != NULL;
    jv.selftest = s->selftested ? LVT_SELFTEST_PASSED
                  : (s->failed && strstr(s->why, "self-test") ? LVT_SELFTEST_FAILED
                                                              : LVT_SELFTEST_SKIPPED);
    jv.why = s->vm == NULL ? s->why : NULL;
    lvt_jreport_add_vm(r, &jv);
  }
  return r;
}

/* Adds program 'p' of the matrix (the cells that ran) with verdict 'v'
** (NULL for none). */
static void report_program(LvtJsonReport *r, const LvtVmSet *set, const LvtMatrix *m,
                           size_t p, const char *name, const LvtVerdict *v) {
  LvtOracleEntry *ent = lvt_xcalloc(set->n + 1, sizeof *ent);
  size_t k;
  int n = 0;
  for (k = 0; k < set->n; k++) {
    const LvtCell *c = LVT_CELL(m, p, k);
    if (!c->ran) continue;
    ent[n].vm = set->slot[k].spec.name;
    ent[n].info = set->slot[k].vm ? &set->slot[k].vm->info : NULL;
    ent[n].run = &c->run;
    n++;
  }
  lvt_jreport_add_program(r, name, ent, n, v);
  free(ent);
}

/* Writes the report to 'path' ("-" = stdout). Returns an exit code, or -1
** on success. */
static int report_write(const LvtJsonReport *r, const char *path) {
  LvtErr e = {0, ""};
  int rc = strcmp(path, "-") == 0 ? lvt_jreport_write_file(r, stdout, &e)
                                  : lvt_jreport_write(r, path, &e);
  if (rc != LVT_OK) {
    fprintf(stderr, "lvtest: --json: %s\n", e.msg);
    return EXIT_INTERNAL;
  }
  return -1;
}

/* Starts the VMs of 'o' into 'set' and runs every program of 'job' on
** them into 'm'. Returns an exit code (the set is then reset), or -1 to go
** on. 'what' says what did not happen when no VM is usable. */
static int start_and_run(const LvtOpts *o, const Job *job, LvtVmSet *set, LvtMatrix *m,
                         LvtConsole *con, const char *what) {
  Progress pr;
  int rc = start_vms(o, set, 0);
  if (rc >= 0) return rc;
  console_init(con, stdout, o);
  if (lvt_vmset_ready(set) == 0) {
    lvt_console_excluded(con, set);
    fprintf(stderr, "lvtest: no usable VM: nothing was %s\n", what);
    lvt_vmset_reset(set);
    return EXIT_FOUND;
  }
  pr.tty = isatty(2) && !o->quiet;
  pr.done = 0;
  pr.total = job->n * lvt_vmset_ready(set);
  lvt_exec_matrix(set, job->progs, job->n, &o->lim, m, on_progress, &pr);
  progress_end(&pr);
  return -1;
}

/* =====================================================================
** lvtest run
** ===================================================================== */
static int cmd_run(const LvtOpts *o) {
  Job job = {NULL, NULL, 0};
  LvtVmSet set;
  LvtMatrix m = {0, 0, NULL};
  LvtConsole con;
  size_t p, v, bad = 0;
  int rc = load_programs(o, &job);
  if (rc >= 0) goto out_job;
  rc = start_and_run(o, &job, &set, &m, &con, "run");
  if (rc >= 0) goto out_job;
  for (p = 0; p < job.n; p++) {
    fprintf(con.f, "%s== %s ==%s\n", lvt_con_bold(&con), job.src[p].name, lvt_con_reset(&con));
    for (v = 0; v < set.n; v++) {
      const LvtCell *c = LVT_CELL(&m, p, v);
      lvt_console_cell(&con, &set.slot[v], c);
      if (!c->ran || c->run.outcome != LVT_RUN_OK) bad++;
    }
  }
  lvt_console_excluded(&con, &set);
  if (!o->quiet)
    fprintf(con.f, "\n%zu program%s x %zu VM%s: %zu result%s not ok\n", job.n,
            job.n == 1 ? "" : "s", set.n, set.n == 1 ? "" : "s", bad, bad == 1 ? "" : "s");
  rc = bad ? EXIT_FOUND : EXIT_PASS;
  if (o->json_path != NULL) {
    LvtJsonReport *jr = report_new("run", &set);
    int wrc;
    for (p = 0; p < job.n; p++) report_program(jr, &set, &m, p, job.src[p].name, NULL);
    wrc = report_write(jr, o->json_path);
    if (wrc >= 0) rc = wrc;
    lvt_jreport_free(jr);
  }
  lvt_matrix_reset(&m);
  lvt_vmset_reset(&set);
out_job:
  job_reset(&job);
  return rc;
}

/* =====================================================================
** lvtest compare
** ===================================================================== */

/* Judges program 'p' across the VMs whose cell ran; fills 'v'. Cells that
** did not run are left out of the verdict and printed by the caller. */
static int judge(const LvtMatrix *m, const LvtVmSet *set, size_t p, const char *name,
                 const LvtOracleOpts *oo, LvtVerdict *v, LvtErr *e) {
  LvtOracleEntry *ent = lvt_xcalloc(set->n + 1, sizeof *ent);
  size_t k;
  int n = 0, rc;
  for (k = 0; k < set->n; k++) {
    const LvtCell *c = LVT_CELL(m, p, k);
    if (!c->ran) continue;
    ent[n].vm = set->slot[k].spec.name;
    ent[n].info = set->slot[k].vm ? &set->slot[k].vm->info : NULL;
    ent[n].run = &c->run;
    n++;
  }
  rc = lvt_oracle_compare(ent, n, name, oo, v, e);
  free(ent);
  return rc;
}

static int cmd_compare(const LvtOpts *o) {
  Job job = {NULL, NULL, 0};
  LvtVmSet set;
  LvtMatrix m = {0, 0, NULL};
  LvtConsole con;
  LvtNorm *norm = NULL;
  LvtOracleOpts oo;
  LvtVerdict v;
  LvtBuf text = LVT_BUF_INIT;
  LvtJsonReport *jr = NULL;
  size_t p, k, agree = 0, diverge = 0, notrun = 0, dialect_only = 0;
  int rc = load_programs(o, &job);
  if (rc >= 0) goto out_job;
  norm = lvt_norm_new(LVT_NORM_DEFAULT);
  if (o->norm_rules != NULL) {
    LvtErr e = {0, ""};
    if (lvt_norm_load_rules(norm, o->norm_rules, &e) != LVT_OK) {
      fprintf(stderr, "lvtest: --norm-rules: %s\n", e.msg);
      rc = EXIT_USAGE;
      goto out_job;
    }
  }
  rc = start_and_run(o, &job, &set, &m, &con, "compared");
  if (rc >= 0) goto out_job;

  memset(&oo, 0, sizeof oo);
  oo.strict_errors = o->strict_errors;
  oo.by_dialect = o->by_dialect;
  oo.norm = norm;
  lvt_verdict_init(&v);
  if (o->json_path != NULL) jr = report_new("compare", &set);
  for (p = 0; p < job.n; p++) {
    LvtErr e = {0, ""};
    const char *name = job.src[p].name;
    if (judge(&m, &set, p, name, &oo, &v, &e) != LVT_OK) {
      fprintf(stderr, "lvtest: %s: %s\n", name, e.msg);
      rc = EXIT_USAGE;
      lvt_verdict_reset(&v);
      goto out_matrix;
    }
    if (v.compared < 2) {
      fprintf(con.f, "%s%s%s: %snot compared%s (%d result%s)\n", lvt_con_bold(&con), name,
              lvt_con_reset(&con), lvt_con_yellow(&con), lvt_con_reset(&con), v.compared,
              v.compared == 1 ? "" : "s");
      notrun++;
    } else if (v.agree) {
      agree++;
      if (!o->quiet)
        fprintf(con.f, "%s%s%s: %sagree%s (%d VMs: %s)\n", lvt_con_bold(&con), name,
                lvt_con_reset(&con), lvt_con_green(&con), lvt_con_reset(&con), v.compared,
                v.nclasses > 0 ? v.classes[0].label : "-");
    } else {
      diverge++;
      if (v.dialect_split) dialect_only++;
      fprintf(con.f, "%s%s%s: %sDIVERGE%s\n", lvt_con_bold(&con), name, lvt_con_reset(&con),
              lvt_con_red(&con), lvt_con_reset(&con));
      lvt_buf_clear(&text);
      lvt_verdict_explain(&v, &text);
      fputs(lvt_buf_str(&text), con.f);
    }
    for (k = 0; k < set.n; k++) {
      const LvtCell *c = LVT_CELL(&m, p, k);
      if (!c->ran) fprintf(con.f, "  %s: %s\n", set.slot[k].spec.name, c->note);
    }
    if (jr != NULL) report_program(jr, &set, &m, p, name, &v);
  }
  lvt_verdict_reset(&v);
  lvt_console_excluded(&con, &set);
  fprintf(con.f, "\n%zu program%s on %zu VM%s: %zu agree, %zu diverge",
          job.n, job.n == 1 ? "" : "s", lvt_vmset_ready(&set),
          lvt_vmset_ready(&set) == 1 ? "" : "s", agree, diverge);
  if (dialect_only) fprintf(con.f, " (%zu only along dialect lines)", dialect_only);
  if (notrun) fprintf(con.f, ", %zu not compared", notrun);
  if (set.n > lvt_vmset_ready(&set)) fprintf(con.f, "; %zu VM%s excluded", set.n - lvt_vmset_ready(&set),
                                             set.n - lvt_vmset_ready(&set) == 1 ? "" : "s");
  fprintf(con.f, "\n");
  rc = (diverge || notrun || set.n > lvt_vmset_ready(&set)) ? EXIT_FOUND : EXIT_PASS;
  if (jr != NULL) {
    int wrc = report_write(jr, o->json_path);
    if (wrc >= 0) rc = wrc;
  }
out_matrix:
  lvt_matrix_reset(&m);
  lvt_vmset_reset(&set);
out_job:
  lvt_jreport_free(jr);
  lvt_buf_reset(&text);
  lvt_norm_free(norm);
  job_reset(&job);
  return rc;
}

/* =====================================================================
** lvtest --suite NAME...
** ===================================================================== */
#define MAX_SUITES 8

static void on_suite_progress(void *ud, const LvtSuiteEvent *ev) {
  Progress *p = ud;
  if (p->tty)
    fprintf(stderr, "\r\033[K[%zu/%zu] %s on %s", ev->done, ev->total, ev->file, ev->vm);
}

/* Which suites to run: 'all' expands to every suite (the upstream ones
** run when their directory is known, and are named as absent otherwise).
** 'named[i]': the user named kinds[i] itself (not through 'all'). */
static size_t suite_list(const LvtOpts *o, LvtSuiteKind *kinds, int *named) {
  size_t i, n = 0, k;
  for (i = 0; i < o->nsuites; i++) {
    LvtSuiteKind want[LVT_SUITE__COUNT];
    size_t nwant = 0;
    int is_all = strcmp(o->suites[i], "all") == 0;
    if (is_all)
      for (k = 0; k < LVT_SUITE__COUNT; k++) want[nwant++] = (LvtSuiteKind)k;
    else
      want[nwant++] = (LvtSuiteKind)lvt_suite_kind_parse(o->suites[i]);
    for (k = 0; k < nwant; k++) {
      size_t j;
      for (j = 0; j < n && kinds[j] != want[k]; j++) {}
      if (j == n && n < MAX_SUITES) {
        named[n] = 0;
        kinds[n++] = want[k];
      }
      if (!is_all) named[j] = 1;
    }
  }
  return n;
}

static int is_dir(const char *path) {
  struct stat st;
  return path != NULL && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory of upstream suite 'k': given by flag, else
** lua-harness/upstream/<name>, else $LVT_SUITES_DIR/<name>. '*given' says
** whether the user gave it. Returns a malloc'd path or NULL. */
static char *upstream_dir(const LvtOpts *o, LvtSuiteKind k, int *given) {
  const char *flag = k == LVT_SUITE_OFFICIAL  ? o->official_dir
                     : k == LVT_SUITE_HARNESS ? o->harness_dir
                                              : o->ljtests_dir;
  const char *env = getenv("LVT_SUITES_DIR");
  char *own = lvt_suite_find_root(LVT_SUITE_OWN, self_exe), *r = NULL;
  LvtBuf b = LVT_BUF_INIT;
  *given = flag != NULL;
  if (flag != NULL) {
    free(own);
    return lvt_xstrdup(flag);
  }
  if (own != NULL) {
    lvt_buf_addf(&b, "%s/upstream/%s", own, lvt_suite_kind_name(k));
    if (is_dir(b.data)) r = lvt_xstrdup(b.data);
  }
  if (r == NULL && env != NULL && *env != '\0') {
    lvt_buf_clear(&b);
    lvt_buf_addf(&b, "%s/%s", env, lvt_suite_kind_name(k));
    if (is_dir(b.data)) r = lvt_xstrdup(b.data);
  }
  free(own);
  lvt_buf_reset(&b);
  return r;
}

static int cmd_suite(const LvtOpts *o) {
  LvtSuiteKind kinds[MAX_SUITES];
  LvtSuiteReport *reps[MAX_SUITES + 4];
  char *roots[MAX_SUITES] = {NULL};
  char **only[MAX_SUITES] = {NULL};
  size_t nonly[MAX_SUITES] = {0}, nk, nrep = 0, i;
  unsigned si = 0, sn = 0;
  int named[MAX_SUITES] = {0}, rc = -1;
  char *lists_root = NULL;
  LvtVmSet set;
  LvtConsole con;
  LvtErr e = {0, ""};
  Progress pr;
  LvtNorm *norm = NULL;
  LvtOracleOpts oo;

  /* Usage errors first: they cost nothing yet. */
  nk = suite_list(o, kinds, named);
  for (i = 0; i < o->nexpects; i++)
    if (lvt_suite_check_list(o->expects[i], &e) != LVT_OK) {
      fprintf(stderr, "lvtest: --expect: %s\n", e.msg);
      return EXIT_USAGE;
    }
  if (o->shard != NULL && lvt_suite_parse_shard(o->shard, &si, &sn, &e) != LVT_OK) {
    fprintf(stderr, "lvtest: --shard: %s\n", e.msg);
    return EXIT_USAGE;
  }
  if (o->failed_only) {
    const char *from = o->failed_from ? o->failed_from : o->json_path;
    if (from == NULL) {
      fprintf(stderr, "lvtest: --failed-only needs a results file: --failed-only=FILE or --json FILE\n");
      return EXIT_USAGE;
    }
    /* read before this run's --json replaces it, one list per suite */
    for (i = 0; i < nk; i++)
      if (lvt_json_read_failed(from, lvt_suite_kind_name(kinds[i]), &only[i], &nonly[i], &e) !=
          LVT_OK) {
        fprintf(stderr, "lvtest: --failed-only: %s\n", e.msg);
        rc = EXIT_USAGE;
        goto out;
      }
  }
  for (i = 0; i < nk; i++) {
    int given = 0;
    if (LVT_SUITE_IS_SCRIPT(kinds[i])) {
      roots[i] = upstream_dir(o, kinds[i], &given);
      if (given && !is_dir(roots[i])) {
        fprintf(stderr, "lvtest: --suite %s: %s: no such directory\n",
                lvt_suite_kind_name(kinds[i]), roots[i]);
        rc = EXIT_USAGE;
        goto out;
      }
      if (roots[i] == NULL && named[i]) {
        fprintf(stderr,
                "lvtest: --suite %s: no directory: give --suite-dir PATH (or put it in "
                "lua-harness/upstream/%s or $LVT_SUITES_DIR/%s; 'lvtest help suite')\n",
                lvt_suite_kind_name(kinds[i]), lvt_suite_kind_name(kinds[i]),
                lvt_suite_kind_name(kinds[i]));
        rc = EXIT_USAGE;
        goto out;
      }
      continue;
    }
    roots[i] = lvt_suite_find_root(kinds[i], self_exe);
    if (roots[i] == NULL && named[i]) {
      fprintf(stderr, "lvtest: --suite %s: cannot find %s (run lvtest from its source tree or set LVT_SOURCE_DIR)\n",
              lvt_suite_kind_name(kinds[i]), kinds[i] == LVT_SUITE_OWN ? "lua-harness/" : "corpus/");
      rc = EXIT_USAGE;
      goto out;
    }
  }
  lists_root = lvt_suite_find_root(LVT_SUITE_OWN, self_exe);
  norm = lvt_norm_new(LVT_NORM_DEFAULT);
  if (o->norm_rules != NULL && lvt_norm_load_rules(norm, o->norm_rules, &e) != LVT_OK) {
    fprintf(stderr, "lvtest: --norm-rules: %s\n", e.msg);
    rc = EXIT_USAGE;
    goto out;
  }
  rc = start_vms(o, &set, 0);
  if (rc >= 0) goto out;
  console_init(&con, stdout, o);
  if (lvt_vmset_ready(&set) == 0) {
    lvt_console_excluded(&con, &set);
    fprintf(stderr, "lvtest: no usable VM: no suite was run\n");
    rc = EXIT_FOUND;
    goto out_set;
  }
  memset(&oo, 0, sizeof oo);
  oo.by_dialect = 1;
  oo.strict_errors = o->strict_errors;
  oo.norm = norm;
  pr.tty = isatty(2) && !o->quiet;
  for (i = 0; i < nk; i++) {
    LvtSuiteOpts so;
    if (roots[i] == NULL) {
      char why[300];
      if (LVT_SUITE_IS_SCRIPT(kinds[i]))
        snprintf(why, sizeof why,
                 "not given (--%s-dir PATH, lua-harness/upstream/%s or $LVT_SUITES_DIR/%s)",
                 lvt_suite_kind_name(kinds[i]), lvt_suite_kind_name(kinds[i]),
                 lvt_suite_kind_name(kinds[i]));
      else
        snprintf(why, sizeof why, "not found (run lvtest from its source tree or set LVT_SOURCE_DIR)");
      reps[nrep++] = lvt_suite_report_absent(lvt_suite_kind_name(kinds[i]), why);
      continue;
    }
    lvt_suite_opts_init(&so);
    so.kind = kinds[i];
    so.root = roots[i];
    so.lim = o->lim;
    so.heavy = o->heavy;
    so.shard_index = si;
    so.shard_count = sn;
    so.shuffle = o->shuffle;
    so.seed = o->shuffle_seed;
    so.filter = o->failed_only;
    so.only = (const char *const *)only[i];
    so.nonly = nonly[i];
    so.expect = o->expects;
    so.nexpect = o->nexpects;
    so.oracle = &oo;
    so.progress = on_suite_progress;
    so.ud = &pr;
    so.self_exe = self_exe;
    so.lists_root = lists_root;
    so.jobs = o->jobs;
    so.timeout_ms = o->timeout_given ? o->lim.timeout_ms : 0;
    so.official_mode = o->official_per_file ? LVT_OFFICIAL_PER_FILE : LVT_OFFICIAL_ALL;
    so.soft_assert = o->soft_assert;
    so.globals = o->globals;
    so.profile = o->profile;
    so.keep = o->keep_dirs;
    if (lvt_suite_run(&set, &so, &reps[nrep], &e) != LVT_OK) {
      progress_end(&pr);
      fprintf(stderr, "lvtest: --suite %s: %s\n", lvt_suite_kind_name(kinds[i]), e.msg);
      rc = e.code == LVT_ERR_USAGE ? EXIT_USAGE : EXIT_FOUND;
      goto out_reps;
    }
    nrep++;
    progress_end(&pr);
  }
  lvt_matrix_render(&con, reps, nrep);
  lvt_console_excluded(&con, &set);
  rc = EXIT_PASS;
  for (i = 0; i < nrep; i++)
    if (!reps[i]->ok) rc = EXIT_FOUND;
  if (o->section_vm != NULL && lvt_matrix_sections(&con, reps, nrep, o->section_vm, &e) != LVT_OK) {
    fprintf(stderr, "lvtest: --section-table: %s\n", e.msg);
    rc = EXIT_USAGE;
  }
  if (o->junit_path && lvt_junit_save(o->junit_path, LVT_JUNIT_XML, reps, nrep, &e) != LVT_OK) {
    fprintf(stderr, "lvtest: --junit: %s\n", e.msg);
    rc = EXIT_INTERNAL;
  }
  if (o->tap_path && lvt_junit_save(o->tap_path, LVT_JUNIT_TAP, reps, nrep, &e) != LVT_OK) {
    fprintf(stderr, "lvtest: --tap: %s\n", e.msg);
    rc = EXIT_INTERNAL;
  }
  if (o->json_path) {
    LvtJsonReport *jr = report_new("suite", &set);
    if (lvt_jreport_write_suites(jr, reps, nrep, o->json_path, &e) != LVT_OK) {
      fprintf(stderr, "lvtest: --json: %s\n", e.msg);
      rc = EXIT_INTERNAL;
    }
    lvt_jreport_free(jr);
  }
out_reps:
  for (i = 0; i < nrep; i++) lvt_suite_report_free(reps[i]);
out_set:
  lvt_vmset_reset(&set);
out:
  free(lists_root);
  lvt_norm_free(norm);
  for (i = 0; i < nk; i++) {
    free(roots[i]);
    lvt_strv_free(only[i]);
  }
  return rc;
}

/* =====================================================================
** lvtest fuzz
** ===================================================================== */
static volatile sig_atomic_t fuzz_stop;

/* First SIGINT/SIGTERM: finish the programs in flight, save the state and
** summarise; a second one ends lvtest at once (the state on disk is still
** whole: it is only ever replaced atomically). */
static void on_stop_signal(int sig) {
  if (fuzz_stop) {
    signal(sig, SIG_DFL);
    raise(sig);
  }
  fuzz_stop = 1;
}

/* Programs from files (--replay), round robin. */
typedef struct Replay {
  LvtSource *src;
  size_t n;
} Replay;

static int replay_program(void *ud, uint64_t index, uint64_t seed, LvtProfile prof, LvtBuf *out,
                          LvtErr *e) {
  const Replay *r = ud;
  const LvtSource *s = &r->src[index % r->n];
  (void)seed;
  (void)prof;
  (void)e;
  lvt_buf_set(out, s->text.data ? s->text.data : "", s->text.len);
  return LVT_OK;
}

/* Metamorphic variants (fuzz/lvt_meta.h), every rewrite allowed. */
static int meta_variant(void *ud, const char *src, size_t len, LvtProfile prof, uint64_t seed,
                        unsigned k, LvtBuf *out, LvtBuf *applied, LvtErr *e) {
  (void)ud;
  return lvt_meta_variant(src, len, prof, 0, seed, k, out, applied, e);
}

/* Programs from the generator (fuzz/lvt_gen.h). */
static int gen_program(void *ud, uint64_t index, uint64_t seed, LvtProfile prof, LvtBuf *out,
                       LvtErr *e) {
  LvtGenOpts go;   /* 'ud': the campaign's size target (size_t) */
  (void)index;
  lvt_gen_opts_init(&go);
  go.profile = prof;
  if (ud != NULL && *(const size_t *)ud > 0) go.max_bytes = *(const size_t *)ud;
  return lvt_gen_from_seed(&go, seed, out, e);
}

/* The VMs that implement profile 'p' and what program 'src' uses. */
static int fuzz_runs_on(void *ud, LvtProfile p, const char *src, size_t len,
                        const LvtVmInfo *info) {
  (void)ud;
  return lvt_gen_runs_on(src, len, p, info, NULL);
}

static int fuzz_split(void *ud, const char *src, size_t len, const char **prelude,
                      size_t *prelude_len, LvtBuf *body) {
  (void)ud;
  return lvt_gen_split(src, len, prelude, prelude_len, body);
}

typedef struct FuzzUi {
  int tty;
  int verbose, quiet;
  int line_shown;     /* a status line is on the terminal */
  unsigned failed_vms;
} FuzzUi;

static void ui_clear(FuzzUi *ui) {
  if (ui->tty && ui->line_shown) fprintf(stderr, "\r\033[K");
  ui->line_shown = 0;
}

/* One status line: rate, per-VM outcomes, findings, noise. */
static void fuzz_status_text(const LvtFuzzStats *st, LvtBuf *b) {
  size_t i;
  lvt_buf_addf(b, "[%.0fs] %llu programs (%.0f/s)", st->elapsed_ms / 1000.0,
               (unsigned long long)st->next, st->rate);
  for (i = 0; i < st->nvm; i++) {
    const uint64_t *o = st->vm[i].outcomes;
    if (st->vm[i].failed) continue;
    lvt_buf_addf(b, " | %s %llu ok %llu err", st->vm[i].name,
                 (unsigned long long)o[LVT_RUN_OK],
                 (unsigned long long)(o[LVT_RUN_ERROR] + o[LVT_RUN_EXIT]));
    if (o[LVT_RUN_TIMEOUT]) lvt_buf_addf(b, " %llu to", (unsigned long long)o[LVT_RUN_TIMEOUT]);
    if (o[LVT_RUN_CRASH]) lvt_buf_addf(b, " %llu crash", (unsigned long long)o[LVT_RUN_CRASH]);
    if (o[LVT_RUN_NOMEM]) lvt_buf_addf(b, " %llu mem", (unsigned long long)o[LVT_RUN_NOMEM]);
    if (st->vm[i].broken) lvt_buf_adds(b, " BROKEN");
  }
  lvt_buf_addf(b, " | div %llu crash %llu meta %llu | %zu unique | %llu noise",
               (unsigned long long)st->divergences, (unsigned long long)st->crashes,
               (unsigned long long)st->metamorphic, st->unique,
               (unsigned long long)st->dropped_noise);
}

static void on_fuzz_status(void *ud, const LvtFuzzStats *st) {
  FuzzUi *ui = ud;
  LvtBuf b = LVT_BUF_INIT;
  if (ui->quiet) return;
  fuzz_status_text(st, &b);
  if (ui->tty) {
    struct winsize ws;
    int width = ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1 : 79;
    fprintf(stderr, "\r\033[K%.*s", width, lvt_buf_str(&b));   /* one line: \r clears it */
    ui->line_shown = 1;
  } else {
    fprintf(stderr, "lvtest fuzz: %s\n", lvt_buf_str(&b));
  }
  lvt_buf_reset(&b);
}

static void on_fuzz_finding(void *ud, const LvtFuzzFinding *f) {
  FuzzUi *ui = ud;
  if (f->recorded != LVT_REC_EXAMPLE && !ui->verbose) return;
  ui_clear(ui);
  fprintf(stderr, "lvtest fuzz: %s [%s] program %llu -> %s\n", f->signature, f->label,
          (unsigned long long)f->index, f->dir ? f->dir : "(counted)");
}

static void on_fuzz_vm(void *ud, const char *vm, const char *event) {
  FuzzUi *ui = ud;
  ui_clear(ui);
  if (strncmp(event, "broken", 6) != 0) ui->failed_vms++;
  fprintf(stderr, "lvtest fuzz: --vm %s: %s\n", vm, event);
}

/* The signatures of a campaign, to print the most frequent first. */
typedef struct SigRow {
  char *sig, *first;
  uint64_t count;
} SigRow;

typedef struct SumCtx {
  SigRow *row;
  size_t n;
} SumCtx;

static void collect_sig(void *ud, const char *sig, LvtFindingKind k, uint64_t count,
                        const char *first) {
  SumCtx *c = ud;
  (void)k;
  c->row = lvt_xrealloc(c->row, (c->n + 1) * sizeof *c->row);
  c->row[c->n].sig = lvt_xstrdup(sig);
  c->row[c->n].first = first ? lvt_xstrdup(first) : NULL;
  c->row[c->n++].count = count;
}

static int by_count(const void *a, const void *b) {
  const SigRow *x = a, *y = b;
  return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->sig, y->sig);
}

static void fuzz_summary(const LvtFuzzConfig *c, const LvtFuzzStats *st, const char *dir,
                         FILE *f) {
  size_t i;
  int o;
  LvtStore *store = NULL;
  LvtErr e = {0, ""};
  fprintf(f, "fuzz: %llu programs in the campaign, %llu in this run (%.1f s, %.0f/s); "
          "seed 0x%016llx; profiles",
          (unsigned long long)st->next, (unsigned long long)st->done_now,
          st->elapsed_ms / 1000.0, st->rate, (unsigned long long)c->seed);
  for (i = 0; i < c->nprofiles; i++)
    fprintf(f, "%s%s", i ? "," : " ", lvt_fuzz_profile_name(c->profiles[i]));
  fprintf(f, "; %u metamorphic variant%s per program\n", c->metamorphic,
          c->metamorphic == 1 ? "" : "s");
  for (i = 0; i < st->nvm; i++) {
    fprintf(f, "  %-12s", st->vm[i].name);
    if (st->vm[i].failed) {
      fprintf(f, " not used: failed at start-up\n");
      continue;
    }
    for (o = 0; o < LVT_RUN__COUNT; o++)
      if (st->vm[i].outcomes[o])
        fprintf(f, " %s %llu", lvt_outcome_name((LvtOutcome)o),
                (unsigned long long)st->vm[i].outcomes[o]);
    fprintf(f, "%s\n", st->vm[i].broken ? " BROKEN (could not be restarted)" : "");
  }
  fprintf(f, "findings: %llu divergence%s, %llu crash%s, %llu metamorphic (%llu flaky); "
          "%zu unique signature%s\n",
          (unsigned long long)st->divergences, st->divergences == 1 ? "" : "s",
          (unsigned long long)st->crashes, st->crashes == 1 ? "" : "es",
          (unsigned long long)st->metamorphic, (unsigned long long)st->flaky, st->unique,
          st->unique == 1 ? "" : "s");
  fprintf(f, "dropped as unspecified behaviour: %llu; not compared (one VM): %llu; "
          "generator errors: %llu; variants: %llu (%llu could not be made)\n",
          (unsigned long long)st->dropped_noise, (unsigned long long)st->not_compared,
          (unsigned long long)st->gen_errors, (unsigned long long)st->variants,
          (unsigned long long)st->variant_errors);
  if (lvt_store_open(&store, dir, 0, c->keep, &e) == LVT_OK) {
    SumCtx sc = {NULL, 0};
    lvt_store_each(store, collect_sig, &sc);
    lvt_store_close(store);
    if (sc.n > 1) qsort(sc.row, sc.n, sizeof *sc.row, by_count);
    for (i = 0; i < sc.n; i++) {
      fprintf(f, "  %6llu  %s\n", (unsigned long long)sc.row[i].count, sc.row[i].sig);
      if (sc.row[i].first != NULL) fprintf(f, "          %s/findings/%s\n", dir, sc.row[i].first);
      free(sc.row[i].sig);
      free(sc.row[i].first);
    }
    free(sc.row);
  }
  fprintf(f, "campaign: %s (every occurrence in %s/findings/index.jsonl; "
          "resume with: lvtest fuzz --out %s)\n", dir, dir, dir);
}

static int cmd_fuzz(const LvtOpts *o) {
  LvtFuzzConfig c;
  LvtFuzzStats st;
  LvtErr e = {0, ""};
  Replay rp = {NULL, 0};
  FuzzUi ui;
  char **vm_store = NULL;
  const char *def_vm[] = {"all"};
  unsigned given = 0;
  int resumed = 0, rc;
  size_t i;
  struct sigaction sa;

  lvt_fuzz_config_init(&c);
  c.self_exe = self_exe;
  c.out_dir = o->out_dir ? o->out_dir : "lvtest-fuzz";
  if (o->nvms) {
    c.vms = o->vms;
    c.nvms = o->nvms;
    given |= LVT_FUZZ_GIVEN_VMS;
  } else {
    c.vms = def_vm;
    c.nvms = 1;
  }
  if (o->nfuzz_profiles) {
    for (i = 0; i < o->nfuzz_profiles; i++) c.profiles[i] = (LvtProfile)o->fuzz_profiles[i];
    c.nprofiles = o->nfuzz_profiles;
    given |= LVT_FUZZ_GIVEN_PROFILES;
  }
  if (o->seed_given) {
    c.seed = o->seed;
    given |= LVT_FUZZ_GIVEN_SEED;
  } else {
    c.seed = ((uint64_t)getpid() << 32) ^ (uint64_t)(lvt_now_ms() * 1000.0) ^
             (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL;
  }
  if (o->metamorphic_given) {
    c.metamorphic = o->metamorphic;
    given |= LVT_FUZZ_GIVEN_META;
  }
  if (o->gen_size > 0) {
    c.gen_size = o->gen_size;
    given |= LVT_FUZZ_GIVEN_SIZE;
  }
  c.runs = o->runs;
  c.time_ms = o->time_ms;
  c.jobs = o->jobs;
  c.keep = o->keep;
  c.norm_rules = o->norm_rules;
  c.selftest = !o->no_selftest;
  c.selftest_timeout_ms = o->selftest_timeout_ms;
  c.pin = !o->no_pin;
  c.noise_check = !o->no_noise;
  c.lim.mem_limit = o->lim.mem_limit;
  c.lim.max_output = o->lim.max_output;
  if (o->timeout_given) c.lim.timeout_ms = o->lim.timeout_ms;
  if (o->nreplays) {
    rp.src = lvt_xcalloc(o->nreplays, sizeof *rp.src);
    for (i = 0; i < o->nreplays; i++) {
      if (lvt_source_load(&rp.src[i], o->replays[i], &e) != LVT_OK) {
        fprintf(stderr, "lvtest: --replay: %s\n", e.msg);
        rc = EXIT_USAGE;
        goto out;
      }
      rp.n++;
    }
    c.replay_name = "replay";
    c.source.program = replay_program;
    c.source.ud = &rp;
  } else {
    c.source.program = gen_program;
    c.source.ud = &c.gen_size;   /* resuming may set it from state.json */
  }
  c.source.runs_on = fuzz_runs_on;
  c.source.variant = meta_variant;
  c.source.split = o->whole ? NULL : fuzz_split;
  if (lvt_fuzz_resume_options(&c, given, &resumed, &vm_store, &e) != LVT_OK) {
    fprintf(stderr, "lvtest: --out %s: %s\n", c.out_dir, e.msg);
    rc = e.code == LVT_ERR_USAGE ? EXIT_USAGE : EXIT_INTERNAL;
    goto out;
  }
  memset(&ui, 0, sizeof ui);
  ui.tty = isatty(2);
  ui.verbose = o->verbose;
  ui.quiet = o->quiet;
  c.status_ms = ui.tty ? 250 : 10000;
  c.on_status = on_fuzz_status;
  c.on_finding = on_fuzz_finding;
  c.on_vm = on_fuzz_vm;
  c.ud = &ui;
  fuzz_stop = 0;
  c.stop = &fuzz_stop;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  if (!o->quiet)
    fprintf(stderr, "lvtest fuzz: %s campaign %s, seed 0x%016llx\n",
            resumed ? "resuming" : "starting", c.out_dir, (unsigned long long)c.seed);
  rc = lvt_fuzz_run(&c, &st, &e);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  ui_clear(&ui);
  if (rc != LVT_OK) {
    fprintf(stderr, "lvtest: fuzz: %s\n", e.msg);
    if (e.code == LVT_ERR_VM) rc = EXIT_FOUND;
    else rc = e.code == LVT_ERR_USAGE ? EXIT_USAGE : EXIT_INTERNAL;
    goto out;
  }
  if (!o->quiet) fuzz_summary(&c, &st, c.out_dir, stdout);
  rc = (st.divergences || st.crashes || st.metamorphic || ui.failed_vms) ? EXIT_FOUND
                                                                       : EXIT_PASS;
out:
  for (i = 0; i < rp.n; i++) lvt_source_reset(&rp.src[i]);
  free(rp.src);
  lvt_strv_free(vm_store);
  return rc;
}

/* =====================================================================
** lvtest gen / lvtest variant
** ===================================================================== */

/* Program i of seed S, as 'lvtest fuzz' generates it. */
static int cmd_gen(const LvtOpts *o) {
  LvtProfile prof[LVT_PROFILE__COUNT];
  size_t np = 0, i;
  uint64_t seed = o->seed_given ? o->seed : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 40);
  unsigned long long n = o->runs ? o->runs : 1, k;
  LvtBuf prog = LVT_BUF_INIT, path = LVT_BUF_INIT;
  LvtGenOpts go;
  int rc = EXIT_PASS;
  for (i = 0; i < o->nfuzz_profiles; i++) prof[np++] = (LvtProfile)o->fuzz_profiles[i];
  if (np == 0)
    for (i = 0; i < LVT_PROFILE__COUNT; i++) prof[np++] = (LvtProfile)i;
  if (o->out_dir != NULL && mkdir(o->out_dir, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "lvtest: --out %s: %s\n", o->out_dir, strerror(errno));
    return EXIT_INTERNAL;
  }
  if (!o->seed_given && !o->quiet)
    fprintf(stderr, "lvtest gen: seed 0x%016llx\n", (unsigned long long)seed);
  lvt_gen_opts_init(&go);
  if (o->gen_size > 0) go.max_bytes = o->gen_size;
  for (k = 0; k < n && rc == EXIT_PASS; k++) {
    LvtErr e = {0, ""};
    go.profile = prof[k % np];
    if (lvt_gen_from_seed(&go, lvt_fuzz_program_seed(seed, k), &prog, &e) != LVT_OK) {
      fprintf(stderr, "lvtest: gen: program %llu: %s\n", k, e.msg);
      rc = EXIT_INTERNAL;
      break;
    }
    if (o->out_dir == NULL) {
      if (fwrite(prog.data, 1, prog.len, stdout) != prog.len) rc = EXIT_INTERNAL;
      continue;
    }
    lvt_buf_clear(&path);
    lvt_buf_addf(&path, "%s/prog-%llu.lua", o->out_dir, k);
    {
      FILE *f = fopen(path.data, "wb");
      if (f == NULL || fwrite(prog.data, 1, prog.len, f) != prog.len || fclose(f) != 0) {
        fprintf(stderr, "lvtest: gen: %s: %s\n", path.data, strerror(errno));
        rc = EXIT_INTERNAL;
      }
    }
  }
  if (fflush(stdout) != 0) rc = EXIT_INTERNAL;
  lvt_buf_reset(&prog);
  lvt_buf_reset(&path);
  return rc;
}

static int cmd_variant(const LvtOpts *o) {
  LvtSource src;
  LvtErr e = {0, ""};
  LvtBuf out = LVT_BUF_INIT, applied = LVT_BUF_INIT;
  LvtProfile prof = LVT_PROFILE_PORTABLE;
  uint64_t seed = 0;
  int rc = EXIT_PASS;
  if (lvt_source_load(&src, o->files[0], &e) != LVT_OK) {
    fprintf(stderr, "lvtest: %s\n", e.msg);
    return EXIT_USAGE;
  }
  lvt_gen_header_parse(src.text.data ? src.text.data : "", src.text.len, &prof, &seed, NULL);
  if (o->nfuzz_profiles) prof = (LvtProfile)o->fuzz_profiles[0];
  if (o->seed_given) seed = o->seed;
  if (lvt_meta_variant(src.text.data ? src.text.data : "", src.text.len, prof, 0, seed,
                       o->variant_k ? o->variant_k : 1, &out, &applied, &e) != LVT_OK) {
    fprintf(stderr, "lvtest: variant: %s: %s\n", o->files[0], e.msg);
    rc = EXIT_USAGE;
  } else {
    if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
      rc = EXIT_INTERNAL;
    if (o->verbose) fprintf(stderr, "lvtest variant: %s\n", lvt_buf_str(&applied));
  }
  lvt_buf_reset(&out);
  lvt_buf_reset(&applied);
  lvt_source_reset(&src);
  return rc;
}

/* =====================================================================
** lvtest __lvx-ref: the reference behind '--vm ref'
** ===================================================================== */
static int cmd_lvx_ref(const LvtOpts *o) {
  LvtRefOptions ro;
  LvtErr e = {0, ""};
  lvt_ref_options_init(&ro);
  ro.hash_seed = o->hash_seed;
  if (o->gc_mode != NULL) {
    int gc = lvt_ref_gc_parse(o->gc_mode);
    if (gc < 0) {
      fprintf(stderr, "lvtest __lvx-ref: unknown --gc '%s' (inc, gen, inc-stress, gen-stress)\n",
              o->gc_mode);
      return EXIT_USAGE;
    }
    ro.gc = (LvtRefGc)gc;
  }
  if (lvt_ref_serve(0, 1, &ro, &e) != LVT_OK) {
    fprintf(stderr, "lvtest __lvx-ref: %s\n", e.msg);
    return e.code == LVT_ERR_PROTO ? EXIT_FOUND : EXIT_INTERNAL;
  }
  return EXIT_PASS;
}

/* =====================================================================
** lvtest as 'lua' and 'luac': the reference's standalone programs
** ===================================================================== */
static const char help_lua[] =
  "usage: lvtest __lua [LUA OPTIONS] [SCRIPT [ARGS]]\n"
  "       lvtest __luac [LUAC OPTIONS] FILES\n"
  "\n"
  "Internal: Lua's own 'lua' and 'luac' programs on the linked-in reference\n"
  "(Lua %s, built without readline). The program name they see (messages,\n"
  "arg[-1]) is lvtest's own, so a script that starts its interpreter again\n"
  "by arg[-n] gets lvtest: suites that do should run lvtest through a link\n"
  "named 'lua' or 'luac' instead (invoked under either name, lvtest is that\n"
  "program, its arguments unchanged).\n";

/* The part of 'path' after its last '/'. */
static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash != NULL ? slash + 1 : path;
}

/* Becomes Lua's 'lua' or 'luac' when invoked under that name (argv as
** given), or as 'lvtest __lua ARGS' / 'lvtest __luac ARGS' (argv without
** the command word: argv[0] stays lvtest's); 'lvtest help __lua' explains.
** Returns the program's exit status, or -1 for lvtest proper. Runs first
** in main, so that the program gets the process as it was started
** (SIGPIPE as inherited, nothing allocated). */
static int standalone(int argc, char **argv) {
  const char *name = argc > 0 && argv[0] != NULL ? base_name(argv[0]) : "";
  if (strcmp(name, "lua") == 0) return lvt_reflua_lua_main(argc, argv);
  if (strcmp(name, "luac") == 0) return lvt_reflua_luac_main(argc, argv);
  if (argc < 2) return -1;
  if (strcmp(argv[1], "__lua") == 0 || strcmp(argv[1], "__luac") == 0) {
    int luac = strcmp(argv[1], "__luac") == 0;
    argv[1] = argv[0];
    return luac ? lvt_reflua_luac_main(argc - 1, argv + 1)
                : lvt_reflua_lua_main(argc - 1, argv + 1);
  }
  if (argc == 3 && strcmp(argv[1], "help") == 0 &&
      (strcmp(argv[2], "__lua") == 0 || strcmp(argv[2], "__luac") == 0)) {
    printf(help_lua, lvt_ref_lua_version());
    return EXIT_PASS;
  }
  return -1;
}

/* =====================================================================
** main
** ===================================================================== */
int main(int argc, char **argv) {
  LvtOpts o;
  LvtErr e = {0, ""};
  int rc = standalone(argc, argv);
  if (rc >= 0) return rc;
  signal(SIGPIPE, SIG_IGN);   /* a dead child's pipe is an outcome */
  find_self(argv[0]);
  if (lvt_opts_parse(&o, argc, argv, &e) != LVT_OK) {
    fprintf(stderr, "lvtest: %s\n", e.msg);
    lvt_opts_reset(&o);
    return e.code == LVT_ERR_USAGE ? EXIT_USAGE : EXIT_INTERNAL;
  }
  switch (o.cmd) {
    case LVT_CMD_HELP:
      fputs(lvt_opts_help(o.help_for), stdout);
      rc = EXIT_PASS;
      break;
    case LVT_CMD_VERSION:
      printf("lvtest %s (reference VM: Lua %s)\n", LVT_VERSION, lvt_ref_lua_version());
      rc = EXIT_PASS;
      break;
    case LVT_CMD_VMS: rc = cmd_vms(&o); break;
    case LVT_CMD_RUN: rc = cmd_run(&o); break;
    case LVT_CMD_COMPARE: rc = cmd_compare(&o); break;
    case LVT_CMD_LVX_REF: rc = cmd_lvx_ref(&o); break;
    case LVT_CMD_SUITE: rc = cmd_suite(&o); break;
    case LVT_CMD_FUZZ: rc = cmd_fuzz(&o); break;
    case LVT_CMD_GEN: rc = cmd_gen(&o); break;
    case LVT_CMD_VARIANT: rc = cmd_variant(&o); break;
    default:
      fprintf(stderr, "lvtest: '%s' is not available yet\n", lvt_command_name(o.cmd));
      rc = EXIT_INTERNAL;
      break;
  }
  lvt_opts_reset(&o);
  return rc;
}
