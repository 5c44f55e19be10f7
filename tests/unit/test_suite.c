/*
** test_suite.c -- the suite engine on real VMs. An own suite written into a
** temp dir (a passing file, a failing one, a skip-all one, one that errors
** mid-way, one with a short plan, one with a TODO, one with an expected
** failure, one with a stale expected failure, one that calls os.exit, one
** that never ends) runs on lua5.1 and lua5.4; every count and verdict is
** checked, then shards, filters, shuffles, extra lists, bad lists, missing
** and empty suites. A corpus runs on lua5.1, lua5.4, luajit and a second
** LuaJIT (-joff), so that the 5.1/luajit group has a majority.
*/
#include "harness/lvt_suite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/lvt_vmspec.h"
#include "tests/tap.h"
#include "tests/unit/suite_fixture.h"

/* =====================================================================
** The own suite
** ===================================================================== */

static void write_own(void) {
  put("own/lib/mini.lua",
      "local M, n = {}, 0\n"
      "function M.plan(k) io.write('1..', k, '\\n') end\n"
      "function M.ok(c, name)\n"
      "  n = n + 1\n"
      "  io.write(c and 'ok ' or 'not ok ', n, ' - ', name, '\\n')\n"
      "end\n"
      "return M\n");
  put("own/t/001-pass.t",
      "local t = require 'mini'\n"
      "t.plan(4)\n"
      "t.ok(true, '§3.4.1 a')\n"
      "t.ok(1 + 1 == 2, '§3.4.1 b')\n"
      "t.ok(LVT_HEAVY == false, '§6.4 heavy is false')\n"
      "t.ok(debug.getinfo(1, 'l').currentline == 6, '§3.1 line numbers are true')\n");
  put("own/t/002-fail.t",
      "io.write('1..3\\nok 1 - §3.4 x\\nnot ok 2 - §3.4 y\\n#   got: 1\\n#   expected: 2\\n')\n"
      "io.write('ok 3 - §6.1 z\\n')\n");
  put("own/t/003-skipall.t", "\xef\xbb\xbfio.write('1..0 # SKIP needs nothing\\n')\n");
  put("own/t/004-error.t", "print('1..4') print('ok 1 - e1') print('ok 2 - e2')\nerror('boom')\n");
  put("own/t/005-shortplan.t",
      "print('1..5')\nfor i = 1, 3 do print('ok ' .. i .. ' - §6.4 s' .. i) end\n");
  put("own/t/006-todo.t",
      "#!/usr/bin/env lua\nprint('1..2\\nok 1 - §2.1 a\\nnot ok 2 - §2.1 b # TODO later')\n");
  put("own/t/007-xfail.t", "print('1..2\\nok 1 - §2.2 a\\nnot ok 2 - §2.2 known bug')\n");
  put("own/t/008-stale.t", "print('1..1\\nok 1 - §2.3 fixed')\n");
  put("own/t/009-exit.t", "print('1..1\\nok 1 - §6.9 before exit')\nos.exit(3)\n");
  put("own/t/010-loop.t", "print('1..1')\nwhile true do end\n");
  put("own/t/notes.txt", "not a test file\n");
  put("own/expect/5.1/007-xfail.txt", "# 5.1\n§2.2 known bug\tbug 123\n");
  put("own/expect/5.4/007-xfail.txt", "§2.2 known bug\tbug 123\r\n");
  put("own/expect/5.4/008-stale.txt",
      "§2.3 fixed\twas broken in 5.4.0\n\n  # indented comment\n§9.9 nothing\tno such test\n");
  put("own/expect/5.4/common.txt", "# only comments\n\n");
  /* A VM's own lists (expect/<vm>/) add to its dialect's, and 'pass:'
  ** cancels a dialect entry: lua5.1's 007 failure is no longer expected. */
  put("own/expect/lua5.4/002-fail.txt", "§3.4 y\tlua5.4's own entry\n");
  put("own/expect/lua5.1/007-xfail.txt", "§2.2 known bug\tpass: lua5.1 is said to pass it\n");
}

/* What one file must give on one VM. */
typedef struct Want {
  const char *file, *vm;
  LvtFileStatus status;
  int pass, fail, skip, todo, todo_pass, xfail, xpass;
  const char *file_reason;   /* the file record's reason contains this, or NULL:
                             ** no failing file record */
} Want;

