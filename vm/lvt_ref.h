/*
** lvt_ref.h -- the reference backend 'ref': PUC-Rio Lua 5.4 linked into
** lvtest (vm/ref/lvt_lua54.c), run in this process, one fresh lua_State per
** program, with the environment policy of vm/driver/sandbox.lua (the same
** file the out-of-process driver uses).
**
** Two ways to use it:
**  - through the generic interface, 'lvt_vm_ref_ops' (vm/lvt_vm.h), or
**    directly with lvt_ref_open/lvt_ref_run when the caller wants the
**    options below (the oracle re-runs programs under other hash seeds and
**    GC modes);
**  - crash-isolated: 'lvtest __lvx-ref' runs lvt_ref_serve in a child that
**    speaks LVX (vm/PROTOCOL.md), so the proc backend can drive it like any
**    other Lua and a crash of the reference kills only that child.
**
** What a program runs under (per run, nothing survives into the next one):
**  - a pristine lua_State: a state is booted once (libraries, safety nets,
**    the sandbox module) in a private arena and copied aside; after each
**    run the files the program left open are closed, its memory is freed
**    and the copy is put back, so every program starts from a
**    byte-identical freshly booted state (a new one is built when the hash
**    seed or the GC mode changes, or for every program with 'new_state').
**    ~35,000 small programs/s on one core, ~5,000/s with 'new_state';
**  - a capped allocator: 'mem_limit' bytes of Lua heap; hitting the cap is
**    outcome 'memory' even if the program catches the error (the run is no
**    longer comparable), and the program is then unwound;
**  - an instruction budget ('instr_limit') and a wall-clock limit
**    ('timeout_ms') checked by a C count hook that the program cannot
**    remove (debug.sethook is multiplexed behind it) nor escape with pcall:
**    once exceeded it raises at every instruction outside the sandbox;
**  - a private scratch directory (mkdtemp, removed at close; or one given)
**    where the sandbox resolves relative file names; emptied between runs
**    when a program left something in it;
**  - safety nets under the sandbox, in the library tables themselves:
**    os.exit is an outcome, os.execute, io.popen and package.loadlib raise
**    "... disabled by lvtest", os.setlocale only queries (the locale is
**    process-wide);
**  - Lua warnings (warn, errors in finalizers) go to the run's 'errout',
**    off until "@on" as in lua5.4.
**
** Finalizers (__gc) of objects still alive when a program ends are not
** run: their output could not be captured any more, and Lua runs them with
** hooks off, so a looping one could not be stopped.
**
** Limits of the in-process mode (use the worker when they matter): code
** Lua runs with hooks off (finalizers during a collection, the program's
** debug hook functions) and long C calls (a pathological string.find)
** cannot be interrupted; a crash of the VM is a crash of lvtest; fd 0-2
** are lvtest's own (io.stderr writes to lvtest's stderr).
*/
#ifndef LVT_REF_H
#define LVT_REF_H

#include <stddef.h>

#include "../util/lvt_base.h"
#include "lvt_vm.h"

/* ---------------------------------------------------------------------
** Options
** --------------------------------------------------------------------- */

/* Garbage-collector modes: the oracle re-runs the reference under other
** modes so that a result that depends on collection timing (finalizer
** order, weak tables) is not reported as a bug. */
typedef enum LvtRefGc {
  LVT_REF_GC_INC = 0,     /* incremental with Lua's default parameters */
  LVT_REF_GC_GEN,         /* generational with Lua's default parameters */
  LVT_REF_GC_INC_STRESS,  /* incremental, pause ~0, big multiplier, tiny
                          ** steps: a collection is always in progress */
  LVT_REF_GC_GEN_STRESS,  /* generational, a minor collection every 1%
                          ** of growth, frequent major ones */
  LVT_REF_GC__COUNT
} LvtRefGc;

