/*
** lvt_opts.h -- the lvtest command line: which command, which VMs, which
** programs, limits and output options. Parsing never prints: it returns
** LVT_ERR_USAGE with a message that says what is wrong and what to do.
*/
#ifndef LVT_OPTS_H
#define LVT_OPTS_H

#include "../util/lvt_base.h"
#include "../vm/lvt_vm.h"

typedef enum LvtCommand {
  LVT_CMD_NONE = 0,
  LVT_CMD_HELP,       /* lvtest help [COMMAND], lvtest --help */
  LVT_CMD_VERSION,    /* lvtest --version */
  LVT_CMD_VMS,        /* list the VMs found */
  LVT_CMD_RUN,        /* run programs, print each result */
  LVT_CMD_COMPARE,    /* run programs, compare results across VMs */
  LVT_CMD_SUITE,      /* lvtest --suite NAME...: conformance suites */
  LVT_CMD_LVX_REF,    /* hidden: serve LVX with the reference VM */
  LVT_CMD_FUZZ,       /* lvtest fuzz: the differential fuzzing loop */
  LVT_CMD_GEN,        /* lvtest gen: print/write generated programs */
  LVT_CMD_VARIANT     /* lvtest variant: print a metamorphic variant */
} LvtCommand;

/* Why parsing failed (the code behind the message). */
typedef enum LvtOptError {
  LVT_OPTE_NONE = 0,
  LVT_OPTE_UNKNOWN_COMMAND,
  LVT_OPTE_UNKNOWN_OPTION,
  LVT_OPTE_MISSING_VALUE,
  LVT_OPTE_BAD_VALUE,
  LVT_OPTE_NOT_FOR_COMMAND,
  LVT_OPTE_NO_PROGRAMS,
  LVT_OPTE_NO_COMMAND
} LvtOptError;

const char *lvt_opt_error_text(LvtOptError code);

typedef struct LvtOpts {
  LvtCommand cmd;
  LvtCommand help_for;      /* LVT_CMD_HELP: which command, or NONE */
  const char **vms;         /* --vm SPEC, in order (borrowed from argv) */
  size_t nvms;
  const char **files;       /* program files (borrowed from argv) */
  size_t nfiles;
  LvtLimits lim;
  unsigned restart_every;   /* --restart-every N */
  const char *json_path;    /* --json FILE ("-" = stdout) */
  const char *norm_rules;   /* --norm-rules FILE */
  int strict_errors;        /* --strict-errors */
  int by_dialect;           /* --by-dialect */
  int no_selftest;          /* --no-selftest */
  int no_pin;               /* --no-pin */
  int verbose;              /* -v */
  int quiet;                /* -q */
  unsigned selftest_timeout_ms;
  /* --suite */
  const char **suites;      /* --suite NAME, in order (own, corpus, all...) */
  size_t nsuites;
  const char **expects;     /* --expect FILE */
  size_t nexpects;
  const char *shard;        /* --shard I/N */
  int shuffle;              /* --shuffle SEED given */
  unsigned long long shuffle_seed;
  int failed_only;          /* --failed-only[=FILE] */
  const char *failed_from;  /* FILE, or NULL: the --json path */
  int heavy;                /* --heavy */
  const char *junit_path;   /* --junit FILE */
  const char *tap_path;     /* --tap FILE */
  const char *section_vm;   /* --section-table VM */
  int timeout_given;        /* --timeout was given (script suites keep
                            ** their own defaults otherwise) */
  /* the upstream suites, given by path: --suite-dir after --suite NAME,
  ** or --official-dir, --harness-dir, --luajit-tests-dir */
  const char *official_dir, *harness_dir, *ljtests_dir;
  unsigned jobs;            /* --jobs N; 0 = the online CPUs */
  int official_per_file;    /* --official-mode per-file */
  int soft_assert;          /* --soft-assert (implies per-file) */
  const char *globals;      /* --globals LIST (official control globals) */
  const char *profile;      /* --profile NAME (lua-Harness profile) */
  int keep_dirs;            /* --keep-dirs */
  /* __lvx-ref */
  unsigned hash_seed;       /* --seed N */
  const char *gc_mode;      /* --gc MODE */
  /* fuzz, gen, variant */
  unsigned long long seed;  /* --seed S (64 bits, decimal or 0x-hex) */
  int seed_given;
  int fuzz_profiles[3];     /* --profile P (repeatable, or a comma list):
                            ** LvtProfile values (fuzz/lvt_gen.h), in order */
  size_t nfuzz_profiles;
  unsigned time_ms;         /* --time DUR; 0 = none */
  unsigned long long runs;  /* --runs N; 0 = not given */
  const char *out_dir;      /* --out DIR */
  unsigned metamorphic;     /* --metamorphic K */
  int metamorphic_given;
  size_t gen_size;          /* fuzz, gen: --size BYTES, the generator's size
                            ** target; 0 = its default (3 KiB) */
  unsigned variant_k;       /* variant: -k K (default 1) */
  unsigned keep;            /* --keep N: examples per signature (0 = 3) */
  const char **replays;     /* --replay FILE: programs from files */
  size_t nreplays;
  int no_noise;             /* --no-noise-check */
  int whole;                /* --whole: programs are never split */
  LvtOptError error;        /* why parsing failed */
} LvtOpts;

/* Parses argv into 'o' (which borrows argv's strings; free with
** lvt_opts_reset). Returns LVT_OK or LVT_ERR_USAGE with 'e' set. */
int lvt_opts_parse(LvtOpts *o, int argc, char **argv, LvtErr *e);
void lvt_opts_reset(LvtOpts *o);

/* The help text of a command (LVT_CMD_NONE: the overview). */
const char *lvt_opts_help(LvtCommand cmd);
const char *lvt_command_name(LvtCommand cmd);

/* "10s", "250ms", "2m", "1500" (ms) -> milliseconds. Returns 0 on success. */
int lvt_parse_duration_ms(const char *s, unsigned *ms);
/* "1M", "512K", "2G", "4096" -> bytes. Returns 0 on success. */
int lvt_parse_size(const char *s, size_t *bytes);
/* A decimal unsigned integer with no junk. Returns 0 on success. */
int lvt_parse_uint(const char *s, unsigned long long max, unsigned long long *v);

#endif
