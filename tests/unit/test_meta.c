/*
** test_meta.c -- metamorphic variants (lvt_meta_variant): K variants of
** hand-written programs (one per rewrite and its traps) and of the corpus
** produce the same outcome, error kind and output as the original on the
** reference (in-process, deterministic limits), and on the real lua5.1
** and luajit for the portable profile; every rewrite kind fires; variants
** are deterministic and parse for their profile.
**
** Outputs are compared after removing what a variant may legitimately
** change (documented in META-README-DRAFT.md): "chunk:line:" positions and
** variable names in error messages ("(local 'x')").
*/
#include "fuzz/lvt_meta.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lvt_gen.h"
#include "tests/tap.h"
#include "tests/unit/vm_fixture.h"
#include "vm/lvt_ref.h"
#include "vm/lvt_vm.h"

/* Variants per program. (Sanitizer builds run generated programs on the
** system Luas: see SANITIZED in vm_fixture.h.) */
#define K 4

/* Hand-written programs: each exercises rewrites and their traps. */
static const struct {
  const char *name;
  LvtProfile profile;
  const char *src;
} progs[] = {
  {"constants everywhere", LVT_PROFILE_PORTABLE,
   "local t = {1, 2.5, 'x', nil, true, [10] = 'ten', k = false}\n"
   "print(t[1], t[2], t[3], t[4], t[5], t[10], t.k, #('abc'))\n"
   "local function f(a, b) return a or 'dflt', b == nil end\n"
   "print(f(nil, nil), f(0, 1), ('x'):rep(3), string.format('%5.1f', 3.25))\n"
   "local s = 0 for i = 1, 10 do s = s + i * 2 end print(s, 7 % 3, 2^10, -5 / 2)\n"},
  {"multiple values keep their count", LVT_PROFILE_PORTABLE,
   "local function m() return 1, 2, 3 end\n"
   "local function v(...) return select('#', ...), ... end\n"
   "print(m()) print((m())) print(m(), 10) print(({m()})[3], #{m(), m()})\n"
   "print(v(m())) print(v(nil, nil)) print(v()) print(v(m(), m()))\n"
   "local a, b, c = m() print(a, b, c)\n"
   "local function tail(...) return ... end print(tail(4, 5, 6))\n"
   "local function pass(...) local x, y = ... return y, x, ... end print(pass(7, 8, 9))\n"},
  {"closures and upvalues", LVT_PROFILE_PORTABLE,
   "local function counter(start) local n = start or 0\n"
   "  return function(d) n = n + (d or 1) return n end, function() return n end end\n"
   "local inc, get = counter(5) inc() inc(10) print(get())\n"
   "local fs = {} for i = 1, 5 do fs[#fs + 1] = function() return i * 100 end end\n"
   "print(fs[1](), fs[3](), fs[5]())\n"
   "local gs = {} for i = 10, 1, -3 do local j = i gs[#gs + 1] = function() j = j + 1 return i, j end end\n"
   "print(gs[1]()) print(gs[1]()) print(gs[2]()) print(#gs)\n"},
  {"numeric for shapes", LVT_PROFILE_PORTABLE,
   "local out = {}\n"
   "for i = 1, 0 do out[#out + 1] = i end\n"
   "for i = 5, 1, -1 do out[#out + 1] = i end\n"
   "for i = -3, 3, 2 do out[#out + 1] = i end\n"
   "for i = 1, 3 do for j = i, 3 do out[#out + 1] = i * 10 + j end end\n"
   "for i = 1, 10 do if i > 4 then break end out[#out + 1] = -i end\n"
   "for i = 1, 3 do local i = i * 2 out[#out + 1] = i end\n"
   "print(table.concat(out, ' '))\n"},
  {"blocks and locals", LVT_PROFILE_PORTABLE,
   "local a = 1 local b = a + 1 do local a = 10 b = b + a end\n"
   "local c = b * 2 print(a, b, c)\n"
   "local x, y = 3 print(x, y)\n"
   "while a < 5 do a = a + 1 local z = a * 2 b = b + z end print(a, b)\n"
   "repeat local r = a a = a - 1 until r <= 3 print(a)\n"
   "if a > 100 then print('big') elseif a > 1 then print('mid') else print('small') end\n"},
  {"errors by kind", LVT_PROFILE_PORTABLE,
   "local ok0, e0 = pcall(error, {code = 1}) print(ok0, type(e0), e0.code)\n"
   "local ok, e = pcall(function() local t = nil return t.x end) print(ok, type(e))\n"
   "ok, e = pcall(error, 'plain', 0) print(ok, e)\n"
   "ok, e = pcall(function() return 1 + {} end) print(ok, type(e))\n"
   "ok, e = pcall(error) print(ok, e)\n"
   "local t = setmetatable({}, {__index = function(_, k) return k .. '!' end}) print(t.a, t[1])\n"
   "error({'final'})\n"},
  {"methods and self", LVT_PROFILE_PORTABLE,
   "local Acc = {} Acc.__index = Acc\n"
   "function Acc.new(v) return setmetatable({v = v}, Acc) end\n"
   "function Acc:add(d) self.v = self.v + d return self end\n"
   "function Acc:get() return self.v end\n"
   "local a = Acc.new(3) print(a:add(4):add(5):get())\n"
   "local obj = {n = 0} function obj.bump(self, k) self.n = self.n + k end obj:bump(2) obj.bump(obj, 3) print(obj.n)\n"},
  {"recursion and strings", LVT_PROFILE_PORTABLE,
   "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end\n"
   "print(fib(15))\n"
   "local s = ('hello world'):gsub('o', '0') print(s, ('%d-%s'):format(5, 'x'))\n"
   "local parts = {} for w in ('a,b,,c'):gmatch('([^,]*)') do parts[#parts + 1] = '[' .. w .. ']' end\n"
   "print(table.concat(parts))\n"
   "print(#'\\65\\066\\n', 'tab\\tq\"', [[long\nstring]], [==[with ]] inside]==])\n"},
  {"integers and floats (5.3)", LVT_PROFILE_53,
   "print(1, 1.0, 3 // 2, 3.0 // 2, 7 % -3, -7 % 3, 1 / 2, 2^2, 10 // 0.0)\n"
   "print(math.type(1), math.type(1.0), 0x10, 0xff & 0x0f, 1 << 62, ~0, 5 ~ 3)\n"
   "print(math.maxinteger + 1 == math.mininteger, -9223372036854775808, 9007199254740993)\n"
   "for i = 1, 3 do io.write(i, ' ') end for i = 1.0, 2 do io.write(i, ' ') end print()\n"
   "print(pcall(function() return 1 // 0 end))\n"
   "print(string.format('%d %5.2f %x', 42, 1.5, 255), 3 | 4, 7 >> 1)\n"},
  {"goto and labels (5.4)", LVT_PROFILE_54,
   "local out = {}\n"
   "for i = 1, 6 do\n  if i % 2 == 0 then goto continue end\n  local sq = i * i\n"
   "  out[#out + 1] = sq\n  ::continue::\nend\n"
   "do local n = 0 ::top:: n = n + 1 if n < 3 then goto top end out[#out + 1] = n end\n"
   "while true do goto done end ::done::\n"
   "print(table.concat(out, ','))\n"},
  {"const and close (5.4)", LVT_PROFILE_54,
   "local limit <const> = 10\n"
   "local log = {}\n"
   "do\n  local h <close> = setmetatable({}, {__close = function() log[#log + 1] = 'closed' end})\n"
   "  log[#log + 1] = 'body ' .. limit\nend\n"
   "local function f() local x <const> = 'k' return x .. limit end\n"
   "print(table.concat(log, ';'), f(), limit * 2)\n"
   "for i = 1, 3 do local c <const> = i * limit log[#log + 1] = c end print(#log, log[#log])\n"},
  {"_ENV and globals (5.3)", LVT_PROFILE_53,
   "x = 5 local function g() return x end print(g())\n"
   "do local _ENV = {print = print, x = 42} print(x) end\n"
   "local function h() local _ENV = {y = 7} return y end print(h(), x)\n"},
  {"vararg in nested positions", LVT_PROFILE_PORTABLE,
   "local function f(...)\n  local t = {...}\n  local n = select('#', ...)\n"
   "  local function inner(a) return a * 2 end\n"
   "  return n, inner((...)), t[n]\nend\nprint(f(3, 4, 5))\nprint(f(1))\n"},
  {"coroutines", LVT_PROFILE_PORTABLE,
   "local co = coroutine.create(function(a, b)\n"
   "  local c = coroutine.yield(a + b)\n  local d, e = coroutine.yield(c * 2)\n"
   "  return d + e, 'done'\nend)\n"
   "print(coroutine.resume(co, 1, 2)) print(coroutine.resume(co, 10)) print(coroutine.resume(co, 3, 4))\n"
   "print(coroutine.resume(co)) print(coroutine.status(co))\n"
   "local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)\n"
   "print(gen(), gen(), gen())\n"},
};

