/*
** lvt_json.c -- JSON encodings of byte strings, run results, VM info and
** verdicts, and the results document (reports/SCHEMA.md).
**
** Structs are described by field tables (name, kind, offset) read by one
** encoder and one decoder, so that what is written and what is read back
** cannot drift apart.
*/
#include "lvt_json.h"
#include "lvt_json_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* =====================================================================
** Byte strings
** ===================================================================== */

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_encode(const unsigned char *p, size_t n, LvtBuf *out) {
  size_t i;
  for (i = 0; i + 2 < n; i += 3) {
    unsigned long v = (unsigned long)p[i] << 16 | p[i + 1] << 8 | p[i + 2];
    lvt_buf_addc(out, b64_alphabet[v >> 18 & 63]);
    lvt_buf_addc(out, b64_alphabet[v >> 12 & 63]);
    lvt_buf_addc(out, b64_alphabet[v >> 6 & 63]);
    lvt_buf_addc(out, b64_alphabet[v & 63]);
  }
  if (i < n) {   /* one or two bytes left: pad to four characters */
    unsigned long v =
        (unsigned long)p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0);
    lvt_buf_addc(out, b64_alphabet[v >> 18 & 63]);
    lvt_buf_addc(out, b64_alphabet[v >> 12 & 63]);
    lvt_buf_addc(out, i + 1 < n ? b64_alphabet[v >> 6 & 63] : '=');
    lvt_buf_addc(out, '=');
  }
}

/* Strict RFC 4648 decoding (padding required, no whitespace). Returns 1,
** or 0 when 's' is not base64. */
static int b64_decode(const char *s, size_t n, LvtBuf *out) {
  size_t i, pad = 0;
  if (n % 4 != 0) return 0;
  if (n > 0 && s[n - 1] == '=') pad++;
  if (n > 1 && s[n - 2] == '=') pad++;
  for (i = 0; i < n; i += 4) {
    unsigned long v = 0;
    int k;
    for (k = 0; k < 4; k++) {
      const char *c = memchr(b64_alphabet, s[i + k], 64);
      int is_pad = i + k >= n - pad;
      if (s[i + k] == '\0' || (c == NULL && !is_pad) || (c != NULL && is_pad))
        return 0;
      v = v << 6 | (c != NULL ? (unsigned long)(c - b64_alphabet) : 0);
    }
    lvt_buf_addc(out, (int)(v >> 16 & 255));
    if (i + 4 < n || pad < 2) lvt_buf_addc(out, (int)(v >> 8 & 255));
    if (i + 4 < n || pad < 1) lvt_buf_addc(out, (int)(v & 255));
  }
  return 1;
}

json_t *lvt_json_encode_cstr(const char *s) {
  return lvt_json_encode_bytes(s, strlen(s));
}

json_t *lvt_json_encode_bytes(const char *p, size_t n) {
  json_t *j = NULL, *o;
  LvtBuf b = LVT_BUF_INIT;
  if (n == 0) return json_string("");
  /* json_stringn checks UTF-8 (RFC 3629: no overlongs, no surrogates);
  ** NULs are valid UTF-8 but break too many consumers' C strings. */
  if (memchr(p, '\0', n) == NULL) j = json_stringn(p, n);
  if (j != NULL) return j;
  b64_encode((const unsigned char *)p, n, &b);
  o = json_object();
  json_object_set_new(o, "base64", json_stringn(b.data, b.len));
  lvt_buf_reset(&b);
  return o;
}

int lvt_json_decode_bytes(const json_t *j, LvtBuf *out, LvtErr *e) {
  const json_t *b64 = json_object_get(j, "base64");
  lvt_buf_clear(out);
  if (json_is_string(j)) {
    lvt_buf_add(out, json_string_value(j), json_string_length(j));
    return LVT_OK;
  }
  if (json_is_string(b64) && json_object_size(j) == 1 &&
      b64_decode(json_string_value(b64), json_string_length(b64), out))
    return LVT_OK;
  lvt_buf_clear(out);
  return lvt_err_set(e, LVT_ERR_USAGE,
                     "expected a string or an object {\"base64\": ...}");
}

