/*
** test_gen.c -- the generator: determinism from seeds and from bytes, the
** header round trip, options and profiles, swarm features, that the
** feature groups show up in what is generated, and that every byte string
** (empty, one byte, garbage) gives a program the reference runs to the
** end; the shape of the split form (lvt_gen_split: prelude chunk and
** body, line for line). That both forms run alike is test_gen_split.c.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lvt_gen.h"
#include "fuzz/lvt_meta.h"
#include "tests/tap.h"
#include "tests/unit/vm_fixture.h"
#include "vm/lvt_ref.h"

static int gen(LvtProfile p, uint64_t seed, unsigned features, LvtBuf *out) {
  LvtGenOpts o;
  LvtErr e = {0, ""};
  lvt_gen_opts_init(&o);
  o.profile = p;
  o.features = features;
  return lvt_gen_from_seed(&o, seed, out, &e);
}

static void determinism(void) {
  LvtBuf a = LVT_BUF_INIT, b = LVT_BUF_INIT;
  int p, same = 1, differ = 0, rc = 0;
  uint64_t s;
  for (p = 0; p < LVT_PROFILE__COUNT; p++) {
    for (s = 1; s <= 50; s++) {
      rc |= gen((LvtProfile)p, s, 0, &a);
      rc |= gen((LvtProfile)p, s, 0, &b);
      if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) same = 0;
      rc |= gen((LvtProfile)p, s + 1000, 0, &b);
      if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) differ++;
    }
  }
  TAP_IS_INT(rc, LVT_OK, "150 programs generated");
  TAP_OK(same, "same (profile, seed) -> same bytes");
  TAP_IS_INT(differ, 150, "different seeds -> different programs");

  /* Fixed bytes on every machine: a pinned hash of one program. */
  gen(LVT_PROFILE_PORTABLE, 42, 0, &a);
  TAP_OK(a.len > 500, "a program has some substance (%zu bytes)", a.len);
  TAP_OK(strncmp(a.data, "-- lvtest-gen 1 profile=portable seed=0x2a features=0x0 ", 56) == 0,
         "header line of seed 42");

  /* from bytes: deterministic, differs with the bytes */
  {
    LvtGenOpts o;
    LvtErr e = {0, ""};
    uint8_t d1[64], d2[64];
    int i;
    for (i = 0; i < 64; i++) {
      d1[i] = (uint8_t)(i * 37 + 11);
      d2[i] = (uint8_t)(i * 53 + 7);
    }
    lvt_gen_opts_init(&o);
    lvt_gen_from_bytes(&o, d1, sizeof d1, &a, &e);
    lvt_gen_from_bytes(&o, d1, sizeof d1, &b, &e);
    TAP_IS_MEM(a.data, a.len, b.data, b.len, "same bytes -> same program");
    lvt_gen_from_bytes(&o, d2, sizeof d2, &b, &e);
    TAP_OK(a.len != b.len || memcmp(a.data, b.data, a.len) != 0, "other bytes -> other program");
    TAP_OK(strstr(a.data, "seed=bytes:0x") != NULL, "the header says the program came from bytes");
  }
  lvt_buf_reset(&a);
  lvt_buf_reset(&b);
}

