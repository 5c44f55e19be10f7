/*
** lvt_suite.c -- the suite engine (see lvt_suite.h): listing and choosing
** the files, building the programs, loading each VM's expected-failure
** lists, running the programs through lvt_exec_matrix, having every cell
** judged (lvt_suite_judge.c), roll-ups.
**
** Cost: the programs are built once and shared by every VM; each cell is
** judged as soon as it ran (in lvt_exec's progress callback, serialised by
** its lock), so judging overlaps the runs of the other VMs.
*/
#include "lvt_suite.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lvt_suite_script.h"

static const char *const kind_names[] = {"own", "corpus", "official", "harness",
                                         "luajit-tests"};
static const char *const status_names[] = {"pass",      "fail",  "skip", "todo",
                                           "todo-pass", "xfail", "xpass"};
static const char *const file_status_names[] = {"pass", "fail", "skip"};

const char *lvt_suite_kind_name(LvtSuiteKind k) {
  return (unsigned)k < LVT_SUITE__COUNT ? kind_names[k] : "?";
}

int lvt_suite_kind_parse(const char *s) {
  int i;
  for (i = 0; i < LVT_SUITE__COUNT; i++)
    if (strcmp(s, kind_names[i]) == 0) return i;
  return -1;
}

const char *lvt_test_status_name(LvtTestStatus s) {
  return (unsigned)s < LVT_TS__COUNT ? status_names[s] : "?";
}

int lvt_test_status_fails(LvtTestStatus s) { return s == LVT_TS_FAIL || s == LVT_TS_XPASS; }

const char *lvt_file_status_name(LvtFileStatus s) {
  return (unsigned)s < LVT_FS__COUNT ? file_status_names[s] : "?";
}

void lvt_suite_counts_add(LvtSuiteCounts *a, const LvtSuiteCounts *b) {
  int i;
  for (i = 0; i < LVT_TS__COUNT; i++) a->n[i] += b->n[i];
}

unsigned lvt_suite_counts_failing(const LvtSuiteCounts *c) {
  return c->n[LVT_TS_FAIL] + c->n[LVT_TS_XPASS];
}

/* =====================================================================
** Reports
** ===================================================================== */

static void strv_free(char **v, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) free(v[i]);
  free(v);
}

static void result_reset(LvtSuiteResult *res) {
  size_t i;
  for (i = 0; i < res->ntests; i++) {
    free(res->tests[i].name);
    free(res->tests[i].reason);
    lvt_buf_reset(&res->tests[i].diag);
  }
  free(res->tests);
  lvt_buf_reset(&res->notes);
}

void lvt_suite_report_free(LvtSuiteReport *r) {
  size_t i;
  if (r == NULL) return;
  for (i = 0; r->res != NULL && i < r->nfiles * r->nvms; i++) result_reset(&r->res[i]);
  for (i = 0; i < r->nvms; i++) {
    LvtSuiteVm *vm = &r->vms[i];
    free(vm->name);
    free(vm->why);
    free(vm->by_section);
    strv_free(vm->lists, vm->nlists);
    strv_free(vm->unused, vm->nunused);
  }
  free(r->vms);
  free(r->res);
  strv_free(r->files, r->nfiles);
  strv_free(r->sections, r->nsections);
  free(r->suite);
  free(r->root);
  free(r->why);
  lvt_buf_reset(&r->notes);
  free(r);
}

LvtSuiteReport *lvt_suite_report_absent(const char *name, const char *why) {
  LvtSuiteReport *r = lvt_xcalloc(1, sizeof *r);
  r->suite = lvt_xstrdup(name);
  r->absent = 1;
  r->why = lvt_xstrdup(why);
  r->ok = 1;
  return r;
}

/* =====================================================================
** Options and command-line helpers
** ===================================================================== */

void lvt_suite_opts_init(LvtSuiteOpts *o) {
  memset(o, 0, sizeof *o);
  o->kind = LVT_SUITE_OWN;
  lvt_limits_default(&o->lim);
}

