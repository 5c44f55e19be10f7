/*
** test_mutate.c -- the mutators (lvt_mutate): deterministic, outputs of
** parseable inputs parse (>= 95%, for the input's profile), differ from
** the input, respect max_size, use the donor; garbage and truncated
** inputs do not crash (run under the asan preset too).
*/
#include "fuzz/lvt_meta.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"

static const char *srcdir(void) {
  const char *s = getenv("LVT_SOURCE_DIR");
  return s != NULL ? s : ".";
}

static int read_file(const char *path, LvtBuf *b) {
  FILE *f = fopen(path, "rb");
  char tmp[65536];
  size_t n;
  if (f == NULL) return 0;
  lvt_buf_clear(b);
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) lvt_buf_add(b, tmp, n);
  fclose(f);
  return 1;
}

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
  LvtBuf src = LVT_BUF_INIT, out = LVT_BUF_INIT;
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
    for (i = 0; i < N_PER_FILE; i++) {
      size_t max = src.len * 2 + 256;
      lvt_mutate(src.data, src.len, donor, strlen(donor), max, (uint64_t)i * 7919 + n, &out);
      total++;
      parsed += lvt_lua_parses(out.data, out.len, LVT_PROFILE_54, NULL);
      changed += out.len != src.len || memcmp(out.data, src.data, src.len) != 0;
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
  lvt_buf_reset(&in);
  lvt_buf_reset(&out);
}

int main(void) {
  determinism();
  corpus_rates();
  profiles();
  max_size();
  garbage();
  return tap_done();
}