/* Removes "name:line:" positions and "(local 'x')"-style variable notes. */
static void normalise(const char *s, size_t n, LvtBuf *out) {
  size_t i = 0;
  lvt_buf_clear(out);
  while (i < n) {
    /* "(local 'x')", "(global 'x')", "(upvalue 'x')", "(field 'x')",
    ** "(constant 'x')", "(method 'x')" */
    if (s[i] == '(') {
      size_t j = i + 1;
      while (j < n && s[j] >= 'a' && s[j] <= 'z') j++;
      if (j > i + 1 && j + 1 < n && s[j] == ' ' && s[j + 1] == '\'') {
        size_t k = j + 2;
        while (k < n && s[k] != '\'' && s[k] != '\n') k++;
        if (k + 1 < n && s[k] == '\'' && s[k + 1] == ')') {
          lvt_buf_adds(out, "(?)");
          i = k + 2;
          continue;
        }
      }
    }
    /* "something:123:" -> "" */
    if (s[i] == ':' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
      size_t j = i + 1, back = out->len;
      while (j < n && s[j] >= '0' && s[j] <= '9') j++;
      if (j < n && s[j] == ':') {
        while (back > 0 && out->data[back - 1] != ' ' && out->data[back - 1] != '\t' &&
               out->data[back - 1] != '\n')
          back--;
        out->len = back;
        i = j + 1;
        continue;
      }
    }
    lvt_buf_addc(out, s[i]);
    i++;
  }
}

