/*
** lvt_gen_int.h -- what the generator's files share (fuzz/lvt_gen.c: the
** decision source, header, prelude and program skeleton; lvt_gen_expr.c:
** typed expressions; lvt_gen_stmt.c: statements and feature templates).
**
** The generator is a recursive descent over a small static type system:
** every local it declares has a type (number, string, boolean, sequence,
** record, function), and every expression it writes is produced for a type
** and reports what it knows about its value (EInfo) so that the places
** where dialects disagree (integer/float, overflow, -0, formatting) are
** wrapped in the prelude's normalising helpers before they are observed.
*/
#ifndef LVT_GEN_INT_H
#define LVT_GEN_INT_H

#include <stdint.h>
#include <string.h>

#include "lvt_gen.h"

/* Static types of generated locals. */
enum { T_NUM = 0, T_STR, T_BOOL, T_SEQ, T_FN, T__COUNT };

/* Variable flags. */
enum {
  VF_RO = 1 << 0,      /* never assigned: loop variables, <const>, params
                       ** captured by templates */
  VF_FLOATY = 1 << 1   /* a number that may be a non-integral float (loop
                       ** variable with a float step): class C_ANY */
};

typedef struct GVar {
  uint32_t id;         /* name: <prefix><id> */
  uint8_t type;        /* T_* */
  uint8_t flags;       /* VF_* */
  uint8_t fnlev;       /* nesting level of the function that declared it */
  uint8_t pure;        /* T_FN: calling it changes no variable */
  uint32_t cost;       /* T_FN: bound on the statements one call runs */
  uint8_t nparams;     /* T_FN: number of (number) parameters */
} GVar;

/* Expression classes of numbers. */
enum {
  C_INT = 0,   /* integer-valued: integer subtype in 5.3+, and in portable
               ** an integral float below 2^bits in 5.1/LuaJIT */
  C_ANY        /* any number: float, inf, nan, -0.0 */
};

typedef struct EInfo {
  uint8_t cls;     /* C_* (numbers) */
  uint8_t bits;    /* portable C_INT: |value| < 2^bits */
  uint8_t nz;      /* portable: may be -0 in 5.1/LuaJIT */
  uint8_t konst;   /* made of literals only: Lua 5.1 folds it at compile
                   ** time, and a folded -0 is merged with the constant 0
                   ** of the function (5.1 bug), so portable programs must
                   ** never fold to -0 (see gen_num) */
  uint16_t len;    /* strings: bound on the length */
} EInfo;

#define GEN_MAXV 512          /* variables in scope at once */
#define GEN_MAX_LOCALS 110    /* per function (Lua's limit is 200) */
#define GEN_UPWIN 24          /* outer locals a nested function may name */
#define GEN_MAX_COST 20000u   /* statements one program may execute */
#define GEN_STRMAX 48         /* bound on the length of string variables */
#define GEN_SEQMAX 24         /* bound on the length of sequences */

/* One function being generated (the main chunk is level 0). */
typedef struct GFrame {
  int vstart;          /* first variable of this function in g->v */
  int upfloor;         /* outer variables below this index are invisible */
  int nlocals;         /* locals declared so far (Lua counts per function) */
  uint32_t cost;       /* statements run by one call, as generated so far */
  int impure;          /* it assigned an outer variable or a table */
  int vararg;          /* the function is declared with '...' */
  int in_loop;         /* inside a loop of this function ('break' is ok) */
} GFrame;

typedef struct Gen {
  LvtBuf *out;
  LvtProfile prof;
  unsigned feat;          /* enabled LVT_GEN_F_* */
  size_t max_bytes;
  size_t size_cap;        /* blocks stop growing past this output length */
  /* decision source */
  uint64_t s[4];          /* xoshiro256** state (seed mode) */
  const uint8_t *data;    /* bytes mode: the decisions */
  size_t n, pos;
  int bytes;
  int exhausted;          /* bytes mode: ran out, smallest choices now */
  /* scope */
  GVar v[GEN_MAXV];
  int nv;
  GFrame fr[8];
  int lev;                /* current function level (index in fr) */
  uint32_t mult;          /* iterations of the enclosing loops */
  uint32_t total;         /* statements the main chunk runs (bounded) */
  int depth;              /* statement nesting (indentation, limits) */
  uint32_t uid;           /* fresh names */
  int cp;                 /* checkpoint counter */
  int nlabels;
} Gen;

/* ---- decisions (lvt_gen.c) ---- */
/* A choice in [0, n): n >= 1. In bytes mode, 0 once the bytes ran out. */
unsigned gen_pick(Gen *g, unsigned n);
/* 1 with probability num/den (bytes mode: 0 once exhausted). */
int gen_chance(Gen *g, unsigned num, unsigned den);
/* 1 when the feature group is enabled. */
static inline int gen_has(const Gen *g, unsigned f) { return (g->feat & f) != 0; }
static inline int gen_portable(const Gen *g) { return g->prof == LVT_PROFILE_PORTABLE; }

/* ---- emitting ---- */
/* Appends n bytes (the buffer's own add, minus a call on the fast path:
** the generator appends a few bytes at a time, millions of times). */
static inline void gen_put(Gen *g, const char *s, size_t n) {
  LvtBuf *b = g->out;
  if (b->len + n + 1 > b->cap) lvt_buf_reserve(b, n + 1);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}