int lvt_suite_parse_shard(const char *s, unsigned *index, unsigned *count, LvtErr *e) {
  char *end;
  unsigned long i, n;
  errno = 0;
  i = strtoul(s, &end, 10);
  if (end == s || *end != '/' || s[0] == '-' || errno) goto bad;
  s = end + 1;
  n = strtoul(s, &end, 10);
  if (end == s || *end != '\0' || s[0] == '-' || errno || n == 0 || n > UINT_MAX ||
      i == 0 || i > n)
    goto bad;
  *index = (unsigned)i;
  *count = (unsigned)n;
  return LVT_OK;
bad:
  return lvt_err_set(e, LVT_ERR_USAGE,
                     "--shard: expected I/N with 1 <= I <= N (e.g. 2/4), not '%s'", s);
}

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 'base/name' when it is a directory: a malloc'd absolute path, else NULL. */
static char *dir_in(const char *base, const char *name) {
  LvtBuf b = LVT_BUF_INIT;
  char *r = NULL;
  lvt_buf_addf(&b, "%s/%s", base, name);
  if (is_dir(b.data)) r = realpath(b.data, NULL);
  lvt_buf_reset(&b);
  return r;
}

char *lvt_suite_find_root(LvtSuiteKind k, const char *self_exe) {
  const char *name = k == LVT_SUITE_OWN ? "lua-harness" : "corpus";
  const char *src = getenv("LVT_SOURCE_DIR");
  char *r = NULL, *dir;
  int up;
  if (src != NULL && *src != '\0' && (r = dir_in(src, name)) != NULL) return r;
  if ((r = dir_in(".", name)) != NULL) return r;
  if (self_exe == NULL || (dir = realpath(self_exe, NULL)) == NULL) return NULL;
  for (up = 0; up < 5 && r == NULL; up++) {
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) break;
    *slash = '\0';
    r = dir_in(dir, name);
  }
  free(dir);
  return r;
}

/* =====================================================================
** Listing and choosing files
** ===================================================================== */

static int str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends to '*v' the entries of 'root/sub' whose names end in 'suffix',
** as "sub/name", sorted. Returns 0, or -1 when the directory cannot be
** read (errno set). */
static int list_dir(const char *root, const char *sub, const char *suffix, char ***v,
                    size_t *n) {
  LvtBuf path = LVT_BUF_INIT;
  DIR *d;
  struct dirent *de;
  size_t n0 = *n, sl = strlen(suffix);
  lvt_buf_addf(&path, "%s/%s", root, sub);
  d = opendir(path.data);
  lvt_buf_reset(&path);
  if (d == NULL) return -1;
  while ((de = readdir(d)) != NULL) {
    size_t len = strlen(de->d_name);
    if (de->d_name[0] == '.' || len <= sl || strcmp(de->d_name + len - sl, suffix) != 0)
      continue;
    lvt_buf_addf(&path, "%s/%s", sub, de->d_name);
    *v = lvt_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = lvt_xstrdup(path.data);
    lvt_buf_clear(&path);
  }
  closedir(d);
  lvt_buf_reset(&path);
  if (*n > n0) qsort(*v + n0, *n - n0, sizeof **v, str_cmp);   /* *v may be NULL */
  return 0;
}

