/*
** lvt_console.h -- the terminal reporter: the VM table, run results, and
** the per-program lines of a comparison. Writes only to the FILE* it is
** given; colours only when asked (the caller checks isatty and NO_COLOR).
*/
#ifndef LVT_CONSOLE_H
#define LVT_CONSOLE_H

#include <stdio.h>

#include "../harness/lvt_exec.h"

typedef struct LvtConsole {
  FILE *f;
  int color;
  int verbose;
} LvtConsole;

/* Colour codes, or "" when colour is off. */
const char *lvt_con_red(const LvtConsole *c);
const char *lvt_con_green(const LvtConsole *c);
const char *lvt_con_yellow(const LvtConsole *c);
const char *lvt_con_dim(const LvtConsole *c);
const char *lvt_con_bold(const LvtConsole *c);
const char *lvt_con_reset(const LvtConsole *c);

/* The table of 'lvtest vms'. */
void lvt_console_vms(LvtConsole *c, const LvtVmSet *set, const char *ref_version);

/* One result of 'lvtest run'. */
void lvt_console_cell(LvtConsole *c, const LvtVmSlot *slot, const LvtCell *cell);

/* The names of VMs that were excluded, with their reasons. */
void lvt_console_excluded(LvtConsole *c, const LvtVmSet *set);

#endif
