/*
** lvt_vm.c -- what every backend shares: outcome and dialect names, run
** results, limits, the VM handle (dispatch to a backend's operations), the
** probe that detects a VM's dialect and capabilities, and the start-up
** self-tests a VM must pass before its results count.
*/
#include "lvt_vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* =====================================================================
** Names
** ===================================================================== */
static const char *const outcome_names[LVT_RUN__COUNT] = {
  "ok", "error", "exit", "timeout", "memory", "crash", "unsupported"
};

const char *lvt_outcome_name(LvtOutcome o) {
  return (unsigned)o < LVT_RUN__COUNT ? outcome_names[o] : "?";
}

int lvt_outcome_parse(const char *name) {
  int i;
  for (i = 0; i < LVT_RUN__COUNT; i++)
    if (strcmp(outcome_names[i], name) == 0) return i;
  return -1;
}

static const char *const dialect_names[] = {
  "unknown", "5.1", "5.2", "5.3", "5.4", "luajit"
};

const char *lvt_dialect_name(LvtDialect d) {
  return (unsigned)d <= LVT_DIALECT_LUAJIT ? dialect_names[d] : "unknown";
}

int lvt_dialect_parse(const char *s) {
  int i;
  for (i = LVT_DIALECT_51; i <= LVT_DIALECT_LUAJIT; i++)
    if (strcmp(dialect_names[i], s) == 0) return i;
  return -1;
}

/* Capability bits and their names, in bit order. */
static const struct { unsigned bit; const char *name; } cap_names[] = {
  {LVT_CAP_INTEGER, "integer"}, {LVT_CAP_GOTO, "goto"},
  {LVT_CAP_UTF8, "utf8"}, {LVT_CAP_CLOSE, "close"},
  {LVT_CAP_BIT32, "bit32"}, {LVT_CAP_BITOPS, "bitops"},
  {LVT_CAP_TPACK, "table.pack"}, {LVT_CAP_JIT, "jit"},
  {LVT_CAP_SPACK, "string.pack"}, {LVT_CAP_ENV, "_ENV"},
  {LVT_CAP_INT64, "int64"}, {LVT_CAP_COROCLOSE, "coroutine.close"},
  {LVT_CAP_HOOKS, "debug.sethook"}, {LVT_CAP_IOFILES, "io.open"},
  {LVT_CAP_GC, "collectgarbage"}, {LVT_CAP_PRELUDE, "prelude"},
};
#define NCAPS (sizeof cap_names / sizeof cap_names[0])

void lvt_caps_format(unsigned caps, LvtBuf *out) {
  size_t i;
  int first = 1;
  for (i = 0; i < NCAPS; i++) {
    if (caps & cap_names[i].bit) {
      if (!first) lvt_buf_addc(out, ',');
      lvt_buf_adds(out, cap_names[i].name);
      first = 0;
    }
  }
}

/* =====================================================================
** Limits and run results
** ===================================================================== */
void lvt_limits_default(LvtLimits *lim) {
  memset(lim, 0, sizeof *lim);
  lim->timeout_ms = 10000;
  lim->mem_limit = (size_t)1 << 30;
  lim->max_output = LVT_DEFAULT_MAX_OUTPUT;
  lim->allow_binary = 1;
}

void lvt_run_init(LvtRun *r) {
  memset(r, 0, sizeof *r);
  lvt_buf_init(&r->out);
  lvt_buf_init(&r->err_value);
  lvt_buf_init(&r->errout);
  lvt_buf_init(&r->detail);
  r->status = -1;
}

void lvt_run_reset(LvtRun *r) {
  lvt_buf_reset(&r->out);
  lvt_buf_reset(&r->err_value);
  lvt_buf_reset(&r->errout);
  lvt_buf_reset(&r->detail);
  lvt_run_init(r);
}

void lvt_run_clear(LvtRun *r) {
  LvtBuf out = r->out, ev = r->err_value, eo = r->errout, de = r->detail;
  lvt_buf_clear(&out);
  lvt_buf_clear(&ev);
  lvt_buf_clear(&eo);
  lvt_buf_clear(&de);
  memset(r, 0, sizeof *r);
  r->out = out;
  r->err_value = ev;
  r->errout = eo;
  r->detail = de;
  r->status = -1;
}