static int same_run(const LvtRun *a, const LvtRun *b, LvtBuf *why) {
  LvtBuf na = LVT_BUF_INIT, nb = LVT_BUF_INIT;
  int ok = 1;
  lvt_buf_clear(why);
  if (a->outcome != b->outcome) {
    lvt_buf_addf(why, "outcome %s vs %s (%s)", lvt_outcome_name(a->outcome),
                 lvt_outcome_name(b->outcome), lvt_buf_str(&b->err_value));
    ok = 0;
  } else if (strcmp(a->err_type, b->err_type) != 0) {
    lvt_buf_addf(why, "error kind %s vs %s", a->err_type, b->err_type);
    ok = 0;
  } else {
    normalise(a->out.data, a->out.len, &na);
    normalise(b->out.data, b->out.len, &nb);
    if (na.len != nb.len || memcmp(na.data, nb.data, na.len) != 0) {
      size_t i = 0;
      while (i < na.len && i < nb.len && na.data[i] == nb.data[i]) i++;
      lvt_buf_addf(why, "output differs at byte %zu: '%.40s' vs '%.40s'", i,
                   na.data + i, nb.data + i);
      ok = 0;
    }
  }
  lvt_buf_reset(&na);
  lvt_buf_reset(&nb);
  return ok;
}

static int fired[16];

static void count_applied(const char *s) {
  static const char *const names[] = {"const-local", "const-upval", "const-field",
                                      "const-call", "paren", "iife", "do-wrap",
                                      "for-while", "dead-code", "rename"};
  size_t k;
  for (k = 0; k < sizeof names / sizeof names[0]; k++) {
    const char *p = strstr(s, names[k]);
    if (p != NULL) fired[k] += atoi(p + strlen(names[k]) + 2);
  }
}

/* Variants of generated programs run in split form and equivalent. */
static int split_variants;

