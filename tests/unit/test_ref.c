/*
** test_ref.c -- the in-process reference backend (vm/lvt_ref.c and the
** adapter in vm/ref/): output capture, errors, os.exit, the instruction
** budget, the clock, the memory cap, determinism, the sandbox policy,
** isolation between programs, hash seeds, GC modes, hooks, warnings,
** preludes kept in the image, and that thousands of runs do not leak.
** The worker is in test_ref_worker.c.
*/
#include "vm/lvt_ref.h"

#include <dirent.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/tap.h"
#include "tests/unit/file_fixture.h"

static LvtRef *ref;
static LvtRun run;

/* Runs 'src' after prelude 'pre' (NULL: none) under 'lim' (NULL:
** defaults) on 'r'; the result is 'run'. */
static void run_pre(LvtRef *r, const char *pre, const char *src, const LvtLimits *lim) {
  LvtProgram p = {"t", src, strlen(src), pre, pre != NULL ? strlen(pre) : 0};
  LvtLimits d;
  LvtErr e;
  int rc;
  if (lim == NULL) {
    lvt_limits_default(&d);
    lim = &d;
  }
  lvt_run_clear(&run);   /* (nothing left from the run before when it fails) */
  rc = lvt_ref_run(r, &p, lim, &run, &e);
  if (rc != LVT_OK) printf("# lvt_ref_run: %s\n", e.msg);
}

static void run_on(LvtRef *r, const char *src, const LvtLimits *lim) {
  run_pre(r, NULL, src, lim);
}

static void run_src(const char *src) {
  run_on(ref, src, NULL);
}

static const char *out(void) {
  return lvt_buf_str(&run.out);
}

/* A second backend with 'reuse_state' / 'new_state' set; NULL (and a
** failed assertion) when it does not open. */
static LvtRef *open_with(int reuse_state, int new_state) {
  LvtRefOptions opt;
  LvtRef *r;
  LvtErr e;
  lvt_ref_options_init(&opt);
  opt.reuse_state = reuse_state;
  opt.new_state = new_state;
  if (lvt_ref_open(&r, &opt, &e) == LVT_OK) return r;
  TAP_OK(0, "open a backend (reuse %d, new state %d): %s", reuse_state, new_state, e.msg);
  return NULL;
}

/* =====================================================================
** Programs and what they must give, as data
** ===================================================================== */
typedef struct Case {
  const char *what;
  const char *src;
  LvtOutcome outcome;
  const char *out;        /* exact output, or NULL */
  const char *errtype;    /* exact, or NULL */
  const char *errval;     /* exact, or NULL */
  int exit_code;
} Case;

static const Case cases[] = {
  /* output capture */
  {"print renders like lua5.4",
   "print(1, 1.0, -0.0, 1/0, -1/0, 2^53, 1e15, 1e16, 's', nil, true, 0x10, 255 // 2, 7 / 2, 3 % -2)",
   LVT_RUN_OK, "1\t1.0\t-0.0\tinf\t-inf\t9.007199254741e+15\t1e+15\t1e+16\ts\tnil\ttrue\t16\t127\t3.5\t-1\n",
   NULL, NULL, 0},
  {"io.write renders numbers with %.14g / %d",
   "io.write(1, ' ', 1.0, ' ', 0.1, ' ', 2^63, ' ', -0.0, ' ', 1e100, ' ', math.maxinteger, ' ',"
   " math.mininteger, ' ', 1/0, ' ', 3.14159265358979, '\\n')",
   LVT_RUN_OK, "1 1 0.1 9.2233720368548e+18 -0 1e+100 9223372036854775807 -9223372036854775808 inf 3.1415926535898\n",
   NULL, NULL, 0},
  {"io.stdout:write chains", "io.stdout:write('a', 1, '\\n'):write('b\\n') io.write('c\\n')",
   LVT_RUN_OK, "a1\nb\nc\n", NULL, NULL, 0},
  {"binary-safe output", "io.write('a\\0b')", LVT_RUN_OK, NULL, NULL, NULL, 0},
  {"a returning chunk", "print('x') return 1, 2", LVT_RUN_OK, "x\n", NULL, NULL, 0},
  /* errors */
  {"error with a string", "print('before') error('boom')", LVT_RUN_ERROR, "before\n",
   "string", "t:1: boom", 0},
  {"error with level 0", "error('plain', 0)", LVT_RUN_ERROR, "", "string", "plain", 0},
  {"error with a table and __tostring",
   "error(setmetatable({}, {__tostring = function() return 'custom' end}))",
   LVT_RUN_ERROR, "", "table", "custom", 0},
  {"error with nil", "error()", LVT_RUN_ERROR, "", "nil", "nil", 0},
  {"error with a number", "error(42)", LVT_RUN_ERROR, "", "number", "42", 0},
  {"a runtime error", "local t = nil; print(t.x)", LVT_RUN_ERROR, "", "string",
   "t:1: attempt to index a nil value (local 't')", 0},
  {"a syntax error", "x = = 1", LVT_RUN_ERROR, "", "string",
   "t:1: unexpected symbol near '='", 0},
  /* os.exit */
  {"os.exit(3) through pcall", "print(pcall(os.exit, 3)) print('after')", LVT_RUN_EXIT, "",
   NULL, NULL, 3},
  {"os.exit(true)", "io.write('a') os.exit(true)", LVT_RUN_EXIT, "a", NULL, NULL, 0},
  {"os.exit(false)", "os.exit(false)", LVT_RUN_EXIT, "", NULL, NULL, 1},
  {"os.exit in a coroutine, caught around",
   "print(pcall(coroutine.wrap(function() os.exit(5) end))) print('after')",
   LVT_RUN_EXIT, "", NULL, NULL, 5},
  {"os.exit under xpcall with a looping handler",
   "xpcall(os.exit, function() while true do end end, 7) print('after')",
   LVT_RUN_EXIT, "", NULL, NULL, 7},
  /* policy */
  {"os.execute is disabled", "print(pcall(os.execute, 'true'))", LVT_RUN_OK,
   "false\tos.execute disabled by lvtest\n", NULL, NULL, 0},
  {"io.popen is disabled", "print(select(2, pcall(io.popen, 'ls')))", LVT_RUN_OK,
   "io.popen disabled by lvtest\n", NULL, NULL, 0},
  {"package.loadlib is disabled", "print(pcall(package.loadlib, 'x', 'y'))", LVT_RUN_OK,
   "false\tpackage.loadlib disabled by lvtest\n", NULL, NULL, 0},
  {"the real os.execute is netted too",
   "print(select(2, pcall(debug.getregistry()._LOADED.os.execute, 'true')))", LVT_RUN_OK,
   "os.execute disabled by lvtest\n", NULL, NULL, 0},
  {"os.setlocale may not change the locale",
   "print(os.setlocale('de_DE.UTF-8'), os.setlocale(), os.setlocale('C'))", LVT_RUN_OK,
   "nil\tC\tC\n", NULL, NULL, 0},
  /* hooks: the program's own, multiplexed behind the guard */
  {"a count hook counts like lua5.4",
   "local n=0 debug.sethook(function() n=n+1 end, '', 1) for i=1,10 do local x = i end "
   "debug.sethook() print(n)", LVT_RUN_OK, "27\n", NULL, NULL, 0},
  {"a count hook with a period",
   "local n=0 debug.sethook(function() n=n+1 end, '', 7) for i=1,100 do local x = i * 2 end "
   "debug.sethook() print(n)", LVT_RUN_OK, "67\n", NULL, NULL, 0},
  {"a line hook sees the program's lines, not print's",
   "local lines = {} debug.sethook(function(e, l) lines[#lines+1] = l end, 'l')\n"
   "local a = 1\nprint('x')\nlocal b = 2\ndebug.sethook()\nprint(table.concat(lines, ','))",
   LVT_RUN_OK, "x\n2,3,4,5\n", NULL, NULL, 0},
  {"debug.gethook after the program removed its hook",
   "debug.sethook(print, 'l') debug.sethook() print(debug.gethook())", LVT_RUN_OK, "nil\n",
   NULL, NULL, 0},
  {"debug.gethook shows the program's hook",
   "local f = function() end debug.sethook(f, 'cr', 5) local g, m, c = debug.gethook() "
   "debug.sethook() print(g == f, m, c)", LVT_RUN_OK, "true\tcr\t5\n", NULL, NULL, 0},
};