static void header(void) {
  LvtBuf a = LVT_BUF_INIT;
  LvtProfile p = LVT_PROFILE_PORTABLE;
  uint64_t seed = 0;
  unsigned f = 99;
  int i;
  for (i = 0; i < LVT_PROFILE__COUNT; i++) {
    gen((LvtProfile)i, 0xdeadbeefcafeULL + (uint64_t)i, i == 2 ? LVT_GEN_F_META : 0, &a);
    TAP_IS_INT(lvt_gen_header_parse(a.data, a.len, &p, &seed, &f), 1, "header of profile %d parses", i);
    TAP_IS_INT(p, i, "... profile round trip");
    TAP_OK(seed == 0xdeadbeefcafeULL + (uint64_t)i, "... seed round trip");
    TAP_IS_INT(f, i == 2 ? LVT_GEN_F_META : 0, "... features round trip");
  }
  {
    LvtBuf b = LVT_BUF_INIT;
    LvtGenOpts o;
    LvtErr e = {0, ""};
    /* regenerate from what the header says */
    lvt_gen_opts_init(&o);
    o.profile = p;
    o.features = f;
    lvt_gen_from_seed(&o, seed, &b, &e);
    TAP_IS_MEM(b.data, b.len, a.data, a.len, "header fields regenerate the same program");
    lvt_buf_reset(&b);
  }
  {
    LvtBuf b = LVT_BUF_INIT;
    LvtGenOpts o, back;
    LvtErr e = {0, ""};
    uint64_t sd = 0;
    lvt_gen_opts_init(&o);
    o.profile = LVT_PROFILE_53;
    o.max_bytes = 1500;
    o.features = LVT_GEN_F_STRING | LVT_GEN_F_META;
    lvt_gen_from_seed(&o, 777, &a, &e);
    TAP_IS_INT(lvt_gen_header_opts(a.data, a.len, &back, &sd), 1, "header -> options");
    TAP_OK(back.profile == o.profile && back.max_bytes == 1500 && back.features == o.features &&
           sd == 777, "... profile, size, features and seed come back");
    lvt_gen_from_seed(&back, sd, &b, &e);
    TAP_IS_MEM(b.data, b.len, a.data, a.len, "... and regenerate the program");
    TAP_IS_INT(lvt_gen_header_opts("x", 1, &back, &sd), 0, "no header -> 0");
    lvt_buf_reset(&b);
  }
  TAP_IS_INT(lvt_gen_header_parse("print(1)\n", 9, NULL, NULL, NULL), 0, "no header -> 0");
  TAP_IS_INT(lvt_gen_header_parse("-- lvtest-gen 1 profile=9.9 seed=1\n", 35, NULL, NULL, NULL), 0,
             "unknown profile -> 0");
  TAP_IS_INT(lvt_gen_header_parse("-- lvtest-gen", 13, NULL, NULL, NULL), 0, "truncated -> 0");
  {
    uint8_t d[3] = {1, 2, 3};
    LvtGenOpts o;
    LvtErr e = {0, ""};
    lvt_gen_opts_init(&o);
    o.profile = LVT_PROFILE_53;
    lvt_gen_from_bytes(&o, d, 3, &a, &e);
    seed = 0;
    TAP_IS_INT(lvt_gen_header_parse(a.data, a.len, &p, &seed, NULL), 1, "bytes header parses");
    TAP_OK(seed == lvt_gen_bytes_hash(d, 3) && p == LVT_PROFILE_53, "... with the hash of the bytes");
  }
  lvt_buf_reset(&a);
}

