/*
** test_sandbox.c -- the environment policy of vm/driver/sandbox.lua as the
** real backends apply it: 'proc' (vm/driver/lvx.lua) on lua5.1 ... lua5.4
** and luajit, and the reference ('ref', which gives the sandbox
** opts.host_stop and guards hooks in C). Checked here:
**  - the instruction budget cannot be removed from inside a program
**    (debug.sethook() and friends, in the main thread or a coroutine,
**    message handlers that loop): the run ends with detail "instruction
**    limit", not lvtest's wall clock;
**  - os.exit stays the 'exit' outcome when an xpcall handler loops;
**  - a program's own hooks behave as on the bare interpreter: the same
**    events, lines and counts as the same program run by 'luaX file'
**    (the deviations sandbox.lua documents are left out), and
**    debug.gethook returns what the program set;
**  - module() and package.seeall keep a program's output captured;
**  - preludes (opts.prelude): '...' is their results, errors, exits and
**    budgets are the program's, their state and globals are fresh in
**    every program, a closure keeps its own program's environment, and
**    more than the 8 the sandbox keeps compiled still run;
**  - the standard streams' and files' metatables are watched.
** LuaJIT's JIT would compile the busy loops, where no hook runs: those
** programs start with jit.off() (which makes the run 'dirty').
*/
#include "vm/lvt_vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/tap.h"
#include "tests/unit/vm_fixture.h"

enum { V51 = 1, V52 = 2, V53 = 4, V54 = 8, VJIT = 16, VREF = 32,
       VPUC = 15, VLUA = 31, VALL = 63 };

static const struct { const char *name; unsigned bit; } vms[] = {
  {"lua5.1", V51}, {"lua5.2", V52}, {"lua5.3", V53}, {"lua5.4", V54},
  {"luajit", VJIT}, {"ref", VREF},
};

/* The output a case expects is the bare interpreter's. */
static const char DIRECT[] = "<direct>";

#define JOFF "if jit then jit.off() end "

typedef struct Case {
  const char *what;
  unsigned vms;          /* V* bits */
  const char *src;
  unsigned long long instr_limit;   /* 0: none */
  LvtOutcome want;
  const char *out;       /* exact output, DIRECT, or NULL */
  const char *detail;    /* prefix, or NULL */
  int exit_code;
} Case;

#define ESCAPE(what, src) \
  {what, VALL, JOFF src, 200000, LVT_RUN_TIMEOUT, NULL, "instruction limit", 0}

