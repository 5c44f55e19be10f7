/*
** lvt_mutate.c -- lvt_mutate: mutations of Lua source that keep it
** parseable, for the AFL++ custom mutator, libFuzzer's custom mutator
** hooks and the fuzz loop.
**
** A parseable input is parsed (with the profile its lvtest-gen header
** names, else 5.4), one tree mutation is applied, the tree is printed and
** parsed again; a mutation whose print does not parse (a 'break' moved
** out of its loop, a '...' into a function without one, a goto without
** its label) or does not fit in 'max_size' is drawn again from a fresh
** parse. Token level: operators, constants, identifiers (names the
** program uses). Tree level: replace an expression by another one (of
** the program or of the donor), duplicate, delete, swap statements,
** splice a statement of the donor, wrap statements and expressions. An
** input that does not parse gets byte-level mutations with a dictionary
** of Lua tokens.
*/
#include "lvt_meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvt_ast.h"


/* Sites of one tree. */
typedef struct Sites {
  LvtNode ***expr;       /* slots holding an expression that any
                         ** expression may replace */
  int nexpr, capexpr;
  LvtNode ***stat;       /* slots in statement lists (incl. the end) */
  LvtNode **statblk;     /* the block of each stat slot */
  int nstat, capstat;
  LvtNode **ops;         /* BINOP / UNOP nodes */
  int nops, capops;
  LvtNode **consts;
  int nconsts, capconsts;
  LvtNode **names;       /* E_NAME nodes */
  int nnames, capnames;
} Sites;

#define PUSH(arr, n, cap, v) do { \
    if ((n) >= (cap)) { \
      (cap) = (cap) ? (cap) * 2 : 32; \
      (arr) = lvt_xrealloc((arr), (size_t)(cap) * sizeof *(arr)); \
    } \
    (arr)[(n)++] = (v); \
  } while (0)

static void sites_free(Sites *s) {
  free(s->expr);
  free(s->stat);
  free(s->statblk);
  free(s->ops);
  free(s->consts);
  free(s->names);
}

static void scan(Sites *s, LvtNode **slot, int sib, int exprpos);

static void push_stat(Sites *s, LvtNode **slot, LvtNode *blk) {
  if (s->nstat >= s->capstat) {
    s->capstat = s->capstat ? s->capstat * 2 : 32;
    s->stat = lvt_xrealloc(s->stat, (size_t)s->capstat * sizeof *s->stat);
    s->statblk = lvt_xrealloc(s->statblk, (size_t)s->capstat * sizeof *s->statblk);
  }
  s->stat[s->nstat] = slot;
  s->statblk[s->nstat++] = blk;
}

