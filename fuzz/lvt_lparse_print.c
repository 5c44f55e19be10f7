/*
** lvt_lparse_print.c -- the tree of lvt_ast.h back to Lua source: one
** statement per line and indented, or compact on one line.
**
** The printer adds what a (possibly rewritten) tree needs to read back
** as the same tree: parentheses around an operand whose operator binds
** less tightly than its position requires, around a non-prefix
** expression that is called or indexed, and a ';' after a statement
** followed by one that starts with '(' (else that would continue it).
** Numerals and string literals are printed as written in the source.
*/
#include "lvt_ast.h"

#include <string.h>

#define UNARY_PRIORITY LVT_UNARY_PRIORITY

typedef struct Pr {
  LvtBuf *out;
  int compact;
  int indent;
  int lastnum;     /* the last token was a numeral */
} Pr;

static int isident(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (c >= '0' && c <= '9');
}

/* Appends a token, with a space before it when the previous token and
** this one would otherwise read as something else. */
static void tok(Pr *p, const char *s, size_t n) {
  LvtBuf *b = p->out;
  if (n == 0) return;
  if (b->len > 0) {
    int c = (unsigned char)b->data[b->len - 1], d = (unsigned char)s[0];
    if ((isident(c) && isident(d)) || (c == '-' && d == '-') ||
        (c == '[' && (d == '[' || d == '=')) ||
        (c == '.' && (d == '.' || (d >= '0' && d <= '9'))) ||
        (p->lastnum && c != ' ' && (d == '.' || isident(d))) ||
        (c == '~' && d == '=') || (c == '=' && d == '=') ||
        (c == '<' && (d == '<' || d == '=')) ||
        (c == '>' && (d == '>' || d == '=')) || (c == '/' && d == '/') ||
        (c == ':' && d == ':'))
      lvt_buf_addc(b, ' ');
  }
  lvt_buf_add(b, s, n);
  p->lastnum = 0;
}

static void toks(Pr *p, const char *s) { tok(p, s, strlen(s)); }

/* A space in readable mode only. */
static void sp(Pr *p) {
  if (!p->compact && p->out->len > 0 && p->out->data[p->out->len - 1] != ' ' &&
      p->out->data[p->out->len - 1] != '\n')
    lvt_buf_addc(p->out, ' ');
}

static void nl(Pr *p) {
  int i;
  p->lastnum = 0;
  if (p->compact) {
    if (p->out->len > 0 && p->out->data[p->out->len - 1] != ' ')
      lvt_buf_addc(p->out, ' ');
    return;
  }
  lvt_buf_addc(p->out, '\n');
  for (i = 0; i < p->indent; i++) lvt_buf_add(p->out, "  ", 2);
}

static void expr(Pr *p, const LvtNode *e);
static void block(Pr *p, const LvtNode *b);
static void funcbody(Pr *p, const LvtNode *f);

static int is_prefix(const LvtNode *e) {
  return e->kind == LVT_E_NAME || e->kind == LVT_E_INDEX ||
         e->kind == LVT_E_CALL || e->kind == LVT_E_METHCALL ||
         e->kind == LVT_E_PAREN;
}

/* An expression in a position that needs a prefix expression. */
static void prefix(Pr *p, const LvtNode *e) {
  if (is_prefix(e)) {
    expr(p, e);
  } else {
    toks(p, "(");
    expr(p, e);
    toks(p, ")");
  }
}

static void paren_if(Pr *p, const LvtNode *e, int need) {
  if (need) toks(p, "(");
  expr(p, e);
  if (need) toks(p, ")");
}

static void explist(Pr *p, const LvtNode *e) {
  for (; e != NULL; e = e->next) {
    expr(p, e);
    if (e->next != NULL) {
      toks(p, ",");
      sp(p);
    }
  }
}

static void callargs(Pr *p, const LvtNode *args) {
  toks(p, "(");
  explist(p, args);
  toks(p, ")");
}

static void table(Pr *p, const LvtNode *t) {
  const LvtNode *f;
  toks(p, "{");
  for (f = t->a; f != NULL; f = f->next) {
    switch (f->kind) {
      case LVT_N_FIELD_POS:
        expr(p, f->a);
        break;
      case LVT_N_FIELD_NAMED:
        tok(p, f->s, f->slen);
        sp(p);
        toks(p, "=");
        sp(p);
        expr(p, f->a);
        break;
      default:
        toks(p, "[");
        expr(p, f->a);
        toks(p, "]");
        sp(p);
        toks(p, "=");
        sp(p);
        expr(p, f->b);
    }
    if (f->next != NULL) {
      toks(p, ",");
      sp(p);
    }
  }
  toks(p, "}");
}

