/*
** test_oracle.c -- the oracle: pairwise comparison with explanations,
** classes and majority votes over 2, 3 and 4 VMs (ties included), dialect
** groups, strict versus kind error comparison, unsupported results.
** Outputs are those of the system Luas (lua5.1 ... luajit -e '...').
*/
#include "harness/lvt_oracle.h"

#include <stdio.h>
#include <string.h>

#include "tests/tap.h"

enum { D51 = LVT_DIALECT_51, D52 = LVT_DIALECT_52, D53 = LVT_DIALECT_53,
       D54 = LVT_DIALECT_54, DJIT = LVT_DIALECT_LUAJIT,
       DUNK = LVT_DIALECT_UNKNOWN };
enum { OK = LVT_RUN_OK, ERR = LVT_RUN_ERROR, EXIT = LVT_RUN_EXIT,
       TIMEOUT = LVT_RUN_TIMEOUT, CRASH = LVT_RUN_CRASH,
       UNSUP = LVT_RUN_UNSUPPORTED };

/* One result: VM name, dialect, outcome, output, error type and value,
** exit code or signal, truncated flag, lvtest's detail. */
typedef struct Res {
  const char *vm;
  int dialect, outcome;
  const char *out, *etype, *evalue;
  int code, truncated;
  const char *detail;
} Res;

#define R_OK(v_, d_, out_) {.vm = v_, .dialect = d_, .outcome = OK, .out = out_}
#define R_TRUNC(v_, d_, out_) \
  {.vm = v_, .dialect = d_, .outcome = OK, .out = out_, .truncated = 1}
#define R_ERR(v_, d_, out_, t_, e_) \
  {.vm = v_, .dialect = d_, .outcome = ERR, .out = out_, .etype = t_, \
   .evalue = e_}
#define R_EXIT(v_, d_, code_) \
  {.vm = v_, .dialect = d_, .outcome = EXIT, .code = code_}
#define R_CRASH(v_, d_, sig_) \
  {.vm = v_, .dialect = d_, .outcome = CRASH, .code = sig_}
#define R_TIMEOUT(v_, d_, out_) \
  {.vm = v_, .dialect = d_, .outcome = TIMEOUT, .out = out_}
#define R_UNSUP(v_, d_) {.vm = v_, .dialect = d_, .outcome = UNSUP}

static void make_run(LvtRun *r, const Res *s) {
  lvt_run_init(r);
  r->outcome = (LvtOutcome)s->outcome;
  lvt_buf_adds(&r->out, s->out != NULL ? s->out : "");
  r->out_truncated = s->truncated;
  if (s->etype != NULL) snprintf(r->err_type, sizeof r->err_type, "%s", s->etype);
  if (s->evalue != NULL) lvt_buf_adds(&r->err_value, s->evalue);
  if (s->outcome == EXIT) r->exit_code = s->code;
  if (s->outcome == CRASH) r->signal = s->code;
  if (s->detail != NULL) lvt_buf_adds(&r->detail, s->detail);
}

/* Real outputs of print(3/1, 2^53, 10/2) and of error values. */
#define F51 "3\t9.007199254741e+15\t5\n"
#define F54 "3.0\t9.007199254741e+15\t5.0\n"
#define IDX51 "prog.lua:1: attempt to index local 'x' (a nil value)"
#define IDX54 "prog.lua:1: attempt to index a nil value (local 'x')"

