/*
** lvt_gen_expr.c -- typed expressions.
**
** The invariant that keeps portable programs identical on 5.1, LuaJIT and
** 5.3/5.4 (where integer literals are integers): a number expression of
** class C_INT is an integer subtype in 5.3+ and an integral float in 5.1
** with |value| < 2^bits <= 2^52, so every + - * % on it is exact on both;
** a number of class C_ANY is a float subtype in 5.3+ (so it follows IEEE
** arithmetic on both). Operands that would break the bound are wrapped in
** the prelude's M (back to 31 bits) or W (13 bits) before the operator, and
** a possible -0 (5.1 has it, 5.3 integers do not) is wrapped in M before
** anything that could tell it from +0. In 5.3+ profiles integer arithmetic
** wraps identically in 5.3 and 5.4, so there only errors (division by
** zero, float-to-integer conversions) need care.
*/
#include <string.h>

#include "lvt_gen_int.h"

/* Inserts 'pre' at byte offset 'at' of the output and appends 'post':
** wraps the expression written since 'at'. */
static void wrap(Gen *g, size_t at, const char *pre, const char *post) {
  size_t k = strlen(pre), len = g->out->len;
  lvt_buf_reserve(g->out, k + strlen(post));
  memmove(g->out->data + at + k, g->out->data + at, len - at);
  memcpy(g->out->data + at, pre, k);
  g->out->len += k;
  g->out->data[g->out->len] = 0;
  E(g, post);
}

static void set_int(EInfo *ei, int bits) {
  ei->cls = C_INT;
  ei->bits = (uint8_t)bits;
  ei->nz = 0;
  ei->konst = 0;
  ei->len = 0;
}

static void set_any(EInfo *ei) {
  ei->cls = C_ANY;
  ei->bits = 64;
  ei->nz = 0;
  ei->konst = 0;
  ei->len = 0;
}

/* Portable: makes the expression written since 'at' opaque to 5.1's
** constant folding ("+ Z", Z a local 0) when it is made of literals. */
static void unfold(Gen *g, size_t at, EInfo *ei) {
  if (gen_portable(g) && ei->konst) {
    wrap(g, at, "(", " + Z)");
    ei->konst = 0;
  }
}

/* Makes the expression written since 'at' a small, -0-free integer. */
static void to_int31(Gen *g, size_t at, EInfo *ei) {
  wrap(g, at, "M(", ")");
  set_int(ei, gen_portable(g) ? 31 : 64);
}

/* =====================================================================
** Number literals
** ===================================================================== */
typedef struct NumLit {
  const char *text;
  int bits;    /* C_INT with that bound, or 0 for C_ANY */
  int p53;     /* only in 5.3+ profiles */
} NumLit;

static const NumLit num_lits[] = {
  {"0", 1, 0}, {"1", 1, 0}, {"2", 2, 0}, {"3", 2, 0}, {"-1", 1, 0}, {"7", 3, 0},
  {"10", 4, 0}, {"100", 7, 0}, {"255", 8, 0}, {"-128", 8, 0}, {"65536", 17, 0},
  {"1000000", 20, 0}, {"2147483647", 31, 0}, {"-2147483648", 32, 0},
  {"0.5", 0, 0}, {"-0.25", 0, 0}, {"1.5", 0, 0}, {"(Z * -1.0)", 0, 0}, {"1e15", 0, 0},
  {"2^53", 0, 0}, {"2^63", 0, 0}, {"1e300", 0, 0}, {"(1/0)", 0, 0},
  {"(-1/0)", 0, 0}, {"(0/0)", 0, 0}, {"0.1", 0, 0}, {"4503599627370496.0", 0, 0},
  /* 5.3+: integers past what doubles hold, the integer corners */
  {"math.maxinteger", 64, 1}, {"math.mininteger", 64, 1},
  {"9007199254740993", 64, 1}, {"-9007199254740993", 64, 1},
  {"0x7fffffff", 64, 1}, {"0xffffffff", 64, 1}, {"(1 << 62)", 64, 1}, {"-0.0", 0, 1},
  {"(math.maxinteger // 3)", 64, 1}, {"-0x8000000000000000", 64, 1},
};
#define NNUM_PORT 27   /* the first ones are portable */
#define NNUM_ALL ((unsigned)(sizeof num_lits / sizeof *num_lits))

