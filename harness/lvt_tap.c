/*
** lvt_tap.c -- the TAP parser (see lvt_tap.h for the grammar it accepts).
**
** One pass, line by line; validation that needs the whole stream (the plan
** against the count) happens in lvt_tap_finish.
*/
#include "lvt_tap.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Test numbers above this are checked for order but not for duplicates
** (the 'seen' table would be too large for what it finds). */
#define MAX_TRACKED_NUMBER (1u << 20)

/* How much of a garbage line a problem quotes. */
#define QUOTE_MAX 60

void lvt_tap_init(LvtTapResult *r) {
  memset(r, 0, sizeof *r);
  r->plan = -1;
  lvt_buf_init(&r->head_diag);
}

void lvt_tap_reset(LvtTapResult *r) {
  size_t i;
  for (i = 0; i < r->ntests; i++) {
    free(r->tests[i].name);
    free(r->tests[i].reason);
    lvt_buf_reset(&r->tests[i].diag);
  }
  for (i = 0; i < r->nproblems; i++) free(r->problems[i].text);
  free(r->tests);
  free(r->problems);
  free(r->skip_reason);
  free(r->bail_reason);
  free(r->seen);
  lvt_buf_reset(&r->head_diag);
  lvt_tap_init(r);
}

/* =====================================================================
** Small scanning helpers (on explicit lengths: lines may hold NULs)
** ===================================================================== */

