/*
** test_ljt.c -- the parser of LuaJIT-tests' runner output (harness/lvt_ljt.c):
** whole streams as data (counts, summary, the problem named), then the
** fields of single tests (number, name, error lines, the crash mark),
** the preface, byte-level oddities (CRLF, no final newline, long lines,
** huge numbers), and init/reset reuse.
**
** The streams have the shape test.lua prints: "[%Nd/%d] " with N the
** width of the plan's size, then "dir/file.lua --- name"; after a failing
** test its error and traceback; at the end "K passed" or "K passed, M
** failed" and "to run just failing tests, pass command line arguments: ...".
*/
#include "harness/lvt_ljt.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "tests/tap.h"

/* A failing test's error, as xpcall(test, debug.traceback) gives it. */
#define TRACEBACK                                   \
  "lang/arith.lua:12: assertion failed!\n"          \
  "stack traceback:\n"                              \
  "\t[C]: in function 'assert'\n"                   \
  "\tlang/arith.lua:12: in function <lang/arith.lua:10>\n" \
  "\t[C]: in function 'xpcall'\n"                   \
  "\ttest.lua:370: in function 'execute_plan'\n"

/* =====================================================================
** Whole streams
** ===================================================================== */

typedef struct Stream {
  const char *what;
  const char *out;
  int ntests, planned, summary, said_passed, said_failed, summary_failed;
  int nfailed;          /* tests with error lines */
  int crash_at;         /* index of the test marked last_of_crash; -1: none */
  const char *problem;  /* NULL: none; else r.problem contains this */
} Stream;

static const Stream streams[] = {
  {"all passed",
   "[1/3] a.lua --- x\n[2/3] a.lua --- y\n[3/3] b.lua --- z\n3 passed\n",
   3, 3, 1, 3, 0, 0, 0, -1, NULL},
  {"padded numbers, some selected",
   "[ 1/12] lang/a.lua --- one\n[ 9/12] lang/b.lua --- nine\n[10/12] lib/c.lua --- ten\n"
   "3 passed\n",
   3, 12, 1, 3, 0, 0, 0, -1, NULL},
  {"one failure with a traceback",
   "[1/3] lang/arith.lua --- add\n[2/3] lang/arith.lua --- overflow\n" TRACEBACK
   "[3/3] lang/arith.lua --- sub\n2 passed, 1 failed\n"
   "to run just failing tests, pass command line arguments: 2\n",
   3, 3, 1, 2, 1, 1, 1, -1, NULL},
  {"all failed: no 'to run just' line",
   "[1/2] a\nx:1: boom\n[2/2] b\nx:2: bang\n0 passed, 2 failed\n",
   2, 2, 1, 0, 2, 1, 2, -1, NULL},
  {"a run that stops in a test (crash)",
   "[1/3] a.lua --- x\n[2/3] a.lua --- y\n",
   2, 3, 0, 0, 0, 0, 0, 1, "no summary line: the run ended in test 2 of 3 (a.lua --- y)"},
  {"a crash after error lines of its own",
   "[1/2] a.lua --- x\n[2/2] a.lua --- y\nPANIC: unprotected error in call to Lua API\n",
   2, 2, 0, 0, 0, 0, 1, 1, "the run ended in test 2 of 2"},
  {"summary with fewer tests than read",
   "[1/3] a\n[2/3] b\n[3/3] c\n2 passed\n",
   3, 3, 1, 2, 0, 0, 0, -1, "the summary says 2 passed, 0 failed; lvtest read 3 tests, 0 failed"},
  {"summary with more tests than read",
   "[1/3] a\n[2/3] b\n3 passed\n",
   2, 3, 1, 3, 0, 0, 0, -1, "the summary says 3 passed, 0 failed; lvtest read 2 tests, 0 failed"},
  {"summary disagrees on failures",
   "[1/2] a\nx:1: boom\n[2/2] b\n2 passed\n",
   2, 2, 1, 2, 0, 0, 1, -1, "the summary says 2 passed, 0 failed; lvtest read 2 tests, 1 failed"},
  {"no output at all", "",
   0, -1, 0, 0, 0, 0, 0, -1, "no test ran"},
  {"only blank lines", "\n\n",
   0, -1, 0, 0, 0, 0, 0, -1, "no test ran"},
  {"a summary of nothing", "0 passed\n",
   0, -1, 1, 0, 0, 0, 0, -1, "no test ran"},
  {"a summary alone", "5 passed\n",
   0, -1, 1, 5, 0, 0, 0, -1, "lvtest read 0 tests"},
  {"runner error before any test",
   "luajit: test.lua:146: Unsupported flag: --bogus\nstack traceback:\n"
   "\t[C]: in function 'error'\n",
   0, -1, 0, 0, 0, 0, 0, -1, "no test ran"},
  {"preface, then a clean run",
   "warning: something\n[1/1] a\n1 passed\n",
   1, 1, 1, 1, 0, 0, 0, -1, NULL},
  {"CRLF",
   "[1/2] a.lua --- x\r\n[2/2] a.lua --- y\r\nerr\r\n\tmore\r\n1 passed, 1 failed\r\n"
   "to run just failing tests, pass command line arguments: 2\r\n",
   2, 2, 1, 1, 1, 1, 1, -1, NULL},
  {"no final newline after the summary",
   "[1/1] a\n1 passed",
   1, 1, 1, 1, 0, 0, 0, -1, NULL},
  {"no final newline after a test line",
   "[1/2] a\n[2/2] b",
   2, 2, 0, 0, 0, 0, 0, 1, "ended in test 2 of 2 (b)"},
  {"summary with trailing words is not one",
   "[1/1] a\n1 passed today\n",
   1, 1, 0, 0, 0, 0, 1, 0, "no summary line"},
  {"not test lines: no space, letters, no ']'",
   "[1/2]a\n[x/2] b\n[1/2 b\n[1/2] ok\n1 passed\n",
   1, 2, 1, 1, 0, 0, 0, -1, NULL},
};

