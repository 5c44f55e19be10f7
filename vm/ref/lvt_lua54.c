/*
** lvt_lua54.c -- the reference VM: PUC-Rio Lua 5.4 compiled into lvtest as
** one translation unit, with its whole API made static so that nothing named
** lua* leaves this file (another Lua version, or a Lua the process loads,
** cannot clash with it). The adapter that the rest of lvtest calls lives at
** the end of this file, in vm/ref/lvt_lua54_adapter.h, because only code in
** this TU can see the static API.
**
** The source is Debian's lua5.4 source package or any 5.4.x the user gives
** (cmake/LuaSource.cmake copies it into the build directory). Lua's own
** lua.c and luac.c come last: lvtest run as 'lua' or 'luac' is them.
*/
#define _GNU_SOURCE   /* timer_create to a thread (SIGEV_THREAD_ID): the guard's clock */
#define LUA_CORE
#define LUA_LIB
#define LUA_USE_LINUX

#include "luaconf.h"

/* The API, the auxiliary library and the internal functions: all static. */
#undef LUA_API
#define LUA_API static
#undef LUALIB_API
#define LUALIB_API static
#undef LUAMOD_API
#define LUAMOD_API static
#undef LUAI_FUNC
#define LUAI_FUNC static
#undef LUAI_DDEC
#define LUAI_DDEC(dec) /* empty: the definitions below are static */
#undef LUAI_DDEF
#define LUAI_DDEF static

/* Room per thread for the adapter's hook bookkeeping ('UserHook'). The
** standalone programs' states carry it unused (lua.c and luac.c never
** touch it; 16 keeps lua_State aligned as the default does). */
#undef LUA_EXTRASPACE
#define LUA_EXTRASPACE 16

/* lapi.c defines 'lua_ident' without LUA_API; give it one of our names. */
#define lua_ident lvt_lua54_ident

/* A controllable hash seed, per state: the adapter reads it from the
** state's allocator data (set before 'luai_makeseed' runs); 0 keeps Lua's
** own randomisation (always, for the standalone programs' states). */
#include <time.h>
#define luai_makeseed(L) lvt_makeseed(L)
struct lua_State;
static unsigned int lvt_makeseed(struct lua_State *L);
static unsigned int lvt_adapter_seed(struct lua_State *L);

/* The engine keeps a list of its live threads (coroutines), for the
** guard's clock: see 'guard_trap_all' in vm/ref/lvt_lua54_guard.h. */
#define luai_userstatethread(L, L1) lvt_thread_new(L, L1)
#define luai_userstatefree(L, L1) lvt_thread_free(L, L1)
static void lvt_thread_new(struct lua_State *L, struct lua_State *L1);
static void lvt_thread_free(struct lua_State *L, struct lua_State *L1);

/* The debug library's hook functions go through the adapter's guard, so
** that a program's debug.sethook() cannot remove the instruction budget
** (see 'lvt_guard_sethook' in vm/ref/lvt_lua54_guard.h). */
struct lua_Debug;
typedef void (*lvt_hook_fn)(struct lua_State *L, struct lua_Debug *ar);
static void lvt_guard_sethook(struct lua_State *L, lvt_hook_fn f, int mask,
                              int count);
static lvt_hook_fn lvt_guard_gethook(struct lua_State *L);
static int lvt_guard_gethookmask(struct lua_State *L);
static int lvt_guard_gethookcount(struct lua_State *L);

/* The core, in the order of Lua's own one-file build. */
#include "lzio.c"
#include "lctype.c"
#include "lopcodes.c"
#include "lmem.c"
#include "lundump.c"
#include "ldump.c"
#include "lstate.c"
#include "lgc.c"
#include "llex.c"
#include "lcode.c"
#include "lparser.c"
#include "ldebug.c"
#include "lfunc.c"
#include "lobject.c"
#include "ltm.c"
#include "lstring.c"
#include "ltable.c"
#include "ldo.c"
#include "lvm.c"
#include "lapi.c"

/* The standard libraries. */
#include "lauxlib.c"
#include "lbaselib.c"
#include "lcorolib.c"
#define lua_sethook lvt_guard_sethook
#define lua_gethook lvt_guard_gethook
#define lua_gethookmask lvt_guard_gethookmask
#define lua_gethookcount lvt_guard_gethookcount
#include "ldblib.c"
#undef lua_sethook
#undef lua_gethook
#undef lua_gethookmask
#undef lua_gethookcount
#include "liolib.c"
#include "lmathlib.c"
#include "loadlib.c"
#include "loslib.c"
#include "lstrlib.c"
#include "ltablib.c"
#include "lutf8lib.c"
#include "linit.c"

static unsigned int lvt_makeseed(struct lua_State *L) {
  unsigned int seed = lvt_adapter_seed(L);
  size_t where[3];
  if (seed != 0) return seed;
  /* Lua's own recipe (lstate.c, not compiled: 'luai_makeseed' is ours):
  ** the time, and addresses that vary with ASLR (a heap object, a local,
  ** a function), hashed with the time as seed. */
  seed = (unsigned int)time(NULL);
  where[0] = (size_t)L;
  where[1] = (size_t)&seed;
  where[2] = (size_t)&lua_newstate;
  return luaS_hash((const char *)where, sizeof where, seed);
}

#include "vm/ref/lvt_lua54_adapter.h"

/* =====================================================================
** The standalone programs: Lua's own lua.c and luac.c, compiled here so
** that they run on this TU's static API ('lvtest' invoked as 'lua' or
** 'luac'; see harness/main.c). Their states come from luaL_newstate, not
** from the engine: the hooks above recognise them ('is_engine') and act
** as plain Lua. Their 'main' and the static names that clash get names of
** ours, undone after each file.
** ===================================================================== */
static int lvt_reflua_lua_main_(int argc, char **argv);
static int lvt_reflua_luac_main_(int argc, char **argv);

#define main lvt_reflua_lua_main_
#include "lua.c"
#undef main

/* luac -l decodes every argument format of every instruction; built with
** LUAI_ASSERT (the asan preset) the decoders would assert that the format
** is the instruction's, so luac.c gets them unchecked, as upstream builds
** it. */
#pragma push_macro("check_exp")
#undef check_exp
#define check_exp(c, e) (e)
#define main lvt_reflua_luac_main_
#define progname lvt_luac_progname     /* lua.c's */
#define pmain lvt_luac_pmain           /* lua.c's */
#define writer lvt_luac_writer         /* lstrlib.c's */
#include "luac.c"
#undef main
#undef progname
#undef pmain
#undef writer
#pragma pop_macro("check_exp")

int lvt_reflua_lua_main(int argc, char **argv) {
  return lvt_reflua_lua_main_(argc, argv);
}

int lvt_reflua_luac_main(int argc, char **argv) {
  return lvt_reflua_luac_main_(argc, argv);
}