static void options(void) {
  LvtBuf a = LVT_BUF_INIT;
  LvtGenOpts o;
  LvtErr e = {0, ""};
  LvtVmInfo vi;
  LvtBuf why = LVT_BUF_INIT;
  int d;
  lvt_gen_opts_init(&o);
  TAP_IS_INT(o.profile, LVT_PROFILE_PORTABLE, "default profile portable");
  o.profile = (LvtProfile)7;
  TAP_IS_INT(lvt_gen_from_seed(&o, 1, &a, &e), LVT_ERR_USAGE, "unknown profile -> usage error");
  lvt_gen_opts_init(&o);
  o.features = 1u << 30;
  TAP_IS_INT(lvt_gen_from_seed(&o, 1, &a, &e), LVT_ERR_USAGE, "unknown feature bit -> usage error");
  TAP_OK(strstr(e.msg, "feature") != NULL, "... says so (%s)", e.msg);

  TAP_IS_STR(lvt_profile_name(LVT_PROFILE_53), "5.3", "profile name 5.3");
  TAP_IS_INT(lvt_profile_parse("portable"), LVT_PROFILE_PORTABLE, "parse portable");
  TAP_IS_INT(lvt_profile_parse("5.4"), LVT_PROFILE_54, "parse 5.4");
  TAP_IS_INT(lvt_profile_parse("5.2"), -1, "parse 5.2 -> -1");
  TAP_IS_STR(lvt_gen_feature_name(LVT_GEN_F_COROUTINE), "coroutine", "feature name");
  TAP_OK(lvt_gen_feature_name(1u << 25) == NULL, "unknown feature name -> NULL");

  memset(&vi, 0, sizeof vi);
  {
    static const int expect[6][3] = {
      /* dialect:     portable 5.3 5.4 */
      /* unknown */  {0, 0, 0}, /* 5.1 */ {1, 0, 0}, /* 5.2 */ {1, 0, 0},
      /* 5.3 */      {1, 1, 0}, /* 5.4 */ {1, 1, 1}, /* luajit */ {1, 0, 0},
    };
    int ok = 1;
    for (d = 0; d <= LVT_DIALECT_LUAJIT; d++) {
      int p;
      vi.dialect = (LvtDialect)d;
      for (p = 0; p < 3; p++)
        if (lvt_profile_runs_on((LvtProfile)p, &vi, &why) != expect[d][p]) ok = 0;
    }
    TAP_OK(ok, "runs_on: portable everywhere, 5.3 on 5.3/5.4, 5.4 on 5.4 only");
    lvt_buf_clear(&why);
    vi.dialect = LVT_DIALECT_51;
    lvt_profile_runs_on(LVT_PROFILE_54, &vi, &why);
    TAP_OK(strstr(lvt_buf_str(&why), "5.1") != NULL, "... and says why (%s)", lvt_buf_str(&why));
    /* What a program uses counts too: the gc group needs a collector. */
    {
      LvtGenOpts go;
      LvtBuf prog = LVT_BUF_INIT;
      LvtErr ge = {0, ""};
      lvt_gen_opts_init(&go);
      go.profile = LVT_PROFILE_53;
      go.features = LVT_GEN_F_GC | LVT_GEN_F_ARITH;
      vi.dialect = LVT_DIALECT_53;
      vi.caps = LVT_CAP_INTEGER;   /* no LVT_CAP_GC: fengari */
      if (TAP_OK(lvt_gen_from_seed(&go, 5, &prog, &ge) == LVT_OK, "a gc program (%s)", ge.msg)) {
        lvt_buf_clear(&why);
        TAP_IS_INT(lvt_gen_runs_on(prog.data, prog.len, LVT_PROFILE_53, &vi, &why), 0,
                   "a program of the gc group does not run on a VM without a collector");
        TAP_OK(strstr(lvt_buf_str(&why), "collectgarbage") != NULL, "... and says why (%s)",
               lvt_buf_str(&why));
        vi.caps |= LVT_CAP_GC;
        TAP_IS_INT(lvt_gen_runs_on(prog.data, prog.len, LVT_PROFILE_53, &vi, NULL), 1,
                   "... and does on one with it");
      }
      go.features = LVT_GEN_F_ARITH;
      vi.caps = LVT_CAP_INTEGER;
      if (lvt_gen_from_seed(&go, 5, &prog, &ge) == LVT_OK)
        TAP_IS_INT(lvt_gen_runs_on(prog.data, prog.len, LVT_PROFILE_53, &vi, NULL), 1,
                   "a program without the gc group runs on a VM without a collector");
      lvt_buf_reset(&prog);
    }
  }
  TAP_OK((lvt_gen_profile_features(LVT_PROFILE_PORTABLE) & (LVT_GEN_F_GOTO | LVT_GEN_F_BITOPS)) == 0,
         "portable has no goto, no bitwise operators");
  TAP_OK(lvt_gen_profile_features(LVT_PROFILE_54) == LVT_GEN_F_ALL, "5.4 has every group");

  /* max_bytes is a soft target: programs grow with it */
  {
    size_t small = 0, big = 0;
    uint64_t s;
    lvt_gen_opts_init(&o);
    for (s = 1; s <= 20; s++) {
      o.max_bytes = 1024;
      lvt_gen_from_seed(&o, s, &a, &e);
      small += a.len;
      o.max_bytes = 8192;
      lvt_gen_from_seed(&o, s, &a, &e);
      big += a.len;
    }
    TAP_OK(big > 3 * small / 2, "max_bytes 8192 gives bigger programs than 1024 (%zu vs %zu)", big, small);
    TAP_OK(small / 20 < 6000, "... and 1024 stays small (avg %zu)", small / 20);
  }
  lvt_buf_reset(&a);
  lvt_buf_reset(&why);
}

