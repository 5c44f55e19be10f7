/*
** lvt_suite_official.c -- the official PUC-Rio Lua test suite, from a
** directory the user gives (lua-5.x.y-tests/, a checkout's testes/).
**
** Facts it is built on (all.lua of 5.1 to 5.4):
**   - all.lua runs every file in one process, in a fixed order, most of
**     them through a string.dump/load round trip ("dofile" redefined),
**     some with stripped debug information (dofile('code.lua', true)),
**     some plainly (olddofile, loadfile), big.lua inside a coroutine that
**     must yield 'b' and then return 'a'; it checks what some files return
**     (attrib.lua 27, locals.lua 5, events.lua 12, verybig.lua 10,
**     calls.lua the global 'deep').
**   - Success is the line "final OK !!!" on stdout, not the exit status:
**     on a version mismatch all.lua says so on stderr and exits 0.
**   - Control globals set before the script: _soft, _port, _nomsg, _U.
**   - Files that need the internal T library say ">>> testC not active:
**     skipping ... <<<": each such notice is a skipped test here.
**   - The soft stack limit upstream's 'all' script sets: 1000 KiB for
**     5.4.0-5.4.4, 1100 for 5.4.6, 2000 for 5.3.
**   - 5.1: no version check, no _port or _U; its README asks for
**     LUA_INIT="package.path = '?;'..package.path" and ships an empty
**     libs/P1 (lost in copies kept in git, so it is made when missing).
**
** Modes: 'all' (one result: all.lua as upstream intends) and 'per-file'
** (every file alone in a fresh interpreter, through harness/driver/
** official.lua, which sets up what all.lua sets up), optionally with soft
** asserts: one result per assertion site.
*/
#include "lvt_suite_script.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/lvt_spawn.h"

#define DRIVER "lvt-official.lua"
#define RESULT "lvt-official.result"

typedef struct Entry {
  char *file;
  const char *how;       /* "dump", "strip", "plain", "coroutine" */
  char *ret;             /* "27", "deep", or "-" */
} Entry;

typedef struct Official {
  int minor;             /* 1 .. 4: Lua 5.<minor> */
  int patch;             /* from the directory's name, -1 when unknown */
  Entry *ent;
  size_t n;
  char *globals;         /* the -e chunk: "_port=true _soft=true" */
} Official;

/* =====================================================================
** Reading all.lua
** ===================================================================== */

/* The version all.lua is for: 'local version = "Lua 5.4"' (5.2 and
** later), else 5.1. */
static int suite_minor(const char *text) {
  const char *p = strstr(text, "version = \"Lua 5.");
  if (p != NULL && isdigit((unsigned char)p[17])) return p[17] - '0';
  return 1;
}

/* The patch release from the directory's name ("lua-5.4.6-tests"). */
static int suite_patch(const char *root) {
  const char *p = strstr(root, "lua-5.");
  int a, b;
  if (p != NULL && sscanf(p, "lua-5.%d.%d", &a, &b) == 2) return b;
  return -1;
}

static Entry *entry_for(Official *of, const char *file, size_t len) {
  size_t i;
  for (i = 0; i < of->n; i++)
    if (strlen(of->ent[i].file) == len && memcmp(of->ent[i].file, file, len) == 0)
      return &of->ent[i];
  of->ent = lvt_xrealloc(of->ent, (of->n + 1) * sizeof *of->ent);
  of->ent[of->n].file = lvt_xstrndup(file, len);
  of->ent[of->n].how = NULL;
  of->ent[of->n].ret = lvt_xstrdup("-");
  return &of->ent[of->n++];
}

