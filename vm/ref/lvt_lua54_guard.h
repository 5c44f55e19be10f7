/*
** lvt_lua54_guard.h -- what stands between a program and lvtest's process
** in the reference TU: the guard (budget, clock and trips behind one count
** hook, the program's own debug hooks multiplexed behind it), Lua
** warnings, and the safety nets in the library tables. Included by
** vm/ref/lvt_lua54_adapter.h after vm/ref/lvt_lua54_engine.h.
*/
/* =====================================================================
** The guard: budget, clock and trips behind one count hook
** ===================================================================== */

/* The program's own hook settings of a thread (what debug.sethook asked)
** and the guard's count, kept in the thread's extra space (new threads
** copy the main thread's). The program's call/return/line bits live in the
** real hook mask. */
typedef struct UserHook {
  int count;   /* the program's count hook period; 0 = none */
  int left;    /* instructions until the program's next count event */
  int armed;   /* instructions from the last arming to the next event */
  int slot;    /* a coroutine's index in the engine's 'threads' */
} UserHook;

_Static_assert(sizeof(UserHook) <= LUA_EXTRASPACE, "LUA_EXTRASPACE too small");

static UserHook *user_hook(lua_State *L) {
  return (UserHook *)lua_getextraspace(L);
}

/* Instructions until the guard must look again. */
static int guard_count(const LvtRefLua *vm, lua_State *L) {
  const UserHook *u = user_hook(L);
  uint64_t n = GUARD_STEP;
  if (vm->trip != TRIP_NONE) return 1;
  if (vm->instr_limit != 0) {
    uint64_t left = vm->instr_limit > vm->used ? vm->instr_limit - vm->used : 1;
    if (left < n) n = left;
  }
  if (u->count > 0 && u->left < (int)n) n = u->left > 0 ? (uint64_t)u->left : 1;
  return n > 0 ? (int)n : 1;
}

/* Sets the count period of 'L' without lua_sethook (which walks the
** whole CallInfo chain); the traps are already set. */
static void guard_rearm(const LvtRefLua *vm, lua_State *L) {
  int n = guard_count(vm, L);
  L->basehookcount = n;
  resethookcount(L);
  user_hook(L)->armed = n;
}

/* Whether the running function is the sandbox's: protos are recognised by
** the identity of their 'source' string, a private copy made at load, so
** a program cannot forge it with load(..., sandbox's chunk name). */
static int in_sandbox(const LvtRefLua *vm, const lua_Debug *ar) {
  const CallInfo *ci = ar->i_ci;
  return vm->sbsrc != NULL && isLua(ci) && ci_func(ci)->p->source == vm->sbsrc;
}

/* Whether the Lua hook function of 'L' (ldblib's hook table) is the
** sandbox's own (its stopper). */
static int sandbox_hook(const LvtRefLua *vm, lua_State *L) {
  int yes = 0;
  if (lua_getfield(L, LUA_REGISTRYINDEX, HOOKKEY) == LUA_TTABLE) {
    lua_pushthread(L);
    if (lua_rawget(L, -2) == LUA_TFUNCTION && !lua_iscfunction(L, -1))
      yes = clLvalue(index2value(L, -1))->p->source == vm->sbsrc;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return yes;
}

static int hookf_protected(lua_State *L) {
  hookf(L, (lua_Debug *)lua_touserdata(L, 1));
  return 0;
}

/* Passes a hook event to the Lua hook function (ldblib's 'hookf'). When
** that is the sandbox's stopper, an error it raises is raised again with
** hooks on, for the reason given at trip_raise. */
static void forward(const LvtRefLua *vm, lua_State *L, lua_Debug *ar) {
  if (!sandbox_hook(vm, L)) {
    hookf(L, ar);
    return;
  }
  lua_pushcfunction(L, hookf_protected);
  lua_pushlightuserdata(L, ar);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    L->allowhook = 1;
    lua_error(L);
  }
}