static void expr(Pr *p, const LvtNode *e) {
  switch (e->kind) {
    case LVT_E_NIL: toks(p, "nil"); break;
    case LVT_E_TRUE: toks(p, "true"); break;
    case LVT_E_FALSE: toks(p, "false"); break;
    case LVT_E_NUMBER:
      tok(p, e->s, e->slen);
      p->lastnum = 1;
      break;
    case LVT_E_STRING: tok(p, e->s, e->slen); break;
    case LVT_E_VARARG: toks(p, "..."); break;
    case LVT_E_FUNCTION:
      toks(p, "function");
      funcbody(p, e->a);
      break;
    case LVT_E_TABLE: table(p, e); break;
    case LVT_E_NAME: tok(p, e->s, e->slen); break;
    case LVT_E_PAREN:
      toks(p, "(");
      expr(p, e->a);
      toks(p, ")");
      break;
    case LVT_E_INDEX:
      prefix(p, e->a);
      if (e->flags & LVT_F_DOT) {
        toks(p, ".");
        tok(p, e->s, e->slen);
      } else {
        toks(p, "[");
        expr(p, e->b);
        toks(p, "]");
      }
      break;
    case LVT_E_CALL:
      prefix(p, e->a);
      callargs(p, e->b);
      break;
    case LVT_E_METHCALL:
      prefix(p, e->a);
      toks(p, ":");
      tok(p, e->s, e->slen);
      callargs(p, e->b);
      break;
    case LVT_E_UNOP: {
      const LvtNode *a = e->a;
      int need = a->kind == LVT_E_BINOP && lvt_op_prio[a->op][0] <= UNARY_PRIORITY;
      toks(p, lvt_op_text((LvtOp)e->op));
      /* '- -x' must not become a comment; 'not' needs its space */
      paren_if(p, a, need);
      break;
    }
    case LVT_E_BINOP: {
      const LvtNode *a = e->a, *b = e->b;
      int lp = lvt_op_prio[e->op][0], rp = lvt_op_prio[e->op][1];
      int needa = (a->kind == LVT_E_BINOP && lp > lvt_op_prio[a->op][1]) ||
                  (a->kind == LVT_E_UNOP && lp > UNARY_PRIORITY);
      int needb = b->kind == LVT_E_BINOP && lvt_op_prio[b->op][0] <= rp;
      paren_if(p, a, needa);
      sp(p);
      toks(p, lvt_op_text((LvtOp)e->op));
      sp(p);
      paren_if(p, b, needb);
      break;
    }
    default:
      toks(p, "--[[?]]");
  }
}

static void funcbody(Pr *p, const LvtNode *f) {
  const LvtNode *d;
  toks(p, "(");
  for (d = f->a; d != NULL; d = d->next) {
    tok(p, d->s, d->slen);
    if (d->next != NULL || (f->flags & LVT_F_VARARG)) {
      toks(p, ",");
      sp(p);
    }
  }
  if (f->flags & LVT_F_VARARG) toks(p, "...");
  toks(p, ")");
  block(p, f->b);
  toks(p, "end");
}

static void declist(Pr *p, const LvtNode *d) {
  for (; d != NULL; d = d->next) {
    tok(p, d->s, d->slen);
    if (d->flags & LVT_F_ATTR_CONST) {
      sp(p);
      toks(p, "<const>");
    } else if (d->flags & LVT_F_ATTR_CLOSE) {
      sp(p);
      toks(p, "<close>");
    }
    if (d->next != NULL) {
      toks(p, ",");
      sp(p);
    }
  }
}

/* 1 when the printed statement would start with '('. */
static int starts_paren(const LvtNode *s) {
  const LvtNode *e;
  if (s->kind == LVT_S_CALL) e = s->a;
  else if (s->kind == LVT_S_ASSIGN) e = s->a;
  else return 0;
  for (;;) {
    if (e->kind == LVT_E_PAREN) return 1;
    if (e->kind == LVT_E_INDEX || e->kind == LVT_E_CALL ||
        e->kind == LVT_E_METHCALL) {
      if (!is_prefix(e->a)) return 1;
      e = e->a;
      continue;
    }
    return 0;
  }
}

