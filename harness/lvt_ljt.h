/*
** lvt_ljt.h -- a parser for what LuaJIT-tests' runner (test.lua) prints.
** Pure: no I/O.
**
**   [ 3/120] lang/arith.lua --- integer overflow     a test starts
**   <error and traceback lines>                      the test before failed
**   118 passed                                       the end: all passed
**   117 passed, 3 failed                             the end: some failed
**   to run just failing tests, pass ...: 3 5 9       (ignored)
**
** A run that stops without the summary line stopped in its last test (a
** crash, a hang): that test is marked 'last_of_crash'.
*/
#ifndef LVT_LJT_H
#define LVT_LJT_H

#include <stddef.h>

#include "../util/lvt_base.h"

typedef struct LvtLjtTest {
  int number;             /* i of "[i/N]" */
  char *name;             /* "lang/arith.lua --- integer overflow" */
  int failed;             /* error lines followed it */
  LvtBuf first;           /* the first error line (NUL-terminated) */
  LvtBuf diag;            /* every error line, '\n'-terminated */
  int last_of_crash;      /* no summary came: the run ended in this test */
} LvtLjtTest;

typedef struct LvtLjtResult {
  LvtLjtTest *tests;
  size_t ntests;
  int planned;            /* N of "[i/N]", -1 when no test line came */
  int summary;            /* the "K passed[, M failed]" line came */
  unsigned said_passed, said_failed;
  int summary_failed;     /* the summary named failures */
  LvtBuf preface;         /* lines before the first test */
  char problem[256];      /* what is wrong with the stream as a whole;
                          ** "" when nothing is */
} LvtLjtResult;

void lvt_ljt_init(LvtLjtResult *r);
void lvt_ljt_reset(LvtLjtResult *r);

/* Parses 'data[0..len)' into 'r' (initialised; old content freed). */
void lvt_ljt_parse(LvtLjtResult *r, const char *data, size_t len);

#endif
