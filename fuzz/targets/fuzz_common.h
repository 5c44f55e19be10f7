/*
** fuzz_common.h -- what the fuzz targets of fuzz/targets/ share (they are
** programs, not lvtcore: each is its own main, so they may print and abort).
**
** One in-process reference per process, opened on first use with the
** fuzzing limits below, runs each input; an input that makes the harness
** itself fail (the reference cannot boot, its sandbox breaks) aborts with a
** message on stderr, so the engine keeps the input as a crash. Lua errors,
** os.exit, timeouts and running out of Lua heap are outcomes, never
** crashes: only real memory errors (ASan/UBSan reports), aborts and
** signals are findings of the crash oracle.
*/
#ifndef LVT_FUZZ_COMMON_H
#define LVT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "vm/lvt_ref.h"
#include "vm/lvt_vm.h"

/* The limits every fuzz run gets: deterministic (fixed clocks, dates,
** random seeds and hash seed), binary chunks refused (a crafted binary
** chunk crashes any Lua by design: not a finding), an instruction budget
** of 'LVT_FZ_INSTR' (the deterministic stop), a wall clock of
** 'LVT_FZ_TIMEOUT_MS' as a backstop, 'LVT_FZ_MEM' bytes of Lua heap and
** 'LVT_FZ_OUTPUT' bytes of output. */
#define LVT_FZ_INSTR      2000000u
#define LVT_FZ_TIMEOUT_MS 3000u
#define LVT_FZ_MEM        ((size_t)64 << 20)
#define LVT_FZ_OUTPUT     ((size_t)64 << 10)

void lvt_fz_limits(LvtLimits *lim /* OUT */);

/* The raw-source targets (fuzz_lua_ref, afl_ref) take a smaller budget:
** mutated source loops without end far more often than generated
** programs, and a crash oracle gains nothing from running one long. */
#define LVT_FZ_RAW_INSTR      200000u
#define LVT_FZ_RAW_TIMEOUT_MS 1000u

/* Sets the instruction budget and wall clock lvt_fz_limits gives from
** now on (the environment's LVT_FUZZ_INSTR=N, when set, wins). */
void lvt_fz_set_budget(uint64_t instr, unsigned timeout_ms);

/* The process's reference VM, opened on first call (deterministic hash
** seed, incremental GC); aborts with a message when it cannot be opened.
** Never closed: the engine ends the process. */
LvtRef *lvt_fz_ref(void);

/* Runs 'n' bytes of Lua source (any bytes) named 'name' on the reference
** under lvt_fz_limits, into 'out' (caller-owned, initialised). Aborts when
** the harness fails or the sandbox breaks (outcome 'crash' in process).
** With LVT_FUZZ_VERBOSE=1 in the environment, prints one line per run to
** stderr: "lvt-fuzz: ref <outcome> [exit N] [detail]" (tests read it). */
void lvt_fz_run_src(const char *name, const uint8_t *data, size_t n,
                    LvtRun *out);

/* Prints "lvt-fuzz: <message>" to stderr and aborts (the engines keep the
** input that led here). */
void lvt_fz_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* 1 when the environment variable 'name' is set to a non-empty value
** other than "0". */
int lvt_fz_env_on(const char *name);

#endif
