/*
** lvt_matrix.c -- suite reports on the terminal (see lvt_matrix.h).
*/
#include "lvt_matrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvt_text.h"

/* Diagnostic lines shown per failure without -v. */
#define DIAG_LINES 12
/* Bytes of a test name or reason shown on one line. */
#define NAME_MAX_SHOWN 300

/* Columns a string takes on a terminal: its code points (every byte that
** is not a UTF-8 continuation byte). */
static size_t width(const char *s) {
  size_t w = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xc0) != 0x80) w++;
  return w;
}

static void pad(FILE *f, size_t have, size_t want) {
  for (; have < want; have++) fputc(' ', f);
}

/* =====================================================================
** The matrix
** ===================================================================== */

/* The index of VM 'name' in 'r', or -1. */
static long vm_index(const LvtSuiteReport *r, const char *name) {
  size_t v;
  for (v = 0; v < r->nvms; v++)
    if (strcmp(r->vms[v].name, name) == 0) return (long)v;
  return -1;
}

/* The VM names of every report, in order of first appearance (borrowed). */
static size_t columns(LvtSuiteReport *const *reps, size_t n, const char ***out) {
  const char **cols = NULL;
  size_t ncols = 0, i, v, k;
  for (i = 0; i < n; i++)
    for (v = 0; v < reps[i]->nvms; v++) {
      for (k = 0; k < ncols && strcmp(cols[k], reps[i]->vms[v].name) != 0; k++) {}
      if (k < ncols) continue;
      cols = lvt_xrealloc(cols, (ncols + 1) * sizeof *cols);
      cols[ncols++] = reps[i]->vms[v].name;
    }
  *out = cols;
  return ncols;
}

/* The text of a cell with counts 'c' into 'b'; returns how it should be
** coloured: 0 green, 1 red, 2 yellow (nothing passed or failed). */
static int cell_text(const LvtSuiteCounts *c, LvtBuf *b) {
  unsigned p = c->n[LVT_TS_PASS] + c->n[LVT_TS_TODO_PASS];
  unsigned f = lvt_suite_counts_failing(c);
  unsigned x = c->n[LVT_TS_TODO] + c->n[LVT_TS_XFAIL];
  lvt_buf_clear(b);
  lvt_buf_addf(b, "%u/%u/%u", p, f, c->n[LVT_TS_SKIP]);
  if (x) lvt_buf_addf(b, " x%u", x);
  return f ? 1 : p ? 0 : 2;
}

/* One row: 'label', then per column the counts of 'rep' for that VM from
** 'pick' (NULL: the VM's totals; else file 'file'). */
typedef struct Row {
  const char *label;
  size_t indent;
  const LvtSuiteReport *rep;   /* NULL: an empty row */
  long file;                   /* -1: totals */
  const char *tail;            /* after the label ("(absent)") */
} Row;

static void row_cell(const Row *row, const char *vm, LvtBuf *b, int *colour) {
  long v = row->rep ? vm_index(row->rep, vm) : -1;
  const LvtSuiteCounts *counts;
  lvt_buf_clear(b);
  *colour = 2;
  if (v < 0) return;
  if (row->file < 0) {
    size_t f, ran = 0;
    for (f = 0; f < row->rep->nfiles; f++) ran += LVT_SUITE_RES(row->rep, f, (size_t)v)->ran;
    if (ran == 0 && row->rep->nfiles > 0) {
      lvt_buf_adds(b, "-");
      *colour = 1;
      return;
    }
    counts = &row->rep->vms[v].total;
  } else {
    const LvtSuiteResult *res = LVT_SUITE_RES(row->rep, (size_t)row->file, (size_t)v);
    if (!res->ran) {
      lvt_buf_adds(b, "-");
      *colour = 1;
      return;
    }
    counts = &res->counts;
  }
  *colour = cell_text(counts, b);
}

