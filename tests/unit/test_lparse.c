/*
** test_lparse.c -- the Lua parser and printer (fuzz/lvt_lparse*.c): every
** Lua file of the tree parses, print -> parse -> print is a fixed point
** (readable and compact), invalid programs are refused with the right
** line, profiles refuse syntax their dialects lack, scopes resolve.
*/
#include "fuzz/lvt_ast.h"
#include "fuzz/lvt_gen.h"
#include "fuzz/lvt_meta.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "tests/unit/vm_fixture.h"

/* Parses 'src', prints it (both modes), parses the prints and checks the
** second prints equal the first. */
static int fixed_point(const char *name, const char *src, size_t len) {
  int compact, ok = 1;
  for (compact = 0; compact <= 1; compact++) {
    LvtErr e = {0, ""};
    LvtBuf p1 = LVT_BUF_INIT, p2 = LVT_BUF_INIT;
    LvtAst *t = lvt_ast_parse(src, len, LVT_PROFILE_54, &e), *t2;
    if (t == NULL) {
      printf("# %s: %s\n", name, e.msg);
      return 0;
    }
    lvt_ast_print(t, compact, &p1);
    t2 = lvt_ast_parse(p1.data, p1.len, LVT_PROFILE_54, &e);
    if (t2 == NULL) {
      printf("# %s (printed, compact=%d): %s\n", name, compact, e.msg);
      ok = 0;
    } else {
      lvt_ast_print(t2, compact, &p2);
      if (p1.len != p2.len || memcmp(p1.data, p2.data, p1.len) != 0) {
        printf("# %s: not a fixed point (compact=%d)\n", name, compact);
        ok = 0;
      }
      if (t->nvars != t2->nvars) {
        printf("# %s: %d locals, then %d\n", name, t->nvars, t2->nvars);
        ok = 0;
      }
    }
    lvt_ast_free(t);
    lvt_ast_free(t2);
    lvt_buf_reset(&p1);
    lvt_buf_reset(&p2);
  }
  return ok;
}

/* Every file ending in 'ext' under 'dir': parses and is a fixed point. */
static void parse_dir(const char *rel, const char *ext, int *files) {
  char dir[4096];
  DIR *d;
  struct dirent *de;
  LvtBuf b = LVT_BUF_INIT;
  snprintf(dir, sizeof dir, "%s/%s", srcdir(), rel);
  d = opendir(dir);
  if (d == NULL) {
    TAP_OK(0, "open %s", dir);
    return;
  }
  while ((de = readdir(d)) != NULL) {
    size_t n = strlen(de->d_name), m = strlen(ext);
    char path[8192];
    if (n <= m || strcmp(de->d_name + n - m, ext) != 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    if (!read_file(path, &b)) continue;
    TAP_OK(fixed_point(path, b.data, b.len), "%s/%s parses, fixed point", rel,
           de->d_name);
    (*files)++;
  }
  closedir(d);
  lvt_buf_reset(&b);
}

/* Invalid programs and the line of the error. */
static const struct {
  const char *src;
  int line;
  const char *needle;
} bad[] = {
  {"x = ", 1, "expected"},
  {"local x = 1\nx = = 2", 2, "unexpected symbol"},
  {"\n\nreturn 1\nprint(2)", 4, "<eof>"},
  {"s = 'abc\nprint(s)", 1, "unfinished string"},
  {"s = [==[abc]=]", 1, "unfinished long string"},
  {"x = 3..2", 1, "malformed number"},
  {"x = 0x", 1, "malformed number"},
  {"x = 1e+", 1, "malformed number"},
  {"x = '\\q'", 1, "invalid escape"},
  {"x = '\\300'", 1, "decimal escape too large"},
  {"x = '\\xZZ'", 1, "hexadecimal digit"},
  {"x = '\\u{110000000}'", 1, "UTF-8 value too large"},
  {"function f()\n  return ...\nend", 2, "outside a vararg"},
  {"do\n  break\nend", 2, "break outside a loop"},
  {"goto nowhere", 1, "no visible label"},
  {"do goto l end\nlocal x = 1\n::l:: print(x)", 1, "jumps into the scope"},
  {"::a::\n::a::", 2, "already defined"},
  {"local x <const> = 1\nx = 2", 2, "const variable"},
  {"local a <close>, b <close> = 1, 2", 1, "multiple to-be-closed"},
  {"local x <foo> = 1", 1, "unknown attribute"},
  {"if x then\nelse\nelse\nend", 3, "'end' expected"},
  {"f(\n1,\n2", 3, "')' expected"},
  {"x.y", 1, "syntax error"},
  {"(x) = 1", 1, "syntax error"},
  {"x = [=x", 1, "invalid long string delimiter"},
  {"for i = 1 do end", 1, "','"},
  {"x = @", 1, "unexpected symbol"},
  /* an error inside nested functions that hold upvalues (the error path
  ** must not touch their parse state, gone with the C frames) */
  {"local a, b = 1, 2\nlocal function f()\n  return function() return a + b +\nend end", 4,
   "unexpected symbol"},
};

static void test_bad(void) {
  size_t i;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    LvtErr e = {0, ""};
    char want[32];
    int ok = lvt_lua_parses(bad[i].src, strlen(bad[i].src), LVT_PROFILE_54, &e);
    snprintf(want, sizeof want, "line %d:", bad[i].line);
    TAP_OK(!ok && e.code == LVT_ERR_USAGE && strncmp(e.msg, want, strlen(want)) == 0 &&
           strstr(e.msg, bad[i].needle) != NULL,
           "refused: %s", bad[i].needle);
    if (ok || strstr(e.msg, bad[i].needle) == NULL || strncmp(e.msg, want, strlen(want)) != 0)
      printf("#   message: %s\n", e.msg);
  }
}

