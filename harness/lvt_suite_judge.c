/*
** lvt_suite_judge.c -- judging the cells of a suite run: an own-suite file
** by its TAP output (plus its outcome: a Lua error, a crash, a hang or a
** missing plan fails the file as a whole), a corpus program by the
** oracle's verdict across the VMs; expected failures applied to both.
** Called from lvt_suite.c, serialised (see LvtSuiteRun).
*/
#include "lvt_suite_int.h"

#include <stdlib.h>
#include <string.h>

/* How much of a VM's stderr a failing file record quotes (its tail). */
#define STDERR_TAIL 1500
/* How much of an error value a reason quotes. */
#define ERRVAL_MAX 400

/* =====================================================================
** Building results
** ===================================================================== */

/* The index of section 'name[0..len)' in r->sections (added if new). */
static int intern_section(LvtSuiteRun *ru, const char *name, size_t len) {
  LvtSuiteReport *r = ru->r;
  size_t i;
  if (ru->last_section >= 0 && strlen(r->sections[ru->last_section]) == len &&
      memcmp(r->sections[ru->last_section], name, len) == 0)
    return ru->last_section;
  for (i = 0; i < r->nsections; i++)
    if (strlen(r->sections[i]) == len && memcmp(r->sections[i], name, len) == 0) break;
  if (i == r->nsections) {
    if (r->nsections == ru->secs_cap) {
      ru->secs_cap = ru->secs_cap ? ru->secs_cap * 2 : 32;
      r->sections = lvt_xrealloc(r->sections, ru->secs_cap * sizeof *r->sections);
    }
    r->sections[r->nsections++] = lvt_xstrndup(name, len);
  }
  return ru->last_section = (int)i;
}

/* Appends a test to 'res' (whose 'tests' has room) and counts it. */
LvtSuiteTest *lvt_suite_add_test(LvtSuiteResult *res, const char *name, size_t len,
                              LvtTestStatus st, const char *reason) {
  LvtSuiteTest *t = &res->tests[res->ntests++];
  memset(t, 0, sizeof *t);
  t->name = lvt_xstrndup(name, len);
  t->name_len = len;
  t->section = -1;
  t->status = st;
  t->reason = lvt_xstrdup(reason != NULL ? reason : "");
  lvt_buf_init(&t->diag);
  return t;
}

/* The file record: the file as a whole. */
LvtSuiteTest *lvt_suite_add_file_test(LvtSuiteResult *res, LvtTestStatus st, const char *reason) {
  LvtSuiteTest *t = lvt_suite_add_test(res, LVT_SUITE_FILE_TEST, strlen(LVT_SUITE_FILE_TEST), st, reason);
  t->file_level = 1;
  return t;
}

/* Applies VM 'v''s expected failures to 't' (a pass or a fail of file
** 'file'): a listed fail becomes xfail, a listed pass xpass; either way
** the entry's reason replaces the test's, and its diagnostics say which
** list line it was. */
void lvt_suite_apply_expect(LvtSuiteRun *ru, size_t v, const char *file, LvtSuiteTest *t) {
  LvtExpectEntry *en;
  LvtBuf d = LVT_BUF_INIT;
  if (t->status != LVT_TS_PASS && t->status != LVT_TS_FAIL) return;
  en = lvt_expect_find(&ru->expect[v], lvt_suite_basename(file), t->name, t->name_len);
  if (en == NULL) return;
  /* "flaky: ..." entries: a pass is a pass, not an unexpected one */
  if (t->status == LVT_TS_PASS && strncmp(en->reason, "flaky:", 6) == 0) return;
  t->status = t->status == LVT_TS_PASS ? LVT_TS_XPASS : LVT_TS_XFAIL;
  lvt_buf_addf(&d, "%s %s: %s\n", t->status == LVT_TS_XPASS ? "expected to fail by" : "listed in",
               en->where, en->reason);
  if (t->status == LVT_TS_XFAIL && t->file_level) {
    /* keep what went wrong: it is the file record's only story */
    lvt_buf_addf(&d, "failed: %s\n", t->reason);
  }
  lvt_buf_add(&d, t->diag.data ? t->diag.data : "", t->diag.len);
  lvt_buf_reset(&t->diag);
  t->diag = d;
  free(t->reason);
  t->reason = lvt_xstrdup(en->reason);
}

