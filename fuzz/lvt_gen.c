/*
** lvt_gen.c -- the generator's driver: profiles, the decision source (a
** xoshiro256** stream from a seed, or the bytes of a fuzzer input), the
** header line, the prelude of normalising helpers every program starts
** with, scopes, and the program skeleton. Expressions are in
** lvt_gen_expr.c, statements and feature templates in lvt_gen_stmt.c.
*/
#include "lvt_gen.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lvt_gen_int.h"

/* =====================================================================
** Profiles
** ===================================================================== */
static const char *const profile_names[LVT_PROFILE__COUNT] = {
  "portable", "5.3", "5.4"
};

const char *lvt_profile_name(LvtProfile p) {
  return (unsigned)p < LVT_PROFILE__COUNT ? profile_names[p] : "?";
}

int lvt_profile_parse(const char *s) {
  int i;
  if (s == NULL) return -1;
  for (i = 0; i < LVT_PROFILE__COUNT; i++)
    if (strcmp(s, profile_names[i]) == 0) return i;
  if (strcmp(s, "53") == 0) return LVT_PROFILE_53;
  if (strcmp(s, "54") == 0) return LVT_PROFILE_54;
  return -1;
}

static const char *field(const char *p, const char *end, const char *key);

int lvt_profile_runs_on(LvtProfile p, const LvtVmInfo *info, LvtBuf *why) {
  LvtDialect d = info->dialect;
  const char *reason = NULL;
  switch (p) {
    case LVT_PROFILE_PORTABLE:
      if (d == LVT_DIALECT_UNKNOWN) reason = "unknown dialect";
      break;
    case LVT_PROFILE_53:
      if (d != LVT_DIALECT_53 && d != LVT_DIALECT_54)
        reason = "profile 5.3 needs a 5.3 or 5.4 dialect";
      break;
    case LVT_PROFILE_54:
      if (d != LVT_DIALECT_54) reason = "profile 5.4 needs the 5.4 dialect";
      break;
    default:
      reason = "unknown profile";
  }
  if (reason == NULL) return 1;
  if (why) {
    lvt_buf_adds(why, reason);
    lvt_buf_addf(why, " (the VM is %s)", lvt_dialect_name(d));
  }
  return 0;
}

int lvt_gen_runs_on(const char *src, size_t len, LvtProfile p, const LvtVmInfo *info,
                    LvtBuf *why) {
  const char *end, *v;
  unsigned enabled = 0;
  if (!lvt_profile_runs_on(p, info, why)) return 0;
  if (lvt_gen_header_parse(src, len, NULL, NULL, NULL)) {
    end = memchr(src, '\n', len);
    if (end == NULL) end = src + len;
    if ((v = field(src, end, "enabled")) != NULL) enabled = (unsigned)strtoul(v, NULL, 0);
  }
  if ((enabled & LVT_GEN_F_GC) && !(info->caps & LVT_CAP_GC)) {
    if (why) lvt_buf_adds(why, "the program observes the collector (feature gc); the VM has no working collectgarbage");
    return 0;
  }
  return 1;
}

unsigned lvt_gen_profile_features(LvtProfile p) {
  unsigned all = LVT_GEN_F_ALL;
  switch (p) {
    case LVT_PROFILE_PORTABLE:
      return all & ~(LVT_GEN_F_INTDIV | LVT_GEN_F_BITOPS | LVT_GEN_F_UTF8 |
                     LVT_GEN_F_GOTO | LVT_GEN_F_CLOSE | LVT_GEN_F_PACK |
                     LVT_GEN_F_GC);
    case LVT_PROFILE_53:
      return all & ~LVT_GEN_F_CLOSE;
    default:
      return all;
  }
}

static const char *const feature_names[] = {
  "arith", "intdiv", "bitops", "compare", "concat", "string", "table",
  "math", "utf8", "meta", "closure", "vararg", "goto", "numfor", "genfor",
  "coroutine", "error", "close", "pack", "recursion", "gc"
};

const char *lvt_gen_feature_name(unsigned bit) {
  unsigned i;
  for (i = 0; i < sizeof feature_names / sizeof *feature_names; i++)
    if (bit == 1u << i) return feature_names[i];
  return NULL;
}

void lvt_gen_opts_init(LvtGenOpts *o) {
  memset(o, 0, sizeof *o);
  o->profile = LVT_PROFILE_PORTABLE;
  o->max_bytes = 3072;
  o->features = 0;
}

