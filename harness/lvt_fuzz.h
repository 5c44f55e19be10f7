/*
** lvt_fuzz.h -- lvtest's own fuzzing loop ('lvtest fuzz'): programs from a
** source (the generator, fuzz/lvt_gen.h, or files), run on every VM that
** implements the program's profile, compared with the oracle
** (harness/lvt_oracle.h), plus metamorphic comparison per VM (variants
** from fuzz/lvt_meta.h must give each VM's own original result).
**
** Before anything is recorded it is confirmed: run again to label it
** deterministic or flaky, and (divergences and metamorphic findings) the
** program is run on an in-process reference (vm/lvt_ref.h) under other
** hash seeds and GC modes; a program whose reference result changes is
** unspecified-behaviour noise: dropped and counted, never recorded.
** Findings go to the store (harness/lvt_finding.h) the moment they are
** confirmed.
**
** Campaign directory (--out DIR): findings/ (see lvt_finding.h) and
** state.json, replaced atomically about every second and at the end: the
** options that define the campaign (seed, profiles, VMs, metamorphic K),
** the next program index and the counters, which cover exactly the
** programs below that index (results are committed in program order), so
** a resumed campaign (after kill -9 too) redoes at most the programs of
** the last second, and the store keeps a redone program from being
** recorded twice.
**
** Threads: 'jobs' workers, each with its own instance of every VM (proc
** VMs are persistent children pinned with their worker to one CPU) and its
** own in-process reference for the noise check; the calling thread
** coordinates (state, status, time limit). Never prints: events go to the
** callbacks.
*/
#ifndef LVT_FUZZ_H
#define LVT_FUZZ_H

#include <signal.h>
#include <stdint.h>

#include "../fuzz/lvt_gen.h"
#include "../util/lvt_base.h"
#include "../vm/lvt_vm.h"
#include "lvt_finding.h"
#include "lvt_vmset.h"

/* ---------------------------------------------------------------------
** Where programs come from (the seam to fuzz/: tests and replay plug in
** here too). Every function must be thread-safe and deterministic.
** --------------------------------------------------------------------- */
typedef struct LvtFuzzSource {
  /* Writes program number 'index' (generator seed 'seed', profile
  ** 'profile') into 'out' (cleared first). LVT_OK, or an error: the
  ** program is skipped and counted ('gen_errors'). */
  int (*program)(void *ud, uint64_t index, uint64_t seed, LvtProfile profile,
                 LvtBuf *out, LvtErr *e);
  /* Writes metamorphic variant 'k' (1..K) of 'src' into 'out', and what
  ** was rewritten into 'applied' (may be left empty). NULL: no metamorphic
  ** checks. An error skips the variant and is counted ('variant_errors'). */
  int (*variant)(void *ud, const char *src, size_t len, LvtProfile profile,
                 uint64_t seed, unsigned k, LvtBuf *out, LvtBuf *applied, LvtErr *e);
  /* 1 when a VM with 'info' can run program 'src' of 'profile' (it
  ** implements the profile and has what the program uses:
  ** lvt_gen_runs_on). */
  int (*runs_on)(void *ud, LvtProfile profile, const char *src, size_t len,
                 const LvtVmInfo *info);
  /* The split form of 'src' (lvt_gen_split): 1, its prelude (valid for the
  ** campaign) and its body into 'body'; 0 when it has none. NULL: programs
  ** always run whole. A program's first run, and each variant's, on a VM
  ** with LVT_CAP_PRELUDE uses it (the VM keeps the prelude compiled);
  ** every confirming re-run, the noise check and the recorded program use
  ** the whole program, so a finding reproduces as it was recorded. */
  int (*split)(void *ud, const char *src, size_t len, const char **prelude,
               size_t *prelude_len, LvtBuf *body);
  void *ud;
} LvtFuzzSource;

/* ---------------------------------------------------------------------
** Configuration
** --------------------------------------------------------------------- */
struct LvtFuzzStats;
struct LvtFuzzFinding;

typedef struct LvtFuzzConfig {
  const char *const *vms;   /* VM specs as given to --vm (borrowed) */
  size_t nvms;
  const char *self_exe;     /* the lvtest binary ('ref' and repro.sh) */
  LvtProfile profiles[LVT_PROFILE__COUNT];  /* program i has profile
                            ** profiles[i % nprofiles] */
  size_t nprofiles;
  uint64_t seed;            /* campaign seed S */
  uint64_t runs;            /* stop when programs 0..runs-1 are done; 0 =
                            ** no limit (the campaign total, not this
                            ** invocation's) */
  unsigned time_ms;         /* stop after this long; 0 = no limit */
  unsigned jobs;            /* workers; 0 = online CPUs */
  unsigned metamorphic;     /* K variants per program and VM */
  size_t gen_size;          /* the generator's size target (0 = its
                            ** default); part of the campaign */
  const char *out_dir;      /* campaign directory (required) */
  LvtLimits lim;            /* per run */
  const char *norm_rules;   /* extra normalisation rules file, or NULL */
  int selftest;             /* start-up self-tests of every VM */
  unsigned selftest_timeout_ms;
  int pin;                  /* pin each worker and its VMs to one CPU */
  unsigned keep;            /* examples kept per signature (0 = 3) */
  unsigned status_ms;       /* period of on_status (0 = 1000) */
  int noise_check;          /* re-run the reference under other hash seeds
                            ** and GC modes (default on) */
  const char *replay_name;  /* the source's description for state.json and
                            ** repro.sh ("generator" when NULL) */
  LvtFuzzSource source;
  volatile sig_atomic_t *stop;  /* set (by a signal handler) to stop */
  /* Events; any may be NULL. on_status comes from the coordinating thread
  ** (the calling one) every 'status_ms'; on_finding and on_vm from any
  ** thread, serialised by a lock (never at the same time as each other). */
  void (*on_status)(void *ud, const struct LvtFuzzStats *st);
  void (*on_finding)(void *ud, const struct LvtFuzzFinding *f);
  void (*on_vm)(void *ud, const char *vm, const char *event);  /* broken,
                            ** failed at start-up */
  void *ud;
} LvtFuzzConfig;