/* =====================================================================
** Field tables: one encoder, one decoder
** ===================================================================== */

const char *const lvt_json_selftest_names[] = {"skipped", "passed",
                                               "failed"};

static const LvtJsonField run_fields[] = {
  LVT_JF_REQ(LvtRun, "outcome", LVT_JK_OUTCOME, outcome),
  LVT_JF(LvtRun, "output", LVT_JK_BYTES, out),
  LVT_JF(LvtRun, "output_truncated", LVT_JK_BOOL, out_truncated),
  LVT_JF_CHARS(LvtRun, "error_type", err_type, 0),
  LVT_JF(LvtRun, "error_value", LVT_JK_BYTES, err_value),
  LVT_JF(LvtRun, "exit_code", LVT_JK_INT, exit_code),
  LVT_JF(LvtRun, "signal", LVT_JK_INT, signal),
  LVT_JF(LvtRun, "status", LVT_JK_INT, status),
  LVT_JF(LvtRun, "stderr", LVT_JK_BYTES, errout),
  LVT_JF(LvtRun, "stderr_truncated", LVT_JK_BOOL, errout_truncated),
  LVT_JF(LvtRun, "detail", LVT_JK_BYTES, detail),
  LVT_JF(LvtRun, "wall_ms", LVT_JK_REAL, wall_ms),
  LVT_JF(LvtRun, "peak_mem", LVT_JK_SIZE, peak_mem),
  LVT_JF(LvtRun, "restarted", LVT_JK_BOOL, restarted),
  LVT_JF_END
};

/* A verdict also has "vms", "class", "classes" and "groups". */
static const LvtJsonField verdict_fields[] = {
  LVT_JF(LvtVerdict, "compared", LVT_JK_INT, compared),
  LVT_JF(LvtVerdict, "excluded", LVT_JK_INT, excluded),
  LVT_JF(LvtVerdict, "agree", LVT_JK_BOOL, agree),
  LVT_JF(LvtVerdict, "majority", LVT_JK_INDEX, majority),
  LVT_JF(LvtVerdict, "dialect_split", LVT_JK_BOOL, dialect_split),
  LVT_JF(LvtVerdict, "strict_errors", LVT_JK_BOOL, strict_errors),
  LVT_JF(LvtVerdict, "by_dialect", LVT_JK_BOOL, by_dialect),
  LVT_JF_END
};

static const LvtJsonField class_fields[] = {
  LVT_JF_REQ(LvtVerdictClass, "group", LVT_JK_INT, group),
  LVT_JF_REQ(LvtVerdictClass, "size", LVT_JK_INT, size),
  LVT_JF_REQ(LvtVerdictClass, "first", LVT_JK_INT, first),
  LVT_JF_REQ(LvtVerdictClass, "outcome", LVT_JK_OUTCOME, outcome),
  LVT_JF_CHARS(LvtVerdictClass, "label", label, 0),
  LVT_JF(LvtVerdictClass, "ref", LVT_JK_INDEX, ref),
  LVT_JF(LvtVerdictClass, "why", LVT_JK_BYTES, why),
  LVT_JF_END
};

static const LvtJsonField group_fields[] = {
  LVT_JF_CHARS(LvtVerdictGroup, "name", name, 1),
  LVT_JF_REQ(LvtVerdictGroup, "size", LVT_JK_INT, size),
  LVT_JF_REQ(LvtVerdictGroup, "classes", LVT_JK_INT, nclasses),
  LVT_JF(LvtVerdictGroup, "majority", LVT_JK_INDEX, majority),
  LVT_JF_END
};

