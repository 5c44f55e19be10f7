/*
** lvt_gen_tmpl.c -- the feature templates: metatables, closures, varargs,
** errors, coroutines, generic for, goto, <const>/<close>, string.pack,
** utf8, finalizers, string scans, cross-type comparisons. Each is a block
** of fixed shape filled with generated expressions and observed through
** checkpoints (CP) and pcall observers (PR); each charges its cost.
*/
#include <string.h>

#include "lvt_gen_int.h"

/* =====================================================================
** Templates
** ===================================================================== */
/* Metatables: arithmetic, comparison, concat, call, index chains,
** newindex (and __len, the 5.3 operators, __close in the profiles that
** have them). Objects are {v = number}; V reads one back. */
void gen_t_meta(Gen *g) {
  uint32_t mt = fresh(g), a = fresh(g), b = fresh(g), base = fresh(g);
  int p = gen_portable(g);
  if (!room(g, 40)) return;
  line_start(g);
  E(g, "do");
  g->depth++;
  gen_nl(g); E(g, "local "); tmp_name(g, mt); E(g, " = {}");
  gen_nl(g); E(g, "local function V(x) if type(x) == \"table\" then return rawget(x, \"v\") or 0 end return x end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__add = function(a, b) return M(V(a) + V(b)) end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__sub = function(a, b) return M(V(a) - V(b)) end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__mul = function(a, b) return M(W(V(a)) * W(V(b))) end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__div = function(a, b) return S(V(a) / 4) end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__mod = function(a, b) return M(V(a)) % 7 end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__pow = function(a, b) return \"pow\" end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__unm = function(a) return M(-V(a)) end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__eq = function(a, b) return V(a) % 3 == V(b) % 3 end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__lt = function(a, b) return V(a) < V(b) end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__le = function(a, b) return V(a) <= V(b) end");
  gen_nl(g); tmp_name(g, mt);
  E(g, ".__concat = function(a, b) return (type(a) == \"table\" and \"<\" .. S(V(a)) .. \">\" or a) .. (type(b) == \"table\" and \"<\" .. S(V(b)) .. \">\" or b) end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__call = function(self, x, y) return M(V(self) + (x or 0)), y end");
  gen_nl(g); tmp_name(g, mt); E(g, ".__tostring = function(self) return \"obj\" .. S(V(self)) end");
  if (!p) {
    gen_nl(g); tmp_name(g, mt); E(g, ".__bor = function(a, b) return I(V(a)) | I(V(b)) end");
    gen_nl(g); tmp_name(g, mt); E(g, ".__bxor = function(a, b) return I(V(a)) ~ I(V(b)) end");
    gen_nl(g); tmp_name(g, mt); E(g, ".__shr = function(a, b) return I(V(a))>>1 end");
    gen_nl(g); tmp_name(g, mt);
    E(g, ".__pairs = function(t) local i = 0 return function() i = i + 1 if i <= 3 then return i, i * 10 end end, t, nil end");
    gen_nl(g); tmp_name(g, mt); E(g, ".__len = function(a) return 3 end");
    gen_nl(g); tmp_name(g, mt); E(g, ".__idiv = function(a, b) return \"idiv\" end");
    gen_nl(g); tmp_name(g, mt); E(g, ".__band = function(a, b) return I(V(a)) & 0xff end");
    gen_nl(g); tmp_name(g, mt); E(g, ".__shl = function(a, b) return \"shl\" end");
    gen_nl(g); tmp_name(g, mt); E(g, ".__bnot = function(a) return ~I(V(a)) end");
  }
  /* __index: a function or a chain of tables */
  gen_nl(g); E(g, "local "); tmp_name(g, base); E(g, " = setmetatable({w = ");
  gen_num_store(g, 1);
  E(g, "}, {__index = function(t, k) return type(k) == \"string\" and #k or -1 end})");
  gen_nl(g); tmp_name(g, mt); E(g, ".__index = ");
  tmp_name(g, base);
  gen_nl(g); tmp_name(g, mt); E(g, ".__newindex = function(t, k, v) rawset(t, k, v) end");
  gen_nl(g); E(g, "local "); tmp_name(g, a); E(g, ", "); tmp_name(g, b);
  E(g, " = setmetatable({v = "); gen_num_store(g, 2);
  E(g, "}, "); tmp_name(g, mt); E(g, "), setmetatable({v = "); gen_num_store(g, 2);
  E(g, "}, "); tmp_name(g, mt); E(g, ")");
  cp_open(g);
  E(g, ", V("); tmp_name(g, a); E(g, " + "); tmp_name(g, b);
  E(g, "), V("); tmp_name(g, a); E(g, " - "); gen_num_store(g, 1);
  E(g, "), V("); gen_num_store(g, 1); E(g, " * "); tmp_name(g, b);
  E(g, "), "); tmp_name(g, a); E(g, " / "); tmp_name(g, b);
  E(g, ", "); tmp_name(g, a); E(g, " % 2, "); tmp_name(g, a); E(g, " ^ 2, V(-"); tmp_name(g, a); E(g, "))");
  cp_open(g);
  E(g, ", "); tmp_name(g, a); E(g, " == "); tmp_name(g, b);
  E(g, ", "); tmp_name(g, a); E(g, " ~= "); tmp_name(g, b);
  E(g, ", "); tmp_name(g, a); E(g, " < "); tmp_name(g, b);
  E(g, ", "); tmp_name(g, a); E(g, " <= "); tmp_name(g, b);
  E(g, ", "); tmp_name(g, b); E(g, " > "); tmp_name(g, a);
  E(g, ", "); tmp_name(g, a); E(g, " == "); tmp_name(g, a);
  E(g, ", rawequal("); tmp_name(g, a); E(g, ", "); tmp_name(g, b); E(g, "))");
  cp_open(g);
  E(g, ", "); tmp_name(g, a); E(g, " .. \"s\", "); gen_num_store(g, 1); E(g, " .. "); tmp_name(g, b);
  E(g, ", "); tmp_name(g, a); E(g, " .. "); tmp_name(g, b);
  E(g, ", "); tmp_name(g, a); EC(g, '('); gen_num_store(g, 1); E(g, ", \"extra\")");
  E(g, ", tostring("); tmp_name(g, b); E(g, "), "); tmp_name(g, a); E(g, ".w, ");
  tmp_name(g, a); E(g, ".missing, "); tmp_name(g, b); E(g, "[7])");
  gen_nl(g); tmp_name(g, a); E(g, ".fresh = "); gen_num_store(g, 1);
  cp_open(g); E(g, ", rawget("); tmp_name(g, a); E(g, ", \"fresh\"), "); tmp_name(g, a); E(g, ")");
  /* __newindex into another table, __metatable hiding the metatable */
  gen_nl(g); E(g, "local store = {}");
  gen_nl(g); E(g, "local locked = setmetatable({}, {__newindex = store, __index = store, __metatable = \"locked\"})");
  gen_nl(g); E(g, "locked.k = "); gen_num_store(g, 1);
  gen_nl(g); E(g, "locked[1] = "); gen_str_store(g, 1);
  cp_open(g); E(g, ", rawget(locked, \"k\"), locked.k, store, getmetatable(locked))");
  pr_open(g); E(g, "pcall(setmetatable, locked, {}))");
  if (!p) {
    cp_open(g);
    E(g, ", #"); tmp_name(g, a); E(g, ", "); tmp_name(g, a); E(g, " // 2, ");
    tmp_name(g, a); E(g, " & 3, "); tmp_name(g, a); E(g, " << 1, ~"); tmp_name(g, a);
    E(g, ", "); tmp_name(g, a); E(g, " | "); tmp_name(g, b);
    E(g, ", "); gen_num_store(g, 1); E(g, " ~ "); tmp_name(g, b);
    E(g, ", "); tmp_name(g, a); E(g, ">>5)");
    gen_nl(g); E(g, "local acc = 0 for k, v in pairs("); tmp_name(g, a); E(g, ") do acc = acc * 7 + k + v end");
    cp_open(g); E(g, ", acc)");
  }
  g->depth--;
  gen_nl(g);
  E(g, "end\n");
  charge(g, 30);
}

