/*
** afl_ref.c -- AFL++ persistent-mode target: the input bytes are Lua
** source, run on the sandboxed in-process reference (the crash oracle of
** fuzz_lua_ref.c, under AFL++). Built by the 'afl' preset with
** afl-clang-fast, which defines the __AFL_* macros:
**  - deferred start: the reference is opened and its pristine state booted
**    before __AFL_INIT, so each forked child starts warm;
**  - persistent: __AFL_LOOP(10000) runs 10,000 inputs per fork;
**  - shared-memory input: __AFL_FUZZ_TESTCASE_BUF/LEN (no file, no read).
** Outside afl-fuzz it runs one input read from stdin (a reproducer:
** 'afl_ref < crash-file').
** Use with the custom mutator (AFL_CUSTOM_MUTATOR_LIBRARY=
** .../lvt_afl_mutator.so) and the dictionary (-x fuzz/dict/lua.dict).
*/
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>   /* read(): __AFL_FUZZ_TESTCASE_LEN outside afl-fuzz */

#include "fuzz/targets/fuzz_common.h"

__AFL_FUZZ_INIT();

int main(void) {
  static LvtRun run;
  unsigned char *buf;
  lvt_run_init(&run);
  lvt_fz_set_budget(LVT_FZ_RAW_INSTR, LVT_FZ_RAW_TIMEOUT_MS);
  lvt_fz_run_src("warm-up", (const uint8_t *)"return 1", 8, &run);  /* boots */
#ifdef __AFL_HAVE_MANUAL_CONTROL
  __AFL_INIT();
#endif
  buf = __AFL_FUZZ_TESTCASE_BUF;   /* after __AFL_INIT: the shared memory */
  while (__AFL_LOOP(10000)) {
    size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
    lvt_fz_run_src("fuzz", buf, len, &run);
  }
  lvt_run_reset(&run);
  return 0;
}