static inline void E(Gen *g, const char *s) { gen_put(g, s, strlen(s)); }
static inline void EC(Gen *g, char c) { gen_put(g, &c, 1); }
void gen_int(Gen *g, long long v);        /* decimal */
void gen_name(Gen *g, const GVar *v);     /* n12, s3, ... */
void gen_indent(Gen *g);
void gen_nl(Gen *g);                      /* newline + indentation */

/* ---- scope (lvt_gen.c) ---- */
GVar *gen_declare(Gen *g, int type);      /* new local of this function */
/* A visible variable of 'type' chosen at random (NULL when none). With
** 'writable', only variables that may be assigned. */
GVar *gen_var(Gen *g, int type, int writable);
/* Marks the current function impure when 'v' belongs to an outer one. */
void gen_touch(Gen *g, const GVar *v);

/* ---- expressions (lvt_gen_expr.c) ---- */
void gen_num(Gen *g, int depth, EInfo *ei);
void gen_num_store(Gen *g, int depth);    /* a number fit for a variable */
void gen_num_int(Gen *g, int depth);      /* an integer of any size (5.3+) or
                                          ** a small integer (portable) */
void gen_str(Gen *g, int depth, EInfo *ei);
void gen_str_store(Gen *g, int depth);    /* bounded to GEN_STRMAX */
void gen_bool(Gen *g, int depth);
void gen_seq_ctor(Gen *g);                /* a proper sequence constructor */
void gen_pattern(Gen *g, int *ncap);      /* a Lua pattern literal */
void gen_str_lit(Gen *g, EInfo *ei);
/* A value of any type, for checkpoints and error values. */
void gen_any(Gen *g, int depth);

/* ---- statements (lvt_gen_stmt.c) ---- */
void gen_block(Gen *g, int maxstmts);
void gen_checkpoint(Gen *g);
void gen_stmt_top(Gen *g);                /* one statement of the main chunk */

/* ---- feature templates (lvt_gen_tmpl.c): each writes one statement ---- */
void gen_t_meta(Gen *g);
void gen_t_closures(Gen *g);
void gen_t_varargs(Gen *g);
void gen_t_errors(Gen *g);
void gen_t_coroutines(Gen *g);
void gen_t_genfor(Gen *g);
void gen_t_gotos(Gen *g);
void gen_t_close_vars(Gen *g);
void gen_t_packs(Gen *g);
void gen_t_utf8s(Gen *g);
void gen_t_gcs(Gen *g);
void gen_t_strings(Gen *g);
void gen_t_cross(Gen *g);

/* ---- helpers of statements and templates: cost, names, scopes ---- */
/* Budget of one call of a function at level 'lev' (the main chunk: the
** whole program). */
static inline uint32_t budget(const Gen *g) {
  return g->lev == 0 ? GEN_MAX_COST : GEN_MAX_COST / 10;
}

/* 1 when 'n' more statements at the current multiplicity fit. */
static inline int room(const Gen *g, uint64_t n) {
  return (uint64_t)g->fr[g->lev].cost + (uint64_t)g->mult * n <= budget(g);
}

static inline void charge(Gen *g, uint64_t n) {
  uint64_t c = (uint64_t)g->fr[g->lev].cost + (uint64_t)g->mult * n;
  g->fr[g->lev].cost = c > 0xffffffffu ? 0xffffffffu : (uint32_t)c;
  if (g->lev == 0) g->total = g->fr[0].cost;
}

static inline int can_declare(const Gen *g, int n) {
  return g->fr[g->lev].nlocals + n <= GEN_MAX_LOCALS && g->nv + n < GEN_MAXV - 8;
}

/* Declares a variable whose name was already written (its id is 'id'). */
static inline GVar *push_var(Gen *g, int type, uint32_t id) {
  GVar *v = gen_declare(g, type);
  g->uid--;            /* gen_declare took a fresh id: give it back */
  v->id = id;
  return v;
}

static inline uint32_t fresh(Gen *g) { return g->uid++; }

static inline void name_of(Gen *g, int type, uint32_t id) {
  GVar tmp;
  memset(&tmp, 0, sizeof tmp);
  tmp.type = (uint8_t)type;
  tmp.id = id;
  gen_name(g, &tmp);
}

/* A template-local helper name: "_<id>" (never a typed variable). */
static inline void tmp_name(Gen *g, uint32_t id) {
  EC(g, '_');
  gen_int(g, id);
}

static inline void line_start(Gen *g) { gen_indent(g); }
static inline void line_end(Gen *g) { EC(g, '\n'); }

/* Scopes: a block restores the variables and the locals count. */
typedef struct Scope { int nv, nlocals; } Scope;
static inline Scope scope_open(Gen *g) {
  Scope s;
  s.nv = g->nv;
  s.nlocals = g->fr[g->lev].nlocals;
  return s;
}
static inline void scope_close(Gen *g, Scope s) {
  g->nv = s.nv;
  g->fr[g->lev].nlocals = s.nlocals;
}


/* Opens "CP(<n>" for a template observation; the caller closes it. */
static inline void cp_open(Gen *g) {
  gen_nl(g);
  E(g, "CP(");
  gen_int(g, g->cp++);
  g->fr[g->lev].impure = 1;
}

static inline void pr_open(Gen *g) {
  gen_nl(g);
  E(g, "PR(");
  gen_int(g, g->cp++);
  E(g, ", ");
  g->fr[g->lev].impure = 1;
}

#endif
