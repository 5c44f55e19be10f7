/*
** test_norm.c -- normalisation: built-in address and chunk-name rules on
** real outputs of the system Luas, user rules, rule-file errors.
*/
#include "harness/lvt_norm.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests/tap.h"

#define N_ALL LVT_NORM_DEFAULT
#define N_ADDR LVT_NORM_ADDRESSES
#define N_CHUNK LVT_NORM_CHUNKNAME

/* Built-in rules: input -> expected, as C strings. */
static const struct {
  const char *name;
  unsigned builtins;
  const char *chunk;
  const char *in, *want;
} builtin_cases[] = {
  /* Captured from 'lua5.1 prog.lua' with prog.lua =
  ** local t = {}; print(t, t, {}); print(print, coroutine.create(...)) */
  {"5.1 tables keep identity", N_ALL, "prog.lua",
   "table: 0x55c2b516c1d0\ttable: 0x55c2b516c1d0\ttable: 0x55c2b516c180\n"
   "function: 0x55c2b5163fa0\tthread: 0x55c2b516af80\n",
   "table: 0x1\ttable: 0x1\ttable: 0x2\nfunction: 0x3\tthread: 0x4\n"},
  {"5.4 same shape as 5.1", N_ALL, "prog.lua",
   "table: 0x557653b34f40\ttable: 0x557653b34f40\ttable: 0x557653b33d40\n"
   "function: 0x557633ae8050\tthread: 0x557653b33e08\n",
   "table: 0x1\ttable: 0x1\ttable: 0x2\nfunction: 0x3\tthread: 0x4\n"},
  /* luajit: print(print) gives LuaJIT's fast-function id. */
  {"luajit builtin#", N_ALL, "prog.lua",
   "table: 0x7f4c0e69df70\ttable: 0x7f4c0e69df70\ttable: 0x7f4c0e69dfb8\n"
   "function: builtin#29\tthread: 0x7f4c0e695c50\n",
   "table: 0x1\ttable: 0x1\ttable: 0x2\nfunction: 0x3\tthread: 0x4\n"},
  {"builtin# keeps identity", N_ADDR, NULL,
   "function: builtin#29 function: builtin#29 function: builtin#30",
   "function: 0x1 function: 0x1 function: 0x2"},
  {"function: builtin: 0x", N_ADDR, NULL,
   "function: builtin: 0x5629a0c0 function: 0x5629a0c0",
   "function: builtin: 0x1 function: 0x1"},
  /* luajit -e 'print(ffi.new("int[2]"), ffi.cast("void*", 0), ...)' */
  {"luajit cdata", N_ADDR, NULL,
   "cdata<int [2]>: 0x7fc0f3890c50\tcdata<void *>: NULL\t"
   "cdata<struct 98>: 0x7fc0f3890c90",
   "cdata<int [2]>: 0x1\tcdata<void *>: NULL\tcdata<struct 98>: 0x2"},
  {"userdata and file handles", N_ADDR, NULL,
   "userdata: 0xABCDEF file (0x7f4f12548760) file (closed)",
   "userdata: 0x1 file (0x2) file (closed)"},
  {"not an address: plain hex data", N_ADDR, NULL,
   "0x10 x: 0xff mytable: 0x55 my_table: 0x55 table:0x55",
   "0x10 x: 0xff mytable: 0x55 my_table: 0x55 table:0x55"},
  /* Captured stderr of 'luajit prog.lua' (error("boom") on line 4). */
  {"luajit traceback", N_ALL, "prog.lua",
   "luajit: prog.lua:4: boom\nstack traceback:\n\t[C]: in function 'error'\n"
   "\tprog.lua:4: in main chunk\n\t[C]: at 0x565335f302c0\n",
   "luajit: <chunk>:4: boom\nstack traceback:\n\t[C]: in function 'error'\n"
   "\t<chunk>:4: in main chunk\n\t[C]: at 0x1\n"},
  {"5.1 traceback", N_ALL, "prog.lua",
   "lua5.1: prog.lua:4: boom\nstack traceback:\n\t[C]: in function 'error'\n"
   "\tprog.lua:4: in main chunk\n\t[C]: ?\n",
   "lua5.1: <chunk>:4: boom\nstack traceback:\n\t[C]: in function 'error'\n"
   "\t<chunk>:4: in main chunk\n\t[C]: ?\n"},
  /* lua5.4 -e 'print(select(2, load("x = = 1", "input")))' and "=input" */
  {"[string \"input\"]", N_CHUNK, "input",
   "[string \"input\"]:1: unexpected symbol near '='",
   "<chunk>:1: unexpected symbol near '='"},
  {"=input", N_CHUNK, "input", "input:1: unexpected symbol near '='",
   "<chunk>:1: unexpected symbol near '='"},
  {"[string \"...\"] cut at a newline", N_CHUNK, "local a = 1\nx = = 1",
   "[string \"local a = 1...\"]:2: unexpected symbol near '='",
   "<chunk>:2: unexpected symbol near '='"},
  {"[string \"...\"] cut at LUA_IDSIZE", N_CHUNK,
   "a very long chunk name that goes well beyond the sixty byte limit.lua",
   "[string \"a very long chunk name that goes well beyond ...\"]:1: x",
   "<chunk>:1: x"},
  {"[string] of another chunk stays", N_CHUNK, "prog.lua",
   "[string \"other\"]:1: x [string \"prog.lua\"]:2: y",
   "[string \"other\"]:1: x <chunk>:2: y"},
  {"[string] with quotes inside", N_CHUNK, "print(\"a\")",
   "[string \"print(\"a\")\"]:1: x", "<chunk>:1: x"},
  {"absolute path and truncated path", N_CHUNK, "t/001.lua",
   "/tmp/lvt-1234/t/001.lua:3: a\n...ond/the/sixty/byte/limit/t/001.lua:1: b",
   "<chunk>:3: a\n<chunk>:1: b"},
  {"traceback function <name:line>", N_CHUNK, "prog.lua",
   "\tprog.lua:7: in function <prog.lua:5>", "\t<chunk>:7: in function <<chunk>:5>"},
  {"longer name and no line number stay", N_CHUNK, "prog.lua",
   "myprog.lua:3: x prog.lua: y prog.lua:z t.prog.lua:1:",
   "myprog.lua:3: x prog.lua: y prog.lua:z t.prog.lua:1:"},
  {"'@' before the chunk name is ignored", N_CHUNK, "@prog.lua",
   "prog.lua:4: boom", "<chunk>:4: boom"},
  {"chunk rule off", N_ADDR, "prog.lua", "prog.lua:4: boom", "prog.lua:4: boom"},
  {"address rule off", N_CHUNK, "prog.lua", "table: 0x55", "table: 0x55"},
  {"no chunk name given", N_ALL, NULL, "prog.lua:4: table: 0x9",
   "prog.lua:4: table: 0x1"},
  {"empty input", N_ALL, "prog.lua", "", ""},
};

