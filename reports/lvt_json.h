/*
** lvt_json.h -- JSON encodings (with jansson) of what lvtest produces: byte
** strings, run results, VM descriptions, verdicts, and the results document
** of a run or compare session ("schema": "lvtest-results", "version": 1),
** written atomically and read back. The format is specified in
** reports/SCHEMA.md (and reports/schema-v1.json).
**
** Encoders return a new jansson reference (never NULL: allocation failure
** aborts, as everywhere in lvtest). Decoders fill a caller-owned,
** initialised struct and return LVT_OK, or LVT_ERR_USAGE with a message
** naming the offending field ("output: expected a string or an object
** {\"base64\": ...}"); callers prefix the path to it.
*/
#ifndef LVT_JSON_H
#define LVT_JSON_H

#include <stdio.h>

#include <jansson.h>

#include "../harness/lvt_oracle.h"
#include "../harness/lvt_suite.h"
#include "../util/lvt_base.h"
#include "../vm/lvt_vm.h"

#define LVT_JSON_SCHEMA "lvtest-results"
#define LVT_JSON_VERSION 1   /* bumped only by incompatible changes */

/* ---------------------------------------------------------------------
** Values
** --------------------------------------------------------------------- */

/* A Lua byte string: a JSON string when it is valid UTF-8 without NUL
** bytes, else {"base64": "..."} (RFC 4648, padded). Exact both ways. */
json_t *lvt_json_encode_bytes(const char *p, size_t n);
/* Accepts both forms (a JSON string may contain \u0000); 'out' is
** replaced. */
int lvt_json_decode_bytes(const json_t *j, LvtBuf *out, LvtErr *e);

/* Every field of a run result; see SCHEMA.md "Run results". */
json_t *lvt_json_encode_run(const LvtRun *r);
/* 'r' is initialised (lvt_run_init) by the caller; it is cleared first.
** Missing optional fields keep lvt_run_init's values. */
int lvt_json_decode_run(const json_t *j, LvtRun *r, LvtErr *e);

/* {"version", "dialect" (lvt_dialect_name), "caps" (names)}. Unknown
** capability names are ignored when decoding (a newer lvtest may know
** more). */
json_t *lvt_json_encode_vminfo(const LvtVmInfo *info);
int lvt_json_decode_vminfo(const json_t *j, LvtVmInfo *info, LvtErr *e);

/* A verdict with everything in it (classes, groups, explanations), so that
** a decoded verdict explains itself like the original. 'v' is initialised
** by the caller; its old content is freed. */
json_t *lvt_json_encode_verdict(const LvtVerdict *v);
int lvt_json_decode_verdict(const json_t *j, LvtVerdict *v, LvtErr *e);

/* ---------------------------------------------------------------------
** The results document
** --------------------------------------------------------------------- */

typedef enum LvtSelftest {
  LVT_SELFTEST_SKIPPED = 0,   /* not asked for, or the VM never started */
  LVT_SELFTEST_PASSED,
  LVT_SELFTEST_FAILED
} LvtSelftest;

/* A VM of the session. In a report every string is owned by the report;
** as an argument to lvt_jreport_add_vm they are borrowed (and copied). */
typedef struct LvtJsonVm {
  const char *name;      /* as shown to users: "lua5.4", "lj-joff" */
  const char *backend;   /* "proc" or "ref" */
  const char *how;       /* how it is run, for people: "luajit -joff" */
  LvtVmInfo info;        /* as probed (zeroes when never probed) */
  int usable;            /* started, probed and self-tested when asked */
  LvtSelftest selftest;
  const char *why;       /* why it is not usable; NULL when it is */
} LvtJsonVm;

/* One program: its results on some VMs and, when there are several, the
** verdict. Owned by the report. */
typedef struct LvtJsonProgram {
  const char *name;
  int n;                 /* results */
  const char **vm;       /* [n] VM names */
  LvtRun *run;           /* [n] */
  int has_verdict;
  LvtVerdict verdict;
} LvtJsonProgram;

/* A session's results: built with _add_vm/_add_program and written, or
** read back from a file. Read its fields directly; change it only with the
** functions below. */
typedef struct LvtJsonReport {
  const char *command;   /* "run", "compare", ... */
  const char *lvtest;    /* the lvtest version that wrote it */
  const char *created;   /* UTC, ISO 8601: "2024-05-01T12:00:00Z" */
  int nvms, nprograms;
  LvtJsonVm *vms;
  LvtJsonProgram *programs;
  int vms_cap, programs_cap;
} LvtJsonReport;