static void num_lit(Gen *g, EInfo *ei) {
  unsigned n = gen_portable(g) ? NNUM_PORT : NNUM_ALL, k;
  /* small integers most of the time; corner values with ARITH */
  if (!gen_has(g, LVT_GEN_F_ARITH) || gen_pick(g, 3) == 0) n = 10;
  k = gen_pick(g, n);
  E(g, num_lits[k].text);
  if (num_lits[k].bits) set_int(ei, num_lits[k].bits);
  else set_any(ei);
  ei->konst = num_lits[k].text[0] != '(';
}

static void num_leaf(Gen *g, EInfo *ei) {
  GVar *v;
  if (gen_pick(g, 5) >= 2 && (v = gen_var(g, T_NUM, 0)) != NULL) {
    gen_name(g, v);
    if (v->flags & VF_FLOATY) set_any(ei);
    else set_int(ei, gen_portable(g) ? 31 : 64);
    return;
  }
  num_lit(g, ei);
}

/* A small positive or negative non-zero integer literal (divisors). */
static int small_nonzero(Gen *g) {
  static const int k[] = {3, 7, 2, 10, -3, 256, 1, -1, 5, 1000};
  int v = k[gen_pick(g, sizeof k / sizeof *k)];
  gen_int(g, v);
  return v;
}

static int bits_of(int v) {
  int b = 1;
  if (v < 0) v = -v;
  while (b < 31 && (1 << b) <= v) b++;
  return b;
}

/* =====================================================================
** Numbers
** ===================================================================== */
static void num_binop(Gen *g, int depth, EInfo *ei);
static void num_call(Gen *g, int depth, EInfo *ei);

void gen_num(Gen *g, int depth, EInfo *ei) {
  size_t at = g->out->len;
  unsigned c = depth > 0 ? gen_pick(g, 14) : 0;
  EInfo a;
  GVar *v;
  switch (c) {
    case 0: case 1: case 2:
      num_leaf(g, ei);
      return;
    case 3: case 4: case 5: case 6:
      num_binop(g, depth, ei);
      return;
    case 7:   /* unary minus */
      E(g, "-(");
      gen_num(g, depth - 1, &a);
      unfold(g, at + 2, &a);
      EC(g, ')');
      *ei = a;
      if (a.cls == C_INT) ei->nz = 1;
      return;
    case 8:   /* string length */
      if (gen_pick(g, 2)) {
        E(g, "#");
        if ((v = gen_var(g, T_STR, 0)) != NULL) gen_name(g, v);
        else gen_str_lit(g, &a);
        set_int(ei, 8);
        return;
      }
      if ((v = gen_var(g, T_SEQ, 0)) != NULL) {
        E(g, "#");
        gen_name(g, v);
        set_int(ei, 8);
        return;
      }
      num_leaf(g, ei);
      return;
    case 9:   /* byte of a string */
      if (gen_has(g, LVT_GEN_F_STRING)) {
        E(g, "(byte(");
        gen_str(g, depth - 1, &a);
        E(g, ", ");
        gen_int(g, (int)gen_pick(g, 6) - 2);
        E(g, ") or 0)");
        set_int(ei, 8);
        return;
      }
      num_leaf(g, ei);
      return;
    case 10:  /* a sequence element */
      if ((v = gen_var(g, T_SEQ, 0)) != NULL) {
        E(g, "(");
        gen_name(g, v);
        EC(g, '[');
        gen_num(g, depth - 1, &a);   /* a float key just misses */
        E(g, "] or 0)");
        set_int(ei, gen_portable(g) ? 31 : 64);
        return;
      }
      num_leaf(g, ei);
      return;
    case 11: case 12:
      num_call(g, depth, ei);
      return;
    default:   /* parenthesised */
      EC(g, '(');
      gen_num(g, depth - 1, ei);
      EC(g, ')');
      return;
  }
}