/* Closures sharing upvalues; fresh loop variables per iteration. */
void gen_t_closures(Gen *g) {
  uint32_t inc = fresh(g), get = fresh(g), cnt = fresh(g), fs = fresh(g), mk = fresh(g);
  GVar *fi, *fg;
  if (!can_declare(g, 2) || g->lev >= 3 || !room(g, 20)) return;
  line_start(g);
  E(g, "local "); name_of(g, T_FN, inc); E(g, ", "); name_of(g, T_FN, get);
  gen_nl(g); E(g, "do");
  g->depth++;
  gen_nl(g); E(g, "local "); tmp_name(g, cnt); E(g, " = "); gen_num_store(g, 1);
  gen_nl(g); name_of(g, T_FN, inc); E(g, " = function(d) "); tmp_name(g, cnt);
  E(g, " = M("); tmp_name(g, cnt); E(g, " + d) return "); tmp_name(g, cnt); E(g, " end");
  gen_nl(g); name_of(g, T_FN, get); E(g, " = function() return "); tmp_name(g, cnt); E(g, " end");
  gen_nl(g); E(g, "local "); tmp_name(g, fs); E(g, " = {}");
  gen_nl(g); E(g, "for i = 1, 3 do "); tmp_name(g, fs);
  E(g, "[i] = function(x) return M(i * 10 + x) end end");
  cp_open(g); E(g, ", "); tmp_name(g, fs); E(g, "[1](1), "); tmp_name(g, fs); E(g, "[2](2), ");
  tmp_name(g, fs); E(g, "[3](3))");
  gen_nl(g); E(g, "local function "); tmp_name(g, mk);
  E(g, "(s) local c = s return function(d) c = M(c + d) return c end, function() return c end end");
  gen_nl(g); E(g, "local c1, g1 = "); tmp_name(g, mk); E(g, "("); gen_num_store(g, 1);
  E(g, ")");
  gen_nl(g); E(g, "local c2 = "); tmp_name(g, mk); E(g, "(5)");
  gen_nl(g); E(g, "local r1 = c1(1)");
  gen_nl(g); E(g, "local r2 = c1(2)");
  gen_nl(g); E(g, "local r3 = c2(3)");
  cp_open(g); E(g, ", r1, r2, r3, g1())");
  g->depth--;
  gen_nl(g); E(g, "end\n");
  fi = push_var(g, T_FN, inc);
  fi->nparams = 1;
  fi->pure = 0;
  fi->cost = 2;
  fi->flags = VF_RO;
  fg = push_var(g, T_FN, get);
  fg->nparams = 0;
  fg->pure = 1;
  fg->cost = 1;
  fg->flags = VF_RO;
  g->fr[g->lev].impure = 1;
  charge(g, 20);
}

