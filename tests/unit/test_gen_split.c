/*
** test_gen_split.c -- the split form of generated programs behaves as the
** whole program on every real VM. The fuzz loop sends a program's first
** run as lvt_gen_split gives it (the prelude as a chunk of its own, which
** the VM keeps compiled, and the body taking the prelude's locals as
** '...'); a finding is recorded, confirmed and reproduced whole. So the
** two forms must give the same result: outcome, output, error type and
** error value, line numbers included. Checked on the linked-in reference
** and lua5.1, lua5.2, lua5.3, lua5.4 and luajit as child processes (each
** VM that implements the program's profile):
**  - generated programs of each profile, as made and with an ending that
**    raises an error on the last line, inside a prelude helper, or cuts
**    the program short (a syntax error at the end of the chunk);
**  - hand-made programs in the generator's shape (header, prelude, body)
**    whose errors carry known line numbers, in the body and in the
**    prelude.
** A failure names the VM, the profile, the seed and both results.
** LVT_GEN_SPLIT_N=N changes the number of generated programs per profile.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lvt_gen.h"
#include "tests/tap.h"
#include "tests/unit/vm_fixture.h"

#define CHUNK "program.lua"   /* the chunk name the fuzz loop gives */
#define MAXVM 6

static LvtVm *vms[MAXVM];
static size_t nvm;
static LvtLimits lim;
static LvtRun whole, split;
static LvtBuf body;
static int shown;             /* differences shown so far (at most 10) */

/* =====================================================================
** Both forms of one program
** ===================================================================== */

/* Runs 'src' whole and split on 'vm' into 'whole' and 'split'. Returns 1
** when the results are the same, 0 when not (both shown, with 'what'),
** -1 when 'src' has no split form or lvtest failed to run it. */
static int both_forms(LvtVm *vm, const char *src, size_t len, const char *what) {
  LvtProgram w = {CHUNK, src, len, NULL, 0}, s = {CHUNK, NULL, 0, NULL, 0};
  LvtErr e = {0, ""};
  if (!lvt_gen_split(src, len, &s.prelude, &s.prelude_len, &body)) {
    if (shown++ < 10) printf("#   %s: no split form\n", what);
    return -1;
  }
  s.src = body.data;
  s.len = body.len;
  if (lvt_vm_run(vm, &w, &lim, &whole, &e) != LVT_OK ||
      lvt_vm_run(vm, &s, &lim, &split, &e) != LVT_OK) {
    if (shown++ < 10) printf("#   %s on %s: %s\n", what, vm->name, e.msg);
    return -1;
  }
  if (runs_equal(&whole, &split)) return 1;
  if (shown++ < 10) {
    printf("#   %s on %s: the forms differ\n", what, vm->name);
    show_run("whole", &whole);
    show_run("split", &split);
  }
  return 0;
}

/* =====================================================================
** Generated programs
** ===================================================================== */

/* What is appended to (or cut from) a generated program, by its index. */
enum { END_ASIS, END_ERROR, END_HELPER, END_CUT, NENDS };

/* Program 'i' of profile 'p' into 'a': generated from a seed, then given
** its ending. */
static void program(LvtProfile p, unsigned i, uint64_t seed, LvtBuf *a) {
  LvtGenOpts o;
  LvtErr e = {0, ""};
  lvt_gen_opts_init(&o);
  o.profile = p;
  lvt_gen_from_seed(&o, seed, a, &e);
  switch (i % NENDS) {
    case END_ERROR:   /* an error raised on the last line, with its number */
      lvt_buf_adds(a, "error(\"end \" .. S(7))\n");
      break;
    case END_HELPER:   /* raised inside HS, on a prelude line */
      lvt_buf_adds(a, "CP(99, HS(0, nil))\n");
      break;
    case END_CUT: {   /* a third of the program gone: most often a syntax error */
      size_t cut = a->len - a->len / 3;
      a->len = cut;
      a->data[cut] = '\0';
      break;
    }
    default: break;
  }
}

