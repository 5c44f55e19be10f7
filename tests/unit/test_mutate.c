/*
** test_mutate.c -- the mutators (lvt_mutate): deterministic, outputs of
** parseable inputs parse (>= 95%, for the input's profile), differ from
** the input, respect max_size, use the donor; garbage and truncated
** inputs do not crash (run under the asan preset too).
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

#define N_PER_FILE 600

static const char *const donor =
    "local q = {z9donor = 1}\n"
    "for k = 1, 3 do q[k] = k * 2 end\n"
    "local function z9fn(a, ...) return a, select('#', ...) end\n"
    "print(z9fn(q[1], 1, 2), q.z9donor)\n";

/* Mutations of every corpus program: parse rate, change rate, donor use. */
static void corpus_rates(void) {
  char dir[4096];
  DIR *d;
  struct dirent *de;
  LvtBuf src = LVT_BUF_INIT, out = LVT_BUF_INIT, canon = LVT_BUF_INIT;
  long total = 0, parsed = 0, changed = 0, donor_used = 0, too_big = 0;
  snprintf(dir, sizeof dir, "%s/corpus/seeds", srcdir());
  d = opendir(dir);
  if (d == NULL) {
    TAP_OK(0, "open %s", dir);
    return;
  }
  while ((de = readdir(d)) != NULL) {
    char path[8192];
    size_t n = strlen(de->d_name);
    int i;
    if (n < 5 || strcmp(de->d_name + n - 4, ".lua") != 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    if (!read_file(path, &src)) continue;
    {   /* the input as the printer writes it: a mutation must differ */
      LvtAst *t = lvt_ast_parse(src.data, src.len, LVT_PROFILE_54, NULL);
      lvt_buf_clear(&canon);
      if (t != NULL) lvt_ast_print(t, 0, &canon);
      lvt_ast_free(t);
    }
    for (i = 0; i < N_PER_FILE; i++) {
      size_t max = src.len * 2 + 256;
      lvt_mutate(src.data, src.len, donor, strlen(donor), max, (uint64_t)i * 7919 + n, &out);
      total++;
      parsed += lvt_lua_parses(out.data, out.len, LVT_PROFILE_54, NULL);
      changed += out.len != canon.len || memcmp(out.data, canon.data, canon.len) != 0;
      donor_used += out.len > 0 && strstr(lvt_buf_str(&out), "z9") != NULL;
      too_big += out.len > max;
    }
  }
  closedir(d);
  TAP_OK(total >= 5 * N_PER_FILE, "%ld mutations of corpus programs", total);
  TAP_OK(parsed * 100 >= total * 95, "%ld of %ld mutations parse (>= 95%%)", parsed, total);
  TAP_OK(changed * 100 >= total * 90, "%ld of %ld mutations change the program", changed, total);
  TAP_OK(donor_used * 100 >= total * 3, "%ld mutations splice from the donor", donor_used);
  TAP_IS_INT(too_big, 0, "no mutation exceeds max_size");
  lvt_buf_reset(&src);
  lvt_buf_reset(&out);
  lvt_buf_reset(&canon);
}

static void determinism(void) {
  const char *src = "local a = 1\nlocal b = a + 2\nprint(a * b, 'x' .. b)\n";
  LvtBuf a = LVT_BUF_INIT, b = LVT_BUF_INIT;
  int i, differ = 0;
  for (i = 0; i < 50; i++) {
    lvt_mutate(src, strlen(src), NULL, 0, 4096, (uint64_t)i, &a);
    lvt_mutate(src, strlen(src), NULL, 0, 4096, (uint64_t)i, &b);
    if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) break;
  }
  TAP_IS_INT(i, 50, "same seed -> same mutation (50 seeds)");
  lvt_mutate(src, strlen(src), NULL, 0, 4096, 77, &a);
  lvt_mutate(src, strlen(src), NULL, 0, 4096, 77, &b);
  TAP_IS_MEM(a.data, a.len, b.data, b.len, "seed 77 twice: same bytes");
  {
    LvtBuf seen[20];
    int j, k;
    for (j = 0; j < 20; j++) {
      lvt_buf_init(&seen[j]);
      lvt_mutate(src, strlen(src), NULL, 0, 4096, (uint64_t)j * 31 + 1, &seen[j]);
    }
    for (j = 0; j < 20; j++) {
      int dup = 0;
      for (k = 0; k < j; k++)
        if (seen[j].len == seen[k].len && memcmp(seen[j].data, seen[k].data, seen[j].len) == 0)
          dup = 1;
      differ += !dup;
    }
    for (j = 0; j < 20; j++) lvt_buf_reset(&seen[j]);
    TAP_OK(differ >= 12, "20 seeds give %d distinct mutations", differ);
  }
  lvt_buf_reset(&a);
  lvt_buf_reset(&b);
}