static const Want own_wants[] = {
  {"t/001-pass.t", "lua5.1", LVT_FS_PASS, 4, 0, 0, 0, 0, 0, 0, NULL},
  {"t/001-pass.t", "lua5.4", LVT_FS_PASS, 4, 0, 0, 0, 0, 0, 0, NULL},
  {"t/002-fail.t", "lua5.1", LVT_FS_FAIL, 2, 1, 0, 0, 0, 0, 0, NULL},
  {"t/002-fail.t", "lua5.4", LVT_FS_PASS, 2, 0, 0, 0, 0, 1, 0, NULL},
  {"t/003-skipall.t", "lua5.1", LVT_FS_SKIP, 0, 0, 1, 0, 0, 0, 0, NULL},
  {"t/003-skipall.t", "lua5.4", LVT_FS_SKIP, 0, 0, 1, 0, 0, 0, 0, NULL},
  {"t/004-error.t", "lua5.1", LVT_FS_FAIL, 2, 1, 0, 0, 0, 0, 0, "Lua error (string)"},
  {"t/004-error.t", "lua5.4", LVT_FS_FAIL, 2, 1, 0, 0, 0, 0, 0, "boom"},
  {"t/005-shortplan.t", "lua5.1", LVT_FS_FAIL, 3, 1, 0, 0, 0, 0, 0, "planned 5 tests but ran 3"},
  {"t/005-shortplan.t", "lua5.4", LVT_FS_FAIL, 3, 1, 0, 0, 0, 0, 0, "planned 5 tests but ran 3"},
  {"t/006-todo.t", "lua5.1", LVT_FS_PASS, 1, 0, 0, 1, 0, 0, 0, NULL},
  {"t/006-todo.t", "lua5.4", LVT_FS_PASS, 1, 0, 0, 1, 0, 0, 0, NULL},
  {"t/007-xfail.t", "lua5.1", LVT_FS_FAIL, 1, 1, 0, 0, 0, 0, 0, NULL},
  {"t/007-xfail.t", "lua5.4", LVT_FS_PASS, 1, 0, 0, 0, 0, 1, 0, NULL},
  {"t/008-stale.t", "lua5.1", LVT_FS_PASS, 1, 0, 0, 0, 0, 0, 0, NULL},
  {"t/008-stale.t", "lua5.4", LVT_FS_FAIL, 0, 0, 0, 0, 0, 0, 1, NULL},
  {"t/009-exit.t", "lua5.1", LVT_FS_FAIL, 1, 1, 0, 0, 0, 0, 0, "os.exit(3)"},
  {"t/009-exit.t", "lua5.4", LVT_FS_FAIL, 1, 1, 0, 0, 0, 0, 0, "os.exit(3)"},
  {"t/010-loop.t", "lua5.1", LVT_FS_FAIL, 0, 1, 0, 0, 0, 0, 0, "timeout"},
  {"t/010-loop.t", "lua5.4", LVT_FS_FAIL, 0, 1, 0, 0, 0, 0, 0, "timeout"},
};

static long find_file(const LvtSuiteReport *r, const char *name) {
  size_t i;
  for (i = 0; i < r->nfiles; i++)
    if (strcmp(r->files[i], name) == 0) return (long)i;
  return -1;
}

static long find_vm(const LvtSuiteReport *r, const char *name) {
  size_t i;
  for (i = 0; i < r->nvms; i++)
    if (strcmp(r->vms[i].name, name) == 0) return (long)i;
  return -1;
}

/* The result of 'file' on 'vm', or NULL (and a failed assertion). */
static const LvtSuiteResult *result_of(const LvtSuiteReport *r, const char *file,
                                       const char *vm) {
  long f = find_file(r, file), v = find_vm(r, vm);
  if (!TAP_OK(f >= 0 && v >= 0, "%s on %s is in the report", file, vm)) return NULL;
  return LVT_SUITE_RES(r, (size_t)f, (size_t)v);
}

/* The test named 'name' of 'res', or NULL. */
static const LvtSuiteTest *test_of(const LvtSuiteResult *res, const char *name) {
  size_t i;
  for (i = 0; res != NULL && i < res->ntests; i++)
    if (strcmp(res->tests[i].name, name) == 0) return &res->tests[i];
  return NULL;
}

static void check_wants(const LvtSuiteReport *r, const Want *w, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    const LvtSuiteResult *res = result_of(r, w[i].file, w[i].vm);
    const LvtSuiteTest *ft;
    if (res == NULL) continue;
    TAP_IS_STR(lvt_file_status_name(res->status), lvt_file_status_name(w[i].status),
               "%s on %s: file status", w[i].file, w[i].vm);
    TAP_IS_INT(res->counts.n[LVT_TS_PASS], w[i].pass, "%s on %s: pass", w[i].file, w[i].vm);
    TAP_IS_INT(res->counts.n[LVT_TS_FAIL], w[i].fail, "%s on %s: fail", w[i].file, w[i].vm);
    TAP_IS_INT(res->counts.n[LVT_TS_SKIP], w[i].skip, "%s on %s: skip", w[i].file, w[i].vm);
    TAP_IS_INT(res->counts.n[LVT_TS_TODO], w[i].todo, "%s on %s: todo", w[i].file, w[i].vm);
    TAP_IS_INT(res->counts.n[LVT_TS_TODO_PASS], w[i].todo_pass, "%s on %s: todo-pass",
               w[i].file, w[i].vm);
    TAP_IS_INT(res->counts.n[LVT_TS_XFAIL], w[i].xfail, "%s on %s: xfail", w[i].file, w[i].vm);
    TAP_IS_INT(res->counts.n[LVT_TS_XPASS], w[i].xpass, "%s on %s: xpass", w[i].file, w[i].vm);
    ft = test_of(res, LVT_SUITE_FILE_TEST);
    if (w[i].file_reason == NULL) {
      TAP_OK(ft == NULL || !lvt_test_status_fails(ft->status), "%s on %s: no failing file record",
             w[i].file, w[i].vm);
    } else if (TAP_OK(ft != NULL && ft->status == LVT_TS_FAIL, "%s on %s: failing file record",
                      w[i].file, w[i].vm)) {
      if (!TAP_OK(strstr(ft->reason, w[i].file_reason) != NULL ||
                      strstr(lvt_buf_str(&ft->diag), w[i].file_reason) != NULL,
                  "%s on %s: the file record says '%s'", w[i].file, w[i].vm, w[i].file_reason))
        printf("#   reason: %s\n#   diag: %s\n", ft->reason, lvt_buf_str(&ft->diag));
    }
  }
}

