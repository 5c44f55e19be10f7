/*
** lvt_oracle.c -- comparison of run results: normalised keys, equivalence
** classes within dialect groups, majority vote, explanations.
**
** Each result is normalised once into a Key; one function compares two
** keys and, when asked, says how they differ, so "equal" and "why not"
** can never disagree.
*/
#include "lvt_oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_MAX 100   /* bytes of a line or value shown in explanations */

/* A result as the oracle sees it: normalised output and error value. */
typedef struct Key {
  const LvtRun *run;
  LvtBuf out;
  LvtBuf err;
} Key;

static void key_reset(Key *k) {
  lvt_buf_reset(&k->out);
  lvt_buf_reset(&k->err);
}

static int key_init(Key *k, const LvtRun *r, const char *chunkname,
                    const LvtNorm *norm, LvtErr *e) {
  int rc;
  k->run = r;
  lvt_buf_init(&k->out);
  lvt_buf_init(&k->err);
  rc = lvt_norm_apply(norm, r->out.data, r->out.len, chunkname, &k->out, e);
  if (rc == LVT_OK && r->outcome == LVT_RUN_ERROR)
    rc = lvt_norm_apply(norm, r->err_value.data, r->err_value.len, chunkname,
                        &k->err, e);
  if (rc != LVT_OK) key_reset(k);
  return rc;
}

/* ---------------------------------------------------------------------
** Showing bytes
** --------------------------------------------------------------------- */

/* Appends 'p[0..n)' quoted, with non-printable bytes escaped, cut to
** SHOW_MAX bytes ("..." after the quote when cut). */
static void add_quoted(LvtBuf *b, const char *p, size_t n) {
  lvt_buf_add_escaped(b, p, n, SHOW_MAX, LVT_ESC_QUOTE);
}

/* The class label of a result: "ok", "error (string)", "exit 3"... */
static void label_of(const LvtRun *r, char *buf, size_t size) {
  if (r->outcome == LVT_RUN_ERROR)
    snprintf(buf, size, "error (%s)", r->err_type[0] ? r->err_type : "?");
  else if (r->outcome == LVT_RUN_EXIT)
    snprintf(buf, size, "exit %d", r->exit_code);
  else
    snprintf(buf, size, "%s", lvt_outcome_name(r->outcome));
}

/* Appends what a result is, in one line: the label, then what tells it
** apart (the error value, the signal, lvtest's detail). */
static void describe(LvtBuf *b, const Key *k) {
  const LvtRun *r = k->run;
  char label[32];
  label_of(r, label, sizeof label);
  lvt_buf_adds(b, label);
  if (r->outcome == LVT_RUN_ERROR) {
    lvt_buf_adds(b, ": ");
    add_quoted(b, k->err.data, k->err.len);
  } else if (r->outcome == LVT_RUN_CRASH && r->signal != 0) {
    lvt_buf_addf(b, " (signal %d)", r->signal);
  } else if (r->outcome == LVT_RUN_CRASH && r->status >= 0) {
    lvt_buf_addf(b, " (status %d)", r->status);
  }
  if (r->outcome != LVT_RUN_OK && r->outcome != LVT_RUN_ERROR &&
      r->detail.len > 0) {
    lvt_buf_adds(b, ": ");   /* quoted: it may hold the VM's bytes */
    add_quoted(b, r->detail.data, r->detail.len);
  }
}

/* One side of an output difference: the line of 'o' that starts at 'ls',
** from 'from' on (with "..." when that is not the line start). */
static void add_line(LvtBuf *b, const char *name, const LvtBuf *o, size_t ls,
                     size_t from, int mark_eol) {
  const char *nl;
  size_t end;
  lvt_buf_addf(b, "  %s: ", name);
  if (ls >= o->len) {
    lvt_buf_adds(b, "(end of output)\n");
    return;
  }
  nl = memchr(o->data + ls, '\n', o->len - ls);
  end = nl != NULL ? (size_t)(nl - o->data) : o->len;
  if (from > end) from = end;
  if (from > ls) lvt_buf_adds(b, "...");
  add_quoted(b, o->data + from, end - from);
  if (nl == NULL && mark_eol) lvt_buf_adds(b, " (no newline at end)");
  lvt_buf_addc(b, '\n');
}

