/*
** test_afl_mutator.c -- the AFL++ custom mutator library
** (fuzz/targets/afl_mutator.c) as afl-fuzz uses it: dlopen()ed, its
** afl_custom_* entry points found by name, init/fuzz/describe/deinit
** called. Checks: only the API is exported; every result is non-empty,
** within 'max_size' and in the library's own buffer; mutants of parseable
** programs parse; mutations change programs and use the donor; the same
** seed gives the same mutants.
*/
#include <dirent.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lvt_meta.h"
#include "util/lvt_base.h"

#ifndef LVT_AFL_MUTATOR_SO
/* The afl preset does not build the library (its compiler would
** instrument it): nothing to test there. */
int main(void) {
  printf("1..0 # SKIP the custom mutator library is not built in this preset (afl)\n");
  return 0;
}
#else
#include "tests/tap.h"

typedef void *(*InitFn)(void *, unsigned);
typedef size_t (*FuzzFn)(void *, uint8_t *, size_t, uint8_t **, uint8_t *,
                         size_t, size_t);
typedef const char *(*DescFn)(void *, size_t);
typedef void (*DeinitFn)(void *);

static InitFn m_init;
static FuzzFn m_fuzz;
static DescFn m_desc;
static DeinitFn m_deinit;

/* Seed programs: a few here, the rest from fuzz/seeds/ (not escapes). */
static const char *inline_progs[] = {
  "local a, b = 1, 2\nprint(a + b * 3, a .. b)\n",
  "local t = {}\nfor i = 1, 10 do t[#t + 1] = i * i end\nprint(table.concat(t, ','))\n",
  "local function f(x) if x > 1 then return x * f(x - 1) end return 1 end\nprint(f(5))\n",
  "local s = 'abc'\nwhile #s < 10 do s = s .. s:sub(1, 1) end\nprint(s:upper())\n",
};
static LvtBuf progs[64];
static size_t nprogs;

static void load_progs(void) {
  const char *src = getenv("LVT_SOURCE_DIR");
  char dir[4096], path[4600];
  DIR *d;
  struct dirent *de;
  size_t i;
  for (i = 0; i < sizeof inline_progs / sizeof *inline_progs; i++)
    lvt_buf_set(&progs[nprogs++], inline_progs[i], strlen(inline_progs[i]));
  if (src == NULL) return;
  snprintf(dir, sizeof dir, "%s/fuzz/seeds", src);
  if ((d = opendir(dir)) == NULL) return;
  while ((de = readdir(d)) != NULL && nprogs < sizeof progs / sizeof *progs) {
    FILE *f;
    char chunk[4096];
    size_t n;
    if (strncmp(de->d_name, "escape-", 7) == 0 || strstr(de->d_name, ".lua") == NULL)
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    if ((f = fopen(path, "rb")) == NULL) continue;
    lvt_buf_init(&progs[nprogs]);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) lvt_buf_add(&progs[nprogs], chunk, n);
    fclose(f);
    nprogs++;
  }
  closedir(d);
}

/* Runs 'rounds' mutations per program on a mutator seeded with 'seed';
** appends every mutant to 'all' (length-prefixed) when not NULL. */
static void mutate_all(unsigned seed, int rounds, size_t max_size, LvtBuf *all,
                       int *bad_len, int *unparsed, int *parsed_in,
                       int *changed, int *total) {
  void *m = m_init(NULL, seed);
  size_t i;
  int r;
  for (i = 0; i < nprogs; i++) {
    const LvtBuf *p = &progs[i], *donor = &progs[(i + 1) % nprogs];
    int parses = lvt_lua_parses(p->data, p->len, LVT_PROFILE_54, NULL);
    for (r = 0; r < rounds; r++) {
      uint8_t *out = NULL;
      /* afl-fuzz hands over its own copies; so do we */
      uint8_t *in = malloc(p->len + 1), *add = malloc(donor->len + 1);
      size_t n;
      memcpy(in, p->data, p->len);
      memcpy(add, donor->data, donor->len);
      n = m_fuzz(m, in, p->len, &out, add, donor->len, max_size);
      (*total)++;
      if (n == 0 || n > max_size || out == NULL || out == in || out == add) (*bad_len)++;
      else {
        if (parses) {
          (*parsed_in)++;
          if (!lvt_lua_parses((const char *)out, n, LVT_PROFILE_54, NULL)) (*unparsed)++;
        }
        if (n != p->len || memcmp(out, p->data, n) != 0) (*changed)++;
        if (all != NULL) {
          lvt_buf_addf(all, "%zu:", n);
          lvt_buf_add(all, out, n);
        }
      }
      free(in);
      free(add);
    }
  }
  m_deinit(m);
}