void lvt_run_copy(LvtRun *dst, const LvtRun *src) {
  *dst = *src;   /* the scalars; the buffers are copied below */
  lvt_buf_init(&dst->out);
  lvt_buf_init(&dst->err_value);
  lvt_buf_init(&dst->errout);
  lvt_buf_init(&dst->detail);
  lvt_buf_add(&dst->out, src->out.data, src->out.len);
  lvt_buf_add(&dst->err_value, src->err_value.data, src->err_value.len);
  lvt_buf_add(&dst->errout, src->errout.data, src->errout.len);
  lvt_buf_add(&dst->detail, src->detail.data, src->detail.len);
}

/* =====================================================================
** VM handles
** ===================================================================== */
static const LvtVmOps *backend_ops(LvtBackend b) {
  switch (b) {
    case LVT_BACKEND_PROC: return &lvt_vm_proc_ops;
    case LVT_BACKEND_REF: return &lvt_vm_ref_ops;
  }
  return NULL;
}

int lvt_vm_open(LvtVm **out, const LvtVmConfig *cfg, LvtErr *e) {
  const LvtVmOps *ops = backend_ops(cfg->backend);
  LvtVm *vm;
  int rc;
  *out = NULL;
  if (ops == NULL)
    return lvt_err_set(e, LVT_ERR_INTERNAL, "unknown backend %d", (int)cfg->backend);
  vm = lvt_xcalloc(1, sizeof *vm);
  vm->ops = ops;
  vm->name = lvt_xstrdup(cfg->name != NULL ? cfg->name : ops->name);
  if (cfg->dialect > 0) vm->info.dialect = (LvtDialect)cfg->dialect;
  rc = ops->open(&vm->impl, cfg, e);
  if (rc != LVT_OK) {
    free(vm->name);
    free(vm);
    return rc;
  }
  *out = vm;
  return LVT_OK;
}

int lvt_vm_run(LvtVm *vm, const LvtProgram *p, const LvtLimits *lim,
               LvtRun *out, LvtErr *e) {
  vm->runs++;
  return vm->ops->run(vm->impl, p, lim, out, e);
}

int lvt_vm_run_batch(LvtVm *vm, const LvtProgram *const *p, size_t n, const LvtLimits *lim,
                     LvtRun *out, size_t *done, LvtErr *e) {
  int rc = LVT_OK;
  *done = 0;
  if (vm->ops->run_batch == NULL || n == 1) {
    for (; *done < n; ++*done)
      if ((rc = lvt_vm_run(vm, p[*done], lim, &out[*done], e)) != LVT_OK) break;
    return rc;
  }
  rc = vm->ops->run_batch(vm->impl, p, n, lim, out, done, e);
  vm->runs += (unsigned)*done;
  return rc;
}

void lvt_vm_close(LvtVm *vm) {
  if (vm == NULL) return;
  vm->ops->close(vm->impl);
  free(vm->name);
  free(vm);
}

/* =====================================================================
** Probe: a portable program whose output says what the VM is
** ===================================================================== */
const char lvt_probe_program[] =
  "local function has(f) local ok = pcall(f) return ok end\n"
  "local function compiles(s)\n"
  "  local f = (loadstring or load)(s)\n"
  "  return f ~= nil\n"
  "end\n"
  "print('version=' .. tostring(_VERSION))\n"
  "print('jit=' .. tostring(type(jit) == 'table' and jit.version or ''))\n"
  "print('integer=' .. tostring(math.type ~= nil and math.type(1) == 'integer'))\n"
  "print('int64=' .. tostring(math.type ~= nil and math.maxinteger ~= nil and\n"
  "  math.maxinteger == 0x7fffffffffffffff))\n"
  "print('goto=' .. tostring(compiles('goto a; ::a::')))\n"
  "print('utf8=' .. tostring(type(utf8) == 'table'))\n"
  "print('close=' .. tostring(compiles('local x <close> = nil')))\n"
  "print('bit32=' .. tostring(type(bit32) == 'table'))\n"
  "print('bitops=' .. tostring(compiles('return 1 & 2')))\n"
  "print('tpack=' .. tostring(type(table.pack) == 'function'))\n"
  "print('spack=' .. tostring(type(string.pack) == 'function'))\n"
  "print('env=' .. tostring(has(function()\n"
  "  local f = (loadstring or load)('local _ENV = {lvt_probe = 1} return lvt_probe')\n"
  "  assert(f() == 1)\n"
  "end)))\n"
  "print('coroclose=' .. tostring(type(coroutine.close) == 'function'))\n"
  "print('hooks=' .. tostring(type(debug) == 'table' and type(debug.sethook) == 'function'))\n"
  "print('iofiles=' .. tostring(type(io) == 'table' and type(io.open) == 'function'))\n"
  "print('gc=' .. tostring((pcall(collectgarbage, 'count'))))\n";