/* Markers of each feature group: text only that group writes. */
typedef struct Marker {
  unsigned f;
  const char *text;
} Marker;

static const Marker markers[] = {
  {LVT_GEN_F_ARITH, "1e300"}, {LVT_GEN_F_INTDIV, "// 0.0)"}, {LVT_GEN_F_BITOPS, " >> "},
  {LVT_GEN_F_COMPARE, "(0/0) ~= (0/0)"}, {LVT_GEN_F_STRING, "):gsub("},
  {LVT_GEN_F_TABLE, "table.sort("}, {LVT_GEN_F_MATH, "math.fmod("},
  {LVT_GEN_F_UTF8, "utf8.codes("}, {LVT_GEN_F_META, ".__concat = "},
  {LVT_GEN_F_CLOSURE, "(s) local c = s return function(d)"},
  {LVT_GEN_F_VARARG, "(...) local n = select"}, {LVT_GEN_F_GOTO, "goto L"},
  {LVT_GEN_F_NUMFOR, ", 0.5 do"}, {LVT_GEN_F_GENFOR, "in function(st, c)"},
  {LVT_GEN_F_COROUTINE, "coroutine.wrap("}, {LVT_GEN_F_ERROR, "xpcall("},
  {LVT_GEN_F_CLOSE, "<close>"}, {LVT_GEN_F_PACK, "string.pack"},
  {LVT_GEN_F_RECURSION, " <= 0 or "}, {LVT_GEN_F_GC, "__gc = "},
  {LVT_GEN_F_CONCAT, "return \"\" .. "},
};
#define NMARK (sizeof markers / sizeof *markers)

static void features(void) {
  LvtBuf a = LVT_BUF_INIT;
  size_t seen[NMARK], seen_off[NMARK], i;
  unsigned masks_or = 0, masks_and = LVT_GEN_F_ALL, distinct = 0, last = 0;
  uint64_t s;
  memset(seen, 0, sizeof seen);
  memset(seen_off, 0, sizeof seen_off);
  /* 1,000 programs per profile in swarm mode */
  for (s = 1; s <= 3000; s++) {
    LvtProfile p = (LvtProfile)(s % 3);
    unsigned en = 0;
    const char *q;
    gen(p, s, 0, &a);
    q = strstr(a.data, "enabled=0x");
    if (q) en = (unsigned)strtoul(q + 10, NULL, 16);
    masks_or |= en;
    masks_and &= en;
    if (en != last) distinct++;
    last = en;
    for (i = 0; i < NMARK; i++) {
      if (strstr(a.data, markers[i].text) == NULL) continue;
      if (en & markers[i].f) seen[i]++;
      else seen_off[i]++;
    }
  }
  for (i = 0; i < NMARK; i++) {
    TAP_OK(seen[i] >= 5, "feature %s appears (%zu of 3000 programs)",
           lvt_gen_feature_name(markers[i].f), seen[i]);
    TAP_IS_INT(seen_off[i], 0, "feature %s never appears when swarm left it out",
               lvt_gen_feature_name(markers[i].f));
  }
  TAP_IS_INT(masks_or, LVT_GEN_F_ALL, "swarm enables every group somewhere");
  TAP_IS_INT(masks_and, 0, "swarm leaves every group out somewhere");
  TAP_OK(distinct > 1000, "swarm masks vary (%u changes)", distinct);

  /* a fixed mask is respected */
  {
    int bad = 0;
    for (s = 1; s <= 200; s++) {
      gen(LVT_PROFILE_54, s, LVT_GEN_F_ARITH | LVT_GEN_F_TABLE, &a);
      if (strstr(a.data, "coroutine.") || strstr(a.data, "__index") || strstr(a.data, "goto "))
        bad++;
    }
    TAP_IS_INT(bad, 0, "features=arith|table: no coroutines, metatables or goto");
    gen(LVT_PROFILE_PORTABLE, 3, LVT_GEN_F_ALL, &a);
    TAP_OK(strstr(a.data, "enabled=0x") && strtoul(strstr(a.data, "enabled=0x") + 10, NULL, 16) ==
               lvt_gen_profile_features(LVT_PROFILE_PORTABLE),
           "features=all on portable: what the profile allows");
  }
  lvt_buf_reset(&a);
}