static void test_builtins(void) {
  size_t i;
  LvtBuf out = LVT_BUF_INIT;
  for (i = 0; i < sizeof builtin_cases / sizeof builtin_cases[0]; i++) {
    LvtNorm *n = lvt_norm_new(builtin_cases[i].builtins);
    LvtErr e = {0, ""};
    int rc = lvt_norm_apply(n, builtin_cases[i].in,
                            strlen(builtin_cases[i].in),
                            builtin_cases[i].chunk, &out, &e);
    TAP_IS_INT(rc, LVT_OK, "builtin %s: rc", builtin_cases[i].name);
    TAP_IS_STR(lvt_buf_str(&out), builtin_cases[i].want, "builtin %s",
               builtin_cases[i].name);
    lvt_norm_free(n);
  }
  lvt_buf_reset(&out);
}

/* NULs and non-UTF-8 bytes pass through and are rewritten around. */
static void test_binary(void) {
  static const char in[] = "\xff\0table: 0xdead\0\xc3(prog.lua:2:\0";
  static const char want[] = "\xff\0table: 0x1\0\xc3(<chunk>:2:\0";
  LvtNorm *n = lvt_norm_new(LVT_NORM_DEFAULT);
  LvtBuf out = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  TAP_IS_INT(lvt_norm_add_rule(n, "s/\\x00/<NUL>/", NULL, &e), LVT_OK,
             "rule matching NUL added");
  TAP_IS_INT(lvt_norm_apply(n, in, sizeof in - 1, "prog.lua", &out, &e),
             LVT_OK, "binary: rc");
  TAP_IS_MEM(out.data, out.len,
             "\xff<NUL>table: 0x1<NUL>\xc3(<chunk>:2:<NUL>",
             strlen("\xff<NUL>table: 0x1<NUL>\xc3(<chunk>:2:<NUL>"),
             "binary: NULs rewritten by a user rule, other bytes kept");
  lvt_norm_free(n);
  n = lvt_norm_new(LVT_NORM_DEFAULT);
  TAP_IS_INT(lvt_norm_apply(n, in, sizeof in - 1, "prog.lua", &out, &e),
             LVT_OK, "binary, built-ins only: rc");
  TAP_IS_MEM(out.data, out.len, want, sizeof want - 1,
             "binary, built-ins only: NULs kept");
  lvt_norm_free(n);
  TAP_IS_INT(lvt_norm_apply(NULL, in, sizeof in - 1, "prog.lua", &out, &e),
             LVT_OK, "NULL normaliser: rc");
  TAP_IS_MEM(out.data, out.len, in, sizeof in - 1,
             "NULL normaliser copies the input");
  lvt_buf_reset(&out);
}