/* =====================================================================
** Decisions
** ===================================================================== */
static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t xoshiro(Gen *g) {
  uint64_t *s = g->s;
  uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return r;
}

unsigned gen_pick(Gen *g, unsigned n) {
  if (n <= 1) return 0;
  if (g->bytes) {
    unsigned v;
    if (g->pos >= g->n) {
      g->exhausted = 1;
      return 0;
    }
    v = g->data[g->pos++];
    if (n > 256 && g->pos < g->n) v = (v << 8) | g->data[g->pos++];
    return v % n;
  }
  return (unsigned)(((xoshiro(g) >> 32) * (uint64_t)n) >> 32);
}

int gen_chance(Gen *g, unsigned num, unsigned den) {
  return gen_pick(g, den) < num && !(g->bytes && g->exhausted);
}

/* =====================================================================
** Emitting
** ===================================================================== */
void gen_int(Gen *g, long long v) {
  char tmp[24];
  int i = (int)sizeof tmp;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do {
    tmp[--i] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) tmp[--i] = '-';
  gen_put(g, tmp + i, sizeof tmp - (size_t)i);
}

static const char type_prefix[T__COUNT] = {'n', 's', 'b', 't', 'f'};

void gen_name(Gen *g, const GVar *v) {
  EC(g, type_prefix[v->type]);
  gen_int(g, v->id);
}

void gen_indent(Gen *g) {
  static const char sp[] = "                                ";
  int d = g->depth * 2;
  if (d > (int)sizeof sp - 1) d = (int)sizeof sp - 1;
  gen_put(g, sp, (size_t)d);
}

void gen_nl(Gen *g) {
  EC(g, '\n');
  gen_indent(g);
}

/* =====================================================================
** Scope
** ===================================================================== */
GVar *gen_declare(Gen *g, int type) {
  GVar *v;
  if (g->nv >= GEN_MAXV) g->nv = GEN_MAXV - 1;   /* never reached: locals
                                                 ** are capped per function */
  v = &g->v[g->nv++];
  memset(v, 0, sizeof *v);
  v->id = g->uid++;
  v->type = (uint8_t)type;
  v->fnlev = (uint8_t)g->lev;
  v->pure = 1;
  g->fr[g->lev].nlocals++;
  return v;
}

static int usable(const Gen *g, const GVar *v, int type, int writable) {
  if (v->type != type) return 0;
  if (writable && (v->flags & VF_RO)) return 0;
  (void)g;
  return 1;
}

/* Visible: declared in this function, or in an outer one within the
** window the function may capture (so upvalues stay under 5.1's 60). */
GVar *gen_var(Gen *g, int type, int writable) {
  uint16_t idx[GEN_MAXV];
  int c = 0, i, lo = g->fr[g->lev].upfloor;
  for (i = g->nv - 1; i >= lo; i--)   /* one pass: most recent first */
    if (usable(g, &g->v[i], type, writable)) idx[c++] = (uint16_t)i;
  if (c == 0) return NULL;
  return &g->v[idx[gen_pick(g, (unsigned)c)]];
}

void gen_touch(Gen *g, const GVar *v) {
  if (v->fnlev != g->lev || v->type == T_SEQ) g->fr[g->lev].impure = 1;
}

/* =====================================================================
** Header and prelude
** ===================================================================== */
static void header(Gen *g, const LvtGenOpts *o, const char *seed) {
  lvt_buf_addf(g->out, "-- lvtest-gen 1 profile=%s seed=%s features=0x%x enabled=0x%x size=%zu\n",
               lvt_profile_name(o->profile), seed, o->features, g->feat,
               g->max_bytes);
}

/* Helpers every program starts with. HV hashes a value (numbers through
** a dialect-independent rendering, tables by their sequence part in order
** and the rest order-independently), CP prints a checkpoint, PR observes
** a pcall by the kind of its error, S renders a number, M (portable)
** brings a number back into the small-integer domain, I (5.3+) into the
** integer subtype. Every program's output is made of "cp N H" lines. */
#define PRELUDE_COMMON \
  "local floor, huge, fmt, byte, char = math.floor, math.huge, string.format, string.byte, string.char\n" \
  "local unpack = table.unpack or unpack\n" \
  "local P, Z = 16777213, 0\n" \
  "local function HS(h, s)\n" \
  "  for i = 1, #s do h = (h * 31 + byte(s, i)) % P end\n" \
  "  return h\n" \
  "end\n"