static void start_set(LvtVmSet *set, const char *const *vms, size_t n) {
  LvtVmSetOpts so;
  size_t i;
  lvt_vmset_init(set);
  for (i = 0; i < n; i++) {
    LvtErr e = {0, ""};
    if (!TAP_OK(lvt_vmset_add(set, vms[i], NULL, &e) == LVT_OK, "add VM %s", vms[i]))
      printf("#   %s\n", e.msg);
  }
  memset(&so, 0, sizeof so);
  lvt_vmset_start(set, &so);
  for (i = 0; i < set->n; i++)
    if (!TAP_OK(set->slot[i].vm != NULL, "VM %s started", set->slot[i].spec.name))
      printf("#   %s\n", set->slot[i].why);
}

/* Progress events: counted, and each own event must carry its result. */
typedef struct Seen {
  size_t events, with_res, last_total;
} Seen;

static void on_event(void *ud, const LvtSuiteEvent *ev) {
  Seen *s = ud;
  s->events++;
  s->last_total = ev->total;
  if (ev->res != NULL && ev->file != NULL && ev->vm != NULL) s->with_res++;
}

static void own_opts(LvtSuiteOpts *o) {
  lvt_suite_opts_init(o);
  o->kind = LVT_SUITE_OWN;
  o->root = at("own");
  o->lim.instr_limit = 20000000;   /* 010-loop.t ends fast */
  o->lim.timeout_ms = 10000;
}

/* Runs with 'o'; returns the report or NULL (and a failed assertion). */
static LvtSuiteReport *run_ok(LvtVmSet *set, const LvtSuiteOpts *o, const char *what) {
  LvtSuiteReport *r = NULL;
  LvtErr e = {0, ""};
  if (!TAP_OK(lvt_suite_run(set, o, &r, &e) == LVT_OK && r != NULL, "%s: runs", what))
    printf("#   %s\n", e.msg);
  return r;
}