/* Scans the node in '*slot'; 'exprpos': the slot accepts any expression. */
static void scan_one(Sites *s, LvtNode **slot, int exprpos) {
  LvtNode *n = *slot;
  if (exprpos && lvt_nk_is_expr(n->kind)) PUSH(s->expr, s->nexpr, s->capexpr, slot);
  switch (n->kind) {
    case LVT_E_NUMBER: case LVT_E_STRING: case LVT_E_NIL: case LVT_E_TRUE:
    case LVT_E_FALSE:
      PUSH(s->consts, s->nconsts, s->capconsts, n);
      break;
    case LVT_E_BINOP: case LVT_E_UNOP:
      PUSH(s->ops, s->nops, s->capops, n);
      scan(s, &n->a, 0, 1);
      if (n->b != NULL) scan(s, &n->b, 0, 1);
      break;
    case LVT_E_NAME:
      PUSH(s->names, s->nnames, s->capnames, n);
      break;
    case LVT_E_INDEX:
      scan(s, &n->a, 0, 1);
      if (n->b != NULL) scan(s, &n->b, 0, 1);
      break;
    case LVT_E_CALL: case LVT_E_METHCALL:
      scan(s, &n->a, 0, 1);
      if (n->b != NULL) scan(s, &n->b, 1, 1);
      break;
    case LVT_E_PAREN:
      scan(s, &n->a, 0, 1);
      break;
    case LVT_E_TABLE:
      if (n->a != NULL) scan(s, &n->a, 1, 0);
      break;
    case LVT_N_FIELD_POS: case LVT_N_FIELD_NAMED:
      scan(s, &n->a, 0, 1);
      break;
    case LVT_N_FIELD_KEY:
      scan(s, &n->a, 0, 1);
      scan(s, &n->b, 0, 1);
      break;
    case LVT_E_FUNCTION:
      scan(s, &n->a, 0, 0);
      break;
    case LVT_N_FUNCBODY:
      scan(s, &n->b, 0, 0);
      break;
    case LVT_N_BLOCK: {
      LvtNode **sl;
      for (sl = &n->a;; sl = &(*sl)->next) {
        push_stat(s, sl, n);
        if (*sl == NULL) break;
        scan_one(s, sl, 0);
      }
      break;
    }
    case LVT_N_CLAUSE:
      if (n->a != NULL) scan(s, &n->a, 0, 1);
      scan(s, &n->b, 0, 0);
      break;
    case LVT_S_LOCAL:
      if (n->b != NULL) scan(s, &n->b, 1, 1);
      break;
    case LVT_S_ASSIGN: {
      LvtNode *t;
      for (t = n->a; t != NULL; t = t->next)
        if (t->kind == LVT_E_INDEX) {
          scan(s, &t->a, 0, 1);
          if (t->b != NULL) scan(s, &t->b, 0, 1);
        }
      scan(s, &n->b, 1, 1);
      break;
    }
    case LVT_S_CALL:
      scan(s, &n->a->a, 0, 1);
      if (n->a->b != NULL) scan(s, &n->a->b, 1, 1);
      break;
    case LVT_S_DO:
      scan(s, &n->a, 0, 0);
      break;
    case LVT_S_WHILE:
      scan(s, &n->a, 0, 1);
      scan(s, &n->b, 0, 0);
      break;
    case LVT_S_REPEAT:
      scan(s, &n->a, 0, 0);
      scan(s, &n->b, 0, 1);
      break;
    case LVT_S_IF:
      scan(s, &n->a, 1, 0);
      break;
    case LVT_S_NUMFOR: case LVT_S_GENFOR:
      scan(s, &n->b, 1, 1);
      scan(s, &n->c, 0, 0);
      break;
    case LVT_S_FUNCTION: case LVT_S_LOCALFUNC:
      scan(s, &n->b, 0, 0);
      break;
    case LVT_S_RETURN:
      if (n->a != NULL) scan(s, &n->a, 1, 1);
      break;
    default:
      break;
  }
}

static void scan(Sites *s, LvtNode **slot, int sib, int exprpos) {
  for (; *slot != NULL; slot = sib ? &(*slot)->next : NULL) {
    scan_one(s, slot, exprpos);
    if (!sib) break;
  }
}

/* ---------------------------------------------------------------------
** Mutations of a tree
** --------------------------------------------------------------------- */
typedef struct Mu {
  LvtAst *t;
  Sites s;
  LvtAst *donor;         /* parsed donor (on first use) or NULL */
  Sites ds;
  const char *dsrc;      /* the donor's source, parsed when needed */
  size_t dlen;
  uint64_t rng;
  int int53;             /* may use // and bitwise operators */
  int risky;             /* a mutation that can break a static rule was
                         ** applied: the print must be parsed again */
} Mu;

static LvtNode *mk(Mu *m, LvtNk k) { return lvt_ast_node(m->t, k); }

