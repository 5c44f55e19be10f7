/*
** lvt_meta.c -- metamorphic variants (lvt_meta_variant): semantics-
** preserving rewrites of a parsed program, each applied only where it is
** exactly equivalent, within Lua's static limits.
**
** How each rewrite stays equivalent (and what it may still change, see
** META-README-DRAFT.md: line numbers, variable names and stack depth in
** error messages and tracebacks, instruction counts, memory use):
**  - const-*: a literal is moved into a fresh local declared at the start
**    of its block (the start of a block is never inside a goto's jump, so
**    no goto can jump into its scope), an upvalue declared in the parent
**    function, a field of a fresh table, or the result of a fresh
**    function. Literals are immutable, so reading them later is the same.
**  - paren: (e) truncates to one value, so only expressions that are not
**    calls or '...' in a multi-value position are wrapped.
**  - iife: (function() return e end)() keeps every value of e; e must not
**    contain '...' (a nested function cannot see it).
**  - do-wrap: a run of statements without labels and without local
**    declarations (unless the run ends the block and the block is not a
**    repeat body, whose 'until' sees its locals).
**  - for-while: integer literal bounds and step (|x| < 2^31, step != 0:
**    no overflow, no float/integer difference), the loop variable not
**    assigned in the body; a fresh local per iteration keeps closures that
**    capture it apart, as every Lua does.
**  - dead-code: a copy of a statement of the program, free of goto,
**    labels, break and '...', behind a condition that is false at run time
**    (not only a literal), never after a block's last label.
**  - rename: locals (not implicit 'self', not '_ENV') get fresh names.
** The result is parsed again (with the profile's limits) before it is
** returned; a variant that does not parse is drawn again.
*/
#define _GNU_SOURCE   /* memmem */
#include "lvt_meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvt_ast.h"

static int chance(uint64_t *s, unsigned pct) { return lvt_ast_below(s, 100) < pct; }

enum { K_CLOCAL, K_CUPVAL, K_CFIELD, K_CCALL, K_PAREN, K_IIFE, K_DOWRAP,
       K_FORWHILE, K_DEAD, K_RENAME, K__COUNT };
static const char *const kind_names[K__COUNT] = {
  "const-local", "const-upval", "const-field", "const-call", "paren", "iife",
  "do-wrap", "for-while", "dead-code", "rename"
};

/* Caps that keep variants inside every dialect's limits. */
#define MAX_EXPR_DEPTH 40     /* parser levels (200 in Lua) */
#define MAX_BLOCK_DEPTH 40
#define LOCAL_BUDGET 120      /* of 200 active locals per function, and
                              ** of 5.1's and LuaJIT's 250 registers that
                              ** expressions also need */
#define LOCAL_EXTRA 60        /* locals a variant adds to one function */
#define IIFE_MAX_VARS 20

typedef struct Mx {
  LvtAst *t;
  LvtProfile profile;
  uint64_t rng;
  unsigned on;              /* K_* bits enabled for this variant */
  unsigned rate;            /* percent chance per site */
  int count[K__COUNT];
  int fresh;                /* next fresh name number */
  char prefix[16];          /* fresh names: prefix .. number */
  LvtNode **dead;           /* statements usable as dead code */
  int ndead, capdead;
} Mx;

typedef struct Bx Bx;
struct Bx {
  Bx *up;                   /* enclosing block (maybe of another function) */
  LvtNode *blk;
  LvtFunc *fn;
  int vararg;               /* the function has '...' */
  int depth;                /* block nesting */
  int has_label;            /* the block itself holds a label */
  int is_repeat;
  /* locals to declare at the start of the block, in order */
  LvtNode *decls, **dtail;  /* LVT_N_DECL */
  LvtNode *vals, **vtail;   /* their values */
  LvtNode *table;           /* LVT_E_TABLE of const-field, or NULL */
  LvtVar *tablevar;
  int ntable;
};

static int on(const Mx *m, int k) { return (m->on >> k) & 1; }

static const char *fresh_name(Mx *m) {
  char buf[40];
  int n = snprintf(buf, sizeof buf, "%s%d", m->prefix, m->fresh++);
  return lvt_arena_strdup(m->t->arena, buf, (size_t)n);
}

static LvtNode *mk(Mx *m, LvtNk k) {
  LvtNode *n = lvt_ast_node(m->t, k);
  n->flags |= LVT_F_FRESH;
  return n;
}

static LvtNode *name_ref(Mx *m, LvtVar *v) {
  LvtNode *n = mk(m, LVT_E_NAME);
  n->var = v;
  n->s = v->name;
  n->slen = (uint32_t)strlen(v->name);
  return n;
}