/* A generated program's header names its profile: portable stays 5.1. */
static void profiles(void) {
  const char *src =
      "-- lvtest-gen 1 profile=portable seed=0x1\n"
      "local t = {}\nfor i = 1, 4 do t[i] = i * 3 % 5 end\n"
      "local s = 0\nfor _, v in ipairs(t) do s = s + v end\nprint(s, #t)\n";
  LvtBuf out = LVT_BUF_INIT;
  int i, ok = 0;
  for (i = 0; i < 300; i++) {
    lvt_mutate(src, strlen(src), NULL, 0, 4096, (uint64_t)i, &out);
    ok += lvt_lua_parses(out.data, out.len, LVT_PROFILE_PORTABLE, NULL);
  }
  TAP_OK(ok * 100 >= 300 * 95, "portable header: %d of 300 mutations are valid 5.1", ok);
  {   /* the header survives chains of mutations */
    LvtBuf cur = LVT_BUF_INIT;
    int kept = 0;
    lvt_buf_set(&cur, src, strlen(src));
    for (i = 0; i < 200; i++) {
      lvt_mutate(cur.data, cur.len, NULL, 0, 4096, (uint64_t)i, &out);
      lvt_buf_set(&cur, out.data, out.len);
      kept += strncmp(lvt_buf_str(&cur), "-- lvtest-gen 1 profile=portable", 32) == 0;
    }
    TAP_OK(kept >= 190, "the lvtest-gen header survives %d of 200 chained mutations", kept);
    TAP_OK(lvt_lua_parses(cur.data, cur.len, LVT_PROFILE_PORTABLE, NULL),
           "after 200 chained mutations the program is still valid 5.1");
    lvt_buf_reset(&cur);
  }
  lvt_buf_reset(&out);
}

static void max_size(void) {
  const char *src = "local x = 1 local y = {x, x + 1, 'abc'} print(x, y[2], #y)\n";
  size_t len = strlen(src), max;
  LvtBuf out = LVT_BUF_INIT;
  int bad = 0, i;
  for (max = 1; max < len + 40; max += 3)
    for (i = 0; i < 20; i++) {
      lvt_mutate(src, len, donor, strlen(donor), max, (uint64_t)(max * 100 + (size_t)i), &out);
      bad += out.len > max;
    }
  TAP_IS_INT(bad, 0, "max_size from 1 to len + 40 always respected");
  {   /* an input bigger than max_size: statements are cut until it fits */
    LvtGenOpts o;
    LvtBuf big = LVT_BUF_INIT;
    int ok = 0, fit = 0;
    lvt_gen_opts_init(&o);
    o.profile = LVT_PROFILE_54;
    lvt_gen_from_seed(&o, 4242, &big, NULL);
    for (i = 0; i < 100; i++) {
      lvt_mutate(big.data, big.len, NULL, 0, big.len / 2, (uint64_t)i, &out);
      fit += out.len <= big.len / 2;
      ok += lvt_lua_parses(out.data, out.len, LVT_PROFILE_54, NULL);
    }
    TAP_IS_INT(fit, 100, "a %zu-byte program with max_size %zu: every output fits", big.len,
               big.len / 2);
    TAP_OK(ok >= 95, "... and %d of 100 still parse (statements cut, not bytes)", ok);
    lvt_buf_reset(&big);
  }
  lvt_buf_reset(&out);
}

