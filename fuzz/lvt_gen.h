/*
** lvt_gen.h -- the Lua program generator: Csmith-style, deterministic from a
** seed or from a byte string (so libFuzzer and AFL++ mutate its decisions).
**
** Every generated program is valid and terminating by construction (loops
** and recursion bounded by counters, strings and tables bounded), free of
** unspecified behaviour by construction (no pairs/next order, '#' only on
** sequences, no addresses, error messages compared by kind), and prints
** running checksums of its live variables at checkpoints, so the first
** differing output line shows where a divergence starts.
**
** A program starts with one header line recording how it was made:
**   -- lvtest-gen 1 profile=5.4 seed=0x1234abcd features=0x0 enabled=0x1f3a7 size=3072
** 'features' is what the options asked for (0 = swarm) and 'enabled' the
** groups the program actually uses; 'size' is the options' max_bytes, so
** (profile, seed, features, size) regenerate the same bytes
** (lvt_gen_header_parse reads it back: corpus replay, resume, triage).
** Programs made from bytes say "seed=bytes:0x<FNV-1a of the bytes>".
**
** Output: every line a program prints is "cp <n> <h>": checkpoint n and a
** hash (mod 16777213) of the values it observed, computed in the program
** by the prelude's helpers so that it is the same on every dialect of the
** profile. Errors are observed by kind (string message / table code /
** other value), never by message text.
*/
#ifndef LVT_GEN_H
#define LVT_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "../util/lvt_base.h"
#include "../vm/lvt_vm.h"

/* ---------------------------------------------------------------------
** Dialect profiles
** --------------------------------------------------------------------- */
typedef enum LvtProfile {
  LVT_PROFILE_PORTABLE = 0,  /* same result on 5.1, 5.2, 5.3, 5.4, LuaJIT
                             ** (and the peers of those dialects): numbers
                             ** printed through a normalising helper, no
                             ** integer/float distinction relied on */
  LVT_PROFILE_53,            /* 5.3 and 5.4: integer semantics, bitwise
                             ** operators, utf8, string.pack */
  LVT_PROFILE_54,            /* 5.4 only: <const>, <close>, coroutine.close,
                             ** warn-free 5.4 library behaviour */
  LVT_PROFILE__COUNT
} LvtProfile;

const char *lvt_profile_name(LvtProfile p);   /* "portable", "5.3", "5.4" */
int lvt_profile_parse(const char *s);         /* -1 when unknown */

/* 1 when a VM with 'info' implements profile 'p' (its dialect and the
** capabilities the profile needs), else 0 with the reason in 'why' (may
** be NULL). portable: every dialect. 5.3: 5.3 and 5.4 (fengari, a 5.3 VM
** with 32-bit integers, is included: its integer width is a divergence
** to report, not a reason to look away). 5.4: 5.4 only. */
int lvt_profile_runs_on(LvtProfile p, const LvtVmInfo *info, LvtBuf *why);

/* The feature groups (LVT_GEN_F_*) a program of profile 'p' may enable:
** portable has no //, bitwise operators, utf8, goto, <close>, pack, nor
** finalizers (5.1 has no __gc on tables); 5.3 has all but <close>. */
unsigned lvt_gen_profile_features(LvtProfile p);

/* The name of one feature bit ("arith", "meta", ...), NULL if unknown. */
const char *lvt_gen_feature_name(unsigned bit);

/* 1 when the VM with 'info' can run the generated program 'src': it
** implements profile 'p' and has what the program's enabled feature
** groups (the header's "enabled=") need: LVT_GEN_F_GC needs LVT_CAP_GC
** (fengari's collectgarbage raises). Else 0 with the reason in 'why' (may
** be NULL). A program without a header is judged by its profile alone. */
int lvt_gen_runs_on(const char *src, size_t len, LvtProfile p, const LvtVmInfo *info,
                    LvtBuf *why);

/* ---------------------------------------------------------------------
** Generation
** --------------------------------------------------------------------- */

/* Feature groups, for swarm testing: each program enables a random subset
** (LVT_GEN_F_ALL minus the ones its profile cannot have). */
enum {
  LVT_GEN_F_ARITH     = 1u << 0,   /* + - * / % ^ unary minus, corner values */
  LVT_GEN_F_INTDIV    = 1u << 1,   /* // and % incl. by zero (caught) */
  LVT_GEN_F_BITOPS    = 1u << 2,   /* & | ~ << >> (5.3+) */
  LVT_GEN_F_COMPARE   = 1u << 3,   /* comparisons across types, pcall'd */
  LVT_GEN_F_CONCAT    = 1u << 4,
  LVT_GEN_F_STRING    = 1u << 5,   /* string.* incl. patterns, format */
  LVT_GEN_F_TABLE     = 1u << 6,   /* table.* */
  LVT_GEN_F_MATH      = 1u << 7,   /* math.* */
  LVT_GEN_F_UTF8      = 1u << 8,   /* utf8.* (5.3+) */
  LVT_GEN_F_META      = 1u << 9,   /* metatables, every metamethod */
  LVT_GEN_F_CLOSURE   = 1u << 10,  /* closures, shared upvalues */
  LVT_GEN_F_VARARG    = 1u << 11,  /* varargs, select, multiple returns */
  LVT_GEN_F_GOTO      = 1u << 12,  /* goto and labels (not in portable) */
  LVT_GEN_F_NUMFOR    = 1u << 13,  /* numeric for edge cases */
  LVT_GEN_F_GENFOR    = 1u << 14,  /* generic for, custom iterators */
  LVT_GEN_F_COROUTINE = 1u << 15,
  LVT_GEN_F_ERROR     = 1u << 16,  /* pcall/error, non-string values */
  LVT_GEN_F_CLOSE     = 1u << 17,  /* <const>/<close> (5.4) */
  LVT_GEN_F_PACK      = 1u << 18,  /* string.pack/unpack (5.3+) */
  LVT_GEN_F_RECURSION = 1u << 19,  /* bounded recursion */
  LVT_GEN_F_GC        = 1u << 20,  /* finalisers/weak tables, observed
                                   ** only after a full collectgarbage() */
  LVT_GEN_F_ALL       = (1u << 21) - 1
};