/* Portable: 5.1 and LuaJIT compute a % b as a - floor(a/b)*b, exact for
** integral a only while |floor(a/b)*b| stays below 2^53: hence the 2^52
** bound in HN. Other numbers are hashed (HF) and written (S, "<m>p<e>")
** exactly from their mantissa and exponent, never through "%.14g": LuaJIT
** formats numbers itself and rounds exact decimal ties up where C rounds
** them to even (1785 as "%.3g": 1.79e+03 against 1.78e+03). S renders -0
** as "0" (5.3 integers have no -0). */
#define PRELUDE_PORTABLE \
  "local function HF(h, v)\n" \
  "  local e = 0\n" \
  "  if v < 0 then h = HS(h, \"-\") v = -v end\n" \
  "  while v >= 2^52 do v = v / 2 e = e + 1 end\n" \
  "  while v ~= floor(v) do v = v * 2 e = e - 1 end\n" \
  "  local hi = floor(v / 2^26)\n" \
  "  return (((h * 31 + hi % P) % P * 31 + (v - hi * 2^26) % P) % P * 31 + e % P) % P\n" \
  "end\n" \
  "local function HN(h, v)\n" \
  "  if v ~= v then return HS(h, \"nan\") end\n" \
  "  if v == huge or v == -huge then return HS(h, v > 0 and \"inf\" or \"-inf\") end\n" \
  "  if v == floor(v) and v < 2^52 and v > -2^52 then return (h * 31 + v % P) % P end\n" \
  "  return HF(HS(h, \"f\"), v)\n" \
  "end\n" \
  "local function S(x)\n" \
  "  if x ~= x then return \"nan\" end\n" \
  "  if x == huge or x == -huge then return x > 0 and \"inf\" or \"-inf\" end\n" \
  "  if x == floor(x) and x < 2^52 and x > -2^52 then return fmt(\"%d\", x) end\n" \
  "  local m, e = x < 0 and -x or x, 0\n" \
  "  while m >= 2^52 do m = m / 2 e = e + 1 end\n" \
  "  while m ~= floor(m) do m = m * 2 e = e - 1 end\n" \
  "  return fmt(\"%s%dp%d\", x < 0 and \"-\" or \"\", m, e)\n" \
  "end\n" \
  "local function M(x)\n" \
  "  if x ~= x then return 0 end\n" \
  "  if x >= 2^50 or x <= -2^50 then if x > 0 then return 5 end return -5 end\n" \
  "  x = floor(x)\n" \
  "  if x >= 1073741824 or x < -1073741824 then x = x % 1073741789 end\n" \
  "  if x == 0 then return 0 end\n" \
  "  return x\n" \
  "end\n" \
  "local function W(x) return M(x) % 4099 end\n"

#define PRELUDE_53 \
  "local mtype, toint, maxi, mini = math.type, math.tointeger, math.maxinteger, math.mininteger\n" \
  "local function HN(h, v)\n" \
  "  if mtype(v) == \"integer\" then return (h * 31 + v % P) % P end\n" \
  "  if v ~= v then return HS(h, \"nan\") end\n" \
  "  return HS(h, fmt(\"f%.17g\", v))\n" \
  "end\n" \
  "local function S(x)\n" \
  "  if mtype(x) == \"integer\" then return fmt(\"%d\", x) end\n" \
  "  if x ~= x then return \"nan\" end\n" \
  "  return fmt(\"%.17g\", x)\n" \
  "end\n" \
  "local function I(x)\n" \
  "  if mtype(x) == \"integer\" then return x end\n" \
  "  local y = toint(x)\n" \
  "  if y then return y end\n" \
  "  if x ~= x then return 0 end\n" \
  "  if x >= 2^63 then return maxi end\n" \
  "  if x < -2^63 then return mini end\n" \
  "  return floor(x)\n" \
  "end\n" \
  "local M = I\n" \
  "local function W(x) return I(x) % 4099 end\n"

