/*
** lvt_gen_stmt.c -- statements: declarations, assignments, control flow,
** functions and calls (the scope- and cost-aware core), and the feature
** templates (metatables, coroutines, closures, varargs, errors, goto,
** <close>, string.pack, utf8, finalizers), each filled with generated
** expressions and observed through checkpoints.
**
** Termination: every loop has a literal trip bound, and the generator keeps
** 'mult' (the product of the enclosing loops' bounds) and, per function,
** 'cost' (a bound on the statements one call executes, calls included);
** a loop or a call that would push a function past its budget is not
** generated. Functions only call functions declared before them (and
** bounded self-recursion), so costs are known when a call is written.
*/
#include <string.h>

#include "lvt_gen_int.h"

static void stmt(Gen *g);

void gen_block(Gen *g, int maxstmts) {
  Scope s = scope_open(g);
  int n = 0;
  g->depth++;
  while (n < maxstmts && room(g, 1) && g->out->len < g->size_cap) {
    stmt(g);
    n++;
    if (!gen_chance(g, 2, 3)) break;
  }
  g->depth--;
  scope_close(g, s);
}

/* =====================================================================
** Checkpoints
** ===================================================================== */
void gen_checkpoint(Gen *g) {
  int i, n = 0, want = 1 + (int)gen_pick(g, 6);
  line_start(g);
  E(g, "CP(");
  gen_int(g, g->cp++);
  for (i = g->nv - 1; i >= 0 && n < want; i--) {
    if (i < g->fr[g->lev].upfloor) break;
    if (g->v[i].type == T_FN) continue;
    if (gen_pick(g, 3) == 0) continue;
    E(g, ", ");
    gen_name(g, &g->v[i]);
    n++;
  }
  E(g, ")");
  line_end(g);
  g->fr[g->lev].impure = 1;   /* output is a side effect */
  charge(g, 1);
}

/* =====================================================================
** Declarations and assignments
** ===================================================================== */
static void value_of(Gen *g, int type) {
  switch (type) {
    case T_NUM: gen_num_store(g, 2 + (int)gen_pick(g, 2)); break;
    case T_STR: gen_str_store(g, 2); break;
    case T_BOOL: gen_bool(g, 2); break;
    default: gen_seq_ctor(g); break;
  }
}

static void decl(Gen *g) {
  int type = (int)gen_pick(g, 4), k = 1, i;
  uint32_t id[3];
  if (gen_pick(g, 4) == 0) k = 2 + (int)gen_pick(g, 2);
  if (!can_declare(g, k)) return;
  line_start(g);
  E(g, "local ");
  for (i = 0; i < k; i++) {
    id[i] = fresh(g);
    if (i) E(g, ", ");
    name_of(g, type, id[i]);
  }
  E(g, " = ");
  for (i = 0; i < k; i++) {
    if (i) E(g, ", ");
    value_of(g, type);
  }
  line_end(g);
  for (i = 0; i < k; i++) push_var(g, type, id[i]);
  charge(g, 1);
}

static void assign(Gen *g) {
  int type = (int)gen_pick(g, 4);
  GVar *v = gen_var(g, type, 1), *w;
  if (v == NULL) {
    decl(g);
    return;
  }
  line_start(g);
  if (type == T_NUM && gen_pick(g, 4) == 0 && (w = gen_var(g, T_NUM, 1)) != NULL && w != v) {
    /* swap: both sides read before any is written */
    gen_name(g, v);
    E(g, ", ");
    gen_name(g, w);
    E(g, " = ");
    gen_name(g, w);
    E(g, ", ");
    gen_name(g, v);
    gen_touch(g, w);
  } else if (type == T_SEQ && gen_pick(g, 2) && (w = gen_var(g, T_SEQ, 0)) != NULL) {
    gen_name(g, v);   /* aliasing: both names see later changes */
    E(g, " = ");
    gen_name(g, w);
  } else {
    gen_name(g, v);
    E(g, " = ");
    value_of(g, type);
  }
  line_end(g);
  gen_touch(g, v);
  charge(g, 1);
}

/* =====================================================================
** Control flow
** ===================================================================== */
static void if_stmt(Gen *g) {
  line_start(g);
  E(g, "if ");
  gen_bool(g, 2);
  E(g, " then\n");
  gen_block(g, 3);
  if (gen_pick(g, 3) == 0) {
    line_start(g);
    E(g, "elseif ");
    gen_bool(g, 2);
    E(g, " then\n");
    gen_block(g, 2);
  }
  if (gen_pick(g, 2)) {
    line_start(g);
    E(g, "else\n");
    gen_block(g, 2);
  }
  line_start(g);
  E(g, "end\n");
  charge(g, 1);
}