static LvtNode *num(Mx *m, long long v) {
  char buf[32];
  LvtNode *n = mk(m, LVT_E_NUMBER), *neg;
  int len = snprintf(buf, sizeof buf, "%lld", v < 0 ? -v : v);
  n->s = lvt_arena_strdup(m->t->arena, buf, (size_t)len);
  n->slen = (uint32_t)len;
  if (v >= 0) return n;
  neg = mk(m, LVT_E_UNOP);
  neg->op = LVT_OP_NEG;
  neg->a = n;
  return neg;
}

static LvtNode *binop(Mx *m, LvtOp op, LvtNode *a, LvtNode *b) {
  LvtNode *n = mk(m, LVT_E_BINOP);
  n->op = (uint8_t)op;
  n->a = a;
  n->b = b;
  return n;
}

/* A block-start local in 'b' holding 'val'; returns its variable. */
static LvtVar *block_local(Mx *m, Bx *b, LvtNode *val) {
  LvtVar *v = lvt_ast_var(m->t, fresh_name(m), b->fn);
  LvtNode *d = mk(m, LVT_N_DECL);
  d->var = v;
  d->s = v->name;
  d->slen = (uint32_t)strlen(v->name);
  *b->dtail = d;
  b->dtail = &d->next;
  *b->vtail = val;
  b->vtail = &val->next;
  b->fn->extra_locals++;
  return v;
}

static int locals_left(const LvtFunc *fn) {
  return fn->maxactive + fn->extra_locals < LOCAL_BUDGET &&
         fn->extra_locals < LOCAL_EXTRA;
}

static int upval_limit(const Mx *m) {
  return m->profile == LVT_PROFILE_PORTABLE ? 50 : 240;
}

/* ---------------------------------------------------------------------
** Expression facts
** --------------------------------------------------------------------- */
static int is_const(const LvtNode *e) {
  return e->kind == LVT_E_NUMBER || e->kind == LVT_E_STRING ||
         e->kind == LVT_E_NIL || e->kind == LVT_E_TRUE ||
         e->kind == LVT_E_FALSE;
}

/* 1 when 'n' (and its siblings when 'sib') uses '...' of its own
** function (nested function bodies are not looked into). */
static int has_vararg(const LvtNode *n, int sib) {
  for (; n != NULL; n = sib ? n->next : NULL) {
    if (n->kind == LVT_E_VARARG) return 1;
    if (n->kind == LVT_N_FUNCBODY) continue;
    if (has_vararg(n->a, 1) || has_vararg(n->b, 1) || has_vararg(n->c, 1))
      return 1;
  }
  return 0;
}

/* Distinct locals referenced in 'n' (capped at 'cap' + 1). */
static void count_vars(const LvtNode *n, int sib, const LvtVar **seen,
                       int *nseen, int cap) {
  for (; n != NULL && *nseen <= cap; n = sib ? n->next : NULL) {
    if (n->kind == LVT_E_NAME && n->var != NULL) {
      int i;
      for (i = 0; i < *nseen; i++)
        if (seen[i] == n->var) break;
      if (i == *nseen) seen[(*nseen)++] = n->var;
    }
    count_vars(n->a, 1, seen, nseen, cap);
    count_vars(n->b, 1, seen, nseen, cap);
    count_vars(n->c, 1, seen, nseen, cap);
  }
}

/* Statement facts for dead code and do-wrap: bits of what it contains. */
enum { H_GOTO = 1, H_LABEL = 2, H_BREAK = 4, H_VARARG = 8, H_RETURN = 16,
       H_NAMEASSIGN = 32 };
static unsigned stat_has(const LvtNode *n, int sib, int infunc) {
  unsigned h = 0;
  for (; n != NULL; n = sib ? n->next : NULL) {
    switch (n->kind) {
      case LVT_S_GOTO: h |= H_GOTO; break;
      case LVT_S_LABEL: h |= H_LABEL; break;
      case LVT_S_BREAK: h |= H_BREAK; break;
      case LVT_E_VARARG: if (!infunc) h |= H_VARARG; break;
      case LVT_S_RETURN: h |= H_RETURN; break;
      case LVT_S_ASSIGN: {
        const LvtNode *t;
        for (t = n->a; t != NULL; t = t->next)
          if (t->kind == LVT_E_NAME) h |= H_NAMEASSIGN;
        break;
      }
      case LVT_S_FUNCTION:
        if (n->a->kind == LVT_E_NAME) h |= H_NAMEASSIGN;
        break;
      default: break;
    }
    h |= stat_has(n->a, 1, infunc || n->kind == LVT_N_FUNCBODY);
    h |= stat_has(n->b, 1, infunc || n->kind == LVT_N_FUNCBODY);
    h |= stat_has(n->c, 1, infunc || n->kind == LVT_N_FUNCBODY);
  }
  return h;
}

