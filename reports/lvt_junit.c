/*
** lvt_junit.c -- JUnit XML and TAP renderings of suite reports (see
** lvt_junit.h). Each document is built in a buffer, then written at once.
*/
#include "lvt_junit.h"

#include <errno.h>
#include <string.h>

#include "lvt_json.h"
#include "lvt_text.h"

/* =====================================================================
** Walking the tests
** ===================================================================== */

/* Calls 'each' for every test of 'r' on VM 'v', file by file. */
typedef void (*EachTest)(LvtBuf *b, const LvtSuiteReport *r, size_t f, size_t v,
                         const LvtSuiteTest *t, void *ud);

static void for_tests(LvtBuf *b, const LvtSuiteReport *r, size_t v, EachTest each, void *ud) {
  size_t f, k;
  for (f = 0; f < r->nfiles; f++) {
    const LvtSuiteResult *res = LVT_SUITE_RES(r, f, v);
    for (k = 0; k < res->ntests; k++) each(b, r, f, v, &res->tests[k], ud);
  }
}

static void add_s(LvtBuf *b, const char *s, int attr) { lvt_text_add_xml(b, s, strlen(s), attr); }

/* =====================================================================
** JUnit XML
** ===================================================================== */

typedef struct Tally {
  unsigned tests, failures, errors, skipped;
} Tally;

static void tally_one(LvtBuf *b, const LvtSuiteReport *r, size_t f, size_t v,
                      const LvtSuiteTest *t, void *ud) {
  Tally *n = ud;
  (void)b, (void)r, (void)f, (void)v;
  n->tests++;
  if (t->file_level && t->status == LVT_TS_FAIL) n->errors++;
  else if (lvt_test_status_fails(t->status)) n->failures++;
  else if (t->status == LVT_TS_SKIP || t->status == LVT_TS_TODO || t->status == LVT_TS_XFAIL)
    n->skipped++;
}

/* ' NAME="VALUE"' with 'value[0..n)' escaped. */
static void xml_attr_n(LvtBuf *b, const char *name, const char *value, size_t n) {
  lvt_buf_addf(b, " %s=\"", name);
  lvt_text_add_xml(b, value, n, 1);
  lvt_buf_addc(b, '"');
}

static void xml_attr(LvtBuf *b, const char *name, const char *value) {
  xml_attr_n(b, name, value, strlen(value));
}

/* <TAG type="TYPE" message="PREFIX REASON">DIAG</TAG> */
static void xml_problem(LvtBuf *b, const char *tag, const char *type, const char *prefix,
                        const LvtSuiteTest *t) {
  LvtBuf msg = LVT_BUF_INIT;
  lvt_buf_adds(&msg, prefix);
  if (t->reason[0] != '\0' || t->diag.len == 0) {
    lvt_buf_adds(&msg, t->reason);
  } else {   /* a plain failure: its first diagnostic that is not blank */
    const char *p = t->diag.data, *end = p + t->diag.len, *nl;
    while (p < end && (*p == ' ' || *p == '\n')) p++;
    nl = memchr(p, '\n', (size_t)(end - p));
    lvt_buf_add(&msg, p, nl ? (size_t)(nl - p) : (size_t)(end - p));
  }
  lvt_buf_addf(b, "      <%s", tag);
  if (type != NULL) xml_attr(b, "type", type);
  xml_attr_n(b, "message", msg.data, msg.len);
  if (t->diag.len == 0) {
    lvt_buf_adds(b, "/>\n");
  } else {
    lvt_buf_adds(b, ">");
    lvt_text_add_xml(b, t->diag.data, t->diag.len, 0);
    lvt_buf_addf(b, "</%s>\n", tag);
  }
  lvt_buf_reset(&msg);
}

static void xml_test(LvtBuf *b, const LvtSuiteReport *r, size_t f, size_t v,
                     const LvtSuiteTest *t, void *ud) {
  (void)v, (void)ud;
  lvt_buf_adds(b, "    <testcase");
  xml_attr_n(b, "name", t->name, t->name_len);
  xml_attr(b, "classname", r->files[f]);
  if (t->status == LVT_TS_PASS) {
    lvt_buf_adds(b, "/>\n");
    return;
  }
  lvt_buf_adds(b, ">\n");
  switch (t->status) {
    case LVT_TS_FAIL:
      if (t->file_level) xml_problem(b, "error", "file", "", t);
      else xml_problem(b, "failure", "fail", "", t);
      break;
    case LVT_TS_XPASS:
      xml_problem(b, "failure", "xpass", "unexpected pass (on an expected-failure list): ", t);
      break;
    case LVT_TS_SKIP: xml_problem(b, "skipped", NULL, "", t); break;
    case LVT_TS_TODO: xml_problem(b, "skipped", NULL, "TODO: ", t); break;
    case LVT_TS_XFAIL: xml_problem(b, "skipped", NULL, "expected failure: ", t); break;
    default:   /* todo-pass */
      lvt_buf_adds(b, "      <system-out>TODO passed: ");
      add_s(b, t->reason, 0);
      lvt_buf_adds(b, "</system-out>\n");
      break;
  }
  lvt_buf_adds(b, "    </testcase>\n");
}