/* Numeric for headers: bounds, trips, and whether the variable is a
** float. The 5.4 ones would loop (nearly) forever in 5.3. */
typedef struct ForHdr {
  const char *a, *b, *c;
  int trips, floaty, prof;   /* prof: 0 any, 1 = 5.3+, 2 = 5.4 */
} ForHdr;

static const ForHdr for_hdrs[] = {
  {"1", "3", NULL, 3, 0, 0}, {"3", "1", "-1", 3, 0, 0}, {"0", "10", "3", 4, 0, 0},
  {"5", "1", NULL, 0, 0, 0}, {"1", "2", "0.5", 3, 1, 0}, {"-1", "-2", "-0.25", 5, 1, 0},
  {"1", "3.5", NULL, 3, 0, 0}, {"0.5", "2", NULL, 2, 1, 0}, {"10", "1", "-3", 4, 0, 0},
  {"1", "1", NULL, 1, 0, 0}, {"2^52 - 1", "2^52 + 1", NULL, 3, 1, 0}, {"-3", "3", "2", 4, 0, 0},
  {"0.1", "0.35", "0.1", 3, 1, 0}, {"1", "0", "-0.5", 3, 1, 0}, {"-2^31", "-2^31 + 2", NULL, 3, 1, 0},
  {"1.0", "3", NULL, 3, 1, 1}, {"1", "3.0", NULL, 3, 0, 1}, {"3", "1.5", "-1", 2, 0, 1},
  {"math.maxinteger - 2", "math.maxinteger", NULL, 3, 0, 2},
  {"math.mininteger", "math.mininteger + 2", NULL, 3, 0, 2},
  {"math.mininteger + 2", "math.mininteger", "-1", 3, 0, 2},
  {"math.maxinteger", "math.maxinteger - 1", NULL, 0, 0, 2},
  {"1", "math.maxinteger", "math.maxinteger // 2", 3, 0, 2},
};

static void for_num(Gen *g) {
  unsigned n = sizeof for_hdrs / sizeof *for_hdrs, k;
  const ForHdr *h;
  uint32_t id;
  uint32_t saved = g->mult, trips;
  int saved_loop = g->fr[g->lev].in_loop, prof;
  Scope s;
  if (!gen_has(g, LVT_GEN_F_NUMFOR)) n = 4;
  k = gen_pick(g, n);
  h = &for_hdrs[k];
  prof = g->prof == LVT_PROFILE_54 ? 2 : g->prof == LVT_PROFILE_53 ? 1 : 0;
  if (h->prof > prof) h = &for_hdrs[0];
  trips = h->trips ? (uint32_t)h->trips : 1;
  if (!room(g, (uint64_t)trips * 2)) return;
  id = fresh(g);
  line_start(g);
  E(g, "for ");
  name_of(g, T_NUM, id);
  E(g, " = ");
  E(g, h->a);
  E(g, ", ");
  E(g, h->b);
  if (h->c) {
    E(g, ", ");
    E(g, h->c);
  }
  E(g, " do\n");
  s = scope_open(g);
  {
    GVar *v = push_var(g, T_NUM, id);
    v->flags = VF_RO | (h->floaty ? VF_FLOATY : 0);
  }
  g->mult *= trips;
  g->fr[g->lev].in_loop = 1;
  gen_block(g, 3);
  g->fr[g->lev].in_loop = saved_loop;
  g->mult = saved;
  scope_close(g, s);
  line_start(g);
  E(g, "end\n");
  charge(g, 1);
}

/* while / repeat with a counter that bounds the trips. */
static void loop_counted(Gen *g) {
  uint32_t id = fresh(g), saved = g->mult, k = 1 + gen_pick(g, 4);
  int rep = gen_pick(g, 2), saved_loop = g->fr[g->lev].in_loop;
  Scope s;
  GVar *c;
  if (!room(g, (uint64_t)k * 2) || !can_declare(g, 1)) return;
  s = scope_open(g);
  line_start(g);
  E(g, "do local ");
  name_of(g, T_NUM, id);
  E(g, " = 0\n");
  c = push_var(g, T_NUM, id);
  c->flags = VF_RO;
  g->depth++;
  line_start(g);
  if (rep) {
    E(g, "repeat\n");
  } else {
    E(g, "while ");
    name_of(g, T_NUM, id);
    E(g, " < ");
    gen_int(g, k);
    E(g, " and ");
    gen_bool(g, 1);
    E(g, " do\n");
  }
  g->depth++;
  line_start(g);
  name_of(g, T_NUM, id);
  E(g, " = ");
  name_of(g, T_NUM, id);
  E(g, " + 1\n");
  g->depth--;
  g->mult *= k;
  g->fr[g->lev].in_loop = 1;
  gen_block(g, 3);
  g->fr[g->lev].in_loop = saved_loop;
  g->mult = saved;
  line_start(g);
  if (rep) {
    E(g, "until ");
    name_of(g, T_NUM, id);
    E(g, " >= ");
    gen_int(g, k);
    E(g, " or ");
    gen_bool(g, 1);
    E(g, "\n");
  } else {
    E(g, "end\n");
  }
  g->depth--;
  line_start(g);
  E(g, "end\n");
  scope_close(g, s);
  charge(g, 2);
}

