/*
** lvt_buf.c -- binary-safe growable buffers and small allocation helpers.
*/
#include "lvt_base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void oom(size_t n) {
  /* The one place library code writes to stderr: there is no way to report
  ** anything without memory. */
  fprintf(stderr, "lvtest: out of memory (asked for %zu bytes)\n", n);
  abort();
}

void *lvt_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) oom(n);
  return p;
}

void *lvt_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (p == NULL) oom(n * size);
  return p;
}

void *lvt_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (q == NULL) oom(n);
  return q;
}

char *lvt_xstrdup(const char *s) {
  return lvt_xstrndup(s, strlen(s));
}

char *lvt_xstrndup(const char *s, size_t n) {
  char *p = lvt_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void lvt_buf_init(LvtBuf *b) {
  b->data = NULL;
  b->len = b->cap = 0;
}

void lvt_buf_reset(LvtBuf *b) {
  free(b->data);
  lvt_buf_init(b);
}

void lvt_buf_clear(LvtBuf *b) {
  b->len = 0;
  if (b->data != NULL) b->data[0] = '\0';
}

/* Makes room for 'extra' more bytes plus the terminating NUL. */
void lvt_buf_reserve(LvtBuf *b, size_t extra) {
  size_t need = b->len + extra + 1;
  if (need < extra) oom(extra); /* overflow */
  if (need > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap * 2 > cap ? cap * 2 : need;
    b->data = lvt_xrealloc(b->data, cap);
    b->cap = cap;
  }
}

void lvt_buf_add(LvtBuf *b, const void *p, size_t n) {
  lvt_buf_reserve(b, n);
  if (n > 0) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void lvt_buf_adds(LvtBuf *b, const char *s) {
  lvt_buf_add(b, s, strlen(s));
}

void lvt_buf_addc(LvtBuf *b, int c) {
  char ch = (char)c;
  lvt_buf_add(b, &ch, 1);
}

void lvt_buf_vaddf(LvtBuf *b, const char *fmt, va_list ap) {
  va_list ap2;
  int n;
  va_copy(ap2, ap);
  n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return;
  lvt_buf_reserve(b, (size_t)n);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void lvt_buf_addf(LvtBuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lvt_buf_vaddf(b, fmt, ap);
  va_end(ap);
}

void lvt_buf_set(LvtBuf *b, const void *p, size_t n) {
  lvt_buf_clear(b);
  lvt_buf_add(b, p, n);
}

void lvt_buf_consume(LvtBuf *b, size_t n) {
  if (n >= b->len) {
    lvt_buf_clear(b);
    return;
  }
  memmove(b->data, b->data + n, b->len - n);
  b->len -= n;
  b->data[b->len] = '\0';
}

void lvt_buf_add_escaped(LvtBuf *b, const char *p, size_t n, size_t max,
                         unsigned flags) {
  size_t i, show = n > max ? max : n;
  if (flags & LVT_ESC_QUOTE) lvt_buf_addc(b, '"');
  for (i = 0; i < show; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '\n' && (flags & LVT_ESC_NEWLINE)) lvt_buf_addc(b, '\n');
    else if (c == '\t' && (flags & LVT_ESC_TAB)) lvt_buf_addc(b, '\t');
    else if (c == '\n') lvt_buf_adds(b, "\\n");
    else if (c == '\t') lvt_buf_adds(b, "\\t");
    else if (c == '\r') lvt_buf_adds(b, "\\r");
    else if (c == '\\') lvt_buf_adds(b, "\\\\");
    else if (c == '"' && (flags & LVT_ESC_QUOTE)) lvt_buf_adds(b, "\\\"");
    else if (c < 0x20 || c >= 0x7f) lvt_buf_addf(b, "\\x%02x", c);
    else lvt_buf_addc(b, (char)c);
  }
  if (flags & LVT_ESC_QUOTE) lvt_buf_addc(b, '"');
  if (show < n) lvt_buf_addf(b, "... (%zu bytes in all)", n);
}

const char *lvt_buf_str(const LvtBuf *b) {
  return b->data != NULL ? b->data : "";
}

double lvt_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