/* A case: results in; per result its class as a letter ('-' excluded),
** the overall majority class letter ('-' none), agree, dialect split, and
** a piece of the explanation that must appear (NULL: not checked). */
static const struct Case {
  const char *name;
  int strict, by_dialect;
  Res r[5];
  const char *classes;
  char majority;
  int agree, split;
  const char *explain;
} cases[] = {
  {"2 agree, addresses differ", 0, 0,
   {R_OK("lua5.1", D51, "table: 0x55f0650eddd0\n"),
    R_OK("luajit", DJIT, "table: 0x7f21c4f8e088\n")},
   "AA", 'A', 1, 0, "2 VMs agree: lua5.1, luajit (ok)"},
  {"2 differ: no majority, split follows dialects", 0, 0,
   {R_OK("lua5.1", D51, F51), R_OK("lua5.4", D54, F54)},
   "AB", '-', 0, 1, "split follows dialects"},
  {"3: 2-1 majority, crash is odd", 0, 0,
   {R_OK("lua5.4", D54, F54), R_OK("ref", D54, F54),
    R_CRASH("lua5.4-asan", D54, 11)},
   "AAB", 'A', 0, 0, "odd one out: lua5.4-asan"},
  {"3: all different", 0, 0,
   {R_OK("a", D54, "1"), R_OK("b", D54, "2"), R_OK("c", D54, "3")},
   "ABC", '-', 0, 0, "3 VMs disagree, 3 classes, no majority"},
  {"4: 2-2 tie along dialects", 0, 0,
   {R_OK("lua5.1", D51, F51), R_OK("luajit", DJIT, F51),
    R_OK("lua5.3", D53, F54), R_OK("lua5.4", D54, F54)},
   "AABB", '-', 0, 1, "no majority"},
  {"4: 2-1-1 is no strict majority", 0, 0,
   {R_OK("a", D54, "x"), R_OK("b", D54, "x"), R_OK("c", D54, "y"),
    R_CRASH("d", D54, 6)},
   "AABC", '-', 0, 0, "4 VMs disagree, 3 classes, no majority"},
  {"4: 3-1 majority", 0, 0,
   {R_OK("a", D54, "x"), R_ERR("b", D54, "x", "string", "boom"),
    R_OK("c", D54, "x"), R_OK("d", D54, "x")},
   "ABAA", 'A', 0, 0, "odd one out: b"},
  {"4: two odd ones", 0, 0,
   {R_OK("a", D54, "x"), R_OK("b", D54, "y"), R_OK("c", D54, "x"),
    R_OK("d", D54, "x"), R_OK("e", D54, "z")},
   "ABAAC", 'A', 0, 0, "odd ones out: b, e"},
  {"by dialect: each group agrees", 0, 1,
   {R_OK("lua5.1", D51, F51), R_OK("luajit", DJIT, F51),
    R_OK("lua5.3", D53, F54), R_OK("lua5.4", D54, F54)},
   "AABC", '-', 1, 0, "[5.1/luajit] 2 VMs agree: lua5.1, luajit (ok)"},
  {"by dialect: odd one inside a group", 0, 1,
   {R_OK("lua5.1", D51, F51), R_OK("luajit", DJIT, F51),
    R_OK("luajit-joff", DJIT, "4\n"), R_OK("lua5.4", D54, F54)},
   "AABC", '-', 0, 0, "[5.1/luajit] 3 VMs disagree, 2 classes, majority [1]; "
                      "odd one out: luajit-joff"},
  {"by dialect: one group only gives a majority", 0, 1,
   {R_OK("lua5.4", D54, "x"), R_OK("ref", D54, "x"), R_OK("b", D54, "y")},
   "AAB", 'A', 0, 0, "[5.4] 3 VMs disagree"},
  {"unsupported excluded", 0, 0,
   {R_OK("lua5.1", D51, "1\n"), R_UNSUP("fengari", D53),
    R_OK("lua5.4", D54, "1\n")},
   "A-A", 'A', 1, 0, "not compared (unsupported): fengari"},
  {"everything unsupported", 0, 0,
   {R_UNSUP("a", D51), R_UNSUP("b", D54)},
   "--", '-', 1, 0, "nothing compared"},
  {"crash never agrees with ok", 0, 0,
   {R_OK("lua5.4", D54, ""), R_CRASH("asan", D54, 11)},
   "AB", '-', 0, 0, "  lua5.4: ok\n        asan: crash (signal 11)"},
  {"timeouts agree whatever they printed", 0, 0,
   {R_TIMEOUT("a", D54, "1\n2\n"), R_TIMEOUT("b", D54, "1\n")},
   "AA", 'A', 1, 0, "(timeout)"},
  {"crashes agree whatever the signal", 0, 0,
   {R_CRASH("a", D54, 11), R_CRASH("b", D54, 6)},
   "AA", 'A', 1, 0, NULL},
  {"error kind: message text ignored", 0, 0,
   {R_ERR("lua5.1", D51, "", "string", IDX51),
    R_ERR("lua5.4", D54, "", "string", IDX54)},
   "AA", 'A', 1, 0, "(error (string))"},
  {"error strict: message text compared", 1, 0,
   {R_ERR("lua5.1", D51, "", "string", IDX51),
    R_ERR("lua5.4", D54, "", "string", IDX54)},
   "AB", '-', 0, 1,
   "error value differs:\n"
   "        lua5.1: string \"<chunk>:1: attempt to index local 'x' (a nil value)\"\n"
   "        lua5.4: string \"<chunk>:1: attempt to index a nil value (local 'x')\""},
  {"error strict: chunk name spellings agree", 1, 0,
   {R_ERR("a", D54, "", "string", "prog.lua:1: boom"),
    R_ERR("b", D54, "", "string", "[string \"prog.lua\"]:1: boom"),
    R_ERR("c", D54, "", "string", "/tmp/x/prog.lua:1: boom")},
   "AAA", 'A', 1, 0, NULL},
  {"error strict: table addresses agree", 1, 0,
   {R_ERR("lua5.1", D51, "", "table", "table: 0x55c4fb13fdd0"),
    R_ERR("luajit", DJIT, "", "table", "table: 0x7fdacdf8d088")},
   "AA", 'A', 1, 0, NULL},
  {"error type differs even by kind", 0, 0,
   {R_ERR("a", D54, "", "string", "boom"),
    R_ERR("b", D54, "", "table", "table: 0x5630c3419740")},
   "AB", '-', 0, 0,
   "error value type differs:\n        a: string \"boom\"\n"
   "        b: table \"table: 0x1\""},
  {"error vs ok with the same output", 0, 0,
   {R_OK("a", D54, "x\n"), R_ERR("b", D54, "x\n", "string", "boom")},
   "AB", '-', 0, 0, "b: error (string): \"boom\""},
  {"error: output still compared", 0, 0,
   {R_ERR("a", D54, "x\n", "string", "boom"),
    R_ERR("b", D54, "y\n", "string", "boom")},
   "AB", '-', 0, 0, "output line 1 differs"},
  {"exit codes compared", 0, 0,
   {R_EXIT("a", D54, 3), R_EXIT("b", D54, 3),
    R_EXIT("c", D54, 0)},
   "AAB", 'A', 0, 0, "exit code differs:\n        a: 3\n        c: 0"},
  {"identity matters: same table twice vs two tables", 0, 0,
   {R_OK("a", D54, "table: 0x55 table: 0x55\n"),
    R_OK("b", D54, "table: 0x7f table: 0x80\n")},
   "AB", '-', 0, 0, NULL},
  {"truncation compared", 0, 0,
   {R_TRUNC("a", D54, "xxxx"), R_OK("b", D54, "xxxx")},
   "AB", '-', 0, 0, "output truncated on a only"},
  {"unknown dialect: no dialect claim", 0, 0,
   {R_OK("lua5.4", D54, "1"), R_OK("mystery", DUNK, "2")},
   "AB", '-', 0, 0, NULL},
  {"split inside a dialect: no dialect claim", 0, 0,
   {R_OK("lua5.1", D51, F51), R_OK("lua5.4", D54, F54),
    R_OK("lua5.4b", D54, "x")},
   "ABC", '-', 0, 0, NULL},
  {"by dialect: unknown is its own group", 0, 1,
   {R_OK("mystery", DUNK, "1"), R_OK("lua5.2", D52, "2")},
   "AB", '-', 1, 0, "[unknown] 1 VM, nothing to compare with: mystery (ok)"},
};

