/*
** lvt_opts.c -- parsing of the lvtest command line.
**
** Grammar: lvtest COMMAND [OPTIONS] [FILES...]; options and files may be
** mixed; "--" ends the options. Each option is checked against the commands
** it belongs to, so 'lvtest vms --json x' says the option is not for 'vms'
** instead of ignoring it.
*/
#include "lvt_opts.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lvt_fuzz.h"

/* =====================================================================
** Error codes to text
** ===================================================================== */
const char *lvt_opt_error_text(LvtOptError code) {
  switch (code) {
    case LVT_OPTE_NONE: return "no error";
    case LVT_OPTE_UNKNOWN_COMMAND: return "unknown command";
    case LVT_OPTE_UNKNOWN_OPTION: return "unknown option";
    case LVT_OPTE_MISSING_VALUE: return "option needs a value";
    case LVT_OPTE_BAD_VALUE: return "invalid option value";
    case LVT_OPTE_NOT_FOR_COMMAND: return "option does not apply to this command";
    case LVT_OPTE_NO_PROGRAMS: return "no programs given";
    case LVT_OPTE_NO_COMMAND: return "no command given";
  }
  return "unknown error";
}

/* =====================================================================
** Commands and help texts
** ===================================================================== */
static const struct {
  const char *name;
  LvtCommand cmd;
  const char *help;
} commands[] = {
  {"vms", LVT_CMD_VMS,
   "usage: lvtest vms [--vm SPEC]... [--no-selftest] [-v]\n"
   "\n"
   "Lists the Lua builds lvtest can run: the linked-in reference (ref) and\n"
   "every lua* interpreter on PATH (lua5.1 ... lua5.4, luajit, lua, ...),\n"
   "each probed for its version, dialect and capabilities and put through\n"
   "the start-up self-tests. Names that are the same binary are shown once,\n"
   "with their aliases. --vm adds VMs to the table. A VM that cannot be\n"
   "started or fails a self-test is listed as FAILED with the reason.\n"
   "-v adds each VM's capabilities and start-up time.\n"},
  {"run", LVT_CMD_RUN,
   "usage: lvtest run FILE... [--vm SPEC]... [options]\n"
   "\n"
   "Runs each program on each VM and prints every result: outcome, output,\n"
   "error value, time. Exit status 0 when every result is 'ok', 1 when any\n"
   "program failed on any VM.\n"},
  {"compare", LVT_CMD_COMPARE,
   "usage: lvtest compare FILE... [--vm SPEC]... [options]\n"
   "\n"
   "Runs each program on each VM and compares the results (outcome, output\n"
   "after normalisation, error kind). Prints one line per program and a\n"
   "readable diff for each divergence, naming the odd VM out when a majority\n"
   "agrees. Exit status 0 when all agree, 1 when any program diverges.\n"
   "\n"
   "  --json FILE         write every result and verdict as JSON (schema in\n"
   "                      reports/SCHEMA.md); '-' writes to stdout\n"
   "  --strict-errors     compare error messages exactly, not only their kind\n"
   "  --by-dialect        compare only VMs of comparable dialects\n"
   "                      (5.1 with luajit; 5.2; 5.3; 5.4)\n"
   "  --norm-rules FILE   extra normalisation rules (PCRE2), one per line:\n"
   "                      s/REGEX/REPLACEMENT/\n"},
  {"suite", LVT_CMD_SUITE,
   "usage: lvtest --suite NAME... [--vm SPEC]... [options]\n"
   "\n"
   "Runs conformance suites on every VM and prints one result matrix (suite x\n"
   "VM: pass/fail/skip counts), then every failure with its diagnostics.\n"
   "NAME is one of:\n"
   "  own        lvtest's TAP suite (lua-harness/t), per assertion, rolled up\n"
   "             per manual section; expected failures per dialect in\n"
   "             lua-harness/expect/<dialect>/\n"
   "  corpus     corpus/seeds and corpus/regressions: every program on every\n"
   "             VM, compared within dialect groups (ref decides its group)\n"
   "  official   the official Lua test suite (lua-5.x.y-tests/ or testes/):\n"
   "             --suite official --suite-dir PATH\n"
   "  harness    lua-Harness (its checkout or test_lua/): --suite-dir PATH\n"
   "  luajit-tests  LuaJIT-tests (the directory of test.lua): --suite-dir PATH\n"
   "  all        every suite present: own, corpus, and the upstream ones given\n"
   "             by path, found under lua-harness/upstream/<name> or\n"
   "             $LVT_SUITES_DIR/<name>; absent ones are named, never skipped\n"
   "             silently\n"
   "Default VMs: all (ref, every Lua on PATH, the peers installed).\n"
   "\n"
   "  --suite-dir PATH      the directory of the upstream suite named just before\n"
   "  --official-dir PATH, --harness-dir PATH, --luajit-tests-dir PATH\n"
   "                        the same, by name (for --suite all)\n"
   "  --official-mode M     all (all.lua as upstream runs it; the default) or\n"
   "                        per-file (each file alone in a fresh interpreter)\n"
   "  --soft-assert         per-file, with one result per assertion: 'assert'\n"
   "                        records file:line and goes on\n"
   "  --globals LIST        control globals set before the official suite\n"
   "                        (default _port,_soft; with --heavy _port; '' none)\n"
   "  --profile NAME        the lua-Harness profile for every VM (default: by\n"
   "                        dialect, profile_lua51 ... profile_luajit21)\n"
   "  --jobs N, -j N        upstream suites: runs at once (default: CPUs)\n"
   "  --timeout T           upstream suites: per run (defaults: official 15m,\n"
   "                        harness 2m per file, luajit-tests 15m)\n"
   "  --keep-dirs           keep each run's private directory (debugging)\n"
   "  --expect [VM=]FILE    more expected failures ('<test name><TAB><reason>',\n"
   "                        or '<file>:<test name><TAB><reason>'), repeatable;\n"
   "                        VM=FILE: for that VM only\n"
   "  --shard I/N           run the I-th of N slices of the files\n"
   "  --shuffle SEED        run the files in an order drawn from SEED\n"
   "  --failed-only[=FILE]  re-run only the files that failed in FILE (a\n"
   "                        --json results file; default: the --json path)\n"
   "  --heavy               also run heavy tests (a >2 GiB heap)\n"
   "  --json FILE           every result (schema in reports/SCHEMA.md)\n"
   "  --junit FILE          JUnit XML;  --tap FILE: one TAP stream\n"
   "  --section-table VM    per manual section pass/fail/skip for one VM\n"
   "  -v                    one matrix row per file\n"
   "Exit status 0 when nothing failed unexpectedly, 1 otherwise (an\n"
   "unexpected pass of an expected failure counts: stale lists get noticed).\n"},
  {"fuzz", LVT_CMD_FUZZ,
   "usage: lvtest fuzz [--vm SPEC]... [--profile P]... [--time DUR | --runs N]\n"
   "                   [--seed S] [--jobs J] [--out DIR] [--metamorphic K]\n"
   "\n"
   "Differential fuzzing: generated programs (fuzz/lvt_gen.h; program i's\n"
   "seed is derived from S and i) run on every VM that implements their\n"
   "profile and are compared (the VMs that implement a profile against each\n"
   "other; 'ref' or a PUC-Rio build decides who is wrong), and K metamorphic\n"
   "variants of each program must give each VM its own original result. A\n"
   "candidate finding is run again (deterministic or flaky) and the program\n"
   "is re-run on the reference under other hash seeds and GC modes: if that\n"
   "changes its result it is unspecified behaviour, dropped and counted.\n"
   "Findings are written the moment they are confirmed, one directory per\n"
   "example (program, every result, signature, seed, repro.sh) under\n"
   "DIR/findings/, the first 3 per signature; DIR/findings/index.jsonl\n"
   "records every occurrence. Running it again with the same --out resumes\n"
   "the campaign (its options come from DIR/state.json).\n"
   "\n"
   "  --vm SPEC          VMs (default: all: ref, the Luas on PATH, the peers)\n"
   "  --profile P        portable, 5.3 or 5.4; repeatable or a comma list\n"
   "                     (default: all three, rotating)\n"
   "  --time DUR         stop after DUR (10s, 10m, 1h)\n"
   "  --runs N           stop when the campaign has run N programs\n"
   "                     (default: until interrupted, or --time)\n"
   "  --seed S           campaign seed, decimal or 0x-hex (default: random)\n"
   "  --jobs J, -j J     worker threads, each with its own VMs (default: CPUs)\n"
   "  --out DIR          campaign directory (default ./lvtest-fuzz)\n"
   "  --metamorphic K    variants per program and VM (default 2; 0 = none)\n"
   "  --size BYTES       the generator's size target for the generated part\n"
   "                     (default 3K; a ~2.3K prelude comes on top; smaller\n"
   "                     programs run faster)\n"
   "  --keep N           examples kept per signature (default 3)\n"
   "  --replay FILE      take programs from FILE (repeatable; round robin)\n"
   "                     instead of the generator\n"
   "  --no-noise-check   do not re-run the reference under other seeds/GCs\n"
   "  --whole            send every program whole (by default a VM keeps the\n"
   "                     generator's prelude compiled and gets only the body)\n"
   "  --timeout DUR      per program and VM (default 2s); --mem-limit,\n"
   "                     --max-output, --norm-rules, --restart-every,\n"
   "                     --no-selftest, --no-pin as for compare\n"
   "Exit status: 0 the campaign ran and found nothing, 1 it has findings (or\n"
   "a VM failed its start-up), 2 usage error (also an --out that belongs to\n"
   "another campaign), 3 harness error (--out not writable, disk full).\n"},
  {"gen", LVT_CMD_GEN,
   "usage: lvtest gen [--profile P] [--seed S] [--runs N] [--size BYTES] [--out DIR]\n"
   "\n"
   "Prints generated programs (N, default 1; program i has the seed lvtest\n"
   "fuzz gives program i of campaign S, profiles rotating as in fuzz), or\n"
   "writes them to DIR/prog-<i>.lua. --size as for fuzz.\n"},
  {"variant", LVT_CMD_VARIANT,
   "usage: lvtest variant [--seed S] [-k K] [--profile P] FILE\n"
   "\n"
   "Prints metamorphic variant K (default 1) of the Lua program in FILE:\n"
   "the same program rewritten so that it must give the same result on any\n"
   "one VM (fuzz/lvt_meta.h). The profile defaults to the one in the\n"
   "program's lvtest-gen header, else portable.\n"},
  {"help", LVT_CMD_HELP, "usage: lvtest help [COMMAND]\n"},
  {"__lvx-ref", LVT_CMD_LVX_REF,
   "usage: lvtest __lvx-ref [--seed N] [--gc MODE]\n"
   "\n"
   "Internal: serves the LVX protocol (vm/PROTOCOL.md) on stdin/stdout with\n"
   "the linked-in reference VM. lvtest starts it as the child behind\n"
   "'--vm ref', so that a crash of the reference cannot take lvtest down.\n"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const char overview[] =
  "usage: lvtest COMMAND [OPTIONS] [FILES]\n"
  "\n"
  "A conformance harness and differential fuzzer for Lua VMs.\n"
  "\n"
  "Commands:\n"
  "  vms        list the Lua builds found, with version, dialect, self-tests\n"
  "  run        run programs on VMs and print each result\n"
  "  compare    run programs on VMs and report where the results differ\n"
  "  fuzz       differential fuzzing with generated programs ('lvtest help fuzz')\n"
  "  gen        print generated programs;  variant: a metamorphic variant\n"
  "  --suite S  run conformance suites (own, corpus, official, harness,\n"
  "             luajit-tests, all) and show the matrix\n"
  "             ('lvtest help suite')\n"
  "  help CMD   the options of a command\n"
  "\n"
  "Naming VMs (--vm, repeatable; default: all):\n"
  "  ref                  the reference, PUC-Rio Lua 5.4 linked into lvtest\n"
  "                       (run in a worker process that is restarted on a crash)\n"
  "  lua5.3, luajit       a command on PATH\n"
  "  /path/to/lua         an interpreter by path\n"
  "  lj-joff, lj-hot, gopher-lua, fengari, wasmoon\n"
  "                       the peers (LuaJIT modes; Lua in Go, JS, wasm)\n"
  "  system               every Lua interpreter on PATH\n"
  "  all                  ref, system, the LuaJIT modes and every peer installed\n"
  "  name=N,cmd=\"C ARGS\"[,dialect=D][,env=K=V][,args=A][,restart=N][,rss=SIZE]\n"
  "                       any command line; dialect is 5.1|5.2|5.3|5.4|luajit\n"
  "                       (detected by a probe when not given); lvx=1 when the\n"
  "                       command speaks LVX itself (a shim)\n"
  "\n"
  "Limits and run options (run, compare):\n"
  "  --timeout DUR        wall clock per program (default 10s; 500ms, 2m)\n"
  "  --instr-limit N      VM instructions per program (default: none)\n"
  "  --mem-limit SIZE     memory per VM (default 1G; K, M, G)\n"
  "  --max-output SIZE    captured output per program (default 1M); longer\n"
  "                       output is cut and marked truncated\n"
  "  --deterministic      fixed os.time/os.clock/os.date and random seeds\n"
  "  --no-binary          refuse binary chunks in load\n"
  "  --restart-every N    restart each VM process every N programs\n"
  "  --no-selftest        skip the start-up self-tests (not recommended)\n"
  "  --selftest-timeout DUR\n"
  "                       how long the self-test's endless loop runs before it\n"
  "                       must be stopped as a timeout (default 100ms)\n"
  "  --no-pin             do not pin each VM process and its driving thread\n"
  "                       to one CPU (pinned round trips are ~2x faster)\n"
  "  -v, -q               more / less output\n"
  "\n"
  "Exit status: 0 all pass / agree, 1 a failure or divergence was found,\n"
  "2 usage error, 3 internal error. NO_COLOR is respected.\n";

const char *lvt_opts_help(LvtCommand cmd) {
  size_t i;
  for (i = 0; i < NCOMMANDS; i++)
    if (commands[i].cmd == cmd) return commands[i].help;
  return overview;
}

const char *lvt_command_name(LvtCommand cmd) {
  size_t i;
  for (i = 0; i < NCOMMANDS; i++)
    if (commands[i].cmd == cmd) return commands[i].name;
  return "lvtest";
}

static int command_of(const char *name, LvtCommand *cmd) {
  size_t i;
  for (i = 0; i < NCOMMANDS; i++) {
    if (strcmp(commands[i].name, name) == 0) {
      *cmd = commands[i].cmd;
      return 1;
    }
  }
  return 0;
}

/* =====================================================================
** Value parsers
** ===================================================================== */
int lvt_parse_uint(const char *s, unsigned long long max, unsigned long long *v) {
  char *end;
  unsigned long long x;
  if (s == NULL || *s < '0' || *s > '9') return -1;
  errno = 0;
  x = strtoull(s, &end, 10);
  if (errno != 0 || *end != '\0' || x > max) return -1;
  *v = x;
  return 0;
}

/* Splits "123abc" into a number and a unit suffix. */
static int number_unit(const char *s, unsigned long long *n, const char **unit) {
  char *end;
  if (s == NULL || *s < '0' || *s > '9') return -1;
  errno = 0;
  *n = strtoull(s, &end, 10);
  if (errno != 0) return -1;
  *unit = end;
  return 0;
}

int lvt_parse_duration_ms(const char *s, unsigned *ms) {
  unsigned long long n, mul;
  const char *u;
  if (number_unit(s, &n, &u) != 0) return -1;
  if (*u == '\0' || strcmp(u, "ms") == 0) mul = 1;
  else if (strcmp(u, "s") == 0) mul = 1000;
  else if (strcmp(u, "m") == 0) mul = 60000;
  else if (strcmp(u, "h") == 0) mul = 3600000;
  else return -1;
  if (n > 0xffffffffULL / mul) return -1;
  *ms = (unsigned)(n * mul);
  return 0;
}

int lvt_parse_size(const char *s, size_t *bytes) {
  unsigned long long n, mul;
  const char *u;
  if (number_unit(s, &n, &u) != 0) return -1;
  if (*u == '\0' || strcmp(u, "B") == 0) mul = 1;
  else if (strcmp(u, "K") == 0 || strcmp(u, "k") == 0 || strcmp(u, "KiB") == 0) mul = 1ULL << 10;
  else if (strcmp(u, "M") == 0 || strcmp(u, "MiB") == 0) mul = 1ULL << 20;
  else if (strcmp(u, "G") == 0 || strcmp(u, "GiB") == 0) mul = 1ULL << 30;
  else return -1;
  if (n > (unsigned long long)SIZE_MAX / mul) return -1;
  *bytes = (size_t)(n * mul);
  return 0;
}

/* =====================================================================
** Options
** ===================================================================== */
#define F_RUN  (1u << LVT_CMD_RUN)
#define F_CMP  (1u << LVT_CMD_COMPARE)
#define F_VMS  (1u << LVT_CMD_VMS)
#define F_LVX  (1u << LVT_CMD_LVX_REF)
#define F_SUITE (1u << LVT_CMD_SUITE)
#define F_FUZZ (1u << LVT_CMD_FUZZ)
#define F_GEN (1u << LVT_CMD_GEN)
#define F_VAR (1u << LVT_CMD_VARIANT)
#define F_EXEC (F_RUN | F_CMP | F_SUITE)

typedef enum OptId {
  O_VM, O_TIMEOUT, O_INSTR, O_MEM, O_MAXOUT, O_DET, O_NOBIN, O_RESTART,
  O_JSON, O_RULES, O_STRICT, O_BYDIALECT, O_NOSELF, O_NOPIN, O_VERBOSE,
  O_QUIET, O_SEED, O_GC, O_HELP, O_SELFTIMEOUT, O_SUITE, O_EXPECT, O_SHARD,
  O_SHUFFLE, O_FAILED, O_HEAVY, O_JUNIT, O_TAP, O_SECTIONS, O_SUITEDIR,
  O_OFFDIR, O_HARNDIR, O_LJTDIR, O_JOBS, O_OFFMODE, O_SOFT, O_GLOBALS,
  O_PROFILE, O_KEEP, O_TIME, O_RUNS, O_OUT, O_META, O_GSIZE, O_VARK, O_KEEPN, O_REPLAY,
  O_NONOISE, O_WHOLE
} OptId;

static const struct {
  const char *name;
  const char *alias;
  OptId id;
  int takes_value;        /* 0 no, 1 yes, 2 optional (only as --opt=VALUE) */
  unsigned commands;      /* F_* bits; 0 = every command */
} options[] = {
  {"--vm", NULL, O_VM, 1, F_EXEC | F_VMS | F_FUZZ},
  {"--timeout", NULL, O_TIMEOUT, 1, F_EXEC | F_FUZZ},
  {"--instr-limit", NULL, O_INSTR, 1, F_EXEC},
  {"--mem-limit", NULL, O_MEM, 1, F_EXEC | F_FUZZ},
  {"--max-output", NULL, O_MAXOUT, 1, F_EXEC | F_FUZZ},
  {"--deterministic", NULL, O_DET, 0, F_EXEC},
  {"--no-binary", NULL, O_NOBIN, 0, F_EXEC},
  {"--restart-every", NULL, O_RESTART, 1, F_EXEC | F_FUZZ},
  {"--json", NULL, O_JSON, 1, F_EXEC},
  {"--norm-rules", NULL, O_RULES, 1, F_CMP | F_SUITE | F_FUZZ},
  {"--suite", NULL, O_SUITE, 1, F_SUITE},
  {"--expect", NULL, O_EXPECT, 1, F_SUITE},
  {"--shard", NULL, O_SHARD, 1, F_SUITE},
  {"--shuffle", NULL, O_SHUFFLE, 1, F_SUITE},
  {"--failed-only", NULL, O_FAILED, 2, F_SUITE},
  {"--heavy", NULL, O_HEAVY, 0, F_SUITE},
  {"--junit", NULL, O_JUNIT, 1, F_SUITE},
  {"--tap", NULL, O_TAP, 1, F_SUITE},
  {"--section-table", NULL, O_SECTIONS, 1, F_SUITE},
  {"--suite-dir", NULL, O_SUITEDIR, 1, F_SUITE},
  {"--official-dir", NULL, O_OFFDIR, 1, F_SUITE},
  {"--harness-dir", NULL, O_HARNDIR, 1, F_SUITE},
  {"--luajit-tests-dir", NULL, O_LJTDIR, 1, F_SUITE},
  {"--jobs", "-j", O_JOBS, 1, F_SUITE | F_FUZZ},
  {"--official-mode", NULL, O_OFFMODE, 1, F_SUITE},
  {"--soft-assert", NULL, O_SOFT, 0, F_SUITE},
  {"--globals", NULL, O_GLOBALS, 1, F_SUITE},
  {"--profile", NULL, O_PROFILE, 1, F_SUITE | F_FUZZ | F_GEN | F_VAR},
  {"--keep-dirs", NULL, O_KEEP, 0, F_SUITE},
  {"--strict-errors", NULL, O_STRICT, 0, F_CMP},
  {"--by-dialect", NULL, O_BYDIALECT, 0, F_CMP},
  {"--no-selftest", NULL, O_NOSELF, 0, F_EXEC | F_VMS | F_FUZZ},
  {"--no-pin", NULL, O_NOPIN, 0, F_EXEC | F_VMS | F_FUZZ},
  {"--selftest-timeout", NULL, O_SELFTIMEOUT, 1, F_EXEC | F_VMS | F_FUZZ},
  {"--verbose", "-v", O_VERBOSE, 0, 0},
  {"--quiet", "-q", O_QUIET, 0, 0},
  {"--seed", NULL, O_SEED, 1, F_LVX | F_FUZZ | F_GEN | F_VAR},
  {"--time", NULL, O_TIME, 1, F_FUZZ},
  {"--runs", NULL, O_RUNS, 1, F_FUZZ | F_GEN},
  {"--out", NULL, O_OUT, 1, F_FUZZ | F_GEN},
  {"--metamorphic", NULL, O_META, 1, F_FUZZ},
  {"--size", NULL, O_GSIZE, 1, F_FUZZ | F_GEN},
  {"-k", NULL, O_VARK, 1, F_VAR},
  {"--keep", NULL, O_KEEPN, 1, F_FUZZ},
  {"--replay", NULL, O_REPLAY, 1, F_FUZZ},
  {"--no-noise-check", NULL, O_NONOISE, 0, F_FUZZ},
  {"--whole", NULL, O_WHOLE, 0, F_FUZZ},
  {"--gc", NULL, O_GC, 1, F_LVX},
  {"--help", "-h", O_HELP, 0, 0},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static int usage_err(LvtOpts *o, LvtErr *e, LvtOptError why, const char *fmt,
                     const char *a, const char *b) {
  o->error = why;
  return lvt_err_set(e, LVT_ERR_USAGE, fmt, a, b);
}

/* Stores the value of option 'id'. Returns LVT_OK or LVT_ERR_USAGE. */
static int set_option(LvtOpts *o, OptId id, const char *name, const char *v,
                      LvtErr *e) {
  unsigned long long n;
  switch (id) {
    case O_VM:
      o->vms = lvt_xrealloc(o->vms, (o->nvms + 1) * sizeof *o->vms);
      o->vms[o->nvms++] = v;
      return LVT_OK;
    case O_TIMEOUT:
      if (lvt_parse_duration_ms(v, &o->lim.timeout_ms) != 0 || o->lim.timeout_ms == 0)
        goto bad_duration;
      o->timeout_given = 1;
      return LVT_OK;
    case O_SELFTIMEOUT:
      if (lvt_parse_duration_ms(v, &o->selftest_timeout_ms) != 0 || o->selftest_timeout_ms == 0)
        goto bad_duration;
      return LVT_OK;
    case O_INSTR:
      if (lvt_parse_uint(v, UINT64_MAX, &n) != 0) goto bad_number;
      o->lim.instr_limit = n;
      return LVT_OK;
    case O_MEM:
      if (lvt_parse_size(v, &o->lim.mem_limit) != 0) goto bad_size;
      return LVT_OK;
    case O_MAXOUT:
      if (lvt_parse_size(v, &o->lim.max_output) != 0 || o->lim.max_output == 0)
        goto bad_size;
      return LVT_OK;
    case O_RESTART:
      if (lvt_parse_uint(v, 0xffffffffULL, &n) != 0) goto bad_number;
      o->restart_every = (unsigned)n;
      return LVT_OK;
    case O_SEED:
      if (o->cmd == LVT_CMD_FUZZ || o->cmd == LVT_CMD_GEN || o->cmd == LVT_CMD_VARIANT) {
        uint64_t s64;
        if (lvt_fuzz_parse_seed(v, &s64) != 0)
          return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                           "%s: '%s' is not a seed (a whole number, decimal or 0x-hex, "
                           "64 bits)", name, v);
        o->seed = s64;
        o->seed_given = 1;
        return LVT_OK;
      }
      if (lvt_parse_uint(v, 0xffffffffULL, &n) != 0) goto bad_number;
      o->hash_seed = (unsigned)n;
      return LVT_OK;
    case O_TIME:
      if (lvt_parse_duration_ms(v, &o->time_ms) != 0 || o->time_ms == 0) goto bad_duration;
      return LVT_OK;
    case O_RUNS:
      if (lvt_parse_uint(v, UINT64_MAX, &n) != 0 || n == 0)
        return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                         "%s: '%s' is not a number of programs (1 or more)", name, v);
      o->runs = n;
      return LVT_OK;
    case O_OUT: o->out_dir = v; return LVT_OK;
    case O_META:
      if (lvt_parse_uint(v, 64, &n) != 0)
        return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                         "%s: '%s' is not a number of variants (0 to 64)", name, v);
      o->metamorphic = (unsigned)n;
      o->metamorphic_given = 1;
      return LVT_OK;
    case O_GSIZE:
      if (lvt_parse_size(v, &o->gen_size) != 0 || o->gen_size < 256 ||
          o->gen_size > ((size_t)1 << 20))
        return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                         "%s: '%s' is not a program size from 256 to 1M (512, 2K)", name, v);
      return LVT_OK;
    case O_VARK:
      if (lvt_parse_uint(v, 1000000, &n) != 0 || n == 0)
        return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                         "%s: '%s' is not a variant number (1 or more)", name, v);
      o->variant_k = (unsigned)n;
      return LVT_OK;
    case O_KEEPN:
      if (lvt_parse_uint(v, 1000000, &n) != 0 || n == 0) goto bad_number;
      o->keep = (unsigned)n;
      return LVT_OK;
    case O_REPLAY:
      o->replays = lvt_xrealloc(o->replays, (o->nreplays + 1) * sizeof *o->replays);
      o->replays[o->nreplays++] = v;
      return LVT_OK;
    case O_NONOISE: o->no_noise = 1; return LVT_OK;
    case O_WHOLE: o->whole = 1; return LVT_OK;
    case O_GC: o->gc_mode = v; return LVT_OK;
    case O_JSON: o->json_path = v; return LVT_OK;
    case O_RULES: o->norm_rules = v; return LVT_OK;
    case O_DET: o->lim.deterministic = 1; return LVT_OK;
    case O_NOBIN: o->lim.allow_binary = 0; return LVT_OK;
    case O_STRICT: o->strict_errors = 1; return LVT_OK;
    case O_BYDIALECT: o->by_dialect = 1; return LVT_OK;
    case O_NOSELF: o->no_selftest = 1; return LVT_OK;
    case O_NOPIN: o->no_pin = 1; return LVT_OK;
    case O_VERBOSE: o->verbose++; return LVT_OK;
    case O_QUIET: o->quiet = 1; return LVT_OK;
    case O_SUITE:
      if (strcmp(v, "own") != 0 && strcmp(v, "corpus") != 0 && strcmp(v, "all") != 0 &&
          strcmp(v, "official") != 0 && strcmp(v, "harness") != 0 &&
          strcmp(v, "luajit-tests") != 0)
        return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                         "%s: unknown suite '%s' (own, corpus, official, harness, "
                         "luajit-tests, all)", name, v);
      o->suites = lvt_xrealloc(o->suites, (o->nsuites + 1) * sizeof *o->suites);
      o->suites[o->nsuites++] = v;
      return LVT_OK;
    case O_EXPECT:
      o->expects = lvt_xrealloc(o->expects, (o->nexpects + 1) * sizeof *o->expects);
      o->expects[o->nexpects++] = v;
      return LVT_OK;
    case O_SHARD: o->shard = v; return LVT_OK;
    case O_SHUFFLE:
      if (lvt_parse_uint(v, UINT64_MAX, &n) != 0) goto bad_number;
      o->shuffle = 1;
      o->shuffle_seed = n;
      return LVT_OK;
    case O_FAILED:
      o->failed_only = 1;
      o->failed_from = v;
      return LVT_OK;
    case O_HEAVY: o->heavy = 1; return LVT_OK;
    case O_JUNIT: o->junit_path = v; return LVT_OK;
    case O_TAP: o->tap_path = v; return LVT_OK;
    case O_SECTIONS: o->section_vm = v; return LVT_OK;
    case O_SUITEDIR: {
      const char *last = o->nsuites > 0 ? o->suites[o->nsuites - 1] : "";
      if (strcmp(last, "official") == 0) o->official_dir = v;
      else if (strcmp(last, "harness") == 0) o->harness_dir = v;
      else if (strcmp(last, "luajit-tests") == 0) o->ljtests_dir = v;
      else
        return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                         "%s %s: give it after --suite official, harness or luajit-tests "
                         "(or use --official-dir, --harness-dir, --luajit-tests-dir)",
                         name, v);
      return LVT_OK;
    }
    case O_OFFDIR: o->official_dir = v; return LVT_OK;
    case O_HARNDIR: o->harness_dir = v; return LVT_OK;
    case O_LJTDIR: o->ljtests_dir = v; return LVT_OK;
    case O_JOBS:
      if (lvt_parse_uint(v, 1024, &n) != 0 || n == 0) goto bad_number;
      o->jobs = (unsigned)n;
      return LVT_OK;
    case O_OFFMODE:
      if (strcmp(v, "all") == 0) o->official_per_file = 0;
      else if (strcmp(v, "per-file") == 0) o->official_per_file = 1;
      else
        return usage_err(o, e, LVT_OPTE_BAD_VALUE, "%s: '%s' is not a mode (all, per-file)",
                         name, v);
      return LVT_OK;
    case O_SOFT: o->soft_assert = 1; o->official_per_file = 1; return LVT_OK;
    case O_GLOBALS: o->globals = v; return LVT_OK;
    case O_PROFILE:
      if (o->cmd == LVT_CMD_FUZZ || o->cmd == LVT_CMD_GEN || o->cmd == LVT_CMD_VARIANT) {
        LvtProfile ps[LVT_PROFILE__COUNT];
        size_t np = 0, k;
        for (k = 0; k < o->nfuzz_profiles; k++) ps[k] = (LvtProfile)o->fuzz_profiles[k];
        np = o->nfuzz_profiles;
        if (*v == '\0' || lvt_fuzz_parse_profiles(v, ps, &np) != 0)
          return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                           "%s: '%s' is not a profile (portable, 5.3, 5.4; a comma list "
                           "or the option repeated)", name, v);
        for (k = 0; k < np; k++) o->fuzz_profiles[k] = (int)ps[k];
        o->nfuzz_profiles = np;
        return LVT_OK;
      }
      o->profile = v;
      return LVT_OK;
    case O_KEEP: o->keep_dirs = 1; return LVT_OK;
    case O_HELP:
      o->help_for = o->cmd;
      o->cmd = LVT_CMD_HELP;
      return LVT_OK;
  }
  return lvt_err_set(e, LVT_ERR_INTERNAL, "unhandled option %s", name);