static void xml_property(LvtBuf *b, const char *name, const char *value) {
  lvt_buf_adds(b, "      <property");
  xml_attr(b, "name", name);
  xml_attr(b, "value", value);
  lvt_buf_adds(b, "/>\n");
}

/* <testsuite> of report 'r' on VM 'v' (an absent suite: v is ignored). */
static void xml_suite(LvtBuf *b, const LvtSuiteReport *r, size_t v, Tally *all) {
  Tally n = {0, 0, 0, 0};
  LvtBuf name = LVT_BUF_INIT;
  double ms = 0;
  size_t f;
  if (!r->absent) {
    for_tests(b, r, v, tally_one, &n);
    for (f = 0; f < r->nfiles; f++) ms += LVT_SUITE_RES(r, f, v)->wall_ms;
    lvt_buf_addf(&name, "%s %s", r->suite, r->vms[v].name);
  } else {
    lvt_buf_adds(&name, r->suite);
  }
  lvt_buf_adds(b, "  <testsuite");
  xml_attr(b, "name", lvt_buf_str(&name));
  lvt_buf_addf(b, " tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" time=\"%.3f\">\n",
               n.tests, n.failures, n.errors, n.skipped, ms / 1000.0);
  lvt_buf_adds(b, "    <properties>\n");
  xml_property(b, "suite", r->suite);
  if (r->absent) {
    xml_property(b, "absent", r->why);
  } else {
    const LvtSuiteVm *vm = &r->vms[v];
    xml_property(b, "vm", vm->name);
    xml_property(b, "version", vm->info.version);
    xml_property(b, "dialect", lvt_dialect_name(vm->info.dialect));
    xml_property(b, "usable", vm->usable ? "true" : "false");
    if (vm->why != NULL) xml_property(b, "why", vm->why);
  }
  lvt_buf_adds(b, "    </properties>\n");
  if (!r->absent) for_tests(b, r, v, xml_test, NULL);
  lvt_buf_adds(b, "  </testsuite>\n");
  all->tests += n.tests;
  all->failures += n.failures;
  all->errors += n.errors;
  all->skipped += n.skipped;
  lvt_buf_reset(&name);
}

static void render_xml(LvtBuf *b, LvtSuiteReport *const *reps, size_t n) {
  LvtBuf body = LVT_BUF_INIT;
  Tally all = {0, 0, 0, 0};
  double ms = 0;
  size_t i, v;
  for (i = 0; i < n; i++) {
    if (reps[i]->absent) xml_suite(&body, reps[i], 0, &all);
    for (v = 0; !reps[i]->absent && v < reps[i]->nvms; v++) xml_suite(&body, reps[i], v, &all);
    ms += reps[i]->wall_ms;
  }
  lvt_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  lvt_buf_addf(b,
               "<testsuites name=\"lvtest\" tests=\"%u\" failures=\"%u\" errors=\"%u\" "
               "skipped=\"%u\" time=\"%.3f\">\n",
               all.tests, all.failures, all.errors, all.skipped, ms / 1000.0);
  lvt_buf_add(b, body.data, body.len);
  lvt_buf_adds(b, "</testsuites>\n");
  lvt_buf_reset(&body);
}

/* =====================================================================
** TAP
** ===================================================================== */

static void tap_count(LvtBuf *b, const LvtSuiteReport *r, size_t f, size_t v,
                      const LvtSuiteTest *t, void *ud) {
  (void)b, (void)r, (void)f, (void)v, (void)t;
  ++*(size_t *)ud;
}

/* "# " + each line of 'p[0..n)'. */
static void tap_diag(LvtBuf *b, const char *p, size_t n) {
  const char *end = p + n;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    lvt_buf_adds(b, "# ");
    lvt_text_add(b, p, len, (size_t)-1, LVT_TEXT_TAB);
    lvt_buf_addc(b, '\n');
    p += len + 1;
  }
}

