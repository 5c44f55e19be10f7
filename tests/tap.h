/*
** tap.h -- a tiny TAP producer for the C unit tests (header-only).
**
**   TAP_OK(cond, "name %d", i);      TAP_IS_INT(got, want, "name");
**   TAP_IS_STR(got, want, "name");   TAP_IS_MEM(p, n, q, m, "name");
**   return tap_done();               -- prints the plan; exit 1 on failures
**
** A test program that ran no assertion fails: tap_done() treats zero
** assertions as a failure, so a test that asserts nothing cannot pass.
*/
#ifndef LVT_TAP_H
#define LVT_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n = 0, tap_failed = 0;

static int tap_ok(int cond, const char *file, int line, const char *name) {
  tap_n++;
  printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, name);
  if (!cond) {
    tap_failed++;
    printf("#   Failed test at %s:%d\n", file, line);
  }
  fflush(stdout);
  return cond;
}

static void tap_diag_mem(const char *what, const char *p, size_t n) {
  size_t i;
  printf("#   %s: \"", what);
  for (i = 0; i < n && i < 400; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '\n') printf("\\n");
    else if (c < 32 || c >= 127 || c == '"' || c == '\\') printf("\\x%02x", c);
    else putchar(c);
  }
  printf(i < n ? "\"...(%zu bytes)\n" : "\"\n", n);
}

static char tap_name_buf[512];
#define TAP_NAME(...) (snprintf(tap_name_buf, sizeof tap_name_buf, __VA_ARGS__), tap_name_buf)

#define TAP_OK(cond, ...) tap_ok((cond) ? 1 : 0, __FILE__, __LINE__, TAP_NAME(__VA_ARGS__))

#define TAP_IS_INT(got, want, ...) do { \
    long long g_ = (long long)(got), w_ = (long long)(want); \
    if (!tap_ok(g_ == w_, __FILE__, __LINE__, TAP_NAME(__VA_ARGS__))) \
      printf("#   got: %lld\n#   expected: %lld\n", g_, w_); \
  } while (0)

#define TAP_IS_STR(got, want, ...) do { \
    const char *g_ = (got), *w_ = (want); \
    int c_ = (g_ != NULL && w_ != NULL) ? strcmp(g_, w_) == 0 : g_ == w_; \
    if (!tap_ok(c_, __FILE__, __LINE__, TAP_NAME(__VA_ARGS__))) { \
      tap_diag_mem("got", g_ ? g_ : "(null)", g_ ? strlen(g_) : 6); \
      tap_diag_mem("expected", w_ ? w_ : "(null)", w_ ? strlen(w_) : 6); \
    } \
  } while (0)

#define TAP_IS_MEM(gp, gn, wp, wn, ...) do { \
    const char *g_ = (const char *)(gp), *w_ = (const char *)(wp); \
    size_t gn_ = (gn), wn_ = (wn); \
    int c_ = gn_ == wn_ && (gn_ == 0 || memcmp(g_, w_, gn_) == 0); \
    if (!tap_ok(c_, __FILE__, __LINE__, TAP_NAME(__VA_ARGS__))) { \
      tap_diag_mem("got", g_ ? g_ : "", g_ ? gn_ : 0); \
      tap_diag_mem("expected", w_ ? w_ : "", w_ ? wn_ : 0); \
    } \
  } while (0)

static int tap_done(void) {
  printf("1..%d\n", tap_n);
  if (tap_n == 0) {
    printf("# no assertions ran: a test that asserts nothing fails\n");
    return 1;
  }
  if (tap_failed) printf("# %d of %d assertions failed\n", tap_failed, tap_n);
  return tap_failed ? 1 : 0;
}

#endif