/* Adds the fields of 'base' described by 'f' to object 'o'. */
void lvt_json_encode_fields(json_t *o, const LvtJsonField *f,
                            const void *base) {
  for (; f->name != NULL; f++) {
    const char *p = (const char *)base + f->off;
    const char *s;
    json_t *v;
    switch (f->kind) {
      case LVT_JK_BYTES:
        v = lvt_json_encode_bytes(((const LvtBuf *)p)->data,
                                  ((const LvtBuf *)p)->len);
        break;
      case LVT_JK_CHARS:
        v = lvt_json_encode_bytes(p, strnlen(p, f->size));
        break;
      case LVT_JK_STR:
        s = *(const char *const *)p;
        v = s != NULL ? lvt_json_encode_cstr(s) : json_null();
        break;
      case LVT_JK_BOOL: v = json_boolean(*(const int *)p); break;
      case LVT_JK_INT: v = json_integer(*(const int *)p); break;
      case LVT_JK_INDEX:
        v = *(const int *)p >= 0 ? json_integer(*(const int *)p) : json_null();
        break;
      case LVT_JK_SIZE:
        v = json_integer((json_int_t)*(const size_t *)p);
        break;
      case LVT_JK_REAL: v = json_real(*(const double *)p); break;
      case LVT_JK_OUTCOME:
        v = json_string(lvt_outcome_name(*(const LvtOutcome *)p));
        break;
      default:   /* LVT_JK_SELFTEST */
        v = json_string((unsigned)*(const LvtSelftest *)p <= LVT_SELFTEST_FAILED
                            ? lvt_json_selftest_names[*(const LvtSelftest *)p]
                            : "skipped");
        break;
    }
    json_object_set_new(o, f->name, v);
  }
}

/* Decodes one field value 'v' (not NULL) into 'p'. Returns the expected
** type as text when 'v' does not fit, else NULL. */
const char *lvt_json_decode_value(const LvtJsonField *f, const json_t *v,
                                  char *p) {
  LvtBuf b = LVT_BUF_INIT;
  const char *bad = NULL;
  int i;
  switch (f->kind) {
    case LVT_JK_BYTES:
      if (lvt_json_decode_bytes(v, (LvtBuf *)p, NULL) != LVT_OK)
        bad = "a string or an object {\"base64\": ...}";
      break;
    case LVT_JK_CHARS:
    case LVT_JK_STR:
      if (f->kind == LVT_JK_STR && json_is_null(v)) {
        *(char **)p = NULL;
        break;
      }
      if (lvt_json_decode_bytes(v, &b, NULL) != LVT_OK ||
          strlen(lvt_buf_str(&b)) != b.len ||
          (f->kind == LVT_JK_CHARS && b.len >= f->size))
        bad = f->kind == LVT_JK_STR ? "a string without NUL bytes"
                               : "a short string without NUL bytes";
      else if (f->kind == LVT_JK_CHARS) memcpy(p, lvt_buf_str(&b), b.len + 1);
      else *(char **)p = lvt_xstrdup(lvt_buf_str(&b));
      break;
    case LVT_JK_BOOL:
      if (json_is_boolean(v)) *(int *)p = json_is_true(v);
      else bad = "true or false";
      break;
    case LVT_JK_INT:
    case LVT_JK_INDEX:
      if (f->kind == LVT_JK_INDEX && json_is_null(v)) *(int *)p = -1;
      else if (json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
               json_integer_value(v) <= INT32_MAX &&
               (f->kind == LVT_JK_INT || json_integer_value(v) >= 0))
        *(int *)p = (int)json_integer_value(v);
      else bad = f->kind == LVT_JK_INT ? "an integer" : "an index or null";
      break;
    case LVT_JK_SIZE:
      if (json_is_integer(v) && json_integer_value(v) >= 0)
        *(size_t *)p = (size_t)json_integer_value(v);
      else bad = "a non-negative integer";
      break;
    case LVT_JK_REAL:
      if (json_is_number(v)) *(double *)p = json_number_value(v);
      else bad = "a number";
      break;
    case LVT_JK_OUTCOME:
      if (json_is_string(v) &&
          (i = lvt_outcome_parse(json_string_value(v))) >= 0)
        *(LvtOutcome *)p = (LvtOutcome)i;
      else bad = "an outcome (ok, error, exit, timeout, memory, crash, "
                 "unsupported)";
      break;
    default:   /* LVT_JK_SELFTEST */
      for (i = 0; i < 3; i++)
        if (json_is_string(v) &&
            strcmp(json_string_value(v), lvt_json_selftest_names[i]) == 0)
          break;
      if (i < 3) *(LvtSelftest *)p = (LvtSelftest)i;
      else bad = "\"skipped\", \"passed\" or \"failed\"";
      break;
  }
  lvt_buf_reset(&b);
  return bad;
}

