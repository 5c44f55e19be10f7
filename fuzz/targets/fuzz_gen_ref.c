/*
** fuzz_gen_ref.c -- libFuzzer target: the input bytes are the generator's
** decisions (lvt_gen_from_bytes, fuzz/lvt_gen.h), so every input is a
** valid, terminating Lua program; coverage comes from the reference that
** runs it in process. Oracles (fuzz_diff.h): the reference against the
** VMs in LVT_FUZZ_VMS (e.g. "lua5.4,luajit") that implement the program's
** profile, and K metamorphic variants on the reference (LVT_FUZZ_META,
** default 2). A divergence aborts (libFuzzer keeps the input) unless
** LVT_FUZZ_DIVERGENCE=log.
**
** Profile: LVT_FUZZ_PROFILE=portable|5.3|5.4, else the first input byte
** chooses it (and is not given to the generator).
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz/lvt_gen.h"
#include "fuzz/targets/fuzz_common.h"
#include "fuzz/targets/fuzz_diff.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fixed_profile = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *p = getenv("LVT_FUZZ_PROFILE");
  (void)argc;
  (void)argv;
  if (p != NULL && *p && (fixed_profile = lvt_profile_parse(p)) < 0)
    lvt_fz_die("LVT_FUZZ_PROFILE=%s: use portable, 5.3 or 5.4", p);
  lvt_fz_ref();
  lvt_fz_vms_open();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static LvtBuf prog;
  static LvtRun run;
  static int ready;
  LvtGenOpts o;
  LvtErr e;
  uint64_t h = 0xcbf29ce484222325ull;   /* FNV-1a: the variants' seed */
  size_t i;
  if (!ready) {
    lvt_run_init(&run);
    ready = 1;
  }
  lvt_gen_opts_init(&o);
  o.profile = fixed_profile >= 0 ? (LvtProfile)fixed_profile
              : size > 0 ? (LvtProfile)(data[0] % LVT_PROFILE__COUNT) : LVT_PROFILE_PORTABLE;
  if (fixed_profile < 0 && size > 0) data++, size--;
  if (lvt_gen_from_bytes(&o, data, size, &prog, &e) != LVT_OK)
    lvt_fz_die("the generator failed: %s", e.msg);
  for (i = 0; i < size; i++) h = (h ^ data[i]) * 0x100000001b3ull;
  lvt_fz_run_src("gen", (const uint8_t *)prog.data, prog.len, &run);
  lvt_fz_differential(o.profile, prog.data, prog.len, &run);
  lvt_fz_metamorphic(o.profile, prog.data, prog.len, &run, h);
  return 0;
}
