/*
** lvt_matrix.h -- suite reports on the terminal: the result matrix (rows:
** suites, or files with -v; columns: VMs; cells pass/fail/skip), then the
** failures with their diagnostics, unexpected passes, VMs that did not
** run, absent suites, notes, one summary line per suite; and on request
** the per-section table of one VM.
**
** Writes only to the LvtConsole's FILE; colour only when it says so. The
** exit status is the caller's (see LvtSuiteReport.ok).
*/
#ifndef LVT_MATRIX_H
#define LVT_MATRIX_H

#include "../harness/lvt_suite.h"
#include "lvt_console.h"

/* The matrix: one row per suite (absent suites included, marked so), and
** with 'c->verbose' one row per file under it. A cell is "P/F/S": P tests
** passed (TODO passes included), F failed (unexpected passes and files
** failing as a whole included), S skipped; " xN" adds the expected
** failures (TODO and listed); "-" when the VM did not run. Then a legend. */
void lvt_matrix_table(const LvtConsole *c, LvtSuiteReport *const *reps, size_t n);

/* Everything after the matrix: failures (VM, suite, file, test name,
** reason, diagnostics: at most 12 lines each unless 'c->verbose'),
** unexpected passes with the list line that expected the failure, TODO
** passes, VMs that did not run (once per VM, not per file), absent suites
** with why, unused expected-failure entries (complete runs only), notes,
** and one summary line per suite. */
void lvt_matrix_details(const LvtConsole *c, LvtSuiteReport *const *reps, size_t n);

/* lvt_matrix_table then lvt_matrix_details. */
void lvt_matrix_render(const LvtConsole *c, LvtSuiteReport *const *reps, size_t n);

/* The per-section table of VM 'vm' for every report that ran it: rows in
** manual order (then the tests without a section), columns pass, fail,
** skip, todo, xfail, xpass. Returns LVT_OK, or LVT_ERR_USAGE with 'e'
** naming the VMs there are when no report has 'vm' (nothing written). */
int lvt_matrix_sections(const LvtConsole *c, LvtSuiteReport *const *reps, size_t n,
                        const char *vm, LvtErr *e);

#endif
