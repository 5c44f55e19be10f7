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
  const { TValue } = require('fengari/src/lobject.js');
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
    fill(lua.lua_topointer(Ls, -1), t);
    return 1;
  }

  // Gives the empty fengari table 'c' the pairs of 't', in their order: a
  // table's Map holds its live entries in the order of its list (both
  // grow at the end; a deleted key leaves both), keyed by their hashes,
  // so the entries are made here as fengari's 'add' makes them, without
  // hashing the keys again.
  function fill(c, t) {
    let prev;
    for (const [h, e] of t.strong) {
      const ne = { key: new TValue(e.key.type, e.key.value),
                   value: new TValue(e.value.type, e.value.value), p: prev, n: undefined };
      if (prev === undefined) c.f = ne;
      else prev.n = ne;
      c.strong.set(h, ne);
      prev = ne;
    }
    c.l = prev;
    return c;
  }

  // The table, string or value at the top of the stack, popped.
  function popTable(Ls) {
    const t = lua.lua_topointer(Ls, -1);
    if (lua.lua_type(Ls, -1) !== lua.LUA_TTABLE || !(t.strong instanceof Map))
      throw new Error('fengari.js: not a fengari 0.1 table');
    lua.lua_settop(Ls, -2);
    return t;
  }
  function popValue(Ls) {
    const v = Ls.stack[Ls.top - 1];
    const c = new TValue(v.type, v.value);
    lua.lua_settop(Ls, -2);
    return c;
  }

  // host.env_builder(G, names, bases, preload) -> build: 'build()' returns
  // a copy of table G in which each G[names[i]] is a copy of bases[i], _G
  // is the copy itself, package.loaded a new table of _G and those copies
  // (in that order) and package.preload a copy of 'preload': the fresh
  // environment of a program (sandbox.lua's make_env), in one call.
  function envBuilder(Ls) {
    const g = entries(Ls);
    const names = [], bases = [];
    for (let i = 1; lua.lua_rawgeti(Ls, 2, i) !== lua.LUA_TNIL; i++) {
      names.push(popValue(Ls));
      lua.lua_rawgeti(Ls, 3, i);
      bases.push(popTable(Ls));
    }
    lua.lua_settop(Ls, -2);
    lua.lua_pushvalue(Ls, 4);
    const preload = popTable(Ls);
    lua.lua_pushliteral(Ls, '_G');
    const kG = popValue(Ls);
    lua.lua_pushliteral(Ls, 'loaded');
    const kLoaded = popValue(Ls);
    lua.lua_pushliteral(Ls, 'preload');
    const kPreload = popValue(Ls);
    const ipackage = names.findIndex((k) => fengari.to_jsstring(k.value.getstr()) === 'package');
    const set = (t, k, v) => ltable.luaH_setfrom(L, t, k, new TValue(lua.LUA_TTABLE, v));
    lua.lua_pushjsfunction(Ls, function build(Lb) {
      lua.lua_createtable(Lb, 0, 0);
      const env = fill(lua.lua_topointer(Lb, -1), g);
      const loaded = ltable.luaH_new(Lb);
      set(loaded, kG, env);
      for (let i = 0; i < names.length; i++) {
        const c = fill(ltable.luaH_new(Lb), bases[i]);
        set(env, names[i], c);
        set(loaded, names[i], c);
      }
      set(env, kG, env);
      if (ipackage >= 0) {
        const pkg = ltable.luaH_getstr(env, names[ipackage].value).value;
        set(pkg, kLoaded, loaded);
        set(pkg, kPreload, fill(ltable.luaH_new(Lb), preload));
      }
      return 1;
    });
    return 1;
  }

  // host.watcher(w, m) -> changed: 'w' is sandbox.lua's list of watched
  // tables ({ table, snapshot (from host.snapshot), name }...), 'm' a list
  // of { value = v, mt = its metatable (or nil) }; 'changed()' returns
  // the index of the last entry of w, then m (#w + i), that changed: the
  // table no longer the same as its snapshot, the value's metatable (its
  // own, or its type's) another one (or nothing: one call instead of a
  // loop of host.same and debug.getmetatable).
  function watcher(Ls) {
    const list = [], mts = [];
    for (let i = 1; lua.lua_rawgeti(Ls, 2, i) !== lua.LUA_TNIL; i++) {
      lua.lua_getfield(Ls, -1, to_luastring('mt'));
      const mt = lua.lua_type(Ls, -1) === lua.LUA_TTABLE ? popTable(Ls) : (lua.lua_settop(Ls, -2), null);
      lua.lua_getfield(Ls, -1, to_luastring('value'));
      const type = lua.lua_type(Ls, -1);
      const own = type === lua.LUA_TTABLE || type === lua.LUA_TUSERDATA;
      mts.push(own ? lua.lua_topointer(Ls, -1) : type, own, mt);
      lua.lua_settop(Ls, -3);
    }
    lua.lua_settop(Ls, 1);
    for (let i = 1; lua.lua_rawgeti(Ls, 1, i) !== lua.LUA_TNIL; i++) {
      lua.lua_rawgeti(Ls, -1, 1);
      const t = popTable(Ls);
      lua.lua_rawgeti(Ls, -1, 2);
      const snap = lua.lua_touserdata(Ls, -1);
      if (!Array.isArray(snap)) throw new Error('fengari.js: not a snapshot');
      lua.lua_settop(Ls, -3);
      list.push(t, snap);
    }
    const nw = list.length / 2;
    lua.lua_pushjsfunction(Ls, function changed(Lc) {
      for (let m = mts.length - 3; m >= 0; m -= 3) {
        const mt = mts[m + 1] ? mts[m].metatable : Lc.l_G.mt[mts[m]];
        if ((mt === undefined ? null : mt) !== mts[m + 2]) {
          lua.lua_pushinteger(Lc, nw + m / 3 + 1);
          return 1;
        }
      }
      for (let w = list.length - 2; w >= 0; w -= 2) {
        const snap = list[w + 1];
        let e = list[w].f, i = 0;
        for (; e !== undefined && i < snap.length; e = e.n, i += 3)
          if (e !== snap[i] || e.value.type !== snap[i + 1] || e.value.value !== snap[i + 2]) break;
        if (e !== undefined || i !== snap.length) {
          lua.lua_pushinteger(Lc, w / 2 + 1);
          return 1;
        }
      }
      return 0;
    });
    return 1;
  }

  // The string at stack index 'i', or null when it is not a string.
  function str(i) {
    return lua.lua_type(L, i) === lua.LUA_TSTRING ? lua.lua_tolstring(L, i) : null;
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
      lua.lua_pushjsfunction(L, envBuilder);
      lua.lua_setfield(L, -2, to_luastring('env_builder'));
      lua.lua_pushjsfunction(L, watcher);
      lua.lua_setfield(L, -2, to_luastring('watcher'));
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
      if (lua.lua_pcall(L, args.length, 8, 0) !== lua.LUA_OK) throw new Error(error());
      return [str(2), str(3), lua.lua_toboolean(L, 4), str(5), str(6),
              lua.lua_isnil(L, 7) ? null : lua.lua_tonumber(L, 7), str(8), lua.lua_toboolean(L, 9)];
    },
  };
}

main('fengari.js', makeEngine);
