/*
** lvt_suite_expect.c -- expected-failure lists: reading them (strictly: a
** malformed line is an error that names it, never an entry silently lost)
** and looking tests up in them.
*/
#include "lvt_suite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvt_exec.h"

void lvt_expect_init(LvtExpect *x) { memset(x, 0, sizeof *x); }

static void entry_reset(LvtExpectEntry *en) {
  free(en->file);
  free(en->name);
  free(en->reason);
  free(en->where);
}

void lvt_expect_reset(LvtExpect *x) {
  size_t i;
  for (i = 0; i < x->n; i++) entry_reset(&x->ent[i]);
  for (i = 0; i < x->nlists; i++) free(x->lists[i]);
  free(x->ent);
  free(x->lists);
  lvt_expect_init(x);
}

const char *lvt_suite_basename(const char *path) {
  const char *s = strrchr(path, '/');
  return s != NULL ? s + 1 : path;
}

/* Orders entries by name (bytes, then length), so lookups can bisect. */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen) {
  int c = memcmp(a, b, alen < blen ? alen : blen);
  if (c != 0) return c;
  return alen < blen ? -1 : alen > blen;
}

static int entry_cmp(const void *pa, const void *pb) {
  const LvtExpectEntry *a = pa, *b = pb;
  return name_cmp(a->name, a->name_len, b->name, b->name_len);
}

static int is_blank(int c) { return c == ' ' || c == '\t' || c == '\r'; }

/* A "<file>:" prefix: no blank in it, and a name ending in .t or .lua.
** Returns the length of the file part, or 0. */
static size_t file_prefix(const char *s, size_t n) {
  const char *colon = memchr(s, ':', n);
  size_t k, i;
  if (colon == NULL) return 0;
  k = (size_t)(colon - s);
  for (i = 0; i < k; i++)
    if (is_blank((unsigned char)s[i])) return 0;
  if (k > 2 && memcmp(s + k - 2, ".t", 2) == 0) return k;
  if (k > 4 && memcmp(s + k - 4, ".lua", 4) == 0) return k;
  return 0;
}

/* Parses line 'lineno' ('s[0..n)', no '\n') into 'en'. Returns 1 for an
** entry, 0 for a blank or comment line, -1 with 'e' set (LVT_ERR_USAGE)
** when the line is malformed. */
#define BAD(...) (lvt_err_set(e, LVT_ERR_USAGE, __VA_ARGS__), -1)
static int parse_line(const char *path, const char *shown, unsigned lineno, const char *s,
                      size_t n, const char *implied, LvtExpectEntry *en, LvtErr *e) {
  const char *tab;
  size_t i = 0, klen, fl, r0, k;
  LvtBuf w = LVT_BUF_INIT;
  while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ')) n--;
  while (i < n && s[i] == ' ') i++;
  if (i == n || s[i] == '#') return 0;
  if ((tab = memchr(s, '\t', n)) == NULL)
    return BAD("%s:%u: expected '<test name><TAB><reason>' (no TAB in the line)",
                       path, lineno);
  klen = (size_t)(tab - s);
  while (n > klen + 1 && is_blank((unsigned char)s[n - 1])) n--;
  for (r0 = klen + 1; r0 < n && is_blank((unsigned char)s[r0]);) r0++;
  if (r0 >= n)
    return BAD("%s:%u: no reason after the TAB: say why the test fails", path,
                       lineno);
  while (klen > i && is_blank((unsigned char)s[klen - 1])) klen--;
  if (klen == i)
    return BAD("%s:%u: no test name before the TAB", path,
                       lineno);
  memset(en, 0, sizeof *en);
  if ((fl = file_prefix(s + i, klen - i)) > 0) {
    char *f = lvt_xstrndup(s + i, fl);
    en->file = lvt_xstrdup(lvt_suite_basename(f));
    free(f);
    i += fl + 1;
  } else if (implied != NULL) {
    en->file = lvt_xstrdup(implied);
  }
  /* The name, with '\#' read as '#' (as the TAP parser reads names). An
  ** empty name after "<file>:" names nothing a test can have: refused. */
  if (klen == i) {
    free(en->file);
    return BAD("%s:%u: no test name after the file name", path,
                       lineno);
  }
  en->name = lvt_xmalloc(klen - i + 1);
  for (k = 0; i < klen; i++) {
    if (s[i] == '\\' && i + 1 < klen && s[i + 1] == '#') i++;
    en->name[k++] = s[i];
  }
  en->name[k] = '\0';
  en->name_len = k;
  en->reason = lvt_xstrndup(s + r0, n - r0);
  lvt_buf_addf(&w, "%s:%u", shown, lineno);
  en->where = lvt_xstrdup(lvt_buf_str(&w));
  lvt_buf_reset(&w);
  return 1;
}