/* Every byte string gives a program the reference runs to the end. */
static void bytes_valid(void) {
  LvtBuf a = LVT_BUF_INIT;
  LvtVm *vm = NULL;
  LvtVmConfig cfg;
  LvtLimits lim;
  LvtErr e = {0, ""};
  LvtRun r;
  int i, bad = 0, total = 0;
  uint64_t x = 0x1234567;
  memset(&cfg, 0, sizeof cfg);
  cfg.name = "ref";
  cfg.backend = LVT_BACKEND_REF;
  cfg.dialect = -1;
  if (!TAP_OK(lvt_vm_open(&vm, &cfg, &e) == LVT_OK, "open the reference")) {
    printf("#   %s\n", e.msg);
    return;
  }
  lvt_limits_default(&lim);
  lim.timeout_ms = 10000;
  lim.deterministic = 1;
  lvt_run_init(&r);
  for (i = 0; i < 300; i++) {
    uint8_t d[512];
    size_t n, k;
    LvtGenOpts o;
    LvtProgram prog;
    if (i == 0) n = 0;
    else if (i < 4) n = 1;
    else n = (size_t)(i * 7) % sizeof d;
    for (k = 0; k < n; k++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      d[k] = (uint8_t)(i < 4 ? i * 85 : (int)(x >> 56));
    }
    lvt_gen_opts_init(&o);
    o.profile = (LvtProfile)(i % 3);
    lvt_gen_from_bytes(&o, n ? d : NULL, n, &a, &e);
    prog.name = "bytes.lua";
    prog.src = a.data;
    prog.len = a.len;
    prog.prelude = NULL;
    total++;
    if (lvt_vm_run(vm, &prog, &lim, &r, &e) != LVT_OK || r.outcome != LVT_RUN_OK ||
        r.out.len == 0) {
      if (bad++ < 5)
        printf("#   byte string %d (%zu bytes, profile %s): outcome %s %s\n", i, n,
               lvt_profile_name(o.profile), lvt_outcome_name(r.outcome), lvt_buf_str(&r.err_value));
    }
  }
  TAP_IS_INT(bad, 0, "%d byte strings (empty, 1 byte, garbage) -> programs that run ok and print", total);
  lvt_run_reset(&r);
  lvt_vm_close(vm);
  lvt_buf_reset(&a);
}