void lvt_matrix_table(const LvtConsole *c, LvtSuiteReport *const *reps, size_t n) {
  const char **cols;
  size_t ncols = columns(reps, n, &cols), nrows = 0, i, k, f, wlabel = 5;
  size_t *wcol = lvt_xcalloc(ncols + 1, sizeof *wcol);
  Row *rows = NULL;
  LvtBuf b = LVT_BUF_INIT;
  int colour;
  /* Rows. */
  for (i = 0; i < n; i++) {
    const LvtSuiteReport *r = reps[i];
    size_t nf = c->verbose && !r->absent ? r->nfiles : 0;
    rows = lvt_xrealloc(rows, (nrows + nf + 1) * sizeof *rows);
    rows[nrows++] = (Row){r->suite, 0, r->absent ? NULL : r, -1, r->absent ? "(absent)" : ""};
    for (f = 0; f < nf; f++) rows[nrows++] = (Row){r->files[f], 2, r, (long)f, ""};
  }
  /* Widths. */
  for (k = 0; k < ncols; k++) wcol[k] = width(cols[k]);
  for (i = 0; i < nrows; i++) {
    size_t w = rows[i].indent + width(rows[i].label) + (rows[i].tail[0] ? 1 + width(rows[i].tail) : 0);
    if (w > wlabel) wlabel = w;
    for (k = 0; k < ncols; k++) {
      row_cell(&rows[i], cols[k], &b, &colour);
      if (b.len > wcol[k]) wcol[k] = b.len;
    }
  }
  /* Header, rows, legend. */
  fprintf(c->f, "%s%s", lvt_con_bold(c), "suite");
  pad(c->f, 5, wlabel);
  for (k = 0; k < ncols; k++) {
    fprintf(c->f, "  %s", cols[k]);
    pad(c->f, width(cols[k]), wcol[k]);
  }
  fprintf(c->f, "%s\n", lvt_con_reset(c));
  for (i = 0; i < nrows; i++) {
    size_t w = rows[i].indent + width(rows[i].label);
    fprintf(c->f, "%*s%s", (int)rows[i].indent, "", rows[i].label);
    if (rows[i].tail[0]) {
      fprintf(c->f, " %s%s%s", lvt_con_yellow(c), rows[i].tail, lvt_con_reset(c));
      w += 1 + width(rows[i].tail);
    }
    pad(c->f, w, wlabel);
    for (k = 0; k < ncols; k++) {
      const char *col;
      row_cell(&rows[i], cols[k], &b, &colour);
      col = colour == 0 ? lvt_con_green(c) : colour == 1 ? lvt_con_red(c) : lvt_con_yellow(c);
      fprintf(c->f, "  %s%s%s", col, lvt_buf_str(&b), lvt_con_reset(c));
      pad(c->f, b.len, wcol[k]);
    }
    fputc('\n', c->f);
  }
  fprintf(c->f, "%scells: passed/failed/skipped tests; xN: expected failures (TODO or "
                "listed); -: not run%s\n",
          lvt_con_dim(c), lvt_con_reset(c));
  lvt_buf_reset(&b);
  free(rows);
  free(wcol);
  free(cols);
}

/* =====================================================================
** Failures and the rest
** ===================================================================== */

/* 1 when line 'p[0..len)', blanks before it ignored, is 'what'. */
static int line_is(const char *p, size_t len, const char *what, size_t wlen) {
  while (len > 0 && (*p == ' ' || *p == '\t')) {
    p++;
    len--;
  }
  return len == wlen && memcmp(p, what, len) == 0;
}

/* Prints 'd' indented, at most DIAG_LINES lines unless verbose; the first
** line is left out when it repeats 'skip[0..slen)' (what the header line
** already says). */
static void print_diag(const LvtConsole *c, const LvtBuf *d, const char *skip, size_t slen) {
  const char *p = d->data, *end = d->data + d->len;
  size_t lines = 0, shown = 0;
  LvtBuf b = LVT_BUF_INIT;
  if (p == NULL) return;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (!(lines == 0 && skip != NULL && line_is(p, len, skip, slen))) {
      if (c->verbose || shown < DIAG_LINES) {
        lvt_buf_clear(&b);
        lvt_text_add(&b, p, len, c->verbose ? (size_t)-1 : 2000, LVT_TEXT_TAB);
        fprintf(c->f, "        %s%s%s\n", lvt_con_dim(c), lvt_buf_str(&b), lvt_con_reset(c));
        shown++;
      } else {
        shown++;
      }
    }
    lines++;
    p += len + 1;
  }
  if (!c->verbose && shown > DIAG_LINES)
    fprintf(c->f, "        %s... %zu more lines (-v shows them)%s\n", lvt_con_dim(c),
            shown - DIAG_LINES, lvt_con_reset(c));
  lvt_buf_reset(&b);
}