/* Runs 'src' and K variants on 'vm'; one assertion per program. A
** generated program's variants must also keep its prelude and give the
** same result split (as the fuzz loop runs them). */
static int check_program(LvtVm *vm, const char *name, const char *src, size_t len,
                         LvtProfile prof, unsigned which, uint64_t seed, int quiet) {
  LvtProgram p = {"prog", src, len, NULL, 0};
  LvtLimits lim;
  LvtRun r0, r1;
  LvtErr e = {0, ""};
  LvtBuf var = LVT_BUF_INIT, ap = LVT_BUF_INIT, why = LVT_BUF_INIT, body = LVT_BUF_INIT;
  size_t pend = lvt_gen_prelude_end(src, len);
  unsigned k;
  int ok = 1;
  lvt_limits_default(&lim);
  lim.deterministic = 1;
  lim.timeout_ms = 10000;
  lim.instr_limit = 50000000;
  lvt_run_init(&r0);
  lvt_run_init(&r1);
  if (lvt_vm_run(vm, &p, &lim, &r0, &e) != LVT_OK) {
    TAP_OK(0, "%s: run original: %s", name, e.msg);
    return 0;
  }
  for (k = 1; k <= K && ok; k++) {
    if (lvt_meta_variant(src, len, prof, which, seed, k, &var, &ap, &e) != LVT_OK) {
      printf("# %s: variant %u: %s\n", name, k, e.msg);
      ok = 0;
      break;
    }
    count_applied(lvt_buf_str(&ap));
    if (!lvt_lua_parses(var.data, var.len, prof, &e)) {
      printf("# %s: variant %u is not valid for profile %s: %s\n", name, k,
             prof == LVT_PROFILE_PORTABLE ? "portable" : prof == LVT_PROFILE_53 ? "5.3" : "5.4", e.msg);
      ok = 0;
      break;
    }
    p.src = var.data;
    p.len = var.len;
    p.prelude = NULL;
    if (lvt_vm_run(vm, &p, &lim, &r1, &e) != LVT_OK) {
      printf("# %s: run variant: %s\n", name, e.msg);
      ok = 0;
    } else if (!same_run(&r0, &r1, &why)) {
      printf("# %s on %s, variant %u (%s): %s\n", name, vm->name, k, lvt_buf_str(&ap),
             lvt_buf_str(&why));
      printf("# --- variant:\n%s\n# ---\n", lvt_buf_str(&var));
      ok = 0;
    }
    if (ok && pend > 0) {
      /* a generated program: the variant keeps its prelude byte for byte,
      ** so the fuzz loop runs it split, which must give the same result */
      LvtProgram sp = {"prog", NULL, 0, NULL, 0};
      if (var.len < pend || memcmp(var.data, src, pend) != 0 ||
          !lvt_gen_split(var.data, var.len, &sp.prelude, &sp.prelude_len, &body)) {
        printf("# %s: variant %u lost its prelude\n", name, k);
        ok = 0;
      } else {   /* (every driver of these VMs keeps preludes) */
        sp.src = body.data;
        sp.len = body.len;
        if (lvt_vm_run(vm, &sp, &lim, &r1, &e) != LVT_OK || !same_run(&r0, &r1, &why)) {
          printf("# %s on %s, variant %u split (%s): %s%s\n", name, vm->name, k,
                 lvt_buf_str(&ap), e.msg, lvt_buf_str(&why));
          ok = 0;
        } else {
          split_variants++;
        }
      }
    }
  }
  if (!quiet || !ok) TAP_OK(ok, "%s on %s: %d variants equivalent", name, vm->name, K);
  lvt_run_reset(&r0);
  lvt_run_reset(&r1);
  lvt_buf_reset(&var);
  lvt_buf_reset(&ap);
  lvt_buf_reset(&why);
  lvt_buf_reset(&body);
  return ok;
}

static LvtVm *open_vm(const char *name);

