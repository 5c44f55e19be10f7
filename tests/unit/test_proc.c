/*
** test_proc.c -- the 'proc' backend (vm/lvt_proc.c) for real: the driver
** vm/driver/lvx.lua + sandbox.lua on lua5.1 ... lua5.4 and luajit, and the
** misbehaving VMs of tests/vms (LVT_TEST_VMS) with the right outcome, the
** VM restarted, and later programs on the same VM still answered.
*/
#include "vm/lvt_vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/tap.h"

/* Which Lua a case is for. */
enum { V51 = 1, V52 = 2, V53 = 4, V54 = 8, VJIT = 16, VPUC = 15, VALL = 31 };

static const struct { const char *cmd; unsigned bit; } luas[] = {
  {"lua5.1", V51}, {"lua5.2", V52}, {"lua5.3", V53}, {"lua5.4", V54}, {"luajit", VJIT},
};

typedef struct Vm {
  void *impl;
  const char *name;
} Vm;

/* Opens a proc VM for 'argv'; fails the test (and returns 0) when it
** cannot. */
static int vm_open(Vm *vm, const char *name, char *const *argv, int speaks_lvx,
                   unsigned restart_every, size_t rss_limit, char *const *env) {
  LvtVmConfig cfg;
  LvtErr e = {0, ""};
  int rc;
  memset(&cfg, 0, sizeof cfg);
  cfg.name = name;
  cfg.backend = LVT_BACKEND_PROC;
  cfg.argv = argv;
  cfg.speaks_lvx = speaks_lvx;
  cfg.env = env;
  cfg.dialect = -1;
  cfg.restart_every = restart_every;
  cfg.rss_limit = rss_limit;
  vm->name = name;
  rc = lvt_vm_proc_ops.open(&vm->impl, &cfg, &e);
  if (!TAP_OK(rc == LVT_OK, "%s: open (%s)", name, e.msg)) return 0;
  return 1;
}

static void vm_close(Vm *vm) {
  lvt_vm_proc_ops.close(vm->impl);
  vm->impl = NULL;
}

/* Limits for a test run: short timeouts, the rest default. */
static void test_limits(LvtLimits *lim) {
  lvt_limits_default(lim);
  lim->timeout_ms = 5000;
}

static int vm_run(Vm *vm, const char *src, size_t len, const LvtLimits *lim, LvtRun *r) {
  LvtProgram p = {"t.lua", src, len, NULL, 0};
  LvtErr e = {0, ""};
  int rc = lvt_vm_proc_ops.run(vm->impl, &p, lim, r, &e);
  if (rc != LVT_OK) TAP_OK(0, "%s: run returned %s: %s", vm->name, lvt_err_name(rc), e.msg);
  return rc;
}

static int run_s(Vm *vm, const char *src, const LvtLimits *lim, LvtRun *r) {
  return vm_run(vm, src, strlen(src), lim, r);
}

/* =====================================================================
** Real Lua: programs and what each version must answer
** ===================================================================== */
typedef struct Case {
  unsigned vms;          /* V* bits */
  const char *src;
  LvtOutcome want;
  const char *out;       /* exact output (may hold NULs) */
  size_t outlen;
  const char *errtype;   /* or NULL */
  const char *errval;    /* prefix of the error value, or NULL */
  int exit_code;
  int restarted;         /* -1: don't care */
  const char *detail;    /* prefix, or NULL */
} Case;

/* A case; 'o' must be a string literal (its size is its length). */
#define CASE(v, s, want, o, ty, val, code, rst, det) {v, s, want, o, sizeof(o) - 1, ty, val, code, rst, det}
#define OK_OUT(v, s, o) CASE(v, s, LVT_RUN_OK, o, NULL, NULL, 0, 0, NULL)