static void generated(unsigned n) {
  static const char *const endings[NENDS] = {"as made", "an error on the last line",
                                             "an error in a prelude helper", "cut short"};
  int p;
  for (p = 0; p < LVT_PROFILE__COUNT; p++) {
    LvtBuf a = LVT_BUF_INIT;
    unsigned i, runs = 0, differ = 0, failed = 0, lined = 0, on = 0;
    unsigned tried[NENDS] = {0}, errors[NENDS] = {0};
    const char *pn = lvt_profile_name((LvtProfile)p);
    size_t k;
    for (k = 0; k < nvm; k++) on += lvt_profile_runs_on((LvtProfile)p, &vms[k]->info, NULL);
    for (i = 0; i < n; i++) {
      uint64_t seed = 0x5b1170000ULL + (uint64_t)p * 100000 + i;
      char what[96];
      program((LvtProfile)p, i, seed, &a);
      snprintf(what, sizeof what, "profile %s seed 0x%llx (%s)", pn, (unsigned long long)seed,
               endings[i % NENDS]);
      for (k = 0; k < nvm; k++) {
        int r;
        if (!lvt_gen_runs_on(a.data, a.len, (LvtProfile)p, &vms[k]->info, NULL)) continue;
        r = both_forms(vms[k], a.data, a.len, what);
        runs++;
        tried[i % NENDS]++;
        if (r < 0) failed++;
        else if (r == 0) differ++;
        else if (whole.outcome == LVT_RUN_ERROR) {
          errors[i % NENDS]++;
          if (strstr(lvt_buf_str(&whole.err_value), CHUNK ":") != NULL) lined++;
        }
      }
    }
    TAP_IS_INT(failed, 0, "profile %s: %u programs split and ran on %u VMs (%u runs of each "
               "form)", pn, n, on, runs);
    TAP_IS_INT(differ, 0, "profile %s: whole and split give the same results", pn);
    /* (what was compared: ok runs as made, errors with line numbers) */
    TAP_OK(errors[END_ASIS] == 0 && errors[END_ERROR] == tried[END_ERROR] &&
           errors[END_HELPER] == tried[END_HELPER] && errors[END_CUT] * 2 > tried[END_CUT] &&
           lined >= errors[END_ERROR] + errors[END_HELPER] + errors[END_CUT],
           "profile %s: ... as made ok; with an error added, errors (%u on the last line, %u in "
           "a helper, %u of %u cut short; %u with a line number)", pn, errors[END_ERROR],
           errors[END_HELPER], errors[END_CUT], tried[END_CUT], lined);
    lvt_buf_reset(&a);
  }
}

/* =====================================================================
** Hand-made programs in the generator's shape
** ===================================================================== */

typedef struct Case {
  const char *what;
  const char *body;      /* after the prelude */
  LvtOutcome want;
  int line;              /* the error's line: > 0 a line of the body (1 =
                         ** its first), < 0 the program's line -line; 0
                         ** none expected */
  const char *has;       /* in the error value (or, outcome ok, the
                         ** output), or NULL */
} Case;

/* HS is the prelude's lines 5-8 (after the header line): its '#s' is on
** line 6 of every profile's program. */
static const Case cases[] = {
  {"a runtime error on a body line", "CP(1, S(1))\nlocal t = nil\nlocal x = t.k\n",
   LVT_RUN_ERROR, 3, "'t'"},
  {"error() with a message", "CP(1, S(2))\n\nerror(\"boom \" .. S(3))\n", LVT_RUN_ERROR, 3,
   "boom 3"},
  {"error() at level 2 names the caller's line",
   "local function g() error(\"lvl\", 2) end\n\n\ng()\n", LVT_RUN_ERROR, 4, "lvl"},
  {"HS with a nil string: raised on the prelude's line 6",
   "CP(1, HS(0, \"ab\"))\nCP(2, HS(0, nil))\n", LVT_RUN_ERROR, -6, "length"},
  {"... caught by pcall, the message printed",
   "print(select(2, pcall(HS, 0, nil)))\nCP(1, 1)\n", LVT_RUN_OK, 0, CHUNK ":6:"},
  {"a library error inside a prelude helper (S of a table)", "\nCP(1, S({}))\n",
   LVT_RUN_ERROR, 0, "bad argument"},
  {"a function of the body fails on a helper's result",
   "local function f(v) return v.x end\nCP(1, f(HV(0, {}, 0)))\n", LVT_RUN_ERROR, 1, "'v'"},
  {"an error value that is a table, through PR", "PR(1, pcall(error, {code = 5}))\n"
   "error(setmetatable({code = 6}, {__tostring = function(t) return \"code \" .. t.code end}))\n",
   LVT_RUN_ERROR, 0, "code 6"},
  {"a syntax error in the body", "CP(1, 1)\nlocal x = = 1\n", LVT_RUN_ERROR, 2, "'='"},
  {"a function left open: the error is at the end of the chunk",
   "local function f()\n  CP(1, 1)\n", LVT_RUN_ERROR, 3, "end"},
  {"the prelude's locals are the body's: reassigned, shadowed",
   "S = function(x) return \"s\" .. x end\nprint(S(4))\nlocal HS = 1\nprint(HS, W(5))\n",
   LVT_RUN_OK, 0, "s4\n1\t5\n"},
};
#define NCASES (sizeof cases / sizeof cases[0])

