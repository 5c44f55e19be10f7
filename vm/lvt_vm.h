/*
** lvt_vm.h -- running Lua: programs, limits, run results, and the backend
** interface every VM implements (the in-process reference 'ref' and the
** out-of-process 'proc' child speaking LVX, see vm/PROTOCOL.md).
**
** A Lua error, a crash, a hang or running out of memory in the VM under
** test is an outcome (data in LvtRun), never a harness error: backends
** return LVT_ERR_* only when lvtest itself could not do its job.
*/
#ifndef LVT_VM_H
#define LVT_VM_H

#include <stdint.h>

#include "../util/lvt_base.h"

/* ---------------------------------------------------------------------
** Outcomes
** --------------------------------------------------------------------- */
typedef enum LvtOutcome {
  LVT_RUN_OK = 0,       /* the chunk returned */
  LVT_RUN_ERROR,        /* the chunk raised a Lua error (or failed to load) */
  LVT_RUN_EXIT,         /* the chunk called os.exit (code in 'exit_code') */
  LVT_RUN_TIMEOUT,      /* wall-clock or instruction budget exceeded */
  LVT_RUN_NOMEM,        /* the memory cap was hit */
  LVT_RUN_CRASH,        /* the VM died (signal, abnormal exit, broken frame) */
  LVT_RUN_UNSUPPORTED,  /* the VM cannot run this program (dialect, binary) */
  LVT_RUN__COUNT
} LvtOutcome;

/* "ok", "error", "exit", "timeout", "memory", "crash", "unsupported". */
const char *lvt_outcome_name(LvtOutcome o);
/* Parses a name back; returns -1 when unknown. */
int lvt_outcome_parse(const char *name);

/* ---------------------------------------------------------------------
** Programs and limits (both borrowed by the backends)
** --------------------------------------------------------------------- */
typedef struct LvtProgram {
  const char *name;     /* chunk name without '=' or '@', e.g. "t/001.lua" */
  const char *src;      /* source (or binary chunk) bytes */
  size_t len;
  /* Optional, on VMs with LVT_CAP_PRELUDE: a chunk run first (same chunk
  ** name, same environment) whose results 'src' gets as '...'; the VM
  ** keeps it compiled between programs (vm/PROTOCOL.md, 'prelude'). */
  const char *prelude;
  size_t prelude_len;
} LvtProgram;

typedef struct LvtLimits {
  unsigned timeout_ms;   /* wall clock per program; 0 = none */
  uint64_t instr_limit;  /* VM instructions (count hook); 0 = none */
  size_t mem_limit;      /* bytes of Lua heap / child address space; 0 = none */
  size_t max_output;     /* captured output cap in bytes; 0 = default 1 MiB */
  int deterministic;     /* fixed clocks, dates and random seeds */
  int allow_binary;      /* 0: 'load' refuses binary chunks (fuzz mode) */
  int selftest_crash;    /* start-up self-test: the backend makes the VM die
                         ** by SIGSEGV while it runs this program */
  int no_peak_mem;       /* 1: skip the per-run peak memory measurement (a
                         ** proc VM's /proc/PID/clear_refs and status: two
                         ** page-table walks per run; the fuzz loop does) */
} LvtLimits;

#define LVT_DEFAULT_MAX_OUTPUT ((size_t)1 << 20)

/* Fills 'lim' with the defaults: 10 s, no instruction cap, 1 GiB, 1 MiB
** output, non-deterministic, binary chunks allowed. */
void lvt_limits_default(LvtLimits *lim);

/* ---------------------------------------------------------------------
** Run results: one struct for every backend
** --------------------------------------------------------------------- */
typedef struct LvtRun {
  LvtOutcome outcome;
  LvtBuf out;          /* captured print/io.write/io.stdout output */
  int out_truncated;   /* 'out' was cut at max_output */
  LvtBuf err_value;    /* error value as tostring() rendered it */
  char err_type[16];   /* Lua type of the error value ("string", "table"...) */
  int exit_code;       /* LVT_RUN_EXIT: the code given to os.exit */
  int signal;          /* LVT_RUN_CRASH by signal: its number, else 0 */
  int status;          /* LVT_RUN_CRASH by exit: the process exit status,
                       ** -1 when not applicable */
  LvtBuf errout;       /* what the VM wrote to its stderr during the run */
  int errout_truncated;
  LvtBuf detail;       /* lvtest's explanation ("instruction limit",
                       ** "malformed frame: ...", "killed after 10000 ms") */
  double wall_ms;      /* wall time of the run as lvtest measured it */
  size_t peak_mem;     /* bytes; 0 when unknown */
  int restarted;       /* the backend restarted the VM after this run */
} LvtRun;

