/*
** lvt_proto.c -- LVX v1 frames (vm/PROTOCOL.md): pure encoders and
** decoders, no I/O.
**
** Decoding is incremental in the simplest way: every call parses from the
** start of the bytes received so far and returns LVT_AGAIN while they are
** a valid prefix of a frame. Header and field lines are checked byte by
** byte as they arrive, so garbage fails within a few bytes; only the
** length-prefixed values are skipped over without being looked at.
*/
#include "lvt_proto.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <pthread.h>
#include <string.h>

#define MAX_FIELDS 32            /* per frame */
#define MAX_VALUE ((uint64_t)1 << 30)

/* =====================================================================
** Line lexer: a line is tokens separated by one space, ended by LF
** ===================================================================== */
enum { T_LIT, T_NUM, T_KEY };

typedef struct Tok {
  int cls;            /* T_LIT: exactly 'lit'; T_NUM: digits; T_KEY: [a-z0-9_] */
  const char *lit;
  unsigned max;       /* longest allowed token */
  const char *what;   /* name for messages */
} Tok;

typedef struct Span {
  const char *p;
  size_t n;
} Span;

static const Tok header_toks[] = {
  {T_LIT, "LVX", 3, "\"LVX\""}, {T_NUM, NULL, 3, "version"},
  {T_KEY, NULL, 16, "kind"}, {T_NUM, NULL, 2, "field count"}
};
static const Tok field_toks[] = {
  {T_KEY, NULL, 16, "key"}, {T_NUM, NULL, 10, "length"}
};

static int is_key_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Renders byte 'c' for a message: 'x' or 0xHH. */
static const char *show_byte(char buf[8], int c) {
  c &= 0xff;
  if (c > 32 && c < 127 && c != '\'') snprintf(buf, 8, "'%c'", c);
  else snprintf(buf, 8, "0x%02x", c);
  return buf;
}

/*
** Lexes the line that starts at 'd[pos]' ('n' bytes available in 'd')
** against the token list 'toks'. Fills 'spans' and sets '*end' to the
** offset just after the LF. Returns LVT_OK, LVT_AGAIN when the bytes so far
** are a valid prefix of such a line, or LVT_ERR_PROTO with 'e' set; 'ctx'
** names the line in messages ("header", "field line").
*/
static int lex_line(const char *d, size_t n, size_t pos, const Tok *toks,
                    int ntoks, Span *spans, size_t *end, const char *ctx,
                    LvtErr *e) {
  int t = 0;
  size_t i = pos, start = pos;
  char b[8];
  for (;;) {
    const Tok *tk = &toks[t];
    size_t len;
    int c;
    if (i >= n) return LVT_AGAIN;
    c = (unsigned char)d[i];
    len = i - start;
    if (c == ' ' || c == '\n') {
      int want_lf = (t == ntoks - 1);
      if (len == 0 || (tk->cls == T_LIT && len != tk->max))
        return lvt_err_set(e, LVT_ERR_PROTO, "%s: %s expected at byte %zu, got %s",
                           ctx, tk->what, i, show_byte(b, c));
      if ((c == '\n') != want_lf)
        return lvt_err_set(e, LVT_ERR_PROTO, "%s: %s at byte %zu",
                           ctx, want_lf ? "LF expected" : "line ends early", i);
      spans[t].p = d + start;
      spans[t].n = len;
      i++;
      if (want_lf) {
        *end = i;
        return LVT_OK;
      }
      t++;
      start = i;
      continue;
    }
    if (len >= tk->max && tk->cls != T_LIT)
      return lvt_err_set(e, LVT_ERR_PROTO, "%s: %s longer than %u bytes at byte %zu",
                         ctx, tk->what, tk->max, i);
    if (tk->cls == T_LIT ? len >= tk->max || c != tk->lit[len]
        : tk->cls == T_NUM ? (c < '0' || c > '9' || (len == 1 && d[start] == '0'))
        : !is_key_char(c))
      return lvt_err_set(e, LVT_ERR_PROTO, "%s: bad %s at byte %zu: %s",
                         ctx, tk->what, i, show_byte(b, c));
    i++;
  }
}

