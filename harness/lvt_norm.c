/*
** lvt_norm.c -- normalisation of program output: built-in rules for
** addresses and chunk names, user rules as PCRE2 substitutions.
**
** Every stage reads one byte string and writes another; lvt_norm_apply
** chains them through two scratch buffers. Regexes run in byte mode (no
** UTF) unless a rule sets the 'u' flag, so NULs and invalid UTF-8 in an
** output are ordinary bytes.
*/
#include "lvt_norm.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Rule {
  pcre2_code *re;
  char *repl;          /* replacement, PCRE2 extended syntax */
  size_t repl_len;
  char *where;         /* "rules.txt:3", for messages */
} Rule;

struct LvtNorm {
  unsigned builtins;   /* LVT_NORM_* */
  pcre2_code *addr_re; /* the address rule; NULL when not enabled */
  Rule *rules;
  int nrules, rules_cap;
};

/* Group 1 is what stays (the "table: " before the address), group 2 the
** address, which is the identity key. The cdata type is bounded so that a
** long line full of '<' cannot make the lazy scan quadratic. */
static const char addr_pattern[] =
    "(?|"
    "(\\b(?:table|function|thread|userdata|function: builtin"
    "|cdata<[^\\n]{0,200}?>): |\\bfile \\(|\\[C\\]: at )(0x[0-9A-Fa-f]+)"
    "|(\\bfunction: )(builtin#[0-9]+)"
    ")";

/* PCRE2's text for error 'code', in 'buf'. */
static const char *pcre_msg(int code, char buf[160]) {
  if (pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, 160) < 0)
    snprintf(buf, 160, "PCRE2 error %d", code);
  return buf;
}

static void rule_free(Rule *r) {
  pcre2_code_free(r->re);
  free(r->repl);
  free(r->where);
}

LvtNorm *lvt_norm_new(unsigned builtins) {
  LvtNorm *n = lvt_xcalloc(1, sizeof *n);
  n->builtins = builtins;
  if (builtins & LVT_NORM_ADDRESSES) {
    int code;
    PCRE2_SIZE off;
    n->addr_re = pcre2_compile((PCRE2_SPTR)addr_pattern, PCRE2_ZERO_TERMINATED,
                               PCRE2_NEVER_UTF, &code, &off, NULL);
    if (n->addr_re == NULL) abort();   /* a constant pattern: cannot fail */
    pcre2_jit_compile(n->addr_re, PCRE2_JIT_COMPLETE);   /* best effort */
  }
  return n;
}

void lvt_norm_free(LvtNorm *n) {
  int i;
  if (n == NULL) return;
  for (i = 0; i < n->nrules; i++) rule_free(&n->rules[i]);
  free(n->rules);
  pcre2_code_free(n->addr_re);
  free(n);
}

int lvt_norm_rule_count(const LvtNorm *n) {
  return n != NULL ? n->nrules : 0;
}

/* ---------------------------------------------------------------------
** Parsing rules
** --------------------------------------------------------------------- */

/* Scans from 's' to the first 'delim' not escaped by '\'. Returns its
** position, or NULL when the line ends first. */
static const char *scan_part(const char *s, char delim) {
  for (; *s != '\0'; s++) {
    if (*s == '\\' && s[1] != '\0') s++;
    else if (*s == delim) return s;
  }
  return NULL;
}

