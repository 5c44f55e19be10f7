/*
** lvt_suite_script.h -- the suites that run whole scripts with each VM's
** own interpreter, from a directory the user gives (never vendored):
**
**   official      the official PUC-Rio Lua test suite (all.lua ...):
**                 harness/lvt_suite_official.c
**   harness       lua-Harness (test_lua/ *.t files, TAP): lvt_suite_harness.c
**   luajit-tests  LuaJIT-tests (test.lua): lvt_suite_ljt.c
**
** The engine (lvt_suite_script.c) gives every run (one file of the suite
** on one VM) a private copy of the suite's directory, runs the command the
** suite's kind builds with lvt_spawn (own process group, empty stdin pipe,
** output to files, limits, wall clock), up to --jobs runs at once, and has
** the kind judge what came out into the report. A VM that cannot run
** scripts (it speaks only LVX) or that the suite is not for (the 5.1
** suite on Lua 5.4) gets a skipped file record that says why.
*/
#ifndef LVT_SUITE_SCRIPT_H
#define LVT_SUITE_SCRIPT_H

#include "lvt_suite_int.h"

/* One VM, as the scripts see it. */
typedef struct LvtScriptVm {
  const char *name;
  const LvtVmInfo *info;
  char **cmd;            /* interpreter and its options, argv[0] an
                         ** absolute path; NULL-terminated, owned */
  char **env;            /* the VM spec's extra NAME=VALUE (borrowed) */
  int asan;              /* a sanitizer build: no address-space cap */
  char *skip;            /* why it does not run this suite, or NULL */
} LvtScriptVm;

/* The command of one run, built by the kind. Owned strings. */
typedef struct LvtScriptCmd {
  char **argv;           /* NULL-terminated */
  size_t argc;
  char **env;            /* extra NAME=VALUE for this suite; NULL-term. */
  size_t nenv;
  size_t stack_soft;     /* soft stack limit in bytes; 0 = inherit */
} LvtScriptCmd;

void lvt_script_cmd_add(LvtScriptCmd *c, const char *arg);
void lvt_script_cmd_env(LvtScriptCmd *c, const char *name, const char *value);

/* One run's raw result, handed to the kind's judge. */
typedef struct LvtScriptCell {
  LvtCell cell;          /* run.out / run.errout: the output files;
                         ** run.outcome: OK (exit 0), ERROR (exit N: its
                         ** err_type says "exit N", err_value the error
                         ** line of stderr), CRASH (signal), TIMEOUT */
  const char *copy;      /* the private copy (exists while judged) */
  const char *dir;       /* the run's directory (holds 'copy') */
} LvtScriptCell;

typedef struct LvtScriptSuite LvtScriptSuite;

/* What a kind of suite provides. */
typedef struct LvtScriptKind {
  LvtSuiteKind kind;
  unsigned timeout_ms;   /* default wall clock per run */
  /* Checks that 'root' is this suite ("PATH: not lua-Harness: no
  ** test_lua/ with .t files" as LVT_ERR_USAGE otherwise); sets s->src (the directory
  ** copied for each run), s->files (the files to report, in run order)
  ** and s->data. */
  int (*open)(LvtScriptSuite *s, LvtErr *e);
  void (*close)(LvtScriptSuite *s);
  /* Why VM 'vm' does not run this suite (written into 'buf'), or NULL. */
  const char *(*skip)(LvtScriptSuite *s, const LvtScriptVm *vm, char *buf, size_t size);
  /* Builds the command that runs 'file' on 'vm' in 'copy' (the kind may
  ** write files there). LVT_OK or LVT_ERR_IO. */
  int (*prepare)(LvtScriptSuite *s, const LvtScriptVm *vm, const char *file,
                 const char *copy, LvtScriptCmd *cmd, LvtErr *e);
  /* Judges cell 'c' (file 'f' on VM 'v') into the report. Serialised. */
  void (*judge)(LvtSuiteRun *ru, size_t f, size_t v, LvtScriptCell *c);
} LvtScriptKind;

struct LvtScriptSuite {
  const LvtSuiteOpts *o;
  const LvtScriptKind *kind;
  const char *root;      /* the suite's directory (absolute) */
  char *src;             /* the directory each run copies (owned) */
  char **files;          /* owned */
  size_t nfiles;
  void *data;            /* the kind's */
  LvtBuf notes;          /* about the suite, for the report */
};

extern const LvtScriptKind lvt_script_official, lvt_script_harness, lvt_script_ljt;

/* The kind of 'k', or NULL when it is not a script suite. */
const LvtScriptKind *lvt_script_kind(LvtSuiteKind k);

/* Opens the suite at 'root' for 'o' (see LvtScriptKind.open) into 's'
** (caller's; lvt_script_close frees it). */
int lvt_script_open(LvtScriptSuite *s, const LvtSuiteOpts *o, const char *root, LvtErr *e);
void lvt_script_close(LvtScriptSuite *s);

/* Loads the shipped lists of VM 'v': <lists_root>/expect/<suite>/
** <dialect>.txt and <vm name>.txt, when they exist. */
int lvt_script_load_lists(LvtSuiteRun *ru, size_t v, LvtErr *e);

/* Runs and judges every chosen file on every VM (ru->r->files). */
int lvt_script_run(LvtSuiteRun *ru, LvtScriptSuite *s, LvtErr *e);

/* Helpers for the kinds. */

/* The message of a Lua error in an interpreter's stderr: the line before
** the last "stack traceback:" (or the last line that is not noise), into
** 'out' (cleared first). 0 when there is none. */
int lvt_script_error_line(const char *err, size_t len, LvtBuf *out);

/* Judges 'c' as a TAP stream (lua-Harness; the own suite's rules). */
void lvt_script_judge_tap(LvtSuiteRun *ru, size_t f, size_t v, LvtScriptCell *c);

/* 1 when the file 'dir/name' exists. */
int lvt_script_has(const char *dir, const char *name);

#endif
