/*
** lvt_suite.h -- the suite engine: runs a suite's files on every VM of a
** set, judges each file (TAP for 'own', the oracle for 'corpus'), applies
** the expected-failure lists, and returns one report with the roll-ups
** (per VM and file, per VM and manual section, per VM). Never prints:
** reporters render the report (reports/lvt_matrix.h, lvt_junit.h,
** lvt_json.h).
**
** Suites:
**   own     lua-harness/: every t/NNN-topic.t, in name order, run with a one-line
**           preamble (on the file's first line, so line numbers stay true)
**           that puts lua-harness/lib first on package.path and sets the
**           global LVT_HEAVY. Judged by its TAP output, per assertion.
**           Expected failures: lua-harness/expect/<dialect>/<NNN-topic>.txt
**           (entries of NNN-topic.txt target t/NNN-topic.t when that file
**           exists, every file otherwise).
**   corpus  corpus/seeds/ and corpus/regressions/ (*.lua): every program
**           on every VM, compared by the oracle within dialect groups. One
**           test per program and VM: it passes when the VM is in the class
**           of 'ref' (when ref is in its group) or of its group's majority,
**           and did not crash, hang or run out of memory.
**           Expected failures: corpus/expect/<dialect>.txt.
**
** Expected-failure lists (both suites, and every --expect FILE): one entry
** per line, '#' comments and blank lines ignored:
**     <test name><TAB><reason>
**     <file>:<test name><TAB><reason>     only in that file (a name ending
**                                         in .t or .lua, directory ignored)
** The test name is as TAP prints it after "ok N - " ('\#' stands for '#');
** for corpus it is the program's file name ("arith.lua"). The name
** LVT_SUITE_FILE_TEST ("(file)") stands for the file as a whole: its crash,
** Lua error, missing or wrong plan. A test on the list that fails is an
** expected failure (xfail); one that passes is an unexpected pass (xpass),
** which fails the run so that stale entries get noticed -- unless its
** reason starts with "flaky:" (a test that fails only sometimes: when it
** passes, it is a plain pass).
*/
#ifndef LVT_SUITE_H
#define LVT_SUITE_H

#include "../util/lvt_base.h"
#include "../vm/lvt_vm.h"
#include "lvt_oracle.h"
#include "lvt_vmset.h"

typedef enum LvtSuiteKind {
  LVT_SUITE_OWN = 0,
  LVT_SUITE_CORPUS,
  LVT_SUITE_OFFICIAL,      /* whole-script suites, given by path: */
  LVT_SUITE_HARNESS,       /*   see harness/lvt_suite_script.h */
  LVT_SUITE_LJTESTS,
  LVT_SUITE__COUNT
} LvtSuiteKind;

/* 1 for the suites that run whole scripts with each VM's interpreter. */
#define LVT_SUITE_IS_SCRIPT(k) ((k) >= LVT_SUITE_OFFICIAL)

/* How the official suite runs (--official-mode). */
typedef enum LvtOfficialMode {
  LVT_OFFICIAL_ALL = 0,    /* all.lua, as upstream intends: one result */
  LVT_OFFICIAL_PER_FILE    /* each file alone in a fresh process */
} LvtOfficialMode;

/* "own", "corpus", "official", "harness", "luajit-tests". */
const char *lvt_suite_kind_name(LvtSuiteKind k);
/* The kind named 's', or -1. */
int lvt_suite_kind_parse(const char *s);

/* The name of the record that stands for a file as a whole. */
#define LVT_SUITE_FILE_TEST "(file)"

/* ---------------------------------------------------------------------
** Results
** --------------------------------------------------------------------- */

typedef enum LvtTestStatus {
  LVT_TS_PASS = 0,
  LVT_TS_FAIL,
  LVT_TS_SKIP,       /* "# skip", or a whole file skipped ("1..0 # SKIP") */
  LVT_TS_TODO,       /* "not ok # TODO": a failure the file expects */
  LVT_TS_TODO_PASS,  /* "ok # TODO": reported, not a failure */
  LVT_TS_XFAIL,      /* failed, and on an expected-failure list */
  LVT_TS_XPASS,      /* passed, but on an expected-failure list: a failure */
  LVT_TS__COUNT
} LvtTestStatus;

/* "pass", "fail", "skip", "todo", "todo-pass", "xfail", "xpass". */
const char *lvt_test_status_name(LvtTestStatus s);
/* 1 for the statuses that fail a run: fail and xpass. */
int lvt_test_status_fails(LvtTestStatus s);

typedef struct LvtSuiteCounts {
  unsigned n[LVT_TS__COUNT];   /* tests by status */
} LvtSuiteCounts;

/* Adds 'b' into 'a'. */
void lvt_suite_counts_add(LvtSuiteCounts *a, const LvtSuiteCounts *b);
/* n[FAIL] + n[XPASS]. */
unsigned lvt_suite_counts_failing(const LvtSuiteCounts *c);