/* Valid tricky programs that must parse (5.4 profile). */
static const char *const good[] = {
  "local t = {1, 2; 3, x = 1, ['y'] = 2,}",
  "a.b.c:d'x' {1} [[s]]",
  "local s = [==[\n]] ]=] ]==] .. '\\z\n   x' .. \"\\u{48}\\x41\\65\"",
  "x = 0x1p4 + 0x.8P-1 + 1e10 + .5 + 3. + 0xA.8",
  "x = 1 // 2 & 3 | 4 ~ 5 << 6 >> 7 ~ ~8",
  "goto c; ::c:: do goto d end ::d::",
  "while true do if x then goto continue end local y = 1 ::continue:: end",
  "repeat local z = 1 until z",
  "local function f(...) return select('#', ...) end",
  "local a <const>, b <close> = 1, nil",
  "for i = 1, 3 do end for k, v in pairs({}) do end",
  "f()\n;(g)()",
  "return",
  "-- comment\n--[==[ long\ncomment ]==] return 1;",
  "local x = - -1 local y = not not x local z = - - - 2",
  "x = a .. b .. c .. 1 .. 2",
  "function a.b.c:m(x, ...) return self, x, ... end",
};

static void test_good(void) {
  size_t i;
  for (i = 0; i < sizeof good / sizeof good[0]; i++) {
    LvtErr e = {0, ""};
    int ok = lvt_lua_parses(good[i], strlen(good[i]), LVT_PROFILE_54, &e);
    TAP_OK(ok, "good[%zu] parses", i);
    if (!ok) printf("#   %s\n", e.msg);
    TAP_OK(fixed_point("good", good[i], strlen(good[i])), "good[%zu] is a fixed point", i);
  }
}

/* Profiles: what each refuses (expected line in the message). */
static void test_profiles(void) {
  static const struct {
    const char *src;
    int portable, p53, p54;
  } cases[] = {
    {"goto l ::l::", 0, 1, 1},
    {"x = 1 // 2", 0, 1, 1},
    {"x = 1 & 2", 0, 1, 1},
    {"x = ~1", 0, 1, 1},
    {"x = '\\x41'", 0, 1, 1},
    {"x = '\\z  '", 0, 1, 1},
    {"x = '\\u{41}'", 0, 1, 1},
    {"x = 0x1p4", 0, 1, 1},
    {"local x <const> = 1", 0, 0, 1},
    {"f\n(1)", 0, 1, 1},
    {"x = [[ [[ ]]", 0, 1, 1},
    {"do ; end", 0, 1, 1},
    {"while x do break x = 1 end", 0, 1, 1},
    {"::a:: do ::a:: end", 0, 1, 0},   /* 5.4: 'a' is visible inside */
    {"while x do break end while x do if x then break end end", 1, 1, 1},
    {"x = 1; y = 2;", 1, 1, 1},
    {"x = 1 + 2 .. 'a' x = #t x = 0x10", 1, 1, 1},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n = strlen(cases[i].src);
    TAP_IS_INT(lvt_lua_parses(cases[i].src, n, LVT_PROFILE_PORTABLE, NULL),
               cases[i].portable, "profile case %zu, portable", i);
    TAP_IS_INT(lvt_lua_parses(cases[i].src, n, LVT_PROFILE_53, NULL),
               cases[i].p53, "profile case %zu, 5.3", i);
    TAP_IS_INT(lvt_lua_parses(cases[i].src, n, LVT_PROFILE_54, NULL),
               cases[i].p54, "profile case %zu, 5.4", i);
  }
  {
    LvtErr e = {0, ""};
    lvt_lua_parses("x = 1\ny = 2\nz = 3 // 4", 22, LVT_PROFILE_PORTABLE, &e);
    TAP_OK(strncmp(e.msg, "line 3:", 7) == 0, "profile message has the line: %s", e.msg);
  }
}

