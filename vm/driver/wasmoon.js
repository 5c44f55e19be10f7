// wasmoon.js -- lvtest's LVX driver for wasmoon, PUC-Rio Lua 5.4 compiled
// to WebAssembly (npm package 'wasmoon'):
//
//   node wasmoon.js     (the proc backend runs it with NODE_PATH set to
//                        lvtest's npm cache, see ci/bootstrap)
//
// The loop is vm/driver/lvx-node.js; this file is the engine: a bare
// lua_State made through wasmoon's raw C API (not its JS interop layer),
// with the standard libraries, sandbox.lua and lvx.lua loaded into it.
// Strings cross as bytes copied into and out of the wasm heap. Files the
// program writes live in Emscripten's in-memory file system, under the
// same scratch path lvtest gives the process.
'use strict';

const { main } = require('./lvx-node.js');

const LUA_OK = 0;
const LUA_TNIL = 0;
const LUA_TSTRING = 4;

// Programs read files anywhere (lua-harness/lib/tap.lua through require,
// data files...), but Emscripten's file system is in memory. Every open of
// a path outside the scratch directory first copies the host's file there
// (or drops a stale copy), so the VM's own io library reads what the host
// has. Writes stay in memory: the sandbox allows them only in scratch.
function mirrorHostFiles(FS, scratch) {
  const fs = require('fs');
  const path = require('path');
  const open = FS.open;
  let busy = false;                     // (FS.writeFile opens too)
  FS.open = function (p, flags, mode) {
    if (typeof p === 'string' && !busy) {
      const abs = path.resolve(FS.cwd(), p);
      if (abs !== scratch && !abs.startsWith(scratch + '/') &&
          !/^\/(dev|proc)(\/|$)/.test(abs)) {
        busy = true;
        try { mirror(abs); } finally { busy = false; }
      }
    }
    return open.call(this, p, flags, mode);
  };
  function mirror(abs) {
    let st = null;
    try { st = fs.statSync(abs); } catch (e) { /* not on the host */ }
    if (st !== null && st.isFile()) {
      let dir = '';
      for (const part of path.dirname(abs).split('/').filter(Boolean)) {
        dir += '/' + part;
        try { FS.mkdir(dir); } catch (e) { /* there already */ }
      }
      try { FS.writeFile(abs, fs.readFileSync(abs)); } catch (e) { /* unreadable: open says so */ }
    } else if (st === null) {
      try { FS.unlink(abs); } catch (e) { /* no copy */ }
    }
  }
}

async function makeEngine() {
  const { LuaFactory } = require('wasmoon');
  const scratch = process.env.LVT_SCRATCH || '/tmp';
  const factory = new LuaFactory(undefined, { LVT_SCRATCH: scratch, TZ: process.env.TZ || '' });
  const lw = await factory.getLuaModule();
  const m = lw.module;
  let dir = '';
  for (const part of scratch.split('/').filter(Boolean)) {
    dir += '/' + part;
    try { m.FS.mkdir(dir); } catch (e) { /* there already */ }
  }
  m.FS.chdir(scratch);
  mirrorHostFiles(m.FS, scratch);
  const L = lw.luaL_newstate();
  lw.luaL_openlibs(L);
  const lenp = m._malloc(8);
  let scratchp = 0, scratchn = 0;       // a reusable heap buffer for strings in

  // Copies 'bytes' into the wasm heap; returns the address (valid until
  // the next call).
  function heap(bytes) {
    if (bytes.length + 1 > scratchn) {
      if (scratchp) m._free(scratchp);
      scratchn = Math.max(bytes.length + 1, 4096);
      scratchp = m._malloc(scratchn);
      if (!scratchp) throw new Error('wasm heap exhausted');
    }
    m.HEAPU8.set(bytes, scratchp);
    return scratchp;
  }

  function push(bytes) {
    if (bytes === null) lw.lua_pushnil(L);
    else m._lua_pushlstring(L, heap(bytes), bytes.length);
  }

  // The bytes of the string at 'idx' (a view into the heap).
  function tobytes(idx) {
    const p = m._lua_tolstring(L, idx, lenp);
    if (!p) return null;
    return m.HEAPU8.subarray(p, p + m.HEAPU32[lenp >> 2]);
  }

  // The bytes of the string at 'idx', or null when it is not a string.
  function str(idx) {
    return lw.lua_type(L, idx) === LUA_TSTRING ? tobytes(idx) : null;
  }

  function error() {
    const b = tobytes(-1);
    lw.lua_settop(L, -2);
    return b === null ? '(error object is not a string)' : Buffer.from(b).toString();
  }

  return {
    impl: '(wasmoon ' + require('wasmoon/package.json').version + ')',
    load(name, bytes) {
      const p = heap(bytes);
      if (lw.luaL_loadbufferx(L, p, bytes.length, name, 't') !== LUA_OK) throw new Error(error());
    },
    start() {
      lw.lua_rotate(L, -2, 1);
      lw.lua_createtable(L, 0, 0);    // (no host primitives: the VM has io)
      if (lw.lua_pcallk(L, 2, 1, 0, 0, null) !== LUA_OK) throw new Error(error());
      lw.lua_getfield(L, -1, 'serve');
      lw.lua_getfield(L, -2, 'version');
      const version = Buffer.from(tobytes(-1)).toString();
      lw.lua_settop(L, -2);
      lw.lua_rotate(L, -2, 1);
      lw.lua_settop(L, -2);           // leaves 'serve' at index 1
      return version;
    },
    serve(args) {
      lw.lua_settop(L, 1);
      lw.lua_pushvalue(L, 1);
      for (const a of args) push(a);
      if (lw.lua_pcallk(L, args.length, 8, 0, 0, null) !== LUA_OK) throw new Error(error());
      // (Nothing here allocates in the VM: the views stay valid.)
      return [str(2), str(3), lw.lua_toboolean(L, 4) !== 0, str(5), str(6),
              lw.lua_type(L, 7) === LUA_TNIL ? null : Number(lw.lua_tonumberx(L, 7, null)),
              str(8), lw.lua_toboolean(L, 9) !== 0];
    },
  };
}

main('wasmoon.js', makeEngine);