/* Checks the replacement of 'r' the way PCRE2 will read it, now rather
** than on the first output that matches: it is run once against the empty
** string with a pattern that has the same groups and always matches there
** ("(?:REGEX\n)?"; the newline ends a trailing (?x) comment). Start-of-
** pattern verbs like (*UTF) are hoisted in front. When that pattern does
** not compile (an unterminated \Q...), the check is skipped: the rule still
** works and a bad replacement is reported by lvt_norm_apply. */
static int check_replacement(const Rule *r, const char *pat, size_t plen,
                             uint32_t opts, LvtErr *e) {
  LvtBuf w = LVT_BUF_INIT;
  size_t verbs = 0;
  pcre2_code *re;
  int code, rc = LVT_OK;
  PCRE2_SIZE off;
  PCRE2_UCHAR out[8];
  PCRE2_SIZE olen = sizeof out;
  while (verbs + 2 < plen && pat[verbs] == '(' && pat[verbs + 1] == '*') {
    const char *close = memchr(pat + verbs, ')', plen - verbs);
    if (close == NULL) break;
    verbs = (size_t)(close - pat) + 1;
  }
  lvt_buf_add(&w, pat, verbs);
  lvt_buf_adds(&w, "(?:");
  lvt_buf_add(&w, pat + verbs, plen - verbs);
  lvt_buf_adds(&w, "\n)?");
  re = pcre2_compile((PCRE2_SPTR)w.data, w.len, opts, &code, &off, NULL);
  if (re != NULL) {
    code = pcre2_substitute(re, (PCRE2_SPTR) "", 0, 0,
                            PCRE2_SUBSTITUTE_EXTENDED |
                                PCRE2_SUBSTITUTE_UNSET_EMPTY |
                                PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
                            NULL, NULL, (PCRE2_SPTR)r->repl, r->repl_len,
                            out, &olen);
    if (code < 0 && code != PCRE2_ERROR_NOMEMORY) {
      char msg[160];
      rc = lvt_err_set(e, LVT_ERR_USAGE, "replacement '%.*s': %s",
                       (int)(r->repl_len > 60 ? 60 : r->repl_len), r->repl,
                       pcre_msg(code, msg));
    }
    pcre2_code_free(re);
  }
  lvt_buf_reset(&w);
  return rc;
}

/* Parses the flags after the last delimiter into PCRE2 compile options.
** Returns LVT_OK or LVT_ERR_USAGE (message without the 'where' prefix). */
static int parse_flags(const char *s, uint32_t *opts, LvtErr *e) {
  uint32_t o = 0;
  int utf = 0;
  for (; *s != '\0' && *s != ' ' && *s != '\t' && *s != '#'; s++) {
    switch (*s) {
      case 'i': o |= PCRE2_CASELESS; break;
      case 'm': o |= PCRE2_MULTILINE; break;
      case 's': o |= PCRE2_DOTALL; break;
      case 'x': o |= PCRE2_EXTENDED; break;
      case 'u': utf = 1; break;
      case 'g': break;   /* every match is replaced anyway */
      default:
        return lvt_err_set(e, LVT_ERR_USAGE,
                           "unknown flag '%c' (flags are i, m, s, x, u, g)",
                           *s);
    }
  }
  while (*s == ' ' || *s == '\t') s++;
  if (*s != '\0' && *s != '#')
    return lvt_err_set(e, LVT_ERR_USAGE,
                       "unexpected text after the rule: '%.40s'", s);
  /* Byte mode unless asked: outputs are not UTF-8 in general. In UTF
  ** mode invalid sequences simply never match. */
  *opts = o | (utf ? PCRE2_UTF | PCRE2_MATCH_INVALID_UTF : PCRE2_NEVER_UTF);
  return LVT_OK;
}

/* Parses and compiles one rule line into 'r'. Returns LVT_OK with r->re
** NULL for a blank or comment line; LVT_ERR_USAGE with 'e' set (no prefix)
** otherwise. On error 'r' holds nothing. */
static int parse_rule(const char *line, Rule *r, LvtErr *e) {
  const char *p = line, *pat, *pend, *rep, *rend;
  char delim;
  uint32_t opts;
  int code;
  PCRE2_SIZE off;
  memset(r, 0, sizeof *r);
  while (*p == ' ' || *p == '\t') p++;
  if (*p == '\0' || *p == '#' || *p == '\n' || *p == '\r') return LVT_OK;
  delim = p[1];
  if (*p != 's' || delim == '\0' || isalnum((unsigned char)delim) ||
      delim == '\\' || isspace((unsigned char)delim))
    return lvt_err_set(e, LVT_ERR_USAGE,
                       "expected s/REGEX/REPLACEMENT/FLAGS, got '%.40s'", p);
  pat = p + 2;
  if ((pend = scan_part(pat, delim)) == NULL ||
      (rend = scan_part(rep = pend + 1, delim)) == NULL)
    return lvt_err_set(e, LVT_ERR_USAGE,
                       "missing closing '%c' in '%.40s'", delim, p);
  if (parse_flags(rend + 1, &opts, e) != LVT_OK) return e ? e->code : 1;
  r->re = pcre2_compile((PCRE2_SPTR)pat, (size_t)(pend - pat), opts, &code,
                        &off, NULL);
  if (r->re == NULL) {
    char msg[160];
    return lvt_err_set(e, LVT_ERR_USAGE, "regex '%.*s': %s (at offset %zu)",
                       (int)(pend - pat > 60 ? 60 : pend - pat), pat,
                       pcre_msg(code, msg), (size_t)off);
  }
  pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);   /* best effort */
  r->repl_len = (size_t)(rend - rep);
  r->repl = lvt_xstrndup(rep, r->repl_len);
  if (check_replacement(r, pat, (size_t)(pend - pat), opts, e) != LVT_OK) {
    rule_free(r);
    memset(r, 0, sizeof *r);
    return LVT_ERR_USAGE;
  }
  return LVT_OK;
}