/* Scope resolution: locals, upvalues, globals; limits. */
static void test_scopes(void) {
  const char *src =
      "local a = 1\n"
      "local function f(b) return a + b + c end\n"
      "do local a = 2; print(a) end\n";
  LvtAst *t = lvt_ast_parse(src, strlen(src), LVT_PROFILE_54, NULL);
  LvtNode *s1, *s2, *ret, *sum, *ab;
  TAP_OK(t != NULL, "scope program parses");
  if (t == NULL) return;
  s1 = t->chunk->b->a;
  s2 = s1->next;
  ret = s2->b->b->a;                 /* return a + b + c */
  sum = ret->a;                      /* (a + b) + c */
  ab = sum->a;
  TAP_OK(ab->a->var == s1->a->var && (ab->a->flags & LVT_F_UPVAL),
         "'a' in f is the outer local, as an upvalue");
  TAP_OK(ab->b->var == s2->b->a->var && !(ab->b->flags & LVT_F_UPVAL),
         "'b' is f's parameter");
  TAP_OK(sum->b->var == NULL, "'c' is a global");
  TAP_OK(s1->a->var->captured, "outer 'a' is marked captured");
  TAP_IS_INT(s2->b->fn->nupvals, 1, "f has one upvalue");
  {
    LvtNode *dostat = s2->next, *inner = dostat->a->a, *call = inner->next;
    TAP_OK(call->a->b->var == inner->a->var, "inner 'a' shadows the outer");
  }
  lvt_ast_free(t);
  {
    LvtBuf b = LVT_BUF_INIT;
    int i;
    for (i = 0; i < 201; i++) lvt_buf_addf(&b, "local v%d = %d\n", i, i);
    TAP_OK(!lvt_lua_parses(b.data, b.len, LVT_PROFILE_54, NULL), "201 locals refused");
    lvt_buf_clear(&b);
    for (i = 0; i < 61; i++) lvt_buf_addf(&b, "local u%d = %d\n", i, i);
    lvt_buf_adds(&b, "return function() return u0");
    for (i = 1; i < 61; i++) lvt_buf_addf(&b, " + u%d", i);
    lvt_buf_adds(&b, " end\n");
    TAP_OK(!lvt_lua_parses(b.data, b.len, LVT_PROFILE_PORTABLE, NULL),
           "61 upvalues refused for portable (5.1 limit 60)");
    TAP_OK(lvt_lua_parses(b.data, b.len, LVT_PROFILE_54, NULL), "61 upvalues fine for 5.4");
    lvt_buf_clear(&b);
    for (i = 0; i < 300; i++) lvt_buf_adds(&b, "(");
    lvt_buf_adds(&b, "1");
    for (i = 0; i < 300; i++) lvt_buf_adds(&b, ")");
    lvt_buf_set(&b, "x = ", 4);
    for (i = 0; i < 300; i++) lvt_buf_adds(&b, "(");
    lvt_buf_adds(&b, "1");
    for (i = 0; i < 300; i++) lvt_buf_adds(&b, ")");
    TAP_OK(!lvt_lua_parses(b.data, b.len, LVT_PROFILE_54, NULL), "300 nested parentheses refused");
    /* chains nested in chains: a tree far deeper than the parse levels */
    lvt_buf_set(&b, "x = ", 4);
    for (i = 0; i < 150; i++) lvt_buf_adds(&b, "f(");
    lvt_buf_adds(&b, "1");
    for (i = 0; i < 150; i++) {
      int j;
      lvt_buf_adds(&b, ")");
      for (j = 0; j < 200; j++) lvt_buf_adds(&b, "()");
    }
    TAP_OK(!lvt_lua_parses(b.data, b.len, LVT_PROFILE_54, NULL),
           "calls nested 150 deep with 200-call chains refused (tree depth), no crash");
    lvt_buf_set(&b, "x = a", 5);
    for (i = 0; i < 500; i++) lvt_buf_adds(&b, ".b");
    TAP_OK(lvt_lua_parses(b.data, b.len, LVT_PROFILE_54, NULL), "a 500-long field chain parses");
    lvt_buf_reset(&b);
  }
}