/* Sets 'res->status' from its tests. */
void lvt_suite_settle(LvtSuiteResult *res, int skip_all) {
  size_t i;
  memset(&res->counts, 0, sizeof res->counts);
  for (i = 0; i < res->ntests; i++) res->counts.n[res->tests[i].status]++;
  if (lvt_suite_counts_failing(&res->counts) > 0) res->status = LVT_FS_FAIL;
  else if (skip_all) res->status = LVT_FS_SKIP;
  else res->status = LVT_FS_PASS;
}

/* A cell that did not run: its file record says why. */
void lvt_suite_judge_not_run(LvtSuiteResult *res, const LvtCell *c) {
  res->tests = lvt_xcalloc(1, sizeof *res->tests);
  lvt_suite_add_file_test(res, LVT_TS_FAIL, c->note[0] ? c->note : "not run");
  lvt_suite_settle(res, 0);
}

/* Appends one line saying how 'run' ended badly; returns 0 (nothing
** appended) for ok and for os.exit(0). */
int lvt_suite_describe_outcome(const LvtRun *run, LvtBuf *out) {
  size_t n0 = out->len;
  switch (run->outcome) {
    case LVT_RUN_OK: return 0;
    case LVT_RUN_EXIT:
      if (run->exit_code == 0) return 0;
      lvt_buf_addf(out, "os.exit(%d)", run->exit_code);
      break;
    case LVT_RUN_ERROR:
      lvt_buf_addf(out, "Lua error (%s): ", run->err_type[0] ? run->err_type : "?");
      lvt_buf_add_escaped(out, run->err_value.data ? run->err_value.data : "",
                          run->err_value.len, ERRVAL_MAX, 0);
      break;
    case LVT_RUN_CRASH:
      if (run->signal) lvt_buf_addf(out, "crash: signal %d (%s)", run->signal, strsignal(run->signal));
      else lvt_buf_addf(out, "crash: exit status %d", run->status);
      break;
    default: lvt_buf_adds(out, lvt_outcome_name(run->outcome)); break;
  }
  if (run->detail.len > 0 && run->outcome != LVT_RUN_ERROR) {
    lvt_buf_adds(out, " (");
    lvt_buf_add_escaped(out, run->detail.data, run->detail.len, ERRVAL_MAX, 0);
    lvt_buf_adds(out, ")");
  }
  lvt_buf_addc(out, '\n');
  return out->len > n0;
}

/* Appends the tail of the VM's stderr, when it said something. */
void lvt_suite_add_stderr_tail(const LvtRun *run, LvtBuf *out) {
  size_t n = run->errout.len, from = n > STDERR_TAIL ? n - STDERR_TAIL : 0;
  if (n == 0) return;
  lvt_buf_addf(out, "stderr%s:\n", from ? " (its end)" : "");
  lvt_buf_add_escaped(out, run->errout.data + from, n - from, STDERR_TAIL,
                      LVT_ESC_NEWLINE | LVT_ESC_TAB);
  if (out->data[out->len - 1] != '\n') lvt_buf_addc(out, '\n');
}

/* First line of 's' as a new C string. */
static char *first_line(const LvtBuf *s) {
  const char *p = lvt_buf_str(s), *nl = strchr(p, '\n');
  return lvt_xstrndup(p, nl != NULL ? (size_t)(nl - p) : strlen(p));
}

/* =====================================================================
** Judging an own-suite cell: its TAP
** ===================================================================== */