/* "LABEL  vm  suite file: name[: reason]" and the diagnostics. */
static void print_test(const LvtConsole *c, const char *label, const char *colour,
                       const LvtSuiteReport *r, size_t f, size_t v, const LvtSuiteTest *t,
                       int with_reason) {
  LvtBuf b = LVT_BUF_INIT;
  lvt_text_add(&b, t->name, t->name_len, NAME_MAX_SHOWN, 0);
  if (with_reason && t->reason[0]) {
    lvt_buf_adds(&b, ": ");
    lvt_text_add(&b, t->reason, strlen(t->reason), NAME_MAX_SHOWN, 0);
  }
  fprintf(c->f, "%s%-5s%s %s  %s %s: %s\n", colour, label, lvt_con_reset(c), r->vms[v].name,
          r->suite, r->files[f], lvt_buf_str(&b));
  /* The header says it already: a file record's reason, Test::More's and
  ** tap.lua's "Failed test 'name'". */
  lvt_buf_clear(&b);
  if (t->file_level) {
    lvt_buf_adds(&b, t->reason);
  } else {
    lvt_buf_adds(&b, "Failed test '");
    lvt_buf_add(&b, t->name, t->name_len);
    lvt_buf_adds(&b, "'");
  }
  print_diag(c, &t->diag, b.data, b.len);
  lvt_buf_reset(&b);
}

/* Calls 'each' for every test with status 'st' of the cells that ran;
** returns how many there are. */
typedef void (*EachTest)(const LvtConsole *c, const LvtSuiteReport *r, size_t f, size_t v,
                         const LvtSuiteTest *t);

static size_t for_status(const LvtConsole *c, LvtSuiteReport *const *reps, size_t n,
                         LvtTestStatus st, EachTest each) {
  size_t i, f, v, k, count = 0;
  for (i = 0; i < n; i++)
    for (f = 0; f < reps[i]->nfiles; f++)
      for (v = 0; v < reps[i]->nvms; v++) {
        const LvtSuiteResult *res = LVT_SUITE_RES(reps[i], f, v);
        if (!res->ran) continue;
        for (k = 0; k < res->ntests; k++)
          if (res->tests[k].status == st) {
            count++;
            if (each != NULL) each(c, reps[i], f, v, &res->tests[k]);
          }
      }
  return count;
}

static void each_fail(const LvtConsole *c, const LvtSuiteReport *r, size_t f, size_t v,
                      const LvtSuiteTest *t) {
  print_test(c, "FAIL", lvt_con_red(c), r, f, v, t, 1);
}

static void each_xpass(const LvtConsole *c, const LvtSuiteReport *r, size_t f, size_t v,
                       const LvtSuiteTest *t) {
  print_test(c, "XPASS", lvt_con_red(c), r, f, v, t, 0);
}

static void each_todo_pass(const LvtConsole *c, const LvtSuiteReport *r, size_t f, size_t v,
                           const LvtSuiteTest *t) {
  print_test(c, "TODO", lvt_con_yellow(c), r, f, v, t, 1);
}

/* VMs that did not run some files: once per VM and suite. */
static void print_not_run(const LvtConsole *c, LvtSuiteReport *const *reps, size_t n) {
  size_t i, f, v;
  for (i = 0; i < n; i++)
    for (v = 0; v < reps[i]->nvms; v++) {
      const LvtSuiteReport *r = reps[i];
      const char *why = r->vms[v].why;
      size_t missed = 0;
      for (f = 0; f < r->nfiles; f++) {
        const LvtSuiteResult *res = LVT_SUITE_RES(r, f, v);
        if (res->ran) continue;
        if (missed++ == 0 && why == NULL && res->ntests > 0) why = res->tests[0].reason;
      }
      if (missed)
        fprintf(c->f, "%sNOT RUN%s %s  %s: %zu of %zu file%s: %s\n", lvt_con_red(c),
                lvt_con_reset(c), r->vms[v].name, r->suite, missed, r->nfiles,
                r->nfiles == 1 ? "" : "s", why ? why : "?");
    }
}