static const Case cases[] = {
  /* The budget stays in force whatever the program does with hooks. */
  ESCAPE("sethook() removes no budget", "debug.sethook() while true do end"),
  ESCAPE("sethook(f, '', 0)", "debug.sethook(function() end, '', 0) while true do end"),
  ESCAPE("a count hook with a huge period",
         "debug.sethook(function() end, '', 1e9) while true do end"),
  ESCAPE("a line hook", "debug.sethook(function() end, 'l') while true do end"),
  ESCAPE("a call hook", "debug.sethook(function() end, 'c') local function f() end while true do f() end"),
  ESCAPE("sethook() inside a coroutine",
         "local co = coroutine.create(function() debug.sethook() while true do end end) "
         "coroutine.resume(co)"),
  ESCAPE("a hook set on another coroutine",
         "local co = coroutine.create(function() end) "
         "debug.sethook(co, function() end, '', 5) while true do end"),
  ESCAPE("sethook(co) on the looping coroutine",
         "local co co = coroutine.create(function() debug.sethook(co) while true do end end) "
         "coroutine.resume(co)"),
  ESCAPE("pcall around a looping coroutine",
         "local co = coroutine.wrap(function() while true do end end) while true do pcall(co) end"),
  ESCAPE("xpcall with a looping handler, in a loop",
         "while true do xpcall(function() while true do end end, "
         "function() while true do end end) end"),
  ESCAPE("xpcall with a looping handler",
         "xpcall(function() while true do end end, function() while true do end end)"),
  ESCAPE("a handler that removes hooks and loops",
         "xpcall(function() while true do end end, "
         "function() debug.sethook() while true do end end)"),
  ESCAPE("recursion through pcall", "local function f() return pcall(f) end while true do f() end"),
  ESCAPE("pcall(error) in a loop", "while true do pcall(error) end"),
  ESCAPE("a looping __index under pcall",
         "local t = setmetatable({}, {__index = function(t, k) while true do end end}) "
         "while true do pcall(function() return t.x end) end"),
  /* os.exit is the exit outcome, even when a message handler loops. */
  {"os.exit under xpcall, looping handler", VALL,
   JOFF "xpcall(function() os.exit(7) end, function() while true do end end) print('after')",
   200000, LVT_RUN_EXIT, "", NULL, 7},
  {"... without a budget", VALL,
   JOFF "xpcall(function() os.exit(7) end, function() while true do end end) print('after')",
   0, LVT_RUN_EXIT, "", NULL, 7},
  {"xpcall(os.exit, looping handler, 7)", VALL & ~V51,
   JOFF "xpcall(os.exit, function() while true do end end, 7)", 0, LVT_RUN_EXIT, "", NULL, 7},
  {"os.exit in a program's hook", VALL,
   JOFF "debug.sethook(function() os.exit(3) end, '', 100) while true do end",
   200000, LVT_RUN_EXIT, "", NULL, 3},
  {"os.exit in a coroutine under xpcall", VALL,
   JOFF "local co = coroutine.wrap(function() xpcall(function() os.exit(4) end, "
   "function() while true do end end) end) co() print('after')",
   0, LVT_RUN_EXIT, "", NULL, 4},
  {"a C message handler is called as it is", VALL,
   "print((select(2, xpcall(function() error('msg', 0) end, debug.traceback)))"
   ":match('^msg\\nstack traceback:') ~= nil)",
   0, LVT_RUN_OK, "true\n", NULL, 0},
  /* io.close of something that is not a file is an argument error, as in
  ** liolib (it was an endless tail call inside the sandbox, found by
  ** fuzz_lua_ref). */
  {"io.close(io) is an argument error", VALL,
   "print(pcall(io.close, io)) print(pcall(io.close, 5))",
   200000, LVT_RUN_OK, DIRECT, NULL, 0},
  {"io:close() ends (with an error)", VALL,
   "print((pcall(function() return io:close() end)))",
   200000, LVT_RUN_OK, "false\n", NULL, 0},
  /* The program's own hooks: what the bare interpreter gives. */
  {"gethook with no hook", VALL, "print(debug.gethook())", 200000, LVT_RUN_OK, DIRECT, NULL, 0},
  {"gethook returns the program's hook", VALL,
   "local f = function() end debug.sethook(f, 'cr', 5) local g, m, c = debug.gethook() "
   "debug.sethook() print(g == f, m, c) debug.sethook(f, 'call', 0) "
   "print(select(2, debug.gethook())) debug.sethook() print(debug.gethook())",
   200000, LVT_RUN_OK, DIRECT, NULL, 0},
  {"gethook of a coroutine", VLUA,
   "local co = coroutine.create(function() end) local f = function() end "
   "debug.sethook(co, f, 'l') print(debug.gethook(co) == f, debug.gethook() == f) debug.sethook(co)",
   200000, LVT_RUN_OK, DIRECT, NULL, 0},
  {"a count hook of period 1", VLUA,
   JOFF "local n = 0 debug.sethook(function() n = n + 1 end, '', 1) "
   "for i = 1, 10 do local x = i end debug.sethook() print(n)",
   0, LVT_RUN_OK, DIRECT, NULL, 0},
  {"a count hook of period 7", VLUA,
   JOFF "local n = 0 debug.sethook(function() n = n + 1 end, '', 7) "
   "for i = 1, 100 do local x = i * 2 end debug.sethook() print(n)",
   0, LVT_RUN_OK, DIRECT, NULL, 0},
  {"a count hook of period 100", VLUA,
   JOFF "local n = 0 debug.sethook(function(e) if e == 'count' then n = n + 1 end end, '', 100) "
   "local s = 0 for i = 1, 10000 do s = s + i end debug.sethook() print(n, s)",
   0, LVT_RUN_OK, DIRECT, NULL, 0},
  {"a count hook longer than the budget's period", VLUA,
   JOFF "local n = 0 debug.sethook(function() n = n + 1 end, '', 2500) "
   "local s = 0 for i = 1, 20000 do s = s + i end debug.sethook() print(n)",
   0, LVT_RUN_OK, DIRECT, NULL, 0},
  {"a count hook in a coroutine", VLUA,
   JOFF "local n = 0 local co = coroutine.create(function() for i = 1, 100 do local x = i * 2 end end) "
   "debug.sethook(co, function() n = n + 1 end, '', 7) coroutine.resume(co) debug.sethook(co) print(n)",
   0, LVT_RUN_OK, DIRECT, NULL, 0},
  {"a line hook sees the program's lines", VLUA & ~V51,   /* 5.1 without a budget:
                                       ** the stand-ins' lines too (sandbox.lua) */
   JOFF "local t = {} debug.sethook(function(e, l) t[#t + 1] = e .. l end, 'l')\n"
   "local a = 1\nprint('x')\nlocal b = 2\ndebug.sethook()\nprint(table.concat(t, ','))",
   0, LVT_RUN_OK, DIRECT, NULL, 0},
  {"a line hook finds the hooked function at level 2", VLUA & ~V51,
   JOFF "local t = {} debug.sethook(function() t[#t + 1] = debug.getinfo(2, 'l').currentline end, 'l')\n"
   "local a = 1\nlocal b = 2\ndebug.sethook()\nprint(table.concat(t, ','))",
   0, LVT_RUN_OK, DIRECT, NULL, 0},
  {"call and return events", VLUA,
   JOFF "local t = {} local function g() return 1 end local function h() local v = g() return v end "
   "debug.sethook(function(e) t[#t + 1] = e end, 'cr') h() debug.sethook() print(table.concat(t, ','))",
   0, LVT_RUN_OK, DIRECT, NULL, 0},
  {"a hook that removes itself", VLUA,
   JOFF "local n = 0 debug.sethook(function() n = n + 1 if n == 3 then debug.sethook() end end, '', 5) "
   "for i = 1, 1000 do local x = i end print(n, debug.gethook())",
   0, LVT_RUN_OK, DIRECT, NULL, 0},
  {"bad arguments to sethook", VLUA,
   "print(pcall(debug.sethook, print, {})) print(pcall(debug.sethook, {}, 'l')) "
   "print(pcall(debug.sethook, print, 'l', 'x'))",
   0, LVT_RUN_OK, DIRECT, NULL, 0},
  /* module() and package.seeall: the program's environment, not the
  ** real one (whose print writes to the protocol channel). */
  {"module with package.seeall", V51 | V52 | VJIT,
   "module('m', package.seeall) print('in module', _NAME, _M == m, package.loaded.m == m)",
   0, LVT_RUN_OK, "in module\tm\ttrue\ttrue\n", NULL, 0},
  {"package.seeall", V51 | V52 | VJIT,
   "local t = {} package.seeall(t) print(getmetatable(t).__index == _G)",
   0, LVT_RUN_OK, "true\n", NULL, 0},
  /* Streams are like files: no fields of their own. */
  {"io.stdout has no __index field", VLUA, "print(io.stdout.__index)", 0, LVT_RUN_OK, "nil\n", NULL, 0},
};