/* Every file of the suite, in name order (a script suite: in its own
** order). LVT_ERR_IO when there is none. */
static int list_suite(LvtSuiteRun *ru, const char *root, char ***v, size_t *n, LvtErr *e) {
  const LvtSuiteOpts *o = ru->o;
  *v = NULL;
  *n = 0;
  if (LVT_SUITE_IS_SCRIPT(o->kind)) {
    size_t i;
    int rc = lvt_script_open(ru->script, o, root, e);
    if (rc != LVT_OK) return rc;
    if (ru->script->nfiles == 0)
      return lvt_err_set(e, LVT_ERR_IO, "%s: no test file found: a suite without tests is a failure",
                         root);
    *v = lvt_xcalloc(ru->script->nfiles + 1, sizeof **v);
    for (i = 0; i < ru->script->nfiles; i++) (*v)[i] = lvt_xstrdup(ru->script->files[i]);
    *n = ru->script->nfiles;
  } else if (o->kind == LVT_SUITE_OWN) {
    if (list_dir(root, "t", ".t", v, n) != 0)
      return lvt_err_set(e, LVT_ERR_IO, "%s/t: %s (is this a lua-harness directory?)", root,
                         strerror(errno));
    if (*n == 0)
      return lvt_err_set(e, LVT_ERR_IO,
                         "%s/t: no *.t file: a suite without tests is a failure", root);
  } else {
    int seeds = list_dir(root, "seeds", ".lua", v, n);
    int regs = list_dir(root, "regressions", ".lua", v, n);
    if (seeds != 0 && regs != 0)
      return lvt_err_set(e, LVT_ERR_IO,
                         "%s: neither seeds/ nor regressions/ (is this a corpus directory?)",
                         root);
    if (*n == 0)
      return lvt_err_set(e, LVT_ERR_IO,
                         "%s: no *.lua in seeds/ or regressions/: a suite without "
                         "programs is a failure",
                         root);
  }
  return LVT_OK;
}

/* 1 when the filter names 'file' (by its name or its base name). */
static int filter_has(const LvtSuiteOpts *o, const char *file, char *used) {
  size_t i;
  int hit = 0;
  for (i = 0; i < o->nonly; i++)
    if (strcmp(o->only[i], file) == 0 ||
        strcmp(lvt_suite_basename(o->only[i]), lvt_suite_basename(file)) == 0) {
      used[i] = 1;
      hit = 1;
    }
  return hit;
}

/* splitmix64: a small, good, portable generator for the shuffle. */
static unsigned long long next_rand(unsigned long long *s) {
  unsigned long long z = (*s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Keeps the files of 'all' that the shard and the filter select, in a
** shuffled order when asked; notes what the choice left out. */
static void choose_files(const LvtSuiteOpts *o, char **all, size_t nall, LvtSuiteReport *r) {
  char *used = lvt_xcalloc(o->nonly + 1, 1);
  size_t i;
  r->files = lvt_xcalloc(nall + 1, sizeof *r->files);
  for (i = 0; i < nall; i++) {
    if (o->shard_count > 0 && i % o->shard_count != o->shard_index - 1) continue;
    if (o->filter && !filter_has(o, all[i], used)) continue;
    r->files[r->nfiles++] = lvt_xstrdup(all[i]);
  }
  if (o->shuffle) {
    unsigned long long s = o->seed;
    for (i = r->nfiles; i > 1; i--) {
      size_t j = (size_t)(next_rand(&s) % i);
      char *t = r->files[i - 1];
      r->files[i - 1] = r->files[j];
      r->files[j] = t;
    }
  }
  if (o->filter)
    for (i = 0; i < o->nonly; i++)
      if (!used[i])
        lvt_buf_addf(&r->notes, "'%s' (to re-run) is not a file of suite %s\n", o->only[i],
                     r->suite);
  if (r->nfiles == 0 && o->shard_count > 0)
    lvt_buf_addf(&r->notes, "shard %u/%u holds no file of %zu\n", o->shard_index,
                 o->shard_count, nall);
  else if (r->nfiles == 0 && o->filter)
    lvt_buf_addf(&r->notes, "nothing to re-run in suite %s\n", r->suite);
  r->complete = o->shard_count == 0 && !o->filter;
  free(used);
}

/* =====================================================================
** Programs
** ===================================================================== */

/* Appends 's' as a Lua string literal that reads the same on every
** dialect (decimal escapes, 3 digits so a following digit cannot join). */
static void add_lua_string(LvtBuf *b, const char *s) {
  lvt_buf_addc(b, '"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      lvt_buf_addc(b, '\\');
      lvt_buf_addc(b, c);
    } else if (c < 32 || c >= 127) {
      lvt_buf_addf(b, "\\%03u", c);
    } else {
      lvt_buf_addc(b, c);
    }
  }
  lvt_buf_addc(b, '"');
}

/* An own-suite program: the preamble, then the file, on the file's first
** line (no newline added: line numbers stay true). A UTF-8 BOM is
** dropped; a first line starting with '#' (a shebang) becomes a comment. */
static void build_own(LvtBuf *out, const char *root, int heavy, const char *src,
                      size_t len) {
  lvt_buf_adds(out, "package.path=");
  {
    LvtBuf lib = LVT_BUF_INIT;
    lvt_buf_addf(&lib, "%s/lib/?.lua;", root);
    add_lua_string(out, lib.data);
    lvt_buf_reset(&lib);
  }
  lvt_buf_addf(out, "..package.path;LVT_HEAVY=%s;", heavy ? "true" : "false");
  if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0) {
    src += 3;
    len -= 3;
  }
  if (len > 0 && src[0] == '#') lvt_buf_adds(out, "--");
  lvt_buf_add(out, src, len);
}