static void test_cases(void) {
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const Case *c = &cases[i];
    run_src(c->src);
    TAP_IS_STR(lvt_outcome_name(run.outcome), lvt_outcome_name(c->outcome), "%s: outcome", c->what);
    if (c->out != NULL) TAP_IS_STR(out(), c->out, "%s: output", c->what);
    if (c->errtype != NULL) TAP_IS_STR(run.err_type, c->errtype, "%s: error type", c->what);
    if (c->errval != NULL)
      TAP_IS_STR(lvt_buf_str(&run.err_value), c->errval, "%s: error value", c->what);
    if (c->outcome == LVT_RUN_EXIT) TAP_IS_INT(run.exit_code, c->exit_code, "%s: exit code", c->what);
  }
  run_src("io.write('a\\0b')");
  TAP_IS_MEM(run.out.data, run.out.len, "a\0b", 3, "output keeps NUL bytes");
  run_src("error(setmetatable({}, {__tostring = function() error('no') end}))");
  TAP_IS_STR(run.err_type, "table", "an error whose __tostring fails is still a table");
  TAP_OK(run.err_value.len > 0, "... with a placeholder value ('%s')", lvt_buf_str(&run.err_value));
}

/* =====================================================================
** Limits
** ===================================================================== */
static void test_instruction_budget(void) {
  static const char *const escapes[] = {
    "while true do end",
    "while true do pcall(function() while true do end end) end",
    "debug.sethook() while true do end",
    "debug.sethook(function() end, '', 1e9) while true do end",
    "local co = coroutine.wrap(function() while true do end end) while true do pcall(co) end",
    "while true do xpcall(function() while true do end end, function() while true do end end) end",
    "local function f() return pcall(f) end while true do f() end",
    "while true do pcall(error) end",
    "local t = setmetatable({}, {__index = function(t, k) while true do end end}) while true do pcall(function() return t.x end) end",
  };
  LvtLimits lim;
  size_t i;
  lvt_limits_default(&lim);
  lim.instr_limit = 200000;
  for (i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
    run_on(ref, escapes[i], &lim);
    TAP_IS_STR(lvt_outcome_name(run.outcome), "timeout", "budget: '%s' times out", escapes[i]);
    TAP_IS_STR(lvt_buf_str(&run.detail), "instruction limit", "... with detail 'instruction limit'");
  }
  run_on(ref, "local s = 0 for i = 1, 1000 do s = s + i end print(s)", &lim);
  TAP_IS_STR(out(), "500500\n", "a program within the budget runs to the end");
  lim.instr_limit = 100;
  run_on(ref, "local s = 0 for i = 1, 1000 do s = s + i end print(s)", &lim);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "timeout", "... and over a small budget it does not");
  run_src("print('next')");
  TAP_IS_STR(out(), "next\n", "the next program runs normally");
}

static void test_timeout(void) {
  LvtLimits lim;
  lvt_limits_default(&lim);
  lim.timeout_ms = 150;
  run_on(ref, "while true do end", &lim);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "timeout", "wall clock: a busy loop times out");
  TAP_IS_STR(lvt_buf_str(&run.detail), "time limit (150 ms)", "... with the limit in the detail");
  TAP_OK(run.wall_ms >= 140 && run.wall_ms < 3000, "... after about 150 ms (%.0f ms)", run.wall_ms);
  run_on(ref, "while true do pcall(string.rep, 'x', 10) end", &lim);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "timeout", "... also when the loop calls C functions");
}