/* What one line of all.lua says about the file it names. */
static void read_line(Official *of, const char *line, size_t len) {
  LvtBuf l = LVT_BUF_INIT;
  const char *p, *q, *eq;
  Entry *en;
  size_t i;
  for (i = 0; i < len && isspace((unsigned char)line[i]); i++) {}
  if (len - i >= 2 && line[i] == '-' && line[i + 1] == '-') return;   /* a comment */
  lvt_buf_add(&l, line, len);
  /* the first 'name.lua' or "name.lua" on the line */
  for (p = l.data; (p = strpbrk(p, "'\"")) != NULL; p = q + 1) {
    q = strchr(p + 1, *p);
    if (q == NULL) break;
    if (q - p > 5 && memcmp(q - 4, ".lua", 4) == 0 && memchr(p + 1, '/', (size_t)(q - p - 1)) == NULL)
      break;
  }
  if (p == NULL || q == NULL || strncmp(p + 1, "all.lua", 7) == 0) {
    lvt_buf_reset(&l);
    return;
  }
  en = entry_for(of, p + 1, (size_t)(q - p - 1));
  if (strstr(l.data, "coroutine.wrap") != NULL) en->how = "coroutine";
  else if (strstr(l.data, "olddofile(") != NULL && en->how == NULL) en->how = "plain";
  else if (strstr(l.data, "dofile(") != NULL && strstr(q, ", true)") != NULL) en->how = "strip";
  else if (strstr(l.data, "dofile(") != NULL && en->how == NULL) en->how = "dump";
  else if (strstr(l.data, "loadfile(") != NULL && en->how == NULL) en->how = "plain";
  if ((eq = strstr(q, "==")) != NULL) {
    const char *v = eq + 2, *w;
    while (*v == ' ') v++;
    for (w = v; isalnum((unsigned char)*w) || *w == '_'; w++) {}
    if (w > v) {
      free(en->ret);
      en->ret = lvt_xstrndup(v, (size_t)(w - v));
    }
  }
  lvt_buf_reset(&l);
}

static void read_all_lua(Official *of, const char *text) {
  const char *p = text;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    read_line(of, p, len);
    p += len + (nl != NULL);
  }
}

/* The -e chunk from a list like "_port,_soft" (empty: nothing). */
static char *globals_chunk(const char *list) {
  LvtBuf b = LVT_BUF_INIT;
  const char *p = list;
  while (*p) {
    size_t n = strcspn(p, ", ");
    if (n > 0) {
      if (b.len) lvt_buf_addc(&b, ' ');
      lvt_buf_add(&b, p, n);
      lvt_buf_adds(&b, "=true");
    }
    p += n;
    while (*p == ',' || *p == ' ') p++;
  }
  if (b.data == NULL) lvt_buf_adds(&b, "");
  return b.data;
}

/* =====================================================================
** The kind
** ===================================================================== */

static int off_open(LvtScriptSuite *s, LvtErr *e) {
  static const char *const subs[] = {"", "testes", "lua-tests"};
  Official *of = lvt_xcalloc(1, sizeof *of);
  LvtBuf path = LVT_BUF_INIT, text = LVT_BUF_INIT;
  int trunc = 0, rc = LVT_OK;
  size_t i;
  s->data = of;
  for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
    lvt_buf_clear(&path);
    lvt_buf_addf(&path, "%s%s%s", s->root, *subs[i] ? "/" : "", subs[i]);
    if (lvt_script_has(path.data, "all.lua")) break;
  }
  if (i == sizeof subs / sizeof subs[0]) {
    rc = lvt_err_set(e, LVT_ERR_USAGE,
                     "%s: not the official Lua test suite: no all.lua (give the directory of "
                     "lua-5.x.y-tests, or a checkout's testes/)",
                     s->root);
    goto done;
  }
  s->src = lvt_xstrdup(path.data);
  lvt_buf_adds(&path, "/all.lua");
  if (lvt_read_file(path.data, (size_t)1 << 20, &text, &trunc, e) != LVT_OK) {
    rc = LVT_ERR_IO;
    goto done;
  }
  if (strstr(lvt_buf_str(&text), "final OK") == NULL) {
    rc = lvt_err_set(e, LVT_ERR_USAGE,
                     "%s: not the official Lua test suite: it never prints 'final OK'", path.data);
    goto done;
  }
  of->minor = suite_minor(text.data);
  of->patch = suite_patch(s->root);
  read_all_lua(of, text.data);
  for (i = 0; i < of->n; i++)
    if (of->ent[i].how == NULL) of->ent[i].how = "dump";
  of->globals = globals_chunk(s->o->globals != NULL ? s->o->globals
                              : s->o->heavy          ? "_port"
                                                     : "_port,_soft");
  lvt_buf_addf(&s->notes, "official suite for Lua 5.%d%s, mode %s%s, globals: %s\n", of->minor,
               of->minor == 1 ? "" : "", s->o->official_mode == LVT_OFFICIAL_ALL ? "all" : "per-file",
               s->o->soft_assert ? " with soft asserts" : "", *of->globals ? of->globals : "none");
  if (s->o->official_mode == LVT_OFFICIAL_ALL) {
    s->files = lvt_xcalloc(2, sizeof *s->files);
    s->files[s->nfiles++] = lvt_xstrdup("all.lua");
  } else {
    s->files = lvt_xcalloc(of->n + 1, sizeof *s->files);
    for (i = 0; i < of->n; i++)
      if (lvt_script_has(s->src, of->ent[i].file))
        s->files[s->nfiles++] = lvt_xstrdup(of->ent[i].file);
      else
        lvt_buf_addf(&s->notes, "all.lua names %s, which is not in the suite\n", of->ent[i].file);
  }