static const Case cases[] = {
  /* Output capture and each version's number formatting. */
  OK_OUT(V51 | V52 | VJIT, "print(1, 1.0, 'x') io.write(1.0, ' ', 2, '\\n')", "1\t1\tx\n1 2\n"),
  OK_OUT(V53 | V54, "print(1, 1.0, 'x') io.write(1.0, ' ', 2, '\\n')", "1\t1.0\tx\n1 2\n"),
  OK_OUT(VALL, "io.write(7/2, ' ', 1e100, ' ', 2^53, '\\n')", "3.5 1e+100 9.007199254741e+15\n"),
  OK_OUT(V53 | V54, "print(10/2, 3) io.write(10/2, ' ', 3, '\\n')", "5.0\t3\n5 3\n"),
  OK_OUT(VALL, "io.stdout:write('a', 1) io.output():write('b') print(io.write('c') ~= nil)",
         "a1bctrue\n"),
  OK_OUT(VALL, "print('a\\0b', nil, true)", "a\0b\tnil\ttrue\n"),
  /* print looks up the global tostring on 5.1-5.3 and LuaJIT only. */
  OK_OUT(V51 | V52 | V53 | VJIT, "tostring = function() return 'T' end print(1, 'a')", "T\tT\n"),
  OK_OUT(V54, "tostring = function() return 'T' end print(1, 'a')", "1\ta\n"),
  /* Errors and their types. */
  CASE(VALL, "print('before') error('boom')", LVT_RUN_ERROR, "before\n", "string", "t.lua:1: boom", 0, 0, NULL),
  CASE(VALL, "error({})", LVT_RUN_ERROR, "", "table", "table: ", 0, 0, NULL),
  CASE(VALL, "error(setmetatable({}, {__tostring = function() return 'custom' end}))",
   LVT_RUN_ERROR, "", "table", "custom", 0, 0, NULL),
  CASE(VALL, "error(setmetatable({}, {__tostring = function() error('no') end}))",
   LVT_RUN_ERROR, "", "table", "(error object is a table value)", 0, 0, NULL),
  CASE(VALL, "error()", LVT_RUN_ERROR, "", "nil", "nil", 0, 0, NULL),
  CASE(VALL, "error(42, 0)", LVT_RUN_ERROR, "", "number", "42", 0, 0, NULL),
  CASE(VALL, "x = = 1", LVT_RUN_ERROR, "", "string", "t.lua:1:", 0, 0, NULL),
  /* os.exit is an outcome, and pcall cannot swallow it. */
  CASE(VALL, "print('a') os.exit(3)", LVT_RUN_EXIT, "a\n", NULL, NULL, 3, 0, NULL),
  CASE(VALL, "os.exit(true)", LVT_RUN_EXIT, "", NULL, NULL, 0, 0, NULL),
  CASE(VALL, "os.exit(false)", LVT_RUN_EXIT, "", NULL, NULL, 1, 0, NULL),
  CASE(VALL, "pcall(os.exit, 4) print('escaped')", LVT_RUN_EXIT, "", NULL, NULL, 4, 0, NULL),
  CASE(VALL, "for i = 1, 3 do pcall(function() os.exit(6) end) print('escaped') end",
   LVT_RUN_EXIT, "", NULL, NULL, 6, 0, NULL),
  CASE(VALL, "local co = coroutine.wrap(function() os.exit(5) end) pcall(co) print('escaped')",
   LVT_RUN_EXIT, "", NULL, NULL, 5, 0, NULL),
  CASE(VALL, "local co = coroutine.create(function() os.exit(7) end) "
         "print(coroutine.resume(co)) print('escaped')",
   LVT_RUN_EXIT, "", NULL, NULL, 7, 0, NULL),
  /* Policy. */
  OK_OUT(VALL, "print(pcall(os.execute, 'true')) print(pcall(io.popen, 'ls'))",
         "false\tos.execute disabled by lvtest\nfalse\tio.popen disabled by lvtest\n"),
  OK_OUT(VALL, "print(pcall(package.loadlib, 'x', 'y'))", "false\tpackage.loadlib disabled by lvtest\n"),
  OK_OUT(VALL, "print(io.open('/tmp/lvt-evil', 'w')) print(os.remove('/etc/passwd'))",
         "nil\t/tmp/lvt-evil: writing outside the scratch directory is disabled by lvtest\t13\n"
         "nil\t/etc/passwd: writing outside the scratch directory is disabled by lvtest\t13\n"),
  OK_OUT(VALL, "print(io.open('../x', 'a'))",
         "nil\t../x: writing outside the scratch directory is disabled by lvtest\t13\n"),
  OK_OUT(VALL, "local f = assert(io.open('f.txt', 'w')) f:write('hi') f:close() "
               "print(io.open('f.txt'):read('*a')) print(os.rename('f.txt', 'g.txt'))",
         "hi\ntrue\n"),
  /* ... and files written by a program are gone for the next one. */
  OK_OUT(VALL, "print(io.open('g.txt'))", "nil\tg.txt: No such file or directory\t2\n"),
  OK_OUT(VALL, "local f = io.open('mymod.lua', 'w') f:write('return {v = 42}') f:close() "
               "print(require('mymod').v)", "42\n"),
  OK_OUT(VALL, "local f = io.open('m.lua', 'w') f:write('\\nerror(\"e\")') f:close() "
               "print(pcall(dofile, 'm.lua'))", "false\tm.lua:2: e\n"),
  OK_OUT(VALL, "print(io.read(), io.read('*a'), io.read('*n')) "
               "for l in io.lines() do print(l) end print('done')", "nil\t\tnil\ndone\n"),
  OK_OUT(VALL, "print(io.stdin:read('*l'), io.stdout:close())", "nil\tnil\tcannot close standard file\n"),
  /* A fresh environment per program: this leaks nothing... */
  OK_OUT(VALL, "x = 1 string.foo = 1 table.insert = nil _G.y = 2 "
               "getmetatable('').__index.bar = 3 package.loaded.string.baz = 4", ""),
  /* ... as the next program sees. */
  OK_OUT(VALL, "print(x, y, string.foo, string.bar, string.baz, table.insert ~= nil)",
         "nil\tnil\tnil\tnil\tnil\ttrue\n"),
  OK_OUT(VALL, "function string.twice(s) return s .. s end print(('ab'):twice())", "abab\n"),
  /* Changing shared state is 'dirty': a restart, and a clean next VM. */
  CASE(VALL, "rawset(getmetatable(''), 'lvt_marker', true)", LVT_RUN_OK, "", NULL, NULL, 0, 1,
   "changed the string metatable"),
  OK_OUT(VALL, "print(getmetatable('').lvt_marker)", "nil\n"),
  CASE(VALL, "debug.setmetatable(nil, {__index = function() return 1 end})", LVT_RUN_OK, "",
   NULL, NULL, 0, 1, "changed the nil metatable"),
  OK_OUT(VALL, "print(pcall(function() return (nil).x end))", "false\tt.lua:1: attempt to index a nil value\n"),
  /* Standard error is kept apart from the output. */
  OK_OUT(VALL, "io.stderr:write('to stderr') print('to out')", "to out\n"),
};