/* Nodes in 'n' (and siblings), counting stops above 'cap'. */
static int node_count(const LvtNode *n, int sib, int cap) {
  int c = 0;
  for (; n != NULL && c <= cap; n = sib ? n->next : NULL)
    c += 1 + node_count(n->a, 1, cap) + node_count(n->b, 1, cap) +
         node_count(n->c, 1, cap);
  return c;
}

/* ---------------------------------------------------------------------
** Constants
** --------------------------------------------------------------------- */

/* The innermost block of the function that encloses 'b''s function. */
static Bx *parent_block(Bx *b) {
  Bx *x = b;
  while (x != NULL && x->fn == b->fn) x = x->up;
  return x;
}

/* Replaces the literal in '*slot' by a read of a fresh place holding it,
** when one of the const-* rewrites is enabled and fits. */
static void hoist_const(Mx *m, Bx *b, LvtNode **slot) {
  LvtNode *e = *slot, *next = e->next;
  int choices[4], n = 0, k;
  if (on(m, K_CLOCAL) && locals_left(b->fn)) choices[n++] = K_CLOCAL;
  if (on(m, K_CUPVAL) && b->fn->depth > 0) {
    Bx *pb = parent_block(b);
    if (pb != NULL && locals_left(pb->fn) &&
        b->fn->nupvals + b->fn->extra_upvals < upval_limit(m))
      choices[n++] = K_CUPVAL;
  }
  if (on(m, K_CFIELD) && (b->table != NULL || locals_left(b->fn)))
    choices[n++] = K_CFIELD;
  if (on(m, K_CCALL) && locals_left(b->fn)) choices[n++] = K_CCALL;
  if (n == 0) return;
  k = choices[lvt_ast_below(&m->rng, (unsigned)n)];
  e->next = NULL;
  switch (k) {
    case K_CLOCAL:
      *slot = name_ref(m, block_local(m, b, e));
      break;
    case K_CUPVAL: {
      Bx *pb = parent_block(b);
      LvtNode *r = name_ref(m, block_local(m, pb, e));
      r->flags |= LVT_F_UPVAL;
      b->fn->extra_upvals++;
      *slot = r;
      break;
    }
    case K_CFIELD: {
      LvtNode *f = mk(m, LVT_N_FIELD_POS), *ix = mk(m, LVT_E_INDEX), **ft;
      if (b->table == NULL) {
        b->table = mk(m, LVT_E_TABLE);
        b->tablevar = block_local(m, b, b->table);
      }
      f->a = e;
      for (ft = &b->table->a; *ft != NULL; ft = &(*ft)->next) {}
      *ft = f;
      ix->a = name_ref(m, b->tablevar);
      ix->b = num(m, ++b->ntable);
      *slot = ix;
      break;
    }
    default: {   /* K_CCALL: local fK = function() return e end; fK() */
      LvtNode *fn = mk(m, LVT_E_FUNCTION), *body = mk(m, LVT_N_FUNCBODY);
      LvtNode *blk = mk(m, LVT_N_BLOCK), *ret = mk(m, LVT_S_RETURN);
      LvtNode *call = mk(m, LVT_E_CALL);
      LvtFunc *f = lvt_arena_alloc(m->t->arena, sizeof *f);
      f->parent = b->fn;
      f->depth = b->fn->depth + 1;
      body->fn = f;
      blk->fn = f;
      ret->a = e;
      blk->a = ret;
      body->b = blk;
      fn->a = body;
      call->a = name_ref(m, block_local(m, b, fn));
      *slot = call;
      break;
    }
  }
  (*slot)->next = next;
  m->count[k]++;
}

/* ---------------------------------------------------------------------
** The walk
** --------------------------------------------------------------------- */
static void walk_block(Mx *m, LvtNode *blk, Bx *up, LvtFunc *fn, int vararg,
                       int is_repeat, LvtNode *until);
static void walk_expr(Mx *m, Bx *b, LvtNode **slot, int multi, int depth);

static void walk_list(Mx *m, Bx *b, LvtNode **slot, int lastmulti, int depth) {
  for (; *slot != NULL; slot = &(*slot)->next)
    walk_expr(m, b, slot, lastmulti && (*slot)->next == NULL, depth);
}

static void walk_funcbody(Mx *m, Bx *b, LvtNode *body) {
  walk_block(m, body->b, b, body->fn, (body->flags & LVT_F_VARARG) != 0, 0,
             NULL);
}

static void wrap_iife(Mx *m, LvtNode **slot) {
  LvtNode *e = *slot, *next = e->next;
  LvtNode *fn = mk(m, LVT_E_FUNCTION), *body = mk(m, LVT_N_FUNCBODY);
  LvtNode *blk = mk(m, LVT_N_BLOCK), *ret = mk(m, LVT_S_RETURN);
  LvtNode *call = mk(m, LVT_E_CALL), *par = mk(m, LVT_E_PAREN);
  e->next = NULL;
  ret->a = e;
  blk->a = ret;
  body->b = blk;
  fn->a = body;
  par->a = fn;
  call->a = par;
  call->next = next;
  *slot = call;
  m->count[K_IIFE]++;
}