done:
  lvt_buf_reset(&path);
  lvt_buf_reset(&text);
  return rc;
}

static void off_close(LvtScriptSuite *s) {
  Official *of = s->data;
  size_t i;
  if (of == NULL) return;
  for (i = 0; i < of->n; i++) {
    free(of->ent[i].file);
    free(of->ent[i].ret);
  }
  free(of->ent);
  free(of->globals);
  free(of);
  s->data = NULL;
}

static const char *off_skip(LvtScriptSuite *s, const LvtScriptVm *vm, char *buf, size_t size) {
  const Official *of = s->data;
  LvtDialect d = vm->info->dialect;
  int minor = d == LVT_DIALECT_LUAJIT ? 1 : d == LVT_DIALECT_UNKNOWN ? 0 : (int)d;
  if (minor == of->minor) return NULL;
  snprintf(buf, size, "the suite is for Lua 5.%d; %s is %s", of->minor, vm->name,
           d == LVT_DIALECT_UNKNOWN ? "of an unknown dialect" : vm->info->version);
  return buf;
}

/* The soft stack limit upstream's 'all' script sets. */
static size_t stack_for(const Official *of) {
  if (of->minor == 4) return (of->patch >= 6 ? 1100 : 1000) * (size_t)1024;
  if (of->minor == 3) return 2000 * (size_t)1024;
  return 0;
}

static int off_prepare(LvtScriptSuite *s, const LvtScriptVm *vm, const char *file,
                       const char *copy, LvtScriptCmd *cmd, LvtErr *e) {
  const Official *of = s->data;
  size_t i;
  for (i = 0; vm->cmd[i] != NULL; i++) lvt_script_cmd_add(cmd, vm->cmd[i]);
  if (*of->globals) {
    lvt_script_cmd_add(cmd, "-e");
    lvt_script_cmd_add(cmd, of->globals);
  }
  cmd->stack_soft = stack_for(of);
  if (of->minor == 1) {
    LvtBuf d = LVT_BUF_INIT;
    lvt_script_cmd_env(cmd, "LUA_INIT", "package.path = '?;'..package.path");
    lvt_buf_addf(&d, "%s/libs", copy);
    mkdir(d.data, 0755);
    lvt_buf_adds(&d, "/P1");
    mkdir(d.data, 0755);
    lvt_buf_reset(&d);
  }
  if (s->o->official_mode == LVT_OFFICIAL_ALL) {
    lvt_script_cmd_add(cmd, "all.lua");
  } else {
    const LvtEmbedded *drv = lvt_embedded_find("official.lua");
    LvtBuf p = LVT_BUF_INIT;
    const Entry *en = NULL;
    int rc;
    for (i = 0; i < of->n; i++)
      if (strcmp(of->ent[i].file, file) == 0) en = &of->ent[i];
    if (drv == NULL || en == NULL)
      return lvt_err_set(e, LVT_ERR_INTERNAL, "official.lua driver or entry %s missing", file);
    lvt_buf_addf(&p, "%s/%s", copy, DRIVER);
    rc = lvt_write_file(p.data, drv->data, drv->len, e);
    lvt_buf_reset(&p);
    if (rc != LVT_OK) return rc;
    lvt_script_cmd_add(cmd, DRIVER);
    lvt_script_cmd_add(cmd, en->file);
    lvt_script_cmd_add(cmd, en->how);
    lvt_script_cmd_add(cmd, en->ret);
    lvt_script_cmd_add(cmd, s->o->soft_assert ? "1" : "0");
    lvt_script_cmd_add(cmd, RESULT);
  }
  return LVT_OK;
}

/* =====================================================================
** Judging
** ===================================================================== */

/* The ">>> ... skipping ... <<<" notices of stdout and stderr, as skipped
** tests named after them. */
static void add_skips(LvtSuiteResult *res, const LvtBuf *b) {
  const char *p = lvt_buf_str(b);
  while ((p = strstr(p, ">>> ")) != NULL) {
    const char *end = strstr(p + 4, " <<<"), *nl = strchr(p, '\n');
    if (end != NULL && (nl == NULL || end < nl)) {
      LvtBuf name = LVT_BUF_INIT;
      size_t n = (size_t)(end - (p + 4));
      lvt_buf_add(&name, p + 4, n);
      if (strstr(name.data, "skipping") != NULL || strstr(name.data, "not active") != NULL)
        lvt_suite_add_test(res, name.data, name.len, LVT_TS_SKIP,
                           strstr(name.data, "testC") != NULL
                               ? "needs the internal T library (Lua built with ltests.h)"
                               : "the suite skipped it");
      lvt_buf_reset(&name);
      p = end + 4;
    } else {
      p += 4;
    }
  }
}