static void test_memory(void) {
  LvtLimits lim;
  lvt_limits_default(&lim);
  lim.mem_limit = (size_t)8 << 20;
  run_on(ref, "print('before') local t = {} for i = 1, 1e8 do t[i] = {i} end", &lim);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "memory", "a growing table hits the memory cap");
  TAP_IS_STR(out(), "before\n", "... and the output before it is kept");
  TAP_IS_STR(lvt_buf_str(&run.detail), "memory limit (8388608 bytes)", "... detail names the cap");
  TAP_OK(run.peak_mem > ((size_t)4 << 20) && run.peak_mem <= lim.mem_limit + ((size_t)2 << 20),
         "... peak_mem is near the cap (%zu)", run.peak_mem);
  run_on(ref, "local ok, e = pcall(function() local t = {} for i = 1, 1e8 do t[i] = {i} end end) "
              "print('caught', ok, e) for i = 1, 10 do print(i) end", &lim);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "memory", "... also when the program catches it");
  run_on(ref, "local s = string.rep('x', 1 << 30)", &lim);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "memory", "a huge string.rep hits the cap");
  run_on(ref, "print(pcall(string.rep, 'x', 1 << 40)) print(pcall(table.concat, {('x'):rep(1 << 22), ('y'):rep(1 << 22)}))", &lim);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "memory", "... also when caught (lauxlib buffers do not retry)");
  run_on(ref, "collectgarbage('stop') for i = 1, 3e5 do local t = {i, i} end print('ok')", &lim);
  TAP_IS_STR(out(), "ok\n", "garbage over the cap is collected by the emergency GC, not fatal");
  TAP_IS_STR(lvt_outcome_name(run.outcome), "ok", "... outcome ok");
  run_src("print('next')");
  TAP_IS_STR(out(), "next\n", "the next program runs fine");
  lim.mem_limit = 1000;
  run_on(ref, "print('x')", &lim);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "memory", "a cap below the state's own size is memory");
}

static void test_truncation(void) {
  LvtLimits lim;
  lvt_limits_default(&lim);
  lim.max_output = 10;
  run_on(ref, "io.write(string.rep('x', 100)) print('more')", &lim);
  TAP_IS_STR(out(), "xxxxxxxxxx", "output is cut at max_output");
  TAP_IS_INT(run.out_truncated, 1, "... and marked truncated");
  run_src("print('x')");
  TAP_IS_INT(run.out_truncated, 0, "short output is not marked");
}

/* =====================================================================
** Determinism, isolation, seeds, GC modes
** ===================================================================== */
static void test_deterministic(void) {
  static const char prog[] = "print(os.time(), os.clock(), os.date('!%Y-%m-%d', os.time()), "
                             "math.random(1, 1000000000))";
  LvtLimits lim;
  LvtBuf first = LVT_BUF_INIT;
  LvtRef *other;
  lvt_limits_default(&lim);
  lim.deterministic = 1;
  run_on(ref, prog, &lim);
  lvt_buf_set(&first, run.out.data, run.out.len);
  TAP_OK(strncmp(out(), "1000000000\t0\t2001-09-09\t", 24) == 0, "deterministic clocks and dates");
  run_on(ref, prog, &lim);
  TAP_IS_STR(out(), lvt_buf_str(&first), "... and random numbers repeat across runs");
  if ((other = open_with(0, 0)) != NULL) {
    run_on(other, prog, &lim);
    TAP_IS_STR(out(), lvt_buf_str(&first), "... and across backends");
    lvt_ref_close(other);
  }
  lim.deterministic = 0;
  run_on(ref, "print(os.time(), math.random(1, 1 << 40))", &lim);
  lvt_buf_set(&first, run.out.data, run.out.len);
  TAP_OK(atoll(out()) >= (long long)time(NULL) - 5, "non-deterministic os.time is the clock");
  run_on(ref, "print(os.time(), math.random(1, 1 << 40))", &lim);
  TAP_OK(strcmp(out(), lvt_buf_str(&first)) != 0,
         "non-deterministic random numbers differ between runs");
  lvt_buf_reset(&first);
}

static void test_isolation(void) {
  LvtRef *reuse;
  run_src("leak = 1; string.leak = 2; getmetatable('').__index.upper = nil; "
          "debug.getregistry().lvt_counter = 1; collectgarbage('generational')");
  TAP_IS_STR(lvt_outcome_name(run.outcome), "ok", "a program changes everything it can");
  run_src("print(leak, string.leak, ('x'):upper(), debug.getregistry().lvt_counter, "
          "collectgarbage('incremental'))");
  TAP_IS_STR(out(), "nil\tnil\tX\tnil\tincremental\n", "... and the next program sees none of it");
  /* Reuse mode keeps a clean state: what the sandbox cannot see survives. */
  if ((reuse = open_with(1, 0)) == NULL) return;
  run_on(reuse, "local r = debug.getregistry() r.n = (r.n or 0) + 1 print(r.n)", NULL);
  run_on(reuse, "local r = debug.getregistry() r.n = (r.n or 0) + 1 print(r.n)", NULL);
  TAP_IS_STR(out(), "2\n", "reuse mode keeps the state between clean runs");
  run_on(reuse, "getmetatable('').__lvt = 1", NULL);
  run_on(reuse, "local r = debug.getregistry() r.n = (r.n or 0) + 1 print(r.n, getmetatable('').__lvt)", NULL);
  TAP_IS_STR(out(), "1\tnil\n", "... and goes back to a pristine state after a dirty one");
  lvt_ref_set_gc(reuse, LVT_REF_GC_GEN);
  run_on(reuse, "print(collectgarbage('generational'))", NULL);
  run_on(reuse, "print(collectgarbage('generational'))", NULL);
  TAP_IS_STR(out(), "generational\n", "... and keeps its GC mode in a kept state");
  lvt_ref_close(reuse);
  /* A pure program (no debug, _G, load...: PROTOCOL.md) in a fresh kept
  ** state: the sandbox skips its walk of the shared tables, but its
  ** getmetatable of a string taints, so the change is still seen. */
  if ((reuse = open_with(1, 0)) == NULL) return;
  run_on(reuse, "print(1)", NULL);
  run_on(reuse, "getmetatable('').__lvt = 1", NULL);
  run_on(reuse, "print(getmetatable('').__lvt)", NULL);
  TAP_IS_STR(out(), "nil\n", "a pure program that changes the string metatable: pristine again");
  lvt_ref_close(reuse);
  run_src("local r = debug.getregistry() r.n = (r.n or 0) + 1 print(r.n)");
  run_src("local r = debug.getregistry() r.n = (r.n or 0) + 1 print(r.n)");
  TAP_IS_STR(out(), "1\n", "the default mode does not");
}