/* User rules: rules (one string, lines) + input -> expected. */
static const struct {
  const char *name, *rules, *in, *want;
} rule_cases[] = {
  {"group reference", "s/(\\d+)\\.0\\b/$1/", "3.0 10.0 1.05", "3 10 1.05"},
  {"every match replaced", "s/a/b/", "banana", "bbnbnb"},
  {"g flag accepted", "s/a/b/g", "banana", "bbnbnb"},
  {"other delimiter, escaped", "s|a\\|b|x|", "a|b a b", "x a b"},
  {"escaped slash", "s/\\//:/", "a/b/c", "a:b:c"},
  {"replacement escapes", "s/,/\\t/", "a,b", "a\tb"},
  {"$$ and ${1}", "s/(x)/${1}$$/", "x", "x$"},
  {"named group", "s/(?<n>\\d)/<$n>/", "a1", "a<1>"},
  {"i flag", "s/ERROR/E/i", "error Error", "E E"},
  {"m flag", "s/^x/y/m", "x\nx", "y\ny"},
  {"x flag with comment", "s/a b  # spaces ignored/c/x", "ab", "c"},
  {"u flag on invalid UTF-8", "s/\\x{e9}/e/u", "caf\xc3\xa9 \xff\xe9", "cafe \xff\xe9"},
  {"byte mode sees bytes", "s/./*/", "\xc3\xa9", "**"},
  {"rules in order", "s/a/b/\ns/b/c/", "a", "c"},
  {"comment and blank lines", "# a comment\n\n   \ns/a/b/  # trailing\n", "a", "b"},
  {"dialect rule from the example file",
   "s/(^|[^\\w.])(-?\\d+)\\.0(?![\\d.eE])/$1$2/m",
   "3.0\t-2.0\n1.05 2.0e3 x1.0", "3\t-2\n1.05 2.0e3 x1.0"},
};