static void walk_expr(Mx *m, Bx *b, LvtNode **slot, int multi, int depth) {
  LvtNode *e = *slot;
  switch (e->kind) {
    case LVT_E_BINOP:
      walk_expr(m, b, &e->a, 0, depth + 1);
      walk_expr(m, b, &e->b, 0, depth + 1);
      break;
    case LVT_E_UNOP:
      /* '-' on a numeral is kept whole: -9223372036854775808 and the like
      ** differ from -(k) only in folding, but keep the spelling anyway */
      if (!(e->op == LVT_OP_NEG && e->a->kind == LVT_E_NUMBER))
        walk_expr(m, b, &e->a, 0, depth + 1);
      break;
    case LVT_E_INDEX:
      walk_expr(m, b, &e->a, 0, depth + 1);
      if (e->b != NULL) walk_expr(m, b, &e->b, 0, depth + 1);
      break;
    case LVT_E_CALL: case LVT_E_METHCALL:
      walk_expr(m, b, &e->a, 0, depth + 1);
      walk_list(m, b, &e->b, 1, depth + 1);
      break;
    case LVT_E_PAREN:
      walk_expr(m, b, &e->a, 0, depth + 1);
      break;
    case LVT_E_TABLE: {
      LvtNode *f;
      for (f = e->a; f != NULL; f = f->next) {
        if (f->kind == LVT_N_FIELD_POS) {
          walk_expr(m, b, &f->a, f->next == NULL, depth + 1);
        } else if (f->kind == LVT_N_FIELD_NAMED) {
          walk_expr(m, b, &f->a, 0, depth + 1);
        } else {
          walk_expr(m, b, &f->a, 0, depth + 1);
          walk_expr(m, b, &f->b, 0, depth + 1);
        }
      }
      break;
    }
    case LVT_E_FUNCTION:
      walk_funcbody(m, b, e->a);
      break;
    default:
      break;
  }
  e = *slot;
  if (is_const(e)) {
    if (chance(&m->rng, m->rate)) hoist_const(m, b, slot);
    return;
  }
  if (depth > MAX_EXPR_DEPTH) return;
  if (on(m, K_PAREN) && chance(&m->rng, m->rate / 2) &&
      !(multi && (e->kind == LVT_E_CALL || e->kind == LVT_E_METHCALL ||
                  e->kind == LVT_E_VARARG))) {
    LvtNode *par = mk(m, LVT_E_PAREN);
    par->a = e;
    par->next = e->next;
    e->next = NULL;
    *slot = par;
    m->count[K_PAREN]++;
    return;
  }
  if (on(m, K_IIFE) && chance(&m->rng, m->rate / 3) &&
      b->fn->depth < 20 && e->kind != LVT_E_VARARG &&
      !has_vararg(e, 0)) {
    const LvtVar *seen[IIFE_MAX_VARS + 2];
    int nseen = 0;
    count_vars(e, 0, seen, &nseen, IIFE_MAX_VARS);
    if (nseen <= IIFE_MAX_VARS) wrap_iife(m, slot);
  }
}

/* Walks the parts of a call statement's call (not the call itself). */
static void walk_call_parts(Mx *m, Bx *b, LvtNode *call) {
  walk_expr(m, b, &call->a, 0, 1);
  walk_list(m, b, &call->b, 1, 1);
}

/* numeric for -> while, when exact (see the file comment). */
static int int_literal(const LvtNode *e, long long *v) {
  int neg = 0;
  long long x = 0;
  uint32_t i;
  if (e->kind == LVT_E_UNOP && e->op == LVT_OP_NEG) {
    neg = 1;
    e = e->a;
  }
  if (e->kind != LVT_E_NUMBER || e->slen == 0 || e->slen > 10) return 0;
  for (i = 0; i < e->slen; i++) {
    if (e->s[i] < '0' || e->s[i] > '9') return 0;
    x = x * 10 + (e->s[i] - '0');
  }
  if (x >= 2147483647LL) return 0;
  *v = neg ? -x : x;
  return 1;
}

