/*
** lvt_lua54_adapter.h -- the part of the reference VM's translation unit that
** lvtest calls (included at the end of vm/ref/lvt_lua54.c, where the static
** Lua API and Lua's internals are visible). Its interface is
** vm/ref/lvt_ref_lua.h.
**
** One engine (LvtRefLua) runs programs, each in a pristine lua_State:
**
**   image: lua_newstate + libraries + GC mode + safety nets + the sandbox
**          module, built once in a private arena and copied aside;
**   run:   one lua_pcall of 'run_protected': guard on (count hook),
**          M.run(src, name, opts) -> res table, copied into the LvtRun;
**          trips (limits hit, os.exit) override the sandbox's outcome;
**   reset: the files the program left open are closed, every block it
**          allocated is freed, and the arena is overwritten with the image:
**          the next program gets a byte-identical freshly booted state at
**          the same address.
**
** Why: booting a state and loading sandbox.lua costs ~200 us, which would
** cap throughput at ~4,000 programs/s; the copy costs a few us. While the
** image is built every allocation comes from the arena (a bump allocator);
** afterwards the program's allocations are malloc'd blocks on a list (so
** they can be freed without Lua walking every object), and image blocks
** that Lua frees or grows are simply left in the arena (the copy brings
** them back). A new image (a real new lua_State) is built when the hash
** seed or GC mode changes, or for every run on request.
**
** The reset runs no finalizer: objects still alive when the program ends
** are dropped, as with lua_close minus the __gc calls. Their output would
** not be captured anyway (the sandbox has returned), and a finalizer that
** loops would hang lvtest: Lua runs finalizers with hooks off.
**
** The guard is a C count hook that the program cannot remove (the debug
** library's hook functions are routed through 'lvt_guard_sethook' & co.,
** which keep the guard and multiplex the program's own hook behind it) and
** cannot escape: once a limit is hit it raises at every instruction that
** is not the sandbox's own code, so the program unwinds through any pcall
** while the sandbox can still package the result.
*/
#include "vm/ref/lvt_lua54_engine.h"
#include "vm/ref/lvt_lua54_guard.h"

/* =====================================================================
** Booting a state: libraries, GC mode, nets, the sandbox module
** ===================================================================== */
static const char sandbox_key = 'M';   /* registry[&sandbox_key] = module */

static void gc_mode(lua_State *L, LvtRefGc gc) {
  switch (gc) {
    case LVT_REF_GC_GEN: lua_gc(L, LUA_GCGEN, 0, 0); break;
    /* pause 1% (stored /4: 0), multiplier 1000%, 2^6-byte steps */
    case LVT_REF_GC_INC_STRESS: lua_gc(L, LUA_GCINC, 1, 1000, 6); break;
    /* minor collection every 1% of growth, major past 10% */
    case LVT_REF_GC_GEN_STRESS: lua_gc(L, LUA_GCGEN, 1, 10); break;
    default: lua_gc(L, LUA_GCINC, 0, 0, 0); break;
  }
}

/* Gives every proto of the closure on top a private copy of its 'source'
** (same text), whose identity marks the sandbox's code (in_sandbox). */
static void relabel(lua_State *L, Proto *p, TString *ts) {
  int i;
  p->source = ts;
  luaC_objbarrier(L, p, ts);
  for (i = 0; i < p->sizep; i++) relabel(L, p->p[i], ts);
}

static void mark_sandbox(lua_State *L, LvtRefLua *vm) {
  Proto *p = clLvalue(index2value(L, -1))->p;
  const char *name = p->source != NULL ? getstr(p->source) : vm->sbname;
  size_t len = p->source != NULL ? tsslen(p->source) : strlen(vm->sbname);
  TString *ts = luaS_createlngstrobj(L, len);
  memcpy(getstr(ts), name, len);
  relabel(L, p, ts);
  vm->sbsrc = ts;
}