/* Free of unspecified behaviour: the reference prints the same under
** other hash seeds (table order) and other collector modes (finalizer and
** weak-table timing), which is how the fuzz oracle drops noise. */
static void unspecified(void) {
  static const struct { unsigned seed; LvtRefGc gc; } cfg[] = {
    {1, LVT_REF_GC_INC}, {0x9e3779b9u, LVT_REF_GC_GEN}, {77, LVT_REF_GC_INC_STRESS},
    {123456789u, LVT_REF_GC_GEN_STRESS},
  };
  LvtRef *ref = NULL;
  LvtErr e = {0, ""};
  LvtLimits lim;
  LvtRun r;
  LvtBuf a = LVT_BUF_INIT, first = LVT_BUF_INIT;
  int differ = 0, bad = 0, n = 0, skipped = 0;
  uint64_t s;
  if (!TAP_OK(lvt_ref_open(&ref, NULL, &e) == LVT_OK, "open the reference directly")) {
    printf("#   %s\n", e.msg);
    return;
  }
  lvt_limits_default(&lim);
  lim.timeout_ms = 10000;
  lvt_run_init(&r);
#ifdef SANITIZED
  const uint64_t nprog = 150;   /* the stress GC modes are slow under ASan */
#else
  const uint64_t nprog = 450;
#endif
  for (s = 1; s <= nprog; s++) {
    LvtProgram prog;
    size_t c;
    gen((LvtProfile)(s % 3), 0xabc000 + s, 0, &a);
#ifdef SANITIZED
    /* UBSan stops the process on Lua 5.4.4's own UB in constant folding
    ** of 'x >> mininteger' (see test_gen_valid): not this test's subject */
    if (strstr(a.data, "0x8000000000000000")) {
      skipped++;
      continue;
    }
#endif
    prog.name = "gen.lua";
    prog.src = a.data;
    prog.len = a.len;
    prog.prelude = NULL;
    n++;
    for (c = 0; c < sizeof cfg / sizeof *cfg; c++) {
      lvt_ref_set_hash_seed(ref, cfg[c].seed);
      lvt_ref_set_gc(ref, cfg[c].gc);
      if (lvt_ref_run(ref, &prog, &lim, &r, &e) != LVT_OK || r.outcome != LVT_RUN_OK) {
        if (bad++ < 3) printf("#   seed 0x%llx: outcome %s\n", (unsigned long long)(0xabc000 + s),
                              lvt_outcome_name(r.outcome));
        break;
      }
      if (c == 0) {
        lvt_buf_set(&first, r.out.data, r.out.len);
      } else if (r.out.len != first.len || memcmp(r.out.data, first.data, first.len) != 0) {
        if (differ++ < 3)
          printf("#   seed 0x%llx profile %s: output changes with hash seed %u / gc %s\n",
                 (unsigned long long)(0xabc000 + s), lvt_profile_name((LvtProfile)(s % 3)),
                 cfg[c].seed, lvt_ref_gc_name(cfg[c].gc));
        break;
      }
    }
  }
  if (skipped) printf("# %d programs left out under the sanitizers\n", skipped);
  TAP_IS_INT(bad, 0, "%d programs run ok on the reference under 4 seeds/GC modes", n);
  TAP_IS_INT(differ, 0, "... and print the same under every hash seed and GC mode");
  lvt_run_reset(&r);
  lvt_ref_close(ref);
  lvt_buf_reset(&a);
  lvt_buf_reset(&first);
}

/* =====================================================================
** The split form (lvt_gen_split)
** ===================================================================== */

/* Line 'k' (1-based) of 's' without its LF in '*n'; NULL past the end. */
static const char *line_at(const char *s, size_t len, size_t k, size_t *n) {
  const char *p = s, *end = s + len, *eol;
  while (--k > 0) {
    eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) return NULL;
    p = eol + 1;
  }
  if (p >= end) return NULL;
  eol = memchr(p, '\n', (size_t)(end - p));
  *n = eol != NULL ? (size_t)(eol - p) : (size_t)(end - p);
  return p;
}

static size_t lines_of(const char *s, size_t len) {
  size_t k = 0, i;
  for (i = 0; i < len; i++) k += s[i] == '\n';
  return k + (len > 0 && s[len - 1] != '\n');
}

static int line_is(const char *s, size_t len, size_t k, const char *want, size_t wn) {
  size_t n;
  const char *l = line_at(s, len, k, &n);
  return l != NULL && n == wn && memcmp(l, want, n) == 0;
}

/* The locals each profile's prelude declares, in the generator's order
** (written out here, not taken from lvt_gen.c). */
static const char names_portable[] =
  "floor, huge, fmt, byte, char, unpack, P, Z, HS, HF, HN, S, M, W, HV, CP, PR";
