/*
** lvt_ref.c -- the reference backend 'ref': options, the private scratch
** directory, process-wide hygiene between runs, the LvtVmOps table, and
** the directory of 'lua' / 'luac' links to the standalone programs.
** Everything that calls Lua is in the reference TU (vm/ref/lvt_lua54.c and
** its adapter); this file only sees vm/ref/lvt_ref_lua.h.
*/
#define _GNU_SOURCE   /* nftw */
#include "lvt_ref.h"
#include "../util/lvt_spawn.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ref/lvt_ref_lua.h"

struct LvtRef {
  LvtRefOptions opt;        /* tmp_dir and sandbox are not kept (NULL) */
  LvtRefLua *lua;
  char *scratch;            /* absolute */
  int own_scratch;          /* made by mkdtemp: removed at close */
  struct timespec scratch_mtime;   /* when it was last seen empty */
  char *locale;             /* LC_ALL at open, restored if a run changed it */
  size_t runs;
  int pure_next;            /* the next run's program is known pure */
};

/* =====================================================================
** Options
** ===================================================================== */
static const char *const gc_names[LVT_REF_GC__COUNT] = {
  "inc", "gen", "inc-stress", "gen-stress"
};

const char *lvt_ref_gc_name(LvtRefGc gc) {
  return (unsigned)gc < LVT_REF_GC__COUNT ? gc_names[gc] : "?";
}

int lvt_ref_gc_parse(const char *name) {
  int i;
  if (strcmp(name, "incremental") == 0) return LVT_REF_GC_INC;
  if (strcmp(name, "generational") == 0) return LVT_REF_GC_GEN;
  for (i = 0; i < LVT_REF_GC__COUNT; i++)
    if (strcmp(gc_names[i], name) == 0) return i;
  return -1;
}

void lvt_ref_options_init(LvtRefOptions *opt) {
  memset(opt, 0, sizeof *opt);
  opt->gc = LVT_REF_GC_INC;
}

const char *lvt_ref_lua_version(void) {
  return lvt_reflua_version();
}

/* =====================================================================
** The scratch directory
** ===================================================================== */

/* nftw callback: removes everything below the root (level 0). */
static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw) {
  (void)st;
  if (ftw->level == 0) return 0;
  if (flag == FTW_DP) rmdir(path);
  else unlink(path);
  return 0;   /* keep going: leave what cannot be removed */
}

static void scratch_note(LvtRef *ref) {
  struct stat st;
  if (stat(ref->scratch, &st) == 0) ref->scratch_mtime = st.st_mtim;
}