/* What a subtree holds that static rules care about when it moves. */
enum { H_VARARG = 1, H_BREAK = 2, H_GOTO = 4, H_LABEL = 8, H_NAME = 16 };
static unsigned has(const LvtNode *n, int sib, int infunc) {
  unsigned h = 0;
  for (; n != NULL; n = sib ? n->next : NULL) {
    switch (n->kind) {
      case LVT_E_VARARG: if (!infunc) h |= H_VARARG; break;
      case LVT_S_BREAK: h |= H_BREAK; break;
      case LVT_S_GOTO: h |= H_GOTO; break;
      case LVT_S_LABEL: h |= H_LABEL; break;
      case LVT_E_NAME: if (n->var != NULL) h |= H_NAME; break;
      default: break;
    }
    if (n->a != NULL || n->b != NULL || n->c != NULL) {
      int f = infunc || n->kind == LVT_N_FUNCBODY;
      h |= has(n->a, 1, f) | has(n->b, 1, f) | has(n->c, 1, f);
    }
  }
  return h;
}

/* Marks the mutation risky when moving 'n' to another place can break a
** static rule: '...', break/goto/labels, and (5.1's 60) upvalues. */
static void moved(Mu *m, const LvtNode *n, unsigned extra) {
  unsigned h = has(n, 0, 0);
  if (h & (H_VARARG | H_BREAK | H_GOTO | H_LABEL | extra)) m->risky = 1;
  if ((h & H_NAME) && !m->int53) m->risky = 1;
}

static LvtNode *mk_text(Mu *m, LvtNk k, const char *text) {
  LvtNode *n = mk(m, k);
  n->slen = (uint32_t)strlen(text);
  n->s = lvt_arena_strdup(m->t->arena, text, n->slen);
  return n;
}

static const char *const numbers[] = {
  "0", "1", "-1", "2", "3", "7", "10", "100", "255", "256", "65536",
  "0.5", "1.5", "-0.0", "1e308", "1e-308", "2^53", "2^63", "-2^63",
  "9007199254740993", "0x7fffffffffffffff", "0x8000000000000000",
  "math.huge", "-math.huge", "0/0", "math.pi", "0xff", "1e15", "3.0",
  "math.maxinteger", "math.mininteger"
};
static const char *const strings[] = {
  "\"\"", "\"a\"", "\"abc\"", "\"10\"", "\"0x10\"", "\" 1 \"", "\"1e2\"",
  "\"%d\"", "\"%s\"", "\"(%a+)\"", "\"\\0\"", "\"\\255\"", "\"nan\"",
  "'x'", "[[\nlong]]", "\"__index\"", "\"-0\"", "\"inf\""
};

/* A random interesting constant as an expression. */
static LvtNode *new_const(Mu *m) {
  switch (lvt_ast_below(&m->rng, 6)) {
    case 0: return mk(m, LVT_E_NIL);
    case 1: return mk(m, lvt_ast_below(&m->rng, 2) ? LVT_E_TRUE : LVT_E_FALSE);
    case 2: case 3: {
      const char *s = strings[lvt_ast_below(&m->rng, sizeof strings / sizeof strings[0])];
      return mk_text(m, LVT_E_STRING, s);
    }
    default: {
      /* parsed from text: some are expressions ("2^53", "math.huge") */
      const char *s = numbers[lvt_ast_below(&m->rng, sizeof numbers / sizeof numbers[0])];
      LvtErr e;
      char buf[64];
      LvtAst *tmp;
      LvtNode *n;
      if (strspn(s, "0123456789.ex") == strlen(s)) return mk_text(m, LVT_E_NUMBER, s);
      snprintf(buf, sizeof buf, "return %s", s);
      m->risky = 1;   /* an expression: one level deeper */
      tmp = lvt_ast_parse(buf, strlen(buf), LVT_PROFILE_54, &e);
      if (tmp == NULL) return mk_text(m, LVT_E_NUMBER, "0");
      n = lvt_ast_copy(m->t, tmp->chunk->b->a->a, 0);
      lvt_ast_free(tmp);
      return n;
    }
  }
}

static int bin_ok(Mu *m, int op) {
  return m->int53 || !(op == LVT_OP_IDIV || (op >= LVT_OP_BAND && op <= LVT_OP_SHR));
}