static const char names_53[] =
  "floor, huge, fmt, byte, char, unpack, P, Z, HS, mtype, toint, maxi, mini, HN, S, I, M, W, "
  "HV, CP, PR";

/* Checks the split of program 'src' (profile 'p'); returns "" when it has
** the promised shape, else what is wrong (a static string). */
static const char *split_shape(const char *src, size_t len, LvtProfile p, LvtBuf *body) {
  const char *pre = NULL, *l;
  size_t plen = 0, np, k, n, total = lines_of(src, len);
  char decl[256], ret[256];
  const char *names = p == LVT_PROFILE_PORTABLE ? names_portable : names_53;
  if (lvt_gen_split(src, len, &pre, &plen, body) != 1) return "lvt_gen_split returned 0";
  if (pre == NULL || plen == 0 || pre[0] != '\n' || pre[plen - 1] != '\n')
    return "the prelude chunk does not start with an empty line and end with a LF";
  np = lines_of(pre, plen);   /* empty line, prelude lines 2 .. np-1, return */
  snprintf(decl, sizeof decl, "local %s = ...", names);
  snprintf(ret, sizeof ret, "return %s", names);
  if (!line_is(pre, plen, np, ret, strlen(ret))) return "the prelude chunk's last line";
  for (k = 2; k < np; k++) {
    if ((l = line_at(pre, plen, k, &n)) == NULL || !line_is(src, len, k, l, n))
      return "a prelude line differs from the program's line of that number";
  }
  if (lines_of(body->data, body->len) != total) return "the body's line count";
  if ((l = line_at(src, len, 1, &n)) == NULL || !line_is(body->data, body->len, 1, l, n))
    return "the body's header line";
  if (!line_is(body->data, body->len, 2, decl, strlen(decl))) return "the body's line 2";
  for (k = 3; k < np; k++)
    if (!line_is(body->data, body->len, k, "", 0)) return "a body line in place of the prelude is not empty";
  for (k = np; k <= total; k++) {
    if ((l = line_at(src, len, k, &n)) == NULL || !line_is(body->data, body->len, k, l, n))
      return "a body line after the prelude differs from the program's";
  }
  if ((src[len - 1] == '\n') != (body->data[body->len - 1] == '\n'))
    return "the body does not end as the program does";
  return "";
}