/* a OP b for the arithmetic (and, in 5.3+, bitwise) operators. */
static void num_binop(Gen *g, int depth, EInfo *ei) {
  static const char *const ops[] = {" + ", " - ", " * ", " / ", " % ", " ^ "};
  static const char *const bops[] = {" & ", " | ", " ~ ", " << ", " >> ", " // "};
  size_t at = g->out->len, atb;
  unsigned op;
  EInfo a, b;
  int p = gen_portable(g);

  if (!p && gen_has(g, LVT_GEN_F_BITOPS) && gen_pick(g, 3) == 0) {
    /* bitwise: operands must have an integer representation */
    op = gen_pick(g, 5);
    E(g, "(");
    gen_num(g, depth - 1, &a);
    if (a.cls != C_INT) wrap(g, at + 1, "I(", ")");
    E(g, bops[op]);
    atb = g->out->len;
    gen_num(g, depth - 1, &b);
    if (b.cls != C_INT) wrap(g, atb, "I(", ")");
    E(g, ")");
    set_int(ei, 64);
    return;
  }
  if (!p && gen_has(g, LVT_GEN_F_INTDIV) && gen_pick(g, 4) == 0) {
    /* floor division / modulo by a non-zero literal (division by a
    ** possibly-zero value is a pcall'd statement) */
    E(g, "(");
    gen_num(g, depth - 1, &a);
    E(g, gen_pick(g, 2) ? " // " : " % ");
    if (gen_pick(g, 3) == 0) {
      E(g, "0.0");   /* float: inf/nan, no error */
      E(g, ")");
      set_any(ei);
      return;
    }
    small_nonzero(g);
    E(g, ")");
    if (a.cls == C_INT) set_int(ei, 64);
    else set_any(ei);
    return;
  }

  op = gen_pick(g, gen_has(g, LVT_GEN_F_ARITH) ? 6 : 3);
  E(g, op == 5 ? "((" : "(");   /* ^ binds tighter than unary - and # */
  if (op == 5) at++;
  gen_num(g, depth - 1, &a);
  if (p && a.cls == C_INT && a.nz && op >= 3) {
    to_int31(g, at + 1, &a);
  }
  if (op == 4) {   /* % by a non-zero literal: exact on integers only */
    if (p && a.cls != C_INT) to_int31(g, at + 1, &a);
    E(g, ops[op]);
    {
      int k = small_nonzero(g);
      E(g, ")");
      if (a.cls == C_INT) {
        set_int(ei, p ? bits_of(k) : 64);
        ei->nz = a.nz;
      } else {
        set_any(ei);
      }
      ei->konst = a.konst;
    }
    return;
  }
  if (op == 5) {   /* ^ a small exponent of a small integer: exact */
    if (p && (a.cls != C_INT || a.bits > 13)) wrap(g, at + 1, "W(", ")");
    E(g, ")");
    E(g, ops[op]);
    gen_int(g, gen_pick(g, 4));
    E(g, ")");
    {
      int k = a.konst && !(p && (a.cls != C_INT || a.bits > 13));
      set_any(ei);
      ei->konst = (uint8_t)k;   /* 5.1 folds ^ too */
    }
    return;
  }
  E(g, ops[op]);
  atb = g->out->len;
  gen_num(g, depth - 1, &b);
  if ((op == 2 || op == 3) && a.konst && b.konst) unfold(g, atb, &b);
  if (p && op == 3 && b.cls == C_INT && b.nz) {
    wrap(g, atb, "M(", ")");
    b.nz = 0;
    b.bits = 31;
  }
  if (p && op == 2 && a.cls == C_INT && b.cls == C_INT && a.bits + b.bits > 52) {
    wrap(g, atb, "W(", ")");
    b.bits = 13;
    b.nz = 0;
    if (a.bits + b.bits > 52) {
      /* both operands must shrink: wrap the whole product's operands */
      g->out->len = at;
      g->out->data[at] = 0;
      E(g, "(W(");
      gen_num(g, depth - 1, &a);
      E(g, ") * W(");
      gen_num(g, depth - 1, &b);
      E(g, "))");
      set_int(ei, 26);
      return;
    }
  }
  E(g, ")");
  if (op == 3) {
    set_any(ei);
    ei->konst = a.konst && b.konst;
    return;
  }
  if (a.cls == C_INT && b.cls == C_INT) {
    int bits = op == 2 ? a.bits + b.bits : (a.bits > b.bits ? a.bits : b.bits) + 1;
    if (!p) bits = 64;
    set_int(ei, bits);
    ei->nz = op == 2 ? 1 : (op == 0 ? (a.nz && b.nz) : a.nz);
    ei->konst = a.konst && b.konst;
    if (p && bits > 52) to_int31(g, at, ei);
    return;
  }
  /* int with float: a float in 5.3 too */
  set_any(ei);
  ei->konst = a.konst && b.konst;
}

