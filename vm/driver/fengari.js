// fengari.js -- lvtest's LVX driver for fengari, the Lua 5.3 VM written
// in JavaScript (npm package 'fengari'):
//
//   node fengari.js     (the proc backend runs it with NODE_PATH set to
//                        lvtest's npm cache, see ci/bootstrap)
//
// The loop is vm/driver/lvx-node.js; this file is the engine: a fengari
// lua_State with the standard libraries, sandbox.lua and lvx.lua loaded
// into it. fengari's strings are Uint8Arrays, so values pass unchanged.
'use strict';

const fs = require('fs');
const { main, strerror } = require('./lvx-node.js');

function makeEngine() {
  const fengari = require('fengari');
  const { lua, lauxlib, lualib, to_luastring } = fengari;
  const ltable = require('fengari/src/ltable.js');
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const chunks = [];

  // The error at the top of the stack as a JS string, popped.
  function error() {
    const msg = lua.lua_tolstring(L, -1);
    lua.lua_settop(L, -2);
    return msg === null ? '(error object is not a string)' : fengari.to_jsstring(msg);
  }

  // host.read_file(path) for the sandbox: fengari has no io.open, but its
  // loadfile and require read files; the sandbox's stand-ins read them
  // through this. Returns the bytes, or nil, message, errno as io.open.
  function readFile(Ls) {
    const p = lauxlib.luaL_checkstring(Ls, 1);
    try {
      const data = fs.readFileSync(Buffer.from(p.buffer, p.byteOffset, p.length));
      lua.lua_pushstring(Ls, new Uint8Array(data.buffer, data.byteOffset, data.length).slice());
      return 1;
    } catch (e) {
      lua.lua_pushnil(Ls);
      lua.lua_pushstring(Ls, Uint8Array.from([...p, ...to_luastring(': ' + strerror(e))]));
      lua.lua_pushinteger(Ls, typeof e.errno === 'number' ? Math.abs(e.errno) : 0);
      return 3;
    }
  }

  // host.snapshot(t) and host.same(t, s) for the sandbox's watched tables
  // (the real _G and libraries, checked after every program): the same
  // test as its Lua 'same' (every pair as it was, no pair more), done on
  // fengari's table entries (a list in insertion order; a value changes
  // in place, a deleted key leaves it) instead of by 'next' in Lua, which
  // is most of a run's cost on fengari. Tied to fengari 0.1.x's tables:
  // anything unexpected makes 'snapshot' fail, and the sandbox then loads
  // with its own Lua functions (see start()).
  function entries(Ls) {
    lauxlib.luaL_checktype(Ls, 1, lua.LUA_TTABLE);
    const t = lua.lua_topointer(Ls, 1);
    if (t === null || typeof t !== 'object' || !('f' in t) || !(t.strong instanceof Map))
      throw new Error('fengari.js: not a fengari 0.1 table');
    return t;
  }
  function snapshot(Ls) {
    const snap = [];
    for (let e = entries(Ls).f; e !== undefined; e = e.n) snap.push(e, e.value.type, e.value.value);
    lua.lua_pushlightuserdata(Ls, snap);
    return 1;
  }
  function same(Ls) {
    const snap = lua.lua_touserdata(Ls, 2);
    let e = entries(Ls).f, i = 0;
    for (; e !== undefined && i < snap.length; e = e.n, i += 3)
      if (e !== snap[i] || e.value.type !== snap[i + 1] || e.value.value !== snap[i + 2]) break;
    lua.lua_pushboolean(Ls, e === undefined && i === snap.length);
    return 1;
  }

  // host.copy(t): a shallow copy of t, entry by entry (the sandbox copies
  // the libraries for every program).
  function copy(Ls) {
    const t = entries(Ls);
    lua.lua_createtable(Ls, 0, 0);
    const c = lua.lua_topointer(Ls, -1);
    for (let e = t.f; e !== undefined; e = e.n) ltable.luaH_setfrom(Ls, c, e.key, e.value);
    return 1;
  }

  return {
    impl: '(fengari ' + fengari.FENGARI_RELEASE.replace(/^Fengari /, '') + ')',
    load(name, bytes) {
      const u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length).slice();
      if (lauxlib.luaL_loadbufferx(L, u8, u8.length, to_luastring(name), to_luastring('t')) !== lua.LUA_OK)
        throw new Error(error());
      chunks.push(name);
    },
    // Stack: sandbox chunk, lvx chunk; lvx(sandbox, host) -> { version, serve }.
    start() {
      lua.lua_rotate(L, -2, 1);
      lua.lua_createtable(L, 0, 3);
      lua.lua_pushjsfunction(L, readFile);
      lua.lua_setfield(L, -2, to_luastring('read_file'));
      lua.lua_pushjsfunction(L, snapshot);
      lua.lua_setfield(L, -2, to_luastring('snapshot'));
      lua.lua_pushjsfunction(L, same);
      lua.lua_setfield(L, -2, to_luastring('same'));
      lua.lua_pushjsfunction(L, copy);
      lua.lua_setfield(L, -2, to_luastring('copy'));
      if (lua.lua_pcall(L, 2, 1, 0) !== lua.LUA_OK) throw new Error(error());
      lua.lua_getfield(L, -1, to_luastring('serve'));
      lua.lua_getfield(L, -2, to_luastring('version'));
      const version = fengari.to_jsstring(lua.lua_tolstring(L, -1));
      lua.lua_settop(L, -2);
      lua.lua_remove(L, -2);          // leaves 'serve' at index 1
      return version;
    },
    serve(args) {
      lua.lua_settop(L, 1);
      lua.lua_pushvalue(L, 1);
      for (const a of args) lua.lua_pushstring(L, a);   // (null pushes nil)
      if (lua.lua_pcall(L, args.length, 1, 0) !== lua.LUA_OK) throw new Error(error());
      return lua.lua_tolstring(L, -1);
    },
  };
}

main('fengari.js', makeEngine);
