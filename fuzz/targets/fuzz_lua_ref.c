/*
** fuzz_lua_ref.c -- libFuzzer target: the input bytes are Lua source, run
** on the sandboxed in-process reference (a crash oracle: ASan/UBSan, Lua's
** internal assertions, aborts). Use with the dictionary fuzz/dict/lua.dict
** and the seeds in fuzz/seeds/ and corpus/seeds/.
**
** Mutations (the custom mutator hooks): lvt_mutate's Lua-aware ones
** (fuzz/lvt_meta.h; crossover splices code from the other input) mixed
** with libFuzzer's own byte-level ones, which use the dictionary.
** LVT_FUZZ_MUTATOR=lvt uses only lvt_mutate, =libfuzzer only libFuzzer's;
** unset, one mutation in four is libFuzzer's.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lvt_meta.h"
#include "fuzz/targets/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1,
                                 const uint8_t *d2, size_t s2, uint8_t *out,
                                 size_t max_out, unsigned int seed);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);  /* libFuzzer's */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static LvtRun run;
  static int ready;
  if (!ready) {
    lvt_run_init(&run);
    lvt_fz_set_budget(LVT_FZ_RAW_INSTR, LVT_FZ_RAW_TIMEOUT_MS);
    ready = 1;
  }
  lvt_fz_run_src("fuzz", data, size, &run);
  return 0;
}

/* 0: mix, 1: lvt_mutate only, 2: libFuzzer only (LVT_FUZZ_MUTATOR). */
static int mutator_mode(void) {
  static int mode = -1;
  if (mode < 0) {
    const char *v = getenv("LVT_FUZZ_MUTATOR");
    mode = v == NULL ? 0 : strcmp(v, "lvt") == 0 ? 1 : strcmp(v, "libfuzzer") == 0 ? 2 : 0;
  }
  return mode;
}

/* lvt_mutate of 'd1' (donor 'd2') into 'out' (at most 'max' bytes). */
static size_t lvt_into(const uint8_t *d1, size_t s1, const uint8_t *d2,
                       size_t s2, uint8_t *out, size_t max, unsigned seed) {
  static LvtBuf buf;
  size_t n = lvt_mutate((const char *)d1, s1, (const char *)d2, s2, max,
                        (uint64_t)seed * 0x9e3779b97f4a7c15ull + s1, &buf);
  if (n > max) n = max;
  if (n > 0) memcpy(out, buf.data, n);
  return n;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed) {
  int mode = mutator_mode();
  size_t n;
  if (mode == 2 || (mode == 0 && seed % 4 == 0))
    return LLVMFuzzerMutate(data, size, max_size);
  n = lvt_into(data, size, NULL, 0, data, max_size, seed);
  return n > 0 ? n : LLVMFuzzerMutate(data, size, max_size);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1,
                                 const uint8_t *d2, size_t s2, uint8_t *out,
                                 size_t max_out, unsigned int seed) {
  return lvt_into(d1, s1, d2, s2, out, max_out, seed);
}
