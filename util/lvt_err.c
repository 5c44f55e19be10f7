/*
** lvt_err.c -- the error record.
*/
#include "lvt_base.h"

#include <stdio.h>
#include <string.h>

int lvt_err_set(LvtErr *e, int code, const char *fmt, ...) {
  if (e != NULL) {
    va_list ap;
    va_start(ap, fmt);
    e->code = code;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}

void lvt_err_prefix(LvtErr *e, const char *fmt, ...) {
  char head[128], old[sizeof e->msg];
  va_list ap;
  if (e == NULL) return;
  va_start(ap, fmt);
  vsnprintf(head, sizeof head, fmt, ap);
  va_end(ap);
  memcpy(old, e->msg, sizeof old);
  {
    /* "head: old", cut to fit; assembled by hand since the lengths are
    ** known and snprintf would warn about the (intended) truncation. */
    size_t hn = strlen(head), on = strnlen(old, sizeof old - 1), cap = sizeof e->msg - 1;
    size_t n = 0;
    if (hn > cap) hn = cap;
    memcpy(e->msg, head, hn);
    n = hn;
    if (n + 2 <= cap) {
      memcpy(e->msg + n, ": ", 2);
      n += 2;
    }
    if (on > cap - n) on = cap - n;
    memcpy(e->msg + n, old, on);
    e->msg[n + on] = '\0';
  }
}

const char *lvt_err_name(int code) {
  switch (code) {
    case LVT_OK: return "ok";
    case LVT_ERR_USAGE: return "usage";
    case LVT_ERR_IO: return "io";
    case LVT_ERR_SPAWN: return "spawn";
    case LVT_ERR_PROTO: return "protocol";
    case LVT_ERR_NOMEM: return "memory";
    case LVT_ERR_VM: return "vm";
    case LVT_ERR_INTERNAL: return "internal";
    case LVT_AGAIN: return "again";
    default: return "unknown";
  }
}
