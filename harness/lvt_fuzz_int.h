/*
** lvt_fuzz_int.h -- what the files of the fuzz loop share (lvt_fuzz.c:
** workers and coordination; lvt_fuzz_check.c: one program's runs, checks
** and confirmation; lvt_fuzz_state.c: state.json; lvt_fuzz_files.c: the
** files of a finding). Not a public interface.
*/
#ifndef LVT_FUZZ_INT_H
#define LVT_FUZZ_INT_H

#include <pthread.h>

#include "../vm/lvt_ref.h"
#include "lvt_fuzz.h"
#include "lvt_norm.h"
#include "lvt_oracle.h"

#define LVT_FUZZ_STATE_SCHEMA "lvtest-fuzz-state"
#define LVT_FUZZ_STATE_VERSION 1

/* state.json <-> counters. 'names' are the campaign's VM specs. */
int lvt_fuzz_state_save(const LvtFuzzConfig *c, const LvtFuzzStats *st,
                        const LvtStore *store, LvtErr *e);
/* Reads DIR/state.json into 'st' (counters, next) when present; '*found'
** says whether it was. LVT_OK, LVT_ERR_IO or LVT_ERR_USAGE (not ours). */
int lvt_fuzz_state_load(const char *dir, LvtFuzzStats *st, int *found, LvtErr *e);

/* One finding being written: everything borrowed. */
typedef struct LvtFuzzEvidence {
  const LvtFuzzConfig *c;
  LvtFindingKind kind;
  const char *signature;
  const char *label;
  uint64_t index, seed;
  LvtProfile profile;
  const char *src;            /* the program */
  size_t len;
  const char *variant;        /* metamorphic: the variant, else NULL */
  size_t vlen;
  const char *applied;        /* metamorphic: what the variant rewrote */
  unsigned k;                 /* metamorphic: variant number */
  int n;                      /* results */
  const char *const *vm;      /* [n] VM names */
  const char *const *spec;    /* [n] VM specs (for repro.sh) */
  const LvtRun *const *run;   /* [n] results (of the variant for the
                              ** second entry of a metamorphic finding) */
  const char *const *run_file;  /* [n] file names of the results */
  const char *explain;        /* the oracle's explanation, or NULL */
  const char *noise;          /* what the noise check did */
} LvtFuzzEvidence;

/* LvtFillFinding for lvt_store_record: 'ud' is an LvtFuzzEvidence. */
void lvt_fuzz_fill(void *ud, LvtFindingDir *d);

/* 'sh' single-quoted for a shell, appended to 'out'. */
void lvt_shell_quote(const char *sh, LvtBuf *out);

/* ---------------------------------------------------------------------
** The loop's shared state (lvt_fuzz.c) and a worker's (lvt_fuzz_check.c
** runs and checks one program with it)
** --------------------------------------------------------------------- */
#define LVT_FUZZ_CHUNK "program.lua"  /* chunk name of every program: the
                                      ** name its finding directory gives
                                      ** it, so repro.sh sees the same
                                      ** messages */

/* Counters of one program, committed in program order. */
/* Programs a worker takes at once: each VM runs them in one pipelined
** batch (lvt_vm_run_batch), which keeps it and its caches on the CPU
** instead of switching VMs after every program. */
#define LVT_FUZZ_BATCH 64

typedef struct Delta {
  uint64_t index;
  uint64_t divergences, crashes, metamorphic, flaky, dropped_noise, not_compared;
  uint64_t gen_errors, variant_errors, variants;
  uint64_t outcomes[LVT_FUZZ_MAXVM][LVT_RUN__COUNT];
} Delta;

typedef struct Worker Worker;

typedef struct Fuzz {
  const LvtFuzzConfig *c;
  LvtStore *store;
  LvtNorm *norm;
  LvtOracleOpts oo;
  pthread_mutex_t lock;       /* everything below */
  pthread_cond_t cond;
  pthread_mutex_t ev_lock;    /* serialises event callbacks from workers */
  uint64_t handout;           /* next index to give a worker */
  uint64_t limit;             /* first index not to run */
  int stopping;
  int fatal;                  /* a worker hit a harness error */
  LvtErr fatal_err;
  Delta **pend;               /* done, waiting for lower indices */
  size_t npend;
  LvtFuzzStats st;            /* committed */
  uint64_t start_next;
  int ready, go, running;     /* start-up barrier; workers still running */
  size_t nvm;
} Fuzz;

struct Worker {
  Fuzz *f;
  int id;
  int cpu;                    /* CPU + 1, 0 = not pinned */
  pthread_t thread;
  LvtVmSet set;
  char **spec;                /* [set.n] spec text of each slot (owned) */
  int setup_rc;
  LvtErr setup_err;
  LvtRef *ref;                /* in-process reference for the noise check */
  LvtRun *run;                /* [LVT_FUZZ_BATCH * nvm] first runs, program
                              ** i of the batch on VM s at [s * BATCH + i] */
  LvtRun *vruns;              /* [LVT_FUZZ_BATCH * nvm] a round of
                              ** metamorphic variants, laid out as 'run' */
  LvtRun rerun, rerun2, base, nrun;
  LvtBuf sig, sig2, t1, t2, shape, explain, noise;
  LvtBuf bsrc[LVT_FUZZ_BATCH], bbody[LVT_FUZZ_BATCH];   /* the batch's
                              ** programs and their split forms */
  LvtBuf var[LVT_FUZZ_BATCH], vbody[LVT_FUZZ_BATCH];    /* a round's
                              ** variants and their split forms */
  LvtBuf applied[LVT_FUZZ_BATCH];   /* what each variant rewrote */
};

/* Runs, judges, confirms and records programs first .. first + n - 1
** (n <= LVT_FUZZ_BATCH) on worker 'w'; the counters of program first + i
** go to d[i] (lvt_fuzz_check.c). */
void lvt_fuzz_do_batch(Worker *w, uint64_t first, size_t n, Delta *const *d);

/* Stops the campaign with harness error 'e' (the first one is kept). */
void lvt_fuzz_fatal(Fuzz *f, const LvtErr *e);
/* Tells the on_vm listener (serialised). */
void lvt_fuzz_emit_vm(Fuzz *f, const char *vm, const char *what);

#endif