static void check_streams(void) {
  size_t i, k;
  for (i = 0; i < sizeof streams / sizeof streams[0]; i++) {
    const Stream *s = &streams[i];
    LvtLjtResult r;
    int nfailed = 0, crash_at = -1, ncrash = 0;
    lvt_ljt_init(&r);
    lvt_ljt_parse(&r, s->out, strlen(s->out));
    for (k = 0; k < r.ntests; k++) {
      nfailed += r.tests[k].failed;
      if (r.tests[k].last_of_crash) crash_at = (int)k, ncrash++;
    }
    TAP_IS_INT(r.ntests, s->ntests, "%s: tests", s->what);
    TAP_IS_INT(r.planned, s->planned, "%s: planned", s->what);
    TAP_IS_INT(r.summary, s->summary, "%s: summary seen", s->what);
    TAP_IS_INT(r.said_passed, s->said_passed, "%s: summary's passed", s->what);
    TAP_IS_INT(r.said_failed, s->said_failed, "%s: summary's failed", s->what);
    TAP_IS_INT(r.summary_failed, s->summary_failed, "%s: summary names failures", s->what);
    TAP_IS_INT(nfailed, s->nfailed, "%s: tests with error lines", s->what);
    TAP_IS_INT(crash_at, s->crash_at, "%s: test marked last_of_crash", s->what);
    TAP_OK(ncrash <= 1, "%s: at most one test marked last_of_crash", s->what);
    if (s->problem == NULL)
      TAP_IS_STR(r.problem, "", "%s: no problem", s->what);
    else if (!TAP_OK(strstr(r.problem, s->problem) != NULL, "%s: problem named", s->what))
      printf("#   problem: \"%s\"\n#   wanted: \"%s\"\n", r.problem, s->problem);
    lvt_ljt_reset(&r);
  }
}

/* =====================================================================
** Single tests: number, name, failed, first error line, diagnostics
** ===================================================================== */

typedef struct One {
  const char *what;
  const char *out;
  size_t index;
  int number;
  const char *name;
  int failed;
  const char *first, *diag;
  int last_of_crash;
} One;