static int class_letter(const LvtVerdict *v, int i) {
  return v->cls[i] == LVT_CLASS_NONE ? '-' : 'A' + v->cls[i];
}

/* Builds entries from the 'n' results 'res', runs the oracle into 'v'
** (initialised) and appends its explanation to 'text'. */
static int judge(const Res *res, int n, int strict, int by_dialect,
                 LvtVerdict *v, LvtBuf *text) {
  LvtNorm *norm = lvt_norm_new(LVT_NORM_DEFAULT);
  LvtOracleOpts o = {strict, by_dialect, norm};
  LvtOracleEntry ent[5];
  LvtVmInfo info[5];
  LvtRun run[5];
  LvtErr e = {0, ""};
  int i, rc;
  for (i = 0; i < n; i++) {
    make_run(&run[i], &res[i]);
    memset(&info[i], 0, sizeof info[i]);
    info[i].dialect = (LvtDialect)res[i].dialect;
    ent[i].vm = res[i].vm;
    ent[i].info = &info[i];
    ent[i].run = &run[i];
  }
  rc = lvt_oracle_compare(ent, n, "prog.lua", &o, v, &e);
  lvt_verdict_explain(v, text);
  for (i = 0; i < n; i++) lvt_run_reset(&run[i]);
  lvt_norm_free(norm);
  return rc;
}