/* Explains the first difference between two outputs: the line number,
** the column, and both lines around it. */
static void diff_output(LvtBuf *why, const char *an, const LvtBuf *a,
                        const char *bn, const LvtBuf *b) {
  size_t d = 0, ls = 0, line = 1, from, i;
  size_t min = a->len < b->len ? a->len : b->len;
  int eol;
  while (d < min && a->data[d] == b->data[d]) d++;
  for (i = 0; i < d; i++)
    if (a->data[i] == '\n') line++, ls = i + 1;
  /* Long lines: start the shown part a little before the difference. */
  from = d - ls > SHOW_MAX / 2 ? d - SHOW_MAX / 4 : ls;
  /* Lines that differ only by a final newline look the same: say so. */
  eol = (d == a->len && a->len > 0 && b->data[d] == '\n') ||
        (d == b->len && b->len > 0 && a->data[d] == '\n');
  lvt_buf_addf(why, "output line %zu differs (column %zu):\n", line,
               d - ls + 1);
  add_line(why, an, a, ls, from, eol);
  add_line(why, bn, b, ls, from, eol);
}

/* Compares two keys; 1 when equal. When they differ and 'why' is not NULL,
** appends the first difference (lines ending with '\n'), naming the sides
** 'an' and 'bn'. The order of the checks is the order of the file-top
** comment in lvt_oracle.h. */
static int compare_keys(const Key *a, const char *an, const Key *b,
                        const char *bn, int strict, LvtBuf *why) {
  const LvtRun *ra = a->run, *rb = b->run;
  if (ra->outcome == LVT_RUN_UNSUPPORTED || rb->outcome != ra->outcome) {
    if (why == NULL) return 0;
    lvt_buf_addf(why, "outcome differs:\n  %s: ", an);
    describe(why, a);
    lvt_buf_addf(why, "\n  %s: ", bn);
    describe(why, b);
    lvt_buf_addc(why, '\n');
    return 0;
  }
  switch (ra->outcome) {
    case LVT_RUN_ERROR:
      if (strcmp(ra->err_type, rb->err_type) != 0 ||
          (strict && (a->err.len != b->err.len ||
                      memcmp(a->err.data, b->err.data, a->err.len) != 0))) {
        if (why == NULL) return 0;
        lvt_buf_addf(why, "error value %s:\n  %s: %s ",
                     strcmp(ra->err_type, rb->err_type) != 0 ? "type differs"
                                                             : "differs",
                     an, ra->err_type);
        add_quoted(why, a->err.data, a->err.len);
        lvt_buf_addf(why, "\n  %s: %s ", bn, rb->err_type);
        add_quoted(why, b->err.data, b->err.len);
        lvt_buf_addc(why, '\n');
        return 0;
      }
      break;
    case LVT_RUN_EXIT:
      if (ra->exit_code != rb->exit_code) {
        if (why != NULL)
          lvt_buf_addf(why, "exit code differs:\n  %s: %d\n  %s: %d\n", an,
                       ra->exit_code, bn, rb->exit_code);
        return 0;
      }
      break;
    case LVT_RUN_OK:
      break;
    default:   /* timeout, memory, crash: the outcome is the result */
      return 1;
  }
  if (a->out.len != b->out.len ||
      memcmp(a->out.data, b->out.data, a->out.len) != 0) {
    if (why != NULL) diff_output(why, an, &a->out, bn, &b->out);
    return 0;
  }
  if (!ra->out_truncated != !rb->out_truncated) {
    if (why != NULL)
      lvt_buf_addf(why, "output truncated on %s only (same bytes up to the "
                        "cap)\n", ra->out_truncated ? an : bn);
    return 0;
  }
  return 1;
}

int lvt_oracle_same(const LvtRun *a, const LvtRun *b, const char *chunkname,
                    const LvtOracleOpts *o, int *same, LvtBuf *why,
                    LvtErr *e) {
  return lvt_oracle_same_named(a, "a", b, "b", chunkname, o, same, why, e);
}