/* Decodes the fields 'f' of object 'o' into 'base'; absent optional
** fields keep their value. */
int lvt_json_decode_fields(const json_t *o, const LvtJsonField *f, void *base,
                         LvtErr *e) {
  if (!json_is_object(o))
    return lvt_err_set(e, LVT_ERR_USAGE, "expected an object");
  for (; f->name != NULL; f++) {
    const json_t *v = json_object_get(o, f->name);
    const char *bad;
    if (v == NULL) {
      if (f->required)
        return lvt_err_set(e, LVT_ERR_USAGE, "%s: missing", f->name);
      continue;
    }
    if ((bad = lvt_json_decode_value(f, v, (char *)base + f->off)) != NULL)
      return lvt_err_set(e, LVT_ERR_USAGE, "%s: expected %s", f->name, bad);
  }
  return LVT_OK;
}

/* Frees the LVT_JK_STR fields of 'base'. */
void lvt_json_free_strings(const LvtJsonField *f, void *base) {
  for (; f->name != NULL; f++)
    if (f->kind == LVT_JK_STR) {
      char **p = (char **)((char *)base + f->off);
      free(*p);
      *p = NULL;
    }
}

/* =====================================================================
** Runs, VM info, verdicts
** ===================================================================== */

json_t *lvt_json_encode_run(const LvtRun *r) {
  json_t *o = json_object();
  lvt_json_encode_fields(o, run_fields, r);
  return o;
}

int lvt_json_decode_run(const json_t *j, LvtRun *r, LvtErr *e) {
  lvt_run_clear(r);
  return lvt_json_decode_fields(j, run_fields, r, e);
}

json_t *lvt_json_encode_vminfo(const LvtVmInfo *info) {
  json_t *o = json_object(), *caps = json_array();
  LvtBuf name = LVT_BUF_INIT;
  unsigned bit;
  json_object_set_new(o, "version",
                      lvt_json_encode_bytes(info->version,
                                            strnlen(info->version,
                                                    sizeof info->version)));
  json_object_set_new(o, "dialect",
                      json_string(lvt_dialect_name(info->dialect)));
  for (bit = 1; bit != 0; bit <<= 1) {
    if (!(info->caps & bit)) continue;
    lvt_buf_clear(&name);
    lvt_caps_format(bit, &name);
    if (name.len > 0) json_array_append_new(caps, json_string(name.data));
  }
  json_object_set_new(o, "caps", caps);
  lvt_buf_reset(&name);
  return o;
}

/* The capability bit called 'name', or 0. */
static unsigned cap_bit(const char *name) {
  LvtBuf b = LVT_BUF_INIT;
  unsigned bit;
  for (bit = 1; bit != 0; bit <<= 1) {
    lvt_buf_clear(&b);
    lvt_caps_format(bit, &b);
    if (b.len > 0 && strcmp(b.data, name) == 0) break;
  }
  lvt_buf_reset(&b);
  return bit;
}