typedef struct LvtGenOpts {
  LvtProfile profile;
  size_t max_bytes;     /* soft size target of the generated part (the
                        ** fixed prelude of ~2.3 KB comes on top); 0 =
                        ** 3 KiB */
  unsigned features;    /* LVT_GEN_F_* to choose from; 0 = swarm: a random
                        ** subset drawn from the decisions */
} LvtGenOpts;

void lvt_gen_opts_init(LvtGenOpts *o);   /* portable, 3 KiB, swarm */

/* Appends one program to 'out' (which the caller owns and initialised;
** it is cleared first). Same (opts, seed) -> same bytes, on every machine.
** Returns LVT_OK, or LVT_ERR_USAGE for invalid options. */
int lvt_gen_from_seed(const LvtGenOpts *o, uint64_t seed, LvtBuf *out,
                      LvtErr *e);

/* The same, with the decisions taken from 'data' (libFuzzer/AFL++ input);
** when the bytes run out the generator completes the program with the
** smallest choices, so every byte string gives a valid program. The
** header records the seed as "bytes" (and a hash of them). */
int lvt_gen_from_bytes(const LvtGenOpts *o, const uint8_t *data, size_t n,
                       LvtBuf *out, LvtErr *e);

/* The 64-bit FNV-1a hash of a byte string: what the header of a program
** made by lvt_gen_from_bytes records as "seed=bytes:0x<hash>". */
uint64_t lvt_gen_bytes_hash(const uint8_t *data, size_t n);

/* Reads the header line of a generated program. Returns 1 and fills what
** it found (any pointer may be NULL), or 0 when 'src' has no header. */
int lvt_gen_header_parse(const char *src, size_t len, LvtProfile *profile,
                         uint64_t *seed, unsigned *features);

/* The same, into options: profile, features and max_bytes ("size=") as
** the program was made with, so that lvt_gen_from_seed(o, *seed, ...)
** regenerates it byte for byte (programs made from bytes cannot be: their
** seed is a hash). Returns 1, or 0 (and 'o' untouched) without a header. */
int lvt_gen_header_opts(const char *src, size_t len, LvtGenOpts *o, uint64_t *seed);

/* The split form of a generated program, for VMs with LVT_CAP_PRELUDE
** (they keep the prelude compiled, so each program compiles only its
** body): '*prelude' (static text) is the program's prelude as a chunk of
** its own that returns its locals; 'body' gets the program with the
** prelude replaced by "local <those names> = ..." (the header line kept).
** Line numbers in both are the program's, and the generator never uses
** '...' in a main chunk, so both forms behave alike on every VM (tested).
** Returns 1, or 0 when 'src' is not a generated program whose prelude is
** intact (a hand-written program, a variant that renamed its locals). */
int lvt_gen_split(const char *src, size_t len, const char **prelude, size_t *prelude_len,
                  LvtBuf *body);

/* Where the body of a generated program whose prelude is intact begins:
** the length of its header line and prelude (what lvt_gen_split replaces),
** or 0 for any other program. */
size_t lvt_gen_prelude_end(const char *src, size_t len);

/* ---------------------------------------------------------------------
** Checking generated programs (fuzz/lvt_gen_check.c)
** --------------------------------------------------------------------- */

/* Runs 'src' on each VM of 'vms' (NULL entries and VMs that do not
** implement 'profile' are skipped; the VMs must be probed) under 'lim'
** and checks what the generator promises: every run ends ok, and every
** VM prints the same bytes. Returns 1 when it holds, 0 when not (what
** broke appended to 'why', which may be NULL: the VM, its outcome and
** error, or the first differing output line), -1 when lvtest itself
** failed (see 'e'). '*ran' (may be NULL) gets the number of VMs run. */
int lvt_gen_check_program(LvtVm *const *vms, size_t n, LvtProfile profile,
                          const char *src, size_t len, const LvtLimits *lim,
                          LvtBuf *why, size_t *ran, LvtErr *e);

/* The same for 'n' programs made with 'o' from seeds seed0 .. seed0+n-1,
** each VM of the profile running all of them in a thread of its own
** (every VM is used by one thread only; the caller must not use them
** meanwhile). Each failing program is passed to 'fail' (may be NULL)
** with its seed and what broke ("lua5.1: outcome error: ...", "ref and
** luajit print different output"). Returns the number of failing
** programs, or -1 when lvtest failed ('e'). '*runs' (may be NULL) gets
** the number of runs compared. */
typedef void (*LvtGenFailFn)(void *ud, LvtProfile profile, uint64_t seed,
                             const char *what);
long lvt_gen_check_batch(LvtVm *const *vms, size_t nvm, const LvtGenOpts *o,
                         uint64_t seed0, unsigned n, const LvtLimits *lim,
                         LvtGenFailFn fail, void *ud, unsigned long *runs,
                         LvtErr *e);

#endif