int lvt_oracle_same_named(const LvtRun *a, const char *an, const LvtRun *b,
                          const char *bn, const char *chunkname,
                          const LvtOracleOpts *o, int *same, LvtBuf *why,
                          LvtErr *e) {
  Key ka, kb;
  int rc = key_init(&ka, a, chunkname, o->norm, e);
  if (rc != LVT_OK) return rc;
  if ((rc = key_init(&kb, b, chunkname, o->norm, e)) != LVT_OK) {
    key_reset(&ka);
    return rc;
  }
  *same = compare_keys(&ka, an, &kb, bn, o->strict_errors, why);
  key_reset(&ka);
  key_reset(&kb);
  return LVT_OK;
}

/* ---------------------------------------------------------------------
** Verdicts
** --------------------------------------------------------------------- */

enum { GROUP_51, GROUP_52, GROUP_53, GROUP_54, GROUP_UNKNOWN };
static const char *const group_names[] = {"5.1/luajit", "5.2", "5.3", "5.4",
                                          "unknown"};

static int dialect_group(LvtDialect d) {
  switch (d) {
    case LVT_DIALECT_51: case LVT_DIALECT_LUAJIT: return GROUP_51;
    case LVT_DIALECT_52: return GROUP_52;
    case LVT_DIALECT_53: return GROUP_53;
    case LVT_DIALECT_54: return GROUP_54;
    default: return GROUP_UNKNOWN;
  }
}

const char *lvt_oracle_group_name(LvtDialect d) {
  return group_names[dialect_group(d)];
}

static LvtDialect dialect_of(const LvtOracleEntry *en) {
  return en->info != NULL ? en->info->dialect : LVT_DIALECT_UNKNOWN;
}

void lvt_verdict_init(LvtVerdict *v) {
  memset(v, 0, sizeof *v);
  v->majority = -1;
  v->agree = 1;
}

void lvt_verdict_reset(LvtVerdict *v) {
  int i;
  for (i = 0; v->vm != NULL && i < v->n; i++) free(v->vm[i]);
  for (i = 0; i < v->nclasses; i++) lvt_buf_reset(&v->classes[i].why);
  free(v->vm);
  free(v->cls);
  free(v->classes);
  free(v->groups);
  lvt_verdict_init(v);
}

void lvt_verdict_copy(LvtVerdict *dst, const LvtVerdict *src) {
  int i;
  lvt_verdict_reset(dst);
  *dst = *src;
  dst->vm = lvt_xcalloc((size_t)src->n, sizeof *dst->vm);
  dst->cls = lvt_xcalloc((size_t)src->n, sizeof *dst->cls);
  dst->classes = lvt_xcalloc((size_t)src->nclasses, sizeof *dst->classes);
  dst->groups = lvt_xcalloc((size_t)src->ngroups, sizeof *dst->groups);
  for (i = 0; i < src->n; i++) {
    dst->vm[i] = lvt_xstrdup(src->vm[i]);
    dst->cls[i] = src->cls[i];
  }
  for (i = 0; i < src->nclasses; i++) {
    dst->classes[i] = src->classes[i];
    lvt_buf_init(&dst->classes[i].why);
    lvt_buf_add(&dst->classes[i].why, src->classes[i].why.data,
                src->classes[i].why.len);
  }
  if (src->ngroups > 0)
    memcpy(dst->groups, src->groups,
           (size_t)src->ngroups * sizeof *dst->groups);
}

/* The index of the group named 'name' in 'v', added when new. */
static int group_index(LvtVerdict *v, const char *name) {
  int g;
  for (g = 0; g < v->ngroups; g++)
    if (strcmp(v->groups[g].name, name) == 0) return g;
  snprintf(v->groups[g].name, sizeof v->groups[g].name, "%s", name);
  v->groups[g].majority = -1;
  return v->ngroups++;
}

/* Puts result 'i' into the first class of group 'g' whose first result
** equals it, or into a new class. */
static void classify(LvtVerdict *v, const Key *keys, int i, int g) {
  int c;
  for (c = 0; c < v->nclasses; c++) {
    LvtVerdictClass *k = &v->classes[c];
    if (k->group == g &&
        compare_keys(&keys[k->first], NULL, &keys[i], NULL, v->strict_errors,
                     NULL)) {
      k->size++;
      v->cls[i] = c;
      return;
    }
  }
  c = v->nclasses++;
  v->classes[c].group = g;
  v->classes[c].size = 1;
  v->classes[c].first = i;
  v->classes[c].outcome = keys[i].run->outcome;
  v->classes[c].ref = -1;
  label_of(keys[i].run, v->classes[c].label, sizeof v->classes[c].label);
  v->groups[g].nclasses++;
  v->cls[i] = c;
}