/* The suite test for TAP test 't' (its diagnostics are moved). */
static void add_tap_test(LvtSuiteRun *ru, size_t v, const char *file, LvtSuiteResult *res,
                         LvtTapTest *t) {
  LvtTestStatus st;
  LvtSuiteTest *s;
  size_t sl;
  if (t->directive == LVT_TAP_TODO) st = t->ok ? LVT_TS_TODO_PASS : LVT_TS_TODO;
  else if (!t->ok) st = LVT_TS_FAIL;
  else if (t->directive == LVT_TAP_SKIP) st = LVT_TS_SKIP;
  else st = LVT_TS_PASS;
  s = lvt_suite_add_test(res, t->name, t->name_len, st, t->reason);
  s->number = t->number;
  s->diag = t->diag;
  lvt_buf_init(&t->diag);
  if ((sl = lvt_tap_section(t->name, t->name_len)) > 0)
    s->section = intern_section(ru, t->name, sl);
  lvt_suite_apply_expect(ru, v, file, s);
}

/* What makes the file fail as a whole: the outcome, a bail-out, fatal TAP
** problems; notes for the rest. */
static void file_problems(const LvtCell *c, const LvtTapResult *tap, LvtBuf *why,
                          LvtBuf *notes) {
  size_t i;
  lvt_suite_describe_outcome(&c->run, why);
  if (c->run.out_truncated) lvt_buf_adds(why, "output cut at the output cap\n");
  if (tap->bailed)
    lvt_buf_addf(why, "bailed out%s%s\n", tap->bail_reason[0] ? ": " : "", tap->bail_reason);
  for (i = 0; i < tap->nproblems; i++)
    lvt_buf_addf(tap->problems[i].fatal ? why : notes, "%s\n", tap->problems[i].text);
  if (tap->nproblems_cut)
    lvt_buf_addf(why->len ? why : notes, "... and %zu more problems\n", tap->nproblems_cut);
}

void lvt_suite_judge_own(LvtSuiteRun *ru, size_t f, size_t v, const LvtCell *c) {
  LvtSuiteResult *res = LVT_SUITE_RES(ru->r, f, v);
  const char *file = ru->r->files[f];
  LvtTapResult *tap = &ru->tap;
  LvtBuf why = LVT_BUF_INIT;
  size_t i;
  if (!c->ran) {
    lvt_suite_judge_not_run(res, c);
    return;
  }
  res->ran = 1;
  res->outcome = c->run.outcome;
  res->wall_ms = c->run.wall_ms;
  lvt_tap_parse(tap, c->run.out.data ? c->run.out.data : "", c->run.out.len);
  res->planned = tap->plan;
  res->tests = lvt_xcalloc(tap->ntests + 1, sizeof *res->tests);
  for (i = 0; i < tap->ntests; i++) add_tap_test(ru, v, file, res, &tap->tests[i]);
  file_problems(c, tap, &why, &res->notes);
  if (why.len > 0) {
    char *line = first_line(&why);
    LvtSuiteTest *t = lvt_suite_add_file_test(res, LVT_TS_FAIL, line);
    lvt_buf_add(&t->diag, why.data, why.len);
    lvt_suite_add_stderr_tail(&c->run, &t->diag);
    free(line);
    lvt_suite_apply_expect(ru, v, file, t);
  } else if (tap->skip_all) {
    lvt_suite_add_file_test(res, LVT_TS_SKIP, tap->skip_reason);
  } else if (lvt_expect_find(&ru->expect[v], lvt_suite_basename(file), LVT_SUITE_FILE_TEST,
                             strlen(LVT_SUITE_FILE_TEST)) != NULL) {
    /* the list expects the file to fail as a whole, and it did not */
    LvtSuiteTest *t = lvt_suite_add_file_test(res, LVT_TS_PASS, "the file ran to its plan");
    lvt_suite_apply_expect(ru, v, file, t);
  }
  lvt_suite_settle(res, tap->skip_all && why.len == 0);
  lvt_buf_reset(&why);
}