/* Boots a new state (in protected mode; arguments: the engine and the GC
** mode): libraries, nets, the sandbox module kept in the registry with
** the engine's preludes compiled in it, then a full collection so that
** the image holds no garbage to collect. */
static int boot_protected(lua_State *L) {
  LvtRefLua *vm = (LvtRefLua *)lua_touserdata(L, 1);
  LvtRefGc gc = (LvtRefGc)lua_tointeger(L, 2);
  int i;
  lua_settop(L, 0);
  gc_mode(L, gc);
  luaL_openlibs(L);
  nets_install(L);
  if (luaL_loadbufferx(L, vm->sandbox.data, vm->sandbox.len, vm->sbname, "b") != LUA_OK)
    lua_error(L);
  mark_sandbox(L, vm);
  lua_call(L, 0, 1);
  if (!lua_istable(L, -1))
    luaL_error(L, "sandbox.lua returned a %s, not a module table", luaL_typename(L, -1));
  for (i = 0; i < vm->npre; i++) {   /* (a failure shows at the run) */
    lua_getfield(L, -1, "preload");
    lua_pushlstring(L, vm->pre[i].text.data, vm->pre[i].text.len);
    lua_pushstring(L, vm->pre[i].name);
    lua_call(L, 2, 0);
  }
  lua_rawsetp(L, LUA_REGISTRYINDEX, &sandbox_key);
  if (lua_getfield(L, LUA_REGISTRYINDEX, LUA_FILEHANDLE) == LUA_TTABLE)
    vm->file_mt = hvalue(index2value(L, -1));
  lua_pop(L, 1);
  lua_gc(L, LUA_GCCOLLECT, 0);
  return 0;
}

/* =====================================================================
** One run
** ===================================================================== */
typedef struct Frame {
  LvtRefLua *vm;
  const LvtRefLuaJob *job;
  LvtRun *out;
  int kept;        /* the state ran a program before (reuse mode) */
  int dirty;
} Frame;

/* Copies the string field 'k' of table 't' into 'dst'; 0 if absent. */
static int field_buf(lua_State *L, int t, const char *k, LvtBuf *dst) {
  size_t n;
  const char *s;
  int ok = lua_getfield(L, t, k) == LUA_TSTRING;
  if (ok) {
    s = lua_tolstring(L, -1, &n);
    lvt_buf_set(dst, s, n);
  }
  lua_pop(L, 1);
  return ok;
}