/* Calls: math library, user functions, coercions. */
static void num_call(Gen *g, int depth, EInfo *ei) {
  size_t at = g->out->len;
  EInfo a, b;
  GVar *f;
  unsigned c = gen_pick(g, 8);
  int p = gen_portable(g);
  if (c < 3 && (f = gen_var(g, T_FN, 0)) != NULL && f->pure &&
      g->fr[g->lev].cost + g->mult * f->cost < GEN_MAX_COST) {
    int i;
    g->fr[g->lev].cost += g->mult * f->cost;
    gen_name(g, f);
    EC(g, '(');
    for (i = 0; i < f->nparams; i++) {
      if (i) E(g, ", ");
      gen_num_store(g, depth - 1);
    }
    EC(g, ')');
    set_int(ei, p ? 31 : 64);
    return;
  }
  if (!gen_has(g, LVT_GEN_F_MATH)) {
    num_leaf(g, ei);
    return;
  }
  switch (gen_pick(g, 9)) {
    case 0:   /* floor / ceil */
      E(g, gen_pick(g, 2) ? "floor(" : "math.ceil(");
      gen_num(g, depth - 1, &a);
      EC(g, ')');
      if (a.cls == C_INT) {
        *ei = a;
      } else {
        to_int31(g, at, ei);
      }
      return;
    case 1:   /* abs */
      E(g, "math.abs(");
      gen_num(g, depth - 1, &a);
      EC(g, ')');
      *ei = a;
      ei->nz = 0;
      return;
    case 2: case 3:   /* max / min of integers */
      E(g, gen_pick(g, 2) ? "math.max(" : "math.min(");
      gen_num_int(g, depth - 1);
      E(g, ", ");
      gen_num_int(g, depth - 1);
      EC(g, ')');
      set_int(ei, p ? 31 : 64);
      return;
    case 4:   /* fmod by a non-zero literal */
      E(g, "math.fmod(");
      gen_num_int(g, depth - 1);
      E(g, ", ");
      {
        int k = small_nonzero(g);
        EC(g, ')');
        set_int(ei, p ? bits_of(k) : 64);
        ei->nz = 1;
      }
      return;
    case 5:   /* sqrt: correctly rounded everywhere */
      E(g, "math.sqrt(");
      gen_num(g, depth - 1, &a);
      if (p && a.cls == C_INT && a.nz) wrap(g, at + 10, "M(", ")");
      EC(g, ')');
      set_any(ei);
      return;
    case 6:   /* string coercion of a literal */
      {
        static const char *const lits[] = {"\"10\"", "\"-3\"", "\" 7 \"", "\"0x10\"", "\"1e2\""};
        EC(g, '(');
        /* 5.3 converts such strings to floats, 5.4 keeps integers */
        if (g->prof == LVT_PROFILE_53) E(g, "tonumber(");
        E(g, lits[gen_pick(g, 5)]);
        if (g->prof == LVT_PROFILE_53) E(g, ")");
        E(g, " + ");
        gen_num_int(g, depth - 1);
        EC(g, ')');
        /* "1e2" is a float in 5.3: keep the class honest */
        to_int31(g, at, ei);
      }
      return;
    case 7:
      if (!p) {   /* 5.3+: the same libm in every 5.3/5.4 build here */
        static const char *const fn[] = {"math.exp(", "math.log(", "math.sin(", "math.atan("};
        unsigned k = gen_pick(g, 4);
        E(g, fn[k]);
        gen_num(g, depth - 1, &a);
        if (k == 1 && gen_pick(g, 2)) E(g, ", 2");
        if (k == 3 && gen_pick(g, 2)) E(g, ", -1");
        EC(g, ')');
        set_any(ei);
        return;
      }
      /* fall through */
    default:
      if (!p && gen_pick(g, 2)) {
        E(g, "(math.tointeger(");
        gen_num(g, depth - 1, &b);
        E(g, ") or -7)");
        set_int(ei, 64);
        return;
      }
      E(g, "M(");
      gen_num(g, depth - 1, &b);
      EC(g, ')');
      set_int(ei, p ? 31 : 64);
      return;
  }
}