static void guard_hook(lua_State *L, lua_Debug *ar) {
  LvtRefLua *vm = engine_of(L);
  UserHook *u = user_hook(L);
  int n = u->armed;
  if (ar->event != LUA_HOOKCOUNT) {      /* only set when the program asked */
    /* The sandbox's functions stand in for C functions (print...): their
    ** lines are not the program's. */
    if (ar->event != LUA_HOOKLINE || !in_sandbox(vm, ar)) forward(vm, L, ar);
    return;
  }
  vm->used += (uint64_t)n;
  if (vm->trip == TRIP_NONE) {
    if (vm->instr_limit != 0 && vm->used >= vm->instr_limit)
      trip_set(vm, TRIP_INSTR);
    else if (vm->deadline > 0 && lvt_now_ms() >= vm->deadline)
      trip_set(vm, TRIP_TIME);
  }
  if (vm->trip != TRIP_NONE) {           /* look at every instruction now */
    guard_rearm(vm, L);
    if (!in_sandbox(vm, ar)) trip_raise(vm, L);
    return;
  }
  if (u->count > 0 && (u->left -= n) <= 0) {
    if (in_sandbox(vm, ar)) {
      u->left = 0;                       /* due: fire back in the program */
    } else {
      /* As in Lua, the hook function's own instructions count towards
      ** the next period: run it with the period armed and see what is
      ** left (if it raises, the guard still looks within GUARD_STEP). */
      unsigned gen = vm->hook_gen;
      int base = u->count < GUARD_STEP ? u->count : GUARD_STEP;
      u->left = u->count;
      L->basehookcount = base;
      resethookcount(L);
      u->armed = base;
      forward(vm, L, ar);
      if (vm->hook_gen == gen) {         /* the hook did not re-hook */
        int ran = base - L->hookcount;
        vm->used += (uint64_t)ran;
        u->left = u->count - ran;
      }
    }
  }
  guard_rearm(vm, L);
}

/* ---------------------------------------------------------------------
** The lazy guard. With no instruction budget the count hook would only
** look at the clock, yet while it is set every instruction goes through
** luaG_traceexec (~11% of a run's instructions). Such a run starts with
** no hook at all ('vm->lazy'): the clock is a timer that fires at the
** deadline, whose handler traps every thread of the state (the main one
** and the live coroutines, kept in 'vm->threads' by the luai_userstate*
** hooks), as lua.c's SIGINT handler traps its state (lua_sethook is meant
** to be called from a signal handler); the guard hook then runs at the
** next instruction of whichever thread runs, and trips. A trip (os.exit,
** the memory cap) traps every thread at once, and a hook of the program's
** installs the guard as before.
** --------------------------------------------------------------------- */
#define GUARD_SIGNAL (SIGRTMIN + 3)

static int guard_signal_ok;

/* The guard hook on thread 'T' (a no-op when it is there). */
static void guard_trap(lua_State *T) {
  if (T->hook != guard_hook) lua_sethook(T, guard_hook, LUA_MASKCOUNT, 1);
}

/* Traps the main thread and every live coroutine. Also run by the signal
** handler: it reads 'threads' as the main flow keeps it consistent at
** every step (a slot is written before the count grows; a grown array
** replaces the old one before that is freed). */
static void guard_trap_all(LvtRefLua *vm) {
  lua_State *volatile *t = vm->threads;
  size_t i, n = vm->nthreads;
  if (vm->L != NULL) guard_trap(vm->L);
  for (i = 0; i < n; i++) guard_trap(t[i]);
}

static void guard_alarm(int sig, siginfo_t *si, void *uc) {
  LvtRefLua *vm = (LvtRefLua *)si->si_value.sival_ptr;
  int saved = errno;
  (void)sig;
  (void)uc;
  if (vm != NULL && vm->armed) guard_trap_all(vm);
  errno = saved;
}

static void guard_signal_init(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = guard_alarm;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  guard_signal_ok = sigaction(GUARD_SIGNAL, &sa, NULL) == 0;
}

/* Whether the engine's timer is ready to signal the calling thread. */
static int guard_timer(LvtRefLua *vm) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pid_t tid = (pid_t)syscall(SYS_gettid);
  struct sigevent sev;
  pthread_once(&once, guard_signal_init);
  if (!guard_signal_ok) return 0;
  if (vm->timer_ok && vm->timer_tid == tid) return 1;
  if (vm->timer_ok) timer_delete(vm->timer);
  vm->timer_ok = 0;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = GUARD_SIGNAL;
  sev.sigev_value.sival_ptr = vm;
#ifdef sigev_notify_thread_id
  sev.sigev_notify_thread_id = tid;
#else
  sev._sigev_un._tid = tid;   /* (glibc before 2.38 names no field for it) */
#endif
  if (timer_create(CLOCK_MONOTONIC, &sev, &vm->timer) != 0) return 0;
  vm->timer_ok = 1;
  vm->timer_tid = tid;
  return 1;
}

/* Stops the timer at the end of a run (a signal already on its way finds
** 'armed' off). */
static void guard_disarm(LvtRefLua *vm) {
  struct itimerspec off;
  if (!vm->armed) return;
  vm->armed = 0;
  memset(&off, 0, sizeof off);
  timer_settime(vm->timer, 0, &off, NULL);
}