/* Checks 'r' against case 'c' on 'vm'. */
static void check_case(const char *vm, size_t i, const Case *c, const LvtRun *r) {
  int good = r->outcome == c->want &&
             r->out.len == c->outlen && memcmp(lvt_buf_str(&r->out), c->out, c->outlen) == 0 &&
             (c->errtype == NULL || strcmp(r->err_type, c->errtype) == 0) &&
             (c->errval == NULL || strncmp(lvt_buf_str(&r->err_value), c->errval, strlen(c->errval)) == 0) &&
             (c->want != LVT_RUN_EXIT || r->exit_code == c->exit_code) &&
             (c->restarted < 0 || r->restarted == c->restarted) &&
             (c->detail == NULL || strncmp(lvt_buf_str(&r->detail), c->detail, strlen(c->detail)) == 0);
  if (!TAP_OK(good, "%s case %zu: %.50s", vm, i, c->src)) {
    printf("#   outcome %s (want %s), exit %d, restarted %d, type '%s'\n",
           lvt_outcome_name(r->outcome), lvt_outcome_name(c->want), r->exit_code,
           r->restarted, r->err_type);
    tap_diag_mem("out", r->out.data ? r->out.data : "", r->out.len);
    tap_diag_mem("errval", lvt_buf_str(&r->err_value), r->err_value.len);
    tap_diag_mem("detail", lvt_buf_str(&r->detail), r->detail.len);
    tap_diag_mem("stderr", lvt_buf_str(&r->errout), r->errout.len);
  }
}