/* Loads and builds every program of 'r->files'. */
static int load_programs(const LvtSuiteOpts *o, const LvtSuiteReport *r, LvtBuf *text,
                         LvtProgram *progs, LvtErr *e) {
  size_t i;
  for (i = 0; i < r->nfiles; i++) {
    LvtSource src;
    LvtBuf path = LVT_BUF_INIT;
    int rc;
    lvt_buf_addf(&path, "%s/%s", r->root, r->files[i]);
    rc = lvt_source_load(&src, path.data, e);
    lvt_buf_reset(&path);
    if (rc != LVT_OK) return rc;
    if (o->kind == LVT_SUITE_OWN)
      build_own(&text[i], r->root, o->heavy, src.text.data ? src.text.data : "",
                src.text.len);
    else
      lvt_buf_add(&text[i], src.text.data ? src.text.data : "", src.text.len);
    lvt_source_reset(&src);
    progs[i].name = r->files[i];
    progs[i].src = lvt_buf_str(&text[i]);
    progs[i].len = text[i].len;
    progs[i].prelude = NULL;
  }
  return LVT_OK;
}

/* =====================================================================
** Expected-failure lists of each VM
** ===================================================================== */

/* Loads the lists of the own suite kept under expect/<name>/ (.txt; name:
** a dialect or a VM),
** each targeting t/<stem>.t when the suite has that file. */
static int load_own_lists(LvtExpect *x, const char *root, const char *dialect,
                          char **all, size_t nall, LvtErr *e) {
  LvtBuf sub = LVT_BUF_INIT, path = LVT_BUF_INIT, shown = LVT_BUF_INIT;
  LvtBuf implied = LVT_BUF_INIT;
  char **lists = NULL;
  size_t n = 0, i, k;
  int rc = LVT_OK;
  lvt_buf_addf(&sub, "expect/%s", dialect);
  if (list_dir(root, sub.data, ".txt", &lists, &n) != 0) n = 0;   /* no list: fine */
  for (i = 0; i < n && rc == LVT_OK; i++) {
    const char *base = lvt_suite_basename(lists[i]);
    const char *target = NULL;
    lvt_buf_clear(&implied);
    lvt_buf_add(&implied, base, strlen(base) - 4);
    lvt_buf_adds(&implied, ".t");
    for (k = 0; k < nall; k++)
      if (strcmp(lvt_suite_basename(all[k]), implied.data) == 0) target = implied.data;
    lvt_buf_clear(&path);
    lvt_buf_addf(&path, "%s/%s", root, lists[i]);
    lvt_buf_clear(&shown);
    lvt_buf_addf(&shown, "%s/%s", lvt_suite_basename(root), lists[i]);
    rc = lvt_expect_load(x, path.data, shown.data, target, e);
  }
  strv_free(lists, n);
  lvt_buf_reset(&sub);
  lvt_buf_reset(&path);
  lvt_buf_reset(&shown);
  lvt_buf_reset(&implied);
  return rc;
}