static const char pairs_prog[] =
  "local t = {} for i = 1, 60 do t['key' .. i] = i end "
  "local ks, sum = {}, 0 for k, v in pairs(t) do ks[#ks + 1] = k sum = sum + v end "
  "print(sum, table.concat(ks, ','))";

/* The output of pairs_prog under 'seed' (caller frees). */
static char *pairs_under(unsigned seed) {
  lvt_ref_set_hash_seed(ref, seed);
  run_src(pairs_prog);
  return lvt_xstrdup(out());
}

static void test_hash_seed(void) {
  char *a = pairs_under(1), *b = pairs_under(2), *a2 = pairs_under(1);
  TAP_OK(strncmp(a, "1830\t", 5) == 0 && strncmp(b, "1830\t", 5) == 0,
         "seeds change no result: the sums agree");
  TAP_OK(strcmp(a, b) != 0, "seeds 1 and 2 give another pairs order");
  TAP_IS_STR(a2, a, "the same seed gives the same order again");
  free(a);
  free(b);
  free(a2);
  lvt_ref_set_hash_seed(ref, 0);
}

static void test_gc_modes(void) {
  static const struct { LvtRefGc gc; const char *mode; const char *pause; } modes[] = {
    {LVT_REF_GC_INC, "incremental", "200"},
    {LVT_REF_GC_GEN, "generational", "200"},
    {LVT_REF_GC_INC_STRESS, "incremental", "0"},
    {LVT_REF_GC_GEN_STRESS, "generational", "200"},
  };
  char want[64];
  size_t i;
  for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
    lvt_ref_set_gc(ref, modes[i].gc);
    run_src("local w = setmetatable({}, {__mode = 'k'}) for i = 1, 2e4 do w[{}] = i end "
            "collectgarbage() local n = 0 for _ in pairs(w) do n = n + 1 end "
            "local p = collectgarbage('setpause', 200) collectgarbage('setpause', p) "
            "print(n, p, collectgarbage('incremental'))");
    snprintf(want, sizeof want, "0\t%s\t%s\n", modes[i].pause, modes[i].mode);
    TAP_IS_STR(out(), want, "GC mode %s is in force and collects", lvt_ref_gc_name(modes[i].gc));
  }
  lvt_ref_set_gc(ref, LVT_REF_GC_INC);
  TAP_IS_INT(lvt_ref_gc_parse("gen-stress"), LVT_REF_GC_GEN_STRESS, "gc names parse");
  TAP_IS_INT(lvt_ref_gc_parse("generational"), LVT_REF_GC_GEN, "... long names too");
  TAP_IS_INT(lvt_ref_gc_parse("fast"), -1, "... unknown ones do not");
}

static void test_files(void) {
  const char *scratch = lvt_ref_scratch(ref);
  char path[4096], outside[256];
  FILE *f;
  struct stat st;
  TAP_OK(scratch != NULL && scratch[0] == '/' && dir_entries(scratch, NULL) == 0,
         "the scratch dir exists, absolute and empty (%s)", scratch ? scratch : "(null)");
  run_src("local f = assert(io.open('x.txt', 'w')) f:write('hi') f:close() "
          "print(io.open('x.txt'):read('a'), os.rename('x.txt', 'y.txt'), io.open('y.txt'):read('a'))");
  TAP_IS_STR(out(), "hi\ttrue\thi\n", "writing, renaming and reading inside scratch works");
  snprintf(outside, sizeof outside, "/tmp/lvt-test-ref-%d", (int)getpid());
  remove(outside);
  snprintf(path, sizeof path, "print(io.open('%s', 'w')) print(os.remove('/etc/hostname')) "
           "print(io.open('../escape', 'w'))", outside);
  run_src(path);
  TAP_OK(strncmp(out(), "nil\t", 4) == 0 &&
         strstr(out(), "writing outside the scratch directory is disabled by lvtest") != NULL,
         "writing outside scratch is refused");
  TAP_OK(stat(outside, &st) != 0, "... and nothing was created");
  TAP_OK(strstr(out() + 4, "nil\t/etc/hostname: writing outside") != NULL, "os.remove outside is refused");
  /* A file put there from outside is read through a relative path, and the
  ** scratch dir is emptied after the run. */
  snprintf(path, sizeof path, "%s/seed.txt", scratch);
  f = fopen(path, "w");
  if (f != NULL) {
    fputs("from C", f);
    fclose(f);
  }
  run_src("print(io.open('seed.txt'):read('a'))");
  TAP_IS_STR(out(), "from C\n", "relative paths resolve in the scratch dir");
  TAP_IS_INT(dir_entries(scratch, NULL), 0, "the scratch dir is emptied after a run that changed it");
  run_src("local f = io.open('z.txt', 'w') f:write('leftover') print(io.type(f))");
  run_src("print(io.open('z.txt'))");
  TAP_OK(strncmp(out(), "nil\t", 4) == 0, "a file left open by one program is gone for the next");
}

/* =====================================================================
** Binary chunks, warnings, in-process self-test, VM handle
** ===================================================================== */
static void test_binary(void) {
  LvtLimits lim;
  LvtBuf bc = LVT_BUF_INIT;
  LvtProgram p;
  LvtErr e;
  run_src("io.write(string.dump(load('print(\"bin ok\")')))");
  lvt_buf_set(&bc, run.out.data, run.out.len);
  TAP_OK(bc.len > 4 && bc.data[0] == 27, "a program can dump bytecode (%zu bytes)", bc.len);
  p.name = "bin";
  p.src = bc.data;
  p.len = bc.len;
  p.prelude = NULL;
  lvt_limits_default(&lim);
  lvt_ref_run(ref, &p, &lim, &run, &e);
  TAP_IS_STR(out(), "bin ok\n", "a binary chunk runs when allowed");
  lim.allow_binary = 0;
  lvt_ref_run(ref, &p, &lim, &run, &e);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "error", "... and is refused when not");
  run_on(ref, "print(load(string.dump(print and function() end)))", &lim);
  TAP_OK(strncmp(out(), "nil\t", 4) == 0, "load refuses binary chunks too");
  lvt_buf_reset(&bc);
}