static int for_while(Mx *m, Bx *b, LvtNode **slot) {
  LvtNode *f = *slot, *next = f->next;
  long long a, lim, step = 1;
  LvtNode *s_do, *blk, *loc_i, *wh, *wblk, *loc_v, *body_do, *incr;
  LvtVar *iv;
  if (!int_literal(f->b, &a) || !int_literal(f->b->next, &lim)) return 0;
  if (f->b->next->next != NULL && !int_literal(f->b->next->next, &step))
    return 0;
  if (step == 0 || f->a->var->assigned || f->a->var->implicit) return 0;
  if (!locals_left(b->fn) || b->depth > MAX_BLOCK_DEPTH) return 0;
  b->fn->extra_locals += 2;
  /* do local I = a; while I <= lim do local v = I; do body end; I = I + step end end */
  s_do = mk(m, LVT_S_DO);
  blk = mk(m, LVT_N_BLOCK);
  blk->fn = b->fn;
  s_do->a = blk;
  iv = lvt_ast_var(m->t, fresh_name(m), b->fn);
  loc_i = mk(m, LVT_S_LOCAL);
  loc_i->a = mk(m, LVT_N_DECL);
  loc_i->a->var = iv;
  loc_i->a->s = iv->name;
  loc_i->a->slen = (uint32_t)strlen(iv->name);
  loc_i->b = num(m, a);
  wh = mk(m, LVT_S_WHILE);
  wh->a = binop(m, step > 0 ? LVT_OP_LE : LVT_OP_GE, name_ref(m, iv), num(m, lim));
  wblk = mk(m, LVT_N_BLOCK);
  wblk->fn = b->fn;
  wh->b = wblk;
  loc_v = mk(m, LVT_S_LOCAL);
  loc_v->a = f->a;   /* the loop variable's declaration */
  loc_v->b = name_ref(m, iv);
  body_do = mk(m, LVT_S_DO);
  body_do->a = f->c;
  incr = mk(m, LVT_S_ASSIGN);
  incr->a = name_ref(m, iv);
  incr->b = binop(m, LVT_OP_ADD, name_ref(m, iv), num(m, step));
  loc_v->next = body_do;
  body_do->next = incr;
  wblk->a = loc_v;
  loc_i->next = wh;
  blk->a = loc_i;
  s_do->next = next;
  *slot = s_do;
  m->count[K_FORWHILE]++;
  return 1;
}

static void walk_stat(Mx *m, Bx *b, LvtNode **slot) {
  LvtNode *s = *slot;
  switch (s->kind) {
    case LVT_S_LOCAL:
      walk_list(m, b, &s->b, 1, 1);
      break;
    case LVT_S_ASSIGN: {
      LvtNode *t;
      for (t = s->a; t != NULL; t = t->next)
        if (t->kind == LVT_E_INDEX) {
          walk_expr(m, b, &t->a, 0, 1);
          if (t->b != NULL) walk_expr(m, b, &t->b, 0, 1);
        }
      walk_list(m, b, &s->b, 1, 1);
      break;
    }
    case LVT_S_CALL:
      walk_call_parts(m, b, s->a);
      break;
    case LVT_S_DO:
      walk_block(m, s->a, b, b->fn, b->vararg, 0, NULL);
      break;
    case LVT_S_WHILE:
      walk_expr(m, b, &s->a, 0, 1);
      walk_block(m, s->b, b, b->fn, b->vararg, 0, NULL);
      break;
    case LVT_S_REPEAT:
      walk_block(m, s->a, b, b->fn, b->vararg, 1, s);
      break;
    case LVT_S_IF: {
      LvtNode *c;
      for (c = s->a; c != NULL; c = c->next) {
        if (c->a != NULL) walk_expr(m, b, &c->a, 0, 1);
        walk_block(m, c->b, b, b->fn, b->vararg, 0, NULL);
      }
      break;
    }
    case LVT_S_NUMFOR:
      if (on(m, K_FORWHILE) && chance(&m->rng, m->rate * 2) &&
          for_while(m, b, slot)) {
        /* the body now sits in the new loop: walk it there */
        LvtNode *wh = (*slot)->a->a->next;
        walk_block(m, wh->b->a->next->a, b, b->fn, b->vararg, 0, NULL);
        break;
      }
      walk_list(m, b, &s->b, 0, 1);
      walk_block(m, s->c, b, b->fn, b->vararg, 0, NULL);
      break;
    case LVT_S_GENFOR:
      walk_list(m, b, &s->b, 1, 1);
      walk_block(m, s->c, b, b->fn, b->vararg, 0, NULL);
      break;
    case LVT_S_FUNCTION:
      if (s->a->kind == LVT_E_INDEX) {
        LvtNode *x = s->a;   /* a.b.c: walk nothing of the name path */
        (void)x;
      }
      walk_funcbody(m, b, s->b);
      break;
    case LVT_S_LOCALFUNC:
      walk_funcbody(m, b, s->b);
      break;
    case LVT_S_RETURN:
      walk_list(m, b, &s->a, 1, 1);
      break;
    default:
      break;
  }
}