/* Every case for this Lua, then the checks that need more than one run. */
static void test_lua(const char *cmd, unsigned bit) {
  char *argv[] = {(char *)cmd, NULL};
  LvtLimits lim;
  LvtRun r, r2;
  Vm vm;
  size_t i;
  if (!vm_open(&vm, cmd, argv, 0, 0, 0, NULL)) return;
  test_limits(&lim);
  lvt_run_init(&r);
  lvt_run_init(&r2);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (!(cases[i].vms & bit)) continue;
    if (run_s(&vm, cases[i].src, &lim, &r) != LVT_OK) break;
    check_case(cmd, i, &cases[i], &r);
  }

  /* stderr goes to errout; times and memory are measured. */
  run_s(&vm, "io.stderr:write('to stderr') print('to out')", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.errout), "to stderr", "%s: stderr kept per program", cmd);
  TAP_OK(r.wall_ms > 0 && r.wall_ms < 5000, "%s: wall_ms %.3f", cmd, r.wall_ms);
  TAP_OK(r.peak_mem > 100000, "%s: peak_mem %zu bytes", cmd, r.peak_mem);

  /* Output cap. */
  lim.max_output = 10;
  run_s(&vm, "print(('x'):rep(100)) print('more')", &lim, &r);
  TAP_OK(r.outcome == LVT_RUN_OK && r.out.len == 10 && r.out_truncated,
         "%s: output cut at max_output (%zu bytes, truncated %d)", cmd, r.out.len, r.out_truncated);
  test_limits(&lim);

  /* Deterministic mode: fixed clocks and seeds, the same output twice. */
  lim.deterministic = 1;
  run_s(&vm, "print(os.time(), os.clock(), os.date('!%Y'), math.random(1000000))", &lim, &r);
  run_s(&vm, "print(os.time(), os.clock(), os.date('!%Y'), math.random(1000000))", &lim, &r2);
  TAP_OK(strncmp(lvt_buf_str(&r.out), "1000000000\t0\t2001\t", 18) == 0,
         "%s: deterministic clocks: %.*s", cmd, (int)strcspn(lvt_buf_str(&r.out), "\n"),
         lvt_buf_str(&r.out));
  TAP_IS_STR(lvt_buf_str(&r2.out), lvt_buf_str(&r.out), "%s: deterministic twice", cmd);
  test_limits(&lim);

  /* Instruction limit: a timeout pcall cannot swallow. LuaJIT compiles
  ** the loop, where the count hook does not run: the wall clock ends it. */
  lim.instr_limit = 100000;
  if (bit == VJIT) lim.timeout_ms = 1000;
  run_s(&vm, "for i = 1, 3 do pcall(function() while true do end end) print('escaped') end",
        &lim, &r);
  TAP_OK(r.outcome == LVT_RUN_TIMEOUT && r.out.len == 0, "%s: instruction limit (%s, %s)",
         cmd, lvt_outcome_name(r.outcome), lvt_buf_str(&r.detail));
  if (bit != VJIT)
    TAP_IS_STR(lvt_buf_str(&r.detail), "instruction limit", "%s: ... by the count hook", cmd);
  run_s(&vm, "local n = 0 for i = 1, 1000 do n = n + i end print(n)", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "500500\n", "%s: a short program fits the budget", cmd);
  test_limits(&lim);

  /* Binary chunks: refused when not allowed, run when allowed. */
  run_s(&vm, "io.write(string.dump(function() print('from bytecode') end))", &lim, &r);
  lim.allow_binary = 0;
  vm_run(&vm, r.out.data, r.out.len, &lim, &r2);
  TAP_OK(r2.outcome == LVT_RUN_ERROR &&
         strcmp(lvt_buf_str(&r2.detail), "binary chunk refused (allow_binary is off)") == 0,
         "%s: binary chunk refused: %s", cmd, lvt_buf_str(&r2.err_value));
  lim.allow_binary = 1;
  vm_run(&vm, r.out.data, r.out.len, &lim, &r2);
  TAP_IS_STR(lvt_buf_str(&r2.out), "from bytecode\n", "%s: binary chunk allowed", cmd);

  /* Memory cap (RLIMIT_AS): outcome memory, the VM carries on. The wall
  ** clock is generous: on a loaded machine filling 256 MiB can take
  ** seconds, and a timeout here would hide the outcome under test. */
  lim.mem_limit = (size_t)256 << 20;
  lim.timeout_ms = 30000;
  run_s(&vm, "local s = ('x'):rep(2^20) local t = {} for i = 1, 1e6 do t[i] = s .. i end",
        &lim, &r);
  TAP_IS_STR(lvt_outcome_name(r.outcome), "memory", "%s: memory cap", cmd);
  test_limits(&lim);
  run_s(&vm, "print('after memory')", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "after memory\n", "%s: runs after hitting the cap", cmd);

  /* Wall-clock timeout: killed, restarted, the next program runs. */
  lim.timeout_ms = 200;
  run_s(&vm, "while true do end", &lim, &r);
  TAP_OK(r.outcome == LVT_RUN_TIMEOUT && r.restarted &&
         strcmp(lvt_buf_str(&r.detail), "killed after 200 ms (wall-clock timeout)") == 0,
         "%s: wall-clock timeout (%s, %s)", cmd, lvt_outcome_name(r.outcome), lvt_buf_str(&r.detail));
  test_limits(&lim);

  /* The crash self-test: a real SIGSEGV while the program runs. */
  lim.selftest_crash = 1;
  run_s(&vm, "while true do end", &lim, &r);
  TAP_OK(r.outcome == LVT_RUN_CRASH && r.signal == 11 && r.restarted,
         "%s: forced crash (%s signal %d: %s)", cmd, lvt_outcome_name(r.outcome), r.signal,
         lvt_buf_str(&r.detail));
  test_limits(&lim);
  run_s(&vm, "print(1 + 1)", &lim, &r);
  TAP_IS_STR(lvt_buf_str(&r.out), "2\n", "%s: runs after the crash", cmd);

  lvt_run_reset(&r);
  lvt_run_reset(&r2);
  vm_close(&vm);

  /* restart_every: a restart after every second program. */
  if (vm_open(&vm, cmd, argv, 0, 2, 0, NULL)) {
    int got[4];
    lvt_run_init(&r);
    for (i = 0; i < 4; i++) {
      run_s(&vm, "return", &lim, &r);
      got[i] = r.restarted;
    }
    TAP_OK(!got[0] && got[1] && !got[2] && got[3], "%s: restart_every 2 (%d %d %d %d)", cmd,
           got[0], got[1], got[2], got[3]);
    lvt_run_reset(&r);
    vm_close(&vm);
  }
}