static int mut_op(Mu *m) {
  LvtNode *n;
  if (m->s.nops == 0) return 0;
  n = m->s.ops[lvt_ast_below(&m->rng, (unsigned)m->s.nops)];
  if (n->kind == LVT_E_BINOP) {
    int op;
    do op = (int)lvt_ast_below(&m->rng, LVT_OP__NBIN); while (!bin_ok(m, op));
    n->op = (uint8_t)op;
  } else {
    int op = LVT_OP_NEG + (int)lvt_ast_below(&m->rng, m->int53 ? 4 : 3);
    n->op = (uint8_t)op;
  }
  return 1;
}

static int mut_const(Mu *m) {
  LvtNode *n, *c;
  if (m->s.nconsts == 0) return 0;
  n = m->s.consts[lvt_ast_below(&m->rng, (unsigned)m->s.nconsts)];
  if (n->kind == LVT_E_NUMBER && lvt_ast_below(&m->rng, 2)) {
    /* a neighbour of the numeral: append a digit, drop one, +1 */
    char buf[80];
    unsigned how = lvt_ast_below(&m->rng, 3);
    if (how == 0 && n->slen < 60) {
      snprintf(buf, sizeof buf, "%.*s%u", (int)n->slen, n->s, lvt_ast_below(&m->rng, 10));
    } else if (how == 1 && n->slen > 1 && n->s[0] != '0') {
      snprintf(buf, sizeof buf, "%.*s", (int)n->slen - 1, n->s);
      m->risky = 1;   /* "1e5" -> "1e" */
    } else {
      snprintf(buf, sizeof buf, "%.*s", (int)(n->slen < 70 ? n->slen : 70), n->s);
      /* n + 1 as a binary expression would change the kind; keep a
      ** numeral: swap in 0 */
      if (strcmp(buf, "0") == 0) snprintf(buf, sizeof buf, "1");
      else snprintf(buf, sizeof buf, "0");
    }
    n->s = lvt_arena_strdup(m->t->arena, buf, strlen(buf));
    n->slen = (uint32_t)strlen(buf);
    return 1;
  }
  c = new_const(m);
  {
    LvtNode *next = n->next;
    *n = *c;
    n->next = next;
  }
  return 1;
}

static int mut_name(Mu *m) {
  LvtNode *n, *o;
  if (m->s.nnames < 2) return 0;
  n = m->s.names[lvt_ast_below(&m->rng, (unsigned)m->s.nnames)];
  o = m->s.names[lvt_ast_below(&m->rng, (unsigned)m->s.nnames)];
  n->s = o->s;
  n->slen = o->slen;
  n->var = o->var;
  if (!m->int53 || (m->t->uses & LVT_USE_ATTRIB)) m->risky = 1;  /* upvalue
                                 ** limit; assignment to a <const> */
  return 1;
}

/* An expression of the donor (when given and 50%) or of the program. */
static LvtAst *parse_for(const char *src, size_t len, LvtProfile prof,
                         Sites *s) {
  LvtAst *t = lvt_ast_parse(src, len, prof, NULL);
  if (t == NULL) return NULL;
  memset(s, 0, sizeof *s);
  scan_one(s, &t->chunk->b, 0);
  return t;
}

/* The parsed donor (parsed on first use), or NULL. */
static LvtAst *get_donor(Mu *m) {
  if (m->donor == NULL && m->dsrc != NULL) {
    m->donor = parse_for(m->dsrc, m->dlen, LVT_PROFILE_54, &m->ds);
    m->dsrc = NULL;   /* once, even when it does not parse */
  }
  return m->donor;
}

static LvtNode *some_expr(Mu *m) {
  LvtNode *n;
  if (lvt_ast_below(&m->rng, 2) && get_donor(m) != NULL && m->ds.nexpr > 0)
    n = lvt_ast_copy(m->t, *m->ds.expr[lvt_ast_below(&m->rng, (unsigned)m->ds.nexpr)], 0);
  else if (m->s.nexpr == 0)
    return new_const(m);
  else
    n = lvt_ast_copy(m->t, *m->s.expr[lvt_ast_below(&m->rng, (unsigned)m->s.nexpr)], 0);
  moved(m, n, 0);
  return n;
}