/* Empties the scratch dir when a program changed it (its mtime moved:
** entries were created or removed since it was last noted, empty or, for
** a dir given by the caller, as given). */
static void scratch_tidy(LvtRef *ref) {
  struct stat st;
  if (stat(ref->scratch, &st) != 0) return;
  if (st.st_mtim.tv_sec == ref->scratch_mtime.tv_sec &&
      st.st_mtim.tv_nsec == ref->scratch_mtime.tv_nsec)
    return;
  nftw(ref->scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  scratch_note(ref);
}

/* Takes 'opt->scratch' as the scratch dir, or creates one under
** 'opt->tmp_dir', $TMPDIR or /tmp. */
static int scratch_make(LvtRef *ref, const LvtRefOptions *opt, LvtErr *e) {
  char tmpl[PATH_MAX], real[PATH_MAX];
  const char *dir = opt != NULL && opt->tmp_dir != NULL && *opt->tmp_dir
                    ? opt->tmp_dir : getenv("TMPDIR");
  if (opt != NULL && opt->scratch != NULL) {
    if (realpath(opt->scratch, real) == NULL)
      return lvt_err_set(e, LVT_ERR_IO, "ref: scratch directory '%s': %s",
                         opt->scratch, strerror(errno));
    ref->scratch = lvt_xstrdup(real);
    scratch_note(ref);
    return LVT_OK;
  }
  if (dir == NULL || *dir == '\0') dir = "/tmp";
  if (realpath(dir, real) == NULL)
    return lvt_err_set(e, LVT_ERR_IO, "ref: temporary directory '%s': %s",
                       dir, strerror(errno));
  if ((size_t)snprintf(tmpl, sizeof tmpl, "%s/lvtest-ref-XXXXXX", real) >= sizeof tmpl)
    return lvt_err_set(e, LVT_ERR_IO, "ref: temporary directory path too long");
  if (mkdtemp(tmpl) == NULL)
    return lvt_err_set(e, LVT_ERR_IO, "ref: cannot create a scratch directory in '%s': %s",
                       real, strerror(errno));
  ref->scratch = lvt_xstrdup(tmpl);
  ref->own_scratch = 1;
  scratch_note(ref);
  return LVT_OK;
}

/* =====================================================================
** Open, run, close
** ===================================================================== */
int lvt_ref_open(LvtRef **out, const LvtRefOptions *opt, LvtErr *e) {
  LvtRef *ref = lvt_xcalloc(1, sizeof *ref);
  const char *sb, *sbname = "@vm/driver/sandbox.lua";
  size_t sblen;
  int rc;
  *out = NULL;
  if (opt != NULL) ref->opt = *opt;
  else lvt_ref_options_init(&ref->opt);
  ref->opt.tmp_dir = ref->opt.scratch = NULL;
  ref->opt.sandbox = NULL;
  if ((unsigned)ref->opt.gc >= LVT_REF_GC__COUNT) {
    rc = lvt_err_set(e, LVT_ERR_USAGE, "ref: unknown GC mode %d", (int)ref->opt.gc);
    goto fail;
  }
  if (opt != NULL && opt->sandbox != NULL) {
    sb = opt->sandbox;
    sblen = opt->sandbox_len;
  } else {
    const LvtEmbedded *f = lvt_embedded_find("sandbox.lua");
    if (f == NULL) {
      rc = lvt_err_set(e, LVT_ERR_VM, "ref: vm/driver/sandbox.lua is not embedded in this build");
      goto fail;
    }
    sb = f->data;
    sblen = f->len;
  }
  if ((rc = scratch_make(ref, opt, e)) != LVT_OK) goto fail;
  if ((rc = lvt_reflua_new(&ref->lua, sb, sblen, sbname, e)) != LVT_OK) {
    lvt_err_prefix(e, "ref");
    goto fail;
  }
  ref->locale = lvt_xstrdup(setlocale(LC_ALL, NULL));
  *out = ref;
  return LVT_OK;
fail:
  lvt_ref_close(ref);
  return rc;
}

int lvt_ref_run(LvtRef *ref, const LvtProgram *p, const LvtLimits *lim,
                LvtRun *out, LvtErr *e) {
  LvtRefLuaJob job;
  const char *loc;
  double t0 = lvt_now_ms();
  int dirty = 0, rc, pure = ref->pure_next;
  ref->pure_next = 0;   /* (for this run only) */
  lvt_run_clear(out);
  ref->runs++;
  if (lim->selftest_crash) {
    out->outcome = LVT_RUN_UNSUPPORTED;
    lvt_buf_adds(&out->detail, "the in-process reference cannot crash on request "
                               "(the worker 'lvtest __lvx-ref' can)");
    return LVT_OK;
  }
  job.prog = p;
  job.lim = lim;
  job.scratch = ref->scratch;
  job.seed = ref->opt.hash_seed != 0 ? ref->opt.hash_seed
             : lim->deterministic ? LVT_REF_DETERMINISTIC_SEED : 0;
  job.gc = ref->opt.gc;
  job.reuse = ref->opt.reuse_state;
  job.new_state = ref->opt.new_state;
  job.pure = pure;
  rc = lvt_reflua_run(ref->lua, &job, out, &dirty, e);
  out->wall_ms = lvt_now_ms() - t0;
  /* The locale is process-wide: os.setlocale is netted to refuse changes,
  ** this catches anything that slipped through. */
  loc = setlocale(LC_ALL, NULL);
  if (loc == NULL || strcmp(loc, ref->locale) != 0) setlocale(LC_ALL, ref->locale);
  scratch_tidy(ref);
  if (rc != LVT_OK) lvt_err_prefix(e, "ref");
  return rc;
}

void lvt_ref_close(LvtRef *ref) {
  if (ref == NULL) return;
  lvt_reflua_free(ref->lua);
  if (ref->scratch != NULL && ref->own_scratch) lvt_remove_tree(ref->scratch);
  free(ref->scratch);
  free(ref->locale);
  free(ref);
}

void lvt_ref_set_pure(LvtRef *ref) {
  ref->pure_next = 1;
}

/* The next run notices the change and builds a new state. */
void lvt_ref_set_hash_seed(LvtRef *ref, unsigned seed) {
  ref->opt.hash_seed = seed;
}

void lvt_ref_set_gc(LvtRef *ref, LvtRefGc gc) {
  if ((unsigned)gc < LVT_REF_GC__COUNT) ref->opt.gc = gc;
}

const char *lvt_ref_scratch(const LvtRef *ref) {
  return ref->scratch;
}

void lvt_ref_stats(const LvtRef *ref, LvtRefStats *st) {
  st->live = lvt_reflua_live(ref->lua);
  st->image = lvt_reflua_image(ref->lua);
  st->states = lvt_reflua_states(ref->lua);
  st->runs = ref->runs;
  lvt_reflua_region(ref->lua, &st->region, &st->region_ended);
}

/* =====================================================================
** The standalone programs: a directory of 'lua' and 'luac' links
** ===================================================================== */

/* Makes '<dir>/<name>' a symlink to 'target'. */
static int bin_link(const char *dir, const char *name, const char *target,
                    LvtErr *e) {
  char path[PATH_MAX];
  if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
    return lvt_err_set(e, LVT_ERR_IO, "ref: bin directory path too long");
  if (symlink(target, path) != 0)
    return lvt_err_set(e, LVT_ERR_IO, "ref: cannot link '%s' to '%s': %s",
                       path, target, strerror(errno));
  return LVT_OK;
}

int lvt_ref_bin_dir(const char *self_exe, const char *parent, char **dir,
                    LvtErr *e) {
  char exe[PATH_MAX], real[PATH_MAX], tmpl[PATH_MAX];
  struct stat st;
  int rc;
  *dir = NULL;
  if (parent == NULL || *parent == '\0') parent = getenv("TMPDIR");
  if (parent == NULL || *parent == '\0') parent = "/tmp";
  /* Absolute and free of links: the links must work from any directory,
  ** and a link to a link named 'lua' would only work by accident. */
  if (realpath(self_exe, exe) == NULL)
    return lvt_err_set(e, LVT_ERR_IO, "ref: lvtest binary '%s': %s", self_exe,
                       strerror(errno));
  if (stat(exe, &st) != 0 || !S_ISREG(st.st_mode) || access(exe, X_OK) != 0)
    return lvt_err_set(e, LVT_ERR_IO, "ref: lvtest binary '%s' is not an executable file",
                       exe);
  if (realpath(parent, real) == NULL)
    return lvt_err_set(e, LVT_ERR_IO, "ref: directory '%s': %s", parent, strerror(errno));
  if ((size_t)snprintf(tmpl, sizeof tmpl, "%s/lvt-refbin-XXXXXX", real) >= sizeof tmpl)
    return lvt_err_set(e, LVT_ERR_IO, "ref: directory path '%s' too long", real);
  if (mkdtemp(tmpl) == NULL)
    return lvt_err_set(e, LVT_ERR_IO, "ref: cannot create a bin directory in '%s': %s",
                       real, strerror(errno));
  if ((rc = bin_link(tmpl, "lua", exe, e)) != LVT_OK ||
      (rc = bin_link(tmpl, "luac", exe, e)) != LVT_OK) {
    lvt_remove_tree(tmpl);
    return rc;
  }
  *dir = lvt_xstrdup(tmpl);
  return LVT_OK;
}

void lvt_ref_bin_dir_remove(const char *dir) {
  if (dir != NULL) lvt_remove_tree(dir);
}

/* =====================================================================
** The backend operations (vm/lvt_vm.h)
** ===================================================================== */
static int ref_open(void **vm, const LvtVmConfig *cfg, LvtErr *e) {
  LvtRefOptions opt;
  LvtRef *ref;
  int rc;
  lvt_ref_options_init(&opt);
  opt.hash_seed = cfg->hash_seed;
  opt.tmp_dir = cfg->tmp_dir;
  rc = lvt_ref_open(&ref, &opt, e);
  *vm = ref;
  return rc;
}

static int ref_run(void *vm, const LvtProgram *p, const LvtLimits *lim,
                   LvtRun *out, LvtErr *e) {
  return lvt_ref_run((LvtRef *)vm, p, lim, out, e);
}

static void ref_close(void *vm) {
  lvt_ref_close((LvtRef *)vm);
}

const LvtVmOps lvt_vm_ref_ops = {"ref", ref_open, ref_run, ref_close, 1, NULL};

LvtRef *lvt_ref_of(LvtVm *vm) {
  return vm != NULL && vm->ops == &lvt_vm_ref_ops ? (LvtRef *)vm->impl : NULL;
}