/* A condition false at run time, in one of several shapes. */
static LvtNode *false_cond(Mx *m, Bx *b) {
  LvtNode *s;
  switch (lvt_ast_below(&m->rng, 6)) {
    case 0: return mk(m, LVT_E_NIL);
    case 1: return mk(m, LVT_E_FALSE);
    case 2: return binop(m, LVT_OP_GT, num(m, 1), num(m, 2));
    case 3: {
      LvtNode *x = mk(m, LVT_E_STRING), *y = mk(m, LVT_E_STRING);
      x->s = "\"lvt\"";
      x->slen = 5;
      y->s = "\"LVT\"";
      y->slen = 5;
      return binop(m, LVT_OP_EQ, x, y);
    }
    case 4:
      if (locals_left(b->fn))
        return name_ref(m, block_local(m, b, mk(m, LVT_E_FALSE)));
      return mk(m, LVT_E_NIL);
    default:
      if (locals_left(b->fn)) {
        LvtVar *v = block_local(m, b, num(m, 0));
        return binop(m, LVT_OP_NE, name_ref(m, v), num(m, 0));
      }
      s = mk(m, LVT_E_UNOP);
      s->op = LVT_OP_LEN;
      s->a = mk(m, LVT_E_STRING);
      s->a->s = "\"\"";
      s->a->slen = 2;
      return binop(m, LVT_OP_GT, s, num(m, 0));
  }
}

static int stat_count(const LvtNode *s) {
  int n = 0;
  for (; s != NULL; s = s->next) n++;
  return n;
}

static LvtNode **stat_slot(LvtNode *blk, int i) {
  LvtNode **slot = &blk->a;
  while (i-- > 0 && *slot != NULL) slot = &(*slot)->next;
  return slot;
}

/* Injects one dead-code statement into the block of 'b'. */
static void inject_dead(Mx *m, Bx *b) {
  int n = stat_count(b->blk->a), pos, tries;
  LvtNode *src = NULL, *ifs, *cl, *blk, **slot;
  if (m->ndead == 0 || b->depth > MAX_BLOCK_DEPTH) return;
  for (tries = 0; tries < 4 && src == NULL; tries++) {
    LvtNode *c = m->dead[lvt_ast_below(&m->rng, (unsigned)m->ndead)];
    unsigned h = stat_has(c, 0, 0);
    if (h & (H_GOTO | H_LABEL | H_BREAK | H_VARARG)) continue;
    if ((h & H_NAMEASSIGN) && (m->t->uses & LVT_USE_ATTRIB)) continue;
    if (c->kind == LVT_S_RETURN) continue;
    if (node_count(c, 0, 80) > 80) continue;   /* variants stay small */
    src = c;
  }
  if (src == NULL) return;
  /* position: never after the block's return, nor after a label */
  if (b->has_label) {
    pos = 0;
  } else {
    int last = n;
    LvtNode *s = b->blk->a;
    int i = 0;
    for (; s != NULL; s = s->next, i++)
      if (s->kind == LVT_S_RETURN || s->kind == LVT_S_BREAK) {
        last = i;   /* 5.1: both end their block */
        break;
      }
    pos = (int)lvt_ast_below(&m->rng, (unsigned)last + 1);
  }
  ifs = mk(m, LVT_S_IF);
  cl = mk(m, LVT_N_CLAUSE);
  blk = mk(m, LVT_N_BLOCK);
  blk->fn = b->fn;
  cl->a = false_cond(m, b);
  blk->a = lvt_ast_copy(m->t, src, 0);
  cl->b = blk;
  ifs->a = cl;
  slot = stat_slot(b->blk, pos);
  ifs->next = *slot;
  *slot = ifs;
  m->count[K_DEAD]++;
}

/* Wraps a run of statements of the block in do ... end. */
static void do_wrap(Mx *m, Bx *b) {
  int n = stat_count(b->blk->a), i, j, k;
  LvtNode **slot, *first, *last, *d, *blk;
  if (n == 0 || b->depth > MAX_BLOCK_DEPTH) return;
  i = (int)lvt_ast_below(&m->rng, (unsigned)n);
  j = i + 1 + (int)lvt_ast_below(&m->rng, (unsigned)(n - i < 4 ? n - i : 4));
  slot = stat_slot(b->blk, i);
  first = *slot;
  last = first;
  for (k = i; k < j; k++) {
    LvtNode *s = k == i ? first : last->next;
    if (s->kind == LVT_S_LABEL) return;
    if ((s->kind == LVT_S_LOCAL || s->kind == LVT_S_LOCALFUNC) &&
        (j < n || b->is_repeat))
      return;
    last = s;
  }
  d = mk(m, LVT_S_DO);
  blk = mk(m, LVT_N_BLOCK);
  blk->fn = b->fn;
  d->a = blk;
  d->next = last->next;
  last->next = NULL;
  blk->a = first;
  *slot = d;
  m->count[K_DOWRAP]++;
}