/* Generated programs of every profile: K variants each equivalent on
** 'vm' (NULL: the reference for every profile, else per profile below). */
static void generated(LvtVm *ref, int n) {
  static const char *const sys[LVT_PROFILE__COUNT] = {"lua5.1", "lua5.3", "lua5.4"};
  int prof;
  for (prof = 0; prof < LVT_PROFILE__COUNT; prof++) {
    LvtGenOpts o;
    LvtBuf b = LVT_BUF_INIT;
    LvtErr e = {0, ""};
    LvtVm *vm = ref, *own = NULL;
    int i, good = 0;
#ifdef SANITIZED
    own = vm = open_vm(sys[prof]);
    if (vm == NULL) {
      printf("# SKIP generated %s programs: no %s\n", prof == 0 ? "portable" : sys[prof], sys[prof]);
      continue;
    }
#else
    (void)sys;
#endif
    lvt_gen_opts_init(&o);
    o.profile = (LvtProfile)prof;
    for (i = 0; i < n; i++) {
      char name[64];
      if (lvt_gen_from_seed(&o, 5000 + (uint64_t)i, &b, &e) != LVT_OK) {
        printf("# generate: %s\n", e.msg);
        continue;
      }
      snprintf(name, sizeof name, "generated %d seed %d", prof, 5000 + i);
      good += check_program(vm, name, b.data, b.len, (LvtProfile)prof, 0, (uint64_t)i, 1);
    }
    TAP_IS_INT(good, n, "profile %d: %d generated programs x %d variants equivalent on %s", prof,
               n, K, vm->name);
    lvt_vm_close(own);
    lvt_buf_reset(&b);
  }
}

/* Generated portable programs on a real 5.1-dialect VM. */
static void generated_on(const char *vmname, int n) {
  LvtVm *vm = open_vm(vmname);
  LvtGenOpts o;
  LvtBuf b = LVT_BUF_INIT;
  LvtErr e = {0, ""};
  int i, good = 0;
  if (vm == NULL) {
    printf("# SKIP generated programs on %s: not available\n", vmname);
    return;
  }
  lvt_gen_opts_init(&o);
  o.profile = LVT_PROFILE_PORTABLE;
  for (i = 0; i < n; i++) {
    char name[64];
    lvt_gen_from_seed(&o, 9000 + (uint64_t)i, &b, &e);
    snprintf(name, sizeof name, "generated portable seed %d", 9000 + i);
    good += check_program(vm, name, b.data, b.len, LVT_PROFILE_PORTABLE, 0, (uint64_t)i, 1);
  }
  TAP_IS_INT(good, n, "%d generated portable programs x %d variants equivalent on %s", n, K,
             vmname);
  lvt_vm_close(vm);
  lvt_buf_reset(&b);
}

