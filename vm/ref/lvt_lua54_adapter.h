/*
** lvt_lua54_adapter.h -- the part of the reference VM's translation unit that
** lvtest calls (included at the end of vm/ref/lvt_lua54.c, where the static
** Lua API is visible). Its interface is vm/ref/lvt_ref_lua.h.
*/
#include "vm/ref/lvt_ref_lua.h"

const char *lvt_reflua_version(void) {
  return LVT_LUA54_VERSION;
}
