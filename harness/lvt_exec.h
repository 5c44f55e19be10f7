/*
** lvt_exec.h -- running a list of programs on every usable VM of a set: one
** thread per VM (each VM is a separate process, or the reference), results
** collected into a matrix program x VM. Never prints.
*/
#ifndef LVT_EXEC_H
#define LVT_EXEC_H

#include "lvt_vmset.h"

/* A program loaded from a file. */
typedef struct LvtSource {
  char *name;      /* as given on the command line */
  LvtBuf text;
} LvtSource;

/* Reads 'path' into 'src' (caller-owned, freed with lvt_source_reset).
** Returns LVT_OK or LVT_ERR_IO with 'e' naming the file. */
int lvt_source_load(LvtSource *src, const char *path, LvtErr *e);
void lvt_source_reset(LvtSource *src);

/* One cell: the result of one program on one VM, or why there is none. */
typedef struct LvtCell {
  LvtRun run;
  int ran;          /* 0: not run; 'note' says why */
  char note[320];
} LvtCell;

typedef struct LvtMatrix {
  size_t nprog, nvm;     /* nvm == set->n: failed VMs have cells too */
  LvtCell *cell;         /* [prog * nvm + vm] */
} LvtMatrix;

#define LVT_CELL(m, p, v) (&(m)->cell[(p) * (m)->nvm + (v)])

void lvt_matrix_reset(LvtMatrix *m);

/* Progress callback (may be NULL): called from the VM threads after each
** run, serialised by a lock. */
typedef void (*LvtExecProgress)(void *ud, size_t prog, size_t vm, const LvtRun *r);

/* Runs every program on every usable VM of 'set' under 'lim'. A VM that
** becomes unusable midway (cannot be restarted) is marked failed in the set
** and its remaining cells say so. Returns LVT_OK (VM failures are data). */
int lvt_exec_matrix(LvtVmSet *set, const LvtProgram *progs, size_t nprog,
                    const LvtLimits *lim, LvtMatrix *m /* OUT */,
                    LvtExecProgress progress, void *ud);

#endif
