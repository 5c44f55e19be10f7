/*
** lvt_oracle.h -- who agrees with whom: comparison of the run results of
** one program on several VMs, equivalence classes, majority vote, and a
** short explanation for the terminal.
**
** Pure: no I/O. What is compared (after normalisation, see lvt_norm.h):
**   - the outcome: ok, error, exit, timeout, memory, crash must be equal
**     (so a crash, a timeout or running out of memory never agrees with ok);
**   - ok, error, exit: the captured output (and whether it was truncated);
**   - error: the Lua type of the error value; with 'strict_errors' also the
**     error value itself (normalised), else the message text is ignored;
**   - exit: the exit code;
**   - timeout, memory, crash: nothing more (how much output a VM produced
**     before it died depends on speed and buffering).
** Not compared: stderr, 'detail', time, memory, signals. 'unsupported'
** results are excluded: reported, never counted.
*/
#ifndef LVT_ORACLE_H
#define LVT_ORACLE_H

#include "../util/lvt_base.h"
#include "../vm/lvt_vm.h"
#include "lvt_norm.h"

typedef struct LvtOracleOpts {
  int strict_errors;      /* compare error values exactly, not by type */
  int by_dialect;         /* compare only within dialect groups: 5.1 with
                          ** luajit; 5.2; 5.3; 5.4; unknown */
  const LvtNorm *norm;    /* borrowed; NULL = compare the raw bytes */
} LvtOracleOpts;

/* Compares two results of the program 'chunkname' (used by the chunk-name
** rule; may be NULL). Sets '*same' to 1 or 0; when they differ and 'why'
** is not NULL, appends one explanation of the first difference to it
** (sides named "a" and "b"). A result that is 'unsupported' is never the
** same as anything. Returns LVT_OK, or the normaliser's error (a user rule
** failed) with 'e' set. */
int lvt_oracle_same(const LvtRun *a, const LvtRun *b, const char *chunkname,
                    const LvtOracleOpts *o, int *same /* OUT */, LvtBuf *why,
                    LvtErr *e);

/* The same, with the sides named 'an' and 'bn' in the explanation. */
int lvt_oracle_same_named(const LvtRun *a, const char *an, const LvtRun *b,
                          const char *bn, const char *chunkname,
                          const LvtOracleOpts *o, int *same /* OUT */,
                          LvtBuf *why, LvtErr *e);

/* ---------------------------------------------------------------------
** Verdicts over N results
** --------------------------------------------------------------------- */

/* One result to judge; everything borrowed for the duration of the call. */
typedef struct LvtOracleEntry {
  const char *vm;           /* VM name, for explanations (copied) */
  const LvtVmInfo *info;    /* dialect; NULL = unknown */
  const LvtRun *run;
} LvtOracleEntry;

/* The class of an excluded (unsupported) result. */
#define LVT_CLASS_NONE (-1)

typedef struct LvtVerdictClass {
  int group;           /* index into 'groups' */
  int size;            /* results in it */
  int first;           /* its first result (an entry index): the one shown */
  LvtOutcome outcome;
  char label[32];      /* "ok", "error (string)", "exit 3", "crash" ... */
  int ref;             /* the class it was explained against, or -1 for
                       ** the reference class of its group */
  LvtBuf why;          /* how 'first' differs from the first result of
                       ** 'ref' (lines without indentation); empty for the
                       ** reference class */
} LvtVerdictClass;

typedef struct LvtVerdictGroup {
  char name[16];       /* "all" without 'by_dialect'; else "5.1/luajit",
                       ** "5.2", "5.3", "5.4" or "unknown" */
  int size;            /* compared results in it */
  int nclasses;
  int majority;        /* class with more than half of 'size', or -1 */
} LvtVerdictGroup;

/* Lifetime: lvt_verdict_init / lvt_verdict_reset (a caller's struct).
** Classes and groups are numbered by first appearance in entry order. */
typedef struct LvtVerdict {
  int n;                     /* results judged */
  char **vm;                 /* [n] VM names (owned) */
  int *cls;                  /* [n] class of each result, or LVT_CLASS_NONE */
  int nclasses;
  LvtVerdictClass *classes;  /* [nclasses] */
  int ngroups;
  LvtVerdictGroup *groups;   /* [ngroups] */
  int compared;              /* results compared (n minus excluded) */
  int excluded;              /* 'unsupported' results: reported only */
  int majority;              /* with one group: its majority class; else -1 */
  int agree;                 /* no group holds two classes. Also 1 when
                             ** nothing was compared: see 'compared' */
  int dialect_split;         /* without 'by_dialect': more than one class,
                             ** every dialect known, and no two VMs of one
                             ** dialect group disagree ("likely a dialect
                             ** difference, not a bug") */
  int strict_errors;         /* the options the verdict was made with */
  int by_dialect;
} LvtVerdict;

void lvt_verdict_init(LvtVerdict *v);
void lvt_verdict_reset(LvtVerdict *v);   /* frees; back to init state */
/* Makes 'dst' (initialised; its old content is freed) a deep copy of
** 'src'. */
void lvt_verdict_copy(LvtVerdict *dst, const LvtVerdict *src);

/* Partitions the 'n' results in 'ent' into classes of equal results (see
** the top of this file), within dialect groups when 'o->by_dialect', and
** fills 'v' (initialised by the caller; its previous content is freed).
** Returns LVT_OK, or the normaliser's error with 'e' set ('v' then holds
** an empty verdict). */
int lvt_oracle_compare(const LvtOracleEntry *ent, int n, const char *chunkname,
                       const LvtOracleOpts *o, LvtVerdict *v, LvtErr *e);

/* 1 when result 'i' is an odd one out: its group has a majority and 'i'
** is not in it. */
int lvt_verdict_is_odd(const LvtVerdict *v, int i);

/* Appends a short explanation for the terminal to 'out': per group, the
** classes with their VMs and outcome, the odd ones out, and for each
** class but the reference one the first difference (the output line with
** its number, both sides, non-printable bytes escaped; or the outcome or
** error difference). Ends with a newline. */
void lvt_verdict_explain(const LvtVerdict *v, LvtBuf *out);

/* The group name of dialect 'd' when comparing by dialect. */
const char *lvt_oracle_group_name(LvtDialect d);

#endif