static void walk_block(Mx *m, LvtNode *blk, Bx *up, LvtFunc *fn, int vararg,
                       int is_repeat, LvtNode *repeat) {
  Bx b;
  LvtNode **slot;
  memset(&b, 0, sizeof b);
  b.up = up;
  b.blk = blk;
  b.fn = fn;
  b.vararg = vararg;
  b.depth = up != NULL ? up->depth + 1 : 0;
  b.is_repeat = is_repeat;
  b.dtail = &b.decls;
  b.vtail = &b.vals;
  for (slot = &blk->a; *slot != NULL; slot = &(*slot)->next) {
    if ((*slot)->kind == LVT_S_LABEL) b.has_label = 1;
  }
  for (slot = &blk->a; *slot != NULL; slot = &(*slot)->next)
    walk_stat(m, &b, slot);
  if (repeat != NULL) walk_expr(m, &b, &repeat->b, 0, 1);
  if (on(m, K_DEAD) && chance(&m->rng, m->rate)) inject_dead(m, &b);
  if (on(m, K_DOWRAP) && chance(&m->rng, m->rate)) do_wrap(m, &b);
  if (b.decls != NULL) {   /* the block-start locals */
    LvtNode *loc = mk(m, LVT_S_LOCAL);
    loc->a = b.decls;
    loc->b = b.vals;
    loc->next = blk->a;
    blk->a = loc;
  }
}

/* ---------------------------------------------------------------------
** Rename, collection
** --------------------------------------------------------------------- */
static void collect(Mx *m, LvtNode *n, int sib) {
  for (; n != NULL; n = sib ? n->next : NULL) {
    if (lvt_nk_is_stat(n->kind)) {
      if (m->ndead >= m->capdead) {
        m->capdead = m->capdead ? m->capdead * 2 : 64;
        m->dead = lvt_xrealloc(m->dead, (size_t)m->capdead * sizeof *m->dead);
      }
      m->dead[m->ndead++] = n;
    }
    collect(m, n->a, 1);
    collect(m, n->b, 1);
    collect(m, n->c, 1);
  }
}

static void rename_pass(Mx *m, LvtNode *n, int sib, char *renamed) {
  for (; n != NULL; n = sib ? n->next : NULL) {
    if ((n->kind == LVT_N_DECL || n->kind == LVT_E_NAME) && n->var != NULL &&
        !n->var->implicit && strcmp(n->s, "_ENV") != 0) {
      LvtVar *v = n->var;
      if (renamed[v->id] == 0) {
        renamed[v->id] = chance(&m->rng, 60) ? 1 : 2;
        if (renamed[v->id] == 1) {
          v->name = fresh_name(m);
          m->count[K_RENAME]++;
        }
      }
      n->s = v->name;
      n->slen = (uint32_t)strlen(v->name);
    }
    rename_pass(m, n->a, 1, renamed);
    rename_pass(m, n->b, 1, renamed);
    rename_pass(m, n->c, 1, renamed);
  }
}

/* A prefix for fresh names that no identifier of 'src' starts with. */
static void pick_prefix(Mx *m, const char *src, size_t len) {
  static const char *const bases[] = {"lvt_m", "lvtM", "lvt__m", "LVT_m",
                                      "lvtmeta_", "zz_lvt"};
  size_t i;
  for (i = 0; i < sizeof bases / sizeof bases[0]; i++) {
    if (len == 0 || memmem(src, len, bases[i], strlen(bases[i])) == NULL) break;
  }
  if (i == sizeof bases / sizeof bases[0]) {
    /* every base occurs: count up a suffix until one does not */
    unsigned u;
    for (u = 0;; u++) {
      snprintf(m->prefix, sizeof m->prefix, "lvq%u_", u);
      if (len == 0 || memmem(src, len, m->prefix, strlen(m->prefix)) == NULL) return;
    }
  }
  snprintf(m->prefix, sizeof m->prefix, "%s", bases[i]);
}

static void applied_list(const Mx *m, LvtBuf *applied) {
  int k, first = 1;
  if (applied == NULL) return;
  lvt_buf_clear(applied);
  for (k = 0; k < K__COUNT; k++) {
    if (m->count[k] == 0) continue;
    lvt_buf_addf(applied, "%s%s x%d", first ? "" : ", ", kind_names[k], m->count[k]);
    first = 0;
  }
  if (first) lvt_buf_adds(applied, "none");
}

/* Detaches the statement of a split body that takes the prelude's locals
** ("local <names> = ..."), so that no rewrite reaches it, and marks its
** locals as never renamed (the prelude declares them under these names).
** Returns 0 when the chunk does not start with it. */
static int freeze_prelude(LvtAst *t, char *renamed) {
  LvtNode *blk = t->chunk->b, *s = blk->a, *d;
  if (s == NULL || s->kind != LVT_S_LOCAL || s->b == NULL || s->b->kind != LVT_E_VARARG ||
      s->b->next != NULL)
    return 0;
  for (d = s->a; d != NULL; d = d->next)
    if (d->var != NULL) renamed[d->var->id] = 2;
  blk->a = s->next;
  return 1;
}