/* The name under which a VM's own lists are kept: its name, unless that
** cannot be a file name or is its dialect's. NULL: no own lists. */
static const char *own_list_name(const char *vm, const char *dialect) {
  if (vm == NULL || vm[0] == '\0' || vm[0] == '.' || strchr(vm, '/') != NULL ||
      strcmp(vm, dialect) == 0)
    return NULL;
  return vm;
}

/* The lists of every usable VM: its dialect's, its own, then the
** caller's. */
static int load_lists(LvtSuiteRun *ru, char **all, size_t nall, LvtErr *e) {
  size_t v, i;
  for (v = 0; v < ru->r->nvms; v++) {
    LvtExpect *x = &ru->expect[v];
    const char *dialect = lvt_dialect_name(ru->r->vms[v].info.dialect);
    int rc = LVT_OK;
    if (ru->set->slot[v].vm == NULL) continue;
    if (LVT_SUITE_IS_SCRIPT(ru->o->kind)) {
      rc = lvt_script_load_lists(ru, v, e);
    } else if (ru->r->vms[v].info.dialect == LVT_DIALECT_UNKNOWN) {
      /* no dialect list applies */
    } else {
      /* The dialect's lists, then the VM's own (expect/<vm>/ or
      ** expect/<vm>.txt), which may add entries and cancel some with
      ** "pass:". */
      const char *names[2];
      int k;
      names[0] = dialect;
      names[1] = own_list_name(ru->r->vms[v].name, dialect);
      for (k = 0; k < 2 && rc == LVT_OK; k++) {
        LvtBuf path = LVT_BUF_INIT, shown = LVT_BUF_INIT;
        if (names[k] == NULL) continue;
        if (ru->o->kind == LVT_SUITE_OWN) {
          rc = load_own_lists(x, ru->r->root, names[k], all, nall, e);
          continue;
        }
        lvt_buf_addf(&path, "%s/expect/%s.txt", ru->r->root, names[k]);
        lvt_buf_addf(&shown, "%s/expect/%s.txt", lvt_suite_basename(ru->r->root), names[k]);
        if (access(path.data, F_OK) == 0) rc = lvt_expect_load(x, path.data, shown.data, NULL, e);
        lvt_buf_reset(&path);
        lvt_buf_reset(&shown);
      }
    }
    for (i = 0; rc == LVT_OK && i < ru->o->nexpect; i++) {
      char vm[64];
      const char *path = lvt_suite_list_vm(ru->o->expect[i], vm, sizeof vm);
      if (vm[0] == '\0' || strcmp(vm, ru->r->vms[v].name) == 0)
        rc = lvt_expect_load(x, path, NULL, NULL, e);
    }
    if (rc != LVT_OK) return rc;
  }
  return LVT_OK;
}

/* =====================================================================
** Roll-ups
** ===================================================================== */

typedef struct SecIdx {
  const char *name;
  int old;
} SecIdx;

static int section_order(const void *a, const void *b) {
  const char *x = ((const SecIdx *)a)->name, *y = ((const SecIdx *)b)->name;
  int c = lvt_tap_section_cmp(x, strlen(x), y, strlen(y));
  return c != 0 ? c : strcmp(x, y);
}

