/*
** test_opts.c -- the command line: commands, options per command, values,
** and the usage errors a user sees.
*/
#include <string.h>

#include "fuzz/lvt_gen.h"
#include "harness/lvt_opts.h"
#include "tests/tap.h"

#define MAXARGS 64

/* Parses a space-separated command line. Returns the result code. */
static int parse(LvtOpts *o, LvtErr *e, const char *line) {
  static char buf[512];
  char *argv[MAXARGS];
  int argc = 0;
  char *tok;
  snprintf(buf, sizeof buf, "lvtest %s", line);
  for (tok = strtok(buf, " "); tok && argc < MAXARGS; tok = strtok(NULL, " "))
    argv[argc++] = tok;
  e->code = 0;
  e->msg[0] = '\0';
  return lvt_opts_parse(o, argc, argv, e);
}

/* Usage errors as data: command line, error code, a fragment of the
** message the user sees. */
static const struct {
  const char *line;
  LvtOptError why;
  const char *says;
} bad[] = {
  {"frobnicate", LVT_OPTE_UNKNOWN_COMMAND, "unknown command 'frobnicate'"},
  {"run", LVT_OPTE_NO_PROGRAMS, "needs at least one program"},
  {"compare --vm lua5.1", LVT_OPTE_NO_PROGRAMS, "needs at least one program"},
  {"run a.lua --frob", LVT_OPTE_UNKNOWN_OPTION, "unknown option '--frob'"},
  {"run a.lua --timeout", LVT_OPTE_MISSING_VALUE, "'--timeout' needs a value"},
  {"run a.lua --timeout 10x", LVT_OPTE_BAD_VALUE, "not a duration"},
  {"run a.lua --timeout 0", LVT_OPTE_BAD_VALUE, "not a duration"},
  {"run a.lua --max-output lots", LVT_OPTE_BAD_VALUE, "not a size"},
  {"run a.lua --instr-limit -5", LVT_OPTE_BAD_VALUE, "not a whole number"},
  {"run a.lua --deterministic=yes", LVT_OPTE_BAD_VALUE, "takes no value"},
  {"vms --json out.json", LVT_OPTE_NOT_FOR_COMMAND, "does not apply to 'lvtest vms'"},
  {"run a.lua --strict-errors", LVT_OPTE_NOT_FOR_COMMAND, "does not apply to 'lvtest run'"},
  {"vms extra.lua", LVT_OPTE_BAD_VALUE, "takes no file arguments"},
  {"help frob", LVT_OPTE_UNKNOWN_COMMAND, "unknown command 'frob'"},
  /* fuzz, gen, variant */
  {"fuzz --profile 5.9", LVT_OPTE_BAD_VALUE, "'5.9' is not a profile"},
  {"fuzz --profile portable,lua", LVT_OPTE_BAD_VALUE, "is not a profile"},
  {"fuzz --seed -1", LVT_OPTE_BAD_VALUE, "is not a seed"},
  {"fuzz --seed 0x", LVT_OPTE_BAD_VALUE, "is not a seed"},
  {"fuzz --seed 18446744073709551616", LVT_OPTE_BAD_VALUE, "is not a seed"},
  {"fuzz --time 0", LVT_OPTE_BAD_VALUE, "not a duration"},
  {"fuzz --time forever", LVT_OPTE_BAD_VALUE, "not a duration"},
  {"fuzz --runs 0", LVT_OPTE_BAD_VALUE, "not a number of programs"},
  {"fuzz --jobs 0", LVT_OPTE_BAD_VALUE, "not a whole number"},
  {"fuzz --metamorphic 65", LVT_OPTE_BAD_VALUE, "not a number of variants"},
  {"fuzz --size 100", LVT_OPTE_BAD_VALUE, "not a program size"},
  {"gen --size 2G", LVT_OPTE_BAD_VALUE, "not a program size"},
  {"run a.lua --size 1K", LVT_OPTE_NOT_FOR_COMMAND, "does not apply to 'lvtest run'"},
  {"fuzz --time 1m --runs 9", LVT_OPTE_BAD_VALUE, "--time or --runs, not both"},
  {"fuzz prog.lua", LVT_OPTE_BAD_VALUE, "takes no file arguments"},
  {"fuzz --json x", LVT_OPTE_NOT_FOR_COMMAND, "does not apply to 'lvtest fuzz'"},
  {"gen --time 5s", LVT_OPTE_NOT_FOR_COMMAND, "does not apply to 'lvtest gen'"},
  {"variant", LVT_OPTE_NO_PROGRAMS, "needs exactly one program file"},
  {"variant a.lua b.lua", LVT_OPTE_BAD_VALUE, "needs exactly one program file"},
  {"variant -k 0 a.lua", LVT_OPTE_BAD_VALUE, "not a variant number"},
  {"run a.lua --metamorphic 2", LVT_OPTE_NOT_FOR_COMMAND, "does not apply to 'lvtest run'"},
};

