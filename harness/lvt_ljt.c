/*
** lvt_ljt.c -- parsing LuaJIT-tests' output (see lvt_ljt.h).
*/
#include "lvt_ljt.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lvt_ljt_init(LvtLjtResult *r) {
  memset(r, 0, sizeof *r);
  r->planned = -1;
  lvt_buf_init(&r->preface);
}

void lvt_ljt_reset(LvtLjtResult *r) {
  size_t i;
  for (i = 0; i < r->ntests; i++) {
    free(r->tests[i].name);
    lvt_buf_reset(&r->tests[i].first);
    lvt_buf_reset(&r->tests[i].diag);
  }
  free(r->tests);
  lvt_buf_reset(&r->preface);
  lvt_ljt_init(r);
}

/* The decimal number at 'p[*k]', saturated at INT_MAX (the output of a
** broken VM may hold any digits); '*k' moves past it. */
static int number(const char *p, size_t n, size_t *k) {
  int v = 0;
  for (; *k < n && isdigit((unsigned char)p[*k]); (*k)++)
    v = v < INT_MAX / 10 ? v * 10 + (p[*k] - '0') : INT_MAX;
  return v;
}

/* "[ i/N] name": fills i, N and the name's offset; 0 when not one. */
static int test_line(const char *p, size_t n, int *i, int *total, size_t *name_at) {
  size_t k = 1;
  int a, b;
  if (n < 6 || p[0] != '[') return 0;
  while (k < n && p[k] == ' ') k++;
  if (k >= n || !isdigit((unsigned char)p[k])) return 0;
  a = number(p, n, &k);
  if (k >= n || p[k++] != '/' || k >= n || !isdigit((unsigned char)p[k])) return 0;
  b = number(p, n, &k);
  if (k + 1 >= n || p[k] != ']' || p[k + 1] != ' ') return 0;
  *i = a;
  *total = b;
  *name_at = k + 2;
  return 1;
}

/* "K passed" or "K passed, M failed". */
static int summary_line(const char *p, size_t n, unsigned *passed, unsigned *failed) {
  char buf[80], tail[8];
  unsigned a, b;
  if (n == 0 || n >= sizeof buf || !isdigit((unsigned char)p[0])) return 0;
  memcpy(buf, p, n);
  buf[n] = '\0';
  if (sscanf(buf, "%u passed, %u failed%7s", &a, &b, tail) == 2) {
    *passed = a;
    *failed = b;
    return 1;
  }
  if (sscanf(buf, "%u passed%7s", &a, tail) == 1) {
    *passed = a;
    *failed = 0;
    return 1;
  }
  return 0;
}

void lvt_ljt_parse(LvtLjtResult *r, const char *data, size_t len) {
  const char *p = data, *end = data + len;
  size_t cap = 0, i;
  unsigned failed = 0;
  lvt_ljt_reset(r);
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    int num, total;
    size_t at;
    if (n > 0 && p[n - 1] == '\r') n--;
    if (test_line(p, n, &num, &total, &at)) {
      LvtLjtTest *t;
      if (r->ntests == cap) {
        cap = cap ? cap * 2 : 256;
        r->tests = lvt_xrealloc(r->tests, cap * sizeof *r->tests);
      }
      t = &r->tests[r->ntests++];
      memset(t, 0, sizeof *t);
      t->number = num;
      t->name = lvt_xstrndup(p + at, n - at);
      lvt_buf_init(&t->first);
      lvt_buf_init(&t->diag);
      r->planned = total;
    } else if (!r->summary && summary_line(p, n, &r->said_passed, &r->said_failed)) {
      r->summary = 1;
      r->summary_failed = r->said_failed > 0;
    } else if (r->summary) {
      /* "to run just failing tests, ...": nothing to judge */
    } else if (r->ntests > 0) {
      LvtLjtTest *t = &r->tests[r->ntests - 1];
      if (!t->failed) {
        t->failed = 1;
        lvt_buf_add(&t->first, p, n > 300 ? 300 : n);
      }
      lvt_buf_add(&t->diag, p, n);
      lvt_buf_addc(&t->diag, '\n');
    } else {
      lvt_buf_add(&r->preface, p, n);
      lvt_buf_addc(&r->preface, '\n');
    }
    p = nl ? nl + 1 : end;
  }
  for (i = 0; i < r->ntests; i++) failed += (unsigned)r->tests[i].failed;
  if (r->ntests == 0 && !r->summary) {
    snprintf(r->problem, sizeof r->problem, "no test ran: no '[i/N]' line and no summary");
  } else if (r->ntests == 0 && r->said_passed + r->said_failed == 0) {
    /* A run of zero tests is a failure, whatever its summary says. */
    snprintf(r->problem, sizeof r->problem, "no test ran: the summary says 0 passed");
  } else if (!r->summary) {
    LvtLjtTest *t = &r->tests[r->ntests - 1];
    t->last_of_crash = 1;
    snprintf(r->problem, sizeof r->problem, "no summary line: the run ended in test %d of %d (%.120s)",
             t->number, r->planned, t->name);
  } else if (r->said_passed + r->said_failed != r->ntests || r->said_failed != failed) {
    snprintf(r->problem, sizeof r->problem,
             "the summary says %u passed, %u failed; lvtest read %zu tests, %u failed",
             r->said_passed, r->said_failed, r->ntests, failed);
  }
}
