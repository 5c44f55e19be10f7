/*
** lvt_jreport.c -- the results document of a session (reports/SCHEMA.md):
** building it, encoding and decoding it, writing it atomically, reading it
** back.
*/
#include "lvt_json.h"
#include "lvt_json_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef LVT_VERSION
#define LVT_VERSION "0.1.0"   /* the build may pass PROJECT_VERSION */
#endif

static const LvtJsonField vm_fields[] = {   /* plus the LvtVmInfo fields */
  LVT_JF_REQ(LvtJsonVm, "name", LVT_JK_STR, name),
  LVT_JF(LvtJsonVm, "backend", LVT_JK_STR, backend),
  LVT_JF(LvtJsonVm, "how", LVT_JK_STR, how),
  LVT_JF(LvtJsonVm, "usable", LVT_JK_BOOL, usable),
  LVT_JF(LvtJsonVm, "selftest", LVT_JK_SELFTEST, selftest),
  LVT_JF(LvtJsonVm, "why", LVT_JK_STR, why),
  LVT_JF_END
};

LvtJsonReport *lvt_jreport_new(const char *command) {
  LvtJsonReport *r = lvt_xcalloc(1, sizeof *r);
  char stamp[32];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  r->command = lvt_xstrdup(command);
  r->lvtest = lvt_xstrdup(LVT_VERSION);
  r->created = lvt_xstrdup(stamp);
  return r;
}

static void program_reset(LvtJsonProgram *p) {
  int i;
  for (i = 0; i < p->n; i++) {
    free((char *)p->vm[i]);
    lvt_run_reset(&p->run[i]);
  }
  free((char *)p->name);
  free(p->vm);
  free(p->run);
  lvt_verdict_reset(&p->verdict);
}

void lvt_jreport_free(LvtJsonReport *r) {
  int i;
  if (r == NULL) return;
  for (i = 0; i < r->nvms; i++) lvt_json_free_strings(vm_fields, &r->vms[i]);
  for (i = 0; i < r->nprograms; i++) program_reset(&r->programs[i]);
  free((char *)r->command);
  free((char *)r->lvtest);
  free((char *)r->created);
  free(r->vms);
  free(r->programs);
  free(r);
}

/* Grows '*arr' (of 'size'-byte elements) to hold one more than 'n'. */
static void *grow(void *arr, int n, int *cap, size_t size) {
  if (n < *cap) return arr;
  *cap = *cap ? *cap * 2 : 8;
  return lvt_xrealloc(arr, (size_t)*cap * size);
}

static const char *dup_or_null(const char *s) {
  return s != NULL ? lvt_xstrdup(s) : NULL;
}

void lvt_jreport_add_vm(LvtJsonReport *r, const LvtJsonVm *vm) {
  LvtJsonVm *d;
  r->vms = grow(r->vms, r->nvms, &r->vms_cap, sizeof *r->vms);
  d = &r->vms[r->nvms++];
  *d = *vm;
  d->name = lvt_xstrdup(vm->name != NULL ? vm->name : "");
  d->backend = dup_or_null(vm->backend);
  d->how = dup_or_null(vm->how);
  d->why = dup_or_null(vm->why);
}

/* A new empty program at the end of 'r' with room for 'n' results. */
static LvtJsonProgram *new_program(LvtJsonReport *r, size_t n) {
  LvtJsonProgram *p;
  r->programs = grow(r->programs, r->nprograms, &r->programs_cap,
                     sizeof *r->programs);
  p = &r->programs[r->nprograms++];
  memset(p, 0, sizeof *p);
  p->vm = lvt_xcalloc(n, sizeof *p->vm);
  p->run = lvt_xcalloc(n, sizeof *p->run);
  lvt_verdict_init(&p->verdict);
  return p;
}

/* Makes 'dst' (uninitialised) a deep copy of 'src'. */
void lvt_jreport_add_program(LvtJsonReport *r, const char *name,
                             const LvtOracleEntry *ent, int n,
                             const LvtVerdict *v) {
  LvtJsonProgram *p = new_program(r, n > 0 ? (size_t)n : 0);
  p->name = lvt_xstrdup(name);
  for (; p->n < n; p->n++) {
    p->vm[p->n] = lvt_xstrdup(ent[p->n].vm != NULL ? ent[p->n].vm : "");
    lvt_run_copy(&p->run[p->n], ent[p->n].run);
  }
  if ((p->has_verdict = v != NULL)) lvt_verdict_copy(&p->verdict, v);
}