static const One ones[] = {
  {"traceback goes to the test before it",
   "[1/3] lang/arith.lua --- add\n[2/3] lang/arith.lua --- overflow\n" TRACEBACK
   "[3/3] lang/arith.lua --- sub\n2 passed, 1 failed\n"
   "to run just failing tests, pass command line arguments: 2\n",
   1, 2, "lang/arith.lua --- overflow", 1, "lang/arith.lua:12: assertion failed!", TRACEBACK, 0},
  {"the test before the failure passed",
   "[1/3] lang/arith.lua --- add\n[2/3] lang/arith.lua --- overflow\n" TRACEBACK
   "[3/3] lang/arith.lua --- sub\n2 passed, 1 failed\n",
   0, 1, "lang/arith.lua --- add", 0, "", "", 0},
  {"the test after the failure passed; the 'to run' line is not its",
   "[1/3] lang/arith.lua --- add\n[2/3] lang/arith.lua --- overflow\n" TRACEBACK
   "[3/3] lang/arith.lua --- sub\n2 passed, 1 failed\n"
   "to run just failing tests, pass command line arguments: 2\n",
   2, 3, "lang/arith.lua --- sub", 0, "", "", 0},
  {"padded number",
   "[ 7/12] lib/string/format.lua --- %q\n1 passed\n",
   0, 7, "lib/string/format.lua --- %q", 0, "", "", 0},
  {"name with spaces, '---' and brackets",
   "[1/1] lang/x y.lua --- a --- b [c] 1/2\n1 passed\n",
   0, 1, "lang/x y.lua --- a --- b [c] 1/2", 0, "", "", 0},
  {"a test of a file at the root: no ' --- '",
   "[1/1] lone\n1 passed\n",
   0, 1, "lone", 0, "", "", 0},
  {"CRLF: no CR in the name, first line or diagnostics",
   "[1/1] a.lua --- x\r\nerr: bad\r\n\tstack\r\n0 passed, 1 failed\r\n",
   0, 1, "a.lua --- x", 1, "err: bad", "err: bad\n\tstack\n", 0},
  {"the last test of a crash",
   "[1/2] a.lua --- x\n[2/2] a.lua --- y\n",
   1, 2, "a.lua --- y", 0, "", "", 1},
  {"the test before a crash is not its last",
   "[1/2] a.lua --- x\n[2/2] a.lua --- y\n",
   0, 1, "a.lua --- x", 0, "", "", 0},
  {"a crash with a message: failed and last",
   "[1/1] ffi.lua --- call\nPANIC: unprotected error\n",
   0, 1, "ffi.lua --- call", 1, "PANIC: unprotected error", "PANIC: unprotected error\n", 1},
  {"no final newline inside the error",
   "[1/1] a\nboom",
   0, 1, "a", 1, "boom", "boom\n", 1},
  {"a blank line in an error is kept",
   "[1/1] a\nx:1: msg\n\nstack traceback:\n0 passed, 1 failed\n",
   0, 1, "a", 1, "x:1: msg", "x:1: msg\n\nstack traceback:\n", 0},
  {"a huge test number saturates",
   "[99999999999999999999/3] big\n",
   0, INT_MAX, "big", 0, "", "", 1},
};

static void check_ones(void) {
  size_t i;
  for (i = 0; i < sizeof ones / sizeof ones[0]; i++) {
    const One *o = &ones[i];
    const LvtLjtTest *t;
    LvtLjtResult r;
    lvt_ljt_init(&r);
    lvt_ljt_parse(&r, o->out, strlen(o->out));
    if (!TAP_OK(r.ntests > o->index, "%s: has test %zu", o->what, o->index)) {
      lvt_ljt_reset(&r);
      continue;
    }
    t = &r.tests[o->index];
    TAP_IS_INT(t->number, o->number, "%s: number", o->what);
    TAP_IS_STR(t->name, o->name, "%s: name", o->what);
    TAP_IS_INT(t->failed, o->failed, "%s: failed", o->what);
    TAP_IS_STR(lvt_buf_str(&t->first), o->first, "%s: first error line", o->what);
    TAP_IS_STR(lvt_buf_str(&t->diag), o->diag, "%s: error lines", o->what);
    TAP_IS_INT(t->last_of_crash, o->last_of_crash, "%s: last_of_crash", o->what);
    lvt_ljt_reset(&r);
  }
}

/* =====================================================================
** Preface, long lines, huge summaries, NULs
** ===================================================================== */

static void check_preface(void) {
  static const char flag[] =
      "luajit: test.lua:146: Unsupported flag: --bogus\r\n"
      "stack traceback:\n"
      "\t[C]: in function 'error'\n";
  static const char warn[] = "\nwarning: JIT disabled\n[1/1] a\n1 passed\n";
  LvtLjtResult r;
  lvt_ljt_init(&r);
  lvt_ljt_parse(&r, flag, strlen(flag));
  TAP_IS_STR(lvt_buf_str(&r.preface),
             "luajit: test.lua:146: Unsupported flag: --bogus\nstack traceback:\n"
             "\t[C]: in function 'error'\n",
             "preface: the runner's error, every line, CR dropped");
  TAP_IS_INT(r.ntests, 0, "preface: no test");
  lvt_ljt_parse(&r, warn, strlen(warn));
  TAP_IS_STR(lvt_buf_str(&r.preface), "\nwarning: JIT disabled\n",
             "preface: every line before the first test, a blank one too");
  TAP_IS_INT(r.ntests, 1, "preface, then a test: read");
  TAP_IS_INT(r.ntests == 1 && r.tests[0].failed == 0, 1,
             "preface, then a test: not that test's error");
  TAP_IS_STR(r.problem, "", "preface, then a clean run: no problem");
  lvt_ljt_reset(&r);
}

