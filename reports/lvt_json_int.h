/*
** lvt_json_int.h -- what reports/lvt_json.c and reports/lvt_jreport.c
** share: structs described as field tables (name, kind, offset), read by
** one encoder and one decoder so that what is written and what is read
** back cannot drift apart.
*/
#ifndef LVT_JSON_INT_H
#define LVT_JSON_INT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "../util/lvt_base.h"

typedef enum LvtJsonKind {
  LVT_JK_BYTES,     /* LvtBuf, as lvt_json_encode_bytes */
  LVT_JK_CHARS,     /* char[size], no NUL inside */
  LVT_JK_STR,       /* const char * owned by the struct; NULL <-> null */
  LVT_JK_BOOL,      /* int, 0 or 1 */
  LVT_JK_INT,       /* int */
  LVT_JK_INDEX,     /* int >= 0, or -1 <-> null */
  LVT_JK_SIZE,      /* size_t */
  LVT_JK_REAL,      /* double */
  LVT_JK_OUTCOME,   /* LvtOutcome <-> its name */
  LVT_JK_SELFTEST   /* LvtSelftest <-> lvt_json_selftest_names */
} LvtJsonKind;

typedef struct LvtJsonField {
  const char *name;   /* NULL ends a table */
  LvtJsonKind kind;
  size_t off;
  size_t size;        /* LVT_JK_CHARS: the array size */
  int required;       /* decoding fails when the field is absent */
} LvtJsonField;

#define LVT_JF(T, name, kind, member) {name, kind, offsetof(T, member), 0, 0}
#define LVT_JF_REQ(T, name, kind, member) \
  {name, kind, offsetof(T, member), 0, 1}
#define LVT_JF_CHARS(T, name, member, req) \
  {name, LVT_JK_CHARS, offsetof(T, member), sizeof(((T *)0)->member), req}
#define LVT_JF_END {NULL, LVT_JK_INT, 0, 0, 0}

extern const char *const lvt_json_selftest_names[];   /* by LvtSelftest */

/* lvt_json_encode_bytes of a C string. */
json_t *lvt_json_encode_cstr(const char *s);

/* Adds the fields of 'base' described by 'f' to object 'o'. */
void lvt_json_encode_fields(json_t *o, const LvtJsonField *f, const void *base);
/* Decodes the fields 'f' of object 'o' into 'base'; absent optional
** fields keep their value. LVT_OK, or LVT_ERR_USAGE naming the field. */
int lvt_json_decode_fields(const json_t *o, const LvtJsonField *f, void *base,
                           LvtErr *e);
/* Decodes one value 'v' of field 'f' into 'p' (the field's address).
** Returns NULL, or what was expected ("an integer") when 'v' does not fit. */
const char *lvt_json_decode_value(const LvtJsonField *f, const json_t *v,
                                  char *p);
/* Writes 'doc' to 'f' as lvtest writes documents (indented, a final
** newline) and flushes. LVT_OK or LVT_ERR_IO. */
int lvt_json_dump(const json_t *doc, FILE *f, LvtErr *e);

/* Frees the LVT_JK_STR fields of 'base' and sets them to NULL. */
void lvt_json_free_strings(const LvtJsonField *f, void *base);

#endif