json_t *lvt_jreport_encode(const LvtJsonReport *r) {
  json_t *doc = json_object(), *vms = json_array(), *progs = json_array();
  int i, k;
  json_object_set_new(doc, "schema", json_string(LVT_JSON_SCHEMA));
  json_object_set_new(doc, "version", json_integer(LVT_JSON_VERSION));
  json_object_set_new(doc, "lvtest", json_string(r->lvtest));
  json_object_set_new(doc, "command", json_string(r->command));
  json_object_set_new(doc, "created", json_string(r->created));
  for (i = 0; i < r->nvms; i++) {
    json_t *o = json_object();
    lvt_json_encode_fields(o, vm_fields, &r->vms[i]);
    json_object_update_new(o, lvt_json_encode_vminfo(&r->vms[i].info));
    json_array_append_new(vms, o);
  }
  for (i = 0; i < r->nprograms; i++) {
    const LvtJsonProgram *p = &r->programs[i];
    json_t *o = json_object(), *res = json_array();
    json_object_set_new(o, "name",
                        lvt_json_encode_cstr(p->name));
    for (k = 0; k < p->n; k++) {
      json_t *one = json_object();
      json_object_set_new(one, "vm",
                          lvt_json_encode_cstr(p->vm[k]));
      json_object_update_new(one, lvt_json_encode_run(&p->run[k]));
      json_array_append_new(res, one);
    }
    json_object_set_new(o, "results", res);
    json_object_set_new(o, "verdict", p->has_verdict
                                          ? lvt_json_encode_verdict(&p->verdict)
                                          : json_null());
    json_array_append_new(progs, o);
  }
  json_object_set_new(doc, "vms", vms);
  json_object_set_new(doc, "programs", progs);
  return doc;
}

/* Decodes one element of "programs" into a new program of 'r'. */
static int decode_program(LvtJsonReport *r, const json_t *j, LvtErr *e) {
  /* One-field tables, read into 'p->name' and 'p->vm[k]' */
  static const LvtJsonField name[] = {{"name", LVT_JK_STR, 0, 0, 1},
                                      LVT_JF_END};
  static const LvtJsonField vm[] = {{"vm", LVT_JK_STR, 0, 0, 1}, LVT_JF_END};
  const json_t *res = json_object_get(j, "results");
  const json_t *ver = json_object_get(j, "verdict");
  LvtJsonProgram *p;
  size_t k;
  if (!json_is_object(j) || !json_is_array(res))
    return lvt_err_set(e, LVT_ERR_USAGE, "expected an object with \"results\"");
  p = new_program(r, json_array_size(res));
  if (lvt_json_decode_fields(j, name, &p->name, e) != LVT_OK)
    return LVT_ERR_USAGE;
  for (k = 0; k < json_array_size(res); k++) {
    lvt_run_init(&p->run[k]);
    p->n++;
    if (lvt_json_decode_fields(json_array_get(res, k), vm, &p->vm[k], e) !=
            LVT_OK ||
        lvt_json_decode_run(json_array_get(res, k), &p->run[k], e) != LVT_OK) {
      lvt_err_prefix(e, "results[%zu]", k);
      return LVT_ERR_USAGE;
    }
  }
  if (ver != NULL && !json_is_null(ver)) {
    p->has_verdict = 1;
    if (lvt_json_decode_verdict(ver, &p->verdict, e) != LVT_OK) {
      lvt_err_prefix(e, "verdict");
      return LVT_ERR_USAGE;
    }
  }
  return LVT_OK;
}

/* The header fields of a document, with the schema and version checks. */
static int decode_header(const json_t *doc, LvtJsonReport *r, LvtErr *e) {
  static const LvtJsonField head[] = {
    LVT_JF_REQ(LvtJsonReport, "command", LVT_JK_STR, command),
    LVT_JF(LvtJsonReport, "lvtest", LVT_JK_STR, lvtest),
    LVT_JF(LvtJsonReport, "created", LVT_JK_STR, created),
    LVT_JF_END
  };
  const json_t *schema = json_object_get(doc, "schema");
  const json_t *version = json_object_get(doc, "version");
  if (!json_is_object(doc) || !json_is_string(schema) ||
      strcmp(json_string_value(schema), LVT_JSON_SCHEMA) != 0)
    return lvt_err_set(e, LVT_ERR_USAGE,
                       "not an lvtest results document "
                       "(no \"schema\": \"%s\")",
                       LVT_JSON_SCHEMA);
  if (!json_is_integer(version) || json_integer_value(version) < 1)
    return lvt_err_set(e, LVT_ERR_USAGE,
                       "version: expected a positive integer");
  if (json_integer_value(version) > LVT_JSON_VERSION)
    return lvt_err_set(e, LVT_ERR_USAGE,
                       "written by a newer lvtest (document version %lld, this "
                       "lvtest reads up to %d): upgrade lvtest to read it",
                       (long long)json_integer_value(version),
                       LVT_JSON_VERSION);
  return lvt_json_decode_fields(doc, head, r, e);
}

