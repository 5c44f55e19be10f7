/*
** lvt_suite_int.h -- what the suite engine's files share:
**   lvt_suite.c         listing, choosing and running files, roll-ups
**   lvt_suite_judge.c   judging each cell (TAP, oracle), expected failures
**   lvt_suite_expect.c  expected-failure lists (format: top of lvt_suite.h)
**   lvt_suite_script.c  the whole-script suites (lvt_suite_script.h) and
**   lvt_suite_official.c, lvt_suite_harness.c, lvt_suite_ljt.c, their kinds
*/
#ifndef LVT_SUITE_INT_H
#define LVT_SUITE_INT_H

#include "lvt_exec.h"
#include "lvt_suite.h"
#include "lvt_tap.h"

/* One entry of a list. */
typedef struct LvtExpectEntry {
  char *file;          /* base name of the file it targets, or NULL: any */
  char *name;          /* the test name, '\#' read as '#'; NUL-terminated */
  size_t name_len;
  char *reason;
  char *where;         /* "path:line", for messages */
  int used;            /* a test matched it */
} LvtExpectEntry;

/* The entries of every list applied to one VM, sorted by name for lookup.
** Lifetime: lvt_expect_init / lvt_expect_reset. */
typedef struct LvtExpect {
  LvtExpectEntry *ent;
  size_t n;
  char **lists;        /* the paths loaded, in order */
  size_t nlists;
} LvtExpect;

void lvt_expect_init(LvtExpect *x);
void lvt_expect_reset(LvtExpect *x);

/* Adds the entries of the list at 'path', named 'shown' in their 'where'
** (NULL: 'path'). Entries without "<file>:" target 'implied' (a base
** name) when it is not NULL, any file otherwise.
** An entry whose reason starts with "pass:" is not an entry: it cancels
** the entries of lists loaded before it that name the same test (a VM's
** own list saying it passes what its dialect's list expects to fail); one
** that cancels nothing is an error.
** Returns LVT_OK, LVT_ERR_IO ("cannot read ..."), or LVT_ERR_USAGE naming
** the file and line of the first bad entry (then nothing of the file is
** kept). */
int lvt_expect_load(LvtExpect *x, const char *path, const char *shown, const char *implied,
                    LvtErr *e);

/* The entry for test 'name[0..len)' of the file whose base name is 'file':
** one that names the file first, else one for any file. Marks it used.
** Returns NULL when there is none. */
LvtExpectEntry *lvt_expect_find(LvtExpect *x, const char *file, const char *name,
                                size_t len);

/* The state of one run. Judging happens in lvt_exec's progress callback
** (serialised by its lock) and after the matrix is complete, so nothing
** here needs a lock of its own. */
typedef struct LvtSuiteRun {
  LvtSuiteReport *r;
  const LvtSuiteOpts *o;
  LvtVmSet *set;
  LvtExpect *expect;        /* [nvms]: each VM's lists */
  LvtTapResult tap;         /* scratch of the TAP parser */
  char *judged;             /* [nfiles * nvms]: own cells judged so far */
  size_t done, total;       /* runs, for progress events */
  size_t secs_cap;          /* room in r->sections */
  int last_section;         /* lookup cache: tests come in runs of one
                            ** section; -1 at first */
  struct LvtScriptSuite *script;   /* whole-script suites, else NULL */
} LvtSuiteRun;

/* Judges own-suite cell 'c' (file 'f' on VM 'v') into the report. */
void lvt_suite_judge_own(LvtSuiteRun *ru, size_t f, size_t v, const LvtCell *c);

/* Judges corpus program 'f' on every VM from the matrix 'm', compared
** with 'oo'. Returns LVT_OK or the oracle's error (a normalisation rule
** failed) with 'e' naming the program. */
int lvt_suite_judge_corpus(LvtSuiteRun *ru, const LvtMatrix *m, size_t f,
                           const LvtOracleOpts *oo, LvtErr *e);

/* A cell that did not run: a failing file record that says why. */
void lvt_suite_judge_not_run(LvtSuiteResult *res, const LvtCell *c);

/* Building a result by hand (the judges of the script suites). */

/* Appends a test to 'res' (whose 'tests' has room) and counts nothing yet
** (lvt_suite_settle does). 'reason' may be NULL. */
LvtSuiteTest *lvt_suite_add_test(LvtSuiteResult *res, const char *name, size_t len,
                                 LvtTestStatus st, const char *reason);
/* The same for the record of the file as a whole. */
LvtSuiteTest *lvt_suite_add_file_test(LvtSuiteResult *res, LvtTestStatus st,
                                      const char *reason);
/* Applies VM 'v''s expected-failure lists to 't' (a pass or a fail of
** 'file'): listed fails become xfail, listed passes xpass. */
void lvt_suite_apply_expect(LvtSuiteRun *ru, size_t v, const char *file, LvtSuiteTest *t);
/* Counts the tests of 'res' and sets its status ('skip_all': the file
** skipped itself). */
void lvt_suite_settle(LvtSuiteResult *res, int skip_all);
/* Appends one line saying how 'run' ended badly; 0 when it did not. */
int lvt_suite_describe_outcome(const LvtRun *run, LvtBuf *out);
/* Appends the tail of 'run''s stderr, when it has one. */
void lvt_suite_add_stderr_tail(const LvtRun *run, LvtBuf *out);

/* The part of 'path' after its last '/'. */
const char *lvt_suite_basename(const char *path);

#endif