static void test_warnings(void) {
  run_src("warn('hidden') warn('@on') warn('hello', ' world') warn('x') warn('@off') warn('no')");
  TAP_IS_STR(lvt_buf_str(&run.errout), "Lua warning: hello world\nLua warning: x\n",
             "warnings go to errout, '@on'/'@off' as in lua5.4");
  run_src("warn('again')");
  TAP_IS_STR(lvt_buf_str(&run.errout), "", "... and are off again in the next program");
  run_src("warn('@on') setmetatable({}, {__gc = function() error('in gc') end}) "
          "collectgarbage() print('done')");
  TAP_OK(strstr(lvt_buf_str(&run.errout), "error in __gc") != NULL,
         "an error in a finalizer is a warning");
  run_src("x = setmetatable({}, {__gc = function() while true do end end}) print('done')");
  TAP_IS_STR(out(), "done\n", "a looping finalizer of a live object does not run at the end");
}

static void test_selftest_and_handle(void) {
  LvtVmConfig cfg;
  LvtVm *vm;
  LvtErr e;
  LvtLimits lim;
  lvt_limits_default(&lim);
  lim.selftest_crash = 1;
  run_on(ref, "while true do end", &lim);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "unsupported", "in-process: no forced crash");
  memset(&cfg, 0, sizeof cfg);
  cfg.name = "ref";
  cfg.backend = LVT_BACKEND_REF;
  cfg.dialect = -1;
  if (lvt_vm_open(&vm, &cfg, &e) != LVT_OK) {
    TAP_OK(0, "lvt_vm_open(ref): %s", e.msg);
    return;
  }
  TAP_OK(lvt_ref_of(vm) != NULL, "lvt_ref_of finds the backend behind a handle");
  TAP_IS_INT(lvt_vm_probe(vm, -1, &e), LVT_OK, "the probe answers");
  TAP_IS_INT(vm->info.dialect, LVT_DIALECT_54, "... dialect 5.4");
  TAP_OK((vm->info.caps & (LVT_CAP_INTEGER | LVT_CAP_CLOSE | LVT_CAP_INT64)) ==
         (LVT_CAP_INTEGER | LVT_CAP_CLOSE | LVT_CAP_INT64), "... with integers and <close>");
  TAP_IS_INT(lvt_vm_selftest(vm, 300, &e), LVT_OK, "the start-up self-tests pass");
  lvt_vm_close(vm);
  TAP_OK(strncmp(lvt_ref_lua_version(), "5.4.", 4) == 0, "Lua version %s", lvt_ref_lua_version());
}

/* =====================================================================
** Preludes (the split form of generated programs)
** ===================================================================== */

static size_t states_of(LvtRef *r) {
  LvtRefStats st;
  lvt_ref_stats(r, &st);
  return st.states;
}

/* Prelude number 'i' of a rotation, and what its program prints. */
static const char *nth_prelude(int i, char *buf, size_t n) {
  snprintf(buf, n, "local k = %d\nreturn k, k * 2\n", i);
  return buf;
}

/* Runs prelude 0 .. n-1 in turn, 'passes' times; returns the runs whose
** output was wrong. */
static int rotate(LvtRef *r, int n, int passes) {
  int pass, i, bad = 0;
  for (pass = 0; pass < passes; pass++)
    for (i = 0; i < n; i++) {
      char pre[64], want[32];
      run_pre(r, nth_prelude(i, pre, sizeof pre), "local a, b = ...\nprint(a, b)", NULL);
      snprintf(want, sizeof want, "%d\t%d\n", i, i * 2);
      if (strcmp(out(), want) != 0 && bad++ < 3)
        printf("#   prelude %d, pass %d: %s %s\n", i, pass, lvt_outcome_name(run.outcome),
               run.outcome == LVT_RUN_OK ? out() : lvt_buf_str(&run.err_value));
    }
  return bad;
}