/* =====================================================================
** Misbehaving VMs
** ===================================================================== */
static char vms_dir[512];

static int open_test_vm(Vm *vm, const char *mode, unsigned restart_every, size_t rss,
                        char *const *env) {
  static char path[600];
  char *argv[2];
  snprintf(path, sizeof path, "%s/%s", vms_dir, mode);
  argv[0] = path;
  argv[1] = NULL;
  return vm_open(vm, mode, argv, 1, restart_every, rss, env);
}

/* Runs a good program and checks it is answered in full. */
static void still_runs(Vm *vm, const char *what) {
  LvtLimits lim;
  LvtRun r;
  test_limits(&lim);
  lvt_run_init(&r);
  if (run_s(vm, "the next program", &lim, &r) == LVT_OK)
    TAP_OK(r.outcome == LVT_RUN_OK && strcmp(lvt_buf_str(&r.out), "the next program") == 0,
           "%s: %s: a later program still runs", vm->name, what);
  lvt_run_reset(&r);
}

typedef struct Fault {
  const char *mode;
  LvtOutcome want;
  const char *detail;    /* prefix */
  int signal, status;
  unsigned timeout_ms;
  size_t mem_limit, rss_limit;
  int restarted;
} Fault;

static const Fault faults[] = {
  {"segv", LVT_RUN_CRASH, "the VM was killed by signal 11", 11, -1, 5000, 0, 0, 1},
  {"hang", LVT_RUN_TIMEOUT, "killed after 300 ms", 0, -1, 300, 0, 0, 1},
  {"flood", LVT_RUN_CRASH, "protocol: header: bad \"LVX\" at byte 0: 'g'", 0, -1, 5000, 0, 0, 1},
  {"garbage", LVT_RUN_CRASH, "protocol: field line: bad length", 0, -1, 5000, 0, 0, 1},
  {"midframe", LVT_RUN_CRASH, "protocol: EOF in the middle of a result frame", 0, 0, 5000, 0, 0, 1},
  {"closeout", LVT_RUN_CRASH, "protocol: the VM closed its stdout", 0, -1, 5000, 0, 0, 1},
  {"alloc", LVT_RUN_NOMEM, NULL, 0, -1, 5000, (size_t)128 << 20, 0, 0},
  {"alloc", LVT_RUN_NOMEM, "RSS of", 0, -1, 5000, 0, (size_t)128 << 20, 1},
  {"floodstderr", LVT_RUN_OK, NULL, 0, -1, 5000, 0, 0, 0},
};

static void test_fault(const Fault *f) {
  LvtLimits lim;
  LvtRun r;
  Vm vm;
  if (!open_test_vm(&vm, f->mode, 0, f->rss_limit, NULL)) return;
  test_limits(&lim);
  lim.timeout_ms = f->timeout_ms;
  lim.mem_limit = f->mem_limit;
  lvt_run_init(&r);
  still_runs(&vm, "before");
  if (run_s(&vm, "please MISBEHAVE", &lim, &r) == LVT_OK) {
    int good = r.outcome == f->want && r.signal == f->signal && r.status == f->status &&
               r.restarted == f->restarted &&
               (f->detail == NULL || strncmp(lvt_buf_str(&r.detail), f->detail, strlen(f->detail)) == 0);
    if (!TAP_OK(good, "%s: %s", f->mode, lvt_outcome_name(f->want)))
      printf("#   got %s, signal %d, status %d, restarted %d, detail '%s'\n",
             lvt_outcome_name(r.outcome), r.signal, r.status, r.restarted, lvt_buf_str(&r.detail));
    TAP_OK(r.wall_ms < f->timeout_ms + 1000.0, "%s: answered in %.1f ms", f->mode, r.wall_ms);
    if (strcmp(f->mode, "floodstderr") == 0) {
      TAP_IS_STR(lvt_buf_str(&r.out), "please MISBEHAVE", "floodstderr: the result is intact");
      TAP_OK(r.errout.len == (size_t)256 << 10 && r.errout_truncated,
             "floodstderr: stderr capped at 256 KiB (%zu bytes, truncated %d)", r.errout.len,
             r.errout_truncated);
    }
  }
  lvt_run_reset(&r);
  still_runs(&vm, "after");
  vm_close(&vm);
}