int lvt_jreport_decode(const json_t *doc, LvtJsonReport **out, LvtErr *e) {
  LvtJsonReport *r = lvt_xcalloc(1, sizeof *r);
  const json_t *vms = json_object_get(doc, "vms");
  const json_t *progs = json_object_get(doc, "programs");
  size_t i;
  *out = NULL;
  if (decode_header(doc, r, e) != LVT_OK) goto fail;
  if (!json_is_array(vms) || !json_is_array(progs)) {
    lvt_err_set(e, LVT_ERR_USAGE, "vms, programs: expected arrays");
    goto fail;
  }
  for (i = 0; i < json_array_size(vms); i++) {
    LvtJsonVm *vm;
    r->vms = grow(r->vms, r->nvms, &r->vms_cap, sizeof *r->vms);
    vm = memset(&r->vms[r->nvms++], 0, sizeof *vm);
    if (lvt_json_decode_fields(json_array_get(vms, i), vm_fields, vm, e) !=
            LVT_OK ||
        lvt_json_decode_vminfo(json_array_get(vms, i), &vm->info, e) !=
            LVT_OK) {
      lvt_err_prefix(e, "vms[%zu]", i);
      goto fail;
    }
  }
  for (i = 0; i < json_array_size(progs); i++)
    if (decode_program(r, json_array_get(progs, i), e) != LVT_OK) {
      lvt_err_prefix(e, "programs[%zu]", i);
      goto fail;
    }
  *out = r;
  return LVT_OK;
fail:
  lvt_jreport_free(r);
  return LVT_ERR_USAGE;
}

/* =====================================================================
** Files
** ===================================================================== */

/* jansson's dump callback: writes to a FILE, remembers a failure. */
static int dump_to(const char *buf, size_t n, void *ud) {
  return fwrite(buf, 1, n, (FILE *)ud) == n ? 0 : -1;
}

int lvt_json_dump(const json_t *doc, FILE *f, LvtErr *e) {
  int bad = json_dump_callback(doc, dump_to, f, JSON_INDENT(1)) != 0 ||
            fputc('\n', f) == EOF || fflush(f) != 0;
  if (bad)
    return lvt_err_set(e, LVT_ERR_IO, "cannot write JSON report: %s",
                       strerror(errno));
  return LVT_OK;
}

int lvt_jreport_write_file(const LvtJsonReport *r, FILE *f, LvtErr *e) {
  json_t *doc = lvt_jreport_encode(r);
  int rc = lvt_json_dump(doc, f, e);
  json_decref(doc);
  return rc;
}

/* fsyncs the directory holding 'path', so that the rename is durable. */
static void sync_dir(const char *path) {
  char *copy = lvt_xstrdup(path);
  int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    fsync(fd);   /* best effort: some file systems refuse it */
    close(fd);
  }
  free(copy);
}

static int write_error(LvtErr *e, const char *path) {
  return lvt_err_set(e, LVT_ERR_IO, "cannot write %s: %s", path,
                     strerror(errno));
}

int lvt_jreport_write_atomic(const char *path, LvtJsonFill fill, const void *ud,
                             LvtErr *e) {
  LvtBuf tmp = LVT_BUF_INIT;
  struct stat st;
  FILE *f;
  int fd, rc;
  lvt_buf_addf(&tmp, "%s.tmp-XXXXXX", path);
  if ((fd = mkstemp(tmp.data)) < 0) {
    rc = write_error(e, path);
    lvt_buf_reset(&tmp);
    return rc;
  }
  if (fchmod(fd, stat(path, &st) == 0 ? st.st_mode & 07777 : 0644) != 0 ||
      (f = fdopen(fd, "w")) == NULL) {
    rc = write_error(e, path);
    close(fd);
  } else {
    if ((rc = fill(f, ud, e)) != LVT_OK)
      lvt_err_prefix(e, "%s", path);
    else if (fsync(fd) != 0)
      rc = write_error(e, path);
    if (fclose(f) != 0 && rc == LVT_OK) rc = write_error(e, path);
  }
  if (rc == LVT_OK && rename(tmp.data, path) != 0) rc = write_error(e, path);
  if (rc != LVT_OK) unlink(tmp.data);
  else sync_dir(path);
  lvt_buf_reset(&tmp);
  return rc;
}

static int fill_report(FILE *f, const void *r, LvtErr *e) {
  return lvt_jreport_write_file(r, f, e);
}

int lvt_jreport_write(const LvtJsonReport *r, const char *path, LvtErr *e) {
  return lvt_jreport_write_atomic(path, fill_report, r, e);
}

int lvt_jreport_read(const char *path, LvtJsonReport **r, LvtErr *e) {
  json_error_t jerr;
  json_t *doc =
      json_load_file(path, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
  int rc;
  *r = NULL;
  if (doc == NULL) {
    if (json_error_code(&jerr) == json_error_cannot_open_file)
      return lvt_err_set(e, LVT_ERR_IO, "cannot read %s: %s", path,
                         strerror(errno));
    return lvt_err_set(e, LVT_ERR_USAGE, "%s:%d:%d: %s", path, jerr.line,
                       jerr.column, jerr.text);
  }
  if ((rc = lvt_jreport_decode(doc, r, e)) != LVT_OK)
    lvt_err_prefix(e, "%s", path);
  json_decref(doc);
  return rc;
}