#define PRELUDE_TAIL \
  "local function HV(h, v, d)\n" \
  "  local t = type(v)\n" \
  "  if t == \"number\" then return HN(h, v)\n" \
  "  elseif t == \"string\" then return HS(HS(h, \"s\"), v)\n" \
  "  elseif t == \"boolean\" then return HS(h, v and \"T\" or \"F\")\n" \
  "  elseif t == \"table\" then\n" \
  "    if d > 2 then return HS(h, \"t\") end\n" \
  "    h = HS(h, \"{\")\n" \
  "    local i = 1\n" \
  "    while rawget(v, i) ~= nil do h = HV(h, rawget(v, i), d + 1) i = i + 1 end\n" \
  "    local acc, k, x = 0, next(v)\n" \
  "    while k ~= nil do\n" \
  "      if type(k) ~= \"number\" or k < 1 or k >= i or k ~= floor(k) then\n" \
  "        acc = (acc + HV(HV(7, k, d + 1), x, d + 1)) % P\n" \
  "      end\n" \
  "      k, x = next(v, k)\n" \
  "    end\n" \
  "    return (h * 31 + acc) % P\n" \
  "  end\n" \
  "  return HS(h, t)\n" \
  "end\n" \
  "local function CP(n, ...)\n" \
  "  local h = 0\n" \
  "  for i = 1, select(\"#\", ...) do h = HV(h, (select(i, ...)), 0) end\n" \
  "  print(fmt(\"cp %d %d\", n, h))\n" \
  "end\n" \
  "local function PR(n, ok, ...)\n" \
  "  if ok then return CP(n, \"ok\", ...) end\n" \
  "  local e = ...\n" \
  "  local t = type(e)\n" \
  "  if t == \"string\" then return CP(n, \"err\") end\n" \
  "  if t == \"table\" then return CP(n, \"errt\", rawget(e, \"code\")) end\n" \
  "  return CP(n, \"errv\", e)\n" \
  "end\n"

/* The locals the preludes declare, in order. */
#define NAMES_COMMON "floor, huge, fmt, byte, char, unpack, P, Z, HS"
#define NAMES_PORTABLE NAMES_COMMON ", HF, HN, S, M, W, HV, CP, PR"
#define NAMES_53 NAMES_COMMON ", mtype, toint, maxi, mini, HN, S, I, M, W, HV, CP, PR"

/* Each profile's prelude, and the same as a chunk of its own for the
** split form (lvt_gen_split): a first empty line where the header is, the
** prelude, then its locals returned. */
static const char prelude_portable[] = PRELUDE_COMMON PRELUDE_PORTABLE PRELUDE_TAIL;
static const char prelude_53[] = PRELUDE_COMMON PRELUDE_53 PRELUDE_TAIL;
static const char split_portable[] =
  "\n" PRELUDE_COMMON PRELUDE_PORTABLE PRELUDE_TAIL "return " NAMES_PORTABLE "\n";
static const char split_53[] =
  "\n" PRELUDE_COMMON PRELUDE_53 PRELUDE_TAIL "return " NAMES_53 "\n";

static void prelude(Gen *g) {
  E(g, gen_portable(g) ? prelude_portable : prelude_53);
}

static size_t count_lines(const char *s, size_t n) {
  size_t k = 0, i;
  for (i = 0; i < n; i++) k += s[i] == '\n';
  return k;
}

/* Each kind of prelude: its text, its split chunk, and the line that
** takes its locals in the split body. */
static const char local_portable[] = "local " NAMES_PORTABLE " = ...\n";
static const char local_53[] = "local " NAMES_53 " = ...\n";
static const struct SplitKind {
  const char *text, *split, *local;
  size_t len, slen, llen;
} split_kinds[] = {
  {prelude_portable, split_portable, local_portable, sizeof prelude_portable - 1,
   sizeof split_portable - 1, sizeof local_portable - 1},
  {prelude_53, split_53, local_53, sizeof prelude_53 - 1, sizeof split_53 - 1,
   sizeof local_53 - 1},
};
static size_t split_lines[sizeof split_kinds / sizeof split_kinds[0]];   /* (of 'text') */
static pthread_once_t split_once = PTHREAD_ONCE_INIT;

static void split_init(void) {
  size_t k;
  for (k = 0; k < sizeof split_kinds / sizeof split_kinds[0]; k++)
    split_lines[k] = count_lines(split_kinds[k].text, split_kinds[k].len);
}