static int is_space(int c) { return c == ' ' || c == '\t'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_word(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static size_t skip_space(const char *s, size_t i, size_t n) {
  while (i < n && is_space((unsigned char)s[i])) i++;
  return i;
}

/* Length of 's[0..n)' without its trailing blanks. */
static size_t trim_right(const char *s, size_t n) {
  while (n > 0 && is_space((unsigned char)s[n - 1])) n--;
  return n;
}

/* 1 when 's[i..n)' starts with 'word' (any case) followed by a byte that
** is not a word character, or by the end. */
static int has_keyword(const char *s, size_t i, size_t n, const char *word) {
  size_t k = strlen(word), j;
  if (n - i < k) return 0;
  for (j = 0; j < k; j++) {
    int c = (unsigned char)s[i + j];
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c != word[j]) return 0;
  }
  return i + k == n || !is_word((unsigned char)s[i + k]);
}

/* Reads the decimal number at 's[*i..n)'; advances '*i'. Saturates at
** INT_MAX. Returns -1 when there is no digit. */
static long read_number(const char *s, size_t *i, size_t n) {
  long v = 0;
  size_t j = *i;
  if (j >= n || !is_digit((unsigned char)s[j])) return -1;
  for (; j < n && is_digit((unsigned char)s[j]); j++)
    v = v > (INT_MAX - 9) / 10 ? INT_MAX : v * 10 + (s[j] - '0');
  *i = j;
  return v;
}

/* =====================================================================
** Recording
** ===================================================================== */

static void problem(LvtTapResult *r, unsigned line, int fatal, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Adds a problem (kept up to LVT_TAP_MAX_PROBLEMS, counted beyond). */
static void problem(LvtTapResult *r, unsigned line, int fatal, const char *fmt, ...) {
  LvtBuf b = LVT_BUF_INIT;
  va_list ap;
  if (fatal) r->nfatal++;
  if (r->nproblems >= LVT_TAP_MAX_PROBLEMS) {
    r->nproblems_cut++;
    return;
  }
  va_start(ap, fmt);
  lvt_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  r->problems = lvt_xrealloc(r->problems, (r->nproblems + 1) * sizeof *r->problems);
  r->problems[r->nproblems].line = line;
  r->problems[r->nproblems].fatal = fatal;
  r->problems[r->nproblems].text = lvt_xstrdup(lvt_buf_str(&b));
  r->nproblems++;
  lvt_buf_reset(&b);
}

/* Marks test number 'num' seen; returns 1 when it was seen before. */
static int mark_seen(LvtTapResult *r, int num) {
  size_t k = (size_t)num;
  if (num <= 0 || k >= MAX_TRACKED_NUMBER) return 0;
  if (k >= r->nseen) {
    size_t cap = r->nseen ? r->nseen : 64;
    while (cap <= k) cap *= 2;
    r->seen = lvt_xrealloc(r->seen, cap);
    memset(r->seen + r->nseen, 0, cap - r->nseen);
    r->nseen = cap;
  }
  if (r->seen[k]) return 1;
  r->seen[k] = 1;
  return 0;
}

/* Copies 'p[0..n)' with every "\#" read as "#"; sets '*len'. */
static char *unescape_name(const char *p, size_t n, size_t *len) {
  char *out = lvt_xmalloc(n + 1);
  size_t i, k = 0;
  for (i = 0; i < n; i++) {
    if (p[i] == '\\' && i + 1 < n && p[i + 1] == '#') i++;
    out[k++] = p[i];
  }
  out[k] = '\0';
  *len = k;
  return out;
}

/* =====================================================================
** Line kinds
** ===================================================================== */

/* "ok ..." / "not ok ...": 'i' is just after "ok". */
static void parse_test(LvtTapResult *r, const char *s, size_t i, size_t n, int ok) {
  LvtTapTest *t;
  long num;
  size_t desc, end, hash;
  unsigned line = r->nlines;
  i = skip_space(s, i, n);
  num = read_number(s, &i, n);
  i = skip_space(s, i, n);
  if (i < n && s[i] == '-' && (i + 1 == n || is_space((unsigned char)s[i + 1])))
    i = skip_space(s, i + 1, n);
  r->tests = lvt_xrealloc(r->tests, (r->ntests + 1) * sizeof *r->tests);
  t = memset(&r->tests[r->ntests++], 0, sizeof *t);
  lvt_buf_init(&t->diag);
  t->ok = ok;
  t->line = line;
  t->number = num >= 0 ? (int)num : (int)r->ntests;
  /* The directive is at the first '#' not escaped by a backslash. */
  desc = i;
  end = n;
  for (hash = i; hash < n; hash++) {
    if (s[hash] == '\\' && hash + 1 < n) {
      hash++;
      continue;
    }
    if (s[hash] == '#') break;
  }
  if (hash < n) {
    size_t k = skip_space(s, hash + 1, n);
    if (has_keyword(s, k, n, "skip")) t->directive = LVT_TAP_SKIP;
    else if (has_keyword(s, k, n, "todo")) t->directive = LVT_TAP_TODO;
    if (t->directive != LVT_TAP_NONE) {
      end = hash;
      k = skip_space(s, k + 4, n);
      t->reason_len = trim_right(s + k, n - k);
      t->reason = lvt_xstrndup(s + k, t->reason_len);
    }
  }
  if (t->reason == NULL) t->reason = lvt_xstrdup("");
  t->name = unescape_name(s + desc, trim_right(s + desc, end - desc), &t->name_len);
  /* Counts. */
  if (t->directive == LVT_TAP_TODO) {
    r->todo++;
    if (ok) r->todo_passed++;
  } else if (!ok) {
    r->failed++;
  } else if (t->directive == LVT_TAP_SKIP) {
    r->skipped++;
  } else {
    r->passed++;
  }
  /* Sequence. */
  if (r->plan >= 0 && (r->plan_at_end || r->skip_all))
    problem(r, line, 1, "line %u: test %d after the plan (line %u)", line, t->number,
            r->plan_line);
  if (mark_seen(r, t->number))
    problem(r, line, 1, "line %u: test number %d is duplicated", line, t->number);
  else if (t->number != (int)r->ntests)
    problem(r, line, 1, "line %u: test number %d out of sequence (expected %zu)", line,
            t->number, r->ntests);
}

/* "1..N [# SKIP reason]". Returns 0 when the line is not a plan. */
static int parse_plan(LvtTapResult *r, const char *s, size_t n) {
  size_t i = 3, k;
  long num = read_number(s, &i, n);
  unsigned line = r->nlines;
  if (num < 0) return 0;
  i = skip_space(s, i, n);
  if (i < n && s[i] != '#') return 0;
  if (r->plan >= 0) {
    problem(r, line, 1, "line %u: a second plan (the first is at line %u)", line,
            r->plan_line);
    return 1;
  }
  r->plan = (int)num;
  r->plan_line = line;
  r->plan_at_end = r->ntests > 0;
  if (num == 0) {
    r->skip_all = 1;
    k = i < n ? skip_space(s, i + 1, n) : n;
    if (has_keyword(s, k, n, "skip")) k = skip_space(s, k + 4, n);
    r->skip_reason = lvt_xstrndup(s + k, trim_right(s + k, n - k));
  }
  return 1;
}

/* "# text": diagnostics of the last test (or of the head of the file). */
static void parse_diag(LvtTapResult *r, const char *s, size_t n) {
  LvtBuf *b = r->ntests > 0 ? &r->tests[r->ntests - 1].diag : &r->head_diag;
  size_t i = 1;
  if (i < n && s[i] == ' ') i++;
  lvt_buf_add(b, s + i, n - i);
  lvt_buf_addc(b, '\n');
}

static void garbage(LvtTapResult *r, const char *s, size_t n) {
  LvtBuf q = LVT_BUF_INIT;
  r->garbage++;
  lvt_buf_add_escaped(&q, s, n, QUOTE_MAX, LVT_ESC_QUOTE);
  problem(r, r->nlines, 0, "line %u is not TAP: %s", r->nlines, lvt_buf_str(&q));
  lvt_buf_reset(&q);
}

/* 1 when 's' is blanks, then 'mark' ("---" or "..."), then blanks. */
static int is_yaml_mark(const char *s, size_t n, const char *mark) {
  size_t i = skip_space(s, 0, n);
  if (i == 0 || n - i < 3 || memcmp(s + i, mark, 3) != 0) return 0;
  return skip_space(s, i + 3, n) == n;
}

void lvt_tap_feed(LvtTapResult *r, const char *s, size_t n) {
  int was_test = r->last_was_test;
  if (n > 0 && s[n - 1] == '\r') n--;
  r->nlines++;
  if (r->bailed) return;
  if (r->yaml_line) {
    if (is_yaml_mark(s, n, "...")) {
      r->yaml_line = 0;
      return;
    }
    if (n == 0 || is_space((unsigned char)s[0])) return;
    problem(r, r->nlines, 0, "line %u: YAML block from line %u not closed with '...'",
            r->nlines, r->yaml_line);
    r->yaml_line = 0;
  }
  if (skip_space(s, 0, n) == n) return;   /* blank */
  r->last_was_test = 0;
  if (n >= 2 && memcmp(s, "ok", 2) == 0 && (n == 2 || is_space((unsigned char)s[2]))) {
    parse_test(r, s, 2, n, 1);
    r->last_was_test = 1;
  } else if (n >= 6 && memcmp(s, "not ok", 6) == 0 &&
             (n == 6 || is_space((unsigned char)s[6]))) {
    parse_test(r, s, 6, n, 0);
    r->last_was_test = 1;
  } else if (s[0] == '#') {
    parse_diag(r, s, n);
    r->last_was_test = was_test;   /* a YAML block may follow diagnostics */
  } else if (n >= 3 && memcmp(s, "1..", 3) == 0 && parse_plan(r, s, n)) {
    /* done */
  } else if (n >= 9 && strncasecmp(s, "bail out!", 9) == 0) {
    size_t k = skip_space(s, 9, n);
    r->bailed = 1;
    r->bail_reason = lvt_xstrndup(s + k, trim_right(s + k, n - k));
  } else if (n >= 12 && memcmp(s, "TAP version ", 12) == 0) {
    size_t k = 12;
    long v = read_number(s, &k, n);
    if (v < 0 || skip_space(s, k, n) != n) garbage(r, s, n);
    else if (r->nlines != 1)
      problem(r, r->nlines, 0, "line %u: 'TAP version' is not the first line", r->nlines);
    else r->version = (int)v;
  } else if (was_test && is_yaml_mark(s, n, "---")) {
    r->yaml_line = r->nlines;
  } else {
    garbage(r, s, n);
  }
}

void lvt_tap_finish(LvtTapResult *r) {
  if (r->yaml_line)
    problem(r, r->yaml_line, 0, "line %u: YAML block not closed with '...'", r->yaml_line);
  if (!r->bailed) {
    if (r->plan < 0 && r->ntests == 0)
      problem(r, 0, 1, "no plan and no test: no TAP output");
    else if (r->plan < 0)
      problem(r, 0, 1, "no plan: the output stops after test %d (truncated?)",
              r->tests[r->ntests - 1].number);
    else if ((size_t)r->plan != r->ntests)
      problem(r, 0, 1, "planned %d test%s but ran %zu", r->plan, r->plan == 1 ? "" : "s",
              r->ntests);
  }
  if (r->skip_reason == NULL) r->skip_reason = lvt_xstrdup("");
  if (r->bail_reason == NULL) r->bail_reason = lvt_xstrdup("");
  r->ok = r->plan >= 0 && !r->bailed && r->failed == 0 && r->nfatal == 0;
}

void lvt_tap_parse(LvtTapResult *r, const char *data, size_t len) {
  size_t i = 0;
  lvt_tap_reset(r);
  while (i < len) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t end = nl != NULL ? (size_t)(nl - data) : len;
    lvt_tap_feed(r, data + i, end - i);
    i = end + 1;
  }
  lvt_tap_finish(r);
}

/* =====================================================================
** Manual sections
** ===================================================================== */

#define SECTION_SIGN "\xc2\xa7"   /* '§' in UTF-8 */

size_t lvt_tap_section(const char *name, size_t len) {
  size_t i = 2, end;
  if (len < 3 || memcmp(name, SECTION_SIGN, 2) != 0 || !is_digit((unsigned char)name[2]))
    return 0;
  while (i < len && (is_digit((unsigned char)name[i]) || name[i] == '.')) i++;
  if (i < len && (is_word((unsigned char)name[i]) || (unsigned char)name[i] >= 0x80))
    return 0;
  end = i;
  while (name[end - 1] == '.') end--;
  return end;
}

int lvt_tap_section_cmp(const char *a, size_t alen, const char *b, size_t blen) {
  size_t i = 2, j = 2;
  if (alen < 2 || blen < 2) return alen < blen ? -1 : alen > blen;
  for (;;) {
    long x, y;
    int ea = i >= alen, eb = j >= blen;
    if (ea || eb) return ea && eb ? 0 : ea ? -1 : 1;
    x = read_number(a, &i, alen);
    y = read_number(b, &j, blen);
    if (x != y) return x < y ? -1 : 1;
    if (i < alen && a[i] == '.') i++;
    if (j < blen && b[j] == '.') j++;
    if (x < 0) return 0;   /* not a section: give up, equal */
  }
}