static void test_cases(void) {
  size_t k;
  for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    const struct Case *c = &cases[k];
    LvtVerdict v;
    LvtBuf text = LVT_BUF_INIT;
    char got[8] = "";
    int n = (int)strlen(c->classes), i;
    lvt_verdict_init(&v);
    TAP_IS_INT(judge(c->r, n, c->strict, c->by_dialect, &v, &text), LVT_OK,
               "%s: rc", c->name);
    for (i = 0; i < n; i++) got[i] = (char)class_letter(&v, i);
    TAP_IS_STR(got, c->classes, "%s: classes", c->name);
    TAP_IS_INT(v.majority < 0 ? '-' : 'A' + v.majority, c->majority,
               "%s: majority", c->name);
    TAP_IS_INT(v.agree, c->agree, "%s: agree", c->name);
    TAP_IS_INT(v.dialect_split, c->split, "%s: dialect split", c->name);
    if (c->explain != NULL &&
        !TAP_OK(strstr(lvt_buf_str(&text), c->explain) != NULL,
                "%s: explanation", c->name)) {
      printf("#   wanted: %s\n", c->explain);
      printf("#   got:\n%s", lvt_buf_str(&text));
    }
    lvt_buf_reset(&text);
    lvt_verdict_reset(&v);
  }
}

/* Whole explanations, to pin the layout. */
static void test_explain_layout(void) {
  static const Res three[] = {
    R_OK("lua5.3", D53, "0.5\n" F54), R_OK("lua5.4", D54, "0.5\n" F54),
    R_OK("luajit", DJIT, "0.5\n" F51), R_UNSUP("fengari", D53)};
  static const char want3[] =
      "3 VMs disagree, 2 classes, majority [1]; odd one out: luajit\n"
      "  [1] ok: lua5.3, lua5.4  (majority)\n"
      "  [2] ok: luajit\n"
      "      output line 2 differs (column 2):\n"
      "        lua5.3: \"3.0\\t9.007199254741e+15\\t5.0\"\n"
      "        luajit: \"3\\t9.007199254741e+15\\t5\"\n"
      "split follows dialects: likely a dialect difference, not a bug "
      "(try --by-dialect)\n"
      "not compared (unsupported): fengari\n";
  static const char want_groups[] =
      "[5.3] 1 VM, nothing to compare with: lua5.3 (ok)\n"
      "[5.4] 1 VM, nothing to compare with: lua5.4 (ok)\n"
      "[5.1/luajit] 1 VM, nothing to compare with: luajit (ok)\n"
      "not compared (unsupported): fengari\n";
  LvtVerdict v;
  LvtBuf text = LVT_BUF_INIT;
  lvt_verdict_init(&v);
  TAP_IS_INT(judge(three, 4, 0, 0, &v, &text), LVT_OK, "layout: rc");
  TAP_IS_STR(lvt_buf_str(&text), want3, "layout: 3 VMs + unsupported");
  TAP_IS_INT(lvt_verdict_is_odd(&v, 2), 1, "luajit is odd");
  TAP_IS_INT(lvt_verdict_is_odd(&v, 0), 0, "lua5.3 is not odd");
  TAP_IS_INT(lvt_verdict_is_odd(&v, 3), 0, "an excluded result is not odd");
  TAP_IS_INT(v.compared, 3, "compared count");
  TAP_IS_INT(v.excluded, 1, "excluded count");
  lvt_buf_clear(&text);
  TAP_IS_INT(judge(three, 4, 0, 1, &v, &text), LVT_OK, "layout by dialect: rc");
  TAP_IS_STR(lvt_buf_str(&text), want_groups, "layout: by dialect");
  TAP_IS_INT(v.ngroups, 3, "three dialect groups");
  lvt_buf_reset(&text);
  lvt_verdict_reset(&v);
}

/* Pairwise comparison: the 'why' text, escapes, long lines. */
static const struct {
  const char *name;
  Res a, b;
  int same;
  const char *why;
} pairs[] = {
  {"equal after normalisation", R_OK("", D54, "table: 0x55\n"),
   R_OK("", D54, "table: 0x7f\n"), 1, ""},
  {"non-printable bytes escaped", R_OK("", D54, "a\x01\xff\n"),
   R_OK("", D54, "a\x02\n"), 0,
   "output line 1 differs (column 2):\n  a: \"a\\x01\\xff\"\n  b: \"a\\x02\"\n"},
  {"missing line", R_OK("", D54, "1\n2\n"), R_OK("", D54, "1\n"), 0,
   "output line 2 differs (column 1):\n  a: \"2\"\n  b: (end of output)\n"},
  {"final newline", R_OK("", D54, "x"), R_OK("", D54, "x\n"), 0,
   "output line 1 differs (column 2):\n  a: \"x\" (no newline at end)\n"
   "  b: \"x\"\n"},
  {"long line shows the part that differs",
   R_OK("", D54, "0123456789012345678901234567890123456789012345678901234567890123456789A tail"),
   R_OK("", D54, "0123456789012345678901234567890123456789012345678901234567890123456789B tail"),
   0,
   "output line 1 differs (column 71):\n"
   "  a: ...\"5678901234567890123456789A tail\"\n"
   "  b: ...\"5678901234567890123456789B tail\"\n"},
  {"unsupported is never the same", R_UNSUP("", D54), R_UNSUP("", D54), 0,
   "outcome differs:\n  a: unsupported\n  b: unsupported\n"},
  {"crash detail", R_OK("", D54, ""),
   R_CRASH("", D54, 11), 0,
   "outcome differs:\n  a: ok\n  b: crash (signal 11)\n"},
  {"timeout detail, escaped", R_OK("", D54, ""),
   {.vm = "", .dialect = D54, .outcome = TIMEOUT,
    .detail = "killed\x1b[31m after 10 ms"},
   0, "outcome differs:\n  a: ok\n  b: timeout: \"killed\\x1b[31m after 10 ms\"\n"},
};

