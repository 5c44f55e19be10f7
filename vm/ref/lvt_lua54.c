/*
** lvt_lua54.c -- the reference VM: PUC-Rio Lua 5.4 compiled into lvtest as
** one translation unit, with its whole API made static so that nothing named
** lua* leaves this file (another Lua version, or a Lua the process loads,
** cannot clash with it). The adapter that the rest of lvtest calls lives at
** the end of this file, in vm/ref/lvt_lua54_adapter.h, because only code in
** this TU can see the static API.
**
** The source is Debian's lua5.4 source package or any 5.4.x the user gives
** (cmake/LuaSource.cmake copies it into the build directory).
*/
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

/* lapi.c defines 'lua_ident' without LUA_API; give it one of our names. */
#define lua_ident lvt_lua54_ident

/* A controllable hash seed: 0 keeps Lua's own randomisation. */
static unsigned int lvt_seed_value = 0;
#include <time.h>
#define luai_makeseed(L) lvt_makeseed(L)
struct lua_State;
static unsigned int lvt_makeseed(struct lua_State *L);

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
#include "ldblib.c"
#include "liolib.c"
#include "lmathlib.c"
#include "loadlib.c"
#include "loslib.c"
#include "lstrlib.c"
#include "ltablib.c"
#include "lutf8lib.c"
#include "linit.c"

static unsigned int lvt_makeseed(struct lua_State *L) {
  if (lvt_seed_value != 0) return lvt_seed_value;
  /* Lua's default: mix an address and the time. */
  {
    size_t h = (size_t)time(NULL);
    h ^= (size_t)L;
    h ^= (size_t)&h;
    return (unsigned int)(h ^ ((h >> 16) >> 16));
  }
}

#include "vm/ref/lvt_lua54_adapter.h"