void gen_num_store(Gen *g, int depth) {
  size_t at = g->out->len;
  EInfo ei;
  gen_num(g, depth, &ei);
  if (ei.cls != C_INT || (gen_portable(g) && (ei.bits > 31 || ei.nz)))
    wrap(g, at, "M(", ")");
}

void gen_num_int(Gen *g, int depth) {
  gen_num_store(g, depth);
}

/* =====================================================================
** Strings
** ===================================================================== */
static const char *const str_lits[] = {
  "\"\"", "\"a\"", "\"abc\"", "\"hello world\"", "\"10\"", "\"-3\"", "\"x y z\"",
  "\"a,b,,c\"", "\"(nested (parens))\"", "\"Lua 5\"", "\"  pad  \"", "\"AbC123\"",
  "\"%d\"", "\"a.b.c\"", "\"key=value; k2=v2\"", "'quote\"d'", "\"tab\\there\"",
};

void gen_str_lit(Gen *g, EInfo *ei) {
  unsigned k = gen_pick(g, sizeof str_lits / sizeof *str_lits);
  E(g, str_lits[k]);
  ei->len = 20;
}

static void str_leaf(Gen *g, EInfo *ei) {
  GVar *v;
  if (gen_pick(g, 3) >= 1 && (v = gen_var(g, T_STR, 0)) != NULL) {
    gen_name(g, v);
    ei->len = GEN_STRMAX;
    return;
  }
  gen_str_lit(g, ei);
}

/* A number rendered as a string, the same on every dialect. */
static void num_to_str(Gen *g, int depth, EInfo *ei) {
  size_t at = g->out->len;
  EInfo a;
  unsigned c = gen_pick(g, 4);
  if (c == 0 || !gen_has(g, LVT_GEN_F_STRING)) {
    E(g, "S(");
    gen_num(g, depth, &a);
    EC(g, ')');
    ei->len = 24;
    return;
  }
  if (c == 1) {
    static const char *const f[] = {"%d", "%5d", "%-4d", "%03d", "%x", "%X", "%+d", "[%d]"};
    unsigned k = gen_pick(g, sizeof f / sizeof *f);
    E(g, "fmt(\"");
    E(g, f[k]);
    E(g, "\", ");
    at = g->out->len;
    gen_num_int(g, depth);
    if (k == 4 || k == 5) wrap(g, at, "math.abs(", ")");
    EC(g, ')');
    ei->len = 24;
    return;
  }
  if (c == 2) {
    static const char *const f[] = {"%.3f", "%5.1f", "%g", "%.2e", "%8.3g"};
    /* Portable: few enough digits that nothing is rounded (LuaJIT rounds
    ** decimal ties differently from C's printf) */
    static const char *const cut[] = {"", "", " % 1000000", " % 1000", " % 1000"};
    unsigned k = gen_pick(g, 5);
    E(g, "fmt(\"");
    E(g, f[k]);
    E(g, "\", ");
    gen_num_int(g, depth);   /* finite: no inf/nan spellings */
    if (gen_portable(g)) E(g, cut[k]);
    EC(g, ')');
    ei->len = 24;
    return;
  }
  /* tostring / concatenation of an integer: same text where it is small */
  gen_num(g, depth, &a);
  if (gen_portable(g) && (a.cls != C_INT || a.bits > 31 || a.nz)) {
    E(g, "");
    wrap(g, at, "S(", ")");
  } else if (!gen_portable(g) && a.cls != C_INT) {
    wrap(g, at, "S(", ")");
  } else {
    wrap(g, at, "tostring(", ")");
  }
  ei->len = 24;
}

