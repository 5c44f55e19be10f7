/*
** test_tap.c -- the TAP parser: every construct of lvt_tap.h as data (a
** stream and what its parse must count), then the fields of single tests,
** the problems that must be named, byte-level oddities (CRLF, no final
** newline, NULs), and manual sections.
*/
#include "harness/lvt_tap.h"

#include <stdio.h>
#include <string.h>

#include "tests/tap.h"

/* =====================================================================
** Whole streams: counts and verdicts
** ===================================================================== */

/* A literal with NULs, and its length. */
#define BIN(s) s, sizeof(s) - 1
#define PARSE(r, s) lvt_tap_parse(r, s, strlen(s))

typedef struct Stream {
  const char *what;
  const char *tap;
  size_t len;         /* 0 = strlen(tap) */
  int plan, ntests, passed, failed, skipped, todo, todo_passed;
  int bailed, garbage, nfatal, ok;
} Stream;

static const Stream streams[] = {
  /*                                                                    plan nt  p  f  s  td tp  b  g  fat ok */
  {"plan first", "1..2\nok 1 - a\nok 2 - b\n", 0,                       2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 1},
  {"plan last", "ok 1 - a\nok 2 - b\n1..2\n", 0,                        2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 1},
  {"no numbers", "1..3\nok\nok - b\nnot ok c\n", 0,                     3, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0},
  {"a failure", "1..2\nok 1 - a\nnot ok 2 - b\n", 0,                    2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0},
  {"skip, any case", "1..3\nok 1 # skip x\nok 2 # SKIP\nok 3 #Skip y\n", 0,
                                                                        3, 3, 0, 0, 3, 0, 0, 0, 0, 0, 1},
  {"not ok # skip fails", "1..1\nnot ok 1 # skip x\n", 0,              1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0},
  {"todo failing", "1..2\nok 1\nnot ok 2 - x # TODO later\n", 0,       2, 2, 1, 0, 0, 1, 0, 0, 0, 0, 1},
  {"todo passing", "1..1\nok 1 - x # todo later\n", 0,                 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1},
  {"skip all", "1..0 # SKIP no utf8\n", 0,                             0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
  {"skip all, no reason", "1..0\n", 0,                                 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
  {"no plan", "ok 1\nok 2\n", 0,                                       -1, 2, 2, 0, 0, 0, 0, 0, 0, 1, 0},
  {"no output", "", 0,                                                 -1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
  {"too few", "1..3\nok 1\nok 2\n", 0,                                 3, 2, 2, 0, 0, 0, 0, 0, 0, 1, 0},
  {"too many", "1..1\nok 1\nok 2\n", 0,                                1, 2, 2, 0, 0, 0, 0, 0, 0, 1, 0},
  {"out of order", "1..2\nok 2\nok 1\n", 0,                            2, 2, 2, 0, 0, 0, 0, 0, 0, 2, 0},
  {"duplicated", "1..3\nok 1\nok 2\nok 2\n", 0,                        3, 3, 3, 0, 0, 0, 0, 0, 0, 1, 0},
  {"test after trailing plan", "ok 1\n1..1\nok 2\n", 0,                1, 2, 2, 0, 0, 0, 0, 0, 0, 2, 0},
  {"two plans", "1..1\nok 1\n1..1\n", 0,                               1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0},
  {"test after skip all", "1..0 # SKIP x\nok 1\n", 0,                  0, 1, 1, 0, 0, 0, 0, 0, 0, 2, 0},
  {"bail out", "1..3\nok 1\nBail out! no VM\nok 2\nok 3\n", 0,         3, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0},
  {"bail out, no plan", "ok 1\nbail out!\n", 0,                        -1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0},
  {"garbage is not fatal", "hello\n1..1\nokay\nok 1\nnot okay\n", 0,   1, 1, 1, 0, 0, 0, 0, 0, 3, 0, 1},
  {"diagnostics", "# head\n1..1\nnot ok 1 - a\n#   got: 1\n", 0,        1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0},
  {"version line", "TAP version 13\n1..1\nok 1\n", 0,                  1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1},
  {"late version line", "1..1\nTAP version 13\nok 1\n", 0,             1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1},
  {"yaml skipped", "TAP version 13\n1..2\nnot ok 1 - a\n  ---\n  got: 1\n"
                   "  ...\nok 2\n", 0,                                   2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0},
  {"yaml not closed", "1..1\nok 1\n  ---\n  x: 1\n", 0,                1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1},
  {"indented line is garbage", "1..1\nok 1\n    ok 1 - subtest\n", 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1},
  {"blank lines ignored", "\n1..1\n\n  \nok 1\n\n", 0,                 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1},
  {"CRLF", "1..2\r\nok 1 - a\r\nnot ok 2 - b # TODO x\r\n", 0,         2, 2, 1, 0, 0, 1, 0, 0, 0, 0, 1},
  {"no final newline", "1..2\nok 1\nok 2", 0,                          2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 1},
  {"plan without final newline", "ok 1\n1..1", 0,                      1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1},
  {"NUL in a name", BIN("1..2\nok 1 - a\0b\nok 2\n"),                   2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 1},
  {"NUL line is garbage", BIN("1..1\n\0\nok 1\n"),                      1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1},
  {"truncated mid-line", "1..3\nok 1\nok 2\nok", 0,                    3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 1},
  {"truncated before plan", "ok 1 - a\nok 2 - b\nnot o", 0,            -1, 2, 2, 0, 0, 0, 0, 0, 1, 1, 0},
  {"plan with comment", "1..1 # one test\nok 1\n", 0,                  1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1},
  {"bad plan is garbage", "1..x\nok 1\n", 0,                           -1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0},
  {"tab separators", "1..1\nok\t1\t-\tname\n", 0,                       1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1},
};

static void check_streams(void) {
  size_t i;
  for (i = 0; i < sizeof streams / sizeof streams[0]; i++) {
    const Stream *s = &streams[i];
    LvtTapResult r;
    lvt_tap_init(&r);
    lvt_tap_parse(&r, s->tap, s->len ? s->len : strlen(s->tap));
    TAP_IS_INT(r.plan, s->plan, "%s: plan", s->what);
    TAP_IS_INT(r.ntests, s->ntests, "%s: tests", s->what);
    TAP_IS_INT(r.passed, s->passed, "%s: passed", s->what);
    TAP_IS_INT(r.failed, s->failed, "%s: failed", s->what);
    TAP_IS_INT(r.skipped, s->skipped, "%s: skipped", s->what);
    TAP_IS_INT(r.todo, s->todo, "%s: todo", s->what);
    TAP_IS_INT(r.todo_passed, s->todo_passed, "%s: todo passed", s->what);
    TAP_IS_INT(r.bailed, s->bailed, "%s: bailed", s->what);
    TAP_IS_INT(r.garbage, s->garbage, "%s: garbage lines", s->what);
    TAP_IS_INT(r.nfatal, s->nfatal, "%s: fatal problems", s->what);
    TAP_IS_INT(r.ok, s->ok, "%s: verdict", s->what);
    lvt_tap_reset(&r);
  }
}

/* =====================================================================
** Single tests: number, ok, directive, name, reason, diagnostics
** ===================================================================== */

typedef struct One {
  const char *tap;
  size_t len;          /* 0 = strlen */
  size_t index;        /* which test */
  int number, ok;
  LvtTapDirective dir;
  const char *name;
  size_t name_len;     /* 0 = strlen(name) */
  const char *reason, *diag;
} One;

static const One ones[] = {
  {"ok 1 - §3.4.1 floor division\n", 0, 0, 1, 1, LVT_TAP_NONE, "§3.4.1 floor division", 0, "", ""},
  {"not ok 7 name without dash\n", 0, 0, 7, 0, LVT_TAP_NONE, "name without dash", 0, "", ""},
  {"ok\n", 0, 0, 1, 1, LVT_TAP_NONE, "", 0, "", ""},
  {"ok 1\nok\n", 0, 1, 2, 1, LVT_TAP_NONE, "", 0, "", ""},
  {"ok 3 - §6.4 # skip needs utf8 (5.3+)\n", 0, 0, 3, 1, LVT_TAP_SKIP, "§6.4", 0,
   "needs utf8 (5.3+)", ""},
  {"not ok 5 - §x name # TODO reason  \n", 0, 0, 5, 0, LVT_TAP_TODO, "§x name", 0, "reason", ""},
  {"ok 2 # TODO\n", 0, 0, 2, 1, LVT_TAP_TODO, "", 0, "", ""},
  {"ok 1 - a \\# b # SKIP c\n", 0, 0, 1, 1, LVT_TAP_SKIP, "a # b", 0, "c", ""},
  {"ok 1 - issue #12 fixed\n", 0, 0, 1, 1, LVT_TAP_NONE, "issue #12 fixed", 0, "", ""},
  {"ok 1 - a # skipped it\n", 0, 0, 1, 1, LVT_TAP_NONE, "a # skipped it", 0, "", ""},
  {"ok 1 - a #todo:x\n", 0, 0, 1, 1, LVT_TAP_TODO, "a", 0, ":x", ""},
  {"not ok 1 - x\n#   Failed test 'x'\n#   got: 1\n#\n#   expected: 2\n", 0, 0, 1, 0,
   LVT_TAP_NONE, "x", 0, "", "  Failed test 'x'\n  got: 1\n\n  expected: 2\n"},
  {"ok 1 - a\n# one\nok 2 - b\n#two\n", 0, 1, 2, 1, LVT_TAP_NONE, "b", 0, "", "two\n"},
  {BIN("ok 1 - a\0b\n"), 0, 1, 1, LVT_TAP_NONE, "a\0b", 3, "", ""},
  {"ok 1 - a\r\n# d\r\n", 0, 0, 1, 1, LVT_TAP_NONE, "a", 0, "", "d\n"},
  {"ok 99999999999 - big\n", 0, 0, 2147483647, 1, LVT_TAP_NONE, "big", 0, "", ""},
  {"ok 1 -\n", 0, 0, 1, 1, LVT_TAP_NONE, "", 0, "", ""},
  {"ok 1 --x\n", 0, 0, 1, 1, LVT_TAP_NONE, "--x", 0, "", ""},
};

static void check_ones(void) {
  size_t i;
  for (i = 0; i < sizeof ones / sizeof ones[0]; i++) {
    const One *o = &ones[i];
    LvtTapResult r;
    const LvtTapTest *t;
    size_t nl = o->name_len ? o->name_len : strlen(o->name);
    lvt_tap_init(&r);
    lvt_tap_parse(&r, o->tap, o->len ? o->len : strlen(o->tap));
    if (!TAP_OK(r.ntests > o->index, "case %zu: has test %zu", i, o->index)) {
      lvt_tap_reset(&r);
      continue;
    }
    t = &r.tests[o->index];
    TAP_IS_INT(t->number, o->number, "case %zu: number", i);
    TAP_IS_INT(t->ok, o->ok, "case %zu: ok", i);
    TAP_IS_INT(t->directive, o->dir, "case %zu: directive", i);
    TAP_IS_MEM(t->name, t->name_len, o->name, nl, "case %zu: name", i);
    TAP_IS_INT(t->name[t->name_len], 0, "case %zu: name is NUL-terminated", i);
    TAP_IS_STR(t->reason, o->reason, "case %zu: reason", i);
    TAP_IS_STR(lvt_buf_str(&t->diag), o->diag, "case %zu: diagnostics", i);
    lvt_tap_reset(&r);
  }
}

/* =====================================================================
** Problems are named; plan details; bail-out and skip reasons
** ===================================================================== */

typedef struct Named {
  const char *tap;
  const char *text;   /* a problem must contain this */
  int fatal;
} Named;

static const Named named[] = {
  {"ok 1\nok 2\n", "no plan: the output stops after test 2 (truncated?)", 1},
  {"", "no plan and no test", 1},
  {"1..3\nok 1\n", "planned 3 tests but ran 1", 1},
  {"1..2\nok 2\nok 1\n", "line 2: test number 2 out of sequence (expected 1)", 1},
  {"1..2\nok 1\nok 1\n", "line 3: test number 1 is duplicated", 1},
  {"ok 1\n1..1\nok 2\n", "line 3: test 2 after the plan (line 2)", 1},
  {"1..1\nok 1\n1..1\n", "line 3: a second plan (the first is at line 1)", 1},
  {"1..1\nok 1\nfoo\tbar\n", "line 3 is not TAP: \"foo\\tbar\"", 0},
  {"1..1\nok 1\n  ---\n", "line 3: YAML block not closed", 0},
  {"1..1\nok 1\n  ---\nok 2\n", "line 4: YAML block from line 3 not closed", 0},
  {"1..1\nTAP version 13\nok 1\n", "line 2: 'TAP version' is not the first line", 0},
};

static void check_named(void) {
  size_t i, k;
  LvtTapResult r;
  lvt_tap_init(&r);
  for (i = 0; i < sizeof named / sizeof named[0]; i++) {
    int found = 0;
    lvt_tap_parse(&r, named[i].tap, strlen(named[i].tap));
    for (k = 0; k < r.nproblems; k++)
      if (strstr(r.problems[k].text, named[i].text) != NULL &&
          r.problems[k].fatal == named[i].fatal)
        found = 1;
    if (!TAP_OK(found, "problem named: %s", named[i].text))
      for (k = 0; k < r.nproblems; k++) printf("#   have: %s\n", r.problems[k].text);
  }
  /* Problems are capped, the rest counted. */
  {
    LvtBuf b = LVT_BUF_INIT;
    for (i = 0; i < 50; i++) lvt_buf_adds(&b, "junk\n");
    lvt_buf_adds(&b, "1..0\n");
    lvt_tap_parse(&r, b.data, b.len);
    TAP_IS_INT(r.nproblems, LVT_TAP_MAX_PROBLEMS, "problems are capped");
    TAP_IS_INT(r.nproblems_cut, 50 - LVT_TAP_MAX_PROBLEMS, "the rest are counted");
    TAP_IS_INT(r.garbage, 50, "every garbage line is counted");
    TAP_IS_INT(r.ok, 1, "garbage alone does not fail a stream");
    lvt_buf_reset(&b);
  }
  PARSE(&r, "1..0 # SKIP needs utf8 (5.3+)\n");
  TAP_IS_INT(r.skip_all, 1, "skip all: flagged");
  TAP_IS_STR(r.skip_reason, "needs utf8 (5.3+)", "skip all: reason");
  PARSE(&r, "1..0 # no tests here\n");
  TAP_IS_STR(r.skip_reason, "no tests here", "skip all: a comment is the reason");
  PARSE(&r, "1..4\nok 1\nBail out!   VM gone  \n");
  TAP_IS_STR(r.bail_reason, "VM gone", "bail out: reason");
  TAP_IS_INT(r.nfatal, 0, "bail out: no plan complaint after it");
  PARSE(&r, "ok 1\nok 2\n1..2\n");
  TAP_IS_INT(r.plan_at_end, 1, "trailing plan: flagged");
  TAP_IS_INT(r.plan_line, 3, "trailing plan: its line");
  PARSE(&r, "TAP version 13\n1..1\nok 1\n");
  TAP_IS_INT(r.version, 13, "version: read");
  PARSE(&r, "# a\n#b\n1..1\nok 1 - x\n# c\n");
  TAP_IS_STR(lvt_buf_str(&r.head_diag), "a\nb\n", "diagnostics before the first test");
  TAP_IS_STR(lvt_buf_str(&r.tests[0].diag), "c\n", "diagnostics after a test are its own");
  lvt_tap_reset(&r);
}

/* Feeding line by line gives what parsing the whole stream gives. */
static void check_feed(void) {
  static const char *lines[] = {"1..3", "ok 1 - a", "not ok 2 - b", "# got: 1",
                                "ok 3 # skip c\r"};
  LvtTapResult r;
  size_t i;
  lvt_tap_init(&r);
  for (i = 0; i < 5; i++) lvt_tap_feed(&r, lines[i], strlen(lines[i]));
  lvt_tap_finish(&r);
  TAP_IS_INT(r.ntests, 3, "feed: tests");
  TAP_IS_INT(r.failed, 1, "feed: failed");
  TAP_IS_INT(r.skipped, 1, "feed: skipped");
  TAP_IS_STR(r.tests[2].reason, "c", "feed: CR dropped from a fed line");
  TAP_IS_STR(lvt_buf_str(&r.tests[1].diag), "got: 1\n", "feed: diagnostics");
  lvt_tap_reset(&r);
}

/* =====================================================================
** Manual sections
** ===================================================================== */

static void check_sections(void) {
  static const struct { const char *name; const char *want; } cases[] = {
    {"§3.4.1 floor division", "§3.4.1"},
    {"§6.4", "§6.4"},
    {"§6.4.1: string.format", "§6.4.1"},
    {"§2. values", "§2"},
    {"§10", "§10"},
    {"§3.4a x", ""},
    {"§ 3.4 x", ""},
    {"§x name", ""},
    {"3.4 x", ""},
    {"", ""},
    {"§", ""},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n = lvt_tap_section(cases[i].name, strlen(cases[i].name));
    TAP_IS_MEM(cases[i].name, n, cases[i].want, strlen(cases[i].want), "section of '%s'",
               cases[i].name);
  }
  TAP_OK(lvt_tap_section_cmp("§3.4.9", 7, "§3.4.10", 8) < 0, "§3.4.9 < §3.4.10");
  TAP_OK(lvt_tap_section_cmp("§3.4", 5, "§3.4.1", 7) < 0, "§3.4 < §3.4.1");
  TAP_OK(lvt_tap_section_cmp("§6", 3, "§3.4.1", 7) > 0, "§6 > §3.4.1");
  TAP_IS_INT(lvt_tap_section_cmp("§6.4", 5, "§6.4", 5), 0, "§6.4 == §6.4");
}

int main(void) {
  check_streams();
  check_ones();
  check_named();
  check_feed();
  check_sections();
  return tap_done();
}