/* Output of the program "pid" (the VM's process id). */
static long run_pid(Vm *vm, LvtRun *r) {
  LvtLimits lim;
  test_limits(&lim);
  run_s(vm, "pid", &lim, r);
  return strtol(lvt_buf_str(&r->out), NULL, 10);
}

static void test_restarts(void) {
  LvtLimits lim;
  LvtRun r;
  Vm vm;
  long p[4];
  int i, lost = 0;
  lvt_run_init(&r);
  test_limits(&lim);

  /* 'dirty' and an exit status. */
  if (open_test_vm(&vm, "echo", 0, 0, NULL)) {
    p[0] = run_pid(&vm, &r);
    run_s(&vm, "dirty", &lim, &r);
    TAP_OK(r.outcome == LVT_RUN_OK && r.restarted, "echo: dirty result, VM restarted");
    p[1] = run_pid(&vm, &r);
    TAP_OK(p[0] > 0 && p[1] > 0 && p[0] != p[1], "echo: a new process after dirty (%ld, %ld)",
           p[0], p[1]);
    run_s(&vm, "exit 3", &lim, &r);
    TAP_OK(r.outcome == LVT_RUN_CRASH && r.status == 3 && r.signal == 0 && r.restarted,
           "echo: exit status 3 is a crash (%s)", lvt_buf_str(&r.detail));
    lim.selftest_crash = 1;
    run_s(&vm, "hello", &lim, &r);
    TAP_OK(r.outcome == LVT_RUN_CRASH && r.signal == 11, "echo: selftest_crash gives SIGSEGV");
    test_limits(&lim);
    still_runs(&vm, "after exit");
    vm_close(&vm);
  }

  /* restart_every: pids change after every second program. */
  if (open_test_vm(&vm, "echo", 2, 0, NULL)) {
    for (i = 0; i < 4; i++) p[i] = run_pid(&vm, &r);
    TAP_OK(p[0] == p[1] && p[1] != p[2] && p[2] == p[3], "echo: restart_every 2 (%ld %ld %ld %ld)",
           p[0], p[1], p[2], p[3]);
    vm_close(&vm);
  }

  /* Nothing lost: 30 programs, every third makes the VM crash. */
  if (open_test_vm(&vm, "segv", 0, 0, NULL)) {
    for (i = 0; i < 30; i++) {
      char src[64];
      snprintf(src, sizeof src, "program %d%s", i, i % 3 == 2 ? " MISBEHAVE" : "");
      if (run_s(&vm, src, &lim, &r) != LVT_OK) {
        lost++;
        continue;
      }
      if (i % 3 == 2 ? r.outcome != LVT_RUN_CRASH
                     : r.outcome != LVT_RUN_OK || strcmp(lvt_buf_str(&r.out), src) != 0)
        lost++;
    }
    TAP_IS_INT(lost, 0, "segv: 30 programs, 10 crashes, every result right");
    vm_close(&vm);
  }
  lvt_run_reset(&r);
}

/* A VM that cannot come back: LVT_ERR_VM, then it recovers if it can. */
static void test_start_failures(void) {
  char flag[600], env0[700];
  char *env[] = {env0, NULL};
  char *argv[] = {(char *)"/nonexistent/lua9", NULL};
  LvtVmConfig cfg;
  LvtLimits lim;
  LvtProgram prog = {"t", "x", 1, NULL, 0};
  LvtErr e = {0, ""};
  LvtRun r;
  void *impl = NULL;
  Vm vm;
  FILE *f;
  int rc;

  memset(&cfg, 0, sizeof cfg);
  cfg.name = "lua9";
  cfg.argv = argv;
  rc = lvt_vm_proc_ops.open(&impl, &cfg, &e);
  TAP_OK(rc == LVT_ERR_SPAWN && impl == NULL && strstr(e.msg, "no such command") != NULL,
         "missing command: %s", e.msg);

  snprintf(flag, sizeof flag, "%s/lvt-test-proc-die-%d", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
           (int)getpid());
  snprintf(env0, sizeof env0, "LVX_VM_DIE_IF=%s", flag);
  f = fopen(flag, "w");
  if (f) fclose(f);
  {
    char path[600];
    char *av[] = {path, NULL};
    snprintf(path, sizeof path, "%s/echo", vms_dir);
    cfg.argv = av;
    cfg.speaks_lvx = 1;
    cfg.env = env;
    rc = lvt_vm_proc_ops.open(&impl, &cfg, &e);
    TAP_OK(rc == LVT_ERR_VM && strstr(e.msg, "told to die") != NULL &&
           strstr(e.msg, "exited with status 1") != NULL, "VM dying at start: %s", e.msg);
  }
  unlink(flag);

  lvt_run_init(&r);
  test_limits(&lim);
  if (open_test_vm(&vm, "echo", 0, 0, env)) {
    f = fopen(flag, "w");
    if (f) fclose(f);
    run_s(&vm, "exit 9", &lim, &r);
    TAP_OK(r.outcome == LVT_RUN_CRASH && r.status == 9, "crash whose restart fails: result kept");
    rc = lvt_vm_proc_ops.run(vm.impl, &prog, &lim, &r, &e);
    TAP_OK(rc == LVT_ERR_VM && strstr(e.msg, "failed to start 3 times") != NULL,
           "next run: LVT_ERR_VM (%s)", e.msg);
    unlink(flag);
    still_runs(&vm, "after the VM can start again");
    vm_close(&vm);
  }
  lvt_run_reset(&r);
}