/* Returns the value of "key=" in the probe output, or NULL (copied into
** 'buf'). */
static const char *probe_field(const LvtBuf *out, const char *key,
                               char *buf, size_t bufsz) {
  const char *p = lvt_buf_str(out);
  size_t klen = strlen(key);
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t n = eol ? (size_t)(eol - p) : strlen(p);
    if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
      size_t vlen = n - klen - 1;
      if (vlen >= bufsz) vlen = bufsz - 1;
      memcpy(buf, p + klen + 1, vlen);
      buf[vlen] = '\0';
      return buf;
    }
    p += n + (eol ? 1 : 0);
  }
  return NULL;
}

static int probe_flag(const LvtBuf *out, const char *key) {
  char v[16];
  const char *s = probe_field(out, key, v, sizeof v);
  return s != NULL && strcmp(s, "true") == 0;
}

/* Dialect from _VERSION and the jit module. */
static LvtDialect dialect_of(const char *version, const char *jit) {
  if (jit != NULL && *jit) return LVT_DIALECT_LUAJIT;
  if (strstr(version, "5.1")) return LVT_DIALECT_51;
  if (strncmp(version, "GopherLua", 9) == 0) return LVT_DIALECT_51;   /* gopher-lua */
  if (strstr(version, "5.2")) return LVT_DIALECT_52;
  if (strstr(version, "5.3")) return LVT_DIALECT_53;
  if (strstr(version, "5.4")) return LVT_DIALECT_54;
  return LVT_DIALECT_UNKNOWN;
}

/* Whether the VM runs a program's prelude (a driver that does not know
** the field runs the body alone: 'a' and 'b' are nil there). */
static int prelude_works(LvtVm *vm, const LvtLimits *lim) {
  static const char pre[] = "local a = 40\nreturn a, 2, ...\n";
  static const char body[] = "local a, b, c = ...\nprint('prelude=' .. (a + b) .. tostring(c))";
  LvtProgram p = {"lvtest-probe", body, sizeof body - 1, pre, sizeof pre - 1};
  LvtRun r;
  LvtErr e;
  int ok;
  lvt_run_init(&r);
  ok = lvt_vm_run(vm, &p, lim, &r, &e) == LVT_OK && r.outcome == LVT_RUN_OK &&
       strcmp(lvt_buf_str(&r.out), "prelude=42nil\n") == 0;
  lvt_run_reset(&r);
  return ok;
}