/* Adds the lines of 'rules' one by one. */
static int add_lines(LvtNorm *n, const char *rules, LvtErr *e) {
  char line[512];
  const char *p = rules;
  while (*p != '\0') {
    size_t k = strcspn(p, "\n");
    int rc;
    snprintf(line, sizeof line, "%.*s", (int)k, p);
    if ((rc = lvt_norm_add_rule(n, line, "test", e)) != LVT_OK) return rc;
    p += k;
    if (*p == '\n') p++;
  }
  return LVT_OK;
}

static void test_rules(void) {
  size_t i;
  LvtBuf out = LVT_BUF_INIT;
  for (i = 0; i < sizeof rule_cases / sizeof rule_cases[0]; i++) {
    LvtNorm *n = lvt_norm_new(0);
    LvtErr e = {0, ""};
    int rc = add_lines(n, rule_cases[i].rules, &e);
    if (!TAP_OK(rc == LVT_OK, "rule %s: added", rule_cases[i].name))
      printf("#   %s\n", e.msg);
    rc = lvt_norm_apply(n, rule_cases[i].in, strlen(rule_cases[i].in), NULL,
                        &out, &e);
    TAP_IS_INT(rc, LVT_OK, "rule %s: applied", rule_cases[i].name);
    TAP_IS_STR(lvt_buf_str(&out), rule_cases[i].want, "rule %s",
               rule_cases[i].name);
    lvt_norm_free(n);
  }
  lvt_buf_reset(&out);
}

/* Bad rules: the message says where and what. */
static const struct {
  const char *rule, *want;
} bad_rules[] = {
  {"s/a(b/x/", "r:1: regex 'a(b': missing closing parenthesis (at offset 3)"},
  {"s/[z-a]/x/", "r:1: regex '[z-a]': range out of order in character class (at offset 3)"},
  {"s/a/x", "r:1: missing closing '/' in 's/a/x'"},
  {"x/a/b/", "r:1: expected s/REGEX/REPLACEMENT/FLAGS, got 'x/a/b/'"},
  {"sa/b/c", "r:1: expected s/REGEX/REPLACEMENT/FLAGS, got 'sa/b/c'"},
  {"s/a/b/q", "r:1: unknown flag 'q' (flags are i, m, s, x, u, g)"},
  {"s/a/b/ junk", "r:1: unexpected text after the rule: 'junk'"},
  {"s/(a)/$2/", "r:1: replacement '$2': unknown substring"},
  {"s/(a)/$zz/", "r:1: replacement '$zz': unknown substring"},
  {"s/a/\\q/", "r:1: replacement '\\q': bad escape sequence in replacement string"},
  {"s/(*UTF)\\x{e9}/e/", "r:1: regex '(*UTF)\\x{e9}': using UTF is disabled by the application (at offset 6)"},
};

static void test_bad_rules(void) {
  size_t i;
  LvtNorm *n = lvt_norm_new(0);
  for (i = 0; i < sizeof bad_rules / sizeof bad_rules[0]; i++) {
    LvtErr e = {0, ""};
    TAP_IS_INT(lvt_norm_add_rule(n, bad_rules[i].rule, "r:1", &e),
               LVT_ERR_USAGE, "bad rule %s: refused", bad_rules[i].rule);
    TAP_IS_STR(e.msg, bad_rules[i].want, "bad rule %s: message",
               bad_rules[i].rule);
  }
  TAP_IS_INT(lvt_norm_rule_count(n), 0, "no bad rule was kept");
  lvt_norm_free(n);
}