/* One test of one file on one VM. Strings are owned by the report. */
typedef struct LvtSuiteTest {
  char *name;              /* as TAP printed it ('\#' read as '#'), or
                           ** LVT_SUITE_FILE_TEST; NUL-terminated */
  size_t name_len;         /* names may hold NUL bytes */
  int number;              /* TAP test number; 0 for the file record */
  int file_level;          /* the record of the file as a whole */
  int section;             /* index into the report's 'sections', or -1 */
  LvtTestStatus status;
  char *reason;            /* a C string (a NUL ends it). skip: why;
                           ** todo: the TODO's reason; xfail and
                           ** xpass: the expected-failure entry's reason;
                           ** a failing file record: what went wrong (one
                           ** line); corpus fail: how it differs; else "" */
  LvtBuf diag;             /* TAP diagnostics ("  got: ...", "  expected:
                           ** ..." lines), the oracle's explanation, or for
                           ** the file record every problem and the tail
                           ** of the VM's stderr */
} LvtSuiteTest;

typedef enum LvtFileStatus {
  LVT_FS_PASS = 0,         /* no failing test (skips, todos, xfails allowed) */
  LVT_FS_FAIL,             /* a test or the file record fails */
  LVT_FS_SKIP,             /* the file skipped itself entirely */
  LVT_FS__COUNT
} LvtFileStatus;

const char *lvt_file_status_name(LvtFileStatus s);   /* "pass", ... */

/* One file on one VM. A file that could not run (its VM is not usable) or
** that failed as a whole (Lua error, crash, timeout, no plan, wrong plan,
** bail-out) has a file record among its tests, after the tests it printed
** (they still count). */
typedef struct LvtSuiteResult {
  LvtFileStatus status;
  int ran;                 /* 0: not run (see the file record's reason) */
  LvtOutcome outcome;      /* of the run, when 'ran' */
  int planned;             /* own: the TAP plan, -1 when none */
  LvtSuiteTest *tests;
  size_t ntests;
  LvtSuiteCounts counts;
  LvtBuf notes;            /* what was odd but did not fail the file
                           ** (lines that are not TAP...), one per line */
  double wall_ms;
} LvtSuiteResult;

/* One VM of the run: a copy of what the set said, and the roll-ups. */
typedef struct LvtSuiteVm {
  char *name;
  int usable;              /* it ran every file (see 'why' otherwise) */
  char *why;               /* why not usable, or NULL */
  LvtVmInfo info;          /* as probed (zeroes when never probed) */
  LvtSuiteCounts total;
  unsigned files[LVT_FS__COUNT];   /* files by status */
  LvtSuiteCounts *by_section;      /* [nsections + 1]: the last one holds
                                   ** the tests without a section */
  char **lists;            /* the expected-failure lists applied */
  size_t nlists;
  char **unused;           /* entries no test of this VM matched
                           ** ("expect/5.1/003-x.txt:4: §6.4 name"); only
                           ** meaningful when the report is 'complete' */
  size_t nunused;
} LvtSuiteVm;

/* A suite's run. Read it directly; build it only with lvt_suite_run or
** lvt_suite_report_absent; free with lvt_suite_report_free. */
typedef struct LvtSuiteReport {
  char *suite;             /* "own", "corpus", or an absent suite's name */
  char *root;              /* absolute directory of the suite; NULL when absent */
  int absent;              /* not run: 'why' says why ("not given
                           ** (--suite-dir or LVT_SUITES_DIR)") */
  char *why;
  int complete;            /* every file ran: no shard and no filter */
  size_t nfiles;
  char **files;            /* names relative to 'root' ("t/001-basics.t",
                           ** "seeds/arith.lua"), in run order */
  size_t nvms;
  LvtSuiteVm *vms;         /* the set's VMs, in order, usable or not */
  LvtSuiteResult *res;     /* [nfiles * nvms]: see LVT_SUITE_RES */
  size_t nsections;
  char **sections;         /* "§3.4.1" ..., in manual order */
  LvtBuf notes;            /* about the run as a whole, one per line
                           ** ("shard 3/4 holds no file") */
  int ok;                  /* every VM usable and ran every file, no test
                           ** fails or passes unexpectedly. An absent suite
                           ** is ok (it is named, not failed) */
  double wall_ms;
} LvtSuiteReport;

#define LVT_SUITE_RES(r, f, v) (&(r)->res[(f) * (r)->nvms + (v)])

void lvt_suite_report_free(LvtSuiteReport *r);   /* NULL-safe */

/* A report for a suite that could not run: 'name' ("official") and 'why'
** ("not given (--suite-dir or LVT_SUITES_DIR)"). */
LvtSuiteReport *lvt_suite_report_absent(const char *name, const char *why);

/* ---------------------------------------------------------------------
** Running
** --------------------------------------------------------------------- */