/* =====================================================================
** Running programs
** ===================================================================== */

/* Opens VM 'name' (a command on PATH, or "ref"); NULL, and a failed
** test, when it cannot. */
static LvtVm *vm_open(const char *name) {
  LvtVm *vm = open_vm(name);
  TAP_OK(vm != NULL, "%s: open", name);
  return vm;
}

/* Runs 'src' after prelude 'pre' (NULL: none) on 'vm' into 'r'. */
static int run_pre(LvtVm *vm, const char *pre, const char *src, unsigned long long instr_limit,
                   LvtRun *r) {
  LvtProgram p = {"t.lua", src, strlen(src), pre, pre != NULL ? strlen(pre) : 0};
  LvtLimits lim;
  LvtErr e = {0, ""};
  int rc;
  lvt_limits_default(&lim);
  lim.timeout_ms = 5000;
  lim.instr_limit = instr_limit;
  rc = lvt_vm_run(vm, &p, &lim, r, &e);
  if (rc != LVT_OK) TAP_OK(0, "%s: run: %s", vm->name, e.msg);
  return rc;
}

static int run_src(LvtVm *vm, const char *src, unsigned long long instr_limit, LvtRun *r) {
  return run_pre(vm, NULL, src, instr_limit, r);
}

/* What 'cmd file' prints for 'src' (the bare interpreter), in 'out'. */
static int direct_output(const char *cmd, const char *src, LvtBuf *out) {
  char path[256], line[600];
  FILE *f, *p;
  size_t n;
  snprintf(path, sizeof path, "%s/lvt-sandbox-%d.lua", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
           (int)getpid());
  if ((f = fopen(path, "w")) == NULL) return -1;
  fputs(src, f);
  fclose(f);
  snprintf(line, sizeof line, "%s %s 2>&1", cmd, path);
  lvt_buf_clear(out);
  if ((p = popen(line, "r")) == NULL) {
    remove(path);
    return -1;
  }
  while ((n = fread(line, 1, sizeof line, p)) > 0) lvt_buf_add(out, line, n);
  pclose(p);
  remove(path);
  return 0;
}

