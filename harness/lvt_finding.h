/*
** lvt_finding.h -- what fuzzing found and how it is kept: signatures (who
** disagrees with whom, which VM crashed how), durable file writes (a file
** is either complete on disk or absent, also after kill -9 or a power
** cut), and the findings store of a campaign directory:
**
**   DIR/findings/<kind>-<sighash>-<index>/   one example: program.lua,
**                     result-<vm>.json ..., finding.json, repro.sh, and for
**                     metamorphic findings variant.lua
**   DIR/findings/index.jsonl   one line per occurrence, example or not:
**                     nothing found is ever dropped silently
**
** An example directory is assembled under a temporary name, every file and
** the directory fsync'ed, then renamed into place and the parent fsync'ed:
** readers see a whole directory or none. Index lines are appended with
** O_APPEND and fsync'ed. The store is shared by the fuzz workers: its
** functions lock.
*/
#ifndef LVT_FINDING_H
#define LVT_FINDING_H

#include <stddef.h>
#include <stdint.h>

#include "../util/lvt_base.h"
#include "../vm/lvt_vm.h"
#include "lvt_oracle.h"

/* ---------------------------------------------------------------------
** Durable writes (usable on their own)
** --------------------------------------------------------------------- */

/* Creates or truncates 'path', writes 'n' bytes and fsyncs it. Returns
** LVT_OK or LVT_ERR_IO naming the file (ENOSPC included). */
int lvt_file_write_sync(const char *path, const void *p, size_t n, LvtErr *e);

/* fsyncs directory 'dir' (a rename or create in it becomes durable).
** LVT_OK or LVT_ERR_IO. */
int lvt_dir_sync(const char *dir, LvtErr *e);

/* Replaces 'path' atomically: a temporary file beside it, fsync, rename,
** fsync of the directory. On error 'path' is untouched and no temporary
** is left. LVT_OK or LVT_ERR_IO. */
int lvt_file_replace(const char *path, const void *p, size_t n, LvtErr *e);

/* Appends 'n' bytes to 'path' (created 0644 when missing) with one
** O_APPEND write, then fsyncs. LVT_OK or LVT_ERR_IO. */
int lvt_file_append_sync(const char *path, const void *p, size_t n, LvtErr *e);

/* Makes 'dir' (and missing parents, mode 0755) and checks it can hold
** data: writes 'bytes' bytes to a probe file, fsyncs and removes it. The
** message says what failed and where ("cannot write DIR: No space left on
** device"). LVT_OK or LVT_ERR_IO. */
int lvt_dir_probe(const char *dir, size_t bytes, LvtErr *e);

/* Fault injection for tests: the 'n'-th write(2) of the functions above
** from now on fails with ENOSPC (0 = never; the default). Process-wide. */
void lvt_finding_fail_write(unsigned n);

/* ---------------------------------------------------------------------
** Findings and signatures (pure)
** --------------------------------------------------------------------- */
typedef enum LvtFindingKind {
  LVT_FINDING_DIVERGENCE = 0,  /* VMs of one profile disagree */
  LVT_FINDING_CRASH,           /* a VM crashed (signal, abnormal exit) */
  LVT_FINDING_METAMORPHIC,     /* a variant differs from its original on
                               ** one VM */
  LVT_FINDING__COUNT
} LvtFindingKind;

/* "divergence", "crash", "metamorphic". */
const char *lvt_finding_kind_name(LvtFindingKind k);

/* The coarse shape of an output line, for signatures: its first word (up
** to a space, '=', ':' or ',' ; at most 24 bytes), runs of digits as '#',
** bytes that are not printable ASCII as '?'; "<end>" when 'line' is NULL
** (the output ended). Appended to 'out'. */
void lvt_sig_shape(const char *line, size_t n, LvtBuf *out);

/* Finds the first line where 'a' and 'b' differ. Sets '*line'/'*n' to that
** line of 'a' (NULL when 'a' ended first) and returns its 1-based number,
** or 0 when they are equal. */
size_t lvt_first_diff_line(const char *a, size_t alen, const char *b, size_t blen,
                           const char **line, size_t *n);

/* The class that decides 'who is wrong' in a verdict: the one holding
** "ref", else one holding a PUC-Rio build (a name starting "lua5"), else
** the majority, else class 0. -1 when there is no class. */
int lvt_sig_anchor(const LvtVerdict *v);

/* Appends the signature of a divergence to 'sig': the anchor class first,
** then the others sorted, each as "{vm,vm}=label" with its VM names
** sorted, and " @" the shape of the first line where the anchor's first
** result and the first other class's result differ ('shape' , computed by
** the caller from normalised outputs; NULL or "" = none). Example:
**   divergence {lua5.4,ref}=ok / {luajit}=ok @cs# */
void lvt_sig_divergence(const LvtVerdict *v, const char *shape, LvtBuf *sig);

