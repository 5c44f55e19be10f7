/*
** fuzz_common.c -- the reference VM and limits the fuzz targets share.
*/
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static LvtRef *fz_ref;
static int fz_verbose = -1;   /* LVT_FUZZ_VERBOSE, read once */
static uint64_t fz_instr = LVT_FZ_INSTR;
static unsigned fz_timeout_ms = LVT_FZ_TIMEOUT_MS;
static int env_read;
static uint64_t env_instr;       /* LVT_FUZZ_INSTR; 0 = not set */

void lvt_fz_set_budget(uint64_t instr, unsigned timeout_ms) {
  fz_instr = instr;
  fz_timeout_ms = timeout_ms;
}

void lvt_fz_die(const char *fmt, ...) {
  va_list ap;
  fputs("lvt-fuzz: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
  abort();
}

int lvt_fz_env_on(const char *name) {
  const char *v = getenv(name);
  return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

void lvt_fz_limits(LvtLimits *lim) {
  lvt_limits_default(lim);
  if (!env_read) {
    const char *v = getenv("LVT_FUZZ_INSTR");
    env_instr = v != NULL ? strtoull(v, NULL, 0) : 0;
    env_read = 1;
  }
  lim->timeout_ms = fz_timeout_ms;
  lim->instr_limit = env_instr != 0 ? env_instr : fz_instr;
  lim->mem_limit = LVT_FZ_MEM;
  lim->max_output = LVT_FZ_OUTPUT;
  lim->deterministic = 1;
  lim->allow_binary = 0;
}

LvtRef *lvt_fz_ref(void) {
  LvtRefOptions opt;
  LvtErr e;
  if (fz_ref != NULL) return fz_ref;
  lvt_ref_options_init(&opt);
  opt.hash_seed = LVT_REF_DETERMINISTIC_SEED;   /* same input, same run */
  if (lvt_ref_open(&fz_ref, &opt, &e) != LVT_OK)
    lvt_fz_die("cannot open the reference VM: %s", e.msg);
  return fz_ref;
}

void lvt_fz_run_src(const char *name, const uint8_t *data, size_t n,
                    LvtRun *out) {
  LvtProgram p;
  LvtLimits lim;
  LvtErr e;
  p.name = name;
  p.src = (const char *)data;
  p.len = n;
  p.prelude = NULL;
  lvt_fz_limits(&lim);
  if (lvt_ref_run(lvt_fz_ref(), &p, &lim, out, &e) != LVT_OK)
    lvt_fz_die("the reference failed to run an input: %s", e.msg);
  if (fz_verbose < 0) fz_verbose = lvt_fz_env_on("LVT_FUZZ_VERBOSE");
  if (fz_verbose) {
    fprintf(stderr, "lvt-fuzz: ref %s", lvt_outcome_name(out->outcome));
    if (out->outcome == LVT_RUN_EXIT) fprintf(stderr, " exit %d", out->exit_code);
    if (out->outcome == LVT_RUN_ERROR)
      fprintf(stderr, " (%.200s)", lvt_buf_str(&out->err_value));
    if (out->detail.len > 0) fprintf(stderr, " [%.200s]", lvt_buf_str(&out->detail));
    fputc('\n', stderr);
  }
  /* In process, 'crash' can only mean the sandbox itself failed (a real
  ** crash would not get here): a bug in lvtest, which is a finding. */
  if (out->outcome == LVT_RUN_CRASH)
    lvt_fz_die("the reference's sandbox failed on this input: %s",
               lvt_buf_str(&out->detail));
}
