/*
** lvt_vmspec.h -- VM specs as users write them ('--vm ref', '--vm lua5.3',
** '--vm /opt/lua', '--vm name=lj-joff,cmd="luajit -joff"') and the discovery
** of Lua interpreters on PATH.
*/
#ifndef LVT_VMSPEC_H
#define LVT_VMSPEC_H

#include "../util/lvt_base.h"
#include "../vm/lvt_vm.h"

/* One VM as named by the user: owns every string its 'cfg' points to. */
typedef struct LvtVmSpec {
  LvtVmConfig cfg;
  char *name;
  char **argv;        /* NULL-terminated, owned */
  char **env;         /* NULL-terminated, owned (may be NULL) */
  char *how;          /* how it is run, for display */
  char *resolved;     /* argv[0] resolved on PATH (realpath), or NULL */
  int is_ref;         /* the linked-in reference */
} LvtVmSpec;

void lvt_vmspec_init(LvtVmSpec *s);
void lvt_vmspec_reset(LvtVmSpec *s);

/* Parses one spec. 'self_exe' is the lvtest binary (for 'ref'). Words that
** stand for several VMs ('all', 'system') are not handled here: see
** lvt_vmspec_is_group. Returns LVT_OK or LVT_ERR_USAGE with a message that
** names the spec and says what to do. */
int lvt_vmspec_parse(LvtVmSpec *s, const char *spec, const char *self_exe,
                     LvtErr *e);

/* The spec of the reference VM ('ref'). */
void lvt_vmspec_ref(LvtVmSpec *s, const char *self_exe);

/* 1 for 'all' / 'system' (every VM found), 0 otherwise. */
int lvt_vmspec_is_group(const char *spec, int *with_ref /* OUT */);

/* Splits a command line with shell-like quoting ('...', "...", \x) into a
** NULL-terminated argv (owned). Returns LVT_OK or LVT_ERR_USAGE. */
int lvt_split_command(const char *cmd, char ***argv, LvtErr *e);
void lvt_strv_free(char **v);

/* Looks 'name' up on PATH (or takes it as a path when it has a '/').
** Returns a malloc'd absolute path, or NULL when not found/executable. */
char *lvt_which(const char *name);

/* ---------------------------------------------------------------------
** Discovery
** --------------------------------------------------------------------- */
typedef struct LvtFound {
  char *name;          /* the first name seen, by preference order */
  char *path;          /* where that name is */
  char *real;          /* realpath: what identifies the binary */
  char **aliases;      /* other names of the same binary (NULL-terminated) */
} LvtFound;

/* Scans the directories of 'path_env' (PATH when NULL) for executables
** named lua* that may be interpreters (luac*, luarocks* and the like are
** left out), one entry per distinct binary, ordered lua5.1, lua5.2, lua5.3,
** lua5.4, luajit, then by name. Returns the count; '*out' is owned. */
size_t lvt_discover(const char *path_env, LvtFound **out);
void lvt_found_free(LvtFound *f, size_t n);

#endif