void gen_str(Gen *g, int depth, EInfo *ei) {
  size_t at = g->out->len;
  EInfo a, b;
  unsigned c = depth > 0 ? gen_pick(g, 13) : 0;
  int s = gen_has(g, LVT_GEN_F_STRING);
  switch (c) {
    case 0: case 1: case 2:
      str_leaf(g, ei);
      return;
    case 3: case 4:   /* concatenation */
      if (gen_has(g, LVT_GEN_F_CONCAT) || gen_pick(g, 2)) {
        EC(g, '(');
        gen_str(g, depth - 1, &a);
        E(g, " .. ");
        if (gen_pick(g, 2)) gen_str(g, depth - 1, &b);
        else num_to_str(g, depth - 1, &b);
        EC(g, ')');
        ei->len = (uint16_t)(a.len + b.len);
        if (ei->len > 2 * GEN_STRMAX) {
          wrap(g, at, "(", "):sub(1, 40)");
          ei->len = 40;
        }
        return;
      }
      str_leaf(g, ei);
      return;
    case 5:
      num_to_str(g, depth - 1, ei);
      return;
    case 6:   /* case, reverse */
      if (!s) break;
      EC(g, '(');
      gen_str(g, depth - 1, &a);
      {
        static const char *const m[] = {"):upper()", "):lower()", "):reverse()"};
        E(g, m[gen_pick(g, 3)]);
      }
      ei->len = a.len;
      return;
    case 7:   /* sub */
      if (!s) break;
      EC(g, '(');
      gen_str(g, depth - 1, &a);
      E(g, "):sub(");
      gen_int(g, (int)gen_pick(g, 9) - 4);
      if (gen_pick(g, 2)) {
        E(g, ", ");
        gen_num_int(g, 0);
      }
      EC(g, ')');
      ei->len = a.len;
      return;
    case 8:   /* rep, bounded */
      if (!s) break;
      EC(g, '(');
      gen_str(g, depth - 1, &a);
      {
        int k = (int)gen_pick(g, 4);
        if (a.len * (k + 1) > 4 * GEN_STRMAX) k = 1;
        E(g, "):rep(");
        gen_int(g, k);
        if (!gen_portable(g) && gen_pick(g, 2)) {
          E(g, ", \"-\"");
          ei->len = (uint16_t)(a.len * k + k);
        } else {
          ei->len = (uint16_t)(a.len * k);
        }
        EC(g, ')');
      }
      return;
    case 11:  /* format of strings */
      if (!s) break;
      {
        static const char *const f[] = {"%s", "%5s|%-4s", "[%.2s]", "%s=%s", "%c%s"};
        unsigned k = gen_pick(g, gen_portable(g) ? 5 : 6);
        E(g, "fmt(\"");
        E(g, k == 5 ? "%q" : f[k]);
        E(g, "\", ");
        if (k == 4) {
          E(g, "65 + "); gen_int(g, gen_pick(g, 26)); E(g, ", ");
        }
        gen_str(g, depth - 1, &a);
        if (k == 1 || k == 3) {
          E(g, ", ");
          gen_str(g, depth - 1, &b);
        } else {
          b.len = 0;
        }
        EC(g, ')');
        ei->len = (uint16_t)(2 * a.len + b.len + 8);
        if (ei->len > 2 * GEN_STRMAX) {
          wrap(g, at, "(", "):sub(1, 40)");
          ei->len = 40;
        }
      }
      return;
    case 9:   /* char */
      if (!s) break;
      E(g, "char(");
      {
        int i, n = 1 + (int)gen_pick(g, 3);
        for (i = 0; i < n; i++) {
          size_t at2;
          if (i) E(g, ", ");
          at2 = g->out->len;
          gen_num_int(g, depth - 1);
          wrap(g, at2, "", " % 95 + 32");
        }
        ei->len = (uint16_t)n;
      }
      EC(g, ')');
      return;
    case 10:  /* gsub / match */
      if (!s) break;
      {
        int ncap = 0;
        E(g, "((");
        gen_str(g, depth - 1, &a);
        if (gen_pick(g, 2)) {
          E(g, "):gsub(");
          gen_pattern(g, &ncap);
          E(g, ", ");
          switch (gen_pick(g, 4)) {
            case 0:   /* a function: nil/false keep the match */
              E(g, "function(m) if #m > 2 then return nil end return m .. \"!\" end");
              break;
            case 1:   /* a table: missing keys keep the match */
              E(g, "{a = \"A\", [\"1\"] = \"one\", b = false}");
              break;
            default: {
              static const char *const r[] = {"\"\"", "\"-\"", "\"<%0>\"", "\"%%\"", "\"[%1]\""};
              unsigned k = gen_pick(g, ncap ? 5 : 4);
              E(g, r[k]);
            }
          }
          if (gen_pick(g, 3) == 0) E(g, ", 2");   /* at most 2 replacements */
          E(g, "))");
          ei->len = (uint16_t)(a.len * 4 + 4);
        } else {
          E(g, "):match(");
          gen_pattern(g, &ncap);
          E(g, ") or \"\")");
          ei->len = a.len;
        }
        wrap(g, at, "(", "):sub(1, 48)");
        ei->len = 48;
      }
      return;
    default:
      if (gen_var(g, T_SEQ, 0) != NULL && gen_has(g, LVT_GEN_F_TABLE)) {
        GVar *t = gen_var(g, T_SEQ, 0);
        E(g, "table.concat(");
        gen_name(g, t);
        E(g, gen_pick(g, 2) ? ", \",\")" : ")");
        wrap(g, at, "(", "):sub(1, 48)");
        ei->len = 48;
        return;
      }
      break;
  }
  str_leaf(g, ei);
}