/* "inc", "gen", "inc-stress", "gen-stress". */
const char *lvt_ref_gc_name(LvtRefGc gc);
/* Parses a name back (also "incremental", "generational"); -1 if unknown. */
int lvt_ref_gc_parse(const char *name);

/* The hash seed used in deterministic mode when none is configured: a
** deterministic run must not depend on Lua's address-and-time seed. */
#define LVT_REF_DETERMINISTIC_SEED 0x2545f491u

typedef struct LvtRefOptions {
  unsigned hash_seed;     /* luai_makeseed; 0 = Lua's own randomisation,
                          ** drawn when a state is booted (or
                          ** LVT_REF_DETERMINISTIC_SEED when the limits
                          ** ask for a deterministic run) */
  LvtRefGc gc;            /* collector mode of every state */
  int reuse_state;        /* keep the state while programs leave it clean
                          ** (the sandbox's 'dirty' flag) instead of
                          ** going back to the pristine image; less
                          ** isolated; off by default */
  int new_state;          /* boot a new lua_State for every program instead
                          ** of restoring the image (slow: ~5,000/s; a
                          ** check on the image mechanism) */
  const char *tmp_dir;    /* parent of the scratch dir; NULL = $TMPDIR,
                          ** then /tmp */
  const char *scratch;    /* an existing directory to use as the scratch
                          ** dir instead (emptied between runs, kept at
                          ** close); NULL = make one under 'tmp_dir' */
  const char *sandbox;    /* sandbox.lua source to use instead of the
                          ** embedded one (development); NULL = embedded */
  size_t sandbox_len;
} LvtRefOptions;

/* Defaults: Lua's seed (drawn once per image), incremental GC, a pristine
** state per program, $TMPDIR, the embedded sandbox. */
void lvt_ref_options_init(LvtRefOptions *opt);

/* ---------------------------------------------------------------------
** The in-process backend
** --------------------------------------------------------------------- */
typedef struct LvtRef LvtRef;

/* Opens a reference VM: creates its scratch dir and compiles sandbox.lua
** once (states load the bytecode; the first run boots the image). 'opt'
** may be NULL (defaults) and is copied (its strings are not kept). An
** LvtRef is not thread-safe; use one per thread (they share nothing).
** Returns LVT_OK, or LVT_ERR_* with 'e' set ('*ref' NULL): LVT_ERR_VM when
** the sandbox does not compile or is not a module with 'run'. */
int lvt_ref_open(LvtRef **ref /* OUT */, const LvtRefOptions *opt, LvtErr *e);

/* Runs 'p' under 'lim' and fills 'out' (caller-owned, initialised; cleared
** first): outcome, out, out_truncated, err_value, err_type, exit_code,
** detail, errout (Lua warnings), wall_ms, peak_mem (allocator peak,
** including the ~90 KB of the booted state). A program's error, timeout,
** memory or os.exit is an outcome; the sandbox failing during a run is
** outcome 'crash' with detail "sandbox: ..."; 'selftest_crash' gives
** 'unsupported' (the worker can crash, this process must not). Returns
** LVT_OK, or LVT_ERR_VM when no state can be booted. 'p' and 'lim' are
** borrowed. */
int lvt_ref_run(LvtRef *ref, const LvtProgram *p, const LvtLimits *lim,
                LvtRun *out, LvtErr *e);

/* Removes the scratch dir (when it made it) and frees everything;
** NULL-safe. */
void lvt_ref_close(LvtRef *ref);

/* Changes the hash seed / GC mode of the runs that follow (the oracle's
** re-runs): the next run boots a new state. */
void lvt_ref_set_hash_seed(LvtRef *ref, unsigned seed);
void lvt_ref_set_gc(LvtRef *ref, LvtRefGc gc);

/* The private scratch directory (absolute path; owned by 'ref'). */
const char *lvt_ref_scratch(const LvtRef *ref);