static void print_summary(const LvtConsole *c, const LvtSuiteReport *r) {
  LvtSuiteCounts t;
  size_t v, usable = 0;
  if (r->absent) {
    fprintf(c->f, "%s: %sabsent%s (%s)\n", r->suite, lvt_con_yellow(c), lvt_con_reset(c),
            r->why);
    return;
  }
  memset(&t, 0, sizeof t);
  for (v = 0; v < r->nvms; v++) {
    lvt_suite_counts_add(&t, &r->vms[v].total);
    usable += r->vms[v].usable;
  }
  fprintf(c->f, "%s%s%s: %zu file%s on %zu VM%s: %u passed, %u failed, %u skipped", lvt_con_bold(c),
          r->suite, lvt_con_reset(c), r->nfiles, r->nfiles == 1 ? "" : "s", usable,
          usable == 1 ? "" : "s", t.n[LVT_TS_PASS] + t.n[LVT_TS_TODO_PASS], t.n[LVT_TS_FAIL],
          t.n[LVT_TS_SKIP]);
  if (t.n[LVT_TS_TODO]) fprintf(c->f, ", %u todo", t.n[LVT_TS_TODO]);
  if (t.n[LVT_TS_XFAIL]) fprintf(c->f, ", %u expected failure%s", t.n[LVT_TS_XFAIL],
                                 t.n[LVT_TS_XFAIL] == 1 ? "" : "s");
  if (t.n[LVT_TS_XPASS]) fprintf(c->f, ", %u unexpected pass%s", t.n[LVT_TS_XPASS],
                                 t.n[LVT_TS_XPASS] == 1 ? "" : "es");
  if (usable < r->nvms) fprintf(c->f, "; %zu VM%s not usable", r->nvms - usable,
                                r->nvms - usable == 1 ? "" : "s");
  fprintf(c->f, " (%.1f s) %s%s%s\n", r->wall_ms / 1000.0, r->ok ? lvt_con_green(c) : lvt_con_red(c),
          r->ok ? "PASS" : "FAIL", lvt_con_reset(c));
}

void lvt_matrix_details(const LvtConsole *c, LvtSuiteReport *const *reps, size_t n) {
  size_t i, v, k, todo_pass;
  int absent = 0;
  if (for_status(c, reps, n, LVT_TS_FAIL, NULL) > 0) {
    fprintf(c->f, "\n%sFailures:%s\n", lvt_con_bold(c), lvt_con_reset(c));
    for_status(c, reps, n, LVT_TS_FAIL, each_fail);
  }
  if (for_status(c, reps, n, LVT_TS_XPASS, NULL) > 0) {
    fprintf(c->f, "\n%sUnexpected passes%s (on an expected-failure list: remove the entry):\n",
            lvt_con_bold(c), lvt_con_reset(c));
    for_status(c, reps, n, LVT_TS_XPASS, each_xpass);
  }
  todo_pass = for_status(c, reps, n, LVT_TS_TODO_PASS, NULL);
  if (todo_pass > 0 && c->verbose) {
    fprintf(c->f, "\n%sTODO tests that pass%s (not failures):\n", lvt_con_bold(c), lvt_con_reset(c));
    for_status(c, reps, n, LVT_TS_TODO_PASS, each_todo_pass);
  } else if (todo_pass > 0) {
    fprintf(c->f, "\n%zu TODO test%s pass%s (-v lists them)\n", todo_pass, todo_pass == 1 ? "" : "s",
            todo_pass == 1 ? "es" : "");
  }
  print_not_run(c, reps, n);
  for (i = 0; i < n; i++) {
    const LvtSuiteReport *r = reps[i];
    if (r->absent && absent++ == 0) fprintf(c->f, "\n%sAbsent suites:%s\n", lvt_con_bold(c), lvt_con_reset(c));
    if (r->absent) fprintf(c->f, "  %s: %s\n", r->suite, r->why);
  }
  for (i = 0; i < n; i++) {
    const LvtSuiteReport *r = reps[i];
    for (v = 0; r->complete && v < r->nvms; v++) {
      if (r->vms[v].nunused == 0) continue;
      fprintf(c->f, "\n%sUnused expected-failure entries%s on %s (no test of that name ran in %s):\n",
              lvt_con_bold(c), lvt_con_reset(c), r->vms[v].name, r->suite);
      for (k = 0; k < r->vms[v].nunused; k++) fprintf(c->f, "  %s\n", r->vms[v].unused[k]);
    }
    if (r->notes.len > 0) {
      const char *p = lvt_buf_str(&r->notes), *nl;
      for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
        fprintf(c->f, "%snote%s %s: %.*s\n", lvt_con_yellow(c), lvt_con_reset(c), r->suite,
                (int)(nl - p), p);
    }
  }
  fputc('\n', c->f);
  for (i = 0; i < n; i++) print_summary(c, reps[i]);
}