/* Majorities, the reference class of each group (its majority, else its
** largest class, the first of equals), and each other class's 'why'. */
static void explain_classes(LvtVerdict *v, const Key *keys) {
  int g, c;
  for (g = 0; g < v->ngroups; g++) {
    LvtVerdictGroup *gr = &v->groups[g];
    int ref = -1;
    for (c = 0; c < v->nclasses; c++) {
      if (v->classes[c].group != g) continue;
      if (2 * v->classes[c].size > gr->size) gr->majority = c;
      if (ref < 0 || v->classes[c].size > v->classes[ref].size) ref = c;
    }
    for (c = 0; c < v->nclasses; c++) {
      LvtVerdictClass *k = &v->classes[c];
      if (k->group != g || c == ref) continue;
      k->ref = ref;
      compare_keys(&keys[v->classes[ref].first], v->vm[v->classes[ref].first],
                   &keys[k->first], v->vm[k->first], v->strict_errors,
                   &k->why);
    }
  }
}

/* Whether the classes follow dialect lines: every compared result has a
** known dialect and all results of one dialect group share a class. */
static int follows_dialects(const LvtVerdict *v, const LvtOracleEntry *ent) {
  int cls_of_group[GROUP_UNKNOWN + 1], i;
  if (v->by_dialect || v->nclasses < 2) return 0;
  for (i = 0; i <= GROUP_UNKNOWN; i++) cls_of_group[i] = -1;
  for (i = 0; i < v->n; i++) {
    int g;
    if (v->cls[i] == LVT_CLASS_NONE) continue;
    if ((g = dialect_group(dialect_of(&ent[i]))) == GROUP_UNKNOWN) return 0;
    if (cls_of_group[g] >= 0 && cls_of_group[g] != v->cls[i]) return 0;
    cls_of_group[g] = v->cls[i];
  }
  return 1;
}

int lvt_oracle_compare(const LvtOracleEntry *ent, int n, const char *chunkname,
                       const LvtOracleOpts *o, LvtVerdict *v, LvtErr *e) {
  Key *keys;
  int i, g, rc = LVT_OK, made = 0;
  lvt_verdict_reset(v);
  if (n < 0) return lvt_err_set(e, LVT_ERR_INTERNAL, "oracle: n = %d", n);
  keys = lvt_xcalloc((size_t)n, sizeof *keys);
  v->n = n;
  v->vm = lvt_xcalloc((size_t)n, sizeof *v->vm);
  v->cls = lvt_xcalloc((size_t)n, sizeof *v->cls);
  v->classes = lvt_xcalloc((size_t)n, sizeof *v->classes);
  v->groups = lvt_xcalloc((size_t)n, sizeof *v->groups);
  v->strict_errors = o->strict_errors;
  v->by_dialect = o->by_dialect;
  for (i = 0; i < n; i++) {
    char name[32];
    snprintf(name, sizeof name, "vm%d", i + 1);
    v->vm[i] = lvt_xstrdup(ent[i].vm != NULL ? ent[i].vm : name);
  }
  for (i = 0; i < n; i++, made++) {
    if (ent[i].run->outcome == LVT_RUN_UNSUPPORTED) {
      v->cls[i] = LVT_CLASS_NONE;
      v->excluded++;
      continue;
    }
    if ((rc = key_init(&keys[i], ent[i].run, chunkname, o->norm, e)) != LVT_OK)
      break;
    g = group_index(v, o->by_dialect
                           ? lvt_oracle_group_name(dialect_of(&ent[i]))
                           : "all");
    v->groups[g].size++;
    v->compared++;
    classify(v, keys, i, g);
  }
  if (rc == LVT_OK) {
    explain_classes(v, keys);
    v->majority = v->ngroups == 1 ? v->groups[0].majority : -1;
    for (g = 0; g < v->ngroups; g++)
      if (v->groups[g].nclasses > 1) v->agree = 0;
    v->dialect_split = follows_dialects(v, ent);
  }
  for (i = 0; i < made; i++) key_reset(&keys[i]);
  free(keys);
  if (rc != LVT_OK) lvt_verdict_reset(v);
  return rc;
}