/* Garbage: random bytes, every prefix of a program, pathological nesting. */
static void garbage(void) {
  LvtBuf in = LVT_BUF_INIT, out = LVT_BUF_INIT;
  uint64_t s = 12345;
  int i, j, n_ok = 0;
  for (i = 0; i < 500; i++) {
    size_t n = (size_t)(i % 200);
    lvt_buf_clear(&in);
    for (j = 0; j < (int)n; j++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      lvt_buf_addc(&in, (int)(s >> 56));
    }
    lvt_mutate(in.data, in.len, in.data, in.len, 300, (uint64_t)i, &out);
    n_ok += out.len <= 300;
  }
  TAP_IS_INT(n_ok, 500, "random bytes: 500 mutations within max_size, no crash");
  {
    const char *prog = "local function f(a, ...) if a then return {a, ...} end end\n"
                       "for i = 1, 3 do print(f(i, 'x', [[y]])) end\n";
    size_t len = strlen(prog), k;
    n_ok = 0;
    for (k = 0; k <= len; k++) {
      lvt_mutate(prog, k, prog, len, 4096, k, &out);
      n_ok += out.len <= 4096;
    }
    TAP_IS_INT(n_ok, (int)len + 1, "every prefix of a program mutates without a crash");
  }
  lvt_buf_clear(&in);
  for (i = 0; i < 5000; i++) lvt_buf_adds(&in, "(");
  lvt_mutate(in.data, in.len, NULL, 0, 100000, 1, &out);
  TAP_OK(out.len <= 100000, "5000 open parentheses: no stack overflow");
  lvt_buf_clear(&in);
  lvt_buf_adds(&in, "x = 1");
  for (i = 0; i < 900; i++) lvt_buf_adds(&in, " + 1");
  lvt_mutate(in.data, in.len, NULL, 0, 100000, 2, &out);
  TAP_OK(lvt_lua_parses(out.data, out.len, LVT_PROFILE_54, NULL),
         "a 900-term sum mutates into a parseable program");
  for (i = 0; i < 20; i++) lvt_mutate(NULL, 0, NULL, 0, 64, (uint64_t)i, &out);
  TAP_OK(out.len <= 64, "NULL input of length 0: a mutation of at most 64 bytes");
  lvt_mutate("x", 1, NULL, 0, 0, 3, &out);
  TAP_IS_INT(out.len, 0, "max_size 0: empty output");
  lvt_buf_reset(&in);
  lvt_buf_reset(&out);
}

/* Generated programs of each profile: mutations stay valid for it. */
static void generated(void) {
  int prof;
  for (prof = 0; prof < LVT_PROFILE__COUNT; prof++) {
    LvtGenOpts o;
    LvtBuf src = LVT_BUF_INIT, out = LVT_BUF_INIT, don = LVT_BUF_INIT;
    int i, ok = 0, n = 0;
    lvt_gen_opts_init(&o);
    o.profile = (LvtProfile)prof;
    for (i = 0; i < 30; i++) {
      int j;
      lvt_gen_from_seed(&o, 700 + (uint64_t)i, &src, NULL);
      lvt_gen_from_seed(&o, 900 + (uint64_t)i, &don, NULL);
      for (j = 0; j < 20; j++) {
        lvt_mutate(src.data, src.len, don.data, don.len, src.len * 2, (uint64_t)(i * 100 + j), &out);
        ok += lvt_lua_parses(out.data, out.len, (LvtProfile)prof, NULL);
        n++;
      }
    }
    TAP_OK(ok * 100 >= n * 95, "profile %d: %d of %d mutations of generated programs valid for it",
           prof, ok, n);
    lvt_buf_reset(&src);
    lvt_buf_reset(&out);
    lvt_buf_reset(&don);
  }
}

int main(void) {
  determinism();
  generated();
  corpus_rates();
  profiles();
  max_size();
  garbage();
  return tap_done();
}