static void test_preludes(void) {
  static const char counter[] = "local n = 0\nlocal function inc() n = n + 1 return n end\n"
                                "print('from the prelude')\nreturn inc, nil, 3, nil\n";
  static const char use[] = "local inc, x, y, z = ...\n"
                            "print(inc(), inc(), select('#', ...), x, y, z)";
  LvtRef *r;
  size_t s0;
  int i, bad;
  if ((r = open_with(0, 0)) == NULL) return;
  run_on(r, "print(1)", NULL);
  s0 = states_of(r);
  run_pre(r, counter, use, NULL);
  TAP_IS_STR(out(), "from the prelude\n1\t2\t4\tnil\t3\tnil\n",
             "a prelude runs first: its output, its results as '...' (holes too)");
  TAP_IS_INT(states_of(r) - s0, 1, "... a new prelude: one new image, which keeps it compiled");
  for (i = 0, bad = 0; i < 50; i++) {
    run_pre(r, counter, use, NULL);
    bad += strcmp(out(), "from the prelude\n1\t2\t4\tnil\t3\tnil\n") != 0;
  }
  TAP_IS_INT(bad, 0, "50 runs more with it: each starts its prelude's state afresh");
  TAP_IS_INT(states_of(r) - s0, 1, "... and no new state");
  run_on(r, "print(select('#', ...))", NULL);
  TAP_IS_STR(out(), "0\n", "a program without a prelude gets no '...'");
  TAP_IS_INT(states_of(r) - s0, 1, "... on the same image");
  run_pre(r, "G = (G or 0) + 1\nreturn G\n", "H = (H or 0) + 1\nprint(..., G, H)", NULL);
  run_pre(r, "G = (G or 0) + 1\nreturn G\n", "H = (H or 0) + 1\nprint(..., G, H)", NULL);
  TAP_IS_STR(out(), "1\t1\t1\n", "globals a prelude or its program set are not seen by the next");
  lvt_ref_close(r);

  /* The image keeps REF_PRELUDES (4): four in rotation build no state
  ** after the first pass; five still give the right results. */
  if ((r = open_with(0, 0)) == NULL) return;
  run_on(r, "print(1)", NULL);
  s0 = states_of(r);
  TAP_IS_INT(rotate(r, 4, 1), 0, "4 preludes: right results");
  TAP_IS_INT(states_of(r) - s0, 4, "... one new image for each");
  TAP_IS_INT(rotate(r, 4, 3), 0, "... 3 passes more: right results");
  TAP_IS_INT(states_of(r) - s0, 4, "... and no new state: the image keeps all 4");
  TAP_IS_INT(rotate(r, 5, 3), 0, "5 preludes in rotation, 3 passes: right results");
  TAP_IS_INT(rotate(r, 12, 2), 0, "12 preludes in rotation, 2 passes: right results");
  lvt_ref_close(r);

  /* Errors: the program's chunk name and the prelude's line. */
  run_pre(ref, "\nlocal = 1\nreturn 1\n", "print('body')", NULL);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "error", "a syntax error in the prelude: outcome error");
  TAP_IS_STR(lvt_buf_str(&run.err_value), "t:2: <name> expected near '='",
             "... with the message, the program's chunk name and the prelude's line");
  TAP_IS_STR(out(), "", "... and the body does not run");
  run_pre(ref, "print('pre')\nerror('pre boom')\n", "print('body')", NULL);
  TAP_OK(run.outcome == LVT_RUN_ERROR && strcmp(lvt_buf_str(&run.err_value), "t:2: pre boom") == 0 &&
         strcmp(out(), "pre\n") == 0, "an error raised by the prelude: outcome error, its message, "
         "no body (%s)", lvt_buf_str(&run.err_value));
  run_pre(ref, "os.exit(4)\n", "print('body')", NULL);
  TAP_OK(run.outcome == LVT_RUN_EXIT && run.exit_code == 4 && run.out.len == 0,
         "os.exit in the prelude: outcome exit");
  {
    LvtLimits lim;
    lvt_limits_default(&lim);
    lim.instr_limit = 100000;
    run_pre(ref, "while true do end\n", "print('body')", &lim);
    TAP_OK(run.outcome == LVT_RUN_TIMEOUT, "a prelude that loops stops at the instruction budget "
           "(%s)", lvt_outcome_name(run.outcome));
  }
  {
    LvtProgram p = {"a.lua", "", 0, "error('x')", 10};
    LvtLimits lim;
    LvtErr e;
    lvt_limits_default(&lim);
    lvt_ref_run(ref, &p, &lim, &run, &e);
    TAP_IS_STR(lvt_buf_str(&run.err_value), "a.lua:1: x", "the same prelude under two names: a.lua");
    p.name = "b.lua";
    lvt_ref_run(ref, &p, &lim, &run, &e);
    TAP_IS_STR(lvt_buf_str(&run.err_value), "b.lua:1: x", "... and b.lua");
  }
  run_pre(ref, "return 7", "print(...)", NULL);
  TAP_IS_STR(out(), "7\n", "after all that a prelude runs");

  /* A prelude bigger than the image's arena (ARENA_MAX, 16 MB) cannot be
  ** kept in it: the run compiles it, and the image goes on without. */
  {
    size_t n = (size_t)17 << 20;
    char *big = malloc(n + 1);
    memcpy(big, "return 5 --", 11);
    memset(big + 11, 'x', n - 11);
    big[n] = '\0';
    run_pre(ref, big, "print(...)", NULL);
    TAP_IS_STR(out(), "5\n", "a 17 MB prelude runs");
    run_on(ref, "print(1)", NULL);
    TAP_IS_STR(out(), "1\n", "... and so does the next program");
    run_pre(ref, "return 8", "print(...)", NULL);
    TAP_IS_STR(out(), "8\n", "... and the next prelude");
    run_pre(ref, big, "print(...)", NULL);
    TAP_IS_STR(out(), "5\n", "... and the big one again");
    free(big);
  }

  /* Reuse mode keeps the state: a closure an earlier program's prelude
  ** made keeps that program's environment. */
  if ((r = open_with(1, 0)) == NULL) return;
  run_pre(r, "local function get() return marker end\nreturn get\n",
          "local get = ...\nmarker = 'one'\ndebug.getregistry().lvt_get = get\nprint(get())", NULL);
  TAP_IS_STR(out(), "one\n", "reuse mode: a program keeps its prelude's closure");
  run_pre(r, "local function get() return marker end\nreturn get\n",
          "local get = ...\nmarker = 'two'\nprint(get(), debug.getregistry().lvt_get())", NULL);
  TAP_IS_STR(out(), "two\tone\n", "... the next one's closure sees its environment, the kept "
             "one still the first's");
  lvt_ref_close(r);
}

/* =====================================================================
** Many runs: no growth; throughput
** ===================================================================== */
/* The run region: a program's small blocks are bump-allocated and given
** back all at once; big blocks, blocks that grow past the block limit and
** every block once the region is used up are malloc'd. Each program
** checks its own data, so a block handed out twice would show. */
static void test_region(void) {
  LvtRefStats st;
  size_t i;
  int bad = 0;
  run_src("local t = {} for i = 1, 200 do t[i] = {i, tostring(i)} end "
          "local s = 0 for i = 1, 200 do s = s + t[i][1] + #t[i][2] end print(s)");
  TAP_IS_STR(out(), "20592\n", "a small program: its blocks check out");
  lvt_ref_stats(ref, &st);
  if (st.region == 0) {
    printf("# no run region in this build (AddressSanitizer): every block is malloc'd\n");
  } else {
    TAP_OK(st.region_ended > 0 && st.region_ended < st.region,
           "... and came from the run region (%zu of %zu bytes in use at its end)",
           st.region_ended, st.region);
  }
  /* ~50 MB of short-lived tables: the region runs out, malloc takes over */
  run_src("local keep = {} for i = 1, 400000 do local t = {i, i * 2, i * 3} "
          "if i % 1000 == 0 then keep[#keep + 1] = t end end "
          "local s = 0 for _, t in ipairs(keep) do s = s + t[1] + t[2] + t[3] end print(#keep, s)");
  TAP_IS_STR(out(), "400\t481200000\n", "a program that uses up the region runs on malloc'd blocks");
  lvt_ref_stats(ref, &st);
  if (st.region > 0)
    TAP_OK(st.region_ended > st.region - ((size_t)256 << 10),
           "... it had used up the region (%zu of %zu bytes)", st.region_ended, st.region);
  /* growth past the block limit: a table's array part and a string buffer
  ** move from the region to malloc'd blocks */
  run_src("local t = {} for i = 1, 100000 do t[i] = i end "
          "local b = {} for i = 1, 3000 do b[#b + 1] = ('x'):rep(i % 50) end "
          "local s = table.concat(b) local u = '' for i = 1, 300 do u = u .. ('y'):rep(300) end "
          "print(#t, t[77777], #s, #u)");
  TAP_IS_STR(out(), "100000\t77777\t73500\t90000\n", "blocks that grow past the block limit move out");
  /* the next programs start with the whole region again */
  for (i = 0; i < 200; i++) {
    run_src("local t = {} for i = 1, 50 do t[i] = ('k' .. i):rep(3) end print(#table.concat(t))");
    if (strcmp(out(), "423\n") != 0) bad++;
  }
  TAP_IS_INT(bad, 0, "200 programs after it give the right result");
  lvt_ref_stats(ref, &st);
  if (st.region > 0)
    TAP_OK(st.region_ended < ((size_t)256 << 10), "... each in a region given back by the reset "
           "(%zu bytes in use at the end of the last)", st.region_ended);
}