/* The thread list (luai_userstatethread / luai_userstatefree). */
static void lvt_thread_new(lua_State *L, lua_State *L1) {
  LvtRefLua *vm;
  if (!is_engine(L)) return;
  vm = engine_of(L);
  if (vm->nthreads == vm->capthreads) {
    size_t cap = vm->capthreads ? vm->capthreads * 2 : 64;
    lua_State *volatile *old = vm->threads;
    lua_State *volatile *a = lvt_xmalloc(cap * sizeof *a);
    size_t i;
    for (i = 0; i < vm->nthreads; i++) a[i] = old[i];
    vm->threads = a;
    vm->capthreads = cap;
    free((void *)old);
  }
  user_hook(L1)->slot = (int)vm->nthreads;
  vm->threads[vm->nthreads] = L1;
  vm->nthreads = vm->nthreads + 1;
}

static void lvt_thread_free(lua_State *L, lua_State *L1) {
  LvtRefLua *vm;
  size_t i, n;
  if (!is_engine(L)) return;
  vm = engine_of(L);
  i = (size_t)user_hook(L1)->slot;
  n = vm->nthreads;
  if (i >= n || vm->threads[i] != L1) return;   /* (not ours: not listed) */
  vm->threads[i] = vm->threads[n - 1];
  user_hook(vm->threads[i])->slot = (int)i;
  vm->nthreads = n - 1;
}

/* Installs the guard on the main thread before a program, with no hook
** of a program (a kept state may hold the last program's): the count hook
** when there is a budget (or no timer), else nothing but the timer. */
static void guard_install(LvtRefLua *vm, lua_State *L) {
  memset(user_hook(L), 0, sizeof(UserHook));
  vm->lazy = vm->instr_limit == 0 && (vm->deadline == 0 || guard_timer(vm));
  if (vm->lazy) {
    lua_sethook(L, NULL, 0, 0);
    if (vm->deadline > 0) {
      struct itimerspec at;
      double ms = vm->deadline - lvt_now_ms();
      if (ms < 1) ms = 1;
      memset(&at, 0, sizeof at);
      at.it_value.tv_sec = (time_t)(ms / 1000);
      at.it_value.tv_nsec = (long)((ms - (double)at.it_value.tv_sec * 1000) * 1e6);
      vm->armed = 1;
      if (timer_settime(vm->timer, 0, &at, NULL) != 0) {
        vm->armed = 0;
        vm->lazy = 0;
      }
    }
    if (vm->lazy) return;
  }
  lua_sethook(L, guard_hook, LUA_MASKCOUNT, 1);
  guard_rearm(vm, L);
}

/* debug.sethook / debug.gethook land here (see vm/ref/lvt_lua54.c). A
** state of the standalone programs has no guard: its hooks are Lua's own
** (the getters below see no 'guard_hook' there and answer as Lua does). */
static void lvt_guard_sethook(lua_State *L, lua_Hook f, int mask, int count) {
  LvtRefLua *vm;
  UserHook *u;
  if (!is_engine(L)) {
    lua_sethook(L, f, mask, count);
    return;
  }
  vm = engine_of(L);
  u = user_hook(L);
  if (f == NULL || mask == 0) mask = count = 0;
  u->count = (mask & LUA_MASKCOUNT) ? count : 0;
  u->left = u->count;
  vm->hook_gen++;
  lua_sethook(L, guard_hook, (mask & ~LUA_MASKCOUNT) | LUA_MASKCOUNT, 1);
  guard_rearm(vm, L);
}

static lua_Hook lvt_guard_gethook(lua_State *L) {
  if (L->hook != guard_hook) return L->hook;
  return lvt_guard_gethookmask(L) != 0 ? hookf : NULL;
}

static int lvt_guard_gethookmask(lua_State *L) {
  if (L->hook != guard_hook) return L->hookmask;
  return (L->hookmask & ~LUA_MASKCOUNT) |
         (user_hook(L)->count > 0 ? LUA_MASKCOUNT : 0);
}

static int lvt_guard_gethookcount(lua_State *L) {
  if (L->hook != guard_hook) return L->basehookcount;
  return user_hook(L)->count;
}

/* =====================================================================
** Warnings: lauxlib's "@on"/"@off" protocol, written to the run's errout
** ===================================================================== */
static void warn_add(LvtRefLua *vm, const char *s) {
  if (vm->errout != NULL && vm->errout->len < WARN_MAX) lvt_buf_adds(vm->errout, s);
}