static void check_own_full(LvtVmSet *set) {
  LvtSuiteOpts o;
  LvtSuiteReport *r;
  Seen seen = {0, 0, 0};
  const LvtSuiteResult *res;
  const LvtSuiteTest *t;
  long v51, v54;
  size_t s34 = 0, s64 = 0, i;
  own_opts(&o);
  o.progress = on_event;
  o.ud = &seen;
  if ((r = run_ok(set, &o, "own suite")) == NULL) return;
  TAP_IS_INT(r->nfiles, 10, "ten .t files (notes.txt left out)");
  TAP_IS_STR(r->files[0], "t/001-pass.t", "files in name order (first)");
  TAP_IS_STR(r->files[9], "t/010-loop.t", "files in name order (last)");
  TAP_IS_INT(r->complete, 1, "a full run is complete");
  TAP_IS_INT(r->ok, 0, "failures make the report not ok");
  TAP_IS_INT(seen.events, 20, "a progress event per file and VM");
  TAP_IS_INT(seen.with_res, 20, "every own event carries its judged result");
  TAP_IS_INT(seen.last_total, 20, "events know the total");
  check_wants(r, own_wants, sizeof own_wants / sizeof own_wants[0]);

  v51 = find_vm(r, "lua5.1");
  v54 = find_vm(r, "lua5.4");
  if (v51 < 0 || v54 < 0) {
    lvt_suite_report_free(r);
    return;
  }
  /* Totals per VM. */
  {
    const LvtSuiteVm *a = &r->vms[v51], *b = &r->vms[v54];
    TAP_IS_INT(a->total.n[LVT_TS_PASS], 15, "lua5.1 total pass");
    TAP_IS_INT(a->total.n[LVT_TS_FAIL], 6, "lua5.1 total fail (007 no longer expected)");
    TAP_IS_INT(a->total.n[LVT_TS_SKIP], 1, "lua5.1 total skip");
    TAP_IS_INT(a->total.n[LVT_TS_TODO], 1, "lua5.1 total todo");
    TAP_IS_INT(a->total.n[LVT_TS_XFAIL], 0, "lua5.1 total xfail (cancelled by 'pass:')");
    TAP_IS_INT(a->total.n[LVT_TS_XPASS], 0, "lua5.1 total xpass");
    TAP_IS_INT(b->total.n[LVT_TS_PASS], 14, "lua5.4 total pass");
    TAP_IS_INT(b->total.n[LVT_TS_XPASS], 1, "lua5.4 total xpass");
    TAP_IS_INT(lvt_suite_counts_failing(&b->total), 5, "lua5.4 failing = fail + xpass");
    TAP_IS_INT(b->total.n[LVT_TS_XFAIL], 2, "lua5.4 total xfail (dialect + own list)");
    TAP_IS_INT(a->files[LVT_FS_PASS], 3, "lua5.1 files passed");
    TAP_IS_INT(a->files[LVT_FS_FAIL], 6, "lua5.1 files failed");
    TAP_IS_INT(a->files[LVT_FS_SKIP], 1, "lua5.1 files skipped");
    TAP_IS_INT(b->files[LVT_FS_PASS], 4, "lua5.4 files passed");
    TAP_IS_INT(b->files[LVT_FS_FAIL], 5, "lua5.4 files failed");
    TAP_IS_INT(a->usable && b->usable, 1, "both VMs usable");
    TAP_IS_INT(a->nlists, 2, "lua5.1: its dialect's list and its own");
    TAP_IS_INT(b->nlists, 4, "lua5.4: three dialect lists and its own");
    TAP_IS_INT(a->nunused, 0, "lua5.1: no unused entry");
    TAP_IS_INT(b->nunused, 1, "lua5.4: one unused entry");
    if (b->nunused == 1)
      TAP_OK(strstr(b->unused[0], "008-stale.txt:4: 008-stale.t:§9.9 nothing") != NULL,
             "the unused entry names its list line: %s", b->unused[0]);
  }
  /* Sections, in manual order, and their roll-up. */
  {
    static const char *want[] = {"§2.1", "§2.2", "§2.3", "§3.1", "§3.4",
                                 "§3.4.1", "§6.1", "§6.4", "§6.9"};
    TAP_IS_INT(r->nsections, 9, "nine sections");
    for (i = 0; i < r->nsections && i < 9; i++) {
      TAP_IS_STR(r->sections[i], want[i], "section %zu", i);
      if (strcmp(r->sections[i], "§3.4") == 0) s34 = i;
      if (strcmp(r->sections[i], "§6.4") == 0) s64 = i;
    }
    TAP_IS_INT(r->vms[v51].by_section[s34].n[LVT_TS_PASS], 1, "§3.4 on lua5.1: 1 pass");
    TAP_IS_INT(r->vms[v51].by_section[s34].n[LVT_TS_FAIL], 1, "§3.4 on lua5.1: 1 fail");
    TAP_IS_INT(r->vms[v54].by_section[s64].n[LVT_TS_PASS], 4, "§6.4 on lua5.4: 4 pass");
    /* no section: e1, e2 and the file records of 003, 004, 005, 009, 010 */
    TAP_IS_INT(r->vms[v51].by_section[r->nsections].n[LVT_TS_PASS], 2,
               "no section on lua5.1: 2 pass");
    TAP_IS_INT(r->vms[v51].by_section[r->nsections].n[LVT_TS_FAIL], 4,
               "no section on lua5.1: 4 fail (file records)");
  }
  /* Details of single tests. */
  res = result_of(r, "t/002-fail.t", "lua5.4");
  t = test_of(res, "§3.4 y");
  TAP_OK(t != NULL && t->status == LVT_TS_XFAIL && strcmp(t->reason, "lua5.4's own entry") == 0,
         "002 on lua5.4: expected by the VM's own list (expect/lua5.4/)");
  res = result_of(r, "t/002-fail.t", "lua5.1");
  t = test_of(res, "§3.4 y");
  if (TAP_OK(t != NULL, "002: test 'y' is there")) {
    TAP_IS_STR(lvt_test_status_name(t->status), "fail", "002: y fails");
    TAP_IS_INT(t->number, 2, "002: y is test 2");
    TAP_IS_STR(lvt_buf_str(&t->diag), "  got: 1\n  expected: 2\n", "002: y keeps its diagnostics");
    TAP_OK(t->section >= 0 && strcmp(r->sections[t->section], "§3.4") == 0, "002: y is in §3.4");
  }
  res = result_of(r, "t/003-skipall.t", "lua5.1");
  t = test_of(res, LVT_SUITE_FILE_TEST);
  TAP_OK(t != NULL && strcmp(t->reason, "needs nothing") == 0,
         "003: the skip-all reason is kept (BOM dropped)");
  res = result_of(r, "t/004-error.t", "lua5.1");
  t = test_of(res, LVT_SUITE_FILE_TEST);
  TAP_OK(t != NULL && strstr(lvt_buf_str(&t->diag), "planned 4 tests but ran 2") != NULL,
         "004: the short plan is reported with the error");
  TAP_OK(t != NULL && strstr(t->reason, "t/004-error.t:2: boom") != NULL,
         "004: the error names the file and its true line: %s", t ? t->reason : "");
  TAP_IS_INT(res ? (int)res->outcome : -1, LVT_RUN_ERROR, "004: outcome is error");
  res = result_of(r, "t/006-todo.t", "lua5.4");
  t = test_of(res, "§2.1 b");
  TAP_OK(t != NULL && t->status == LVT_TS_TODO && strcmp(t->reason, "later") == 0,
         "006: the TODO and its reason (after a shebang line)");
  res = result_of(r, "t/007-xfail.t", "lua5.4");
  t = test_of(res, "§2.2 known bug");
  TAP_OK(t != NULL && t->status == LVT_TS_XFAIL && strcmp(t->reason, "bug 123") == 0,
         "007: expected failure with the list's reason");
  res = result_of(r, "t/007-xfail.t", "lua5.1");
  t = test_of(res, "§2.2 known bug");
  TAP_OK(t != NULL && t->status == LVT_TS_FAIL,
         "007 on lua5.1: the dialect's entry is cancelled by the VM's 'pass:' entry");
  res = result_of(r, "t/008-stale.t", "lua5.4");
  t = test_of(res, "§2.3 fixed");
  TAP_OK(t != NULL && t->status == LVT_TS_XPASS &&
             strstr(lvt_buf_str(&t->diag), "expect/5.4/008-stale.txt:1") != NULL,
         "008: the unexpected pass names the list line");
  res = result_of(r, "t/010-loop.t", "lua5.1");
  TAP_IS_INT(res ? (int)res->outcome : -1, LVT_RUN_TIMEOUT, "010: outcome is timeout");
  lvt_suite_report_free(r);
}