/* Puts the sections in manual order and renumbers the tests' sections. */
static void sort_sections(LvtSuiteReport *r) {
  size_t n = r->nsections, i, k;
  SecIdx *order = lvt_xcalloc(n + 1, sizeof *order);
  int *renum = lvt_xcalloc(n + 1, sizeof *renum);
  for (i = 0; i < n; i++) {
    order[i].name = r->sections[i];
    order[i].old = (int)i;
  }
  qsort(order, n, sizeof *order, section_order);
  for (i = 0; i < n; i++) {
    r->sections[i] = (char *)order[i].name;
    renum[order[i].old] = (int)i;
  }
  for (i = 0; i < r->nfiles * r->nvms; i++)
    for (k = 0; k < r->res[i].ntests; k++)
      if (r->res[i].tests[k].section >= 0)
        r->res[i].tests[k].section = renum[r->res[i].tests[k].section];
  free(order);
  free(renum);
}

static void roll_up(LvtSuiteRun *ru) {
  LvtSuiteReport *r = ru->r;
  size_t f, v, k, ran = 0;
  sort_sections(r);
  r->ok = lvt_vmset_ready(ru->set) > 0;
  if (!r->ok) lvt_buf_adds(&r->notes, "no usable VM: nothing ran\n");
  for (v = 0; v < r->nvms; v++) {
    LvtSuiteVm *vm = &r->vms[v];
    const LvtExpect *x = &ru->expect[v];
    vm->by_section = lvt_xcalloc(r->nsections + 1, sizeof *vm->by_section);
    for (f = 0; f < r->nfiles; f++) {
      const LvtSuiteResult *res = LVT_SUITE_RES(r, f, v);
      lvt_suite_counts_add(&vm->total, &res->counts);
      vm->files[res->status]++;
      if (!res->ran) r->ok = 0;
      for (k = 0; k < res->ntests; k++) {
        int s = res->tests[k].section;
        vm->by_section[s >= 0 ? (size_t)s : r->nsections].n[res->tests[k].status]++;
      }
    }
    if (lvt_suite_counts_failing(&vm->total) > 0 || !vm->usable) r->ok = 0;
    ran += vm->total.n[LVT_TS_PASS] + vm->total.n[LVT_TS_FAIL] + vm->total.n[LVT_TS_XFAIL] +
           vm->total.n[LVT_TS_XPASS] + vm->total.n[LVT_TS_TODO] + vm->total.n[LVT_TS_TODO_PASS];
    vm->lists = lvt_xcalloc(x->nlists + 1, sizeof *vm->lists);
    for (k = 0; k < x->nlists; k++) vm->lists[vm->nlists++] = lvt_xstrdup(x->lists[k]);
    vm->unused = lvt_xcalloc(x->n + 1, sizeof *vm->unused);
    for (k = 0; k < x->n; k++) {
      LvtBuf b = LVT_BUF_INIT;
      if (x->ent[k].used) continue;
      lvt_buf_addf(&b, "%s: %s%s%s", x->ent[k].where, x->ent[k].file ? x->ent[k].file : "",
                   x->ent[k].file ? ":" : "", x->ent[k].name);
      vm->unused[vm->nunused++] = lvt_xstrdup(b.data);
      lvt_buf_reset(&b);
    }
  }
  if (ran == 0 && r->nfiles > 0 && r->ok) {
    /* everything skipped: a run that executed no test is no pass */
    r->ok = 0;
    lvt_buf_adds(&r->notes, "no test ran on any VM: a run of zero tests fails\n");
  }
}

/* =====================================================================
** lvt_suite_run
** ===================================================================== */

static void on_run(void *ud, size_t f, size_t v, const LvtRun *run) {
  LvtSuiteRun *ru = ud;
  LvtSuiteEvent ev;
  ru->done++;
  if (ru->o->kind == LVT_SUITE_OWN) {
    /* a cell of our own: judging must not depend on when lvt_exec sets
    ** the matrix cell's 'ran' */
    LvtCell c;
    memset(&c, 0, sizeof c);
    c.run = *run;
    c.ran = 1;
    lvt_suite_judge_own(ru, f, v, &c);
    ru->judged[f * ru->r->nvms + v] = 1;
  }
  if (ru->o->progress == NULL) return;
  ev.done = ru->done;
  ev.total = ru->total;
  ev.file = ru->r->files[f];
  ev.vm = ru->r->vms[v].name;
  ev.run = run;
  ev.res = ru->o->kind == LVT_SUITE_OWN ? LVT_SUITE_RES(ru->r, f, v) : NULL;
  ru->o->progress(ru->o->ud, &ev);
}