/* The error value (or output) of case 'c' as it must read; 'body1' is the
** program's line of the body's first line. Returns 1 when it does. */
static int case_holds(const Case *c, const LvtRun *r, size_t body1) {
  const char *v = lvt_buf_str(c->want == LVT_RUN_OK ? &r->out : &r->err_value);
  char at[64];
  if (r->outcome != c->want) return 0;
  if (c->has != NULL && strstr(v, c->has) == NULL) return 0;
  if (c->line == 0) return c->want == LVT_RUN_OK || strcmp(r->err_type, "table") == 0 ||
                           strncmp(v, CHUNK ":", sizeof CHUNK) == 0;
  snprintf(at, sizeof at, CHUNK ":%zu:", c->line > 0 ? body1 + (size_t)c->line - 1 : (size_t)-c->line);
  return strncmp(v, at, strlen(at)) == 0;
}

static void hand_made(void) {
  LvtBuf a = LVT_BUF_INIT, head = LVT_BUF_INIT;
  int p;
  shown = 0;
  for (p = 0; p < LVT_PROFILE__COUNT; p++) {
    LvtGenOpts o;
    LvtErr e = {0, ""};
    const char *pre = NULL, *last, *nl;
    size_t plen = 0, body1 = 1, i, k;
    /* The header and prelude of a generated program of the profile. */
    lvt_gen_opts_init(&o);
    o.profile = (LvtProfile)p;
    lvt_gen_from_seed(&o, 1, &a, &e);
    if (!TAP_OK(lvt_gen_split(a.data, a.len, &pre, &plen, &body), "profile %s: a program to "
                "take the header and prelude from", lvt_profile_name(o.profile)))
      continue;
    nl = memchr(a.data, '\n', a.len);
    last = pre + plen - 1;
    while (last[-1] != '\n') last--;   /* the chunk's return line */
    lvt_buf_set(&head, a.data, (size_t)(nl - a.data) + 1);
    lvt_buf_add(&head, pre + 1, (size_t)(last - pre) - 1);
    for (k = 0; k < head.len; k++) body1 += head.data[k] == '\n';
    for (i = 0; i < NCASES; i++) {
      const Case *c = &cases[i];
      lvt_buf_set(&a, head.data, head.len);
      lvt_buf_adds(&a, c->body);
      for (k = 0; k < nvm; k++) {
        char what[160];
        int r;
        if (!lvt_profile_runs_on(o.profile, &vms[k]->info, NULL)) continue;
        snprintf(what, sizeof what, "profile %s: %s", lvt_profile_name(o.profile), c->what);
        r = both_forms(vms[k], a.data, a.len, what);
        if (!TAP_OK(r == 1 && case_holds(c, &whole, body1), "%s on %s: as expected, whole and "
                    "split alike", what, vms[k]->name) && r == 1)
          show_run("both forms", &whole);
      }
    }
  }
  lvt_buf_reset(&a);
  lvt_buf_reset(&head);
}

int main(void) {
  static const char *const names[MAXVM] = {"ref", "lua5.1", "lua5.2", "lua5.3", "lua5.4",
                                           "luajit"};
  const char *env = getenv("LVT_GEN_SPLIT_N");
  unsigned n = env && atoi(env) > 0 ? (unsigned)atoi(env) : 400;
  double t0 = lvt_now_ms();
  size_t i;
  (void)tap_diag_mem;
  lvt_limits_default(&lim);
  lim.timeout_ms = 10000;
  lim.deterministic = 1;
  lim.allow_binary = 0;
  lim.no_peak_mem = 1;
  lvt_run_init(&whole);
  lvt_run_init(&split);
  for (i = 0; i < MAXVM; i++) {
    LvtErr e = {0, ""};
    LvtVm *vm;
    int needed = strcmp(names[i], "ref") == 0 || strcmp(names[i], "lua5.4") == 0;
#ifdef SANITIZED
    /* (the reference stops on Lua 5.4.4's own UB with some generated
    ** programs under UBSan: see test_gen_valid) */
    if (strcmp(names[i], "ref") == 0) {
      printf("# SKIP ref: sanitizer build (see test_gen_valid)\n");
      continue;
    }
#endif
    vm = open_probed_vm(names[i], &e);
    if (vm == NULL) {
      if (needed) TAP_OK(0, "%s is needed: %s", names[i], e.msg);
      else printf("# SKIP %s: %s\n", names[i], e.msg);
      continue;
    }
    if (!TAP_OK(vm->info.caps & LVT_CAP_PRELUDE, "%s runs preludes (capability after the probe)",
                names[i])) {
      lvt_vm_close(vm);
      continue;
    }
    vms[nvm++] = vm;
  }
  if (nvm > 0) {
    generated(n);
    hand_made();
  }
  printf("# %.1f s\n", (lvt_now_ms() - t0) / 1000.0);
  for (i = 0; i < nvm; i++) lvt_vm_close(vms[i]);
  lvt_run_reset(&whole);
  lvt_run_reset(&split);
  lvt_buf_reset(&body);
  return tap_done();
}