void gen_str_store(Gen *g, int depth) {
  size_t at = g->out->len;
  EInfo ei;
  gen_str(g, depth, &ei);
  if (ei.len > GEN_STRMAX) wrap(g, at, "(", "):sub(1, 48)");
}

/* Patterns: items that cannot match the empty string in portable (the
** empty-match rules of gsub/gmatch changed in 5.3.6/5.4); captures. */
void gen_pattern(Gen *g, int *ncap) {
  static const char *const items[] = {
    "a", "b", "%d", "%a", "%l", "%u", "%s", "%w", "%p", ".", "[abc]", "[%d,]",
    "[^ ]", "%x", "[a-f]", "=", ",", " ", "%(", "%."
  };
  int n = 1 + (int)gen_pick(g, 3), i, cap = -1;
  EC(g, '"');
  if (gen_pick(g, 5) == 0) EC(g, '^');
  if (gen_pick(g, 2)) cap = (int)gen_pick(g, (unsigned)n);
  *ncap = 0;
  for (i = 0; i < n; i++) {
    if (i == cap) EC(g, '(');
    E(g, items[gen_pick(g, sizeof items / sizeof *items)]);
    if (gen_pick(g, 2)) EC(g, '+');
    else if (!gen_portable(g) && i > 0 && gen_pick(g, 3) == 0) EC(g, gen_pick(g, 2) ? '*' : '-');
    if (i == cap) {
      EC(g, ')');
      *ncap = 1;
    }
  }
  if (!gen_portable(g) && gen_pick(g, 6) == 0) E(g, "%b()");
  EC(g, '"');
}