/* One attempt: parse, rewrite, print; 1 when the print parses.
** A generated program whose prelude is intact is rewritten in its split
** form (lvt_gen_split): the body only, after the statement that takes the
** prelude's locals, which no rewrite touches. The variant is then the
** program's header and prelude, byte for byte, and the rewritten body:
** split again, it costs its VMs only its body (and the rewriting only
** the body). */
static int attempt(const char *src, size_t len, LvtProfile profile,
                   unsigned which, uint64_t seed, LvtBuf *out,
                   LvtBuf *applied, LvtBuf *body, LvtErr *e) {
  Mx m;
  const char *pre;
  size_t plen, cut = lvt_gen_prelude_end(src, len);
  int split = cut > 0 && lvt_gen_split(src, len, &pre, &plen, body);
  LvtAst *t = split ? lvt_ast_parse(body->data, body->len, profile, e)
                    : lvt_ast_parse(src, len, profile, e);
  char *renamed;
  int ok, k;
  if (t == NULL) return -1;
  if (!lvt_ast_check_profile(t, profile, e)) {
    lvt_ast_free(t);
    return -1;
  }
  renamed = lvt_xcalloc((size_t)t->nvars + 1, 1);
  if (split && !freeze_prelude(t, renamed)) {
    /* (cannot happen: the split body starts with that statement) */
    free(renamed);
    lvt_ast_free(t);
    lvt_err_set(e, LVT_ERR_INTERNAL, "split body without its first statement");
    return -1;
  }
  memset(&m, 0, sizeof m);
  m.t = t;
  m.profile = profile;
  m.rng = seed;
  pick_prefix(&m, src, len);
  /* a random non-empty subset of 'which', a random intensity */
  for (k = 0; k < K__COUNT; k++)
    if (((which >> k) & 1) && chance(&m.rng, 60)) m.on |= 1u << k;
  if (m.on == 0) {
    for (k = (int)lvt_ast_below(&m.rng, K__COUNT);; k = (k + 1) % K__COUNT)
      if ((which >> k) & 1) break;
    m.on = 1u << k;
  }
  m.rate = 10 + lvt_ast_below(&m.rng, 30);
  collect(&m, t->chunk->b, 0);
  if (on(&m, K_RENAME)) rename_pass(&m, t->chunk, 0, renamed);
  free(renamed);
  walk_block(&m, t->chunk->b, NULL, t->chunk->fn, 1, 0, NULL);
  free(m.dead);
  lvt_buf_clear(out);
  lvt_buf_add(out, src, split ? cut : lvt_ast_header_len(src, len));
  lvt_ast_print(t, 0, out);
  lvt_ast_free(t);
  applied_list(&m, applied);
  /* (the prelude is intact: checking the body checks the whole) */
  if (split && lvt_gen_split(out->data, out->len, &pre, &plen, body))
    ok = lvt_lua_parses(body->data, body->len, profile, NULL);
  else
    ok = lvt_lua_parses(out->data, out->len, profile, NULL);
  return ok;
}

int lvt_meta_variant(const char *src, size_t len, LvtProfile profile,
                     unsigned which, uint64_t seed, unsigned k, LvtBuf *out,
                     LvtBuf *applied, LvtErr *e) {
  uint64_t s = seed ^ (0x5851f42d4c957f2dull * (uint64_t)(k + 1));
  int tries, r = 0;
  LvtBuf body;
  if (src == NULL) src = "", len = 0;
  if (which == 0) which = LVT_META_ALL;
  which &= LVT_META_ALL;
  lvt_buf_init(&body);
  for (tries = 0; tries < 6; tries++) {
    r = attempt(src, len, profile, which, lvt_ast_rnd(&s), out, applied, &body, e);
    if (r != 0) break;
    /* the rewrites ran into a limit: fewer of the risky ones next time */
    if (tries >= 2) which &= ~(unsigned)(LVT_META_DEAD_CODE | LVT_META_IIFE);
    if (which == 0) which = LVT_META_RENAME;
  }
  lvt_buf_reset(&body);
  if (r < 0) {
    lvt_buf_clear(out);
    return e != NULL && e->code == LVT_ERR_INTERNAL ? LVT_ERR_INTERNAL : LVT_ERR_USAGE;
  }
  if (r == 1) return LVT_OK;
  /* last resort: the program printed back as it is */
  {
    LvtAst *t = lvt_ast_parse(src, len, profile, e);
    if (t == NULL) return LVT_ERR_USAGE;
    lvt_buf_clear(out);
    lvt_buf_add(out, src, lvt_ast_header_len(src, len));
    lvt_ast_print(t, 0, out);
    lvt_ast_free(t);
    if (applied != NULL) lvt_buf_set(applied, "none", 4);
  }
  return LVT_OK;
}