bad_duration:
  return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                   "%s: '%s' is not a duration (try 10s, 500ms, 2m)", name, v);
bad_number:
  return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                   "%s: '%s' is not a whole number", name, v);
bad_size:
  return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                   "%s: '%s' is not a size (try 4096, 512K, 1M, 2G)", name, v);
}

static void add_file(LvtOpts *o, const char *f) {
  o->files = lvt_xrealloc(o->files, (o->nfiles + 1) * sizeof *o->files);
  o->files[o->nfiles++] = f;
}

int lvt_opts_parse(LvtOpts *o, int argc, char **argv, LvtErr *e) {
  int i, first, only_files = 0;
  memset(o, 0, sizeof *o);
  lvt_limits_default(&o->lim);
  o->selftest_timeout_ms = 100;
  if (argc < 2)
    return usage_err(o, e, LVT_OPTE_NO_COMMAND, "%s%s",
                     "no command given (try 'lvtest help')", "");
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    o->cmd = LVT_CMD_HELP;
    return LVT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    o->cmd = LVT_CMD_VERSION;
    return LVT_OK;
  }
  first = 2;
  if (strncmp(argv[1], "--suite", 7) == 0 && (argv[1][7] == '\0' || argv[1][7] == '=')) {
    o->cmd = LVT_CMD_SUITE;   /* 'lvtest --suite all' */
    first = 1;
  } else if (!command_of(argv[1], &o->cmd)) {
    return usage_err(o, e, LVT_OPTE_UNKNOWN_COMMAND,
                     "unknown command '%s' (try 'lvtest help')%s", argv[1], "");
  }
  for (i = first; i < argc; i++) {
    const char *a = argv[i], *val = NULL;
    char name[64];
    size_t k;
    if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
      if (o->cmd == LVT_CMD_HELP && o->help_for == LVT_CMD_NONE) {
        if (!command_of(a, &o->help_for))
          return usage_err(o, e, LVT_OPTE_UNKNOWN_COMMAND,
                           "help: unknown command '%s'%s", a, "");
        continue;
      }
      add_file(o, a);
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_files = 1;
      continue;
    }
    /* --name=value or --name value */
    {
      const char *eq = strchr(a, '=');
      size_t n = eq ? (size_t)(eq - a) : strlen(a);
      if (n >= sizeof name) n = sizeof name - 1;
      memcpy(name, a, n);
      name[n] = '\0';
      if (eq) val = eq + 1;
    }
    for (k = 0; k < NOPTIONS; k++)
      if (strcmp(options[k].name, name) == 0 ||
          (options[k].alias && strcmp(options[k].alias, name) == 0))
        break;
    if (k == NOPTIONS)
      return usage_err(o, e, LVT_OPTE_UNKNOWN_OPTION,
                       "unknown option '%s' (try 'lvtest help %s')", name,
                       lvt_command_name(o->cmd));
    if (options[k].commands != 0 && o->cmd != LVT_CMD_HELP &&
        !(options[k].commands & (1u << o->cmd)))
      return usage_err(o, e, LVT_OPTE_NOT_FOR_COMMAND,
                       "option '%s' does not apply to 'lvtest %s'", name,
                       lvt_command_name(o->cmd));
    if (options[k].takes_value == 1 && val == NULL) {
      if (i + 1 >= argc)
        return usage_err(o, e, LVT_OPTE_MISSING_VALUE, "option '%s' needs a value%s",
                         name, "");
      val = argv[++i];
    } else if (!options[k].takes_value && val != NULL) {
      return usage_err(o, e, LVT_OPTE_BAD_VALUE, "option '%s' takes no value%s",
                       name, "");
    }
    {
      int rc = set_option(o, options[k].id, name, val, e);
      if (rc != LVT_OK) return rc;
    }
  }
  if ((o->cmd == LVT_CMD_RUN || o->cmd == LVT_CMD_COMPARE) && o->nfiles == 0)
    return usage_err(o, e, LVT_OPTE_NO_PROGRAMS,
                     "'lvtest %s' needs at least one program file (try 'lvtest help %s')",
                     lvt_command_name(o->cmd), lvt_command_name(o->cmd));
  if (o->cmd == LVT_CMD_SUITE && o->nsuites == 0)
    return usage_err(o, e, LVT_OPTE_MISSING_VALUE,
                     "'lvtest suite' needs --suite NAME (own, corpus, all)%s%s", "", "");
  if (o->cmd == LVT_CMD_VARIANT && o->nfiles != 1)
    return usage_err(o, e, o->nfiles ? LVT_OPTE_BAD_VALUE : LVT_OPTE_NO_PROGRAMS,
                     "'lvtest variant' needs exactly one program file%s%s",
                     o->nfiles ? " (got several)" : "", "");
  if (o->cmd == LVT_CMD_FUZZ && o->time_ms > 0 && o->runs > 0)
    return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                     "'lvtest fuzz' takes --time or --runs, not both%s%s", "", "");
  if (o->cmd != LVT_CMD_RUN && o->cmd != LVT_CMD_COMPARE && o->cmd != LVT_CMD_HELP &&
      o->cmd != LVT_CMD_VARIANT && o->nfiles > 0)
    return usage_err(o, e, LVT_OPTE_BAD_VALUE,
                     "'lvtest %s' takes no file arguments (got '%s')",
                     lvt_command_name(o->cmd), o->files[0]);
  return LVT_OK;
}

void lvt_opts_reset(LvtOpts *o) {
  free(o->vms);
  free(o->files);
  free(o->suites);
  free(o->expects);
  free(o->replays);
  o->replays = NULL;
  o->nreplays = 0;
  o->suites = o->expects = NULL;
  o->vms = NULL;
  o->files = NULL;
  o->nvms = o->nfiles = 0;
}