static void test_many(void) {
  LvtRefStats st0, st;
  LvtRef *fresh;
  size_t base, i, bad = 0;
  struct mallinfo2 m0, m1;
  /* A new lua_State for every program. */
  if ((fresh = open_with(0, 1)) == NULL) return;
  run_on(fresh, "local t = {} for i = 1, 100 do t[i] = tostring(i) end print(#t)", NULL);
  lvt_ref_stats(fresh, &st0);
  base = st0.live;
  m0 = mallinfo2();
  for (i = 0; i < 1000; i++) {
    run_on(fresh, "local t = {} for i = 1, 100 do t[i] = tostring(i) end print(#t)", NULL);
    lvt_ref_stats(fresh, &st);
    if (strcmp(out(), "100\n") != 0 || st.live != base) bad++;
  }
  m1 = mallinfo2();
  TAP_IS_INT(st.states - st0.states, 1000, "1000 programs, 1000 new lua_States");
  TAP_IS_INT(bad, 0, "each ran and Lua's live bytes came back to %zu", base);
  TAP_OK(m1.uordblks <= m0.uordblks + 65536, "the C heap did not grow (%zu -> %zu bytes)",
         m0.uordblks, m1.uordblks);
  lvt_ref_close(fresh);
  /* The default: one image, restored. */
  run_src("print(1)");
  lvt_ref_stats(ref, &st0);
  m0 = mallinfo2();
  for (i = 0, bad = 0; i < 3000; i++) {
    run_src("local t = {} for i = 1, 100 do t[i] = {tostring(i)} end setmetatable(t, {__gc = print}) "
            "io.write(#t)");
    lvt_ref_stats(ref, &st);
    if (strcmp(out(), "100") != 0 || st.live != st0.live) bad++;
  }
  m1 = mallinfo2();
  TAP_IS_INT(st.states, st0.states, "3000 programs on one image: no new state");
  TAP_IS_INT(bad, 0, "each ran and Lua's live bytes came back to the image's (%zu)", st0.live);
  TAP_OK(m1.uordblks <= m0.uordblks + 65536, "the C heap did not grow (%zu -> %zu bytes)",
         m0.uordblks, m1.uordblks);
}

/* Another sandbox (the development override) that stops os.exit through
** opts.host_stop instead of a hook of its own. */
/* The guard without a budget has no count hook until it needs one (the
** lazy guard, vm/ref/lvt_lua54_guard.h): the clock's timer and a trip
** trap every thread, so coroutines are stopped too, and a program's own
** count hook still works. */
static void *timeout_elsewhere(void *arg) {
  LvtLimits lim;
  LvtRun r;
  LvtErr e;
  LvtProgram p = {"t", "while true do end", 17, NULL, 0};
  int *ok = arg;
  lvt_limits_default(&lim);
  lim.timeout_ms = 100;
  lvt_run_init(&r);
  *ok = lvt_ref_run(ref, &p, &lim, &r, &e) == LVT_OK && r.outcome == LVT_RUN_TIMEOUT;
  lvt_run_reset(&r);
  return NULL;
}

static void test_lazy_guard(void) {
  LvtLimits lim;
  pthread_t th;
  int ok = 0;
  lvt_limits_default(&lim);
  lim.timeout_ms = 150;
  run_on(ref, "local f = coroutine.wrap(function() while true do end end) f()", &lim);
  TAP_IS_STR(lvt_buf_str(&run.detail), "time limit (150 ms)", "a busy loop in a coroutine times out");
  run_on(ref, "coroutine.wrap(function() coroutine.wrap(function() "
              "while true do end end)() end)()", &lim);
  TAP_IS_STR(lvt_buf_str(&run.detail), "time limit (150 ms)", "... two coroutines deep too");
  run_on(ref, "local cs = {} for i = 1, 500 do cs[i] = coroutine.create(function() end) end "
              "cs = nil collectgarbage() collectgarbage() "
              "local keep = {} for i = 1, 300 do keep[i] = coroutine.wrap(function() end) end "
              "coroutine.wrap(function() while true do end end)()", &lim);
  TAP_IS_STR(lvt_buf_str(&run.detail), "time limit (150 ms)",
             "... after 800 coroutines made and 500 collected");
  run_on(ref, "coroutine.wrap(function() pcall(os.exit, 3) while true do end end)() print('after')",
         &lim);
  TAP_OK(run.outcome == LVT_RUN_EXIT && run.exit_code == 3 && run.out.len == 0,
         "os.exit in a coroutine under pcall: exit 3 at once (%s, %.0f ms, '%s')",
         lvt_outcome_name(run.outcome), run.wall_ms, out());
  TAP_OK(run.wall_ms < 100, "... not by the clock (%.0f ms)", run.wall_ms);
  lim.mem_limit = (size_t)8 << 20;
  lim.timeout_ms = 2000;
  run_on(ref, "coroutine.wrap(function() pcall(function() local t = {} "
              "for i = 1, 1e8 do t[i] = {i} end end) while true do end end)()", &lim);
  TAP_OK(run.outcome == LVT_RUN_NOMEM && run.wall_ms < 1500,
         "the memory cap in a coroutine that catches it and loops: memory, at once (%s, %.0f ms)",
         lvt_outcome_name(run.outcome), run.wall_ms);
  lvt_limits_default(&lim);
  run_on(ref, "local n = 0 debug.sethook(function() n = n + 1 end, '', 100) "
              "for i = 1, 10000 do end debug.sethook() print(n >= 100, debug.gethook())", &lim);
  TAP_IS_STR(out(), "true\tnil\n", "a program's own count hook runs without a budget");
  run_src("print(debug.gethook())");
  TAP_IS_STR(out(), "nil\n", "... and the next program has none");
  if (pthread_create(&th, NULL, timeout_elsewhere, &ok) == 0) {
    pthread_join(th, NULL);
    TAP_OK(ok, "the clock works when another thread runs the reference");
  }
  run_on(ref, "while true do end", &(LvtLimits){.timeout_ms = 100, .max_output = 1 << 20});
  TAP_IS_STR(lvt_outcome_name(run.outcome), "timeout", "... and again in this one");
}

