/*
** lvt_junit.h -- suite reports for CI tools: JUnit XML (what Jenkins,
** GitLab, GitHub test reporters read) and one TAP stream of every result
** (what 'prove' and TAP consumers read).
**
** JUnit XML: <testsuites> holds one <testsuite name="SUITE VM"> per suite
** and VM (properties: suite, vm, version, dialect, usable, why), and one
** <testcase name="TEST" classname="FILE"> per test:
**   fail              <failure type="fail" message="REASON">diagnostics</failure>
**   xpass             <failure type="xpass" message="unexpected pass: ...">
**   file record fail  <error type="file" message="WHAT WENT WRONG">diagnostics
**   (not run, crash, Lua error, no plan...)
**   skip              <skipped message="REASON"/>
**   todo, xfail       <skipped message="TODO: ..." / "expected failure: ...">
**   pass, todo-pass   nothing inside (todo-pass: a <system-out> line)
** An absent suite is a <testsuite> without tests and a property "absent".
** Everything is escaped for XML 1.0: bytes it cannot hold (control bytes,
** invalid UTF-8) are written as the text "\xHH".
**
** TAP: "TAP version 13", the plan, then one line per test, described as
** "SUITE VM FILE: TEST"; fail and xpass are "not ok", skip is "# SKIP",
** todo and xfail are "not ok ... # TODO", todo-pass is "ok ... # TODO";
** diagnostics follow as "# " lines. Absent suites are "# " comments.
*/
#ifndef LVT_JUNIT_H
#define LVT_JUNIT_H

#include <stdio.h>

#include "../harness/lvt_suite.h"

typedef enum LvtJunitFormat {
  LVT_JUNIT_XML = 0,
  LVT_JUNIT_TAP
} LvtJunitFormat;

/* Writes the 'n' reports in 'fmt' to 'f' (not closed). Returns LVT_OK or
** LVT_ERR_IO. */
int lvt_junit_write(FILE *f, LvtJunitFormat fmt, LvtSuiteReport *const *reps, size_t n,
                    LvtErr *e);

/* Writes them to 'path' atomically (see lvt_jreport_write_atomic), or to
** stdout when 'path' is "-". Returns LVT_OK or LVT_ERR_IO naming the file. */
int lvt_junit_save(const char *path, LvtJunitFormat fmt, LvtSuiteReport *const *reps,
                   size_t n, LvtErr *e);

#endif