/* Shards, filters, shuffles, extra lists. */
static void check_own_choices(LvtVmSet *set) {
  LvtSuiteOpts o;
  LvtSuiteReport *r, *r2;
  const LvtSuiteResult *res;
  static const char *only[] = {"002-fail.t", "t/004-error.t", "nonexistent.t"};
  static const char *lists[2];
  size_t i;
  int same = 1, sorted = 1;

  own_opts(&o);
  o.shard_index = 2;
  o.shard_count = 3;
  if ((r = run_ok(set, &o, "shard 2/3")) != NULL) {
    TAP_IS_INT(r->nfiles, 3, "shard 2/3: three files");
    TAP_IS_STR(r->nfiles == 3 ? r->files[1] : "", "t/005-shortplan.t", "shard 2/3: files 2, 5, 8");
    TAP_IS_INT(r->complete, 0, "shard: not complete");
    lvt_suite_report_free(r);
  }
  own_opts(&o);
  o.shard_index = 11;
  o.shard_count = 11;
  if ((r = run_ok(set, &o, "shard 11/11")) != NULL) {
    TAP_IS_INT(r->nfiles, 0, "shard 11/11 of 10 files: none");
    TAP_OK(strstr(lvt_buf_str(&r->notes), "shard 11/11 holds no file") != NULL, "an empty shard is noted");
    TAP_IS_INT(r->ok, 1, "an empty shard is ok");
    lvt_suite_report_free(r);
  }
  own_opts(&o);
  o.filter = 1;
  o.only = only;
  o.nonly = 3;
  if ((r = run_ok(set, &o, "filter")) != NULL) {
    TAP_IS_INT(r->nfiles, 2, "filter: two files");
    TAP_OK(strstr(lvt_buf_str(&r->notes), "'nonexistent.t'") != NULL,
           "filter: a name that is no file is noted");
    lvt_suite_report_free(r);
  }
  own_opts(&o);
  o.filter = 1;
  o.nonly = 0;
  if ((r = run_ok(set, &o, "empty filter")) != NULL) {
    TAP_IS_INT(r->nfiles, 0, "empty filter: nothing runs");
    TAP_IS_INT(r->ok, 1, "empty filter: ok");
    lvt_suite_report_free(r);
  }
  own_opts(&o);
  o.shuffle = 1;
  o.seed = 42;
  r = run_ok(set, &o, "shuffle 42");
  r2 = run_ok(set, &o, "shuffle 42 again");
  if (r != NULL && r2 != NULL) {
    for (i = 0; i < r->nfiles && i < r2->nfiles; i++) {
      if (strcmp(r->files[i], r2->files[i]) != 0) same = 0;
      if (i > 0 && strcmp(r->files[i - 1], r->files[i]) > 0) sorted = 0;
    }
    TAP_IS_INT(r->nfiles, 10, "shuffle: every file");
    TAP_OK(same, "shuffle: the same seed gives the same order");
    TAP_OK(!sorted, "shuffle: the order is not the name order");
    TAP_IS_INT(r->complete, 1, "shuffle: still complete");
  }
  lvt_suite_report_free(r);
  lvt_suite_report_free(r2);

  /* An extra list: file-targeted entries, a whole-file one, a stale one. */
  put("extra.txt",
      "002-fail.t:§3.4 y\tknown\n"
      "t/004-error.t:(file)\terrors on purpose\n"
      "001-pass.t:(file)\tstale: the file is fine\n"
      "§2.2 a\tnot in 007 only\n");
  lists[0] = at("extra.txt");
  own_opts(&o);
  o.expect = lists;
  o.nexpect = 1;
  if ((r = run_ok(set, &o, "extra list")) != NULL) {
    res = result_of(r, "t/002-fail.t", "lua5.1");
    TAP_IS_STR(res ? lvt_file_status_name(res->status) : "", "pass", "extra: 002 passes with y expected");
    TAP_IS_INT(res ? (int)res->counts.n[LVT_TS_XFAIL] : -1, 1, "extra: 002 has one xfail");
    res = result_of(r, "t/004-error.t", "lua5.4");
    TAP_IS_STR(res ? lvt_file_status_name(res->status) : "", "pass", "extra: 004's error is expected");
    TAP_OK(res && test_of(res, "(file)") && test_of(res, "(file)")->status == LVT_TS_XFAIL &&
               strstr(lvt_buf_str(&test_of(res, "(file)")->diag), "failed: Lua error") != NULL,
           "extra: 004's file record is an xfail that keeps what failed");
    res = result_of(r, "t/001-pass.t", "lua5.1");
    TAP_OK(res && res->status == LVT_FS_FAIL && test_of(res, "(file)") &&
               test_of(res, "(file)")->status == LVT_TS_XPASS,
           "extra: a stale whole-file entry is an unexpected pass");
    res = result_of(r, "t/007-xfail.t", "lua5.4");
    TAP_IS_INT(res ? (int)res->counts.n[LVT_TS_XPASS] : -1, 1, "extra: an entry for any file applies");
    lvt_suite_report_free(r);
  }
}