static void break_stmt(Gen *g) {
  line_start(g);
  E(g, "if ");
  gen_bool(g, 1);
  E(g, " then break end\n");
}

/* =====================================================================
** Functions and calls
** ===================================================================== */
/* Opens a new function level: its parameters are numbers. */
static void fn_enter(Gen *g, uint32_t *saved_mult) {
  GFrame *up = &g->fr[g->lev], *f;
  int floor_ = g->nv - GEN_UPWIN;
  g->lev++;
  f = &g->fr[g->lev];
  memset(f, 0, sizeof *f);
  f->vstart = g->nv;
  f->upfloor = floor_ > up->upfloor ? floor_ : up->upfloor;
  *saved_mult = g->mult;
  g->mult = 1;
}

static void fn_leave(Gen *g, uint32_t saved_mult, GVar *fv) {
  GFrame *f = &g->fr[g->lev];
  if (fv) {
    fv->cost = f->cost + 2;
    fv->pure = !f->impure;
  }
  g->nv = f->vstart;
  g->lev--;
  g->mult = saved_mult;   /* defining a function runs nothing: only
                          ** calling it charges its cost */
}

/* return <number> */
static void fn_return(Gen *g) {
  line_start(g);
  E(g, "return ");
  gen_num_store(g, 2);
  line_end(g);
}

static void fn_def(Gen *g) {
  uint32_t id = fresh(g), saved, pid[3];
  int np = (int)gen_pick(g, 4), i;
  GVar *fv;
  if (g->lev >= 3 || !can_declare(g, 1) || !room(g, 1)) return;
  line_start(g);
  E(g, "local function ");
  name_of(g, T_FN, id);
  EC(g, '(');
  for (i = 0; i < np; i++) {
    pid[i] = fresh(g);
    if (i) E(g, ", ");
    name_of(g, T_NUM, pid[i]);
  }
  E(g, ")\n");
  fv = push_var(g, T_FN, id);
  fv->nparams = (uint8_t)np;
  fv->cost = GEN_MAX_COST * 4;   /* not callable from its own body */
  fv->flags = VF_RO;
  fn_enter(g, &saved);
  for (i = 0; i < np; i++) push_var(g, T_NUM, pid[i]);
  gen_block(g, 4);
  g->depth++;
  fn_return(g);
  g->depth--;
  fn_leave(g, saved, fv);
  line_start(g);
  E(g, "end\n");
  charge(g, 1);
}

/* A call statement of a function in scope (impure ones only here). */
static void call_stmt(Gen *g) {
  GVar *f = gen_var(g, T_FN, 0), *v;
  int i;
  if (f == NULL || f->cost >= GEN_MAX_COST || !room(g, f->cost)) return;
  charge(g, f->cost);
  if (!f->pure) g->fr[g->lev].impure = 1;
  line_start(g);
  if (gen_pick(g, 2) && (v = gen_var(g, T_NUM, 1)) != NULL) {
    gen_name(g, v);
    E(g, " = ");
    gen_touch(g, v);
  } else if (gen_pick(g, 2)) {
    E(g, "CP(");
    gen_int(g, g->cp++);
    E(g, ", ");
    g->fr[g->lev].impure = 1;
    gen_name(g, f);
    EC(g, '(');
    for (i = 0; i < f->nparams; i++) {
      if (i) E(g, ", ");
      gen_num_store(g, 1);
    }
    E(g, "))\n");
    return;
  }
  gen_name(g, f);
  EC(g, '(');
  for (i = 0; i < f->nparams; i++) {
    if (i) E(g, ", ");
    gen_num_store(g, 1);
  }
  E(g, ")\n");
}