/* A new report for the VMs of 'set', before anything ran. */
static LvtSuiteReport *report_new(const LvtSuiteOpts *o, const LvtVmSet *set, char *root) {
  LvtSuiteReport *r = lvt_xcalloc(1, sizeof *r);
  size_t v;
  r->suite = lvt_xstrdup(lvt_suite_kind_name(o->kind));
  r->root = root;
  r->nvms = set->n;
  r->vms = lvt_xcalloc(set->n + 1, sizeof *r->vms);
  for (v = 0; v < set->n; v++) {
    r->vms[v].name = lvt_xstrdup(set->slot[v].spec.name);
    if (set->slot[v].vm != NULL) r->vms[v].info = set->slot[v].vm->info;
  }
  return r;
}

/* Runs the chosen files; judges every cell. */
static int run_files(LvtSuiteRun *ru, LvtErr *e) {
  LvtSuiteReport *r = ru->r;
  const LvtSuiteOpts *o = ru->o;
  LvtBuf *text = lvt_xcalloc(r->nfiles + 1, sizeof *text);
  LvtProgram *progs = lvt_xcalloc(r->nfiles + 1, sizeof *progs);
  LvtMatrix m = {0, 0, NULL};
  LvtOracleOpts oo;
  LvtNorm *norm = NULL;
  size_t f, v;
  int rc;
  if (LVT_SUITE_IS_SCRIPT(o->kind)) {
    r->res = lvt_xcalloc(r->nfiles * r->nvms + 1, sizeof *r->res);
    for (f = 0; f < r->nfiles * r->nvms; f++) {
      lvt_buf_init(&r->res[f].notes);
      r->res[f].planned = -1;
    }
    free(text);
    free(progs);
    rc = lvt_script_run(ru, ru->script, e);
    for (v = 0; v < r->nvms; v++) {
      r->vms[v].usable = ru->set->slot[v].vm != NULL;
      if (!r->vms[v].usable)
        r->vms[v].why = lvt_xstrdup(ru->set->slot[v].why[0] ? ru->set->slot[v].why : "not usable");
    }
    return rc;
  }
  rc = load_programs(o, r, text, progs, e);
  if (rc == LVT_OK) {
    r->res = lvt_xcalloc(r->nfiles * r->nvms + 1, sizeof *r->res);
    for (f = 0; f < r->nfiles * r->nvms; f++) {
      lvt_buf_init(&r->res[f].notes);
      r->res[f].planned = -1;
    }
    ru->judged = lvt_xcalloc(r->nfiles * r->nvms + 1, 1);
    ru->total = r->nfiles * lvt_vmset_ready(ru->set);
    lvt_exec_matrix(ru->set, progs, r->nfiles, &o->lim, &m, on_run, ru);
  }
  if (rc == LVT_OK && o->kind == LVT_SUITE_CORPUS) {
    if (o->oracle != NULL) {
      oo = *o->oracle;
    } else {
      memset(&oo, 0, sizeof oo);
      oo.by_dialect = 1;
      oo.norm = norm = lvt_norm_new(LVT_NORM_DEFAULT);
    }
    for (f = 0; rc == LVT_OK && f < r->nfiles; f++) rc = lvt_suite_judge_corpus(ru, &m, f, &oo, e);
  }
  for (f = 0; rc == LVT_OK && f < r->nfiles; f++)
    for (v = 0; v < r->nvms; v++)
      if (!ru->judged[f * r->nvms + v] && o->kind == LVT_SUITE_OWN)
        lvt_suite_judge_own(ru, f, v, LVT_CELL(&m, f, v));
  for (v = 0; v < r->nvms; v++) {
    r->vms[v].usable = ru->set->slot[v].vm != NULL;
    if (!r->vms[v].usable)
      r->vms[v].why = lvt_xstrdup(ru->set->slot[v].why[0] ? ru->set->slot[v].why : "not usable");
  }
  lvt_norm_free(norm);
  lvt_matrix_reset(&m);
  for (f = 0; f < r->nfiles; f++) lvt_buf_reset(&text[f]);
  free(text);
  free(progs);
  return rc;
}