/* =====================================================================
** Batches: pipelined requests give what single runs give
** ===================================================================== */

/* Runs srcs[0..n) as one batch on 'vm' into r[0..n). */
static int run_batch(Vm *vm, const char *const *srcs, size_t n, const LvtLimits *lim,
                     LvtRun *r) {
  LvtProgram p[16];
  const LvtProgram *pp[16];
  LvtErr e = {0, ""};
  size_t i, done;
  int rc;
  for (i = 0; i < n; i++) {
    p[i] = (LvtProgram){"t.lua", srcs[i], strlen(srcs[i]), NULL, 0};
    pp[i] = &p[i];
  }
  rc = lvt_vm_proc_ops.run_batch(vm->impl, pp, n, lim, r, &done, &e);
  if (rc != LVT_OK || done != n)
    TAP_OK(0, "%s: run_batch returned %s after %zu of %zu: %s", vm->name, lvt_err_name(rc),
           done, n, e.msg);
  return rc;
}

static int same_result(const LvtRun *a, const LvtRun *b) {
  return a->outcome == b->outcome && a->exit_code == b->exit_code &&
         strcmp(a->err_type, b->err_type) == 0 &&
         strcmp(lvt_buf_str(&a->out), lvt_buf_str(&b->out)) == 0 &&
         strcmp(lvt_buf_str(&a->err_value), lvt_buf_str(&b->err_value)) == 0;
}

/* A real Lua: a batch of programs that end every way (including one that
** leaves the VM dirty and one that times out) gives, program by program,
** what each gives run alone. */
static void test_batch_lua(const char *cmd) {
  static const char *const srcs[] = {
    "print('one')", "error('two')", "print('three') os.exit(3)",
    "error(setmetatable({}, {__tostring = function() return 'four' end}))",
    "rawset(getmetatable(''), 'lvt_marker', true) print('dirty')",
    "print(getmetatable('').lvt_marker, string.rep('x', 3))",
    "while true do end", "print('after the timeout')", "return 9", "print(#arg)",
  };
  const size_t n = sizeof srcs / sizeof srcs[0];
  char *argv[2];
  LvtRun batch[16], alone;
  LvtLimits lim;
  size_t i;
  int bad = 0;
  Vm vm;
  argv[0] = (char *)cmd;
  argv[1] = NULL;
  if (!vm_open(&vm, cmd, argv, 0, 0, 0, NULL)) return;
  test_limits(&lim);
  lim.timeout_ms = 400;
  lvt_run_init(&alone);
  for (i = 0; i < n; i++) lvt_run_init(&batch[i]);
  if (run_batch(&vm, srcs, n, &lim, batch) == LVT_OK) {
    for (i = 0; i < n; i++) {
      if (run_s(&vm, srcs[i], &lim, &alone) != LVT_OK || !same_result(&batch[i], &alone)) {
        bad++;
        printf("#   %s: program %zu: batch %s '%s', alone %s '%s'\n", cmd, i,
               lvt_outcome_name(batch[i].outcome), lvt_buf_str(&batch[i].out),
               lvt_outcome_name(alone.outcome), lvt_buf_str(&alone.out));
      }
    }
    TAP_IS_INT(bad, 0, "%s: a batch of %zu programs gives what each gives alone", cmd, n);
    TAP_OK(batch[4].restarted && batch[6].outcome == LVT_RUN_TIMEOUT && batch[6].restarted &&
           batch[7].outcome == LVT_RUN_OK && !batch[7].restarted,
           "%s: the dirty and the timed-out program restart the VM, the next runs", cmd);
  }
  for (i = 0; i < n; i++) lvt_run_reset(&batch[i]);
  lvt_run_reset(&alone);
  vm_close(&vm);
}