/* 'path:line:' of the bare interpreter's error messages is the temp
** file's; the sandbox says 't.lua:'. Compares with that in mind. */
static int same_output(const LvtBuf *got, const LvtBuf *direct) {
  const char *g = lvt_buf_str(got), *d = lvt_buf_str(direct);
  while (*g != '\0' && *d != '\0') {
    if (strncmp(g, "t.lua:", 6) == 0 && strstr(d, "lvt-sandbox-") != NULL &&
        strstr(d, "lvt-sandbox-") < strchr(d, '\n')) {
      g += 6;
      d = strstr(d, ".lua:") + 5;
      continue;
    }
    if (*g++ != *d++) return 0;
  }
  return *g == *d;
}

static void check_case(LvtVm *vm, unsigned bit, size_t i, const Case *c, LvtRun *r, LvtBuf *direct) {
  int good;
  if (run_src(vm, c->src, c->instr_limit, r) != LVT_OK) return;
  good = r->outcome == c->want &&
         (c->detail == NULL || strncmp(lvt_buf_str(&r->detail), c->detail, strlen(c->detail)) == 0) &&
         (c->want != LVT_RUN_EXIT || r->exit_code == c->exit_code);
  if (c->out == DIRECT) {
    if (direct_output(bit == VREF ? "lua5.4" : vm->name, c->src, direct) != 0) {
      TAP_OK(0, "%s: cannot run the bare interpreter", vm->name);
      return;
    }
    good = good && same_output(&r->out, direct);
  } else if (c->out != NULL) {
    good = good && strcmp(lvt_buf_str(&r->out), c->out) == 0;
  }
  if (!TAP_OK(good, "%s case %zu: %s", vm->name, i, c->what)) {
    printf("#   outcome %s (want %s), exit %d, %.0f ms\n", lvt_outcome_name(r->outcome),
           lvt_outcome_name(c->want), r->exit_code, r->wall_ms);
    tap_diag_mem("out", lvt_buf_str(&r->out), r->out.len);
    if (c->out == DIRECT) tap_diag_mem("bare interpreter", lvt_buf_str(direct), direct->len);
    tap_diag_mem("detail", lvt_buf_str(&r->detail), r->detail.len);
    tap_diag_mem("errval", lvt_buf_str(&r->err_value), r->err_value.len);
  }
}

/* =====================================================================
** Checks that need more than one run
** ===================================================================== */

/* The program's count hook with a budget running: the same counts (PUC
** Lua; LuaJIT reports other events once a count is set, see sandbox.lua). */
static void test_counts_under_budget(LvtVm *vm, LvtRun *r, LvtBuf *direct) {
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const Case *c = &cases[i];
    if (c->out != DIRECT || c->instr_limit != 0 || strstr(c->what, "count") == NULL) continue;
    if (run_src(vm, c->src, 100000000ull, r) != LVT_OK || direct_output(vm->name, c->src, direct) != 0)
      continue;
    if (!TAP_OK(r->outcome == LVT_RUN_OK && same_output(&r->out, direct), "%s: %s, under a budget",
                vm->name, c->what)) {
      tap_diag_mem("out", lvt_buf_str(&r->out), r->out.len);
      tap_diag_mem("bare interpreter", lvt_buf_str(direct), direct->len);
    }
  }
}