/* The kind of prelude 'src' starts with after its header line (of 'h'
** bytes), or NULL. */
static const struct SplitKind *split_kind(const char *src, size_t len, size_t *h) {
  const char *eol;
  size_t k;
  if (!lvt_gen_header_parse(src, len, NULL, NULL, NULL)) return NULL;
  eol = memchr(src, '\n', len);
  if (eol == NULL) return NULL;
  *h = (size_t)(eol - src) + 1;
  for (k = 0; k < sizeof split_kinds / sizeof split_kinds[0]; k++)
    if (len - *h >= split_kinds[k].len &&
        memcmp(src + *h, split_kinds[k].text, split_kinds[k].len) == 0)
      return &split_kinds[k];
  return NULL;
}

size_t lvt_gen_prelude_end(const char *src, size_t len) {
  size_t h;
  const struct SplitKind *k = split_kind(src, len, &h);
  return k != NULL ? h + k->len : 0;
}

int lvt_gen_split(const char *src, size_t len, const char **pre, size_t *plen, LvtBuf *body) {
  size_t h, blank;
  const struct SplitKind *k = split_kind(src, len, &h);
  if (k == NULL) return 0;
  pthread_once(&split_once, split_init);
  blank = split_lines[k - split_kinds] - 1;   /* (the local line is the first) */
  lvt_buf_clear(body);
  lvt_buf_reserve(body, h + k->llen + blank + (len - h - k->len) + 1);
  lvt_buf_add(body, src, h);
  lvt_buf_add(body, k->local, k->llen);
  memset(body->data + body->len, '\n', blank);
  body->len += blank;
  lvt_buf_add(body, src + h + k->len, len - h - k->len);
  *pre = k->split;
  *plen = k->slen;
  return 1;
}

/* =====================================================================
** Programs
** ===================================================================== */
static int check_opts(const LvtGenOpts *o, LvtErr *e) {
  if (o == NULL) return lvt_err_set(e, LVT_ERR_USAGE, "generator: no options");
  if ((unsigned)o->profile >= LVT_PROFILE__COUNT)
    return lvt_err_set(e, LVT_ERR_USAGE, "generator: unknown profile %d", (int)o->profile);
  if (o->features & ~(unsigned)LVT_GEN_F_ALL)
    return lvt_err_set(e, LVT_ERR_USAGE, "generator: unknown feature bits 0x%x",
                       o->features & ~(unsigned)LVT_GEN_F_ALL);
  if (o->max_bytes > ((size_t)1 << 24))
    return lvt_err_set(e, LVT_ERR_USAGE, "generator: max_bytes %zu is too large", o->max_bytes);
  return LVT_OK;
}

static void gen_setup(Gen *g, const LvtGenOpts *o, LvtBuf *out) {
  g->out = out;
  g->prof = o->profile;
  g->max_bytes = o->max_bytes ? o->max_bytes : 3072;
  g->nv = 0;
  g->lev = 0;
  memset(&g->fr[0], 0, sizeof g->fr[0]);
  g->mult = 1;
  g->total = 0;
  g->depth = 0;
  g->uid = 1;
  g->cp = 0;
  g->nlabels = 0;
}

/* Features: what the options allow and the profile can have; swarm mode
** (features == 0) draws a subset from the decisions, each group with
** probability 1/2. */
static void choose_features(Gen *g, const LvtGenOpts *o) {
  unsigned allowed = lvt_gen_profile_features(o->profile), f = 0, bit;
  if (o->features) {
    g->feat = o->features & allowed;
    return;
  }
  for (bit = 1; bit & LVT_GEN_F_ALL; bit <<= 1)
    if ((allowed & bit) && gen_pick(g, 2)) f |= bit;
  g->feat = f;
}

static void body(Gen *g) {
  size_t start = g->out->len;
  int i, n;
  g->size_cap = start + 2 * g->max_bytes;   /* a nested statement can be
                                            ** big: stop its blocks early */
  /* A few variables of every type to start from. */
  gen_stmt_top(g);
  while (g->out->len - start < g->max_bytes && g->total < GEN_MAX_COST) {
    if (g->bytes && g->exhausted) break;
    if (g->bytes && !gen_chance(g, 15, 16)) break;
    gen_stmt_top(g);
  }
  /* The last checkpoint: every live local of the main chunk. */
  n = 0;
  E(g, "CP(");
  gen_int(g, g->cp++);
  for (i = g->nv - 1; i >= 0 && n < 40; i--) {
    if (g->v[i].type == T_FN) continue;
    E(g, ", ");
    gen_name(g, &g->v[i]);
    n++;
  }
  E(g, ")\n");
}