/* Errors: missing and empty suites, bad options, bad lists. */
static void check_own_errors(LvtVmSet *set) {
  LvtSuiteOpts o;
  LvtSuiteReport *r = NULL;
  LvtErr e = {0, ""};
  static const char *lists[1];
  static const struct { const char *text, *msg; } bad[] = {
    {"§1 x reason without tab\n", "bad.txt:1: expected '<test name><TAB><reason>'"},
    {"# c\n§1 x\t\n", "bad.txt:2: no reason after the TAB"},
    {"\treason\n", "bad.txt:1: no test name before the TAB"},
    {"x.t:\treason\n", "bad.txt:1: no test name after the file name"},
  };
  size_t i;

  lvt_suite_opts_init(&o);
  o.root = at("nowhere");
  TAP_IS_INT(lvt_suite_run(set, &o, &r, &e), LVT_ERR_IO, "a missing suite is an I/O error");
  TAP_OK(strstr(e.msg, "nowhere") != NULL && r == NULL, "... naming the path: %s", e.msg);
  put("empty/t/README", "no tests\n");
  o.root = at("empty");
  TAP_IS_INT(lvt_suite_run(set, &o, &r, &e), LVT_ERR_IO, "a suite without .t files fails");
  TAP_OK(strstr(e.msg, "no *.t file: a suite without tests is a failure") != NULL, "... saying so: %s",
         e.msg);
  /* a file that cannot be read, after one that could */
  put("dirsuite/t/001-a.t", "print('1..0')\n");
  put("dirsuite/t/002-b.t/x", "");
  o.root = at("dirsuite");
  TAP_IS_INT(lvt_suite_run(set, &o, &r, &e), LVT_ERR_IO, "an unreadable file is an I/O error");
  TAP_OK(strstr(e.msg, "002-b.t: is a directory") != NULL && r == NULL, "... naming it: %s", e.msg);
  own_opts(&o);
  o.shard_index = 4;
  o.shard_count = 3;
  TAP_IS_INT(lvt_suite_run(set, &o, &r, &e), LVT_ERR_USAGE, "shard 4/3 is refused");
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    put("bad.txt", bad[i].text);
    lists[0] = at("bad.txt");
    own_opts(&o);
    o.expect = lists;
    o.nexpect = 1;
    TAP_IS_INT(lvt_suite_run(set, &o, &r, &e), LVT_ERR_USAGE, "bad list %zu is refused", i);
    TAP_OK(strstr(e.msg, bad[i].msg) != NULL, "... with '%s': %s", bad[i].msg, e.msg);
    TAP_IS_INT(lvt_suite_check_list(lists[0], &e), LVT_ERR_USAGE, "check_list refuses bad list %zu", i);
  }
  TAP_IS_INT(lvt_suite_check_list(at("extra.txt"), &e), LVT_OK, "check_list takes a good list");
  TAP_IS_INT(lvt_suite_check_list(at("none.txt"), &e), LVT_ERR_IO, "check_list: missing file");
  put("cancel.txt", "# nothing before it to cancel\nt/x.t:§1 a\tpass: fixed here\n");
  TAP_IS_INT(lvt_suite_check_list(at("cancel.txt"), &e), LVT_ERR_USAGE,
             "a 'pass:' entry that cancels nothing is refused");
  TAP_OK(strstr(e.msg, "cancel.txt:2") != NULL && strstr(e.msg, "no such entry") != NULL,
         "... naming its line: %s", e.msg);
}

static void check_helpers(void) {
  static const struct { const char *s; int rc; unsigned i, n; } shards[] = {
    {"1/1", LVT_OK, 1, 1}, {"2/4", LVT_OK, 2, 4}, {"0/4", LVT_ERR_USAGE, 0, 0},
    {"5/4", LVT_ERR_USAGE, 0, 0}, {"1/0", LVT_ERR_USAGE, 0, 0}, {"1", LVT_ERR_USAGE, 0, 0},
    {"1/2x", LVT_ERR_USAGE, 0, 0}, {"-1/2", LVT_ERR_USAGE, 0, 0}, {"", LVT_ERR_USAGE, 0, 0},
  };
  size_t k;
  char *root;
  for (k = 0; k < sizeof shards / sizeof shards[0]; k++) {
    unsigned i = 0, n = 0;
    LvtErr e = {0, ""};
    TAP_IS_INT(lvt_suite_parse_shard(shards[k].s, &i, &n, &e), shards[k].rc, "shard '%s'", shards[k].s);
    if (shards[k].rc == LVT_OK) TAP_OK(i == shards[k].i && n == shards[k].n, "shard '%s' values", shards[k].s);
  }
  TAP_IS_INT(lvt_suite_kind_parse("corpus"), LVT_SUITE_CORPUS, "kind 'corpus'");
  TAP_IS_INT(lvt_suite_kind_parse("official"), LVT_SUITE_OFFICIAL, "kind 'official'");
  TAP_IS_INT(lvt_suite_kind_parse("luajit-tests"), LVT_SUITE_LJTESTS, "kind 'luajit-tests'");
  TAP_IS_INT(lvt_suite_kind_parse("testes"), -1, "kind 'testes' is none");
  TAP_OK(strcmp(lvt_suite_kind_name(LVT_SUITE_HARNESS), "harness") == 0, "name of harness");
  {
    char vm[64];
    const char *p = lvt_suite_list_vm("lua5.1=/x/list.txt", vm, sizeof vm);
    TAP_OK(strcmp(vm, "lua5.1") == 0 && strcmp(p, "/x/list.txt") == 0, "VM=FILE splits");
    p = lvt_suite_list_vm("/a=b/list.txt", vm, sizeof vm);
    TAP_OK(vm[0] == '\0' && strcmp(p, "/a=b/list.txt") == 0, "a path with '=' is a path");
    p = lvt_suite_list_vm("list.txt", vm, sizeof vm);
    TAP_OK(vm[0] == '\0' && strcmp(p, "list.txt") == 0, "FILE is for every VM");
  }
  setenv("LVT_SOURCE_DIR", tmp, 1);
  put("lua-harness/t/x.t", "");
  root = lvt_suite_find_root(LVT_SUITE_OWN, NULL);
  TAP_OK(root != NULL && strstr(root, "/lua-harness") != NULL && strstr(root, tmp + 5) != NULL,
         "find_root uses LVT_SOURCE_DIR: %s", root ? root : "(null)");
  free(root);
  {
    LvtSuiteReport *a = lvt_suite_report_absent("official", "not given (--suite-dir or LVT_SUITES_DIR)");
    TAP_OK(a->absent && a->ok && strcmp(a->suite, "official") == 0 && a->nfiles == 0,
           "an absent suite is named, ok, and empty");
    lvt_suite_report_free(a);
  }
}