static void test_pairs(void) {
  size_t k;
  LvtNorm *norm = lvt_norm_new(LVT_NORM_DEFAULT);
  LvtOracleOpts o = {0, 0, norm};
  for (k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
    LvtRun a, b;
    LvtBuf why = LVT_BUF_INIT;
    LvtErr e = {0, ""};
    int same = -1;
    make_run(&a, &pairs[k].a);
    make_run(&b, &pairs[k].b);
    TAP_IS_INT(lvt_oracle_same(&a, &b, "prog.lua", &o, &same, &why, &e),
               LVT_OK, "pair %s: rc", pairs[k].name);
    TAP_IS_INT(same, pairs[k].same, "pair %s: same", pairs[k].name);
    TAP_IS_STR(lvt_buf_str(&why), pairs[k].why, "pair %s: why", pairs[k].name);
    lvt_buf_reset(&why);
    lvt_run_reset(&a);
    lvt_run_reset(&b);
  }
  lvt_norm_free(norm);
}

/* Without a normaliser raw bytes are compared; a failing user rule is a
** harness error, and the verdict is left empty. */
static void test_norm_errors(void) {
  static const Res r[] = {R_OK("a", D54, "table: 0x1 aaaaaaaaaaaaaaaaaaaaaaab"),
                          R_OK("b", D54, "table: 0x2 aaaaaaaaaaaaaaaaaaaaaaab")};
  LvtNorm *norm = lvt_norm_new(LVT_NORM_DEFAULT);
  LvtOracleOpts raw = {0, 0, NULL}, limited = {0, 0, norm};
  LvtOracleEntry ent[2];
  LvtRun run[2];
  LvtVerdict v;
  LvtErr e = {0, ""};
  int same = -1, i;
  for (i = 0; i < 2; i++) {
    make_run(&run[i], &r[i]);
    ent[i].vm = r[i].vm;
    ent[i].info = NULL;
    ent[i].run = &run[i];
  }
  TAP_IS_INT(lvt_oracle_same(&run[0], &run[1], NULL, &raw, &same, NULL, &e),
             LVT_OK, "raw: rc");
  TAP_IS_INT(same, 0, "raw: addresses differ without a normaliser");
  TAP_IS_INT(lvt_oracle_same(&run[0], &run[1], NULL, &limited, &same, NULL, &e),
             LVT_OK, "normalised: rc");
  TAP_IS_INT(same, 1, "normalised: same");
  lvt_norm_add_rule(norm, "s/(*LIMIT_MATCH=100)(a+)+$/x/", "lim:1", &e);
  TAP_IS_INT(lvt_oracle_same(&run[0], &run[1], NULL, &limited, &same, NULL, &e),
             LVT_ERR_USAGE, "failing rule: same fails");
  lvt_verdict_init(&v);
  TAP_IS_INT(lvt_oracle_compare(ent, 2, NULL, &limited, &v, &e), LVT_ERR_USAGE,
             "failing rule: compare fails");
  TAP_OK(strstr(e.msg, "lim:1: match limit exceeded") != NULL,
         "failing rule: message names it (%s)", e.msg);
  TAP_IS_INT(v.n, 0, "failing rule: verdict left empty");
  TAP_IS_INT(v.majority, -1, "failing rule: no majority");
  lvt_verdict_reset(&v);
  for (i = 0; i < 2; i++) lvt_run_reset(&run[i]);
  lvt_norm_free(norm);
}

int main(void) {
  test_cases();
  test_explain_layout();
  test_pairs();
  test_norm_errors();
  return tap_done();
}