/* The printer adds parentheses a made-up tree needs. */
static void test_printer_parens(void) {
  const char *src = "x = a - b\ny = c ^ d\nz = (1)";
  LvtAst *t = lvt_ast_parse(src, strlen(src), LVT_PROFILE_54, NULL);
  LvtBuf b = LVT_BUF_INIT;
  LvtNode *s1, *s2;
  if (t == NULL) {
    TAP_OK(0, "printer program parses");
    return;
  }
  s1 = t->chunk->b->a;
  s2 = s1->next;
  /* a - b -> a - (a - b) ; c ^ d -> (-c) ^ d ; index a number */
  {
    LvtNode *sub = s1->b, *copy = lvt_ast_copy(t, sub, 0);
    sub->b = copy;
    {
      LvtNode *neg = lvt_ast_node(t, LVT_E_UNOP);
      neg->op = LVT_OP_NEG;
      neg->a = s2->b->a;
      s2->b->a = neg;
    }
  }
  lvt_ast_print(t, 1, &b);
  TAP_IS_STR(lvt_buf_str(&b), "x=a-(a-b) y=(-c)^d z=(1)\n", "compact print with needed parens");
  lvt_buf_clear(&b);
  lvt_ast_print(t, 0, &b);
  TAP_IS_STR(lvt_buf_str(&b), "x = a - (a - b)\ny = (-c) ^ d\nz = (1)\n", "readable print");
  lvt_buf_reset(&b);
  lvt_ast_free(t);
}

/* Garbage does not crash the parser (every prefix of a real program). */
static void test_prefixes(void) {
  LvtBuf b = LVT_BUF_INIT;
  char path[4096];
  size_t n, parsed = 0;
  snprintf(path, sizeof path, "%s/corpus/seeds/closures.lua", srcdir());
  if (!read_file(path, &b)) {
    TAP_OK(0, "read %s", path);
    return;
  }
  for (n = 0; n <= b.len; n++)
    parsed += (size_t)lvt_lua_parses(b.data, n, LVT_PROFILE_54, NULL);
  TAP_OK(parsed >= 1 && parsed < b.len, "prefixes: %zu of %zu parse, none crash", parsed, b.len);
  lvt_buf_reset(&b);
}

/* Generated programs of every profile: valid for it, fixed points. */
static void generated(void) {
  int prof;
  for (prof = 0; prof < LVT_PROFILE__COUNT; prof++) {
    LvtGenOpts o;
    LvtBuf b = LVT_BUF_INIT;
    int i, ok = 0, fp = 0;
    lvt_gen_opts_init(&o);
    o.profile = (LvtProfile)prof;
    for (i = 0; i < 50; i++) {
      lvt_gen_from_seed(&o, 300 + (uint64_t)i, &b, NULL);
      ok += lvt_lua_parses(b.data, b.len, (LvtProfile)prof, NULL);
      fp += fixed_point("generated", b.data, b.len);
    }
    TAP_IS_INT(ok, 50, "profile %d: 50 generated programs parse for it", prof);
    TAP_IS_INT(fp, 50, "profile %d: 50 generated programs print to a fixed point", prof);
    lvt_buf_reset(&b);
  }
}

int main(void) {
  int files = 0;
  parse_dir("corpus/seeds", ".lua", &files);
  parse_dir("lua-harness/t", ".t", &files);
  parse_dir("lua-harness/lib", ".lua", &files);
  parse_dir("vm/driver", ".lua", &files);
  parse_dir("harness/driver", ".lua", &files);
  parse_dir("tests/fixtures/luajit-tests", ".lua", &files);
  TAP_OK(files >= 55, "parsed %d files", files);
  test_bad();
  test_good();
  test_profiles();
  test_scopes();
  test_printer_parens();
  test_prefixes();
  generated();
  return tap_done();
}