/* Defaults: every profile, seed 0, no limits, K = 2, 2 s per program,
** deterministic runs, no binary chunks, self-tests and pinning on. */
void lvt_fuzz_config_init(LvtFuzzConfig *c);

/* ---------------------------------------------------------------------
** Counters and events
** --------------------------------------------------------------------- */
#define LVT_FUZZ_MAXVM 32

typedef struct LvtFuzzVmStats {
  char name[64];
  uint64_t outcomes[LVT_RUN__COUNT];   /* runs of originals and variants */
  int broken;                          /* could not be restarted */
  int failed;                          /* failed at start-up */
} LvtFuzzVmStats;

typedef struct LvtFuzzStats {
  uint64_t next;            /* programs 0..next-1 are done */
  uint64_t done_now;        /* programs done by this invocation */
  uint64_t divergences, crashes, metamorphic;  /* confirmed occurrences */
  uint64_t flaky;           /* of those, labelled flaky */
  uint64_t dropped_noise;   /* dropped: the reference's result changed */
  uint64_t not_compared;    /* programs fewer than 2 VMs ran (no oracle;
                            ** metamorphic checks still ran) */
  uint64_t gen_errors, variant_errors, variants;
  size_t unique;            /* distinct signatures in the store */
  double elapsed_ms;        /* this invocation */
  double rate;              /* programs/s of this invocation */
  size_t nvm;
  LvtFuzzVmStats vm[LVT_FUZZ_MAXVM];
} LvtFuzzStats;

typedef struct LvtFuzzFinding {
  LvtFindingKind kind;
  const char *signature;
  const char *label;        /* "deterministic" / "flaky" */
  uint64_t index, seed;
  LvtProfile profile;
  LvtRecorded recorded;
  const char *dir;          /* the example directory, or NULL */
} LvtFuzzFinding;

/* ---------------------------------------------------------------------
** Running a campaign
** --------------------------------------------------------------------- */

/* Runs (or resumes) the campaign in 'c->out_dir' until the run or time
** limit, '*c->stop', or forever. Checks the directory first (writable,
** space for data: fails fast), reads state.json when there is one
** (options given explicitly must match it: LVT_ERR_USAGE naming the
** option; see lvt_fuzz_resume_options), starts the VMs (a VM that fails
** is reported through on_vm and left out; none usable: LVT_ERR_VM). 'st'
** (may be NULL) receives the final counters. Returns LVT_OK when the
** campaign ran (findings are in the store and 'st'), else LVT_ERR_*. */
int lvt_fuzz_run(const LvtFuzzConfig *c, LvtFuzzStats *st, LvtErr *e);

/* Which options the user gave explicitly (so a resume can tell a mismatch
** from a default), as bits. */
enum {
  LVT_FUZZ_GIVEN_SEED = 1 << 0,
  LVT_FUZZ_GIVEN_PROFILES = 1 << 1,
  LVT_FUZZ_GIVEN_VMS = 1 << 2,
  LVT_FUZZ_GIVEN_META = 1 << 3,
  LVT_FUZZ_GIVEN_SIZE = 1 << 4
};

/* When 'out_dir' holds a campaign (state.json), fills the options of 'c'
** that 'given' does not mark from it, and checks that the given ones are
** the same. '*resumed' says whether there was a state. 'c->vms' may be
** replaced by the state's list (owned by 'c' then: '*vm_store' receives
** what to free with lvt_strv_free). Returns LVT_OK, LVT_ERR_USAGE
** ("--seed 7 does not match the campaign in DIR (seed 0x...)...") or
** LVT_ERR_IO (state.json unreadable). */
int lvt_fuzz_resume_options(LvtFuzzConfig *c, unsigned given, int *resumed,
                            char ***vm_store, LvtErr *e);

/* Seed of program 'index' of campaign 'seed' (splitmix64 of both). */
uint64_t lvt_fuzz_program_seed(uint64_t seed, uint64_t index);

/* Parses a seed: decimal or 0x-hex, 64 bits. 0 on success. */
int lvt_fuzz_parse_seed(const char *s, uint64_t *seed);

/* Appends the profiles of a comma-separated list ("portable,5.4") to
** 'out' (room for LVT_PROFILE__COUNT; '*n' profiles already there; a
** profile already in the list is not added again). 0 on success, -1 when a
** name is not a profile. Same names as lvt_profile_name. */
int lvt_fuzz_parse_profiles(const char *s, LvtProfile *out, size_t *n);
/* "portable", "5.3", "5.4" (the names of fuzz/lvt_gen.h). */
const char *lvt_fuzz_profile_name(LvtProfile p);

#endif