/* A progress event, from the VM threads, serialised. 'res' is the judged
** result of 'file' on 'vm' (own), or NULL when it is judged only once
** every VM ran (corpus). */
typedef struct LvtSuiteEvent {
  size_t done, total;      /* runs so far, runs in all */
  const char *file;        /* as in report->files */
  const char *vm;
  const LvtRun *run;
  const LvtSuiteResult *res;
} LvtSuiteEvent;

typedef void (*LvtSuiteProgress)(void *ud, const LvtSuiteEvent *ev);

typedef struct LvtSuiteOpts {
  LvtSuiteKind kind;
  const char *root;          /* own: the lua-harness directory; corpus: the
                             ** corpus directory (see lvt_suite_find_root) */
  LvtLimits lim;             /* per program */
  int heavy;                 /* LVT_HEAVY = true (slow tests run) */
  unsigned shard_index;      /* 1-based; with 'shard_count' = 0: no shard */
  unsigned shard_count;      /* files i (0-based, name order) with
                             ** i % count == index - 1 */
  int shuffle;               /* run the files in an order drawn from 'seed'
                             ** (the same seed, the same order) */
  unsigned long long seed;
  int filter;                /* run only the files named in 'only' */
  const char *const *only;   /* names as in report->files or their base
                             ** names ("001-basics.t"); borrowed */
  size_t nonly;
  const char *const *expect; /* more expected-failure lists (--expect
                             ** [VM=]FILE): "FILE" applies to every VM,
                             ** "VM=FILE" to that VM only; borrowed */
  size_t nexpect;
  const LvtOracleOpts *oracle;   /* corpus; NULL: by dialect, default
                                 ** normalisation */
  LvtSuiteProgress progress;     /* may be NULL */
  void *ud;
  /* Whole-script suites (official, harness, luajit-tests) only: */
  const char *self_exe;      /* this lvtest: 'ref' runs as its 'lua' */
  const char *lists_root;    /* the lua-harness directory, whose
                             ** expect/<suite>/ holds the shipped lists;
                             ** NULL: none */
  unsigned jobs;             /* runs at once; 0 = the online CPUs */
  unsigned timeout_ms;       /* per run; 0 = the suite's default */
  const char *tmp_dir;       /* private copies go under it; NULL: $TMPDIR */
  LvtOfficialMode official_mode;
  int soft_assert;           /* official per-file: per-assertion results */
  const char *globals;       /* official: control globals set to true
                             ** ("_port,_soft"); NULL: the default */
  const char *profile;       /* harness: the profile module for every VM
                             ** ("profile_lua54"); NULL: by dialect */
  int keep;                  /* keep each run's directory (debugging) */
} LvtSuiteOpts;

/* Defaults: own, no root, lvt_limits_default, no shard, no shuffle, no
** filter, no extra list, no progress. */
void lvt_suite_opts_init(LvtSuiteOpts *o);

/* Runs the suite of 'o' on every usable VM of 'set' (VMs that are not
** usable get a failing file record per file, naming why) and returns the
** report in '*out' (free with lvt_suite_report_free). Order: the files are
** listed, sharded, filtered, then shuffled.
** Returns LVT_OK (failures of VMs and tests are in the report), or
**   LVT_ERR_IO     the suite's directory is missing or has no file to run
**                  ("lua-harness/t: no *.t file: a suite without tests is
**                  a failure"), a file cannot be read;
**   LVT_ERR_USAGE  a bad option (shard 5/4), a bad expected-failure list
**                  ("expect/5.1/003-x.txt:4: expected '<test
**                  name><TAB><reason>'"), a normalisation rule failed.
** '*out' is NULL on error. The VMs of 'set' are used, not closed; a VM that
** becomes unusable midway is marked failed in 'set' (see lvt_exec.h). */
int lvt_suite_run(LvtVmSet *set, const LvtSuiteOpts *o, LvtSuiteReport **out /* OUT */,
                  LvtErr *e);

/* ---------------------------------------------------------------------
** Helpers for the command line
** --------------------------------------------------------------------- */

/* Parses "I/N" (1 <= I <= N) for --shard. LVT_OK or LVT_ERR_USAGE. */
int lvt_suite_parse_shard(const char *s, unsigned *index, unsigned *count, LvtErr *e);

/* Checks an expected-failure list (for --expect [VM=]FILE, before VMs
** start). LVT_OK, LVT_ERR_IO, or LVT_ERR_USAGE naming the file and line. */
int lvt_suite_check_list(const char *arg, LvtErr *e);

/* Splits "--expect VM=FILE": the VM's name into 'vm' ("" when the list is
** for every VM: no '=', or a '/' before it); returns the path. */
const char *lvt_suite_list_vm(const char *arg, char *vm, size_t size);

/* Finds the directory of suite 'k' ("lua-harness", "corpus"): under
** $LVT_SOURCE_DIR when set, then the current directory, then the
** directory of 'self_exe' (may be NULL) and up to four of its parents.
** Returns a malloc'd absolute path, or NULL when none has it. */
char *lvt_suite_find_root(LvtSuiteKind k, const char *self_exe);

#endif
