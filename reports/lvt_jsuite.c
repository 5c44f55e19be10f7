/*
** lvt_jsuite.c -- suite reports in the results document (the "suites"
** member, reports/SCHEMA.md "Suites"), and reading back which files failed
** (for --failed-only).
*/
#include "lvt_json.h"
#include "lvt_json_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/lvt_exec.h"

/* {"pass": n, "fail": n, ...} with every status. */
static json_t *encode_counts(const LvtSuiteCounts *c) {
  json_t *o = json_object();
  int s;
  for (s = 0; s < LVT_TS__COUNT; s++)
    json_object_set_new(o, lvt_test_status_name((LvtTestStatus)s), json_integer(c->n[s]));
  return o;
}

static json_t *str_or_null(const char *s) {
  return s != NULL ? lvt_json_encode_cstr(s) : json_null();
}

static json_t *encode_strv(char *const *v, size_t n) {
  json_t *a = json_array();
  size_t i;
  for (i = 0; i < n; i++) json_array_append_new(a, lvt_json_encode_cstr(v[i]));
  return a;
}

static json_t *encode_test(const LvtSuiteReport *r, const LvtSuiteTest *t) {
  json_t *o = json_object();
  json_object_set_new(o, "number", json_integer(t->number));
  json_object_set_new(o, "name", lvt_json_encode_bytes(t->name, t->name_len));
  json_object_set_new(o, "file_level", json_boolean(t->file_level));
  json_object_set_new(o, "section",
                      t->section >= 0 ? json_string(r->sections[t->section]) : json_null());
  json_object_set_new(o, "status", json_string(lvt_test_status_name(t->status)));
  json_object_set_new(o, "reason", lvt_json_encode_cstr(t->reason));
  json_object_set_new(o, "diag", lvt_json_encode_bytes(t->diag.data ? t->diag.data : "",
                                                       t->diag.len));
  return o;
}

static json_t *encode_result(const LvtSuiteReport *r, size_t f, size_t v) {
  const LvtSuiteResult *res = LVT_SUITE_RES(r, f, v);
  json_t *o = json_object(), *tests = json_array();
  size_t k;
  json_object_set_new(o, "vm", lvt_json_encode_cstr(r->vms[v].name));
  json_object_set_new(o, "status", json_string(lvt_file_status_name(res->status)));
  json_object_set_new(o, "ran", json_boolean(res->ran));
  json_object_set_new(o, "outcome", res->ran ? json_string(lvt_outcome_name(res->outcome))
                                             : json_null());
  json_object_set_new(o, "planned", res->planned >= 0 ? json_integer(res->planned) : json_null());
  json_object_set_new(o, "wall_ms", json_real(res->wall_ms));
  json_object_set_new(o, "counts", encode_counts(&res->counts));
  json_object_set_new(o, "notes", lvt_json_encode_bytes(res->notes.data ? res->notes.data : "",
                                                        res->notes.len));
  for (k = 0; k < res->ntests; k++) json_array_append_new(tests, encode_test(r, &res->tests[k]));
  json_object_set_new(o, "tests", tests);
  return o;
}

static json_t *encode_vm(const LvtSuiteReport *r, size_t v) {
  const LvtSuiteVm *vm = &r->vms[v];
  json_t *o = json_object(), *files = json_object(), *secs = json_array();
  size_t s;
  int fs;
  json_object_set_new(o, "name", lvt_json_encode_cstr(vm->name));
  json_object_set_new(o, "usable", json_boolean(vm->usable));
  json_object_set_new(o, "why", str_or_null(vm->why));
  json_object_set_new(o, "dialect", json_string(lvt_dialect_name(vm->info.dialect)));
  json_object_set_new(o, "lists", encode_strv(vm->lists, vm->nlists));
  json_object_set_new(o, "unused", encode_strv(vm->unused, vm->nunused));
  json_object_set_new(o, "totals", encode_counts(&vm->total));
  for (fs = 0; fs < LVT_FS__COUNT; fs++)
    json_object_set_new(files, lvt_file_status_name((LvtFileStatus)fs), json_integer(vm->files[fs]));
  json_object_set_new(o, "files", files);
  for (s = 0; s <= r->nsections; s++) {
    json_t *one = json_object();
    json_object_set_new(one, "section", s < r->nsections ? json_string(r->sections[s]) : json_null());
    json_object_set_new(one, "counts", encode_counts(&vm->by_section[s]));
    json_array_append_new(secs, one);
  }
  json_object_set_new(o, "sections", secs);
  return o;
}

json_t *lvt_json_encode_suite(const LvtSuiteReport *r) {
  json_t *o = json_object(), *vms = json_array(), *files = json_array();
  size_t f, v;
  json_object_set_new(o, "name", lvt_json_encode_cstr(r->suite));
  json_object_set_new(o, "root", str_or_null(r->root));
  json_object_set_new(o, "absent", json_boolean(r->absent));
  json_object_set_new(o, "why", str_or_null(r->why));
  json_object_set_new(o, "complete", json_boolean(r->complete));
  json_object_set_new(o, "ok", json_boolean(r->ok));
  json_object_set_new(o, "wall_ms", json_real(r->wall_ms));
  json_object_set_new(o, "notes", lvt_json_encode_bytes(r->notes.data ? r->notes.data : "",
                                                        r->notes.len));
  json_object_set_new(o, "sections", encode_strv(r->sections, r->nsections));
  for (v = 0; v < r->nvms; v++) json_array_append_new(vms, encode_vm(r, v));
  json_object_set_new(o, "vms", vms);
  for (f = 0; f < r->nfiles; f++) {
    json_t *one = json_object(), *res = json_array();
    json_object_set_new(one, "name", lvt_json_encode_cstr(r->files[f]));
    for (v = 0; v < r->nvms; v++) json_array_append_new(res, encode_result(r, f, v));
    json_object_set_new(one, "results", res);
    json_array_append_new(files, one);
  }
  json_object_set_new(o, "files", files);
  return o;
}