/* Allocator totals, for leak checks and benchmarks. */
typedef struct LvtRefStats {
  size_t live;            /* bytes Lua holds right now: between runs, the
                          ** pristine state's own (unless one is kept) */
  size_t image;           /* bytes of the pristine state's copy */
  size_t states;          /* lua_States booted so far */
  size_t runs;            /* programs run so far */
  size_t region;          /* bytes of the run region, where a program's
                          ** small blocks are bump-allocated (0: none) */
  size_t region_ended;    /* of it in use when the last program ended */
} LvtRefStats;

void lvt_ref_stats(const LvtRef *ref, LvtRefStats *st /* OUT */);

/* Says that the next run's program (and prelude) is pure, as a run frame's
** 'pure' says (vm/PROTOCOL.md): the run then trusts it instead of scanning
** the text again (the worker passes on what lvtest found). */
void lvt_ref_set_pure(LvtRef *ref);

/* The LvtRef behind a VM handle opened with backend LVT_BACKEND_REF, or
** NULL for any other backend (for lvt_ref_set_*). */
LvtRef *lvt_ref_of(LvtVm *vm);

/* The release of the linked-in Lua, e.g. "5.4.4". */
const char *lvt_ref_lua_version(void);

/* ---------------------------------------------------------------------
** The standalone programs: 'lua' and 'luac' for whole-script suites
** --------------------------------------------------------------------- */

/* Upstream suites (the official test suite's all.lua, lua-Harness) run as
** scripts of a real interpreter and start it again by the path in
** arg[-n] (lua-Harness finds 'luac' as that path .. "c"). lvtest carries
** Lua's own lua.c and luac.c (vm/ref/lvt_lua54.c) and becomes them when
** invoked under the name 'lua' or 'luac' (harness/main.c).
**
** Creates a fresh private directory (mode 0700, "lvt-refbin-XXXXXX") under
** 'parent' (NULL or "": $TMPDIR, then /tmp) holding two symlinks, 'lua'
** and 'luac', to the absolute path of 'self_exe' (the lvtest binary), so
** that '<dir>/lua' runs the reference interpreter and '<dir>/luac' its
** compiler. Sets '*dir' to the directory's absolute path (malloc'd; the
** caller frees it, and removes the directory with lvt_ref_bin_dir_remove).
** Returns LVT_OK, or LVT_ERR_IO with 'e' set and '*dir' NULL (nothing is
** left behind) when 'self_exe' is not an executable file or the directory
** or a link cannot be made. 'self_exe' and 'parent' are borrowed. */
int lvt_ref_bin_dir(const char *self_exe, const char *parent,
                    char **dir /* OUT */, LvtErr *e);

/* Removes a directory made by lvt_ref_bin_dir and whatever is in it
** (without following links); NULL-safe. Does not free 'dir'. */
void lvt_ref_bin_dir_remove(const char *dir);

/* ---------------------------------------------------------------------
** The crash-isolating worker (vm/lvt_ref_worker.c)
** --------------------------------------------------------------------- */

/* The LVX server loop behind 'lvtest __lvx-ref': moves 'in_fd' and
** 'out_fd' out of the way of fds 0 and 1 (which then read /dev/null and
** write to stderr, so nothing a program or Lua prints can corrupt a
** frame), sends the hello frame, then answers each run frame read from
** 'in_fd' with a result frame on 'out_fd', running it on an in-process
** reference opened with 'opt' (NULL = defaults). Lua warnings of a run go
** to stderr. The memory cap of each run is derived from RLIMIT_AS when
** one is set (the parent enforces time and memory from the outside too).
** The scratch dir is $LVT_SCRATCH when set and 'opt' names none (the proc
** backend's private dir for the child: nothing is left behind when the
** worker is killed).
** Returns LVT_OK at end of input between frames, LVT_ERR_PROTO on a
** malformed or truncated frame, LVT_ERR_IO when a read or write fails,
** other LVT_ERR_* when the reference cannot be opened; 'e' says why.
** Closes neither fd. */
int lvt_ref_serve(int in_fd, int out_fd, const LvtRefOptions *opt, LvtErr *e);

#endif