static void corpus(LvtVm *vm) {
  char dir[4096];
  DIR *d;
  struct dirent *de;
  LvtBuf b = LVT_BUF_INIT;
  int n = 0;
  snprintf(dir, sizeof dir, "%s/corpus/seeds", srcdir());
  d = opendir(dir);
  if (d == NULL) {
    TAP_OK(0, "open %s", dir);
    return;
  }
  while ((de = readdir(d)) != NULL) {
    char path[8192];
    LvtProfile prof = LVT_PROFILE_54;
    size_t len = strlen(de->d_name);
    if (len < 5 || strcmp(de->d_name + len - 4, ".lua") != 0) continue;
    /* addresses.lua prints addresses on purpose: not comparable */
    if (strcmp(de->d_name, "addresses.lua") == 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    if (!read_file(path, &b)) continue;
    check_program(vm, de->d_name, b.data, b.len, prof, 0, 7, 0);
    n++;
  }
  closedir(d);
  TAP_OK(n >= 5, "%d corpus programs checked", n);
  lvt_buf_reset(&b);
}

static void determinism(void) {
  LvtBuf a = LVT_BUF_INIT, b = LVT_BUF_INIT, c = LVT_BUF_INIT;
  const char *src = progs[0].src;
  size_t len = strlen(src);
  lvt_meta_variant(src, len, LVT_PROFILE_PORTABLE, 0, 99, 1, &a, NULL, NULL);
  lvt_meta_variant(src, len, LVT_PROFILE_PORTABLE, 0, 99, 1, &b, NULL, NULL);
  lvt_meta_variant(src, len, LVT_PROFILE_PORTABLE, 0, 99, 2, &c, NULL, NULL);
  TAP_IS_MEM(a.data, a.len, b.data, b.len, "same seed and k: same variant");
  TAP_OK(a.len != c.len || memcmp(a.data, c.data, a.len) != 0, "another k: another variant");
  {
    const char *g = "-- lvtest-gen 1 profile=5.3 seed=0x2\nlocal x = 1 print(x + 2)\n";
    lvt_meta_variant(g, strlen(g), LVT_PROFILE_53, 0, 5, 1, &a, NULL, NULL);
    TAP_OK(strncmp(lvt_buf_str(&a), g, 37) == 0, "a variant keeps the lvtest-gen header line");
  }
  {
    LvtErr e = {0, ""};
    int rc = lvt_meta_variant("x = = 1", 7, LVT_PROFILE_54, 0, 1, 1, &a, NULL, &e);
    TAP_OK(rc == LVT_ERR_USAGE && strncmp(e.msg, "line 1:", 7) == 0,
           "unparseable source: usage error with the line (%s)", e.msg);
  }
  lvt_buf_reset(&a);
  lvt_buf_reset(&b);
  lvt_buf_reset(&c);
}

/* One rewrite at a time: it fires and each variant is valid for the
** profile (goto-free for portable). */
static void single_kinds(LvtVm *vm) {
  unsigned bit;
  for (bit = 0; bit < 10; bit++) {
    size_t i;
    int all = 1;
    for (i = 0; i < sizeof progs / sizeof progs[0]; i++)
      all &= check_program(vm, progs[i].name, progs[i].src, strlen(progs[i].src),
                           progs[i].profile, 1u << bit, 1000 + bit, 1);
    TAP_OK(all, "rewrite bit %u alone: every program's variants equivalent", bit);
  }
  /* the same on generated programs, whose prelude no rewrite may touch
  ** (renaming its locals in the body alone would break every call) */
  for (bit = 0; bit < 10; bit++) {
    LvtGenOpts o;
    LvtBuf b = LVT_BUF_INIT;
    LvtErr e = {0, ""};
    int i, all = 1;
    lvt_gen_opts_init(&o);
    o.profile = bit % 2 ? LVT_PROFILE_54 : LVT_PROFILE_PORTABLE;
    for (i = 0; i < 8; i++) {
      all &= lvt_gen_from_seed(&o, 7000 + (uint64_t)i, &b, &e) == LVT_OK &&
             check_program(vm, "generated", b.data, b.len, o.profile, 1u << bit, 2000 + bit, 1);
    }
    TAP_OK(all, "rewrite bit %u alone: 8 generated programs' variants equivalent, whole and split",
           bit);
    lvt_buf_reset(&b);
  }
}

int main(void) {
  LvtVm *ref = open_vm("ref");
  size_t i;
  int seedrounds;
  if (ref == NULL) {
    TAP_OK(0, "open the reference");
    return tap_done();
  }
  determinism();
  for (seedrounds = 0; seedrounds < 3; seedrounds++)
    for (i = 0; i < sizeof progs / sizeof progs[0]; i++)
      check_program(ref, progs[i].name, progs[i].src, strlen(progs[i].src),
                    progs[i].profile, 0, 11 + (uint64_t)seedrounds * 1000, 0);
  single_kinds(ref);
  corpus(ref);
  generated(ref, 100);
  {
    static const char *const names[] = {"const-local", "const-upval", "const-field",
                                        "const-call", "paren", "iife", "do-wrap",
                                        "for-while", "dead-code", "rename"};
    size_t k;
    for (k = 0; k < 10; k++)
      TAP_OK(fired[k] >= 100, "rewrite %s fired %d times (>= 100)", names[k], fired[k]);
  }
  TAP_OK(split_variants >= 500, "%d variants of generated programs kept their prelude and ran "
         "split with the same result (>= 500)", split_variants);
  lvt_vm_close(ref);
  /* the real 5.1 and LuaJIT: portable programs, dialect-respecting variants */
  generated_on("lua5.1", 40);
  generated_on("luajit", 40);
  {
    static const char *const real[] = {"lua5.1", "luajit"};
    size_t v;
    for (v = 0; v < 2; v++) {
      LvtVm *vm = open_vm(real[v]);
      if (vm == NULL) {
        printf("# SKIP %s: not available\n", real[v]);
        continue;
      }
      for (i = 0; i < sizeof progs / sizeof progs[0]; i++)
        if (progs[i].profile == LVT_PROFILE_PORTABLE)
          check_program(vm, progs[i].name, progs[i].src, strlen(progs[i].src),
                        LVT_PROFILE_PORTABLE, 0, 5 + v, 0);
      lvt_vm_close(vm);
    }
  }
  return tap_done();
}