/* =====================================================================
** Judging a corpus program: the oracle across the VMs
** ===================================================================== */

/* How much a VM's result counts as its dialect group's reference: 3 for
** ref, 2 for a system PUC-Rio interpreter (lua5.N), 1 for another VM of a
** PUC-Rio dialect that is neither a peer nor a JIT, 0 for the rest (LuaJIT
** and its modes, gopher-lua, fengari, wasmoon). */
static int anchor_rank(const LvtVmSpec *spec, const LvtVmInfo *info) {
  if (spec->is_ref) return 3;
  if (lvt_peer_is(spec->name) || (info->caps & LVT_CAP_JIT) ||
      info->dialect < LVT_DIALECT_51 || info->dialect > LVT_DIALECT_54)
    return 0;
  return strncmp(spec->name, "lua5.", 5) == 0 ? 2 : 1;
}

/* The entry whose class VM entry 'i' is judged against in its group: the
** best-ranked anchor (see anchor_rank; first in --vm order among equals)
** whose run ended normally, else -1 (then the group's majority counts). */
static int anchor_of(const LvtVerdict *v, const int *rank, int i) {
  int g = v->classes[v->cls[i]].group, k, best = -1;
  for (k = 0; k < v->n; k++) {
    LvtOutcome o;
    if (rank[k] == 0 || v->cls[k] == LVT_CLASS_NONE || v->classes[v->cls[k]].group != g)
      continue;
    o = v->classes[v->cls[k]].outcome;
    if (o == LVT_RUN_CRASH || o == LVT_RUN_TIMEOUT || o == LVT_RUN_NOMEM) continue;
    if (best < 0 || rank[k] > rank[best]) best = k;
  }
  return best;
}

/* Judges result 'i' of verdict 'v' into 'res' (one test, named after the
** program). */
static void judge_corpus_cell(LvtSuiteRun *ru, size_t f, size_t vm, const LvtVerdict *v,
                              const LvtOracleEntry *ent, const LvtOracleOpts *oo,
                              const int *rank, const char *const *names, int i,
                              const LvtRun *run) {
  LvtSuiteResult *res = LVT_SUITE_RES(ru->r, f, vm);
  const char *file = ru->r->files[f], *base = lvt_suite_basename(file);
  LvtBuf why = LVT_BUF_INIT;
  LvtSuiteTest *t;
  int c = v->cls[i], refc, anchor;
  res->ran = 1;
  res->outcome = run->outcome;
  res->wall_ms = run->wall_ms;
  res->planned = -1;
  res->tests = lvt_xcalloc(1, sizeof *res->tests);
  if (c == LVT_CLASS_NONE) {
    lvt_buf_adds(&why, "unsupported");
    if (run->detail.len) {
      lvt_buf_adds(&why, ": ");
      lvt_buf_add_escaped(&why, run->detail.data, run->detail.len, ERRVAL_MAX, 0);
    }
    lvt_suite_add_test(res, base, strlen(base), LVT_TS_SKIP, why.data);
    lvt_suite_settle(res, 0);
    lvt_buf_reset(&why);
    return;
  }
  anchor = anchor_of(v, rank, i);
  refc = anchor >= 0 ? v->cls[anchor] : v->groups[v->classes[c].group].majority;
  if (run->outcome == LVT_RUN_CRASH || run->outcome == LVT_RUN_TIMEOUT ||
      run->outcome == LVT_RUN_NOMEM) {
    lvt_suite_describe_outcome(run, &why);
    why.data[--why.len] = '\0';   /* its newline */
    t = lvt_suite_add_test(res, base, strlen(base), LVT_TS_FAIL, why.data);
    lvt_suite_add_stderr_tail(run, &t->diag);
  } else if (refc < 0) {
    lvt_buf_addf(&why, "no majority in dialect group %s to compare with",
                 v->groups[v->classes[c].group].name);
    t = lvt_suite_add_test(res, base, strlen(base), LVT_TS_FAIL, why.data);
    lvt_verdict_explain(v, &t->diag);
  } else if (c == refc) {
    t = lvt_suite_add_test(res, base, strlen(base), LVT_TS_PASS, NULL);
  } else {
    const LvtVerdictClass *rc = &v->classes[refc], *cc = &v->classes[c];
    const char *who = anchor >= 0 ? names[anchor] : "the majority";
    /* The oracle explained one class against the other: this one against
    ** the reference, or (ref in a minority) the reference against it. */
    const LvtBuf *diff = cc->ref == refc && cc->why.len > 0   ? &cc->why
                         : rc->ref == c && rc->why.len > 0 ? &rc->why
                                                           : NULL;
    LvtBuf own = LVT_BUF_INIT;
    int same = 1;
    if (diff == NULL && anchor >= 0 &&   /* the oracle compared with another */
        lvt_oracle_same_named(ent[anchor].run, who, run, names[i], file, oo, &same, &own,
                              NULL) == LVT_OK &&
        !same && own.len > 0)
      diff = &own;
    if (strcmp(cc->label, rc->label) != 0) {
      lvt_buf_addf(&why, "%s, where %s gives %s", cc->label, who, rc->label);
    } else if (diff != NULL) {   /* "output line 2 differs (column 3):" */
      char *line = first_line(diff);
      size_t n = strlen(line);
      lvt_buf_addf(&why, "%.*s from %s", (int)(n > 0 && line[n - 1] == ':' ? n - 1 : n), line,
                   who);
      free(line);
    } else {
      lvt_buf_addf(&why, "differs from %s (%s)", who, rc->label);
    }
    t = lvt_suite_add_test(res, base, strlen(base), LVT_TS_FAIL, why.data);
    if (diff != NULL) lvt_buf_add(&t->diag, diff->data, diff->len);
    else lvt_verdict_explain(v, &t->diag);
    lvt_buf_reset(&own);
  }
  t->number = 1;
  lvt_suite_apply_expect(ru, vm, file, t);
  lvt_suite_settle(res, 0);
  lvt_buf_reset(&why);
}