int main(void) {
  void *lib = dlopen(LVT_AFL_MUTATOR_SO, RTLD_NOW | RTLD_LOCAL);
  int bad = 0, unparsed = 0, parsed_in = 0, changed = 0, total = 0;
  LvtBuf a = LVT_BUF_INIT, b = LVT_BUF_INIT;
  if (!TAP_OK(lib != NULL, "dlopen %s", LVT_AFL_MUTATOR_SO)) {
    printf("#   %s\n", dlerror());
    return tap_done();
  }
  m_init = (InitFn)(uintptr_t)dlsym(lib, "afl_custom_init");
  m_fuzz = (FuzzFn)(uintptr_t)dlsym(lib, "afl_custom_fuzz");
  m_desc = (DescFn)(uintptr_t)dlsym(lib, "afl_custom_describe");
  m_deinit = (DeinitFn)(uintptr_t)dlsym(lib, "afl_custom_deinit");
  TAP_OK(m_init && m_fuzz && m_desc && m_deinit,
         "afl_custom_init, _fuzz, _describe and _deinit are exported");
  TAP_OK(dlsym(lib, "lvt_mutate") == NULL && dlsym(lib, "lvt_buf_add") == NULL,
         "lvtcore's symbols are not exported (no clash with afl-fuzz)");
  if (!(m_init && m_fuzz && m_desc && m_deinit)) return tap_done();

  load_progs();
  TAP_OK(nprogs >= 10, "seed programs loaded (%zu)", nprogs);

  mutate_all(1, 40, 4096, &a, &bad, &unparsed, &parsed_in, &changed, &total);
  TAP_IS_INT(bad, 0, "every result is non-empty, within max_size, in the library's buffer (%d mutations)", total);
  TAP_OK(parsed_in > 0 && unparsed * 100 <= parsed_in,
         "mutants of parseable programs parse (%d of %d do not)", unparsed, parsed_in);
  TAP_OK(changed * 10 >= total * 7, "mutations change the program (%d of %d)", changed, total);

  /* Tight limits: max_size smaller than the input. */
  bad = unparsed = parsed_in = changed = total = 0;
  mutate_all(2, 10, 24, NULL, &bad, &unparsed, &parsed_in, &changed, &total);
  TAP_IS_INT(bad, 0, "max_size 24: every result has 1..24 bytes (%d mutations)", total);
  bad = unparsed = parsed_in = changed = total = 0;
  mutate_all(3, 5, 1, NULL, &bad, &unparsed, &parsed_in, &changed, &total);
  TAP_IS_INT(bad, 0, "max_size 1: every result has exactly 1 byte (%d mutations)", total);

  /* Determinism: afl-fuzz's seed decides everything. */
  bad = unparsed = parsed_in = changed = total = 0;
  mutate_all(1, 40, 4096, &b, &bad, &unparsed, &parsed_in, &changed, &total);
  TAP_OK(a.len > 0 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
         "the same seed gives the same mutants (%zu bytes)", a.len);
  lvt_buf_clear(&b);
  mutate_all(99, 40, 4096, &b, &bad, &unparsed, &parsed_in, &changed, &total);
  TAP_OK(a.len != b.len || memcmp(a.data, b.data, a.len) != 0,
         "another seed gives other mutants");

  /* Empty input, no donor: still a non-empty result. */
  {
    void *m = m_init(NULL, 5);
    uint8_t *out = NULL, empty = 0;
    size_t n = m_fuzz(m, &empty, 0, &out, NULL, 0, 100);
    const char *d = m_desc(m, 10);
    TAP_OK(n >= 1 && n <= 100 && out != NULL, "empty input, no donor: %zu bytes", n);
    TAP_IS_STR(d, "lvt_mutate", "describe: cut to max_description_len 10");
    d = m_desc(m, 200);
    TAP_OK(d != NULL && strncmp(d, "lvt_mutate-", 11) == 0 && strlen(d) == 27,
           "describe names the mutation's seed (\"%s\")", d ? d : "(null)");
    m_deinit(m);
  }
  m_deinit(NULL);
  TAP_OK(1, "deinit(NULL) is a no-op");
  lvt_buf_reset(&a);
  lvt_buf_reset(&b);
  for (size_t i = 0; i < nprogs; i++) lvt_buf_reset(&progs[i]);
  dlclose(lib);
  return tap_done();
}
#endif