/* =====================================================================
** The corpus
** ===================================================================== */

static const Want corpus_wants[] = {
  {"seeds/agree.lua", "lua5.1", LVT_FS_PASS, 1, 0, 0, 0, 0, 0, 0, NULL},
  {"seeds/agree.lua", "lua5.4", LVT_FS_PASS, 1, 0, 0, 0, 0, 0, 0, NULL},
  {"seeds/agree.lua", "luajit", LVT_FS_FAIL, 0, 0, 0, 0, 0, 0, 1, NULL},
  {"seeds/agree.lua", "lj-joff", LVT_FS_FAIL, 0, 0, 0, 0, 0, 0, 1, NULL},
  {"seeds/impl.lua", "lua5.1", LVT_FS_PASS, 1, 0, 0, 0, 0, 0, 0, NULL},
  {"seeds/impl.lua", "lua5.4", LVT_FS_PASS, 1, 0, 0, 0, 0, 0, 0, NULL},
  {"seeds/impl.lua", "luajit", LVT_FS_PASS, 0, 0, 0, 0, 0, 1, 0, NULL},
  {"seeds/impl.lua", "lj-joff", LVT_FS_FAIL, 0, 1, 0, 0, 0, 0, 0, NULL},
  {"regressions/err.lua", "lua5.1", LVT_FS_PASS, 1, 0, 0, 0, 0, 0, 0, NULL},
  {"regressions/err.lua", "lj-joff", LVT_FS_PASS, 1, 0, 0, 0, 0, 0, 0, NULL},
  {"regressions/loop.lua", "lua5.4", LVT_FS_FAIL, 0, 1, 0, 0, 0, 0, 0, NULL},
  {"regressions/loop.lua", "lj-joff", LVT_FS_FAIL, 0, 1, 0, 0, 0, 0, 0, NULL},
  {"seeds/split.lua", "lua5.1", LVT_FS_PASS, 1, 0, 0, 0, 0, 0, 0, NULL},
  {"seeds/split.lua", "luajit", LVT_FS_FAIL, 0, 1, 0, 0, 0, 0, 0, NULL},
  {"seeds/split.lua", "lj-joff", LVT_FS_FAIL, 0, 1, 0, 0, 0, 0, 0, NULL},
};

static void check_corpus(void) {
  static const char *vms[] = {"lua5.1", "lua5.4", "luajit", "name=lj-joff,cmd=\"luajit -joff\""};
  LvtVmSet set;
  LvtSuiteOpts o;
  LvtSuiteReport *r;
  const LvtSuiteResult *res;
  put("corpus/seeds/agree.lua", "print(1 + 1)\n");
  put("corpus/seeds/impl.lua", "print(jit and 'jit' or 'puc')\n");
  /* luajit and lj-joff differ from lua5.1 only in the output of 'jit':
  ** they are the group's majority (2 of 3), but PUC-Rio 5.1 is its anchor */
  put("corpus/seeds/split.lua", "print(jit and 'jit' or 'puc', 1)\n");
  put("corpus/regressions/err.lua", "error('x')\n");
  /* no JIT trace can hold this loop: the count hook sees it on LuaJIT too */
  put("corpus/regressions/loop.lua", "while true do coroutine.wrap(function() end)() end\n");
  put("corpus/expect/luajit.txt", "impl.lua\tPUC and LuaJIT differ by design\n"
                                  "agree.lua\tstale entry\n");
  /* lj-joff's own list cancels its dialect's entry: it fails impl.lua */
  put("corpus/expect/lj-joff.txt", "impl.lua\tpass: said to agree with PUC\n");
  start_set(&set, vms, 4);
  lvt_suite_opts_init(&o);
  o.kind = LVT_SUITE_CORPUS;
  o.root = at("corpus");
  o.lim.instr_limit = 20000000;
  o.lim.timeout_ms = 10000;
  if ((r = run_ok(&set, &o, "corpus")) != NULL) {
    TAP_IS_INT(r->nfiles, 5, "corpus: seeds and regressions");
    TAP_IS_STR(r->files[0], "seeds/agree.lua", "corpus: seeds first");
    check_wants(r, corpus_wants, sizeof corpus_wants / sizeof corpus_wants[0]);
    res = result_of(r, "seeds/split.lua", "luajit");
    if (res != NULL && res->ntests == 1) {
      TAP_OK(strstr(res->tests[0].reason, "output line 1 differs (column 1) from lua5.1") != NULL,
             "corpus: how the odd one differs: %s", res->tests[0].reason);
      TAP_OK(strstr(lvt_buf_str(&res->tests[0].diag), "puc") != NULL,
             "corpus: the difference is shown");
      TAP_IS_STR(res->tests[0].name, "split.lua", "corpus: the test is named after the program");
    }
    res = result_of(r, "regressions/loop.lua", "lua5.1");
    TAP_OK(res && res->ntests == 1 && strstr(res->tests[0].reason, "timeout") != NULL,
           "corpus: a timeout fails even when every VM agrees");
    TAP_IS_INT(r->ok, 0, "corpus: not ok");
    lvt_suite_report_free(r);
  }
  lvt_vmset_reset(&set);
}