json_t *lvt_jreport_encode_suites(const LvtJsonReport *r, LvtSuiteReport *const *s, size_t n) {
  json_t *doc = lvt_jreport_encode(r), *a = json_array();
  size_t i;
  for (i = 0; i < n; i++) json_array_append_new(a, lvt_json_encode_suite(s[i]));
  json_object_set_new(doc, "suites", a);
  return doc;
}

typedef struct SuitesDoc {
  const LvtJsonReport *r;
  LvtSuiteReport *const *s;
  size_t n;
} SuitesDoc;

static int fill_suites(FILE *f, const void *ud, LvtErr *e) {
  const SuitesDoc *d = ud;
  json_t *doc = lvt_jreport_encode_suites(d->r, d->s, d->n);
  int rc = lvt_json_dump(doc, f, e);
  json_decref(doc);
  return rc;
}

int lvt_jreport_write_suites(const LvtJsonReport *r, LvtSuiteReport *const *s, size_t n,
                             const char *path, LvtErr *e) {
  SuitesDoc d = {r, s, n};
  if (strcmp(path, "-") == 0) return fill_suites(stdout, &d, e);
  return lvt_jreport_write_atomic(path, fill_suites, &d, e);
}

/* =====================================================================
** --failed-only
** ===================================================================== */

static void push(char ***v, size_t *n, const char *s, size_t len) {
  *v = lvt_xrealloc(*v, (*n + 2) * sizeof **v);
  (*v)[(*n)++] = lvt_xstrndup(s, len);
  (*v)[*n] = NULL;
}

/* The files of suite 'suite' in results document 'doc' that failed on
** some VM. */
static int failed_from_doc(const json_t *doc, const char *path, const char *suite, char ***v,
                           size_t *n, LvtErr *e) {
  const json_t *suites = json_object_get(doc, "suites"), *s, *file;
  size_t i, k, j;
  if (!json_is_array(suites))
    return lvt_err_set(e, LVT_ERR_USAGE,
                       "%s: no \"suites\" in it: not the results of 'lvtest --suite'", path);
  json_array_foreach(suites, i, s) {
    const json_t *name = json_object_get(s, "name");
    if (!json_is_string(name) || strcmp(json_string_value(name), suite) != 0) continue;
    json_array_foreach(json_object_get(s, "files"), k, file) {
      const json_t *fname = json_object_get(file, "name"), *res;
      int failed = 0;
      json_array_foreach(json_object_get(file, "results"), j, res) {
        const json_t *st = json_object_get(res, "status");
        if (json_is_string(st) && strcmp(json_string_value(st), "fail") == 0) failed = 1;
      }
      if (failed && json_is_string(fname))
        push(v, n, json_string_value(fname), json_string_length(fname));
    }
  }
  return LVT_OK;
}

/* The names of a text list that belong to 'suite' (by their extension:
** .t for own, .lua for corpus; any for other suites). */
static void failed_from_text(const LvtBuf *text, const char *suite, char ***v, size_t *n) {
  const char *p = lvt_buf_str(text), *end = p + text->len;
  const char *ext = strcmp(suite, "own") == 0 ? ".t" : strcmp(suite, "corpus") == 0 ? ".lua" : "";
  size_t el = strlen(ext);
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p), a = 0;
    while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
    while (a < len && (p[a] == ' ' || p[a] == '\t')) a++;
    if (a < len && p[a] != '#' && len - a > el && memcmp(p + len - el, ext, el) == 0)
      push(v, n, p + a, len - a);
    p += (nl ? (size_t)(nl - p) : (size_t)(end - p)) + 1;
  }
}

int lvt_json_read_failed(const char *path, const char *suite, char ***names, size_t *n,
                         LvtErr *e) {
  LvtSource src;
  const char *p;
  int rc = LVT_OK;
  *names = lvt_xcalloc(1, sizeof **names);
  *n = 0;
  if (lvt_source_load(&src, path, e) != LVT_OK) return LVT_ERR_IO;
  for (p = lvt_buf_str(&src.text); *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++) {}
  if (*p == '{') {
    json_error_t jerr;
    json_t *doc = json_loadb(src.text.data, src.text.len, JSON_ALLOW_NUL, &jerr);
    if (doc == NULL)
      rc = lvt_err_set(e, LVT_ERR_USAGE, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    else
      rc = failed_from_doc(doc, path, suite, names, n, e);
    json_decref(doc);
  } else {
    failed_from_text(&src.text, suite, names, n);
  }
  lvt_source_reset(&src);
  return rc;
}