/* Varargs, select, multiple returns and assignment. */
void gen_t_varargs(Gen *g) {
  uint32_t va = fresh(g);
  if (!room(g, 20)) return;
  line_start(g);
  E(g, "do");
  g->depth++;
  gen_nl(g); E(g, "local function "); tmp_name(g, va);
  E(g, "(...) local n = select(\"#\", ...) local a, b = ... return n, b, ... end");
  cp_open(g); E(g, ", "); tmp_name(g, va); EC(g, '('); gen_any(g, 1); E(g, ", nil, ");
  gen_any(g, 1); E(g, "))");
  cp_open(g); E(g, ", ("); tmp_name(g, va); E(g, "()))");
  cp_open(g); E(g, ", select(2, "); tmp_name(g, va); EC(g, '('); gen_num_store(g, 1);
  E(g, ", "); gen_str_store(g, 1); E(g, ", 3)))");
  cp_open(g); E(g, ", select(\"#\", "); tmp_name(g, va); E(g, "(nil, nil)), select(-1, 1, 2, ");
  gen_num_store(g, 1); E(g, "))");
  gen_nl(g); E(g, "local x, y, z = "); tmp_name(g, va); EC(g, '('); gen_num_store(g, 1); E(g, ")");
  gen_nl(g); E(g, "local t = {"); tmp_name(g, va); E(g, "("); gen_num_store(g, 1);
  E(g, ", "); gen_num_store(g, 1); E(g, "), "); tmp_name(g, va); E(g, "(5)}");
  cp_open(g); E(g, ", x, y, z, t, unpack({1, 2, 3}, 2), unpack({4, nil, 6}, 1, 3))");
  g->depth--;
  gen_nl(g); E(g, "end\n");
  charge(g, 15);
}