int lvt_norm_add_rule(LvtNorm *n, const char *rule, const char *where,
                      LvtErr *e) {
  Rule r;
  if (where == NULL) where = "rule";
  if (parse_rule(rule, &r, e) != LVT_OK) {
    lvt_err_prefix(e, "%s", where);
    return LVT_ERR_USAGE;
  }
  if (r.re == NULL) return LVT_OK;   /* blank or comment */
  r.where = lvt_xstrdup(where);
  if (n->nrules == n->rules_cap) {
    n->rules_cap = n->rules_cap ? n->rules_cap * 2 : 8;
    n->rules = lvt_xrealloc(n->rules, (size_t)n->rules_cap * sizeof *n->rules);
  }
  n->rules[n->nrules++] = r;
  return LVT_OK;
}

int lvt_norm_load_rules(LvtNorm *n, const char *path, LvtErr *e) {
  FILE *f = fopen(path, "r");
  char *line = NULL, where[512];
  size_t cap = 0;
  ssize_t got;
  int lineno = 0, before = n->nrules, rc = LVT_OK;
  if (f == NULL)
    return lvt_err_set(e, LVT_ERR_IO, "cannot read rules file %s: %s", path,
                       strerror(errno));
  while ((got = getline(&line, &cap, f)) >= 0) {
    lineno++;
    while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
      line[--got] = '\0';
    snprintf(where, sizeof where, "%s:%d", path, lineno);
    if (strlen(line) != (size_t)got) {
      rc =
          lvt_err_set(e, LVT_ERR_USAGE,
                      "%s: NUL byte in rule (write \\x00 in the regex)", where);
      break;
    }
    if ((rc = lvt_norm_add_rule(n, line, where, e)) != LVT_OK) break;
  }
  if (rc == LVT_OK && ferror(f))
    rc = lvt_err_set(e, LVT_ERR_IO, "cannot read rules file %s: %s", path,
                     strerror(errno));
  free(line);
  fclose(f);
  if (rc != LVT_OK) {   /* all or nothing: drop this file's rules */
    while (n->nrules > before) rule_free(&n->rules[--n->nrules]);
  }
  return rc;
}

/* ---------------------------------------------------------------------
** Built-in rule: addresses
** --------------------------------------------------------------------- */

/* The addresses seen so far in one output, mapped to 1, 2, ... An open-
** addressing hash table of slices of the input (which outlives it). */
typedef struct Seen {
  struct Slot { const char *k; size_t n; unsigned id; } *slot;
  size_t cap, count;
} Seen;

static size_t hash_bytes(const char *k, size_t n) {
  size_t h = 2166136261u;   /* FNV-1a */
  while (n-- > 0) h = (h ^ (unsigned char)*k++) * 16777619u;
  return h;
}