/* "crash luajit signal 11" / "crash x status 1" / "crash x abnormal". */
void lvt_sig_crash(const char *vm, const LvtRun *r, LvtBuf *sig);

/* "metamorphic lua5.4 ok/error (string) @shape". */
void lvt_sig_metamorphic(const char *vm, const LvtRun *orig, const LvtRun *var,
                         const char *shape, LvtBuf *sig);

/* The outcome label of a run as the oracle writes it ("ok", "error
** (string)", "exit 3", "crash"...), into 'out' (at least 32 bytes). */
void lvt_run_label(const LvtRun *r, char *out, size_t size);

/* 64-bit FNV-1a of 'n' bytes: signature hashes (12 hex digits in names). */
uint64_t lvt_hash64(const void *p, size_t n);

/* ---------------------------------------------------------------------
** A finding directory being assembled, and the store
** --------------------------------------------------------------------- */

/* Files of one example directory: names (no '/') and contents, owned. */
typedef struct LvtFindingDir {
  size_t n;
  char **name;
  LvtBuf *data;
} LvtFindingDir;

void lvt_fdir_init(LvtFindingDir *d);
void lvt_fdir_reset(LvtFindingDir *d);
/* Adds a file (a copy of 'p'); returns its buffer to append more to. */
LvtBuf *lvt_fdir_add(LvtFindingDir *d, const char *name, const void *p, size_t n);

/* Publishes 'd' as 'parent/name': writes every file into a fresh
** 'parent/.tmp-<name>-<pid>-<k>' (fsync each file and the directory), then
** renames it into place and fsyncs 'parent'. When 'parent/name' exists
** already (the same example published before lvtest was killed) it is
** kept as it is and LVT_OK is returned with '*existed' set. On error
** nothing is left behind. LVT_OK or LVT_ERR_IO. */
int lvt_fdir_publish(const LvtFindingDir *d, const char *parent, const char *name,
                     int *existed /* OUT, may be NULL */, LvtErr *e);

/* One occurrence of a finding, as recorded in index.jsonl. */
typedef struct LvtOccurrence {
  LvtFindingKind kind;
  uint64_t index;            /* program index in the campaign */
  uint64_t seed;             /* the program's generator seed */
  const char *profile;       /* "portable", "5.3", "5.4" */
  const char *signature;
  const char *label;         /* "deterministic" or "flaky" */
  const char *vms;           /* the VMs involved, comma-separated */
} LvtOccurrence;

typedef struct LvtStore LvtStore;

/* Opens (creating it when missing) the findings store under 'dir'
** ('dir/findings'): probes that it is writable ('probe_bytes' bytes,
** fsync'ed), removes temporary directories left by a killed run, and
** reads index.jsonl back (signature counts, examples kept, and which
** (program, signature) pairs are recorded, so a program run again after
** a resume is not counted twice). 'keep' is the number of examples kept
** per signature (0 = 3). LVT_OK, LVT_ERR_IO (not writable, full) or
** LVT_ERR_USAGE (index.jsonl is not lvtest's). */
int lvt_store_open(LvtStore **s /* OUT */, const char *dir, size_t probe_bytes,
                   unsigned keep, LvtErr *e);
void lvt_store_close(LvtStore *s);   /* NULL-safe */

/* What lvt_store_record did. */
typedef enum LvtRecorded {
  LVT_REC_EXAMPLE = 0,   /* new occurrence, an example directory written */
  LVT_REC_COUNTED,       /* new occurrence, counted (enough examples) */
  LVT_REC_KNOWN          /* this program's occurrence was recorded already
                         ** (a program redone after a resume) */
} LvtRecorded;

/* Records one occurrence: decides whether it gets an example directory
** (the first 'keep' of its signature do), asks 'fill' for the files when
** it does and publishes them, then appends the index line. 'fill' is
** called without the store's lock. '*dir_out' (may be NULL) receives the
** example's path (malloc'd) or NULL. LVT_OK or LVT_ERR_IO. */
typedef void (*LvtFillFinding)(void *ud, LvtFindingDir *d);
int lvt_store_record(LvtStore *s, const LvtOccurrence *oc, LvtFillFinding fill,
                     void *ud, LvtRecorded *what /* OUT */, char **dir_out,
                     LvtErr *e);

/* Totals: distinct signatures, occurrences (optionally per kind: an array
** of LVT_FINDING__COUNT, may be NULL). */
size_t lvt_store_unique(const LvtStore *s);
uint64_t lvt_store_total(const LvtStore *s, uint64_t *per_kind);

/* Calls 'fn' for every signature with its occurrence count, in first-seen
** order. */
void lvt_store_each(const LvtStore *s,
                    void (*fn)(void *ud, const char *sig, LvtFindingKind k,
                               uint64_t count, const char *first_example),
                    void *ud);

/* The findings directory (DIR/findings). */
const char *lvt_store_dir(const LvtStore *s);

#endif