static void split(void) {
  LvtBuf a = LVT_BUF_INIT, body = LVT_BUF_INIT, v = LVT_BUF_INIT;
  const char *pre = NULL;
  size_t plen = 0;
  int p, i, bad = 0, n = 0;
  LvtErr e = {0, ""};
  /* Every profile, from seeds and from bytes, small and big. */
  for (p = 0; p < LVT_PROFILE__COUNT; p++) {
    for (i = 0; i < 60; i++) {
      LvtGenOpts o;
      const char *why;
      lvt_gen_opts_init(&o);
      o.profile = (LvtProfile)p;
      o.max_bytes = i % 3 == 0 ? 512 : i % 3 == 1 ? 3072 : 12000;
      if (i < 40) {
        lvt_gen_from_seed(&o, 0x5917000 + (uint64_t)i, &a, &e);
      } else {
        uint8_t d[300];
        size_t k, nb = (size_t)(i - 40) * 15;
        for (k = 0; k < nb; k++) d[k] = (uint8_t)(k * 131 + (size_t)i * 7);
        lvt_gen_from_bytes(&o, nb ? d : NULL, nb, &a, &e);
      }
      n++;
      why = split_shape(a.data, a.len, (LvtProfile)p, &body);
      if (*why && bad++ < 5)
        printf("#   profile %s, program %d: %s\n", lvt_profile_name((LvtProfile)p), i, why);
    }
  }
  TAP_IS_INT(bad, 0, "%d programs (3 profiles, seeds and bytes) split into a prelude and a body "
             "line for line", n);

  /* Not split: no header, a prelude changed by one byte, a program cut
  ** inside its prelude, a metamorphic variant. */
  gen(LVT_PROFILE_53, 77, 0, &a);
  {
    const char *nl = memchr(a.data, '\n', a.len);
    size_t h = (size_t)(nl - a.data) + 1, plines;
    static const char hand[] = "print(1)\n";
    TAP_IS_INT(lvt_gen_split(hand, sizeof hand - 1, &pre, &plen, &body), 0,
               "a hand-written program is not split");
    TAP_IS_INT(lvt_gen_split(a.data + h, a.len - h, &pre, &plen, &body), 0,
               "a program without its header line is not split");
    TAP_IS_INT(lvt_gen_split(a.data, a.len, &pre, &plen, &body), 1, "the program itself is");
    {   /* the prelude's bytes in the program: the chunk minus its first
        ** LF and its return line */
      const char *last = pre + plen - 1;
      while (last > pre && last[-1] != '\n') last--;
      plines = (size_t)(last - pre) - 1;
    }
    for (i = 0, bad = 0; i < 64; i++) {
      size_t at = h + (size_t)i * plines / 64;
      lvt_buf_set(&v, a.data, a.len);
      v.data[at] = v.data[at] == 'x' ? 'y' : 'x';
      if (lvt_gen_split(v.data, v.len, &pre, &plen, &body) != 0) bad++;
    }
    TAP_IS_INT(bad, 0, "a prelude with one byte changed (64 places) is not split");
    for (i = 0, bad = 0; i < 64; i++) {
      size_t cut = i == 0 ? h - 1 : h + (size_t)(i - 1) * plines / 63;
      if (cut >= h + plines) cut = h + plines - 1;
      if (lvt_gen_split(a.data, cut, &pre, &plen, &body) != 0) bad++;
    }
    TAP_IS_INT(bad, 0, "a program cut inside its header or prelude (64 places) is not split");
    TAP_IS_INT(lvt_gen_split(a.data, h + plines, &pre, &plen, &body), 1,
               "a program cut right after its prelude (an empty body) is");
    TAP_OK(body.len == h + strlen("local  = ...\n") + strlen(names_53) + (lines_of(pre, plen) - 3),
           "... into the header, the names and empty lines (%zu bytes)", body.len);
    TAP_IS_INT((int)lvt_gen_prelude_end(a.data, a.len), (int)(h + plines),
               "lvt_gen_prelude_end: after the header and prelude");
  }
  {
    size_t end = lvt_gen_prelude_end(a.data, a.len);
    const char *nl = memchr(a.data, '\n', a.len);
    size_t hl = nl != NULL ? (size_t)(nl - a.data) + 1 : 0;
    TAP_IS_INT((int)lvt_gen_prelude_end(a.data + hl, a.len - hl), 0,
               "lvt_gen_prelude_end: 0 without the header");
    TAP_IS_INT((int)lvt_gen_prelude_end(a.data, end - 1), 0,
               "lvt_gen_prelude_end: 0 for a prelude cut short");
    if (TAP_OK(lvt_meta_variant(a.data, a.len, LVT_PROFILE_53, 0, 77, 1, &v, NULL, &e) == LVT_OK,
               "a metamorphic variant of it is made%s%s", e.msg[0] ? ": " : "", e.msg)) {
      TAP_OK(v.len > end && memcmp(v.data, a.data, end) == 0,
             "the variant keeps the header and prelude byte for byte (%zu bytes)", end);
      TAP_OK(v.len - end != a.len - end || memcmp(v.data + end, a.data + end, a.len - end) != 0,
             "... and rewrites the body");
      TAP_IS_INT(lvt_gen_split(v.data, v.len, &pre, &plen, &body), 1,
                 "so the variant has a split form too");
    }
  }
  lvt_buf_reset(&a);
  lvt_buf_reset(&body);
  lvt_buf_reset(&v);
}

int main(void) {
  determinism();
  header();
  split();
  options();
  features();
  bytes_valid();
  unspecified();
  return tap_done();
}