/* Returns the number of 'k' (a new one, count + 1, when first seen). */
static unsigned seen_id(Seen *s, const char *k, size_t n) {
  size_t i;
  if (2 * (s->count + 1) > s->cap) {   /* keep the load under one half */
    Seen bigger = {NULL, s->cap ? s->cap * 2 : 16, s->count};
    bigger.slot = lvt_xcalloc(bigger.cap, sizeof *bigger.slot);
    for (i = 0; i < s->cap; i++) {
      size_t j;
      if (s->slot[i].k == NULL) continue;
      j = hash_bytes(s->slot[i].k, s->slot[i].n) & (bigger.cap - 1);
      while (bigger.slot[j].k != NULL) j = (j + 1) & (bigger.cap - 1);
      bigger.slot[j] = s->slot[i];
    }
    free(s->slot);
    *s = bigger;
  }
  i = hash_bytes(k, n) & (s->cap - 1);
  for (; s->slot[i].k != NULL; i = (i + 1) & (s->cap - 1))
    if (s->slot[i].n == n && memcmp(s->slot[i].k, k, n) == 0)
      return s->slot[i].id;
  s->slot[i].k = k;
  s->slot[i].n = n;
  s->slot[i].id = (unsigned)++s->count;
  return s->slot[i].id;
}

static int norm_addresses(const LvtNorm *n, const char *s, size_t len,
                          LvtBuf *out, LvtErr *e) {
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(n->addr_re,
                                                              NULL);
  Seen seen = {NULL, 0, 0};
  size_t copied = 0;
  int rc;
  if (md == NULL) return lvt_err_set(e, LVT_ERR_NOMEM, "pcre2 match data");
  lvt_buf_clear(out);
  /* Every match is at least "0x0" long, so 'copied' always advances. */
  while ((rc = pcre2_match(n->addr_re, (PCRE2_SPTR)s, len, copied, 0, md,
                           NULL)) > 0) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    lvt_buf_add(out, s + copied, ov[4] - copied);
    lvt_buf_addf(out, "0x%x", seen_id(&seen, s + ov[4], ov[5] - ov[4]));
    copied = ov[5];
  }
  lvt_buf_add(out, s + copied, len - copied);
  free(seen.slot);
  pcre2_match_data_free(md);
  if (rc != PCRE2_ERROR_NOMATCH) {
    char msg[160];
    return lvt_err_set(e, LVT_ERR_INTERNAL, "address rule: %s",
                       pcre_msg(rc, msg));
  }
  return LVT_OK;
}

/* ---------------------------------------------------------------------
** Built-in rule: the program's chunk name
** --------------------------------------------------------------------- */

/* Bytes that can be part of a file path in a message: not space, not
** control, not the punctuation around names in Lua messages. */
static int path_byte(unsigned char c) {
  return c > ' ' && c != 0x7f && strchr("\"'<>()[]:;,", c) == NULL;
}

/* ":" followed by a digit at 's[i]'? */
static int at_line(const char *s, size_t len, size_t i) {
  return i + 1 < len && s[i] == ':' && isdigit((unsigned char)s[i + 1]);
}

/* '[string "NAME"]:12' or '[string "NA..."]:12' (how luaO_chunkid shows a
** name loaded without '=' or '@', cut at LUA_IDSIZE or a newline) at
** 's[i]'? Sets '*stop' after the closing '"]'. The content may contain
** quotes, so the end is the first '"]:<digit>'. */
static int at_string_form(const char *s, size_t len, size_t i,
                          const char *name, size_t nlen, size_t *stop) {
  static const char pre[] = "[string \"";
  size_t c0 = i + sizeof pre - 1, j, clen;
  if (len - i < sizeof pre - 1 || memcmp(s + i, pre, sizeof pre - 1) != 0)
    return 0;
  for (j = c0; j < len && j - c0 <= 256 && s[j] != '\n'; j++) {
    if (s[j] != '"' || j + 1 >= len || s[j + 1] != ']' ||
        !at_line(s, len, j + 2))
      continue;
    clen = j - c0;
    *stop = j + 2;
    if (clen == nlen && memcmp(s + c0, name, nlen) == 0) return 1;
    return clen > 3 && clen - 3 <= nlen &&
           memcmp(s + j - 3, "...", 3) == 0 &&
           memcmp(s + c0, name, clen - 3) == 0;
  }
  return 0;
}

