/*
** lvt_ref_lua.h -- the interface of the reference Lua translation unit
** (vm/ref/lvt_lua54.c, whose adapter is vm/ref/lvt_lua54_adapter.h).
** Nothing here names a lua* symbol: the Lua API is static inside that TU,
** and every call into Lua made through these functions is protected (one
** lua_pcall per entry; a Lua longjmp never crosses lvtest frames).
**
** vm/lvt_ref.c builds the backend on top: options, scratch directory,
** process-wide hygiene (locale), the LvtVmOps table.
*/
#ifndef LVT_REF_LUA_H
#define LVT_REF_LUA_H

#include <stddef.h>

#include "util/lvt_base.h"
#include "vm/lvt_ref.h"
#include "vm/lvt_vm.h"

/* The release of the linked-in Lua, e.g. "5.4.4". */
const char *lvt_reflua_version(void);

/* One reference engine: the compiled sandbox, the image of a booted state
** (in a private arena), the capped allocator, and the guard (budget,
** clock, trips). Not thread-safe; use one per thread. */
typedef struct LvtRefLua LvtRefLua;

/* Compiles the sandbox source 'sb' (chunk name 'sbname', e.g.
** "@vm/driver/sandbox.lua") in a scratch state, keeps its bytecode and
** checks that it returns a table with a 'run' function (else LVT_ERR_VM
** with Lua's message); reserves the arena. The image is built at the first
** run. */
int lvt_reflua_new(LvtRefLua **vm /* OUT */, const char *sb, size_t sblen,
                   const char *sbname, LvtErr *e);
void lvt_reflua_free(LvtRefLua *vm);        /* NULL-safe */

/* What one run needs besides the program and the limits. */
typedef struct LvtRefLuaJob {
  const LvtProgram *prog;
  const LvtLimits *lim;
  const char *scratch;    /* absolute scratch dir for the sandbox, or NULL */
  unsigned seed;          /* hash seed of the state; 0 = Lua's own */
  LvtRefGc gc;
  int reuse;              /* keep the state afterwards if it stayed clean */
  int new_state;          /* build a new state for the next run */
  int pure;               /* the program is known pure (else: scanned) */
} LvtRefLuaJob;

/* Runs one program in a pristine state (a new image is built first when
** the seed or GC mode differ from the current one) and fills 'out'
** (already cleared by the caller): everything but 'wall_ms'. '*dirty'
** says whether the sandbox reported that the program changed shared
** state. Returns LVT_OK: a failure of the program or of the sandbox during
** a run is an outcome; LVT_ERR_VM when no state can be booted (the
** sandbox fails to load). */
int lvt_reflua_run(LvtRefLua *vm, const LvtRefLuaJob *job, LvtRun *out,
                   int *dirty /* OUT */, LvtErr *e);

/* Puts a kept state (reuse mode) back to the image; a no-op otherwise. */
void lvt_reflua_reset(LvtRefLua *vm);

/* Bytes Lua holds right now (the image's live bytes plus the program's),
** bytes of the image copy (0 before the first run), states created. */
size_t lvt_reflua_live(const LvtRefLua *vm);
size_t lvt_reflua_image(const LvtRefLua *vm);
size_t lvt_reflua_states(const LvtRefLua *vm);
/* The run region (the bump allocator of a program's small blocks): its
** size (0 when there is none, as under AddressSanitizer) and the bytes in
** use when the last program's blocks were freed. */
void lvt_reflua_region(const LvtRefLua *vm, size_t *size, size_t *ended);

/* ---------------------------------------------------------------------
** The standalone programs: Lua's own lua.c and luac.c compiled into the
** same TU (from the build directory's copy of the source), for suites
** that need a real 'lua' / 'luac' command (harness/main.c runs them when
** lvtest is invoked as 'lua' or 'luac', see lvt_ref_bin_dir).
** --------------------------------------------------------------------- */

/* The 'main' of upstream lua.c: options -e -l -i -v -E -W -, script and
** its arguments (the 'arg' table with negative indices), LUA_INIT_5_4 /
** LUA_INIT, the REPL when stdin is a terminal (without readline: plain
** fgets lines). Returns the process exit status (os.exit ends the process
** from inside). 'argv' as main's: argv[argc] is NULL, argv[0] is the
** program name Lua reports and puts into arg[-n]. Prints, may exit, and
** keeps static state: call at most once per process, from main. The states
** it makes are plain Lua: no budget, no safety nets, real os.exit. */
int lvt_reflua_lua_main(int argc, char **argv);

/* The 'main' of upstream luac.c: options -l -o -p -s -v -- and '-' for
** stdin. Same conditions as lvt_reflua_lua_main. */
int lvt_reflua_luac_main(int argc, char **argv);

#endif