static size_t count_lines(const LvtBuf *b) {
  size_t n = 1, i;
  for (i = 0; i < b->len; i++) n += b->data[i] == '\n';
  return n;
}

/* Why the run did not succeed, one line, into 'why'. */
static void why_failed(const LvtScriptCell *c, const char *what, LvtBuf *why) {
  const LvtRun *run = &c->cell.run;
  LvtBuf line = LVT_BUF_INIT;
  if (run->outcome == LVT_RUN_ERROR && run->err_value.len > 0) {
    lvt_buf_add(why, run->err_value.data, run->err_value.len);
  } else if (run->outcome == LVT_RUN_ERROR || run->outcome == LVT_RUN_OK) {
    if (lvt_script_error_line(run->errout.data ? run->errout.data : "", run->errout.len, &line))
      lvt_buf_addf(why, "%s", line.data);
    else
      lvt_buf_addf(why, "%s", run->outcome == LVT_RUN_OK ? "exit 0" : run->err_type);
    if (run->outcome == LVT_RUN_OK) lvt_buf_addf(why, " (no '%s' on stdout)", what);
  } else {
    lvt_suite_describe_outcome(run, why);
    if (why->len && why->data[why->len - 1] == '\n') why->data[--why->len] = '\0';
  }
  lvt_buf_reset(&line);
}

/* The end of stdout, for the diagnostics. */
static void add_stdout_tail(const LvtRun *run, LvtBuf *diag) {
  size_t n = run->out.len, from = n > 1200 ? n - 1200 : 0;
  if (n == 0) return;
  lvt_buf_addf(diag, "stdout%s:\n", from ? " (its end)" : "");
  lvt_buf_add_escaped(diag, run->out.data + from, n - from, 1200, LVT_ESC_NEWLINE | LVT_ESC_TAB);
  if (diag->data[diag->len - 1] != '\n') lvt_buf_addc(diag, '\n');
}

/* A failing test 'name' with the run's story. */
static void add_failure(LvtSuiteRun *ru, size_t f, size_t v, LvtSuiteResult *res,
                        const LvtScriptCell *c, const char *name, int file_level,
                        const char *what) {
  LvtBuf why = LVT_BUF_INIT;
  LvtSuiteTest *t;
  why_failed(c, what, &why);
  t = file_level ? lvt_suite_add_file_test(res, LVT_TS_FAIL, why.data)
                 : lvt_suite_add_test(res, name, strlen(name), LVT_TS_FAIL, why.data);
  lvt_suite_add_stderr_tail(&c->cell.run, &t->diag);
  add_stdout_tail(&c->cell.run, &t->diag);
  lvt_suite_apply_expect(ru, v, ru->r->files[f], t);
  lvt_buf_reset(&why);
}

static void judge_all(LvtSuiteRun *ru, size_t f, size_t v, LvtScriptCell *c,
                      LvtSuiteResult *res) {
  const LvtRun *run = &c->cell.run;
  int ok = run->outcome == LVT_RUN_OK &&
           (memcmp(lvt_buf_str(&run->out), "final OK !!!\n", 13) == 0 ||
            strstr(lvt_buf_str(&run->out), "\nfinal OK !!!") != NULL);
  res->tests = lvt_xcalloc(count_lines(&run->out) + count_lines(&run->errout) + 2,
                           sizeof *res->tests);
  add_skips(res, &run->out);
  add_skips(res, &run->errout);
  if (ok) {
    LvtSuiteTest *t = lvt_suite_add_test(res, "all.lua", 7, LVT_TS_PASS, NULL);
    lvt_suite_apply_expect(ru, v, ru->r->files[f], t);
  } else if (strstr(lvt_buf_str(&run->errout), "This test suite is for") != NULL) {
    LvtSuiteTest *t = lvt_suite_add_test(res, "all.lua", 7, LVT_TS_FAIL,
                                         "all.lua refused the version (see stderr)");
    lvt_suite_add_stderr_tail(run, &t->diag);
  } else {
    add_failure(ru, f, v, res, c, "all.lua", 0, "final OK !!!");
  }
}