void lvt_run_init(LvtRun *r);
void lvt_run_reset(LvtRun *r);   /* frees; r can be reused after init */
void lvt_run_clear(LvtRun *r);   /* back to a fresh result, keeps memory */
/* Makes 'dst' (uninitialised) a deep copy of 'src'. */
void lvt_run_copy(LvtRun *dst, const LvtRun *src);

/* ---------------------------------------------------------------------
** Dialects and capabilities (detected by a probe program)
** --------------------------------------------------------------------- */
typedef enum LvtDialect {
  LVT_DIALECT_UNKNOWN = 0,
  LVT_DIALECT_51,
  LVT_DIALECT_52,
  LVT_DIALECT_53,
  LVT_DIALECT_54,
  LVT_DIALECT_LUAJIT     /* 5.1 plus LuaJIT's extensions */
} LvtDialect;

const char *lvt_dialect_name(LvtDialect d);   /* "5.1" ... "luajit" */
int lvt_dialect_parse(const char *s);          /* -1 when unknown */

enum {
  LVT_CAP_INTEGER  = 1 << 0,   /* integer subtype (math.type) */
  LVT_CAP_GOTO     = 1 << 1,
  LVT_CAP_UTF8     = 1 << 2,   /* utf8 library */
  LVT_CAP_CLOSE    = 1 << 3,   /* <close> / <const> locals */
  LVT_CAP_BIT32    = 1 << 4,   /* bit32 library */
  LVT_CAP_BITOPS   = 1 << 5,   /* native & | ~ << >> operators */
  LVT_CAP_TPACK    = 1 << 6,   /* table.pack / table.unpack */
  LVT_CAP_JIT      = 1 << 7,   /* a JIT compiler ('jit' module) */
  LVT_CAP_SPACK    = 1 << 8,   /* string.pack */
  LVT_CAP_ENV      = 1 << 9,   /* _ENV */
  LVT_CAP_INT64    = 1 << 10,  /* integers are 64-bit */
  LVT_CAP_COROCLOSE= 1 << 11,  /* coroutine.close */
  LVT_CAP_HOOKS    = 1 << 12,  /* debug.sethook: instruction budgets (without
                               ** it only the wall clock stops a program) */
  LVT_CAP_IOFILES  = 1 << 13,  /* io.open: files (fengari has none) */
  LVT_CAP_GC       = 1 << 14,  /* collectgarbage works (fengari: raises) */
  LVT_CAP_PRELUDE  = 1 << 15   /* runs LvtProgram.prelude (its driver keeps
                               ** preludes compiled) */
};

/* Writes the names of the capability bits in 'caps' separated by ','. */
void lvt_caps_format(unsigned caps, LvtBuf *out);

typedef struct LvtVmInfo {
  char version[96];      /* _VERSION, plus jit.version where present */
  LvtDialect dialect;
  unsigned caps;         /* LVT_CAP_* */
} LvtVmInfo;

/* ---------------------------------------------------------------------
** Configuration of one VM and the backend operations
** --------------------------------------------------------------------- */
typedef enum LvtBackend {
  LVT_BACKEND_PROC = 0,  /* a child process speaking LVX */
  LVT_BACKEND_REF        /* the linked-in reference, in this process */
} LvtBackend;

typedef struct LvtVmConfig {
  const char *name;         /* as shown to users: "lua5.4", "ref" */
  LvtBackend backend;
  /* proc: the command; argv[0] is resolved on PATH. The driver script is
  ** appended by the backend unless 'speaks_lvx' is set (the command then
  ** speaks LVX itself, like 'lvtest __lvx-ref'). */
  char *const *argv;        /* NULL-terminated */
  int speaks_lvx;
  const char *driver;       /* proc: the embedded driver file the command
                            ** runs ("fengari.js" for 'node'); NULL =
                            ** "lvx.lua". Ignored with 'speaks_lvx'. */
  char *const *env;         /* extra NAME=VALUE for the child; NULL-term. */
  int dialect;              /* forced LvtDialect, or -1 to detect */
  unsigned restart_every;   /* restart the child every N programs; 0 = never */
  size_t rss_limit;         /* proc: RSS watchdog instead of RLIMIT_AS
                            ** (for ASan builds); 0 = use RLIMIT_AS */
  int rss_watch;            /* proc: an RSS watchdog at each run's memory
                            ** limit instead of RLIMIT_AS (V8 reserves far
                            ** more address space than it uses) */
  unsigned hash_seed;       /* ref: luai_makeseed value; 0 = Lua's default */
  const char *tmp_dir;      /* where private scratch dirs go; NULL = $TMPDIR */
  int pin_cpu;              /* proc: pin the child to CPU 'pin_cpu - 1' (the
                            ** thread that drives it should pin itself there
                            ** too: a round trip on one CPU is ~2x faster
                            ** than across two); 0 = no pinning */
} LvtVmConfig;