static void test_host_stop(void) {
  static const char sandbox[] =
    "local M = {}\n"
    "function M.run(src, name, opts)\n"
    "  local out = {}\n"
    "  local env = setmetatable({}, {__index = _G})\n"
    "  env.print = function(...) out[#out + 1] = table.concat({...}, '\\t') .. '\\n' end\n"
    "  env.os = setmetatable({exit = function(c) opts.host_stop('exit', c) end}, {__index = os})\n"
    "  local fn, msg = load(src, '=' .. name, 't', env)\n"
    "  local ok, err = pcall(fn)\n"
    "  return {outcome = ok and 'ok' or 'error', out = table.concat(out),\n"
    "          errtype = not ok and type(err) or nil, errval = not ok and tostring(err) or nil}\n"
    "end\n"
    "return M\n";
  LvtRefOptions opt;
  LvtRef *r;
  LvtErr e;
  lvt_ref_options_init(&opt);
  opt.sandbox = sandbox;
  opt.sandbox_len = sizeof sandbox - 1;
  if (lvt_ref_open(&r, &opt, &e) != LVT_OK) {
    TAP_OK(0, "open with a custom sandbox: %s", e.msg);
    return;
  }
  run_on(r, "print(tostring(debug.gethook())) print(pcall(os.exit, 4)) print('after')", NULL);
  TAP_IS_STR(lvt_outcome_name(run.outcome), "exit", "host_stop: os.exit is an exit");
  TAP_IS_INT(run.exit_code, 4, "... with its code");
  TAP_IS_STR(out(), "nil\n", "... pcall cannot catch it, and no hook is visible");
  run_on(r, "print(1)", NULL);
  TAP_IS_STR(out(), "1\n", "... and the next program runs");
  lvt_ref_close(r);
  opt.sandbox = "return 42";
  opt.sandbox_len = 9;
  TAP_IS_INT(lvt_ref_open(&r, &opt, &e), LVT_ERR_VM, "a sandbox that is not a module is refused");
  TAP_OK(strstr(e.msg, "not a module table") != NULL, "... saying why");
}

/* The image is faithful: every case gives the same result on a restored
** image as on a newly booted lua_State (same seed). */
static void test_image_faithful(void) {
  LvtRef *fresh;
  LvtLimits lim;
  LvtRun a;
  size_t i, same = 0, n = sizeof cases / sizeof cases[0];
  if ((fresh = open_with(0, 1)) == NULL) return;
  lvt_limits_default(&lim);
  lim.deterministic = 1;
  lvt_run_init(&a);
  for (i = 0; i <= n; i++) {
    const char *src = i < n ? cases[i].src : pairs_prog;
    run_on(fresh, src, &lim);
    a.outcome = run.outcome;
    lvt_buf_set(&a.out, run.out.data, run.out.len);
    lvt_buf_set(&a.err_value, run.err_value.data, run.err_value.len);
    run_on(ref, src, &lim);
    if (a.outcome == run.outcome && a.out.len == run.out.len &&
        memcmp(lvt_buf_str(&a.out), lvt_buf_str(&run.out), a.out.len) == 0 &&
        strcmp(lvt_buf_str(&a.err_value), lvt_buf_str(&run.err_value)) == 0)
      same++;
    else
      printf("# differs: %s\n", src);
  }
  TAP_IS_INT(same, n + 1, "a restored image and a new state give the same results");
  lvt_run_reset(&a);
  lvt_ref_close(fresh);
}

static void test_throughput(void) {
  static const char prog[] = "local s = 0 for i = 1, 10 do s = s + i end print(s)";
  LvtLimits lim;
  double t0, dt;
  int i, n = 3000, ok = 0;
  lvt_limits_default(&lim);
  lim.instr_limit = 1000000;
  lim.deterministic = 1;
  t0 = lvt_now_ms();
  for (i = 0; i < n; i++) {
    run_on(ref, prog, &lim);
    ok += run.outcome == LVT_RUN_OK;
  }
  dt = lvt_now_ms() - t0;
  TAP_IS_INT(ok, n, "throughput loop: every run ok");
  printf("# throughput: %d small programs in %.0f ms = %.0f programs/s (pristine state each)\n",
         n, dt, n / dt * 1000);
}

int main(void) {
  LvtErr e;
  lvt_run_init(&run);
  if (lvt_ref_open(&ref, NULL, &e) != LVT_OK) {
    TAP_OK(0, "lvt_ref_open: %s", e.msg);
    return tap_done();
  }
  test_cases();
  test_instruction_budget();
  test_timeout();
  test_lazy_guard();
  test_memory();
  test_region();
  test_truncation();
  test_deterministic();
  test_isolation();
  test_hash_seed();
  test_gc_modes();
  test_files();
  test_binary();
  test_warnings();
  test_selftest_and_handle();
  test_many();
  test_preludes();
  test_image_faithful();
  test_host_stop();
  test_throughput();
  lvt_ref_close(ref);
  lvt_run_reset(&run);
  return tap_done();
}