/* Reads the driver's result file: per-file and soft-assert results. */
static void judge_file(LvtSuiteRun *ru, size_t f, size_t v, LvtScriptCell *c,
                       LvtSuiteResult *res) {
  const char *file = ru->r->files[f];
  LvtBuf text = LVT_BUF_INIT, path = LVT_BUF_INIT;
  int trunc = 0, done = 0, soft = ru->o->soft_assert;
  const char *p, *fails_from;
  lvt_buf_addf(&path, "%s/%s", c->copy, RESULT);
  lvt_read_file(path.data, (size_t)8 << 20, &text, &trunc, NULL);
  res->tests = lvt_xcalloc(count_lines(&text) + count_lines(&c->cell.run.out) +
                               count_lines(&c->cell.run.errout) + 4,
                           sizeof *res->tests);
  add_skips(res, &c->cell.run.out);
  add_skips(res, &c->cell.run.errout);
  done = c->cell.run.outcome == LVT_RUN_OK && strstr(lvt_buf_str(&text), "done\tok\n") != NULL;
  fails_from = lvt_buf_str(&text);
  for (p = lvt_buf_str(&text); soft && *p;) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    if (len > 5 && memcmp(p, "site\t", 5) == 0) {
      /* site \t SRC:LINE \t passes \t fails */
      const char *name = p + 5, *tab = memchr(name, '\t', len - 5);
      if (tab != NULL) {
        unsigned long fails = strtoul(strchr(tab + 1, '\t') ? strchr(tab + 1, '\t') + 1 : "0",
                                      NULL, 10);
        LvtSuiteTest *t;
        LvtBuf msg = LVT_BUF_INIT;
        if (fails > 0) {
          /* its first failure's message, from the "fail" line */
          LvtBuf key = LVT_BUF_INIT;
          const char *fl;
          lvt_buf_adds(&key, "fail\t");
          lvt_buf_add(&key, name, (size_t)(tab - name));
          lvt_buf_addc(&key, '\t');
          if ((fl = strstr(fails_from, key.data)) != NULL) {
            const char *m = fl + key.len, *me = strchr(m, '\n');
            lvt_buf_add(&msg, m, me ? (size_t)(me - m) : strlen(m));
          }
          lvt_buf_reset(&key);
        }
        t = lvt_suite_add_test(res, name, (size_t)(tab - name), fails ? LVT_TS_FAIL : LVT_TS_PASS,
                               fails ? (msg.data ? msg.data : "assertion failed") : NULL);
        if (fails > 1) lvt_buf_addf(&t->diag, "failed %lu times\n", fails);
        lvt_suite_apply_expect(ru, v, file, t);
        lvt_buf_reset(&msg);
      }
    }
    p += len + (nl != NULL);
  }
  if (!soft && done) {
    LvtSuiteTest *t = lvt_suite_add_test(res, file, strlen(file), LVT_TS_PASS, NULL);
    lvt_suite_apply_expect(ru, v, file, t);
  } else if (!done) {
    const char *er = strstr(lvt_buf_str(&text), "error\t");
    while (er != NULL && er != text.data && er[-1] != '\n') er = strstr(er + 1, "error\t");
    if (er != NULL && c->cell.run.outcome == LVT_RUN_ERROR) {
      /* the driver's own account of the error, without traceback noise */
      const char *m = er + 6, *me = strchr(m, '\n');
      lvt_buf_set(&c->cell.run.err_value, m, me ? (size_t)(me - m) : strlen(m));
    }
    add_failure(ru, f, v, res, c, file, soft, "done");
  }
  lvt_buf_reset(&text);
  lvt_buf_reset(&path);
}

static void off_judge(LvtSuiteRun *ru, size_t f, size_t v, LvtScriptCell *c) {
  LvtSuiteResult *res = LVT_SUITE_RES(ru->r, f, v);
  res->ran = 1;
  res->outcome = c->cell.run.outcome;
  res->wall_ms = c->cell.run.wall_ms;
  if (ru->o->official_mode == LVT_OFFICIAL_ALL) judge_all(ru, f, v, c, res);
  else judge_file(ru, f, v, c, res);
  if (c->cell.run.out_truncated) lvt_buf_adds(&res->notes, "stdout cut at 16 MiB\n");
  lvt_suite_settle(res, 0);
}

const LvtScriptKind lvt_script_official = {
    LVT_SUITE_OFFICIAL, 900000, off_open, off_close, off_skip, off_prepare, off_judge,
};