/* A rule whose match runs out of budget fails at apply time, by name. */
static void test_runtime_failure(void) {
  LvtNorm *n = lvt_norm_new(LVT_NORM_DEFAULT);
  LvtBuf out = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  const char *in = "table: 0x12 aaaaaaaaaaaaaaaaaaaaaaaaaaaab";
  TAP_IS_INT(lvt_norm_add_rule(n, "s/(*LIMIT_MATCH=1000)(a+)+$/x/", "lim:1",
                               &e), LVT_OK, "limited rule added (verb hoisted)");
  TAP_IS_INT(lvt_norm_apply(n, in, strlen(in), NULL, &out, &e),
             LVT_ERR_USAGE, "match limit: apply fails");
  TAP_IS_STR(e.msg,
             "lim:1: match limit exceeded (on 40 bytes of output; simplify the rule)",
             "match limit: message names the rule");
  TAP_IS_STR(lvt_buf_str(&out), in, "match limit: output is the input");
  lvt_buf_reset(&out);
  lvt_norm_free(n);
}

/* Rule files: comments, all-or-nothing, file:line in messages. */
static void test_rule_files(void) {
  char dir[] = "/tmp/lvt-test-norm-XXXXXX", good[300], bad[300], none[300];
  LvtNorm *n = lvt_norm_new(0);
  LvtBuf out = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  FILE *f;
  if (!TAP_OK(mkdtemp(dir) != NULL, "temp dir")) return;
  snprintf(good, sizeof good, "%s/good.rules", dir);
  snprintf(bad, sizeof bad, "%s/bad.rules", dir);
  snprintf(none, sizeof none, "%s/none.rules", dir);
  f = fopen(good, "w");
  fputs("# normalise versions\r\ns/Lua 5\\.\\d/Lua 5.x/\n\ns/x/y/\n", f);
  fclose(f);
  f = fopen(bad, "w");
  fputs("s/ok/OK/\n# fine so far\ns/(unclosed/x/\n", f);
  fclose(f);
  TAP_IS_INT(lvt_norm_load_rules(n, good, &e), LVT_OK, "good file loads");
  TAP_IS_INT(lvt_norm_rule_count(n), 2, "good file: two rules");
  TAP_IS_INT(lvt_norm_load_rules(n, bad, &e), LVT_ERR_USAGE, "bad file fails");
  {
    char want[400];
    snprintf(want, sizeof want,
             "%s:3: regex '(unclosed': missing closing parenthesis (at offset 9)",
             bad);
    TAP_IS_STR(e.msg, want, "bad file: file, line, PCRE2 message, offset");
  }
  TAP_IS_INT(lvt_norm_rule_count(n), 2, "bad file: none of its rules kept");
  TAP_IS_INT(lvt_norm_load_rules(n, none, &e), LVT_ERR_IO, "missing file");
  TAP_OK(strstr(e.msg, "none.rules: No such file") != NULL,
         "missing file: message names it (%s)", e.msg);
  lvt_norm_apply(n, "Lua 5.4 ok", 10, NULL, &out, &e);
  TAP_IS_STR(lvt_buf_str(&out), "Lua 5.y ok", "good file rules apply in order");
  unlink(good);
  unlink(bad);
  rmdir(dir);
  lvt_buf_reset(&out);
  lvt_norm_free(n);
}

/* The example rules file in the tree parses. Found through
** LVT_SOURCE_DIR (set by ctest), else next to this file. */
static void test_example_file(void) {
  const char *src = getenv("LVT_SOURCE_DIR");
  char path[1024];
  LvtNorm *n = lvt_norm_new(0);
  LvtErr e = {0, ""};
  if (src != NULL)
    snprintf(path, sizeof path, "%s/harness/norm-rules.example", src);
  else
    snprintf(path, sizeof path, "%.*s/../../harness/norm-rules.example",
             (int)(strrchr(__FILE__, '/') - __FILE__), __FILE__);
  if (!TAP_OK(lvt_norm_load_rules(n, path, &e) == LVT_OK,
              "example rules file loads"))
    printf("#   %s\n", e.msg);
  TAP_OK(lvt_norm_rule_count(n) > 0, "example rules file has rules");
  lvt_norm_free(n);
}

int main(void) {
  test_builtins();
  test_binary();
  test_rules();
  test_bad_rules();
  test_runtime_failure();
  test_rule_files();
  test_example_file();
  return tap_done();
}