static void stat(Pr *p, const LvtNode *s) {
  switch (s->kind) {
    case LVT_S_LOCAL:
      toks(p, "local");
      declist(p, s->a);
      if (s->b != NULL) {
        sp(p);
        toks(p, "=");
        sp(p);
        explist(p, s->b);
      }
      break;
    case LVT_S_ASSIGN:
      explist(p, s->a);
      sp(p);
      toks(p, "=");
      sp(p);
      explist(p, s->b);
      break;
    case LVT_S_CALL:
      expr(p, s->a);
      break;
    case LVT_S_DO:
      toks(p, "do");
      block(p, s->a);
      toks(p, "end");
      break;
    case LVT_S_WHILE:
      toks(p, "while");
      expr(p, s->a);
      toks(p, "do");
      block(p, s->b);
      toks(p, "end");
      break;
    case LVT_S_REPEAT:
      toks(p, "repeat");
      block(p, s->a);
      toks(p, "until");
      expr(p, s->b);
      break;
    case LVT_S_IF: {
      const LvtNode *c;
      for (c = s->a; c != NULL; c = c->next) {
        if (c->a != NULL) {
          toks(p, c == s->a ? "if" : "elseif");
          expr(p, c->a);
          toks(p, "then");
        } else {
          toks(p, "else");
        }
        block(p, c->b);
      }
      toks(p, "end");
      break;
    }
    case LVT_S_NUMFOR:
      toks(p, "for");
      tok(p, s->a->s, s->a->slen);
      sp(p);
      toks(p, "=");
      sp(p);
      explist(p, s->b);
      toks(p, "do");
      block(p, s->c);
      toks(p, "end");
      break;
    case LVT_S_GENFOR:
      toks(p, "for");
      declist(p, s->a);
      toks(p, "in");
      explist(p, s->b);
      toks(p, "do");
      block(p, s->c);
      toks(p, "end");
      break;
    case LVT_S_FUNCTION:
      toks(p, "function");
      expr(p, s->a);
      if (s->flags & LVT_F_METHOD) {
        toks(p, ":");
        tok(p, s->s, s->slen);
      }
      funcbody(p, s->b);
      break;
    case LVT_S_LOCALFUNC:
      toks(p, "local");
      toks(p, "function");
      tok(p, s->a->s, s->a->slen);
      funcbody(p, s->b);
      break;
    case LVT_S_RETURN:
      toks(p, "return");
      if (s->a != NULL) sp(p);
      explist(p, s->a);
      break;
    case LVT_S_BREAK:
      toks(p, "break");
      break;
    case LVT_S_GOTO:
      toks(p, "goto");
      tok(p, s->s, s->slen);
      break;
    case LVT_S_LABEL:
      toks(p, "::");
      tok(p, s->s, s->slen);
      toks(p, "::");
      break;
    default:
      toks(p, "--[[?]]");
  }
}

static void statlist(Pr *p, const LvtNode *s, int top) {
  for (; s != NULL; s = s->next) {
    if (!top || p->out->len > 0) nl(p);
    stat(p, s);
    if (s->next != NULL && starts_paren(s->next)) toks(p, ";");
  }
}

static void block(Pr *p, const LvtNode *b) {
  p->indent++;
  statlist(p, b->a, 0);
  p->indent--;
  nl(p);
}

void lvt_ast_print_node(const LvtNode *n, int compact, LvtBuf *out) {
  Pr p;
  memset(&p, 0, sizeof p);
  p.out = out;
  p.compact = compact;
  if (n == NULL) return;
  if (n->kind == LVT_N_BLOCK) statlist(&p, n->a, 1);
  else if (n->kind == LVT_N_FUNCBODY) statlist(&p, n->b->a, 1);
  else if (lvt_nk_is_stat(n->kind)) stat(&p, n);
  else if (lvt_nk_is_expr(n->kind)) expr(&p, n);
}

void lvt_ast_print(const LvtAst *t, int compact, LvtBuf *out) {
  size_t start = out->len;
  lvt_ast_print_node(t->chunk, compact, out);
  if (!compact || out->len > start) lvt_buf_addc(out, '\n');
}