static int field_bool(lua_State *L, int t, const char *k) {
  int v;
  lua_getfield(L, t, k);
  v = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

static int field_int(lua_State *L, int t, const char *k) {
  lua_Integer v;
  lua_getfield(L, t, k);
  v = lua_tointegerx(L, -1, NULL);
  lua_pop(L, 1);
  return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : (int)v;
}

/* Copies the sandbox's result table at 'res' into the run. */
static void extract(lua_State *L, int res, Frame *f) {
  LvtRun *out = f->out;
  LvtBuf s = LVT_BUF_INIT;
  int o = field_buf(L, res, "outcome", &s) ? lvt_outcome_parse(lvt_buf_str(&s)) : -1;
  if (o < 0) {
    lua_pushfstring(L, "sandbox.lua: bad outcome '%s'", lvt_buf_str(&s));
    lvt_buf_reset(&s);
    lua_error(L);
  }
  out->outcome = (LvtOutcome)o;
  field_buf(L, res, "out", &out->out);
  out->out_truncated = field_bool(L, res, "truncated");
  if (field_buf(L, res, "errtype", &s))
    snprintf(out->err_type, sizeof out->err_type, "%s", lvt_buf_str(&s));
  field_buf(L, res, "errval", &out->err_value);
  out->exit_code = field_int(L, res, "exitcode");
  field_buf(L, res, "detail", &out->detail);
  f->dirty = field_bool(L, res, "dirty");
  lvt_buf_reset(&s);
}

/* The one protected entry of a run: M.run(src, name, opts) with the guard
** on, its result copied into the run. */
static int run_protected(lua_State *L) {
  Frame *f = (Frame *)lua_touserdata(L, 1);
  const LvtProgram *p = f->job->prog;
  const LvtLimits *lim = f->job->lim;
  if (f->kept) gc_mode(L, f->job->gc);   /* the sandbox resets it */
  if (!lim->deterministic) {     /* the image would repeat its sequence */
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, LUA_MATHLIBNAME);
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, (lua_Integer)(lvt_now_ms() * 1e6));
    lua_pushinteger(L, (lua_Integer)++f->vm->reseeds);
    lua_call(L, 2, 0);
    lua_pop(L, 2);
  }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &sandbox_key);
  lua_getfield(L, -1, "run");
  lua_pushlstring(L, p->src, p->len);
  lua_pushstring(L, p->name != NULL ? p->name : "?");   /* it adds the '=' */
  lua_createtable(L, 0, 8);
  lua_pushinteger(L, 0);                 /* the guard counts, not the sandbox */
  lua_setfield(L, -2, "instr_limit");
  lua_pushinteger(L, (lua_Integer)(lim->max_output ? lim->max_output
                                                   : LVT_DEFAULT_MAX_OUTPUT));
  lua_setfield(L, -2, "max_output");
  lua_pushboolean(L, lim->deterministic);
  lua_setfield(L, -2, "deterministic");
  lua_pushboolean(L, lim->allow_binary);
  lua_setfield(L, -2, "allow_binary");
  if (p->prelude != NULL) {
    lua_pushlstring(L, p->prelude, p->prelude_len);
    lua_setfield(L, -2, "prelude");
  }
  /* (the program names no way to shared state: see PROTOCOL.md) */
  lua_pushboolean(L, f->job->pure || lvt_proto_pure_program(p));
  lua_setfield(L, -2, "pure");
  if (f->job->scratch != NULL) {
    lua_pushstring(L, f->job->scratch);
    lua_setfield(L, -2, "scratch");
  }
  lua_pushcfunction(L, host_stop);
  lua_setfield(L, -2, "host_stop");
  guard_install(f->vm, L);
  lua_call(L, 3, 1);
  if (!lua_istable(L, -1))
    luaL_error(L, "sandbox.lua: run returned a %s, not a table", luaL_typename(L, -1));
  extract(L, lua_gettop(L), f);
  return 0;
}

/* Starts the per-run state of the engine. */
static void run_begin(LvtRefLua *vm, const LvtRefLuaJob *job, LvtRun *out) {
  const LvtLimits *lim = job->lim;
  vm->cap = lim->mem_limit;
  vm->max_output = lim->max_output ? lim->max_output : LVT_DEFAULT_MAX_OUTPUT;
  vm->headroom = 0;
  vm->pend.on = 0;
  vm->instr_limit = lim->instr_limit;
  vm->used = 0;
  vm->timeout_ms = lim->timeout_ms;
  vm->deadline = lim->timeout_ms ? lvt_now_ms() + lim->timeout_ms : 0;
  vm->trip = TRIP_NONE;
  vm->exit_code = 0;
  vm->warn_on = vm->warn_cont = 0;
  vm->errout = &out->errout;
  vm->peak = vm->live;
}

/* Sets the outcome of a tripped run over whatever the sandbox said. */
static void apply_trip(const LvtRefLua *vm, LvtRun *out) {
  static const LvtOutcome outcome[] = {
    LVT_RUN_OK, LVT_RUN_TIMEOUT, LVT_RUN_TIMEOUT, LVT_RUN_NOMEM, LVT_RUN_EXIT
  };
  out->outcome = outcome[vm->trip];
  lvt_buf_clear(&out->err_value);
  out->err_type[0] = '\0';
  out->exit_code = vm->trip == TRIP_EXIT ? vm->exit_code : 0;
  lvt_buf_clear(&out->detail);
  switch (vm->trip) {
    case TRIP_INSTR: lvt_buf_adds(&out->detail, "instruction limit"); break;
    case TRIP_TIME: lvt_buf_addf(&out->detail, "time limit (%u ms)", vm->timeout_ms); break;
    case TRIP_MEMORY:
      if (vm->cap != 0) lvt_buf_addf(&out->detail, "memory limit (%zu bytes)", vm->cap);
      else lvt_buf_adds(&out->detail, "out of memory");
      break;
    default: break;
  }
}