void lvt_matrix_render(const LvtConsole *c, LvtSuiteReport *const *reps, size_t n) {
  lvt_matrix_table(c, reps, n);
  lvt_matrix_details(c, reps, n);
}

/* =====================================================================
** Sections of one VM
** ===================================================================== */

int lvt_matrix_sections(const LvtConsole *c, LvtSuiteReport *const *reps, size_t n,
                        const char *vm, LvtErr *e) {
  static const LvtTestStatus shown[] = {LVT_TS_PASS, LVT_TS_FAIL, LVT_TS_SKIP, LVT_TS_TODO,
                                        LVT_TS_XFAIL, LVT_TS_XPASS};
  size_t i, s, k, found = 0;
  for (i = 0; i < n; i++) found += vm_index(reps[i], vm) >= 0;
  if (found == 0) {
    const char **cols;
    size_t ncols = columns(reps, n, &cols);
    LvtBuf have = LVT_BUF_INIT;
    for (k = 0; k < ncols; k++) lvt_buf_addf(&have, "%s%s", k ? ", " : "", cols[k]);
    lvt_err_set(e, LVT_ERR_USAGE, "--section-table %s: no such VM in this run (there are: %s)", vm,
                ncols ? lvt_buf_str(&have) : "none");
    lvt_buf_reset(&have);
    free(cols);
    return LVT_ERR_USAGE;
  }
  for (i = 0; i < n; i++) {
    const LvtSuiteReport *r = reps[i];
    long v = vm_index(r, vm);
    size_t wsec = 7;
    if (v < 0) continue;
    for (s = 0; s < r->nsections; s++)
      if (width(r->sections[s]) > wsec) wsec = width(r->sections[s]);
    fprintf(c->f, "\n%sSections on %s (%s):%s\n%-*s", lvt_con_bold(c), vm, r->suite,
            lvt_con_reset(c), (int)(wsec + 2), "  section");
    for (k = 0; k < sizeof shown / sizeof shown[0]; k++)
      fprintf(c->f, "  %5s", lvt_test_status_name(shown[k]));
    fputc('\n', c->f);
    for (s = 0; s <= r->nsections; s++) {
      const LvtSuiteCounts *cnt = &r->vms[v].by_section[s];
      const char *name = s < r->nsections ? r->sections[s] : "(none)";
      unsigned total = 0;
      for (k = 0; k < LVT_TS__COUNT; k++) total += cnt->n[k];
      if (s == r->nsections && total == 0) continue;
      fprintf(c->f, "  %s%s", lvt_suite_counts_failing(cnt) ? lvt_con_red(c) : "", name);
      pad(c->f, width(name), wsec);
      for (k = 0; k < sizeof shown / sizeof shown[0]; k++)
        fprintf(c->f, "  %5u", cnt->n[shown[k]] + (shown[k] == LVT_TS_PASS ? cnt->n[LVT_TS_TODO_PASS] : 0));
      fprintf(c->f, "%s\n", lvt_suite_counts_failing(cnt) ? lvt_con_reset(c) : "");
    }
  }
  return LVT_OK;
}