/* Bounded self-recursion: depth from a literal, the body in between. */
static void recursion(Gen *g) {
  uint32_t id = fresh(g), d = fresh(g), x = fresh(g), saved;
  GVar *fv, *dv;
  if (g->lev >= 3 || !can_declare(g, 1)) return;
  line_start(g);
  E(g, "local function ");
  name_of(g, T_FN, id);
  EC(g, '(');
  name_of(g, T_NUM, d);
  E(g, ", ");
  name_of(g, T_NUM, x);
  E(g, ")\n");
  fv = push_var(g, T_FN, id);
  fv->nparams = 2;
  fv->flags = VF_RO;
  fv->cost = GEN_MAX_COST * 4;
  fn_enter(g, &saved);
  dv = push_var(g, T_NUM, d);
  dv->flags = VF_RO;
  push_var(g, T_NUM, x);
  g->depth++;
  line_start(g);
  E(g, "if ");
  name_of(g, T_NUM, d);
  E(g, " <= 0 or ");
  name_of(g, T_NUM, d);
  E(g, " > 12 then return ");
  gen_num_store(g, 1);
  E(g, " end\n");
  g->depth--;
  gen_block(g, 2);
  g->depth++;
  line_start(g);
  E(g, "return M(");
  name_of(g, T_FN, id);
  EC(g, '(');
  name_of(g, T_NUM, d);
  E(g, " - 1, ");
  gen_num_store(g, 1);
  E(g, ") + ");
  name_of(g, T_NUM, x);
  E(g, ")\n");
  g->depth--;
  {
    GFrame *f = &g->fr[g->lev];
    f->cost = (f->cost + 2) * 13;   /* the depth check caps it at 12 */
  }
  fn_leave(g, saved, fv);
  line_start(g);
  E(g, "end\n");
  charge(g, 1);
}

/* =====================================================================
** Tables
** ===================================================================== */
static void table_op(Gen *g) {
  GVar *t = gen_var(g, T_SEQ, 0);
  if (t == NULL) {
    if (!can_declare(g, 1)) return;
    {
      uint32_t id = fresh(g);
      line_start(g);
      E(g, "local ");
      name_of(g, T_SEQ, id);
      E(g, " = ");
      gen_seq_ctor(g);
      line_end(g);
      push_var(g, T_SEQ, id);
    }
    return;
  }
  gen_touch(g, t);
  line_start(g);
  switch (gen_pick(g, 12)) {
    case 0: case 1:
      E(g, "if #"); gen_name(g, t); E(g, " < 24 then ");
      gen_name(g, t); E(g, "[#"); gen_name(g, t); E(g, " + 1] = ");
      gen_num_store(g, 2);
      E(g, " end\n");
      break;
    case 2:
      E(g, "if #"); gen_name(g, t); E(g, " < 24 then table.insert(");
      gen_name(g, t);
      if (gen_pick(g, 2)) E(g, ", 1");
      E(g, ", ");
      gen_num_store(g, 2);
      E(g, ") end\n");
      break;
    case 3:
      E(g, "CP(");
      gen_int(g, g->cp++);
      E(g, ", (table.remove(");   /* 5.1 returns nothing on {} */
      gen_name(g, t);
      E(g, ")))\n");
      g->fr[g->lev].impure = 1;
      break;
    case 4:
      E(g, "if #"); gen_name(g, t); E(g, " > 0 then table.remove(");
      gen_name(g, t);
      E(g, ", 1) end\n");
      break;
    case 5:
      E(g, "table.sort(");
      gen_name(g, t);
      if (gen_pick(g, 2)) E(g, ", function(a, b) return a > b end");
      E(g, ")\n");
      break;
    case 6:
      E(g, "if #"); gen_name(g, t); E(g, " > 0 then ");
      gen_name(g, t); EC(g, '[');
      gen_num_store(g, 1);
      E(g, " % #"); gen_name(g, t); E(g, " + 1] = ");
      gen_num_store(g, 1);
      E(g, " end\n");
      break;
    case 7:
      E(g, "CP(");
      gen_int(g, g->cp++);
      E(g, ", table.concat(");
      gen_name(g, t);
      E(g, ", \", \"), unpack(");
      gen_name(g, t);
      if (gen_pick(g, 2)) E(g, ", 2, 4");
      E(g, "))\n");
      g->fr[g->lev].impure = 1;
      break;
    case 8:
      if (!gen_portable(g)) {
        E(g, "if #"); gen_name(g, t); E(g, " < 12 then table.move(");
        gen_name(g, t); E(g, ", 1, #"); gen_name(g, t); E(g, ", #");
        gen_name(g, t); E(g, " + 1) end\n");
        break;
      }
      /* fall through */
    case 9:
      E(g, "if #"); gen_name(g, t); E(g, " > 0 then "); gen_name(g, t);
      E(g, "[#"); gen_name(g, t); E(g, "] = nil end\n");
      break;
    default:
      {
        /* a record: keys observed in sorted order, values summed */
        uint32_t r = fresh(g), k = fresh(g);
        E(g, "do local "); tmp_name(g, r); E(g, " = {x = ");
        gen_num_store(g, 1);
        E(g, ", y = ");
        gen_str_store(g, 1);
        E(g, ", [3] = ");
        gen_num_store(g, 1);
        E(g, ", [\"k\" .. 1] = true}");
        g->depth++;
        gen_nl(g); tmp_name(g, r); E(g, ".z = #"); gen_name(g, t);
        gen_nl(g); E(g, "local "); tmp_name(g, k); E(g, " = {}");
        gen_nl(g); E(g, "for k in pairs("); tmp_name(g, r); E(g, ") do ");
        tmp_name(g, k); E(g, "[#"); tmp_name(g, k); E(g, " + 1] = tostring(k) end");
        gen_nl(g); E(g, "table.sort("); tmp_name(g, k); EC(g, ')');
        gen_nl(g); E(g, "local sum = 0");
        gen_nl(g); E(g, "for _, v in pairs("); tmp_name(g, r);
        E(g, ") do if type(v) == \"number\" then sum = (sum + v % 1000003) % 1000003 end end");
        cp_open(g); E(g, ", table.concat("); tmp_name(g, k); E(g, ", \",\"), sum, ");
        tmp_name(g, r); E(g, ")");
        g->depth--;
        E(g, " end\n");
      }
      break;
  }
  charge(g, 2);
}