int lvt_json_decode_vminfo(const json_t *j, LvtVmInfo *info, LvtErr *e) {
  static const LvtJsonField version =
      LVT_JF_CHARS(LvtVmInfo, "version", version, 0);
  const json_t *v;
  size_t i;
  int d;
  memset(info, 0, sizeof *info);
  if (!json_is_object(j))
    return lvt_err_set(e, LVT_ERR_USAGE, "expected an object");
  if ((v = json_object_get(j, "version")) != NULL &&
      lvt_json_decode_value(&version, v, info->version) != NULL)
    return lvt_err_set(e, LVT_ERR_USAGE, "version: expected a short string");
  if ((v = json_object_get(j, "dialect")) != NULL) {
    if (json_is_string(v) && strcmp(json_string_value(v), "unknown") == 0)
      d = 0;
    else if ((d = json_is_string(v) ? lvt_dialect_parse(json_string_value(v))
                                    : -1) < 0)
      return lvt_err_set(
          e, LVT_ERR_USAGE,
          "dialect: expected 5.1, 5.2, 5.3, 5.4, luajit or unknown");
    info->dialect = (LvtDialect)d;
  }
  v = json_object_get(j, "caps");
  if (v != NULL && !json_is_array(v))
    return lvt_err_set(e, LVT_ERR_USAGE, "caps: expected an array of names");
  for (i = 0; v != NULL && i < json_array_size(v); i++) {
    const json_t *c = json_array_get(v, i);
    if (!json_is_string(c))
      return lvt_err_set(e, LVT_ERR_USAGE, "caps[%zu]: expected a name", i);
    info->caps |= cap_bit(json_string_value(c));   /* unknown: 0, ignored */
  }
  return LVT_OK;
}

/* Encodes 'n' structs of 'size' bytes at 'base' as an array of objects. */
static json_t *encode_array(const LvtJsonField *f, const void *base, int n,
                            size_t size) {
  json_t *a = json_array();
  int i;
  for (i = 0; i < n; i++) {
    json_t *o = json_object();
    lvt_json_encode_fields(o, f, (const char *)base + (size_t)i * size);
    json_array_append_new(a, o);
  }
  return a;
}

json_t *lvt_json_encode_verdict(const LvtVerdict *v) {
  json_t *o = json_object(), *vms = json_array(), *cls = json_array();
  int i;
  lvt_json_encode_fields(o, verdict_fields, v);
  for (i = 0; i < v->n; i++) {
    json_array_append_new(vms,
                          lvt_json_encode_cstr(v->vm[i]));
    json_array_append_new(cls, v->cls[i] >= 0 ? json_integer(v->cls[i])
                                              : json_null());
  }
  json_object_set_new(o, "vms", vms);
  json_object_set_new(o, "class", cls);
  json_object_set_new(
      o, "classes",
      encode_array(class_fields, v->classes, v->nclasses, sizeof *v->classes));
  json_object_set_new(o, "groups", encode_array(group_fields, v->groups,
                                                v->ngroups, sizeof *v->groups));
  return o;
}

/* Checks that every index in a decoded verdict points where it may, so
** that code walking it cannot go out of bounds. */
static int check_verdict(const LvtVerdict *v, LvtErr *e) {
  int i;
#define IN(x, lo, hi) ((x) >= (lo) && (x) < (hi))
  if (!IN(v->majority, -1, v->nclasses))
    return lvt_err_set(e, LVT_ERR_USAGE, "majority: no such class");
  for (i = 0; i < v->n; i++)
    if (!IN(v->cls[i], -1, v->nclasses))
      return lvt_err_set(e, LVT_ERR_USAGE, "class[%d]: no such class", i);
  for (i = 0; i < v->nclasses; i++) {
    const LvtVerdictClass *c = &v->classes[i];
    if (!IN(c->group, 0, v->ngroups) || !IN(c->first, 0, v->n) ||
        !IN(c->ref, -1, v->nclasses))
      return lvt_err_set(e, LVT_ERR_USAGE,
                         "classes[%d]: group, first or ref out of range", i);
  }
  for (i = 0; i < v->ngroups; i++)
    if (!IN(v->groups[i].majority, -1, v->nclasses))
      return lvt_err_set(e, LVT_ERR_USAGE, "groups[%d].majority: no such class",
                         i);
#undef IN
  return LVT_OK;
}