/* Errors: values of every type, runtime errors observed by kind. */
void gen_t_errors(Gen *g) {
  int p = gen_portable(g);
  unsigned c;
  if (!gen_has(g, LVT_GEN_F_ERROR)) c = 11 + gen_pick(g, 2);   /* intdiv only */
  else c = gen_pick(g, p ? 11 : gen_has(g, LVT_GEN_F_INTDIV) ? 15 : 11);
  if (c == 11 || c == 12) {
    if (!gen_has(g, LVT_GEN_F_INTDIV)) c = 0;
  } else if (c >= 13) {
    c = c == 13 ? 13 : 14;
  }
  if (!room(g, 10)) return;
  line_start(g);
  E(g, "do");
  g->depth++;
  pr_open(g);
  switch (c) {
    case 0:   /* 5.1 and LuaJIT prefix a number with the position */
      E(g, "pcall(error, "); gen_any(g, 1); E(g, p ? ", 0))" : "))");
      break;
    case 1: E(g, "pcall(function() error({code = "); gen_num_store(g, 1); E(g, "}) end))"); break;
    case 2: E(g, "pcall(function() local x return x + "); gen_num_store(g, 1); E(g, " end))"); break;
    case 3: E(g, "pcall(function() return "); gen_num_store(g, 1); E(g, " < "); gen_str_store(g, 1); E(g, " end))"); break;
    case 4: E(g, "pcall(function() return {} .. "); gen_str_store(g, 1); E(g, " end))"); break;
    case 5: E(g, "pcall(function() local t return t.x end))"); break;
    case 6: E(g, "pcall(function() return ("); gen_num_store(g, 1); E(g, ")() end))"); break;
    case 7:
      E(g, "pcall(function() local ok, e = pcall(error, {code = "); gen_num_store(g, 1);
      E(g, "}) error(e, 2) end))");
      break;
    case 8:
      E(g, "xpcall(function() error({code = "); gen_num_store(g, 1);
      E(g, "}) end, function(m) return type(m) == \"table\" and m.code or \"s\" end))");
      break;
    case 9:
      E(g, "pcall(function() return "); gen_num_store(g, 1); E(g, " == "); gen_str_store(g, 1);
      E(g, ", "); gen_str_store(g, 1); E(g, " .. "); gen_num_store(g, 1); E(g, " end))");
      break;
    case 10:
      E(g, "pcall(error, setmetatable({code = 9}, {__tostring = function() return \"E\" end})))");
      break;
    case 11: E(g, "pcall(function() return "); gen_num_int(g, 1); E(g, " // 0 end))"); break;
    case 12: E(g, "pcall(function() return "); gen_num_int(g, 1); E(g, " % 0 end))"); break;
    case 13:
      switch (gen_pick(g, g->prof == LVT_PROFILE_54 ? 3 : 2)) {
        case 0: E(g, "pcall(function() return fmt(\"%d\", 1.5) end))"); break;
        case 1: E(g, "pcall(math.fmod, 1, 0))"); break;
        /* a zero step: an error in 5.4, no iteration in 5.3, endless in 5.1 */
        default: E(g, "pcall(function() for i = 1, 2, 0 do end end))"); break;
      }
      break;
    default: E(g, "pcall(function() return 1 & 1.5 end))"); break;
  }
  g->depth--;
  gen_nl(g); E(g, "end\n");
  charge(g, 5);
}

