/*
** lvt_text.c -- escaping bytes for terminals, TAP and XML.
*/
#include "lvt_text.h"

size_t lvt_text_utf8(const char *s, size_t n, unsigned long *cp) {
  const unsigned char *p = (const unsigned char *)s;
  unsigned long c;
  size_t len, i;
  if (n == 0) return 0;
  if (p[0] < 0x80) {
    len = 1;
    c = p[0];
  } else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
    len = 2;
    c = p[0] & 0x1f;
  } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
    len = 3;
    c = p[0] & 0x0f;
  } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
    len = 4;
    c = p[0] & 0x07;
  } else {
    return 0;   /* a continuation byte, 0xc0, 0xc1 or 0xf5.. */
  }
  if (n < len) return 0;
  for (i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    c = (c << 6) | (p[i] & 0x3f);
  }
  if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
      (c >= 0xd800 && c <= 0xdfff))
    return 0;   /* overlong, out of range, or a surrogate */
  if (cp != NULL) *cp = c;
  return len;
}

void lvt_text_add(LvtBuf *b, const char *p, size_t n, size_t max, unsigned flags) {
  size_t i = 0, lim = n < max ? n : max;
  while (i < lim) {
    unsigned char c = (unsigned char)p[i];
    size_t len = lvt_text_utf8(p + i, n - i, NULL);
    if (c == '\n' && (flags & LVT_TEXT_NEWLINE)) lvt_buf_addc(b, c);
    else if (c == '\t' && (flags & LVT_TEXT_TAB)) lvt_buf_addc(b, c);
    else if (c == '\n') lvt_buf_adds(b, "\\n");
    else if (c == '\t') lvt_buf_adds(b, "\\t");
    else if (c == '\r') lvt_buf_adds(b, "\\r");
    else if (c == '#' && (flags & LVT_TEXT_HASH)) lvt_buf_adds(b, "\\#");
    else if (len == 0 || c < 0x20 || c == 0x7f) lvt_buf_addf(b, "\\x%02x", c);
    else {
      lvt_buf_add(b, p + i, len);
      i += len;
      continue;
    }
    i++;
  }
  if (n > lim) lvt_buf_addf(b, "... (%zu bytes in all)", n);
}

void lvt_text_add_xml(LvtBuf *b, const char *p, size_t n, int attr) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)p[i];
    unsigned long cp = 0;
    size_t len = lvt_text_utf8(p + i, n - i, &cp);
    switch (c) {
      case '&': lvt_buf_adds(b, "&amp;"); break;
      case '<': lvt_buf_adds(b, "&lt;"); break;
      case '>': lvt_buf_adds(b, "&gt;"); break;
      case '"': lvt_buf_adds(b, attr ? "&quot;" : "\""); break;
      case '\'': lvt_buf_adds(b, attr ? "&apos;" : "'"); break;
      case '\t': lvt_buf_adds(b, attr ? "&#9;" : "\t"); break;
      case '\n': lvt_buf_adds(b, attr ? "&#10;" : "\n"); break;
      case '\r': lvt_buf_adds(b, "&#13;"); break;   /* a raw CR would become LF */
      default:
        if (len == 0 || c < 0x20 || cp == 0xfffe || cp == 0xffff) {
          lvt_buf_addf(b, "\\x%02x", c);
          break;
        }
        lvt_buf_add(b, p + i, len);
        i += len;
        continue;
    }
    i++;
  }
}