/* Checks the options that do not depend on the files. */
static int check_opts(const LvtSuiteOpts *o, char **root, LvtErr *e) {
  *root = NULL;
  if ((unsigned)o->kind >= LVT_SUITE__COUNT)
    return lvt_err_set(e, LVT_ERR_USAGE, "unknown suite kind %d", (int)o->kind);
  if (o->shard_count > 0 && (o->shard_index < 1 || o->shard_index > o->shard_count))
    return lvt_err_set(e, LVT_ERR_USAGE, "--shard %u/%u: the index must be 1 to %u",
                       o->shard_index, o->shard_count, o->shard_count);
  if (o->root == NULL)
    return lvt_err_set(e, LVT_ERR_USAGE, "suite %s: no directory given",
                       lvt_suite_kind_name(o->kind));
  if ((*root = realpath(o->root, NULL)) == NULL)
    return lvt_err_set(e, LVT_ERR_IO, "%s: %s", o->root, strerror(errno));
  if (o->kind == LVT_SUITE_OWN && strpbrk(*root, ";?") != NULL) {
    lvt_err_set(e, LVT_ERR_USAGE,
                "%s: a path with ';' or '?' cannot go into package.path: move the "
                "suite elsewhere",
                *root);
    free(*root);
    *root = NULL;
    return LVT_ERR_USAGE;
  }
  return LVT_OK;
}

int lvt_suite_run(LvtVmSet *set, const LvtSuiteOpts *o, LvtSuiteReport **out, LvtErr *e) {
  LvtSuiteRun ru;
  LvtScriptSuite script;
  char **all = NULL, *root;
  size_t nall = 0, v;
  double t0 = lvt_now_ms();
  int rc;
  *out = NULL;
  if ((rc = check_opts(o, &root, e)) != LVT_OK) return rc;
  memset(&ru, 0, sizeof ru);
  ru.o = o;
  ru.set = set;
  ru.last_section = -1;
  memset(&script, 0, sizeof script);
  if (LVT_SUITE_IS_SCRIPT(o->kind)) ru.script = &script;
  lvt_tap_init(&ru.tap);
  ru.r = report_new(o, set, root);
  ru.expect = lvt_xcalloc(set->n + 1, sizeof *ru.expect);
  for (v = 0; v < set->n; v++) lvt_expect_init(&ru.expect[v]);
  rc = list_suite(&ru, root, &all, &nall, e);
  if (rc == LVT_OK) rc = load_lists(&ru, all, nall, e);
  if (rc == LVT_OK) {
    choose_files(o, all, nall, ru.r);
    rc = run_files(&ru, e);
  }
  if (rc == LVT_OK) {
    if (script.notes.len > 0) lvt_buf_add(&ru.r->notes, script.notes.data, script.notes.len);
    roll_up(&ru);
    ru.r->wall_ms = lvt_now_ms() - t0;
    *out = ru.r;
  } else {
    lvt_suite_report_free(ru.r);
  }
  for (v = 0; v < set->n; v++) lvt_expect_reset(&ru.expect[v]);
  free(ru.expect);
  free(ru.judged);
  lvt_tap_reset(&ru.tap);
  if (ru.script != NULL) lvt_script_close(ru.script);
  strv_free(all, nall);
  return rc;
}