/* Changing the metatables of streams and files is 'dirty': the VM is
** restarted and the next program sees them as they were. */
static void test_watched(LvtVm *vm, LvtRun *r) {
  static const struct { const char *change, *check, *says; } w[] = {
    {"getmetatable(io.stdout).__index.write = nil", "io.stdout:write('ok\\n')", "changed the stream"},
    {"local mt = getmetatable(io.stdout) mt.__index = mt", "print(io.stdout.__index)", "changed the stream"},
    {"local m = getmetatable(io.stderr) local i = m.__index i.lvt_marker = true",
     "print(getmetatable(io.stderr).__index.lvt_marker)", "changed the file"},
  };
  static const char *const want[] = {"ok\n", "nil\n", "nil\n"};
  size_t i;
  for (i = 0; i < sizeof w / sizeof w[0]; i++) {
    if (run_src(vm, w[i].change, 0, r) != LVT_OK) return;
    if (strcmp(vm->name, "ref") != 0)
      TAP_OK(r->restarted && strstr(lvt_buf_str(&r->detail), w[i].says) != NULL,
             "%s: '%s' is dirty (%s)", vm->name, w[i].change, lvt_buf_str(&r->detail));
    if (run_src(vm, w[i].check, 0, r) != LVT_OK) return;
    TAP_IS_STR(lvt_buf_str(&r->out), want[i], "%s: ... and the next program sees none of it", vm->name);
  }
}

/* =====================================================================
** Preludes (opts.prelude: the split form of generated programs)
** ===================================================================== */

typedef struct PreCase {
  const char *what;
  const char *prelude, *src;
  unsigned long long instr_limit;
  LvtOutcome want;
  const char *out;       /* exact output, or NULL */
  const char *errval;    /* prefix of the error value (or detail, timeout) */
  int exit_code;
} PreCase;

static const PreCase pre_cases[] = {
  {"'...' is exactly the prelude's results", "return 1, nil, 'x', nil\n",
   "print(select('#', ...), ...)", 0, LVT_RUN_OK, "4\t1\tnil\tx\tnil\n", NULL, 0},
  {"a prelude that returns nothing: '...' is empty", "local x = 1\n",
   "print(select('#', ...))", 0, LVT_RUN_OK, "0\n", NULL, 0},
  {"the prelude runs in the program's environment, its output captured",
   "print('in prelude')\nreturn print, string, _G\n",
   "local p, s, g = ...\nprint(p == print, s == string, g == _G)", 0, LVT_RUN_OK,
   "in prelude\ntrue\ttrue\ttrue\n", NULL, 0},
  {"a syntax error in the prelude: error, its line, no body", "\nlocal = 1\n",
   "print('body')", 0, LVT_RUN_ERROR, "", "t.lua:2:", 0},
  {"an error raised by the prelude: error, no body", "print('pre')\nerror('pre boom')\n",
   "print('body')", 0, LVT_RUN_ERROR, "pre\n", "t.lua:2: pre boom", 0},
  {"a prelude function's error names the prelude's line",
   "local function f(s) return #s end\nreturn f\n", "local f = ...\n\nf(nil)", 0, LVT_RUN_ERROR,
   "", "t.lua:1:", 0},
  {"a syntax error in the body after a good prelude", "return 1\n", "\n\nx = = 1", 0,
   LVT_RUN_ERROR, "", "t.lua:3:", 0},
  {"os.exit in the prelude", "os.exit(6)\n", "print('body')", 0, LVT_RUN_EXIT, "", NULL, 6},
  {"a prelude that loops stops at the budget", JOFF "while true do end\n", "print('body')",
   200000, LVT_RUN_TIMEOUT, NULL, "instruction limit", 0},
};

static void check_pre_case(LvtVm *vm, const PreCase *c, LvtRun *r) {
  const LvtBuf *v = c->want == LVT_RUN_TIMEOUT ? &r->detail : &r->err_value;
  int good;
  if (run_pre(vm, c->prelude, c->src, c->instr_limit, r) != LVT_OK) return;
  good = r->outcome == c->want && (c->out == NULL || strcmp(lvt_buf_str(&r->out), c->out) == 0) &&
         (c->errval == NULL || strncmp(lvt_buf_str(v), c->errval, strlen(c->errval)) == 0) &&
         (c->want != LVT_RUN_EXIT || r->exit_code == c->exit_code);
  if (!TAP_OK(good, "%s: prelude: %s", vm->name, c->what)) show_run("got", r);
}