static int generate(Gen *g, const LvtGenOpts *o, LvtBuf *out, const char *seedtxt) {
  lvt_buf_clear(out);
  lvt_buf_reserve(out, g->max_bytes + 4096);
  choose_features(g, o);
  header(g, o, seedtxt);
  prelude(g);
  body(g);
  return LVT_OK;
}

int lvt_gen_from_seed(const LvtGenOpts *o, uint64_t seed, LvtBuf *out, LvtErr *e) {
  Gen *g;
  uint64_t x = seed;
  char seedtxt[32];
  int rc = check_opts(o, e);
  if (rc) return rc;
  g = lvt_xcalloc(1, sizeof *g);
  gen_setup(g, o, out);
  g->s[0] = splitmix64(&x);
  g->s[1] = splitmix64(&x);
  g->s[2] = splitmix64(&x);
  g->s[3] = splitmix64(&x);
  snprintf(seedtxt, sizeof seedtxt, "0x%llx", (unsigned long long)seed);
  rc = generate(g, o, out, seedtxt);
  free(g);
  return rc;
}

uint64_t lvt_gen_bytes_hash(const uint8_t *data, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;   /* FNV-1a */
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= data[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

int lvt_gen_from_bytes(const LvtGenOpts *o, const uint8_t *data, size_t n,
                       LvtBuf *out, LvtErr *e) {
  Gen *g;
  char seedtxt[40];
  int rc = check_opts(o, e);
  if (rc) return rc;
  g = lvt_xcalloc(1, sizeof *g);
  gen_setup(g, o, out);
  g->bytes = 1;
  g->data = data;
  g->n = data ? n : 0;
  snprintf(seedtxt, sizeof seedtxt, "bytes:0x%llx",
           (unsigned long long)lvt_gen_bytes_hash(data, g->n));
  rc = generate(g, o, out, seedtxt);
  free(g);
  return rc;
}

/* =====================================================================
** Header parsing
** ===================================================================== */
/* The value of "key=" in the header line [p, end), or NULL. */
static const char *field(const char *p, const char *end, const char *key) {
  size_t k = strlen(key);
  while (p < end) {
    while (p < end && *p == ' ') p++;
    if ((size_t)(end - p) > k && memcmp(p, key, k) == 0 && p[k] == '=') return p + k + 1;
    while (p < end && *p != ' ') p++;
  }
  return NULL;
}

int lvt_gen_header_parse(const char *src, size_t len, LvtProfile *profile,
                         uint64_t *seed, unsigned *features) {
  static const char magic[] = "-- lvtest-gen 1 ";
  const char *end, *v;
  char tmp[32];
  size_t k;
  if (src == NULL || len < sizeof magic - 1 || memcmp(src, magic, sizeof magic - 1) != 0)
    return 0;
  end = memchr(src, '\n', len);
  if (end == NULL) end = src + len;
  if ((v = field(src + sizeof magic - 1, end, "profile")) != NULL) {
    for (k = 0; v + k < end && v[k] != ' ' && k < sizeof tmp - 1; k++) tmp[k] = v[k];
    tmp[k] = 0;
    if (lvt_profile_parse(tmp) < 0) return 0;
    if (profile) *profile = (LvtProfile)lvt_profile_parse(tmp);
  } else {
    return 0;
  }
  if ((v = field(src + sizeof magic - 1, end, "seed")) != NULL && seed) {
    if ((size_t)(end - v) > 6 && memcmp(v, "bytes:", 6) == 0) v += 6;
    *seed = strtoull(v, NULL, 0);
  }
  if ((v = field(src + sizeof magic - 1, end, "features")) != NULL && features)
    *features = (unsigned)strtoul(v, NULL, 0);
  return 1;
}

int lvt_gen_header_opts(const char *src, size_t len, LvtGenOpts *o, uint64_t *seed) {
  LvtProfile p = LVT_PROFILE_PORTABLE;
  unsigned f = 0;
  uint64_t sd = 0;
  const char *end, *v;
  if (!lvt_gen_header_parse(src, len, &p, &sd, &f)) return 0;
  lvt_gen_opts_init(o);
  o->profile = p;
  o->features = f;
  end = memchr(src, '\n', len);
  if (end == NULL) end = src + len;
  if ((v = field(src, end, "size")) != NULL) o->max_bytes = strtoul(v, NULL, 10);
  if (seed) *seed = sd;
  return 1;
}