/* Misbehaving VMs in a batch: each result goes to its own program. */
static void test_batch_faults(void) {
  const char *srcs[16];
  char text[16][32];
  LvtRun r[16];
  LvtLimits lim;
  size_t i;
  int lost = 0;
  Vm vm;
  for (i = 0; i < 16; i++) lvt_run_init(&r[i]);
  test_limits(&lim);
  /* 15 programs, every third crashes the VM: crashes exactly there. */
  if (open_test_vm(&vm, "segv", 0, 0, NULL)) {
    for (i = 0; i < 15; i++) {
      snprintf(text[i], sizeof text[i], "program %zu%s", i, i % 3 == 2 ? " MISBEHAVE" : "");
      srcs[i] = text[i];
    }
    if (run_batch(&vm, srcs, 15, &lim, r) == LVT_OK)
      for (i = 0; i < 15; i++)
        if (i % 3 == 2 ? r[i].outcome != LVT_RUN_CRASH || !r[i].restarted
                       : r[i].outcome != LVT_RUN_OK || strcmp(lvt_buf_str(&r[i].out), srcs[i]) != 0)
          lost++;
    TAP_IS_INT(lost, 0, "segv: a batch of 15, 5 crashes, every result on its program");
    vm_close(&vm);
  }
  /* A hang in the middle: that program times out, the rest run. */
  if (open_test_vm(&vm, "hang", 0, 0, NULL)) {
    static const char *const h[] = {"a", "b MISBEHAVE", "c", "d"};
    lim.timeout_ms = 300;
    if (run_batch(&vm, h, 4, &lim, r) == LVT_OK)
      TAP_OK(r[0].outcome == LVT_RUN_OK && r[1].outcome == LVT_RUN_TIMEOUT &&
             r[2].outcome == LVT_RUN_OK && strcmp(lvt_buf_str(&r[2].out), "c") == 0 &&
             r[3].outcome == LVT_RUN_OK && strcmp(lvt_buf_str(&r[3].out), "d") == 0,
             "hang: a batch of 4, the second times out, the others answer");
    test_limits(&lim);
    vm_close(&vm);
  }
  /* 'dirty' and restart_every inside a batch: new processes where due. */
  if (open_test_vm(&vm, "echo", 0, 0, NULL)) {
    static const char *const d[] = {"pid", "pid", "dirty", "pid", "pid"};
    if (run_batch(&vm, d, 5, &lim, r) == LVT_OK) {
      long a = strtol(lvt_buf_str(&r[0].out), NULL, 10), b = strtol(lvt_buf_str(&r[1].out), NULL, 10);
      long c = strtol(lvt_buf_str(&r[3].out), NULL, 10), e = strtol(lvt_buf_str(&r[4].out), NULL, 10);
      TAP_OK(a > 0 && a == b && r[2].restarted && c > 0 && c != b && c == e,
             "echo: a batch with 'dirty' in it: a new process after it (%ld %ld %ld %ld)", a, b, c, e);
    }
    vm_close(&vm);
  }
  if (open_test_vm(&vm, "echo", 2, 0, NULL)) {
    static const char *const d[] = {"pid", "pid", "pid", "pid", "pid"};
    long p[5];
    if (run_batch(&vm, d, 5, &lim, r) == LVT_OK) {
      for (i = 0; i < 5; i++) p[i] = strtol(lvt_buf_str(&r[i].out), NULL, 10);
      TAP_OK(p[0] == p[1] && p[1] != p[2] && p[2] == p[3] && p[3] != p[4],
             "echo: restart_every 2 in a batch of 5 (%ld %ld %ld %ld %ld)", p[0], p[1], p[2],
             p[3], p[4]);
    }
    vm_close(&vm);
  }
  for (i = 0; i < 16; i++) lvt_run_reset(&r[i]);
}

int main(void) {
  const char *d = getenv("LVT_TEST_VMS");
  size_t i;
  double t0 = lvt_now_ms();
  for (i = 0; i < sizeof luas / sizeof luas[0]; i++) {
    char cmd[80];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", luas[i].cmd);
    if (system(cmd) != 0) {
      printf("ok %d - # SKIP %s is not installed\n", ++tap_n, luas[i].cmd);
      continue;
    }
    test_lua(luas[i].cmd, luas[i].bit);
    if (luas[i].bit == V54 || luas[i].bit == VJIT) test_batch_lua(luas[i].cmd);
  }
  if (d == NULL) {
    TAP_OK(0, "LVT_TEST_VMS is not set: run through ctest");
  } else {
    snprintf(vms_dir, sizeof vms_dir, "%s", d);
    for (i = 0; i < sizeof faults / sizeof faults[0]; i++) test_fault(&faults[i]);
    test_restarts();
    test_start_failures();
    test_batch_faults();
  }
  printf("# %.1f s\n", (lvt_now_ms() - t0) / 1000);
  return tap_done();
}