static void warn_fn(void *ud, const char *msg, int tocont) {
  LvtRefLua *vm = (LvtRefLua *)ud;
  if (!vm->warn_cont && !tocont && msg[0] == '@') {   /* control message */
    if (strcmp(msg + 1, "on") == 0) vm->warn_on = 1;
    else if (strcmp(msg + 1, "off") == 0) vm->warn_on = 0;
    return;
  }
  if (!vm->warn_on) return;
  if (!vm->warn_cont) warn_add(vm, "Lua warning: ");
  warn_add(vm, msg);
  if (!tocont) warn_add(vm, "\n");
  vm->warn_cont = tocont;
}

/* =====================================================================
** Safety nets under the sandbox: what would harm lvtest's own process is
** replaced in the library tables before the sandbox sees them
** ===================================================================== */

/* Raises a trip set by a C function (os.exit, host_stop): the guard must
** look at the next instruction of this thread and of the main thread (a
** coroutine's resumer), not GUARD_STEP instructions later, or a program
** that catches the error (pcall) would run on for a while. */
static int trip_now(LvtRefLua *vm, lua_State *L) {
  guard_rearm(vm, L);
  if (G(L)->mainthread != L) guard_rearm(vm, G(L)->mainthread);
  return trip_raise(vm, L);
}

/* os.exit: a trip with the exit code (the real one would end lvtest). */
static int net_exit(lua_State *L) {
  LvtRefLua *vm = engine_of(L);
  if (lua_isboolean(L, 1))
    vm->exit_code = lua_toboolean(L, 1) ? EXIT_SUCCESS : EXIT_FAILURE;
  else
    vm->exit_code = (int)luaL_optinteger(L, 1, EXIT_SUCCESS);
  trip_set(vm, TRIP_EXIT);
  return trip_now(vm, L);
}

/* opts.host_stop(kind, code) for the sandbox: stops the program with the
** guard's trip instead of a Lua hook ("exit": os.exit with 'code',
** "timeout": the budget), so no hook of the sandbox's is visible to the
** program or removable by it. Never returns. */
static int host_stop(lua_State *L) {
  LvtRefLua *vm = engine_of(L);
  const char *kind = luaL_checkstring(L, 1);
  if (strcmp(kind, "exit") == 0) {
    vm->exit_code = (int)luaL_optinteger(L, 2, EXIT_SUCCESS);
    trip_set(vm, TRIP_EXIT);
  } else {
    trip_set(vm, TRIP_INSTR);
  }
  return trip_now(vm, L);
}

/* os.execute, io.popen, package.loadlib (name in upvalue 1). */
static int net_disabled(lua_State *L) {
  return luaL_error(L, "%s disabled by lvtest", lua_tostring(L, lua_upvalueindex(1)));
}

/* os.setlocale: queries only (the locale is process-wide, and lvtest
** prints numbers too); setting the current locale again is allowed. */
static int net_setlocale(lua_State *L) {
  static const int cat[] = {LC_ALL, LC_COLLATE, LC_CTYPE, LC_MONETARY,
                            LC_NUMERIC, LC_TIME};
  static const char *const catnames[] = {"all", "collate", "ctype", "monetary",
                                         "numeric", "time", NULL};
  const char *l = luaL_optstring(L, 1, NULL);
  const char *cur = setlocale(cat[luaL_checkoption(L, 2, "all", catnames)], NULL);
  int same = l == NULL || (cur != NULL && (strcmp(l, cur) == 0 ||
             (strcmp(cur, "C") == 0 && strcmp(l, "POSIX") == 0)));
  if (same && cur != NULL) lua_pushstring(L, cur);
  else luaL_pushfail(L);
  return 1;
}

static void net_set(lua_State *L, const char *lib, const char *name,
                    lua_CFunction f) {
  int top = lua_gettop(L);
  if (lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE) == LUA_TTABLE &&
      lua_getfield(L, -1, lib) == LUA_TTABLE) {
    lua_pushfstring(L, "%s.%s", lib, name);
    lua_pushcclosure(L, f, 1);
    lua_setfield(L, -2, name);
  }
  lua_settop(L, top);
}

static void nets_install(lua_State *L) {
  net_set(L, LUA_OSLIBNAME, "exit", net_exit);
  net_set(L, LUA_OSLIBNAME, "execute", net_disabled);
  net_set(L, LUA_OSLIBNAME, "setlocale", net_setlocale);
  net_set(L, LUA_IOLIBNAME, "popen", net_disabled);
  net_set(L, LUA_LOADLIBNAME, "loadlib", net_disabled);
  /* No C modules: 'require' finds no file on an empty cpath. */
  if (lua_getglobal(L, LUA_LOADLIBNAME) == LUA_TTABLE) {
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
  }
  lua_pop(L, 1);
}