/* 'NAME:12', or a path ending in '/NAME' followed by ':12', at 's[i]'?
** NAME must not be the tail of a longer name ("myprog.lua" for
** "prog.lua"). The path is searched back no further than 'floor' (bytes
** before it were already rewritten). Sets '[*start, *stop)'. */
static int at_plain_form(const char *s, size_t len, size_t i, size_t floor,
                         const char *name, size_t nlen, size_t *start,
                         size_t *stop) {
  if (len - i < nlen || memcmp(s + i, name, nlen) != 0 ||
      !at_line(s, len, i + nlen))
    return 0;
  *stop = i + nlen;
  *start = i;
  if (i == 0 || !path_byte((unsigned char)s[i - 1])) return 1;
  if (s[i - 1] != '/') return 0;
  while (*start > floor && path_byte((unsigned char)s[*start - 1])) (*start)--;
  return 1;
}

static void norm_chunkname(const char *s, size_t len, const char *name,
                           LvtBuf *out) {
  size_t nlen = strlen(name), copied = 0, i = 0;
  lvt_buf_clear(out);
  while (i < len) {
    size_t start = i, stop;
    if (!(s[i] == '[' && at_string_form(s, len, i, name, nlen, &stop)) &&
        !(s[i] == name[0] &&
          at_plain_form(s, len, i, copied, name, nlen, &start, &stop))) {
      i++;
      continue;
    }
    lvt_buf_add(out, s + copied, start - copied);
    lvt_buf_adds(out, LVT_NORM_CHUNK);
    copied = i = stop;
  }
  lvt_buf_add(out, s + copied, len - copied);
}

/* ---------------------------------------------------------------------
** User rules and the chain
** --------------------------------------------------------------------- */

static int apply_rule(const Rule *r, const LvtBuf *in, LvtBuf *out,
                      LvtErr *e) {
  PCRE2_SIZE olen;
  int rc;
  lvt_buf_clear(out);
  lvt_buf_reserve(out, in->len + 64);
  for (;;) {
    olen = out->cap;
    rc = pcre2_substitute(r->re, (PCRE2_SPTR)lvt_buf_str(in), in->len, 0,
                          PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_EXTENDED |
                              PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
                          NULL, NULL, (PCRE2_SPTR)r->repl, r->repl_len,
                          (PCRE2_UCHAR *)out->data, &olen);
    if (rc != PCRE2_ERROR_NOMEMORY) break;
    lvt_buf_reserve(out, olen + 1);   /* 'olen' is what it needs */
  }
  if (rc < 0) {
    char msg[160];
    lvt_buf_clear(out);
    return lvt_err_set(e, LVT_ERR_USAGE,
                       "%s: %s (on %zu bytes of output; simplify the rule)",
                       r->where, pcre_msg(rc, msg), in->len);
  }
  out->len = olen;
  out->data[olen] = '\0';
  return LVT_OK;
}

int lvt_norm_apply(const LvtNorm *n, const char *data, size_t len,
                   const char *chunkname, LvtBuf *out, LvtErr *e) {
  LvtBuf a = LVT_BUF_INIT, b = LVT_BUF_INIT;
  LvtBuf *cur = &a, *next = &b, *t;
  int i, rc = LVT_OK;
  lvt_buf_set(cur, data, len);
  if (n != NULL && n->addr_re != NULL) {
    rc = norm_addresses(n, cur->data, cur->len, next, e);
    t = cur, cur = next, next = t;
  }
  if (chunkname != NULL && (chunkname[0] == '@' || chunkname[0] == '='))
    chunkname++;   /* as given to lua_load: the name is what follows */
  if (rc == LVT_OK && n != NULL && (n->builtins & LVT_NORM_CHUNKNAME) &&
      chunkname != NULL && chunkname[0] != '\0') {
    norm_chunkname(cur->data, cur->len, chunkname, next);
    t = cur, cur = next, next = t;
  }
  for (i = 0; rc == LVT_OK && n != NULL && i < n->nrules; i++) {
    rc = apply_rule(&n->rules[i], cur, next, e);
    t = cur, cur = next, next = t;
  }
  if (rc == LVT_OK) lvt_buf_set(out, cur->data, cur->len);
  else lvt_buf_set(out, data, len);
  lvt_buf_reset(&a);
  lvt_buf_reset(&b);
  return rc;
}