int main(void) {
  LvtOpts o;
  LvtErr e;
  size_t i;
  unsigned ms;
  size_t sz;

  static char prog[] = "lvtest";
  char *only[] = {prog, NULL};
  TAP_IS_INT(lvt_opts_parse(&o, 1, only, &e), LVT_ERR_USAGE,
             "no command is a usage error");
  TAP_IS_INT(o.error, LVT_OPTE_NO_COMMAND, "... with the no-command code");

  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int rc = parse(&o, &e, bad[i].line);
    TAP_IS_INT(rc, LVT_ERR_USAGE, "'%s' is a usage error", bad[i].line);
    TAP_IS_INT(o.error, bad[i].why, "'%s' gives code %s", bad[i].line,
               lvt_opt_error_text(bad[i].why));
    TAP_OK(strstr(e.msg, bad[i].says) != NULL, "'%s' says \"%s\" (got \"%s\")",
           bad[i].line, bad[i].says, e.msg);
    lvt_opts_reset(&o);
  }

  /* A full command line. */
  TAP_IS_INT(parse(&o, &e, "compare a.lua --vm ref --vm=lua5.1 b.lua --timeout 2s "
                           "--max-output 64K --mem-limit 512M --instr-limit 1000 "
                           "--deterministic --no-binary --strict-errors --by-dialect "
                           "--json out.json --restart-every 7 -v -- --odd.lua"),
             LVT_OK, "a full compare command line parses");
  TAP_IS_INT(o.cmd, LVT_CMD_COMPARE, "command is compare");
  TAP_IS_INT(o.nvms, 2, "two --vm");
  TAP_IS_STR(o.vms[0], "ref", "first VM");
  TAP_IS_STR(o.vms[1], "lua5.1", "--vm=VALUE form");
  TAP_IS_INT(o.nfiles, 3, "three files, options mixed in, '--' ends options");
  TAP_IS_STR(o.files[2], "--odd.lua", "a file after '--' may start with '-'");
  TAP_IS_INT(o.lim.timeout_ms, 2000, "--timeout 2s");
  TAP_IS_INT(o.lim.max_output, 65536, "--max-output 64K");
  TAP_IS_INT(o.lim.mem_limit, 512u << 20, "--mem-limit 512M");
  TAP_IS_INT(o.lim.instr_limit, 1000, "--instr-limit");
  TAP_IS_INT(o.lim.deterministic, 1, "--deterministic");
  TAP_IS_INT(o.lim.allow_binary, 0, "--no-binary");
  TAP_IS_INT(o.strict_errors + o.by_dialect, 2, "--strict-errors --by-dialect");
  TAP_IS_STR(o.json_path, "out.json", "--json");
  TAP_IS_INT(o.restart_every, 7, "--restart-every");
  TAP_IS_INT(o.verbose, 1, "-v");
  lvt_opts_reset(&o);

  /* Defaults. */
  TAP_IS_INT(parse(&o, &e, "run a.lua"), LVT_OK, "run with one file");
  TAP_IS_INT(o.lim.timeout_ms, 10000, "default timeout 10 s");
  TAP_IS_INT(o.lim.max_output, 1 << 20, "default output cap 1 MiB");
  TAP_IS_INT(o.lim.allow_binary, 1, "binary chunks allowed by default");
  lvt_opts_reset(&o);

  /* fuzz */
  TAP_IS_INT(parse(&o, &e, "fuzz --vm ref --profile 5.4 --profile portable,5.4 --seed 0xff "
                           "--runs 500 -j 2 --out d --metamorphic 0 --keep 5 --replay p.lua "
                           "--no-noise-check --timeout 3s"),
             LVT_OK, "a full fuzz command line parses");
  TAP_IS_INT(o.cmd, LVT_CMD_FUZZ, "command is fuzz");
  TAP_IS_INT(o.nfuzz_profiles, 2, "--profile repeated and as a list: 2 profiles");
  TAP_IS_INT(o.fuzz_profiles[0], LVT_PROFILE_54, "... 5.4 first");
  TAP_IS_INT(o.fuzz_profiles[1], LVT_PROFILE_PORTABLE, "... then portable");
  TAP_OK(o.seed == 255 && o.seed_given, "--seed 0xff");
  TAP_IS_INT(o.runs, 500, "--runs");
  TAP_IS_INT(o.jobs, 2, "-j");
  TAP_IS_STR(o.out_dir, "d", "--out");
  TAP_OK(o.metamorphic == 0 && o.metamorphic_given, "--metamorphic 0 is given, not default");
  TAP_IS_INT(o.keep, 5, "--keep");
  TAP_IS_INT(o.nreplays, 1, "--replay");
  TAP_IS_INT(o.no_noise, 1, "--no-noise-check");
  TAP_OK(o.lim.timeout_ms == 3000 && o.timeout_given, "--timeout");
  lvt_opts_reset(&o);
  TAP_IS_INT(parse(&o, &e, "fuzz --time 10m"), LVT_OK, "fuzz --time");
  TAP_IS_INT(o.time_ms, 600000, "... 10 minutes");
  TAP_IS_INT(o.seed_given + o.metamorphic_given + (int)o.nfuzz_profiles, 0,
             "nothing else given");
  lvt_opts_reset(&o);
  TAP_IS_INT(parse(&o, &e, "__lvx-ref --seed 7"), LVT_OK, "__lvx-ref --seed keeps its meaning");
  TAP_IS_INT(o.hash_seed, 7, "... a hash seed");
  lvt_opts_reset(&o);
  TAP_IS_INT(parse(&o, &e, "variant -k 3 --seed 9 x.lua"), LVT_OK, "variant");
  TAP_OK(o.variant_k == 3 && o.seed == 9 && o.nfiles == 1, "variant -k, --seed and its file");
  lvt_opts_reset(&o);

  /* Help. */
  TAP_IS_INT(parse(&o, &e, "compare --help"), LVT_OK, "compare --help");
  TAP_IS_INT(o.cmd, LVT_CMD_HELP, "... is help");
  TAP_IS_INT(o.help_for, LVT_CMD_COMPARE, "... for compare");
  TAP_OK(strstr(lvt_opts_help(o.help_for), "--strict-errors") != NULL,
         "compare's help names its options");
  lvt_opts_reset(&o);
  TAP_IS_INT(parse(&o, &e, "help run"), LVT_OK, "help run");
  TAP_IS_INT(o.help_for, LVT_CMD_RUN, "... for run");
  lvt_opts_reset(&o);

  /* Value parsers. */
  TAP_OK(lvt_parse_duration_ms("250ms", &ms) == 0 && ms == 250, "250ms");
  TAP_OK(lvt_parse_duration_ms("3m", &ms) == 0 && ms == 180000, "3m");
  TAP_OK(lvt_parse_duration_ms("1500", &ms) == 0 && ms == 1500, "bare number is ms");
  TAP_OK(lvt_parse_duration_ms("9999999h", &ms) != 0, "overflowing duration refused");
  TAP_OK(lvt_parse_duration_ms("", &ms) != 0, "empty duration refused");
  TAP_OK(lvt_parse_size("2G", &sz) == 0 && sz == (size_t)2 << 30, "2G");
  TAP_OK(lvt_parse_size("12k", &sz) == 0 && sz == 12288, "12k");
  TAP_OK(lvt_parse_size("1T", &sz) != 0, "unknown unit refused");
  return tap_done();
}