/* Coroutines: values both ways, status, wrap, errors inside; in 5.3+
** yields across pcall and metamethods, isyieldable; in 5.4 close. */
void gen_t_coroutines(Gen *g) {
  uint32_t co = fresh(g), w = fresh(g);
  int p = gen_portable(g), i, n = 1 + (int)gen_pick(g, 3);
  if (!room(g, 40)) return;
  line_start(g);
  E(g, "do");
  g->depth++;
  gen_nl(g); E(g, "local "); tmp_name(g, co);   /* in scope in its own body */
  gen_nl(g); tmp_name(g, co); E(g, " = coroutine.create(function(a, b)");
  gen_nl(g); E(g, "  local inner = coroutine.create(function() return coroutine.status("); tmp_name(g, co); E(g, ") end)");
  gen_nl(g); E(g, "  local st = {coroutine.status("); tmp_name(g, co); E(g, "), coroutine.resume(inner)}");
  gen_nl(g); E(g, "  local c = coroutine.yield(M(a + b), st)");
  gen_nl(g); E(g, "  local d, e = coroutine.yield(M(c or 0) * 2, \"two\")");
  if (!p) {
    gen_nl(g); E(g, "  local ok, v = pcall(function() return coroutine.yield(coroutine.isyieldable()) end)");
    gen_nl(g); E(g, "  local o = setmetatable({}, {__add = function(x, y) return coroutine.yield(\"meta\") end})");
    gen_nl(g); E(g, "  local r = o + 1");
    gen_nl(g); E(g, "  if d == 0 then error({code = 3}) end");
    gen_nl(g); E(g, "  return d, e, v, r");
  } else {
    gen_nl(g); E(g, "  if d == 0 then error({code = 3}) end");
    gen_nl(g); E(g, "  return d, e");
  }
  gen_nl(g); E(g, "end)");
  cp_open(g); E(g, ", coroutine.status("); tmp_name(g, co); E(g, "))");
  pr_open(g); E(g, "coroutine.resume("); tmp_name(g, co); E(g, ", "); gen_num_store(g, 1);
  E(g, ", "); gen_num_store(g, 1); E(g, "))");
  for (i = 0; i < n + (p ? 0 : 2); i++) {
    pr_open(g); E(g, "coroutine.resume("); tmp_name(g, co); E(g, ", ");
    gen_num_store(g, 1); E(g, ", "); gen_str_store(g, 1); E(g, "))");
    cp_open(g); E(g, ", coroutine.status("); tmp_name(g, co); E(g, "))");
  }
  if (g->prof == LVT_PROFILE_54) {
    pr_open(g); E(g, "coroutine.close("); tmp_name(g, co); E(g, "))");
    cp_open(g); E(g, ", coroutine.status("); tmp_name(g, co); E(g, "))");
  }
  gen_nl(g); E(g, "local "); tmp_name(g, w);
  E(g, " = coroutine.wrap(function(k) for i = 1, 4 do k = coroutine.yield(M(i * (k or 1))) end return \"end\" end)");
  cp_open(g); E(g, ", "); tmp_name(g, w); EC(g, '('); gen_num_store(g, 1); E(g, "), ");
  tmp_name(g, w); E(g, "(2))");
  cp_open(g); E(g, ", "); tmp_name(g, w); E(g, "(3))");
  pr_open(g); E(g, "coroutine.resume(coroutine.create(function() error({code = ");
  gen_num_store(g, 1); E(g, "}) end)))");
  if (!p) {
    cp_open(g); E(g, ", coroutine.isyieldable(), select(2, coroutine.running()))");
  }
  g->depth--;
  gen_nl(g); E(g, "end\n");
  charge(g, 30);
}