int lvt_verdict_is_odd(const LvtVerdict *v, int i) {
  int c;
  if (i < 0 || i >= v->n || (c = v->cls[i]) == LVT_CLASS_NONE) return 0;
  return v->groups[v->classes[c].group].majority >= 0 &&
         v->groups[v->classes[c].group].majority != c;
}

/* ---------------------------------------------------------------------
** Explanations
** --------------------------------------------------------------------- */

/* Appends the names of the results of class 'c' (LVT_CLASS_NONE: the
** excluded ones) separated by ", "; with 'odd_in' >= 0, the names of the
** odd ones out of group 'odd_in' instead. */
static void add_members(LvtBuf *b, const LvtVerdict *v, int c, int odd_in) {
  int i, first = 1;
  for (i = 0; i < v->n; i++) {
    if (odd_in >= 0 ? !lvt_verdict_is_odd(v, i) ||
                          v->classes[v->cls[i]].group != odd_in
                    : v->cls[i] != c)
      continue;
    if (!first) lvt_buf_adds(b, ", ");
    lvt_buf_adds(b, v->vm[i]);
    first = 0;
  }
}

/* Appends 'text' with every line indented by 'indent' spaces. */
static void add_indented(LvtBuf *b, const LvtBuf *text, int indent) {
  size_t i = 0;
  while (i < text->len) {
    const char *nl = memchr(text->data + i, '\n', text->len - i);
    size_t end = nl != NULL ? (size_t)(nl - text->data) : text->len;
    lvt_buf_addf(b, "%*s", indent, "");
    lvt_buf_add(b, text->data + i, end - i);
    lvt_buf_addc(b, '\n');
    i = end + 1;
  }
}

static void explain_group(const LvtVerdict *v, int g, LvtBuf *out) {
  const LvtVerdictGroup *gr = &v->groups[g];
  int c;
  if (v->ngroups > 1 || v->by_dialect) lvt_buf_addf(out, "[%s] ", gr->name);
  if (gr->nclasses == 1) {
    for (c = 0; v->classes[c].group != g; c++) {}
    if (gr->size == 1) lvt_buf_adds(out, "1 VM, nothing to compare with: ");
    else lvt_buf_addf(out, "%d VMs agree: ", gr->size);
    add_members(out, v, c, -1);
    lvt_buf_addf(out, " (%s)\n", v->classes[c].label);
    return;
  }
  lvt_buf_addf(out, "%d VMs disagree, %d classes, ", gr->size, gr->nclasses);
  if (gr->majority < 0) {
    lvt_buf_adds(out, "no majority\n");
  } else {
    lvt_buf_addf(out, "majority [%d]; odd one%s out: ", gr->majority + 1,
                 gr->size - v->classes[gr->majority].size > 1 ? "s" : "");
    add_members(out, v, -1, g);
    lvt_buf_addc(out, '\n');
  }
  for (c = 0; c < v->nclasses; c++) {
    const LvtVerdictClass *k = &v->classes[c];
    if (k->group != g) continue;
    lvt_buf_addf(out, "  [%d] %s: ", c + 1, k->label);
    add_members(out, v, c, -1);
    if (c == gr->majority) lvt_buf_adds(out, "  (majority)");
    lvt_buf_addc(out, '\n');
    add_indented(out, &k->why, 6);
  }
}

void lvt_verdict_explain(const LvtVerdict *v, LvtBuf *out) {
  int g;
  if (v->compared == 0)
    lvt_buf_adds(out, "nothing compared: no result to judge\n");
  for (g = 0; g < v->ngroups; g++) explain_group(v, g, out);
  if (v->dialect_split)
    lvt_buf_adds(out, "split follows dialects: likely a dialect difference, "
                      "not a bug (try --by-dialect)\n");
  if (v->excluded > 0) {
    lvt_buf_adds(out, "not compared (unsupported): ");
    add_members(out, v, LVT_CLASS_NONE, -1);
    lvt_buf_addc(out, '\n');
  }
}
