/*
** fuzz_diff.h -- the oracles of fuzz_gen_ref: one program on the
** in-process reference and on the out-of-process VMs named in
** LVT_FUZZ_VMS (differential), and its metamorphic variants on the
** reference (every variant must give the original's result).
**
** A finding is printed to stderr ("lvt-fuzz: divergence ..." or
** "lvt-fuzz: metamorphic ...", the explanation, the program) and aborts,
** so the engine saves the input; with LVT_FUZZ_DIVERGENCE=log it is only
** printed and fuzzing goes on. Before a cross-VM divergence counts, the
** reference is re-run under another hash seed and GC mode (a result that
** changes is unspecified behaviour: dropped) and the odd VMs are re-run
** (a result that changes is flaky: printed, never aborts).
*/
#ifndef LVT_FUZZ_DIFF_H
#define LVT_FUZZ_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "fuzz/lvt_gen.h"
#include "vm/lvt_vm.h"

/* Opens the VMs of LVT_FUZZ_VMS (--vm specs separated by ',', or by ';'
** when there is one, for specs with commas of their own:
** "lua5.4,luajit,lj-joff", "lua5.4;name=x,cmd=..."; 'ref' is the
** in-process reference, always there) once per process: started,
** probed and self-tested; aborts with the reason when one cannot be
** used (the environment asked for it). Unset or empty: no VMs. */
void lvt_fz_vms_open(void);

/* Runs 'src' (generated for 'profile') on every VM implementing the
** profile (lvt_profile_runs_on) and compares each result with 'ref_run',
** the reference's. Programs whose reference result is a timeout or
** memory are not compared (budgets differ between VMs). */
void lvt_fz_differential(LvtProfile profile, const char *src, size_t len,
                         const LvtRun *ref_run);

/* Makes variants 1..K of 'src' (K from LVT_FUZZ_META, default 2; 0 turns
** the check off) with lvt_meta_variant and 'seed', runs each on the
** reference and compares it with 'ref_run'. A generated program the
** rewriter cannot parse is a finding too (generator and parser disagree). */
void lvt_fz_metamorphic(LvtProfile profile, const char *src, size_t len,
                        const LvtRun *ref_run, uint64_t seed);

#endif