/* With ref in a dialect group, ref's class is the reference even when it
** is the minority: two lua5.4 that set a global before the driver run
** agree with each other and differ from ref. */
static void check_corpus_ref(void) {
  static const char *vms[] = {"ref", "name=m1,cmd=\"lua5.4 -e LVT_MARK=1\"",
                              "name=m2,cmd=\"lua5.4 -e LVT_MARK=1\""};
  const char *self = getenv("LVTEST");
  LvtVmSet set;
  LvtSuiteOpts o;
  LvtSuiteReport *r;
  LvtErr e = {0, ""};
  size_t i;
  if (self == NULL) {
    printf("# SKIP ref as the reference of its group: LVTEST does not name the lvtest binary\n");
    return;
  }
  put("corpus2/seeds/mark.lua", "print(LVT_MARK)\n");
  lvt_vmset_init(&set);
  for (i = 0; i < 3; i++)
    if (!TAP_OK(lvt_vmset_add(&set, vms[i], self, &e) == LVT_OK, "add %s", vms[i])) printf("#   %s\n", e.msg);
  {
    LvtVmSetOpts so;
    memset(&so, 0, sizeof so);
    lvt_vmset_start(&set, &so);
  }
  lvt_suite_opts_init(&o);
  o.kind = LVT_SUITE_CORPUS;
  o.root = at("corpus2");
  if ((r = run_ok(&set, &o, "corpus with ref")) != NULL) {
    const LvtSuiteResult *ref = result_of(r, "seeds/mark.lua", "ref");
    const LvtSuiteResult *m1 = result_of(r, "seeds/mark.lua", "m1");
    TAP_OK(ref && ref->status == LVT_FS_PASS, "ref passes: it is the reference");
    TAP_OK(m1 && m1->status == LVT_FS_FAIL && m1->ntests == 1 &&
               strstr(m1->tests[0].reason, "differs (column 1) from ref") != NULL,
           "the majority that differs from ref fails, naming ref: %s",
           m1 && m1->ntests ? m1->tests[0].reason : "");
    lvt_suite_report_free(r);
  }
  lvt_vmset_reset(&set);
}

/* A VM that cannot start: every file fails on it, naming why. */
static void check_unusable(void) {
  static const char *vms[] = {"lua5.4", "name=broken,cmd=/bin/false"};
  static const char *one[] = {"001-pass.t"};
  LvtVmSet set;
  LvtSuiteOpts o;
  LvtSuiteReport *r = NULL;
  LvtErr e = {0, ""};
  LvtVmSetOpts so;
  lvt_vmset_init(&set);
  TAP_IS_INT(lvt_vmset_add(&set, vms[0], NULL, &e), LVT_OK, "add lua5.4");
  if (!TAP_OK(lvt_vmset_add(&set, vms[1], NULL, &e) == LVT_OK, "add a VM that cannot start"))
    printf("#   %s\n", e.msg);
  memset(&so, 0, sizeof so);
  lvt_vmset_start(&set, &so);
  own_opts(&o);
  o.filter = 1;   /* one file is enough: the run is about the VMs */
  o.only = one;
  o.nonly = 1;
  if (lvt_suite_run(&set, &o, &r, &e) == LVT_OK && r != NULL) {
    const LvtSuiteResult *res = result_of(r, "t/001-pass.t", "broken");
    TAP_OK(res && !res->ran && res->status == LVT_FS_FAIL && res->ntests == 1 &&
               res->tests[0].file_level && strstr(res->tests[0].reason, "not run") != NULL,
           "an unusable VM fails each file with why");
    TAP_OK(!r->vms[1].usable && r->vms[1].why != NULL, "the report says the VM is not usable");
    res = result_of(r, "t/001-pass.t", "lua5.4");
    TAP_OK(res && res->status == LVT_FS_PASS, "the other VM still runs");
    TAP_IS_INT(r->ok, 0, "an unusable VM makes the run not ok");
  } else {
    TAP_OK(0, "run with an unusable VM: %s", e.msg);
  }
  lvt_suite_report_free(r);
  lvt_vmset_reset(&set);
}

int main(void) {
  static const char *vms[] = {"lua5.1", "lua5.4"};
  LvtVmSet set;
  if (!TAP_OK(fixture_open("suite"), "temp dir")) return tap_done();
  write_own();
  start_set(&set, vms, 2);
  check_own_full(&set);
  check_own_choices(&set);
  check_own_errors(&set);
  lvt_vmset_reset(&set);
  check_helpers();
  check_corpus();
  check_corpus_ref();
  check_unusable();
  fixture_close();
  return tap_done();
}
