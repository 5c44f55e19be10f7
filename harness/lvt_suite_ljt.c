/*
** lvt_suite_ljt.c -- LuaJIT-tests (the LuaJIT-test-cleanup suite, or the
** test/ directory of a LuaJIT checkout that has it), from a directory the
** user gives: the one holding test.lua, or its parent.
**
** The suite's own runner does the work, once per VM, in a private copy:
**   luajit test.lua
** It prints one line per test, "[ i/N] dir/file.lua --- name"; after a
** failing test, the error and its traceback; at the end "K passed" (exit
** 0) or "K passed, M failed" (exit 1) and maybe a line naming the failed
** numbers. When the VM crashes, the last test line is the test that
** crashed. It runs on LuaJIT, and partly on PUC-Rio 5.1 and 5.2.
**
** Here it is one file, "test.lua", whose tests are the runner's tests,
** named "dir/file.lua --- name". The parser is lvt_ljt_parse (pure).
*/
#include "lvt_suite_script.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/lvt_spawn.h"
#include "lvt_ljt.h"

static int ljt_open(LvtScriptSuite *s, LvtErr *e) {
  LvtBuf dir = LVT_BUF_INIT, path = LVT_BUF_INIT, text = LVT_BUF_INIT;
  int trunc = 0;
  lvt_buf_adds(&dir, s->root);
  if (!lvt_script_has(dir.data, "test.lua")) lvt_buf_adds(&dir, "/test");
  lvt_buf_addf(&path, "%s/test.lua", dir.data);
  if (lvt_read_file(path.data, (size_t)1 << 20, &text, &trunc, NULL) != LVT_OK ||
      strstr(lvt_buf_str(&text), " passed") == NULL || !lvt_script_has(dir.data, "index")) {
    int rc = lvt_err_set(e, LVT_ERR_USAGE,
                         "%s: not LuaJIT-tests: no test.lua runner with an index beside it "
                         "(give the directory of test.lua, or its parent)",
                         s->root);
    lvt_buf_reset(&dir);
    lvt_buf_reset(&path);
    lvt_buf_reset(&text);
    return rc;
  }
  s->src = dir.data;
  s->files = lvt_xcalloc(2, sizeof *s->files);
  s->files[s->nfiles++] = lvt_xstrdup("test.lua");
  lvt_buf_reset(&path);
  lvt_buf_reset(&text);
  return LVT_OK;
}

static const char *ljt_skip(LvtScriptSuite *s, const LvtScriptVm *vm, char *buf, size_t size) {
  LvtDialect d = vm->info->dialect;
  (void)s;
  if (d == LVT_DIALECT_LUAJIT || d == LVT_DIALECT_51 || d == LVT_DIALECT_52) return NULL;
  snprintf(buf, size, "LuaJIT-tests run on LuaJIT and on Lua 5.1/5.2; %s is %s", vm->name,
           vm->info->version);
  return buf;
}

static int ljt_prepare(LvtScriptSuite *s, const LvtScriptVm *vm, const char *file,
                       const char *copy, LvtScriptCmd *cmd, LvtErr *e) {
  size_t i;
  (void)s, (void)copy, (void)e;
  for (i = 0; vm->cmd[i] != NULL; i++) lvt_script_cmd_add(cmd, vm->cmd[i]);
  lvt_script_cmd_add(cmd, file);
  return LVT_OK;
}

static void ljt_judge(LvtSuiteRun *ru, size_t f, size_t v, LvtScriptCell *c) {
  LvtSuiteResult *res = LVT_SUITE_RES(ru->r, f, v);
  const LvtRun *run = &c->cell.run;
  const char *file = ru->r->files[f];
  LvtLjtResult lr;
  LvtBuf why = LVT_BUF_INIT;
  size_t i;
  res->ran = 1;
  res->outcome = run->outcome;
  res->wall_ms = run->wall_ms;
  lvt_ljt_init(&lr);
  lvt_ljt_parse(&lr, run->out.data ? run->out.data : "", run->out.len);
  res->planned = lr.planned;
  res->tests = lvt_xcalloc(lr.ntests + 2, sizeof *res->tests);
  for (i = 0; i < lr.ntests; i++) {
    const LvtLjtTest *lt = &lr.tests[i];
    LvtTestStatus st = lt->failed ? LVT_TS_FAIL : LVT_TS_PASS;
    LvtSuiteTest *t;
    const char *reason = lt->failed ? lvt_buf_str(&lt->first) : NULL;
    if (lt->last_of_crash && run->outcome != LVT_RUN_OK) {
      lvt_buf_clear(&why);
      lvt_buf_adds(&why, "the run ended in this test: ");
      lvt_suite_describe_outcome(run, &why);
      if (why.data[why.len - 1] == '\n') why.data[--why.len] = '\0';
      st = LVT_TS_FAIL;
      reason = why.data;
    }
    t = lvt_suite_add_test(res, lt->name, strlen(lt->name), st, reason);
    t->number = lt->number;
    lvt_buf_add(&t->diag, lt->diag.data ? lt->diag.data : "", lt->diag.len);
    lvt_suite_apply_expect(ru, v, file, t);
  }
  lvt_buf_clear(&why);
  if (lr.problem[0] != '\0' || (run->outcome != LVT_RUN_OK && !lr.summary_failed)) {
    LvtSuiteTest *t;
    if (lr.problem[0] != '\0') lvt_buf_addf(&why, "%s", lr.problem);
    else lvt_suite_describe_outcome(run, &why);
    if (why.len && why.data[why.len - 1] == '\n') why.data[--why.len] = '\0';
    t = lvt_suite_add_file_test(res, LVT_TS_FAIL, why.data);
    lvt_suite_add_stderr_tail(run, &t->diag);
    lvt_suite_apply_expect(ru, v, file, t);
  }
  lvt_suite_settle(res, 0);
  lvt_ljt_reset(&lr);
  lvt_buf_reset(&why);
}

const LvtScriptKind lvt_script_ljt = {
    LVT_SUITE_LJTESTS, 900000, ljt_open, NULL, ljt_skip, ljt_prepare, ljt_judge,
};