/* A new empty report for 'command', stamped with lvtest's version and the
** current time. Free with lvt_jreport_free. */
LvtJsonReport *lvt_jreport_new(const char *command);
void lvt_jreport_free(LvtJsonReport *r);   /* NULL-safe */

/* Copies 'vm' into 'r'. */
void lvt_jreport_add_vm(LvtJsonReport *r, const LvtJsonVm *vm);

/* Copies the 'n' results of program 'name' (VM names and runs from 'ent';
** 'info' is not used: the VM list has it) and 'v' (NULL: no verdict) into
** 'r'. */
void lvt_jreport_add_program(LvtJsonReport *r, const char *name,
                             const LvtOracleEntry *ent, int n,
                             const LvtVerdict *v);

/* The whole document as JSON, and back. lvt_jreport_decode checks
** "schema" and "version" (a newer version is refused with a message that
** says so) and every field it knows; it ignores fields it does not know. */
json_t *lvt_jreport_encode(const LvtJsonReport *r);
int lvt_jreport_decode(const json_t *doc, LvtJsonReport **r /* OUT */,
                       LvtErr *e);

/* Writes the document to 'path' atomically: a temporary file in the same
** directory, fsync, rename over 'path', fsync of the directory. A new file
** gets mode 0644, a replaced one keeps its mode. Returns LVT_OK or
** LVT_ERR_IO naming the file; on error 'path' is untouched and no
** temporary file is left. ("-" for stdout is the caller's business: see
** lvt_jreport_write_file.) */
int lvt_jreport_write(const LvtJsonReport *r, const char *path, LvtErr *e);
/* The atomic writer behind lvt_jreport_write, for other documents too
** (JUnit XML, TAP): 'fill' writes the content to the temporary file and
** returns LVT_OK, or an error with 'e' set (the path is prefixed to it).
** Same guarantees as lvt_jreport_write. */
typedef int (*LvtJsonFill)(FILE *f, const void *ud, LvtErr *e);
int lvt_jreport_write_atomic(const char *path, LvtJsonFill fill, const void *ud,
                             LvtErr *e);
/* Writes the document to 'f' (not closed). LVT_OK or LVT_ERR_IO. */
int lvt_jreport_write_file(const LvtJsonReport *r, FILE *f, LvtErr *e);

/* Reads a document written by lvt_jreport_write. Returns LVT_OK with
** '*r' set (free with lvt_jreport_free), LVT_ERR_IO when the file cannot
** be read, or LVT_ERR_USAGE naming the file and what is wrong in it
** ("out.json:3:14: ..." for bad JSON, "out.json: programs[2].results[0]:
** outcome: ..." for a bad field). */
int lvt_jreport_read(const char *path, LvtJsonReport **r /* OUT */,
                     LvtErr *e);

/* ---------------------------------------------------------------------
** Suite results (reports/lvt_jsuite.c; SCHEMA.md "Suites")
** --------------------------------------------------------------------- */

/* One suite report: its VMs with totals, per-section counts and the
** expected-failure lists applied, its files with every VM's result and
** tests. */
json_t *lvt_json_encode_suite(const LvtSuiteReport *s);

/* The document of 'r' (its VMs; usually no programs) with a "suites"
** member holding the 'n' reports. */
json_t *lvt_jreport_encode_suites(const LvtJsonReport *r, LvtSuiteReport *const *s,
                                  size_t n);
/* Writes that document to 'path' atomically (as lvt_jreport_write), or to
** stdout when 'path' is "-". LVT_OK or LVT_ERR_IO naming the file. */
int lvt_jreport_write_suites(const LvtJsonReport *r, LvtSuiteReport *const *s, size_t n,
                             const char *path, LvtErr *e);

/* For --failed-only: the files of suite 'suite' ("own", "corpus") to run
** again, read from 'path', which is either a results document written by
** lvt_jreport_write_suites (the files whose result is "fail" on some VM)
** or a text file of file names, one per line ('#' comments; the names
** ending in .t are own's, in .lua corpus's). '*names' is NULL-terminated
** and owned by the caller (free each and the array; lvt_strv_free does).
** Returns LVT_OK (maybe with no name: nothing failed), LVT_ERR_IO, or
** LVT_ERR_USAGE when 'path' is JSON but not suite results. */
int lvt_json_read_failed(const char *path, const char *suite, char ***names, size_t *n,
                         LvtErr *e);

#endif