/* Decodes array 'a' of objects into 'n' structs of 'size' bytes (freshly
** allocated in '*base'); 'init' prepares each struct first. */
static int decode_array(const json_t *a, const char *what,
                        const LvtJsonField *f, void **base, int *n, size_t size,
                        void (*init)(void *), LvtErr *e) {
  size_t i;
  if (!json_is_array(a))
    return lvt_err_set(e, LVT_ERR_USAGE, "%s: expected an array", what);
  *base = lvt_xcalloc(json_array_size(a), size);
  for (i = 0; i < json_array_size(a); i++) {
    void *p = (char *)*base + i * size;
    init(p);
    *n = (int)i + 1;
    if (lvt_json_decode_fields(json_array_get(a, i), f, p, e) != LVT_OK) {
      lvt_err_prefix(e, "%s[%zu]", what, i);
      return LVT_ERR_USAGE;
    }
  }
  return LVT_OK;
}

static void init_class(void *p) {
  memset(p, 0, sizeof(LvtVerdictClass));
  ((LvtVerdictClass *)p)->ref = -1;
}

static void init_group(void *p) {
  memset(p, 0, sizeof(LvtVerdictGroup));
  ((LvtVerdictGroup *)p)->majority = -1;
}

int lvt_json_decode_verdict(const json_t *j, LvtVerdict *v, LvtErr *e) {
  static const LvtJsonField name = {"vms", LVT_JK_STR, 0, 0, 1};
  static const LvtJsonField cls = {"class", LVT_JK_INDEX, 0, 0, 1};
  const json_t *vms = json_object_get(j, "vms"),
               *cl = json_object_get(j, "class");
  size_t i;
  int rc;
  lvt_verdict_reset(v);
  if ((rc = lvt_json_decode_fields(j, verdict_fields, v, e)) != LVT_OK)
    goto fail;
  if (!json_is_array(vms) || !json_is_array(cl) ||
      json_array_size(vms) != json_array_size(cl)) {
    rc = lvt_err_set(e, LVT_ERR_USAGE, "vms, class: expected two arrays of "
                                       "the same length");
    goto fail;
  }
  v->vm = lvt_xcalloc(json_array_size(vms), sizeof *v->vm);
  v->cls = lvt_xcalloc(json_array_size(vms), sizeof *v->cls);
  for (i = 0; i < json_array_size(vms); i++, v->n++) {
    if (lvt_json_decode_value(&name, json_array_get(vms, i),
                              (char *)&v->vm[i]) != NULL ||
        lvt_json_decode_value(&cls, json_array_get(cl, i),
                              (char *)&v->cls[i]) != NULL) {
      rc = lvt_err_set(e, LVT_ERR_USAGE,
                       "vms[%zu] or class[%zu]: expected a "
                       "name and a class index or null",
                       i, i);
      goto fail;
    }
  }
  if ((rc = decode_array(json_object_get(j, "classes"), "classes", class_fields,
                         (void **)&v->classes, &v->nclasses,
                         sizeof *v->classes, init_class, e)) != LVT_OK ||
      (rc = decode_array(json_object_get(j, "groups"), "groups", group_fields,
                         (void **)&v->groups, &v->ngroups, sizeof *v->groups,
                         init_group, e)) != LVT_OK ||
      (rc = check_verdict(v, e)) != LVT_OK)
    goto fail;
  return LVT_OK;
fail:
  lvt_verdict_reset(v);
  return rc;
}