/* =====================================================================
** Booleans, sequences, any value
** ===================================================================== */
void gen_bool(Gen *g, int depth) {
  unsigned c = depth > 0 ? gen_pick(g, 9) : gen_pick(g, 2);
  EInfo a, b;
  GVar *v;
  static const char *const cmp[] = {" == ", " ~= ", " < ", " <= ", " > ", " >= "};
  switch (c) {
    case 0:
      if ((v = gen_var(g, T_BOOL, 0)) != NULL) {
        gen_name(g, v);
        return;
      }
      E(g, gen_pick(g, 2) ? "true" : "false");
      return;
    case 1:
      if (!gen_portable(g) && gen_has(g, LVT_GEN_F_MATH) && depth > 0) {
        if (gen_pick(g, 2)) {
          E(g, "math.ult(");
          gen_num_int(g, depth - 1);
          E(g, ", ");
          gen_num_int(g, depth - 1);
          EC(g, ')');
        } else {
          E(g, "(math.type(");
          gen_num(g, depth - 1, &a);
          E(g, ") == \"integer\")");
        }
        return;
      }
      E(g, gen_pick(g, 2) ? "true" : "false");
      return;
    case 2: case 3: case 4:
      EC(g, '(');
      gen_num(g, depth - 1, &a);
      E(g, cmp[gen_pick(g, 6)]);
      gen_num(g, depth - 1, &b);
      EC(g, ')');
      return;
    case 5:
      EC(g, '(');
      gen_str(g, depth - 1, &a);
      E(g, cmp[gen_pick(g, 6)]);
      gen_str(g, depth - 1, &b);
      EC(g, ')');
      return;
    case 6:
      E(g, "not ");
      gen_bool(g, depth - 1);
      return;
    case 7:
      EC(g, '(');
      gen_bool(g, depth - 1);
      E(g, gen_pick(g, 2) ? " and " : " or ");
      gen_bool(g, depth - 1);
      EC(g, ')');
      return;
    default:
      if (gen_has(g, LVT_GEN_F_STRING)) {
        int ncap;
        E(g, "((");
        gen_str(g, depth - 1, &a);
        E(g, "):find(");
        if (gen_pick(g, 2)) {
          gen_str_lit(g, &b);
          E(g, ", 1, true");
        } else {
          gen_pattern(g, &ncap);
          if (!gen_portable(g) && gen_pick(g, 2)) {
            /* an init past the end: nil in 5.2+, found in 5.1 */
            E(g, ", ");
            gen_int(g, (int)gen_pick(g, 12) - 5);
          }
        }
        E(g, ") ~= nil)");
        return;
      }
      E(g, "false");
      return;
  }
}

void gen_seq_ctor(Gen *g) {
  int i, n = (int)gen_pick(g, 6);
  EC(g, '{');
  for (i = 0; i < n; i++) {
    if (i) E(g, ", ");
    gen_num_store(g, 1);
  }
  EC(g, '}');
}

void gen_any(Gen *g, int depth) {
  EInfo a;
  GVar *v;
  switch (gen_pick(g, 6)) {
    case 0: gen_num(g, depth, &a); return;
    case 1: gen_str(g, depth, &a); return;
    case 2: gen_bool(g, depth); return;
    case 3:
      if ((v = gen_var(g, T_SEQ, 0)) != NULL) {
        gen_name(g, v);
        return;
      }
      gen_seq_ctor(g);
      return;
    case 4: E(g, "nil"); return;
    default:
      E(g, "{code = ");
      gen_num_store(g, depth);
      E(g, "}");
      return;
  }
}