static void tap_test(LvtBuf *b, const LvtSuiteReport *r, size_t f, size_t v,
                     const LvtSuiteTest *t, void *ud) {
  size_t *num = ud;
  const char *dir = NULL, *prefix = "";
  int ok = !lvt_test_status_fails(t->status) && t->status != LVT_TS_TODO &&
           t->status != LVT_TS_XFAIL;
  lvt_buf_addf(b, "%sok %zu - ", ok ? "" : "not ", ++*num);
  lvt_text_add(b, r->suite, strlen(r->suite), (size_t)-1, LVT_TEXT_HASH);
  lvt_buf_addc(b, ' ');
  lvt_text_add(b, r->vms[v].name, strlen(r->vms[v].name), (size_t)-1, LVT_TEXT_HASH);
  lvt_buf_addc(b, ' ');
  lvt_text_add(b, r->files[f], strlen(r->files[f]), (size_t)-1, LVT_TEXT_HASH);
  lvt_buf_adds(b, ": ");
  lvt_text_add(b, t->name, t->name_len, (size_t)-1, LVT_TEXT_HASH);
  switch (t->status) {
    case LVT_TS_SKIP: dir = "SKIP"; break;
    case LVT_TS_TODO: case LVT_TS_TODO_PASS: dir = "TODO"; break;
    case LVT_TS_XFAIL: dir = "TODO", prefix = "expected failure: "; break;
    case LVT_TS_XPASS: lvt_buf_adds(b, " (unexpected pass: on an expected-failure list)"); break;
    case LVT_TS_FAIL:
      if (t->file_level && t->reason[0]) {
        lvt_buf_adds(b, " - ");
        lvt_text_add(b, t->reason, strlen(t->reason), (size_t)-1, LVT_TEXT_HASH);
      }
      break;
    default: break;
  }
  if (dir != NULL) {
    lvt_buf_addf(b, " # %s %s", dir, prefix);
    lvt_text_add(b, t->reason, strlen(t->reason), (size_t)-1, 0);
  }
  lvt_buf_addc(b, '\n');
  if (t->diag.len > 0 && t->status != LVT_TS_PASS) tap_diag(b, t->diag.data, t->diag.len);
}

static void render_tap(LvtBuf *b, LvtSuiteReport *const *reps, size_t n) {
  size_t i, v, total = 0, num = 0;
  for (i = 0; i < n; i++)
    for (v = 0; !reps[i]->absent && v < reps[i]->nvms; v++) for_tests(b, reps[i], v, tap_count, &total);
  lvt_buf_adds(b, "TAP version 13\n");
  if (total == 0) lvt_buf_adds(b, "1..0 # SKIP no test ran\n");
  else lvt_buf_addf(b, "1..%zu\n", total);
  for (i = 0; i < n; i++) {
    if (reps[i]->absent) {
      lvt_buf_addf(b, "# suite %s is absent: ", reps[i]->suite);
      lvt_text_add(b, reps[i]->why, strlen(reps[i]->why), (size_t)-1, 0);
      lvt_buf_addc(b, '\n');
    }
    for (v = 0; !reps[i]->absent && v < reps[i]->nvms; v++) for_tests(b, reps[i], v, tap_test, &num);
  }
}

/* =====================================================================
** Output
** ===================================================================== */

typedef struct Doc {
  LvtJunitFormat fmt;
  LvtSuiteReport *const *reps;
  size_t n;
} Doc;

static int fill(FILE *f, const void *ud, LvtErr *e) {
  const Doc *d = ud;
  LvtBuf b = LVT_BUF_INIT;
  int bad;
  if (d->fmt == LVT_JUNIT_TAP) render_tap(&b, d->reps, d->n);
  else render_xml(&b, d->reps, d->n);
  bad = fwrite(b.data, 1, b.len, f) != b.len || fflush(f) != 0;
  lvt_buf_reset(&b);
  if (bad)
    return lvt_err_set(e, LVT_ERR_IO, "cannot write the %s report: %s",
                       d->fmt == LVT_JUNIT_TAP ? "TAP" : "JUnit", strerror(errno));
  return LVT_OK;
}

int lvt_junit_write(FILE *f, LvtJunitFormat fmt, LvtSuiteReport *const *reps, size_t n,
                    LvtErr *e) {
  Doc d = {fmt, reps, n};
  return fill(f, &d, e);
}

int lvt_junit_save(const char *path, LvtJunitFormat fmt, LvtSuiteReport *const *reps,
                   size_t n, LvtErr *e) {
  Doc d = {fmt, reps, n};
  if (strcmp(path, "-") == 0) return fill(stdout, &d, e);
  return lvt_jreport_write_atomic(path, fill, &d, e);
}