/* =====================================================================
** The image: building a state, and going back to it after a run
** ===================================================================== */

/* Builds a new booted state in the arena and copies it aside. A failure
** of the sandbox to load is LVT_ERR_VM: no program could run. */
static int image_build(LvtRefLua *vm, unsigned seed, LvtRefGc gc, LvtErr *e) {
  lua_State *L;
  int status;
  vm->image_ok = vm->pristine = 0;
  vm->L = NULL;
  vm->sbsrc = NULL;
  vm->file_mt = NULL;
  vm->nthreads = 0;
  memset(vm->arena_free, 0, sizeof vm->arena_free);
  vm->arena_used = vm->live = 0;
  vm->cap = vm->headroom = 0;
  vm->pend.on = 0;
  vm->trip = TRIP_NONE;
  vm->seed = seed;
  vm->building = 1;
  L = lua_newstate(ref_alloc, vm);
  if (L == NULL) {
    vm->building = 0;
    return lvt_err_set(e, LVT_ERR_VM, "no room for a Lua state in the arena");
  }
  memset(lua_getextraspace(L), 0, LUA_EXTRASPACE);
  lua_setwarnf(L, warn_fn, vm);
  vm->L = L;
  vm->states++;
  lua_pushcfunction(L, boot_protected);
  lua_pushlightuserdata(L, vm);
  lua_pushinteger(L, (lua_Integer)gc);
  status = lua_pcall(L, 2, 0, 0);
  vm->building = 0;
  memset(vm->arena_free, 0, sizeof vm->arena_free);   /* (for the next build) */
  if (status != LUA_OK) {
    /* Forget the arena: the state holds nothing outside it. */
    int rc = lvt_err_set(e, LVT_ERR_VM, "%s: %s", vm->sbname,
                         lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
    vm->L = NULL;
    vm->sbsrc = NULL;
    vm->arena_used = vm->live = 0;
    return rc;
  }
  vm->image = lvt_xrealloc(vm->image, vm->arena_used);
  memcpy(vm->image, vm->arena, vm->arena_used);
  vm->image_len = vm->arena_used;
  vm->image_live = vm->live;
  vm->image_nthreads = vm->nthreads;
  vm->image_seed = seed;
  vm->image_gc = gc;
  vm->image_ok = vm->pristine = 1;
  return LVT_OK;
}

/* Closes the io handles the program left open: they are the objects with
** a finalizer whose metatable is the image's "FILE*" one (the standard
** files of the image have 'io_noclose' and stay). */
static void close_files(LvtRefLua *vm) {
  global_State *g = G(vm->L);
  GCObject *lists[2];
  int i;
  lists[0] = g->finobj;
  lists[1] = g->tobefnz;
  for (i = 0; i < 2; i++) {
    GCObject *o;
    for (o = lists[i]; o != NULL; o = o->next) {
      LStream *p;
      if (o->tt != LUA_VUSERDATA || gco2u(o)->metatable != vm->file_mt) continue;
      p = (LStream *)getudatamem(gco2u(o));
      if (p->closef == &io_fclose && p->f != NULL) {
        fclose(p->f);
        p->closef = NULL;
      }
    }
  }
}

/* Back to the image: the program's files are closed and its blocks freed
** (no finalizer runs, see the top of this file), then the arena is
** overwritten. */
static void image_restore(LvtRefLua *vm) {
  if (!vm->image_ok || vm->pristine) return;
  close_files(vm);
  blk_free_all(vm);
  memcpy(vm->arena, vm->image, vm->image_len);
  vm->live = vm->image_live;
  vm->nthreads = vm->image_nthreads;   /* (the program's threads are gone) */
  vm->pristine = 1;
}

/* Forgets the preludes the image keeps: the next image has none. */
static void preludes_forget(LvtRefLua *vm) {
  while (vm->npre > 0) {
    vm->npre--;
    free(vm->pre[vm->npre].name);
    lvt_buf_reset(&vm->pre[vm->npre].text);
  }
}

/* Whether the image keeps the prelude of 'p' compiled; if not, it is
** added (the oldest dropped) and the next image will: a new image is
** needed. */
static int prelude_known(LvtRefLua *vm, const LvtProgram *p) {
  const char *name = p->name != NULL ? p->name : "?";
  int i;
  for (i = 0; i < vm->npre; i++)
    if (vm->pre[i].text.len == p->prelude_len && strcmp(vm->pre[i].name, name) == 0 &&
        memcmp(vm->pre[i].text.data, p->prelude, p->prelude_len) == 0)
      return 1;
  if (vm->npre == REF_PRELUDES) {
    free(vm->pre[0].name);
    lvt_buf_reset(&vm->pre[0].text);
    memmove(&vm->pre[0], &vm->pre[1], (REF_PRELUDES - 1) * sizeof vm->pre[0]);
    vm->npre--;
  }
  vm->pre[vm->npre].name = lvt_xstrdup(name);
  lvt_buf_init(&vm->pre[vm->npre].text);
  lvt_buf_set(&vm->pre[vm->npre].text, p->prelude, p->prelude_len);
  vm->npre++;
  return 0;
}

int lvt_reflua_run(LvtRefLua *vm, const LvtRefLuaJob *job, LvtRun *out,
                   int *dirty, LvtErr *e) {
  Frame f;
  lua_State *L;
  int status, rc;
  *dirty = 0;
  if (job->prog->prelude != NULL && !prelude_known(vm, job->prog)) {
    image_restore(vm);   /* (frees what a kept state holds) */
    vm->image_ok = 0;
  }
  if (!vm->image_ok || vm->image_seed != job->seed || vm->image_gc != job->gc) {
    image_restore(vm);
    rc = image_build(vm, job->seed, job->gc, e);
    if (rc != LVT_OK && vm->npre > 0) {
      /* A prelude the arena cannot hold (ARENA_MAX) must not stop every
      ** later run: the image goes without, the sandbox compiles the
      ** run's prelude itself (a memory outcome if it must be one). */
      preludes_forget(vm);
      rc = image_build(vm, job->seed, job->gc, e);
    }
    if (rc != LVT_OK) return rc;
  }
  f.vm = vm;
  f.job = job;
  f.out = out;
  f.kept = !vm->pristine;
  f.dirty = 0;
  run_begin(vm, job, out);
  L = vm->L;
  vm->pristine = 0;
  lua_pushcfunction(L, run_protected);
  lua_pushlightuserdata(L, &f);
  status = lua_pcall(L, 1, 0, 0);
  guard_disarm(vm);
  vm->lazy = 0;
  if (status != LUA_OK) {
    /* The sandbox could not report: a trip explains it, else the sandbox
    ** broke (outcome crash, as when lvx.lua dies in a child). */
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
    lvt_buf_clear(&out->out);
    out->outcome = LVT_RUN_CRASH;
    lvt_buf_set(&out->detail, "sandbox: ", 9);
    lvt_buf_adds(&out->detail, msg);
    lua_pop(L, 1);
  }
  pend_settle(vm);
  if (vm->trip != TRIP_NONE) apply_trip(vm, out);
  out->peak_mem = vm->peak;
  *dirty = f.dirty;
  if (!job->reuse || f.dirty || status != LUA_OK || vm->trip != TRIP_NONE)
    image_restore(vm);
  if (job->new_state) vm->image_ok = 0;
  vm->errout = NULL;
  return LVT_OK;
}

void lvt_reflua_reset(LvtRefLua *vm) {
  image_restore(vm);
}

/* =====================================================================
** The engine: compiling the sandbox once
** ===================================================================== */
static int dump_writer(lua_State *L, const void *p, size_t n, void *ud) {
  (void)L;
  lvt_buf_add((LvtBuf *)ud, p, n);
  return 0;
}

/* Compiles the sandbox, dumps it, and checks that it loads as a module
** with a 'run' function (in protected mode). */
static int compile_protected(lua_State *L) {
  LvtRefLua *vm = (LvtRefLua *)lua_touserdata(L, 1);
  const char *src = (const char *)lua_touserdata(L, 2);
  size_t len = (size_t)lua_tointeger(L, 3);
  if (luaL_loadbufferx(L, src, len, vm->sbname, "t") != LUA_OK) lua_error(L);
  lvt_buf_clear(&vm->sandbox);
  lua_dump(L, dump_writer, &vm->sandbox, 0);
  lua_pop(L, 1);
  luaL_openlibs(L);
  nets_install(L);
  if (luaL_loadbufferx(L, vm->sandbox.data, vm->sandbox.len, vm->sbname, "b") != LUA_OK)
    lua_error(L);
  lua_call(L, 0, 1);
  if (!lua_istable(L, -1))
    return luaL_error(L, "returned a %s, not a module table", luaL_typename(L, -1));
  if (lua_getfield(L, -1, "run") != LUA_TFUNCTION)
    return luaL_error(L, "the module has no 'run' function");
  return 0;
}

int lvt_reflua_new(LvtRefLua **out, const char *sb, size_t sblen,
                   const char *sbname, LvtErr *e) {
  LvtRefLua *vm = lvt_xcalloc(1, sizeof *vm);
  lua_State *L;
  int rc = LVT_OK;
  *out = NULL;
  lvt_buf_init(&vm->sandbox);
  vm->sbname = lvt_xstrdup(sbname);
  vm->blocks = lvt_xmalloc(sizeof *vm->blocks);
  vm->blocks->prev = vm->blocks->next = vm->blocks;
  L = lua_newstate(ref_alloc, vm);
  if (L == NULL) {
    rc = lvt_err_set(e, LVT_ERR_NOMEM, "cannot create a Lua state");
    goto fail;
  }
  lua_pushcfunction(L, compile_protected);
  lua_pushlightuserdata(L, vm);
  lua_pushlightuserdata(L, (void *)(uintptr_t)sb);
  lua_pushinteger(L, (lua_Integer)sblen);
  if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
    rc = lvt_err_set(e, LVT_ERR_VM, "%s: %s", sbname,
                     lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
  }
  lua_close(L);
  if (rc != LVT_OK) goto fail;
  vm->arena = mmap(NULL, ARENA_MAX, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (vm->arena == MAP_FAILED) {
    vm->arena = NULL;
    rc = lvt_err_set(e, LVT_ERR_NOMEM, "cannot reserve %zu MiB for the Lua image: %s",
                     ARENA_MAX >> 20, strerror(errno));
    goto fail;
  }
  if (RUN_MAX > 0) {
    vm->run = mmap(NULL, RUN_MAX, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (vm->run == MAP_FAILED) vm->run = NULL;   /* (all blocks malloc'd then) */
  }
  *out = vm;
  return LVT_OK;
fail:
  lvt_reflua_free(vm);
  return rc;
}

void lvt_reflua_free(LvtRefLua *vm) {
  if (vm == NULL) return;
  image_restore(vm);          /* the program's files and blocks */
  if (vm->arena != NULL) munmap(vm->arena, ARENA_MAX);
  if (vm->run != NULL) munmap(vm->run, RUN_MAX);
  if (vm->timer_ok) timer_delete(vm->timer);
  free((void *)vm->threads);
  free(vm->image);
  free(vm->blocks);
  preludes_forget(vm);
  lvt_buf_reset(&vm->sandbox);
  free(vm->sbname);
  free(vm);
}

size_t lvt_reflua_live(const LvtRefLua *vm) {
  return vm->live;
}

size_t lvt_reflua_states(const LvtRefLua *vm) {
  return vm->states;
}

void lvt_reflua_region(const LvtRefLua *vm, size_t *size, size_t *ended) {
  *size = vm->run != NULL ? RUN_MAX : 0;
  *ended = vm->run_ended;
}

size_t lvt_reflua_image(const LvtRefLua *vm) {
  return vm->image_ok ? vm->image_len : 0;
}
