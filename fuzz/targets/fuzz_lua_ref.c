/*
** fuzz_lua_ref.c -- libFuzzer target: the input bytes are Lua source, run
** on the sandboxed in-process reference (a crash oracle: ASan/UBSan, Lua's
** internal assertions, aborts). Use with the dictionary fuzz/dict/lua.dict
** and the seeds in fuzz/seeds/ and corpus/seeds/.
**
** Mutations: libFuzzer's own byte-level ones (which use the dictionary),
** mixed with lvt_mutate's Lua-aware ones (fuzz/lvt_meta.h) through the
** custom mutator hooks. LVT_FUZZ_MUTATOR=lvt uses only lvt_mutate,
** =libfuzzer only libFuzzer's; the default mixes them 3:1.
*/
#include <stddef.h>
#include <stdint.h>

#include "fuzz/targets/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static LvtRun run;
  static int ready;
  if (!ready) {
    lvt_run_init(&run);
    ready = 1;
  }
  lvt_fz_run_src("fuzz", data, size, &run);
  return 0;
}