/* Removes the entries among the first 'n0' of 'x' that name the same
** test of the same file(s) as 'en'. Returns how many it removed. */
static size_t cancel_entry(LvtExpect *x, size_t n0, const LvtExpectEntry *en) {
  size_t i, k = 0, removed = 0;
  for (i = 0; i < x->n; i++) {
    LvtExpectEntry *it = &x->ent[i];
    int same = i < n0 && it->name_len == en->name_len &&
               memcmp(it->name, en->name, en->name_len) == 0 &&
               ((it->file == NULL && en->file == NULL) ||
                (it->file != NULL && en->file != NULL && strcmp(it->file, en->file) == 0));
    if (same) {
      entry_reset(it);
      removed++;
      continue;
    }
    x->ent[k++] = *it;
  }
  x->n = k;
  return removed;
}

int lvt_expect_load(LvtExpect *x, const char *path, const char *shown, const char *implied,
                    LvtErr *e) {
  LvtSource src;
  LvtExpectEntry en;
  size_t i = 0, n0 = x->n, len;
  unsigned lineno = 0;
  const char *d;
  if (lvt_source_load(&src, path, e) != LVT_OK) return LVT_ERR_IO;
  d = src.text.data != NULL ? src.text.data : "";
  len = src.text.len;
  while (i < len) {
    const char *nl = memchr(d + i, '\n', len - i);
    size_t end = nl != NULL ? (size_t)(nl - d) : len;
    int rc = parse_line(path, shown ? shown : path, ++lineno, d + i, end - i, implied, &en, e);
    if (rc < 0) {
      while (x->n > n0) entry_reset(&x->ent[--x->n]);
      lvt_source_reset(&src);
      return LVT_ERR_USAGE;
    }
    if (rc > 0 && strncmp(en.reason, "pass:", 5) == 0) {
      /* This VM passes a test that a list loaded before (its dialect's)
      ** expects to fail: the earlier entry is cancelled. */
      size_t removed = cancel_entry(x, n0, &en);
      n0 -= removed;
      if (removed == 0) {
        lvt_err_set(e, LVT_ERR_USAGE,
                    "%s:%u: a 'pass:' entry cancels an entry of a list loaded before it, "
                    "and no such entry names '%s'",
                    shown ? shown : path, lineno, en.name);
        entry_reset(&en);
        while (x->n > n0) entry_reset(&x->ent[--x->n]);
        lvt_source_reset(&src);
        return LVT_ERR_USAGE;
      }
      entry_reset(&en);
    } else if (rc > 0) {
      x->ent = lvt_xrealloc(x->ent, (x->n + 1) * sizeof *x->ent);
      x->ent[x->n++] = en;
    }
    i = end + 1;
  }
  lvt_source_reset(&src);
  if (x->n > 1) qsort(x->ent, x->n, sizeof *x->ent, entry_cmp);   /* x->ent may be NULL */
  x->lists = lvt_xrealloc(x->lists, (x->nlists + 1) * sizeof *x->lists);
  x->lists[x->nlists++] = lvt_xstrdup(shown ? shown : path);
  return LVT_OK;
}

LvtExpectEntry *lvt_expect_find(LvtExpect *x, const char *file, const char *name,
                                size_t len) {
  size_t lo = 0, hi = x->n, i;
  LvtExpectEntry *any = NULL;
  while (lo < hi) {   /* the first entry not below 'name' */
    size_t mid = lo + (hi - lo) / 2;
    if (name_cmp(x->ent[mid].name, x->ent[mid].name_len, name, len) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (i = lo; i < x->n && name_cmp(x->ent[i].name, x->ent[i].name_len, name, len) == 0;
       i++) {
    LvtExpectEntry *en = &x->ent[i];
    if (en->file != NULL && strcmp(en->file, file) == 0) {
      en->used = 1;
      return en;
    }
    if (en->file == NULL && any == NULL) any = en;
  }
  if (any != NULL) any->used = 1;
  return any;
}

const char *lvt_suite_list_vm(const char *arg, char *vm, size_t size) {
  const char *eq = strchr(arg, '=');
  size_t n = eq ? (size_t)(eq - arg) : 0;
  vm[0] = '\0';
  if (eq == NULL || n == 0 || n >= size || memchr(arg, '/', n) != NULL) return arg;
  memcpy(vm, arg, n);
  vm[n] = '\0';
  return eq + 1;
}

int lvt_suite_check_list(const char *arg, LvtErr *e) {
  LvtExpect x;
  char vm[64];
  const char *path = lvt_suite_list_vm(arg, vm, sizeof vm);
  int rc;
  lvt_expect_init(&x);
  rc = lvt_expect_load(&x, path, NULL, NULL, e);
  lvt_expect_reset(&x);
  return rc;
}