int lvt_suite_judge_corpus(LvtSuiteRun *ru, const LvtMatrix *m, size_t f, const LvtOracleOpts *oo,
                        LvtErr *e) {
  size_t nvm = ru->r->nvms, k;
  LvtOracleEntry *ent = lvt_xcalloc(nvm + 1, sizeof *ent);
  int *idx = lvt_xcalloc(nvm + 1, sizeof *idx), *rank = lvt_xcalloc(nvm + 1, sizeof *rank);
  const char **names = lvt_xcalloc(nvm + 1, sizeof *names);
  LvtVerdict v;
  int n = 0, rc;
  for (k = 0; k < nvm; k++) {
    const LvtCell *c = LVT_CELL(m, f, k);
    idx[k] = -1;
    if (!c->ran) continue;
    ent[n].vm = ru->set->slot[k].spec.name;
    ent[n].info = &ru->r->vms[k].info;
    ent[n].run = &c->run;
    rank[n] = anchor_rank(&ru->set->slot[k].spec, &ru->r->vms[k].info);
    names[n] = ru->set->slot[k].spec.name;
    idx[k] = n++;
  }
  lvt_verdict_init(&v);
  rc = lvt_oracle_compare(ent, n, ru->r->files[f], oo, &v, e);
  if (rc != LVT_OK) lvt_err_prefix(e, "%s", ru->r->files[f]);
  for (k = 0; rc == LVT_OK && k < nvm; k++) {
    const LvtCell *c = LVT_CELL(m, f, k);
    if (idx[k] < 0) lvt_suite_judge_not_run(LVT_SUITE_RES(ru->r, f, k), c);
    else judge_corpus_cell(ru, f, k, &v, ent, oo, rank, names, idx[k], &c->run);
  }
  lvt_verdict_reset(&v);
  free(ent);
  free(idx);
  free(rank);
  free(names);
  return rc;
}