/* Generic for: ipairs over sequences, closures as iterators, stateless
** iterators, sorted keys. */
void gen_t_genfor(Gen *g) {
  GVar *t = gen_var(g, T_SEQ, 0), *v;
  uint32_t saved = g->mult, i1 = fresh(g), i2 = fresh(g);
  int saved_loop = g->fr[g->lev].in_loop;
  Scope s;
  unsigned c = gen_pick(g, 3);
  if (!room(g, 60) || !can_declare(g, 2)) return;
  line_start(g);
  s = scope_open(g);
  if (c == 0 && t) {
    E(g, "for "); name_of(g, T_NUM, i1); E(g, ", "); name_of(g, T_NUM, i2);
    E(g, " in ipairs("); gen_name(g, t); E(g, ") do\n");
    g->mult *= 26;
  } else if (c == 1 || !t) {
    E(g, "for "); name_of(g, T_NUM, i1); E(g, ", "); name_of(g, T_NUM, i2);
    E(g, " in (function(n, step) local i = 0 return function() i = i + 1 if i <= n then return i, M(i * step) end end end)(");
    gen_int(g, gen_pick(g, 5));
    E(g, ", ");
    gen_num_store(g, 1);
    E(g, ") do\n");
    g->mult *= 5;
  } else {
    E(g, "for "); name_of(g, T_NUM, i1); E(g, ", "); name_of(g, T_NUM, i2);
    E(g, " in function(st, c) if c < st then return c + 1, M(c * 3) end end, ");
    gen_int(g, gen_pick(g, 5));
    E(g, ", 0 do\n");
    g->mult *= 5;
  }
  v = push_var(g, T_NUM, i1);
  v->flags = VF_RO;
  v = push_var(g, T_NUM, i2);
  v->flags = VF_RO;
  g->fr[g->lev].in_loop = 1;
  if (t && c == 0) {
    /* no table ops on the sequence being traversed: hide it */
    t->flags |= VF_RO;
    gen_block(g, 3);
    t->flags &= (uint8_t)~VF_RO;
  } else {
    gen_block(g, 3);
  }
  g->fr[g->lev].in_loop = saved_loop;
  g->mult = saved;
  scope_close(g, s);
  line_start(g);
  E(g, "end\n");
  charge(g, 2);
}

/* goto: continue-style skips and a backward loop (5.3+ profiles). */
void gen_t_gotos(Gen *g) {
  uint32_t l = fresh(g), k = fresh(g), saved = g->mult;
  int saved_loop = g->fr[g->lev].in_loop;
  if (!room(g, 20)) return;
  line_start(g);
  if (gen_pick(g, 2)) {
    E(g, "for "); tmp_name(g, k); E(g, " = 1, 3 do");
    g->depth++;
    gen_nl(g); E(g, "if "); gen_bool(g, 1); E(g, " then goto L"); gen_int(g, l); E(g, " end");
    gen_nl(g); E(g, "do\n");
    g->mult *= 3;
    g->fr[g->lev].in_loop = 1;
    gen_block(g, 2);
    line_start(g); E(g, "end");
    gen_nl(g); E(g, "::L"); gen_int(g, l); E(g, "::");
    g->depth--;
    gen_nl(g); E(g, "end\n");
  } else {
    E(g, "do local "); tmp_name(g, k); E(g, " = 0");
    g->depth++;
    gen_nl(g); E(g, "::L"); gen_int(g, l); E(g, "::");
    gen_nl(g); tmp_name(g, k); E(g, " = "); tmp_name(g, k); E(g, " + 1");
    gen_nl(g); E(g, "do\n");
    g->mult *= 3;
    g->fr[g->lev].in_loop = 0;   /* no 'break' out of a goto loop */
    gen_block(g, 2);
    line_start(g); E(g, "end");
    gen_nl(g); E(g, "if "); tmp_name(g, k); E(g, " < 3 then goto L"); gen_int(g, l); E(g, " end");
    cp_open(g); E(g, ", "); tmp_name(g, k); E(g, ")");
    g->depth--;
    gen_nl(g); E(g, "end\n");
  }
  g->mult = saved;
  g->fr[g->lev].in_loop = saved_loop;
  charge(g, 4);
}

/* <const> and <close> (5.4). */
void gen_t_close_vars(Gen *g) {
  uint32_t log = fresh(g), c = fresh(g);
  GVar *v;
  if (!room(g, 20) || !can_declare(g, 1)) return;
  line_start(g);
  E(g, "local "); name_of(g, T_NUM, c); E(g, " <const> = "); gen_num_store(g, 1);
  E(g, "\n");
  line_start(g);
  E(g, "do");
  g->depth++;
  gen_nl(g); E(g, "local "); tmp_name(g, log); E(g, " = {}");
  gen_nl(g); E(g, "local function mk(tag) return setmetatable({}, {__close = function(o, e) ");
  tmp_name(g, log); E(g, "[#"); tmp_name(g, log);
  E(g, " + 1] = tag .. \":\" .. type(e) end}) end");
  gen_nl(g); E(g, "do");
  gen_nl(g); E(g, "  local a <close> = mk(\"a\")");
  gen_nl(g); E(g, "  local b <close> = nil");
  gen_nl(g); E(g, "  local c <close> = mk(\"c\")");
  gen_nl(g); E(g, "end");
  pr_open(g); E(g, "pcall(function() local d <close> = mk(\"d\") error({code = ");
  gen_num_store(g, 1); E(g, "}) end))");
  gen_nl(g); E(g, "local co = coroutine.create(function() local e <close> = mk(\"e\") coroutine.yield(1) end)");
  gen_nl(g); E(g, "coroutine.resume(co)");
  pr_open(g); E(g, "coroutine.close(co))");
  pr_open(g); E(g, "pcall(function() local f <close> = 42 end))");
  gen_nl(g); E(g, "for i, x in function(s, i) if i < 2 then return i + 1, i end end, nil, 0, mk(\"for\") do end");
  cp_open(g); E(g, ", "); tmp_name(g, log); E(g, ")");
  g->depth--;
  gen_nl(g); E(g, "end\n");
  v = push_var(g, T_NUM, c);
  v->flags = VF_RO;
  charge(g, 15);
}