static void put(LvtNode **slot, LvtNode *n) {
  n->next = (*slot)->next;
  *slot = n;
}

static int mut_expr_replace(Mu *m) {
  LvtNode **slot, *n;
  if (m->s.nexpr == 0) return 0;
  slot = m->s.expr[lvt_ast_below(&m->rng, (unsigned)m->s.nexpr)];
  n = lvt_ast_below(&m->rng, 4) == 0 ? new_const(m) : some_expr(m);
  put(slot, n);
  return 1;
}

static int mut_expr_wrap(Mu *m) {
  LvtNode **slot, *e, *w;
  if (m->s.nexpr == 0) return 0;
  m->risky = 1;   /* one level deeper: Lua's nesting limit */
  slot = m->s.expr[lvt_ast_below(&m->rng, (unsigned)m->s.nexpr)];
  e = *slot;
  w = NULL;
  switch (lvt_ast_below(&m->rng, 5)) {
    case 0:
      w = mk(m, LVT_E_PAREN);
      break;
    case 1: {
      static const int un[] = {LVT_OP_NEG, LVT_OP_NOT, LVT_OP_LEN, LVT_OP_BNOT};
      w = mk(m, LVT_E_UNOP);
      w->op = (uint8_t)un[lvt_ast_below(&m->rng, m->int53 ? 4 : 3)];
      break;
    }
    case 2: case 3: {
      int op;
      do op = (int)lvt_ast_below(&m->rng, LVT_OP__NBIN); while (!bin_ok(m, op));
      w = mk(m, LVT_E_BINOP);
      w->op = (uint8_t)op;
      w->b = some_expr(m);
      w->b->next = NULL;
      if (lvt_ast_below(&m->rng, 2)) {   /* e on the right */
        LvtNode *x = w->b;
        w->b = NULL;
        *slot = w;
        w->next = e->next;
        e->next = NULL;
        w->a = x;
        w->b = e;
        return 1;
      }
      break;
    }
    default: {   /* (function() return e end)() -- reparse refuses '...' */
      moved(m, e, 0);
      LvtNode *fn = mk(m, LVT_E_FUNCTION), *body = mk(m, LVT_N_FUNCBODY);
      LvtNode *blk = mk(m, LVT_N_BLOCK), *ret = mk(m, LVT_S_RETURN);
      LvtNode *par = mk(m, LVT_E_PAREN);
      w = mk(m, LVT_E_CALL);
      w->next = e->next;
      e->next = NULL;
      ret->a = e;
      blk->a = ret;
      body->b = blk;
      fn->a = body;
      par->a = fn;
      w->a = par;
      *slot = w;
      return 1;
    }
  }
  w->next = e->next;
  e->next = NULL;
  w->a = e;
  *slot = w;
  return 1;
}

/* A statement slot where inserting (before what it holds) does not put
** a statement after a 'return'. */
static LvtNode **stat_slot(Mu *m, Sites *s) {
  int tries;
  for (tries = 0; tries < 8; tries++) {
    int i = (int)lvt_ast_below(&m->rng, (unsigned)s->nstat);
    LvtNode **slot = s->stat[i];
    if (*slot == NULL) {   /* at the end: only if the last is no return */
      LvtNode *x = s->statblk[i]->a;
      while (x != NULL && x->next != NULL) x = x->next;
      if (x != NULL && (x->kind == LVT_S_RETURN ||
                        (x->kind == LVT_S_BREAK && !m->int53)))
        continue;
    }
    return slot;
  }
  return NULL;
}