typedef struct LvtVmOps {
  const char *name;
  /* Opens a VM (starts the child, creates the state...). On failure
  ** returns LVT_ERR_* with 'e' set and leaves '*vm' NULL. */
  int (*open)(void **vm, const LvtVmConfig *cfg, LvtErr *e);
  /* Runs 'p' under 'lim' and fills 'out' (caller-owned, already
  ** initialised; the backend clears it first). VM failures are outcomes;
  ** returns LVT_ERR_* only when lvtest failed, e.g. the child cannot be
  ** restarted. 'p' and 'lim' are borrowed. */
  int (*run)(void *vm, const LvtProgram *p, const LvtLimits *lim,
             LvtRun *out, LvtErr *e);
  void (*close)(void *vm);  /* NULL-safe */
  /* Runs programs inside lvtest's own process: a crash of the VM is a
  ** crash of lvtest, so the forced-crash self-test is skipped (and said). */
  int in_process;
  /* Optional: runs p[0..n) in order into out[0..n) with the results 'run'
  ** would give one by one, faster (proc: the requests pipelined). NULL:
  ** lvt_vm_run_batch calls 'run' for each. */
  int (*run_batch)(void *vm, const LvtProgram *const *p, size_t n, const LvtLimits *lim,
                   LvtRun *out, size_t *done, LvtErr *e);
} LvtVmOps;

extern const LvtVmOps lvt_vm_proc_ops;   /* vm/lvt_proc.c */
extern const LvtVmOps lvt_vm_ref_ops;    /* vm/lvt_ref.c */

/* ---------------------------------------------------------------------
** A VM handle: backend + config + detected info (vm/lvt_vm.c)
** --------------------------------------------------------------------- */
typedef struct LvtVm {
  const LvtVmOps *ops;
  void *impl;
  char *name;
  LvtVmInfo info;
  unsigned runs;           /* programs run so far */
} LvtVm;

/* Opens the VM described by 'cfg' (config strings are copied where kept).
** Does not probe or self-test: see lvt_vm_probe / lvt_vm_selftest. */
int lvt_vm_open(LvtVm **vm /* OUT */, const LvtVmConfig *cfg, LvtErr *e);
int lvt_vm_run(LvtVm *vm, const LvtProgram *p, const LvtLimits *lim,
               LvtRun *out, LvtErr *e);
/* Runs p[0..n) in order into out[0..n) (caller-owned, initialised): the
** results lvt_vm_run would give one by one, a proc VM getting the
** requests pipelined (see vm/lvt_proc.c for what differs: per-program
** stderr is best effort, no peak memory, wall_ms is the wait). '*done'
** gets the number of results filled: n, or fewer when lvtest failed
** (LVT_ERR_*, e.g. the VM could not be restarted) after those. */
int lvt_vm_run_batch(LvtVm *vm, const LvtProgram *const *p, size_t n, const LvtLimits *lim,
                     LvtRun *out, size_t *done, LvtErr *e);
void lvt_vm_close(LvtVm *vm);   /* NULL-safe */

/* Runs the probe program and fills vm->info (dialect forced by the config
** is kept). Fails with LVT_ERR_VM when the VM does not answer like Lua. */
int lvt_vm_probe(LvtVm *vm, int forced_dialect, LvtErr *e);

/* Start-up self-tests: 'return' prints the right output and is ok,
** error("x") is an error, a forced crash is a crash (and the VM recovers),
** a busy loop is a timeout (and the VM recovers). Returns LVT_OK, or
** LVT_ERR_VM with the failing check in 'e'. 'timeout_ms' bounds the busy
** loop test. */
int lvt_vm_selftest(LvtVm *vm, unsigned timeout_ms, LvtErr *e);

/* The source of a program that returns the probe's answer as lines of
** "key=value" on its output (used by lvt_vm_probe, and by shims' tests). */
extern const char lvt_probe_program[];

/* ---------------------------------------------------------------------
** Embedded driver files (generated at build time from vm/driver/)
** --------------------------------------------------------------------- */
typedef struct LvtEmbedded {
  const char *path;        /* "vm/driver/lvx.lua" */
  const char *data;
  size_t len;
} LvtEmbedded;

/* Returns the embedded file whose path ends with 'name', or NULL. */
const LvtEmbedded *lvt_embedded_find(const char *name);

#endif