/* string.pack / unpack round trips (5.3+). */
void gen_t_packs(Gen *g) {
  static const char *const f[] = {"<i4", ">i8", "<j", "<d", "<n", "<I2", "<b", ">h",
                                  "<i3", "=I8", "<f", ">!4 i2 i4"};
  unsigned k = gen_pick(g, sizeof f / sizeof *f);
  if (!room(g, 5)) return;
  line_start(g);
  E(g, "do");
  g->depth++;
  pr_open(g); E(g, "pcall(string.pack, \""); E(g, f[k]); E(g, "\", ");
  gen_num_int(g, 1);
  if (k == 11) { E(g, ", "); gen_num_int(g, 1); }
  E(g, "))");
  gen_nl(g); E(g, "local ok, s = pcall(string.pack, \""); E(g, f[k]); E(g, "\", ");
  gen_num_int(g, 1);
  if (k == 11) E(g, ", 7");
  E(g, ")");
  gen_nl(g); E(g, "if ok then");
  cp_open(g); E(g, ", #s, string.unpack(\""); E(g, f[k]); E(g, "\", s), string.packsize(\"");
  E(g, f[k]); E(g, "\")) end");
  cp_open(g); E(g, ", string.unpack(\"z B s1\", string.pack(\"z B s1\", ");
  gen_str_store(g, 1); E(g, ", 200, \"ab\")))");
  g->depth--;
  gen_nl(g); E(g, "end\n");
  charge(g, 5);
}

/* utf8 (5.3+): code points <= 0x10FFFF, no surrogates. */
void gen_t_utf8s(Gen *g) {
  int i, n = 1 + (int)gen_pick(g, 4);
  if (!room(g, 20)) return;
  line_start(g);
  E(g, "do local u = utf8.char(");
  for (i = 0; i < n; i++) {
    static const char *const m[] = {" % 128", " % 2048", " % 55296", " % 1048576 + 65536"};
    if (i) E(g, ", ");
    gen_num_int(g, 1);
    E(g, m[gen_pick(g, 4)]);   /* below the surrogates, or above them */
  }
  E(g, ")");
  g->depth++;
  cp_open(g); E(g, ", u, utf8.len(u), utf8.codepoint(u, 1, -1), utf8.offset(u, 2), utf8.offset(u, -1))");
  cp_open(g); E(g, ", utf8.len(\"\\xff\"), utf8.len(u .. \"\\x80\"), select(\"#\", utf8.codepoint(u, 1, -1)))");
  gen_nl(g); E(g, "local acc = 0 for p, c in utf8.codes(u) do acc = (acc * 7 + p + c) % 1000003 end");
  cp_open(g); E(g, ", acc)");
  g->depth--;
  gen_nl(g); E(g, "end\n");
  charge(g, 10);
}