static int mut_stat_insert(Mu *m, int from_donor) {
  LvtNode **slot, *src, *c;
  Sites *from = from_donor && get_donor(m) != NULL ? &m->ds : &m->s;
  int i, tries;
  if (m->s.nstat == 0 || from->nstat == 0) return 0;
  src = NULL;
  for (tries = 0; tries < 8 && src == NULL; tries++) {
    i = (int)lvt_ast_below(&m->rng, (unsigned)from->nstat);
    src = *from->stat[i];
    if (src != NULL && src->kind == LVT_S_RETURN) src = NULL;
  }
  if (src == NULL) return 0;
  slot = stat_slot(m, &m->s);
  if (slot == NULL) return 0;
  c = lvt_ast_copy(m->t, src, 0);
  moved(m, c, 0);
  if (c->kind == LVT_S_LOCAL || c->kind == LVT_S_LOCALFUNC) m->risky = 1;  /* 200 */
  c->next = *slot;
  *slot = c;
  return 1;
}

static int mut_stat_delete(Mu *m) {
  int i, tries;
  for (tries = 0; tries < 8; tries++) {
    LvtNode **slot;
    i = (int)lvt_ast_below(&m->rng, (unsigned)m->s.nstat);
    slot = m->s.stat[i];
    if (*slot == NULL) continue;
    if (has(*slot, 0, 0) & H_LABEL) m->risky = 1;   /* its gotos */
    *slot = (*slot)->next;
    return 1;
  }
  return 0;
}

static int mut_stat_swap(Mu *m) {
  int tries;
  for (tries = 0; tries < 8; tries++) {
    LvtNode **slot = m->s.stat[lvt_ast_below(&m->rng, (unsigned)m->s.nstat)], *a, *b;
    a = *slot;
    if (a == NULL || a->next == NULL || a->next->kind == LVT_S_RETURN) continue;
    b = a->next;
    if ((m->t->uses & LVT_USE_GOTO) || !m->int53)
      m->risky = 1;   /* jumps into scopes; 5.1's break last in a block */
    a->next = b->next;
    b->next = a;
    *slot = b;
    return 1;
  }
  return 0;
}

static int mut_stat_wrap(Mu *m) {
  int tries;
  for (tries = 0; tries < 8; tries++) {
    LvtNode **slot = m->s.stat[lvt_ast_below(&m->rng, (unsigned)m->s.nstat)], *s, *w, *blk;
    s = *slot;
    if (s == NULL) continue;
    m->risky = 1;   /* labels hidden from their gotos; nesting limit */
    blk = mk(m, LVT_N_BLOCK);
    w = NULL;
    switch (lvt_ast_below(&m->rng, 4)) {
      case 0:
        w = mk(m, LVT_S_DO);
        w->a = blk;
        break;
      case 1: {
        LvtNode *cl = mk(m, LVT_N_CLAUSE);
        w = mk(m, LVT_S_IF);
        cl->a = lvt_ast_below(&m->rng, 2) ? mk(m, LVT_E_TRUE) : some_expr(m);
        cl->a->next = NULL;
        cl->b = blk;
        w->a = cl;
        break;
      }
      case 2: {   /* for _ = 1, 1 do s end */
        LvtNode *d = mk(m, LVT_N_DECL);
        w = mk(m, LVT_S_NUMFOR);
        d->s = "_";
        d->slen = 1;
        w->a = d;
        w->b = mk_text(m, LVT_E_NUMBER, "1");
        w->b->next = mk_text(m, LVT_E_NUMBER, lvt_ast_below(&m->rng, 2) ? "1" : "2");
        w->c = blk;
        break;
      }
      default: {   /* repeat s until true */
        w = mk(m, LVT_S_REPEAT);
        w->a = blk;
        w->b = lvt_ast_below(&m->rng, 2) ? mk(m, LVT_E_TRUE) : some_expr(m);
        w->b->next = NULL;
        break;
      }
    }
    w->next = s->next;
    s->next = NULL;
    blk->a = s;
    *slot = w;
    return 1;
  }
  return 0;
}

