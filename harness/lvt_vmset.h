/*
** lvt_vmset.h -- the VMs of one lvtest invocation: built from --vm specs
** (or every VM found), started in parallel, probed and self-tested. A VM
** that cannot be started or fails a self-test stays in the set, marked
** failed with the reason, so every report can name it: nothing is dropped
** silently.
*/
#ifndef LVT_VMSET_H
#define LVT_VMSET_H

#include "lvt_vmspec.h"

typedef struct LvtVmSlot {
  LvtVmSpec spec;
  LvtVm *vm;            /* open and usable, or NULL */
  int failed;           /* could not be started, probed or self-tested */
  char why[320];        /* the reason when failed */
  int selftested;       /* the self-tests ran and passed */
  char **aliases;       /* other names of the same binary (owned) */
  double start_ms;      /* time to start, probe and self-test */
  int pin_cpu;          /* CPU + 1 this VM and its thread run on; 0 = any */
} LvtVmSlot;

/* A peer that 'all' would have included but is not installed here. */
typedef struct LvtVmAbsent {
  char name[32];
  char why[288];        /* "node not found on PATH", "not installed: ..." */
} LvtVmAbsent;

typedef struct LvtVmSet {
  LvtVmSlot *slot;
  size_t n;
  LvtVmAbsent *absent;  /* peers 'all' left out (not slots: nothing ran) */
  size_t nabsent;
} LvtVmSet;

typedef struct LvtVmSetOpts {
  unsigned restart_every;      /* default for specs that do not say */
  int selftest;                /* run the start-up self-tests */
  unsigned selftest_timeout_ms;
  const char *tmp_dir;
  int pin;                     /* pin each VM and its driving thread to one
                               ** CPU, round-robin over the allowed CPUs */
} LvtVmSetOpts;

void lvt_vmset_init(LvtVmSet *s);
void lvt_vmset_reset(LvtVmSet *s);   /* closes every VM */

/* Adds the VMs named by 'spec' ('system' expands to what lvt_discover
** finds, 'all' to ref, that and every peer installed: the peers that are
** not are listed in 's->absent' with the reason). A name given twice is a
** usage error. */
int lvt_vmset_add(LvtVmSet *s, const char *spec, const char *self_exe, LvtErr *e);

/* The default set, 'all': ref, every interpreter on PATH, the LuaJIT
** modes when luajit is there, and the peers installed. */
void lvt_vmset_add_default(LvtVmSet *s, const char *self_exe);

/* Starts, probes and (optionally) self-tests every VM, in parallel. Never
** fails as a whole: each slot ends usable or failed with a reason. */
void lvt_vmset_start(LvtVmSet *s, const LvtVmSetOpts *o);

/* Pins the calling thread to the CPU of 'slot' (when it has one). */
void lvt_vmset_pin_thread(const LvtVmSlot *slot);

/* Number of usable VMs. */
size_t lvt_vmset_ready(const LvtVmSet *s);

/* Marks a slot failed (closing its VM) with a printf-style reason. */
void lvt_vmset_fail(LvtVmSlot *slot, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