/* Finalizers and weak tables, observed after full collections (5.3+:
** 5.1 has no __gc on tables). */
void gen_t_gcs(Gen *g) {
  uint32_t cnt = fresh(g), w = fresh(g), keep = fresh(g);
  int n = 1 + (int)gen_pick(g, 4);
  if (!room(g, 20)) return;
  line_start(g);
  E(g, "do local "); tmp_name(g, cnt); E(g, " = 0");
  g->depth++;
  gen_nl(g); E(g, "local "); tmp_name(g, w); E(g, " = setmetatable({}, {__mode = \"k\"})");
  gen_nl(g); E(g, "local "); tmp_name(g, keep); E(g, " = {}");
  gen_nl(g); E(g, "local function mk() for i = 1, "); gen_int(g, n);
  E(g, " do setmetatable({}, {__gc = function() "); tmp_name(g, cnt); E(g, " = ");
  tmp_name(g, cnt); E(g, " + 1 end}) "); tmp_name(g, w); E(g, "[{}] = i end ");
  tmp_name(g, w); E(g, "["); tmp_name(g, keep); E(g, "] = 0 end");
  gen_nl(g); E(g, "mk()");
  gen_nl(g); E(g, "collectgarbage()");
  gen_nl(g); E(g, "collectgarbage()");
  gen_nl(g); E(g, "local left = 0 for k in pairs("); tmp_name(g, w); E(g, ") do left = left + 1 end");
  cp_open(g); E(g, ", "); tmp_name(g, cnt); E(g, ", left)");
  g->depth--;
  gen_nl(g); E(g, "end\n");
  charge(g, 20);
}

/* gmatch loops, and string functions returning several values. */
void gen_t_strings(Gen *g) {
  int ncap;
  EInfo a;
  uint32_t acc = fresh(g);
  if (!room(g, 60)) return;
  line_start(g);
  E(g, "do local "); tmp_name(g, acc); E(g, " = 0");
  g->depth++;
  gen_nl(g); E(g, "for w, x in (");
  gen_str(g, 2, &a);
  E(g, "):gmatch(");
  gen_pattern(g, &ncap);
  E(g, ") do "); tmp_name(g, acc); E(g, " = HV(HV("); tmp_name(g, acc); E(g, ", w, 0), x, 0) end");
  cp_open(g); E(g, ", "); tmp_name(g, acc); E(g, ")");
  cp_open(g); E(g, ", (");
  gen_str(g, 1, &a);
  E(g, "):find(");
  gen_pattern(g, &ncap);
  E(g, "))");
  cp_open(g); E(g, ", (");
  gen_str(g, 1, &a);
  E(g, "):match(");
  gen_pattern(g, &ncap);
  E(g, "), (");
  gen_str(g, 1, &a);
  E(g, "):byte(1, -1))");
  g->depth--;
  gen_nl(g); E(g, "end\n");
  charge(g, 50);
}

/* Comparisons and concatenation across types (the erroring ones in
** pcall, observed by kind). */
void gen_t_cross(Gen *g) {
  if (!room(g, 5)) return;
  g->fr[g->lev].impure = 1;
  charge(g, 3);
  if (gen_has(g, LVT_GEN_F_COMPARE)) {
    line_start(g);
    E(g, "CP(");
    gen_int(g, g->cp++);
    E(g, ", "); gen_num_store(g, 1); E(g, " == "); gen_str_store(g, 1);
    E(g, ", \"10\" == 10, "); gen_str_store(g, 1); E(g, " < "); gen_str_store(g, 1);
    E(g, ", "); gen_bool(g, 1); E(g, " == nil, 1 == 1.0, (Z * -1.0) == 0, (0/0) ~= (0/0))\n");
    line_start(g);
    E(g, "PR(");
    gen_int(g, g->cp++);
    E(g, ", pcall(function() return "); gen_any(g, 1); E(g, " < "); gen_any(g, 1);
    E(g, " end))\n");
  }
  if (!gen_has(g, LVT_GEN_F_CONCAT)) return;
  line_start(g);
  E(g, "PR(");
  gen_int(g, g->cp++);
  E(g, ", pcall(function() return \"\" .. "); gen_str_store(g, 1); E(g, " .. ");
  switch (gen_pick(g, 5)) {   /* numbers only through S: 5.3 writes 1.0 */
    case 0: gen_str_store(g, 1); break;
    case 1: E(g, "S("); gen_num_store(g, 1); E(g, ")"); break;
    case 2: E(g, "nil"); break;
    case 3: gen_bool(g, 1); break;
    default: gen_seq_ctor(g); break;
  }
  E(g, " end))\n");
}