/* One random tree mutation; 0 when none applied. Operator and constant
** changes keep every static rule; the others set 'risky'. */
static int mutate_tree(Mu *m) {
  unsigned k = lvt_ast_below(&m->rng, 12);
  switch (k) {
    case 0: return mut_op(m);
    case 1: case 2: return mut_const(m);
    case 3: return mut_name(m);
    case 4: case 5: return mut_expr_replace(m);
    case 6: return mut_expr_wrap(m);
    case 7: return mut_stat_insert(m, 0);
    case 8: return mut_stat_insert(m, 1);
    case 9: return mut_stat_delete(m);
    case 10: return mut_stat_swap(m);
    default: return mut_stat_wrap(m);
  }
}

/* ---------------------------------------------------------------------
** Byte level (inputs that do not parse)
** --------------------------------------------------------------------- */
static const char *const dict[] = {
  "local ", "function ", "end ", "return ", "if ", "then ", "else ", "for ",
  "while ", "do ", "repeat ", "until ", "break ", "goto ", "nil", "true",
  "false", "and ", "or ", "not ", "..", "...", "==", "~=", "<=", ">=", "//",
  "<<", ">>", "::", "=", "(", ")", "{", "}", "[", "]", ",", ";", ".", ":",
  "+", "-", "*", "/", "%", "^", "#", "&", "|", "~", "<", ">", "\"", "'",
  "[[", "]]", "--", "0", "1", "0x10", "1e10", "x", "t", "print", "pcall",
  "error", "setmetatable", "__index", "string.rep", "<const>", "<close>"
};

static void mutate_bytes(const char *src, size_t len, const char *donor,
                         size_t dlen, size_t max, uint64_t *rng, LvtBuf *out) {
  size_t pos = len ? lvt_ast_below(rng, (unsigned)len + 1) : 0;
  lvt_buf_clear(out);
  switch (lvt_ast_below(rng, 5)) {
    case 0: {   /* insert a token */
      const char *d = dict[lvt_ast_below(rng, sizeof dict / sizeof dict[0])];
      lvt_buf_add(out, src, pos);
      lvt_buf_adds(out, d);
      lvt_buf_add(out, src + pos, len - pos);
      break;
    }
    case 1: {   /* delete a span */
      size_t n = len - pos > 0 ? 1 + lvt_ast_below(rng, (unsigned)(len - pos < 16 ? len - pos : 16)) : 0;
      lvt_buf_add(out, src, pos);
      lvt_buf_add(out, src + pos + n, len - pos - n);
      break;
    }
    case 2: {   /* duplicate a span */
      size_t n = len - pos > 0 ? 1 + lvt_ast_below(rng, (unsigned)(len - pos < 32 ? len - pos : 32)) : 0;
      lvt_buf_add(out, src, pos + n);
      lvt_buf_add(out, src + pos, len - pos);
      break;
    }
    case 3:
      if (donor != NULL && dlen > 0) {   /* splice a span of the donor */
        size_t dp = lvt_ast_below(rng, (unsigned)dlen), n = 1 + lvt_ast_below(rng, (unsigned)(dlen - dp < 64 ? dlen - dp : 64));
        lvt_buf_add(out, src, pos);
        lvt_buf_add(out, donor + dp, n);
        lvt_buf_add(out, src + pos, len - pos);
        break;
      }
      /* fall through */
    default:   /* replace a byte */
      lvt_buf_add(out, src, len);
      if (len > 0) {
        static const char set[] = "abcxyz019 .,;:=<>+-*/%^#~&|()[]{}'\"\n\\";
        out->data[pos < len ? pos : len - 1] = set[lvt_ast_below(rng, sizeof set - 1)];
      }
  }
  if (out->len > max) out->len = max;
  if (out->data != NULL) out->data[out->len] = '\0';
}

/* ---------------------------------------------------------------------
** Entry point
** --------------------------------------------------------------------- */