/* Runs 'pre' + 'src' 'times' times; returns the runs whose output was
** not 'want'. */
static int runs_off(LvtVm *vm, const char *pre, const char *src, int times, const char *want,
                    LvtRun *r) {
  int i, bad = 0;
  for (i = 0; i < times; i++) {
    if (run_pre(vm, pre, src, 0, r) != LVT_OK) return times;
    if (strcmp(lvt_buf_str(&r->out), want) != 0 && bad++ == 0) show_run("got", r);
  }
  return bad;
}

static void test_preludes(LvtVm *vm, unsigned bit, LvtRun *r) {
  static const char counter[] = "local n = 0\nlocal function inc() n = n + 1 return n end\n"
                                "return inc\n";
  static const char keep[] = "local function get() return marker end\nreturn get\n";
  size_t i;
  int k, bad;
  for (i = 0; i < sizeof pre_cases / sizeof pre_cases[0]; i++) check_pre_case(vm, &pre_cases[i], r);
  TAP_IS_INT(runs_off(vm, counter, "local inc = ...\nprint(inc(), inc())", 3, "1\t2\n", r), 0,
             "%s: prelude: its state starts afresh in every program", vm->name);
  TAP_IS_INT(runs_off(vm, "G = (G or 0) + 1\nreturn G\n", "H = (H or 0) + 1\nprint(..., G, H)", 3,
                      "1\t1\t1\n", r), 0,
             "%s: prelude: globals the prelude or the program set are not seen by the next",
             vm->name);
  /* A closure of an earlier program's prelude, kept where the next
  ** program finds it (the registry, which the sandbox does not watch),
  ** keeps that program's environment; the reference restores its whole
  ** state, so there the next program finds nothing. */
  run_pre(vm, keep, "local get = ...\nmarker = 'one'\ndebug.getregistry().lvt_get = get\n"
          "print(get())", 0, r);
  TAP_IS_STR(lvt_buf_str(&r->out), "one\n", "%s: prelude: a program keeps its closure", vm->name);
  run_pre(vm, keep, "local get = ...\nmarker = 'two'\nlocal old = debug.getregistry().lvt_get\n"
          "debug.getregistry().lvt_get = nil\nprint(get(), old and old())", 0, r);
  TAP_IS_STR(lvt_buf_str(&r->out), bit == VREF ? "two\tnil\n" : "two\tone\n",
             "%s: prelude: the next program's closure sees its environment%s", vm->name,
             bit == VREF ? "" : ", the kept one the first program's");
  /* More distinct preludes than the sandbox keeps (8): each runs. */
  for (k = 0, bad = 0; k < 2 * 12; k++) {
    char pre[64], want[32];
    snprintf(pre, sizeof pre, "local k = %d\nreturn k, k * 2\n", k % 12);
    snprintf(want, sizeof want, "%d\t%d\n", k % 12, k % 12 * 2);
    bad += runs_off(vm, pre, "print(...)", 1, want, r);
  }
  TAP_IS_INT(bad, 0, "%s: prelude: 12 preludes in rotation (the sandbox keeps 8), twice: each "
             "gives its results", vm->name);
}

static void test_vm(const char *name, unsigned bit) {
  LvtRun r;
  LvtBuf direct = LVT_BUF_INIT;
  LvtVm *vm;
  size_t i;
  if (bit != VREF) {
    char cmd[80];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    if (system(cmd) != 0) {
      printf("ok %d - # SKIP %s is not installed\n", ++tap_n, name);
      return;
    }
  }
  if ((vm = vm_open(name)) == NULL) return;
  lvt_run_init(&r);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (cases[i].vms & bit) check_case(vm, bit, i, &cases[i], &r, &direct);
  if (bit & VPUC) test_counts_under_budget(vm, &r, &direct);
  test_watched(vm, &r);
  test_preludes(vm, bit, &r);
  /* A program after all that runs normally. */
  run_src(vm, "print(1 + 1)", 0, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "2\n", "%s: a plain program runs at the end", name);
  lvt_run_reset(&r);
  lvt_buf_reset(&direct);
  lvt_vm_close(vm);
}

int main(void) {
  size_t i;
  double t0 = lvt_now_ms();
  for (i = 0; i < sizeof vms / sizeof vms[0]; i++) test_vm(vms[i].name, vms[i].bit);
  printf("# %.1f s\n", (lvt_now_ms() - t0) / 1000);
  return tap_done();
}
