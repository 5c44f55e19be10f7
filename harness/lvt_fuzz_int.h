/*
** lvt_fuzz_int.h -- what the files of the fuzz loop share (lvt_fuzz.c:
** workers and coordination; lvt_fuzz_state.c: state.json; lvt_fuzz_files.c:
** the files of a finding). Not a public interface.
*/
#ifndef LVT_FUZZ_INT_H
#define LVT_FUZZ_INT_H

#include "lvt_fuzz.h"

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

#endif