/* The profile named by a generated program's header line
** ("-- lvtest-gen 1 profile=5.3 ..."), else 5.4 (the superset). */
static LvtProfile header_profile(const char *src, size_t len) {
  static const char head[] = "-- lvtest-gen ";
  const char *nl, *p;
  if (len < sizeof head || memcmp(src, head, sizeof head - 1) != 0)
    return LVT_PROFILE_54;
  nl = memchr(src, '\n', len);
  if (nl == NULL) nl = src + len;
  for (p = src; p + 8 < nl; p++)
    if (memcmp(p, "profile=", 8) == 0) {
      p += 8;
      if (nl - p >= 8 && memcmp(p, "portable", 8) == 0) return LVT_PROFILE_PORTABLE;
      if (nl - p >= 3 && memcmp(p, "5.3", 3) == 0) return LVT_PROFILE_53;
      break;
    }
  return LVT_PROFILE_54;
}

size_t lvt_mutate(const char *src, size_t len, const char *donor,
                  size_t donor_len, size_t max_size, uint64_t seed,
                  LvtBuf *out) {
  uint64_t rng = seed ^ 0xa0761d6478bd642full;
  LvtProfile prof = LVT_PROFILE_54;
  int tries;
  if (src == NULL) src = "", len = 0;
  if (donor == NULL) donor_len = 0;
  prof = header_profile(src, len);
  for (tries = 0; tries < 10; tries++) {
    Mu m;
    int done = 0, n;
    memset(&m, 0, sizeof m);
    m.rng = lvt_ast_rnd(&rng);
    m.t = parse_for(src, len, prof, &m.s);
    if (m.t == NULL || !lvt_ast_check_profile(m.t, prof, NULL)) {
      if (m.t != NULL) {
        sites_free(&m.s);
        lvt_ast_free(m.t);
      }
      if (tries > 0) break;   /* cannot happen: it parsed before */
      mutate_bytes(src, len, donor, donor_len, max_size, &rng, out);
      return out->len;
    }
    m.int53 = prof != LVT_PROFILE_PORTABLE;
    if (donor != NULL && donor_len > 0) {
      m.dsrc = donor;
      m.dlen = donor_len;
    }
    /* usually one mutation, sometimes a few (havoc) */
    n = lvt_ast_below(&m.rng, 4) == 0 ? 2 + (int)lvt_ast_below(&m.rng, 3) : 1;
    while (n-- > 0) {
      done |= mutate_tree(&m);
      if (n > 0) {   /* the slots may be stale now: scan again */
        sites_free(&m.s);
        memset(&m.s, 0, sizeof m.s);
        scan_one(&m.s, &m.t->chunk->b, 0);
      }
    }
    if (done) {
      size_t hl = lvt_ast_header_len(src, len);
      int cuts = 0;
      lvt_buf_clear(out);
      lvt_buf_add(out, src, hl);   /* the generator's header stays */
      lvt_ast_print(m.t, 0, out);
      /* too big: compact, then delete statements until it fits */
      while (out->len > max_size && cuts < 64) {
        if (cuts > 0) {
          sites_free(&m.s);
          memset(&m.s, 0, sizeof m.s);
          scan_one(&m.s, &m.t->chunk->b, 0);
          if (!mut_stat_delete(&m)) break;
        }
        cuts++;
        lvt_buf_clear(out);
        lvt_buf_add(out, src, hl);
        lvt_ast_print(m.t, 1, out);
      }
    }
    sites_free(&m.s);
    lvt_ast_free(m.t);
    if (m.donor != NULL) {
      sites_free(&m.ds);
      lvt_ast_free(m.donor);
    }
    if (done && out->len <= max_size &&
        (!m.risky || lvt_lua_parses(out->data, out->len, prof, NULL)))
      return out->len;
  }
  /* nothing fitted: a byte mutation that does not grow the input */
  mutate_bytes(src, len < max_size ? len : max_size, NULL, 0, max_size, &rng, out);
  return out->len;
}
