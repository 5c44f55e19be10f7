/*
** lvt_ref_lua.h -- the interface of the reference Lua translation unit
** (vm/ref/lvt_lua54.c). Nothing here names a lua* symbol.
*/
#ifndef LVT_REF_LUA_H
#define LVT_REF_LUA_H

/* The release of the linked-in Lua, e.g. "5.4.4". */
const char *lvt_reflua_version(void);

#endif
