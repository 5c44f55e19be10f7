/*
** lvt_lparse.c -- the lexer and the recursive-descent parser of Lua
** 5.1..5.4 (a superset grammar) into the tree of lvt_ast.h, with scopes
** resolved and the static rules of Lua's compilers applied (see
** lvt_ast.h), and lvt_lua_parses.
**
** The grammar and the static checks follow the Lua 5.4 reference manual
** (§3, §9); the dialect differences are recorded as LVT_USE_* bits and
** judged by lvt_ast_check_profile.
*/
#include "lvt_ast.h"
#include "lvt_meta.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* =====================================================================
** Arena
** ===================================================================== */
typedef struct LvtChunk {
  struct LvtChunk *next;
  size_t used, cap;
  max_align_t data[];
} LvtChunk;

struct LvtArena {
  LvtChunk *head;
};

void *lvt_arena_alloc(LvtArena *a, size_t n) {
  LvtChunk *c = a->head;
  n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
  if (c == NULL || c->used + n > c->cap) {
    size_t cap = n > 65536 ? n : 65536;
    c = lvt_xmalloc(sizeof *c + cap);
    c->next = a->head;
    c->used = 0;
    c->cap = cap;
    a->head = c;
  }
  {
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
  }
}

const char *lvt_arena_strdup(LvtArena *a, const char *s, size_t n) {
  char *p = lvt_arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static LvtAst *ast_new(void) {
  LvtAst *t = lvt_xcalloc(1, sizeof *t);
  t->arena = lvt_xcalloc(1, sizeof *t->arena);
  return t;
}

void lvt_ast_free(LvtAst *t) {
  LvtChunk *c, *n;
  if (t == NULL) return;
  for (c = t->arena->head; c != NULL; c = n) {
    n = c->next;
    free(c);
  }
  free(t->arena);
  free(t);
}

LvtNode *lvt_ast_node(LvtAst *t, LvtNk kind) {
  LvtNode *n = lvt_arena_alloc(t->arena, sizeof *n);
  n->kind = (uint8_t)kind;
  t->nnodes++;
  return n;
}

LvtVar *lvt_ast_var(LvtAst *t, const char *name, LvtFunc *fn) {
  LvtVar *v = lvt_arena_alloc(t->arena, sizeof *v);
  v->name = name;
  v->fn = fn;
  v->id = t->nvars++;
  return v;
}

LvtNode *lvt_ast_copy(LvtAst *t, const LvtNode *n, int siblings) {
  LvtNode *head = NULL, **tail = &head;
  for (; n != NULL; n = siblings ? n->next : NULL) {
    LvtNode *c = lvt_ast_node(t, (LvtNk)n->kind);
    *c = *n;
    if (n->s != NULL) c->s = lvt_arena_strdup(t->arena, n->s, n->slen);
    c->a = lvt_ast_copy(t, n->a, 1);
    c->b = lvt_ast_copy(t, n->b, 1);
    c->c = lvt_ast_copy(t, n->c, 1);
    c->next = NULL;
    *tail = c;
    tail = &c->next;
  }
  return head;
}

static const char *const op_texts[LVT_OP__COUNT] = {
  "+", "-", "*", "%", "^", "/", "//", "&", "|", "~", "<<", ">>", "..",
  "==", "<", "<=", "~=", ">", ">=", "and", "or",
  "-", "not", "#", "~"
};

const char *lvt_op_text(LvtOp op) {
  return (unsigned)op < LVT_OP__COUNT ? op_texts[op] : "?";
}

/* =====================================================================
** Lexer
** ===================================================================== */
enum {
  TK_AND = 257, TK_BREAK, TK_DO, TK_ELSE, TK_ELSEIF, TK_END, TK_FALSE,
  TK_FOR, TK_FUNCTION, TK_GOTO, TK_IF, TK_IN, TK_LOCAL, TK_NIL, TK_NOT,
  TK_OR, TK_REPEAT, TK_RETURN, TK_THEN, TK_TRUE, TK_UNTIL, TK_WHILE,
  /* other multi-char tokens */
  TK_IDIV, TK_CONCAT, TK_DOTS, TK_EQ, TK_GE, TK_LE, TK_NE, TK_SHL, TK_SHR,
  TK_DBCOLON, TK_EOS, TK_NUMBER, TK_STRING, TK_NAME
};

static const char *const reserved[] = {
  "and", "break", "do", "else", "elseif", "end", "false", "for",
  "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat",
  "return", "then", "true", "until", "while"
};

static const unsigned char reserved_len[] = {
  3, 5, 2, 4, 6, 3, 5, 3, 8, 4, 2, 2, 5, 3, 3, 2, 6, 6, 4, 4, 5, 5
};
/* Index of the first reserved word starting with 'a' + i (the list is
** sorted), -1 for none. */
static const signed char reserved_first[23] = {
  0, 1, -1, 2, 3, 6, 9, -1, 10, -1, -1, 12, -1, 13, 15, -1, -1, 16, -1,
  18, 20, -1, 21
};

typedef struct Token {
  int tk;
  int line;
  size_t start, end;   /* source bytes of the token */
} Token;

/* Parser limits: deeper nesting is rejected as Lua's C-level limit
** (LUAI_MAXCCALLS, 200) would; it also bounds this parser's recursion. */
#define MAX_LEVEL 190
#define MAX_LOCALS 200
/* Longest chain of suffixes (a.b.c...) or left-associative operators
** (a+b+c...): Lua takes them iteratively, this tree nests them. */
#define MAX_CHAIN 1000
/* Deepest tree the recursive walkers (printer, rewriters) get: checked
** after parsing when a long chain was seen (chains nested in chains). */
#define MAX_TREE_DEPTH 2000

typedef struct Block Block;
typedef struct FuncState FuncState;

typedef struct Label {
  const char *name;
  int nactvar;
  int line;
  Block *bl;
} Label;

typedef struct Goto {
  const char *name;
  int nactvar;
  int line;
  Block *bl;
} Goto;

struct Block {
  Block *prev;
  int nactvar;       /* active locals at block entry */
  int isloop;
  int nlabel;        /* labels of the function when the block opened */
};

struct FuncState {
  FuncState *prev;
  LvtFunc *fn;
  Block *bl;
  int vararg;
  int firstactive;   /* index in P->actv of this function's first local */
  int nlabel0, ngoto0;
  /* upvalue names of this function (distinct LvtVar pointers) */
  LvtVar **upv;
  int nupv, capupv;
};

typedef struct P {
  const char *src;
  size_t len, pos;
  int line;
  Token t, ahead;
  int lastline;           /* line of the previous token */
  LvtAst *ast;
  LvtProfile profile;
  int level;
  jmp_buf jb;
  LvtErr *e;
  FuncState *fs;
  /* active locals of all open functions (a stack) */
  LvtVar **actv;
  int nactv, capactv;
  Label *labels;
  int nlabels, caplabels;
  Goto *gotos;
  int ngotos, capgotos;
  /* interned names: equal names are one pointer */
  const char **itab;
  size_t icap, icount;
  int longchain;          /* a chain of 100+ suffixes or operators */
} P;

static void uses(P *p, unsigned bit, int line) {
  if (!(p->ast->uses & bit)) {
    int i = 0;
    while (!((1u << i) & bit)) i++;
    p->ast->uses |= bit;
    p->ast->uses_line[i] = line;
  }
}

__attribute__((noreturn, format(printf, 3, 4)))
static void fail(P *p, int line, const char *fmt, ...) {
  char msg[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  lvt_err_set(p->e, LVT_ERR_USAGE, "line %d: %s", line, msg);
  longjmp(p->jb, 1);
}

static int cur(P *p) {
  return p->pos < p->len ? (unsigned char)p->src[p->pos] : -1;
}
static int peekc(P *p, size_t k) {
  return p->pos + k < p->len ? (unsigned char)p->src[p->pos + k] : -1;
}
static int isalpha_(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static int isdigit_(int c) { return c >= '0' && c <= '9'; }
static int isalnum_(int c) { return isalpha_(c) || isdigit_(c); }
static int isxdigit_(int c) {
  return isdigit_(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Skips a newline sequence (\n, \r, \n\r, \r\n) and counts the line. */
static void newline(P *p) {
  int c = cur(p);
  p->pos++;
  if ((cur(p) == '\n' || cur(p) == '\r') && cur(p) != c) p->pos++;
  p->line++;
}

/* At '[': returns the level of a long bracket '[' '='* '[' (>= 0), -1
** when it is just '[', -2 for '[=' not followed by '['. */
static int long_level(P *p) {
  size_t k = 1;
  while (peekc(p, k) == '=') k++;
  if (peekc(p, k) == '[') return (int)k - 1;
  return k == 1 ? -1 : -2;
}

/* Reads a long string/comment body after the opening bracket. */
static void read_long(P *p, int level, int line0, const char *what) {
  p->pos += (size_t)level + 2;
  if (cur(p) == '\r' || cur(p) == '\n') newline(p);
  for (;;) {
    int c = cur(p);
    if (c < 0) fail(p, line0, "unfinished long %s", what);
    if (c == ']') {
      size_t k = 1;
      while (peekc(p, k) == '=') k++;
      if (peekc(p, k) == ']' && (int)k - 1 == level) {
        p->pos += k + 1;
        return;
      }
      p->pos++;
    } else if (c == '[') {
      if (level == 0 && peekc(p, 1) == '[') uses(p, LVT_USE_NESTLONG, p->line);
      p->pos++;
    } else if (c == '\n' || c == '\r') {
      newline(p);
    } else {
      p->pos++;
    }
  }
}

static void read_string(P *p, int q) {
  int line0 = p->line;
  p->pos++;
  for (;;) {
    int c = cur(p);
    if (c < 0) fail(p, line0, "unfinished string");
    if (c == '\n' || c == '\r') fail(p, p->line, "unfinished string");
    if (c == q) {
      p->pos++;
      return;
    }
    if (c != '\\') {
      p->pos++;
      continue;
    }
    p->pos++;
    c = cur(p);
    switch (c) {
      case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v':
      case '\\': case '"': case '\'':
        p->pos++;
        break;
      case '\n': case '\r':
        newline(p);
        break;
      case 'x': {
        uses(p, LVT_USE_ESC52, p->line);
        p->pos++;
        if (!isxdigit_(cur(p)) || !isxdigit_(peekc(p, 1)))
          fail(p, p->line, "hexadecimal digit expected");
        p->pos += 2;
        break;
      }
      case 'z':
        uses(p, LVT_USE_ESC52, p->line);
        p->pos++;
        for (;;) {
          c = cur(p);
          if (c == '\n' || c == '\r') newline(p);
          else if (c == ' ' || c == '\t' || c == '\f' || c == '\v') p->pos++;
          else break;
        }
        break;
      case 'u': {
        unsigned long v = 0;
        int nd = 0;
        uses(p, LVT_USE_INT53, p->line);
        p->pos++;
        if (cur(p) != '{') fail(p, p->line, "missing '{' in \\u{xxxx}");
        p->pos++;
        while (isxdigit_(cur(p))) {
          int d = cur(p);
          v = v * 16 + (unsigned long)(isdigit_(d) ? d - '0' : (d | 32) - 'a' + 10);
          if (v > 0x7FFFFFFFul) fail(p, p->line, "UTF-8 value too large");
          nd++;
          p->pos++;
        }
        if (nd == 0) fail(p, p->line, "hexadecimal digit expected");
        if (cur(p) != '}') fail(p, p->line, "missing '}' in \\u{xxxx}");
        p->pos++;
        break;
      }
      default:
        if (isdigit_(c)) {
          int v = 0, k;
          for (k = 0; k < 3 && isdigit_(cur(p)); k++) {
            v = v * 10 + cur(p) - '0';
            p->pos++;
          }
          if (v > 255) fail(p, p->line, "decimal escape too large");
        } else {
          fail(p, p->line, "invalid escape sequence");
        }
    }
  }
}

/* A numeral, read as Lua's read_numeral does, then checked. */
static void read_number(P *p) {
  size_t s = p->pos, i;
  const char *expo = "Ee";
  int hex = 0, digits = 0, dot = 0;
  if (cur(p) == '0' && (peekc(p, 1) == 'x' || peekc(p, 1) == 'X')) {
    expo = "Pp";
    hex = 1;
    p->pos += 2;
  }
  for (;;) {
    int c = cur(p);
    if (c == expo[0] || c == expo[1]) {
      p->pos++;
      if (cur(p) == '+' || cur(p) == '-') p->pos++;
    } else if (isxdigit_(c) || c == '.') {
      p->pos++;
    } else {
      break;
    }
  }
  if (isalpha_(cur(p))) fail(p, p->line, "malformed number");
  /* validate: [0x] digits [. digits] [exp [sign] decdigits] */
  i = s + (hex ? 2 : 0);
  while (i < p->pos && (hex ? isxdigit_(p->src[i]) : isdigit_(p->src[i]))) {
    i++;
    digits++;
  }
  if (i < p->pos && p->src[i] == '.') {
    i++;
    dot = 1;
    while (i < p->pos && (hex ? isxdigit_(p->src[i]) : isdigit_(p->src[i]))) {
      i++;
      digits++;
    }
  }
  if (digits == 0) fail(p, p->line, "malformed number");
  if (i < p->pos && (p->src[i] == expo[0] || p->src[i] == expo[1])) {
    int ed = 0;
    i++;
    if (i < p->pos && (p->src[i] == '+' || p->src[i] == '-')) i++;
    while (i < p->pos && isdigit_(p->src[i])) {
      i++;
      ed++;
    }
    if (ed == 0) fail(p, p->line, "malformed number");
    if (hex) uses(p, LVT_USE_ESC52, p->line);
  } else if (hex && dot) {
    uses(p, LVT_USE_ESC52, p->line);
  }
  if (i != p->pos) fail(p, p->line, "malformed number");
}

static void lex(P *p, Token *t) {
  for (;;) {
    int c = cur(p);
    t->line = p->line;
    t->start = p->pos;
    switch (c) {
      case -1:
        t->tk = TK_EOS;
        t->end = p->pos;
        return;
      case '\n': case '\r':
        newline(p);
        continue;
      case ' ': case '\t': case '\f': case '\v':
        p->pos++;
        continue;
      case '-':
        if (peekc(p, 1) != '-') {
          p->pos++;
          t->tk = '-';
          break;
        }
        p->pos += 2;
        if (cur(p) == '[') {
          int lv = long_level(p);
          if (lv >= 0) {
            read_long(p, lv, p->line, "comment");
            continue;
          }
        }
        while (cur(p) >= 0 && cur(p) != '\n' && cur(p) != '\r') p->pos++;
        continue;
      case '[': {
        int lv = long_level(p);
        if (lv >= 0) {
          read_long(p, lv, p->line, "string");
          t->tk = TK_STRING;
        } else if (lv == -1) {
          p->pos++;
          t->tk = '[';
        } else {
          fail(p, p->line, "invalid long string delimiter");
        }
        break;
      }
      case '=':
        p->pos++;
        if (cur(p) == '=') { p->pos++; t->tk = TK_EQ; } else t->tk = '=';
        break;
      case '<':
        p->pos++;
        if (cur(p) == '=') { p->pos++; t->tk = TK_LE; }
        else if (cur(p) == '<') { p->pos++; t->tk = TK_SHL; }
        else t->tk = '<';
        break;
      case '>':
        p->pos++;
        if (cur(p) == '=') { p->pos++; t->tk = TK_GE; }
        else if (cur(p) == '>') { p->pos++; t->tk = TK_SHR; }
        else t->tk = '>';
        break;
      case '/':
        p->pos++;
        if (cur(p) == '/') { p->pos++; t->tk = TK_IDIV; } else t->tk = '/';
        break;
      case '~':
        p->pos++;
        if (cur(p) == '=') { p->pos++; t->tk = TK_NE; } else t->tk = '~';
        break;
      case ':':
        p->pos++;
        if (cur(p) == ':') { p->pos++; t->tk = TK_DBCOLON; } else t->tk = ':';
        break;
      case '"': case '\'':
        read_string(p, c);
        t->tk = TK_STRING;
        break;
      case '.':
        if (peekc(p, 1) == '.') {
          if (peekc(p, 2) == '.') { p->pos += 3; t->tk = TK_DOTS; }
          else { p->pos += 2; t->tk = TK_CONCAT; }
        } else if (isdigit_(peekc(p, 1))) {
          read_number(p);
          t->tk = TK_NUMBER;
        } else {
          p->pos++;
          t->tk = '.';
        }
        break;
      default:
        if (isdigit_(c)) {
          read_number(p);
          t->tk = TK_NUMBER;
        } else if (isalpha_(c)) {
          size_t n, k;
          while (isalnum_(cur(p))) p->pos++;
          n = p->pos - t->start;
          t->tk = TK_NAME;
          if (n >= 2 && n <= 8 && c >= 'a' && c <= 'w' && reserved_first[c - 'a'] >= 0)
            for (k = (size_t)reserved_first[c - 'a'];
                 k < sizeof reserved / sizeof reserved[0] && reserved[k][0] == c; k++)
              if (reserved_len[k] == n &&
                  memcmp(reserved[k], p->src + t->start, n) == 0) {
                t->tk = TK_AND + (int)k;
                break;
              }
        } else if (strchr("+*%^#&|(){}];,", c) != NULL) {
          p->pos++;
          t->tk = c;
        } else {
          fail(p, p->line, "unexpected symbol near '%s%c'",
               c < 32 || c > 126 ? "\\x" : "", c < 32 || c > 126 ? '?' : c);
        }
    }
    t->end = p->pos;
    return;
  }
}

static void next(P *p) {
  p->lastline = p->t.line;
  if (p->ahead.tk != 0) {
    p->t = p->ahead;
    p->ahead.tk = 0;
  } else {
    lex(p, &p->t);
  }
}

static int lookahead(P *p) {
  if (p->ahead.tk == 0) lex(p, &p->ahead);
  return p->ahead.tk;
}

static const char *tok_name(int tk, char *buf) {
  static const char *const multi[] = {
    "//", "..", "...", "==", ">=", "<=", "~=", "<<", ">>", "::",
    "<eof>", "number", "string", "name"
  };
  if (tk < 256) {
    buf[0] = (char)tk;
    buf[1] = '\0';
    return buf;
  }
  if (tk < TK_IDIV) return reserved[tk - TK_AND];
  return multi[tk - TK_IDIV];
}

__attribute__((noreturn))
static void fail_expected(P *p, const char *what) {
  char b1[2];
  fail(p, p->t.line, "%s expected near '%s'", what, tok_name(p->t.tk, b1));
}

static void check(P *p, int tk) {
  char b[2];
  if (p->t.tk != tk) {
    char w[32];
    snprintf(w, sizeof w, "'%s'", tok_name(tk, b));
    fail_expected(p, w);
  }
}

static void checknext(P *p, int tk) {
  check(p, tk);
  next(p);
}

static int testnext(P *p, int tk) {
  if (p->t.tk == tk) {
    next(p);
    return 1;
  }
  return 0;
}

static void check_match(P *p, int what, int who, int line) {
  if (p->t.tk != what) {
    char b1[2], b2[2], b3[2];
    if (line == p->t.line) check(p, what);
    fail(p, p->t.line, "'%s' expected (to close '%s' at line %d) near '%s'",
         tok_name(what, b1), tok_name(who, b2), line, tok_name(p->t.tk, b3));
  }
  next(p);
}

static const char *tok_str(P *p) {
  return lvt_arena_strdup(p->ast->arena, p->src + p->t.start,
                          p->t.end - p->t.start);
}

/* The interned copy of name 's[0..n)': one pointer per distinct name,
** so scopes compare names by pointer. */
static const char *intern(P *p, const char *s, size_t n) {
  size_t h = 2166136261u, i;
  for (i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  if (p->icount * 2 >= p->icap) {   /* grow and rehash */
    size_t ncap = p->icap ? p->icap * 2 : 256, j;
    const char **nt = lvt_xcalloc(ncap, sizeof *nt);
    for (j = 0; j < p->icap; j++) {
      const char *x = p->itab[j];
      size_t hx = 2166136261u, k, lx;
      if (x == NULL) continue;
      lx = strlen(x);
      for (k = 0; k < lx; k++) hx = (hx ^ (unsigned char)x[k]) * 16777619u;
      for (k = hx & (ncap - 1); nt[k] != NULL; k = (k + 1) & (ncap - 1)) {}
      nt[k] = x;
    }
    free(p->itab);
    p->itab = nt;
    p->icap = ncap;
  }
  for (i = h & (p->icap - 1); p->itab[i] != NULL; i = (i + 1) & (p->icap - 1)) {
    const char *x = p->itab[i];
    if (strncmp(x, s, n) == 0 && x[n] == '\0') return x;
  }
  p->itab[i] = lvt_arena_strdup(p->ast->arena, s, n);
  p->icount++;
  return p->itab[i];
}

static const char *str_checkname(P *p) {
  const char *s;
  check(p, TK_NAME);
  s = intern(p, p->src + p->t.start, p->t.end - p->t.start);
  next(p);
  return s;
}

static void enterlevel(P *p) {
  if (++p->level > MAX_LEVEL) fail(p, p->t.line, "chunk has too many syntax levels");
}
#define leavelevel(p) ((p)->level--)

/* =====================================================================
** Scopes
** ===================================================================== */
#define GROW(arr, n, cap) do { \
    if ((n) >= (cap)) { \
      (cap) = (cap) ? (cap) * 2 : 16; \
      (arr) = lvt_xrealloc((arr), (size_t)(cap) * sizeof *(arr)); \
    } \
  } while (0)

static int nactive(P *p) { return p->nactv - p->fs->firstactive; }

static LvtVar *new_local(P *p, const char *name) {
  LvtVar *v = lvt_ast_var(p->ast, name, p->fs->fn);
  p->fs->fn->nlocals++;
  return v;
}

/* Makes 'v' active (in scope). */
static void activate(P *p, LvtVar *v, int line) {
  GROW(p->actv, p->nactv, p->capactv);
  p->actv[p->nactv++] = v;
  if (nactive(p) > MAX_LOCALS)
    fail(p, line, "too many local variables (limit is %d)", MAX_LOCALS);
  if (nactive(p) > p->fs->fn->maxactive) p->fs->fn->maxactive = nactive(p);
}

static void add_upval(P *p, FuncState *fs, LvtVar *v, int line) {
  int i, lim = p->profile == LVT_PROFILE_PORTABLE ? 60 : 255;
  for (i = 0; i < fs->nupv; i++)
    if (fs->upv[i] == v) return;
  if (fs->nupv >= fs->capupv) {   /* in the arena: an error longjmps past
                                  ** the FuncStates on the C stack */
    int ncap = fs->capupv ? fs->capupv * 2 : 8;
    LvtVar **nu = lvt_arena_alloc(p->ast->arena, (size_t)ncap * sizeof *nu);
    if (fs->nupv > 0) memcpy(nu, fs->upv, (size_t)fs->nupv * sizeof *nu);
    fs->upv = nu;
    fs->capupv = ncap;
  }
  fs->upv[fs->nupv++] = v;
  fs->fn->nupvals = fs->nupv;
  if (fs->nupv > lim) fail(p, line, "too many upvalues (limit is %d)", lim);
}

/* Resolves 'name': its local, or NULL for a global. Marks upvalues in
** every function between the use and the declaration. */
static LvtVar *resolve(P *p, const char *name, int *isup, int line) {
  int i;
  FuncState *fs;
  *isup = 0;
  for (i = p->nactv - 1; i >= 0; i--)
    if (p->actv[i]->name == name) break;   /* interned */
  if (i < 0) return NULL;
  {
    LvtVar *v = p->actv[i];
    if (v->fn != p->fs->fn) {
      *isup = 1;
      v->captured = 1;
      for (fs = p->fs; fs != NULL && fs->fn != v->fn; fs = fs->prev)
        add_upval(p, fs, v, line);
    }
    return v;
  }
}

static void enterblock(P *p, Block *bl, int isloop) {
  bl->isloop = isloop;
  bl->nactvar = nactive(p);
  bl->nlabel = p->nlabels;
  bl->prev = p->fs->bl;
  p->fs->bl = bl;
}

static void leaveblock(P *p) {
  Block *bl = p->fs->bl;
  int i;
  /* pending gotos of this block move out to the enclosing one */
  for (i = p->fs->ngoto0; i < p->ngotos; i++)
    if (p->gotos[i].bl == bl) {
      p->gotos[i].bl = bl->prev;
      if (p->gotos[i].nactvar > bl->nactvar) p->gotos[i].nactvar = bl->nactvar;
    }
  p->nlabels = bl->nlabel;   /* its labels go out of sight */
  p->nactv = p->fs->firstactive + bl->nactvar;
  p->fs->bl = bl->prev;
}

static void new_goto(P *p, const char *name, int line) {
  int i;
  for (i = p->fs->nlabel0; i < p->nlabels; i++)
    if (p->labels[i].name == name) return;  /* backward jump */
  GROW(p->gotos, p->ngotos, p->capgotos);
  p->gotos[p->ngotos].name = name;
  p->gotos[p->ngotos].nactvar = nactive(p);
  p->gotos[p->ngotos].line = line;
  p->gotos[p->ngotos].bl = p->fs->bl;
  p->ngotos++;
}

/* A label; 'last': only void statements follow it in its block (then
** the block's locals count as out of scope, §3.3.4 of 5.4). */
static void new_label(P *p, const char *name, int line, int last) {
  int i, nact = last ? p->fs->bl->nactvar : nactive(p);
  for (i = p->fs->nlabel0; i < p->nlabels; i++)
    if (p->labels[i].name == name &&
        (p->profile == LVT_PROFILE_54 || p->labels[i].bl == p->fs->bl))
      /* 5.4: no visible label of the same name; 5.2/5.3: not in the same
      ** block */
      fail(p, line, "label '%s' already defined on line %d", name,
           p->labels[i].line);
  GROW(p->labels, p->nlabels, p->caplabels);
  p->labels[p->nlabels].name = name;
  p->labels[p->nlabels].nactvar = nact;
  p->labels[p->nlabels].line = line;
  p->labels[p->nlabels].bl = p->fs->bl;
  p->nlabels++;
  for (i = p->fs->ngoto0; i < p->ngotos; i++) {
    Goto *g = &p->gotos[i];
    if (g->bl == p->fs->bl && g->name == name) {
      if (g->nactvar < nact)
        fail(p, g->line, "<goto %s> at line %d jumps into the scope of a local",
             name, g->line);
      *g = p->gotos[--p->ngotos];
      i--;
    }
  }
}

/* =====================================================================
** Expressions
** ===================================================================== */
static LvtNode *expr(P *p);
static LvtNode *block(P *p);
static LvtNode *funcbody(P *p, int ismethod, int line);

static LvtNode *node(P *p, LvtNk k, int line) {
  LvtNode *n = lvt_ast_node(p->ast, k);
  n->line = line;
  return n;
}

/* explist: returns the first; the others follow through 'next'. */
static LvtNode *explist(P *p) {
  LvtNode *head = expr(p), *tail = head;
  while (testnext(p, ',')) {
    tail->next = expr(p);
    tail = tail->next;
  }
  return head;
}

static LvtNode *name_expr(P *p, const char *name, int line) {
  LvtNode *n = node(p, LVT_E_NAME, line);
  int isup;
  n->s = name;
  n->slen = (uint32_t)strlen(name);
  n->var = resolve(p, name, &isup, line);
  if (isup) n->flags |= LVT_F_UPVAL;
  return n;
}

static LvtNode *constructor(P *p) {
  int line = p->t.line;
  LvtNode *t = node(p, LVT_E_TABLE, line), **tail = &t->a;
  checknext(p, '{');
  while (p->t.tk != '}') {
    LvtNode *f;
    if (p->t.tk == TK_NAME && lookahead(p) == '=') {
      f = node(p, LVT_N_FIELD_NAMED, p->t.line);
      f->s = str_checkname(p);
      f->slen = (uint32_t)strlen(f->s);
      checknext(p, '=');
      f->a = expr(p);
    } else if (p->t.tk == '[') {
      f = node(p, LVT_N_FIELD_KEY, p->t.line);
      next(p);
      f->a = expr(p);
      checknext(p, ']');
      checknext(p, '=');
      f->b = expr(p);
    } else {
      f = node(p, LVT_N_FIELD_POS, p->t.line);
      f->a = expr(p);
    }
    *tail = f;
    tail = &f->next;
    if (!testnext(p, ',') && !testnext(p, ';')) break;
  }
  check_match(p, '}', '{', line);
  return t;
}

static LvtNode *callargs(P *p, int line) {
  LvtNode *args = NULL;
  switch (p->t.tk) {
    case '(':
      if (p->t.line != p->lastline) uses(p, LVT_USE_AMBIG, p->t.line);
      next(p);
      if (p->t.tk != ')') args = explist(p);
      check_match(p, ')', '(', line);
      break;
    case '{':
      args = constructor(p);
      break;
    case TK_STRING:
      args = node(p, LVT_E_STRING, p->t.line);
      args->s = tok_str(p);
      args->slen = (uint32_t)(p->t.end - p->t.start);
      next(p);
      break;
    default:
      fail_expected(p, "function arguments");
  }
  return args;
}

static LvtNode *primaryexp(P *p) {
  int line = p->t.line;
  if (p->t.tk == TK_NAME) return name_expr(p, str_checkname(p), line);
  if (p->t.tk == '(') {
    LvtNode *n = node(p, LVT_E_PAREN, line);
    next(p);
    n->a = expr(p);
    check_match(p, ')', '(', line);
    return n;
  }
  {
    char b[2];
    fail(p, line, "unexpected symbol near '%s'", tok_name(p->t.tk, b));
  }
}

static LvtNode *suffixedexp(P *p) {
  LvtNode *e = primaryexp(p);
  int chain = 0;
  for (;;) {
    int line = p->t.line;
    LvtNode *n;
    switch (p->t.tk) {
      case '.':
        next(p);
        n = node(p, LVT_E_INDEX, line);
        n->flags |= LVT_F_DOT;
        n->a = e;
        n->s = str_checkname(p);
        n->slen = (uint32_t)strlen(n->s);
        break;
      case '[':
        next(p);
        n = node(p, LVT_E_INDEX, line);
        n->a = e;
        n->b = expr(p);
        checknext(p, ']');
        break;
      case ':':
        next(p);
        n = node(p, LVT_E_METHCALL, line);
        n->a = e;
        n->s = str_checkname(p);
        n->slen = (uint32_t)strlen(n->s);
        n->b = callargs(p, line);
        break;
      case '(': case TK_STRING: case '{':
        n = node(p, LVT_E_CALL, line);
        n->a = e;
        n->b = callargs(p, line);
        break;
      default:
        return e;
    }
    e = n;
    /* Lua takes suffixes iteratively; the tree they make is walked
    ** recursively here, so very long chains are refused. */
    if (++chain > MAX_CHAIN) fail(p, line, "chunk has too many syntax levels");
    if (chain == 100) p->longchain = 1;
  }
}

static LvtNode *simpleexp(P *p) {
  int line = p->t.line;
  LvtNode *n;
  switch (p->t.tk) {
    case TK_NUMBER: case TK_STRING:
      n = node(p, p->t.tk == TK_NUMBER ? LVT_E_NUMBER : LVT_E_STRING, line);
      n->s = tok_str(p);
      n->slen = (uint32_t)(p->t.end - p->t.start);
      break;
    case TK_NIL: n = node(p, LVT_E_NIL, line); break;
    case TK_TRUE: n = node(p, LVT_E_TRUE, line); break;
    case TK_FALSE: n = node(p, LVT_E_FALSE, line); break;
    case TK_DOTS:
      if (!p->fs->vararg)
        fail(p, line, "cannot use '...' outside a vararg function near '...'");
      n = node(p, LVT_E_VARARG, line);
      break;
    case '{':
      return constructor(p);
    case TK_FUNCTION:
      next(p);
      n = node(p, LVT_E_FUNCTION, line);
      n->a = funcbody(p, 0, line);
      return n;
    default:
      return suffixedexp(p);
  }
  next(p);
  return n;
}

static int unop(int tk) {
  switch (tk) {
    case TK_NOT: return LVT_OP_NOT;
    case '-': return LVT_OP_NEG;
    case '~': return LVT_OP_BNOT;
    case '#': return LVT_OP_LEN;
    default: return -1;
  }
}

static int binop(int tk) {
  switch (tk) {
    case '+': return LVT_OP_ADD;
    case '-': return LVT_OP_SUB;
    case '*': return LVT_OP_MUL;
    case '%': return LVT_OP_MOD;
    case '^': return LVT_OP_POW;
    case '/': return LVT_OP_DIV;
    case TK_IDIV: return LVT_OP_IDIV;
    case '&': return LVT_OP_BAND;
    case '|': return LVT_OP_BOR;
    case '~': return LVT_OP_BXOR;
    case TK_SHL: return LVT_OP_SHL;
    case TK_SHR: return LVT_OP_SHR;
    case TK_CONCAT: return LVT_OP_CONCAT;
    case TK_NE: return LVT_OP_NE;
    case TK_EQ: return LVT_OP_EQ;
    case '<': return LVT_OP_LT;
    case TK_LE: return LVT_OP_LE;
    case '>': return LVT_OP_GT;
    case TK_GE: return LVT_OP_GE;
    case TK_AND: return LVT_OP_AND;
    case TK_OR: return LVT_OP_OR;
    default: return -1;
  }
}

/* Lua 5.4's priority table (left, right). */
const unsigned char lvt_op_prio[LVT_OP__NBIN][2] = {
  {10, 10}, {10, 10}, {11, 11}, {11, 11}, {14, 13}, {11, 11}, {11, 11},
  {6, 6}, {4, 4}, {5, 5}, {7, 7}, {7, 7}, {9, 8},
  {3, 3}, {3, 3}, {3, 3}, {3, 3}, {3, 3}, {3, 3}, {2, 2}, {1, 1}
};
#define UNARY_PRIORITY LVT_UNARY_PRIORITY

static int op_is_53(int op) {
  return op == LVT_OP_IDIV || op == LVT_OP_BAND || op == LVT_OP_BOR ||
         op == LVT_OP_BXOR || op == LVT_OP_SHL || op == LVT_OP_SHR ||
         op == LVT_OP_BNOT;
}

/* subexpr -> (simpleexp | unop subexpr) { binop subexpr } with binary
** operators of left priority above 'limit'; returns the tree and leaves
** in '*op' the first operator it did not take. */
static LvtNode *subexpr(P *p, int limit, int *opout) {
  LvtNode *e;
  int op, chain = 0;
  enterlevel(p);
  op = unop(p->t.tk);
  if (op >= 0) {
    int line = p->t.line, dummy;
    if (op_is_53(op)) uses(p, LVT_USE_INT53, line);
    next(p);
    e = node(p, LVT_E_UNOP, line);
    e->op = (uint8_t)op;
    e->a = subexpr(p, UNARY_PRIORITY, &dummy);
  } else {
    e = simpleexp(p);
  }
  op = binop(p->t.tk);
  while (op >= 0 && lvt_op_prio[op][0] > limit) {
    int line = p->t.line, nextop;
    LvtNode *b;
    if (++chain > MAX_CHAIN) fail(p, line, "chunk has too many syntax levels");
    if (chain == 100) p->longchain = 1;
    b = node(p, LVT_E_BINOP, line);
    if (op_is_53(op)) uses(p, LVT_USE_INT53, line);
    next(p);
    b->op = (uint8_t)op;
    b->a = e;
    b->b = subexpr(p, lvt_op_prio[op][1], &nextop);
    e = b;
    op = nextop;
  }
  *opout = op;
  leavelevel(p);
  return e;
}

static LvtNode *expr(P *p) {
  int op;
  return subexpr(p, 0, &op);
}

/* =====================================================================
** Functions and blocks
** ===================================================================== */
static void open_func(P *p, FuncState *fs, LvtNode *body) {
  LvtFunc *fn = lvt_arena_alloc(p->ast->arena, sizeof *fn);
  memset(fs, 0, sizeof *fs);
  fn->parent = p->fs ? p->fs->fn : NULL;
  fn->depth = p->fs ? p->fs->fn->depth + 1 : 0;
  fs->prev = p->fs;
  fs->fn = fn;
  fs->firstactive = p->nactv;
  fs->nlabel0 = p->nlabels;
  fs->ngoto0 = p->ngotos;
  body->fn = fn;
  p->fs = fs;
}

static void close_func(P *p) {
  FuncState *fs = p->fs;
  if (p->ngotos > fs->ngoto0) {
    Goto *g = &p->gotos[fs->ngoto0];
    fail(p, g->line, "no visible label '%s' for <goto> at line %d", g->name,
         g->line);
  }
  p->nactv = fs->firstactive;
  p->nlabels = fs->nlabel0;
  p->fs = fs->prev;
}

static LvtNode *decl(P *p, LvtVar *v, int line) {
  LvtNode *d = node(p, LVT_N_DECL, line);
  d->var = v;
  d->s = v->name;
  d->slen = (uint32_t)strlen(v->name);
  return d;
}

static LvtNode *funcbody(P *p, int ismethod, int line) {
  FuncState fs;
  Block bl;
  LvtNode *body = node(p, LVT_N_FUNCBODY, line), **tail = &body->a;
  int nparams = 0;
  enterlevel(p);
  open_func(p, &fs, body);
  enterblock(p, &bl, 0);
  if (ismethod) {
    LvtVar *self = new_local(p, intern(p, "self", 4));
    self->implicit = 1;
    body->flags |= LVT_F_SELF;
    activate(p, self, line);
  }
  checknext(p, '(');
  if (p->t.tk != ')') {
    do {
      if (p->t.tk == TK_NAME) {
        int l = p->t.line;
        LvtVar *v = new_local(p, str_checkname(p));
        *tail = decl(p, v, l);
        tail = &(*tail)->next;
        nparams++;
      } else if (p->t.tk == TK_DOTS) {
        next(p);
        body->flags |= LVT_F_VARARG;
        fs.vararg = 1;
        break;
      } else {
        fail_expected(p, "<name>");
      }
    } while (testnext(p, ','));
  }
  {
    LvtNode *d;
    for (d = body->a; d != NULL; d = d->next) activate(p, d->var, line);
  }
  checknext(p, ')');
  body->b = block(p);
  check_match(p, TK_END, TK_FUNCTION, line);
  leaveblock(p);
  close_func(p);
  leavelevel(p);
  (void)nparams;
  return body;
}

static int block_follow(P *p, int withuntil) {
  switch (p->t.tk) {
    case TK_ELSE: case TK_ELSEIF: case TK_END: case TK_EOS:
      return 1;
    case TK_UNTIL:
      return withuntil;
    default:
      return 0;
  }
}

static LvtNode *statement(P *p);

/* A statement list up to a block end (the caller opens the scope). */
static LvtNode *statlist(P *p) {
  LvtNode *bl = node(p, LVT_N_BLOCK, p->t.line), **tail = &bl->a;
  bl->fn = p->fs->fn;
  while (!block_follow(p, 1)) {
    LvtNode *s;
    if (p->t.tk == TK_RETURN) {
      int line = p->t.line;
      next(p);
      s = node(p, LVT_S_RETURN, line);
      if (!block_follow(p, 1) && p->t.tk != ';') s->a = explist(p);
      testnext(p, ';');
      *tail = s;
      if (!block_follow(p, 1)) fail_expected(p, "<eof>");
      break;
    }
    s = statement(p);
    if (s != NULL) {
      *tail = s;
      tail = &s->next;
      testnext(p, ';');   /* the optional separator (5.1: stat [';']) */
      if (s->kind == LVT_S_BREAK && !block_follow(p, 1))
        uses(p, LVT_USE_BREAKMID, s->line);   /* 5.1: break ends a block */
    }
  }
  return bl;
}

/* A block with its own scope. */
static LvtNode *block(P *p) {
  Block bl;
  LvtNode *b;
  enterblock(p, &bl, 0);
  b = statlist(p);
  leaveblock(p);
  return b;
}

static LvtNode *loop_block(P *p) {
  Block bl;
  LvtNode *b;
  enterblock(p, &bl, 1);
  b = statlist(p);
  leaveblock(p);
  return b;
}

/* =====================================================================
** Statements
** ===================================================================== */
static void check_assignable(P *p, LvtNode *t) {
  if (t->kind == LVT_E_NAME) {
    if (t->var != NULL) {
      if (t->var->attr & (LVT_F_ATTR_CONST | LVT_F_ATTR_CLOSE))
        fail(p, t->line, "attempt to assign to const variable '%s'", t->s);
      t->var->assigned = 1;
    }
  } else if (t->kind != LVT_E_INDEX) {
    fail(p, t->line, "syntax error near '='");
  }
}

static LvtNode *exprstat(P *p) {
  int line = p->t.line;
  LvtNode *e = suffixedexp(p);
  if (p->t.tk == '=' || p->t.tk == ',') {
    LvtNode *s = node(p, LVT_S_ASSIGN, line), *tail = e;
    check_assignable(p, e);
    s->a = e;
    while (testnext(p, ',')) {
      tail->next = suffixedexp(p);
      tail = tail->next;
      check_assignable(p, tail);
    }
    checknext(p, '=');
    s->b = explist(p);
    return s;
  }
  if (e->kind != LVT_E_CALL && e->kind != LVT_E_METHCALL)
    fail(p, line, "syntax error near '%s'",
         p->t.tk == TK_EOS ? "<eof>" : "?");
  {
    LvtNode *s = node(p, LVT_S_CALL, line);
    s->a = e;
    return s;
  }
}

static LvtNode *localstat(P *p, int line) {
  LvtNode *s = node(p, LVT_S_LOCAL, line), **tail = &s->a, *d;
  int nclose = 0;
  do {
    int l = p->t.line;
    LvtVar *v = new_local(p, str_checkname(p));
    if (testnext(p, '<')) {
      const char *a = str_checkname(p);
      uses(p, LVT_USE_ATTRIB, l);
      if (strcmp(a, "const") == 0) v->attr = LVT_F_ATTR_CONST;
      else if (strcmp(a, "close") == 0) v->attr = LVT_F_ATTR_CLOSE;
      else fail(p, l, "unknown attribute '%s'", a);
      if (v->attr == LVT_F_ATTR_CLOSE && ++nclose > 1)
        fail(p, l, "multiple to-be-closed variables in local list");
      checknext(p, '>');
    }
    *tail = decl(p, v, l);
    (*tail)->flags |= (uint16_t)v->attr;
    tail = &(*tail)->next;
  } while (testnext(p, ','));
  if (testnext(p, '=')) s->b = explist(p);
  for (d = s->a; d != NULL; d = d->next) activate(p, d->var, line);
  return s;
}

static LvtNode *forstat(P *p, int line) {
  Block bl;
  LvtNode *s;
  int l = p->t.line;
  const char *n1 = str_checkname(p);
  enterblock(p, &bl, 1);   /* scope of the loop variables */
  if (p->t.tk == '=') {
    LvtVar *v;
    next(p);
    s = node(p, LVT_S_NUMFOR, line);
    s->b = expr(p);
    checknext(p, ',');
    s->b->next = expr(p);
    if (testnext(p, ',')) s->b->next->next = expr(p);
    v = new_local(p, n1);
    s->a = decl(p, v, l);
    checknext(p, TK_DO);
    activate(p, v, l);
    s->c = block(p);
  } else if (p->t.tk == ',' || p->t.tk == TK_IN) {
    LvtNode **tail, *d;
    s = node(p, LVT_S_GENFOR, line);
    s->a = decl(p, new_local(p, n1), l);
    tail = &s->a->next;
    while (testnext(p, ',')) {
      int l2 = p->t.line;
      *tail = decl(p, new_local(p, str_checkname(p)), l2);
      tail = &(*tail)->next;
    }
    checknext(p, TK_IN);
    s->b = explist(p);
    checknext(p, TK_DO);
    for (d = s->a; d != NULL; d = d->next) activate(p, d->var, l);
    s->c = block(p);
  } else {
    fail_expected(p, "'=' or 'in'");
  }
  check_match(p, TK_END, TK_FOR, line);
  leaveblock(p);
  return s;
}

static LvtNode *statement(P *p) {
  int line = p->t.line;
  LvtNode *s = NULL;
  enterlevel(p);
  switch (p->t.tk) {
    case ';':   /* an empty statement: 5.2+ */
      uses(p, LVT_USE_EMPTYSTAT, line);
      next(p);
      break;
    case TK_IF: {
      LvtNode **tail;
      s = node(p, LVT_S_IF, line);
      tail = &s->a;
      do {   /* 'if' / 'elseif' clauses */
        LvtNode *c = node(p, LVT_N_CLAUSE, p->t.line);
        next(p);
        c->a = expr(p);
        checknext(p, TK_THEN);
        c->b = block(p);
        *tail = c;
        tail = &c->next;
      } while (p->t.tk == TK_ELSEIF);
      if (p->t.tk == TK_ELSE) {
        LvtNode *c = node(p, LVT_N_CLAUSE, p->t.line);
        next(p);
        c->b = block(p);
        *tail = c;
      }
      check_match(p, TK_END, TK_IF, line);
      break;
    }
    case TK_WHILE:
      next(p);
      s = node(p, LVT_S_WHILE, line);
      s->a = expr(p);
      checknext(p, TK_DO);
      s->b = loop_block(p);
      check_match(p, TK_END, TK_WHILE, line);
      break;
    case TK_DO:
      next(p);
      s = node(p, LVT_S_DO, line);
      s->a = block(p);
      check_match(p, TK_END, TK_DO, line);
      break;
    case TK_FOR:
      next(p);
      s = forstat(p, line);
      break;
    case TK_REPEAT: {
      Block bl;
      next(p);
      s = node(p, LVT_S_REPEAT, line);
      enterblock(p, &bl, 1);
      s->a = statlist(p);
      check_match(p, TK_UNTIL, TK_REPEAT, line);
      s->b = expr(p);   /* sees the body's locals */
      leaveblock(p);
      break;
    }
    case TK_FUNCTION: {
      LvtNode *n;
      int l2;
      next(p);
      s = node(p, LVT_S_FUNCTION, line);
      l2 = p->t.line;
      n = name_expr(p, str_checkname(p), l2);
      while (p->t.tk == '.') {
        LvtNode *ix = node(p, LVT_E_INDEX, p->t.line);
        next(p);
        ix->flags |= LVT_F_DOT;
        ix->a = n;
        ix->s = str_checkname(p);
        ix->slen = (uint32_t)strlen(ix->s);
        n = ix;
      }
      if (testnext(p, ':')) {
        s->flags |= LVT_F_METHOD;
        s->s = str_checkname(p);
        s->slen = (uint32_t)strlen(s->s);
      }
      if (n->kind == LVT_E_NAME) check_assignable(p, n);
      s->a = n;
      s->b = funcbody(p, (s->flags & LVT_F_METHOD) != 0, line);
      break;
    }
    case TK_LOCAL:
      next(p);
      if (testnext(p, TK_FUNCTION)) {
        int l2 = p->t.line;
        LvtVar *v = new_local(p, str_checkname(p));
        s = node(p, LVT_S_LOCALFUNC, line);
        s->a = decl(p, v, l2);
        activate(p, v, l2);   /* visible in its own body */
        s->b = funcbody(p, 0, line);
      } else {
        s = localstat(p, line);
      }
      break;
    case TK_DBCOLON: {
      const char *name;
      uses(p, LVT_USE_GOTO, line);
      next(p);
      name = str_checkname(p);
      checknext(p, TK_DBCOLON);
      s = node(p, LVT_S_LABEL, line);
      s->s = name;
      s->slen = (uint32_t)strlen(name);
      p->fs->fn->has_label = 1;
      while (p->t.tk == ';') next(p);   /* void statements */
      new_label(p, name, line, block_follow(p, 0));
      break;
    }
    case TK_RETURN:
      fail(p, line, "'return' must be the last statement");
    case TK_BREAK: {
      Block *bl = p->fs->bl;
      next(p);
      while (bl != NULL && !bl->isloop) bl = bl->prev;
      if (bl == NULL) fail(p, line, "break outside a loop at line %d", line);
      s = node(p, LVT_S_BREAK, line);
      break;
    }
    case TK_GOTO: {
      const char *name;
      uses(p, LVT_USE_GOTO, line);
      next(p);
      name = str_checkname(p);
      s = node(p, LVT_S_GOTO, line);
      s->s = name;
      s->slen = (uint32_t)strlen(name);
      p->fs->fn->has_label = 1;
      new_goto(p, name, line);
      break;
    }
    default:
      s = exprstat(p);
  }
  leavelevel(p);
  return s;
}

/* =====================================================================
** Entry points
** ===================================================================== */

/* 1 when no path from 'root' down is longer than 'limit' nodes; an
** explicit stack, since the tree may be too deep to recurse into. */
static int depth_ok(const LvtNode *root, int limit) {
  typedef struct { const LvtNode *n; int d; } Item;
  Item *st = NULL;
  size_t n = 0, cap = 0;
  int ok = 1;
#define PUSHN(x, dd) do { \
    if (n == cap) { cap = cap ? cap * 2 : 256; st = lvt_xrealloc(st, cap * sizeof *st); } \
    st[n].n = (x); st[n].d = (dd); n++; \
  } while (0)
  PUSHN(root, 1);
  while (n > 0 && ok) {
    Item it = st[--n];
    const LvtNode *c;
    if (it.d > limit) ok = 0;
    if (it.n->next != NULL) PUSHN(it.n->next, it.d);   /* a sibling */
    if ((c = it.n->a) != NULL) PUSHN(c, it.d + 1);
    if ((c = it.n->b) != NULL) PUSHN(c, it.d + 1);
    if ((c = it.n->c) != NULL) PUSHN(c, it.d + 1);
  }
#undef PUSHN
  free(st);
  return ok;
}
LvtAst *lvt_ast_parse(const char *src, size_t len, LvtProfile profile,
                      LvtErr *e) {
  P p;
  FuncState fs;
  Block bl;
  LvtAst *volatile t = ast_new();
  LvtNode *body;
  memset(&p, 0, sizeof p);
  p.src = src != NULL ? src : "";
  p.len = src != NULL ? len : 0;
  p.line = 1;
  p.ast = t;
  p.profile = profile;
  p.e = e;
  if (setjmp(p.jb) != 0) {   /* the FuncStates are gone with their frames */
    free(p.actv);
    free(p.labels);
    free(p.gotos);
    free(p.itab);
    lvt_ast_free(t);
    return NULL;
  }
  if (p.len > 0 && p.src[0] == '#') {   /* '#!' line, as lua.c skips it */
    while (p.pos < p.len && p.src[p.pos] != '\n') p.pos++;
  }
  body = node(&p, LVT_N_FUNCBODY, 0);
  body->flags |= LVT_F_VARARG;
  open_func(&p, &fs, body);
  fs.vararg = 1;
  enterblock(&p, &bl, 0);
  next(&p);
  body->b = statlist(&p);
  check(&p, TK_EOS);
  leaveblock(&p);
  close_func(&p);
  if (p.longchain && !depth_ok(body, MAX_TREE_DEPTH))
    fail(&p, p.line, "chunk has too many syntax levels");
  t->chunk = body;
  free(p.actv);
  free(p.labels);
  free(p.gotos);
  free(p.itab);
  return t;
}

size_t lvt_ast_header_len(const char *src, size_t len) {
  static const char head[] = "-- lvtest-gen ";
  const char *nl;
  if (len < sizeof head - 1 || memcmp(src, head, sizeof head - 1) != 0) return 0;
  nl = memchr(src, '\n', len);
  return nl != NULL ? (size_t)(nl - src) + 1 : len;
}

int lvt_ast_check_profile(const LvtAst *t, LvtProfile profile, LvtErr *e) {
  static const struct {
    unsigned bit;
    LvtProfile below;   /* profiles below this one reject it */
    const char *what;
  } rules[] = {
    {LVT_USE_GOTO, LVT_PROFILE_53, "goto and labels are not portable (5.2+)"},
    {LVT_USE_ESC52, LVT_PROFILE_53,
     "\\x, \\z escapes and hexadecimal floats are not portable (5.2+)"},
    {LVT_USE_INT53, LVT_PROFILE_53,
     "integer division, bitwise operators and \\u{} need 5.3"},
    {LVT_USE_ATTRIB, LVT_PROFILE_54, "<const>/<close> need 5.4"},
    {LVT_USE_AMBIG, LVT_PROFILE_53,
     "ambiguous syntax (function call x new line) in 5.1"},
    {LVT_USE_NESTLONG, LVT_PROFILE_53,
     "nesting of [[...]] is an error in 5.1"},
    {LVT_USE_BREAKMID, LVT_PROFILE_53,
     "'break' not at the end of a block is an error in 5.1"},
    {LVT_USE_EMPTYSTAT, LVT_PROFILE_53,
     "empty statement (';' not after a statement) is an error in 5.1"},
  };
  size_t i;
  for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    if ((t->uses & rules[i].bit) && profile < rules[i].below) {
      int b = 0;
      while (!((1u << b) & rules[i].bit)) b++;
      lvt_err_set(e, LVT_ERR_USAGE, "line %d: %s", t->uses_line[b],
                  rules[i].what);
      return 0;
    }
  }
  return 1;
}

int lvt_lua_parses(const char *src, size_t len, LvtProfile profile,
                   LvtErr *e) {
  LvtAst *t = lvt_ast_parse(src, len, profile, e);
  int ok;
  if (t == NULL) return 0;
  ok = lvt_ast_check_profile(t, profile, e);
  lvt_ast_free(t);
  return ok;
}