int lvt_vm_probe(LvtVm *vm, int forced_dialect, LvtErr *e) {
  static const struct { const char *key; unsigned bit; } flags[] = {
    {"integer", LVT_CAP_INTEGER}, {"int64", LVT_CAP_INT64},
    {"goto", LVT_CAP_GOTO}, {"utf8", LVT_CAP_UTF8},
    {"close", LVT_CAP_CLOSE}, {"bit32", LVT_CAP_BIT32},
    {"bitops", LVT_CAP_BITOPS}, {"tpack", LVT_CAP_TPACK},
    {"spack", LVT_CAP_SPACK}, {"env", LVT_CAP_ENV},
    {"coroclose", LVT_CAP_COROCLOSE}, {"hooks", LVT_CAP_HOOKS},
    {"iofiles", LVT_CAP_IOFILES}, {"gc", LVT_CAP_GC},
  };
  LvtProgram p = {"lvtest-probe", lvt_probe_program, sizeof lvt_probe_program - 1, NULL, 0};
  LvtLimits lim;
  LvtRun r;
  char version[64], jit[48];
  size_t i;
  int rc;
  lvt_limits_default(&lim);
  lim.timeout_ms = 10000;
  lvt_run_init(&r);
  rc = lvt_vm_run(vm, &p, &lim, &r, e);
  if (rc != LVT_OK) goto done;
  if (r.outcome != LVT_RUN_OK ||
      probe_field(&r.out, "version", version, sizeof version) == NULL) {
    const LvtBuf *why = r.outcome == LVT_RUN_ERROR ? &r.err_value : &r.detail;
    rc = lvt_err_set(e, LVT_ERR_VM,
                     "does not answer like Lua: the probe gave %s%s%.120s%s",
                     lvt_outcome_name(r.outcome), why->len ? " (" : "",
                     lvt_buf_str(why), why->len ? ")" : "");
    goto done;
  }
  if (probe_field(&r.out, "jit", jit, sizeof jit) == NULL) jit[0] = '\0';
  memset(&vm->info, 0, sizeof vm->info);
  snprintf(vm->info.version, sizeof vm->info.version, "%.48s%s%.40s", version,
           jit[0] ? " / " : "", jit);
  vm->info.dialect = forced_dialect > 0 ? (LvtDialect)forced_dialect
                                        : dialect_of(version, jit);
  for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
    if (probe_flag(&r.out, flags[i].key)) vm->info.caps |= flags[i].bit;
  if (jit[0]) vm->info.caps |= LVT_CAP_JIT;
  if (prelude_works(vm, &lim)) vm->info.caps |= LVT_CAP_PRELUDE;
done:
  lvt_run_reset(&r);
  return rc;
}

/* =====================================================================
** Start-up self-tests
** ===================================================================== */
typedef struct SelfTest {
  const char *what;        /* for the message */
  const char *src;
  LvtOutcome want;
  const char *want_out;    /* expected output, or NULL */
  int crash;               /* ask the backend to crash the VM */
  int short_timeout;       /* use the caller's (short) timeout */
} SelfTest;

static const SelfTest selftests[] = {
  {"a trivial program", "print('lvt' .. 'ok') return 1", LVT_RUN_OK, "lvtok\n", 0, 0},
  {"error(\"x\")", "error('x')", LVT_RUN_ERROR, NULL, 0, 0},
  {"a forced crash", "while true do end", LVT_RUN_CRASH, NULL, 1, 0},
  {"a busy loop", "while true do end", LVT_RUN_TIMEOUT, NULL, 0, 1},
  {"a program after the crash and the timeout", "print(1 + 1)", LVT_RUN_OK, "2\n", 0, 0},
};

int lvt_vm_selftest(LvtVm *vm, unsigned timeout_ms, LvtErr *e) {
  LvtRun r;
  size_t i;
  int rc = LVT_OK;
  lvt_run_init(&r);
  for (i = 0; i < sizeof selftests / sizeof selftests[0]; i++) {
    const SelfTest *t = &selftests[i];
    LvtProgram p = {"lvtest-selftest", t->src, strlen(t->src), NULL, 0};
    LvtLimits lim;
    lvt_limits_default(&lim);
    lim.timeout_ms = t->short_timeout ? timeout_ms : 10000;
    lim.selftest_crash = t->crash;
    if (t->crash && vm->ops->in_process) continue;  /* would kill lvtest */
    lvt_run_clear(&r);
    rc = lvt_vm_run(vm, &p, &lim, &r, e);
    if (rc != LVT_OK) {
      lvt_err_prefix(e, "self-test '%s'", t->what);
      break;
    }
    if (r.outcome != t->want ||
        (t->want_out != NULL &&
         (r.out.len != strlen(t->want_out) ||
          memcmp(r.out.data, t->want_out, r.out.len) != 0))) {
      rc = lvt_err_set(e, LVT_ERR_VM,
                       "failed the self-test '%s': expected %s, got %s%s%.80s%s",
                       t->what, lvt_outcome_name(t->want),
                       lvt_outcome_name(r.outcome),
                       r.outcome == LVT_RUN_OK ? " with output '" : r.detail.len ? " (" : "",
                       r.outcome == LVT_RUN_OK ? lvt_buf_str(&r.out) : lvt_buf_str(&r.detail),
                       r.outcome == LVT_RUN_OK ? "'" : r.detail.len ? ")" : "");
      break;
    }
  }
  lvt_run_reset(&r);
  return rc;
}
