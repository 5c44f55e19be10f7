/*
** lvt_tap.h -- a TAP (Test Anything Protocol) parser: what a test file
** printed, turned into a plan, test records, counts, problems and a verdict.
**
** Pure: no I/O. Binary-safe: a line may hold NUL bytes and bytes that are
** not UTF-8, so names, reasons and diagnostics carry explicit lengths (and
** are NUL-terminated as well, for display).
**
** What it understands (TAP 12 and 13, as Test::More and lua-harness/lib/
** tap.lua print it, judged the way Perl's TAP::Parser and 'prove' judge):
**   TAP version 13                 first line only
**   1..N                           plan, at the start or at the end
**   1..0 # SKIP reason             the whole file is skipped
**   ok 3 - name                    number and "- " optional; space or tab
**   not ok 4 name # TODO reason    directives SKIP and TODO, any case, at
**   ok 5 # skip reason             the first '#' not escaped as '\#'
**   # text                         diagnostics of the test before it
**     ---  ...  (indented)         a YAML block after a test: skipped
**   Bail out! reason               stops the stream
** Lines ending in "\r\n" are read as "\n"; blank lines are ignored; any
** other line is garbage: counted and kept as a (non-fatal) problem.
*/
#ifndef LVT_TAP_PARSER_H   /* LVT_TAP_H is tests/tap.h's */
#define LVT_TAP_PARSER_H

#include <stddef.h>

#include "../util/lvt_base.h"

typedef enum LvtTapDirective {
  LVT_TAP_NONE = 0,
  LVT_TAP_SKIP,
  LVT_TAP_TODO
} LvtTapDirective;

/* One "ok" / "not ok" line. Strings are owned by the result. */
typedef struct LvtTapTest {
  int number;               /* as printed, or the next number when absent */
  int ok;                   /* "ok" (1) or "not ok" (0), before directives */
  LvtTapDirective directive;
  char *name;               /* description without "- ", '\#' read as '#';
                            ** "" when there is none */
  size_t name_len;
  char *reason;             /* the directive's reason; "" when none */
  size_t reason_len;
  LvtBuf diag;              /* the '#' lines after the test, each without
                            ** "# " and ending in '\n' */
  unsigned line;            /* 1-based line number in the stream */
} LvtTapTest;

/* Something wrong with the stream. 'fatal' problems make the verdict fail
** (missing or wrong plan, tests out of sequence or duplicated, tests after
** a trailing plan); garbage lines and a second "TAP version" are not. */
typedef struct LvtTapProblem {
  unsigned line;            /* 0 when it is about the whole stream */
  int fatal;
  char *text;               /* one line for people */
} LvtTapProblem;

/* At most this many problems are kept; more are counted in 'nproblems_cut'. */
#define LVT_TAP_MAX_PROBLEMS 20

/* The parse of one stream. Lifetime: lvt_tap_init / lvt_tap_reset. */
typedef struct LvtTapResult {
  int version;              /* from "TAP version N", else 0 */
  int plan;                 /* planned tests, or -1: no plan seen */
  unsigned plan_line;       /* where the plan was */
  int plan_at_end;          /* the plan came after the first test */
  int skip_all;             /* "1..0": the file skipped itself */
  char *skip_reason;        /* "1..0 # SKIP reason"'s reason ("" if none) */
  LvtTapTest *tests;
  size_t ntests;
  /* Counts. A test is exactly one of: passed (ok, no directive), failed
  ** (not ok without TODO: also "not ok # skip", as prove counts it),
  ** skipped (ok # skip) or todo (any # TODO line). */
  unsigned passed, failed, skipped, todo;
  unsigned todo_passed;     /* "ok # TODO": the unexpected passes */
  int bailed;               /* "Bail out!" seen: what followed is ignored */
  char *bail_reason;        /* "" when none given */
  LvtBuf head_diag;         /* '#' lines before the first test */
  size_t garbage;           /* lines that are not TAP */
  LvtTapProblem *problems;  /* [nproblems], in stream order */
  size_t nproblems, nproblems_cut;
  int nfatal;               /* fatal problems, counting those cut */
  int ok;                   /* the verdict: a plan that matches the tests,
                            ** no failed test, no bail-out, no fatal
                            ** problem. A skip-all file is ok. */
  /* parser state (private) */
  unsigned nlines;          /* lines fed so far */
  int last_was_test;        /* the previous non-blank line was a test */
  unsigned yaml_line;       /* inside a YAML block that started here */
  unsigned char *seen;      /* [nseen] test numbers seen */
  size_t nseen;
} LvtTapResult;

void lvt_tap_init(LvtTapResult *r);
void lvt_tap_reset(LvtTapResult *r);   /* frees; back to init state */

/* Parses the whole stream 'data[0..len)' into 'r' (initialised; its old
** content is freed first) and validates it. A last line without '\n'
** counts. Never fails: what is wrong is in 'r->problems' and 'r->ok'. */
void lvt_tap_parse(LvtTapResult *r, const char *data, size_t len);

/* The same in pieces, for output that arrives in parts: after
** lvt_tap_init, every line in order ('line' without its '\n'; a trailing
** '\r' is dropped), then lvt_tap_finish once to validate. */
void lvt_tap_feed(LvtTapResult *r, const char *line, size_t len);
void lvt_tap_finish(LvtTapResult *r);

/* The manual section a test name starts with: "§3.4.1 floor division" ->
** "§3.4.1". Returns the length in bytes of the leading token ('§' followed
** by digits and dots, a trailing dot excluded, ended by the end of the
** name or a byte that is neither a letter nor a digit), or 0 when the name
** has none. */
size_t lvt_tap_section(const char *name, size_t len);

/* Orders section tokens as the manual does ("§3.4.9" < "§3.4.10" <
** "§3.5"); returns <0, 0, >0. */
int lvt_tap_section_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