static void check_bytes(void) {
  LvtLjtResult r;
  LvtBuf b = LVT_BUF_INIT;
  size_t i;
  lvt_ljt_init(&r);
  /* A 400-byte error line: the first line is cut at 300, the diagnostics
  ** keep it whole. */
  lvt_buf_adds(&b, "[1/1] long\n");
  for (i = 0; i < 400; i++) lvt_buf_addc(&b, 'a' + (int)(i % 26));
  lvt_buf_adds(&b, "\n0 passed, 1 failed\n");
  lvt_ljt_parse(&r, b.data, b.len);
  if (TAP_OK(r.ntests == 1, "long error: one test (%zu)", r.ntests)) {
    TAP_IS_INT(r.tests[0].first.len, 300, "long error: first line cut at 300 bytes");
    TAP_IS_INT(r.tests[0].first.data[300], 0, "long error: first line NUL-terminated");
    TAP_IS_INT(r.tests[0].diag.len, 401, "long error: diagnostics whole");
  }
  TAP_IS_STR(r.problem, "", "long error: no problem");
  /* A NUL inside an error line does not end the stream. */
  {
    static const char nul[] = "[1/2] a\nx\0y\n[2/2] b\n1 passed, 1 failed\n";
    lvt_ljt_parse(&r, nul, sizeof nul - 1);
    TAP_IS_INT(r.ntests, 2, "NUL in an error: both tests read");
    TAP_IS_INT(r.summary, 1, "NUL in an error: the summary read");
    if (r.ntests == 2) TAP_IS_INT(r.tests[0].diag.len, 4, "NUL in an error: kept in the bytes");
  }
  /* Only the first 'len' bytes count. */
  {
    static const char s[] = "[1/2] a\n[2/2] b\n2 passed\n";
    lvt_ljt_parse(&r, s, 8);
    TAP_IS_INT(r.ntests, 1, "len: a prefix is parsed, not the whole string");
    TAP_IS_INT(r.summary, 0, "len: the summary past 'len' is not seen");
  }
  /* A summary line too long to be one is an error line. */
  lvt_buf_clear(&b);
  lvt_buf_adds(&b, "[1/1] a\n1 passed");
  for (i = 0; i < 100; i++) lvt_buf_addc(&b, ' ');
  lvt_buf_adds(&b, "\n");
  lvt_ljt_parse(&r, b.data, b.len);
  TAP_IS_INT(r.summary, 0, "a 116-byte 'summary' is not one");
  lvt_buf_reset(&b);
  lvt_ljt_reset(&r);
}

/* =====================================================================
** init / reset / reuse
** ===================================================================== */

static void check_reuse(void) {
  static const char first[] =
      "preface line\n[1/3] a\n[2/3] b\n" TRACEBACK "[3/3] c\n2 passed, 1 failed\n";
  static const char second[] = "[1/1] only\n1 passed\n";
  LvtLjtResult r;
  lvt_ljt_init(&r);
  TAP_IS_INT(r.ntests, 0, "init: no tests");
  TAP_IS_INT(r.planned, -1, "init: planned -1");
  TAP_IS_INT(r.summary, 0, "init: no summary");
  TAP_IS_STR(r.problem, "", "init: no problem");
  TAP_IS_STR(lvt_buf_str(&r.preface), "", "init: empty preface");
  lvt_ljt_parse(&r, first, strlen(first));
  TAP_IS_INT(r.ntests, 3, "reuse: first parse");
  lvt_ljt_parse(&r, second, strlen(second));
  TAP_IS_INT(r.ntests, 1, "reuse: second parse replaces the tests");
  TAP_IS_STR(r.ntests ? r.tests[0].name : NULL, "only", "reuse: the new test");
  TAP_IS_INT(r.planned, 1, "reuse: planned is the new one");
  TAP_IS_INT(r.said_failed, 0, "reuse: the old summary's failures are gone");
  TAP_IS_INT(r.summary_failed, 0, "reuse: summary_failed reset");
  TAP_IS_STR(lvt_buf_str(&r.preface), "", "reuse: the old preface is gone");
  TAP_IS_STR(r.problem, "", "reuse: no problem");
  lvt_ljt_parse(&r, "[1/2] a\n", 8);
  TAP_OK(r.problem[0] != '\0', "reuse: a crash after a clean parse has a problem");
  lvt_ljt_parse(&r, "", 0);
  TAP_IS_INT(r.ntests, 0, "reuse: empty after a crash: no tests");
  TAP_IS_INT(r.planned, -1, "reuse: empty after a crash: planned -1");
  TAP_OK(strstr(r.problem, "no test ran") != NULL, "reuse: empty: its own problem (%s)", r.problem);
  lvt_ljt_reset(&r);
  TAP_IS_INT(r.ntests == 0 && r.tests == NULL && r.planned == -1, 1, "reset: back to init");
  lvt_ljt_reset(&r);   /* twice is fine */
  TAP_IS_INT(r.ntests, 0, "reset twice");
}

int main(void) {
  check_streams();
  check_ones();
  check_preface();
  check_bytes();
  check_reuse();
  return tap_done();
}