/* Decimal digits already checked by the lexer; fails on overflow of 'max'. */
static int span_u64(Span s, uint64_t max, uint64_t *out) {
  uint64_t v = 0;
  size_t i;
  for (i = 0; i < s.n; i++) {
    unsigned dgt = (unsigned)(s.p[i] - '0');
    if (dgt > max || v > (max - dgt) / 10) return 0;
    v = v * 10 + dgt;
  }
  *out = v;
  return 1;
}

static int span_is(Span s, const char *lit) {
  return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

/* =====================================================================
** Frames
** ===================================================================== */
typedef struct Field {
  Span key;
  Span val;
} Field;

typedef struct Frame {
  Span kind;
  int nfields;
  Field f[MAX_FIELDS];
} Frame;

/*
** Parses one frame from the start of 'd'. Returns LVT_OK (with '*used'
** set), LVT_AGAIN or LVT_ERR_PROTO; 'fr' points into 'd'.
*/
static int parse_frame(const char *d, size_t n, Frame *fr, size_t *used,
                       LvtErr *e) {
  Span hs[4], fs[2];
  uint64_t ver, count = 0, len;
  size_t pos = 0;
  int rc, i, j;
  rc = lex_line(d, n, 0, header_toks, 4, hs, &pos, "header", e);
  if (rc != LVT_OK) return rc;
  if (!span_u64(hs[1], 999, &ver) || ver != LVT_PROTO_VERSION)
    return lvt_err_set(e, LVT_ERR_PROTO, "LVX version %.*s, lvtest speaks %d",
                       (int)hs[1].n, hs[1].p, LVT_PROTO_VERSION);
  span_u64(hs[3], 99, &count);
  if (count > MAX_FIELDS)
    return lvt_err_set(e, LVT_ERR_PROTO, "frame has %" PRIu64 " fields, at most %d",
                       count, MAX_FIELDS);
  fr->kind = hs[2];
  fr->nfields = (int)count;
  for (i = 0; i < (int)count; i++) {
    rc = lex_line(d, n, pos, field_toks, 2, fs, &pos, "field line", e);
    if (rc != LVT_OK) return rc;
    if (!span_u64(fs[1], MAX_VALUE, &len))
      return lvt_err_set(e, LVT_ERR_PROTO, "value of \"%.*s\" longer than %" PRIu64 " bytes",
                         (int)fs[0].n, fs[0].p, MAX_VALUE);
    for (j = 0; j < i; j++)
      if (fr->f[j].key.n == fs[0].n && memcmp(fr->f[j].key.p, fs[0].p, fs[0].n) == 0)
        return lvt_err_set(e, LVT_ERR_PROTO, "duplicate key \"%.*s\"",
                           (int)fs[0].n, fs[0].p);
    if (n - pos < len + 1) return LVT_AGAIN;
    if (d[pos + len] != '\n')
      return lvt_err_set(e, LVT_ERR_PROTO, "value of \"%.*s\" not followed by LF at byte %zu",
                         (int)fs[0].n, fs[0].p, pos + (size_t)len);
    fr->f[i].key = fs[0];
    fr->f[i].val.p = d + pos;
    fr->f[i].val.n = (size_t)len;
    pos += (size_t)len + 1;
  }
  *used = pos;
  return LVT_OK;
}

/* Parses a frame and checks that it is of 'kind'. */
static int parse_kind(const char *d, size_t n, const char *kind, Frame *fr,
                      size_t *used, LvtErr *e) {
  int rc = parse_frame(d, n, fr, used, e);
  if (rc == LVT_OK && !span_is(fr->kind, kind))
    return lvt_err_set(e, LVT_ERR_PROTO, "expected a %s frame, got \"%.*s\"",
                       kind, (int)fr->kind.n, fr->kind.p);
  return rc;
}

/* Value of an unsigned numeric field, at most 'max'. */
static int field_u64(const Field *f, uint64_t max, uint64_t *out, LvtErr *e) {
  Span s = f->val;
  size_t i;
  int ok = s.n > 0 && s.n <= 20 && !(s.n > 1 && s.p[0] == '0');
  for (i = 0; ok && i < s.n; i++) ok = s.p[i] >= '0' && s.p[i] <= '9';
  if (!ok || !span_u64(s, max, out))
    return lvt_err_set(e, LVT_ERR_PROTO, "bad value for \"%.*s\": \"%.*s\"",
                       (int)f->key.n, f->key.p, (int)(s.n > 24 ? 24 : s.n), s.p);
  return LVT_OK;
}

static int field_bool(const Field *f, int *out, LvtErr *e) {
  uint64_t v;
  int rc = field_u64(f, 1, &v, e);
  if (rc == LVT_OK) *out = (int)v;
  return rc;
}

/* Value of a signed 'int' field: optional '-' then digits. */
static int field_int(const Field *f, int *out, LvtErr *e) {
  Field g = *f;
  uint64_t v;
  int neg = g.val.n > 1 && g.val.p[0] == '-';
  if (neg) {
    g.val.p++;
    g.val.n--;
  }
  if (field_u64(&g, neg ? (uint64_t)INT_MAX + 1 : (uint64_t)INT_MAX, &v, e) != LVT_OK)
    return lvt_err_set(e, LVT_ERR_PROTO, "bad value for \"%.*s\": not an int",
                       (int)f->key.n, f->key.p);
  *out = neg ? (int)(-(int64_t)v) : (int)v;
  return LVT_OK;
}

/* =====================================================================
** Encoding
** ===================================================================== */
/* Writes 'v' in decimal at the end of 'tmp' (24 bytes); returns where it
** starts. (Frames are encoded for every program on every VM: no printf.) */
static char *u64_dec(uint64_t v, char tmp[24]) {
  char *p = tmp + 24;
  do {
    *--p = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return p;
}

/* Appends "<a> <number><c>" ('c': ' ' or LF). */
static void add_word_num(LvtBuf *b, const char *a, uint64_t v, char c) {
  char tmp[24];
  const char *d = u64_dec(v, tmp);
  lvt_buf_adds(b, a);
  lvt_buf_addc(b, ' ');
  lvt_buf_add(b, d, (size_t)(tmp + 24 - d));
  lvt_buf_addc(b, c);
}

static void add_header(LvtBuf *b, const char *kind, int nfields) {
  add_word_num(b, "LVX", LVT_PROTO_VERSION, ' ');
  add_word_num(b, kind, (uint64_t)nfields, '\n');
}

static void add_field(LvtBuf *b, const char *key, const void *p, size_t n) {
  add_word_num(b, key, n, '\n');
  lvt_buf_add(b, p, n);
  lvt_buf_addc(b, '\n');
}

static void add_num(LvtBuf *b, const char *key, uint64_t v) {
  char tmp[24];
  const char *d = u64_dec(v, tmp);
  add_field(b, key, d, (size_t)(tmp + 24 - d));
}

/* The names through which a program can reach state that all programs
** share (the real globals and libraries, the registry, shared
** metatables, other programs' functions): as identifiers, the only ways
** in apart from getmetatable of a non-table, which the sandbox checks
** as it happens (PROTOCOL.md, 'pure'). */
static const char *const escapes[] = {
  "debug", "_G", "_ENV", "load", "loadstring", "loadfile", "dofile", "require",
  "package", "module", "getfenv", "setfenv", "io", "jit",
};

/* 1: a letter or '_', 2: a digit, 0: neither. 'cand[c][n]': the names in
** 'escapes' that start with 'c' and have 'n' bytes (a bit each). */
#define ESC_MAXLEN 16
_Static_assert(sizeof escapes / sizeof escapes[0] <= 16, "one bit per name in 'cand'");
static unsigned char idchar[256];
static uint16_t cand[256][ESC_MAXLEN + 1];

static void pure_init(void) {
  int c;
  size_t k;
  for (c = 0; c < 256; c++)
    idchar[c] = (unsigned char)((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
                                ? 1 : c >= '0' && c <= '9' ? 2 : 0);
  for (k = 0; k < sizeof escapes / sizeof escapes[0]; k++)
    cand[(unsigned char)escapes[k][0]][strlen(escapes[k])] |= (uint16_t)(1u << k);
}

int lvt_proto_pure(const char *src, size_t len) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  const unsigned char *s = (const unsigned char *)src, *end = s + len;
  if (src == NULL) return 1;
  if (len > 0 && s[0] == 0x1b) return 0;   /* a binary chunk: no text to read */
  pthread_once(&once, pure_init);
  /* Every maximal run of identifier characters that starts with a letter
  ** or '_', strings and comments included (an over-approximation: code
  ** identifiers are such runs; a run that starts with a digit is part of
  ** a numeral, which Lua's lexer reads whole). */
  while (s < end) {
    const unsigned char *w;
    size_t n;
    unsigned m;
    if (idchar[*s] == 0) {
      s++;
      continue;
    }
    w = s++;
    while (s < end && idchar[*s] != 0) s++;
    n = (size_t)(s - w);
    if (n > ESC_MAXLEN || (m = cand[*w][n]) == 0) continue;   /* (digits have none) */
    for (; m != 0; m &= m - 1) {
      unsigned k = (unsigned)__builtin_ctz(m);
      if (memcmp(escapes[k], w, n) == 0) return 0;
    }
  }
  return 1;
}

/* The last prelude (of at most PRELUDE_KEEP bytes) this thread checked,
** and the answer: programs come with the same prelude run after run, and
** a comparison is cheaper than a scan. */
#define PRELUDE_KEEP 8192
static _Thread_local struct {
  char text[PRELUDE_KEEP];
  size_t len;   /* 0: none kept */
  int pure;
} last_prelude;

int lvt_proto_pure_program(const LvtProgram *p) {
  if (!lvt_proto_pure(p->src, p->len)) return 0;
  if (p->prelude == NULL) return 1;
  if (p->prelude_len == 0 || p->prelude_len > PRELUDE_KEEP)
    return lvt_proto_pure(p->prelude, p->prelude_len);
  if (last_prelude.len != p->prelude_len ||
      memcmp(last_prelude.text, p->prelude, p->prelude_len) != 0) {
    memcpy(last_prelude.text, p->prelude, p->prelude_len);
    last_prelude.len = p->prelude_len;
    last_prelude.pure = lvt_proto_pure(p->prelude, p->prelude_len);
  }
  return last_prelude.pure;
}

void lvt_proto_encode_request(LvtBuf *frame, const LvtProgram *p,
                              const LvtLimits *lim) {
  const char *name = p->name != NULL ? p->name : "?";
  size_t maxo = lim->max_output ? lim->max_output : LVT_DEFAULT_MAX_OUTPUT;
  int pure = lvt_proto_pure_program(p);
  add_header(frame, "run", 7 + (p->prelude != NULL) + pure);
  add_field(frame, "name", name, strlen(name));
  add_field(frame, "src", p->src, p->len);
  if (p->prelude != NULL) add_field(frame, "prelude", p->prelude, p->prelude_len);
  if (pure) add_num(frame, "pure", 1);
  add_num(frame, "instr_limit", lim->instr_limit);
  add_num(frame, "max_output", maxo);
  add_num(frame, "deterministic", lim->deterministic != 0);
  add_num(frame, "allow_binary", lim->allow_binary != 0);
  add_num(frame, "selftest", lim->selftest_crash != 0);
}

void lvt_proto_encode_result(LvtBuf *frame, const LvtRun *r, int dirty) {
  const char *oname = lvt_outcome_name(r->outcome);
  /* Optional fields are sent only when they say something. */
  int has_type = r->err_type[0] != '\0';
  int has_val = r->err_value.len > 0 || r->outcome == LVT_RUN_ERROR;
  int has_exit = r->outcome == LVT_RUN_EXIT;
  char code[16];
  add_header(frame, "result", 2 + (r->out_truncated != 0) + has_type + has_val +
             has_exit + (r->detail.len > 0) + (r->peak_mem > 0) + (dirty != 0));
  add_field(frame, "outcome", oname, strlen(oname));
  add_field(frame, "out", r->out.data, r->out.len);
  if (r->out_truncated) add_num(frame, "truncated", 1);
  if (has_type) add_field(frame, "errtype", r->err_type, strnlen(r->err_type, 15));
  if (has_val) add_field(frame, "errval", r->err_value.data, r->err_value.len);
  if (has_exit)
    add_field(frame, "exit", code, (size_t)snprintf(code, sizeof code, "%d", r->exit_code));
  if (r->detail.len > 0) add_field(frame, "detail", r->detail.data, r->detail.len);
  if (r->peak_mem > 0) add_num(frame, "peak_mem", r->peak_mem);
  if (dirty) add_num(frame, "dirty", 1);
}

void lvt_proto_encode_hello(LvtBuf *frame, const char *impl) {
  add_header(frame, "hello", 1);
  add_field(frame, "impl", impl, strlen(impl));
}

/* =====================================================================
** Decoding
** ===================================================================== */
void lvt_request_init(LvtRequest *rq) {
  lvt_buf_init(&rq->name);
  lvt_buf_init(&rq->src);
  lvt_buf_init(&rq->prelude);
  rq->has_prelude = 0;
  rq->pure = 0;
  memset(&rq->lim, 0, sizeof rq->lim);
}

void lvt_request_reset(LvtRequest *rq) {
  lvt_buf_reset(&rq->name);
  lvt_buf_reset(&rq->src);
  lvt_buf_reset(&rq->prelude);
  lvt_request_init(rq);
}

int lvt_proto_decode_request(const char *data, size_t len, size_t *used,
                             LvtRequest *rq, LvtErr *e) {
  Frame fr;
  int rc = parse_kind(data, len, "run", &fr, used, e), i, have_src = 0;
  uint64_t v;
  if (rc != LVT_OK) return rc;
  lvt_buf_set(&rq->name, "?", 1);
  lvt_buf_clear(&rq->src);
  lvt_buf_clear(&rq->prelude);
  rq->has_prelude = 0;
  rq->pure = 0;
  memset(&rq->lim, 0, sizeof rq->lim);
  rq->lim.max_output = LVT_DEFAULT_MAX_OUTPUT;
  rq->lim.allow_binary = 1;
  for (i = 0; i < fr.nfields && rc == LVT_OK; i++) {
    const Field *f = &fr.f[i];
    if (span_is(f->key, "name")) lvt_buf_set(&rq->name, f->val.p, f->val.n);
    else if (span_is(f->key, "src")) {
      lvt_buf_set(&rq->src, f->val.p, f->val.n);
      have_src = 1;
    } else if (span_is(f->key, "prelude")) {
      lvt_buf_set(&rq->prelude, f->val.p, f->val.n);
      rq->has_prelude = 1;
    } else if (span_is(f->key, "instr_limit")) {
      rc = field_u64(f, UINT64_MAX, &rq->lim.instr_limit, e);
    } else if (span_is(f->key, "max_output")) {
      if ((rc = field_u64(f, SIZE_MAX, &v, e)) == LVT_OK) rq->lim.max_output = (size_t)v;
    } else if (span_is(f->key, "deterministic")) rc = field_bool(f, &rq->lim.deterministic, e);
    else if (span_is(f->key, "allow_binary")) rc = field_bool(f, &rq->lim.allow_binary, e);
    else if (span_is(f->key, "selftest")) rc = field_bool(f, &rq->lim.selftest_crash, e);
    else if (span_is(f->key, "pure")) rc = field_bool(f, &rq->pure, e);
  }
  if (rc == LVT_OK && !have_src)
    rc = lvt_err_set(e, LVT_ERR_PROTO, "missing key \"src\" in a run frame");
  return rc;
}

/* Sets the outcome from a field value. */
static int field_outcome(const Field *f, LvtRun *r, LvtErr *e) {
  char name[16];
  int o = -1;
  if (f->val.n < sizeof name) {
    memcpy(name, f->val.p, f->val.n);
    name[f->val.n] = '\0';
    o = lvt_outcome_parse(name);
  }
  if (o < 0)
    return lvt_err_set(e, LVT_ERR_PROTO, "unknown outcome \"%.*s\"",
                       (int)(f->val.n > 24 ? 24 : f->val.n), f->val.p);
  r->outcome = (LvtOutcome)o;
  return LVT_OK;
}

int lvt_proto_decode_result(const char *data, size_t len, size_t *used,
                            LvtRun *r, int *dirty, LvtErr *e) {
  Frame fr;
  int rc = parse_kind(data, len, "result", &fr, used, e), i, have_outcome = 0;
  uint64_t v;
  if (rc != LVT_OK) return rc;
  lvt_run_clear(r);
  *dirty = 0;
  for (i = 0; i < fr.nfields && rc == LVT_OK; i++) {
    const Field *f = &fr.f[i];
    if (span_is(f->key, "outcome")) {
      rc = field_outcome(f, r, e);
      have_outcome = 1;
    } else if (span_is(f->key, "out")) lvt_buf_set(&r->out, f->val.p, f->val.n);
    else if (span_is(f->key, "truncated")) rc = field_bool(f, &r->out_truncated, e);
    else if (span_is(f->key, "errtype")) {
      if (f->val.n >= sizeof r->err_type || memchr(f->val.p, '\0', f->val.n) != NULL)
        rc = lvt_err_set(e, LVT_ERR_PROTO, "bad value for \"errtype\" (%zu bytes)", f->val.n);
      else memcpy(r->err_type, f->val.p, f->val.n);
    } else if (span_is(f->key, "errval")) lvt_buf_set(&r->err_value, f->val.p, f->val.n);
    else if (span_is(f->key, "exit")) rc = field_int(f, &r->exit_code, e);
    else if (span_is(f->key, "detail")) lvt_buf_set(&r->detail, f->val.p, f->val.n);
    else if (span_is(f->key, "peak_mem")) {
      if ((rc = field_u64(f, SIZE_MAX, &v, e)) == LVT_OK) r->peak_mem = (size_t)v;
    } else if (span_is(f->key, "dirty")) rc = field_bool(f, dirty, e);
  }
  if (rc == LVT_OK && !have_outcome)
    rc = lvt_err_set(e, LVT_ERR_PROTO, "missing key \"outcome\" in a result frame");
  return rc;
}

int lvt_proto_decode_hello(const char *data, size_t len, size_t *used,
                           LvtBuf *impl, LvtErr *e) {
  Frame fr;
  int rc = parse_kind(data, len, "hello", &fr, used, e), i;
  if (rc != LVT_OK) return rc;
  lvt_buf_clear(impl);
  for (i = 0; i < fr.nfields; i++)
    if (span_is(fr.f[i].key, "impl")) lvt_buf_set(impl, fr.f[i].val.p, fr.f[i].val.n);
  return LVT_OK;
}