/* =====================================================================
** Dispatch
** ===================================================================== */
static void stmt(Gen *g) {
  unsigned c = gen_pick(g, 26);
  switch (c) {
    case 0: case 1: case 2: decl(g); return;
    case 3: case 4: case 5: assign(g); return;
    case 6: if (g->depth < 5) if_stmt(g); else assign(g); return;
    case 7: if (g->depth < 5) for_num(g); else assign(g); return;
    case 8: if (g->depth < 5) loop_counted(g); else assign(g); return;
    case 9: gen_checkpoint(g); return;
    case 10:
      if (g->fr[g->lev].in_loop) { break_stmt(g); return; }
      gen_checkpoint(g);
      return;
    case 11: fn_def(g); return;
    case 12: call_stmt(g); return;
    case 13: if (gen_has(g, LVT_GEN_F_TABLE)) table_op(g); else decl(g); return;
    case 14: if (gen_has(g, LVT_GEN_F_META)) gen_t_meta(g); else assign(g); return;
    case 15: if (gen_has(g, LVT_GEN_F_CLOSURE)) gen_t_closures(g); else fn_def(g); return;
    case 16: if (gen_has(g, LVT_GEN_F_VARARG)) gen_t_varargs(g); else assign(g); return;
    case 17:
      if (gen_has(g, LVT_GEN_F_ERROR) || gen_has(g, LVT_GEN_F_INTDIV)) gen_t_errors(g);
      else assign(g);
      return;
    case 18: if (gen_has(g, LVT_GEN_F_COROUTINE)) gen_t_coroutines(g); else decl(g); return;
    case 19: if (gen_has(g, LVT_GEN_F_GENFOR) && g->depth < 5) gen_t_genfor(g); else assign(g); return;
    case 20: if (gen_has(g, LVT_GEN_F_GOTO) && g->depth < 5) gen_t_gotos(g); else assign(g); return;
    case 21: if (gen_has(g, LVT_GEN_F_CLOSE)) gen_t_close_vars(g); else decl(g); return;
    case 22:
      if (gen_has(g, LVT_GEN_F_PACK) && gen_pick(g, 2)) gen_t_packs(g);
      else if (gen_has(g, LVT_GEN_F_STRING)) gen_t_strings(g);
      else assign(g);
      return;
    case 23: if (gen_has(g, LVT_GEN_F_UTF8)) gen_t_utf8s(g); else assign(g); return;
    case 24: if (gen_has(g, LVT_GEN_F_GC)) gen_t_gcs(g); else if (gen_has(g, LVT_GEN_F_RECURSION)) recursion(g); else decl(g); return;
    default:
      if (gen_has(g, LVT_GEN_F_RECURSION) && gen_pick(g, 2)) recursion(g);
      else if (gen_has(g, LVT_GEN_F_COMPARE) || gen_has(g, LVT_GEN_F_CONCAT)) gen_t_cross(g);
      else decl(g);
      return;
  }
  gen_checkpoint(g);
}

void gen_stmt_top(Gen *g) {
  stmt(g);
  if (gen_pick(g, 4) == 0) gen_checkpoint(g);
}
