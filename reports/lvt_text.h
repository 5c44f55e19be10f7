/*
** lvt_text.h -- bytes made safe for what people and tools read: terminal
** lines, TAP lines, XML. Program output and test names are Lua strings:
** any bytes, NULs included. What is valid UTF-8 is kept as it is (so
** "§3.4" stays readable); control bytes and bytes that are not UTF-8 are
** written as "\xHH". Pure: appends to a buffer.
*/
#ifndef LVT_TEXT_H
#define LVT_TEXT_H

#include <stddef.h>

#include "../util/lvt_base.h"

/* The length (1 to 4) of the valid UTF-8 sequence at 'p[0..n)', with its
** code point in '*cp' (may be NULL); 0 when the bytes there are not valid
** UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
** U+10FFFF). An ASCII byte, a control byte included, has length 1. */
size_t lvt_text_utf8(const char *p, size_t n, unsigned long *cp);

enum {
  LVT_TEXT_NEWLINE = 1 << 0,   /* keep '\n' (else "\n") */
  LVT_TEXT_TAB = 1 << 1,       /* keep '\t' (else "\t") */
  LVT_TEXT_HASH = 1 << 2       /* write '#' as "\#" (TAP descriptions) */
};

/* Appends at most 'max' bytes of 'p[0..n)' (then "..." and the size in
** all) with control bytes (but those 'flags' keep) and invalid UTF-8 as
** "\xHH", '\r' as "\r". A backslash stays itself. */
void lvt_text_add(LvtBuf *b, const char *p, size_t n, size_t max, unsigned flags);

/* Appends 'p[0..n)' as XML 1.0 character data ('attr' = 0) or as an
** attribute value between double quotes ('attr' = 1, quotes not added):
** & < > " ' as entities; in attributes also TAB, LF and CR as character
** references (so that they survive attribute normalisation); the bytes
** XML 1.0 cannot hold at all (other control bytes, U+FFFE, U+FFFF) and
** invalid UTF-8 as the text "\xHH". */
void lvt_text_add_xml(LvtBuf *b, const char *p, size_t n, int attr);

#endif
